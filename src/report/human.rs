//! `--format human`: each finding as a source snippet with labels, the rule's help and
//! basis, then a summary table by rule. For a chief executive at a terminal.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use comfy_table::{presets, Table};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use rayon::prelude::*;

use super::snippet::{Clipped, Lines};
use super::{Reporter, Run, SourceText, Style};
use crate::finding::{Finding, Severity};
use crate::load::SourceFile;

pub struct Human {
    pub style: Style,
}

impl Reporter for Human {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if !self.style.quiet {
            let theme = if self.style.color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            let handler = GraphicalReportHandler::new_themed(theme)
                .with_width(self.style.width)
                .with_links(false);
            // Looked up by name, not searched for: a run has up to hundreds of thousands.
            let files: HashMap<&str, &SourceFile> = run
                .files
                .iter()
                .map(|file| (file.display.as_str(), file))
                .collect();
            let texts = Texts {
                files,
                sources: run.sources,
            };
            // Rendered in batches on all cores, written in order; a few batches at a time,
            // so the text in memory stays small.
            for group in run.findings.chunks(BATCH * 8) {
                let batches: Vec<Result<String, fmt::Error>> = group
                    .par_chunks(BATCH)
                    .map(|batch| render_batch(&handler, &texts, batch))
                    .collect();
                for batch in batches {
                    let batch = batch.map_err(|error| io::Error::other(error.to_string()))?;
                    out.write_all(batch.as_bytes())?;
                }
            }
            if !run.findings.is_empty() {
                writeln!(out, "{}", summary_table(run))?;
            }
        }
        writeln!(out, "{}", run.summary_line())
    }
}

/// Findings rendered per batch, in parallel: a long run has tens of thousands.
const BATCH: usize = 512;

/// The snippets' text, from the run's source: asked for once per batch of a file's
/// findings, and let go after.
struct Texts<'r> {
    files: HashMap<&'r str, &'r SourceFile>,
    sources: &'r dyn SourceText,
}

impl Texts<'_> {
    /// The file's text; `None` (no snippet) for a file whose text cannot be had.
    fn of(&self, file: &str) -> Option<Arc<str>> {
        self.sources.text(self.files.get(file)?)
    }
}

/// Each finding's report and a blank line. A file's lines are indexed once per batch: findings
/// come file by file, and finding a file's lines again for each finding would be quadratic.
fn render_batch(
    handler: &GraphicalReportHandler,
    texts: &Texts,
    findings: &[Finding],
) -> Result<String, fmt::Error> {
    let mut rendered = String::new();
    for file_findings in findings.chunk_by(|a, b| a.file == b.file) {
        let file = &file_findings[0].file;
        let text = texts.of(file);
        let lines = text.as_deref().map(|text| Lines::new(file, text));
        for finding in file_findings {
            let diagnostic = FindingDiagnostic::new(finding);
            handler.render_report(&mut rendered, &Clipped::new(&diagnostic, lines.as_ref()))?;
            rendered.push('\n');
        }
    }
    Ok(rendered)
}

/// Findings by rule, most severe first; a "Baselined" column only when a baseline accepted any.
fn summary_table(run: &Run) -> Table {
    // Per rule: its name, and its findings open, waived and baselined.
    type Row<'f> = (&'f str, [usize; 3]);
    let mut by_rule: BTreeMap<(std::cmp::Reverse<Severity>, &str), Row> = BTreeMap::new();
    for finding in run.findings {
        let entry = by_rule
            .entry((std::cmp::Reverse(finding.severity), &finding.rule))
            .or_insert((&finding.name, [0; 3]));
        let column = match (finding.waived, finding.baselined) {
            (true, _) => 1,
            (false, true) => 2,
            (false, false) => 0,
        };
        entry.1[column] += 1;
    }
    let baselined = run.findings.iter().any(|finding| finding.baselined);
    let mut header = vec!["Rule", "Name", "Severity", "Findings", "Waived"];
    if baselined {
        header.push("Baselined");
    }
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_header(header);
    for ((severity, rule), (name, counts)) in by_rule {
        let mut row = vec![
            rule.to_string(),
            name.to_string(),
            severity.0.to_string(),
            counts[0].to_string(),
            counts[1].to_string(),
        ];
        if baselined {
            row.push(counts[2].to_string());
        }
        table.add_row(row);
    }
    table
}

/// A finding as miette sees it, with labels into the whole file: [`Clipped`] gives miette
/// the excerpt it draws.
struct FindingDiagnostic<'f> {
    finding: &'f Finding,
    help: String,
}

impl<'f> FindingDiagnostic<'f> {
    fn new(finding: &'f Finding) -> Self {
        let mut help = finding.help.to_string();
        if !finding.basis.is_empty() {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str("basis: ");
            help.push_str(&finding.basis.join("; "));
        }
        if let Some(waiver) = &finding.waiver {
            help.push_str("\nwaived: ");
            help.push_str(waiver);
        }
        if let Some(baseline) = finding.baseline.as_deref().filter(|_| finding.baselined) {
            help.push_str("\naccepted as history by the baseline: ");
            help.push_str(baseline);
        }
        FindingDiagnostic { finding, help }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.finding.waived {
            write!(f, "(waived) {}", self.finding.message)
        } else if self.finding.baselined {
            write!(f, "(baselined) {}", self.finding.message)
        } else {
            f.write_str(&self.finding.message)
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // The rule, then where the finding is: snippets are shown in file order, so the
        // primary place may not be the first one drawn.
        // The record's reference is named too: a file may hold several records, and a
        // chief executive knows a decision by its reference rather than its file.
        let finding = self.finding;
        let record = finding
            .record
            .as_deref()
            .map(|reference| format!(" on {}", crate::text::terminal(reference)))
            .unwrap_or_default();
        Some(Box::new(format!(
            "{} {}{record} at {}:{}:{}",
            finding.rule, finding.name, finding.file, finding.line, finding.column
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        let accepted = self.finding.waived || self.finding.baselined;
        Some(match (accepted, self.finding.severity) {
            (true, _) | (false, Severity::Info) => miette::Severity::Advice,
            (false, Severity::Warning) => miette::Severity::Warning,
            (false, Severity::Error) => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display + 'a>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self
            .finding
            .labels
            .iter()
            .enumerate()
            .map(|(index, label)| {
                let span = (label.span.start, label.span.len().max(1));
                if index == 0 {
                    LabeledSpan::new_primary_with_span(Some(label.text.clone()), span)
                } else {
                    LabeledSpan::new_with_span(Some(label.text.clone()), span)
                }
            });
        Some(Box::new(labels))
    }
}
