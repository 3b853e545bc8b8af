//! The counting tables of the assurance summary: decisions by status, findings by rule, by
//! severity and by quarter of the decision date.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::finding::{Finding, Severity};

use super::scope::Scope;
use super::{severity_words, AssuranceInput, QuarterStyle};

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

pub(super) const BY_RULE: &str = "3. Findings by rule";

pub(super) fn by_rule(out: &mut String, input: &AssuranceInput, scope: &Scope) {
    let _ = write!(
        out,
        "## {BY_RULE}\n\nEvery rule with at least one finding in scope.\n\n"
    );
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
    // "Not waived" is the number the HTML form's chart of this section draws.
    out.push_str(
        "| Rule | Name | Severity | Findings | Of which waived | Not waived |\n\
         |---|---|---|---|---|---|\n",
    );
    for (rule, (first, total, waived)) in rules {
        let severity = input
            .ruleset
            .info(rule)
            .map_or(first.severity, |info| info.severity);
        let _ = writeln!(
            out,
            "| {rule} | {} | {} | {total} | {waived} | {} |",
            first.name,
            severity_words(severity),
            total - waived
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

/// The quarter a decision falls in: `2025-26 Q1` (April to June 2025) in financial years,
/// `2025 Q2` in calendar years.
pub(super) fn quarter(date: NaiveDate, style: QuarterStyle) -> String {
    match style {
        QuarterStyle::Calendar => format!("{} Q{}", date.year(), date.month0() / 3 + 1),
        QuarterStyle::Financial => {
            // April starts the year: January to March belong to the year before's.
            let start = if date.month() >= 4 {
                date.year()
            } else {
                date.year() - 1
            };
            let number = (date.month0() + 9) % 12 / 3 + 1;
            format!("{start}-{:02} Q{number}", (start + 1) % 100)
        }
    }
}

#[derive(Default)]
pub(super) struct QuarterRow {
    pub decisions: usize,
    pub with_errors: usize,
    /// Unwaived errors, warnings and info, then waived findings.
    pub counts: [usize; 4],
}

impl QuarterRow {
    /// The share of the quarter's decisions with no unwaived error, in per cent.
    pub fn compliance(&self) -> f64 {
        if self.decisions == 0 {
            return 100.0;
        }
        #[allow(clippy::cast_precision_loss)] // counts of records are far below 2^52
        let share = (self.decisions - self.with_errors) as f64 / self.decisions as f64;
        (share * 100.0).round()
    }
}

/// The label of decisions with no date, which sorts last.
pub(super) const UNDATED: &str = "no decision date";

/// One row per quarter of the decision date, in order, undated last.
pub(super) fn quarter_rows(scope: &Scope, style: QuarterStyle) -> Vec<(String, QuarterRow)> {
    // "~" sorts after digits, so undated rows come last.
    let undated = format!("~{UNDATED}");
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
            .map_or_else(|| undated.clone(), |day| quarter(day.date, style));
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
    rows.into_iter()
        .map(|(key, row)| (key.trim_start_matches('~').to_string(), row))
        .collect()
}

pub(super) const BY_QUARTER: &str = "5. By quarter of the decision date";

pub(super) fn by_quarter(out: &mut String, rows: &[(String, QuarterRow)], style: QuarterStyle) {
    let which = match style {
        QuarterStyle::Financial => "Quarters of the financial year (Q1 is April to June).",
        QuarterStyle::Calendar => "Calendar quarters (Q1 is January to March).",
    };
    // "No open error" and "Not waived" are the numbers the HTML form's charts draw.
    let _ = write!(
        out,
        "## {BY_QUARTER}\n\n{which} Findings are counted unwaived by severity, with waived ones \
         apart.\n\n\
         | Quarter | Decisions | With errors | No open error | Errors | Warnings | Info | \
         Not waived | Waived |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for (label, row) in rows {
        let [errors, warnings, info, waived] = row.counts;
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {}% | {errors} | {warnings} | {info} | {} | {waived} |",
            row.decisions,
            row.with_errors,
            row.compliance(),
            errors + warnings + info
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{quarter, QuarterStyle};

    #[test]
    fn calendar_quarters_start_in_january() {
        let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        let calendar = |date| quarter(date, QuarterStyle::Calendar);
        assert_eq!(calendar(day(3, 31)), "2025 Q1");
        assert_eq!(calendar(day(4, 1)), "2025 Q2");
        assert_eq!(calendar(day(12, 31)), "2025 Q4");
    }

    #[test]
    fn financial_quarters_start_in_april() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let financial = |date| quarter(date, QuarterStyle::Financial);
        assert_eq!(financial(day(2025, 4, 1)), "2025-26 Q1");
        assert_eq!(financial(day(2025, 6, 30)), "2025-26 Q1");
        assert_eq!(financial(day(2025, 7, 1)), "2025-26 Q2");
        assert_eq!(financial(day(2025, 12, 31)), "2025-26 Q3");
        assert_eq!(financial(day(2026, 1, 1)), "2025-26 Q4");
        assert_eq!(financial(day(2026, 3, 31)), "2025-26 Q4");
        assert_eq!(financial(day(1999, 5, 1)), "1999-00 Q1");
    }
}
