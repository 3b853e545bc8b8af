//! The short note given instead of an s.5 draft when a decision has no unwaived error that
//! could be a contravention: it says so, and lists what was found at lower levels. When the
//! check was not complete (see `assessment`), it says instead that the decision could not be
//! assessed, and why: never that no report is needed.

use std::fmt::Write as _;

use super::appendix;
use super::parts::{banner, footer, Grouped};
use super::statute::STATUTE;
use super::{reference_of, role_words, show_day, text_at, DraftInput};

pub(super) fn no_report(input: &DraftInput, grouped: &Grouped, gaps: &[String]) -> String {
    let record = &input.record.record;
    let reference = reference_of(record);
    let mut out = String::new();
    banner(&mut out, record);
    let verdict = if gaps.is_empty() {
        "no section 5 report appears to be needed"
    } else {
        "the decision could not be assessed"
    };
    let _ = writeln!(
        out,
        "# DRAFT: Monitoring Officer's note on decision {reference}: {verdict}\n"
    );
    if !gaps.is_empty() {
        let _ = writeln!(
            out,
            "**The decision could not be assessed.** mocheck could not check this decision in \
             full, so this note gives no assurance that a report under section 5 of the \
             {STATUTE} is not needed. The reasons:\n"
        );
        for gap in gaps {
            let _ = writeln!(out, "- {gap};");
        }
        out.push_str(
            "\nUntil these are put right, the monitoring officer should assess the decision \
             from the papers. [Record the outcome of that assessment.]\n\n",
        );
    }
    let title = text_at(record, "title").unwrap_or_else(|| "(no title)".to_string());
    let _ = writeln!(out, "- **Decision:** {reference}, {title}");
    let status = match (record.status(), record.day("decided_on")) {
        (Some("decided"), Some(day)) => format!("decided on {}", show_day(day)),
        (Some("proposed"), _) => "proposed, not yet taken".to_string(),
        (Some(other), _) => other.to_string(),
        (None, _) => "not recorded".to_string(),
    };
    let _ = writeln!(out, "- **Status:** {status}");
    if let Some(name) = text_at(record, "decision_maker.name") {
        let role = record
            .text("decision_maker.role")
            .map(|role| format!(", {}", role_words(role)))
            .unwrap_or_default();
        let _ = writeln!(out, "- **Taken by:** {name}{role}");
    }
    let _ = writeln!(
        out,
        "- **Date of this note:** [date] (draft prepared on {})\n",
        crate::format::long_date(input.today)
    );
    if gaps.is_empty() {
        let _ = writeln!(
            out,
            "The check of this record found no unwaived error of a rule that rests on an \
             enactment or rule of law. Nothing in the record \
             therefore points to a contravention of an enactment or rule of law under section 5(2)(a) \
             of the {STATUTE}, and on the record alone no report under section 5 appears to be \
             needed.\n\n\
             This rests only on what the record shows and on the rules checked. [Add anything known \
             to the monitoring officer that the record does not show, or strike out this note if a \
             report is needed after all.]\n"
        );
    }
    if !grouped.record_problems.is_empty() {
        out.push_str(
            "## Problems with the record itself\n\nUntil these are put right this note cannot \
             be relied on:\n\n",
        );
        out.push_str(&appendix::record_problems(&grouped.record_problems));
        out.push('\n');
    }
    super::parts::other_matters(&mut out, &grouped.other_matters);
    out.push_str(
        "## Good-practice points\n\nWarnings and info found on the record. They are not \
         contraventions of any enactment or rule of law.\n\n",
    );
    out.push_str(&appendix::good_practice(&grouped.good_practice));
    if !grouped.waived.is_empty() {
        out.push_str("\n## Waived findings\n\n");
        out.push_str(&appendix::waived(&grouped.waived));
    }
    if !grouped.baselined.is_empty() {
        out.push_str(
            "\n## Accepted as history by the baseline\n\nOld findings the check no longer fails \
             on; each is also listed above where its level puts it.\n\n",
        );
        out.push_str(&appendix::baselined(&grouped.baselined));
    }
    out.push_str("\nChecked by: [name], Chief Executive and Monitoring Officer\n\n");
    out.push_str("## Where this comes from in the record\n\n");
    let all: Vec<&crate::finding::Finding> = input
        .findings
        .iter()
        .filter(|finding| {
            *finding.file == *input.record.file && finding.is_about(input.record.record.reference())
        })
        .collect();
    out.push_str(&appendix::sources(&all, &[]));
    out.push('\n');
    footer(&mut out, input);
    out
}
