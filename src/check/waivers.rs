//! Waivers: a record's accepted exceptions to a rule. A waiver in force marks its rule's
//! findings on that record as waived (still reported); an unjustified one (MO095), an unused
//! one (MO096) and an expired one (MO097) are findings themselves.

use std::sync::Arc;

use chrono::NaiveDate;

use super::engine::engine_info;
use super::new_finding;
use crate::finding::{Finding, Label};
use crate::format::long_date;
use crate::load::{Record, Value};
use crate::rules::RuleSet;
use crate::text::{clip, MESSAGE_LIMIT, VALUE_LIMIT};

const WAIVER_RULES: &[&str] = &["MO095", "MO096", "MO097"];

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
    if findings.iter().any(|finding| &*finding.rule == "MO090") {
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
            let info = engine_info(ruleset, "MO095", "waiver-unjustified");
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
            extra.push(new_finding(
                &info,
                info.severity,
                file,
                reference.clone(),
                path.clone(),
                span,
                message,
                label(span, "this waiver"),
            ));
            continue;
        }
        if let Some(expires) = record.day(&format!("{path}.expires")) {
            if expires.date < today {
                let info = engine_info(ruleset, "MO097", "waiver-expired");
                let (expires_span, _) = record.locate(&format!("{path}.expires"));
                let message = format!(
                    "the waiver of {rule} expired on {}, so it no longer waives anything",
                    long_date(expires.date)
                );
                extra.push(new_finding(
                    &info,
                    info.severity,
                    file,
                    reference.clone(),
                    format!("{path}.expires"),
                    expires_span,
                    message,
                    label(expires_span, "expired"),
                ));
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
            let info = engine_info(ruleset, "MO096", "waiver-unused");
            let (rule_span, _) = record.locate(&format!("{path}.rule"));
            let message = if ruleset.info(&rule).is_none() {
                format!("the waiver names `{rule}`, which is not a rule, so it waives nothing")
            } else {
                format!("the waiver of {rule} matches no finding on this record; remove it, or check that it names the right rule")
            };
            extra.push(new_finding(
                &info,
                info.severity,
                file,
                reference.clone(),
                format!("{path}.rule"),
                rule_span,
                message,
                label(rule_span, "this waiver"),
            ));
        }
    }
    findings.append(&mut extra);
}
