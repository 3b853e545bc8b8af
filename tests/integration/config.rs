//! `mocheck.toml` and rules files: overrides take effect, and every mistake is located.

use crate::support::{check_json, findings, mocheck_in, stderr, stdout, tree, MINIMAL};

/// A record published 6 working days after the decision: MO041 by default (limit 5).
fn late_publication() -> String {
    MINIMAL.replace("T-1", "LATE-1").replace(
        "interests:\n",
        "significant_public_interest: true\nbackground_papers:\n  - title: Report\npublication:\n  date: 2026-03-20\ninterests:\n",
    )
}

fn rules_of(json: &serde_json::Value) -> Vec<String> {
    findings(json)
        .into_iter()
        .map(|finding| finding.0)
        .collect()
}

#[test]
fn the_default_ruleset_reports_the_late_publication() {
    let dir = tree(&[("r.yaml", late_publication().as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(rules_of(&json), ["MO041"]);
}

#[test]
fn a_parameter_override_changes_what_a_rule_accepts() {
    let dir = tree(&[
        ("r.yaml", late_publication().as_bytes()),
        ("mocheck.toml", b"[params]\npublication_working_days = 10\n"),
    ]);
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 0);
    assert!(rules_of(&json).is_empty(), "{json}");
}

#[test]
fn a_table_parameter_is_overridden_key_by_key() {
    let record = MINIMAL.replace("role: pcc", "role: chief_executive\n  authority: Scheme of consent para 4.2").replace(
        "interests:\n",
        "financial:\n  amount: 60000\n  funding_source: Revenue budget\n  kind: revenue\n  within_approved_budget: true\n  \
         # the CFO's sign-off covers it\nadvice_placeholder: x\ninterests:\n",
    );
    let record = record.replace("advice_placeholder: x\n", "").replace(
        "    date: 2026-03-10\n",
        "    date: 2026-03-10\n  chief_finance_officer:\n    name: Sara Ansell\n    date: 2026-03-10\n    certified_amount: 60000\n",
    );
    let dir = tree(&[("r.yaml", record.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    assert!(
        !rules_of(&json).contains(&"MO005".to_string()),
        "£60,000 is within the default £100,000: {json}"
    );
    std::fs::write(
        dir.path().join("mocheck.toml"),
        "[params]\ndelegated_limit = { chief_executive = 50000 }\n",
    )
    .unwrap();
    let (_, json) = check_json(dir.path(), &[]);
    assert!(rules_of(&json).contains(&"MO005".to_string()), "{json}");
}

#[test]
fn disable_and_severity_take_effect() {
    let dir = tree(&[
        ("r.yaml", late_publication().as_bytes()),
        (
            "mocheck.toml",
            b"[rules]\nseverity = { MO041 = \"error\" }\n",
        ),
    ]);
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert_eq!(json["findings"][0]["severity"], "error");
    std::fs::write(
        dir.path().join("mocheck.toml"),
        "[rules]\ndisable = [\"MO041\"]\n",
    )
    .unwrap();
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 0);
    assert!(rules_of(&json).is_empty());
}

const LOCAL_RULES: &str = r###"version = 1
[ruleset]
name = "Local rules"
version = "1"

[[rule]]
id = "LOCAL-001"
name = "summary-present"
severity = "warning"
summary = "Every record has a summary"
basis = ["the office's decision-making policy"]
check = "record.summary != null"
at = ["summary"]
message = "the record has no summary"
help = "Add a `summary`."
explain = "## What it checks\nx\n## Why it matters\nx\n## How to fix\nx\n## Example\nx\n"

[[rule.example]]
outcome = "fail"
record = "reference: A\ntitle: T\ntype: other\nstatus: proposed\n"

[[rule.example]]
outcome = "pass"
record = "reference: A\ntitle: T\ntype: other\nstatus: proposed\nsummary: S\n"
"###;

#[test]
fn extra_rule_files_add_to_the_builtin_ruleset_and_builtin_false_leaves_only_them() {
    let dir = tree(&[
        ("decisions/r.yaml", late_publication().as_bytes()),
        ("local.toml", LOCAL_RULES.as_bytes()),
        (
            "mocheck.toml",
            b"[check]\npaths = [\"decisions\"]\n[rules]\nfiles = [\"local.toml\"]\n",
        ),
    ]);
    let (_, json) = check_json(dir.path(), &[]);
    let mut rules = rules_of(&json);
    rules.sort();
    assert_eq!(rules, ["LOCAL-001", "MO041"]);
    std::fs::write(
        dir.path().join("mocheck.toml"),
        "[rules]\nfiles = [\"local.toml\"]\nbuiltin = false\n",
    )
    .unwrap();
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(rules_of(&json), ["LOCAL-001"]);
}

#[test]
fn configuration_mistakes_are_located_and_exit_2() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "[params]\npublication_workdays = 2\n",
            "the ruleset has no parameter `publication_workdays`",
            "mocheck.toml:2:1",
        ),
        (
            "[params]\npublication_working_days = \"two\"\n",
            "must be a number",
            "mocheck.toml:2:28",
        ),
        (
            "[rules]\nseverity = { MO041 = \"fatal\" }\n",
            "`fatal` is not a severity",
            "mocheck.toml:2:22",
        ),
        (
            "[rules]\nseverity = { MO999 = \"error\" }\n",
            "there is no rule `MO999`",
            "mocheck.toml:2:14",
        ),
        (
            "[check]\nfail_on = \"sometimes\"\n",
            "`sometimes` is not a level",
            "mocheck.toml:2:11",
        ),
        (
            "[[office.holder]]\nrole = \"treasurer\"\nname = \"X\"\nfrom = 2024-01-01\n",
            "`treasurer` is not a role",
            "mocheck.toml:2:8",
        ),
        (
            "[params]\nreference_pattern = \"(unclosed\"\n",
            "not a valid regular expression",
            "mocheck.toml:2:21",
        ),
        ("[check\n", "mocheck.toml", "mocheck.toml:1:"),
    ];
    for (config, message, place) in cases {
        let dir = tree(&[
            ("mocheck.toml", config.as_bytes()),
            ("r.yaml", MINIMAL.as_bytes()),
        ]);
        let output = mocheck_in(dir.path(), &["check", "r.yaml"]);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{config}: {text}");
        assert!(
            text.contains(message),
            "{config}: expected `{message}` in {text}"
        );
        assert!(
            text.contains(place),
            "{config}: expected `{place}` in {text}"
        );
    }
}

#[test]
fn the_roster_treats_case_and_spaces_as_the_same_person() {
    let roster =
        "[[office.holder]]\nrole = \"chief_executive\"\nname = \"Polly Reed\"\nfrom = 2021-05-13\n";
    let same = MINIMAL.replace("name: Polly Reed", "name: '  polly REED '");
    let dir = tree(&[
        ("mocheck.toml", roster.as_bytes()),
        ("r.yaml", same.as_bytes()),
    ]);
    let (_, json) = check_json(dir.path(), &[]);
    assert!(!rules_of(&json).contains(&"MO002".to_string()), "{json}");
    let other = MINIMAL.replace("name: Polly Reed", "name: Someone Else");
    std::fs::write(dir.path().join("r.yaml"), other).unwrap();
    let (_, json) = check_json(dir.path(), &[]);
    let found = findings(&json);
    let mo002 = found
        .iter()
        .find(|finding| finding.0 == "MO002")
        .expect("MO002");
    assert_eq!(
        (mo002.2, mo002.3),
        (11, 11),
        "points at the chief executive's name"
    );
    assert!(
        mo002.4.contains("Polly Reed") && mo002.4.contains("Someone Else"),
        "{}",
        mo002.4
    );
}

#[test]
fn mocheck_test_fails_clearly_on_an_example_that_contradicts_its_rule() {
    let contradicting = LOCAL_RULES.replace(
        "outcome = \"pass\"\nrecord = \"reference: A\\ntitle: T\\ntype: other\\nstatus: proposed\\nsummary: S\\n\"",
        "outcome = \"pass\"\nrecord = \"reference: A\\ntitle: T\\ntype: other\\nstatus: proposed\\n\"",
    );
    assert_ne!(contradicting, LOCAL_RULES);
    let dir = tree(&[
        ("good.toml", LOCAL_RULES.as_bytes()),
        ("bad.toml", contradicting.as_bytes()),
    ]);
    let output = mocheck_in(dir.path(), &["test", "good.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = mocheck_in(dir.path(), &["test", "bad.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("bad.toml:24: LOCAL-001: this example should pass but the rule reports: the record has no summary"),
        "{text}"
    );
    assert!(text.contains("0 passed, 1 failed"), "{text}");

    let no_failing = LOCAL_RULES
        .replace("outcome = \"fail\"", "outcome = \"pass\"")
        .replace(
            "record = \"reference: A\\ntitle: T\\ntype: other\\nstatus: proposed\\n\"",
            "record = \"reference: A\\ntitle: T\\ntype: other\\nstatus: proposed\\nsummary: S\\n\"",
        );
    std::fs::write(dir.path().join("none.toml"), no_failing).unwrap();
    let output = mocheck_in(dir.path(), &["test", "none.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("has no failing example"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn mocheck_test_checks_what_a_failing_example_says_and_where() {
    // A rule that fires, but for the wrong reason or at the wrong field, fails its test.
    let with = |message: &str, at: &str| {
        LOCAL_RULES.replace(
            "outcome = \"fail\"\n",
            &format!("outcome = \"fail\"\nmessage = \"{message}\"\nat = \"{at}\"\n"),
        )
    };
    let dir = tree(&[
        ("right.toml", with("has no summary", "summary").as_bytes()),
        ("wording.toml", with("has no title", "summary").as_bytes()),
        ("place.toml", with("has no summary", "title").as_bytes()),
    ]);
    let output = mocheck_in(dir.path(), &["test", "right.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = mocheck_in(dir.path(), &["test", "wording.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(
            "LOCAL-001: the finding's message does not contain `has no title`: it is `the record has no summary`"
        ),
        "{}",
        stdout(&output)
    );
    let output = mocheck_in(dir.path(), &["test", "place.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("LOCAL-001: the finding points at `summary`, not at `title`"),
        "{}",
        stdout(&output)
    );
    // A passing example expects no finding, so it cannot say what one would be.
    let confused = LOCAL_RULES.replace(
        "outcome = \"pass\"\n",
        "outcome = \"pass\"\nmessage = \"the record has no summary\"\n",
    );
    std::fs::write(dir.path().join("confused.toml"), confused).unwrap();
    let output = mocheck_in(dir.path(), &["test", "confused.toml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("a passing example expects no finding"),
        "{}",
        stderr(&output)
    );
}
