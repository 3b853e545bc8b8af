//! Meta-tests: the built-in ruleset matches the catalogue and keeps its conventions, so a
//! rule cannot quietly lose its explanation, its examples or its plain-words message.

use mocheck::rules;

use crate::support::builtin;

/// The catalogue's rules: id, name and default severity (shared/spec/rules-catalogue.md).
const CATALOGUE: &[(&str, &str, &str)] = &[
    ("MO001", "ce-cfo-distinct", "error"),
    ("MO002", "signatory-holds-office", "warning"),
    ("MO003", "reserved-decision-by-pcc", "error"),
    ("MO004", "delegated-authority-cited", "error"),
    ("MO005", "within-delegated-limit", "error"),
    ("MO010", "ce-advice-recorded", "error"),
    ("MO011", "ce-advice-before-decision", "error"),
    ("MO012", "legal-advice-recorded", "error"),
    ("MO013", "legal-advice-before-decision", "error"),
    ("MO014", "cfo-signoff-recorded", "error"),
    ("MO015", "cfo-signoff-before-decision", "error"),
    ("MO016", "cfo-signoff-covers-amount", "error"),
    ("MO017", "funding-source-identified", "error"),
    ("MO018", "outside-budget-needs-virement", "error"),
    ("MO020", "cfo-concern-reported", "error"),
    ("MO021", "standstill-respected", "error"),
    ("MO022", "budget-robustness-report", "error"),
    ("MO023", "precept-timetable", "error"),
    ("MO024", "precept-public-views", "warning"),
    ("MO030", "procurement-recorded", "error"),
    ("MO031", "competition-above-threshold", "error"),
    ("MO032", "tender-above-local-band", "error"),
    ("MO033", "direct-award-justified", "error"),
    ("MO034", "contract-transparency", "info"),
    ("MO040", "spi-decision-published", "error"),
    ("MO041", "published-promptly", "warning"),
    ("MO042", "exemption-ground-stated", "error"),
    ("MO043", "public-summary-for-confidential", "warning"),
    ("MO050", "equality-duty-considered", "error"),
    ("MO051", "equality-not-relevant-reasoned", "warning"),
    ("MO052", "interests-declaration", "warning"),
    ("MO053", "conflict-managed", "error"),
    ("MO060", "plan-consultation", "error"),
    ("MO061", "audit-committee-review", "warning"),
    ("MO062", "force-business-cc-view", "warning"),
    ("MO063", "urgency-justified", "warning"),
    ("MO064", "background-papers-listed", "warning"),
    ("MO065", "cc-appointment-panel-review", "error"),
    ("MO066", "signed-by-title-only", "info"),
    ("MO067", "ce-advice-by-attendance", "warning"),
    ("MO068", "reserved-decision-by-acting-pcc", "warning"),
    ("MO069", "precept-panel-report-date", "warning"),
    ("MO070", "precept-after-panel-scrutiny", "error"),
    ("MO071", "precept-revised-after-veto", "error"),
    ("MO090", "unreadable-record", "error"),
    ("MO091", "unknown-field", "warning"),
    ("MO092", "duplicate-reference", "error"),
    ("MO093", "reference-format", "warning"),
    ("MO094", "future-date", "warning"),
    ("MO095", "waiver-unjustified", "error"),
    ("MO096", "waiver-unused", "warning"),
    ("MO097", "waiver-expired", "warning"),
    ("MO098", "baseline-entry-stale", "warning"),
    ("MO099", "decision-date-missing", "error"),
    ("MO100", "reference-missing", "error"),
];

#[test]
fn ids_names_and_severities_match_the_catalogue() {
    let ruleset = builtin();
    let ours: Vec<(String, String, String)> = ruleset
        .infos()
        .into_iter()
        .map(|info| {
            (
                info.id.to_string(),
                info.name.to_string(),
                info.severity.to_string(),
            )
        })
        .collect();
    let catalogue: Vec<(String, String, String)> = CATALOGUE
        .iter()
        .map(|(id, name, severity)| {
            (
                (*id).to_string(),
                (*name).to_string(),
                (*severity).to_string(),
            )
        })
        .collect();
    assert_eq!(ours, catalogue);
}

#[test]
fn every_rule_explains_itself_under_the_four_headings() {
    let headings = [
        "## What it checks",
        "## Why it matters",
        "## How to fix",
        "## Example",
    ];
    for info in builtin().infos() {
        let mut from = 0;
        for heading in headings {
            let found = info.explain[from..].find(heading);
            assert!(
                found.is_some(),
                "{} lacks `{heading}` (or has it out of order)",
                info.id
            );
            from += found.unwrap() + heading.len();
        }
        assert!(!info.basis.is_empty(), "{} cites no basis", info.id);
        assert!(!info.help.is_empty(), "{} has no help", info.id);
        assert!(!info.summary.is_empty(), "{} has no summary", info.id);
    }
}

#[test]
fn every_rule_has_passing_and_failing_examples_that_agree_with_it() {
    let ruleset = builtin();
    let summary = mocheck::rule_tests::run(ruleset);
    assert!(summary.problems.is_empty(), "{:#?}", summary.problems);
    assert!(summary.examples >= 2 * ruleset.rules.len());
}

#[test]
fn messages_start_lower_case_and_have_no_trailing_full_stop() {
    let ruleset = builtin();
    for rule in &ruleset.rules {
        for example in rule.examples.iter().filter(|example| example.fails) {
            let finding = mocheck::rule_tests::example_finding(rule, example, ruleset)
                .expect("a readable example")
                .expect("a failing example fails");
            let first = finding.message.chars().next().expect("a message");
            assert!(
                !first.is_uppercase(),
                "{}: `{}` starts upper-case",
                rule.info.id,
                finding.message
            );
            assert!(
                !finding.message.ends_with('.'),
                "{}: `{}` ends with a full stop",
                rule.info.id,
                finding.message
            );
            assert!(
                !finding.message.contains("not recorded not recorded"),
                "{}",
                finding.message
            );
        }
    }
}

#[test]
fn every_data_rule_points_at_a_field_of_the_format() {
    for rule in &builtin().rules {
        for template in &rule.at {
            // Up to the first interpolation or index: the part every rendering shares.
            let path = template.source.split(['[', '{']).next().unwrap_or_default();
            let path = path.trim_end_matches('.');
            if path.is_empty() {
                continue;
            }
            assert!(
                mocheck::load::schema::find(path).is_some(),
                "{} points at `{}`, which is not a field",
                rule.info.id,
                template.source
            );
        }
    }
}

#[test]
fn every_builtin_message_and_location_compiles() {
    // The built-in ruleset compiles these on first use; this keeps a broken one from shipping.
    for rule in &builtin().rules {
        for template in rule
            .at
            .iter()
            .chain(std::iter::once(&rule.message))
            .chain(&rule.finding_basis)
        {
            if let Err(error) = mocheck::rules::expr::Template::parse(&template.source) {
                panic!("{}: `{}`: {error}", rule.info.id, template.source);
            }
        }
    }
}

#[test]
fn the_version_line_names_the_builtin_ruleset_version() {
    let output = crate::support::mocheck(&["--version"]);
    let text = crate::support::stdout(&output);
    let ruleset = builtin();
    assert!(
        text.contains(&format!("built-in ruleset {}", ruleset.version)),
        "`{text}` should name ruleset version {}",
        ruleset.version
    );
}

/// `docs/rules.md` is the built-in ruleset's catalogue as `mocheck rules --format markdown`
/// writes it: regenerate it with that command whenever a rule changes.
#[test]
fn docs_rules_md_is_the_generated_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let output = crate::support::mocheck_in(dir.path(), &["rules", "--format", "markdown"]);
    assert_eq!(output.status.code(), Some(0));
    let generated = crate::support::stdout(&output);
    let committed = std::fs::read_to_string(crate::support::repo().join("docs/rules.md")).unwrap();
    assert!(
        generated == committed,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
    // Every rule has its section, under the anchor SARIF's helpUri names.
    for (id, name, _) in CATALOGUE {
        assert!(
            committed.contains(&format!("\n## {id} {name}\n")),
            "{id} {name} has no section"
        );
        assert!(committed.contains(&format!("(#{}-{name})", id.to_lowercase())));
    }
}

/// A built-in rule must say its kind: a rule that left it out would silently read as local
/// policy, and a statutory duty would then drop out of the s.5 draft's grounds.
#[test]
fn every_builtin_rule_states_its_kind() {
    let file: toml::Table = toml::from_str(rules::BUILTIN).unwrap();
    let mut missing = Vec::new();
    for table in ["rule", "engine_rule"] {
        for rule in file[table].as_array().unwrap() {
            let id = rule["id"].as_str().unwrap();
            match rule.get("kind").and_then(toml::Value::as_str) {
                Some(kind) => assert!(
                    [
                        "statute",
                        "code_of_practice",
                        "local_policy",
                        "good_practice"
                    ]
                    .contains(&kind),
                    "{id} has kind {kind}"
                ),
                None => missing.push(id.to_string()),
            }
        }
    }
    assert!(missing.is_empty(), "rules with no kind: {missing:?}");
    let ruleset = builtin();
    let statutes = ruleset
        .infos()
        .into_iter()
        .filter(|info| info.kind == mocheck::finding::RuleKind::Statute)
        .count();
    assert!(statutes > 10, "only {statutes} statutory rules");
}

#[test]
fn a_rule_of_an_unknown_kind_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("local.toml");
    std::fs::write(
        &rules,
        "version = 1\n[[rule]]\nid = \"LOCAL-001\"\nname = \"x\"\nseverity = \"warning\"\nkind = \"law\"\nsummary = \"s\"\nbasis = []\ncheck = \"true\"\nat = [\"title\"]\nmessage = \"m\"\nhelp = \"h\"\nexplain = \"e\"\n",
    )
    .unwrap();
    let output = crate::support::mocheck(&["rules", "--rules", rules.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = crate::support::stderr(&output);
    assert!(stderr.contains("`law` is not a kind of rule"), "{stderr}");
    assert!(stderr.contains("local.toml:6"), "{stderr}");
}

#[test]
fn every_failing_builtin_example_says_what_its_finding_says_and_where() {
    // So that `mocheck test` catches a rule that fires for the wrong reason or at the wrong
    // field, not only one that stops firing.
    let ruleset = builtin();
    for rule in &ruleset.rules {
        for example in rule.examples.iter().filter(|example| example.fails) {
            assert!(
                example.message.is_some() && example.at.is_some(),
                "{}: the failing example at line {} gives no `message` or no `at`",
                rule.info.id,
                example.line
            );
        }
    }
}

/// The function tables of `docs/writing-rules.md` are made from the one table of helpers
/// (`src/rules/helpers.rs`) that also drives the name check and the evaluator: a helper
/// added there shows here, or this fails. `MOCHECK_BLESS=1 cargo test` writes them afresh.
#[test]
fn docs_writing_rules_lists_the_helpers_of_the_table() {
    const OPEN: &str =
        "<!-- The tables below are made from src/rules/helpers.rs; a test keeps them fresh. -->\n";
    const CLOSE: &str = "<!-- End of the generated tables. -->\n";
    let path = crate::support::repo().join("docs/writing-rules.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(OPEN).expect("the opening marker") + OPEN.len();
    let end = text.find(CLOSE).expect("the closing marker");
    let generated = mocheck::rules::helpers::documentation();
    if std::env::var_os("MOCHECK_BLESS").is_some() {
        let fresh = format!("{}{generated}{}", &text[..start], &text[end..]);
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    assert!(
        text[start..end] == generated,
        "docs/writing-rules.md's function tables are out of date: run `MOCHECK_BLESS=1 cargo test docs_writing_rules`"
    );
    for helper in mocheck::rules::helpers::HELPERS {
        assert!(
            text.contains(&format!("`{}`", helper.usage)),
            "{}",
            helper.name
        );
    }
}
