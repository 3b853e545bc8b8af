//! Issue 15: a draft never says that no report is needed when mocheck could not check the
//! decision in full. Each way a check can fall short has its own case, through the binary.

use crate::support::{mocheck_in, stdout, tree, MINIMAL, TODAY};

/// `report --decision T-1` (with `extra` arguments) in a folder holding `record.yaml` and
/// any other files: the exit code and the draft.
pub fn report_on(record: &str, others: &[(&str, &str)], extra: &[&str]) -> (Option<i32>, String) {
    let mut files: Vec<(&str, &[u8])> = vec![("record.yaml", record.as_bytes())];
    files.extend(others.iter().map(|(name, text)| (*name, text.as_bytes())));
    let dir = tree(&files);
    let mut args = vec![
        "report",
        "record.yaml",
        "--decision",
        "T-1",
        "--today",
        TODAY,
    ];
    args.extend_from_slice(extra);
    let output = mocheck_in(dir.path(), &args);
    (output.status.code(), stdout(&output))
}

fn draft_of(record: &str, others: &[(&str, &str)]) -> (Option<i32>, String) {
    report_on(record, others, &[])
}

/// The note says, in its title and first paragraph, that the decision could not be assessed,
/// with the reason, and `report` exits 1.
fn not_assessed(record: &str, others: &[(&str, &str)], reason: &str) {
    let (code, draft) = draft_of(record, others);
    assert_eq!(code, Some(1), "{draft}");
    let title = draft.lines().find(|line| line.starts_with("# ")).unwrap();
    assert!(
        title.ends_with("the decision could not be assessed"),
        "{title}"
    );
    let first = draft
        .split("\n\n")
        .find(|paragraph| !paragraph.starts_with('>') && !paragraph.starts_with('#'))
        .unwrap();
    assert!(
        first.starts_with("**The decision could not be assessed.**"),
        "{first}"
    );
    assert!(draft.contains(reason), "no `{reason}` in:\n{draft}");
    assert!(
        !draft.contains("no section 5 report appears to be needed"),
        "{draft}"
    );
    assert!(
        !draft.contains("no report under section 5 appears"),
        "{draft}"
    );
}

#[test]
fn a_clean_record_gets_the_no_report_note_and_exit_0() {
    let (code, draft) = draft_of(MINIMAL, &[]);
    assert_eq!(code, Some(0), "{draft}");
    assert!(
        draft.contains("no section 5 report appears to be needed"),
        "{draft}"
    );
}

#[test]
fn a_record_that_could_not_be_read_is_not_assessed() {
    let broken = MINIMAL.replace("date: 2026-03-10", "date: 10/03/2026");
    not_assessed(&broken, &[], "part of the record could not be read");
}

#[test]
fn a_withdrawn_record_is_not_assessed() {
    let withdrawn = MINIMAL.replace("status: decided", "status: withdrawn");
    not_assessed(&withdrawn, &[], "the record is marked as withdrawn");
}

#[test]
fn a_record_with_no_decision_date_is_not_assessed() {
    let undated = MINIMAL.replace("decided_on: 2026-03-12\n", "");
    not_assessed(&undated, &[], "the record gives no decision date");
}

#[test]
fn rules_turned_off_in_mocheck_toml_mean_the_decision_is_not_assessed() {
    not_assessed(
        MINIMAL,
        &[(
            "mocheck.toml",
            "[rules]\ndisable = [\"MO064\", \"MO010\"]\n",
        )],
        "the office's configuration turns off 1 rule that rests on an enactment or rule of law (MO010)",
    );
}

#[test]
fn an_office_ruleset_without_the_builtin_statutory_rules_means_the_decision_is_not_assessed() {
    // `builtin = false` with a rules file of the office's own: no built-in duty was checked,
    // so no finding is not the same as compliance.
    let local = "version = 1\n[ruleset]\nname = \"Local\"\nversion = \"1\"\n";
    not_assessed(
        MINIMAL,
        &[
            ("local.toml", local),
            (
                "mocheck.toml",
                "[rules]\nbuiltin = false\nfiles = [\"local.toml\"]\n",
            ),
        ],
        "the rules used are not mocheck's built-in ruleset, and",
    );
}

#[test]
fn turning_off_a_rule_of_good_practice_takes_nothing_from_the_assurance() {
    let (code, draft) = draft_of(
        MINIMAL,
        &[(
            "mocheck.toml",
            "[rules]\ndisable = [\"MO064\", \"MO093\"]\n",
        )],
    );
    assert_eq!(code, Some(0), "{draft}");
    assert!(
        draft.contains("no section 5 report appears to be needed"),
        "{draft}"
    );
}

#[test]
fn a_draft_with_grounds_still_says_what_could_not_be_checked() {
    // The CFO certified less than the decision commits (MO016, no date needed), and there is
    // no decision date.
    let record = MINIMAL.replace("decided_on: 2026-03-12\n", "")
        + "financial:\n  amount: 500000\n  kind: revenue\n  funding_source: Reserves\n  within_approved_budget: true\n";
    let record = record.replace(
        "advice:\n",
        "advice:\n  chief_finance_officer:\n    name: Tom Weatherall\n    date: 2026-03-09\n    certified_amount: 100000\n",
    );
    let (code, draft) = draft_of(&record, &[]);
    assert_eq!(code, Some(1), "{draft}");
    let title = draft.lines().find(|line| line.starts_with("# ")).unwrap();
    assert!(
        title.contains("Report of the Monitoring Officer"),
        "{title}"
    );
    assert!(
        title.ends_with("(the decision could not be fully assessed)"),
        "{title}"
    );
    assert!(
        draft.contains("**The decision could not be fully assessed.**"),
        "{draft}"
    );
    assert!(draft.contains("MO016"), "{draft}");
}

#[test]
fn a_breach_of_a_code_of_practice_is_an_other_matter_not_a_ground() {
    // No funding source: the Financial Management Code (MO017), not an enactment.
    let record = format!("{MINIMAL}financial:\n  amount: 40000\n  kind: revenue\n").replace(
        "advice:\n",
        "advice:\n  chief_finance_officer:\n    name: Tom Weatherall\n    date: 2026-03-09\n    certified_amount: 40000\n",
    );
    let (code, draft) = draft_of(&record, &[]);
    assert_eq!(code, Some(0), "{draft}");
    assert!(
        draft.contains("no section 5 report appears to be needed"),
        "{draft}"
    );
    let other = draft
        .split("## Other matters the monitoring officer may wish to raise")
        .nth(1)
        .expect("an Other matters section");
    assert!(other.contains("does not say which budget"), "{other}");
    assert!(other.contains("code of practice"), "{other}");
    assert!(
        other.contains("not contraventions of an enactment or rule of law"),
        "{other}"
    );
}

/// `report` on the shipped examples, as of the tests' usual day.
fn report_examples(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["report", "examples", "--today", "2026-06-30"];
    args.extend_from_slice(extra);
    crate::support::mocheck(&args)
}

#[test]
fn items_needing_action_list_every_open_error_by_decision() {
    let check = crate::support::mocheck(&[
        "check",
        "examples",
        "--format",
        "json",
        "--today",
        "2026-06-30",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let summary = stdout(&report_examples(&["--assurance"]));
    let items = summary.split("## 8. Items needing action").nth(1).unwrap();
    assert!(!items.trim_start().starts_with("None"), "{items}");
    let mut open = 0;
    for finding in json["findings"].as_array().unwrap() {
        if finding["severity"] != "error" || finding["waived"] == true || finding["rule"] == "MO090"
        {
            continue;
        }
        open += 1;
        let record = finding["record"].as_str().unwrap();
        let decision = items
            .split("\n- ")
            .find(|item| item.starts_with(record))
            .unwrap_or_else(|| panic!("{record} is not listed:\n{items}"));
        let rule = finding["rule"].as_str().unwrap();
        assert!(
            decision.contains(&format!("  - {rule} ")),
            "{rule} on {record}:\n{decision}"
        );
    }
    assert!(open > 5, "the examples have open errors: {open}");
}

#[test]
fn periods_are_financial_years_unless_calendar_quarters_are_asked_for() {
    let year = stdout(&report_examples(&[
        "--assurance",
        "--from",
        "2025-26",
        "--to",
        "2025-26",
    ]));
    assert!(
        year.contains("decisions dated 1 April 2025 to 31 March 2026"),
        "{year}"
    );
    assert!(year.contains("| 2025-26 Q3 |"), "{year}");
    assert!(!year.contains("| 2024-25 "), "{year}");
    let calendar = stdout(&report_examples(&["--assurance", "--quarters", "calendar"]));
    assert!(
        calendar.contains("Calendar quarters (Q1 is January to March)"),
        "{calendar}"
    );
    assert!(calendar.contains("| 2025 Q4 |"), "{calendar}");
}

#[test]
fn contradictory_options_are_refused_with_exit_2() {
    for (args, expected) in [
        (
            &["--assurance", "--from", "2026-01-01", "--to", "2025-01-01"][..],
            "--from 2026-01-01 is after --to 2025-01-01",
        ),
        (
            &["--assurance", "--from", "2026-27", "--to", "2025-26"][..],
            "--from 2026-04-01 is after --to 2026-03-31",
        ),
        (
            &["--decision", "EPCC-2025-041", "--from", "2025-01-01"][..],
            "cannot be used with",
        ),
        (
            &["--decision", "EPCC-2025-041", "--to", "2025-26"][..],
            "cannot be used with",
        ),
        (
            &["--decision", "EPCC-2025-041", "--assurance"][..],
            "cannot be used with",
        ),
        (
            &["--assurance", "--from", "2025-2"][..],
            "a financial year like 2025-26",
        ),
    ] {
        let output = report_examples(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = crate::support::stderr(&output);
        assert!(message.contains(expected), "{args:?}: {message}");
    }
}

#[test]
fn the_s5_draft_speaks_of_duties_in_words_and_keeps_rule_ids_to_one_appendix() {
    let output = report_examples(&["--decision", "EPCC-2025-041"]);
    let draft = stdout(&output);
    let (body, sources) = draft
        .split_once("## Appendix E: Where this comes from in the record")
        .expect("the sources appendix");
    assert!(
        body.contains(
            "### 5.1 The Chief Finance Officer's sign-off does not cover the amount committed"
        ),
        "{body}"
    );
    assert!(
        body.contains(
            "that the Chief Finance Officer's certification of the full £1,300,000 is obtained"
        ),
        "{body}"
    );
    for tool_words in [
        "MO016",
        "cfo-signoff",
        "certified_amount",
        ".yaml",
        "record `",
    ] {
        assert!(
            !body.contains(tool_words),
            "`{tool_words}` in the body:\n{body}"
        );
    }
    assert!(
        sources.contains("MO016 cfo-signoff-covers-amount"),
        "{sources}"
    );
    assert!(sources.contains("EPCC-2025-041.yaml:41"), "{sources}");
}

#[test]
fn a_confidential_record_is_marked_not_for_publication_and_shows_its_public_summary() {
    let record = MINIMAL.to_string()
        + "summary: The exempt details of the settlement.\nconfidentiality:\n  status: part\n  ground: FOIA s.43(2) commercial interests\n  public_summary: A settlement of a contractual dispute.\n";
    let (_, draft) = draft_of(&record, &[]);
    assert!(
        draft.contains(
            "> **NOT FOR PUBLICATION.** Exempt information: FOIA s.43(2) commercial interests."
        ),
        "{draft}"
    );
    let (_, unmarked) = draft_of(MINIMAL, &[]);
    assert!(!unmarked.contains("NOT FOR PUBLICATION"), "{unmarked}");
    // With a ground: the full draft shows the public summary, never the withheld one.
    let with_ground = record.replace("interests:\n  declaration: true\n", "")
        + "interests:\n  declaration: true\nfinancial:\n  amount: 500000\n  kind: revenue\n  funding_source: Reserves\n  within_approved_budget: true\n";
    let (_, full) = draft_of(&with_ground, &[]);
    assert!(full.contains("Report of the Monitoring Officer"), "{full}");
    assert!(
        full.contains("| Public summary | A settlement of a contractual dispute. |"),
        "{full}"
    );
    assert!(!full.contains("exempt details"), "{full}");
}

#[test]
fn income_is_received_not_committed() {
    let record = MINIMAL.to_string() + "financial:\n  amount: 750000\n  kind: income\n";
    let (_, draft) = draft_of(&record, &[]);
    assert!(
        draft.contains("| Amount received | £750,000 (income) |"),
        "{draft}"
    );
    assert!(!draft.contains("Amount committed"), "{draft}");
    assert!(!draft.contains("before any money is committed"), "{draft}");
    let (_, s114) = report_on(&record, &[], &["--s114"]);
    assert!(s114.contains("| Amount received | £750,000 |"), "{s114}");
    assert!(!s114.contains("Amount committed"), "{s114}");
}

#[test]
fn a_waiver_expiring_within_a_quarter_is_an_item_needing_action() {
    let waiver = |expires: &str| {
        format!(
            "urgent: true\nwaivers:\n  - rule: MO063\n    reason: Urgency minuted at the board.\n    approved_by: Polly Reed, Chief Executive\n    date: 2026-03-10\n    expires: {expires}\n"
        )
    };
    let soon = MINIMAL.to_string() + &waiver("2026-12-20");
    let later = MINIMAL.replace("T-1", "T-2") + &waiver("2027-10-01");
    let dir = tree(&[
        ("soon.yaml", soon.as_bytes()),
        ("later.yaml", later.as_bytes()),
    ]);
    let output = mocheck_in(
        dir.path(),
        &["report", ".", "--assurance", "--today", TODAY],
    );
    let summary = stdout(&output);
    let items = summary.split("## 8. Items needing action").nth(1).unwrap();
    assert!(
        items.contains("T-1: the waiver of MO063 expires on 20 December 2026"),
        "{items}"
    );
    assert!(!items.contains("T-2: the waiver of MO063"), "{items}");
}
