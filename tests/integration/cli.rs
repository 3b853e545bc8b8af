//! The command line: exit statuses, output formats on the shipped examples, configuration
//! errors.

use crate::support::{
    check_json, findings, mocheck, mocheck_in, stderr, stdout, tree, EXAMPLES, MINIMAL, TODAY,
};

fn with(extra: &[&str]) -> Vec<String> {
    EXAMPLES
        .iter()
        .chain(extra)
        .map(ToString::to_string)
        .collect()
}

fn run(args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    mocheck(&args)
}

#[test]
fn the_examples_fail_with_findings_of_the_core_rules() {
    let output = run(&with(&["--format", "json"]));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: Vec<String> = findings(&json)
        .into_iter()
        .map(|finding| finding.0)
        .collect();
    for rule in [
        "MO010", "MO011", "MO012", "MO013", "MO014", "MO015", "MO016",
    ] {
        assert!(
            rules.contains(&rule.to_string()),
            "{rule} missing from {rules:?}"
        );
    }
}

#[test]
fn json_output_matches_the_snapshot() {
    let output = run(&with(&["--format", "json"]));
    insta::assert_snapshot!("examples_json", stdout(&output));
}

#[test]
fn human_output_matches_the_snapshot() {
    let output = run(&with(&["--format", "human"]));
    insta::assert_snapshot!("examples_human", stdout(&output));
}

#[test]
fn table_output_matches_the_snapshot() {
    let output = run(&with(&["--format", "table"]));
    insta::assert_snapshot!("examples_table", stdout(&output));
}

#[test]
fn two_runs_print_the_same_bytes() {
    let first = run(&with(&["--format", "json"]));
    let second = run(&with(&["--format", "json"]));
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn fail_on_and_quiet_change_the_exit_status_and_output() {
    let output = run(&with(&["--fail-on", "never", "--quiet"]));
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("Checked "), "{text}");
}

#[test]
fn select_and_ignore_narrow_the_rules() {
    let output = run(&with(&[
        "--format", "json", "--select", "MO01", "--ignore", "MO015",
    ]));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: Vec<String> = findings(&json)
        .into_iter()
        .map(|finding| finding.0)
        .collect();
    assert!(!rules.is_empty());
    assert!(
        rules
            .iter()
            .all(|rule| rule.starts_with("MO01") && rule != "MO015"),
        "{rules:?}"
    );
}

#[test]
fn a_missing_path_exits_2() {
    let output = mocheck(&["check", "no/such/folder"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`no/such/folder` does not exist"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_compliant_record_exits_0() {
    let dir = tree(&[("ok.yaml", MINIMAL.as_bytes())]);
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["summary"]["records"], 1);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mocheck"))
        .args(["check", "-", "--format", "json", "--today", TODAY])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let text = MINIMAL.replace("    date: 2026-03-10\n", "");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(findings(&json)[0].0, "MO010");
    assert_eq!(findings(&json)[0].1, "<stdin>");
}

#[test]
fn config_is_discovered_upwards_and_its_errors_are_located() {
    let dir = tree(&[
        ("mocheck.toml", b"[rules]\ndisable = [\"MO999\"]\n"),
        ("decisions/ok.yaml", MINIMAL.as_bytes()),
    ]);
    let output = mocheck_in(&dir.path().join("decisions"), &["check", "."]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("there is no rule `MO999`"), "{message}");
    assert!(message.contains("mocheck.toml:2:"), "{message}");
}

#[test]
fn unknown_keys_in_the_config_are_located() {
    let dir = tree(&[(
        "mocheck.toml",
        b"[check]\npaths = [\".\"]\nfail_onn = \"error\"\n",
    )]);
    let output = mocheck_in(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("fail_onn"), "{message}");
    assert!(message.contains("mocheck.toml:3:1"), "{message}");
}

#[test]
fn a_bad_expression_in_a_rules_file_is_located() {
    let rules = "version = 1\n[[rule]]\nid = \"L1\"\nname = \"n\"\nseverity = \"error\"\nsummary = \"s\"\nbasis = [\"b\"]\ncheck = \"record.title != && true\"\nat = [\"title\"]\nmessage = \"m\"\nhelp = \"h\"\nexplain = \"e\"\n";
    let dir = tree(&[
        ("local.toml", rules.as_bytes()),
        ("ok.yaml", MINIMAL.as_bytes()),
    ]);
    let output = mocheck_in(dir.path(), &["check", ".", "--rules", "local.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("rule L1: the `check` expression is not valid"),
        "{message}"
    );
    assert!(message.contains("local.toml:8:"), "{message}");
}

#[test]
fn an_output_file_is_written_and_a_record_is_never_overwritten() {
    let dir = tree(&[("ok.yaml", MINIMAL.as_bytes())]);
    let output = mocheck_in(
        dir.path(),
        &[
            "check", "ok.yaml", "--format", "json", "--output", "out.json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::read_to_string(dir.path().join("out.json"))
        .unwrap()
        .contains("\"version\": 1"));
    let output = mocheck_in(dir.path(), &["check", "ok.yaml", "--output", "ok.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ok.yaml")).unwrap(),
        MINIMAL
    );
}

#[test]
fn explain_gives_the_four_headings() {
    let output = mocheck(&["explain", "MO015"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for heading in [
        "## What it checks",
        "## Why it matters",
        "## How to fix",
        "## Example",
    ] {
        assert!(text.contains(heading), "{heading} missing");
    }
    let output = mocheck(&["explain", "MO999"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_builtin_ruleset_passes_its_own_examples() {
    let output = mocheck(&["test"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn init_then_check_works_and_a_second_init_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = mocheck_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let config = std::fs::read_to_string(dir.path().join("mocheck.toml")).unwrap();
    let output = mocheck_in(dir.path(), &["check", "--today", TODAY]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("Checked 1 record in 1 file: 0 errors"),
        "{}",
        stdout(&output)
    );
    assert!(dir.path().join(".github/workflows/mocheck.yml").is_file());

    std::fs::write(dir.path().join("mocheck.toml"), "# edited\n").unwrap();
    let output = mocheck_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("already exist"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mocheck.toml")).unwrap(),
        "# edited\n"
    );
    assert_ne!(config, "# edited\n");
}

#[test]
fn new_prints_a_skeleton_that_checks_without_format_errors() {
    let output = mocheck(&["new", "WPCC4-0100", "--type", "contract_award"]);
    assert_eq!(output.status.code(), Some(0));
    let skeleton = stdout(&output);
    assert!(skeleton.contains("procurement:"), "{skeleton}");
    assert!(skeleton.contains("legal:"), "{skeleton}");
    let rules = crate::support::rules_on(&skeleton);
    assert!(
        !rules.iter().any(|rule| rule == "MO090" || rule == "MO091"),
        "{rules:?}"
    );
    let output = mocheck(&["new", "X", "--type", "nonsense"]);
    assert_eq!(output.status.code(), Some(2));
}

/// Record format 2 skeletons: a joint decision, an estate sale, a decision taken at a meeting.
#[test]
fn new_prints_skeletons_for_joint_sale_and_meeting_decisions() {
    let shapes: [(&[&str], &str); 4] = [
        (
            &["--type", "collaboration_agreement", "--joint"],
            "  joint_with:",
        ),
        (&["--type", "estates"], "  direction: income"),
        (&["--type", "grant", "--meeting"], "taken_at:"),
        (
            &["--type", "estates", "--joint", "--meeting"],
            "attended_by:",
        ),
    ];
    for (options, expected) in shapes {
        let mut args = vec!["new", "WPCC4-0102"];
        args.extend_from_slice(options);
        let output = mocheck(&args);
        assert_eq!(output.status.code(), Some(0), "{options:?}");
        let skeleton = stdout(&output);
        assert!(skeleton.contains(expected), "{options:?}: {skeleton}");
        // With a sum filled in, an estate sale brings money in: no funding source is asked for.
        let skeleton = skeleton.replace("amount: 0 ", "amount: 640000 ");
        let rules = crate::support::rules_on(&skeleton);
        assert!(
            !rules.iter().any(|rule| rule == "MO090" || rule == "MO091"),
            "{options:?}: {rules:?}"
        );
        if options.contains(&"estates") {
            assert!(!rules.iter().any(|rule| rule == "MO017"), "{rules:?}");
        }
    }
    let help = stdout(&mocheck(&["new", "--help"]));
    for example in [
        "--type collaboration_agreement --joint",
        "--type estates",
        "--meeting",
    ] {
        assert!(help.contains(example), "{help}");
    }
}

#[test]
fn completions_are_printed_for_a_shell() {
    let output = mocheck(&["completions", "bash"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("mocheck"));
}

#[test]
fn report_drafts_a_section_5_report_for_one_decision() {
    let args = [
        "report",
        "examples/decisions",
        "--config",
        "examples/mocheck.toml",
        "--today",
        TODAY,
    ];
    let json_output = run(&with(&["--format", "json"]));
    let json: serde_json::Value = serde_json::from_slice(&json_output.stdout).unwrap();
    let with_error = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["severity"] == "error" && finding["rule"] == "MO015")
        .expect("an MO015 finding in the examples");
    let reference = with_error["record"].as_str().unwrap();
    let mut draft_args: Vec<&str> = args.to_vec();
    draft_args.extend(["--decision", reference]);
    let output = mocheck(&draft_args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let draft = stdout(&output);
    assert!(draft.contains("DRAFT"));
    assert!(
        draft.contains(with_error["message"].as_str().unwrap()),
        "{draft}"
    );

    let mut missing = args.to_vec();
    missing.extend(["--decision", "NO-SUCH-REF"]);
    let output = mocheck(&missing);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no record has the reference `NO-SUCH-REF`"));

    let mut assurance = args.to_vec();
    assurance.push("--assurance");
    let output = mocheck(&assurance);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("MO015"));
}
