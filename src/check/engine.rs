//! The engine's own rules on records: unreadable records and unknown fields (MO090, MO091),
//! duplicate references (MO092), the reference pattern (MO093) and dates in the future
//! (MO094). Waivers (MO095 to MO097) are in `waivers.rs`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{EngineFinding, Outcome, Place};
use crate::finding::{Finding, Label};
use crate::format::long_date;
use crate::load::{Member, Problem, ProblemKind, Record, Value};
use crate::rules::{EngineRule, RuleSet};

/// MO092: a reference used again, reported on every record after the first in path order.
/// The outcomes come file by file, in path order.
pub(super) fn duplicate_references<K>(outcomes: &mut [Vec<Outcome<K>>], ruleset: &RuleSet) {
    // First find the repeats, borrowing the references; then write their findings.
    let count = outcomes.iter().map(Vec::len).sum();
    let mut first_seen: HashMap<&str, (usize, usize), fnv::FnvBuildHasher> =
        HashMap::with_capacity_and_hasher(count, BuildHasherDefault::default());
    let mut repeats = Vec::new();
    let numbered = outcomes.iter().enumerate().flat_map(|(file, outcomes)| {
        (0..outcomes.len())
            .zip(outcomes)
            .map(move |(index, outcome)| ((file, index), outcome))
    });
    for (index, outcome) in numbered {
        let seen = &outcome.seen;
        let (true, Some(reference)) = (seen.checkable, &seen.reference) else {
            continue;
        };
        match first_seen.get(&**reference) {
            Some(first) => repeats.push((index, *first)),
            None => {
                first_seen.insert(reference, index);
            }
        }
    }
    if repeats.is_empty() {
        return;
    }
    for (index, first) in repeats {
        let (first_file, first_span) = {
            let first = &outcomes[first.0][first.1];
            (first.seen.file.clone(), first.reference_span)
        };
        let outcome = &mut outcomes[index.0][index.1];
        let seen = &outcome.seen;
        let span = outcome.reference_span;
        let reference = Finding::shown_reference(&seen.reference.clone().unwrap_or_default());
        let mut labels = vec![Label {
            span,
            text: "used again here".to_string(),
        }];
        if first_file == seen.file {
            labels.push(Label {
                span: first_span,
                text: "first used here".to_string(),
            });
        }
        let message = format!(
            "the reference `{reference}` is already used by the record at {first_file}:{}; each decision needs its own reference",
            first_span.line
        );
        let finding = EngineFinding {
            rule: EngineRule::DuplicateReference,
            place: Place {
                file: seen.file.clone(),
                record: Some(reference),
                path: "reference".to_string(),
                span,
            },
            message,
            labels,
        }
        .finding(ruleset);
        outcome.findings.push(finding);
        outcome.findings.sort_by(Finding::order);
    }
}

/// MO090 and MO091 from a problem found while reading.
pub(super) fn problem_finding(
    ruleset: &RuleSet,
    file: &Arc<str>,
    record: Option<Arc<str>>,
    problem: &Problem,
) -> Finding {
    let rule = match problem.kind {
        ProblemKind::Unreadable => EngineRule::Unreadable,
        ProblemKind::UnknownField => EngineRule::UnknownField,
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
    let mut finding = EngineFinding {
        rule,
        place: Place {
            file: file.clone(),
            record,
            path: problem.path.clone(),
            span: problem.span,
        },
        message: problem.message.clone(),
        labels,
    }
    .finding(ruleset);
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
    let (span, _) = record.locate("decided_on");
    let rules = if unchecked.is_empty() {
        String::new()
    } else {
        format!(" ({} not checked)", unchecked.join(", "))
    };
    let message = format!(
        "the decision date is not recorded, so no rule that compares dates can be checked{rules}; record `decided_on`, the date the decision was signed"
    );
    findings.push(
        EngineFinding {
            rule: EngineRule::DecisionDateMissing,
            place: Place {
                file: file.clone(),
                record: record.reference().map(Arc::from),
                path: "decided_on".to_string(),
                span,
            },
            message,
            labels: vec![Label {
                span,
                text: "no `decided_on` in this record".to_string(),
            }],
        }
        .finding(ruleset),
    );
}

/// MO100: a record with no reference. It is checked all the same and known by its file, the
/// identity its findings, baseline entries and drafts then use.
pub(super) fn missing_reference(
    record: &Record,
    file: &Arc<str>,
    ruleset: &RuleSet,
    findings: &mut Vec<Finding>,
) {
    let span = record.span;
    let message = format!(
        "the record has no `reference`, so the decision cannot be cited or published under one; until it has, it is known by its file, `{file}`"
    );
    findings.push(
        EngineFinding {
            rule: EngineRule::ReferenceMissing,
            place: Place {
                file: file.clone(),
                record: None,
                path: "reference".to_string(),
                span,
            },
            message,
            labels: vec![Label {
                span,
                text: "this record has no `reference`".to_string(),
            }],
        }
        .finding(ruleset),
    );
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
    let (span, _) = record.locate("reference");
    let reference = Finding::shown_reference(&Arc::from(reference));
    let message = format!(
        "the reference `{reference}` does not follow the office's pattern `{}`",
        pattern.as_str()
    );
    findings.push(
        EngineFinding {
            rule: EngineRule::ReferenceFormat,
            place: Place {
                file: file.clone(),
                record: Some(reference),
                path: "reference".to_string(),
                span,
            },
            message,
            labels: vec![Label {
                span,
                text: "this reference".to_string(),
            }],
        }
        .finding(ruleset),
    );
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
        findings.push(
            EngineFinding {
                rule: EngineRule::FutureDate,
                place: Place {
                    file: file.clone(),
                    record: record.reference().map(Arc::from),
                    path,
                    span: member_span,
                },
                message,
                labels: vec![Label {
                    span: member_span,
                    text: "a date in the future".to_string(),
                }],
            }
            .finding(ruleset),
        );
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
