//! `check --changed-since REF`: the files a branch changed, asked of `git`, so that a pull
//! request is told only about the records it touched. Records are still all checked (a
//! duplicate reference needs every record); only the findings are narrowed to these files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files changed since `reference` in the repository holding `dir`: committed since the
/// merge base, changed in the work tree or the index, and new files git does not ignore.
/// Paths are canonical, so they compare with any spelling of a record's path; a deleted file
/// has none and drops out, which is not an error.
pub fn files_changed_since(reference: &str, dir: &Path) -> Result<ChangedFiles, String> {
    let top = top_level(dir)?;
    // `REF...HEAD` would miss what is not committed yet; the merge base and a plain diff
    // against it give both.
    let base = git(dir, &["merge-base", reference, "HEAD"])
        .map_err(|error| format!("--changed-since `{reference}`: {error}"))?;
    let base = base.trim();
    let mut names = git(
        dir,
        &["diff", "--name-only", "--no-renames", "-z", base, "--"],
    )?;
    names.push_str(&git(
        dir,
        &["ls-files", "--others", "--exclude-standard", "-z"],
    )?);
    Ok(ChangedFiles(
        names
            .split('\0')
            .filter(|name| !name.is_empty())
            .filter_map(|name| top.join(name).canonicalize().ok())
            .collect(),
    ))
}

/// The changed files, by canonical path.
pub struct ChangedFiles(HashSet<PathBuf>);

impl ChangedFiles {
    /// Whether the file a finding points at is one of them.
    pub fn contains(&self, file: &str) -> bool {
        Path::new(file)
            .canonicalize()
            .is_ok_and(|path| self.0.contains(&path))
    }
}

/// The top folder of the git work tree holding `dir`.
pub fn top_level(dir: &Path) -> Result<PathBuf, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    Ok(PathBuf::from(top.trim_end_matches(['\n', '\r'])))
}

/// Runs git in `dir`; its own message when it fails.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|error| format!("git could not be run ({error}); --changed-since needs git"))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let message = message.lines().next().unwrap_or("git failed").trim();
        let message = message.strip_prefix("fatal: ").unwrap_or(message);
        return Err(format!("git says: {message}"));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| "git gave file names that are not UTF-8".to_string())
}
