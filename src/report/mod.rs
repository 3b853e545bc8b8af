//! Reporting: a finished run -> bytes in one format. One file per format behind one trait;
//! writers take `&mut dyn Write` and never print. The other commands' texts are made here
//! too (`rules_list`, `explain`, `rule_tests`), as strings the commands write.

mod ends;
pub mod explain;
mod github;
mod human;
mod json;
mod junit;
mod markdown;
pub mod root;
pub mod rule_tests;
pub mod rules_list;
mod sarif;
pub(crate) mod snippet;
mod table;

use std::io::{self, Write};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::finding::{Counts, Finding, Severity};
use crate::load::SourceFile;
use crate::rules::config::FailOn;

pub use crate::check::SeenRecord;
pub use root::SourceRoot;

/// Everything a reporter may show about one `check`.
pub struct Run<'a> {
    pub files: &'a [SourceFile],
    pub records: usize,
    pub findings: &'a [Finding],
    /// Where the files' text comes from, for snippets and regions.
    pub sources: &'a dyn SourceText,
    pub ruleset_name: &'a str,
    pub ruleset_version: &'a str,
    pub today: NaiveDate,
    pub rules: Vec<RuleSummary>,
    /// Every record checked, in file order: `JUnit` gives each one a test case.
    pub seen: &'a [SeenRecord],
    /// What fails the run: `JUnit` reports only those findings as failures.
    pub fail_on: FailOn,
    /// Where machine formats name files from; `None` keeps paths as shown.
    pub root: Option<&'a SourceRoot>,
    /// The page documenting the rules, for SARIF's `helpUri` (`[check] rules_url`).
    pub rules_url: Option<&'a str>,
}

/// Where reporters get a file's text, for snippets and regions: the caller decides how (the
/// text kept when it was loaded, or the file read again), so no reporter opens a file.
pub trait SourceText: Sync {
    /// The file's text as it was checked; `None` shows its findings without a snippet.
    fn text(&self, file: &SourceFile) -> Option<Arc<str>>;
}

/// The text each file kept when it was loaded (`LoadOptions::keep_text`), and none for the
/// others: for runs built in memory.
pub struct KeptText;

impl SourceText for KeptText {
    fn text(&self, file: &SourceFile) -> Option<Arc<str>> {
        file.text.clone()
    }
}

/// What reporters show about each rule of the ruleset; SARIF lists them all.
pub struct RuleSummary {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// The severity the ruleset gives the rule, after `mocheck.toml`'s overrides.
    pub severity: Severity,
    pub kind: crate::finding::RuleKind,
    /// How to fix a record.
    pub help: Arc<str>,
    /// The law and guidance the rule rests on.
    pub basis: Arc<[String]>,
    /// What `mocheck explain` says: why the rule matters.
    pub explain: String,
    /// Done by the engine (MO090 and above) rather than by an expression.
    pub engine: bool,
}

impl RuleSummary {
    /// One summary per rule of the ruleset, in id order.
    pub fn all(ruleset: &crate::rules::RuleSet) -> Vec<RuleSummary> {
        ruleset
            .infos()
            .into_iter()
            .map(|info| RuleSummary {
                id: info.id.to_string(),
                name: info.name.to_string(),
                summary: info.summary.clone(),
                severity: info.severity,
                kind: info.kind,
                help: info.help.clone(),
                basis: info.basis.clone(),
                explain: info.explain.clone(),
                engine: info.engine,
            })
            .collect()
    }
}

impl Run<'_> {
    pub fn counts(&self) -> Counts {
        Counts::of(self.findings)
    }

    /// Whether a finding fails the run at `--fail-on`: waived and baselined findings never do.
    pub fn fails(&self, finding: &Finding) -> bool {
        !finding.waived && !finding.baselined && self.fail_on.includes(finding.severity)
    }

    /// A file's path for a machine format: from the source root where there is one and the
    /// file lies within it, else as shown.
    pub fn path_of<'f>(&self, shown: &'f str) -> std::borrow::Cow<'f, str> {
        match self.root.and_then(|root| root.relative(shown)) {
            Some(relative) => std::borrow::Cow::Owned(relative),
            None => std::borrow::Cow::Borrowed(shown),
        }
    }

    /// "Checked 12 records in 11 files: 3 errors, 2 warnings, 0 info, 1 waived.", with
    /// ", 4 baselined" before the full stop only when a baseline accepted any.
    pub fn summary_line(&self) -> String {
        let counts = self.counts();
        let baselined = if counts.baselined > 0 {
            format!(", {} baselined", counts.baselined)
        } else {
            String::new()
        };
        format!(
            "Checked {} in {}: {}, {}, {} info, {} waived{baselined}.",
            plural(self.records, "record"),
            plural(self.files.len(), "file"),
            plural(counts.error, "error"),
            plural(counts.warning, "warning"),
            counts.info,
            counts.waived
        )
    }
}

pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// How a person's output should look.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    /// Writing to a terminal: tables wrap to `width`; elsewhere rows stay whole.
    pub terminal: bool,
    pub width: usize,
    pub quiet: bool,
}

pub trait Reporter {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()>;
}

/// The output formats of `check` (`cli::Format` is their spelling on the command line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Source-annotated diagnostics, then a summary table.
    Human,
    /// One row per finding.
    Table,
    /// The stable JSON of the specification.
    Json,
    /// SARIF 2.1.0, for code-scanning services and editors.
    Sarif,
    /// `JUnit` XML: one test case per record and rule with findings, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// A Markdown table of findings to paste into a committee paper.
    Markdown,
}

/// The reporter for a format: the one place formats are chosen.
pub fn reporter(format: Format, style: Style) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::Human { style }),
        Format::Table => Box::new(table::Table { style }),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Junit => Box::new(junit::Junit),
        Format::Github => Box::new(github::Github { style }),
        Format::Markdown => Box::new(markdown::Markdown { style }),
    }
}
