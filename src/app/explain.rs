//! `mocheck explain`: one rule, found by id or name, in words.

use std::fmt::Write as _;

use super::{emit, load_config, load_ruleset, AppError, ExitStatus};
use crate::cli::ExplainArgs;
use crate::load;

pub(super) fn run_explain(args: &ExplainArgs) -> Result<ExitStatus, AppError> {
    let config = load_config(&args.config)?;
    let ruleset = load_ruleset(&args.config, &config)?;
    let wanted = args.id.trim();
    let info = ruleset
        .infos()
        .into_iter()
        .find(|info| info.id.eq_ignore_ascii_case(wanted) || &*info.name == wanted)
        .ok_or_else(|| {
            let hint = load::nearest(wanted, ruleset.infos().into_iter().map(|info| &*info.id))
                .map(|near| format!("; did you mean {near}?"))
                .unwrap_or_default();
            AppError::Message(format!(
                "there is no rule `{wanted}`{hint} (`mocheck rules` lists them)"
            ))
        })?;
    let mut text = format!(
        "{} {} ({})\n\n{}\n",
        info.id, info.name, info.severity, info.summary
    );
    let _ = writeln!(text, "\nKind: {}", info.kind.words());
    if !info.basis.is_empty() {
        let _ = writeln!(text, "Basis: {}", info.basis.join("; "));
    }
    let _ = writeln!(text, "\n{}", info.explain.trim());
    if !info.help.is_empty() {
        let _ = writeln!(text, "\nIn short: {}", info.help);
    }
    if !ruleset.is_active(&info.id) {
        text.push_str("\nThis rule is disabled in the configuration.\n");
    }
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}
