//! The recommendations of the s.5 draft: one for each ground, from the rule's help, then the
//! standard ones that the record's state calls for (stand still, retake, publish, record).

use std::fmt::Write as _;

use crate::finding::Finding;
use crate::format::money;
use crate::load::Record;

use super::{duties, is_true, show_day};
use crate::rules::RuleSet;

/// A numbered Markdown list.
pub(super) fn list(record: &Record, grounds: &[&Finding], ruleset: &RuleSet) -> String {
    let mut items = Vec::new();
    let proposed = record.status() == Some("proposed");
    items.push(if proposed {
        "that the Commissioner does not take the proposed decision until this report has been \
         considered and the matters in it have been put right."
            .to_string()
    } else {
        "that the Commissioner considers this report and takes no step to implement the decision \
         until that consideration has concluded (the period in section 7 must be verified first)."
            .to_string()
    });
    // One recommendation per ground, in the Commissioner's terms; grounds that ask the same
    // (the CE's advice missing and late) give it once.
    for (index, finding) in grounds.iter().enumerate() {
        let item = duties::recommendation(finding, record).map_or_else(
            || {
                format!(
                    "that the matter set out in section 5.{} ({}) is put right before the \
                     decision is acted on.",
                    index + 1,
                    lower_first(&duties::heading(finding, ruleset))
                )
            },
            |step| format!("{step}."),
        );
        if !items.contains(&item) {
            items.push(item);
        }
    }
    let gaps = advice_gaps(record, grounds);
    if !gaps.is_empty() {
        let gaps = gaps.join("; ");
        items.push(if proposed {
            format!("that the missing advice is obtained and considered before the decision is taken ({gaps}).")
        } else {
            format!(
                "that the Commissioner takes the decision again once the missing or late advice has \
                 been obtained and considered ({gaps}), rather than the record being completed \
                 after the event."
            )
        });
    }
    if let Some(day) = record.day("implemented_on") {
        items.push(format!(
            "that the steps taken to implement the decision since {} are identified, and that no \
             further step is taken while this report is considered.",
            show_day(day)
        ));
    }
    // A ground about publication already says what to publish; saying it twice reads badly.
    let publication_ground = grounds.iter().any(|finding| {
        finding.path.starts_with("publication") || finding.help.contains("`publication.")
    });
    if !proposed && !publication_ground {
        items.push(publication(record));
    }
    items.push(
        "that this report, the date it is sent and the date the Commissioner's consideration of \
         it concludes are entered on the decision record."
            .to_string(),
    );
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        let _ = writeln!(out, "{}. {item}", index + 1);
    }
    out
}

/// "Record the ..." -> "record the ...", to read on after "on MO010:".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if !chars.as_str().starts_with(|c: char| c.is_uppercase()) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

fn publication(record: &Record) -> String {
    if record.day("publication.date").is_some() {
        "that the published decision record is updated once it has been corrected, with a note \
         that it was the subject of this report."
            .to_string()
    } else if is_true(record, "significant_public_interest") {
        "that the decision record is published: it is marked as of significant public interest, \
         and the Specified Information Order requires such records to be published."
            .to_string()
    } else {
        "that the Commissioner considers whether the decision record, once corrected, should be \
         published."
            .to_string()
    }
}

/// Advice the decision was taken without, or before it was given: read from the record's
/// dates, and from the fields the grounds point at.
fn advice_gaps(record: &Record, grounds: &[&Finding]) -> Vec<String> {
    let decided = record.day("decided_on").map(|day| day.date);
    let pointed_at = |base: &str| grounds.iter().any(|finding| finding.path.starts_with(base));
    let amount = record
        .money("financial.amount")
        .filter(|amount| *amount > 0.0);
    let mut gaps = Vec::new();
    let kinds = [
        (
            "advice.chief_executive",
            "the Chief Executive's advice",
            true,
        ),
        (
            "advice.chief_finance_officer",
            "the Chief Finance Officer's sign-off",
            amount.is_some(),
        ),
        ("advice.legal", "legal advice", false),
        ("advice.equality", "the equality assessment", false),
    ];
    for (base, name, always_needed) in kinds {
        let date = record.day(&format!("{base}.date")).map(|day| day.date);
        match (date, decided) {
            (Some(date), Some(decided)) if date > decided => {
                gaps.push(format!("{name} is dated after the decision"));
            }
            (None, _) if record.get(base).is_none() && (always_needed || pointed_at(base)) => {
                let what = match (base, amount) {
                    ("advice.chief_finance_officer", Some(amount)) => {
                        format!(
                            "{name} is not recorded for a decision {} {}",
                            if super::is_income(record) {
                                "receiving"
                            } else {
                                "committing"
                            },
                            money(amount)
                        )
                    }
                    _ => format!("{name} is not recorded"),
                };
                gaps.push(what);
            }
            _ => {}
        }
    }
    gaps
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_capitalised_first_word_is_lowered() {
        assert_eq!(super::lower_first("Record the date"), "record the date");
        assert_eq!(super::lower_first("CFO sign-off"), "CFO sign-off");
    }
}
