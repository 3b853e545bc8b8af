//! `--format table`: one row per finding, for a terminal or a paste into a spreadsheet. On a
//! terminal the table fits its width by wrapping only the finding's words: a path or a rule
//! name cut in two cannot be copied or searched for. When even that cannot fit, each finding
//! is shown as a short block instead.

use std::io::{self, Write};

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table as ComfyTable, Width};

use super::{Reporter, Run, Style};
use crate::finding::Finding;
use crate::text::{clip, terminal, VALUE_LIMIT};

pub struct Table {
    pub style: Style,
}

/// The narrowest the finding's column may be before blocks read better than a table.
const FINDING_WIDTH: usize = 24;
/// What the borders and padding of five columns take.
const BORDERS: usize = 16;

/// A finding's cells, as shown: record text reaches a terminal, so hidden characters are
/// shown, not obeyed.
struct Row {
    location: String,
    record: String,
    rule: String,
    severity: String,
    message: String,
}

impl Row {
    fn of(finding: &Finding) -> Row {
        Row {
            location: terminal(&format!(
                "{}:{}:{}",
                finding.file, finding.line, finding.column
            ))
            .into_owned(),
            record: terminal(&clip(
                finding.record.as_deref().unwrap_or_default(),
                VALUE_LIMIT,
            ))
            .into_owned(),
            rule: terminal(&format!("{} {}", finding.rule, finding.name)).into_owned(),
            severity: if finding.waived {
                format!("{} (waived)", finding.severity)
            } else if finding.baselined {
                format!("{} (baselined)", finding.severity)
            } else {
                finding.severity.to_string()
            },
            message: terminal(&finding.message).into_owned(),
        }
    }

    fn cells(&self) -> [&str; 5] {
        [
            &self.location,
            &self.record,
            &self.rule,
            &self.severity,
            &self.message,
        ]
    }

    /// For each column but the finding's, its longest word: the narrowest it may be drawn
    /// without cutting a word (a path or a rule name is one word).
    fn longest_words(&self) -> [usize; 4] {
        [&self.location, &self.record, &self.rule, &self.severity].map(|cell| longest_word(cell))
    }
}

impl Reporter for Table {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if !self.style.quiet && !run.findings.is_empty() && !self.style.terminal {
            write_streamed(out, || run.findings.iter().map(Row::of))?;
        } else if !self.style.quiet && !run.findings.is_empty() {
            let rows: Vec<Row> = run.findings.iter().map(Row::of).collect();
            let mut narrowest = [
                "Location".len(),
                "Record".len(),
                "Rule".len(),
                "Severity".len(),
            ];
            for row in &rows {
                for (widest, width) in narrowest.iter_mut().zip(row.longest_words()) {
                    *widest = (*widest).max(width);
                }
            }
            let needed = narrowest.iter().sum::<usize>() + BORDERS + FINDING_WIDTH;
            if self.style.terminal && needed > self.style.width {
                write_blocks(out, &rows, self.style.width)?;
            } else {
                writeln!(out, "{}", table(&rows, self.style, narrowest))?;
            }
        }
        writeln!(out, "{}", run.summary_line())
    }
}

fn longest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(|word| word.chars().count())
        .max()
        .unwrap_or(0)
}

/// The table; on a terminal, columns wrap at spaces only, never narrower than their
/// longest word.
fn table(rows: &[Row], style: Style, narrowest: [usize; 4]) -> ComfyTable {
    let mut table = ComfyTable::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_header(HEADER);
    if style.terminal {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(style.width).unwrap_or(u16::MAX));
        for (index, width) in narrowest.into_iter().enumerate() {
            if let Some(column) = table.column_mut(index) {
                // comfy-table's widths include the cell's padding, one space either side.
                let width = u16::try_from(width + 2).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(width)));
            }
        }
    }
    for row in rows {
        table.add_row([
            row.location.as_str(),
            row.record.as_str(),
            row.rule.as_str(),
            row.severity.as_str(),
            row.message.as_str(),
        ]);
    }
    table
}

const HEADER: [&str; 5] = ["Location", "Record", "Rule", "Severity", "Finding"];

/// The table for a file or a pipe, where rows are never wrapped: the widths are measured in
/// one pass and the rows written in a second, each made and dropped in turn, so a run of a
/// hundred thousand findings holds no table in memory. It draws what comfy-table draws for
/// the terminal (the same preset), so both read alike.
fn write_streamed<I: Iterator<Item = Row>>(
    out: &mut dyn Write,
    rows: impl Fn() -> I,
) -> io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let mut widths = HEADER.map(UnicodeWidthStr::width);
    for row in rows() {
        for (width, cell) in widths.iter_mut().zip(row.cells()) {
            *width = (*width).max(cell.width());
        }
    }
    let rule = |left: &str, fill: &str, middle: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|width| fill.repeat(width + 2)).collect();
        format!("{left}{}{right}\n", parts.join(middle))
    };
    let line = |cells: [&str; 5]| {
        let mut text = String::from("│");
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            text.push(' ');
            text.push_str(cell);
            text.push_str(&" ".repeat(width - cell.width() + 1));
            text.push_str(if index == 4 { "│\n" } else { "┆" });
        }
        text
    };
    out.write_all(rule("┌", "─", "┬", "┐").as_bytes())?;
    out.write_all(line(HEADER).as_bytes())?;
    out.write_all(rule("╞", "═", "╪", "╡").as_bytes())?;
    for row in rows() {
        out.write_all(line(row.cells()).as_bytes())?;
    }
    out.write_all(rule("└", "─", "┴", "┘").as_bytes())
}

/// Each finding as a block, for a terminal too narrow for the table:
/// the location, then record, rule and severity, then the finding wrapped at words.
fn write_blocks(out: &mut dyn Write, rows: &[Row], width: usize) -> io::Result<()> {
    for row in rows {
        writeln!(out, "{}", row.location)?;
        let mut about = vec![row.rule.as_str(), row.severity.as_str()];
        if !row.record.is_empty() {
            about.insert(0, row.record.as_str());
        }
        for text in [about.join(" · ").as_str(), row.message.as_str()] {
            for line in wrap(text, width.saturating_sub(2)) {
                writeln!(out, "  {line}")?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Words filled into lines of at most `width` characters; a word longer than that stays
/// whole on its own line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_table_draws_what_comfy_table_draws() {
        let row = |cells: [&str; 5]| Row {
            location: cells[0].to_string(),
            record: cells[1].to_string(),
            rule: cells[2].to_string(),
            severity: cells[3].to_string(),
            message: cells[4].to_string(),
        };
        let rows = || {
            [
                row([
                    "d/a.yaml:1:1",
                    "T-1",
                    "MO010 ce-advice-recorded",
                    "error",
                    "no advice",
                ]),
                row([
                    "d/£é.yaml:12:3",
                    "決定-7",
                    "MO091 unknown-field",
                    "warning (waived)",
                    "`x` is not a field 🙂",
                ]),
                row(["d/b.yaml:0:0", "", "MO090 unreadable-record", "error", ""]),
            ]
            .into_iter()
        };
        let mut streamed = Vec::new();
        write_streamed(&mut streamed, rows).unwrap();
        let style = Style {
            color: false,
            terminal: false,
            width: 100,
            quiet: false,
        };
        let drawn = format!("{}\n", table(&rows().collect::<Vec<_>>(), style, [0; 4]));
        assert_eq!(String::from_utf8(streamed).unwrap(), drawn);
    }

    #[test]
    fn wrapping_breaks_only_between_words() {
        assert_eq!(
            wrap("the CFO signed off late on 16 October", 12),
            ["the CFO", "signed off", "late on 16", "October"]
        );
        assert_eq!(
            wrap("see decisions/2026/a-very-long-name.yaml now", 10),
            ["see", "decisions/2026/a-very-long-name.yaml", "now"]
        );
    }
}
