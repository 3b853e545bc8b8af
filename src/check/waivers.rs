//! Waivers: a record's accepted exceptions to a rule. A waiver in force marks its rule's
//! findings on that record as waived (still reported); an unjustified one (MO095), an unused
//! one (MO096) and an expired one (MO097) are findings themselves.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{EngineFinding, Place};
use crate::finding::{Finding, Label};
use crate::format::long_date;
use crate::load::{Record, Value};
use crate::rules::{EngineRule, RuleSet};
use crate::text::{clip, MESSAGE_LIMIT, VALUE_LIMIT};

const WAIVER_RULES: &[&str] = &[
    EngineRule::WaiverUnjustified.id(),
    EngineRule::WaiverUnused.id(),
    EngineRule::WaiverExpired.id(),
];

// The three waiver readings of the catalogue, in order; kept together so they read as one.
#[allow(clippy::too_many_lines)]
pub(super) fn apply(
    record: &Record,
    file: &Arc<str>,
    ruleset: &RuleSet,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) {
    let Some(Value::List(waivers)) = record.get("waivers") else {
        return;
    };
    // A record that could not be read has no trustworthy waivers either.
    if findings
        .iter()
        .any(|finding| &*finding.rule == EngineRule::Unreadable.id())
    {
        return;
    }
    let reference: Option<Arc<str>> = record.reference().map(Arc::from);
    let mut extra = Vec::new();
    for index in 0..waivers.len() {
        let path = format!("waivers[{index}]");
        let text = |field: &str| {
            record
                .text(&format!("{path}.{field}"))
                .map(str::trim)
                .filter(|text| !text.is_empty())
        };
        let rule = text("rule").unwrap_or_default().to_string();
        let (span, _) = record.locate(&path);
        let label = |span, text: &str| {
            vec![Label {
                span,
                text: text.to_string(),
            }]
        };
        let (reason, approved_by) = (text("reason"), text("approved_by"));
        if reason.is_none() || approved_by.is_none() {
            let missing = match (reason, approved_by) {
                (None, None) => "why it is accepted or who approved it",
                (None, Some(_)) => "why it is accepted",
                _ => "who approved it",
            };
            let message = format!(
                "the waiver of {} does not say {missing}, so it waives nothing",
                if rule.is_empty() {
                    "an unnamed rule"
                } else {
                    &rule
                }
            );
            extra.push(
                EngineFinding {
                    rule: EngineRule::WaiverUnjustified,
                    place: Place {
                        file: file.clone(),
                        record: reference.clone(),
                        path: path.clone(),
                        span,
                    },
                    message,
                    labels: label(span, "this waiver"),
                }
                .finding(ruleset),
            );
            continue;
        }
        if let Some(expires) = record.day(&format!("{path}.expires")) {
            if expires.date < today {
                let (expires_span, _) = record.locate(&format!("{path}.expires"));
                let message = format!(
                    "the waiver of {rule} expired on {}, so it no longer waives anything",
                    long_date(expires.date)
                );
                extra.push(
                    EngineFinding {
                        rule: EngineRule::WaiverExpired,
                        place: Place {
                            file: file.clone(),
                            record: reference.clone(),
                            path: format!("{path}.expires"),
                            span: expires_span,
                        },
                        message,
                        labels: label(expires_span, "expired"),
                    }
                    .finding(ruleset),
                );
                continue;
            }
        }
        // Copied into every finding it waives: bounded like any text a finding repeats.
        let justification = format!(
            "{} (approved by {})",
            clip(reason.unwrap_or_default(), MESSAGE_LIMIT),
            clip(approved_by.unwrap_or_default(), VALUE_LIMIT)
        );
        let mut matched = false;
        for finding in findings
            .iter_mut()
            .filter(|finding| *finding.rule == *rule && !WAIVER_RULES.contains(&&*finding.rule))
        {
            finding.waived = true;
            finding.waiver = Some(justification.clone());
            matched = true;
        }
        // A waiver of a rule that did not run cannot be judged unused.
        let rule_ran = ruleset.is_active(&rule);
        if !matched && (rule_ran || ruleset.info(&rule).is_none()) {
            let (rule_span, _) = record.locate(&format!("{path}.rule"));
            let message = if ruleset.info(&rule).is_none() {
                format!("the waiver names `{rule}`, which is not a rule, so it waives nothing")
            } else {
                format!("the waiver of {rule} matches no finding on this record; remove it, or check that it names the right rule")
            };
            extra.push(
                EngineFinding {
                    rule: EngineRule::WaiverUnused,
                    place: Place {
                        file: file.clone(),
                        record: reference.clone(),
                        path: format!("{path}.rule"),
                        span: rule_span,
                    },
                    message,
                    labels: label(rule_span, "this waiver"),
                }
                .finding(ruleset),
            );
        }
    }
    findings.append(&mut extra);
}
