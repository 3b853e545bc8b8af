//! Finding: what a rule found on a record, as plain data. No rendering types here; the
//! reporters turn findings into diagnostics, tables and machine formats.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::load::Span;
use crate::text::{clip, VALUE_LIMIT};

/// How serious a finding is. Ordered, so `severity >= fail_on` reads naturally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of rule a finding comes from, which decides what a draft may make of it: only a
/// statute (an enactment or rule of law) can ground a monitoring officer's report under s.5;
/// a code of practice, the office's own policy or good practice is a matter to raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Statute,
    CodeOfPractice,
    LocalPolicy,
    GoodPractice,
}

impl RuleKind {
    pub const ALL: [RuleKind; 4] = [
        RuleKind::Statute,
        RuleKind::CodeOfPractice,
        RuleKind::LocalPolicy,
        RuleKind::GoodPractice,
    ];

    pub fn parse(text: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The name written in rules files and machine formats.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Statute => "statute",
            RuleKind::CodeOfPractice => "code_of_practice",
            RuleKind::LocalPolicy => "local_policy",
            RuleKind::GoodPractice => "good_practice",
        }
    }

    /// The kind in words, for a reader.
    pub fn words(self) -> &'static str {
        match self {
            RuleKind::Statute => "statute or rule of law",
            RuleKind::CodeOfPractice => "code of practice",
            RuleKind::LocalPolicy => "the office's own policy",
            RuleKind::GoodPractice => "good practice",
        }
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in the record the finding is about, with a few words saying why.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: Arc<str>,
    pub name: Arc<str>,
    pub severity: Severity,
    pub kind: RuleKind,
    /// Accepted by a waiver in force; still reported everywhere, marked waived.
    pub waived: bool,
    /// The waiver's reason and approver, when waived.
    pub waiver: Option<String>,
    /// Accepted as history by the baseline (never when waived): reported, not a failure.
    pub baselined: bool,
    /// The baseline's reason, approver and date, when baselined (shared by its findings).
    pub baseline: Option<Arc<str>>,
    /// The record's reference, when it has one.
    pub record: Option<Arc<str>>,
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    /// The field the finding is about, as a dotted path.
    pub path: String,
    pub message: String,
    pub help: Arc<str>,
    pub basis: Arc<[String]>,
    /// The primary place first, then any place it conflicts with.
    pub labels: Vec<Label>,
}

impl Finding {
    /// What a finding keeps of its record's reference: at most `VALUE_LIMIT` characters, so
    /// a huge reference is not repeated in every finding of every output. A short one is
    /// shared, not copied.
    pub fn shown_reference(reference: &Arc<str>) -> Arc<str> {
        match clip(reference, VALUE_LIMIT) {
            std::borrow::Cow::Borrowed(_) => reference.clone(),
            std::borrow::Cow::Owned(clipped) => Arc::from(clipped),
        }
    }

    /// Whether the finding is on a record with this (whole) reference, as it keeps it.
    pub fn is_about(&self, reference: Option<&str>) -> bool {
        match (self.record.as_deref(), reference) {
            (None, None) => true,
            (Some(kept), Some(reference)) => clip(reference, VALUE_LIMIT) == kept,
            _ => false,
        }
    }

    /// The order every output uses: file, line, column, rule, then message as a tie-break
    /// so that two runs print the same bytes.
    /// The order of `sort_key`, comparing the file names only when they are not the same
    /// shared name: a long run sorts tens of thousands of findings.
    pub fn order(&self, other: &Finding) -> std::cmp::Ordering {
        let file = if Arc::ptr_eq(&self.file, &other.file) {
            std::cmp::Ordering::Equal
        } else {
            self.file.cmp(&other.file)
        };
        file.then_with(|| {
            (self.line, self.column, &*self.rule, self.message.as_str()).cmp(&(
                other.line,
                other.column,
                &*other.rule,
                other.message.as_str(),
            ))
        })
    }

    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.line,
            self.column,
            &self.rule,
            &self.message,
        )
    }
}

/// Counts by severity, over the findings that are neither waived nor baselined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub waived: usize,
    /// Left out of JSON when none, so a run without a baseline prints what it always did.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl Counts {
    pub fn of<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            if finding.waived {
                counts.waived += 1;
                continue;
            }
            if finding.baselined {
                counts.baselined += 1;
                continue;
            }
            match finding.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }

    /// Whether any finding neither waived nor baselined is at or above `level`.
    pub fn reaches(&self, level: Severity) -> bool {
        match level {
            Severity::Error => self.error > 0,
            Severity::Warning => self.error + self.warning > 0,
            Severity::Info => self.error + self.warning + self.info > 0,
        }
    }
}
