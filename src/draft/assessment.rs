//! What stops a draft from giving assurance: anything that kept mocheck from checking the
//! whole decision. A draft with any of these says in its title and first paragraph that the
//! decision could not be assessed, and `report` exits 1; it never says that no report is
//! needed.

use super::parts::Grouped;
use super::{count, DraftInput};
use crate::finding::RuleKind;
use crate::rules::EngineRule;
use crate::rules::RuleSet;

/// The reasons, in plain words, why the check of this decision is not complete; empty when
/// every rule ran on a record read in full.
pub(super) fn gaps(input: &DraftInput, grouped: &Grouped) -> Vec<String> {
    let record = &input.record.record;
    let mut gaps = Vec::new();
    let unreadable = grouped
        .record_problems
        .iter()
        .filter(|finding| &*finding.rule == crate::rules::UNREADABLE)
        .count();
    if unreadable > 0 || !input.record.readable() {
        gaps.push(format!(
            "part of the record could not be read ({}, listed under \"Problems with the record \
             itself\"), so no rule was run on it",
            count(unreadable.max(1), "problem")
        ));
    }
    if record.status() == Some("withdrawn") {
        gaps.push(
            "the record is marked as withdrawn, so the rules were not run on it; if the \
             decision was in fact taken, its record must say so"
                .to_string(),
        );
    }
    if grouped
        .record_problems
        .iter()
        .any(|finding| &*finding.rule == EngineRule::DecisionDateMissing.id())
    {
        gaps.push(
            "the record gives no decision date, so none of the duties that turn on dates \
             (advice before the decision, publication in time, the timetables) could be checked"
                .to_string(),
        );
    }
    let other_problems = grouped
        .record_problems
        .iter()
        .filter(|finding| {
            !matches!(
                EngineRule::from_id(&finding.rule),
                Some(
                    EngineRule::Unreadable
                        | EngineRule::DecisionDateMissing
                        | EngineRule::ReferenceMissing
                )
            )
        })
        .count();
    if other_problems > 0 {
        gaps.push(format!(
            "{} with the record itself (listed under \"Problems with the record itself\") \
             must be put right before its findings can be relied on",
            count(other_problems, "problem")
        ));
    }
    if let Some(gap) = statutes_turned_off(input.ruleset) {
        gaps.push(gap);
    }
    gaps
}

/// The statutory rules `mocheck.toml` turns off: a draft cannot say the law was met on
/// duties nobody checked. Rules of policy or good practice turned off take nothing from that
/// assurance, since they can never ground a report.
pub(super) fn statutes_turned_off(ruleset: &RuleSet) -> Option<String> {
    if !ruleset.statutes_not_loaded.is_empty() {
        let ids: Vec<&str> = ruleset.statutes_not_loaded.iter().map(|id| &**id).collect();
        let are = if ids.len() == 1 { "is" } else { "are" };
        return Some(format!(
            "the rules used are not mocheck's built-in ruleset, and {} {are} not among them, so {}",
            statutory_rules(&ids, " of its"),
            not_checked(ids.len())
        ));
    }
    let mut off: Vec<&str> = ruleset
        .inactive
        .iter()
        .filter(|id| {
            ruleset
                .info(id)
                .is_some_and(|info| info.kind == RuleKind::Statute)
        })
        .map(|id| &**id)
        .collect();
    if off.is_empty() {
        return None;
    }
    off.sort_unstable();
    Some(format!(
        "the office's configuration turns off {}, so {}",
        statutory_rules(&off, ""),
        not_checked(off.len())
    ))
}

/// `2 rules{of} that rest on an enactment or rule of law (MO010, MO023)`.
fn statutory_rules(ids: &[&str], of: &str) -> String {
    format!(
        "{}{of} that {} on an enactment or rule of law ({})",
        count(ids.len(), "rule"),
        if ids.len() == 1 { "rests" } else { "rest" },
        ids.join(", ")
    )
}

fn not_checked(rules: usize) -> &'static str {
    if rules == 1 {
        "that duty was not checked"
    } else {
        "those duties were not checked"
    }
}
