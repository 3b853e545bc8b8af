//! The draft monitoring officer's report under s.5 LGHA 1989 on one decision, following the
//! structure of the domain brief (3.3). Only unwaived errors of data rules become grounds;
//! everything else goes to appendices. Text only: no I/O here.

use std::fmt::Write as _;

use crate::finding::Finding;
use crate::format::money;
use crate::load::Record;

use super::appendix;
use super::parts::{banner, footer, other_matters, Grouped};
use super::statute::{consultation, effect, signature, statutory_basis, STATUTE};
use super::{
    assessment, capitalised, cell, chronology, count, duties, explain_section, is_income, is_true,
    note, page_header, prose, recommend, reference_of, role_words, show_day, text_at, withheld,
    words, Draft, DraftInput,
};

/// The s.5 draft for the decision in `input`, or, when it has no unwaived error that could be
/// a contravention, a short note saying that no report appears to be needed.
pub fn s5_draft(input: &DraftInput) -> Draft {
    let findings = own_findings(input);
    let grouped = Grouped::of(&findings, input);
    let page_header = page_header(&input.record.record);
    let gaps = assessment::gaps(input, &grouped);
    if grouped.grounds.is_empty() {
        return Draft {
            markdown: note::no_report(input, &grouped, &gaps),
            page_header,
            figures: Vec::new(),
            assessed: gaps.is_empty(),
        };
    }
    let record = &input.record.record;
    let mut out = String::new();
    banner(&mut out, record);
    let _ = writeln!(
        out,
        "# DRAFT: Report of the Monitoring Officer under section 5 of the {STATUTE}{}\n",
        if gaps.is_empty() {
            ""
        } else {
            " (the decision could not be fully assessed)"
        }
    );
    not_fully_assessed(&mut out, &gaps);
    addressees(&mut out, input);
    statutory_basis(&mut out);
    decision_section(&mut out, record);
    conclusion(&mut out, input, &grouped);
    out.push_str("## 4. Background: chronology from the record\n\n");
    out.push_str(
        "Taken from the decision record. Steps the record does not show are listed as not recorded.\n\n",
    );
    out.push_str(&chronology::table(record));
    out.push('\n');
    law(&mut out, input, &grouped.grounds);
    consultation(&mut out, record);
    effect(&mut out, record);
    out.push_str("## 8. Recommendations\n\nIt is recommended:\n\n");
    out.push_str(&recommend::list(record, &grouped.grounds, input.ruleset));
    out.push('\n');
    other_matters(&mut out, &grouped.other_matters);
    signature(&mut out);
    appendices(&mut out, input, &grouped);
    footer(&mut out, input);
    Draft {
        markdown: out,
        page_header,
        figures: Vec::new(),
        assessed: gaps.is_empty(),
    }
}

/// The first paragraph when the check was not complete: the grounds found stand, but more
/// may be found once the record can be checked in full.
fn not_fully_assessed(out: &mut String, gaps: &[String]) {
    if gaps.is_empty() {
        return;
    }
    out.push_str(
        "**The decision could not be fully assessed.** The grounds below were found, but \
         mocheck could not check the whole decision, so there may be others:\n\n",
    );
    for gap in gaps {
        let _ = writeln!(out, "- {gap};");
    }
    out.push('\n');
}

/// The findings of this decision only. The caller should pass just these; the guard keeps a
/// slip there from putting another decision's facts into a statutory report.
fn own_findings<'a>(input: &'a DraftInput) -> Vec<&'a Finding> {
    let reference = input.record.record.reference();
    input
        .findings
        .iter()
        .filter(|finding| *finding.file == *input.record.file && finding.is_about(reference))
        .collect()
}

pub(super) fn office_name<'a>(input: &'a DraftInput) -> &'a str {
    input
        .office_name
        .or(input.ruleset.office_name.as_deref())
        .unwrap_or("Office of the Police and Crime Commissioner")
}

/// "Police and Crime Commissioner for Exampleshire" from the office's name, when it has the
/// usual form; the office is the commissioner's staff, the report goes to the commissioner.
fn commissioner(office: &str) -> String {
    office
        .strip_prefix("Office of the ")
        .filter(|rest| rest.starts_with("Police"))
        .map_or_else(
            || "the Police and Crime Commissioner".to_string(),
            |rest| format!("the {rest}"),
        )
}

fn addressees(out: &mut String, input: &DraftInput) {
    let office = office_name(input);
    let _ = writeln!(
        out,
        "- **From:** the Chief Executive of the {office}, as Monitoring Officer\n\
         - **To:** {}\n\
         - **Copy to:** each member of the Police and Crime Panel, sent through the panel's host authority\n\
         - **Date:** [date the report is sent] (draft prepared on {})\n\
         - **Report reference:** [to be allocated]\n\
         - **Decision concerned:** {}, {}\n",
        commissioner(office),
        crate::format::long_date(input.today),
        reference_of(&input.record.record),
        text_at(&input.record.record, "title").unwrap_or_else(|| "(no title)".to_string())
    );
}

fn decision_section(out: &mut String, record: &Record) {
    out.push_str("## 2. The decision\n\n");
    decision(out, record);
}

/// The decision as a table: what it is, who took it, when, and the money.
pub(super) fn decision(out: &mut String, record: &Record) {
    out.push_str("| Item | From the record |\n|---|---|\n");
    let mut row = |item: &str, value: String| {
        let _ = writeln!(out, "| {item} | {value} |");
    };
    let missing = || "not recorded".to_string();
    row("Reference", reference_of(record));
    row("Title", text_at(record, "title").unwrap_or_else(missing));
    row(
        "Type",
        match record.types().as_slice() {
            [] => missing(),
            kinds => {
                let kinds: Vec<String> = kinds.iter().map(|kind| words(kind)).collect();
                crate::draft::capitalised(&crate::draft::and_list(&kinds))
            }
        },
    );
    row("Status", status_words(record));
    row(
        "Date of decision",
        record.day("decided_on").map_or_else(missing, show_day),
    );
    let maker = match (
        text_at(record, "decision_maker.name"),
        record.text("decision_maker.role"),
    ) {
        (Some(name), Some(role)) => format!("{name}, {}", role_words(role)),
        (Some(name), None) => name,
        (None, Some(role)) => role_words(role),
        (None, None) => missing(),
    };
    row("Taken by", maker);
    row(
        "Authority relied on",
        text_at(record, "decision_maker.authority").unwrap_or_else(missing),
    );
    let amount = record
        .money("financial.amount")
        .map_or_else(missing, |amount| match record.text("financial.kind") {
            Some(kind) if kind != "none" => format!("{} ({kind})", money(amount)),
            _ => money(amount),
        });
    row(
        if is_income(record) {
            "Amount received"
        } else {
            "Amount committed"
        },
        amount,
    );
    row(
        "Funding source",
        text_at(record, "financial.funding_source").unwrap_or_else(missing),
    );
    let flags = [
        ("urgent", "taken as urgent"),
        (
            "significant_public_interest",
            "of significant public interest",
        ),
        ("force_business", "about the force's business"),
    ];
    let marked: Vec<&str> = flags
        .iter()
        .filter(|(path, _)| is_true(record, path))
        .map(|(_, words)| *words)
        .collect();
    if !marked.is_empty() {
        row("Marked as", marked.join("; "));
    }
    // A withheld record's own summary may hold the exempt information: the draft gives the
    // public summary instead, or leaves the place for one.
    if withheld(record).is_some() {
        row(
            "Public summary",
            text_at(record, "confidentiality.public_summary")
                .unwrap_or_else(|| "[none recorded: the summary is withheld]".to_string()),
        );
    } else if let Some(summary) = text_at(record, "summary") {
        row("Summary", summary);
    }
    out.push('\n');
}

fn status_words(record: &Record) -> String {
    match record.status() {
        Some("proposed") => "Proposed: not yet taken".to_string(),
        Some("decided") => "Decided".to_string(),
        Some("withdrawn") => "Withdrawn".to_string(),
        Some(other) => cell(other),
        None => "not recorded".to_string(),
    }
}

fn conclusion(out: &mut String, input: &DraftInput, grouped: &Grouped) {
    let record = &input.record.record;
    out.push_str("## 3. Summary conclusion\n\n");
    let proposed = record.status() == Some("proposed");
    if proposed {
        out.push_str(
            "The decision has not yet been taken. This report concerns a proposal and what it \
             would give rise to if it were taken in its present form.\n\n",
        );
    } else if let Some(day) = record.day("decided_on") {
        let _ = writeln!(out, "The decision was made on {}.\n", show_day(day));
    }
    if let Some(day) = record.day("implemented_on") {
        let _ = writeln!(
            out,
            "The record shows that implementation started on {}.\n",
            show_day(day)
        );
    }
    let _ = writeln!(
        out,
        "On the record as it stands, it appears that the {} {} a contravention of an enactment \
         or rule of law within s.5(2)(a), on {}:\n",
        if proposed { "proposal" } else { "decision" },
        if proposed {
            "would give rise to"
        } else {
            "has given rise to, or is likely to give rise to,"
        },
        count(grouped.grounds.len(), "ground")
    );
    for finding in &grouped.grounds {
        let _ = writeln!(
            out,
            "- {}: {}{}",
            duties::heading(finding, input.ruleset),
            prose(&finding.message),
            if finding.baselined {
                " (accepted as history by the office's baseline: see Appendix B)"
            } else {
                ""
            }
        );
    }
    out.push_str(
        "\nEach ground is set out in section 5. The findings show where the record departs from \
         the rules checked; whether each one amounts to a contravention is for the monitoring \
         officer to judge. [Confirm or amend this conclusion.]\n",
    );
    if !grouped.other_matters.is_empty() {
        let _ = writeln!(
            out,
            "\nThe check also found {} of a code of practice, the office's policy or good \
             practice (\"Other matters\", after the recommendations). They are not grounds of \
             this report.",
            count(grouped.other_matters.len(), "departure")
        );
    }
    let others = grouped.good_practice.len();
    if others > 0 {
        let _ = writeln!(
            out,
            "\nThe check also found {} of good practice (Appendix A). They are not grounds of this \
             report.",
            count(others, "point")
        );
    }
    out.push('\n');
}

fn law(out: &mut String, input: &DraftInput, grounds: &[&Finding]) {
    out.push_str(
        "## 5. The law engaged, and analysis\n\nOne part for each ground: what the law \
         requires, what the decision record shows, and why it matters.\n\n",
    );
    for (index, finding) in grounds.iter().enumerate() {
        let info = input.ruleset.info(&finding.rule);
        let _ = writeln!(
            out,
            "### 5.{} {}\n",
            index + 1,
            duties::heading(finding, input.ruleset)
        );
        if let Some(info) = info.filter(|info| !info.summary.is_empty()) {
            let _ = writeln!(
                out,
                "**What is required.** {}.\n",
                info.summary.trim_end_matches('.')
            );
        }
        let basis = if finding.basis.is_empty() {
            "[none given in the ruleset: state the enactment or rule of law]".to_string()
        } else {
            finding.basis.join("; ")
        };
        let _ = writeln!(out, "**Legal basis.** {basis}.\n");
        let _ = writeln!(
            out,
            "**What the record shows.** {}.\n",
            capitalised(&prose(&finding.message))
        );
        if let Some(baseline) = finding.baseline.as_deref().filter(|_| finding.baselined) {
            let _ = writeln!(
                out,
                "**Accepted as history.** The office's baseline accepts this finding as history: \
                 {}. A baseline only stops the check failing on old records; it does not decide \
                 whether the decision was lawful.\n",
                prose(baseline)
            );
        }
        if let Some(why) = info.and_then(|info| why_it_matters(&info.explain)) {
            let _ = writeln!(out, "**Why it matters.**\n\n{why}\n");
        }
        if let Some(step) = duties::recommendation(finding, &input.record.record) {
            let _ = writeln!(
                out,
                "**What would put it right.** {}.\n",
                capitalised(step.trim_start_matches("that "))
            );
        }
        out.push_str(
            "[Analysis: confirm the facts and say why they amount to a contravention, or remove \
             this ground.]\n\n",
        );
    }
}

/// A paragraph of an explanation written for whoever maintains the rules or records (how the
/// rule reads the record, what it simplifies), not for the Commissioner.
fn speaks_to_the_office(paragraph: &str) -> bool {
    let lower = paragraph.to_lowercase();
    ["mocheck", "simplification", "the rule ", "this rule"]
        .iter()
        .any(|words| lower.contains(words))
}

/// The "Why it matters" part of a rule's explanation, without the paragraphs that speak to
/// the office (they go to the appendix as notes for the monitoring officer).
fn why_it_matters(explain: &str) -> Option<String> {
    let section = explain_section(explain, "Why it matters")?;
    let kept: Vec<&str> = section
        .split("\n\n")
        .filter(|paragraph| !speaks_to_the_office(paragraph))
        .collect();
    (!kept.is_empty()).then(|| kept.join("\n\n"))
}

/// The notes left out of the body: for each ground, the paragraphs of "Why it matters" that
/// speak to the office, folded to one line.
pub(super) fn notes(grounds: &[&Finding], input: &DraftInput) -> Vec<(String, String)> {
    let mut notes = Vec::new();
    for finding in grounds {
        let Some(info) = input.ruleset.info(&finding.rule) else {
            continue;
        };
        let Some(section) = explain_section(&info.explain, "Why it matters") else {
            continue;
        };
        for paragraph in section.split("\n\n").filter(|p| speaks_to_the_office(p)) {
            let note = (finding.rule.to_string(), super::fold(paragraph));
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    notes
}

fn appendices(out: &mut String, input: &DraftInput, grouped: &Grouped) {
    out.push_str(
        "## Appendix A: Good-practice points\n\n\
         Found at warning or info level. They are offered as good practice only: they are not \
         said to be contraventions of any enactment or rule of law, and they are not grounds of \
         this report.\n\n",
    );
    out.push_str(&appendix::good_practice(&grouped.good_practice));
    out.push_str(
        "\n## Appendix B: Waived findings\n\n\
         Exceptions accepted on the record by a waiver in force. Listed so that nothing is hidden; \
         they are not grounds of this report.\n\n",
    );
    out.push_str(&appendix::waived(&grouped.waived));
    if !grouped.baselined.is_empty() {
        out.push_str(
            "\nAccepted as history by the office's baseline (old findings the check no longer \
             fails on). Each is also listed above where its level puts it.\n\n",
        );
        out.push_str(&appendix::baselined(&grouped.baselined));
    }
    out.push_str(
        "\n## Appendix C: Problems with the record itself\n\n\
         Errors about the record rather than the decision (for example a record that could not be \
         read, or a waiver without a reason). They are not grounds of this report, but the record \
         cannot be relied on until they are put right.\n\n",
    );
    out.push_str(&appendix::record_problems(&grouped.record_problems));
    let record = &input.record.record;
    let _ = writeln!(
        out,
        "\n## Appendix D: The decision record and background papers\n\n\
         Attach the decision record {} and the background papers it lists:\n",
        reference_of(record),
    );
    out.push_str(&papers(record));
    out.push_str("\n[Add any other papers relied on in this report.]\n\n");
    let _ = writeln!(
        out,
        "## Appendix E: Where this comes from in the record\n\nThe decision record is {} \
         (from line {}).\n",
        super::code(&input.record.file),
        record.span.line
    );
    out.push_str(&appendix::sources(
        &own_findings(input),
        &notes(&grouped.grounds, input),
    ));
    out.push('\n');
}

fn papers(record: &Record) -> String {
    let total = super::list_len(record, "background_papers");
    if total == 0 {
        return "- none listed in the record\n".to_string();
    }
    let mut out = String::new();
    for index in 0..total {
        let path = format!("background_papers[{index}]");
        let title =
            text_at(record, &format!("{path}.title")).unwrap_or_else(|| "(untitled)".into());
        let published = match record.get(&format!("{path}.published")) {
            Some(crate::load::Value::Bool(true)) => "published",
            Some(crate::load::Value::Bool(false)) => "not published",
            _ => "publication not recorded",
        };
        let _ = writeln!(out, "- {title} ({published})");
    }
    out
}
