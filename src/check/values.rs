//! A record as the values rules see: every field of the format present (absent means
//! `null`), built once per record straight into CEL's value types and shared by all its
//! rules. Field names are borrowed from the schema, so keys cost no allocation.

use std::collections::HashMap;

use cel::common::types::{
    CelBool, CelDouble, CelList, CelMap, CelMapKey, CelNull, CelString, CelTimestamp,
};
use cel::common::value::Val;

use crate::load::schema::{Field, Kind, RECORD};
use crate::load::{Member, Record, Value};
use crate::rules::expr::midnight;

pub fn record_value(record: &Record) -> Box<dyn Val> {
    object(RECORD, Some(&record.fields))
}

fn object(fields: &'static [Field], members: Option<&[Member]>) -> Box<dyn Val> {
    let mut map: HashMap<CelMapKey<'static>, Box<dyn Val>> = HashMap::with_capacity(fields.len());
    for field in fields {
        let recorded =
            members.and_then(|members| members.iter().find(|member| member.name == field.name));
        map.insert(
            CelMapKey::String(CelString::from(field.name)),
            value(field, recorded.map(|member| &member.value)),
        );
    }
    Box::new(CelMap::from(map))
}

fn value(field: &'static Field, recorded: Option<&Value>) -> Box<dyn Val> {
    match (&field.kind, recorded) {
        (Kind::Object(children), Some(Value::Object(members))) => object(children, Some(members)),
        (Kind::Object(children), _) => object(children, None),
        (Kind::List(children), Some(Value::List(items))) => Box::new(CelList::from(
            items
                .iter()
                .map(|item| match &item.value {
                    Value::Object(members) => object(children, Some(members)),
                    _ => object(children, None),
                })
                .collect::<Vec<_>>(),
        )),
        (Kind::List(_), _) => Box::new(CelList::from(Vec::new())),
        (_, None | Some(Value::Null | Value::Object(_) | Value::List(_))) => Box::new(CelNull),
        (_, Some(Value::Bool(flag))) => Box::new(CelBool::from(*flag)),
        (_, Some(Value::Text(text))) => Box::new(CelString::from(text.clone())),
        (_, Some(Value::Money(amount))) => Box::new(CelDouble::from(*amount)),
        (_, Some(Value::Date(day))) => Box::new(CelTimestamp::from(midnight(day.date))),
    }
}
