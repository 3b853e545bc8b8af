//! The expression language of rules: Common Expression Language (CEL) with helpers for this
//! domain (working days, the office roster, dated tables). An expression is parsed by the
//! CEL crate and checked once, when the ruleset loads: its length and depth, the names it
//! uses, any pattern written into it, and that the compiled evaluator (`compiled.rs`)
//! supports all of it. It then runs on that evaluator, or, for `check --interpreter` and
//! the tests, on the CEL interpreter kept as an oracle (`oracle.rs`).

use std::ops::Range;

use cel::common::ast::{EntryExpr, Expr, IdedEntryExpr, IdedExpr, LiteralValue};
use cel::Program;
use chrono::NaiveDate;

use super::budget;
use super::compiled::{self, Compiled, V};
use super::helpers;
use super::oracle;
use super::scope::Scope;
use crate::text::{clip, VALUE_LIMIT};

/// A compiled CEL expression with its source, for messages.
#[derive(Debug)]
pub struct Expression {
    pub source: String,
    program: Program,
    /// The expression as the interpreter runs it, counting its work (`budget.rs`).
    metered: IdedExpr,
    compiled: Compiled,
}

/// Why an expression was refused, and where in its text when that is known.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpressionError {
    pub message: String,
    /// Byte offsets within the expression's source.
    pub at: Option<Range<usize>>,
}

impl ExpressionError {
    fn whole(message: String) -> ExpressionError {
        ExpressionError { message, at: None }
    }
}

impl std::fmt::Display for ExpressionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Expressions longer than this are refused: a rule's condition fits in a few lines, and
/// the parser recurses on nesting.
const MAX_EXPRESSION_LEN: usize = 4_000;
const MAX_NESTING: usize = 48;
/// Deepest tree of operations accepted. Evaluating recurses once per level, so a chain such
/// as `1 + 1 + ... + 1`, short enough and with no brackets, could otherwise overflow the
/// stack and abort the run (a debug build needs about 35 KiB of stack a level). The built-in
/// rules need at most 11 levels.
const MAX_DEPTH: usize = 32;

impl Expression {
    pub fn compile(source: &str) -> Result<Expression, ExpressionError> {
        if source.len() > MAX_EXPRESSION_LEN {
            return Err(ExpressionError::whole(format!(
                "this expression is {} characters long; the limit is {MAX_EXPRESSION_LEN}",
                source.len()
            )));
        }
        let mut depth = 0usize;
        for character in source.chars() {
            match character {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                return Err(ExpressionError::whole(format!(
                    "this expression nests brackets more than {MAX_NESTING} deep"
                )));
            }
        }
        // The parser's own errors are caught as values; a panic inside it would be its bug,
        // but must still not take the whole run down with it.
        let compiled = std::panic::catch_unwind(|| Program::compile(source)).map_err(|_| {
            ExpressionError::whole("this expression could not be parsed".to_string())
        })?;
        let program = compiled.map_err(|error| ExpressionError::whole(error.to_string()))?;
        let metered = budget::metered(program.expression());
        if deeper_than(&metered, MAX_DEPTH) {
            return Err(ExpressionError::whole(format!(
                "this expression nests more than {MAX_DEPTH} operations deep; split it into simpler rules"
            )));
        }
        if let Some(problem) = bad_constant_pattern(program.expression()) {
            return Err(ExpressionError::whole(problem));
        }
        let unknown = unknown_names(&program);
        if !unknown.is_empty() {
            return Err(ExpressionError::whole(format!(
                "this expression uses {}",
                unknown.join(", ")
            )));
        }
        let compiled =
            Compiled::compile(program.expression()).map_err(|unsupported| ExpressionError {
                at: program
                    .source_info()
                    .offset_for(unsupported.id)
                    .and_then(|(start, stop)| byte_range(source, start, stop)),
                message: unsupported.message,
            })?;
        Ok(Expression {
            source: source.to_string(),
            compiled,
            metered,
            program,
        })
    }

    /// The parsed expression.
    pub fn ast(&self) -> &IdedExpr {
        self.program.expression()
    }

    /// The parsed expression as the interpreter runs it, counting its work.
    pub fn metered(&self) -> &IdedExpr {
        &self.metered
    }

    /// The compiled tree.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// Whether the expression reads the decision's date (`decision_date` or a `decided_on`
    /// field): such a rule cannot be checked on a decided record that does not give one.
    pub fn reads_decision_date(&self) -> bool {
        let mut pending = vec![self.ast()];
        while let Some(node) = pending.pop() {
            match &node.expr {
                Expr::Ident(name) if name == "decision_date" => return true,
                Expr::Select(select) if select.field == "decided_on" => return true,
                _ => {}
            }
            pending.extend(children(node));
        }
        false
    }

    /// The expression's value for one record, on the evaluator the run uses, handed to
    /// `answer`; an error in plain words otherwise.
    fn with_value<T>(
        &self,
        scope: &Scope,
        answer: impl FnOnce(&V) -> Result<T, String>,
    ) -> Result<T, String> {
        budget::start();
        match scope.interpreter() {
            None => answer(&self.compiled.evaluate(scope.inputs())?),
            Some(context) => {
                let value = oracle::evaluate(&self.metered, context)?;
                answer(
                    &oracle::to_v(&value)
                        .map_err(|_| format!("`{}` gave a value rules do not use", self.source))?,
                )
            }
        }
    }

    /// Evaluates a condition for one record; anything but true or false is an error, not a
    /// silent pass.
    pub fn holds_for(&self, scope: &Scope) -> Result<bool, String> {
        let not_a_condition = |other: &V| {
            format!(
                "`{}` gave {} instead of true or false",
                self.source,
                compiled::describe(other)
            )
        };
        if scope.interpreter().is_none() {
            budget::start();
            return self
                .compiled
                .holds(scope.inputs())?
                .map_err(|other| not_a_condition(&other));
        }
        self.with_value(scope, |value| match value {
            V::Bool(value) => Ok(*value),
            other => Err(not_a_condition(other)),
        })
    }

    /// The expression's value as a message shows it, for one record.
    fn render_for(&self, scope: &Scope) -> Result<String, String> {
        self.with_value(scope, |value| Ok(compiled::format(value)))
    }

    /// The dates a `due` expression gives for one record, each with its place in a list:
    /// null is none, a list holds several.
    pub fn dates_for(&self, scope: &Scope) -> Result<Vec<(usize, NaiveDate)>, String> {
        let one = |value: &V| -> Result<Option<NaiveDate>, String> {
            match value {
                V::Null => Ok(None),
                other => other.date().map(Some).ok_or_else(|| {
                    format!(
                        "`due` gave {} where a date, a list of dates or null was expected",
                        compiled::describe(other)
                    )
                }),
            }
        };
        self.with_value(scope, |value| match value.elements() {
            Some(items) => items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| {
                    one(item)
                        .map(|date| date.map(|date| (index, date)))
                        .transpose()
                })
                .collect(),
            None => Ok(one(value)?.into_iter().map(|date| (0, date)).collect()),
        })
    }
}

/// The parser's character offsets as byte offsets of `source`.
fn byte_range(source: &str, start: u32, stop: u32) -> Option<Range<usize>> {
    let byte = |at: u32| {
        let at = usize::try_from(at).ok()?;
        source
            .char_indices()
            .map(|(offset, _)| offset)
            .chain(std::iter::once(source.len()))
            .nth(at)
    };
    let mut start = byte(start)?;
    let mut stop = byte(stop).unwrap_or(source.len()).max(start);
    // A call is placed at its bracket: widen an empty place to the name before it.
    if start == stop {
        let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
        start = source[..start].trim_end_matches(is_name).len();
        stop += source[stop..].len() - source[stop..].trim_start_matches(is_name).len();
    }
    Some(start..stop)
}

pub const VARIABLES: &[&str] = &["record", "decision_date", "today", "params"];

/// Whether the expression's tree is more than `limit` levels deep; walked without recursion,
/// since the tree being measured may be too deep to recurse over.
fn deeper_than(root: &IdedExpr, limit: usize) -> bool {
    let mut pending = vec![(root, 1)];
    while let Some((node, depth)) = pending.pop() {
        if depth > limit {
            return true;
        }
        pending.extend(children(node).into_iter().map(|child| (child, depth + 1)));
    }
    false
}

fn children(node: &IdedExpr) -> Vec<&IdedExpr> {
    fn entries(entries: &[IdedEntryExpr]) -> Vec<&IdedExpr> {
        entries
            .iter()
            .flat_map(|entry| match &entry.expr {
                EntryExpr::StructField(field) => vec![&field.value],
                EntryExpr::MapEntry(pair) => vec![&pair.key, &pair.value],
            })
            .collect()
    }
    match &node.expr {
        Expr::Call(call) => call
            .target
            .as_deref()
            .into_iter()
            .chain(&call.args)
            .collect(),
        Expr::Comprehension(comprehension) => vec![
            &comprehension.iter_range,
            &comprehension.accu_init,
            &comprehension.loop_cond,
            &comprehension.loop_step,
            &comprehension.result,
        ],
        Expr::List(list) => list.elements.iter().collect(),
        Expr::Map(map) => entries(&map.entries),
        Expr::Struct(object) => entries(&object.entries),
        Expr::Select(select) => vec![&*select.operand],
        Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => Vec::new(),
    }
}

/// A `matches` whose pattern is written in the expression and is not a valid regular
/// expression: it would fail on every record, so it is refused when the rules load.
fn bad_constant_pattern(root: &IdedExpr) -> Option<String> {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        if let Expr::Call(call) = &node.expr {
            let pattern = match (call.target.is_some(), call.args.as_slice()) {
                (true, [pattern]) | (false, [_, pattern]) => Some(pattern),
                _ => None,
            };
            if let (
                "matches",
                Some(IdedExpr {
                    expr: Expr::Literal(LiteralValue::String(pattern)),
                    ..
                }),
            ) = (call.func_name.as_str(), pattern)
            {
                let pattern = pattern.inner();
                if let Err(error) = regex::Regex::new(pattern) {
                    let reason = error.to_string();
                    let reason = reason.lines().last().unwrap_or_default();
                    let reason = reason.trim().trim_start_matches("error: ");
                    return Some(format!(
                        "the pattern `{pattern}` given to `matches` is not a valid regular expression: {reason}"
                    ));
                }
            }
        }
        pending.extend(children(node));
    }
    None
}

/// Names the rule uses that nothing defines: caught when the ruleset loads, not per record.
/// A function CEL has but mocheck does not support passes here and is refused, with what
/// to write instead, when compiling.
fn unknown_names(program: &Program) -> Vec<String> {
    let references = program.references();
    let bound = bound_names(program.expression());
    let mut unknown = Vec::new();
    for variable in references.variables() {
        if !VARIABLES.contains(&variable) && !bound.iter().any(|name| name == variable) {
            unknown.push(format!(
                "an unknown name `{variable}` (expressions see {})",
                VARIABLES.join(", ")
            ));
        }
    }
    for function in references.functions() {
        let is_operator = function.starts_with('_')
            || function.starts_with('@')
            || function == "!_"
            || function == "-_";
        let known = helpers::HELPERS
            .iter()
            .any(|helper| helper.name == function)
            || helpers::unsupported_hint(function).is_some();
        if !is_operator && !known {
            unknown.push(format!("an unknown function `{function}`"));
        }
    }
    unknown
}

/// The names the list macros bind (`p` in `list.exists(p, p.title != null)`), read from the
/// parsed tree: they are not free.
fn bound_names(root: &IdedExpr) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        if let Expr::Comprehension(fold) = &node.expr {
            names.push(fold.iter_var.clone());
            names.extend(fold.iter_var2.clone());
            names.push(fold.accu_var.clone());
        }
        pending.extend(children(node));
    }
    names
}

/// A message or path with `{expr}` holes; `{{` and `}}` are literal braces.
#[derive(Debug)]
pub struct Template {
    pub source: String,
    /// Compiled when the template is parsed, or on first use for a trusted template.
    parts: std::sync::OnceLock<Result<Vec<Part>, String>>,
}

#[derive(Debug)]
enum Part {
    Text(String),
    Hole(Box<Expression>),
}

impl Template {
    /// Compiles a template now, so a mistake is reported when the rules file loads.
    pub fn parse(source: &str) -> Result<Template, String> {
        let parts = Template::compile(source)?;
        Ok(Template {
            source: source.to_string(),
            parts: std::sync::OnceLock::from(Ok(parts)),
        })
    }

    /// A template compiled on first use. Only for the built-in ruleset, whose every message
    /// the tests render: most templates are never needed in a run, and compiling them all
    /// would be a quarter of the start-up time of checking one record.
    pub fn trusted(source: &str) -> Template {
        Template {
            source: source.to_string(),
            parts: std::sync::OnceLock::new(),
        }
    }

    fn compile(source: &str) -> Result<Vec<Part>, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = source.char_indices().peekable();
        while let Some((_, character)) = chars.next() {
            match character {
                '{' if chars.peek().map(|(_, next)| *next) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|(_, next)| *next) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut depth = 1;
                    let mut inner = String::new();
                    for (_, next) in chars.by_ref() {
                        match next {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            _ => {}
                        }
                        if depth == 0 {
                            break;
                        }
                        inner.push(next);
                    }
                    if depth != 0 {
                        return Err(
                            "a `{` is not closed; write `{{` for a literal brace".to_string()
                        );
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    let expression = Expression::compile(inner.trim())
                        .map_err(|error| format!("in `{{{inner}}}`: {error}"))?;
                    parts.push(Part::Hole(Box::new(expression)));
                }
                '}' => return Err("a `}` has no `{`; write `}}` for a literal brace".to_string()),
                other => text.push(other),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(parts)
    }

    /// The template filled in for one record.
    pub fn render(&self, scope: &Scope) -> Result<String, String> {
        self.render_with(|expression| expression.render_for(scope))
    }

    fn render_with(
        &self,
        hole: impl Fn(&Expression) -> Result<String, String>,
    ) -> Result<String, String> {
        let parts = self
            .parts
            .get_or_init(|| Template::compile(&self.source))
            .as_ref()
            .map_err(Clone::clone)?;
        let mut out = String::new();
        for part in parts {
            match part {
                Part::Text(text) => out.push_str(text),
                // A value from a record may be any length; a message repeats a bounded part.
                // The bound allows for the rule's own words: a hole that chooses between
                // sentences may give back as much text as its source holds.
                Part::Hole(expression) => out.push_str(&clip(
                    &hole(expression)?,
                    VALUE_LIMIT + expression.source.chars().count(),
                )),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{build, yaml};
    use crate::rules::compiled::{Inputs, Param};
    use crate::rules::helpers::HelperData;

    /// A template or expression's text on a minimal record, on the compiled evaluator.
    fn rendered(template: &Template) -> Result<String, String> {
        let Some(yaml::Document::Parsed(root)) =
            yaml::parse_documents("title: x\n", yaml::Limits::default()).pop()
        else {
            panic!("the test record parses")
        };
        let record = build(root, &mut Vec::new()).expect("a record");
        let helpers = HelperData::default();
        let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let inputs = Inputs {
            record: &record,
            fields: record.field_table(),
            decision_date: today,
            today,
            params: &Param::Null,
            helpers: &helpers,
        };
        template.render_with(|expression| {
            expression
                .compiled()
                .evaluate(&inputs)
                .map(|value| compiled::format(&value))
        })
    }

    #[test]
    fn a_hole_gives_back_the_rules_own_words_whole() {
        // A hole choosing between sentences longer than a record value's limit.
        let sentence = "the words of the rule itself ".repeat(12);
        let template = Template::parse(&format!("{{true ? '{sentence}' : ''}}")).unwrap();
        assert_eq!(rendered(&template).unwrap(), sentence);
    }

    #[test]
    fn templates_format_dates_money_and_braces() {
        let template =
            Template::parse(r#"on {date("2026-03-14")} for {gbp(1300000.0)} and {{x}}"#).unwrap();
        assert_eq!(
            rendered(&template).unwrap(),
            "on 14 March 2026 for £1,300,000 and {x}"
        );
        assert!(Template::parse("{unclosed").is_err());
    }

    #[test]
    fn chains_too_deep_to_evaluate_are_refused_when_compiling() {
        // No brackets and well under the length limit, but hundreds of operations deep.
        let error = Expression::compile(&format!("{}1 > 0", "1 + ".repeat(400))).unwrap_err();
        assert!(error.message.contains("operations deep"), "{error}");
    }

    #[test]
    fn the_deepest_expression_allowed_evaluates_on_a_worker_thread() {
        // `1 + ... + 1 > 0` with n additions is n + 2 levels deep. Rayon's workers have
        // 2 MiB stacks; a debug build's interpreter needs the most stack per level.
        let source = format!("{}1 > 0", "1 + ".repeat(MAX_DEPTH - 2));
        let template = Template::parse(&format!("{{{source}}}")).unwrap();
        let outcome = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || rendered(&template))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(outcome.as_deref(), Ok("yes"));
    }

    #[test]
    fn unknown_names_are_caught_when_compiling() {
        let error = |source: &str| Expression::compile(source).unwrap_err().message;
        assert!(error("recrod.title != null").contains("`recrod`"));
        assert!(error("frobnicate(record)").contains("`frobnicate`"));
        assert!(Expression::compile(&"(".repeat(100)).is_err());
        assert!(Expression::compile("record.background_papers.exists(p, p.title != null)").is_ok());
        assert!(error("[1].exists(p, q > 0)").contains("`q`"));
        // A name bound by one macro is not bound outside it.
        assert!(error("[1].exists(p, p > 0) && p > 0").contains("`p`"));
    }

    #[test]
    fn what_is_not_supported_is_placed_in_the_expression() {
        let source = "record.title != null && record.title.lowerAscii() == 'x'";
        let error = Expression::compile(source).unwrap_err();
        let at = error.at.clone().expect("a place");
        assert!(source[at].contains("lowerAscii"), "{error:?}");
    }
}
