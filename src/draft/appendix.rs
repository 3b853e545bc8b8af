//! Finding lists shared by the s.5 draft and the no-report note: good-practice points, waived
//! findings and problems with the record itself, each kept apart from the grounds of a report.

use std::fmt::Write as _;

use crate::finding::Finding;

use super::{capitalised, cell, code, duties, prose, severity_words};

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
    table(findings, "Point", "Rests on", |finding| {
        finding.kind.words().to_string()
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

/// A table of findings: the duty in words, level, message, and one column of the caller's.
/// Rule ids and places are in the appendix "Where this comes from in the record".
fn table(
    findings: &[&Finding],
    message_heading: &str,
    last_heading: &str,
    last: impl Fn(&Finding) -> String,
) -> String {
    if findings.is_empty() {
        return "None.\n".to_string();
    }
    let mut out =
        format!("| Duty | Level | {message_heading} | {last_heading} |\n|---|---|---|---|\n");
    for finding in findings {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&duties::heading(finding, None)),
            severity_words(finding.severity),
            capitalised(&prose(&finding.message)),
            last(finding)
        );
    }
    out
}

/// The appendix for the office's staff: every finding with its rule, field and place in the
/// file, and how to correct the record; then the notes meant for the monitoring officer.
pub(super) fn sources(findings: &[&Finding], notes: &[(String, String)]) -> String {
    let mut out = String::from(
        "For the office's staff: each finding above with the rule that found it and where it \
         is in the decision record, and how to correct the record if it is wrong.\n\n",
    );
    if findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str(
            "| Rule | Field and place | Finding | To correct the record |\n|---|---|---|---|\n",
        );
        for finding in findings {
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} |",
                finding.rule,
                finding.name,
                place(finding),
                prose(&finding.message),
                prose(&finding.help)
            );
        }
    }
    if !notes.is_empty() {
        out.push_str(
            "\n**Notes for the monitoring officer** on how the rules read the record:\n\n",
        );
        for (rule, note) in notes {
            let _ = writeln!(out, "- {rule}: {}", prose(note));
        }
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
            "- **{}**: {}.",
            duties::heading(finding, None),
            prose(&finding.message)
        );
    }
    out
}
