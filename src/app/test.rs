//! `mocheck test`: every rule's examples run against it; the rules that disagree reported.

use std::fmt::Write as _;

use super::{emit, AppError, ExitStatus};
use crate::cli::TestArgs;
use crate::load;
use crate::report;
use crate::rules::{self, Config, RuleSources};

pub(super) fn run_test(args: &TestArgs) -> Result<ExitStatus, AppError> {
    let config = Config::defaults();
    let sources = RuleSources {
        override_files: args.file.iter().cloned().collect(),
    };
    let ruleset = rules::load(&config, &sources)?;
    let summary = crate::rule_tests::run(&ruleset);
    let origin = args
        .file
        .as_ref()
        .map_or_else(|| rules::BUILTIN_NAME.to_string(), |path| load::shown(path));
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
    let failed_rules = {
        let mut ids: Vec<&str> = summary
            .problems
            .iter()
            .map(|problem| problem.rule.as_str())
            .collect();
        ids.dedup();
        ids.len()
    };
    let _ = writeln!(
        text,
        "{} passed, {} failed: {} of {}",
        summary.rules - failed_rules,
        failed_rules,
        report::plural(summary.examples, "example"),
        report::plural(summary.rules, "rule")
    );
    emit(None, &[], text.as_bytes())?;
    Ok(if summary.problems.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}
