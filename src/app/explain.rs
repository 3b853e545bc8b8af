//! `mocheck explain`: one rule, found by id or name, in words (`report::explain` writes them).

use super::{emit, load_config, load_ruleset, AppError, ExitStatus};
use crate::cli::ExplainArgs;
use crate::load;
use crate::report::explain;

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
            AppError::UnknownRule {
                wanted: wanted.to_string(),
                hint,
            }
        })?;
    let text = explain::explanation(info, ruleset.is_active(&info.id));
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}
