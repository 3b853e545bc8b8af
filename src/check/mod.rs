//! Checking: records x ruleset -> sorted findings. No rendering here. Files are loaded and
//! checked in parallel, one file at a time per worker, so a record's tree is dropped as soon
//! as its rules have run; cross-record rules (MO092) and waivers run after, on what is kept.

mod engine;
mod values;
mod waivers;

use std::borrow::Cow;
use std::sync::Arc;

use cel::Context;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::finding::{Finding, Label, Severity};
use crate::load::{
    self, FileLoad, LoadOptions, Loaded, LoadedRecord, Record, SourceFile, Span, Walked,
};
use crate::rules::expr::{root_context, timestamp, HelperData};
use crate::rules::{Rule, RuleInfo, RuleSet};

pub use values::record_value;

#[derive(Clone, Copy, Debug)]
pub struct CheckOptions {
    pub today: NaiveDate,
}

/// What a streaming check keeps: the files (text only where asked), the findings, and the
/// records when a report needs them.
#[derive(Debug, Default)]
pub struct Checked {
    pub files: Vec<SourceFile>,
    pub records: usize,
    pub findings: Vec<Finding>,
    pub kept: Vec<LoadedRecord>,
}

/// What to keep beyond the findings.
#[derive(Clone, Copy, Debug, Default)]
pub struct Keep<'p> {
    /// Counts the files done, for a progress line.
    pub progress: Option<&'p std::sync::atomic::AtomicUsize>,
    /// Every record, for reports.
    pub records: bool,
    /// The text of the files with findings, for source snippets; no text otherwise.
    pub text: bool,
}

/// The little a cross-record rule needs of a record once its tree is gone.
struct RecordKey {
    file: Arc<str>,
    reference: Option<String>,
    reference_span: Span,
    checkable: bool,
}

/// One record's results before the cross-record rules and waivers.
struct Outcome {
    key: RecordKey,
    findings: Vec<Finding>,
    /// Kept when it has waivers (they are applied last) or when asked to keep records.
    record: Option<LoadedRecord>,
}

impl Outcome {
    /// Borrowed records (already loaded by the caller) are copied only if they have waivers.
    fn new(loaded: Cow<'_, LoadedRecord>, findings: Vec<Finding>, keep_record: bool) -> Outcome {
        let record = &loaded.record;
        let key = RecordKey {
            file: loaded.file.clone(),
            reference: record.reference().map(str::to_string),
            reference_span: record.locate("reference").0,
            checkable: loaded.readable() && record.status() != Some("withdrawn"),
        };
        let has_waivers = record.get("waivers").is_some();
        Outcome {
            key,
            findings,
            record: (keep_record || has_waivers).then(|| loaded.into_owned()),
        }
    }
}

/// Loads and checks every walked file (and standard input), keeping only what `keep` asks.
pub fn check_files(
    walked: &Walked,
    stdin: Option<&[u8]>,
    load_options: LoadOptions,
    ruleset: &RuleSet,
    options: CheckOptions,
    keep: Keep,
) -> Checked {
    let active = ruleset.active_rules();
    let count_file = || {
        if let Some(counter) = keep.progress {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let check_file = |context: &mut Context<'static, 'static>, file: FileLoad| {
        let display: Arc<str> = file.source.display.as_str().into();
        let problems: Vec<Finding> = file
            .problems
            .iter()
            .map(|problem| engine::problem_finding(ruleset, &display, None, problem))
            .collect();
        let outcomes: Vec<Outcome> = file
            .records
            .into_iter()
            .map(|loaded| {
                let findings = check_record(context, &loaded, ruleset, &active, options);
                Outcome::new(Cow::Owned(loaded), findings, keep.records)
            })
            .collect();
        let mut source = file.source;
        let quiet = problems.is_empty()
            && outcomes
                .iter()
                .all(|outcome| outcome.findings.is_empty() && outcome.record.is_none());
        if quiet || !keep.text {
            // Most files have nothing to show: drop their text now rather than hold every
            // file in memory until the run ends.
            source.text = None;
        }
        (source, problems, outcomes)
    };
    let mut per_file: Vec<(SourceFile, Vec<Finding>, Vec<Outcome>)> = walked
        .files
        .par_iter()
        .map_init(
            || base_context(&ruleset.helpers, ruleset, options.today),
            |context, (display, path)| {
                count_file();
                check_file(context, load::load_file(display, path, load_options))
            },
        )
        .collect();
    if let Some(bytes) = stdin {
        let mut context = base_context(&ruleset.helpers, ruleset, options.today);
        per_file.push(check_file(
            &mut context,
            load::load_stdin(bytes, load_options),
        ));
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
    let mut outcomes = Vec::new();
    for (source, problems, file_outcomes) in per_file {
        files.push(source);
        file_findings.extend(problems);
        outcomes.extend(file_outcomes);
    }
    let records = outcomes.len();
    let (findings, kept) = finish(
        file_findings,
        outcomes,
        ruleset,
        options.today,
        keep.records,
    );
    if keep.text {
        restore_text(&mut files, &findings);
    }
    Checked {
        files,
        records,
        findings,
        kept,
    }
}

/// A file dropped early can still receive a cross-record finding (MO092): read it again so
/// its finding gets a snippet like any other.
fn restore_text(files: &mut [SourceFile], findings: &[Finding]) {
    let needed: std::collections::HashSet<&str> =
        findings.iter().map(|finding| &*finding.file).collect();
    for file in files
        .iter_mut()
        .filter(|file| file.text.is_none() && needed.contains(file.display.as_str()))
    {
        file.text = std::fs::read_to_string(&file.path).ok().map(Arc::from);
    }
}

/// Checks records already loaded (for reports and tests): the same rules, the same order.
pub fn check(loaded: &Loaded, ruleset: &RuleSet, options: CheckOptions) -> Vec<Finding> {
    let active = ruleset.active_rules();
    let outcomes: Vec<Outcome> = loaded
        .records
        .par_iter()
        .map_init(
            || base_context(&ruleset.helpers, ruleset, options.today),
            |context, record| {
                Outcome::new(
                    Cow::Borrowed(record),
                    check_record(context, record, ruleset, &active, options),
                    false,
                )
            },
        )
        .collect();
    let file_findings = loaded
        .file_problems
        .iter()
        .map(|(file, problem)| engine::problem_finding(ruleset, file, None, problem))
        .collect();
    finish(file_findings, outcomes, ruleset, options.today, false).0
}

/// The rules that need every record: duplicate references, then waivers; then the order.
/// Returns the findings and, when `keep_records`, the records, moved rather than copied.
fn finish(
    mut findings: Vec<Finding>,
    mut outcomes: Vec<Outcome>,
    ruleset: &RuleSet,
    today: NaiveDate,
    keep_records: bool,
) -> (Vec<Finding>, Vec<LoadedRecord>) {
    duplicate_references(&mut outcomes, ruleset);
    let mut kept = Vec::new();
    for outcome in &mut outcomes {
        if let Some(loaded) = &outcome.record {
            waivers::apply(
                &loaded.record,
                &loaded.file,
                ruleset,
                today,
                &mut outcome.findings,
            );
        }
        findings.append(&mut outcome.findings);
        if keep_records {
            kept.extend(outcome.record.take());
        }
    }
    findings.retain(|finding| {
        ruleset.is_active(&finding.rule) || ruleset.info(&finding.rule).is_none()
    });
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    (findings, kept)
}

/// MO092: a reference used again, reported on every record after the first in path order.
fn duplicate_references(outcomes: &mut [Outcome], ruleset: &RuleSet) {
    let info = engine::engine_info(ruleset, "MO092", "duplicate-reference");
    let mut first_seen: std::collections::HashMap<String, (Arc<str>, Span)> =
        std::collections::HashMap::new();
    for outcome in outcomes.iter_mut() {
        let key = &outcome.key;
        let (true, Some(reference)) = (key.checkable, &key.reference) else {
            continue;
        };
        let Some((first_file, first_span)) = first_seen.get(reference) else {
            first_seen.insert(reference.clone(), (key.file.clone(), key.reference_span));
            continue;
        };
        let mut labels = vec![Label {
            span: key.reference_span,
            text: "used again here".to_string(),
        }];
        if *first_file == key.file {
            labels.push(Label {
                span: *first_span,
                text: "first used here".to_string(),
            });
        }
        let message = format!(
            "the reference `{reference}` is already used by the record at {first_file}:{}; each decision needs its own reference",
            first_span.line
        );
        let finding = new_finding(
            &info,
            info.severity,
            &key.file,
            Some(reference.clone()),
            "reference".to_string(),
            key.reference_span,
            message,
            labels,
        );
        outcome.findings.push(finding);
    }
}

/// The findings of one record before waivers: reading problems, then the data rules and the
/// engine's per-record rules.
fn check_record(
    context: &Context<'static, 'static>,
    loaded: &LoadedRecord,
    ruleset: &RuleSet,
    active: &[&Rule],
    options: CheckOptions,
) -> Vec<Finding> {
    let record = &loaded.record;
    let reference = record.reference().map(str::to_string);
    let mut findings: Vec<Finding> = loaded
        .problems
        .iter()
        .map(|problem| engine::problem_finding(ruleset, &loaded.file, reference.clone(), problem))
        .collect();
    if !loaded.readable() || record.status() == Some("withdrawn") {
        return findings;
    }
    let scope = record_scope(context, record, options.today);
    for rule in active {
        if let Some(finding) = evaluate(rule, &scope, record, &loaded.file, reference.as_ref()) {
            findings.push(finding);
        }
    }
    engine::reference_format(record, &loaded.file, ruleset, &mut findings);
    engine::future_dates(record, &loaded.file, ruleset, options.today, &mut findings);
    findings
}

/// The context every record of a run shares: the helpers, the parameters and today. Built
/// once per worker thread, since contexts cannot cross threads.
pub fn base_context(
    helpers: &Arc<HelperData>,
    ruleset: &RuleSet,
    today: NaiveDate,
) -> Context<'static, 'static> {
    let mut context = root_context(helpers);
    context.add_variable_from_value("params", ruleset.params_value.clone());
    context.add_variable_from_value("today", timestamp(today));
    context
}

/// The variables one record's rules see, over the base context.
pub fn record_scope<'c>(
    context: &'c Context<'static, 'static>,
    record: &Record,
    today: NaiveDate,
) -> Context<'c, 'static> {
    let mut scope = context.new_inner_scope();
    let decision_date = if record.status() == Some("decided") {
        record.day("decided_on").map_or(today, |day| day.date)
    } else {
        today
    };
    scope.add_variable_as_val("record", record_value(record));
    scope.add_variable_from_value("decision_date", timestamp(decision_date));
    scope
}

/// Runs one rule on one record: `None` when it does not apply or the record complies. An
/// expression that fails is a finding of its own, never a pass.
pub fn evaluate(
    rule: &Rule,
    scope: &Context,
    record: &Record,
    file: &Arc<str>,
    reference: Option<&String>,
) -> Option<Finding> {
    if !rule.guards.iter().all(|guard| guard.allows(record)) {
        return None;
    }
    let outcome = (|| -> Result<Option<String>, String> {
        if let Some(when) = &rule.when {
            if !when.holds(scope)? {
                return Ok(None);
            }
        }
        if rule.check.holds(scope)? {
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
    let mut labels = Vec::new();
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
    Some(new_finding(
        &rule.info,
        severity,
        file,
        reference.cloned(),
        primary_path,
        primary,
        message,
        labels,
    ))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn new_finding(
    info: &RuleInfo,
    severity: Severity,
    file: &Arc<str>,
    record: Option<String>,
    path: String,
    span: Span,
    message: String,
    labels: Vec<Label>,
) -> Finding {
    Finding {
        rule: info.id.clone(),
        name: info.name.clone(),
        severity,
        waived: false,
        waiver: None,
        record,
        file: file.clone(),
        line: span.line,
        column: span.column,
        path,
        message,
        help: info.help.clone(),
        basis: info.basis.clone(),
        labels,
    }
}
