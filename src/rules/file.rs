//! One rules file: TOML -> raw tables with spans -> validated rules with compiled
//! expressions. Every problem is collected with its place in the file.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use super::compiled::toml_date;
use super::error::{TomlProblem, TomlSource};
use super::expr::{Expression, Template};
use super::roster::{Holder, Roster};
use super::{Example, Rule, RuleInfo};
use crate::finding::{RuleKind, Severity};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Spanned<i64>,
    ruleset: Option<RawMeta>,
    #[serde(default)]
    params: toml::Table,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    engine_rule: Vec<RawEngineRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    name: String,
    severity: Spanned<String>,
    /// `statute`, `code_of_practice`, `local_policy` or `good_practice`; a rule of an
    /// office's own file that gives none is local policy.
    kind: Option<Spanned<String>>,
    summary: String,
    basis: Vec<String>,
    /// The basis a finding cites, as templates, where it depends on the record (the regime
    /// in force on the decision date); `basis` stays the rule's whole basis.
    finding_basis: Option<Spanned<Vec<String>>>,
    when: Option<Spanned<String>>,
    check: Spanned<String>,
    at: Spanned<Vec<String>>,
    #[serde(default)]
    labels: Vec<String>,
    message: Spanned<String>,
    help: String,
    explain: String,
    /// When the duty must be met by, for `mocheck due`: a date, a list of dates, or null.
    due: Option<Spanned<String>>,
    /// What must happen by then, as a message template.
    due_message: Option<Spanned<String>>,
    #[serde(default)]
    example: Vec<RawExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEngineRule {
    id: Spanned<String>,
    name: String,
    severity: Spanned<String>,
    /// `statute`, `code_of_practice`, `local_policy` or `good_practice`; a rule of an
    /// office's own file that gives none is local policy.
    kind: Option<Spanned<String>>,
    summary: String,
    basis: Vec<String>,
    help: String,
    explain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    outcome: Spanned<String>,
    /// For a failing example: text the finding's message must contain, and the field path
    /// it must point at, so that a rule failing for the wrong reason fails its test.
    message: Option<Spanned<String>>,
    at: Option<Spanned<String>>,
    record: Spanned<String>,
    today: Option<toml::value::Datetime>,
    roster: Option<Vec<RawHolder>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHolder {
    pub role: Spanned<String>,
    pub name: String,
    pub from: Spanned<toml::value::Datetime>,
    pub to: Option<Spanned<toml::value::Datetime>>,
}

/// What one rules file contributes.
pub struct RulesFile {
    pub meta: Option<(String, String)>,
    pub params: toml::Table,
    pub rules: Vec<Rule>,
    pub engine_rules: Vec<RuleInfo>,
    /// Where each parameter is written, for errors about its value.
    pub param_spans: BTreeMap<String, std::ops::Range<usize>>,
}

/// Parses and validates one rules file.
/// How much to check when parsing: everything for files people write; the built-in ruleset,
/// whose every message the tests render, defers compiling messages to first use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    Checked,
    BuiltIn,
}

pub fn parse(source: &TomlSource, trust: Trust) -> Result<RulesFile, Vec<TomlProblem>> {
    let raw: RawFile =
        toml::from_str(&source.text).map_err(|error| vec![source.from_toml(&error)])?;
    let mut problems = Vec::new();
    if *raw.version.get_ref() != 1 {
        problems.push(
            source
                .problem(
                    Some(raw.version.span()),
                    format!(
                        "rules file version {} is not supported",
                        raw.version.get_ref()
                    ),
                )
                .with_help("this mocheck reads rules files of version 1"),
        );
    }
    // A second parse, for the places of parameters: only files people write need them.
    let param_spans = match trust {
        Trust::Checked => param_spans(source),
        Trust::BuiltIn => BTreeMap::new(),
    };
    let mut seen: BTreeMap<String, std::ops::Range<usize>> = BTreeMap::new();
    let mut unique = Vec::with_capacity(raw.rule.len());
    for raw_rule in raw.rule {
        if let Some(first) = seen.get(raw_rule.id.get_ref()) {
            let line = source.line_of(first.start);
            problems.push(source.problem(
                Some(raw_rule.id.span()),
                format!(
                    "rule id `{}` is already used on line {line}",
                    raw_rule.id.get_ref()
                ),
            ));
            continue;
        }
        seen.insert(raw_rule.id.get_ref().clone(), raw_rule.id.span());
        unique.push(raw_rule);
    }
    // Compiling the expressions is most of the start-up time of a one-record check: the
    // rules are independent, so both cores share it.
    let validated: Vec<(Option<Rule>, Vec<TomlProblem>)> = unique
        .into_par_iter()
        .map(|raw_rule| {
            let mut rule_problems = Vec::new();
            let rule = validate_rule(source, raw_rule, trust, &mut rule_problems);
            (rule, rule_problems)
        })
        .collect();
    let mut rules = Vec::with_capacity(validated.len());
    for (rule, mut rule_problems) in validated {
        problems.append(&mut rule_problems);
        rules.extend(rule);
    }
    let mut engine_rules = Vec::new();
    for raw_engine in raw.engine_rule {
        if !super::is_engine_rule(raw_engine.id.get_ref()) {
            problems.push(
                source
                    .problem(
                        Some(raw_engine.id.span()),
                        format!(
                            "`{}` is not one of mocheck's own checks, so an `[[engine_rule]]` cannot describe it",
                            raw_engine.id.get_ref()
                        ),
                    )
                    .with_help(format!(
                        "the engine's checks are {}; a rule of your own is a `[[rule]]`",
                        super::engine_rule_ids()
                    )),
            );
            continue;
        }
        let Some(severity) = severity(source, &raw_engine.severity, &mut problems) else {
            continue;
        };
        let Some(kind) = kind(source, raw_engine.kind.as_ref(), &mut problems) else {
            continue;
        };
        engine_rules.push(RuleInfo {
            id: raw_engine.id.into_inner().into(),
            name: raw_engine.name.into(),
            severity,
            kind,
            summary: raw_engine.summary,
            basis: raw_engine.basis.into(),
            help: raw_engine.help.into(),
            explain: raw_engine.explain,
            engine: true,
        });
    }
    if problems.is_empty() {
        Ok(RulesFile {
            meta: raw.ruleset.map(|meta| (meta.name, meta.version)),
            params: raw.params,
            rules,
            engine_rules,
            param_spans,
        })
    } else {
        Err(problems)
    }
}

/// The places of `[params]` keys, found with a second, spanned parse of that table. Other
/// keys of the file are skipped: a `#[serde(flatten)]` here would lose every span.
fn param_spans(source: &TomlSource) -> BTreeMap<String, std::ops::Range<usize>> {
    #[derive(Deserialize)]
    struct OnlyParams {
        #[serde(default)]
        params: BTreeMap<Spanned<String>, toml::Value>,
    }
    toml::from_str::<OnlyParams>(&source.text)
        .map(|only| {
            only.params
                .into_keys()
                .map(|key| {
                    let span = key.span();
                    (key.into_inner(), span)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn severity(
    source: &TomlSource,
    raw: &Spanned<String>,
    problems: &mut Vec<TomlProblem>,
) -> Option<Severity> {
    let parsed = Severity::parse(raw.get_ref());
    if parsed.is_none() {
        problems.push(
            source
                .problem(
                    Some(raw.span()),
                    format!("`{}` is not a severity", raw.get_ref()),
                )
                .with_help("use error, warning or info"),
        );
    }
    parsed
}

/// The rule's kind: local policy when not given, since a rule an office writes for itself
/// is most often its own policy (the built-in rules all say theirs, which a test holds).
fn kind(
    source: &TomlSource,
    raw: Option<&Spanned<String>>,
    problems: &mut Vec<TomlProblem>,
) -> Option<RuleKind> {
    let Some(raw) = raw else {
        return Some(RuleKind::LocalPolicy);
    };
    let parsed = RuleKind::parse(raw.get_ref());
    if parsed.is_none() {
        problems.push(
            source
                .problem(
                    Some(raw.span()),
                    format!("`{}` is not a kind of rule", raw.get_ref()),
                )
                .with_help("use statute, code_of_practice, local_policy or good_practice"),
        );
    }
    parsed
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A TOML string's span covers its quotes; point inside where possible.
/// The place in the file of `part` (byte offsets in the string's value), when the string
/// is written without escapes, so that its value stands in the file as it is.
fn within_string(
    file: &str,
    span: std::ops::Range<usize>,
    value: &str,
    part: Option<std::ops::Range<usize>>,
) -> Option<std::ops::Range<usize>> {
    let part = part?;
    let written = file.get(span.clone())?;
    let opening = ["'''\n", "\"\"\"\n", "'''", "\"\"\"", "'", "\""]
        .into_iter()
        .find(|quote| written.starts_with(quote))?;
    let start = span.start + opening.len();
    (file.get(start..start + value.len())? == value).then(|| start + part.start..start + part.end)
}

// Each key of a rule is validated in turn; splitting the list would only scatter it.
#[allow(clippy::too_many_lines)]
fn validate_rule(
    source: &TomlSource,
    raw: RawRule,
    trust: Trust,
    problems: &mut Vec<TomlProblem>,
) -> Option<Rule> {
    let before = problems.len();
    let template = |text: &str| match trust {
        Trust::Checked => Template::parse(text),
        Trust::BuiltIn => Ok(Template::trusted(text)),
    };
    let id = raw.id.get_ref().clone();
    if !valid_id(&id) {
        problems.push(
            source
                .problem(
                    Some(raw.id.span()),
                    format!("`{id}` is not a valid rule id"),
                )
                .with_help("use letters, digits, `-` and `_`, e.g. MO015 or LOCAL-001"),
        );
    }
    if super::is_engine_rule(&id) {
        problems.push(
            source
                .problem(
                    Some(raw.id.span()),
                    format!("`{id}` is the id of one of mocheck's own checks, which a rule cannot replace"),
                )
                .with_help("give the rule an id of its own, e.g. LOCAL-001"),
        );
    }
    let severity = severity(source, &raw.severity, problems);
    let kind = kind(source, raw.kind.as_ref(), problems);
    let mut expression =
        |text: &Spanned<String>, what: &str| match Expression::compile(text.get_ref()) {
            Ok(expression) => Some(expression),
            Err(error) => {
                let span = text.span();
                let (span, label) = match within_string(
                    &source.text,
                    span.clone(),
                    text.get_ref(),
                    error.at.clone(),
                ) {
                    Some(part) => (part, "here".to_string()),
                    None => (span, format!("this {what} expression")),
                };
                problems.push(
                source
                    .problem(
                        Some(span),
                        format!("rule {id}: the {what} expression is not valid: {error}"),
                    )
                    .with_label(label)
                    .with_help(
                        "see docs/writing-rules.md for the names and functions expressions may use",
                    ),
            );
                None
            }
        };
    let when = raw.when.as_ref().map(|when| expression(when, "`when`"));
    let check = expression(&raw.check, "`check`");
    let due_expression = raw.due.as_ref().map(|due| expression(due, "`due`"));
    let mut at = Vec::new();
    if raw.at.get_ref().is_empty() {
        problems.push(source.problem(
            Some(raw.at.span()),
            format!("rule {id}: `at` names no field"),
        ));
    }
    for path in raw.at.get_ref() {
        match template(path) {
            Ok(template) => at.push(template),
            Err(error) => problems.push(source.problem(
                Some(raw.at.span()),
                format!("rule {id}: the path `{path}` is not valid: {error}"),
            )),
        }
    }
    let mut finding_basis = Vec::new();
    if let Some(texts) = &raw.finding_basis {
        for text in texts.get_ref() {
            match template(text) {
                Ok(template) => finding_basis.push(template),
                Err(error) => problems.push(source.problem(
                    Some(texts.span()),
                    format!("rule {id}: the finding basis `{text}` is not valid: {error}"),
                )),
            }
        }
    }
    let message = match template(raw.message.get_ref()) {
        Ok(template) => Some(template),
        Err(error) => {
            problems.push(source.problem(
                Some(raw.message.span()),
                format!("rule {id}: the message is not valid: {error}"),
            ));
            None
        }
    };
    let due_message = match (&raw.due, &raw.due_message) {
        (Some(_), Some(text)) => match template(text.get_ref()) {
            Ok(template) => Some(template),
            Err(error) => {
                problems.push(source.problem(
                    Some(text.span()),
                    format!("rule {id}: the due_message is not valid: {error}"),
                ));
                None
            }
        },
        (None, None) => None,
        (Some(due), None) => {
            problems.push(
                source
                    .problem(Some(due.span()), format!("rule {id}: `due` has no `due_message`"))
                    .with_help("say what must happen by the date, e.g. due_message = \"publish the decision record\""),
            );
            None
        }
        (None, Some(text)) => {
            problems.push(source.problem(
                Some(text.span()),
                format!("rule {id}: `due_message` has no `due` expression to go with it"),
            ));
            None
        }
    };
    let mut examples = Vec::new();
    for example in raw.example {
        let fails = match example.outcome.get_ref().as_str() {
            "fail" => true,
            "pass" => false,
            other => {
                problems.push(
                    source
                        .problem(
                            Some(example.outcome.span()),
                            format!("`{other}` is not an example outcome"),
                        )
                        .with_help("use \"pass\" or \"fail\""),
                );
                continue;
            }
        };
        if !fails {
            for expected in [&example.message, &example.at].into_iter().flatten() {
                problems.push(
                    source
                        .problem(
                            Some(expected.span()),
                            format!("rule {id}: a passing example expects no finding, so it cannot give a finding's `message` or `at`"),
                        )
                        .with_help("give `message` and `at` on a failing example"),
                );
            }
        }
        let roster = example
            .roster
            .map(|holders| roster(source, holders, problems));
        let line = source.line_of(example.record.span().start);
        examples.push(Example {
            fails,
            message: example.message.map(Spanned::into_inner),
            at: example.at.map(Spanned::into_inner),
            record: example.record.into_inner(),
            today: example.today.as_ref().and_then(toml_date),
            roster,
            line,
        });
    }
    if problems.len() > before {
        return None;
    }
    let (when, check, message, severity, kind) =
        (when.flatten(), check?, message?, severity?, kind?);
    let reads_decision_date =
        when.as_ref().is_some_and(Expression::reads_decision_date) || check.reads_decision_date();
    Some(Rule {
        info: RuleInfo {
            id: id.into(),
            name: raw.name.into(),
            severity,
            kind,
            summary: raw.summary,
            basis: raw.basis.into(),
            help: raw.help.into(),
            explain: raw.explain,
            engine: false,
        },
        when,
        reads_decision_date,
        check,
        at,
        labels: raw.labels,
        message,
        finding_basis,
        due: due_expression
            .flatten()
            .zip(due_message)
            .map(|(expression, message)| super::Due {
                expression,
                message,
            }),
        examples,
        origin: Arc::from(source.name.as_str()),
    })
}

/// Validates roster entries (from `mocheck.toml` or an example).
pub(super) fn roster(
    source: &TomlSource,
    holders: Vec<RawHolder>,
    problems: &mut Vec<TomlProblem>,
) -> Roster {
    let mut roster = Roster::default();
    for holder in holders {
        if !super::roster::ROLES.contains(&holder.role.get_ref().as_str()) {
            problems.push(
                source
                    .problem(
                        Some(holder.role.span()),
                        format!("`{}` is not a role the roster knows", holder.role.get_ref()),
                    )
                    .with_help(format!("use one of: {}", super::roster::ROLES.join(", "))),
            );
            continue;
        }
        let date = |value: &Spanned<toml::value::Datetime>,
                    problems: &mut Vec<TomlProblem>|
         -> Option<NaiveDate> {
            let date = toml_date(value.get_ref());
            if date.is_none() {
                problems.push(
                    source.problem(Some(value.span()), "this must be a date like 2021-05-13"),
                );
            }
            date
        };
        let from = date(&holder.from, problems);
        let to = holder.to.as_ref().map(|to| date(to, problems));
        if let (Some(from), Some(Some(to))) = (from, to) {
            if to < from {
                problems.push(source.problem(
                    holder.to.as_ref().map(Spanned::span),
                    "`to` is before `from`",
                ));
            }
        }
        if let Some(from) = from {
            roster.holders.push(Holder {
                role: holder.role.into_inner(),
                name: holder.name,
                from,
                to: to.flatten(),
            });
        }
    }
    roster
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_keep_their_place_in_the_file() {
        let text = "version = 1\n\n[params]\nreference_pattern = \"(a{1000}){1000}\"\n";
        let spans = param_spans(&TomlSource::new("local.toml", text));
        let span = spans
            .get("reference_pattern")
            .expect("the parameter's place");
        assert_eq!(&text[span.clone()], "reference_pattern");
    }
}
