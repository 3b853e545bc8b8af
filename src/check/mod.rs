//! Checking: records x ruleset -> sorted findings. No I/O and no rendering here. Rules run
//! in parallel over records; cross-record rules (MO092) and waivers run after.

mod engine;
mod values;
mod waivers;

use std::sync::Arc;

use cel::Context;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::finding::{Finding, Label, Severity};
use crate::load::{Loaded, LoadedRecord, Record, Span};
use crate::rules::expr::{root_context, timestamp, HelperData};
use crate::rules::{Rule, RuleInfo, RuleSet};

pub use values::record_value;

#[derive(Clone, Copy, Debug)]
pub struct CheckOptions {
    pub today: NaiveDate,
}

/// Runs every active rule over every record and returns the findings sorted.
pub fn check(loaded: &Loaded, ruleset: &RuleSet, options: CheckOptions) -> Vec<Finding> {
    let mut per_record: Vec<Vec<Finding>> = loaded
        .records
        .par_iter()
        .map_init(
            || base_context(&ruleset.helpers, ruleset, options.today),
            |context, loaded_record| check_record(context, loaded_record, ruleset, options),
        )
        .collect();
    engine::duplicate_references(&loaded.records, ruleset, &mut per_record);
    let mut findings: Vec<Finding> = loaded
        .file_problems
        .iter()
        .filter_map(|(file, problem)| engine::problem_finding(ruleset, file, None, problem))
        .collect();
    for (loaded_record, mut record_findings) in loaded.records.iter().zip(per_record) {
        waivers::apply(
            &loaded_record.record,
            &loaded_record.file,
            ruleset,
            options.today,
            &mut record_findings,
        );
        findings.append(&mut record_findings);
    }
    findings.retain(|finding| {
        ruleset.is_active(&finding.rule) || ruleset.info(&finding.rule).is_none()
    });
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// The findings of one record before waivers: reading problems, then the data rules and the
/// engine's per-record rules.
fn check_record(
    context: &Context<'static, 'static>,
    loaded: &LoadedRecord,
    ruleset: &RuleSet,
    options: CheckOptions,
) -> Vec<Finding> {
    let record = &loaded.record;
    let reference = record.reference().map(str::to_string);
    let mut findings: Vec<Finding> = loaded
        .problems
        .iter()
        .filter_map(|problem| {
            engine::problem_finding(ruleset, &loaded.file, reference.clone(), problem)
        })
        .collect();
    if !loaded.readable() || record.status() == Some("withdrawn") {
        return findings;
    }
    let scope = record_scope(context, record, options.today);
    for rule in ruleset
        .rules
        .iter()
        .filter(|rule| ruleset.is_active(&rule.info.id))
    {
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
