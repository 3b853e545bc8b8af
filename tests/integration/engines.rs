//! The compiled evaluator (`src/rules/compiled.rs`) against the CEL interpreter kept as its
//! oracle (`src/rules/oracle.rs`). Every rule runs both ways on the examples, on every
//! rule's own examples and on generated records, and the findings must be the same,
//! messages and locations included; where a rule could not be checked, both must say so
//! (each in its own words for the error itself).

use std::sync::Arc;

use chrono::NaiveDate;
use mocheck::check::{base_context, evaluate, record_scope, CheckOptions, Engine};
use mocheck::finding::Finding;
use mocheck::load::{self, LoadOptions, Loaded, WalkOptions, Walked};
use mocheck::rules::RuleSet;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};

use crate::fuzz_regressions::{builtin, today, with_office};
use crate::properties::record_file;
use crate::support::{check, mocheck, repo, stderr, stdout, EXAMPLES};

fn both_ways(loaded: &Loaded, ruleset: &RuleSet, today: NaiveDate) -> usize {
    let compiled = check(
        loaded,
        ruleset,
        CheckOptions {
            today,
            engine: Engine::Compiled,
        },
    );
    let interpreted = check(
        loaded,
        ruleset,
        CheckOptions {
            today,
            engine: Engine::Interpreter,
        },
    );
    assert_eq!(
        compiled.len(),
        interpreted.len(),
        "the engines report different numbers of findings"
    );
    for (fast, slow) in compiled.iter().zip(&interpreted) {
        assert_eq!(comparable(fast), comparable(slow), "the engines disagree");
    }
    compiled.len()
}

/// A finding as the two evaluators must agree on it: all of it, except the words of an
/// evaluation error, which each gives in its own.
fn comparable(finding: &Finding) -> Finding {
    const FAILED: &str = "this rule could not be checked on this record";
    let mut finding = finding.clone();
    if finding.message.starts_with(FAILED) {
        finding.message = FAILED.to_string();
    }
    finding
}

#[test]
fn the_engines_agree_on_the_examples() {
    let walked = load::walk(
        &[repo().join("examples/decisions")],
        &WalkOptions::default(),
    )
    .expect("the examples");
    let loaded = load::load(&walked, None, LoadOptions::default());
    let mut findings = 0;
    for day in ["2026-06-30", "2026-01-15", "2027-03-01"] {
        let day = day.parse().unwrap();
        findings += both_ways(&loaded, builtin(), day);
        findings += both_ways(&loaded, with_office(), day);
    }
    assert!(
        findings > 50,
        "the examples should give findings to compare"
    );
}

#[test]
fn the_engines_agree_on_every_rules_examples() {
    let ruleset = builtin();
    let mut compared = 0;
    for rule in &ruleset.rules {
        for example in &rule.examples {
            let mocheck::rule_tests::ExampleSetting {
                record,
                helpers,
                today,
            } = mocheck::rule_tests::example_setting(example, ruleset)
                .unwrap_or_else(|error| panic!("{}: {error}", rule.info.id));
            let file: Arc<str> = Arc::from("example");
            let findings: Vec<_> = [Engine::Compiled, Engine::Interpreter]
                .into_iter()
                .map(|engine| {
                    let context = base_context(&helpers, ruleset, today, engine);
                    // Every rule on every example: a rule's example is another's test case.
                    // On each kind a record lists, as `check` sees it.
                    record
                        .by_type()
                        .iter()
                        .flat_map(|view| {
                            let scope = record_scope(&context, view);
                            ruleset
                                .rules
                                .iter()
                                .filter_map(|other| evaluate(other, &scope, view, &file, None))
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            let [compiled, interpreted] = [&findings[0], &findings[1]]
                .map(|found| found.iter().map(comparable).collect::<Vec<_>>());
            assert_eq!(
                compiled, interpreted,
                "the engines disagree on an example of {}",
                rule.info.id
            );
            compared += findings[0].len();
        }
    }
    assert!(compared > 100, "only {compared} findings compared");
}

#[test]
fn the_engines_agree_on_generated_records() {
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = record_file();
    let mut findings = 0;
    for _ in 0..256 {
        let file = strategy
            .new_tree(&mut runner)
            .expect("a generated file")
            .current();
        let loaded = load::load(
            &Walked::default(),
            Some(file.as_bytes()),
            LoadOptions::default(),
        );
        findings += both_ways(&loaded, builtin(), today());
        findings += both_ways(&loaded, with_office(), today());
    }
    assert!(
        findings > 1000,
        "only {findings} findings compared: the generator should reach the rules"
    );
}

#[test]
fn check_interpreter_prints_the_same_bytes_as_check() {
    let mut interpreted = EXAMPLES.to_vec();
    interpreted.extend(["--format", "json", "--interpreter"]);
    let mut compiled = EXAMPLES.to_vec();
    compiled.extend(["--format", "json"]);
    let (fast, slow) = (mocheck(&compiled), mocheck(&interpreted));
    assert_eq!(fast.status.code(), Some(1), "{}", stderr(&fast));
    assert_eq!(slow.status.code(), Some(1), "{}", stderr(&slow));
    assert!(stdout(&fast).contains("\"findings\": [\n"));
    assert_eq!(stdout(&fast), stdout(&slow));
}
