//! `mocheck due`: the forward look. The deadlines that follow from the records and the
//! ruleset, before they are missed: what each rule's `due` expression gives for each record,
//! plus the engine's own (waivers that expire, the precept timetable when no precept record
//! for the coming year exists yet). Reporting is in `render.rs`.

mod render;

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::check::{record_scope, Base};
use crate::finding::Finding;
use crate::load::{LoadedRecord, Record, Span};
use crate::rules::helpers::HelperData;
use crate::rules::EngineRule;
use crate::rules::{Rule, RuleSet};

pub use render::{write, DueFormat};

/// One thing that must happen by a date.
#[derive(Clone, Debug)]
pub struct Deadline {
    pub date: NaiveDate,
    /// What must happen, in the rule's words.
    pub what: String,
    pub rule: Arc<str>,
    pub name: Arc<str>,
    pub basis: Arc<[String]>,
    /// The decision's reference, when there is one.
    pub record: Option<Arc<str>>,
    /// The decision's title, when there is one.
    pub title: Option<String>,
    /// Where the record is; empty for a reminder that no record holds.
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    /// Working days from today to the date: 0 on the day, negative once it has passed.
    pub working_days_left: i64,
    /// Which deadline of the record this is, the same from run to run whatever its date:
    /// the rule and, for a rule that gives several, which one (`MO021#0`, `MO097#waivers[1]`).
    pub key: String,
}

impl Deadline {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.date < today
    }
}

/// A record whose deadlines could not be worked out, so none is shown for it: never taken
/// for a record with nothing due.
#[derive(Clone, Debug)]
pub struct Unknown {
    pub file: Arc<str>,
    pub line: u32,
    pub record: Option<Arc<str>>,
    pub reason: String,
}

/// What `mocheck due` reports: overdue first, then by date.
#[derive(Debug, Default)]
pub struct Forward {
    pub today: Option<NaiveDate>,
    /// The horizon in calendar days.
    pub within: u32,
    pub deadlines: Vec<Deadline>,
    pub unknown: Vec<Unknown>,
}

impl Forward {
    pub fn overdue(&self) -> usize {
        let today = self.today.unwrap_or_default();
        self.deadlines
            .iter()
            .filter(|due| due.overdue(today))
            .count()
    }
}

/// What the forward look keeps of one record, worked out while the check still holds it: a
/// run of a hundred thousand records keeps their deadlines, not the records.
#[derive(Debug, Default)]
pub struct RecordDue {
    deadlines: Vec<Deadline>,
    unknown: Vec<Unknown>,
    /// For a precept record: whether it is still proposed, and its dates.
    precept: Option<(bool, Vec<NaiveDate>)>,
}

/// The rules that give deadlines.
pub fn due_rules(ruleset: &RuleSet) -> Vec<&Rule> {
    ruleset
        .active_rules()
        .into_iter()
        .filter(|rule| rule.due.is_some())
        .collect()
}

/// One record's deadlines within `within` days of `today` (and every overdue one). A record
/// that could not be read, or is withdrawn, has none: the run's MO090 findings name the first.
pub fn of_record(
    loaded: &LoadedRecord,
    base: &Base,
    rules: &[&Rule],
    ruleset: &RuleSet,
    today: NaiveDate,
    within: u32,
) -> RecordDue {
    let mut due = RecordDue::default();
    if !loaded.readable() || loaded.record.status() == Some("withdrawn") {
        return due;
    }
    rule_deadlines(base, rules, loaded, &ruleset.helpers, today, &mut due);
    waivers(loaded, ruleset, &ruleset.helpers, today, &mut due.deadlines);
    let horizon = horizon(today, within);
    due.deadlines.retain(|deadline| deadline.date <= horizon);
    let record = &loaded.record;
    if record.types().contains(&"precept") {
        let dates = [
            "decided_on",
            "planned_on",
            "precept.notified_to_panel_on",
            "consultation.police_and_crime_panel.date",
        ]
        .iter()
        .filter_map(|path| record.day(path).map(|day| day.date))
        .collect();
        due.precept = Some((record.status() == Some("proposed"), dates));
    }
    due
}

fn horizon(today: NaiveDate, within: u32) -> NaiveDate {
    today + chrono::Duration::days(i64::from(within))
}

/// The forward look of a run: each record's deadlines, the precept reminder, and the records
/// that could not be read (`unreadable`, the run's MO090 findings); overdue first, then by date.
pub fn forward_look(
    records: Vec<RecordDue>,
    unreadable: &[&Finding],
    ruleset: &RuleSet,
    today: NaiveDate,
    within: u32,
) -> Forward {
    let mut forward = Forward {
        today: Some(today),
        within,
        ..Forward::default()
    };
    let mut precepts = Vec::new();
    for record in records {
        forward.deadlines.extend(record.deadlines);
        forward.unknown.extend(record.unknown);
        precepts.extend(record.precept);
    }
    if let Some(reminder) = precept_reminder(&precepts, ruleset, today) {
        if reminder.date <= horizon(today, within) {
            forward.deadlines.push(reminder);
        }
    }
    for finding in unreadable {
        forward.unknown.push(Unknown {
            file: finding.file.clone(),
            line: finding.line,
            record: finding.record.clone(),
            reason: format!("it could not be read ({})", finding.message),
        });
    }
    // Overdue first (the date orders them), then by date, decision and rule.
    forward.deadlines.sort_by(|a, b| {
        (a.date, &a.record, &*a.rule, &a.what).cmp(&(b.date, &b.record, &*b.rule, &b.what))
    });
    forward
        .unknown
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    forward
}

/// Working days from `today` to `date`, negative when `date` has passed.
fn working_days_left(helpers: &HelperData, today: NaiveDate, date: NaiveDate) -> i64 {
    if date >= today {
        helpers.working_days(today, date)
    } else {
        -helpers.working_days(date, today)
    }
}

/// Each rule's `due` on one record: a date, a list of dates (one deadline each), or null.
fn rule_deadlines(
    base: &Base,
    rules: &[&Rule],
    loaded: &LoadedRecord,
    helpers: &HelperData,
    today: NaiveDate,
    due: &mut RecordDue,
) {
    // A record of several kinds (`type: [budget, precept]`) has the deadlines of each; a rule
    // gives its deadlines once, for the first kind that has any.
    let views = loaded.record.by_type();
    let mut done: Vec<&str> = Vec::new();
    for view in &views {
        let scope = record_scope(base, view);
        for rule in rules {
            if done.contains(&&*rule.info.id) {
                continue;
            }
            match rule_deadline(rule, &scope, view, loaded, helpers, today) {
                Ok(found) if found.is_empty() => continue,
                Ok(found) => due.deadlines.extend(found),
                Err(unknown) => due.unknown.push(unknown),
            }
            done.push(&rule.info.id);
        }
    }
}

/// One rule's deadlines on one record (or one view of it); `Err` when its `due` fails.
fn rule_deadline(
    rule: &Rule,
    scope: &crate::check::Scope,
    record: &Record,
    loaded: &LoadedRecord,
    helpers: &HelperData,
    today: NaiveDate,
) -> Result<Vec<Deadline>, Unknown> {
    let Some(due) = &rule.due else {
        return Ok(Vec::new());
    };
    let reference: Option<Arc<str>> = record.reference().map(Arc::from);
    let dates = due
        .expression
        .dates_for(scope)
        .map_err(|error| Unknown {
            file: loaded.file.clone(),
            line: record.span.line,
            record: reference.clone(),
            reason: format!(
                "the deadline of {} {} could not be worked out: {error}; the rules file needs correcting",
                rule.info.id, rule.info.name
            ),
        })?;
    let what = due.message.render(scope);
    let span = rule
        .at
        .first()
        .and_then(|at| at.render(scope).ok())
        .map_or(record.span, |path| record.locate(&path).0);
    Ok(dates
        .into_iter()
        .map(|(index, date)| Deadline {
            key: format!("{}#{index}", rule.info.id),
            date,
            what: what.clone().unwrap_or_else(|error| {
                format!(
                    "{} (its message could not be written: {error})",
                    rule.info.summary
                )
            }),
            rule: rule.info.id.clone(),
            name: rule.info.name.clone(),
            basis: rule.info.basis.clone(),
            record: reference.clone(),
            title: record.text("title").map(str::to_string),
            file: loaded.file.clone(),
            line: span.line,
            column: span.column,
            working_days_left: working_days_left(helpers, today, date),
        })
        .collect())
}

/// Waivers that are still in force and expire: each one's last day is a deadline to renew
/// or let it lapse (MO097 reports it once it has passed).
fn waivers(
    loaded: &LoadedRecord,
    ruleset: &RuleSet,
    helpers: &HelperData,
    today: NaiveDate,
    deadlines: &mut Vec<Deadline>,
) {
    let record = &loaded.record;
    let Some(crate::load::Value::List(waivers)) = record.get("waivers") else {
        return;
    };
    let info = ruleset.engine_info(EngineRule::WaiverExpired);
    for index in 0..waivers.len() {
        let path = format!("waivers[{index}].expires");
        let Some(expires) = record.day(&path).map(|day| day.date) else {
            continue;
        };
        if expires < today {
            continue;
        }
        let rule = record
            .text(&format!("waivers[{index}].rule"))
            .unwrap_or("a rule");
        let span: Span = record.locate(&path).0;
        deadlines.push(Deadline {
            key: format!("{}#waivers[{index}]", info.id),
            date: expires,
            what: format!(
                "the waiver of {} ends on this day: renew it, with its reason and approval, or make the record comply",
                crate::text::clip(rule, crate::text::VALUE_LIMIT)
            ),
            rule: info.id.clone(),
            name: info.name.clone(),
            basis: info.basis.clone(),
            record: record.reference().map(Arc::from),
            title: record.text("title").map(str::to_string),
            file: loaded.file.clone(),
            line: span.line,
            column: span.column,
            working_days_left: working_days_left(helpers, today, expires),
        });
    }
}

/// The precept timetable of the coming year as a reminder, when no precept record for that
/// year exists yet (a precept record's own deadlines come from MO023's `due`): the proposed
/// precept must reach the police and crime panel by 1 February.
fn precept_reminder(
    precepts: &[(bool, Vec<NaiveDate>)],
    ruleset: &RuleSet,
    today: NaiveDate,
) -> Option<Deadline> {
    let info = ruleset.info("MO023")?;
    if ruleset
        .active_rules()
        .iter()
        .all(|rule| &*rule.info.id != "MO023")
    {
        return None;
    }
    // The next 1 February on or after today, and the window of records that would be the
    // precept for that year: from the previous 1 September to 1 March.
    let year = if (today.month(), today.day()) <= (2, 1) {
        today.year()
    } else {
        today.year() + 1
    };
    let deadline = NaiveDate::from_ymd_opt(year, 2, 1)?;
    let from = NaiveDate::from_ymd_opt(year - 1, 9, 1)?;
    let to = NaiveDate::from_ymd_opt(year, 3, 1)?;
    // A precept still proposed is taken to be the coming one (MO023's `due` then gives its
    // own deadlines); otherwise a date of the record must fall in the window.
    let covered = precepts
        .iter()
        .any(|(proposed, dates)| *proposed || dates.iter().any(|date| (from..=to).contains(date)));
    if covered {
        return None;
    }
    Some(Deadline {
        key: format!("{}#reminder-{year}", info.id),
        date: deadline,
        what: format!(
            "no precept record for {year}/{:02} yet: the proposed precept must reach the police and crime panel by 1 February {year}, and the precept be set by 1 March",
            (year + 1) % 100
        ),
        rule: info.id.clone(),
        name: info.name.clone(),
        basis: info.basis.clone(),
        record: None,
        title: None,
        file: Arc::from(""),
        line: 0,
        column: 0,
        working_days_left: working_days_left(&ruleset.helpers, today, deadline),
    })
}
