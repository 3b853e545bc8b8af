//! The expression language of rules: Common Expression Language (CEL) with helpers for this
//! domain (working days, the office roster, dated tables). Compiling happens once, when the
//! ruleset loads; evaluating needs a context built per worker thread.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use cel::common::ast::{EntryExpr, Expr, IdedEntryExpr, LiteralValue};
use cel::extractors::Arguments;
use cel::{Context, ExecutionError, IdedExpr, Program, Value};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use super::budget;
use super::native::{Native, Param};
use super::roster::Roster;
use super::scope::Scope;
use crate::format::{format_number, group_thousands, long_date, money};
use crate::text::{clip, VALUE_LIMIT};

/// A compiled CEL expression with its source, for messages.
#[derive(Debug)]
pub struct Expression {
    pub source: String,
    program: Program,
    /// The expression as the interpreter runs it, counting its work (`budget.rs`).
    metered: IdedExpr,
    /// The compiled fast path, when the expression uses only what it covers.
    native: Option<Native>,
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
    pub fn compile(source: &str) -> Result<Expression, String> {
        if source.len() > MAX_EXPRESSION_LEN {
            return Err(format!(
                "this expression is {} characters long; the limit is {MAX_EXPRESSION_LEN}",
                source.len()
            ));
        }
        let mut depth = 0usize;
        for character in source.chars() {
            match character {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                return Err(format!(
                    "this expression nests brackets more than {MAX_NESTING} deep"
                ));
            }
        }
        // The parser's own errors are caught as values; a panic inside it would be its bug,
        // but must still not take the whole run down with it.
        let compiled = std::panic::catch_unwind(|| Program::compile(source))
            .map_err(|_| "this expression could not be parsed".to_string())?;
        let program = compiled.map_err(|error| error.to_string())?;
        let metered = budget::metered(program.expression());
        if deeper_than(&metered, MAX_DEPTH) {
            return Err(format!(
                "this expression nests more than {MAX_DEPTH} operations deep; split it into simpler rules"
            ));
        }
        if let Some(problem) = bad_constant_pattern(program.expression()) {
            return Err(problem);
        }
        let unknown = unknown_names(&program, source);
        if !unknown.is_empty() {
            return Err(format!("this expression uses {}", unknown.join(", ")));
        }
        Ok(Expression {
            source: source.to_string(),
            native: Native::compile(program.expression()),
            metered,
            program,
        })
    }

    /// The parsed expression, for the cheap applicability tests in `guard.rs`.
    pub fn ast(&self) -> &IdedExpr {
        self.program.expression()
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

    /// Whether the fast path covers this expression (the built-in rules are tested to be).
    pub fn is_compiled(&self) -> bool {
        self.native.is_some()
    }

    /// Evaluates a condition for one record: on the fast path when it can answer, else on
    /// the interpreter, which also gives any error its usual wording.
    pub fn holds_for(&self, scope: &Scope) -> Result<bool, String> {
        if let (Some(native), Some(inputs)) = (&self.native, scope.inputs()) {
            budget::start();
            if let Some(value) = native.holds(inputs) {
                return Ok(value);
            }
        }
        self.holds(scope.interpreter())
    }

    /// The expression's value as a message shows it, for one record.
    fn render_for(&self, scope: &Scope) -> Result<String, String> {
        if let (Some(native), Some(inputs)) = (&self.native, scope.inputs()) {
            budget::start();
            if let Some(text) = native.render(inputs) {
                return Ok(text);
            }
        }
        Ok(format_value(&self.evaluate(scope.interpreter())?))
    }

    /// The expression's value for one record, from the interpreter: for expressions that give
    /// something other than true or false, such as a rule's `due` date.
    pub fn value_for(&self, scope: &Scope) -> Result<Value, String> {
        self.evaluate(scope.interpreter())
    }

    /// Evaluates on the interpreter, within the budget of work (`budget.rs`).
    pub fn evaluate(&self, context: &Context) -> Result<Value, String> {
        budget::start();
        Value::resolve(&self.metered, context).map_err(|error| plain_error(&error))
    }

    /// Evaluates a condition; anything but a boolean is an error, not a silent pass.
    pub fn holds(&self, context: &Context) -> Result<bool, String> {
        match self.evaluate(context)? {
            Value::Bool(value) => Ok(value),
            other => Err(format!(
                "`{}` gave {} instead of true or false",
                self.source,
                describe(&other)
            )),
        }
    }
}

pub const VARIABLES: &[&str] = &["record", "decision_date", "today", "params"];

pub const HELPERS: &[&str] = &[
    "days",
    "working_days",
    "add_days",
    "add_working_days",
    "date",
    "date_of",
    "year",
    "in_force",
    "holder",
    "has_roster",
    "same_person",
    "first_index",
    "gbp",
    "day",
    "plural",
    "words",
    "a_or_an",
];

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
fn unknown_names(program: &Program, source: &str) -> Vec<String> {
    let references = program.references();
    let bound = bound_names(source);
    let standard = [
        "size",
        "has",
        "all",
        "exists",
        "exists_one",
        "map",
        "filter",
        "matches",
        "contains",
        "startsWith",
        "endsWith",
        "string",
        "int",
        "uint",
        "double",
        "bool",
        "bytes",
        "timestamp",
        "duration",
        "type",
        "dyn",
        "max",
        "min",
        "getFullYear",
        "getMonth",
        "getDayOfMonth",
        "getDayOfWeek",
        "getDayOfYear",
        "getDate",
        "getHours",
        "getMinutes",
        "getSeconds",
        "getMilliseconds",
        "lowerAscii",
        "upperAscii",
        "trim",
        "split",
        "join",
        "replace",
        "indexOf",
        "lastIndexOf",
        "substring",
        "charAt",
        "exists_one",
        "in",
    ];
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
        if !is_operator && !HELPERS.contains(&function) && !standard.contains(&function) {
            unknown.push(format!("an unknown function `{function}`"));
        }
    }
    unknown
}

/// Names a macro binds, as `e` in `list.exists(e, e.who != null)`: they are not free.
fn bound_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for macro_name in ["exists", "all", "exists_one", "map", "filter"] {
        let opening = format!(".{macro_name}(");
        for (at, _) in source.match_indices(&opening) {
            let rest = &source[at + opening.len()..];
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let after = rest.trim_start()[name.len()..].trim_start();
            if !name.is_empty() && after.starts_with(',') {
                names.push(name);
            }
        }
    }
    names
}

/// The interpreter's error in words for the office, never its Rust names of types.
fn plain_error(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => format!("the field `{key}` does not exist"),
        ExecutionError::NoSuchOverload(overload) => {
            let types: Vec<_> = overload
                .argument_types()
                .iter()
                .map(|name| type_in_words(name))
                .collect();
            format!(
                "`{}` cannot be applied to {}",
                overload.function().trim_matches('_'),
                types.join(" and ")
            )
        }
        ExecutionError::FunctionError { function, message } if function.starts_with("__") => {
            message.clone()
        }
        ExecutionError::FunctionError { function, message } => format!("`{function}`: {message}"),
        ExecutionError::UnexpectedType { got, want } => format!(
            "{} was found where {} was expected",
            type_in_words(got),
            type_in_words(want)
        ),
        ExecutionError::UnsupportedBinaryOperator(operator, left, right) => format!(
            "`{}` cannot be applied to {} and {}",
            match *operator {
                "add" => "+",
                "sub" => "-",
                "mul" => "*",
                "div" => "/",
                "rem" => "%",
                other => other,
            },
            describe(left),
            describe(right)
        ),
        ExecutionError::DivisionByZero(_) => "a division by zero".to_string(),
        ExecutionError::RemainderByZero(_) => "a remainder of a division by zero".to_string(),
        ExecutionError::Overflow(..) => {
            "a number grew too large (beyond what arithmetic can hold)".to_string()
        }
        ExecutionError::IndexOutOfBounds(index) => {
            format!("the list has no element at position {}", describe(index))
        }
        ExecutionError::DuplicateKey(key) => {
            format!("the key {} is written twice in one map", describe(key))
        }
        ExecutionError::ValuesNotComparable(left, right) => {
            format!(
                "{} cannot be compared with {}",
                describe(left),
                describe(right)
            )
        }
        ExecutionError::UnsupportedIndex(index, _) => {
            format!("{} cannot be used to pick an element", describe(index))
        }
        ExecutionError::UnsupportedKeyType(key) => {
            format!("{} cannot be used as a key", describe(key))
        }
        ExecutionError::UndeclaredReference(name) => format!("`{name}` is not defined"),
        ExecutionError::InvalidArgumentCount { expected, actual } => {
            format!("a function was given {actual} arguments instead of {expected}")
        }
        ExecutionError::NotSupportedAsMethod { method, .. } => {
            format!("`{method}` cannot be used as a method on this value")
        }
        // The rest cannot arise from a rule that passed the checks at load; kept general.
        _ => "the expression could not be evaluated".to_string(),
    }
}

/// A type as the interpreter names it (CEL's names, or Rust's in some of its errors), in
/// words.
fn type_in_words(name: &str) -> &str {
    let name = name.trim_start_matches("Arc<").trim_end_matches('>');
    if name.starts_with("Int(") || name.starts_with("UInt(") || name.starts_with("Float(") {
        return "a number";
    }
    if name.starts_with("String(") {
        return "text";
    }
    match name {
        "null_type" | "Null" => "a value that is not recorded",
        "google.protobuf.Timestamp" | "timestamp" | "DateTime<FixedOffset>" => "a date",
        "google.protobuf.Duration" | "duration" | "Duration" => "a length of time",
        "double" | "int" | "uint" | "i64" | "u64" | "f64" => "a number",
        "string" | "String" => "text",
        "bool" => "true or false",
        "list" | "Vec<Value>" | "iterable" => "a list",
        "map" => "a map",
        "bytes" | "Vec<u8>" => "bytes",
        _ => "a value of another kind",
    }
}

/// A value in words, for error messages; a long one is cut short, since it may be a
/// whole list of the record.
pub fn describe(value: &Value) -> String {
    const LONGEST: usize = 80;
    match value {
        Value::Null => "nothing".to_string(),
        other => {
            let text = format_value(other);
            match text.char_indices().nth(LONGEST) {
                Some((end, _)) => format!("`{}…`", &text[..end]),
                None => format!("`{text}`"),
            }
        }
    }
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

    /// Whether every hole runs on the fast path (the built-in rules are tested to).
    pub fn is_compiled(&self) -> bool {
        match self.parts.get_or_init(|| Template::compile(&self.source)) {
            Ok(parts) => parts.iter().all(|part| match part {
                Part::Text(_) => true,
                Part::Hole(expression) => expression.is_compiled(),
            }),
            Err(_) => false,
        }
    }

    /// The template filled in for one record.
    pub fn render(&self, scope: &Scope) -> Result<String, String> {
        self.render_with(|expression| expression.render_for(scope))
    }

    /// The template filled in by the interpreter alone, in a context of its own.
    #[cfg(test)]
    fn render_in(&self, context: &Context) -> Result<String, String> {
        self.render_with(|expression| Ok(format_value(&expression.evaluate(context)?)))
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

/// A date as rules see it: a timestamp at midnight.
pub fn timestamp(date: NaiveDate) -> Value {
    Value::Timestamp(midnight(date))
}

pub fn midnight(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .fixed_offset()
}

pub fn to_date(value: &Value) -> Option<NaiveDate> {
    match value {
        Value::Timestamp(stamp) => Some(stamp.date_naive()),
        _ => None,
    }
}

/// How a value reads in a message: dates as `12 March 2026`, numbers with separators.
pub fn format_value(value: &Value) -> String {
    match value {
        Value::Null => "not recorded".to_string(),
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Int(number) => group_thousands(&number.to_string()),
        Value::UInt(number) => group_thousands(&number.to_string()),
        Value::Float(number) => format_number(*number),
        Value::String(text) => text.to_string(),
        Value::Timestamp(stamp) => long_date(stamp.date_naive()),
        Value::List(items) => items
            .iter()
            .map(format_value)
            .collect::<Vec<_>>()
            .join(", "),
        other => format!("{other:?}"),
    }
}

/// What the helper functions need besides their arguments.
#[derive(Debug, Default, Clone)]
pub struct HelperData {
    pub bank_holidays: BTreeSet<NaiveDate>,
    pub roster: Roster,
}

impl HelperData {
    /// Working days after `from` up to and including `to`. Counted by whole weeks, then
    /// the few days left, then the bank holidays in range: constant time whatever the span.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        use std::ops::Bound::{Excluded, Included};
        if to <= from {
            return 0;
        }
        let span = (to - from).num_days();
        let mut count = span / 7 * 5;
        let mut day = from + chrono::Duration::days(span / 7 * 7);
        while day < to {
            day = day.succ_opt().unwrap_or(to);
            if !is_weekend(day) {
                count += 1;
            }
        }
        let holidays = self
            .bank_holidays
            .range((Excluded(from), Included(to)))
            .filter(|holiday| !is_weekend(**holiday))
            .count();
        count - i64::try_from(holidays).unwrap_or(0)
    }

    /// The `count`th working day after `from` (skipping weekends and bank holidays): the
    /// last day a duty of `count` working days, counted as [`working_days`] counts, is met.
    /// `from` itself when `count` is not positive.
    ///
    /// [`working_days`]: HelperData::working_days
    pub fn add_working_days(&self, from: NaiveDate, count: i64) -> Option<NaiveDate> {
        let mut day = from;
        let mut left = count;
        while left > 0 {
            day = day.succ_opt()?;
            if !is_weekend(day) && !self.bank_holidays.contains(&day) {
                left -= 1;
            }
        }
        Some(day)
    }
}

/// A whole number of days from an integer or a whole double (parameters are doubles), at
/// most a hundred years' worth so that a stray value cannot loop for long.
fn need_days(function: &str, value: &Value) -> Result<i64, ExecutionError> {
    let count = match value {
        Value::Int(count) => Some(*count),
        #[allow(clippy::cast_possible_truncation)]
        Value::Float(count) if count.fract() == 0.0 && count.abs() <= 36_500.0 => {
            Some(*count as i64)
        }
        _ => None,
    };
    count.filter(|count| count.abs() <= 36_500).ok_or_else(|| {
        ExecutionError::function_error(
            function,
            format!("needs a whole number of days, found {}", describe(value)),
        )
    })
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
}

fn need_date(function: &str, value: &Value) -> Result<NaiveDate, ExecutionError> {
    to_date(value).ok_or_else(|| {
        ExecutionError::function_error(function, format!("needs a date, found {}", describe(value)))
    })
}

/// A root context with the standard library and the helpers. Contexts are not shared
/// between threads, so each worker builds its own from the same data.
// One registration per helper: long, but a flat list reads better than pieces of it.
#[allow(clippy::too_many_lines)]
pub fn root_context(data: &Arc<HelperData>) -> Context<'static, 'static> {
    let mut context = Context::default();
    // The names are fixed and tested; a clash would be a programming error.
    budget::register(&mut context).unwrap_or_else(|error| panic!("the budget: {error}"));
    let add = |name: &str, result: Result<(), cel::DeclarationError>| {
        result.unwrap_or_else(|error| panic!("helper {name}: {error}"));
    };
    add(
        "days",
        context.add_function(
            "days",
            |a: Value, b: Value| -> Result<Value, ExecutionError> {
                let (a, b) = (need_date("days", &a)?, need_date("days", &b)?);
                Ok(Value::Int((b - a).num_days()))
            },
        ),
    );
    let helper = data.clone();
    add(
        "working_days",
        context.add_function(
            "working_days",
            move |a: Value, b: Value| -> Result<Value, ExecutionError> {
                let (a, b) = (
                    need_date("working_days", &a)?,
                    need_date("working_days", &b)?,
                );
                Ok(Value::Int(helper.working_days(a, b)))
            },
        ),
    );
    add(
        "add_days",
        context.add_function(
            "add_days",
            |from: Value, count: Value| -> Result<Value, ExecutionError> {
                let from = need_date("add_days", &from)?;
                let count = need_days("add_days", &count)?;
                from.checked_add_signed(chrono::Duration::days(count))
                    .map(timestamp)
                    .ok_or_else(|| ExecutionError::function_error("add_days", "past the calendar"))
            },
        ),
    );
    let helper = data.clone();
    add(
        "add_working_days",
        context.add_function(
            "add_working_days",
            move |from: Value, count: Value| -> Result<Value, ExecutionError> {
                let from = need_date("add_working_days", &from)?;
                let count = need_days("add_working_days", &count)?;
                helper
                    .add_working_days(from, count)
                    .map(timestamp)
                    .ok_or_else(|| {
                        ExecutionError::function_error("add_working_days", "past the calendar")
                    })
            },
        ),
    );
    add(
        "date",
        context.add_function(
            "date",
            |text: Arc<String>| -> Result<Value, ExecutionError> {
                NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map(timestamp)
                    .map_err(|_| {
                        ExecutionError::function_error(
                            "date",
                            format!("`{text}` is not a date like 2025-04-10"),
                        )
                    })
            },
        ),
    );
    add(
        "date_of",
        context.add_function(
            "date_of",
            |year: i64, month: i64, day: i64| -> Result<Value, ExecutionError> {
                let parts = (
                    i32::try_from(year),
                    u32::try_from(month),
                    u32::try_from(day),
                );
                match parts {
                    (Ok(year), Ok(month), Ok(day)) => NaiveDate::from_ymd_opt(year, month, day)
                        .map(timestamp)
                        .ok_or_else(|| {
                            ExecutionError::function_error("date_of", "not a real date")
                        }),
                    _ => Err(ExecutionError::function_error("date_of", "not a real date")),
                }
            },
        ),
    );
    add(
        "year",
        context.add_function("year", |value: Value| -> Result<Value, ExecutionError> {
            Ok(Value::Int(i64::from(need_date("year", &value)?.year())))
        }),
    );
    add(
        "in_force",
        context.add_function(
            "in_force",
            |table: Value, on: Value| -> Result<Value, ExecutionError> {
                let on = need_date("in_force", &on)?;
                let Value::List(rows) = table else {
                    return Err(ExecutionError::function_error(
                        "in_force",
                        "needs a list of rows with a `from` date",
                    ));
                };
                let mut best: Option<(NaiveDate, &Value)> = None;
                for row in rows.iter() {
                    let Value::Map(map) = row else { continue };
                    let from = map.get(&cel::objects::Key::from("from")).and_then(to_date);
                    if let Some(from) = from {
                        if from <= on && best.is_none_or(|(current, _)| from > current) {
                            best = Some((from, row));
                        }
                    }
                }
                Ok(best.map_or(Value::Null, |(_, row)| row.clone()))
            },
        ),
    );
    let helper = data.clone();
    add(
        "holder",
        context.add_function(
            "holder",
            move |role: Arc<String>, on: Value| -> Result<Value, ExecutionError> {
                let on = need_date("holder", &on)?;
                Ok(helper.roster.holder(&role, on).map_or(Value::Null, |name| {
                    Value::String(Arc::new(name.to_string()))
                }))
            },
        ),
    );
    let helper = data.clone();
    add(
        "has_roster",
        context.add_function("has_roster", move |role: Arc<String>| -> bool {
            helper.roster.has_role(&role)
        }),
    );
    add(
        "same_person",
        context.add_function("same_person", |a: Value, b: Value| -> bool {
            match (a, b) {
                (Value::String(a), Value::String(b)) => super::roster::same_person(&a, &b),
                _ => false,
            }
        }),
    );
    add(
        "first_index",
        context.add_function("first_index", |Arguments(arguments): Arguments| -> Value {
            let index = match arguments.first() {
                Some(Value::List(items)) => {
                    items.iter().position(|item| *item == Value::Bool(true))
                }
                _ => None,
            };
            Value::Int(index.map_or(-1, |index| i64::try_from(index).unwrap_or(-1)))
        }),
    );
    add(
        "gbp",
        context.add_function("gbp", |value: Value| -> Value {
            Value::String(Arc::new(match value {
                Value::Float(amount) => money(amount),
                #[allow(clippy::cast_precision_loss)]
                Value::Int(amount) => money(amount as f64),
                other => format_value(&other),
            }))
        }),
    );
    add(
        "day",
        context.add_function("day", |value: Value| -> Value {
            Value::String(Arc::new(
                to_date(&value).map_or_else(|| format_value(&value), long_date),
            ))
        }),
    );
    add(
        "plural",
        context.add_function("plural", |count: Value, word: Arc<String>| -> Value {
            let text = format_value(&count);
            let one = matches!(count, Value::Int(1))
                || matches!(count, Value::Float(n) if (n - 1.0).abs() < f64::EPSILON);
            Value::String(Arc::new(if one {
                format!("{text} {word}")
            } else {
                format!("{text} {word}s")
            }))
        }),
    );
    add(
        "words",
        context.add_function("words", |text: Arc<String>| -> Value {
            Value::String(Arc::new(text.replace('_', " ")))
        }),
    );
    add(
        "a_or_an",
        context.add_function("a_or_an", |text: Arc<String>| -> Value {
            Value::String(Arc::new(a_or_an(&text)))
        }),
    );
    context
}

/// `estates` -> `an estates`, `grant` -> `a grant`: the article English puts before the
/// words, chosen by how they are said, so a message need not guess which word comes next.
pub fn a_or_an(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    let lower = first.to_lowercase();
    // An initialism is said letter by letter: "an FOI request", "a PCC decision".
    let initialism = first.chars().count() > 1 && first.chars().all(|c| c.is_ascii_uppercase());
    let vowel_sound = if initialism {
        first.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X'])
    } else if ["uni", "use", "usu", "ute", "eu", "one", "once", "ewe"]
        .iter()
        .any(|start| lower.starts_with(start))
    {
        false
    } else if ["hour", "honest", "honour", "heir"]
        .iter()
        .any(|start| lower.starts_with(start))
    {
        true
    } else {
        lower.starts_with(['a', 'e', 'i', 'o', 'u'])
    };
    let article = if vowel_sound { "an" } else { "a" };
    if text.is_empty() {
        article.to_string()
    } else {
        format!("{article} {text}")
    }
}

/// A parameter as the interpreter sees it; the conversion from TOML (numbers as doubles,
/// dates as timestamps, an empty string as unset) is `Param::from_toml`'s.
pub fn param_value(param: &Param) -> Value {
    match param {
        Param::Null => Value::Null,
        Param::Bool(flag) => Value::Bool(*flag),
        Param::Double(number) => Value::Float(*number),
        Param::Text(text) => Value::String(Arc::new(text.clone())),
        Param::Date(date) => timestamp(*date),
        Param::List(items) => Value::List(Arc::new(items.iter().map(param_value).collect())),
        Param::Map(map) => {
            let map: HashMap<String, Value> = map
                .iter()
                .map(|(key, value)| (key.clone(), param_value(value)))
                .collect();
            Value::from(map)
        }
    }
}

/// The TOML date as a calendar date, when it is one.
pub fn toml_date(datetime: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = datetime.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluate(source: &str) -> Result<Value, String> {
        let mut data = HelperData::default();
        data.bank_holidays
            .insert(NaiveDate::from_ymd_opt(2025, 12, 25).unwrap());
        data.bank_holidays
            .insert(NaiveDate::from_ymd_opt(2025, 12, 26).unwrap());
        let context = root_context(&Arc::new(data));
        Expression::compile(source)?.evaluate(&context)
    }

    #[test]
    fn a_hole_gives_back_the_rules_own_words_whole() {
        // A hole choosing between sentences longer than a record value's limit.
        let context = root_context(&Arc::new(HelperData::default()));
        let sentence = "the words of the rule itself ".repeat(12);
        let template = Template::parse(&format!("{{true ? '{sentence}' : ''}}")).unwrap();
        assert_eq!(template.render_in(&context).unwrap(), sentence);
    }

    #[test]
    fn the_article_follows_the_sound_of_the_next_word() {
        for (words, expected) in [
            ("estates", "an estates"),
            ("annual report", "an annual report"),
            ("indemnity", "an indemnity"),
            ("other", "an other"),
            ("grant", "a grant"),
            ("police and crime plan", "a police and crime plan"),
            ("unit", "a unit"),
            ("hour", "an hour"),
            ("MO report", "an MO report"),
            ("PCC decision", "a PCC decision"),
        ] {
            assert_eq!(a_or_an(words), expected);
        }
    }

    #[test]
    fn chains_too_deep_to_evaluate_are_refused_when_compiling() {
        // No brackets and well under the length limit, but hundreds of operations deep.
        let error = Expression::compile(&format!("{}1 > 0", "1 + ".repeat(400))).unwrap_err();
        assert!(error.contains("operations deep"), "{error}");
    }

    #[test]
    fn the_deepest_expression_allowed_evaluates_on_a_worker_thread() {
        // `1 + ... + 1 > 0` with n additions is n + 2 levels deep. Rayon's workers have
        // 2 MiB stacks; a debug build's interpreter needs the most stack per level.
        let source = format!("{}1 > 0", "1 + ".repeat(MAX_DEPTH - 2));
        let expression = Expression::compile(&source).unwrap();
        let outcome = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let context = root_context(&Arc::new(HelperData::default()));
                expression.holds(&context)
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(outcome, Ok(true));
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        // Mon 22 Dec 2025 -> Mon 29 Dec: 23, 24, (25, 26 holidays), (27, 28 weekend), 29.
        assert_eq!(
            evaluate(r#"working_days(date("2025-12-22"), date("2025-12-29"))"#),
            Ok(Value::Int(3))
        );
        assert_eq!(
            evaluate(r#"working_days(date("2025-12-29"), date("2025-12-22"))"#),
            Ok(Value::Int(0))
        );
    }

    #[test]
    fn dated_tables_pick_the_row_in_force() {
        let table =
            r#"[{"from": date("2022-01-01"), "v": 1}, {"from": date("2024-01-01"), "v": 2}]"#;
        assert_eq!(
            evaluate(&format!(r#"in_force({table}, date("2023-12-31")).v"#)),
            Ok(Value::Int(1))
        );
        assert_eq!(
            evaluate(&format!(r#"in_force({table}, date("2024-01-01")).v"#)),
            Ok(Value::Int(2))
        );
        assert_eq!(
            evaluate(&format!(r#"in_force({table}, date("2021-06-01"))"#)),
            Ok(Value::Null)
        );
    }

    #[test]
    fn comparing_a_missing_value_is_an_error_not_a_pass() {
        let error = evaluate(r#"null <= date("2025-01-01")"#).unwrap_err();
        assert!(error.contains("a value that is not recorded"), "{error}");
    }

    #[test]
    fn unknown_names_are_caught_when_compiling() {
        assert!(Expression::compile("recrod.title != null")
            .unwrap_err()
            .contains("`recrod`"));
        assert!(Expression::compile("frobnicate(record)")
            .unwrap_err()
            .contains("`frobnicate`"));
        assert!(Expression::compile(&"(".repeat(100)).is_err());
        assert!(Expression::compile("record.background_papers.exists(p, p.title != null)").is_ok());
        assert!(Expression::compile("[1].exists(p, q > 0)")
            .unwrap_err()
            .contains("`q`"));
    }

    #[test]
    fn templates_format_dates_money_and_braces() {
        let template =
            Template::parse(r#"on {date("2026-03-14")} for {gbp(1300000.0)} and {{x}}"#).unwrap();
        let context = root_context(&Arc::new(HelperData::default()));
        assert_eq!(
            template.render_in(&context).unwrap(),
            "on 14 March 2026 for £1,300,000 and {x}"
        );
        assert_eq!(money(69024.09), "£69,024.09");
        assert!(Template::parse("{unclosed").is_err());
    }

    #[test]
    fn same_person_ignores_case_and_spaces() {
        assert_eq!(
            evaluate(r#"same_person(" Polly Reed", "polly reed ")"#),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            evaluate(r#"same_person(null, "x")"#),
            Ok(Value::Bool(false))
        );
    }
}
