//! The baseline: an old archive's findings accepted as history, so that `check` fails only on
//! new ones. Its text parsed and written, findings marked baselined, and MO098 for an entry
//! that no longer matches. No I/O here: the caller reads and writes the file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::{EngineFinding, Place};
use crate::finding::{Finding, Label};
use crate::format::long_date;
use crate::load::Span;
use crate::rules::{ConfigError, EngineRule, RuleSet, TomlSource, UNREADABLE};
use crate::text::{clip, MESSAGE_LIMIT, VALUE_LIMIT};

/// Where `mocheck baseline` writes when neither `--output` nor `mocheck.toml` says.
pub const FILE_NAME: &str = "mocheck-baseline.toml";

/// The engine's rule for an entry that no longer matches: never baselined itself.
pub const STALE: &str = EngineRule::BaselineEntryStale.id();

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
    record: Option<String>,
    file: Option<String>,
    rule: Spanned<String>,
    #[serde(default)]
    path: String,
    count: Spanned<i64>,
}

/// Whose findings an entry accepts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// A record, by its reference (as findings keep it).
    Record(String),
    /// A record with no reference, by its file: relative to the baseline's folder, `/`-separated.
    File(String),
}

/// What an entry is keyed by: never a line number, so editing a record elsewhere keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub owner: Owner,
    pub rule: String,
    /// The finding's field path.
    pub path: String,
}

/// One `[[accepted]]` entry and where it is written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Key,
    pub count: usize,
    pub span: Span,
}

/// A validated baseline file.
#[derive(Clone, Debug)]
pub struct Baseline {
    /// The file's path as shown: the `file` of its MO098 findings.
    pub shown: Arc<str>,
    /// The folder its `file = ...` entries are relative to (absolute).
    pub dir: PathBuf,
    pub reason: String,
    pub approved_by: String,
    pub created_on: NaiveDate,
    pub entries: Vec<Entry>,
}

/// What applying a baseline found, entry by entry (in file order).
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings each entry accepted.
    pub matched: Vec<usize>,
    /// Whether each entry could be judged in this run: its record was checked and its rule ran.
    pub judged: Vec<bool>,
    /// MO098 findings, with the index of their entry.
    pub stale: Vec<(usize, Finding)>,
}

impl Baseline {
    /// Parses and validates a baseline's text; `dir` is its folder, made absolute.
    pub fn parse(source: &TomlSource, dir: PathBuf) -> Result<Baseline, ConfigError> {
        let raw: RawBaseline =
            toml::from_str(&source.text).map_err(|error| source.from_toml(&error))?;
        let mut problems = Vec::new();
        if *raw.version.get_ref() != 1 {
            problems.push(source.problem(
                Some(raw.version.span()),
                "this baseline's version is not 1, the only one this mocheck reads",
            ));
        }
        for (field, text) in [("reason", &raw.reason), ("approved_by", &raw.approved_by)] {
            if text.get_ref().trim().is_empty() {
                problems.push(source.problem(
                    Some(text.span()),
                    format!("the baseline's `{field}` is empty: a baseline must say why its findings are accepted and who approved it"),
                ));
            }
        }
        let created_on = match &raw.created_on.get_ref().date {
            Some(date) if raw.created_on.get_ref().time.is_none() => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            ),
            _ => None,
        };
        if created_on.is_none() {
            problems.push(source.problem(
                Some(raw.created_on.span()),
                "`created_on` must be a date like 2026-12-02",
            ));
        }
        let mut entries = Vec::with_capacity(raw.accepted.len());
        for spanned in &raw.accepted {
            let span = spanned.span();
            let entry = spanned.get_ref();
            let owner = match (&entry.record, &entry.file) {
                (Some(record), None) => Owner::Record(record.clone()),
                (None, Some(file)) => Owner::File(file.clone()),
                _ => {
                    problems.push(source.problem(
                        Some(span.clone()),
                        "an accepted entry needs exactly one of `record` (the reference) or `file` (for a record with none)",
                    ));
                    continue;
                }
            };
            let rule = entry.rule.get_ref().trim();
            if rule == UNREADABLE || rule == STALE {
                let why = if rule == UNREADABLE {
                    "a record mocheck cannot read has not been checked at all, so it is never accepted as history"
                } else {
                    "a stale entry is put right by removing it (`mocheck baseline --prune`)"
                };
                problems.push(source.problem(
                    Some(entry.rule.span()),
                    format!("{rule} cannot be accepted by a baseline: {why}"),
                ));
                continue;
            }
            let count = match usize::try_from(*entry.count.get_ref()) {
                Ok(count) if count > 0 => count,
                _ => {
                    problems.push(source.problem(
                        Some(entry.count.span()),
                        "`count` is how many findings the entry accepts: a whole number from 1",
                    ));
                    continue;
                }
            };
            entries.push(Entry {
                key: Key {
                    owner,
                    rule: rule.to_string(),
                    path: entry.path.clone(),
                },
                count,
                span: span_of(source, span),
            });
        }
        match created_on {
            Some(created_on) if problems.is_empty() => Ok(Baseline {
                shown: source.name.as_str().into(),
                dir,
                reason: raw.reason.into_inner().trim().to_string(),
                approved_by: raw.approved_by.into_inner().trim().to_string(),
                created_on,
                entries,
            }),
            _ => Err(problems.into()),
        }
    }

    /// Whose finding this is, as entries name it; `here` is the folder file names are shown
    /// from.
    pub fn owner(&self, here: &Path, file: &str, record: Option<&str>) -> Owner {
        match record {
            Some(reference) => Owner::Record(reference.to_string()),
            None => Owner::File(relative(&normal(&here.join(file)), &self.dir)),
        }
    }

    /// What the baseline's findings say of it: its reason, approver and date.
    pub fn justification(&self) -> String {
        format!(
            "{} (approved by {} on {})",
            clip(&self.reason, MESSAGE_LIMIT),
            clip(&self.approved_by, VALUE_LIMIT),
            long_date(self.created_on)
        )
    }

    /// Marks as baselined, for each entry, up to its count of the findings with its key, in
    /// order; a waived finding, an unreadable record and a stale entry are never baselined.
    /// `checked` are the records whose rules ran: an entry is judged stale only on those, and
    /// only when its rule ran.
    pub fn apply(
        &self,
        findings: &mut [Finding],
        checked: &HashSet<Owner>,
        ruleset: &RuleSet,
        here: &Path,
    ) -> Applied {
        let mut by_key: HashMap<&Key, Vec<usize>> = HashMap::new();
        for (index, entry) in self.entries.iter().enumerate() {
            by_key.entry(&entry.key).or_default().push(index);
        }
        let justification: Arc<str> = self.justification().into();
        let mut matched = vec![0; self.entries.len()];
        for finding in findings.iter_mut().filter(|finding| {
            !finding.waived && &*finding.rule != UNREADABLE && &*finding.rule != STALE
        }) {
            let key = Key {
                owner: self.owner(here, &finding.file, finding.record.as_deref()),
                rule: finding.rule.to_string(),
                path: finding.path.clone(),
            };
            let Some(indices) = by_key.get(&key) else {
                continue;
            };
            if let Some(&index) = indices
                .iter()
                .find(|&&index| matched[index] < self.entries[index].count)
            {
                matched[index] += 1;
                finding.baselined = true;
                finding.baseline = Some(justification.clone());
            }
        }
        let judged: Vec<bool> = self
            .entries
            .iter()
            .map(|entry| {
                let rule = &entry.key.rule;
                checked.contains(&entry.key.owner)
                    && (ruleset.is_active(rule) || ruleset.info(rule).is_none())
            })
            .collect();
        let mut stale = Vec::new();
        if ruleset.is_active(STALE) {
            for (index, entry) in self.entries.iter().enumerate() {
                if judged[index] && matched[index] < entry.count {
                    stale.push((index, self.stale(index, matched[index], ruleset)));
                }
            }
        }
        Applied {
            matched,
            judged,
            stale,
        }
    }

    /// MO098 on an entry that accepts more than this run found.
    fn stale(&self, index: usize, found: usize, ruleset: &RuleSet) -> Finding {
        let entry = &self.entries[index];
        let key = &entry.key;
        let whose = match &key.owner {
            Owner::Record(reference) => format!("record {reference}"),
            Owner::File(file) => format!("the record with no reference in `{file}`"),
        };
        let field = if key.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", key.path)
        };
        let accepted = if entry.count == 1 {
            format!("a finding of {}", key.rule)
        } else {
            format!("{} findings of {}", entry.count, key.rule)
        };
        let message = if ruleset.info(&key.rule).is_none() {
            format!("the baseline accepts {accepted} on {whose}, but `{}` is not a rule, so the entry accepts nothing; remove it (`mocheck baseline --prune` does)", key.rule)
        } else if found == 0 {
            format!("the baseline accepts {accepted} on {whose}{field} as history, but the check no longer finds it: it has been put right, so remove the entry (`mocheck baseline --prune` does)")
        } else {
            format!("the baseline accepts {accepted} on {whose}{field} as history, but the check finds only {found}: lower the entry's count to {found} (`mocheck baseline --prune` does)")
        };
        let record = match &key.owner {
            Owner::Record(reference) => Some(Arc::from(reference.as_str())),
            Owner::File(_) => None,
        };
        EngineFinding {
            rule: EngineRule::BaselineEntryStale,
            place: Place {
                file: self.shown.clone(),
                record,
                path: format!("accepted[{index}]"),
                span: entry.span,
            },
            message,
            labels: vec![Label {
                span: entry.span,
                text: "this entry".to_string(),
            }],
        }
        .finding(ruleset)
    }

    /// The entries after `--prune`: each judged entry's count lowered to what it matched, and
    /// those that matched nothing left out; entries this run could not judge are kept. `dir` is
    /// the folder of the file they will be written to, which `file` entries are relative to.
    pub fn pruned(&self, applied: &Applied, dir: &Path) -> BTreeMap<Key, usize> {
        let mut entries = BTreeMap::new();
        for (index, entry) in self.entries.iter().enumerate() {
            let count = if applied.judged[index] {
                applied.matched[index]
            } else {
                entry.count
            };
            if count > 0 {
                let mut key = entry.key.clone();
                if let Owner::File(file) = &key.owner {
                    key.owner = Owner::File(relative(&normal(&self.dir.join(file)), dir));
                }
                *entries.entry(key).or_insert(0) += count;
            }
        }
        entries
    }
}

/// The entries a baseline of these findings has: every finding neither waived nor an
/// unreadable record (nor MO098), counted by key. Also returns how many unreadable-record
/// findings were left out.
pub fn entries_of(findings: &[Finding], here: &Path, dir: &Path) -> (BTreeMap<Key, usize>, usize) {
    let mut entries = BTreeMap::new();
    let mut unreadable = 0;
    for finding in findings.iter().filter(|finding| !finding.waived) {
        match &*finding.rule {
            UNREADABLE => unreadable += 1,
            STALE => {}
            rule => {
                let owner = match finding.record.as_deref() {
                    Some(reference) => Owner::Record(reference.to_string()),
                    None => Owner::File(relative(&normal(&here.join(&*finding.file)), dir)),
                };
                let key = Key {
                    owner,
                    rule: rule.to_string(),
                    path: finding.path.clone(),
                };
                *entries.entry(key).or_insert(0) += 1;
            }
        }
    }
    (entries, unreadable)
}

/// A baseline file's text: a header that documents the format, then the entries in key order,
/// so that the file is the same for the same findings and diffs well.
pub fn render(
    reason: &str,
    approved_by: &str,
    created_on: NaiveDate,
    entries: &BTreeMap<Key, usize>,
) -> String {
    let mut out = String::from(HEADER);
    let _ = writeln!(
        out,
        "version = 1\nreason = {}\napproved_by = {}\ncreated_on = {created_on}",
        quoted(reason),
        quoted(approved_by)
    );
    for (key, count) in entries {
        out.push_str("\n[[accepted]]\n");
        let _ = match &key.owner {
            Owner::Record(reference) => writeln!(out, "record = {}", quoted(reference)),
            Owner::File(file) => writeln!(out, "file = {}", quoted(file)),
        };
        let _ = writeln!(
            out,
            "rule = {}\npath = {}\ncount = {count}",
            quoted(&key.rule),
            quoted(&key.path)
        );
    }
    out
}

const HEADER: &str = "\
# written by mocheck baseline: findings accepted as history.
#
# `mocheck check` reports these findings as baselined (still shown, not failures) and fails
# only on new ones. Each [[accepted]] entry names a record (`record`: its reference; or `file`,
# relative to this file, for a record with none), a rule, the field a finding is about
# (`path`) and how many such findings are accepted (`count`). No line numbers are kept, so
# editing a record elsewhere does not break an entry. An entry that no longer matches is
# reported as MO098 (`mocheck explain MO098`); `mocheck baseline --prune` removes it. A record
# that cannot be read (MO090) is never accepted here.

";

/// A TOML basic string, escaped as the `toml` crate escapes it.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A span's line and column in the baseline's text.
fn span_of(source: &TomlSource, range: std::ops::Range<usize>) -> Span {
    let line = source.line_of(range.start);
    let line_start = source.text[..range.start]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let column = source.text[line_start..range.start].chars().count() + 1;
    Span {
        line,
        column: u32::try_from(column).unwrap_or(u32::MAX),
        start: range.start,
        end: range.end,
    }
}

/// An absolute path with `.` and `..` taken out by reading it, not by asking the file system:
/// the files compared may have been shown from different folders.
pub fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to the folder `dir` (both normal), `/`-separated, with `..` where needed.
fn relative(path: &Path, dir: &Path) -> String {
    let path: Vec<Component> = path.components().collect();
    let dir: Vec<Component> = dir.components().collect();
    let common = path.iter().zip(&dir).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_string(), dir.len() - common);
    let downs = path[common..]
        .iter()
        .map(|component| component.as_os_str().to_string_lossy().into_owned());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_relative_to_the_baseline_folder() {
        let dir = Path::new("/work/archive");
        assert_eq!(
            relative(&normal(Path::new("/work/archive/./decisions/a.yaml")), dir),
            "decisions/a.yaml"
        );
        assert_eq!(
            relative(&normal(Path::new("/work/other/../elsewhere/b.yaml")), dir),
            "../elsewhere/b.yaml"
        );
    }

    #[test]
    fn written_text_reads_back_as_the_same_entries() {
        let mut entries = BTreeMap::new();
        entries.insert(
            Key {
                owner: Owner::Record("WPCC4-0001 \"quoted\"".into()),
                rule: "MO015".into(),
                path: "advice.chief_finance_officer".into(),
            },
            2,
        );
        entries.insert(
            Key {
                owner: Owner::File("decisions/no reference.yaml".into()),
                rule: "MO010".into(),
                path: String::new(),
            },
            1,
        );
        let date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let text = render("Old archive", "Daniel Mirren", date, &entries);
        let source = TomlSource::new("mocheck-baseline.toml", text.clone());
        let baseline = Baseline::parse(&source, PathBuf::from("/work"))
            .unwrap_or_else(|_| panic!("reads back: {text}"));
        let read: BTreeMap<Key, usize> = baseline
            .entries
            .iter()
            .map(|entry| (entry.key.clone(), entry.count))
            .collect();
        assert_eq!(read, entries);
        assert_eq!(baseline.created_on, date);
        // Each entry points at its own `[[accepted]]` line.
        for entry in &baseline.entries {
            let line = text.lines().nth(entry.span.line as usize - 1).unwrap();
            assert_eq!(line, "[[accepted]]", "{entry:?}");
            assert_eq!(entry.span.column, 1);
        }
    }
}
