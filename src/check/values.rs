//! A record as the values rules see: every field of the format present (absent means
//! `null`), built once per record and shared by all its rules.

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value as CelValue;

use crate::load::schema::{Field, Kind, RECORD};
use crate::load::{Member, Record, Value};
use crate::rules::expr::timestamp;

pub fn record_value(record: &Record) -> CelValue {
    object(RECORD, Some(&record.fields))
}

fn object(fields: &'static [Field], members: Option<&[Member]>) -> CelValue {
    let mut map: HashMap<String, CelValue> = HashMap::with_capacity(fields.len());
    for field in fields {
        let recorded =
            members.and_then(|members| members.iter().find(|member| member.name == field.name));
        map.insert(
            field.name.to_string(),
            value(field, recorded.map(|member| &member.value)),
        );
    }
    CelValue::from(map)
}

fn value(field: &'static Field, recorded: Option<&Value>) -> CelValue {
    match (&field.kind, recorded) {
        (Kind::Object(children), Some(Value::Object(members))) => object(children, Some(members)),
        (Kind::Object(children), _) => object(children, None),
        (Kind::List(children), Some(Value::List(items))) => CelValue::List(Arc::new(
            items
                .iter()
                .map(|item| match &item.value {
                    Value::Object(members) => object(children, Some(members)),
                    _ => object(children, None),
                })
                .collect(),
        )),
        (Kind::List(_), _) => CelValue::List(Arc::new(Vec::new())),
        (_, None | Some(Value::Null | Value::Object(_) | Value::List(_))) => CelValue::Null,
        (_, Some(Value::Bool(flag))) => CelValue::Bool(*flag),
        (_, Some(Value::Text(text))) => CelValue::String(Arc::new(text.clone())),
        (_, Some(Value::Money(amount))) => CelValue::Float(*amount),
        (_, Some(Value::Date(day))) => timestamp(day.date),
    }
}
