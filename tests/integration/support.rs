//! Running the binary and reading its JSON; checking in memory through the library's
//! `check::check`, the checker the binary runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const TODAY: &str = "2026-11-23";

/// The sample run every format is tested on: the shipped examples with their configuration.
pub const EXAMPLES: &[&str] = &[
    "check",
    "examples/decisions",
    "--config",
    "examples/mocheck.toml",
    "--today",
    TODAY,
];

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs mocheck in `dir` with `args`, no colour, no terminal.
pub fn mocheck_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mocheck"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("mocheck runs")
}

pub fn mocheck(args: &[&str]) -> Output {
    mocheck_in(&repo(), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 output")
}

/// A folder with the given files, and no mocheck.toml above it that could change results.
pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// `check --format json` on a folder; returns the exit code and the parsed JSON.
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["check", ".", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let output = mocheck_in(dir, &args);
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}\n{}",
            stdout(&output),
            stderr(&output)
        )
    });
    (output.status.code().expect("an exit code"), json)
}

/// The findings as (rule, file, line, column, message).
pub fn findings(json: &serde_json::Value) -> Vec<(String, String, u64, u64, String)> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap().to_string(),
                finding["file"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
                finding["column"].as_u64().unwrap(),
                finding["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A minimal compliant-enough record to build on.
pub const MINIMAL: &str = "reference: T-1\ntitle: A test decision\ntype: other\nstatus: decided\ndecision_maker:\n  role: pcc\n  name: Pat Quinn\ndecided_on: 2026-03-12\nadvice:\n  chief_executive:\n    name: Polly Reed\n    date: 2026-03-10\ninterests:\n  declaration: true\n";

/// The findings of `rule` on one record, as JSON: the record written to a folder of its own
/// and checked with `--today` [`TODAY`].
pub fn rule_findings(record: &str, rule: &str) -> Vec<serde_json::Value> {
    rule_findings_with(record, rule, None)
}

/// The same, with a `mocheck.toml` beside the record.
pub fn rule_findings_with(
    record: &str,
    rule: &str,
    config: Option<&str>,
) -> Vec<serde_json::Value> {
    let mut files: Vec<(&str, &[u8])> = vec![("record.yaml", record.as_bytes())];
    if let Some(config) = config {
        files.push(("mocheck.toml", config.as_bytes()));
    }
    let dir = tree(&files);
    let (_, json) = check_json(dir.path(), &[]);
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| finding["rule"] == rule)
        .cloned()
        .collect()
}

/// The rule ids of every finding on `record`, checked on its own.
pub fn rules_on(record: &str) -> Vec<String> {
    let dir = tree(&[("record.yaml", record.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    findings(&json)
        .into_iter()
        .map(|finding| finding.0)
        .collect()
}

/// The findings on records loaded in a test, checked by `check::check` (the binary's
/// `Checker`) on a copy, so that the test can keep the records.
pub fn check(
    loaded: &mocheck::load::Loaded,
    ruleset: &mocheck::rules::RuleSet,
    options: mocheck::check::CheckOptions,
) -> Vec<mocheck::finding::Finding> {
    mocheck::check::check(loaded.clone(), ruleset, options).findings
}

/// The built-in ruleset with default settings, loaded once for all the tests.
pub fn builtin() -> &'static mocheck::rules::RuleSet {
    static RULESET: std::sync::OnceLock<mocheck::rules::RuleSet> = std::sync::OnceLock::new();
    RULESET.get_or_init(|| {
        mocheck::rules::load(
            &mocheck::rules::Config::defaults(),
            &mocheck::rules::RuleSources {
                override_files: Vec::new(),
            },
        )
        .expect("the built-in ruleset loads")
    })
}
