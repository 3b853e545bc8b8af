//! The chronology of one decision from its record: dated steps in date order, then the steps
//! the record does not show, so the reader sees the gaps as clearly as the facts.

use std::fmt::Write as _;

use crate::format::money;
use crate::load::{Day, Record};

use super::{list_len, role_words, show_day, text_at, words};

/// One step: its day when recorded, what happened, and what to say when it is missing.
struct Step {
    day: Option<Day>,
    what: String,
    /// For a step the record names but does not date.
    undated: bool,
}

/// A Markdown table: date, then what happened.
pub(super) fn table(record: &Record) -> String {
    let mut steps = steps(record);
    // Stable, so steps on the same day keep the order in which they usually happen.
    steps.sort_by_key(|step| (step.day.is_none(), step.day));
    let mut out = String::from("| Date | Step |\n|---|---|\n");
    for step in steps {
        let date = match (step.day, step.undated) {
            (Some(day), _) => show_day(day),
            (None, true) => "recorded, not dated".to_string(),
            (None, false) => "not recorded".to_string(),
        };
        let _ = writeln!(out, "| {date} | {} |", step.what);
    }
    out
}

fn steps(record: &Record) -> Vec<Step> {
    let with_name = |base: &str, name_field: &str, what: &str| {
        let name = text_at(record, &format!("{base}.{name_field}"));
        let what = match name {
            Some(name) => format!("{what} ({name})"),
            None => what.to_string(),
        };
        Step {
            day: record.day(&format!("{base}.date")),
            what,
            undated: record.get(base).is_some(),
        }
    };
    let mut steps = vec![
        with_name(
            "advice.chief_executive",
            "name",
            "Chief Executive's advice as monitoring officer",
        ),
        cfo_step(record),
        with_name("advice.legal", "by", "Legal advice"),
        equality_step(record),
        with_name(
            "consultation.chief_constable",
            "name",
            "Chief Constable's view",
        ),
        Step {
            day: record.day("consultation.police_and_crime_panel.date"),
            what: "Police and Crime Panel consulted or notified".to_string(),
            undated: false,
        },
    ];
    steps.extend(optional_steps(record));
    steps.push(decision_step(record));
    steps.push(Step {
        day: record.day("publication.date"),
        what: "Decision record published".to_string(),
        undated: false,
    });
    steps.push(Step {
        day: record.day("implemented_on"),
        what: "Implementation started".to_string(),
        undated: false,
    });
    steps.extend(statutory_report_steps(record));
    steps
}

fn cfo_step(record: &Record) -> Step {
    let base = "advice.chief_finance_officer";
    let mut what = "Chief Finance Officer's sign-off".to_string();
    if let Some(name) = text_at(record, &format!("{base}.name")) {
        let _ = write!(what, " ({name})");
    }
    if let Some(amount) = record.money(&format!("{base}.certified_amount")) {
        let _ = write!(what, ", certifying {}", money(amount));
    }
    Step {
        day: record.day(&format!("{base}.date")),
        what,
        undated: record.get(base).is_some(),
    }
}

fn equality_step(record: &Record) -> Step {
    let kind = record
        .text("advice.equality.assessment")
        .map(|kind| match kind {
            "full" => "full assessment".to_string(),
            "screening" => "screening".to_string(),
            other => words(other),
        });
    let mut what = match kind {
        Some(kind) => format!("Equality duty considered: {kind}"),
        None => "Equality duty considered".to_string(),
    };
    if let Some(reference) = text_at(record, "advice.equality.reference") {
        let _ = write!(what, " ({reference})");
    }
    Step {
        day: record.day("advice.equality.date"),
        what,
        undated: record.get("advice.equality").is_some(),
    }
}

/// Steps shown only when recorded: not every decision needs them.
fn optional_steps(record: &Record) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut add = |day: Option<Day>, what: String| {
        if day.is_some() {
            steps.push(Step {
                day,
                what,
                undated: false,
            });
        }
    };
    add(
        record.day("advice.chief_finance_officer.robustness_report"),
        "Chief Finance Officer's report on the robustness of estimates and adequacy of reserves"
            .to_string(),
    );
    let committee = text_at(record, "consultation.audit_committee.body")
        .unwrap_or_else(|| "Audit committee".to_string());
    add(
        record.day("consultation.audit_committee.date"),
        format!("{committee} reviewed the decision"),
    );
    add(
        record.day("consultation.public.from"),
        "Public consultation opened".to_string(),
    );
    add(
        record.day("consultation.public.to"),
        "Public consultation closed".to_string(),
    );
    add(
        record.day("procurement.waiver.date"),
        "Waiver of contract standing orders approved".to_string(),
    );
    steps
}

fn decision_step(record: &Record) -> Step {
    let name = text_at(record, "decision_maker.name");
    let role = record.text("decision_maker.role").map(role_words);
    let who = match (name, role) {
        (Some(name), Some(role)) => format!(" by {name} ({role})"),
        (Some(name), None) => format!(" by {name}"),
        (None, Some(role)) => format!(" by the {role}"),
        (None, None) => String::new(),
    };
    let what = match record.status() {
        Some("proposed") => "Decision (proposed, not yet taken)".to_string(),
        _ => format!("Decision signed{who}"),
    };
    Step {
        day: record.day("decided_on"),
        what,
        undated: false,
    }
}

fn statutory_report_steps(record: &Record) -> Vec<Step> {
    let count = list_len(record, "statutory_reports");
    if count == 0 {
        return vec![Step {
            day: None,
            what: "Statutory reports (s.5 or s.114): none recorded".to_string(),
            undated: false,
        }];
    }
    let mut steps = Vec::new();
    for index in 0..count {
        let path = format!("statutory_reports[{index}]");
        let kind = match record.text(&format!("{path}.kind")) {
            Some("s5") => "Monitoring officer's report (s.5 LGHA 1989)",
            Some("s114") => "Chief finance officer's report (s.114 LGFA 1988)",
            _ => "Statutory report",
        };
        steps.push(Step {
            day: record.day(&format!("{path}.date")),
            what: format!("{kind} issued"),
            undated: true,
        });
        let resolved = record.day(&format!("{path}.resolved_on"));
        steps.push(Step {
            day: resolved,
            what: format!("{kind}: consideration concluded"),
            undated: false,
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use crate::load::{build, yaml};

    fn record(text: &str) -> crate::load::Record {
        let Some(yaml::Document::Parsed(root)) =
            yaml::parse_documents(text, yaml::Limits::default()).pop()
        else {
            panic!("not parsed")
        };
        build(root, &mut Vec::new()).expect("a record")
    }

    #[test]
    fn dated_steps_come_first_in_date_order_and_gaps_are_named() {
        let table = super::table(&record(
            "reference: X-1\ntitle: T\ntype: other\nstatus: decided\ndecision_maker: {role: pcc, name: A}\ndecided_on: 2026-03-12\nadvice:\n  chief_finance_officer: {name: B, date: 2026-03-14}\n  chief_executive: {name: C, date: 2026-03-10}\n",
        ));
        let lines: Vec<&str> = table.lines().skip(2).collect();
        assert!(lines[0].starts_with("| 10 March 2026 | Chief Executive's"));
        assert!(lines[1].starts_with("| 12 March 2026 | Decision signed by A"));
        assert!(lines[2].starts_with("| 14 March 2026 | Chief Finance Officer's"));
        assert!(table.contains("| not recorded | Legal advice |"));
        assert!(table.contains("none recorded"));
    }
}
