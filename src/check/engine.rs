//! The engine's own rules on records: unreadable records and unknown fields (MO090, MO091),
//! duplicate references (MO092), the reference pattern (MO093) and dates in the future
//! (MO094). Waivers (MO095 to MO097) are in `waivers.rs`.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;

use super::new_finding;
use crate::finding::{Finding, Label};
use crate::format::long_date;
use crate::load::{Member, Problem, ProblemKind, Record, Value};
use crate::rules::{RuleInfo, RuleSet};

/// The description of an engine rule; the built-in ruleset always has one, but a minimal
/// stand-in keeps a finding reportable whatever the rules files say.
pub(super) fn engine_info<'r>(ruleset: &'r RuleSet, id: &str, name: &str) -> Cow<'r, RuleInfo> {
    // Borrowed: a rule's texts are long, and this runs for every record.
    ruleset.info(id).map_or_else(
        || {
            Cow::Owned(RuleInfo {
                id: id.into(),
                name: name.into(),
                severity: crate::finding::Severity::Error,
                kind: crate::finding::RuleKind::GoodPractice,
                summary: String::new(),
                basis: Arc::from(Vec::new()),
                help: "".into(),
                explain: String::new(),
                engine: true,
            })
        },
        Cow::Borrowed,
    )
}

/// MO090 and MO091 from a problem found while reading.
pub(super) fn problem_finding(
    ruleset: &RuleSet,
    file: &Arc<str>,
    record: Option<Arc<str>>,
    problem: &Problem,
) -> Finding {
    let info = match problem.kind {
        ProblemKind::Unreadable => engine_info(ruleset, "MO090", "unreadable-record"),
        ProblemKind::UnknownField => engine_info(ruleset, "MO091", "unknown-field"),
    };
    let mut labels = vec![Label {
        span: problem.span,
        text: "here".to_string(),
    }];
    if let Some((span, text)) = &problem.related {
        labels.push(Label {
            span: *span,
            text: text.clone(),
        });
    }
    let mut finding = new_finding(
        &info,
        info.severity,
        file,
        record,
        problem.path.clone(),
        problem.span,
        problem.message.clone(),
        labels,
    );
    // What to write instead depends on the kind of value: a date, a sum, a listed value.
    if let Some(help) = problem.help {
        finding.help = help.into();
    }
    finding
}

/// MO099: a decided record that gives no decision date. It is still checked, but the rules
/// that compare dates were not run (`unchecked`), and the finding names them, so that they
/// are never read as passes.
pub(super) fn undated_decision(
    record: &Record,
    file: &Arc<str>,
    ruleset: &RuleSet,
    unchecked: &[&str],
    findings: &mut Vec<Finding>,
) {
    let info = engine_info(ruleset, "MO099", "decision-date-missing");
    let (span, _) = record.locate("decided_on");
    let rules = if unchecked.is_empty() {
        String::new()
    } else {
        format!(" ({} not checked)", unchecked.join(", "))
    };
    let message = format!(
        "the decision date is not recorded, so no rule that compares dates can be checked{rules}; record `decided_on`, the date the decision was signed"
    );
    findings.push(new_finding(
        &info,
        info.severity,
        file,
        record.reference().map(Arc::from),
        "decided_on".to_string(),
        span,
        message,
        vec![Label {
            span,
            text: "no `decided_on` in this record".to_string(),
        }],
    ));
}

/// MO100: a record with no reference. It is checked all the same and known by its file, the
/// identity its findings, baseline entries and drafts then use.
pub(super) fn missing_reference(
    record: &Record,
    file: &Arc<str>,
    ruleset: &RuleSet,
    findings: &mut Vec<Finding>,
) {
    let info = engine_info(ruleset, "MO100", "reference-missing");
    let span = record.span;
    let message = format!(
        "the record has no `reference`, so the decision cannot be cited or published under one; until it has, it is known by its file, `{file}`"
    );
    findings.push(new_finding(
        &info,
        info.severity,
        file,
        None,
        "reference".to_string(),
        span,
        message,
        vec![Label {
            span,
            text: "this record has no `reference`".to_string(),
        }],
    ));
}

/// MO093: the reference matches the configured pattern.
pub(super) fn reference_format(
    record: &Record,
    file: &Arc<str>,
    ruleset: &RuleSet,
    findings: &mut Vec<Finding>,
) {
    let (Some(pattern), Some(reference)) = (&ruleset.reference_pattern, record.reference()) else {
        return;
    };
    if pattern.is_match(reference) {
        return;
    }
    let info = engine_info(ruleset, "MO093", "reference-format");
    let (span, _) = record.locate("reference");
    let reference = Finding::shown_reference(&Arc::from(reference));
    let message = format!(
        "the reference `{reference}` does not follow the office's pattern `{}`",
        pattern.as_str()
    );
    findings.push(new_finding(
        &info,
        info.severity,
        file,
        Some(reference),
        "reference".to_string(),
        span,
        message,
        vec![Label {
            span,
            text: "this reference".to_string(),
        }],
    ));
}

/// MO094: no date after today. A waiver's expiry and a proposal's planned date are meant to
/// be in the future, so they are not counted.
pub(super) fn future_dates(
    record: &Record,
    file: &Arc<str>,
    ruleset: &RuleSet,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) {
    let mut dates = Vec::new();
    collect_future_dates(&record.fields, &mut String::new(), today, &mut dates);
    if dates.is_empty() {
        return;
    }
    let info = engine_info(ruleset, "MO094", "future-date");
    for (path, member_span, date) in dates {
        // A later step a decision waits for (a panel hearing) may be ahead of it.
        if (path.starts_with("waivers[") && path.ends_with(".expires"))
            || path == "planned_on"
            || path == "conditional_on.date"
        {
            continue;
        }
        let message = format!(
            "`{path}` is {}, after today ({}); a record states what has happened",
            long_date(date),
            long_date(today)
        );
        findings.push(new_finding(
            &info,
            info.severity,
            file,
            record.reference().map(Arc::from),
            path,
            member_span,
            message,
            vec![Label {
                span: member_span,
                text: "a date in the future".to_string(),
            }],
        ));
    }
}

/// The dates after `today`, with their paths. Runs on every record, so a path is only
/// written out for a date that is reported.
fn collect_future_dates(
    members: &[Member],
    path: &mut String,
    today: NaiveDate,
    out: &mut Vec<(String, crate::load::Span, NaiveDate)>,
) {
    for member in members {
        let before = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(member.name);
        match &member.value {
            Value::Date(day) if day.date > today => out.push((path.clone(), member.span, day.date)),
            Value::Object(children) => collect_future_dates(children, path, today, out),
            Value::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    if let Value::Object(children) = &item.value {
                        let list_path = path.len();
                        let _ = write!(path, "[{index}]");
                        collect_future_dates(children, path, today, out);
                        path.truncate(list_path);
                    }
                }
            }
            _ => {}
        }
        path.truncate(before);
    }
}
