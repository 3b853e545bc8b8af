//! Source snippets that stay small whatever the file. A diagnostic is shown through
//! [`Clipped`], which hands miette an excerpt instead of the file: only the lines its labels
//! are on (with one line of context), each long line cut to a window around the labels, every
//! hidden character written visibly, and the labels moved onto the excerpt. Lines are found
//! through [`Lines`], an index built once per file. No I/O here.

use std::fmt;
use std::ops::Range;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan,
    SpanContents,
};

use crate::text::{clip, push_visible, terminal, MESSAGE_LIMIT};

/// Lines of context shown around a label: miette's default, which both handlers use.
const CONTEXT: usize = 1;
/// Two labels this many lines apart or fewer share one snippet, with the lines between.
const JOIN: usize = 16;
/// A line of at most this many bytes is shown whole.
const WHOLE_LINE: usize = 200;
/// Characters shown before and after a label on a longer line.
const AROUND: usize = 40;
/// Characters of a long label shown; the rest of its text is left off.
const LABEL_WIDTH: usize = 60;
/// A label over more lines than this is shown on its first line only.
const LABEL_LINES: usize = 8;

/// A file's text with where each line starts, counted as the YAML parser counts lines
/// (`\n`, `\r\n` or a lone `\r`), so a snippet's line numbers are the finding's.
pub struct Lines<'t> {
    name: &'t str,
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(name: &'t str, text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (index, byte) in bytes.iter().enumerate() {
            if *byte == b'\n' || (*byte == b'\r' && bytes.get(index + 1) != Some(&b'\n')) {
                starts.push(index + 1);
            }
        }
        Lines { name, text, starts }
    }

    pub fn name(&self) -> &'t str {
        self.name
    }

    /// The 0-based line an offset is on.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset) - 1
    }

    /// A line's text without its line break.
    fn content(&self, line: usize) -> Range<usize> {
        let start = self.starts[line];
        let end = self.starts.get(line + 1).map_or(self.text.len(), |next| {
            let mut end = *next;
            let bytes = self.text.as_bytes();
            if end > start && bytes[end - 1] == b'\n' {
                end -= 1;
            }
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            end
        });
        start..end
    }

    fn last_line(&self) -> usize {
        self.starts.len() - 1
    }

    /// The nearest character boundary at or before `offset`, within the text.
    fn floor(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// `count` characters before `offset`, stopping at `limit`.
    fn back(&self, offset: usize, count: usize, limit: usize) -> usize {
        self.text[limit..offset]
            .char_indices()
            .rev()
            .take(count)
            .last()
            .map_or(offset, |(index, _)| limit + index)
    }

    /// `count` characters after `offset`, stopping at `limit`.
    fn forward(&self, offset: usize, count: usize, limit: usize) -> usize {
        self.text[offset..limit]
            .char_indices()
            .nth(count)
            .map_or(limit, |(index, _)| offset + index)
    }
}

/// A diagnostic as miette should draw it: its texts with hidden characters shown, and its
/// snippets from an excerpt of the file, however long the file's lines.
pub struct Clipped<'d> {
    inner: &'d dyn Diagnostic,
    message: String,
    code: Option<String>,
    help: Option<String>,
    excerpt: Option<Excerpt>,
}

impl<'d> Clipped<'d> {
    /// `lines` is the text the diagnostic's labels point into; without it, no snippet.
    pub fn new(inner: &'d dyn Diagnostic, lines: Option<&Lines>) -> Self {
        let shown = |text: String| terminal(&clip(&text, MESSAGE_LIMIT)).into_owned();
        let labels: Vec<LabeledSpan> = inner.labels().map(Iterator::collect).unwrap_or_default();
        Clipped {
            inner,
            message: shown(inner.to_string()),
            code: inner.code().map(|code| shown(code.to_string())),
            help: inner.help().map(|help| shown(help.to_string())),
            excerpt: lines
                .filter(|_| !labels.is_empty())
                .map(|lines| Excerpt::new(lines, &labels)),
        }
    }
}

impl fmt::Debug for Clipped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Clipped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Clipped<'_> {}

impl Diagnostic for Clipped<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt
            .as_ref()
            .map(|excerpt| excerpt as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = self.excerpt.as_ref()?;
        Some(Box::new(excerpt.labels.iter().cloned()))
    }
}

/// The lines a diagnostic's snippets show, as one small text. Its lines come in blocks of
/// consecutive lines of the file; miette is told each block's extent (through `line_count`)
/// so that it joins labels of one block into one snippet and never reads across blocks.
struct Excerpt {
    name: String,
    text: String,
    lines: Vec<ExcerptLine>,
    labels: Vec<LabeledSpan>,
    /// (offset in the excerpt, character column in the file) of each label's start, for the
    /// place miette writes above a snippet.
    columns: Vec<(usize, usize)>,
}

struct ExcerptLine {
    /// Where the line starts and its text ends in the excerpt.
    start: usize,
    end: usize,
    /// Its 0-based number in the file.
    number: usize,
    /// The indexes of the first and last lines of its block.
    block: (usize, usize),
}

/// A label in the file, cut to what is shown.
struct Cut {
    start: usize,
    end: usize,
    first_line: usize,
    last_line: usize,
}

impl Excerpt {
    fn new(lines: &Lines, labels: &[LabeledSpan]) -> Self {
        let cuts: Vec<Cut> = labels.iter().map(|label| cut(lines, label)).collect();

        // Blocks of line numbers: each label's lines with context, joined when close.
        let mut ranges: Vec<(usize, usize)> = cuts
            .iter()
            .map(|cut| {
                (
                    cut.first_line.saturating_sub(CONTEXT),
                    (cut.last_line + CONTEXT).min(lines.last_line()),
                )
            })
            .collect();
        ranges.sort_unstable();
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        for (first, last) in ranges {
            match blocks.last_mut() {
                Some(block) if first <= block.1 + 1 + JOIN => block.1 = block.1.max(last),
                _ => blocks.push((first, last)),
            }
        }

        // The places each line must show: label starts and ends, in file offsets.
        let mut points: Vec<usize> = cuts.iter().flat_map(|cut| [cut.start, cut.end]).collect();
        points.sort_unstable();
        points.dedup();

        let mut excerpt = Excerpt {
            name: terminal(lines.name()).into_owned(),
            text: String::new(),
            lines: Vec::new(),
            labels: Vec::new(),
            columns: Vec::new(),
        };
        // File offset -> excerpt offset, for every point.
        let mut moved: Vec<(usize, usize)> = Vec::with_capacity(points.len());
        for (first, last) in blocks {
            let block_start = excerpt.lines.len();
            let block = (block_start, block_start + last - first);
            for number in first..=last {
                let content = lines.content(number);
                let on_line: Vec<usize> = points
                    .iter()
                    .copied()
                    .filter(|point| lines.line_of(*point) == number)
                    .collect();
                let start = excerpt.text.len();
                excerpt.push_line(lines, content.clone(), &on_line, &mut moved);
                let end = excerpt.text.len();
                // A point in the line break (a label at the end of a line) falls just after
                // the text; one at the very end of the file, at its end.
                for point in on_line.iter().filter(|point| **point > content.end) {
                    moved.push((*point, end + usize::from(number < lines.last_line())));
                }
                if number < lines.last_line() {
                    excerpt.text.push('\n');
                }
                excerpt.lines.push(ExcerptLine {
                    start,
                    end,
                    number,
                    block,
                });
            }
        }
        moved.sort_unstable();
        let place = |offset: usize| {
            moved
                .binary_search_by_key(&offset, |(from, _)| *from)
                .map_or(0, |index| moved[index].1)
        };
        for (label, cut) in labels.iter().zip(&cuts) {
            let start = place(cut.start);
            let end = place(cut.end).max(start);
            // A label of one character or more stays visible, even on an empty line.
            let length = if !label.inner().is_empty() && end == start {
                1
            } else {
                end - start
            };
            let text = label.label().map(|text| terminal(text).into_owned());
            excerpt.labels.push(if label.primary() {
                LabeledSpan::new_primary_with_span(text, (start, length))
            } else {
                LabeledSpan::new_with_span(text, (start, length))
            });
            let line_start = lines.starts[cut.first_line];
            let column = lines.text[line_start..cut.start.max(line_start)]
                .chars()
                .count();
            excerpt.columns.push((start, column));
        }
        excerpt.columns.sort_unstable();
        excerpt
    }

    /// Adds one line of the file: whole when short, else windows around `points` (or its
    /// start when it has none) joined by ellipses; hidden characters written visibly.
    fn push_line(
        &mut self,
        lines: &Lines,
        content: Range<usize>,
        points: &[usize],
        moved: &mut Vec<(usize, usize)>,
    ) {
        let windows: Vec<Range<usize>> = if content.len() <= WHOLE_LINE {
            vec![content.clone()]
        } else if points.iter().all(|point| *point > content.end) {
            let end = lines.forward(content.start, 2 * AROUND, content.end);
            std::iter::once(content.start..end).collect()
        } else {
            let mut windows: Vec<Range<usize>> = Vec::new();
            for point in points.iter().filter(|point| **point <= content.end) {
                let window = lines.back(*point, AROUND, content.start)
                    ..lines.forward(*point, AROUND, content.end);
                match windows.last_mut() {
                    Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
                    _ => windows.push(window),
                }
            }
            windows
        };
        for (index, window) in windows.iter().enumerate() {
            if index > 0 || window.start > content.start {
                self.text.push('…');
            }
            for (offset, character) in lines.text[window.clone()].char_indices() {
                let at = window.start + offset;
                if points.binary_search(&at).is_ok() {
                    moved.push((at, self.text.len()));
                }
                push_visible(&mut self.text, character);
            }
            if points.binary_search(&window.end).is_ok() {
                moved.push((window.end, self.text.len()));
            }
        }
        if windows
            .last()
            .is_some_and(|window| window.end < content.end)
        {
            self.text.push('…');
        }
    }

    /// The index of the excerpt line an offset is on.
    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|line| line.start <= offset)
            .saturating_sub(1)
    }
}

/// A label's place in the file, kept within the text, a long one cut to its first
/// `LABEL_WIDTH` characters and one over many lines to its first line.
fn cut(lines: &Lines, label: &LabeledSpan) -> Cut {
    let start = lines.floor(label.offset());
    let mut end = lines
        .floor(label.offset().saturating_add(label.len()))
        .max(start);
    let first_line = lines.line_of(start);
    let mut last_line = lines.line_of(end.saturating_sub(1).max(start));
    if last_line - first_line > LABEL_LINES {
        end = lines.content(first_line).end.max(start);
        last_line = first_line;
    }
    if last_line == first_line {
        let line_end = lines.content(first_line).end;
        if end <= line_end {
            end = end.min(lines.forward(start, LABEL_WIDTH, line_end));
        }
    }
    Cut {
        start,
        end,
        first_line,
        last_line,
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_at(span.offset());
        let last = self
            .line_at(
                (span.offset() + span.len())
                    .saturating_sub(1)
                    .max(span.offset()),
            )
            .max(first);
        let (block_first, block_last) = self.lines[first].block;
        let from = first.saturating_sub(context_lines_before).max(block_first);
        let to = (last.min(block_last) + context_lines_after).min(block_last);
        let start = if context_lines_before == 0 {
            span.offset().min(self.lines[first].end)
        } else {
            self.lines[from].start
        };
        let end = (self.lines[to].end + 1).min(self.text.len());
        let column = if context_lines_before == 0 {
            self.columns
                .binary_search_by_key(&span.offset(), |(offset, _)| *offset)
                .map_or(0, |index| self.columns[index].1)
        } else {
            0
        };
        let number = self.lines[from].number;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[start..end.max(start)],
            (start, end.max(start) - start).into(),
            if context_lines_before == 0 {
                self.lines[first].number
            } else {
                number
            },
            column,
            // Lines from here to the end of the block: miette joins the next label's snippet
            // to this one exactly when it starts within the same block.
            self.lines[block_last].number + 1 - number,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{GraphicalReportHandler, GraphicalTheme};

    #[derive(Debug, thiserror::Error, miette::Diagnostic)]
    #[error("{message}")]
    struct Problem {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    }

    fn render(text: &str, span: Range<usize>, message: &str) -> String {
        let problem = Problem {
            message: message.to_string(),
            span: (span.start, span.len()).into(),
            label: "here".to_string(),
        };
        let lines = Lines::new("x.yaml", text);
        let clipped = Clipped::new(&problem, Some(&lines));
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, &clipped)
            .unwrap();
        out
    }

    #[test]
    fn a_label_past_the_end_of_a_file_that_shrank_is_drawn_without_a_panic() {
        // The human format reads a file again to show its findings: it may have changed.
        let out = render("a: 1\n", 40..45, "the file changed");
        assert!(out.contains("the file changed"), "{out}");
    }

    #[test]
    fn a_label_far_along_a_line_is_shown_in_a_window() {
        let text = format!("{}: 1\nnext: 2\n", "k".repeat(70_000));
        let out = render(&text, 70_002..70_003, "far along");
        assert!(out.len() < 2_000, "{out}");
        assert!(out.contains("[x.yaml:1:70003]"), "{out}");
        assert!(
            out.contains("│ …kkkk") && out.contains("kkkk: 1\n"),
            "{out}"
        );
        assert!(out.contains("╰── here"), "{out}");
    }

    #[test]
    fn hidden_characters_in_snippets_and_messages_are_shown() {
        let text = "title: \"a\u{1b}]0;x\u{7}\"\nref: \u{1b}[2J\n";
        let out = render(text, 7..17, "bad \u{1b}[31m title");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("\\u{1b}]0;x\\u{7}"), "{out}");
        assert!(out.contains("bad \\u{1b}[31m title"), "{out}");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a: 1\rb: 2\rc: 3\r";
        let out = render(text, 5..6, "on b");
        assert!(out.contains("[x.yaml:2:1]"), "{out}");
        assert!(out.contains(" 2 │ b: 2"), "{out}");
    }

    #[test]
    fn a_label_at_the_end_of_the_file_is_shown() {
        let text = "a: [1, 2";
        let out = render(text, 8..9, "unclosed");
        assert!(out.contains("1 │ a: [1, 2"), "{out}");
    }
}
