//! The counting tables of the assurance summary: decisions by status, findings by rule, by
//! severity and by quarter of the decision date.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::finding::{Finding, Severity};

use super::assurance::Scope;
use super::{severity_words, AssuranceInput};

pub(super) fn by_status(out: &mut String, scope: &Scope) {
    out.push_str("## 2. Decisions by status\n\n| Status | Records |\n|---|---|\n");
    for (status, label) in [
        ("decided", "Decided"),
        ("proposed", "Proposed"),
        ("withdrawn", "Withdrawn"),
    ] {
        let number = scope
            .records
            .iter()
            .filter(|brief| brief.status() == Some(status))
            .count();
        let _ = writeln!(out, "| {label} | {number} |");
    }
    let other = scope
        .records
        .iter()
        .filter(|brief| !matches!(brief.status(), Some("decided" | "proposed" | "withdrawn")))
        .count();
    if other > 0 {
        let _ = writeln!(out, "| Not recorded | {other} |");
    }
    out.push('\n');
}

pub(super) fn by_rule(out: &mut String, input: &AssuranceInput, scope: &Scope) {
    out.push_str("## 3. Findings by rule\n\nEvery rule with at least one finding in scope.\n\n");
    let mut rules: BTreeMap<&str, (&Finding, usize, usize)> = BTreeMap::new();
    for finding in scope.all_findings() {
        let entry = rules.entry(&finding.rule).or_insert((finding, 0, 0));
        entry.1 += 1;
        entry.2 += usize::from(finding.waived);
    }
    if rules.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    out.push_str(
        "| Rule | Name | Severity | Findings | Of which waived |\n|---|---|---|---|---|\n",
    );
    for (rule, (first, total, waived)) in rules {
        let severity = input
            .ruleset
            .info(rule)
            .map_or(first.severity, |info| info.severity);
        let _ = writeln!(
            out,
            "| {rule} | {} | {} | {total} | {waived} |",
            first.name,
            severity_words(severity)
        );
    }
    out.push('\n');
}

pub(super) fn by_severity(out: &mut String, scope: &Scope) {
    out.push_str("## 4. Findings by severity\n\n| Severity | Not waived | Waived | Total |\n|---|---|---|---|\n");
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let (mut open, mut waived) = (0, 0);
        for finding in scope
            .all_findings()
            .filter(|finding| finding.severity == severity)
        {
            if finding.waived {
                waived += 1;
            } else {
                open += 1;
            }
        }
        let _ = writeln!(
            out,
            "| {} | {open} | {waived} | {} |",
            severity_words(severity),
            open + waived
        );
    }
    out.push('\n');
}

/// `2025 Q2`: calendar quarters, January to March being Q1.
fn quarter(date: NaiveDate) -> String {
    format!("{} Q{}", date.year(), date.month0() / 3 + 1)
}

#[derive(Default)]
struct QuarterRow {
    decisions: usize,
    with_errors: usize,
    counts: [usize; 4],
}

pub(super) fn by_quarter(out: &mut String, scope: &Scope) {
    out.push_str(
        "## 5. By quarter of the decision date\n\nCalendar quarters (Q1 is January to March). \
         Findings are counted unwaived by severity, with waived ones apart.\n\n\
         | Quarter | Decisions | With errors | Errors | Warnings | Info | Waived |\n\
         |---|---|---|---|---|---|---|\n",
    );
    // "~" sorts after digits, so undated rows come last.
    let undated = "~no decision date".to_string();
    let mut rows: BTreeMap<String, QuarterRow> = BTreeMap::new();
    let tally = |row: &mut QuarterRow, finding: &Finding| {
        let slot = match (finding.waived, finding.severity) {
            (true, _) => 3,
            (false, Severity::Error) => 0,
            (false, Severity::Warning) => 1,
            (false, Severity::Info) => 2,
        };
        row.counts[slot] += 1;
    };
    for (position, brief) in scope.records.iter().enumerate() {
        let key = brief
            .decided_on
            .map_or_else(|| undated.clone(), |day| quarter(day.date));
        let row = rows.entry(key).or_default();
        row.decisions += 1;
        row.with_errors += usize::from(scope.has_error(position));
        for finding in scope.findings_of(position) {
            tally(row, finding);
        }
    }
    for finding in &scope.unowned {
        tally(rows.entry(undated.clone()).or_default(), finding);
    }
    for (key, row) in rows {
        let label = key.trim_start_matches('~');
        let [errors, warnings, info, waived] = row.counts;
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {errors} | {warnings} | {info} | {waived} |",
            row.decisions, row.with_errors
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn quarters_are_calendar_quarters() {
        let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        assert_eq!(super::quarter(day(3, 31)), "2025 Q1");
        assert_eq!(super::quarter(day(4, 1)), "2025 Q2");
        assert_eq!(super::quarter(day(12, 31)), "2025 Q4");
    }
}
