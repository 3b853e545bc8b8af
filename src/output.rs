//! Writing an output file: through a temporary file and a rename, so a reader never sees
//! half a report, and never over a decision record.

use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("`{0}` looks like a decision record (.yaml/.yml); mocheck never writes over a record, so choose another output file")]
    WouldOverwriteRecord(String),
    #[error("could not write `{path}`: {message}")]
    Io { path: String, message: String },
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomically_with(path, |out| out.write_all(bytes))
}

/// Streams the output into a temporary file beside `path`, then renames it into place.
pub fn write_atomically_with(
    path: &Path,
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
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temporary = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let mut buffered = std::io::BufWriter::new(temporary);
    write(&mut buffered).map_err(io)?;
    let temporary = buffered
        .into_inner()
        .map_err(|error| io(error.into_error()))?;
    temporary.as_file().sync_all().map_err(io)?;
    temporary.persist(path).map_err(|error| io(error.error))?;
    Ok(())
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
            write_atomically(&record, b"x"),
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
        write_atomically(&target, b"{}\n").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"{}\n");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }
}
