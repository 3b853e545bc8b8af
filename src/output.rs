//! Writing an output file: through a temporary file and a rename, so a reader never sees
//! half a report; never over an input of the run (a record, the configuration, a rules
//! file), found by identity, not by name; never over anything but a regular file.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("`{0}` looks like a decision record (.yaml/.yml); mocheck never writes over a record, so choose another output file")]
    WouldOverwriteRecord(String),
    #[error("`{0}` is one of the files this run reads (a record, the configuration or a rules file); mocheck never writes over its inputs, so choose another output file")]
    WouldOverwriteInput(String),
    #[error("`{0}` is not a regular file (a folder, a device, a pipe or a link to one); mocheck only replaces regular files, so choose a file name, or `-` for standard output")]
    NotAFile(String),
    #[error("`{0}` is a link to a file that does not exist; give the file's own name, or another output file")]
    DanglingLink(String),
    #[error("could not write `{path}`: {message}")]
    Io { path: String, message: String },
}

/// Writes `bytes` to `path` atomically; `inputs` are the files the run read.
pub fn write_atomically(path: &Path, inputs: &[&Path], bytes: &[u8]) -> Result<(), OutputError> {
    write_atomically_with(path, inputs, |out| out.write_all(bytes))
}

/// Streams the output into a temporary file beside the target, then renames it into place.
/// A target that is a link to a regular file is replaced where the link points, and the
/// link kept. An existing file keeps its permissions; a new one gets the usual ones (the
/// process's umask applied), not a temporary file's owner-only mode.
pub fn write_atomically_with(
    path: &Path,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let shown = crate::load::shown(path);
    let is_record = matches!(path.extension().and_then(|ext| ext.to_str()),
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"));
    if is_record {
        return Err(OutputError::WouldOverwriteRecord(shown));
    }
    let io = |error: std::io::Error| OutputError::Io {
        path: shown.clone(),
        message: crate::load::plain_io(&error),
    };
    let (target, existing) = match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => (path.to_path_buf(), None),
        Err(error) => return Err(io(error)),
        Ok(own) => {
            // Follows links, so the identity and kind are those of the file itself.
            let metadata = match std::fs::metadata(path) {
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    return Err(OutputError::DanglingLink(shown));
                }
                other => other.map_err(io)?,
            };
            if !metadata.is_file() {
                return Err(OutputError::NotAFile(shown));
            }
            if is_input(&metadata, path, inputs) {
                return Err(OutputError::WouldOverwriteInput(shown));
            }
            let target = if own.file_type().is_symlink() {
                std::fs::canonicalize(path).map_err(io)?
            } else {
                path.to_path_buf()
            };
            (target, Some(metadata.permissions()))
        }
    };
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mocheck-");
    if let Some(permissions) = &existing {
        builder.permissions(permissions.clone());
    } else {
        default_permissions(&mut builder);
    }
    let temporary = builder.tempfile_in(dir).map_err(io)?;
    if let Some(permissions) = existing {
        // Set again: the mode given at creation was narrowed by the umask.
        temporary
            .as_file()
            .set_permissions(permissions)
            .map_err(io)?;
    }
    let mut buffered = std::io::BufWriter::new(temporary);
    write(&mut buffered).map_err(io)?;
    let temporary = buffered
        .into_inner()
        .map_err(|error| io(error.into_error()))?;
    temporary.as_file().sync_all().map_err(io)?;
    temporary
        .persist(&target)
        .map_err(|error| io(error.error))?;
    Ok(())
}

/// Read and write for everyone, before the umask: what any program's new file gets.
#[cfg(unix)]
fn default_permissions(builder: &mut tempfile::Builder) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn default_permissions(_builder: &mut tempfile::Builder) {}

/// Whether the file is one of `inputs`: the same device and inode, links resolved, so a
/// second name or a hard link of an input is caught too.
#[cfg(unix)]
fn is_input(target: &std::fs::Metadata, _path: &Path, inputs: &[&Path]) -> bool {
    use std::os::unix::fs::MetadataExt;
    let identity = (target.dev(), target.ino());
    inputs.par_iter().any(|input| {
        std::fs::metadata(input).is_ok_and(|metadata| (metadata.dev(), metadata.ino()) == identity)
    })
}

/// Without inodes, the same file is the same canonical path.
#[cfg(not(unix))]
fn is_input(_target: &std::fs::Metadata, path: &Path, inputs: &[&Path]) -> bool {
    let Ok(target) = std::fs::canonicalize(path) else {
        return false;
    };
    inputs
        .par_iter()
        .any(|input| std::fs::canonicalize(input).is_ok_and(|input| input == target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_write_over_a_record() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("WPCC4-0001.yaml");
        std::fs::write(&record, "reference: WPCC4-0001\n").unwrap();
        assert!(matches!(
            write_atomically(&record, &[], b"x"),
            Err(OutputError::WouldOverwriteRecord(_))
        ));
        assert_eq!(
            std::fs::read_to_string(&record).unwrap(),
            "reference: WPCC4-0001\n"
        );
    }

    #[test]
    fn writes_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("findings.json");
        write_atomically(&target, &[], b"{}\n").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"{}\n");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn refuses_an_input_under_another_name() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("notes.txt");
        std::fs::write(&input, "reference: X\n").unwrap();
        let link = dir.path().join("other.txt");
        std::fs::hard_link(&input, &link).unwrap();
        assert!(matches!(
            write_atomically(&link, &[&input], b"x"),
            Err(OutputError::WouldOverwriteInput(_))
        ));
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "reference: X\n");
    }
}
