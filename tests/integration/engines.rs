//! The compiled fast path (`src/rules/native.rs`) against the CEL interpreter. The fast path
//! may only ever answer what the interpreter would, so every rule runs both ways on the
//! examples, on every rule's own examples and on generated records, and the findings must
//! be the same, messages and locations included. And the built-in rules must really run on
//! the fast path, or the speed it exists for is lost without anyone noticing.

use std::sync::Arc;

use chrono::NaiveDate;
use mocheck::check::{base_context, evaluate, record_scope, CheckOptions, Engine};
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
        assert_eq!(fast, slow, "the engines disagree");
    }
    compiled.len()
}

#[test]
fn every_built_in_expression_runs_on_the_fast_path() {
    let ruleset = builtin();
    let mut slow = Vec::new();
    for rule in &ruleset.rules {
        let id = &rule.info.id;
        if rule.when.as_ref().is_some_and(|when| !when.is_compiled()) {
            slow.push(format!("{id} when"));
        }
        if !rule.check.is_compiled() {
            slow.push(format!("{id} check"));
        }
        if !rule.message.is_compiled() {
            slow.push(format!("{id} message"));
        }
        if rule.at.iter().any(|at| !at.is_compiled()) {
            slow.push(format!("{id} at"));
        }
        if rule.finding_basis.iter().any(|basis| !basis.is_compiled()) {
            slow.push(format!("{id} finding_basis"));
        }
    }
    assert!(
        slow.is_empty(),
        "these fall back to the interpreter on every record; extend native.rs: {slow:?}"
    );
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
            assert_eq!(
                findings[0], findings[1],
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
