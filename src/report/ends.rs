//! Where each place a finding points at ends, for the machine formats that draw a region
//! (SARIF's `endLine`/`endColumn`, GitHub annotations). A span keeps only where it starts in
//! lines and columns; the end needs the file's text, which a run does not keep for these
//! formats. So the text of each file with findings is asked of the run's source, in
//! parallel, one file at a time per core, and only the text inside each span is looked at.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::Run;
use crate::finding::Finding;
use crate::load::{SourceFile, Span};

/// The line and the column just after the last character of a span (1-based, characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    pub line: u32,
    pub column: u32,
}

/// For each finding, the end of each of its labels: `None` where it cannot be known (no
/// span, the file's text cannot be had, or it changed since it was checked).
pub fn ends(run: &Run) -> Vec<Vec<Option<End>>> {
    let files: HashMap<&str, &SourceFile> = run
        .files
        .iter()
        .map(|file| (file.display.as_str(), file))
        .collect();
    // Findings come file by file: each run of one file's findings is read with one read.
    let mut groups: Vec<&[Finding]> = Vec::new();
    let mut rest = run.findings;
    while let Some(first) = rest.first() {
        let length = rest
            .iter()
            .position(|finding| !same_file(&finding.file, &first.file))
            .unwrap_or(rest.len());
        let (group, after) = rest.split_at(length);
        groups.push(group);
        rest = after;
    }
    groups
        .par_iter()
        .flat_map_iter(|group| {
            let wanted = group
                .iter()
                .any(|finding| finding.labels.iter().any(|label| !label.span.is_empty()));
            let text = files
                .get(&*group[0].file)
                .filter(|_| wanted)
                .and_then(|file| run.sources.text(file));
            group.iter().map(move |finding| {
                finding
                    .labels
                    .iter()
                    .map(|label| text.as_deref().and_then(|text| end_of(text, label.span)))
                    .collect::<Vec<_>>()
            })
        })
        .collect()
}

fn same_file(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// The end of `span` in `text`, after checking that the span still starts where the check
/// saw it start; a file edited since then gives `None` rather than a wrong region.
pub fn end_of(text: &str, span: Span) -> Option<End> {
    if span.is_empty()
        || span.line == 0
        || span.end > text.len()
        || !text.is_char_boundary(span.start)
        || !text.is_char_boundary(span.end)
    {
        return None;
    }
    let line_start = text[..span.start]
        .rfind(['\n', '\r'])
        .map_or(0, |index| index + 1);
    let column = text[line_start..span.start].chars().count() + 1;
    if u32::try_from(column).ok()? != span.column {
        return None;
    }
    // Counted as the loader counts lines: `\n`, `\r\n` and a lone `\r` each end one.
    let inside = &text[span.start..span.end];
    let mut line = span.line;
    let mut column = span.column;
    let mut characters = inside.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\r' if characters.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line = line.checked_add(1)?;
                column = 1;
            }
            _ => column = column.checked_add(1)?,
        }
    }
    Some(End { line, column })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, part: &str, line: u32, column: u32) -> Span {
        let start = text.find(part).unwrap();
        Span {
            line,
            column,
            start,
            end: start + part.len(),
        }
    }

    #[test]
    fn a_value_on_one_line_ends_after_its_last_character() {
        let text = "title: x\ndecided_on: 2026-03-12\n";
        let span = span_of(text, "2026-03-12", 2, 13);
        assert_eq!(
            end_of(text, span),
            Some(End {
                line: 2,
                column: 23
            })
        );
    }

    #[test]
    fn columns_count_characters_and_lines_count_every_break() {
        let text = "a: £\r\nb: |\n  é1\r  é2\n";
        let span = span_of(text, "|\n  é1\r  é2", 2, 4);
        assert_eq!(end_of(text, span), Some(End { line: 4, column: 5 }));
        let pound = span_of(text, "£", 1, 4);
        assert_eq!(end_of(text, pound), Some(End { line: 1, column: 5 }));
    }

    #[test]
    fn a_file_changed_since_the_check_gives_no_end() {
        let text = "title: x\ndecided_on: 2026-03-12\n";
        let mut span = span_of(text, "2026-03-12", 2, 13);
        span.column = 12;
        assert_eq!(end_of(text, span), None);
        span.column = 13;
        span.end = text.len() + 5;
        assert_eq!(end_of(text, span), None);
    }
}
