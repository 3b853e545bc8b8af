//! Cheap applicability tests. The conjuncts of a rule's `when` that only compare one record
//! field with a constant (`record.type == "precept"`, `record.urgent == true`,
//! `record.procurement.route != null`, `record.type in params.equality_types`) are tested on
//! the record directly, before any expression runs: when one is false the whole `when` is
//! false, whatever its other conjuncts would give, so skipping the rule changes nothing.
//! Most rules apply to few records, so most evaluations are saved.

use cel::common::ast::{operators, Expr, LiteralValue};
use cel::IdedExpr;

use crate::load::schema::{self, Kind};
use crate::load::{Record, Value};

/// One test of one field against a constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Guard {
    /// `record.path == "text"`: false when the field holds other text or nothing.
    EqualsText { path: String, text: String },
    /// `record.path == true` (or `false`): false when the field holds the other or nothing.
    EqualsBool { path: String, value: bool },
    /// `record.path != null`: false when the field is not recorded.
    Present { path: String },
    /// `record.path in [...]`: false when the field holds text not in the list.
    OneOf { path: String, texts: Vec<String> },
}

impl Guard {
    /// Whether the rule may apply to this record; `false` only when its `when` is false.
    pub fn allows(&self, record: &Record) -> bool {
        match self {
            Guard::EqualsText { path, text } => match record.get(path) {
                None => false,
                Some(Value::Text(value)) => value == text,
                Some(_) => true, // another kind: leave the verdict to the expression
            },
            Guard::EqualsBool { path, value } => match record.get(path) {
                None => false,
                Some(Value::Bool(recorded)) => recorded == value,
                Some(_) => true,
            },
            Guard::Present { path } => record.get(path).is_some(),
            Guard::OneOf { path, texts } => match record.get(path) {
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
    match (call.func_name.as_str(), &right.expr) {
        (operators::EQUALS, Expr::Literal(LiteralValue::String(text))) => Some(Guard::EqualsText {
            path,
            text: text.inner().to_string(),
        }),
        (operators::EQUALS, Expr::Literal(LiteralValue::Boolean(value))) => {
            Some(Guard::EqualsBool {
                path,
                value: *value.inner(),
            })
        }
        (operators::NOT_EQUALS, Expr::Literal(LiteralValue::Null)) => Some(Guard::Present { path }),
        (operators::IN, Expr::List(list)) => {
            let texts = list
                .elements
                .iter()
                .map(|element| match &element.expr {
                    Expr::Literal(LiteralValue::String(text)) => Some(text.inner().to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Guard::OneOf { path, texts })
        }
        (operators::IN, _) => {
            let name = params_name(right)?;
            let texts = params
                .get(name)?
                .as_array()?
                .iter()
                .map(|value| value.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?;
            Some(Guard::OneOf { path, texts })
        }
        _ => None,
    }
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
        assert_eq!(
            found,
            [
                Guard::EqualsText {
                    path: "type".into(),
                    text: "precept".into()
                },
                Guard::EqualsBool {
                    path: "urgent".into(),
                    value: true
                },
                Guard::Present {
                    path: "financial.amount".into()
                },
                Guard::OneOf {
                    path: "type".into(),
                    texts: vec!["grant".into(), "policy".into()]
                },
                Guard::OneOf {
                    path: "status".into(),
                    texts: vec!["decided".into()]
                },
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
