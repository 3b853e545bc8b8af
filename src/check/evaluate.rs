//! One rule on one record -> at most one finding, and how every finding is made (the
//! engine's own too): where it is, clipped text, the rule's help and basis. No I/O here.

use std::borrow::Cow;
use std::sync::Arc;

use crate::finding::{Finding, Label, Severity};
use crate::load::{Record, Span};
use crate::rules::scope::Scope;
use crate::rules::{EngineRule, Rule, RuleInfo, RuleSet};
use crate::text::{clip, MESSAGE_LIMIT};

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
fn new_finding(
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
