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
/// the two agree; otherwise the line table lets each conversion walk one line only.
pub struct Positions<'a> {
    text: &'a str,
    ascii: bool,
    line_starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let line_starts = if ascii {
            Vec::new()
        } else {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        };
        Positions {
            text,
            ascii,
            line_starts,
        }
    }

    /// Byte offset of a 1-based line and 0-based character column.
    pub fn byte_offset(&self, char_index: usize, line: usize, char_column: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let line_start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let rest = &self.text[line_start..];
        let within = rest
            .char_indices()
            .nth(char_column)
            .map_or(rest.len(), |(i, _)| i);
        line_start + within
    }
}

/// The 1-based line and character column of a byte offset, for spans made outside the parser.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}
