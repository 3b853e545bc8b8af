//! Record format 2, rows 9 and 14: the precept as the process Schedule 5 makes it (each step
//! its own finding, one notice for the budget and the precept), and a chief constable
//! appointment made subject to the panel's confirmation hearing.

use serde_json::Value;

use crate::support::{check_json, mocheck_in, stdout, tree};

/// One notice that sets the budget and the precept, as real notices do; `precept` is the
/// block of its steps, indented under `precept:`.
fn precept_record(decided_on: &str, precept: &str) -> String {
    format!(
        "reference: PCC-2026-004
title: Budget and police precept 2026-27
type: [budget, precept]
status: decided
decision_maker:
  role: pcc
  name: Philip Seccombe
decided_on: {decided_on}
advice:
  chief_executive:
    name: Polly Reed
    date: 2026-02-16
  chief_finance_officer:
    name: Sara Ansell
    date: 2026-02-16
    robustness_report: 2026-01-20
consultation:
  public:
    from: 2025-11-10
    to: 2025-12-19
interests:
  declaration: true
precept:
{precept}"
    )
}

/// (rule, path, line, column, message) of every finding of `rules`.
fn found(record: &str, rules: &[&str]) -> Vec<(String, String, u64, u64, String)> {
    let dir = tree(&[("PCC-2026-004.yaml", record.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| rules.contains(&finding["rule"].as_str().unwrap()))
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap().to_string(),
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
                finding["column"].as_u64().unwrap(),
                finding["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const STEPS: &[&str] = &["MO023", "MO069", "MO070", "MO071"];

#[test]
fn a_precept_that_followed_every_step_passes_them_all() {
    let record = precept_record(
        "2026-02-18",
        "  proposed_on: 2026-01-22\n  notified_to_panel_on: 2026-01-23\n  panel_meeting_on: 2026-02-03\n  panel_report_on: 2026-02-04\n  vetoed: false\n",
    );
    assert_eq!(found(&record, STEPS), []);
    // Checked as a budget too: with no robustness report the budget rule reports, once.
    let without = record.replace("    robustness_report: 2026-01-20\n", "");
    let robustness = found(&without, &["MO022"]);
    assert_eq!(robustness.len(), 1, "{robustness:?}");
}

#[test]
fn the_panel_meeting_is_not_the_day_the_panel_was_sent_the_proposal() {
    // Version 1 had one panel date; a notice's meeting date fitted it and hid a late proposal.
    let record = precept_record(
        "2026-02-18",
        "  notified_to_panel_on: 2026-02-02\n  panel_meeting_on: 2026-02-03\n  panel_report_on: 2026-02-05\n",
    );
    let found = found(&record, STEPS);
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, path, line, column, message) = &found[0];
    assert_eq!(
        (rule.as_str(), path.as_str()),
        ("MO023", "precept.notified_to_panel_on")
    );
    assert_eq!((*line, *column), (24, 25), "at the date: {found:?}");
    assert_eq!(
        message,
        "the proposed precept was sent to the police and crime panel on 2 February 2026, after the deadline of 1 February 2026"
    );
}

#[test]
fn a_precept_set_before_the_panel_reported_is_its_own_finding() {
    let record = precept_record(
        "2026-02-04",
        "  notified_to_panel_on: 2026-01-23\n  panel_meeting_on: 2026-02-03\n  panel_report_on: 2026-02-06\n",
    );
    let found = found(&record, STEPS);
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, path, line, _, message) = &found[0];
    assert_eq!(
        (rule.as_str(), path.as_str(), *line),
        ("MO070", "precept.panel_report_on", 26)
    );
    assert!(
        message.starts_with("the precept was set on 4 February 2026, before the police and crime panel reported on the proposal on 6 February 2026"),
        "{message}"
    );
}

#[test]
fn a_veto_needs_a_revised_precept_and_the_panels_answer() {
    let record = precept_record(
        "2026-02-18",
        "  notified_to_panel_on: 2026-01-23\n  panel_report_on: 2026-02-06\n  vetoed: true\n",
    );
    let found = found(&record, STEPS);
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(rules, ["MO070", "MO071"], "{found:?}");
    // No response recorded: the revised precept rule points at the veto.
    assert_eq!((found[1].1.as_str(), found[1].2), ("precept.vetoed", 26));
    assert!(found[1].4.contains(
        "does not show the Commissioner's response with a revised precept, due by 15 February"
    ));
    assert!(found[0].4.starts_with(
        "the panel vetoed the proposed precept, and the record does not show its answer"
    ));

    // The whole process after a veto, in time: nothing to report.
    let answered = precept_record(
        "2026-02-25",
        "  notified_to_panel_on: 2026-01-23\n  panel_report_on: 2026-02-06\n  vetoed: true\n  response_on: 2026-02-13\n  panel_response_on: 2026-02-20\n",
    );
    assert_eq!(self::found(&answered, STEPS), []);
}

#[test]
fn a_late_panel_report_is_a_warning_about_the_panels_step() {
    let record = precept_record(
        "2026-02-27",
        "  notified_to_panel_on: 2026-01-23\n  panel_report_on: 2026-02-10\n",
    );
    let dir = tree(&[("PCC-2026-004.yaml", record.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    let late: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "MO069")
        .collect();
    assert_eq!(late.len(), 1, "{json}");
    assert_eq!(late[0]["severity"], "warning");
    assert_eq!(late[0]["path"], "precept.panel_report_on");
    assert!(late[0]["message"]
        .as_str()
        .unwrap()
        .contains("dated 10 February 2026, after 8 February"));
}

#[test]
fn a_precept_of_the_first_version_keeps_its_timetable_finding_and_is_asked_for_the_report() {
    // Version 1: the panel date under `consultation`, read as the day the panel was sent it.
    let v1 = "reference: EX-1\ntitle: Precept 2026-27\ntype: precept\nstatus: decided\ndecision_maker: {role: pcc, name: Philip Seccombe}\ndecided_on: 2026-02-24\nconsultation:\n  police_and_crime_panel: {date: 2026-02-02}\n";
    let timetable = found(v1, &["MO023"]);
    assert_eq!(timetable.len(), 1, "{timetable:?}");
    assert_eq!(
        (timetable[0].1.as_str(), timetable[0].2),
        ("consultation.police_and_crime_panel.date", 8)
    );
    assert!(timetable[0]
        .4
        .contains("on 2 February 2026, after the deadline of 1 February 2026"));
    // New in version 2, and listed as a change: the record must show the panel's report.
    let scrutiny = found(v1, &["MO070"]);
    assert_eq!(scrutiny.len(), 1, "{scrutiny:?}");
    assert_eq!(
        (scrutiny[0].1.as_str(), scrutiny[0].2),
        ("precept.panel_report_on", 1),
        "no `precept` block: the record's first line"
    );
    assert!(scrutiny[0]
        .4
        .contains("does not show the police and crime panel's report"));
}

#[test]
fn a_type_list_is_read_entry_by_entry() {
    let record = precept_record("2026-02-18", "  notified_to_panel_on: 2026-01-23\n")
        .replace("type: [budget, precept]", "type: [budget, precep]");
    let dir = tree(&[("PCC-2026-004.yaml", record.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    let unreadable: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "MO090")
        .collect();
    assert_eq!(unreadable.len(), 1, "{json}");
    assert_eq!(unreadable[0]["path"], "type[1]");
    assert_eq!(
        (
            unreadable[0]["line"].as_u64(),
            unreadable[0]["column"].as_u64()
        ),
        (Some(3), Some(16))
    );
    assert!(unreadable[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `precept`?"));
}

#[test]
fn a_reserved_decision_of_two_kinds_is_reported_once() {
    let record = precept_record(
        "2026-02-18",
        "  notified_to_panel_on: 2026-01-23\n  panel_report_on: 2026-02-04\n",
    )
    .replace(
        "  role: pcc\n  name: Philip Seccombe",
        "  role: chief_executive\n  name: Polly Reed",
    );
    let reserved = found(&record, &["MO003"]);
    assert_eq!(reserved.len(), 1, "{reserved:?}");
    // The first kind listed that the rule fails on.
    assert!(reserved[0].4.contains("budget"), "{reserved:?}");
}

const APPOINTMENT: &str = "reference: PCC-2026-011
title: Appointment of the chief constable
type: chief_constable_appointment
status: decided
decision_maker: {role: pcc, name: Alex Morgan}
decided_on: 2026-03-02
";

#[test]
fn an_appointment_subject_to_the_panels_confirmation_waits_for_it() {
    let conditional = format!(
        "{APPOINTMENT}conditional_on:\n  what: confirmation hearing of the police and crime panel\n  date: 2026-03-10\n"
    );
    assert_eq!(found(&conditional, &["MO065", "MO094"]), []);

    // No date for the hearing: the finding quotes the notice's words, at the condition.
    let undated = format!(
        "{APPOINTMENT}conditional_on:\n  what: confirmation by the police and crime panel\n"
    );
    let found = found(&undated, &["MO065"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].1.as_str(), found[0].2, found[0].3),
        ("conditional_on", 7, 1)
    );
    assert!(
        found[0].4.starts_with("the appointment is made subject to confirmation by the police and crime panel, but no date is recorded for it"),
        "{found:?}"
    );

    // While the hearing lies ahead, `mocheck due` shows it.
    let dir = tree(&[("PCC-2026-011.yaml", conditional.as_bytes())]);
    let output = mocheck_in(
        dir.path(),
        &["due", ".", "--today", "2026-03-03", "--format", "json"],
    );
    let due: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let text = due.to_string();
    assert!(
        text.contains("2026-03-10") && text.contains("MO065"),
        "{text}"
    );
    assert!(text.contains("the appointment takes effect only after confirmation hearing of the police and crime panel"), "{text}");
}
