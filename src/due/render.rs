//! The forward look in each format: for a person (human, table), for a program (JSON), for an
//! email (Markdown) and for a calendar (iCalendar, RFC 5545).

use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::NaiveDate;
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use super::{Deadline, Forward};
use crate::format::long_date;
use crate::text::{markdown, terminal};

/// How `mocheck due` writes (each form is described for users in `cli.rs`): in words, a
/// table, JSON, a Markdown digest or an iCalendar file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DueFormat {
    #[default]
    Human,
    Table,
    Json,
    Markdown,
    Ics,
}

pub fn write(forward: &Forward, format: DueFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DueFormat::Human => human(forward, out),
        DueFormat::Table => table(forward, out),
        DueFormat::Json => json(forward, out),
        DueFormat::Markdown => digest(forward, out),
        DueFormat::Ics => ics(forward, out),
    }
}

fn today(forward: &Forward) -> NaiveDate {
    forward.today.unwrap_or_default()
}

/// "in 3 working days", "today", "2 working days ago".
fn left(due: &Deadline, today: NaiveDate) -> String {
    let days = due.working_days_left;
    if due.date == today {
        "due today".to_string()
    } else if due.overdue(today) {
        match -days {
            0 => "overdue".to_string(),
            1 => "overdue by 1 working day".to_string(),
            n => format!("overdue by {n} working days"),
        }
    } else {
        match days {
            0 => "no working day left".to_string(),
            1 => "1 working day left".to_string(),
            n => format!("{n} working days left"),
        }
    }
}

/// The decision as a person names it: reference and title.
fn decision(due: &Deadline) -> String {
    match (&due.record, &due.title) {
        (Some(reference), Some(title)) => format!("{reference} {title}"),
        (Some(reference), None) => reference.to_string(),
        (None, Some(title)) => title.clone(),
        (None, None) if due.file.is_empty() => "(no record yet)".to_string(),
        (None, None) => due.file.to_string(),
    }
}

fn location(due: &Deadline) -> String {
    if due.file.is_empty() {
        String::new()
    } else {
        format!("{}:{}:{}", due.file, due.line, due.column)
    }
}

/// "2 deadlines within 30 days, 1 of them overdue; 1 record could not be looked at."
fn summary_line(forward: &Forward) -> String {
    let count = forward.deadlines.len();
    let mut line = format!(
        "{} within {} days of {}, {} overdue",
        crate::report::plural(count, "deadline"),
        forward.within,
        long_date(today(forward)),
        forward.overdue()
    );
    if !forward.unknown.is_empty() {
        let _ = write!(
            line,
            "; {} could not be looked at, so their deadlines are not shown",
            crate::report::plural(forward.unknown.len(), "record")
        );
    }
    line.push('.');
    line
}

fn human(forward: &Forward, out: &mut dyn Write) -> io::Result<()> {
    let today = today(forward);
    let (overdue, ahead): (Vec<&Deadline>, Vec<&Deadline>) =
        forward.deadlines.iter().partition(|due| due.overdue(today));
    for (heading, group) in [("Overdue", overdue), ("Coming up", ahead)] {
        if group.is_empty() {
            continue;
        }
        writeln!(out, "{heading}\n")?;
        for due in group {
            writeln!(
                out,
                "  {}  ({})  {}",
                long_date(due.date),
                left(due, today),
                terminal(&decision(due))
            )?;
            writeln!(out, "    {}", terminal(&due.what))?;
            let place = location(due);
            let place = if place.is_empty() {
                String::new()
            } else {
                format!(" at {place}")
            };
            writeln!(out, "    {} {}{}\n", due.rule, due.name, terminal(&place))?;
        }
    }
    if !forward.unknown.is_empty() {
        writeln!(out, "Could not be looked at\n")?;
        for unknown in &forward.unknown {
            writeln!(
                out,
                "  {}:{}{}: {}",
                terminal(&unknown.file),
                unknown.line,
                unknown
                    .record
                    .as_deref()
                    .map(|reference| format!(" {}", terminal(reference)))
                    .unwrap_or_default(),
                terminal(&unknown.reason)
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(forward))
}

fn table(forward: &Forward, out: &mut dyn Write) -> io::Result<()> {
    let today = today(forward);
    if !forward.deadlines.is_empty() {
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header([
                "Date",
                "Left",
                "Decision",
                "What must happen",
                "Rule",
                "Location",
            ]);
        for due in &forward.deadlines {
            table.add_row([
                due.date.to_string(),
                left(due, today),
                terminal(&decision(due)).into_owned(),
                terminal(&due.what).into_owned(),
                format!("{} {}", due.rule, due.name),
                terminal(&location(due)).into_owned(),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    for unknown in &forward.unknown {
        writeln!(
            out,
            "could not be looked at: {}:{}: {}",
            terminal(&unknown.file),
            unknown.line,
            terminal(&unknown.reason)
        )?;
    }
    writeln!(out, "{}", summary_line(forward))
}

#[derive(Serialize)]
struct JsonForward<'a> {
    today: String,
    within_days: u32,
    deadlines: Vec<JsonDeadline<'a>>,
    /// Records whose deadlines could not be worked out.
    not_looked_at: Vec<JsonUnknown<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDeadline<'a> {
    date: String,
    overdue: bool,
    working_days_left: i64,
    what: &'a str,
    rule: &'a str,
    name: &'a str,
    basis: &'a [String],
    record: Option<&'a str>,
    title: Option<&'a str>,
    file: Option<&'a str>,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonUnknown<'a> {
    file: &'a str,
    line: u32,
    record: Option<&'a str>,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    deadlines: usize,
    overdue: usize,
    not_looked_at: usize,
}

fn json(forward: &Forward, out: &mut dyn Write) -> io::Result<()> {
    let today = today(forward);
    let document = JsonForward {
        today: today.to_string(),
        within_days: forward.within,
        deadlines: forward
            .deadlines
            .iter()
            .map(|due| JsonDeadline {
                date: due.date.to_string(),
                overdue: due.overdue(today),
                working_days_left: due.working_days_left,
                what: &due.what,
                rule: &due.rule,
                name: &due.name,
                basis: &due.basis,
                record: due.record.as_deref(),
                title: due.title.as_deref(),
                file: (!due.file.is_empty()).then_some(&*due.file),
                line: due.line,
                column: due.column,
            })
            .collect(),
        not_looked_at: forward
            .unknown
            .iter()
            .map(|unknown| JsonUnknown {
                file: &unknown.file,
                line: unknown.line,
                record: unknown.record.as_deref(),
                reason: &unknown.reason,
            })
            .collect(),
        summary: JsonSummary {
            deadlines: forward.deadlines.len(),
            overdue: forward.overdue(),
            not_looked_at: forward.unknown.len(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// A digest for an email: what is overdue, what is coming, each with its basis.
fn digest(forward: &Forward, out: &mut dyn Write) -> io::Result<()> {
    let today = today(forward);
    writeln!(
        out,
        "# Deadlines within {} days of {}\n",
        forward.within,
        long_date(today)
    )?;
    let (overdue, ahead): (Vec<&Deadline>, Vec<&Deadline>) =
        forward.deadlines.iter().partition(|due| due.overdue(today));
    for (heading, group) in [("Overdue", overdue), ("Coming up", ahead)] {
        if group.is_empty() {
            continue;
        }
        writeln!(out, "## {heading}\n")?;
        for due in group {
            writeln!(
                out,
                "- **{}** ({}), {}: {}. *{} {}; {}*",
                long_date(due.date),
                left(due, today),
                markdown(&decision(due)),
                markdown(&due.what),
                due.rule,
                due.name,
                markdown(&due.basis.join("; "))
            )?;
        }
        writeln!(out)?;
    }
    if !forward.unknown.is_empty() {
        writeln!(out, "## Could not be looked at\n")?;
        for unknown in &forward.unknown {
            writeln!(
                out,
                "- {}: {}",
                markdown(&unknown.file),
                markdown(&unknown.reason)
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", markdown(&summary_line(forward)))
}

/// An iCalendar file: one all-day event per deadline. Each event's UID is made of the rule,
/// the decision and which of the rule's deadlines it is, never of the date, so importing the
/// file again after a date moves updates the event rather than adding a second one.
fn ics(forward: &Forward, out: &mut dyn Write) -> io::Result<()> {
    use icalendar::{Calendar, Component, EventLike};
    let today = today(forward);
    let stamp = format!("{}T000000Z", today.format("%Y%m%d"));
    let mut calendar = Calendar::new();
    calendar.name("mocheck: decision deadlines");
    for due in &forward.deadlines {
        let mut summary = String::new();
        if due.overdue(today) {
            summary.push_str("OVERDUE: ");
        }
        let _ = write!(summary, "{}: {}", decision(due), due.what);
        let summary = crate::text::clip(&summary, 250).into_owned();
        let mut description = format!("{}\n\n{} {}", due.what, due.rule, due.name);
        if !due.basis.is_empty() {
            let _ = write!(description, "\nBasis: {}", due.basis.join("; "));
        }
        let place = location(due);
        if !place.is_empty() {
            let _ = write!(description, "\nRecord: {place}");
        }
        let event = icalendar::Event::new()
            .uid(&uid(due))
            .summary(&summary)
            .description(&description)
            // All day: the end is the next day, as RFC 5545 counts an all-day event.
            .starts(due.date)
            .ends(due.date.succ_opt().unwrap_or(due.date))
            .add_property("DTSTAMP", &stamp)
            .done();
        calendar.push(event);
    }
    write!(out, "{calendar}")
}

/// The event's identity: rule, which of its deadlines, and the decision (by reference, else
/// file), with anything but letters, digits and `-._` encoded.
fn uid(due: &Deadline) -> String {
    let decision = due.record.as_deref().map_or_else(
        || format!("file:{}", due.file),
        |reference| format!("record:{reference}"),
    );
    let mut uid = String::new();
    for byte in format!("{}/{}", due.key, decision).bytes() {
        if byte.is_ascii_alphanumeric() || b"-._/:".contains(&byte) {
            uid.push(char::from(byte));
        } else {
            let _ = write!(uid, "%{byte:02X}");
        }
    }
    uid.push_str("@mocheck");
    uid
}
