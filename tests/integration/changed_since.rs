//! `check --changed-since REF` in a real git repository: findings only in the files changed
//! since REF, while duplicate references are still found against every record.

use std::path::Path;
use std::process::Command;

use super::support::{findings, mocheck_in, stderr, tree, MINIMAL, TODAY};

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

pub(crate) fn record(reference: &str) -> String {
    MINIMAL.replace("T-1", reference)
}

#[test]
fn only_changed_files_are_reported_and_duplicates_still_seen() {
    // An old record with a finding (no chief executive's advice), a good one, and one that
    // the branch deletes.
    let old_finding = record("R-1").replace(
        "advice:\n  chief_executive:\n    name: Polly Reed\n    date: 2026-03-10\n",
        "",
    );
    let dir = tree(&[
        ("decisions/a.yaml", old_finding.as_bytes()),
        ("decisions/b.yaml", record("R-2").as_bytes()),
        ("decisions/d.yaml", record("R-4").as_bytes()),
    ]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "old archive"]);
    let base = git(dir.path(), &["rev-parse", "HEAD"]);

    // The branch: b.yaml gets a bad date (committed), c.yaml reuses a.yaml's reference (not
    // yet committed), d.yaml is deleted.
    std::fs::write(
        dir.path().join("decisions/b.yaml"),
        record("R-2").replace("decided_on: 2026-03-12", "decided_on: 12/03/2026"),
    )
    .unwrap();
    git(dir.path(), &["commit", "-q", "-am", "edit b"]);
    std::fs::remove_file(dir.path().join("decisions/d.yaml")).unwrap();
    std::fs::write(dir.path().join("decisions/c.yaml"), record("R-1")).unwrap();

    let everything = mocheck_in(
        dir.path(),
        &["check", "decisions", "--format", "json", "--today", TODAY],
    );
    let all: serde_json::Value = serde_json::from_slice(&everything.stdout).unwrap();
    let all_files: Vec<String> = findings(&all)
        .into_iter()
        .map(|finding| finding.1)
        .collect();
    assert!(
        all_files.iter().any(|file| file.ends_with("a.yaml")),
        "the old record has a finding of its own: {all_files:?}"
    );

    let output = mocheck_in(
        dir.path(),
        &[
            "check",
            "decisions",
            "--format",
            "json",
            "--today",
            TODAY,
            "--changed-since",
            &base,
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let shown = findings(&json);
    assert!(!shown.is_empty());
    for finding in &shown {
        assert!(
            finding.1.ends_with("b.yaml") || finding.1.ends_with("c.yaml"),
            "{finding:?} is not in a changed file"
        );
    }
    assert!(shown
        .iter()
        .any(|finding| finding.0 == "MO090" && finding.1.ends_with("b.yaml")));
    assert!(
        shown
            .iter()
            .any(|finding| finding.0 == "MO092" && finding.1.ends_with("c.yaml")),
        "the duplicate of an unchanged record is found: {shown:?}"
    );
}

#[test]
fn an_unknown_reference_is_a_clear_error() {
    let dir = tree(&[("a.yaml", MINIMAL.as_bytes())]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "one"]);
    let output = mocheck_in(
        dir.path(),
        &["check", ".", "--changed-since", "no-such-branch"],
    );
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("--changed-since `no-such-branch`"),
        "{message}"
    );
}
