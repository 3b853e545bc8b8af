//! Robustness: a check changes no file and `--output` never writes over a record; files that
//! cannot be read and link loops are MO090 findings while the other records are still
//! checked; hostile rules files and configurations are refused with their place; hostile
//! records come back promptly.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::support::{check_json, findings, mocheck_in, repo, stderr, tree, MINIMAL, TODAY};

/// Every file under `dir` (links not followed) with its bytes and permissions.
fn contents(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::fs::Permissions)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("a readable folder"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let bytes = std::fs::read(entry.path()).expect("a readable file");
            let permissions = entry.metadata().expect("metadata").permissions();
            let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, (bytes, permissions))
        })
        .collect()
}

/// A copy of the example decisions and their mocheck.toml in a temporary folder.
fn examples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let examples = repo().join("examples");
    for entry in walkdir::WalkDir::new(&examples) {
        let entry = entry.unwrap();
        let target = dir
            .path()
            .join(entry.path().strip_prefix(&examples).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn good_record(reference: &str) -> Vec<u8> {
    MINIMAL.replace("T-1", reference).into_bytes()
}

#[test]
fn checking_and_reporting_change_no_file_in_the_folder() {
    let dir = examples_copy();
    let before = contents(dir.path());
    assert!(before.len() > 10, "the examples were copied");
    let common = ["--config", "mocheck.toml", "--today", TODAY];
    let mut runs: Vec<Vec<&str>> = [
        "human", "table", "json", "sarif", "junit", "github", "markdown",
    ]
    .iter()
    .map(|format| vec!["check", "decisions", "--format", format])
    .collect();
    runs.push(vec![
        "check",
        "decisions",
        "--output",
        "findings.json",
        "--format",
        "json",
    ]);
    runs.push(vec![
        "check",
        "decisions",
        "--output",
        "decisions/2026/findings.sarif",
        "--format",
        "sarif",
    ]);
    runs.push(vec![
        "report",
        "decisions",
        "--decision",
        "EPCC-2026-009",
        "--output",
        "decisions/s5.md",
    ]);
    runs.push(vec!["report", "decisions", "--assurance"]);
    for run in &mut runs {
        run.extend_from_slice(&common);
        let output = mocheck_in(dir.path(), run);
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{run:?}: {}",
            stderr(&output)
        );
    }
    let mut after = contents(dir.path());
    for written in [
        "findings.json",
        "decisions/2026/findings.sarif",
        "decisions/s5.md",
    ] {
        assert!(
            after.remove(Path::new(written)).is_some(),
            "{written} was written"
        );
    }
    assert!(
        before == after,
        "a file changed, appeared or went missing: {:?}",
        before
            .keys()
            .chain(after.keys())
            .filter(|path| before.get(*path) != after.get(*path))
            .collect::<Vec<_>>()
    );
}

#[test]
fn output_never_writes_over_a_record() {
    let record = good_record("A-1");
    let dir = tree(&[("decisions/A-1.yaml", &record)]);
    for target in ["decisions/A-1.yaml", "decisions/NEW.YML"] {
        let output = mocheck_in(
            dir.path(),
            &[
                "check",
                "decisions",
                "--today",
                TODAY,
                "--format",
                "json",
                "--output",
                target,
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "{target}: {}",
            stderr(&output)
        );
        let message = stderr(&output);
        assert!(
            message.contains(target) && message.contains("never writes over a record"),
            "{message}"
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("decisions/A-1.yaml")).unwrap(),
        record
    );
    assert!(!dir.path().join("decisions/NEW.YML").exists());
    let left: Vec<_> = std::fs::read_dir(dir.path().join("decisions"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(left, ["A-1.yaml"], "no temporary file is left behind");
}

/// The findings of `check .` in `dir` by file, and the number of records checked.
fn findings_by_file(dir: &Path) -> (BTreeMap<String, Vec<(String, String)>>, u64) {
    let (_, json) = check_json(dir, &[]);
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (rule, file, _, _, message) in findings(&json) {
        by_file.entry(file).or_default().push((rule, message));
    }
    (by_file, json["summary"]["records"].as_u64().unwrap())
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_is_mo090_and_the_rest_are_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[
        ("a-good.yaml", &good_record("GOOD-1")),
        ("b-locked.yaml", &good_record("LOCKED-1")),
        ("c-good.yaml", &good_record("GOOD-2")),
    ]);
    let locked = dir.path().join("b-locked.yaml");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let output = if std::fs::read(&locked).is_err() {
        mocheck_in(
            dir.path(),
            &["check", ".", "--format", "json", "--today", TODAY],
        )
    } else {
        // Running as root, which reads the file whatever its mode: run mocheck as `nobody`
        // instead, if this system lets us. If it does not, there is nothing to test here.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let Ok(output) = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_mocheck"))
            .args(["check", ".", "--format", "json", "--today", TODAY])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
        else {
            return;
        };
        if output.stdout.is_empty() {
            return; // `nobody` could not run the binary here (its folder is not readable).
        }
        output
    };
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", stderr(&output)));
    let all = findings(&json);
    let locked_findings: Vec<_> = all.iter().filter(|f| f.1 == "b-locked.yaml").collect();
    assert_eq!(locked_findings.len(), 1, "{all:?}");
    let (rule, _, line, column, message) = locked_findings[0];
    assert_eq!((rule.as_str(), *line, *column), ("MO090", 1, 1));
    assert!(message.contains("permission denied"), "{message}");
    assert_eq!(
        json["summary"]["records"], 2,
        "both other records are checked"
    );
    assert!(
        all.iter().all(|finding| finding.1 == "b-locked.yaml"),
        "{all:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_link_loop_and_a_dangling_link_are_mo090_and_the_rest_are_checked() {
    let dir = tree(&[
        ("a-good.yaml", &good_record("GOOD-1")),
        ("sub/b-good.yaml", &good_record("GOOD-2")),
    ]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("sub/dangling.yaml")).unwrap();
    let (by_file, records) = findings_by_file(dir.path());
    assert_eq!(records, 2, "{by_file:?}");
    let loop_findings = &by_file["sub/loop"];
    assert_eq!(loop_findings.len(), 1, "{by_file:?}");
    assert_eq!(loop_findings[0].0, "MO090");
    assert!(loop_findings[0].1.contains("loops back"), "{by_file:?}");
    let dangling = &by_file["sub/dangling.yaml"];
    assert_eq!(dangling[0].0, "MO090");
    assert!(dangling[0].1.contains("does not exist"), "{by_file:?}");
    assert_eq!(
        by_file.len(),
        2,
        "the good records have no findings: {by_file:?}"
    );
}

/// A rules file of one rule; its `check` is on line 10.
fn rules_file(check: &str, extra: &str) -> String {
    format!(
        "version = 1\n\n[[rule]]\nid = \"LOCAL-001\"\nname = \"hostile\"\nseverity = \"error\"\nsummary = \"a hostile rule\"\nbasis = [\"none\"]\nmessage = \"{{record.title}}\"\ncheck = {check}\nat = [\"title\"]\nhelp = \"none\"\nexplain = \"none\"\n{extra}"
    )
}

/// Runs `check` with `args` in a folder holding a record and `files`; asserts exit status 2,
/// every fragment in the message, and returns the message.
fn refused(files: &[(&str, &str)], args: &[&str], fragments: &[&str]) -> String {
    let record = good_record("R-1");
    let mut all: Vec<(&str, &[u8])> = vec![("record.yaml", &record)];
    all.extend(files.iter().map(|(name, text)| (*name, text.as_bytes())));
    let dir = tree(&all);
    let mut arguments = vec!["check", "record.yaml", "--today", TODAY];
    arguments.extend_from_slice(args);
    let output = mocheck_in(dir.path(), &arguments);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for fragment in fragments {
        assert!(
            message.contains(fragment),
            "`{fragment}` is not in:\n{message}"
        );
    }
    message
}

#[test]
fn hostile_rules_files_are_refused_with_their_place() {
    let nested = format!(
        "\"{}record.title != null{}\"",
        "(".repeat(300),
        ")".repeat(300)
    );
    let chain = format!("\"{}1 > 0\"", "1 + ".repeat(400));
    let long = format!("\"{}true\"", "record.title != null && ".repeat(420));
    assert!(long.len() > 10_000);
    let cases = [
        (
            rules_file(&nested, ""),
            "nests brackets more than 48 deep",
            "[rules.toml:10:9]",
        ),
        (
            rules_file(&chain, ""),
            "operations deep",
            "[rules.toml:10:9]",
        ),
        (
            rules_file("\"frobnicate(record.title)\"", ""),
            "unknown function `frobnicate`",
            "[rules.toml:10:9]",
        ),
        (
            rules_file(&long, ""),
            "the limit is 4000",
            "[rules.toml:10:9]",
        ),
        (
            rules_file(
                "\"true\"",
                "\n[params]\nreference_pattern = '(a{1000}){1000}'\n",
            ),
            "`reference_pattern` is not a valid regular expression",
            "[rules.toml:16:1]",
        ),
    ];
    for (text, reason, place) in &cases {
        refused(
            &[("rules.toml", text)],
            &["--rules", "rules.toml"],
            &[reason, place],
        );
    }
}

#[test]
fn hostile_configurations_are_refused_with_their_place() {
    let deep_list = format!(
        "[params]\nlegal_advice_types = {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let deep_table = format!(
        "[params]\ndelegated_limit = {}1{}\n",
        "{a = ".repeat(3000),
        "}".repeat(3000)
    );
    let cases = [
        (deep_list.as_str(), "recursion", "[mocheck.toml:2:"),
        (deep_table.as_str(), "recursion", "[mocheck.toml:2:"),
        (
            "[params]\nreference_pattern = '(a{1000}){1000}'\n",
            "not a valid regular expression",
            "[mocheck.toml:2:21]",
        ),
        (
            "[office]\nnmae = 'x'\n",
            "unknown field `nmae`",
            "[mocheck.toml:2:1]",
        ),
        (
            "[rules]\ndisable = ['MO999']\n",
            "there is no rule `MO999`",
            "[mocheck.toml:2:12]",
        ),
    ];
    for (text, reason, place) in cases {
        refused(&[("mocheck.toml", text)], &[], &[reason, place]);
    }
    // The TOML reader gives no place for a key dotted past its limit: the file is named.
    let mut dotted = "[params]\n".to_string();
    writeln!(dotted, "{} = 1", vec!["a"; 3000].join(".")).unwrap();
    refused(
        &[("mocheck.toml", &dotted)],
        &[],
        &["mocheck.toml: recursion limit"],
    );
}

#[test]
fn an_alias_bomb_and_deep_nesting_come_back_promptly() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
        writeln!(bomb, "a{level}: &a{level} [{aliases}]").unwrap();
    }
    let flow = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    // Block style costs a line a level: 500 levels stay well inside the size limit.
    let mut block = String::new();
    for level in 0..500 {
        writeln!(block, "{}a:", " ".repeat(level)).unwrap();
    }
    let dir = tree(&[
        ("bomb.yaml", bomb.as_bytes()),
        ("flow.yaml", flow.as_bytes()),
        ("block.yaml", block.as_bytes()),
        ("good.yaml", &good_record("GOOD-1")),
    ]);
    let (by_file, _) = findings_by_file(dir.path());
    let only = |file: &str| -> String {
        let found = &by_file[file];
        assert_eq!(found.len(), 1, "{file}: {found:?}");
        assert_eq!(found[0].0, "MO090", "{file}: {found:?}");
        found[0].1.clone()
    };
    assert!(only("bomb.yaml").contains("expands to more than"));
    assert!(only("flow.yaml").contains("nested"));
    assert!(only("block.yaml").contains("nested"));
    assert!(!by_file.contains_key("good.yaml"), "{by_file:?}");
}
