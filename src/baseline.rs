//! A baseline: the findings of an old archive accepted as history, kept in a TOML file beside
//! the records, since an official record is never edited to waive its past. `mocheck baseline`
//! writes one; `check` marks the findings it covers as baselined (still reported, never
//! failing) and reports each entry that no longer matches anything (MO098), so a baseline only
//! shrinks. Entries are keyed by record, rule and field, not by line, so editing a file
//! elsewhere does not break them. No I/O here: the caller reads and writes the text.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::finding::{Finding, Label};
use crate::load::Span;
use crate::rules::error::{ConfigError, TomlSource};
use crate::rules::expr::toml_date;
use crate::rules::{RuleSet, UNREADABLE};

/// The engine rule for an entry that no longer matches any finding.
pub const STALE: &str = "MO098";

/// What a finding is accepted by: its record (the reference, else the file), rule and field.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub record: String,
    pub rule: String,
    pub path: String,
}

impl Key {
    pub fn of(finding: &Finding) -> Key {
        Key {
            record: finding
                .record
                .as_deref()
                .unwrap_or(&finding.file)
                .to_string(),
            rule: finding.rule.to_string(),
            path: finding.path.clone(),
        }
    }
}

/// Whether a finding may be accepted as history. An unreadable record never is: it has not
/// been checked at all, so accepting it would pass a record nobody can see into. Nor are the
/// baseline's own findings.
pub fn can_accept(finding: &Finding) -> bool {
    !finding.waived && &*finding.rule != UNREADABLE && &*finding.rule != STALE
}

#[derive(Debug)]
pub struct Entry {
    pub key: Key,
    pub count: usize,
    /// Where the entry is written, for MO098.
    pub line: u32,
    pub column: u32,
}

#[derive(Debug)]
pub struct Baseline {
    /// The file's name as the user gave it, for findings that point into it.
    pub file: Arc<str>,
    pub reason: String,
    pub approved_by: String,
    pub created_on: NaiveDate,
    pub entries: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    version: Spanned<i64>,
    reason: Spanned<String>,
    approved_by: Spanned<String>,
    created_on: Spanned<toml::value::Datetime>,
    #[serde(default)]
    accepted: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    record: String,
    rule: String,
    #[serde(default)]
    path: String,
    count: Spanned<i64>,
}

/// Reads a baseline file; every problem is reported with its place.
pub fn parse(source: &TomlSource) -> Result<Baseline, ConfigError> {
    let raw: RawBaseline = toml::from_str(&source.text).map_err(|error| source.from_toml(&error))?;
    let mut problems = Vec::new();
    if *raw.version.get_ref() != 1 {
        problems.push(source.problem(
            Some(raw.version.span()),
            format!(
                "this baseline is version {}; this mocheck reads version 1",
                raw.version.get_ref()
            ),
        ));
    }
    for (value, what) in [(&raw.reason, "reason"), (&raw.approved_by, "approved_by")] {
        if value.get_ref().trim().is_empty() {
            problems.push(source.problem(
                Some(value.span()),
                format!("a baseline needs its `{what}`: accepting old findings is a decision someone takes, for a reason"),
            ));
        }
    }
    let created_on = toml_date(raw.created_on.get_ref());
    if created_on.is_none() {
        problems.push(source.problem(
            Some(raw.created_on.span()),
            "`created_on` must be a date like 2026-12-02",
        ));
    }
    let mut entries = Vec::with_capacity(raw.accepted.len());
    for spanned in raw.accepted {
        let span = spanned.span();
        let entry = spanned.into_inner();
        let count = usize::try_from(*entry.count.get_ref()).unwrap_or(0);
        if count == 0 {
            problems.push(source.problem(
                Some(entry.count.span()),
                "`count` must be a whole number of findings, 1 or more",
            ));
        }
        let line = source.line_of(span.start);
        let line_start = source.text[..span.start].rfind('\n').map_or(0, |at| at + 1);
        let column = source.text[line_start..span.start].chars().count() + 1;
        entries.push(Entry {
            key: Key {
                record: entry.record,
                rule: entry.rule,
                path: entry.path,
            },
            count,
            line,
            column: u32::try_from(column).unwrap_or(u32::MAX),
        });
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }
    Ok(Baseline {
        file: Arc::from(source.name.as_str()),
        reason: raw.reason.into_inner(),
        approved_by: raw.approved_by.into_inner(),
        created_on: created_on.unwrap_or_default(),
        entries,
    })
}

/// Marks the findings the baseline accepts, in order, up to each entry's count, and adds a
/// MO098 finding for each entry that matched fewer than it accepts. Entries of records not
/// checked in this run (`checked` holds their keys' `record`), or of rules that did not run,
/// are left alone: a check of one file must not call the rest of the archive stale.
pub fn apply(
    baseline: &Baseline,
    ruleset: &RuleSet,
    checked: &HashSet<String>,
    findings: &mut Vec<Finding>,
) {
    let mut remaining: HashMap<&Key, usize> = HashMap::with_capacity(baseline.entries.len());
    for entry in &baseline.entries {
        *remaining.entry(&entry.key).or_default() += entry.count;
    }
    for finding in findings.iter_mut().filter(|finding| can_accept(finding)) {
        if let Some(left) = remaining.get_mut(&Key::of(finding)) {
            if *left > 0 {
                *left -= 1;
                finding.baselined = true;
            }
        }
    }
    let Some(info) = ruleset.info(STALE) else {
        return;
    };
    if !ruleset.is_active(STALE) {
        return;
    }
    for entry in &baseline.entries {
        let key = &entry.key;
        if !checked.contains(&key.record) || !ruleset.is_active(&key.rule) {
            continue;
        }
        let Some(left) = remaining.get_mut(key) else {
            continue;
        };
        // An entry written twice shares one count; report the shortfall once, at the first.
        let unmatched = std::mem::take(left).min(entry.count);
        if unmatched == 0 {
            continue;
        }
        let place = if key.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", key.path)
        };
        let message = format!(
            "the baseline accepts {} of {}{place} on {}, but {} no longer found: the problem was put right, so the entry can go (`mocheck baseline --prune`)",
            plural(entry.count, "finding"),
            key.rule,
            key.record,
            if unmatched == 1 { "one is".to_string() } else { format!("{unmatched} are") }
        );
        let span = Span {
            line: entry.line,
            column: entry.column,
            ..Span::default()
        };
        findings.push(Finding {
            rule: info.id.clone(),
            name: info.name.clone(),
            severity: info.severity,
            waived: false,
            waiver: None,
            baselined: false,
            record: Some(Arc::from(key.record.as_str())),
            file: baseline.file.clone(),
            line: entry.line,
            column: entry.column,
            path: String::new(),
            message,
            help: info.help.clone(),
            basis: info.basis.clone(),
            labels: vec![Label {
                span,
                text: "this entry".to_string(),
            }],
        });
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// The text of a baseline accepting every finding that may be accepted, counted by key.
pub fn write(findings: &[Finding], reason: &str, approved_by: &str, today: NaiveDate) -> String {
    text(reason, approved_by, today, &counted(findings))
}

/// The baseline's own text with every entry cut down to what still matches: entries that
/// match nothing go, counts shrink, and nothing new is added.
pub fn prune(baseline: &Baseline, findings: &[Finding]) -> String {
    let found = counted(findings);
    let mut kept: BTreeMap<Key, usize> = BTreeMap::new();
    for entry in &baseline.entries {
        *kept.entry(entry.key.clone()).or_default() += entry.count;
    }
    kept.retain(|key, count| {
        *count = (*count).min(found.get(key).copied().unwrap_or(0));
        *count > 0
    });
    text(
        &baseline.reason,
        &baseline.approved_by,
        baseline.created_on,
        &kept,
    )
}

/// The findings that may be accepted, counted by key.
fn counted(findings: &[Finding]) -> BTreeMap<Key, usize> {
    let mut counts = BTreeMap::new();
    for finding in findings.iter().filter(|finding| can_accept(finding)) {
        *counts.entry(Key::of(finding)).or_default() += 1;
    }
    counts
}

fn text(reason: &str, approved_by: &str, created_on: NaiveDate, entries: &BTreeMap<Key, usize>) -> String {
    let mut out = String::new();
    out.push_str("# mocheck baseline: findings accepted as history, so that `mocheck check` fails only on new\n");
    out.push_str("# ones. Written by `mocheck baseline`; shrink it with `mocheck baseline --prune`.\n");
    out.push_str("# An entry accepts up to `count` findings of `rule` at `path` on `record`.\n");
    out.push_str("version = 1\n");
    let _ = writeln!(out, "reason = {}", quoted(reason));
    let _ = writeln!(out, "approved_by = {}", quoted(approved_by));
    let _ = writeln!(out, "created_on = {}", created_on.format("%Y-%m-%d"));
    for (key, count) in entries {
        out.push_str("\n[[accepted]]\n");
        let _ = writeln!(out, "record = {}", quoted(&key.record));
        let _ = writeln!(out, "rule = {}", quoted(&key.rule));
        let _ = writeln!(out, "path = {}", quoted(&key.path));
        let _ = writeln!(out, "count = {count}");
    }
    out
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
