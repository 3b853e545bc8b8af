//! What a rule's expressions see: the record, its decision date, today and the parameters.
//! Expressions run on the compiled fast path (`native.rs`) over the record as it lies; the
//! CEL interpreter's context, with the record converted to CEL values, is built only for a
//! record where some expression needs the interpreter, which the built-in rules rarely do.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::Arc;

use cel::common::types::{
    CelBool, CelDouble, CelList, CelMap, CelMapKey, CelNull, CelString, CelTimestamp,
};
use cel::common::value::Val;
use cel::Context;
use chrono::NaiveDate;

use super::expr::{midnight, root_context, timestamp, HelperData};
use super::native::{Inputs, Param};
use super::RuleSet;
use crate::load::schema::{Field, Kind, RECORD};
use crate::load::{FieldTable, Member, Record, Value};

/// Which evaluator runs the expressions. The interpreter alone is slower and gives the
/// same results; it is kept selectable to compare the two (`check --engine interpreter`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The compiled fast path, with the interpreter for anything unusual.
    #[default]
    Compiled,
    /// The CEL interpreter for everything.
    Interpreter,
}

/// What every record of a run shares. One per worker thread, since the interpreter's
/// contexts cannot cross threads.
pub struct Base<'r> {
    cel: Context<'static, 'static>,
    params: &'r Param,
    helpers: Arc<HelperData>,
    today: NaiveDate,
    engine: Engine,
}

/// The context every record of a run shares: the helpers, the parameters and today.
pub fn base_context<'r>(
    helpers: &Arc<HelperData>,
    ruleset: &'r RuleSet,
    today: NaiveDate,
    engine: Engine,
) -> Base<'r> {
    let mut cel = root_context(helpers);
    cel.add_variable_from_value("params", ruleset.params_value.clone());
    cel.add_variable_from_value("today", timestamp(today));
    Base {
        cel,
        params: &ruleset.params_native,
        helpers: helpers.clone(),
        today,
        engine,
    }
}

/// One record's variables, over the base.
pub struct Scope<'a> {
    base: &'a Base<'a>,
    inputs: Inputs<'a>,
    /// The interpreter's context, built the first time an expression needs it.
    cel: OnceCell<Context<'a, 'static>>,
}

/// The variables one record's rules see. A proposal's decision date is today.
pub fn record_scope<'a>(base: &'a Base<'a>, record: &'a Record) -> Scope<'a> {
    let decision_date = if record.status() == Some("decided") {
        record.day("decided_on").map_or(base.today, |day| day.date)
    } else {
        base.today
    };
    Scope {
        base,
        inputs: Inputs {
            record,
            fields: record.field_table(),
            decision_date,
            today: base.today,
            params: base.params,
            helpers: &base.helpers,
        },
        cel: OnceCell::new(),
    }
}

impl<'a> Scope<'a> {
    /// The fast path's inputs, unless the run asked for the interpreter alone.
    pub fn inputs(&self) -> Option<&Inputs<'a>> {
        (self.base.engine == Engine::Compiled).then_some(&self.inputs)
    }

    /// The record's fields by slot, for the applicability tests.
    pub fn fields(&self) -> &FieldTable<'a> {
        &self.inputs.fields
    }

    /// The interpreter's context for this record.
    pub fn interpreter(&self) -> &Context<'a, 'static> {
        self.cel.get_or_init(|| {
            let mut scope = self.base.cel.new_inner_scope();
            scope.add_variable_as_val("record", record_value(self.inputs.record));
            scope.add_variable_from_value("decision_date", timestamp(self.inputs.decision_date));
            scope
        })
    }
}

/// The record as CEL values: every field of the format present (absent means `null`).
/// Field names are borrowed from the schema, so keys cost no allocation.
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
