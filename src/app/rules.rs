//! `mocheck rules`: the active rules as a table, or the whole catalogue as Markdown.

use super::{emit, load_config, load_ruleset, AppError, ExitStatus};
use crate::cli::ConfigArgs;
use crate::terminal;

pub(super) fn run_rules(
    args: &ConfigArgs,
    format: crate::cli::RulesFormat,
) -> Result<ExitStatus, AppError> {
    let config = load_config(args)?;
    let ruleset = load_ruleset(args, &config)?;
    if format == crate::cli::RulesFormat::Markdown {
        emit(None, &[], crate::catalogue::markdown(&ruleset).as_bytes())?;
        return Ok(ExitStatus::Clean);
    }
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(u16::try_from(terminal::width()).unwrap_or(100))
        .set_header(["Id", "Name", "Severity", "Kind", "Summary"]);
    let mut active = 0;
    for info in ruleset.infos() {
        if ruleset.is_active(&info.id) {
            active += 1;
            table.add_row([
                info.id.to_string(),
                info.name.to_string(),
                info.severity.to_string(),
                info.kind.to_string(),
                info.summary.clone(),
            ]);
        }
    }
    let text = format!(
        "{table}\n{active} active rules from {} {}.\n",
        ruleset.name, ruleset.version
    );
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}
