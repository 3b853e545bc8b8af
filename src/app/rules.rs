//! `mocheck rules`: the active rules as a table, or the whole catalogue as Markdown. The
//! texts are made in `report::rules_list` and `catalogue`.

use super::{emit, load_config, load_ruleset, AppError, ExitStatus};
use crate::cli::{ConfigArgs, RulesFormat};
use crate::report::rules_list;
use crate::terminal;

pub(super) fn run_rules(args: &ConfigArgs, format: RulesFormat) -> Result<ExitStatus, AppError> {
    let config = load_config(args)?;
    let ruleset = load_ruleset(args, &config)?;
    let text = match format {
        RulesFormat::Markdown => crate::catalogue::markdown(&ruleset),
        RulesFormat::Table => rules_list::rules_table(&ruleset, terminal::width()),
    };
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}
