//! `mocheck test`: each example that disagrees with its rule, one line each, then the tally.
//! Text only; running the examples is `rule_tests`'s, writing the text the command's.

use std::fmt::Write as _;

use super::plural;
use crate::rule_tests::TestSummary;

/// The problems of `summary`, each named by `origin` (the rules file as shown) and, where
/// known, its line; then "N passed, M failed: E examples of R rules".
pub fn rule_tests(summary: &TestSummary, origin: &str) -> String {
    let mut text = String::new();
    for problem in &summary.problems {
        if problem.line > 0 {
            let _ = writeln!(
                text,
                "{origin}:{}: {}: {}",
                problem.line, problem.rule, problem.message
            );
        } else {
            let _ = writeln!(text, "{origin}: {}: {}", problem.rule, problem.message);
        }
    }
    let _ = writeln!(
        text,
        "{} passed, {} failed: {} of {}",
        summary.rules - failed_rules(summary),
        failed_rules(summary),
        plural(summary.examples, "example"),
        plural(summary.rules, "rule")
    );
    text
}

/// Rules with at least one disagreeing example; a rule's problems come together.
fn failed_rules(summary: &TestSummary) -> usize {
    let mut ids: Vec<&str> = summary
        .problems
        .iter()
        .map(|problem| problem.rule.as_str())
        .collect();
    ids.dedup();
    ids.len()
}
