//! Checking: records x ruleset -> sorted findings. No I/O, no rendering, no progress: the
//! caller loads the records and hands each to a [`Checker`] as it is built (on as many
//! threads as it likes), so a record's tree is dropped once its rules have run; then
//! [`Checker::finish`] runs the cross-record rules (MO092) and waivers on what is kept.

pub mod baseline;
mod engine;
mod evaluate;
mod waivers;

use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::finding::Finding;
use crate::load::{Loaded, LoadedRecord, Problem, SourceFile, Span};
use crate::rules::{Rule, RuleSet, UNREADABLE};

pub use crate::rules::scope::{base_context, record_scope, Base, Engine, Scope};
pub use evaluate::evaluate;
pub(crate) use evaluate::{EngineFinding, Place};

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

/// What a check keeps: the files, the findings, and what a report needs of the records.
#[derive(Debug, Default)]
pub struct Checked<K = LoadedRecord> {
    /// The files the records came from, as the caller loaded them: passed on to the reports.
    pub files: Vec<SourceFile>,
    pub records: usize,
    pub findings: Vec<Finding>,
    /// What `Keep::records` kept of each record, in path order.
    pub kept: Vec<K>,
    /// Every record checked, in file order, whichever were kept: `JUnit` gives each one a
    /// test case, a baseline judges its entries stale only on the checkable ones, and
    /// `report --decision` suggests a reference from them.
    pub seen: Vec<SeenRecord>,
}

impl<K> Checked<K> {
    /// Every record's whole reference, in path order, whichever records were kept.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.seen
            .iter()
            .filter_map(|record| record.reference.as_deref())
    }

    /// The records whose rules ran (readable, not withdrawn): each one's file and whole
    /// reference. A baseline judges its entries stale only on these.
    pub fn checked_records(&self) -> impl Iterator<Item = (&str, Option<&Arc<str>>)> {
        self.seen
            .iter()
            .filter(|record| record.checkable)
            .map(|record| (&*record.file, record.reference.as_ref()))
    }
}

/// What to keep of a record once its rules have run (and its waivers, if it has any, are
/// applied): `None` keeps nothing of it.
/// It is given the run's shared context too, for what needs expressions worked out on the
/// record (`mocheck due`).
pub type KeepRecord<'f, K> = dyn Fn(LoadedRecord, &Base) -> Option<K> + Sync + 'f;

/// What to keep beyond the findings.
pub struct Keep<'p, K = LoadedRecord> {
    /// What reports need of each record; `None` for none.
    pub records: Option<&'p KeepRecord<'p, K>>,
    /// Drop the findings of the records `records` does not keep, except MO090's, which
    /// say what could not be read: a draft on one record needs no other's.
    pub only_kept_findings: bool,
}

impl<K> Keep<'_, K> {
    /// The findings and nothing more.
    pub fn nothing() -> Self {
        Keep {
            records: None,
            only_kept_findings: false,
        }
    }
}

/// A record that was checked: where it starts, what it is called, whether its rules ran.
#[derive(Clone, Debug)]
pub struct SeenRecord {
    pub file: Arc<str>,
    /// The whole reference, which MO092 compares; findings show it clipped.
    pub reference: Option<Arc<str>>,
    /// The line its document starts on.
    pub line: u32,
    /// Readable and not withdrawn, so its rules ran.
    pub checkable: bool,
}

/// One record's results before the cross-record rules and waivers: what
/// [`Checker::record`] gives and [`Checker::finish`] takes.
#[derive(Debug)]
pub struct Outcome<K> {
    seen: SeenRecord,
    /// Where its reference is, for MO092's labels.
    reference_span: Span,
    findings: Vec<Finding>,
    /// Kept whole when it has waivers: they are applied last. Boxed, as is `kept`: most
    /// records keep neither, and a long run holds a hundred thousand outcomes.
    record: Option<Box<LoadedRecord>>,
    /// What `Keep::records` keeps of it, once its waivers are applied.
    kept: Option<Box<K>>,
}

/// Checks records one at a time, on as many threads as the caller runs, then finishes the
/// run with the rules that need every record. It never loads anything: records, and the
/// problems of files that gave none, are handed to it.
pub struct Checker<'r, K = LoadedRecord> {
    ruleset: &'r RuleSet,
    /// The rules that run, found once rather than per record.
    active: Vec<&'r Rule>,
    options: CheckOptions,
    keep: Keep<'r, K>,
}

impl<'r, K> Checker<'r, K> {
    pub fn new(ruleset: &'r RuleSet, options: CheckOptions, keep: Keep<'r, K>) -> Self {
        Checker {
            ruleset,
            active: ruleset.active_rules(),
            options,
            keep,
        }
    }

    /// The context a worker thread passes to [`Checker::record`]: what every record's
    /// expressions share (parameters, today, helpers), built once per thread, not per record.
    pub fn worker(&self) -> Base<'r> {
        base_context(
            &self.ruleset.helpers,
            self.ruleset,
            self.options.today,
            self.options.engine,
        )
    }

    /// A problem of a file rather than of a record (it could not be read, a document in it
    /// is not YAML, the walk could not enter it) as its finding.
    pub fn problem(&self, file: &Arc<str>, problem: &Problem) -> Finding {
        engine::problem_finding(self.ruleset, file, None, problem)
    }

    /// One record checked: reading problems, then the data rules and the engine's per-record
    /// rules, with what the cross-record rules and waivers will need (waivers come later).
    /// The record is dropped here unless it has waivers or `Keep::records` keeps something.
    pub fn record(&self, worker: &Base, loaded: LoadedRecord) -> Outcome<K> {
        let ruleset = self.ruleset;
        let record = &loaded.record;
        // Shared by the record's findings and its key rather than copied into each. The key
        // keeps it whole, so that MO092 compares whole references; findings show it clipped.
        let whole: Option<Arc<str>> = record.reference().map(Arc::from);
        let reference = whole.as_ref().map(Finding::shown_reference);
        let checkable = loaded.readable() && record.status() != Some("withdrawn");
        let mut findings: Vec<Finding> = loaded
            .problems
            .iter()
            .map(|problem| {
                engine::problem_finding(ruleset, &loaded.file, reference.clone(), problem)
            })
            .collect();
        if checkable {
            // A decided record with no date: the rules that compare dates would compare with
            // today, so they are not run, and MO099 names them.
            let undated = record.status() == Some("decided") && record.get("decided_on").is_none();
            let (unchecked, runnable): (Vec<&Rule>, Vec<&Rule>) = self
                .active
                .iter()
                .partition(|rule| undated && rule.reads_decision_date);
            let unchecked: Vec<&str> = unchecked.iter().map(|rule| &*rule.info.id).collect();
            // A record of several kinds is checked as each; a rule reports once, for the
            // first kind it fails on.
            let views = record.by_type();
            let several = views.len() > 1;
            for view in &views {
                let scope = record_scope(worker, view);
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
            engine::future_dates(
                record,
                &loaded.file,
                ruleset,
                self.options.today,
                &mut findings,
            );
        }
        // Sorted here, on the worker threads: records come in file order and each record's
        // findings lie within its own lines, so the run's findings usually need no sort.
        findings.sort_by(Finding::order);
        let seen = SeenRecord {
            file: loaded.file.clone(),
            reference: whole,
            line: record.span.line,
            checkable,
        };
        let reference_span = record.locate("reference").0;
        let (record, kept) = match self.keep.records {
            _ if record.get("waivers").is_some() => (Some(Box::new(loaded)), None),
            Some(keep) => (None, keep(loaded, worker).map(Box::new)),
            None => (None, None),
        };
        if self.keep.only_kept_findings && record.is_none() && kept.is_none() {
            // A record with waivers is decided on once they are applied (see `finish`).
            findings.retain(|finding| &*finding.rule == UNREADABLE);
        }
        Outcome {
            seen,
            reference_span,
            findings,
            record,
            kept,
        }
    }

    /// The rules that need every record: duplicate references, then waivers; then the
    /// order. `files` are passed on to the reports; `findings` are the files' own (see
    /// [`Checker::problem`]); `outcomes` come file by file, in path order (kept so:
    /// copying a hundred thousand outcomes into one list costs more than walking the lists).
    pub fn finish(
        &self,
        files: Vec<SourceFile>,
        mut findings: Vec<Finding>,
        mut outcomes: Vec<Vec<Outcome<K>>>,
    ) -> Checked<K> {
        let ruleset = self.ruleset;
        engine::duplicate_references(&mut outcomes, ruleset);
        let records = outcomes.iter().map(Vec::len).sum();
        // Sized once: a long run has tens of thousands of findings.
        findings.reserve(
            outcomes
                .iter()
                .flatten()
                .map(|outcome| outcome.findings.len())
                .sum::<usize>(),
        );
        let mut kept = Vec::new();
        let mut seen = Vec::with_capacity(records);
        // Records with waivers are finished here, one at a time, so one context serves them.
        let context = self.keep.records.map(|_| {
            base_context(
                &ruleset.helpers,
                ruleset,
                self.options.today,
                Engine::Compiled,
            )
        });
        for mut outcome in outcomes.into_iter().flatten() {
            if let Some(loaded) = outcome.record.take() {
                waivers::apply(
                    &loaded.record,
                    &loaded.file,
                    ruleset,
                    self.options.today,
                    &mut outcome.findings,
                );
                outcome.findings.sort_by(Finding::order);
                outcome.kept = self
                    .keep
                    .records
                    .zip(context.as_ref())
                    .and_then(|(keep, context)| keep(*loaded, context))
                    .map(Box::new);
                if self.keep.only_kept_findings && outcome.kept.is_none() {
                    outcome
                        .findings
                        .retain(|finding| &*finding.rule == UNREADABLE);
                }
            }
            findings.append(&mut outcome.findings);
            kept.extend(outcome.kept.map(|kept| *kept));
            seen.push(outcome.seen);
        }
        if !ruleset.inactive.is_empty() {
            findings.retain(|finding| {
                ruleset.is_active(&finding.rule) || ruleset.info(&finding.rule).is_none()
            });
        }
        // The same order a sort of everything would give, stable included (see `record`):
        // sort only when the file-level findings or an unusual file break it.
        if !findings.is_sorted_by(|a, b| a.order(b).is_le()) {
            findings.par_sort_by(Finding::order);
        }
        Checked {
            files,
            records,
            findings,
            kept,
            seen,
        }
    }
}

/// Checks records already loaded (for the library and the tests) as the binary checks the
/// records it loads: the same [`Checker`], the same order.
pub fn check(loaded: Loaded, ruleset: &RuleSet, options: CheckOptions) -> Checked {
    let checker = Checker::new(ruleset, options, Keep::nothing());
    let outcomes: Vec<Outcome<LoadedRecord>> = loaded
        .records
        .into_par_iter()
        .map_init(
            || checker.worker(),
            |worker, record| checker.record(worker, record),
        )
        .collect();
    let problems = loaded
        .file_problems
        .iter()
        .map(|(file, problem)| checker.problem(file, problem))
        .collect();
    checker.finish(loaded.files, problems, vec![outcomes])
}
