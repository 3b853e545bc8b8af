//! Cheap applicability tests. The conjuncts of a rule's `when` that only compare one record
//! field with a constant (`record.type == "precept"`, `record.urgent == true`,
//! `record.procurement.route != null`, `record.type in params.equality_types`) are tested on
//! the record directly, before any expression runs: when one is false the whole `when` is
//! false, whatever its other conjuncts would give, so skipping the rule changes nothing.
//! Most rules apply to few records, so most evaluations are saved. And when every conjunct
//! is a guard and each is settled true, the `when` is true without running it.

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
    /// The conjunct's value when the field alone settles it: `Some(false)` means the rule
    /// does not apply; `None` leaves the verdict to the expression.
    pub fn decides(&self, fields: &FieldTable) -> Option<bool> {
        let value = fields.get(self.slot);
        match (&self.test, value) {
            (Test::Present, value) => Some(value.is_some()),
            // Nothing recorded equals no text and no flag.
            (_, None) => Some(false),
            (Test::EqualsText(text), Some(Value::Text(value))) => Some(value == text),
            (Test::EqualsBool(expected), Some(Value::Bool(value))) => Some(value == expected),
            (Test::OneOf(texts), Some(Value::Text(value))) => {
                Some(texts.iter().any(|text| text == value))
            }
            // Another kind of value: the expression decides (it may well be an error).
            _ => None,
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

/// Whether every conjunct of `when` is a guard: then the guards settle it alone whenever
/// each of them settles its own part.
pub fn guards_are_whole(when: &IdedExpr, params: &toml::Table) -> bool {
    let mut conjuncts = Vec::new();
    flatten_and(when, &mut conjuncts);
    conjuncts
        .into_iter()
        .all(|conjunct| guard(conjunct, params).is_some())
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

    #[test]
    fn a_guard_settles_its_conjunct_only_from_a_value_of_its_kind() {
        let yaml = "type: grant\nurgent: true\nfinancial: {amount: 12}\nstatus: decided\n";
        let Some(crate::load::yaml::Document::Parsed(root)) =
            crate::load::yaml::parse_documents(yaml, crate::load::Limits::default()).pop()
        else {
            panic!("the test record parses")
        };
        let record = crate::load::build(root, &mut Vec::new()).expect("a record");
        let fields = record.field_table();
        let decide = |source: &str| {
            let found = guards_of(source);
            assert_eq!(found.len(), 1, "`{source}` gives one guard");
            found[0].decides(&fields)
        };
        assert_eq!(decide(r#"record.type == "grant""#), Some(true));
        assert_eq!(decide(r#"record.type == "precept""#), Some(false));
        assert_eq!(decide("record.urgent == false"), Some(false));
        assert_eq!(decide("record.financial.amount != null"), Some(true));
        assert_eq!(decide("record.decided_on != null"), Some(false));
        assert_eq!(decide("record.type in params.types"), Some(true));
        assert_eq!(decide(r#"record.title in ["x"]"#), Some(false));
        // A number compared with text: the expression decides (the interpreter says no).
        assert_eq!(decide(r#"record.financial.amount == "12""#), None);
        let whole = |source: &str| {
            let mut params = toml::Table::new();
            params.insert("types".into(), toml::Value::Array(vec!["grant".into()]));
            guards_are_whole(Expression::compile(source).unwrap().ast(), &params)
        };
        assert!(whole(r#"record.type == "grant" && record.urgent == true"#));
        assert!(!whole(
            r#"record.type == "grant" && record.financial.amount > 0"#
        ));
    }
}
