//! Finding lists shared by the s.5 draft and the no-report note: good-practice points, waived
//! findings and problems with the record itself, each kept apart from the grounds of a report.

use std::fmt::Write as _;

use crate::finding::Finding;

use super::{cell, code, prose, severity_words};

/// Where a finding points, as a reader can look it up: `file:line`, and the field.
pub(super) fn place(finding: &Finding) -> String {
    if finding.path.is_empty() {
        format!("{}:{}", cell(&finding.file), finding.line)
    } else {
        format!(
            "{} ({}:{})",
            code(&finding.path),
            cell(&finding.file),
            finding.line
        )
    }
}

/// Warnings and info: what the checker found, where, and the suggested step.
pub(super) fn good_practice(findings: &[&Finding]) -> String {
    table(findings, "Point", "Suggested step", |finding| {
        prose(&finding.help)
    })
}

/// Errors of rules that rest on a code of practice, the office's policy or good practice:
/// what each rests on, so that none reads as a breach of the law.
pub(super) fn other_matters(findings: &[&Finding]) -> String {
    table(findings, "Matter", "Rests on", |finding| {
        let basis = if finding.basis.is_empty() {
            String::new()
        } else {
            format!(": {}", cell(&finding.basis.join("; ")))
        };
        format!("{}{basis}", finding.kind.words())
    })
}

/// Waived findings with the waiver's reason and approver, as the record gives them.
pub(super) fn waived(findings: &[&Finding]) -> String {
    table(
        findings,
        "Finding",
        "Waiver (reason and approver)",
        |finding| cell(finding.waiver.as_deref().unwrap_or("not given")),
    )
}

/// Findings the baseline accepts as history, with its reason, approver and date.
pub(super) fn baselined(findings: &[&Finding]) -> String {
    table(
        findings,
        "Finding",
        "Baseline (reason, approver and date)",
        |finding| cell(finding.baseline.as_deref().unwrap_or("not given")),
    )
}

/// A table of findings: rule, level, message, place, and one column of the caller's.
fn table(
    findings: &[&Finding],
    message_heading: &str,
    last_heading: &str,
    last: impl Fn(&Finding) -> String,
) -> String {
    if findings.is_empty() {
        return "None.\n".to_string();
    }
    let mut out = format!(
        "| Rule | Level | {message_heading} | Where | {last_heading} |\n|---|---|---|---|---|\n"
    );
    for finding in findings {
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} | {} |",
            finding.rule,
            finding.name,
            severity_words(finding.severity),
            prose(&finding.message),
            place(finding),
            last(finding)
        );
    }
    out
}

/// Problems with the record itself, as a list: each one must be fixed before the record can
/// be relied on.
pub(super) fn record_problems(findings: &[&Finding]) -> String {
    if findings.is_empty() {
        return "None.\n".to_string();
    }
    let mut out = String::new();
    for finding in findings {
        let _ = writeln!(
            out,
            "- **{} {}**: {}, at {}. {}",
            finding.rule,
            finding.name,
            prose(&finding.message),
            place(finding),
            prose(&finding.help)
        );
    }
    out
}
