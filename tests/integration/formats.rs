//! The formats for other programs and for papers (SARIF, `JUnit`, GitHub workflow commands,
//! Markdown) on the shared sample run, each held to its own standard; and `mocheck schema`
//! held to the records mocheck reads.

use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::support::{mocheck, mocheck_in, repo, stderr, stdout, tree, EXAMPLES, MINIMAL, TODAY};

/// The sample run every format renders, as in `cli.rs`.
fn sample(format: &str) -> String {
    let mut args = EXAMPLES.to_vec();
    args.extend(["--format", format]);
    let output = mocheck(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    stdout(&output)
}

/// `check .` in a folder, in one format, without the examples' configuration.
fn check_in(dir: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["check", ".", "--today", TODAY, "--format", format];
    args.extend_from_slice(extra);
    let output = mocheck_in(dir, &args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    stdout(&output)
}

/// A record with a waived finding (MO012: a contract award with no legal advice) whose
/// waiver reason holds markup, a quote, a `%`, a `|` and a control character, and an
/// unknown key that puts a `%` and a `|` into an unwaived finding's message.
fn awkward_tree() -> tempfile::TempDir {
    let record = MINIMAL.replace("type: other", "type: contract_award")
        + "waivers:\n  - rule: MO012\n    reason: \"Counsel's <advice> & \\\"notes\\\" | 100% \\e done\"\n    approved_by: Polly Reed\n    date: 2026-03-10\n"
        + "share_50%|x: yes\n";
    tree(&[("decisions/a,b:c.yaml", record.as_bytes())])
}

fn json_findings(text: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(text).expect("JSON");
    json["findings"].as_array().expect("findings").clone()
}

// Snapshots of the shared sample run.

#[test]
fn sarif_output_matches_the_snapshot() {
    // The repository's top is wherever this clone is: shown as a placeholder.
    let top = format!("file://{}/", repo().canonicalize().unwrap().display());
    insta::assert_snapshot!(
        "examples_sarif",
        sample("sarif").replace(&top, "file:///REPOSITORY/")
    );
}

#[test]
fn junit_output_matches_the_snapshot() {
    insta::assert_snapshot!("examples_junit", sample("junit"));
}

#[test]
fn github_output_matches_the_snapshot() {
    insta::assert_snapshot!("examples_github", sample("github"));
}

#[test]
fn markdown_output_matches_the_snapshot() {
    insta::assert_snapshot!("examples_markdown", sample("markdown"));
}

// SARIF.

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("tests/data/sarif-schema-2.1.0.json"))
        .expect("the SARIF schema in tests/data");
    let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, sarif: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let validator = sarif_validator();
    let sarif: Value = serde_json::from_str(&sample("sarif")).unwrap();
    assert_valid_sarif(&validator, &sarif);
    // The schema has teeth: a level SARIF does not know is refused.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "mocheck");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let findings = json_findings(&sample("json"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(&findings) {
        let index = usize::try_from(result["ruleIndex"].as_u64().expect("a ruleIndex")).unwrap();
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["ruleId"], finding["rule"]);
        let level = match finding["severity"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(result["level"], level);
        assert_eq!(result["message"]["text"], finding["message"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], finding["file"]);
        assert_eq!(location["region"]["startLine"], finding["line"]);
        assert_eq!(location["region"]["startColumn"], finding["column"]);
    }
}

#[test]
fn sarif_marks_a_waived_finding_as_suppressed_and_stays_valid() {
    let dir = awkward_tree();
    let sarif: Value = serde_json::from_str(&check_in(dir.path(), "sarif", &[])).unwrap();
    assert_valid_sarif(&sarif_validator(), &sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let waived = results
        .iter()
        .find(|result| result["ruleId"] == "MO012")
        .expect("the waived MO012 finding is still reported");
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    let justification = waived["suppressions"][0]["justification"].as_str().unwrap();
    assert!(
        justification.contains("Counsel's <advice>") && justification.contains("Polly Reed"),
        "{justification}"
    );
    assert_eq!(
        waived["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "decisions/a,b%3Ac.yaml"
    );
    assert!(results
        .iter()
        .filter(|result| result["ruleId"] != "MO012")
        .all(|result| result.get("suppressions").is_none()));
}

// JUnit.

/// Whether a JSON finding fails the run at the default `--fail-on error`.
fn fails(finding: &Value) -> bool {
    finding["waived"] == false && finding["severity"] == "error"
}

#[test]
fn junit_output_is_xml_with_one_failure_per_failing_finding() {
    let xml = sample("junit");
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let json: Value = serde_json::from_str(&sample("json")).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let failures: Vec<_> = root
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), findings.iter().filter(|f| fails(f)).count());
    for failure in &failures {
        let case = failure.parent_element().unwrap();
        assert!(case.has_tag_name("testcase"));
        let suite = case.parent_element().unwrap();
        assert_eq!(case.attribute("classname"), suite.attribute("file"));
        let finding = findings
            .iter()
            .find(|finding| {
                let heading = format!(
                    "{} {}: {}",
                    finding["rule"].as_str().unwrap(),
                    finding["name"].as_str().unwrap(),
                    finding["message"].as_str().unwrap()
                );
                failure.attribute("message") == Some(heading.as_str())
            })
            .expect("each failure is a finding");
        assert_eq!(failure.attribute("type"), finding["severity"].as_str());
        assert_eq!(case.attribute("name"), finding["record"].as_str());
    }
    let suites = root
        .children()
        .filter(|node| node.has_tag_name("testsuite"))
        .count();
    assert_eq!(
        Some(suites as u64),
        json["summary"]["files"].as_u64(),
        "one suite per file checked"
    );
    let cases = root
        .descendants()
        .filter(|node| node.has_tag_name("testcase"))
        .count();
    assert_eq!(
        Some(cases as u64),
        json["summary"]["records"].as_u64(),
        "one case per record checked"
    );
}

#[test]
fn junit_escapes_markup_and_control_characters_and_lists_waived_findings() {
    let dir = awkward_tree();
    let xml = check_in(dir.path(), "junit", &[]);
    let document =
        roxmltree::Document::parse(&xml).unwrap_or_else(|error| panic!("{error}\n{xml}"));
    let findings = json_findings(&check_in(dir.path(), "json", &[]));
    assert!(findings.iter().any(|finding| finding["waived"] == true));
    // A waived finding is seen, in the case's output, but is neither a failure nor a skip.
    assert!(!document
        .descendants()
        .any(|node| node.has_tag_name("skipped")));
    let notes = document
        .descendants()
        .find(|node| node.has_tag_name("system-out"))
        .and_then(|node| node.text())
        .expect("the waived finding is listed");
    assert!(
        notes.contains("waived (Counsel's <advice> & \"notes\" | 100% \\u{1b} done (approved by"),
        "{notes}"
    );
    let failures = document
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .count();
    assert_eq!(failures, findings.iter().filter(|f| fails(f)).count());
    let case = document
        .descendants()
        .find(|node| node.has_tag_name("testcase"))
        .unwrap();
    assert_eq!(case.attribute("classname"), Some("decisions/a,b:c.yaml"));
    assert_eq!(case.attribute("name"), Some("T-1"));
}

// GitHub workflow commands.

fn assert_workflow_commands(text: &str, findings: usize) {
    let command = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:\r\n]+(,line=[1-9][0-9]*,col=[1-9][0-9]*(,endLine=[1-9][0-9]*(,endColumn=[1-9][0-9]*)?)?)?,title=[^,:\r\n]+::[^\r\n]+$",
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (summary, commands) = lines.split_last().expect("a summary line");
    assert_eq!(commands.len(), findings);
    for line in commands {
        assert!(command.is_match(line), "not a workflow command: {line}");
        // After `::`, a `%` may only start one of the three escapes the runner undoes.
        let data = &line[line[2..].find("::").unwrap() + 4..];
        let unescaped = data
            .replace("%25", "")
            .replace("%0A", "")
            .replace("%0D", "");
        assert!(!unescaped.contains('%'), "unescaped % in {line}");
    }
    assert!(
        summary.starts_with("Checked ") && !summary.starts_with("::"),
        "{summary}"
    );
}

#[test]
fn github_lines_are_workflow_commands() {
    let findings = json_findings(&sample("json")).len();
    assert_workflow_commands(&sample("github"), findings);
}

#[test]
fn github_escapes_property_values_and_data_and_marks_waived_findings() {
    let dir = awkward_tree();
    let text = check_in(dir.path(), "github", &[]);
    let findings = json_findings(&check_in(dir.path(), "json", &[])).len();
    assert_workflow_commands(&text, findings);
    assert!(text.contains("file=decisions/a%2Cb%3Ac.yaml,"), "{text}");
    let waived = text
        .lines()
        .find(|line| line.contains("MO012"))
        .expect("the waived finding is shown");
    assert!(waived.starts_with("::notice "), "{waived}");
    assert!(waived.contains("::(waived) "), "{waived}");
    assert!(waived.contains("100%25"), "{waived}");
}

// Markdown.

#[test]
fn markdown_has_one_row_per_finding_with_pipes_escaped() {
    let dir = awkward_tree();
    let text = check_in(dir.path(), "markdown", &[]);
    let findings = json_findings(&check_in(dir.path(), "json", &[]));
    let rows: Vec<&str> = text.lines().filter(|line| line.starts_with("| ")).collect();
    assert_eq!(
        rows.len(),
        findings.len() + 1,
        "a header and a row each:\n{text}"
    );
    for row in &rows {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 6, "five cells in {row}");
    }
    assert!(
        text.contains("(waived)") && text.contains("*Waived: "),
        "{text}"
    );
}

#[test]
fn markdown_says_so_when_there_are_no_findings() {
    let dir = tree(&[("decisions/t-1.yaml", MINIMAL.as_bytes())]);
    let text = check_in(dir.path(), "markdown", &["--select", "MO015"]);
    assert!(text.contains("found nothing to report"), "{text}");
    assert!(!text.contains('|'), "{text}");
}

// `mocheck schema`.

fn record_schema() -> jsonschema::Validator {
    let output = mocheck(&["schema"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let schema: Value = serde_json::from_slice(&output.stdout).expect("the schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles as draft-07")
}

/// Every YAML document of a file, as JSON.
fn documents(text: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(text)
        .map(|document| Value::deserialize(document).expect("YAML that converts to JSON"))
        .filter(|document| !document.is_null())
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(yaml_files(&path));
        } else if path
            .extension()
            .is_some_and(|extension| extension == "yaml" || extension == "yml")
        {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn schema_accepts_every_example_record_that_mocheck_reads_cleanly() {
    let validator = record_schema();
    // Records with format problems (MO090 unreadable, MO091 unknown field) are the ones the
    // schema may reject; an unknown field it must reject, as editors should underline it.
    let findings = json_findings(&sample("json"));
    let format_problem = |file: &str, reference: &Value, rule: &str| {
        findings.iter().any(|finding| {
            finding["file"] == file && &finding["record"] == reference && finding["rule"] == rule
        })
    };
    let mut accepted = 0;
    for path in yaml_files(&repo().join("examples/decisions")) {
        let file = path
            .strip_prefix(repo())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for record in documents(&std::fs::read_to_string(&path).unwrap()) {
            let reference = &record["reference"];
            let errors: Vec<String> = validator
                .iter_errors(&record)
                .map(|error| format!("{} at {}", error, error.instance_path()))
                .collect();
            if format_problem(&file, reference, "MO091") {
                assert!(
                    !errors.is_empty(),
                    "{file} {reference}: an unknown field passed"
                );
            } else if !format_problem(&file, reference, "MO090") {
                assert!(
                    errors.is_empty(),
                    "{file} {reference}:\n{}",
                    errors.join("\n")
                );
                accepted += 1;
            }
        }
    }
    assert!(
        accepted >= 10,
        "only {accepted} example records were validated"
    );
}

#[test]
fn schema_rejects_records_with_a_wrong_type() {
    let validator = record_schema();
    let minimal = documents(MINIMAL).remove(0);
    assert!(validator.is_valid(&minimal));
    let with_null = documents(&(MINIMAL.to_string() + "summary: ~\nfinancial:\n  amount: null\n"));
    assert!(validator.is_valid(&with_null[0]), "null means not recorded");
    let with_time = documents(&MINIMAL.replace("2026-03-12", "2026-03-12T14:30:00"));
    assert!(validator.is_valid(&with_time[0]), "a date-time is a date");
    for (what, change) in [
        (
            "a date written the British way",
            ("decided_on: 2026-03-12", "decided_on: 12/03/2026"),
        ),
        (
            "money as text",
            ("interests:", "financial:\n  amount: \"£1.2m\"\ninterests:"),
        ),
        (
            "a yes for a bool",
            ("declaration: true", "declaration: \"yes\""),
        ),
        ("an unknown status", ("status: decided", "status: approved")),
        (
            "a list where a mapping goes",
            (
                "interests:\n  declaration: true",
                "interests:\n  - declaration: true",
            ),
        ),
        ("an unknown field", ("title:", "titel: x\ntitle:")),
    ] {
        let record = documents(&MINIMAL.replace(change.0, change.1)).remove(0);
        assert_ne!(record, minimal, "{what}: the change applies");
        assert!(
            !validator.is_valid(&record),
            "{what} was accepted: {record}"
        );
    }
    let mut missing = minimal.clone();
    missing.as_object_mut().unwrap().remove("title");
    assert!(!validator.is_valid(&missing), "a record without a title");
    // Version 2: a record with no reference is checked (MO100), so the editor accepts it.
    let mut unnumbered = minimal.clone();
    unnumbered.as_object_mut().unwrap().remove("reference");
    assert!(
        validator.is_valid(&unnumbered),
        "a record without a reference"
    );
}

#[test]
fn schema_describes_every_field_of_the_record_format() {
    fn walk(fields: &[mocheck::load::schema::Field], node: &Value, path: &str) {
        use mocheck::load::schema::Kind;
        let properties = node["properties"].as_object().expect("properties");
        assert_eq!(properties.len(), fields.len(), "{path}");
        for field in fields {
            let property = &node["properties"][field.name];
            assert_eq!(
                property["description"],
                json!(field.doc),
                "{path}.{}",
                field.name
            );
            match field.kind {
                Kind::Object(children) => {
                    assert_eq!(property["additionalProperties"], false);
                    walk(children, property, field.name);
                }
                Kind::List(children) => walk(children, &property["items"], field.name),
                _ => {}
            }
        }
    }
    let output = mocheck(&["schema"]);
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    walk(mocheck::load::schema::RECORD, &schema, "");
    assert_eq!(schema["required"], json!(["title", "type", "status"]));
}

/// `docs/record-format.md`, the format's reference, names every field the loader knows.
#[test]
fn the_record_format_reference_names_every_field() {
    fn walk(fields: &[mocheck::load::schema::Field], text: &str, path: &str) {
        use mocheck::load::schema::Kind;
        for field in fields {
            let full = if path.is_empty() {
                field.name.to_string()
            } else {
                format!("{path}.{}", field.name)
            };
            // A field has its own row, or is listed by name in its parent's row.
            let named = text.contains(&format!("`{full}`"))
                || text.contains(&format!("`{full}.")) // its row of children
                || text.contains(&format!("`{}`", field.name));
            assert!(named, "docs/record-format.md does not name `{full}`");
            if let Kind::Object(children) | Kind::List(children) = &field.kind {
                walk(children, text, &full);
            }
        }
    }
    let text = std::fs::read_to_string(repo().join("docs/record-format.md")).unwrap();
    walk(mocheck::load::schema::RECORD, &text, "");
    assert!(text.contains("`planned_on`"));
}

#[test]
fn the_record_format_references_examples_are_records_mocheck_reads_whole() {
    // Each full record the reference shows loads with no MO090 or MO091: the docs cannot
    // teach a shape the loader refuses.
    let text = std::fs::read_to_string(repo().join("docs/record-format.md")).unwrap();
    let records: Vec<&str> = text
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .filter(|block| block.starts_with("reference:"))
        .collect();
    assert!(records.len() >= 2, "{records:?}");
    for record in records {
        let dir = crate::support::tree(&[("r.yaml", record.as_bytes())]);
        let (_, json) = crate::support::check_json(dir.path(), &[]);
        let rules: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| finding["rule"].as_str().unwrap())
            .collect();
        assert!(
            !rules.contains(&"MO090") && !rules.contains(&"MO091"),
            "{record}\n{json}"
        );
    }
}
