//! The CEL interpreter of the `cel` crate, kept as a test oracle for the compiled evaluator
//! (`compiled.rs`): `mocheck test` runs every rule's examples on both and reports where they
//! disagree, `tests/integration/engines.rs` does the same over every rule and many records,
//! and `check --interpreter` (not in `--help`) runs a whole check on it, to compare.
//!
//! It is an independent reading of CEL's core (fields, operators, macros, the standard
//! functions). The project's own helpers are not written twice: each is registered here as
//! a call of the one implementation in `compiled::call`, its arguments converted.

use std::collections::HashMap;
use std::sync::Arc;

use cel::common::types::{
    CelBool, CelDouble, CelList, CelMap, CelMapKey, CelNull, CelString, CelTimestamp,
};
use cel::common::value::Val;
use cel::extractors::Arguments;
use cel::{Context, ExecutionError, IdedExpr, Value};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::rc::Rc;

use super::budget;
use super::compiled::{self, Param, V};
use super::helpers::{HelperData, HELPERS};
use crate::load::schema::{Field, Kind, RECORD};
use crate::load::{Member, Record};

/// What every record of a run shares on the interpreter: the standard library, the
/// helpers, the parameters and today. One per worker thread: contexts cannot cross threads.
pub struct Oracle {
    context: Context<'static, 'static>,
}

impl Oracle {
    pub fn new(helpers: &Arc<HelperData>, params: &Param, today: NaiveDate) -> Oracle {
        let mut context = root_context(helpers);
        context.add_variable_from_value("params", param_value(params));
        context.add_variable_from_value("today", timestamp(today));
        Oracle { context }
    }

    /// One record's context, over the shared one.
    pub fn record_context(
        &self,
        record: &Record,
        decision_date: NaiveDate,
    ) -> Context<'_, 'static> {
        let mut scope = self.context.new_inner_scope();
        scope.add_variable_as_val("record", record_value(record));
        scope.add_variable_from_value("decision_date", timestamp(decision_date));
        scope
    }

    /// The expression's value on one record, as a message shows it (for tests).
    pub fn render(
        &self,
        expression: &IdedExpr,
        record: &Record,
        decision_date: NaiveDate,
    ) -> Result<String, String> {
        let context = self.record_context(record, decision_date);
        evaluate(expression, &context).map(|value| format_value(&value))
    }
}

/// Evaluates an expression on the interpreter, in the form that counts its work
/// (`budget::metered`), within the budget.
pub fn evaluate(metered: &IdedExpr, context: &Context) -> Result<Value, String> {
    budget::start();
    Value::resolve(metered, context).map_err(|error| plain_error(&error))
}

/// How a value reads in a message: as the compiled evaluator formats it.
pub fn format_value(value: &Value) -> String {
    match to_v(value) {
        Ok(value) => compiled::format(&value),
        Err(_) => format!("{value:?}"),
    }
}

/// The interpreter's value as the compiled evaluator's, to hand to a helper or to format.
pub fn to_v(value: &Value) -> Result<V<'static>, ExecutionError> {
    Ok(match value {
        Value::Null => V::Null,
        Value::Bool(flag) => V::Bool(*flag),
        Value::Int(number) => V::Int(*number),
        Value::UInt(number) => V::Int(i64::try_from(*number).unwrap_or(i64::MAX)),
        Value::Float(number) => V::Double(*number),
        Value::String(text) => V::String(Rc::from(text.as_str())),
        Value::Timestamp(stamp) => V::Date(stamp.date_naive()),
        Value::List(items) => V::List(Rc::new(items.iter().map(to_v).collect::<Result<_, _>>()?)),
        Value::Map(map) => {
            let mut entries = Vec::with_capacity(map.map.len());
            for (key, value) in map.map.iter() {
                let key = match key {
                    cel::objects::Key::Int(number) => V::Int(*number),
                    cel::objects::Key::Uint(number) => {
                        V::Int(i64::try_from(*number).unwrap_or(i64::MAX))
                    }
                    cel::objects::Key::Bool(flag) => V::Bool(*flag),
                    cel::objects::Key::String(text) => V::String(Rc::from(text.as_str())),
                };
                entries.push((key, to_v(value)?));
            }
            V::Map(Rc::new(entries))
        }
        other => {
            return Err(ExecutionError::function_error(
                "value",
                format!("{other:?} is not a value rules use"),
            ))
        }
    })
}

/// The compiled evaluator's value as the interpreter's.
fn from_v(value: &V) -> Value {
    match value {
        V::Null => Value::Null,
        V::Bool(flag) => Value::Bool(*flag),
        V::Int(number) => Value::Int(*number),
        V::Double(number) => Value::Float(*number),
        V::Text(_) | V::String(_) => {
            Value::String(Arc::new(value.text().unwrap_or_default().to_string()))
        }
        V::Date(date) => timestamp(*date),
        V::Param(param) => param_value(param),
        V::List(_) | V::Items(..) => Value::List(Arc::new(
            value
                .elements()
                .unwrap_or_default()
                .iter()
                .map(from_v)
                .collect(),
        )),
        V::Object(..) | V::Map(_) => {
            // Keys are text: the format's field names, or a dated table's column names.
            let entries: HashMap<String, Value> = value
                .entries()
                .unwrap_or_default()
                .iter()
                .filter_map(|(key, value)| Some((key.text()?.to_string(), from_v(value))))
                .collect();
            Value::from(entries)
        }
    }
}

/// A date as rules see it on the interpreter: a timestamp at midnight.
pub fn timestamp(date: NaiveDate) -> Value {
    Value::Timestamp(midnight(date))
}

fn midnight(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .fixed_offset()
}

/// A parameter as the interpreter sees it.
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

/// A root context with the standard library and the project's helpers, each a call of
/// its one implementation.
fn root_context(data: &Arc<HelperData>) -> Context<'static, 'static> {
    let mut context = Context::default();
    // The names are fixed and tested; a clash would be a programming error.
    budget::register(&mut context).unwrap_or_else(|error| panic!("the budget: {error}"));
    for helper in HELPERS.iter().filter(|helper| helper.ours) {
        let data = data.clone();
        let (name, function) = (helper.name, helper.function);
        context
            .add_function(
                name,
                move |Arguments(arguments): Arguments| -> Result<Value, ExecutionError> {
                    let values: Vec<V<'static>> =
                        arguments.iter().map(to_v).collect::<Result<_, _>>()?;
                    compiled::call(function, &values, &data)
                        .map(|value| from_v(&value))
                        .map_err(|reason| ExecutionError::function_error(name, reason))
                },
            )
            .unwrap_or_else(|error| panic!("helper {name}: {error}"));
    }
    context
}

/// The record as CEL values: every field of the format present (absent means `null`).
/// Field names are borrowed from the schema, so keys cost no allocation.
fn record_value(record: &Record) -> Box<dyn Val> {
    object(RECORD, Some(&record.fields))
}

fn object(fields: &'static [Field], members: Option<&[Member]>) -> Box<dyn Val> {
    let mut map: HashMap<CelMapKey<'static>, Box<dyn Val>> = HashMap::with_capacity(fields.len());
    for field in fields {
        let recorded =
            members.and_then(|members| members.iter().find(|member| member.name == field.name));
        map.insert(
            CelMapKey::String(CelString::from(field.name)),
            field_value(field, recorded.map(|member| &member.value)),
        );
    }
    Box::new(CelMap::from(map))
}

fn field_value(field: &'static Field, recorded: Option<&crate::load::Value>) -> Box<dyn Val> {
    use crate::load::Value as Recorded;
    match (&field.kind, recorded) {
        (Kind::Object(children), Some(Recorded::Object(members))) => {
            object(children, Some(members))
        }
        (Kind::Object(children), _) => object(children, None),
        (Kind::List(children), Some(Recorded::List(items))) => Box::new(CelList::from(
            items
                .iter()
                .map(|item| match &item.value {
                    Recorded::Object(members) => object(children, Some(members)),
                    _ => object(children, None),
                })
                .collect::<Vec<_>>(),
        )),
        (Kind::List(_), _) => Box::new(CelList::from(Vec::new())),
        (_, None | Some(Recorded::Null | Recorded::Object(_) | Recorded::List(_))) => {
            Box::new(CelNull)
        }
        (_, Some(Recorded::Bool(flag))) => Box::new(CelBool::from(*flag)),
        (_, Some(Recorded::Text(text))) => Box::new(CelString::from(text.clone())),
        (_, Some(Recorded::Money(amount))) => Box::new(CelDouble::from(*amount)),
        (_, Some(Recorded::Date(day))) => Box::new(CelTimestamp::from(midnight(day.date))),
    }
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
        ExecutionError::DivisionByZero(_) => "a division by zero".to_string(),
        ExecutionError::RemainderByZero(_) => "a remainder of a division by zero".to_string(),
        ExecutionError::Overflow(..) => {
            "a number grew too large (beyond what arithmetic can hold)".to_string()
        }
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

/// A value in words, as the compiled evaluator describes it.
fn describe(value: &Value) -> String {
    match to_v(value) {
        Ok(value) => compiled::describe(&value),
        Err(_) => "a value of another kind".to_string(),
    }
}

/// A type as the interpreter names it, in words.
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
