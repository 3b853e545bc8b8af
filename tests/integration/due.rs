//! `mocheck due`: every kind of deadline, working days across Christmas and Easter, a
//! deadline on a bank holiday, `--today` on the day itself, the horizon, records that cannot
//! be looked at, an office's own rule, and the calendar file through real clients (Python's
//! `icalendar` and `khal`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::adoption::{client, runs};
use super::support::{mocheck_in, stderr, stdout, tree, MINIMAL};

/// A decided record of significant public interest, not yet published.
fn unpublished(reference: &str, decided_on: &str) -> String {
    MINIMAL
        .replace("T-1", reference)
        .replace(
            "decided_on: 2026-03-12",
            &format!("decided_on: {decided_on}"),
        )
        .replace("date: 2026-03-10", &format!("date: {decided_on}"))
        + "significant_public_interest: true\nbackground_papers:\n  - title: Report\n"
}

/// A proposal planned for signature, with the chief executive's advice but nothing else.
const PROPOSAL: &str = "reference: P-1\ntitle: Victims' services contract\ntype: contract_award\nstatus: proposed\nplanned_on: 2026-12-03\ndecision_maker: {role: pcc, name: Pat Quinn}\nfinancial: {amount: 120000, funding_source: reserves}\n";

/// `due --format json` in `dir`: the exit code and the document.
fn due_json(dir: &Path, today: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["due", ".", "--today", today, "--format", "json"];
    args.extend_from_slice(extra);
    let output = mocheck_in(dir, &args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    let json = serde_json::from_str(&stdout(&output)).expect("JSON");
    (output.status.code(), json)
}

/// (date, rule, record) of each deadline, in the order given.
fn deadlines(json: &Value) -> Vec<(String, String, String)> {
    json["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|due| {
            (
                due["date"].as_str().unwrap().to_string(),
                due["rule"].as_str().unwrap().to_string(),
                due["record"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn only(json: &Value, rule: &str) -> Value {
    let found: Vec<&Value> = json["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|due| due["rule"] == rule)
        .collect();
    assert_eq!(found.len(), 1, "{rule}: {json:#}");
    found[0].clone()
}

#[test]
fn publication_is_due_five_working_days_on_across_christmas_and_easter() {
    // Decided Tuesday 22 December 2026: 23, 24, then 25 and 28 December are bank holidays
    // and 26-27 a weekend, so the fifth working day is 31 December.
    let dir = tree(&[("d.yaml", unpublished("D-1", "2026-12-22").as_bytes())]);
    let (status, json) = due_json(dir.path(), "2026-12-23", &[]);
    assert_eq!(status, Some(0));
    let due = only(&json, "MO040");
    assert_eq!(due["date"], "2026-12-31");
    assert_eq!(due["working_days_left"], 4);
    assert_eq!(due["overdue"], false);
    assert_eq!(due["record"], "D-1");
    assert!(due["what"]
        .as_str()
        .unwrap()
        .starts_with("publish the decision record"));

    // Decided Wednesday 24 March 2027: Good Friday (26th) and Easter Monday (29th) are
    // skipped, so the fifth working day is Friday 2 April.
    let dir = tree(&[("d.yaml", unpublished("D-2", "2027-03-24").as_bytes())]);
    let (_, json) = due_json(dir.path(), "2027-03-24", &[]);
    assert_eq!(only(&json, "MO040")["date"], "2027-04-02");

    // Once published, nothing is due.
    let published = unpublished("D-3", "2026-12-22")
        + "publication:\n  date: 2026-12-23\n  url: https://example.org/d-3\n";
    let dir = tree(&[("d.yaml", published.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-12-23", &[]);
    assert_eq!(deadlines(&json), []);
}

#[test]
fn on_the_day_it_is_due_today_and_the_day_after_it_is_overdue() {
    let dir = tree(&[("d.yaml", unpublished("D-1", "2026-12-22").as_bytes())]);
    let (status, json) = due_json(dir.path(), "2026-12-31", &[]);
    assert_eq!(status, Some(0), "due today is not overdue");
    let due = only(&json, "MO040");
    assert_eq!(
        (due["working_days_left"].clone(), due["overdue"].clone()),
        (0.into(), false.into())
    );
    let human = stdout(&mocheck_in(
        dir.path(),
        &["due", ".", "--today", "2026-12-31"],
    ));
    assert!(
        human.contains("31 December 2026  (due today)  D-1"),
        "{human}"
    );

    // 1 January is a bank holiday, so on Monday 4 January it is one working day late.
    let (status, json) = due_json(dir.path(), "2027-01-04", &[]);
    assert_eq!(status, Some(1), "overdue: exit 1 for a scheduled job");
    let due = only(&json, "MO040");
    assert_eq!(due["overdue"], true);
    assert_eq!(due["working_days_left"], -1);
    assert_eq!(json["summary"]["overdue"], 1);
    let human = stdout(&mocheck_in(
        dir.path(),
        &["due", ".", "--today", "2027-01-04"],
    ));
    assert!(human.starts_with("Overdue\n"), "{human}");
    assert!(human.contains("(overdue by 1 working day)"), "{human}");
}

#[test]
fn a_statutory_report_must_be_considered_within_21_days_even_onto_a_bank_holiday() {
    // Sent on 4 December 2026: the 21st day is Christmas Day, which the law does not move.
    let record = MINIMAL.to_string() + "statutory_reports:\n  - {kind: s114, date: 2026-12-04}\n  - {kind: s5, date: 2026-11-01, resolved_on: 2026-11-15}\n";
    let dir = tree(&[("d.yaml", record.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-12-23", &[]);
    let due = only(&json, "MO021");
    assert_eq!(due["date"], "2026-12-25");
    // Thursday 24 December is the one working day left; the 25th itself is not one.
    assert_eq!(due["working_days_left"], 1);
    let what = due["what"].as_str().unwrap();
    assert!(
        what.contains("s.115 LGFA 1988") && what.contains("not verified for PCCs"),
        "{what}"
    );
}

#[test]
fn a_proposal_shows_the_advice_still_missing_before_its_planned_date() {
    let dir = tree(&[("p.yaml", PROPOSAL.as_bytes())]);
    let (status, json) = due_json(dir.path(), "2026-11-30", &[]);
    assert_eq!(status, Some(0));
    let mut rules: Vec<String> = deadlines(&json)
        .into_iter()
        .map(|(date, rule, _)| {
            assert_eq!(date, "2026-12-03");
            rule
        })
        .collect();
    rules.sort();
    // The chief executive's advice, legal advice (a contract award) and the CFO's sign-off.
    assert_eq!(rules, ["MO010", "MO012", "MO014"]);
    assert_eq!(only(&json, "MO014")["working_days_left"], 3);
    assert!(only(&json, "MO014")["what"]
        .as_str()
        .unwrap()
        .contains("£120,000"));

    // With the advice recorded, only what is still missing is due.
    let advised = PROPOSAL.to_string() + "advice:\n  chief_executive: {name: Polly Reed, date: 2026-11-28}\n  chief_finance_officer: {name: Sara Ansell, date: 2026-11-28, certified_amount: 120000}\n";
    let dir = tree(&[("p.yaml", advised.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-11-30", &[]);
    let rules: Vec<String> = deadlines(&json)
        .into_iter()
        .map(|(_, rule, _)| rule)
        .collect();
    assert_eq!(rules, ["MO012"]);
}

#[test]
fn the_precept_timetable_comes_from_a_precept_record_or_as_a_reminder() {
    let precept = "reference: PR-1\ntitle: Precept 2027/28\ntype: precept\nstatus: proposed\ndecision_maker: {role: pcc, name: Pat Quinn}\n";
    let dir = tree(&[("p.yaml", precept.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-12-23", &["--within", "60"]);
    assert_eq!(
        deadlines(&json),
        [(
            "2027-02-01".to_string(),
            "MO023".to_string(),
            "PR-1".to_string()
        )]
    );

    let notified =
        precept.to_string() + "consultation:\n  police_and_crime_panel: {date: 2027-01-28}\n";
    let dir = tree(&[("p.yaml", notified.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2027-01-29", &["--within", "60"]);
    // Once told, the panel's report (and any veto) by 8 February, then the precept by 1 March.
    assert_eq!(
        deadlines(&json),
        [(
            "2027-02-08".to_string(),
            "MO023".to_string(),
            "PR-1".to_string()
        )]
    );
    assert!(only(&json, "MO023")["what"]
        .as_str()
        .unwrap()
        .contains("revised precept is due by 15 February"));
    let (_, json) = due_json(dir.path(), "2027-02-10", &["--within", "60"]);
    assert_eq!(
        deadlines(&json),
        [(
            "2027-03-01".to_string(),
            "MO023".to_string(),
            "PR-1".to_string()
        )]
    );

    // No precept record at all: a reminder, with no record behind it.
    let dir = tree(&[("d.yaml", MINIMAL.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-12-23", &["--within", "60"]);
    let reminder = only(&json, "MO023");
    assert_eq!(reminder["date"], "2027-02-01");
    assert_eq!(reminder["record"], Value::Null);
    assert_eq!(reminder["file"], Value::Null);
    assert!(reminder["what"]
        .as_str()
        .unwrap()
        .starts_with("no precept record for 2027/28 yet"));
}

#[test]
fn a_chief_constable_appointment_waits_for_the_panels_three_weeks() {
    let proposed = "reference: CC-1\ntitle: Appointment of the chief constable\ntype: chief_constable_appointment\nstatus: proposed\nplanned_on: 2027-01-20\ndecision_maker: {role: pcc, name: Pat Quinn}\n";
    let dir = tree(&[("c.yaml", proposed.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-12-23", &["--within", "60"]);
    let due = only(&json, "MO065");
    assert_eq!(due["date"], "2027-01-20");
    assert!(due["what"]
        .as_str()
        .unwrap()
        .starts_with("tell the police and crime panel"));

    let notified =
        proposed.to_string() + "consultation:\n  police_and_crime_panel: {date: 2027-01-04}\n";
    let dir = tree(&[("c.yaml", notified.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2027-01-05", &[]);
    let due = only(&json, "MO065");
    assert_eq!(due["date"], "2027-01-25", "three weeks from being told");
    assert!(due["what"].as_str().unwrap().contains("within three weeks"));
}

#[test]
fn waivers_expire_within_the_horizon_and_withdrawn_records_have_no_deadlines() {
    let record = MINIMAL.to_string() + "waivers:\n  - rule: MO064\n    reason: Papers to follow\n    approved_by: Polly Reed\n    date: 2026-12-01\n    expires: 2027-01-15\n";
    let dir = tree(&[("w.yaml", record.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-12-23", &[]);
    let expiring = only(&json, "MO097");
    assert_eq!(expiring["date"], "2027-01-15");
    assert!(expiring["what"]
        .as_str()
        .unwrap()
        .contains("the waiver of MO064"));
    assert_eq!(expiring["line"], 20, "points at the waiver's expiry date");
    // Beyond the horizon, it is not shown.
    let (_, json) = due_json(dir.path(), "2026-12-23", &["--within", "7"]);
    assert_eq!(deadlines(&json), []);

    let withdrawn =
        unpublished("D-1", "2026-12-22").replace("status: decided", "status: withdrawn");
    let dir = tree(&[("d.yaml", withdrawn.as_bytes())]);
    let (_, json) = due_json(dir.path(), "2026-12-23", &[]);
    assert_eq!(deadlines(&json), []);
}

#[test]
fn a_record_that_cannot_be_read_is_named_never_taken_for_one_with_nothing_due() {
    let dir = tree(&[
        ("good.yaml", MINIMAL.as_bytes()),
        ("broken.yaml", b"reference: [unclosed\n"),
    ]);
    let (status, json) = due_json(dir.path(), "2026-12-23", &["--within", "7"]);
    assert_eq!(status, Some(1));
    let unknown = json["not_looked_at"].as_array().unwrap();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["file"], "broken.yaml");
    let human = stdout(&mocheck_in(
        dir.path(),
        &["due", ".", "--today", "2026-12-23", "--within", "7"],
    ));
    assert!(human.contains("Could not be looked at"), "{human}");
    assert!(human.contains("1 record could not be looked at"), "{human}");
}

#[test]
fn an_offices_own_rule_adds_its_own_deadline() {
    let local = r###"
version = 1

[[rule]]
id = "LOCAL-001"
name = "board-paper-circulated"
severity = "warning"
summary = "The board paper went out a week before the decision"
basis = ["the OPCC's governance framework"]
check = "true"
at = ["planned_on"]
message = "the board paper was not circulated"
help = "Circulate the paper a week before."
explain = "## What it checks\n\nBoard papers.\n\n## Why it matters\n\nTime to read.\n\n## How to fix\n\nCirculate.\n\n## Example\n\nNone."
due = "record.status == 'proposed' && record.planned_on != null ? add_days(record.planned_on, -7) : null"
due_message = "circulate the board paper a week before {day(record.planned_on)}"

[[rule.example]]
outcome = "pass"
record = "reference: X\n"
"###;
    let dir = tree(&[
        ("mocheck.toml", b"[rules]\nfiles = [\"local.toml\"]\n"),
        ("local.toml", local.as_bytes()),
        ("decisions/p.yaml", PROPOSAL.as_bytes()),
    ]);
    let (_, json) = due_json(dir.path(), "2026-11-20", &[]);
    let due = only(&json, "LOCAL-001");
    assert_eq!(due["date"], "2026-11-26");
    assert_eq!(
        due["what"],
        "circulate the board paper a week before 3 December 2026"
    );
    assert_eq!(due["line"], 5, "points at its `at` field");
    assert_eq!(due["file"], "decisions/p.yaml");

    // A `due` without a `due_message` is refused when the rules load.
    let broken = local.replace("due_message = ", "# due_message = ");
    std::fs::write(dir.path().join("local.toml"), broken).unwrap();
    let output = mocheck_in(dir.path(), &["due", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`due` has no `due_message`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_shipped_examples_have_deadlines_ahead_at_their_today() {
    let output = crate::support::mocheck(&[
        "due",
        "--config",
        "examples/mocheck.toml",
        "--today",
        crate::support::TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        deadlines(&json),
        [
            (
                "2026-11-26".to_string(),
                "MO040".to_string(),
                "EPCC-2026-058".to_string()
            ),
            (
                "2026-12-01".to_string(),
                "MO014".to_string(),
                "EPCC-2026-062".to_string()
            ),
        ]
    );
}

#[test]
fn the_digest_and_the_table_name_each_deadline() {
    let dir = tree(&[
        ("d.yaml", unpublished("D-1", "2026-12-22").as_bytes()),
        ("p.yaml", PROPOSAL.as_bytes()),
    ]);
    let digest = stdout(&mocheck_in(
        dir.path(),
        &["due", ".", "--today", "2026-12-23", "--format", "markdown"],
    ));
    assert!(
        digest.starts_with("# Deadlines within 30 days of 23 December 2026\n"),
        "{digest}"
    );
    let overdue = digest.find("## Overdue").expect("the proposal is overdue");
    let coming = digest.find("## Coming up").expect("publication is coming");
    assert!(overdue < coming);
    assert!(
        digest
            .contains("- **31 December 2026** (4 working days left), D-1 A test decision: publish"),
        "{digest}"
    );
    let table = stdout(&mocheck_in(
        dir.path(),
        &["due", ".", "--today", "2026-12-23", "--format", "table"],
    ));
    assert_eq!(table.matches("│ 2026-12-").count(), 4, "{table}");
}

/// The calendar file of two records, written by `due --format ics --output`.
fn calendar(dir: &Path, today: &str) -> String {
    let output = mocheck_in(
        dir,
        &[
            "due", ".", "--today", today, "--format", "ics", "--output", "due.ics",
        ],
    );
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    std::fs::read_to_string(dir.join("due.ics")).unwrap()
}

/// (UID, start, end, summary) of each event, as Python's `icalendar` reads the file.
fn parsed_events(ics: &Path) -> Vec<(String, String, String, String)> {
    let script = r#"
import json, sys, icalendar
calendar = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
events = []
for event in calendar.walk("VEVENT"):
    assert "DTSTAMP" in event
    events.append([str(event["UID"]), event["DTSTART"].dt.isoformat(), event["DTEND"].dt.isoformat(), str(event["SUMMARY"])])
print(json.dumps(events))
"#;
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(ics)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_calendar_file_is_read_by_python_icalendar_with_stable_uids() {
    if !client(
        runs("python3", &["-c", "import icalendar"]),
        "Python's icalendar package",
        "pip install icalendar==6.1.0",
    ) {
        return;
    }
    let dir = tree(&[
        ("d.yaml", unpublished("D-1", "2026-12-22").as_bytes()),
        ("p.yaml", PROPOSAL.as_bytes()),
    ]);
    let ics = calendar(dir.path(), "2026-12-23");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "lines end in CRLF");
    assert!(
        ics.lines()
            .all(|line| line.trim_end_matches('\r').len() <= 75),
        "lines are folded"
    );
    let events = parsed_events(&dir.path().join("due.ics"));
    assert_eq!(events.len(), 4);
    let publish = events
        .iter()
        .find(|event| event.0.starts_with("MO040"))
        .unwrap();
    // All day: from the day to the next, as RFC 5545 counts an all-day event.
    assert_eq!(
        (publish.1.as_str(), publish.2.as_str()),
        ("2026-12-31", "2027-01-01")
    );
    assert!(events
        .iter()
        .filter(|event| event.0.starts_with("MO01"))
        .all(|event| event.3.starts_with("OVERDUE: P-1")));

    // The proposal's planned date moves: the same UIDs, a new date.
    std::fs::write(
        dir.path().join("p.yaml"),
        PROPOSAL.replace("2026-12-03", "2027-01-07"),
    )
    .unwrap();
    let moved = parsed_events(&{
        calendar(dir.path(), "2026-12-23");
        dir.path().join("due.ics")
    });
    let uids = |events: &[(String, String, String, String)]| {
        let mut uids: Vec<String> = events.iter().map(|event| event.0.clone()).collect();
        uids.sort();
        uids
    };
    assert_eq!(uids(&events), uids(&moved));
    assert!(moved
        .iter()
        .filter(|event| event.0.starts_with("MO01"))
        .all(|event| event.1 == "2027-01-07"));
}

#[test]
fn khal_imports_the_calendar_and_a_second_import_updates_rather_than_duplicates() {
    if !client(
        runs("khal", &["--version"]),
        "khal",
        "pip install khal==0.11.3",
    ) {
        return;
    }
    let dir = tree(&[
        ("d.yaml", unpublished("D-1", "2026-12-22").as_bytes()),
        ("p.yaml", PROPOSAL.as_bytes()),
    ]);
    let store = dir.path().join("calendar");
    std::fs::create_dir(&store).unwrap();
    let config = dir.path().join("khal.conf");
    std::fs::write(
        &config,
        format!(
            "[calendars]\n[[office]]\npath = {}\ntype = calendar\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n",
            store.display()
        ),
    )
    .unwrap();
    let khal = |args: &[&str]| {
        let output = Command::new("khal")
            .arg("-c")
            .arg(&config)
            .args(args)
            .env("XDG_DATA_HOME", dir.path())
            .output()
            .expect("khal runs");
        assert!(
            output.status.success(),
            "khal {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let import = |today: &str| {
        calendar(dir.path(), today);
        khal(&[
            "import",
            "--batch",
            "-a",
            "office",
            dir.path().join("due.ics").to_str().unwrap(),
        ]);
    };
    import("2026-12-23");
    let count = || std::fs::read_dir(&store).unwrap().count();
    assert_eq!(count(), 4);
    let listed = khal(&["list", "2026-12-31", "1d"]);
    assert!(
        listed.contains("D-1 A test decision: publish the decision record"),
        "{listed}"
    );

    // The planned date moves and the file is imported again: still four events, one moved.
    std::fs::write(
        dir.path().join("p.yaml"),
        PROPOSAL.replace("2026-12-03", "2027-01-07"),
    )
    .unwrap();
    import("2026-12-23");
    assert_eq!(count(), 4, "updated, not duplicated");
    let listed = khal(&["list", "2027-01-07", "1d"]);
    assert_eq!(
        listed.matches("P-1 Victims' services contract").count(),
        3,
        "{listed}"
    );
}
