//! Drafts for people: the monitoring officer's s.5 report on one decision and the assurance
//! summary across many, both in Markdown built from records and findings. No I/O here: the
//! caller loads and checks, these functions only write text.

mod appendix;
mod assessment;
mod assurance;
mod brief;
mod chronology;
mod duties;
mod note;
mod parts;
mod recommend;
pub mod render;
mod s114;
mod s5;
mod scope;
mod statute;
mod tallies;
mod waivers;

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

pub use assurance::assurance;
pub use brief::Brief;
pub use s114::s114_draft;
pub use s5::s5_draft;

use crate::finding::{Finding, Severity};
use crate::format::long_date;
use crate::load::{Day, LoadedRecord, Record, Value};
use crate::rules::RuleSet;

/// The marking every page of every draft carries until the monitoring officer signs it.
pub const DRAFT_MARK: &str = "DRAFT: not a report until checked, completed and signed";

/// What every page of a draft on this record must carry: the DRAFT marking and, for a
/// record withheld in whole or part, "NOT FOR PUBLICATION" with its ground.
pub(crate) fn page_header(record: &Record) -> Vec<String> {
    let mut lines = vec![DRAFT_MARK.to_string()];
    if let Some(ground) = withheld(record) {
        lines.push(format!("NOT FOR PUBLICATION: {ground}"));
    }
    lines
}

/// The ground a confidential or part-confidential record is withheld on, when it is.
pub(crate) fn withheld(record: &Record) -> Option<String> {
    match record.text("confidentiality.status") {
        Some("confidential" | "part") => Some(
            record
                .text("confidentiality.ground")
                .map(fold)
                .filter(|ground| !ground.is_empty())
                .unwrap_or_else(|| "[state the exemption relied on]".to_string()),
        ),
        _ => None,
    }
}

/// The Markdown form of the page header's NOT FOR PUBLICATION line, under the banner.
pub(crate) fn not_for_publication(out: &mut String, record: &Record) {
    if let Some(ground) = withheld(record) {
        let _ = writeln!(
            out,
            "> **NOT FOR PUBLICATION.** {}\n",
            cell(&format!("Exempt information: {ground}."))
        );
    }
}

/// A draft as the renderers take it (see `render`): the document in Markdown, and what must
/// stand in every page's header, which Markdown cannot say.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The document: `CommonMark` with GitHub tables, record text escaped.
    pub markdown: String,
    /// One line each, in order: always the DRAFT marking; "NOT FOR PUBLICATION" with its
    /// ground for a confidential record. Word puts them in the page header, HTML in the
    /// print header; Markdown has them in its banner already.
    pub page_header: Vec<String>,
    /// Charts for the HTML form, each drawn after the heading it names; the same numbers
    /// are in a table of the Markdown, so the other forms lose nothing.
    pub figures: Vec<Figure>,
    /// Whether mocheck could assess the decision (or every decision) in full. When not, the
    /// draft says so in its title and first paragraph, and `report` exits 1.
    pub assessed: bool,
}

/// A bar chart: one bar per label, drawn as inline SVG in the HTML form.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The text of the Markdown heading after which the chart goes (without the `#`s).
    pub after_heading: String,
    pub title: String,
    /// What the numbers count, for the axis: "findings", "per cent compliant".
    pub unit: String,
    pub bars: Vec<(String, f64)>,
}

/// Everything the s.5 draft on one decision may use.
pub struct DraftInput<'a> {
    pub record: &'a LoadedRecord,
    /// The findings on this record only (see [`findings_of`]).
    pub findings: &'a [Finding],
    pub ruleset: &'a RuleSet,
    /// From `mocheck.toml` `[office] name`, when set.
    pub office_name: Option<&'a str>,
    pub today: NaiveDate,
}

/// How the assurance summary divides a year into quarters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuarterStyle {
    /// April to March, as public bodies account: `2025-26 Q1` is April to June 2025.
    Financial,
    /// January to December: `2025 Q1` is January to March.
    Calendar,
}

/// Everything the assurance summary may use.
pub struct AssuranceInput<'a> {
    /// Every record loaded, in range or not, as the summary needs it (see [`Brief::of`]):
    /// the range is applied here.
    pub records: &'a [Brief],
    /// Every finding of the run, including those on files that held no readable record.
    pub findings: &'a [Finding],
    pub ruleset: &'a RuleSet,
    /// First and last decision dates to include (inclusive); `None` leaves that side open.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub quarters: QuarterStyle,
    pub today: NaiveDate,
}

/// The findings that belong to `records[index]`: the same file and reference, and lines from
/// its first line up to the next record of that file. Several records may share a file, and a
/// duplicated reference may appear in two files, so neither test is enough alone.
pub fn findings_of(records: &[LoadedRecord], index: usize, findings: &[Finding]) -> Vec<Finding> {
    let owners = Owners::new(records.iter().map(|loaded| {
        let record = &loaded.record;
        (&*loaded.file, record.span.line, record.reference())
    }));
    findings
        .iter()
        .filter(|finding| owners.owner(finding) == Some(index))
        .cloned()
        .collect()
}

/// The indices of the records with this reference: more than one when a reference is
/// duplicated (MO092), which the caller must resolve before drafting a report.
pub fn records_with_reference(records: &[LoadedRecord], reference: &str) -> Vec<usize> {
    records
        .iter()
        .enumerate()
        .filter(|(_, loaded)| loaded.record.reference() == Some(reference))
        .map(|(index, _)| index)
        .collect()
}

/// Which record each finding is about: per file, the records' first lines in order, so that
/// finding the owner of each of a hundred thousand findings is a lookup, not a scan.
pub(crate) struct Owners<'r> {
    references: Vec<Option<&'r str>>,
    by_file: HashMap<&'r str, Vec<(u32, usize)>>,
}

impl<'r> Owners<'r> {
    /// From each record's file, first line and reference, in the records' order.
    pub(crate) fn new(records: impl Iterator<Item = (&'r str, u32, Option<&'r str>)>) -> Self {
        let mut by_file: HashMap<&'r str, Vec<(u32, usize)>> = HashMap::new();
        let mut references = Vec::new();
        for (index, (file, line, reference)) in records.enumerate() {
            by_file.entry(file).or_default().push((line, index));
            references.push(reference);
        }
        for starts in by_file.values_mut() {
            starts.sort_unstable();
        }
        Owners {
            references,
            by_file,
        }
    }

    /// The index of the record a finding is about, if any: the last record of its file
    /// starting at or before the finding's line, when it has the finding's reference. A
    /// file-level problem before the first record has none.
    pub(crate) fn owner(&self, finding: &Finding) -> Option<usize> {
        let starts = self.by_file.get(&*finding.file)?;
        let after = starts.partition_point(|(line, _)| *line <= finding.line);
        let (_, index) = *starts.get(after.checked_sub(1)?)?;
        finding.is_about(self.references[index]).then_some(index)
    }
}

/// The first words of the message `check` gives when a rule's expression fails on a record
/// (see `check::evaluate`): a fault in the rules file, not in the decision.
const NOT_CHECKED: &str = "this rule could not be checked on this record";

/// What a finding can support in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    /// An unwaived error of a statutory data rule: it may be put as a possible contravention
    /// of an enactment or rule of law.
    Contravention,
    /// An unwaived error of a rule resting on a code of practice, local policy or good
    /// practice: a matter the monitoring officer may raise, never a ground under s.5.
    OtherMatter,
    /// An unwaived error about the record itself (unreadable, duplicated, a bad waiver, a rule
    /// that failed to run): it blocks a conclusion but is not a breach of the law.
    RecordProblem,
    /// An unwaived warning or info: good practice only.
    GoodPractice,
    Waived,
}

pub(crate) fn weight(finding: &Finding, ruleset: &RuleSet) -> Weight {
    if finding.waived {
        return Weight::Waived;
    }
    if finding.severity != Severity::Error {
        return Weight::GoodPractice;
    }
    // A rule the ruleset does not describe has no basis to cite, so it cannot ground a report.
    let engine = ruleset.info(&finding.rule).is_none_or(|info| info.engine);
    if engine || finding.message.starts_with(NOT_CHECKED) {
        Weight::RecordProblem
    } else if finding.kind == crate::finding::RuleKind::Statute {
        Weight::Contravention
    } else {
        Weight::OtherMatter
    }
}

/// `contract_award` -> `contract award`; the record format's words are already plain. A value
/// the format does not know is still record text, so it is escaped.
pub(crate) fn words(value: &str) -> String {
    crate::text::markdown(&value.replace('_', " "))
}

/// The decision maker's role as an office, not a field value.
pub(crate) fn role_words(role: &str) -> String {
    match role {
        "pcc" => "Police and Crime Commissioner".to_string(),
        "deputy_pcc" => "Deputy Police and Crime Commissioner".to_string(),
        "chief_executive" => "Chief Executive, under delegation".to_string(),
        "chief_finance_officer" => "Chief Finance Officer, under delegation".to_string(),
        "other_officer" => "an officer acting under delegation".to_string(),
        other => words(other),
    }
}

/// `12 March 2026`, with the time when the record gives one.
pub(crate) fn show_day(day: Day) -> String {
    match day.time {
        Some(time) => format!("{} at {}", long_date(day.date), time.format("%H:%M")),
        None => long_date(day.date),
    }
}

/// Record text fit for one line or one table cell: whitespace folded, and everything Markdown
/// or HTML would read as markup escaped, so it reads as written.
pub(crate) fn cell(text: &str) -> String {
    crate::text::markdown(&fold(text))
}

/// A message or help text, whose backticks mark code, fit for one line or one table cell.
pub(crate) fn prose(text: &str) -> String {
    crate::text::markdown_message(&fold(text))
}

/// A file name or field path as code, for a reader to look up.
pub(crate) fn code(text: &str) -> String {
    crate::text::markdown_code(text)
}

pub(crate) fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The record's text at `path`, folded to one line.
pub(crate) fn text_at(record: &Record, path: &str) -> Option<String> {
    record.text(path).map(cell).filter(|text| !text.is_empty())
}

/// Whether the decision brings money in (an estate sale, a grant received) rather than
/// spending it: the drafts then say "receives", never "commits".
pub(crate) fn is_income(record: &Record) -> bool {
    record.text("financial.kind") == Some("income")
        || record.text("financial.direction") == Some("income")
}

pub(crate) fn is_true(record: &Record, path: &str) -> bool {
    matches!(record.get(path), Some(Value::Bool(true)))
}

/// How many entries the list at `path` has (0 when absent).
pub(crate) fn list_len(record: &Record, path: &str) -> usize {
    match record.get(path) {
        Some(Value::List(items)) => items.len(),
        _ => 0,
    }
}

/// The reference as a reader should see it.
pub(crate) fn reference_of(record: &Record) -> String {
    record
        .reference()
        .map_or_else(|| "(no reference)".to_string(), cell)
}

/// One section of a rule's explanation (`## Why it matters`), without its heading.
pub(crate) fn explain_section(explain: &str, heading: &str) -> Option<String> {
    let mut lines = explain.lines().skip_while(|line| {
        line.trim_start()
            .strip_prefix("## ")
            .is_none_or(|title| !title.trim().eq_ignore_ascii_case(heading))
    });
    lines.next()?;
    let body: Vec<&str> = lines.take_while(|line| !line.starts_with("## ")).collect();
    let body = body.join("\n").trim().to_string();
    (!body.is_empty()).then_some(body)
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The first letter in capitals, for a message that starts a sentence.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `1 decision`, `2 decisions`.
pub(crate) fn count(number: usize, word: &str) -> String {
    crate::report::plural(number, word)
}

/// The severity's word for a reader, capitalised for a table.
pub(crate) fn severity_words(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_stops_at_the_next_heading() {
        let explain =
            "## What it checks\nA.\n\n## Why it matters\nThe law.\n\nMore.\n## How to fix\nB.";
        assert_eq!(
            explain_section(explain, "Why it matters").as_deref(),
            Some("The law.\n\nMore.")
        );
        assert_eq!(explain_section(explain, "Example"), None);
    }

    #[test]
    fn cells_fold_lines_and_escape_pipes() {
        assert_eq!(cell("a |\n  b "), "a \\| b");
    }

    #[test]
    fn record_text_reads_as_written_and_messages_keep_their_code() {
        assert_eq!(
            cell("*Grants* <b>x</b>"),
            "\\*Grants\\* &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(
            prose("`title` is <script>alert(1)</script>"),
            "`title` is &lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(words("not_<b>known</b>"), "not &lt;b&gt;known&lt;/b&gt;");
    }
}
