//! `mocheck explain`: one rule in words, under fixed headings. Text only; finding the rule
//! and writing the text are the command's.

use std::fmt::Write as _;

use crate::rules::RuleInfo;

/// The explanation of one rule; `active` is false when the configuration disables it.
pub fn explanation(info: &RuleInfo, active: bool) -> String {
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
    if !active {
        text.push_str("\nThis rule is disabled in the configuration.\n");
    }
    text
}
