//! The folder that machine formats name files from: SARIF's `%SRCROOT%`, GitHub annotations
//! and `JUnit`'s `file`. Code-scanning services and CI dashboards match a path against the
//! repository's own tree, so `../../decisions/x.yaml` (run from a sub-folder) or an absolute
//! path would point at nothing there.

use std::path::{Component, Path, PathBuf};

/// Where paths are made relative to, and the folder the run's paths are relative to.
#[derive(Clone, Debug)]
pub struct SourceRoot {
    /// Absolute, as git or the file system spells it.
    root: PathBuf,
    /// The current folder, absolute: paths the user gave are relative to it.
    here: PathBuf,
}

impl SourceRoot {
    /// The git work tree's top folder, else the folder of the `mocheck.toml` in use, else the
    /// current folder. `None` only when the current folder itself cannot be known.
    pub fn find(config_dir: Option<&Path>) -> Option<SourceRoot> {
        let here = std::env::current_dir().ok()?;
        let here = here.canonicalize().unwrap_or(here);
        let root = crate::changed::top_level(&here)
            .ok()
            .or_else(|| config_dir.map(|dir| absolute(&here, dir)))
            .unwrap_or_else(|| here.clone());
        let root = root.canonicalize().unwrap_or(root);
        Some(SourceRoot { root, here })
    }

    /// A root at `root` for paths given relative to `here` (for tests).
    pub fn at(root: PathBuf, here: PathBuf) -> SourceRoot {
        SourceRoot { root, here }
    }

    /// The path of a file the run names, relative to the root with `/` separators; `None`
    /// for standard input and for a file outside the root.
    pub fn relative(&self, shown: &str) -> Option<String> {
        if shown == "-" || shown == "<stdin>" {
            return None;
        }
        let path = absolute(&self.here, Path::new(shown));
        let inside = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<&str> = inside
            .components()
            .map(|part| match part {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect::<Option<_>>()?;
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// The root as a `file:` URI ending in `/`, as SARIF's `originalUriBaseIds` wants.
    pub fn uri(&self) -> String {
        let mut uri = file_uri(&self.root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }

    /// A file outside the root (or standard input's name) as an absolute `file:` URI.
    pub fn file_uri(&self, shown: &str) -> String {
        file_uri(&absolute(&self.here, Path::new(shown)))
    }
}

/// `path` made absolute against `here`, with `.` and `..` resolved by name (not through the
/// file system: a run names up to a hundred thousand files).
fn absolute(here: &Path, path: &Path) -> PathBuf {
    let mut joined = PathBuf::new();
    for part in here.join(path).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                joined.pop();
            }
            other => joined.push(other),
        }
    }
    joined
}

fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let slash = if text.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}", percent_encode(&text))
}

/// A path as a URI reference: `/` separators kept, everything a URI may not hold
/// percent-encoded, and `:` too so that `C:` or `a:b.yaml` is not read as a scheme.
pub fn percent_encode(path: &str) -> String {
    use std::fmt::Write as _;
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> SourceRoot {
        SourceRoot::at(
            PathBuf::from("/repo"),
            PathBuf::from("/repo/decisions/2026"),
        )
    }

    #[test]
    fn paths_from_a_sub_folder_are_named_from_the_root() {
        assert_eq!(
            root().relative("x.yaml").as_deref(),
            Some("decisions/2026/x.yaml")
        );
        assert_eq!(
            root().relative("../2025/./y.yaml").as_deref(),
            Some("decisions/2025/y.yaml")
        );
        assert_eq!(
            root().relative("/repo/examples/z.yaml").as_deref(),
            Some("examples/z.yaml")
        );
    }

    #[test]
    fn files_outside_the_root_and_standard_input_have_no_relative_path() {
        assert_eq!(root().relative("/elsewhere/x.yaml"), None);
        assert_eq!(root().relative("../../../x.yaml"), None);
        assert_eq!(root().relative("-"), None);
        assert_eq!(root().relative("<stdin>"), None);
    }

    #[test]
    fn the_root_uri_is_a_folder_with_unsafe_bytes_encoded() {
        let root = SourceRoot::at(PathBuf::from("/my repo/a:b"), PathBuf::from("/"));
        assert_eq!(root.uri(), "file:///my%20repo/a%3Ab/");
    }
}
