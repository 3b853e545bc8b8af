//! The waivers on the records of an assurance summary, read from each record's `waivers`
//! list and sorted into in force, expired and not valid, as the checker judged them.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::format::long_date;
use crate::rules::EngineRule;

use super::cell;
use super::scope::Scope;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    InForce,
    Expired(NaiveDate),
    /// No reason or no approver: it waives nothing (MO095).
    NotValid,
}

pub(super) struct Waiver {
    pub reference: String,
    pub rule: String,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub date: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub state: State,
    /// Findings on the record it marks as waived.
    pub waives: usize,
}

/// Every waiver on the records in scope, judged as at `today`. An MO097 finding on a
/// waiver marks it expired even if the dates say otherwise.
pub(super) fn collect(scope: &Scope, today: NaiveDate) -> Vec<Waiver> {
    let mut waivers = Vec::new();
    for (index, brief) in scope.records.iter().enumerate() {
        for (entry, recorded) in brief.waivers.iter().enumerate() {
            let path = format!("waivers[{entry}]");
            let rule = recorded.rule.clone();
            let reason = recorded.reason.clone();
            let approved_by = recorded.approved_by.clone();
            let expires = recorded.expires;
            let flagged = |rule_id: &str, at: &str| {
                scope
                    .findings_of(index)
                    .any(|finding| &*finding.rule == rule_id && finding.path == at)
            };
            let expired_by_finding =
                flagged(EngineRule::WaiverExpired.id(), &format!("{path}.expires"));
            let state = if reason.is_none()
                || approved_by.is_none()
                || flagged(EngineRule::WaiverUnjustified.id(), &path)
            {
                State::NotValid
            } else {
                match expires {
                    Some(expires) if expires < today || expired_by_finding => {
                        State::Expired(expires)
                    }
                    _ => State::InForce,
                }
            };
            let waived_count = scope
                .findings_of(index)
                .filter(|finding| finding.waived && *finding.rule == *rule)
                .count();
            waivers.push(Waiver {
                reference: brief.shown_reference(),
                rule,
                reason,
                approved_by,
                date: recorded.date,
                expires,
                state,
                waives: waived_count,
            });
        }
    }
    waivers
}

/// The waivers section: in force, expired, then those that waive nothing.
pub(super) fn section(waivers: &[Waiver]) -> String {
    let not_given = || "not given".to_string();
    let date = |date: Option<NaiveDate>| date.map_or_else(not_given, long_date);
    let mut out = String::from("### In force\n\n");
    let in_force: Vec<&Waiver> = waivers
        .iter()
        .filter(|w| w.state == State::InForce)
        .collect();
    if in_force.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(
            "| Record | Rule | Reason | Approved by | Approved on | Expires | Findings waived |\n\
             |---|---|---|---|---|---|---|\n",
        );
        for waiver in in_force {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                waiver.reference,
                waiver.rule,
                waiver.reason.clone().unwrap_or_else(not_given),
                waiver.approved_by.clone().unwrap_or_else(not_given),
                date(waiver.date),
                waiver
                    .expires
                    .map_or_else(|| "no expiry".to_string(), long_date),
                waiver.waives
            );
        }
    }
    out.push_str("\n### Expired\n\nAn expired waiver waives nothing: the finding it covered is reported again.\n\n");
    let expired: Vec<&Waiver> = waivers
        .iter()
        .filter(|w| matches!(w.state, State::Expired(_)))
        .collect();
    if expired.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(
            "| Record | Rule | Expired on | Reason | Approved by |\n|---|---|---|---|---|\n",
        );
        for waiver in expired {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                waiver.reference,
                waiver.rule,
                date(waiver.expires),
                waiver.reason.clone().unwrap_or_else(not_given),
                waiver.approved_by.clone().unwrap_or_else(not_given)
            );
        }
    }
    let invalid: Vec<&Waiver> = waivers
        .iter()
        .filter(|w| w.state == State::NotValid)
        .collect();
    if !invalid.is_empty() {
        out.push_str("\n### Without a reason or an approver\n\nThese waive nothing.\n\n");
        for waiver in invalid {
            let rule = if waiver.rule.is_empty() {
                "an unnamed rule"
            } else {
                &waiver.rule
            };
            let _ = writeln!(out, "- {}: the waiver of {}", waiver.reference, cell(rule));
        }
    }
    out
}

/// Action items about waivers, one line each.
/// How far ahead a waiver's expiry is an item needing action: a quarter, the audit
/// committee's usual cycle, so that the next meeting is not too late.
const EXPIRING_WITHIN_DAYS: i64 = 91;

pub(super) fn actions(waivers: &[Waiver], today: NaiveDate) -> Vec<String> {
    let mut items = Vec::new();
    for waiver in waivers {
        match waiver.state {
            State::Expired(expires) => items.push(format!(
                "{}: the waiver of {} expired on {}; put the matter right, or have the waiver approved again with a new expiry date",
                waiver.reference,
                waiver.rule,
                long_date(expires)
            )),
            State::NotValid => items.push(format!(
                "{}: a waiver of {} has no reason or no approver, so it waives nothing; complete it or remove it",
                waiver.reference,
                if waiver.rule.is_empty() { "an unnamed rule" } else { &waiver.rule }
            )),
            State::InForce if waiver.waives == 0 => items.push(format!(
                "{}: the waiver of {} matches no finding; remove it, or check that it names the right rule",
                waiver.reference, waiver.rule
            )),
            State::InForce => {
                if let Some(expires) = waiver
                    .expires
                    .filter(|expires| (*expires - today).num_days() <= EXPIRING_WITHIN_DAYS)
                {
                    items.push(format!(
                        "{}: the waiver of {} expires on {}; decide before then whether to put the matter right or approve it again",
                        waiver.reference,
                        waiver.rule,
                        long_date(expires)
                    ));
                }
            }
        }
    }
    items
}
