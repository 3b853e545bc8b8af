//! The assurance summary across the decisions of a period, for the chief executive or the
//! audit committee: compliance, findings by rule, severity and quarter, waivers and the items
//! needing action. Text only: no I/O here.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::finding::{Finding, Severity};
use crate::format::long_date;
use crate::rules::EngineRule;

use super::scope::Scope;
use super::tallies::{
    by_quarter, by_rule, by_severity, by_status, quarter_rows, QuarterRow, BY_QUARTER, BY_RULE,
    UNDATED,
};
use super::waivers::{self, Waiver};
use super::{cell, count, prose, show_day, AssuranceInput, Draft, Figure, DRAFT_MARK};

/// The assurance summary in Markdown, with its charts for the HTML form.
pub fn assurance(input: &AssuranceInput) -> Draft {
    let scope = Scope::of(input);
    let waivers = waivers::collect(&scope, input.today);
    let quarters = quarter_rows(&scope, input.quarters);
    let gaps = gaps(input, &scope);
    let mut out = String::new();
    heading(&mut out, input);
    let rules = rule_counts(&scope);
    glance(&mut out, &scope, &quarters, &rules, &gaps);
    summary(&mut out, &scope);
    by_status(&mut out, &scope);
    by_rule(&mut out, input, &scope);
    by_severity(&mut out, &scope);
    by_quarter(&mut out, &quarters, input.quarters);
    with_errors(&mut out, &scope);
    out.push_str("## 7. Waivers\n\n");
    out.push_str(&waivers::section(&waivers));
    out.push('\n');
    baselined(&mut out, &scope);
    actions(&mut out, &scope, &waivers, input.today);
    let _ = writeln!(
        out,
        "---\n\nPrepared with mocheck from the ruleset \"{}\", version {}, as at {}.",
        input.ruleset.name,
        input.ruleset.version,
        long_date(input.today)
    );
    Draft {
        markdown: out,
        page_header: vec![DRAFT_MARK.to_string()],
        figures: figures(&quarters, &rules),
        assessed: gaps.is_empty(),
    }
}

/// What kept the check from covering every decision in scope: a summary built on it would
/// overstate compliance, so the first page says so and `report` exits 1.
fn gaps(input: &AssuranceInput, scope: &Scope) -> Vec<String> {
    let mut gaps = Vec::new();
    let with = |rule: &str| {
        scope
            .all_findings()
            .filter(|finding| &*finding.rule == rule)
            .count()
    };
    let unreadable = with(crate::rules::UNREADABLE);
    if unreadable > 0 {
        gaps.push(format!(
            "{} found while reading records: those records or files were not checked",
            count(unreadable, "problem")
        ));
    }
    let undated = with(EngineRule::DecisionDateMissing.id());
    if undated > 0 {
        gaps.push(format!(
            "{} no decision date, so the duties that turn on dates were not checked on {}",
            if undated == 1 {
                "1 decided record has".to_string()
            } else {
                format!("{undated} decided records have")
            },
            if undated == 1 { "it" } else { "them" }
        ));
    }
    if let Some(gap) = super::assessment::statutes_turned_off(input.ruleset) {
        gaps.push(gap);
    }
    gaps
}

/// Findings per rule, most first: (rule, name, unwaived, all).
fn rule_counts<'a>(scope: &Scope<'a>) -> Vec<(&'a str, &'a str, usize, usize)> {
    let mut by_rule: std::collections::BTreeMap<&str, (&str, usize, usize)> =
        std::collections::BTreeMap::new();
    for finding in scope.all_findings() {
        let entry = by_rule
            .entry(&finding.rule)
            .or_insert((&finding.name, 0, 0));
        entry.1 += usize::from(!finding.waived);
        entry.2 += 1;
    }
    let mut rules: Vec<_> = by_rule
        .into_iter()
        .map(|(rule, (name, open, all))| (rule, name, open, all))
        .collect();
    rules.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    rules
}

pub(super) const AT_A_GLANCE: &str = "At a glance";

/// The first page, read in a minute: compliance, its trend, the worst rules, what is open.
fn glance(
    out: &mut String,
    scope: &Scope,
    quarters: &[(String, QuarterRow)],
    rules: &[(&str, &str, usize, usize)],
    gaps: &[String],
) {
    let _ = writeln!(out, "## {AT_A_GLANCE}\n");
    if !gaps.is_empty() {
        out.push_str(
            "**Not every decision could be assessed.** The figures below cover only what \
             mocheck could check:\n\n",
        );
        for gap in gaps {
            let _ = writeln!(out, "- {gap};");
        }
        out.push('\n');
    }
    let (compliant, checked) = scope.compliance();
    let _ = writeln!(
        out,
        "- **Compliance:** {} decisions checked have no open error.",
        share(compliant, checked)
    );
    let trend: Vec<String> = quarters
        .iter()
        .filter(|(label, row)| label != UNDATED && row.decisions > 0)
        .map(|(label, row)| format!("{label} {}%", row.compliance()))
        .collect();
    if !trend.is_empty() {
        let _ = writeln!(out, "- **Trend by quarter:** {}.", trend.join("; "));
    }
    let worst: Vec<String> = rules
        .iter()
        .filter(|(_, _, open, _)| *open > 0)
        .take(3)
        .map(|(rule, name, open, _)| format!("{rule} {name} ({open})"))
        .collect();
    let _ = writeln!(
        out,
        "- **Rules most often not met:** {}.",
        if worst.is_empty() {
            "none".to_string()
        } else {
            worst.join("; ")
        }
    );
    let open_errors = scope
        .all_findings()
        .filter(|finding| !finding.waived && finding.severity == Severity::Error)
        .count();
    let _ = writeln!(
        out,
        "- **Open items:** {} not waived, on {}; see section 8.\n",
        count(open_errors, "error"),
        count(
            (0..scope.records.len())
                .filter(|&position| scope.has_error(position))
                .count(),
            "decision"
        )
    );
}

/// The charts of the HTML form: the same numbers as the tables they follow.
fn figures(quarters: &[(String, QuarterRow)], rules: &[(&str, &str, usize, usize)]) -> Vec<Figure> {
    #[allow(clippy::cast_precision_loss)] // counts of findings are far below 2^52
    let number = |count: usize| count as f64;
    let dated = || quarters.iter().filter(|(label, _)| label != UNDATED);
    vec![
        Figure {
            after_heading: AT_A_GLANCE.to_string(),
            title: "Decisions with no open error, by quarter".to_string(),
            unit: "per cent".to_string(),
            bars: dated()
                .map(|(label, row)| (label.clone(), row.compliance()))
                .collect(),
        },
        Figure {
            after_heading: BY_QUARTER.to_string(),
            title: "Findings not waived, by quarter".to_string(),
            unit: "findings".to_string(),
            bars: quarters
                .iter()
                .map(|(label, row)| (label.clone(), number(row.counts[..3].iter().sum())))
                .collect(),
        },
        Figure {
            after_heading: BY_RULE.to_string(),
            title: "Findings not waived, by rule".to_string(),
            unit: "findings".to_string(),
            bars: rules
                .iter()
                .filter(|(_, _, open, _)| *open > 0)
                .take(10)
                .map(|(rule, _, open, _)| ((*rule).to_string(), number(*open)))
                .collect(),
        },
    ]
}

fn heading(out: &mut String, input: &AssuranceInput) {
    let office = input
        .ruleset
        .office_name
        .as_deref()
        .unwrap_or("Office of the Police and Crime Commissioner");
    let period = match (input.from, input.to) {
        (Some(from), Some(to)) => {
            format!("decisions dated {} to {}", long_date(from), long_date(to))
        }
        (Some(from), None) => format!("decisions dated from {}", long_date(from)),
        (None, Some(to)) => format!("decisions dated up to {}", long_date(to)),
        (None, None) => "every decision record found, whatever its date".to_string(),
    };
    let _ = writeln!(
        out,
        "# Assurance summary: decision records checked against the monitoring officer's duties\n\n\
         - **Office:** {office}\n\
         - **Period:** {period}\n\
         - **Checked as at:** {}\n\
         - **For:** the Chief Executive and the audit committee. [Review before circulating.]\n",
        long_date(input.today)
    );
}

/// `7 of 13 (54%)`, rounded to the nearest whole per cent.
fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "no records were checked".to_string();
    }
    format!("{part} of {whole} ({}%)", (part * 100 + whole / 2) / whole)
}

fn summary(out: &mut String, scope: &Scope) {
    out.push_str("## 1. Summary\n\n");
    let withdrawn = scope
        .records
        .iter()
        .filter(|brief| brief.status() == Some("withdrawn"))
        .count();
    let (compliant, checked) = scope.compliance();
    let withdrawn = if withdrawn == 0 {
        String::new()
    } else {
        format!(", of which {withdrawn} withdrawn (withdrawn records are not checked)")
    };
    let _ = writeln!(
        out,
        "- {} in scope{withdrawn}.",
        count(scope.records.len(), "decision record")
    );
    if scope.undated_left_out > 0 {
        let _ = writeln!(
            out,
            "- {} left out because {} no decision date (proposals, or records that could not be read).",
            count(scope.undated_left_out, "record"),
            if scope.undated_left_out == 1 { "it has" } else { "they have" }
        );
    }
    let _ = writeln!(
        out,
        "- Compliance: {} checked records have no error that is not waived.",
        share(compliant, checked)
    );
    let counts = crate::finding::Counts::of(scope.all_findings());
    let baselined = if counts.baselined > 0 {
        format!(
            " Accepted as history by the baseline (section 7): {}.",
            counts.baselined
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "- Findings {}: {}, {}, {} info. Waived: {}.{baselined}\n",
        if counts.baselined > 0 {
            "neither waived nor accepted by the baseline"
        } else {
            "not waived"
        },
        count(counts.error, "error"),
        count(counts.warning, "warning"),
        counts.info,
        counts.waived
    );
}

/// The findings the baseline accepts as history: listed, never hidden, and their records not
/// counted as compliant.
fn baselined(out: &mut String, scope: &Scope) {
    let findings: Vec<&Finding> = scope
        .all_findings()
        .filter(|finding| finding.baselined)
        .collect();
    let Some(baseline) = findings
        .iter()
        .find_map(|finding| finding.baseline.as_deref())
    else {
        return;
    };
    let _ = writeln!(
        out,
        "### Accepted as history by the baseline\n\n{} accepted as history by the baseline \
         ({}). They are counted apart from the findings above, but a record with such an error \
         is not counted as compliant, and is listed in section 6.\n",
        if findings.len() == 1 {
            "1 finding is".to_string()
        } else {
            format!("{} findings are", findings.len())
        },
        prose(baseline)
    );
    out.push_str(&super::appendix::baselined(&findings));
    out.push('\n');
}

fn with_errors(out: &mut String, scope: &Scope) {
    out.push_str("## 6. Decisions with errors\n\nErrors not waived, by decision date.\n\n");
    let mut rows: Vec<(Option<NaiveDate>, String, String)> = Vec::new();
    for (position, brief) in scope.records.iter().enumerate() {
        let mut rules: Vec<&str> = scope
            .findings_of(position)
            .filter(|finding| !finding.waived && finding.severity == Severity::Error)
            .map(|finding| &*finding.rule)
            .collect();
        if rules.is_empty() {
            continue;
        }
        rules.sort_unstable();
        rules.dedup();
        let day = brief.decided_on;
        let status = match brief.status() {
            Some("proposed") => " (proposed)",
            _ => "",
        };
        let row = format!(
            "| {} | {} | {}{status} | {} |",
            brief.shown_reference(),
            brief.title.as_deref().unwrap_or_default(),
            day.map_or_else(|| "no date".to_string(), show_day),
            rules.join(", ")
        );
        rows.push((day.map(|day| day.date), brief.shown_reference(), row));
    }
    if rows.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    rows.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
    out.push_str("| Reference | Title | Date | Rules |\n|---|---|---|---|\n");
    for (_, _, row) in rows {
        out.push_str(&row);
        out.push('\n');
    }
    out.push_str(
        "\nFor each, consider whether a report under section 5 of the Local Government and \
         Housing Act 1989 is needed; `mocheck report --decision REFERENCE` drafts one.\n\n",
    );
}

/// Every error not waived, decision by decision: an open error is always an item needing
/// action, so this list is never "None" while one is open. Whether there was any.
fn open_errors(out: &mut String, scope: &Scope) -> bool {
    let mut any = false;
    for (position, brief) in scope.records.iter().enumerate() {
        let errors: Vec<&Finding> = scope
            .findings_of(position)
            .filter(|finding| !finding.waived && finding.severity == Severity::Error)
            .filter(|finding| &*finding.rule != crate::rules::UNREADABLE)
            .collect();
        if errors.is_empty() {
            continue;
        }
        if !any {
            out.push_str("**Errors not waived, by decision**\n\n");
            any = true;
        }
        let _ = writeln!(
            out,
            "- {}: {}",
            brief.shown_reference(),
            brief.title.as_deref().unwrap_or("(no title)")
        );
        for finding in errors {
            let _ = writeln!(
                out,
                "  - {} {}: {}",
                finding.rule,
                finding.name,
                prose(&finding.message)
            );
        }
    }
    if any {
        out.push('\n');
    }
    any
}

fn actions(out: &mut String, scope: &Scope, waivers: &[Waiver], today: NaiveDate) {
    out.push_str("## 8. Items needing action\n\n");
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    let unreadable: Vec<String> = scope
        .all_findings()
        .filter(|finding| &*finding.rule == EngineRule::Unreadable.id() && !finding.waived)
        .map(|finding| {
            format!(
                "{}:{}: {}",
                cell(&finding.file),
                finding.line,
                prose(&finding.message)
            )
        })
        .collect();
    groups.push((
        "Records or files that could not be read (not checked at all)",
        unreadable,
    ));
    let mut reports = Vec::new();
    let mut unpublished = Vec::new();
    let mut proposals = Vec::new();
    for (position, brief) in scope.records.iter().enumerate() {
        reports.extend(brief.unresolved_reports.iter().cloned());
        if brief.unpublished {
            unpublished.push(format!(
                "{}: {}",
                brief.shown_reference(),
                brief.title.as_deref().unwrap_or_default()
            ));
        }
        if brief.status() == Some("proposed") && scope.has_error(position) {
            proposals.push(format!(
                "{}: put the errors right before the decision is taken",
                brief.shown_reference()
            ));
        }
    }
    groups.push(("Statutory reports not yet resolved", reports));
    groups.push((
        "Decisions of significant public interest with no publication date",
        unpublished,
    ));
    groups.push(("Proposed decisions with errors", proposals));
    groups.push(("Waivers", waivers::actions(waivers, today)));
    let mut any = open_errors(out, scope);
    for (title, items) in groups.iter().filter(|(_, items)| !items.is_empty()) {
        any = true;
        let _ = writeln!(out, "**{title}**\n");
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
        out.push('\n');
    }
    if !any {
        out.push_str("None.\n\n");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shares_round_to_whole_per_cents() {
        assert_eq!(super::share(7, 13), "7 of 13 (54%)");
        assert_eq!(super::share(0, 0), "no records were checked");
    }
}
