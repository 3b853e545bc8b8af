//! What a rule's expressions see: the record, its decision date, today and the parameters.
//! Expressions run on the compiled evaluator over the record as it lies; for
//! `check --interpreter` and the tests, on the CEL interpreter (`oracle.rs`), whose context
//! for a record, with the record converted to CEL values, is built the first time it is needed.

use std::cell::OnceCell;
use std::sync::Arc;

use cel::Context;
use chrono::NaiveDate;

use super::compiled::{Inputs, Param};
use super::helpers::HelperData;
use super::oracle::Oracle;
use super::RuleSet;
use crate::load::{FieldTable, Record};

/// Which evaluator runs the expressions: the compiled one, or the CEL interpreter kept to
/// test it against (`check --interpreter`), slower and with the same results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    #[default]
    Compiled,
    Interpreter,
}

/// What every record of a run shares. One per worker thread, since the interpreter's
/// contexts cannot cross threads.
pub struct Base<'r> {
    params: &'r Param,
    helpers: Arc<HelperData>,
    today: NaiveDate,
    /// The interpreter, for `Engine::Interpreter` only.
    oracle: Option<Oracle>,
}

/// The context every record of a run shares: the helpers, the parameters and today.
pub fn base_context<'r>(
    helpers: &Arc<HelperData>,
    ruleset: &'r RuleSet,
    today: NaiveDate,
    engine: Engine,
) -> Base<'r> {
    Base {
        params: &ruleset.param_values,
        helpers: helpers.clone(),
        today,
        oracle: (engine == Engine::Interpreter)
            .then(|| Oracle::new(helpers, &ruleset.param_values, today)),
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
    /// What the compiled evaluator reads.
    pub fn inputs(&self) -> &Inputs<'a> {
        &self.inputs
    }

    /// The record's fields by slot.
    pub fn fields(&self) -> &FieldTable<'a> {
        &self.inputs.fields
    }

    /// The interpreter's context for this record, when the run is on the interpreter.
    pub fn interpreter(&self) -> Option<&Context<'a, 'static>> {
        let oracle = self.base.oracle.as_ref()?;
        Some(
            self.cel.get_or_init(|| {
                oracle.record_context(self.inputs.record, self.inputs.decision_date)
            }),
        )
    }
}
