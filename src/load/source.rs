//! Source files and positions: what a finding points at. No parsing here.

use std::path::PathBuf;
use std::sync::Arc;

/// A place in a source file: a byte range for snippets, and the 1-based line and column
/// (counted in characters, as editors do) for people and machine formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One file that was read: its path as the user should see it and, when kept, its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found by the walk, with `/` separators.
    pub display: String,
    pub path: PathBuf,
    /// The text; `None` for files whose text was dropped because nothing points into them.
    pub text: Option<Arc<str>>,
}

/// Converts the parser's character positions into byte offsets. Files are mostly ASCII, where
/// the two agree; otherwise a table of line starts lets each conversion walk one line only.
/// Only the parser's character index is used, never its line and column, so the offset is
/// right whatever the parser counts as a line break.
pub struct Positions<'a> {
    text: &'a str,
    ascii: bool,
    /// (character index, byte offset) of the start of each line, for non-ASCII text.
    line_starts: Vec<(usize, usize)>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let mut line_starts = Vec::new();
        if !ascii {
            line_starts.push((0, 0));
            for (char_index, (byte, character)) in text.char_indices().enumerate() {
                if character == '\n' {
                    line_starts.push((char_index + 1, byte + 1));
                }
            }
        }
        Positions {
            text,
            ascii,
            line_starts,
        }
    }

    /// The text positions are taken in.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Byte offset of a 0-based character index.
    pub fn byte_offset(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let line = self
            .line_starts
            .partition_point(|(start, _)| *start <= char_index)
            .saturating_sub(1);
        let (start_char, start_byte) = self.line_starts[line];
        let rest = &self.text[start_byte..];
        let within = rest
            .char_indices()
            .nth(char_index - start_char)
            .map_or(rest.len(), |(i, _)| i);
        start_byte + within
    }

    /// The 1-based line and column of a byte offset: see [`line_column`].
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        line_column(self.text, offset)
    }
}

/// Where each line after the first starts: after `\n`, and after a `\r` not followed by
/// `\n`, counted as the YAML parser counts them (`\r\n` is one break).
fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|(index, byte)| {
            **byte == b'\n' || (**byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        })
        .map(|(index, _)| index + 1)
}

/// The 1-based line and character column of a byte offset, for spans made outside the parser.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let (line, line_start) = line_breaks(text)
        .take_while(|start| *start <= offset)
        .fold((1, 0), |(line, _), start| (line + 1, start));
    let column = text[line_start..offset].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_yaml() {
        let text = "# £\rtitle: é\r\nreference: X\n";
        assert_eq!(line_column(text, text.find("title").unwrap()), (2, 1));
        assert_eq!(line_column(text, text.find("reference").unwrap()), (3, 1));
        // The `\n` of a `\r\n` is still on the line the `\r` ends.
        assert_eq!(line_column(text, text.find('\n').unwrap()), (2, 10));
    }

    #[test]
    fn byte_offsets_follow_character_indexes() {
        let text = "£\ré\nx\r\nü";
        let positions = Positions::new(text);
        for (char_index, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(positions.byte_offset(char_index), byte);
        }
        assert_eq!(positions.byte_offset(99), text.len());
    }
}
