//! `--format table`: one row per finding, for a terminal or a paste into a spreadsheet.

use std::io::{self, Write};

use comfy_table::{presets, ContentArrangement, Table as ComfyTable};

use super::{Reporter, Run, Style};
use crate::text::{clip, terminal, VALUE_LIMIT};

pub struct Table {
    pub style: Style,
}

impl Reporter for Table {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if !self.style.quiet && !run.findings.is_empty() {
            let mut table = ComfyTable::new();
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_header(["Location", "Record", "Rule", "Severity", "Finding"]);
            if self.style.terminal {
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(u16::try_from(self.style.width).unwrap_or(u16::MAX));
            }
            for finding in run.findings {
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
            // Line by line: printed whole, the table would first be copied into one string.
            for line in table.lines() {
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out, "{}", run.summary_line())
    }
}
