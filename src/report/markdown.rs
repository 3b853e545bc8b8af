//! `--format markdown`: a table of findings that a person pastes into a committee paper or an
//! issue, with a sentence saying what was checked. Waived findings stay in the table, marked.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{plural, Reporter, Run, Style};
use crate::finding::Finding;

pub struct Markdown {
    pub style: Style,
}

impl Reporter for Markdown {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "## Decision record check\n")?;
        writeln!(out, "{}", summary(run))?;
        if self.style.quiet || run.findings.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "| Record | Rule | Severity | Where | Finding |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for finding in run.findings {
            writeln!(out, "{}", row(finding))?;
        }
        Ok(())
    }
}

/// "mocheck checked 15 records in 14 files against ... on 23 November 2026: 7 errors, ..."
fn summary(run: &Run) -> String {
    let counts = run.counts();
    let checked = format!(
        "mocheck checked {} in {} against the ruleset *{}* (version {}) on {}",
        plural(run.records, "decision record"),
        plural(run.files.len(), "file"),
        run.ruleset_name,
        run.ruleset_version,
        run.today.format("%-d %B %Y")
    );
    if run.findings.is_empty() {
        return format!("{checked} and found nothing to report.");
    }
    let mut found = format!(
        "{checked} and found {}, {} and {} info",
        plural(counts.error, "error"),
        plural(counts.warning, "warning"),
        counts.info
    );
    if counts.waived > 0 {
        let _ = write!(
            found,
            ", besides {} accepted under a waiver",
            plural(counts.waived, "finding")
        );
    }
    found.push('.');
    found
}

fn row(finding: &Finding) -> String {
    let severity = if finding.waived {
        format!("{} (waived)", finding.severity)
    } else {
        finding.severity.to_string()
    };
    let mut text = cell(&finding.message);
    if let Some(waiver) = finding.waiver.as_deref().filter(|_| finding.waived) {
        let _ = write!(text, " *Waived: {}*", cell(waiver.trim()));
    }
    format!(
        "| {} | {} {} | {} | {} | {} |",
        cell(finding.record.as_deref().unwrap_or("")),
        cell(&finding.rule),
        cell(&finding.name),
        severity,
        code(&format!(
            "{}:{}:{}",
            finding.file, finding.line, finding.column
        )),
        text
    )
}

/// Text for one table cell: a `|` would end the cell and a line break the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
}

/// A file location as code, so that `_` and `*` in a path are not read as emphasis.
fn code(text: &str) -> String {
    let fence = if text.contains('`') { "`` " } else { "`" };
    let close = if text.contains('`') { " ``" } else { "`" };
    format!("{fence}{}{close}", cell(text))
}
