//! `mocheck rules --format markdown`: the rule catalogue as one Markdown page, made from the
//! ruleset itself, so the page cannot drift from what runs. The project's `docs/rules.md` is
//! this page for the built-in ruleset (a test keeps it fresh), and SARIF's `helpUri` points
//! at its sections: `## MO015 cfo-signoff-before-decision` is `#mo015-cfo-signoff-before-decision`.

use std::fmt::Write as _;

use crate::rules::{RuleInfo, RuleSet};

pub fn markdown(ruleset: &RuleSet) -> String {
    let mut page = String::new();
    let _ = writeln!(page, "# Rules: {} ({})\n", ruleset.name, ruleset.version);
    page.push_str(
        "This page is generated from the ruleset by `mocheck rules --format markdown`; do not \
         edit it by hand. Each rule says what it checks, why it matters (with the law or \
         guidance it rests on) and how to put a record right. Rules MO090 and above are done \
         by mocheck itself rather than by expressions, and are described the same way. Rule \
         ids never change and are never reused.\n\n",
    );
    page.push_str("| id | name | severity | kind | summary |\n|---|---|---|---|---|\n");
    for info in ruleset.infos() {
        let _ = writeln!(
            page,
            "| [{id}](#{anchor}) | {name} | {severity} | {kind} | {summary} |",
            id = info.id,
            anchor = anchor(info),
            name = info.name,
            severity = info.severity,
            kind = info.kind.words(),
            summary = crate::text::markdown(&info.summary),
        );
    }
    for info in ruleset.infos() {
        let _ = write!(
            page,
            "\n## {} {}\n\n**Severity:** {}. **Kind:** {}. {}\n\n**Basis:**\n\n",
            info.id,
            info.name,
            info.severity,
            info.kind.words(),
            crate::text::markdown(&info.summary)
        );
        for basis in info.basis.iter() {
            let _ = writeln!(page, "- {}", crate::text::markdown(basis));
        }
        if ruleset.inactive.contains(&info.id) {
            page.push_str("\n*Not active in this configuration.*\n");
        }
        let has_deadline = ruleset
            .rules
            .iter()
            .any(|rule| rule.info.id == info.id && rule.due.is_some());
        if has_deadline {
            page.push_str(
                "\n*This rule also gives `mocheck due` a deadline, so that the duty can be met \
                 before it is late.*\n",
            );
        }
        page.push('\n');
        // The explanation's own headings sit one level below the rule's.
        for line in info.explain.trim().lines() {
            if line.starts_with("## ") {
                page.push('#');
            }
            page.push_str(line);
            page.push('\n');
        }
        if !info.help.is_empty() && !info.explain.contains("## How to fix") {
            let _ = write!(page, "\n### How to fix\n\n{}\n", info.help);
        }
    }
    page
}

/// The anchor GitHub gives the rule's heading.
fn anchor(info: &RuleInfo) -> String {
    format!("{}-{}", info.id.to_lowercase(), info.name)
}
