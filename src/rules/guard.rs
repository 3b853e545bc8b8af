//! Cheap applicability tests. The conjuncts of a rule's `when` that only compare one record
//! field with a constant (`record.type == "precept"`, `record.urgent == true`,
//! `record.procurement.route != null`, `record.type in params.equality_types`) are tested on
//! the record directly, before any expression runs: when one is false the whole `when` is
//! false, whatever its other conjuncts would give, so skipping the rule changes nothing.
//! Most rules apply to few records, so most evaluations are saved.

use cel::common::ast::{operators, Expr, LiteralValue};
use cel::IdedExpr;

use crate::load::schema::{self, Kind};
use crate::load::{FieldTable, Value};

/// One test of one field against a constant.
#[derive(Clone, Debug, PartialEq)]
pub struct Guard {
    /// The field, as a dotted path.
    pub path: String,
    /// The field's slot (`schema::slots`), to find it without comparing names.
    slot: usize,
    pub test: Test,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `record.path == "text"`: false when the field holds other text or nothing.
    EqualsText(String),
    /// `record.path == true` (or `false`): false when the field holds the other or nothing.
    EqualsBool(bool),
    /// `record.path != null`: false when the field is not recorded.
    Present,
    /// `record.path in [...]`: false when the field holds text not in the list.
    OneOf(Vec<String>),
}

impl Guard {
    /// Whether the rule may apply to this record; `false` only when its `when` is false.
    pub fn allows(&self, fields: &FieldTable) -> bool {
        let value = fields.get(self.slot);
        match &self.test {
            Test::EqualsText(text) => match value {
                None => false,
                Some(Value::Text(value)) => value == text,
                Some(_) => true, // another kind: leave the verdict to the expression
            },
            Test::EqualsBool(expected) => match value {
                None => false,
                Some(Value::Bool(recorded)) => recorded == expected,
                Some(_) => true,
            },
            Test::Present => value.is_some(),
            Test::OneOf(texts) => match value {
                Some(Value::Text(value)) => texts.iter().any(|text| text == value),
                _ => true,
            },
        }
    }
}

/// The guards of a `when` expression: its top-level conjuncts that have one of the shapes
/// above, over scalar fields of the format. `params` resolves `in params.name`.
pub fn guards(when: &IdedExpr, params: &toml::Table) -> Vec<Guard> {
    let mut conjuncts = Vec::new();
    flatten_and(when, &mut conjuncts);
    conjuncts
        .into_iter()
        .filter_map(|conjunct| guard(conjunct, params))
        .collect()
}

fn flatten_and<'e>(expression: &'e IdedExpr, out: &mut Vec<&'e IdedExpr>) {
    match &expression.expr {
        Expr::Call(call) if call.func_name == operators::LOGICAL_AND && call.target.is_none() => {
            for argument in &call.args {
                flatten_and(argument, out);
            }
        }
        _ => out.push(expression),
    }
}

fn guard(conjunct: &IdedExpr, params: &toml::Table) -> Option<Guard> {
    let Expr::Call(call) = &conjunct.expr else {
        return None;
    };
    let [left, right] = call.args.as_slice() else {
        return None;
    };
    if call.target.is_some() {
        return None;
    }
    let path = scalar_field(left)?;
    let test = match (call.func_name.as_str(), &right.expr) {
        (operators::EQUALS, Expr::Literal(LiteralValue::String(text))) => {
            Test::EqualsText(text.inner().to_string())
        }
        (operators::EQUALS, Expr::Literal(LiteralValue::Boolean(value))) => {
            Test::EqualsBool(*value.inner())
        }
        (operators::NOT_EQUALS, Expr::Literal(LiteralValue::Null)) => Test::Present,
        (operators::IN, Expr::List(list)) => Test::OneOf(
            list.elements
                .iter()
                .map(|element| match &element.expr {
                    Expr::Literal(LiteralValue::String(text)) => Some(text.inner().to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        (operators::IN, _) => {
            let name = params_name(right)?;
            Test::OneOf(
                params
                    .get(name)?
                    .as_array()?
                    .iter()
                    .map(|value| value.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()?,
            )
        }
        _ => return None,
    };
    Some(Guard {
        slot: schema::slots().of_path(&path)?,
        path,
        test,
    })
}

/// `record.a.b` -> `a.b`, when it names a scalar field of the format (a mapping or list is
/// never null to an expression, so a presence test on one is not a guard).
fn scalar_field(expression: &IdedExpr) -> Option<String> {
    let mut segments = Vec::new();
    let mut current = expression;
    loop {
        match &current.expr {
            Expr::Select(select) if !select.test => {
                segments.push(select.field.as_str());
                current = &select.operand;
            }
            Expr::Ident(name) if name == "record" => break,
            _ => return None,
        }
    }
    segments.reverse();
    let path = segments.join(".");
    let field = schema::find(&path)?;
    match field.kind {
        Kind::Object(_) | Kind::List(_) => None,
        _ => Some(path),
    }
}

/// `params.name` -> `name`.
fn params_name(expression: &IdedExpr) -> Option<&str> {
    match &expression.expr {
        Expr::Select(select) if !select.test => match &select.operand.expr {
            Expr::Ident(name) if name == "params" => Some(select.field.as_str()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::expr::Expression;

    fn guards_of(source: &str) -> Vec<Guard> {
        let mut params = toml::Table::new();
        params.insert(
            "types".into(),
            toml::Value::Array(vec!["grant".into(), "policy".into()]),
        );
        guards(Expression::compile(source).unwrap().ast(), &params)
    }

    #[test]
    fn simple_conjuncts_become_guards_and_the_rest_are_left_to_the_expression() {
        let found = guards_of(
            r#"record.type == "precept" && record.urgent == true && record.financial.amount != null && record.financial.amount > 0 && record.type in params.types && record.status in ["decided"]"#,
        );
        let tests: Vec<(&str, &Test)> = found
            .iter()
            .map(|guard| (guard.path.as_str(), &guard.test))
            .collect();
        assert_eq!(
            tests,
            [
                ("type", &Test::EqualsText("precept".into())),
                ("urgent", &Test::EqualsBool(true)),
                ("financial.amount", &Test::Present),
                ("type", &Test::OneOf(vec!["grant".into(), "policy".into()])),
                ("status", &Test::OneOf(vec!["decided".into()])),
            ]
        );
    }

    #[test]
    fn disjunctions_mappings_and_negations_give_no_guard() {
        assert!(guards_of(r#"record.type == "a" || record.type == "b""#).is_empty());
        assert!(guards_of("record.advice != null").is_empty());
        assert!(guards_of(r#"!(record.type == "a")"#).is_empty());
        assert!(guards_of("size(record.waivers) > 0").is_empty());
    }
}
