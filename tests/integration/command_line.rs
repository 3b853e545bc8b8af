//! The command line's rough edges: `--select`/`--ignore` entries in any case, by name or
//! prefix, and refused when they match nothing.

use super::support::{findings, mocheck, stderr, EXAMPLES};

/// The rules that fired on the examples with `extra`, and the exit status.
fn rules_fired(extra: &[&str]) -> (i32, Vec<String>) {
    let mut args = EXAMPLES.to_vec();
    args.extend_from_slice(&["--format", "json"]);
    args.extend_from_slice(extra);
    let output = mocheck(&args);
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", stderr(&output)));
    let mut rules: Vec<String> = findings(&json)
        .into_iter()
        .map(|finding| finding.0)
        .collect();
    rules.sort();
    rules.dedup();
    (output.status.code().unwrap(), rules)
}

#[test]
fn select_takes_ids_in_any_case_prefixes_and_names() {
    let (_, upper) = rules_fired(&["--select", "MO01"]);
    assert!(!upper.is_empty());
    assert!(
        upper
            .iter()
            .all(|rule| rule.starts_with("MO01") || rule == "MO090"),
        "{upper:?}"
    );
    assert_eq!(rules_fired(&["--select", "mo01"]).1, upper);
    assert_eq!(rules_fired(&["--select", " MO01 "]).1, upper);
    assert_eq!(
        rules_fired(&["--select", "cfo-signoff-covers-amount"]).1,
        ["MO016"]
    );
    let (_, without) = rules_fired(&["--ignore", "mo016, MO015"]);
    assert!(!without.contains(&"MO016".to_string()), "{without:?}");
    assert!(!without.contains(&"MO015".to_string()), "{without:?}");
}

#[test]
fn select_or_ignore_matching_no_rule_is_refused_with_a_suggestion() {
    for (option, entry, near) in [
        ("--select", "MO999", "did you mean MO099?"),
        (
            "--ignore",
            "cfo-signoff-covers-amout",
            "did you mean cfo-signoff-covers-amount?",
        ),
    ] {
        let mut args = EXAMPLES.to_vec();
        args.extend_from_slice(&[option, entry]);
        let output = mocheck(&args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{message}");
        assert!(
            message.contains(&format!("{option} `{entry}` matches no rule")),
            "{message}"
        );
        assert!(message.contains(near), "{message}");
    }
}

/// The human format's bytes on the examples with `args` and `environment` (`NO_COLOR` unset).
fn human_output(args: &[&str], environment: &[(&str, &str)]) -> String {
    let mut all = EXAMPLES.to_vec();
    all.extend_from_slice(args);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mocheck"))
        .current_dir(super::support::repo())
        .args(&all)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .envs(environment.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("mocheck runs");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn colour_follows_the_flag_then_no_color_then_forcing() {
    let coloured = |text: &str| text.contains("\u{1b}[");
    assert!(
        !coloured(&human_output(&[], &[])),
        "not a terminal: no colour"
    );
    assert!(coloured(&human_output(
        &["--color", "always"],
        &[("NO_COLOR", "1")]
    )));
    assert!(coloured(&human_output(&[], &[("CLICOLOR_FORCE", "1")])));
    assert!(coloured(&human_output(&[], &[("FORCE_COLOR", "1")])));
    assert!(!coloured(&human_output(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    assert!(!coloured(&human_output(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(!coloured(&human_output(
        &["--no-color"],
        &[("CLICOLOR_FORCE", "1")]
    )));
}

#[test]
fn a_report_on_a_reference_names_the_files_that_could_not_be_read() {
    let dir = super::support::tree(&[
        ("broken.yaml", b"reference: R-9\ntitle: [unclosed\n"),
        ("good.yaml", super::support::MINIMAL.as_bytes()),
    ]);
    let output = super::support::mocheck_in(dir.path(), &["report", "--decision", "R-9", "."]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("no record has the reference `R-9`"),
        "{message}"
    );
    assert!(
        message.contains("one file could not be read (`broken.yaml`)"),
        "{message}"
    );
}
