//! `mocheck completions`: a shell's completion script, offering the built-in rule ids.

use super::{emit_with, AppError, ExitStatus};
use crate::rules::{self, Config, RuleSources};

/// Completion scripts offer the built-in ruleset's ids: a script is written once, not per
/// repository.
pub(super) fn run_completions(shell: clap_complete::Shell) -> Result<ExitStatus, AppError> {
    let sources = RuleSources {
        override_files: Vec::new(),
    };
    let ruleset = rules::load(&Config::defaults(), &sources)?;
    let ids: Vec<String> = ruleset
        .infos()
        .iter()
        .map(|info| info.id.to_string())
        .collect();
    emit_with(None, &[], |out| {
        crate::completions::generate(shell, &ids, out);
        Ok(())
    })
    .map(|()| ExitStatus::Clean)
}
