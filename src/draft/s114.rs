//! The chief finance officer's draft report under s.114(2) of the Local Government Finance Act
//! 1988 on one decision, as the domain brief (1.3, 3.4) describes it: the decision, the
//! spending, the grounds from the finance rules, consultation (s.114(3A)), the effect while
//! the report is pending, the Commissioner's duties on receipt (s.115) and the copies. What
//! the brief marks unverified is said so. When no finance ground appears, a short note says so
//! with what was and was not checked; when the check was not complete, that it could not be
//! assessed. Text only: no I/O here.

use std::fmt::Write as _;

use crate::finding::Finding;
use crate::format::{long_date, money};
use crate::load::Record;

use super::parts::{other_matters, Grouped};
use super::s5::{decision, office_name};
use super::{
    appendix, assessment, capitalised, duties, prose, reference_of, text_at, Draft, DraftInput,
};

const ACT: &str = "Local Government Finance Act 1988";

/// The rules about money: their findings are what a s.114 report may rest on. The s.25
/// robustness report (MO022) is about the budget, and included where it arises.
const FINANCE_RULES: &[&str] = &[
    "MO014", "MO015", "MO016", "MO017", "MO018", "MO020", "MO022",
];

pub fn s114_draft(input: &DraftInput) -> Draft {
    let findings: Vec<&Finding> = input
        .findings
        .iter()
        .filter(|finding| {
            *finding.file == *input.record.file && finding.is_about(input.record.record.reference())
        })
        .collect();
    let grouped = Grouped::of(&findings, input);
    let gaps = assessment::gaps(input, &grouped);
    let finance = |finding: &&&Finding| FINANCE_RULES.contains(&&*finding.rule);
    let grounds: Vec<&Finding> = grouped.grounds.iter().filter(finance).copied().collect();
    let other: Vec<&Finding> = grouped
        .other_matters
        .iter()
        .filter(finance)
        .copied()
        .collect();
    let record = &input.record.record;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "> **DRAFT.** Prepared by mocheck from decision record {} and the findings on it. It is \
         not a report until the Chief Finance Officer has checked it, completed every part in \
         [square brackets] and signed it.\n",
        reference_of(record)
    );
    super::not_for_publication(&mut out, record);
    if grounds.is_empty() {
        no_ground(&mut out, input, &gaps, &other);
    } else {
        report(&mut out, input, &gaps, &grounds, &other);
    }
    where_it_comes_from(&mut out, input, &grounds, &other);
    super::parts::footer(&mut out, input);
    Draft {
        markdown: out,
        page_header: super::page_header(record),
        figures: Vec::new(),
        assessed: gaps.is_empty(),
    }
}

/// The first paragraph when the check was not complete: `lead` in bold, then `rest`.
fn gaps_paragraph(out: &mut String, gaps: &[String], lead: &str, rest: &str) {
    if gaps.is_empty() {
        return;
    }
    let _ = writeln!(out, "**{lead}** {rest} The reasons:\n");
    for gap in gaps {
        let _ = writeln!(out, "- {gap};");
    }
    out.push('\n');
}

/// The note when no finance finding could ground a report.
fn no_ground(out: &mut String, input: &DraftInput, gaps: &[String], other: &[&Finding]) {
    let record = &input.record.record;
    let verdict = if gaps.is_empty() {
        "no ground for a report under section 114 appears"
    } else {
        "the decision could not be assessed"
    };
    let _ = writeln!(
        out,
        "# DRAFT: Chief Finance Officer's note on decision {}: {verdict}\n",
        reference_of(record)
    );
    gaps_paragraph(
        out,
        gaps,
        "The decision could not be assessed.",
        &format!(
            "mocheck could not check this decision in full, so this note gives no assurance \
             that a report under section 114 of the {ACT} is not needed."
        ),
    );
    if gaps.is_empty() {
        let _ = writeln!(
            out,
            "The finance rules found nothing on this record that could point to expenditure the \
             Commissioner has no power to incur. On the record alone, no report under s.114(2) of \
             the {ACT} appears to be needed. [Add anything known to the Chief Finance Officer that \
             the record does not show.]\n"
        );
    }
    checked(out, input);
    if !other.is_empty() {
        other_matters(out, other);
    }
}

/// What the note rests on: the finance rules run, and what no rule can check.
fn checked(out: &mut String, input: &DraftInput) {
    out.push_str("## What was checked, and what was not\n\n");
    let ran: Vec<String> = FINANCE_RULES
        .iter()
        .filter(|id| input.ruleset.is_active(id))
        .filter_map(|id| input.ruleset.info(id))
        .map(|info| format!("- {}.", info.summary.trim_end_matches('.')))
        .collect();
    if ran.is_empty() {
        out.push_str("No finance rule was run: every one is turned off in the configuration.\n\n");
    } else {
        out.push_str("Checked on the record:\n\n");
        out.push_str(&ran.join("\n"));
        out.push_str("\n\n");
    }
    out.push_str(
        "Not checked by mocheck, and for the Chief Finance Officer to judge: whether the \
         Commissioner has the power to incur the spending at all; whether an item of account is \
         unlawful; and whether the year's spending is likely to exceed the resources available, \
         which would call for a report under s.114(3) instead.\n\n",
    );
}

fn report(
    out: &mut String,
    input: &DraftInput,
    gaps: &[String],
    grounds: &[&Finding],
    other: &[&Finding],
) {
    let record = &input.record.record;
    let _ = writeln!(
        out,
        "# DRAFT: Report of the Chief Finance Officer under section 114(2) of the {ACT}{}\n",
        if gaps.is_empty() {
            ""
        } else {
            " (the decision could not be fully assessed)"
        }
    );
    gaps_paragraph(
        out,
        gaps,
        "The decision could not be fully assessed.",
        "The grounds below were found, but mocheck could not check the whole decision, so \
         there may be others.",
    );
    let office = office_name(input);
    let _ = writeln!(
        out,
        "- **From:** the Chief Finance Officer of the {office}\n\
         - **To:** the Police and Crime Commissioner\n\
         - **Copies to:** each member of the Police and Crime Panel, and the external auditor \
           [name of the audit firm]\n\
         - **Date:** [date the report is sent] (draft prepared on {})\n\
         - **Decision concerned:** {}, {}\n",
        long_date(input.today),
        reference_of(record),
        text_at(record, "title").unwrap_or_else(|| "(no title)".to_string())
    );
    let _ = writeln!(
        out,
        "## 1. Why this report is made\n\n\
         Section 114(2) of the {ACT} requires the chief finance officer to make a report if it \
         appears to them that the authority, an office holder or employee has made or is about to \
         make a decision which involves or would involve unlawful expenditure, or has taken or is \
         about to take a course of action which, if pursued, would be unlawful and likely to \
         cause a loss or deficiency. The duty falls on the Commissioner's chief finance officer \
         (s.114(1), as it applies to Schedule 1 to the Police Reform and Social Responsibility \
         Act 2011).\n\n\
         This draft is made on the decision named above, under s.114(2). It is not a report under \
         s.114(3), which concerns spending in the year likely to exceed the resources available.\n"
    );
    out.push_str("## 2. The decision\n\n");
    decision(out, record);
    spending(out, record);
    out.push_str(
        "## 4. The grounds\n\n\
         Where the record departs from the rules on finance. Whether each amounts to unlawful \
         expenditure, or to a course of action that would be unlawful and cause a loss, is for \
         the Chief Finance Officer to judge: a missing or late sign-off is a failure of \
         procedure, and does not by itself make the spending unlawful.\n\n",
    );
    for (index, finding) in grounds.iter().enumerate() {
        let _ = writeln!(
            out,
            "### 4.{} {}\n\n{}.\n\n[Say why this makes the spending unlawful, or remove this \
             ground.]\n",
            index + 1,
            duties::heading(finding, input.ruleset),
            capitalised(&prose(&finding.message)),
        );
    }
    if !other.is_empty() {
        other_matters(out, other);
    }
    procedure(out);
    recommendations(out, grounds, record);
}

/// Sections 5 to 7: what the statute requires around the report, the same for every decision.
fn procedure(out: &mut String) {
    let _ = writeln!(
        out,
        "## 5. Consultation\n\n\
         In preparing this report the Chief Finance Officer must consult, so far as practicable, \
         the head of paid service and the monitoring officer (s.114(3A)). In an office of a \
         police and crime commissioner both are usually the Chief Executive. [Confirm.]\n\n\
         - Consulted: [name, role]\n\
         - Date and manner: [date; meeting or in writing]\n\
         - Their views: [summary]\n\n\
         ## 6. Effect while this report is pending\n\n\
         A report under s.114(2) is understood to suspend the course of action it concerns until \
         the report has been considered: nothing further should be done to pursue it, and no \
         money committed under it. The exact wording of s.115(6) and (6A) has not been verified. \
         [Check the statute before sending, and state the period.]\n\n\
         ## 7. What the Commissioner must do on receipt\n\n\
         Under s.115(1B) to (1F) of the {ACT}, as amended for police and crime commissioners, \
         the Commissioner must:\n\n\
         1. consider this report, and decide whether they agree or disagree with the views in it, \
            and what action (if any) they propose to take;\n\
         2. conclude that consideration within 21 days of the day on which copies of the report \
            are sent;\n\
         3. then prepare a report saying what action they have taken or propose to take, with \
            their reasons (or their reasons for taking none), and send it to the Chief Finance \
            Officer, the external auditor and each member of the Police and Crime Panel.\n\n\
"
    );
}

fn recommendations(out: &mut String, grounds: &[&Finding], record: &Record) {
    out.push_str("## 8. Recommendations\n\nIt is recommended:\n\n");
    let mut items = vec![
        "that the Commissioner considers this report, and takes no further step under the \
         decision until that consideration has concluded;"
            .to_string(),
    ];
    for finding in grounds {
        if let Some(step) = duties::recommendation(finding, record) {
            items.push(format!("{step};"));
        }
    }
    items.dedup();
    let last = items.len() - 1;
    for (index, item) in items.iter().enumerate() {
        let item = if index == last {
            format!("{}.", item.trim_end_matches(';'))
        } else {
            item.clone()
        };
        let _ = writeln!(out, "{}. {item}", index + 1);
    }
    out.push_str("\nSigned: [signature]\n\n[Name], Chief Finance Officer\n\nDate: [date]\n\n");
}

/// The spending: what the record gives of the amount, its direction and its cover.
fn spending(out: &mut String, record: &Record) {
    out.push_str("## 3. The spending in question\n\n| Item | From the record |\n|---|---|\n");
    let missing = || "not recorded".to_string();
    let income = super::is_income(record);
    let mut row = |item: &str, value: String| {
        let _ = writeln!(out, "| {item} | {value} |");
    };
    row(
        if income {
            "Amount received"
        } else {
            "Amount committed"
        },
        record.money("financial.amount").map_or_else(missing, money),
    );
    row(
        "Certified by the Chief Finance Officer",
        record
            .money("advice.chief_finance_officer.certified_amount")
            .map_or_else(missing, money),
    );
    row(
        "Funding source",
        text_at(record, "financial.funding_source").unwrap_or_else(missing),
    );
    row(
        "Within the approved budget",
        match record.get("financial.within_approved_budget") {
            Some(crate::load::Value::Bool(true)) => "yes".to_string(),
            Some(crate::load::Value::Bool(false)) => "no".to_string(),
            _ => missing(),
        },
    );
    row(
        "Virement or reserve approval",
        text_at(record, "financial.virement").unwrap_or_else(missing),
    );
    out.push('\n');
}

/// The appendix for the office's staff: each finding's rule, field and place in the file.
fn where_it_comes_from(
    out: &mut String,
    input: &DraftInput,
    grounds: &[&Finding],
    other: &[&Finding],
) {
    let _ = writeln!(
        out,
        "## Appendix: Where this comes from in the record\n\n\
         The decision record is {} (from line {}).\n",
        super::code(&input.record.file),
        input.record.record.span.line
    );
    let all: Vec<&Finding> = grounds.iter().chain(other).copied().collect();
    out.push_str(&appendix::sources(&all, &[]));
    out.push('\n');
}
