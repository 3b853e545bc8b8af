//! Finding the record files: the paths given, folders walked recursively in a stable
//! order, `.yaml`/`.yml` only, hidden folders and excluded globs skipped.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

#[derive(Debug, Default)]
pub struct WalkOptions {
    /// Globs (as in `[check] exclude`) matched against the path as displayed.
    pub exclude: Vec<String>,
    /// The configured `paths`, if any: a file named outside them is not a record of the
    /// repository (a hook may pass `.pre-commit-config.yaml`), so it is skipped.
    pub within: Option<Vec<PathBuf>>,
}

#[derive(Debug, Default)]
pub struct Walked {
    /// (path as displayed, path to open), in the order the outputs use.
    pub files: Vec<(String, PathBuf)>,
    /// Places the walk could not go, with why: (path as displayed, message).
    pub errors: Vec<(String, String)>,
    /// `-` was given: read one file's records from standard input.
    pub stdin: bool,
    /// Files named explicitly but not read, with why: (path as displayed, reason).
    pub skipped: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("`{0}` does not exist")]
    Missing(String),
    #[error("`{path}` could not be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("`{glob}` in `exclude` is not a valid glob: {message}")]
    BadGlob { glob: String, message: String },
}

fn display(path: &Path) -> String {
    super::shown(path)
}

fn is_record_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("yaml" | "yml")
    )
}

pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Result<Walked, WalkError> {
    let exclude = exclude_set(&options.exclude)?;
    let mut walked = Walked::default();
    let mut seen = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            walked.stdin = true;
            continue;
        }
        match std::fs::symlink_metadata(path) {
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(WalkError::Missing(display(path)));
            }
            // A folder on the way that may not be entered: the path may well exist.
            Err(error) => {
                return Err(WalkError::Unreadable {
                    path: display(path),
                    reason: super::plain_io(&error),
                });
            }
        }
        if !path.is_dir() {
            // A file named explicitly is read whatever its extension: the user asked for it,
            // unless the configuration says it is not a record; then the user is told so.
            let shown = display(path);
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if let Some(reason) = not_a_record(&key, &shown, &exclude, options) {
                walked.skipped.push((shown, reason));
            } else if seen.insert(key) {
                walked.files.push((shown, path.clone()));
            }
            continue;
        }
        let entries = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
            });
        for entry in entries {
            match entry {
                Ok(entry) => {
                    let shown = display(entry.path());
                    if entry.file_type().is_dir()
                        || !is_record_file(entry.path())
                        || exclude.is_match(&shown)
                    {
                        continue;
                    }
                    let key = entry
                        .path()
                        .canonicalize()
                        .unwrap_or_else(|_| entry.path().to_path_buf());
                    if seen.insert(key) {
                        walked.files.push((shown, entry.into_path()));
                    }
                }
                Err(error) => {
                    let shown = error.path().map_or_else(|| display(path), display);
                    let message = if error.loop_ancestor().is_some() {
                        "this folder link loops back to a folder above it, so it was not followed"
                            .to_string()
                    } else if let Some(io) = error.io_error() {
                        format!("this could not be read: {}", super::plain_io(io))
                    } else {
                        error.to_string()
                    };
                    walked.errors.push((shown, message));
                }
            }
        }
    }
    // One order for every output and for "the first record" of MO092: by path, whatever
    // order the paths were given in.
    walked.files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(walked)
}

/// Why a file named explicitly is not one of the configured records, if it is not.
fn not_a_record(
    canonical: &Path,
    shown: &str,
    exclude: &GlobSet,
    options: &WalkOptions,
) -> Option<String> {
    if let Some(index) = exclude.matches(shown).first() {
        return Some(format!(
            "the configuration excludes it (`{}`), so it is not checked",
            options.exclude[*index]
        ));
    }
    let within = options.within.as_ref()?;
    let inside = within.iter().any(|place| {
        place
            .canonicalize()
            .is_ok_and(|place| canonical.starts_with(place))
    });
    (!inside).then(|| {
        let places: Vec<String> = within
            .iter()
            .map(|place| format!("`{}`", display(place)))
            .collect();
        format!(
            "it is outside the configured paths ({}), so it is not taken for a record",
            places.join(", ")
        )
    })
}

fn exclude_set(globs: &[String]) -> Result<GlobSet, WalkError> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let compiled =
            Glob::new(glob.trim_start_matches("./")).map_err(|error| WalkError::BadGlob {
                glob: glob.clone(),
                message: error.kind().to_string(),
            })?;
        builder.add(compiled);
    }
    builder.build().map_err(|error| WalkError::BadGlob {
        glob: globs.join(", "),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_yaml_files_in_a_stable_order_and_skips_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b.yaml",
            "a.yml",
            "notes.txt",
            ".hidden/c.yaml",
            "sub/d.yaml",
            "drafts/e.yaml",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x: 1\n").unwrap();
        }
        let walked = walk(
            &[dir.path().to_path_buf()],
            &WalkOptions {
                exclude: vec!["**/drafts/**".to_string()],
                ..WalkOptions::default()
            },
        )
        .unwrap();
        let names: Vec<_> = walked
            .files
            .iter()
            .map(|(_, path)| {
                path.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.yml", "b.yaml", "sub/d.yaml"]);
    }

    #[test]
    fn a_named_file_the_configuration_rules_out_is_skipped_with_why() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["decisions/a.yaml", "decisions/drafts/b.yaml", "notes.yaml"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x: 1\n").unwrap();
        }
        let named = |name: &str| dir.path().join(name);
        let walked = walk(
            &[
                named("decisions/a.yaml"),
                named("decisions/drafts/b.yaml"),
                named("notes.yaml"),
            ],
            &WalkOptions {
                exclude: vec!["**/drafts/**".to_string()],
                within: Some(vec![named("decisions")]),
            },
        )
        .unwrap();
        assert_eq!(walked.files.len(), 1);
        assert!(walked.files[0].0.ends_with("decisions/a.yaml"));
        let reasons: Vec<&str> = walked.skipped.iter().map(|(_, why)| why.as_str()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].contains("excludes it (`**/drafts/**`)"));
        assert!(reasons[1].contains("outside the configured paths"));
    }

    #[test]
    fn a_missing_path_is_an_error() {
        let error = walk(&[PathBuf::from("/no/such/place")], &WalkOptions::default()).unwrap_err();
        assert_eq!(error.to_string(), "`/no/such/place` does not exist");
    }

    #[cfg(unix)]
    #[test]
    fn link_loops_are_reported_not_followed_forever() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::fs::write(dir.path().join("sub/a.yaml"), "x: 1\n").unwrap();
        let walked = walk(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap();
        assert_eq!(walked.files.len(), 1);
        assert!(walked.errors[0].1.contains("loops back"));
    }
}
