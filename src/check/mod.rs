//! Checking: records x ruleset -> sorted findings. No rendering here. Files are loaded and
//! checked in parallel, one file at a time per worker, so a record's tree is dropped as soon
//! as its rules have run; cross-record rules (MO092) and waivers run after, on what is kept.

pub mod baseline;
mod engine;
mod waivers;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::finding::{Finding, Label, Severity};
use crate::load::{
    self, FileLoad, LoadOptions, Loaded, LoadedRecord, Record, SourceFile, Span, Walked,
};
use crate::rules::{EngineRule, UNREADABLE};
use crate::rules::{Rule, RuleInfo, RuleSet};
use crate::text::{clip, MESSAGE_LIMIT};

pub use crate::rules::scope::{base_context, record_scope, Base, Engine, Scope};

#[derive(Clone, Copy, Debug)]
pub struct CheckOptions {
    pub today: NaiveDate,
    pub engine: Engine,
}

impl CheckOptions {
    /// Checking as of `today`, on the default engine.
    pub fn on(today: NaiveDate) -> CheckOptions {
        CheckOptions {
            today,
            engine: Engine::default(),
        }
    }
}

/// What a streaming check keeps: the files (text only where asked), the findings, and what
/// a report needs of the records.
#[derive(Debug, Default)]
pub struct Checked<K = LoadedRecord> {
    pub files: Vec<SourceFile>,
    pub records: usize,
    pub findings: Vec<Finding>,
    /// What `Keep::records` kept of each record, in path order.
    pub kept: Vec<K>,
    /// Every record checked, in file order, as `JUnit` lists them.
    pub seen: Vec<SeenRecord>,
    /// What is left of each record's results once its findings are taken: a long run has
    /// a hundred thousand, so they are freed with the rest, after the output is written.
    leftovers: Vec<Vec<Outcome<K>>>,
}

impl<K> Checked<K> {
    /// Every record's whole reference, in path order, whichever records were kept.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.leftovers
            .iter()
            .flatten()
            .filter_map(|outcome| outcome.key.reference.as_deref())
    }
}

/// What to keep of a record once its rules have run (and its waivers, if it has any, are
/// applied): `None` keeps nothing of it.
/// It is given the run's shared context too, for what needs expressions worked out on the
/// record (`mocheck due`).
pub type KeepRecord<'f, K> = dyn Fn(LoadedRecord, &Base) -> Option<K> + Sync + 'f;

/// What to keep beyond the findings.
pub struct Keep<'p, K = LoadedRecord> {
    /// Counts the files done, for a progress line.
    pub progress: Option<&'p std::sync::atomic::AtomicUsize>,
    /// What reports need of each record; `None` for none.
    pub records: Option<&'p KeepRecord<'p, K>>,
    /// Drop the findings of the records `records` does not keep, except MO090's, which
    /// say what could not be read: a draft on one record needs no other's.
    pub only_kept_findings: bool,
    /// The text of standard input, for source snippets: a file's text is read again when
    /// its findings are shown, but standard input cannot be.
    pub text: bool,
}

/// A record that was checked: where it starts and what it is called.
#[derive(Clone, Debug)]
pub struct SeenRecord {
    pub file: Arc<str>,
    pub reference: Option<Arc<str>>,
    /// The line its document starts on.
    pub line: u32,
}

/// The little a cross-record rule needs of a record once its tree is gone.
#[derive(Debug)]
struct RecordKey {
    file: Arc<str>,
    reference: Option<Arc<str>>,
    reference_span: Span,
    /// The line the record's document starts on.
    line: u32,
    checkable: bool,
}

/// One record's results before the cross-record rules and waivers.
#[derive(Debug)]
struct Outcome<K> {
    key: RecordKey,
    findings: Vec<Finding>,
    /// Kept whole when it has waivers: they are applied last. Boxed, as is `kept`: most
    /// records keep neither, and a long run holds a hundred thousand outcomes.
    record: Option<Box<LoadedRecord>>,
    /// What `Keep::records` keeps of it, once its waivers are applied.
    kept: Option<Box<K>>,
}

impl<K> Outcome<K> {
    /// Borrowed records (already loaded by the caller) are copied only if they have waivers
    /// or something is kept of them.
    fn new(
        loaded: Cow<'_, LoadedRecord>,
        reference: Option<Arc<str>>,
        checkable: bool,
        mut findings: Vec<Finding>,
        keep: Option<&KeepRecord<'_, K>>,
        context: &Base,
    ) -> Outcome<K> {
        // Sorted here, on the worker threads: records come in file order and each record's
        // findings lie within its own lines, so the run's findings usually need no sort at all.
        findings.sort_by(Finding::order);
        let record = &loaded.record;
        let key = RecordKey {
            file: loaded.file.clone(),
            reference,
            reference_span: record.locate("reference").0,
            line: record.span.line,
            checkable,
        };
        let (record, kept) = match keep {
            _ if record.get("waivers").is_some() => (Some(Box::new(loaded.into_owned())), None),
            Some(keep) => (None, keep(loaded.into_owned(), context).map(Box::new)),
            None => (None, None),
        };
        Outcome {
            key,
            findings,
            record,
            kept,
        }
    }
}

impl<K> Checked<K> {
    /// The records whose rules ran (readable, not withdrawn): each one's file and whole
    /// reference. A baseline judges its entries stale only on these.
    pub fn checked_records(&self) -> impl Iterator<Item = (&str, Option<&Arc<str>>)> {
        self.leftovers
            .iter()
            .flatten()
            .filter(|outcome| outcome.key.checkable)
            .map(|outcome| (&*outcome.key.file, outcome.key.reference.as_ref()))
    }
}

/// Loads one file, handing each record to the callback as it is built.
type LoadEach<'l> = dyn Fn(&mut dyn FnMut(LoadedRecord)) -> FileLoad + 'l;

/// Loads and checks every walked file (and standard input), keeping only what `keep` asks.
pub fn check_files<K: Send>(
    walked: &Walked,
    stdin: Option<&[u8]>,
    load_options: LoadOptions,
    ruleset: &RuleSet,
    options: CheckOptions,
    keep: &Keep<K>,
) -> Checked<K> {
    let active = ruleset.active_rules();
    // A file's text is read again when its findings are shown: holding every file's text
    // until the end of the run cost as much memory again as the check itself.
    let file_options = LoadOptions {
        keep_text: false,
        ..load_options
    };
    let stdin_options = LoadOptions {
        keep_text: keep.text,
        ..load_options
    };
    let count_file = || {
        if let Some(counter) = keep.progress {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    // Each record is checked as soon as it is built, while it is fresh in the cache, and
    // only its findings and key are kept.
    let check_file = |context: &mut Base, load: &LoadEach| {
        // Most files hold one record; these are kept to the end of the run, so no spare room.
        let mut outcomes: Vec<Outcome<K>> = Vec::with_capacity(1);
        let file = load(&mut |loaded| {
            outcomes.push(check_record(
                context,
                Cow::Owned(loaded),
                ruleset,
                &active,
                options,
                keep.records,
            ));
        });
        if keep.only_kept_findings {
            // A record with waivers is decided on once they are applied (see `finish`).
            let dropped =
                |outcome: &&mut Outcome<K>| outcome.kept.is_none() && outcome.record.is_none();
            for outcome in outcomes.iter_mut().filter(dropped) {
                outcome
                    .findings
                    .retain(|finding| &*finding.rule == UNREADABLE);
            }
        }
        outcomes.shrink_to_fit();
        let display: Arc<str> = file.source.display.as_str().into();
        let problems: Vec<Finding> = file
            .problems
            .iter()
            .map(|problem| engine::problem_finding(ruleset, &display, None, problem))
            .collect();
        let mut source = file.source;
        // Only standard input's text is kept, and only when it has something to show.
        let quiet = problems.is_empty()
            && outcomes.iter().all(|outcome| {
                outcome.findings.is_empty() && outcome.record.is_none() && outcome.kept.is_none()
            });
        if quiet {
            source.text = None;
        }
        (source, problems, outcomes)
    };
    let mut per_file: Vec<(SourceFile, Vec<Finding>, Vec<Outcome<K>>)> = walked
        .files
        .par_iter()
        .map_init(
            || base_context(&ruleset.helpers, ruleset, options.today, options.engine),
            |context, (display, path)| {
                count_file();
                check_file(context, &|on_record| {
                    load::load_file_each(display, path, file_options, on_record)
                })
            },
        )
        .collect();
    if let Some(bytes) = stdin {
        let mut context = base_context(&ruleset.helpers, ruleset, options.today, options.engine);
        per_file.push(check_file(&mut context, &|on_record| {
            load::load_stdin_each(bytes, stdin_options, on_record)
        }));
    }

    let mut file_findings = Vec::new();
    for (display, message) in &walked.errors {
        let problem = load::walk_problem(message.clone());
        file_findings.push(engine::problem_finding(
            ruleset,
            &display.as_str().into(),
            None,
            &problem,
        ));
    }
    let mut files = Vec::with_capacity(per_file.len());
    // Kept file by file: copying a hundred thousand outcomes into one list costs more than
    // walking the lists.
    let mut outcomes = Vec::with_capacity(per_file.len());
    for (source, problems, file_outcomes) in per_file {
        files.push(source);
        file_findings.extend(problems);
        outcomes.push(file_outcomes);
    }
    let records = outcomes.iter().map(Vec::len).sum();
    let seen = seen_records(&outcomes);
    let (findings, kept, leftovers) = finish(file_findings, outcomes, ruleset, options.today, keep);
    Checked {
        files,
        records,
        findings,
        kept,
        seen,
        leftovers,
    }
}

fn seen_records<K>(outcomes: &[Vec<Outcome<K>>]) -> Vec<SeenRecord> {
    outcomes
        .iter()
        .flatten()
        .map(|outcome| SeenRecord {
            file: outcome.key.file.clone(),
            reference: outcome.key.reference.as_ref().map(Finding::shown_reference),
            line: outcome.key.line,
        })
        .collect()
}

/// Checks records already loaded (for reports and tests): the same rules, the same order.
pub fn check(loaded: &Loaded, ruleset: &RuleSet, options: CheckOptions) -> Vec<Finding> {
    let active = ruleset.active_rules();
    let outcomes: Vec<Outcome<()>> = loaded
        .records
        .par_iter()
        .map_init(
            || base_context(&ruleset.helpers, ruleset, options.today, options.engine),
            |context, record| {
                check_record(
                    context,
                    Cow::Borrowed(record),
                    ruleset,
                    &active,
                    options,
                    None,
                )
            },
        )
        .collect();
    let file_findings = loaded
        .file_problems
        .iter()
        .map(|(file, problem)| engine::problem_finding(ruleset, file, None, problem))
        .collect();
    let keep = Keep {
        progress: None,
        records: None,
        only_kept_findings: false,
        text: false,
    };
    finish(file_findings, vec![outcomes], ruleset, options.today, &keep).0
}

/// The rules that need every record: duplicate references, then waivers; then the order.
/// Returns the findings, the records `keep` asks for (moved rather than copied), and what
/// is left of the outcomes.
#[allow(clippy::type_complexity)]
fn finish<K>(
    mut findings: Vec<Finding>,
    mut outcomes: Vec<Vec<Outcome<K>>>,
    ruleset: &RuleSet,
    today: NaiveDate,
    keep: &Keep<K>,
) -> (Vec<Finding>, Vec<K>, Vec<Vec<Outcome<K>>>) {
    duplicate_references(&mut outcomes, ruleset);
    // Sized once: a long run has tens of thousands of findings.
    findings.reserve(
        outcomes
            .iter()
            .flatten()
            .map(|outcome| outcome.findings.len())
            .sum::<usize>(),
    );
    let mut kept = Vec::new();
    // Records with waivers are finished here, one at a time, so one context serves them.
    let context = keep.records.map(|_| {
        base_context(
            &ruleset.helpers,
            ruleset,
            today,
            crate::rules::scope::Engine::Compiled,
        )
    });
    for outcome in outcomes.iter_mut().flatten() {
        if let Some(loaded) = outcome.record.take() {
            waivers::apply(
                &loaded.record,
                &loaded.file,
                ruleset,
                today,
                &mut outcome.findings,
            );
            outcome.findings.sort_by(Finding::order);
            outcome.kept = keep
                .records
                .zip(context.as_ref())
                .and_then(|(keep, context)| keep(*loaded, context))
                .map(Box::new);
            if keep.only_kept_findings && outcome.kept.is_none() {
                outcome
                    .findings
                    .retain(|finding| &*finding.rule == UNREADABLE);
            }
        }
        findings.append(&mut outcome.findings);
        kept.extend(outcome.kept.take().map(|kept| *kept));
    }
    if !ruleset.inactive.is_empty() {
        findings.retain(|finding| {
            ruleset.is_active(&finding.rule) || ruleset.info(&finding.rule).is_none()
        });
    }
    // The same order a sort of everything would give, stable included (see `Outcome::new`):
    // sort only when the file-level findings or an unusual file break it.
    if !findings.is_sorted_by(|a, b| a.order(b).is_le()) {
        findings.par_sort_by(Finding::order);
    }
    (findings, kept, outcomes)
}

/// MO092: a reference used again, reported on every record after the first in path order.
/// The outcomes come file by file, in path order.
fn duplicate_references<K>(outcomes: &mut [Vec<Outcome<K>>], ruleset: &RuleSet) {
    // First find the repeats, borrowing the references; then write their findings.
    let count = outcomes.iter().map(Vec::len).sum();
    let mut first_seen: HashMap<&str, (usize, usize), fnv::FnvBuildHasher> =
        HashMap::with_capacity_and_hasher(count, BuildHasherDefault::default());
    let mut repeats = Vec::new();
    let numbered = outcomes.iter().enumerate().flat_map(|(file, outcomes)| {
        (0..outcomes.len())
            .zip(outcomes)
            .map(move |(index, outcome)| ((file, index), outcome))
    });
    for (index, outcome) in numbered {
        let key = &outcome.key;
        let (true, Some(reference)) = (key.checkable, &key.reference) else {
            continue;
        };
        match first_seen.get(&**reference) {
            Some(first) => repeats.push((index, *first)),
            None => {
                first_seen.insert(reference, index);
            }
        }
    }
    if repeats.is_empty() {
        return;
    }
    for (index, first) in repeats {
        let (first_file, first_span) = {
            let first = &outcomes[first.0][first.1].key;
            (first.file.clone(), first.reference_span)
        };
        let outcome = &mut outcomes[index.0][index.1];
        let key = &outcome.key;
        let reference = Finding::shown_reference(&key.reference.clone().unwrap_or_default());
        let mut labels = vec![Label {
            span: key.reference_span,
            text: "used again here".to_string(),
        }];
        if first_file == key.file {
            labels.push(Label {
                span: first_span,
                text: "first used here".to_string(),
            });
        }
        let message = format!(
            "the reference `{reference}` is already used by the record at {first_file}:{}; each decision needs its own reference",
            first_span.line
        );
        let finding = EngineFinding {
            rule: EngineRule::DuplicateReference,
            place: Place {
                file: key.file.clone(),
                record: Some(reference),
                path: "reference".to_string(),
                span: key.reference_span,
            },
            message,
            labels,
        }
        .finding(ruleset);
        outcome.findings.push(finding);
        outcome.findings.sort_by(Finding::order);
    }
}

/// One record checked: reading problems, then the data rules and the engine's per-record
/// rules, with what the cross-record rules and waivers will need (waivers come later).
fn check_record<K>(
    context: &Base,
    loaded: Cow<'_, LoadedRecord>,
    ruleset: &RuleSet,
    active: &[&Rule],
    options: CheckOptions,
    keep: Option<&KeepRecord<'_, K>>,
) -> Outcome<K> {
    let record = &loaded.record;
    // Shared by the record's findings and its key rather than copied into each. The key
    // keeps it whole, so that MO092 compares whole references; findings show it clipped.
    let whole: Option<Arc<str>> = record.reference().map(Arc::from);
    let reference = whole.as_ref().map(Finding::shown_reference);
    let checkable = loaded.readable() && record.status() != Some("withdrawn");
    let mut findings: Vec<Finding> = loaded
        .problems
        .iter()
        .map(|problem| engine::problem_finding(ruleset, &loaded.file, reference.clone(), problem))
        .collect();
    if checkable {
        // A decided record with no date: the rules that compare dates would compare with
        // today, so they are not run, and MO099 names them.
        let undated = record.status() == Some("decided") && record.get("decided_on").is_none();
        let (unchecked, runnable): (Vec<&Rule>, Vec<&Rule>) = active
            .iter()
            .partition(|rule| undated && rule.reads_decision_date);
        let unchecked: Vec<&str> = unchecked.iter().map(|rule| &*rule.info.id).collect();
        // A record of several kinds is checked as each; a rule reports once, for the first
        // kind it fails on.
        let views = record.by_type();
        let several = views.len() > 1;
        for view in &views {
            let scope = record_scope(context, view);
            for rule in &runnable {
                if several && findings.iter().any(|found| found.rule == rule.info.id) {
                    continue;
                }
                if let Some(finding) =
                    evaluate(rule, &scope, view, &loaded.file, reference.as_ref())
                {
                    findings.push(finding);
                }
            }
        }
        if undated {
            engine::undated_decision(record, &loaded.file, ruleset, &unchecked, &mut findings);
        }
        if record.reference().is_none() {
            engine::missing_reference(record, &loaded.file, ruleset, &mut findings);
        }
        engine::reference_format(record, &loaded.file, ruleset, &mut findings);
        engine::future_dates(record, &loaded.file, ruleset, options.today, &mut findings);
    }
    Outcome::new(loaded, whole, checkable, findings, keep, context)
}

/// Runs one rule on one record: `None` when it does not apply or the record complies. An
/// expression that fails is a finding of its own, never a pass.
pub fn evaluate(
    rule: &Rule,
    scope: &Scope,
    record: &Record,
    file: &Arc<str>,
    reference: Option<&Arc<str>>,
) -> Option<Finding> {
    let outcome = (|| -> Result<Option<String>, String> {
        if let Some(when) = &rule.when {
            if !when.holds_for(scope)? {
                return Ok(None);
            }
        }
        if rule.check.holds_for(scope)? {
            return Ok(None);
        }
        rule.message.render(scope).map(Some)
    })();
    let (message, severity) = match outcome {
        Ok(None) => return None,
        Ok(Some(message)) => (message, rule.info.severity),
        Err(error) => (
            format!("this rule could not be checked on this record, so the record is not shown to comply: {error}; the rules file needs correcting"),
            Severity::Error,
        ),
    };
    let mut labels = Vec::with_capacity(rule.at.len());
    let mut primary_path = String::new();
    let mut primary = record.span;
    for (index, template) in rule.at.iter().enumerate() {
        let path = template
            .render(scope)
            .unwrap_or_else(|_| template.source.clone());
        let (span, exact) = record.locate(&path);
        let text = rule.labels.get(index).cloned().unwrap_or_else(|| {
            if index == 0 {
                "here".to_string()
            } else {
                path.clone()
            }
        });
        if index == 0 {
            primary_path = path;
            primary = span;
            labels.push(Label { span, text });
        } else if exact && span != primary {
            labels.push(Label { span, text });
        }
    }
    let mut finding = new_finding(
        &rule.info,
        severity,
        Place {
            file: file.clone(),
            record: reference.cloned(),
            path: primary_path,
            span: primary,
        },
        message,
        labels,
    );
    if !rule.finding_basis.is_empty() {
        // A template that cannot be rendered falls back to the rule's whole basis: a finding
        // always cites something.
        let cited: Result<Vec<String>, String> = rule
            .finding_basis
            .iter()
            .map(|template| template.render(scope))
            .collect();
        if let Ok(cited) = cited {
            let cited: Vec<String> = cited.into_iter().filter(|text| !text.is_empty()).collect();
            if !cited.is_empty() {
                finding.basis = cited.into();
            }
        }
    }
    Some(finding)
}

/// Where a finding is: the file, the record it is about (by reference; `None` for a record
/// with none, known by its file), the field's path and its place in the file.
pub(crate) struct Place {
    pub file: Arc<str>,
    pub record: Option<Arc<str>>,
    pub path: String,
    pub span: Span,
}

/// What one of the engine's own checks found; `finding` adds the rule's description.
pub(crate) struct EngineFinding {
    pub rule: EngineRule,
    pub place: Place,
    pub message: String,
    pub labels: Vec<Label>,
}

impl EngineFinding {
    pub(crate) fn finding(self, ruleset: &RuleSet) -> Finding {
        let info = ruleset.engine_info(self.rule);
        new_finding(info, info.severity, self.place, self.message, self.labels)
    }
}

/// A finding of rule `info` at `place`.
pub(crate) fn new_finding(
    info: &RuleInfo,
    severity: Severity,
    place: Place,
    message: String,
    labels: Vec<Label>,
) -> Finding {
    let Place {
        file,
        record,
        path,
        span,
    } = place;
    // Messages and paths can repeat record keys of any length: each finding keeps a bounded
    // amount of text whatever the record holds.
    let message = match clip(&message, MESSAGE_LIMIT) {
        Cow::Borrowed(_) => message,
        Cow::Owned(clipped) => clipped,
    };
    let path = match clip(&path, MESSAGE_LIMIT) {
        Cow::Borrowed(_) => path,
        Cow::Owned(clipped) => clipped,
    };
    Finding {
        rule: info.id.clone(),
        name: info.name.clone(),
        severity,
        kind: info.kind,
        waived: false,
        waiver: None,
        baselined: false,
        baseline: None,
        record,
        file,
        line: span.line,
        column: span.column,
        path,
        message,
        help: info.help.clone(),
        basis: info.basis.clone(),
        labels,
    }
}
