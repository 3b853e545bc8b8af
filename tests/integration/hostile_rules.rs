//! Rules files and settings that would hide unreadable records, run without end, exhaust
//! memory or speak the interpreter's language: each is refused at load, or fails on the
//! record concerned with a plain message while the run goes on.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::support::{findings, stderr, stdout, tree, MINIMAL, TODAY};

/// A record with a list of 100 background papers, for rules that loop over it.
fn record_with_papers() -> String {
    let mut record = format!("{MINIMAL}background_papers:\n");
    for index in 0..100 {
        writeln!(record, "  - title: Paper {index}").unwrap();
    }
    record
}

/// A rules file of one rule checking `check` (TOML basic-string quoting applied).
fn one_rule(check: &str) -> String {
    let check = check.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "version = 1\n\n[[rule]]\nid = \"LOCAL-001\"\nname = \"hostile\"\nseverity = \"warning\"\nsummary = \"a hostile rule\"\nbasis = [\"none\"]\nmessage = \"x\"\ncheck = \"{check}\"\nat = [\"title\"]\nhelp = \"none\"\nexplain = \"none\"\n"
    )
}

/// Runs mocheck in `dir` under 1.5 GB of address space and 60 seconds of wall-clock time:
/// a run that needs more is killed, and shows as a signal or `timeout`'s status 124.
fn bounded(dir: &Path, args: &[&str]) -> Output {
    let quoted: Vec<String> = args.iter().map(|arg| format!("'{arg}'")).collect();
    let script = format!(
        "ulimit -v 1500000; exec timeout 60 '{}' {}",
        env!("CARGO_BIN_EXE_mocheck"),
        quoted.join(" ")
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("sh runs")
}

/// Checks the record with a hostile rule on both engines; returns the rule's message.
fn over_budget(check: &str) -> Vec<String> {
    let record = record_with_papers();
    let rules = one_rule(check);
    let dir = tree(&[
        ("record.yaml", record.as_bytes()),
        ("good.yaml", MINIMAL.replace("T-1", "T-2").as_bytes()),
        ("rules.toml", rules.as_bytes()),
    ]);
    let mut messages = Vec::new();
    for engine in [&[][..], &["--interpreter"][..]] {
        let mut args = vec![
            "check",
            ".",
            "--rules",
            "rules.toml",
            "--format",
            "json",
            "--today",
            TODAY,
        ];
        args.extend_from_slice(engine);
        let output = bounded(dir.path(), &args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{engine:?}: {}\n{}",
            stdout(&output),
            stderr(&output)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(json["summary"]["records"], 2, "every record was checked");
        let local: Vec<_> = findings(&json)
            .into_iter()
            .filter(|finding| finding.0 == "LOCAL-001" && finding.1 == "record.yaml")
            .collect();
        assert_eq!(local.len(), 1, "{engine:?}: {local:?}");
        messages.push(local[0].4.clone());
    }
    assert_eq!(messages[0], messages[1], "both engines say the same");
    messages
}

const PAPERS: &str = "record.background_papers";

#[test]
fn five_nested_loops_stop_at_the_budget() {
    let check = format!(
        "{PAPERS}.exists(a, {PAPERS}.exists(b, {PAPERS}.exists(c, {PAPERS}.exists(d, {PAPERS}.exists(e, e.title == 'none')))))"
    );
    let message = &over_budget(&check)[0];
    assert!(message.contains("could not be checked"), "{message}");
    assert!(
        message.contains("more work on this record than mocheck allows"),
        "{message}"
    );
    assert!(!message.contains("__mocheck"), "{message}");
}

#[test]
fn nested_maps_stop_at_the_budget() {
    let check = format!(
        "size({PAPERS}.map(a, {PAPERS}.map(b, {PAPERS}.map(c, {PAPERS}.map(d, d.title))))) == 0"
    );
    let message = &over_budget(&check)[0];
    assert!(message.contains("more work on this record"), "{message}");
}

#[test]
fn lists_joined_again_and_again_stop_at_the_budget() {
    // 100 x 100 x 100 x 400 elements: 16 GB of values if it ran to the end.
    let joined = [PAPERS; 4].join(" + ");
    let check = format!("size({PAPERS}.map(a, {PAPERS}.map(b, {PAPERS}.map(c, {joined})))) == 0");
    let message = &over_budget(&check)[0];
    assert!(message.contains("more work on this record"), "{message}");
}

#[test]
fn an_ordinary_loop_stays_well_inside_the_budget() {
    // 100 x 100 steps: a loop within a loop over a real record's lists is fine.
    let record = record_with_papers();
    let rules = one_rule(&format!(
        "{PAPERS}.all(a, {PAPERS}.exists(b, b.title == a.title))"
    ));
    let json = checked_with_rule(&record, &rules);
    assert!(
        findings(&json)
            .iter()
            .all(|finding| finding.0 != "LOCAL-001"),
        "{json}"
    );
}

/// A broken record beside a good one, checked with `args`: MO090 must still be reported.
fn unreadable_still_reported(extra: &[&str], config: Option<&str>) {
    let good = MINIMAL.to_string();
    let mut files: Vec<(&str, &[u8])> = vec![
        ("broken.yaml", b"reference: [unclosed\n"),
        ("good.yaml", good.as_bytes()),
    ];
    if let Some(config) = config {
        files.push(("mocheck.toml", config.as_bytes()));
    }
    let dir = tree(&files);
    let mut args = vec!["check", ".", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let output = bounded(dir.path(), &args);
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", stderr(&output)));
    let unreadable: Vec<_> = findings(&json)
        .into_iter()
        .filter(|finding| finding.0 == "MO090")
        .collect();
    assert_eq!(unreadable.len(), 1, "{extra:?}: {json}");
    assert_eq!(unreadable[0].1, "broken.yaml");
    assert_eq!(output.status.code(), Some(1), "{extra:?}");
}

#[test]
fn select_and_ignore_never_hide_an_unreadable_record() {
    unreadable_still_reported(&["--ignore", "MO"], None);
    unreadable_still_reported(&["--ignore", "MO090"], None);
    unreadable_still_reported(&["--select", "MO01"], None);
    unreadable_still_reported(&["--select", "MO015"], None);
}

/// `check` in a folder with `files`: exit status 2 and every fragment in the error.
fn refused(files: &[(&str, &str)], args: &[&str], fragments: &[&str]) {
    let mut all: Vec<(&str, &[u8])> = vec![("record.yaml", MINIMAL.as_bytes())];
    all.extend(files.iter().map(|(name, text)| (*name, text.as_bytes())));
    let dir = tree(&all);
    let mut arguments = vec!["check", "record.yaml", "--today", TODAY];
    arguments.extend_from_slice(args);
    let output = bounded(dir.path(), &arguments);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for fragment in fragments {
        assert!(
            message.contains(fragment),
            "`{fragment}` is not in:\n{message}"
        );
    }
}

#[test]
fn the_unreadable_record_rule_cannot_be_disabled_or_lowered() {
    refused(
        &[("mocheck.toml", "[rules]\ndisable = [\"MO090\"]\n")],
        &[],
        &["MO090 cannot be disabled", "mocheck.toml:2"],
    );
    refused(
        &[("mocheck.toml", "[rules]\nseverity = { MO090 = \"info\" }\n")],
        &[],
        &["MO090 is always an error"],
    );
}

#[test]
fn a_rules_file_cannot_take_an_engine_rules_id() {
    let rules = one_rule("true").replace("LOCAL-001", "MO090");
    refused(
        &[("rules.toml", &rules)],
        &["--rules", "rules.toml"],
        &[
            "`MO090` is the id of one of mocheck's own checks",
            "rules.toml:4",
        ],
    );
    let engine = "version = 1\n\n[[engine_rule]]\nid = \"MO089\"\nname = \"made-up\"\nseverity = \"error\"\nsummary = \"s\"\nbasis = [\"b\"]\nhelp = \"h\"\nexplain = \"e\"\n";
    refused(
        &[("rules.toml", engine)],
        &["--rules", "rules.toml"],
        &["`MO089` is not one of mocheck's own checks"],
    );
}

#[test]
fn a_constant_bad_pattern_is_refused_when_the_rules_load() {
    refused(
        &[("rules.toml", &one_rule("record.title.matches('(')"))],
        &["--rules", "rules.toml"],
        &["the pattern `(` given to `matches` is not a valid regular expression"],
    );
}

#[test]
fn cel_mocheck_does_not_support_is_refused_at_its_place_when_the_rules_load() {
    // Each used to pass the name check and then fail on every record, or run elsewhere.
    refused(
        &[("rules.toml", &one_rule("record.title.lowerAscii() == 'x'"))],
        &["--rules", "rules.toml"],
        &[
            "rule LOCAL-001: the `check` expression is not valid: `.lowerAscii()` is standard CEL, but mocheck's expressions do not support it",
            // The check's value starts at column 10 of line 10; the call 13 characters in.
            "rules.toml:10:23",
        ],
    );
    refused(
        &[(
            "rules.toml",
            &one_rule("timestamp('2026-01-01T00:00:00Z') < today"),
        )],
        &["--rules", "rules.toml"],
        &["write a date as `date(\"2026-01-31\")`", "rules.toml:10:10"],
    );
    refused(
        &[("rules.toml", &one_rule("record.advice.legal.dated != null"))],
        &["--rules", "rules.toml"],
        &["the record format has no field `dated` here; did you mean `date`?"],
    );
}

/// `check --format json`, under the bounds, of `record` with the rules file `rules`.
fn checked_with_rule(record: &str, rules: &str) -> serde_json::Value {
    let dir = tree(&[
        ("record.yaml", record.as_bytes()),
        ("rules.toml", rules.as_bytes()),
    ]);
    let output = bounded(
        dir.path(),
        &[
            "check",
            ".",
            "--rules",
            "rules.toml",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", stderr(&output)))
}

/// The message of LOCAL-001 on the minimal record, with `check` as its check.
fn failure_message(check: &str) -> String {
    let json = checked_with_rule(MINIMAL, &one_rule(check));
    let message = findings(&json)
        .into_iter()
        .find(|finding| finding.0 == "LOCAL-001")
        .unwrap_or_else(|| panic!("LOCAL-001 fired: {json}"))
        .4;
    for leak in [
        "Int(",
        "Arc<",
        "String(",
        "Float(",
        "Error executing",
        "Unexpected type",
    ] {
        assert!(!message.contains(leak), "`{leak}` leaks into: {message}");
    }
    message
}

#[test]
fn runtime_errors_are_in_plain_words() {
    assert!(failure_message("words(5) == 'x'").contains("`words`: needs text, found `5`"));
    assert!(failure_message("1 / 0 == 1").contains("a division by zero"));
    assert!(failure_message("{'a': 1, 'a': 2}.size() == 1")
        .contains("the key `a` is written twice in one map"));
    assert!(failure_message("record.title + 1 == 'x'").contains("`+` cannot be applied"));
}
