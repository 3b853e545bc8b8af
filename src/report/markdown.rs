//! `--format markdown`: a table of findings that a person pastes into a committee paper or an
//! issue, with a sentence saying what was checked. Waived findings stay in the table, marked.
//! Record text is escaped (see `crate::text`), so it reads as written and carries no markup.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{plural, Reporter, Run, Style};
use crate::finding::Finding;
use crate::text::{clip, markdown, markdown_code, markdown_message, MESSAGE_LIMIT, VALUE_LIMIT};

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
        markdown(run.ruleset_name),
        markdown(run.ruleset_version),
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
    if counts.baselined > 0 {
        let _ = write!(
            found,
            "{} {} accepted as history by the baseline",
            if counts.waived > 0 {
                " and"
            } else {
                ", besides"
            },
            plural(counts.baselined, "finding")
        );
    }
    found.push('.');
    found
}

fn row(finding: &Finding) -> String {
    let severity = if finding.waived {
        format!("{} (waived)", finding.severity)
    } else if finding.baselined {
        format!("{} (baselined)", finding.severity)
    } else {
        finding.severity.to_string()
    };
    let mut text = markdown_message(&finding.message);
    if let Some(waiver) = finding.waiver.as_deref().filter(|_| finding.waived) {
        let _ = write!(
            text,
            " *Waived: {}*",
            markdown(clip(waiver.trim(), MESSAGE_LIMIT).as_ref())
        );
    }
    if let Some(baseline) = finding.baseline.as_deref().filter(|_| finding.baselined) {
        let _ = write!(
            text,
            " *Accepted as history by the baseline: {}*",
            markdown(clip(baseline.trim(), MESSAGE_LIMIT).as_ref())
        );
    }
    format!(
        "| {} | {} {} | {} | {} | {} |",
        markdown(&clip(finding.record.as_deref().unwrap_or(""), VALUE_LIMIT)),
        markdown(&finding.rule),
        markdown(&finding.name),
        severity,
        markdown_code(&format!(
            "{}:{}:{}",
            finding.file, finding.line, finding.column
        )),
        text
    )
}
