//! The duties of the built-in rules in the words of a report's readers: a heading that says
//! what is wrong ("The Chief Finance Officer's sign-off does not cover the amount committed")
//! and a recommendation to the Commissioner. Rule ids and field names stay in the appendix
//! "Where this comes from in the record". A rule of an office's own gets its summary instead.

use crate::finding::Finding;
use crate::format::money;
use crate::load::Record;
use crate::rules::RuleSet;

/// What is wrong, as a heading: from this table for the built-in rules, else from the rule's
/// summary when the ruleset is at hand, else from the rule's name.
pub(super) fn heading<'r>(finding: &Finding, ruleset: impl Into<Option<&'r RuleSet>>) -> String {
    let known = match &*finding.rule {
        "MO001" => "The Chief Executive and the Chief Finance Officer are not distinct",
        "MO002" => "A sign-off is not by the holder of the office",
        "MO003" => "A decision reserved to the Commissioner was taken by someone else",
        "MO004" => "The decision does not cite the delegated authority it was taken under",
        "MO005" => "The decision is above the delegated limit of the person who took it",
        "MO010" => "The Chief Executive, as monitoring officer, was not shown to have advised",
        "MO011" => "The Chief Executive's advice came after the decision",
        "MO012" => "Legal advice was needed but is not recorded",
        "MO013" => "The legal advice came after the decision",
        "MO014" => "The Chief Finance Officer has not signed off the spending",
        "MO015" => "The Chief Finance Officer's sign-off came after the decision",
        "MO016" => "The Chief Finance Officer's sign-off does not cover the amount committed",
        "MO017" => "The decision does not say which budget will pay for it",
        "MO018" => "Spending outside the approved budget has no recorded virement",
        "MO020" => "The Chief Finance Officer's concern has not been reported",
        "MO021" => "The decision was acted on while a statutory report was pending",
        "MO022" => "The budget has no report on the robustness of the estimates and reserves",
        "MO023" => "The precept did not follow the statutory timetable with the Panel",
        "MO024" => "The public's views on the precept were not sought",
        "MO030" => "The procurement route is not recorded",
        "MO031" => "A contract above the statutory threshold was not competed",
        "MO032" => "A contract above the local tender band was not tendered",
        "MO033" => "A direct award has no recorded justification",
        "MO040" => "A decision of significant public interest has not been published",
        "MO041" => "The decision was not published promptly",
        "MO042" => "Information is withheld without a stated exemption",
        "MO043" => "A confidential decision has no public summary",
        "MO034" => "The contract and any invitation to tender are to be published",
        "MO050" => "Due regard to the equality duty is not shown",
        "MO051" => "The reason the equality duty is not relevant is not given",
        "MO052" => "The record has no declaration of interests",
        "MO053" => "A declared conflict of interest was not managed",
        "MO060" => "The Chief Constable was not consulted on the plan",
        "MO061" => "The audit committee has not reviewed the matter",
        "MO062" => "The Chief Constable's view on force business is not recorded",
        "MO063" => "The reason for urgency is not recorded",
        "MO064" => "The background papers relied on are not listed",
        "MO065" => "The Panel has not reviewed the proposed Chief Constable appointment",
        "MO066" => "A sign-off gives an office, not a name",
        "MO067" => "The Chief Executive's advice rests on attendance at the meeting",
        "MO068" => "A reserved decision was taken by an acting Commissioner",
        "MO069" => "The Panel's report on the proposed precept is dated after 8 February",
        "MO070" => "The precept was set before the Panel's scrutiny was shown to have ended",
        "MO071" => "No revised precept is shown to have followed the Panel's veto",
        "MO090" => "Part of the record could not be read",
        "MO093" => "The reference does not follow the office's numbering",
        "MO098" => "A baseline entry no longer matches",
        "MO091" => "The record has a field mocheck does not know",
        "MO092" => "Another record has the same reference",
        "MO094" => "The record gives a date after today",
        "MO095" => "A waiver does not give its reason or approver",
        "MO096" => "A waiver is not used",
        "MO097" => "A waiver has expired",
        "MO099" => "The record does not give the decision date",
        "MO100" => "The record has no reference",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    ruleset
        .into()
        .and_then(|ruleset| ruleset.info(&finding.rule))
        .map(|info| info.summary.trim_end_matches('.').to_string())
        .filter(|summary| !summary.is_empty())
        .unwrap_or_else(|| finding.name.replace('-', " "))
}

/// What the Commissioner is asked to do about it, for the built-in rules where the record
/// gives enough to say it; `None` leaves the general recommendation.
pub(super) fn recommendation(finding: &Finding, record: &Record) -> Option<String> {
    let amount = record.money("financial.amount").map(money);
    let text = match &*finding.rule {
        "MO010" | "MO011" => "that the Chief Executive's advice, as monitoring officer, is obtained and considered before the decision is acted on".to_string(),
        "MO012" | "MO013" => "that legal advice on the decision is obtained and considered before it is acted on".to_string(),
        "MO014" | "MO015" if super::is_income(record) => format!(
            "that the Chief Finance Officer's advice on the {}receipt is obtained before the decision is acted on",
            amount.as_ref().map(|amount| format!("{amount} ")).unwrap_or_default()
        ),
        "MO014" | "MO015" => format!(
            "that the Chief Finance Officer's sign-off {}is obtained before any money is committed",
            amount.as_ref().map(|amount| format!("of {amount} ")).unwrap_or_default()
        ),
        "MO016" => format!(
            "that the Chief Finance Officer's certification of the full {} is obtained before the commitment is made",
            amount.unwrap_or_else(|| "amount".to_string())
        ),
        "MO017" => "that the budget, reserve or grant that will pay for the decision is identified and confirmed by the Chief Finance Officer".to_string(),
        "MO018" => "that a virement or other approval for the spending outside the approved budget is made under the financial regulations before the money is committed".to_string(),
        "MO023" | "MO069" | "MO070" | "MO071" => "that the precept is issued only once the Police and Crime Panel's scrutiny under Schedule 5 has ended, and that the dates of each step are confirmed from the Panel's minutes".to_string(),
        "MO022" => "that the Chief Finance Officer's report on the robustness of the estimates and the adequacy of reserves is obtained and considered with the budget".to_string(),
        "MO031" | "MO032" | "MO033" => "that the contract is not entered into until the procurement route has been confirmed as lawful, or the requirement is competed".to_string(),
        "MO040" | "MO041" => "that the decision is published, with the information the Specified Information Order requires".to_string(),
        "MO042" => "that the ground for withholding each part of the decision is stated, or the information is published".to_string(),
        "MO050" => "that due regard to the public sector equality duty is had, and shown, before the decision is acted on".to_string(),
        "MO003" => "that the decision is taken again by the Commissioner personally".to_string(),
        "MO005" => "that the decision is taken again by someone whose delegated limit covers it, or by the Commissioner".to_string(),
        _ => return None,
    };
    Some(text)
}
