//! The parts of the s.5 draft that state the law in fixed words: the statutory basis,
//! consultation, the effect of a report and the signature. What has not been verified is said
//! so here, in one place, so that it can be corrected once checked.

use std::fmt::Write as _;

use crate::load::Record;

use super::{show_day, text_at};

pub(super) const STATUTE: &str = "Local Government and Housing Act 1989";

pub(super) fn statutory_basis(out: &mut String) {
    let _ = writeln!(
        out,
        "## 1. Statutory basis\n\n\
         Section 5(2) of the {STATUTE} requires the monitoring officer to prepare a report if it \
         appears to them that a proposal, decision or omission of the authority, or of anyone \
         acting for it, has given rise to, or is likely to or would give rise to, a contravention \
         of any enactment or rule of law. The chief executive of a police and crime commissioner \
         is its monitoring officer (s.5(1C), as amended by the Police Reform and Social \
         Responsibility Act 2011).\n\n\
         This report is made under s.5(2)(a) only: a possible contravention of an enactment or \
         rule of law. It does not rely on s.5(2)(b) (maladministration or injustice). That limb \
         arises only after a Local Commissioner has investigated (s.5(2A)), and whether the \
         Ombudsman's jurisdiction reaches police and crime commissioners has not been verified.\n"
    );
}

pub(super) fn consultation(out: &mut String, record: &Record) {
    out.push_str(
        "## 6. Consultation with the Chief Finance Officer\n\n\
         > **To complete.** In preparing this report the monitoring officer must consult the head \
         of paid service and the chief finance officer, so far as practicable (s.5(3)(a)). The \
         chief executive of a police and crime commissioner is also its head of paid service, so \
         the consultee in practice is the Chief Finance Officer.\n\n\
         - Chief Finance Officer consulted: [name]\n\
         - Date and manner of consultation: [date; meeting or in writing]\n\
         - Their views: [summary]\n\
         - If consultation was not practicable, why: [reason]\n\n",
    );
    if let Some(name) = text_at(record, "advice.chief_finance_officer.name") {
        let when = record.day("advice.chief_finance_officer.date").map_or_else(
            || "without a date".to_string(),
            |day| format!("on {}", show_day(day)),
        );
        let _ = writeln!(
            out,
            "For reference, the decision record shows a sign-off by {name} {when}.\n"
        );
    }
}

pub(super) fn effect(out: &mut String, record: &Record) {
    out.push_str(
        "## 7. Effect of this report\n\n\
         Copies of this report are to be sent, as soon as practicable, to the Commissioner and to \
         the Police and Crime Panel (s.5(3)(b)).\n\n\
         For councils, the general rule in s.5(5) and (6) is that the authority must consider a \
         report at a meeting held within 21 days of copies being sent, and must make sure that no \
         step is taken to give effect to the proposal or decision while the report is being \
         considered: from the day copies are sent until the end of the first business day after \
         consideration ends.\n\n\
         > **Not verified.** Section 5(5) has its own wording for an elected local policing body. \
         The exact period for consideration, how a police and crime commissioner is to consider \
         the report, and how the suspension of implementation applies to a commissioner have NOT \
         been verified. Check s.5(5) and (6) on legislation.gov.uk, and correct this section, \
         before the report is sent.\n\n\
         Until that is done, the safe course is to take no step to implement the decision from \
         the day this report is sent until the Commissioner's consideration of it has concluded.\n\n",
    );
    if let Some(day) = record.day("implemented_on") {
        let _ = writeln!(
            out,
            "The record shows that implementation started on {}. [Identify the steps already \
             taken and any further step that the suspension would catch.]\n",
            show_day(day)
        );
    }
    out.push_str(
        "The Commissioner must also give the monitoring officer the staff, accommodation and other \
         resources that are, in the monitoring officer's opinion, sufficient for these duties \
         (s.5(1)); how s.5(1) is adapted for police and crime commissioners has not been \
         verified.\n\n",
    );
}

pub(super) fn signature(out: &mut String) {
    out.push_str(
        "Signed: [signature]\n\n\
         [Name], Chief Executive and Monitoring Officer\n\n\
         Date: [date]\n\n",
    );
}
