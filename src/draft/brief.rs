//! What the assurance summary needs of one record, taken from it as soon as it is checked:
//! a long run keeps a hundred thousand of these instead of the records. No I/O here.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::load::{Day, LoadedRecord};

use super::{is_true, list_len, reference_of, show_day, text_at};

/// One record as the summary sees it; every text in it is as the summary shows it.
#[derive(Debug)]
pub struct Brief {
    pub(super) file: Arc<str>,
    /// The record's first line, which tells its findings from the next record's.
    pub(super) line: u32,
    /// The whole reference, as findings are matched against it.
    pub(super) reference: Option<Box<str>>,
    pub(super) title: Option<Box<str>>,
    pub(super) status: Option<Box<str>>,
    pub(super) decided_on: Option<Day>,
    /// Decided, of significant public interest, and with no publication date.
    pub(super) unpublished: bool,
    /// An action item for each statutory report not resolved.
    pub(super) unresolved_reports: Vec<String>,
    pub(super) waivers: Vec<WaiverEntry>,
}

/// One entry of the record's `waivers` list, as recorded.
#[derive(Debug)]
pub(super) struct WaiverEntry {
    pub rule: String,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub date: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
}

impl Brief {
    pub fn of(loaded: &LoadedRecord) -> Brief {
        let record = &loaded.record;
        let mut unresolved_reports = Vec::new();
        for index in 0..list_len(record, "statutory_reports") {
            let path = format!("statutory_reports[{index}]");
            if record.day(&format!("{path}.resolved_on")).is_none() {
                let kind = match record.text(&format!("{path}.kind")) {
                    Some("s5") => "the monitoring officer's s.5 report",
                    Some("s114") => "the chief finance officer's s.114 report",
                    _ => "a statutory report",
                };
                let issued = record
                    .day(&format!("{path}.date"))
                    .map_or_else(String::new, |day| format!(" of {}", show_day(day)));
                unresolved_reports.push(format!(
                    "{}: {kind}{issued} has no date on which its consideration concluded (`resolved_on`)",
                    reference_of(record)
                ));
            }
        }
        let waivers = (0..list_len(record, "waivers"))
            .map(|entry| {
                let path = format!("waivers[{entry}]");
                WaiverEntry {
                    rule: text_at(record, &format!("{path}.rule")).unwrap_or_default(),
                    reason: text_at(record, &format!("{path}.reason")),
                    approved_by: text_at(record, &format!("{path}.approved_by")),
                    date: record.day(&format!("{path}.date")).map(|day| day.date),
                    expires: record.day(&format!("{path}.expires")).map(|day| day.date),
                }
            })
            .collect();
        Brief {
            file: loaded.file.clone(),
            line: record.span.line,
            reference: record.reference().map(Box::from),
            title: text_at(record, "title").map(Box::from),
            status: record.status().map(Box::from),
            decided_on: record.day("decided_on"),
            unpublished: record.status() == Some("decided")
                && is_true(record, "significant_public_interest")
                && record.day("publication.date").is_none(),
            unresolved_reports,
            waivers,
        }
    }

    pub(super) fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The reference as a reader should see it.
    pub(super) fn shown_reference(&self) -> String {
        self.reference
            .as_deref()
            .map_or_else(|| "(no reference)".to_string(), super::cell)
    }
}
