//! `mocheck test`: runs the examples every rule carries. A rule whose example disagrees with
//! it, or that has no failing example, is a problem: its check cannot be trusted. Each
//! example is also checked on the CEL interpreter (`rules/oracle.rs`), which the compiled
//! evaluator is tested against: where the two differ, the test says so.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::check::{base_context, evaluate, record_scope, Engine};
use crate::finding::Finding;
use crate::load::{build, yaml, ProblemKind, Record};
use crate::rules::helpers::HelperData;
use crate::rules::{Example, Rule, RuleSet};

/// Examples are checked on this day unless they say otherwise, so results never drift.
pub const EXAMPLE_TODAY: &str = "2026-06-30";

/// What went wrong with one rule's examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleProblem {
    pub rule: String,
    pub line: u32,
    pub message: String,
}

pub struct TestSummary {
    pub rules: usize,
    pub examples: usize,
    pub problems: Vec<ExampleProblem>,
}

pub fn run(ruleset: &RuleSet) -> TestSummary {
    let mut summary = TestSummary {
        rules: ruleset.rules.len(),
        examples: 0,
        problems: Vec::new(),
    };
    for rule in &ruleset.rules {
        if !rule.examples.iter().any(|example| example.fails) {
            summary.problems.push(ExampleProblem {
                rule: rule.info.id.to_string(),
                line: 0,
                message:
                    "has no failing example, so nothing shows that it can ever report a record"
                        .to_string(),
            });
        }
        if !rule.examples.iter().any(|example| !example.fails) {
            summary.problems.push(ExampleProblem {
                rule: rule.info.id.to_string(),
                line: 0,
                message: "has no passing example, so nothing shows that it stays silent on a compliant record".to_string(),
            });
        }
        for example in &rule.examples {
            summary.examples += 1;
            if let Err(message) = run_example(rule, example, ruleset) {
                summary.problems.push(ExampleProblem {
                    rule: rule.info.id.to_string(),
                    line: example.line,
                    message,
                });
            }
        }
    }
    summary
}

/// Checks one example; `Err` says how it disagrees.
pub fn run_example(rule: &Rule, example: &Example, ruleset: &RuleSet) -> Result<(), String> {
    let finding = example_finding(rule, example, ruleset)?;
    let interpreted = example_finding_on(rule, example, ruleset, Engine::Interpreter)?;
    if outcome(finding.as_ref()) != outcome(interpreted.as_ref()) {
        return Err(format!(
            "mocheck's evaluator and the CEL interpreter it is tested against disagree on this example: {} on mocheck's, {} on the interpreter; please report this to mocheck's maintainers",
            outcome(finding.as_ref()),
            outcome(interpreted.as_ref())
        ));
    }
    match (example.fails, finding) {
        (_, Some(finding))
            if finding
                .message
                .starts_with("this rule could not be checked") =>
        {
            Err(finding.message)
        }
        (true, Some(finding)) => expected(example, &finding),
        (false, None) => Ok(()),
        (true, None) => Err("this example should fail but the rule reports nothing".to_string()),
        (false, Some(finding)) => Err(format!(
            "this example should pass but the rule reports: {}",
            finding.message
        )),
    }
}

/// A rule's example as it is checked: its record, the helpers with its roster, and the day.
pub struct ExampleSetting {
    pub record: Record,
    pub helpers: Arc<HelperData>,
    pub today: NaiveDate,
}

/// Reads an example's record; `Err` when it is not one readable record.
pub fn example_setting(example: &Example, ruleset: &RuleSet) -> Result<ExampleSetting, String> {
    let mut documents = yaml::parse_documents(&example.record, yaml::Limits::default());
    let root = match (documents.len(), documents.pop()) {
        (1, Some(yaml::Document::Parsed(root))) => root,
        (_, Some(yaml::Document::Failed { error, .. })) => {
            return Err(format!(
                "the example record is not valid YAML: {}",
                error.message
            ))
        }
        _ => return Err("an example must hold exactly one record".to_string()),
    };
    let mut problems = Vec::new();
    let record =
        build(root, &mut problems).ok_or_else(|| "the example is not a record".to_string())?;
    if let Some(problem) = problems
        .iter()
        .find(|problem| problem.kind == ProblemKind::Unreadable)
    {
        return Err(format!(
            "the example record cannot be read: {}",
            problem.message
        ));
    }
    if let Some(problem) = problems.first() {
        return Err(format!(
            "the example record has a problem: {}",
            problem.message
        ));
    }
    let today = example.today.unwrap_or_else(|| {
        NaiveDate::parse_from_str(EXAMPLE_TODAY, "%Y-%m-%d").expect("a valid constant date")
    });
    let helpers = Arc::new(HelperData {
        bank_holidays: ruleset.helpers.bank_holidays.clone(),
        roster: example.roster.clone().unwrap_or_default(),
    });
    Ok(ExampleSetting {
        record,
        helpers,
        today,
    })
}

/// Whether a failing example's finding says what the example expects, and points where.
fn expected(example: &Example, finding: &Finding) -> Result<(), String> {
    if let Some(message) = &example.message {
        if !finding.message.contains(message.as_str()) {
            return Err(format!(
                "the finding's message does not contain `{message}`: it is `{}`",
                finding.message
            ));
        }
    }
    if let Some(at) = &example.at {
        if finding.path != *at {
            return Err(format!(
                "the finding points at `{}`, not at `{at}`",
                finding.path
            ));
        }
    }
    Ok(())
}

/// The finding `rule` makes on one of its examples, checked as `check` would check it (on
/// its own `today` and roster); `Err` when the example is not a readable record.
pub fn example_finding(
    rule: &Rule,
    example: &Example,
    ruleset: &RuleSet,
) -> Result<Option<Finding>, String> {
    example_finding_on(rule, example, ruleset, Engine::default())
}

/// What a rule gives on an example, in words that the two evaluators must agree on: an
/// error is an error, whatever its wording.
fn outcome(finding: Option<&Finding>) -> String {
    match finding {
        None => "no finding".to_string(),
        Some(finding)
            if finding
                .message
                .starts_with("this rule could not be checked") =>
        {
            "an error".to_string()
        }
        Some(finding) => format!("`{}` at `{}`", finding.message, finding.path),
    }
}

/// `example_finding` on the given evaluator.
fn example_finding_on(
    rule: &Rule,
    example: &Example,
    ruleset: &RuleSet,
    engine: Engine,
) -> Result<Option<Finding>, String> {
    let ExampleSetting {
        record,
        helpers,
        today,
    } = example_setting(example, ruleset)?;
    let context = base_context(&helpers, ruleset, today, engine);
    let file: Arc<str> = Arc::from("example");
    // As `check` does: a record of several kinds is checked as each.
    Ok(record.by_type().iter().find_map(|view| {
        let scope = record_scope(&context, view);
        evaluate(rule, &scope, view, &file, None)
    }))
}
