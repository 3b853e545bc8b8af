//! Reading any file mocheck takes in (records, `mocheck.toml`, rules files): regular files
//! only, never more than a limit, and never a wait on a pipe. Paths shown to people come from
//! [`shown`], so two different files never look the same. Reads only; never writes.

use std::io::Read;
use std::path::Path;

/// The size limit for a file read when none is configured: 10 MB.
pub const DEFAULT_LIMIT: u64 = 10 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// The path names a folder, a pipe, a device or a socket.
    NotAFile(&'static str),
    /// The file is larger than the limit (in bytes) and was not read.
    TooBig(u64),
}

impl ReadError {
    /// Why, in plain words: "it does not exist", "it is a folder, not a file".
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(error) => plain_io(error),
            ReadError::NotAFile("a folder") => "it is a folder, not a file".to_string(),
            ReadError::NotAFile(kind) => format!("it is {kind}, not an ordinary file"),
            ReadError::TooBig(limit) => format!("it is larger than {} MB", limit / (1024 * 1024)),
        }
    }
}

/// Reads the regular file at `path` (links followed), at most `limit` bytes, refusing a
/// larger one before reading it whole. A pipe, device, socket or folder is refused without
/// being opened for reading, and the file is opened without blocking and checked again once
/// open, so a pipe put in its place in between cannot make the read wait forever.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    regular(&metadata)?;
    let file = open(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    regular(&metadata)?;
    if metadata.len() > limit {
        return Err(ReadError::TooBig(limit));
    }
    // Sized from the file's length so the buffer is not regrown as it fills; the length is
    // only a hint (a file can grow), so the read itself is bounded too.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len() + 1).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig(limit));
    }
    Ok(bytes)
}

/// A text file (`mocheck.toml`, a rules file) read whole, at most `limit` bytes; the error
/// is the reason in plain words, to follow "`path` could not be read: ".
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read_bounded(path, limit).map_err(|error| match error {
        ReadError::TooBig(limit) => format!(
            "it is larger than {} MB, the most mocheck reads from one file",
            limit / (1024 * 1024)
        ),
        other => other.reason(),
    })?;
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text; save it as UTF-8".to_string())
}

#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Opening a pipe for reading waits for a writer unless asked not to.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn regular(metadata: &std::fs::Metadata) -> Result<(), ReadError> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(ReadError::NotAFile("a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Err(ReadError::NotAFile("a named pipe"));
        }
        if kind.is_socket() {
            return Err(ReadError::NotAFile("a socket"));
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Err(ReadError::NotAFile("a device"));
        }
    }
    Err(ReadError::NotAFile("a special file"))
}

/// An input/output error in plain words, without the system's error number.
pub fn plain_io(error: &std::io::Error) -> String {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::ELOOP) {
        return "it is a link that loops back on itself".to_string();
    }
    match error.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        std::io::ErrorKind::NotADirectory => {
            "a part of the path that should be a folder is a file".to_string()
        }
        _ => {
            let text = error.to_string();
            // "Input/output error (os error 5)" -> "input/output error"
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut characters = text.chars();
            characters.next().map_or_else(String::new, |first| {
                first.to_lowercase().chain(characters).collect()
            })
        }
    }
}

/// A path as people should see it: `/` separators, no leading `./`, and every byte that is
/// not UTF-8 text, every control character and every backslash escaped (`\xff`, `\x1b`,
/// `\\`), so that two different paths never look the same and a name cannot move the cursor.
pub fn shown(path: &Path) -> String {
    let text = escaped(path);
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

#[cfg(unix)]
fn escaped(path: &Path) -> String {
    use std::fmt::Write as _;
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        for character in chunk.valid().chars() {
            match character {
                '\\' => out.push_str("\\\\"),
                _ if character.is_control() => {
                    let mut buffer = [0; 4];
                    for byte in character.encode_utf8(&mut buffer).bytes() {
                        let _ = write!(out, "\\x{byte:02x}");
                    }
                }
                _ => out.push(character),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

#[cfg(not(unix))]
fn escaped(path: &Path) -> String {
    // Windows paths are UTF-16; the rare unpaired surrogate shows as U+FFFD.
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_show_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let shown = |bytes: &[u8]| shown(Path::new(std::ffi::OsStr::from_bytes(bytes)));
        assert_eq!(shown(b"./d/\xff.yaml"), "d/\\xff.yaml");
        assert_eq!(shown(b"\xfe.yaml"), "\\xfe.yaml");
        assert_eq!(shown(b"\\xff.yaml"), "\\\\xff.yaml");
        assert_eq!(shown(b"a\nb\x1b.yaml"), "a\\x0ab\\x1b.yaml");
        assert_eq!(shown("décision é.yaml".as_bytes()), "décision é.yaml");
    }

    #[test]
    fn a_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_bounded(dir.path(), 100).unwrap_err();
        assert_eq!(error.reason(), "it is a folder, not a file");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, vec![b'a'; 101]).unwrap();
        assert!(matches!(
            read_bounded(&path, 100),
            Err(ReadError::TooBig(100))
        ));
        assert_eq!(read_bounded(&path, 101).unwrap().len(), 101);
    }
}
