//! `mocheck test`: every rule's examples run against it (`rule_tests`); the rules that
//! disagree reported (`report::rule_tests`); exit 1 when any does.

use super::{emit, AppError, ExitStatus};
use crate::cli::TestArgs;
use crate::load;
use crate::report::rule_tests;
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
    emit(
        None,
        &[],
        rule_tests::rule_tests(&summary, &origin).as_bytes(),
    )?;
    Ok(if summary.problems.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}
