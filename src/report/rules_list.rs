//! `mocheck rules`: the active rules as a table, with a line naming the ruleset. Text only;
//! the command writes it.

use crate::rules::RuleSet;

/// The active rules of `ruleset`, one row each, in a table drawn `width` columns wide.
pub fn rules_table(ruleset: &RuleSet, width: usize) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(100))
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
    format!(
        "{table}\n{active} active rules from {} {}.\n",
        ruleset.name, ruleset.version
    )
}
