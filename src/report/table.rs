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

    /// For each column but the finding's, its longest word: the narrowest it may be drawn
    /// without cutting a word (a path or a rule name is one word).
    fn longest_words(&self) -> [usize; 4] {
        [&self.location, &self.record, &self.rule, &self.severity].map(|cell| longest_word(cell))
    }
}

impl Reporter for Table {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if !self.style.quiet && !run.findings.is_empty() {
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
        .set_header(["Location", "Record", "Rule", "Severity", "Finding"]);
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
    use super::wrap;

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
