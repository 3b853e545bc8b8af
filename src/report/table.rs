//! `--format table`: one row per finding, for a terminal or a paste into a spreadsheet.

use std::io::{self, Write};

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table as ComfyTable, Width};

use super::{Reporter, Run, Style};
use crate::finding::Finding;
use crate::text::{clip, terminal, VALUE_LIMIT};

pub struct Table {
    pub style: Style,
}

/// Findings laid out at a time when the output is not a terminal: a table of every finding
/// at once held several copies of a long run's findings in memory.
const CHUNK: usize = 4096;

/// The space comfy-table puts either side of a cell's text.
const PADDING: u16 = 2;

impl Reporter for Table {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if !self.style.quiet && !run.findings.is_empty() {
            if self.style.terminal {
                // Fitted to the terminal's width, which needs every row at once.
                let mut table = table_of(run.findings, true);
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(u16::try_from(self.style.width).unwrap_or(u16::MAX));
                write_lines(out, &table, 0, 0)?;
            } else {
                write_in_chunks(out, run.findings, CHUNK)?;
            }
        }
        writeln!(out, "{}", run.summary_line())
    }
}

/// The same bytes as one table of every finding: each column as wide as its widest cell in
/// any chunk, and the borders between chunks left out.
fn write_in_chunks(out: &mut dyn Write, findings: &[Finding], chunk: usize) -> io::Result<()> {
    let mut widths: Vec<u16> = Vec::new();
    for (index, part) in findings.chunks(chunk).enumerate() {
        let chunk_widths = table_of(part, index == 0).column_max_content_widths();
        widths.resize(chunk_widths.len(), 0);
        for (width, chunk_width) in widths.iter_mut().zip(chunk_widths) {
            *width = (*width).max(chunk_width);
        }
    }
    let chunks = findings.chunks(chunk).count();
    for (index, part) in findings.chunks(chunk).enumerate() {
        let mut table = table_of(part, index == 0);
        table.set_constraints(
            widths.iter().map(|width| {
                ColumnConstraint::Absolute(Width::Fixed(width.saturating_add(PADDING)))
            }),
        );
        // Only the first chunk has the header; a later one's first line is its top border,
        // and only the last chunk's bottom border is printed.
        let (skip_first, skip_last) = (usize::from(index > 0), usize::from(index + 1 < chunks));
        write_lines(out, &table, skip_first, skip_last)?;
    }
    Ok(())
}

/// The table's lines, less the first `skip_first` and the last `skip_last` lines.
fn write_lines(
    out: &mut dyn Write,
    table: &ComfyTable,
    skip_first: usize,
    skip_last: usize,
) -> io::Result<()> {
    let lines: Vec<String> = table.lines().collect();
    let end = lines.len().saturating_sub(skip_last);
    for line in lines.get(skip_first..end).unwrap_or_default() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// One row per finding, under the header when `header`.
fn table_of(findings: &[Finding], header: bool) -> ComfyTable {
    let mut table = ComfyTable::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if header {
        table.set_header(["Location", "Record", "Rule", "Severity", "Finding"]);
    }
    for finding in findings {
        let severity = if finding.waived {
            format!("{} (waived)", finding.severity)
        } else {
            finding.severity.to_string()
        };
        // Record text reaches a terminal: hidden characters are shown, not obeyed.
        table.add_row([
            terminal(&format!(
                "{}:{}:{}",
                finding.file, finding.line, finding.column
            ))
            .into_owned(),
            terminal(&clip(
                finding.record.as_deref().unwrap_or_default(),
                VALUE_LIMIT,
            ))
            .into_owned(),
            terminal(&format!("{} {}", finding.rule, finding.name)).into_owned(),
            severity,
            terminal(&finding.message).into_owned(),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::{table_of, write_in_chunks};
    use crate::report::json::tests::finding;

    #[test]
    fn a_table_in_chunks_is_the_table_of_every_finding() {
        // The widest cells of each column fall in different chunks.
        let findings = [
            finding(Some("A-1"), &[], "short", false),
            finding(Some("A-2-with-a-much-longer-reference"), &[], "short", true),
            finding(
                None,
                &[],
                "a message longer than every other one here",
                false,
            ),
            finding(Some("A-4"), &[], "mid-length message", false),
            finding(Some("A-5"), &[], "x", false),
        ];
        let whole: String = table_of(&findings, true)
            .lines()
            .map(|line| line + "\n")
            .collect();
        for chunk in 1..=6 {
            let mut out = Vec::new();
            write_in_chunks(&mut out, &findings, chunk).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "chunks of {chunk}");
        }
    }
}
