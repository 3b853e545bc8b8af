//! The most work one expression may do for one record, counted as it runs. A rule that
//! loops over lists within lists, or builds ever longer lists, then fails on that record with
//! a clear message, and the run goes on, instead of running for minutes or exhausting memory.
//!
//! Work is counted in units: one for each element a loop (`exists`, `all`, `map`, ...) goes
//! over, and for each element, or each 16 bytes of text, that `+` joins. Both evaluators
//! count the same way: the fast path declines an expression over budget, and the interpreter
//! then gives the error, so the message is the same on both.

use std::cell::Cell;

use cel::common::ast::{CallExpr, ComprehensionExpr, Expr};
use cel::common::types::CelString;
use cel::common::value::{CowVal, Val};
use cel::{ExecutionError, FunctionContext, IdedExpr, Value};

/// Far above what any rule needs on a real record (the built-in rules spend a few hundred
/// units at most; a loop within a loop over lists of 400 entries spends 160,000), and low
/// enough that an evaluation over it ends within a fraction of a second and some tens of MB.
pub const MAX_UNITS: u64 = 250_000;

/// Bytes of text counted as one unit.
const TEXT_BYTES_PER_UNIT: usize = 16;

/// The interpreter's names for the metered forms of `+` and of a loop's list.
pub const ADD: &str = "__mocheck_add";
pub const RANGE: &str = "__mocheck_range";

thread_local! {
    static SPENT: Cell<u64> = const { Cell::new(0) };
}

/// Starts counting afresh: called before each expression runs for a record.
pub fn start() {
    SPENT.set(0);
}

/// Spends `units`, or says the budget is exhausted.
pub fn spend(units: usize) -> Result<(), Exhausted> {
    let spent = SPENT
        .get()
        .saturating_add(u64::try_from(units).unwrap_or(u64::MAX));
    SPENT.set(spent);
    if spent > MAX_UNITS {
        Err(Exhausted)
    } else {
        Ok(())
    }
}

/// The units for text of `bytes` bytes.
pub fn text_units(bytes: usize) -> usize {
    bytes / TEXT_BYTES_PER_UNIT
}

#[derive(Debug)]
pub struct Exhausted;

impl std::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "it needs more work on this record than mocheck allows for one expression (over {} steps through loops over lists, or lists and text joined with `+`); simplify the rule, for example by not looping over a list inside a loop over a list",
            crate::format::group_thousands(&MAX_UNITS.to_string())
        )
    }
}

impl From<Exhausted> for ExecutionError {
    fn from(exhausted: Exhausted) -> Self {
        ExecutionError::function_error(RANGE, exhausted.to_string())
    }
}

/// The units a value costs when a loop goes over it or `+` makes it.
fn units(value: &dyn Val) -> usize {
    if let Some(text) = value.downcast_ref::<CelString>() {
        return text_units(text.inner().len());
    }
    value
        .as_sizer()
        .map_or(0, |sizer| usize::try_from(*sizer.size()).unwrap_or(0))
}

/// The expression as the interpreter runs it: each loop's list passes through `RANGE` and
/// each `+` is `ADD`, which spend units before the work is done. The tree keeps its depth
/// for `+` (a call replaces a call); a loop's list is one level deeper.
pub fn metered(expression: &IdedExpr) -> IdedExpr {
    let mut copy = expression.clone();
    meter(&mut copy, None);
    copy
}

/// `accumulator` is the innermost loop's accumulator: `map` and `filter` append to it with
/// `+`, and the interpreter recognises that shape to build the list in one pass, so those
/// appends are left alone (the loop's list already paid for them).
fn meter(node: &mut IdedExpr, accumulator: Option<&str>) {
    match &mut node.expr {
        Expr::Call(call) => {
            let appends = call.func_name == "_+_"
                && matches!(call.args.first().map(|first| &first.expr),
                    Some(Expr::Ident(name)) if Some(name.as_str()) == accumulator);
            if call.func_name == "_+_" && call.args.len() == 2 && call.target.is_none() && !appends
            {
                call.func_name = ADD.to_string();
            }
            if let Some(target) = call.target.as_deref_mut() {
                meter(target, accumulator);
            }
            for argument in &mut call.args {
                meter(argument, accumulator);
            }
        }
        Expr::Comprehension(comprehension) => {
            let ComprehensionExpr {
                iter_range,
                accu_var,
                accu_init,
                loop_cond,
                loop_step,
                result,
                ..
            } = comprehension.as_mut();
            meter(iter_range, accumulator);
            let range = std::mem::take(iter_range);
            *iter_range = IdedExpr {
                id: range.id,
                expr: Expr::Call(CallExpr {
                    func_name: RANGE.to_string(),
                    target: None,
                    args: vec![range],
                }),
            };
            meter(accu_init, accumulator);
            let inner = Some(accu_var.as_str());
            meter(loop_cond, inner);
            meter(loop_step, inner);
            meter(result, inner);
        }
        Expr::List(list) => list
            .elements
            .iter_mut()
            .for_each(|element| meter(element, accumulator)),
        Expr::Map(map) => {
            for entry in &mut map.entries {
                if let cel::common::ast::EntryExpr::MapEntry(pair) = &mut entry.expr {
                    meter(&mut pair.key, accumulator);
                    meter(&mut pair.value, accumulator);
                }
            }
        }
        Expr::Struct(object) => {
            for entry in &mut object.entries {
                if let cel::common::ast::EntryExpr::StructField(field) = &mut entry.expr {
                    meter(&mut field.value, accumulator);
                }
            }
        }
        Expr::Select(select) => meter(&mut select.operand, accumulator),
        Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => {}
    }
}

/// A function that takes the interpreter's values as they are, without converting them
/// (the crate's `Function`, which it does not export by name).
type RawFunction = Box<
    dyn for<'c, 'v> Fn(&mut FunctionContext<'c, 'v>) -> Result<CowVal<'c, 'v>, ExecutionError>
        + Send
        + Sync,
>;

/// Registers `ADD` and `RANGE` with the interpreter.
pub fn register(context: &mut cel::Context<'static, 'static>) -> Result<(), String> {
    let range: RawFunction = Box::new(range);
    let add: RawFunction = Box::new(add);
    context
        .add_function(RANGE, range)
        .map_err(|error| error.to_string())?;
    context
        .add_function(ADD, add)
        .map_err(|error| error.to_string())
}

/// A loop's list: spends a unit per element before the loop starts.
fn range<'c, 'v>(context: &mut FunctionContext<'c, 'v>) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let list = context
        .args
        .pop()
        .ok_or(ExecutionError::MissingArgumentOrTarget)?;
    spend(units(list.as_ref()).max(1))?;
    Ok(list)
}

/// `+` as the interpreter does it, after spending the size of what it will make.
fn add<'c, 'v>(context: &mut FunctionContext<'c, 'v>) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let (Some(right), Some(left)) = (context.args.pop(), context.args.pop()) else {
        return Err(ExecutionError::MissingArgumentOrTarget);
    };
    spend(units(left.as_ref()) + units(right.as_ref()))?;
    let adder = left.as_adder().ok_or_else(|| {
        ExecutionError::UnsupportedBinaryOperator(
            "add",
            Value::try_from(left.as_ref()).unwrap_or(Value::Null),
            Value::try_from(right.as_ref()).unwrap_or(Value::Null),
        )
    })?;
    Ok(CowVal::Owned(adder.add(right.as_ref())?.into_owned()))
}
