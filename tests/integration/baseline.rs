//! `mocheck baseline` and `check --baseline`: an old archive's findings accepted as history,
//! new ones still failing, stale entries reported (MO098) and pruned, records never written.

use std::path::Path;

use serde_json::Value;

use crate::changed_since::{git, record as compliant};
use crate::support::{check_json, mocheck_in, stderr, stdout, tree, MINIMAL, TODAY};

/// The chief executive advised two days after the decision: one MO011 error.
fn late_advice(reference: &str) -> String {
    MINIMAL
        .replace("T-1", reference)
        .replace("    date: 2026-03-10", "    date: 2026-03-14")
}

/// `mocheck baseline .` in `dir`, which must succeed.
fn write_baseline(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "baseline",
        ".",
        "--today",
        TODAY,
        "--reason",
        "Decisions before 2026 are the official record and are not edited",
        "--approved-by",
        "Polly Reed, Chief Executive",
    ];
    args.extend_from_slice(extra);
    let output = mocheck_in(dir, &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    std::fs::read_to_string(dir.join("mocheck-baseline.toml")).unwrap_or_default()
}

/// The findings of a JSON run as (rule, record, baselined).
fn marked(json: &Value) -> Vec<(String, String, bool)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap().to_string(),
                finding["record"].as_str().unwrap_or_default().to_string(),
                finding["baselined"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

const WITH_BASELINE: &[&str] = &["--baseline", "mocheck-baseline.toml"];

#[test]
fn baseline_then_check_is_clean_and_reports_the_findings_as_baselined() {
    let dir = tree(&[
        ("decisions/a.yaml", compliant("T-1").as_bytes()),
        ("decisions/b.yaml", late_advice("T-2").as_bytes()),
    ]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "the archive fails before it is baselined");
    assert!(json["findings"][0].get("baselined").is_none(), "{json}");
    assert!(json["summary"].get("baselined").is_none(), "{json}");

    let text = write_baseline(dir.path(), &[]);
    assert!(text.starts_with("# written by mocheck baseline"), "{text}");
    assert!(
        text.contains(
            "reason = \"Decisions before 2026 are the official record and are not edited\"\n\
             approved_by = \"Polly Reed, Chief Executive\"\ncreated_on = 2026-11-23\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "[[accepted]]\nrecord = \"T-2\"\nrule = \"MO011\"\npath = \"advice.chief_executive.date\"\ncount = 1\n"
        ),
        "{text}"
    );

    let (code, json) = check_json(dir.path(), WITH_BASELINE);
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        marked(&json),
        [("MO011".to_string(), "T-2".to_string(), true)]
    );
    assert_eq!(json["summary"]["error"], 0);
    assert_eq!(json["summary"]["baselined"], 1);
    let human = mocheck_in(
        dir.path(),
        &[
            "check",
            ".",
            "--today",
            TODAY,
            "--baseline",
            "mocheck-baseline.toml",
        ],
    );
    let human = stdout(&human);
    assert!(
        human.contains("(baselined) the chief executive advised"),
        "{human}"
    );
    assert!(
        human.contains("0 errors, 0 warnings, 0 info, 0 waived, 1 baselined."),
        "{human}"
    );
    assert!(human.contains("┆ Waived ┆ Baselined │"), "{human}");
}

#[test]
fn a_new_finding_after_the_baseline_fails() {
    let dir = tree(&[("b.yaml", late_advice("T-2").as_bytes())]);
    write_baseline(dir.path(), &[]);
    std::fs::write(dir.path().join("c.yaml"), late_advice("T-3")).unwrap();
    let (code, json) = check_json(dir.path(), WITH_BASELINE);
    assert_eq!(code, 1);
    assert_eq!(
        marked(&json),
        [
            ("MO011".to_string(), "T-2".to_string(), true),
            ("MO011".to_string(), "T-3".to_string(), false)
        ]
    );
    assert_eq!(json["summary"]["error"], 1);
}

#[test]
fn an_entry_accepts_only_as_many_findings_as_its_count() {
    // The same reference twice: one MO092; a third record makes two, and only one is accepted.
    let dir = tree(&[
        ("a.yaml", compliant("T-9").as_bytes()),
        ("b.yaml", compliant("T-9").as_bytes()),
    ]);
    let text = write_baseline(dir.path(), &[]);
    assert!(
        text.contains("rule = \"MO092\"\npath = \"reference\"\ncount = 1\n"),
        "{text}"
    );
    std::fs::write(dir.path().join("c.yaml"), compliant("T-9")).unwrap();
    let (code, json) = check_json(dir.path(), WITH_BASELINE);
    assert_eq!(code, 1, "{json}");
    let baselined: Vec<bool> = marked(&json).iter().map(|(_, _, flag)| *flag).collect();
    assert_eq!(baselined, [true, false], "the first in order is accepted");
}

#[test]
fn editing_the_record_elsewhere_keeps_its_findings_baselined() {
    let dir = tree(&[("b.yaml", late_advice("T-2").as_bytes())]);
    write_baseline(dir.path(), &[]);
    let moved = format!(
        "# a note added later\n# and another\n\n{}",
        late_advice("T-2")
    );
    std::fs::write(dir.path().join("b.yaml"), moved).unwrap();
    let (code, json) = check_json(dir.path(), WITH_BASELINE);
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        json["findings"][0]["line"], 15,
        "the finding moved down three lines"
    );
    assert_eq!(json["findings"][0]["baselined"], true);
}

#[test]
fn a_fixed_record_makes_its_entry_stale_and_prune_removes_it() {
    let dir = tree(&[
        ("b.yaml", late_advice("T-2").as_bytes()),
        ("c.yaml", late_advice("T-3").as_bytes()),
    ]);
    let text = write_baseline(dir.path(), &[]);
    let entry_line = text
        .lines()
        .position(|line| line == "record = \"T-2\"")
        .expect("an entry for T-2");
    std::fs::write(dir.path().join("b.yaml"), compliant("T-2")).unwrap();
    let (code, json) = check_json(dir.path(), WITH_BASELINE);
    assert_eq!(code, 0, "a stale entry is a warning: {json}");
    let stale = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["rule"] == "MO098")
        .unwrap_or_else(|| panic!("an MO098 finding: {json}"));
    assert_eq!(stale["name"], "baseline-entry-stale");
    assert_eq!(stale["severity"], "warning");
    assert_eq!(stale["file"], "mocheck-baseline.toml");
    // The `[[accepted]]` line just above `record = "T-2"` (lines count from 1).
    assert_eq!(stale["line"], entry_line);
    assert_eq!(stale["column"], 1);
    let message = stale["message"].as_str().unwrap();
    assert!(
        message.contains("T-2") && message.contains("MO011"),
        "{message}"
    );
    assert!(message.contains("mocheck baseline --prune"), "{message}");

    let output = mocheck_in(
        dir.path(),
        &[
            "baseline",
            "--prune",
            "--baseline",
            "mocheck-baseline.toml",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pruned = std::fs::read_to_string(dir.path().join("mocheck-baseline.toml")).unwrap();
    assert!(!pruned.contains("\"T-2\""), "{pruned}");
    assert!(pruned.contains("record = \"T-3\""), "{pruned}");
    assert!(pruned.contains("approved_by = \"Polly Reed, Chief Executive\""));
    assert!(pruned.contains("created_on = 2026-11-23"));
    let (code, json) = check_json(dir.path(), WITH_BASELINE);
    assert_eq!(code, 0);
    assert_eq!(
        marked(&json),
        [("MO011".to_string(), "T-3".to_string(), true)]
    );
}

#[test]
fn prune_lowers_a_count_to_what_still_matches() {
    let dir = tree(&[
        ("a.yaml", compliant("T-9").as_bytes()),
        ("b.yaml", compliant("T-9").as_bytes()),
        ("c.yaml", compliant("T-9").as_bytes()),
    ]);
    let text = write_baseline(dir.path(), &[]);
    assert!(text.contains("count = 2"), "{text}");
    std::fs::write(dir.path().join("c.yaml"), compliant("T-10")).unwrap();
    let (_, json) = check_json(dir.path(), WITH_BASELINE);
    let message = json["findings"][1]["message"].as_str().unwrap();
    assert!(message.contains("finds only 1"), "{json}");
    mocheck_in(
        dir.path(),
        &[
            "baseline",
            "--prune",
            "--baseline",
            "mocheck-baseline.toml",
            "--today",
            TODAY,
        ],
    );
    let pruned = std::fs::read_to_string(dir.path().join("mocheck-baseline.toml")).unwrap();
    assert!(
        pruned.contains("count = 1") && !pruned.contains("count = 2"),
        "{pruned}"
    );
}

#[test]
fn an_unreadable_record_is_never_baselined() {
    let dir = tree(&[
        ("b.yaml", late_advice("T-2").as_bytes()),
        ("broken.yaml", b"reference: [unclosed\ntitle: x\n"),
    ]);
    let output = mocheck_in(
        dir.path(),
        &[
            "baseline",
            ".",
            "--today",
            TODAY,
            "--reason",
            "old",
            "--approved-by",
            "P. Reed",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("MO090"), "{}", stderr(&output));
    let text = std::fs::read_to_string(dir.path().join("mocheck-baseline.toml")).unwrap();
    assert!(!text.contains("rule = \"MO090\""), "{text}");
    assert!(!text.contains("broken.yaml"), "{text}");
    let (code, json) = check_json(dir.path(), WITH_BASELINE);
    assert_eq!(code, 1, "the unreadable record still fails: {json}");
    let unreadable: Vec<_> = marked(&json)
        .into_iter()
        .filter(|(rule, _, _)| rule == "MO090")
        .collect();
    assert!(!unreadable.is_empty(), "{json}");
    assert!(unreadable.iter().all(|(_, _, baselined)| !baselined));
    // Nor can one be written into a baseline by hand.
    std::fs::write(
        dir.path().join("mocheck-baseline.toml"),
        format!("{text}\n[[accepted]]\nfile = \"broken.yaml\"\nrule = \"MO090\"\ncount = 1\n"),
    )
    .unwrap();
    let (code, _) = check_json_status(dir.path());
    assert_eq!(code, 2);
}

/// A check that may not print JSON (exit 2): its exit code and standard error.
fn check_json_status(dir: &Path) -> (i32, String) {
    let output = mocheck_in(
        dir,
        &[
            "check",
            ".",
            "--format",
            "json",
            "--today",
            TODAY,
            "--baseline",
            "mocheck-baseline.toml",
        ],
    );
    (output.status.code().unwrap(), stderr(&output))
}

#[test]
fn a_partial_check_does_not_call_the_other_entries_stale() {
    let dir = tree(&[
        ("b.yaml", late_advice("T-2").as_bytes()),
        (
            "c.yaml",
            format!("{}unknown_key: 1\n", late_advice("T-3")).as_bytes(),
        ),
    ]);
    write_baseline(dir.path(), &[]);
    for args in [
        &["check", "b.yaml", "--format", "json", "--today", TODAY][..],
        &[
            "check", ".", "--select", "MO01", "--format", "json", "--today", TODAY,
        ][..],
    ] {
        let mut args = args.to_vec();
        args.extend_from_slice(WITH_BASELINE);
        let output = mocheck_in(dir.path(), &args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stdout(&output)
        );
        assert!(
            !stdout(&output).contains("MO098"),
            "{args:?}: {}",
            stdout(&output)
        );
    }
}

#[test]
fn a_missing_or_broken_baseline_stops_the_check() {
    let dir = tree(&[("b.yaml", late_advice("T-2").as_bytes())]);
    let (code, message) = check_json_status(dir.path());
    assert_eq!(code, 2);
    assert!(message.contains("mocheck-baseline.toml"), "{message}");
    std::fs::write(
        dir.path().join("mocheck-baseline.toml"),
        "version = 1\nreason = \"old\"\napproved_by = \"P. Reed\"\ncreated_on = 2026-11-23\n\n[[accepted]]\nrecord = \"T-2\"\nrule = \"MO011\"\ncount = \"one\"\n",
    )
    .unwrap();
    let (code, message) = check_json_status(dir.path());
    assert_eq!(code, 2);
    assert!(message.contains("mocheck-baseline.toml:9:"), "{message}");
}

#[test]
fn mocheck_toml_names_the_baseline_for_both_commands() {
    let dir = tree(&[
        (
            "mocheck.toml",
            b"[check]\npaths = [\"decisions\"]\nbaseline = \"history/accepted.toml\"\n",
        ),
        ("decisions/b.yaml", late_advice("T-2").as_bytes()),
        ("history/.keep", b""),
    ]);
    let output = mocheck_in(
        dir.path(),
        &[
            "baseline",
            "--today",
            TODAY,
            "--reason",
            "old",
            "--approved-by",
            "P. Reed",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("history/accepted.toml"),
        "{}",
        stdout(&output)
    );
    let output = mocheck_in(dir.path(), &["check", "--format", "json", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["baselined"], 1);
    // `--baseline` wins over the configuration.
    std::fs::write(
        dir.path().join("empty.toml"),
        "version = 1\nreason = \"none\"\napproved_by = \"P. Reed\"\ncreated_on = 2026-11-23\n",
    )
    .unwrap();
    let output = mocheck_in(
        dir.path(),
        &["check", "--today", TODAY, "--baseline", "empty.toml", "-q"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}

#[test]
fn the_baseline_command_never_writes_to_a_record() {
    let dir = tree(&[
        ("a.yaml", compliant("T-1").as_bytes()),
        ("b.yaml", late_advice("T-2").as_bytes()),
    ]);
    let before: Vec<Vec<u8>> = ["a.yaml", "b.yaml"]
        .iter()
        .map(|name| std::fs::read(dir.path().join(name)).unwrap())
        .collect();
    write_baseline(dir.path(), &[]);
    let output = mocheck_in(
        dir.path(),
        &[
            "baseline",
            "--prune",
            "--baseline",
            "mocheck-baseline.toml",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    let after: Vec<Vec<u8>> = ["a.yaml", "b.yaml"]
        .iter()
        .map(|name| std::fs::read(dir.path().join(name)).unwrap())
        .collect();
    assert_eq!(before, after);
    // Nor is it written over one when asked to.
    let output = mocheck_in(
        dir.path(),
        &[
            "baseline",
            ".",
            "--reason",
            "x",
            "--approved-by",
            "y",
            "--output",
            "b.yaml",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("b.yaml")).unwrap(), before[1]);
}

#[test]
fn the_drafts_show_baselined_findings_as_accepted_history() {
    let dir = tree(&[
        ("a.yaml", compliant("T-1").as_bytes()),
        ("b.yaml", late_advice("T-2").as_bytes()),
    ]);
    write_baseline(dir.path(), &[]);
    let draft = |args: &[&str]| {
        let mut all = vec!["report", ".", "--today", TODAY];
        all.extend_from_slice(args);
        all.extend_from_slice(WITH_BASELINE);
        let output = mocheck_in(dir.path(), &all);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    };
    let s5 = draft(&["--decision", "T-2"]);
    assert!(
        s5.contains(
            "The Chief Executive's advice came after the decision: the chief executive advised"
        ),
        "still a ground: {s5}"
    );
    assert!(
        s5.contains("(accepted as history by the office's baseline"),
        "{s5}"
    );
    assert!(
        s5.contains("Decisions before 2026 are the official record and are not edited (approved by Polly Reed, Chief Executive on 23 November 2026)"),
        "{s5}"
    );
    let assurance = draft(&["--assurance"]);
    assert!(
        assurance.contains("Accepted as history by the baseline (section 7): 1."),
        "{assurance}"
    );
    assert!(
        assurance.contains("### Accepted as history by the baseline\n\n1 finding is accepted"),
        "{assurance}"
    );
    assert!(
        assurance.contains("| The Chief Executive's advice came after the decision | Error |"),
        "{assurance}"
    );
}

#[test]
fn changed_since_applies_the_baseline_first() {
    let dir = tree(&[
        ("b.yaml", late_advice("T-2").as_bytes()),
        ("c.yaml", late_advice("T-3").as_bytes()),
    ]);
    write_baseline(dir.path(), &[]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "archive"]);
    // A branch fixes T-2 and adds a new failing record.
    std::fs::write(dir.path().join("b.yaml"), compliant("T-2")).unwrap();
    std::fs::write(dir.path().join("d.yaml"), late_advice("T-4")).unwrap();
    let (code, json) = check_json(
        dir.path(),
        &[
            "--changed-since",
            "HEAD",
            "--baseline",
            "mocheck-baseline.toml",
        ],
    );
    assert_eq!(code, 1);
    let rules: Vec<(String, String, bool)> = marked(&json);
    assert_eq!(
        rules,
        [
            ("MO011".to_string(), "T-4".to_string(), false),
            ("MO098".to_string(), "T-2".to_string(), false),
        ],
        "T-3 is unchanged and left out; the stale entry of the changed T-2 is shown"
    );
}

#[test]
fn mo098_is_explained_and_the_baseline_is_an_input_of_check() {
    let explained = stdout(&crate::support::mocheck(&["explain", "MO098"]));
    assert!(
        explained.starts_with("MO098 baseline-entry-stale (warning)"),
        "{explained}"
    );
    assert!(explained.contains("## How to fix") && explained.contains("mocheck baseline --prune"));
    let dir = tree(&[("b.yaml", late_advice("T-2").as_bytes())]);
    let text = write_baseline(dir.path(), &[]);
    let mut args = vec!["check", ".", "--output", "mocheck-baseline.toml"];
    args.extend_from_slice(WITH_BASELINE);
    let output = mocheck_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mocheck-baseline.toml")).unwrap(),
        text
    );
}

/// One output of `check` with the baseline, in a format.
fn check_with_baseline(dir: &Path, format: &str) -> (Option<i32>, String) {
    let mut args = vec!["check", ".", "--today", TODAY, "--format", format];
    args.extend_from_slice(WITH_BASELINE);
    let output = mocheck_in(dir, &args);
    (output.status.code(), stdout(&output))
}

#[test]
fn machine_formats_show_baselined_findings_as_accepted_and_only_new_ones_fail() {
    let dir = tree(&[("b.yaml", late_advice("T-2").as_bytes())]);
    write_baseline(dir.path(), &[]);
    std::fs::write(dir.path().join("c.yaml"), late_advice("T-3")).unwrap();

    // SARIF: the baselined result is unchanged and suppressed with the baseline's reason;
    // the new one is new and not suppressed.
    let (_, sarif) = check_with_baseline(dir.path(), "sarif");
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let by_record = |reference: &str| {
        results
            .iter()
            .find(|result| result["properties"]["record"] == reference)
            .unwrap()
            .clone()
    };
    let (old, new) = (by_record("T-2"), by_record("T-3"));
    assert_eq!(old["baselineState"], "unchanged");
    assert_eq!(old["suppressions"][0]["status"], "accepted");
    assert!(old["suppressions"][0]["justification"]
        .as_str()
        .unwrap()
        .contains("Decisions before 2026 are the official record"));
    assert_eq!(new["baselineState"], "new");
    assert!(new.get("suppressions").is_none());

    // JUnit: only the new finding is a failure; the old one is in its case's output.
    let (status, junit) = check_with_baseline(dir.path(), "junit");
    assert_eq!(status, Some(1));
    let document = roxmltree::Document::parse(&junit).unwrap();
    let failures: Vec<&str> = document
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .map(|node| node.parent_element().unwrap().attribute("name").unwrap())
        .collect();
    assert_eq!(failures, ["T-3"]);
    assert!(
        junit.contains("accepted as history by the baseline"),
        "{junit}"
    );

    // GitHub: the old one is a notice, marked baselined.
    let (_, github) = check_with_baseline(dir.path(), "github");
    let old = github
        .lines()
        .find(|line| line.contains("file=b.yaml"))
        .unwrap();
    assert!(
        old.starts_with("::notice ") && old.contains("::(baselined) "),
        "{old}"
    );
    let new = github
        .lines()
        .find(|line| line.contains("file=c.yaml"))
        .unwrap();
    assert!(new.starts_with("::error "), "{new}");
}
