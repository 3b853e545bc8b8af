//! The fast path for rule expressions. Each expression is parsed by the CEL crate, then
//! compiled here into a small tree that reads the record where it lies: no CEL values are
//! built per record and names are resolved once, when the ruleset loads.
//!
//! The tree covers the CEL the rules are written in (field access, comparisons, logic,
//! `in`, lists, the list macros, arithmetic, the helpers) and only its ordinary outcomes.
//! Whenever anything is unusual (a type mismatch, a missing key, an overflow, an argument
//! of the wrong kind) evaluation answers `None` and the caller asks the CEL interpreter,
//! which then gives the result, or the error, exactly as it always would. An expression
//! using anything not covered is not compiled at all and always runs on the interpreter.
//! So this path may only ever answer what the interpreter would: the equivalence tests in
//! `tests/integration/engines.rs` compare the two on every rule and many records.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use cel::common::ast::{operators, Expr, LiteralValue};
use cel::IdedExpr;
use chrono::{Datelike, NaiveDate};

use super::budget;
use super::expr::HelperData;
use crate::format::{format_number, group_thousands, long_date, money};
use crate::load::schema::{self, Field, Kind, RECORD};
use crate::load::{FieldTable, Item, Member, Record, Value};

/// A parameter of the ruleset, converted once as the interpreter sees it: numbers as
/// doubles, dates as dates, an empty string as unset.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Null,
    Bool(bool),
    Double(f64),
    Text(String),
    Date(NaiveDate),
    List(Vec<Param>),
    Map(HashMap<String, Param>),
}

impl Param {
    pub fn from_toml(value: &toml::Value) -> Param {
        match value {
            toml::Value::String(text) if text.is_empty() => Param::Null,
            toml::Value::String(text) => Param::Text(text.clone()),
            #[allow(clippy::cast_precision_loss)]
            toml::Value::Integer(number) => Param::Double(*number as f64),
            toml::Value::Float(number) => Param::Double(*number),
            toml::Value::Boolean(flag) => Param::Bool(*flag),
            toml::Value::Datetime(datetime) => {
                super::expr::toml_date(datetime).map_or(Param::Null, Param::Date)
            }
            toml::Value::Array(items) => Param::List(items.iter().map(Param::from_toml).collect()),
            toml::Value::Table(table) => Param::Map(
                table
                    .iter()
                    .map(|(key, value)| (key.clone(), Param::from_toml(value)))
                    .collect(),
            ),
        }
    }
}

/// What an expression reads: the record, its decision date, today and the parameters.
pub struct Inputs<'a> {
    pub record: &'a Record,
    /// The record's fields by slot, for the fields rules name from `record`.
    pub fields: FieldTable<'a>,
    pub decision_date: NaiveDate,
    pub today: NaiveDate,
    pub params: &'a Param,
    pub helpers: &'a HelperData,
}

/// A compiled expression.
#[derive(Debug)]
pub struct Native {
    root: Node,
    /// How many macro variables it binds.
    slots: usize,
}

impl Native {
    /// Compiles the parsed expression, or `None` if it uses anything this path does not
    /// cover (it then always runs on the interpreter).
    pub fn compile(ast: &IdedExpr) -> Option<Native> {
        let mut compiler = Compiler::default();
        let root = compiler.node(ast)?;
        Some(Native {
            root,
            slots: compiler.slots,
        })
    }

    /// The value of a condition, when it is a boolean reached without anything unusual.
    pub fn holds(&self, inputs: &Inputs) -> Option<bool> {
        match self.evaluate(inputs)? {
            V::Bool(value) => Some(value),
            _ => None,
        }
    }

    /// The value as a message shows it (see `expr::format_value`).
    pub fn render(&self, inputs: &Inputs) -> Option<String> {
        format(&self.evaluate(inputs)?)
    }

    fn evaluate<'a>(&'a self, inputs: &Inputs<'a>) -> Option<V<'a>> {
        let mut locals = vec![V::Null; self.slots];
        evaluate(&self.root, inputs, &mut locals)
    }
}

#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Text(String),
    Record,
    DecisionDate,
    Today,
    Params,
    Local(usize),
    /// A field of the record, outside lists, by its slot (`schema::slots`).
    Slot(usize, &'static Field),
    /// A field of a record mapping whose place in the format is known when compiling.
    Field(Box<Node>, u16, &'static Field),
    Select(Box<Node>, String),
    Has(Box<Node>, String),
    List(Vec<Node>),
    Not(Box<Node>),
    Negate(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Conditional(Box<(Node, Node, Node)>),
    Equals(Box<Node>, Box<Node>, bool),
    /// `record.a.b == <literal>` (or `!=`): the commonest test, done without building values.
    SlotEquals(usize, &'static Field, Literal, bool),
    Compare(Box<Node>, Box<Node>, fn(Ordering) -> bool),
    In(Box<Node>, Box<Node>),
    /// `value in ["a", "b"]`: a list of text literals, kept as text rather than rebuilt as a
    /// list on every evaluation.
    InTexts(Box<Node>, Vec<String>),
    Arithmetic(Box<Node>, Box<Node>, Arithmetic),
    Index(Box<Node>, Box<Node>),
    NotStrictlyFalse(Box<Node>),
    Call(Function, Vec<Node>),
    Fold(Box<Fold>),
}

/// A macro (`exists`, `all`, `exists_one`, `map`, `filter`) as CEL expands it: a loop
/// over a list with an accumulator.
#[derive(Debug)]
struct Fold {
    range: Node,
    item: usize,
    accumulator: usize,
    init: Node,
    condition: Node,
    step: Node,
    result: Node,
}

/// A literal a field is compared with in `SlotEquals`.
#[derive(Debug)]
enum Literal {
    Null,
    Bool(bool),
    Text(String),
}

#[derive(Debug, Clone, Copy)]
enum Arithmetic {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}

#[derive(Debug, Clone, Copy)]
enum Function {
    Size,
    Days,
    WorkingDays,
    Date,
    DateOf,
    Year,
    InForce,
    Holder,
    HasRoster,
    SamePerson,
    FirstIndex,
    Gbp,
    Day,
    Plural,
    Words,
    AOrAn,
}

#[derive(Default)]
struct Compiler {
    /// Macro variables in scope, innermost last, with their slots.
    bound: Vec<(String, usize)>,
    slots: usize,
    /// What each slot holds, when known: an entry of a list of the record.
    slot_shapes: Vec<Shape>,
}

/// What the format says a value is, when that is known while compiling.
#[derive(Clone, Copy)]
enum Shape {
    Unknown,
    Object(&'static [Field]),
    Items(&'static [Field]),
}

impl Compiler {
    fn node(&mut self, expression: &IdedExpr) -> Option<Node> {
        Some(match &expression.expr {
            Expr::Literal(literal) => match literal {
                LiteralValue::Null => Node::Null,
                LiteralValue::Boolean(value) => Node::Bool(*value.inner()),
                LiteralValue::Int(value) => Node::Int(*value.inner()),
                LiteralValue::Double(value) => Node::Double(*value.inner()),
                LiteralValue::String(value) => Node::Text(value.inner().to_string()),
                LiteralValue::Bytes(_) | LiteralValue::UInt(_) => return None,
            },
            Expr::Ident(name) => {
                if let Some((_, slot)) = self.bound.iter().rev().find(|(bound, _)| bound == name) {
                    Node::Local(*slot)
                } else {
                    match name.as_str() {
                        "record" => Node::Record,
                        "decision_date" => Node::DecisionDate,
                        "today" => Node::Today,
                        "params" => Node::Params,
                        _ => return None,
                    }
                }
            }
            Expr::Select(select) => {
                let operand = self.node(&select.operand)?;
                if let (Shape::Object(fields), false) = (self.shape(&operand), select.test) {
                    if let Some(position) =
                        fields.iter().position(|field| field.name == select.field)
                    {
                        let field = &fields[position];
                        let position = u16::try_from(position).ok()?;
                        let parent = match operand {
                            Node::Record => Some(None),
                            Node::Slot(slot, _) => Some(Some(slot)),
                            _ => None,
                        };
                        if let Some(parent) = parent {
                            let slot = schema::slots().child(parent, position)?;
                            return Some(Node::Slot(slot, field));
                        }
                        return Some(Node::Field(Box::new(operand), position, field));
                    }
                }
                let operand = Box::new(operand);
                if select.test {
                    Node::Has(operand, select.field.clone())
                } else {
                    Node::Select(operand, select.field.clone())
                }
            }
            Expr::List(list) if list.optional_indices.is_empty() => Node::List(
                list.elements
                    .iter()
                    .map(|element| self.node(element))
                    .collect::<Option<_>>()?,
            ),
            Expr::Comprehension(fold) if fold.iter_var2.is_none() => {
                let range = self.node(&fold.iter_range)?;
                let init = self.node(&fold.accu_init)?;
                let item_shape = match self.shape(&range) {
                    Shape::Items(children) => Shape::Object(children),
                    _ => Shape::Unknown,
                };
                let accumulator = self.bind(&fold.accu_var, Shape::Unknown);
                let item = self.bind(&fold.iter_var, item_shape);
                let condition = self.node(&fold.loop_cond);
                let step = self.node(&fold.loop_step);
                let result = self.node(&fold.result);
                self.bound.truncate(self.bound.len() - 2);
                Node::Fold(Box::new(Fold {
                    range,
                    item,
                    accumulator,
                    init,
                    condition: condition?,
                    step: step?,
                    result: result?,
                }))
            }
            Expr::Call(call) => {
                let mut arguments = Vec::with_capacity(call.args.len() + 1);
                if let Some(target) = &call.target {
                    arguments.push(self.node(target)?);
                }
                for argument in &call.args {
                    arguments.push(self.node(argument)?);
                }
                return call_node(&call.func_name, call.target.is_some(), arguments);
            }
            _ => return None,
        })
    }

    fn bind(&mut self, name: &str, shape: Shape) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.bound.push((name.to_string(), slot));
        self.slot_shapes.push(shape);
        slot
    }

    fn shape(&self, node: &Node) -> Shape {
        match node {
            Node::Record => Shape::Object(RECORD),
            Node::Field(_, _, field) | Node::Slot(_, field) => match field.kind {
                Kind::Object(children) => Shape::Object(children),
                Kind::List(children) => Shape::Items(children),
                _ => Shape::Unknown,
            },
            Node::Local(slot) => self.slot_shapes[*slot],
            _ => Shape::Unknown,
        }
    }
}

fn call_node(name: &str, has_target: bool, arguments: Vec<Node>) -> Option<Node> {
    if let Some(function) = function_named(name, has_target) {
        let expected = match function {
            Function::FirstIndex => None,
            Function::Size
            | Function::Date
            | Function::Year
            | Function::HasRoster
            | Function::Gbp
            | Function::Day
            | Function::Words
            | Function::AOrAn => Some(1),
            Function::DateOf => Some(3),
            _ => Some(2),
        };
        if expected.is_some_and(|count| count != arguments.len()) {
            return None;
        }
        return Some(Node::Call(function, arguments));
    }
    let arity = match name {
        operators::LOGICAL_NOT | operators::NEGATE | operators::NOT_STRICTLY_FALSE => 1,
        operators::CONDITIONAL => 3,
        _ => 2,
    };
    if has_target || arguments.len() != arity {
        return None;
    }
    let mut parts = arguments.into_iter().map(Box::new);
    let mut next = || parts.next();
    Some(match name {
        operators::LOGICAL_AND => Node::And(next()?, next()?),
        operators::LOGICAL_OR => Node::Or(next()?, next()?),
        operators::LOGICAL_NOT => Node::Not(next()?),
        operators::NEGATE => Node::Negate(next()?),
        operators::NOT_STRICTLY_FALSE => Node::NotStrictlyFalse(next()?),
        operators::CONDITIONAL => Node::Conditional(Box::new((*next()?, *next()?, *next()?))),
        operators::EQUALS => equals_node(*next()?, *next()?, true),
        operators::NOT_EQUALS => equals_node(*next()?, *next()?, false),
        operators::LESS => Node::Compare(next()?, next()?, Ordering::is_lt),
        operators::LESS_EQUALS => Node::Compare(next()?, next()?, Ordering::is_le),
        operators::GREATER => Node::Compare(next()?, next()?, Ordering::is_gt),
        operators::GREATER_EQUALS => Node::Compare(next()?, next()?, Ordering::is_ge),
        operators::IN => {
            let (value, list) = (next()?, next()?);
            match *list {
                Node::List(elements) if elements.iter().all(|e| matches!(e, Node::Text(_))) => {
                    let texts = elements
                        .into_iter()
                        .filter_map(|element| match element {
                            Node::Text(text) => Some(text),
                            _ => None,
                        })
                        .collect();
                    Node::InTexts(value, texts)
                }
                list => Node::In(value, Box::new(list)),
            }
        }
        operators::ADD => Node::Arithmetic(next()?, next()?, Arithmetic::Add),
        operators::SUBSTRACT => Node::Arithmetic(next()?, next()?, Arithmetic::Subtract),
        operators::MULTIPLY => Node::Arithmetic(next()?, next()?, Arithmetic::Multiply),
        operators::DIVIDE => Node::Arithmetic(next()?, next()?, Arithmetic::Divide),
        operators::MODULO => Node::Arithmetic(next()?, next()?, Arithmetic::Remainder),
        operators::INDEX => Node::Index(next()?, next()?),
        _ => return None,
    })
}

/// `left == right`, specialised when a field of the record is compared with a literal.
fn equals_node(left: Node, right: Node, want: bool) -> Node {
    match (left, right) {
        (Node::Slot(slot, field), Node::Null) => Node::SlotEquals(slot, field, Literal::Null, want),
        (Node::Slot(slot, field), Node::Bool(value)) => {
            Node::SlotEquals(slot, field, Literal::Bool(value), want)
        }
        (Node::Slot(slot, field), Node::Text(text)) => {
            Node::SlotEquals(slot, field, Literal::Text(text), want)
        }
        (left, right) => Node::Equals(Box::new(left), Box::new(right), want),
    }
}

/// What `equals` decides for a field of the record and a literal, without building the
/// field's value; `None` where `equals` would (a mapping or list against a non-null).
fn slot_equals(field: &Field, recorded: Option<&Value>, literal: &Literal) -> Option<bool> {
    if matches!(field.kind, Kind::Object(_) | Kind::List(_)) {
        // Never null; against anything else, left to the interpreter.
        return matches!(literal, Literal::Null).then_some(false);
    }
    // As `field_value`: a scalar field holding nothing, a mapping or a list is null.
    Some(match (recorded, literal) {
        (None | Some(Value::Null | Value::Object(_) | Value::List(_)), literal) => {
            matches!(literal, Literal::Null)
        }
        (Some(Value::Bool(value)), Literal::Bool(expected)) => value == expected,
        (Some(Value::Text(text)), Literal::Text(expected)) => text == expected,
        // Any other pair of scalars is never equal.
        _ => false,
    })
}

/// The functions this path knows; only `size` may also be called as a method.
fn function_named(name: &str, has_target: bool) -> Option<Function> {
    if has_target {
        return (name == "size").then_some(Function::Size);
    }
    Some(match name {
        "size" => Function::Size,
        "days" => Function::Days,
        "working_days" => Function::WorkingDays,
        "date" => Function::Date,
        "date_of" => Function::DateOf,
        "year" => Function::Year,
        "in_force" => Function::InForce,
        "holder" => Function::Holder,
        "has_roster" => Function::HasRoster,
        "same_person" => Function::SamePerson,
        "first_index" => Function::FirstIndex,
        "gbp" => Function::Gbp,
        "day" => Function::Day,
        "plural" => Function::Plural,
        "words" => Function::Words,
        "a_or_an" => Function::AOrAn,
        _ => return None,
    })
}

/// A value while evaluating. Record values are borrowed where they lie.
#[derive(Debug, Clone)]
enum V<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Text(&'a str),
    String(Rc<str>),
    Date(NaiveDate),
    /// A mapping of the record (all its format's fields are present, unset ones null).
    Object(&'static [Field], Option<&'a [Member]>),
    /// A list of mappings of the record.
    Items(&'static [Field], &'a [Item]),
    /// A list or table of the parameters.
    Param(&'a Param),
    List(Rc<Vec<V<'a>>>),
}

impl<'a> V<'a> {
    fn text(&self) -> Option<&str> {
        match self {
            V::Text(text) => Some(text),
            V::String(text) => Some(text),
            _ => None,
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        match self {
            V::Date(date) => Some(*date),
            _ => None,
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(
            self,
            V::Object(..) | V::Items(..) | V::Param(_) | V::List(_)
        )
    }

    /// The elements, when this is a list.
    fn elements(&self) -> Option<Vec<V<'a>>> {
        match self {
            V::Items(children, items) => Some(
                items
                    .iter()
                    .map(|item| item_value(children, item))
                    .collect(),
            ),
            V::Param(Param::List(items)) => Some(items.iter().map(param_value).collect()),
            V::List(items) => Some(items.as_ref().clone()),
            _ => None,
        }
    }
}

fn param_value(param: &Param) -> V<'_> {
    match param {
        Param::Null => V::Null,
        Param::Bool(value) => V::Bool(*value),
        Param::Double(value) => V::Double(*value),
        Param::Text(text) => V::Text(text),
        Param::Date(date) => V::Date(*date),
        Param::List(_) | Param::Map(_) => V::Param(param),
    }
}

fn item_value<'a>(children: &'static [Field], item: &'a Item) -> V<'a> {
    match &item.value {
        Value::Object(members) => V::Object(children, Some(members)),
        _ => V::Object(children, None),
    }
}

/// A field of the format as the interpreter sees it (`check::values` builds the same).
fn field_value<'a>(field: &'static Field, recorded: Option<&'a Value>) -> V<'a> {
    match (&field.kind, recorded) {
        (Kind::Object(children), Some(Value::Object(members))) => {
            V::Object(children, Some(members))
        }
        (Kind::Object(children), _) => V::Object(children, None),
        (Kind::List(children), Some(Value::List(items))) => V::Items(children, items),
        (Kind::List(children), _) => V::Items(children, &[]),
        (_, None | Some(Value::Null | Value::Object(_) | Value::List(_))) => V::Null,
        (_, Some(Value::Bool(flag))) => V::Bool(*flag),
        (_, Some(Value::Text(text))) => V::Text(text),
        (_, Some(Value::Money(amount))) => V::Double(*amount),
        (_, Some(Value::Date(day))) => V::Date(day.date),
    }
}

fn select<'a>(operand: &V<'a>, name: &str) -> Option<V<'a>> {
    match operand {
        V::Object(fields, members) => {
            let field = fields.iter().find(|field| field.name == name)?;
            let recorded = (*members)
                .and_then(|members| members.iter().find(|member| member.name == name))
                .map(|member| &member.value);
            Some(field_value(field, recorded))
        }
        V::Param(Param::Map(map)) => map.get(name).map(param_value),
        _ => None,
    }
}

fn has(operand: &V, name: &str) -> Option<bool> {
    match operand {
        V::Object(fields, _) => Some(fields.iter().any(|field| field.name == name)),
        V::Param(Param::Map(map)) => Some(map.contains_key(name)),
        _ => None,
    }
}

/// `==` as the interpreter decides it for scalars; `None` for lists and mappings.
// CEL's equality of numbers is exact, so this must be too.
#[allow(clippy::float_cmp)]
fn equals(left: &V, right: &V) -> Option<bool> {
    Some(match (left, right) {
        (V::Null, other) | (other, V::Null) => matches!(other, V::Null),
        (V::Bool(a), V::Bool(b)) => a == b,
        (V::Int(a), V::Int(b)) => a == b,
        (V::Double(a), V::Double(b)) => a == b,
        #[allow(clippy::cast_precision_loss)]
        (V::Int(a), V::Double(b)) | (V::Double(b), V::Int(a)) => (*a as f64) == *b,
        (V::Date(a), V::Date(b)) => a == b,
        (a, b) if a.is_scalar() && b.is_scalar() => match (a.text(), b.text()) {
            (Some(a), Some(b)) => a == b,
            // Scalars of different kinds are never equal.
            _ => false,
        },
        _ => return None,
    })
}

/// `<` and friends, for the pairs the interpreter orders.
fn compare(left: &V, right: &V) -> Option<Ordering> {
    match (left, right) {
        (V::Int(a), V::Int(b)) => Some(a.cmp(b)),
        (V::Double(a), V::Double(b)) => a.partial_cmp(b),
        #[allow(clippy::cast_precision_loss)]
        (V::Int(a), V::Double(b)) => (*a as f64).partial_cmp(b),
        #[allow(clippy::cast_precision_loss)]
        (V::Double(a), V::Int(b)) => a.partial_cmp(&(*b as f64)),
        (V::Date(a), V::Date(b)) => Some(a.cmp(b)),
        _ => Some(left.text()?.cmp(right.text()?)),
    }
}

fn contains(container: &V, value: &V) -> Option<bool> {
    // Walked in place: `elements` would copy the list for every test.
    let mut found = false;
    let mut test = |element: &V| -> Option<()> {
        found = found || equals(element, value)?;
        Some(())
    };
    match container {
        V::Param(Param::Map(map)) => return Some(map.contains_key(value.text()?)),
        V::Param(Param::List(items)) => {
            for item in items {
                test(&param_value(item))?;
            }
        }
        V::Items(children, items) => {
            for item in *items {
                test(&item_value(children, item))?;
            }
        }
        V::List(items) => {
            for item in items.iter() {
                test(item)?;
            }
        }
        _ => return None,
    }
    Some(found)
}

fn arithmetic<'a>(left: V<'a>, right: V<'a>, operation: Arithmetic) -> Option<V<'a>> {
    Some(match (left, right, operation) {
        (V::Int(a), V::Int(b), _) => V::Int(match operation {
            Arithmetic::Add => a.checked_add(b)?,
            Arithmetic::Subtract => a.checked_sub(b)?,
            Arithmetic::Multiply => a.checked_mul(b)?,
            Arithmetic::Divide => a.checked_div(b)?,
            Arithmetic::Remainder => a.checked_rem(b)?,
        }),
        (V::Double(a), V::Double(b), _) => V::Double(match operation {
            Arithmetic::Add => a + b,
            Arithmetic::Subtract => a - b,
            Arithmetic::Multiply => a * b,
            // Division by zero and remainders are left to the interpreter.
            Arithmetic::Divide if b != 0.0 => a / b,
            _ => return None,
        }),
        (left, right, Arithmetic::Add) if left.text().is_some() && right.text().is_some() => {
            budget::spend(budget::text_units(left.text()?.len() + right.text()?.len())).ok()?;
            let mut joined = String::with_capacity(64);
            joined.push_str(left.text()?);
            joined.push_str(right.text()?);
            V::String(joined.into())
        }
        (left @ (V::List(_) | V::Items(..) | V::Param(Param::List(_))), right, Arithmetic::Add) => {
            let mut joined = left.elements()?;
            let right = right.elements()?;
            budget::spend(joined.len() + right.len()).ok()?;
            joined.extend(right);
            V::List(Rc::new(joined))
        }
        _ => return None,
    })
}

fn index<'a>(container: &V<'a>, key: &V<'a>) -> Option<V<'a>> {
    match (container, key) {
        (V::Object(..) | V::Param(Param::Map(_)), key) => select(container, key.text()?),
        (_, V::Int(position)) => {
            let position = usize::try_from(*position).ok()?;
            match container {
                V::Items(children, items) => Some(item_value(children, items.get(position)?)),
                V::Param(Param::List(items)) => items.get(position).map(param_value),
                V::List(items) => items.get(position).cloned(),
                _ => None,
            }
        }
        _ => None,
    }
}

// One arm per kind of node: long, but one match reads better than pieces of it.
#[allow(clippy::too_many_lines)]
fn evaluate<'a>(node: &'a Node, inputs: &Inputs<'a>, locals: &mut Vec<V<'a>>) -> Option<V<'a>> {
    Some(match node {
        Node::Null => V::Null,
        Node::Bool(value) => V::Bool(*value),
        Node::Int(value) => V::Int(*value),
        Node::Double(value) => V::Double(*value),
        Node::Text(text) => V::Text(text),
        Node::Record => V::Object(RECORD, Some(&inputs.record.fields)),
        Node::DecisionDate => V::Date(inputs.decision_date),
        Node::Today => V::Date(inputs.today),
        Node::Params => V::Param(inputs.params),
        Node::Local(slot) => locals.get(*slot)?.clone(),
        Node::Slot(slot, field) => field_value(field, inputs.fields.recorded(*slot)),
        Node::Field(operand, position, field) => match evaluate(operand, inputs, locals)? {
            V::Object(_, members) => {
                let recorded = members
                    .and_then(|members| members.iter().find(|member| member.position == *position))
                    .map(|member| &member.value);
                field_value(field, recorded)
            }
            _ => return None,
        },
        Node::Select(operand, name) => select(&evaluate(operand, inputs, locals)?, name)?,
        Node::Has(operand, name) => V::Bool(has(&evaluate(operand, inputs, locals)?, name)?),
        Node::List(elements) => V::List(Rc::new(
            elements
                .iter()
                .map(|element| evaluate(element, inputs, locals))
                .collect::<Option<_>>()?,
        )),
        Node::Not(operand) => match evaluate(operand, inputs, locals)? {
            V::Bool(value) => V::Bool(!value),
            _ => return None,
        },
        Node::Negate(operand) => match evaluate(operand, inputs, locals)? {
            V::Int(value) => V::Int(value.checked_neg()?),
            V::Double(value) => V::Double(-value),
            _ => return None,
        },
        Node::And(left, right) => match evaluate(left, inputs, locals)? {
            V::Bool(false) => V::Bool(false),
            V::Bool(true) => match evaluate(right, inputs, locals)? {
                V::Bool(value) => V::Bool(value),
                _ => return None,
            },
            _ => return None,
        },
        Node::Or(left, right) => match evaluate(left, inputs, locals)? {
            V::Bool(true) => V::Bool(true),
            V::Bool(false) => match evaluate(right, inputs, locals)? {
                V::Bool(value) => V::Bool(value),
                _ => return None,
            },
            _ => return None,
        },
        Node::Conditional(parts) => match evaluate(&parts.0, inputs, locals)? {
            V::Bool(true) => evaluate(&parts.1, inputs, locals)?,
            V::Bool(false) => evaluate(&parts.2, inputs, locals)?,
            _ => return None,
        },
        Node::SlotEquals(slot, field, literal, want) => {
            V::Bool(slot_equals(field, inputs.fields.recorded(*slot), literal)? == *want)
        }
        Node::Equals(left, right, want) => {
            let left = evaluate(left, inputs, locals)?;
            let right = evaluate(right, inputs, locals)?;
            V::Bool(equals(&left, &right)? == *want)
        }
        Node::Compare(left, right, accepts) => {
            let left = evaluate(left, inputs, locals)?;
            let right = evaluate(right, inputs, locals)?;
            V::Bool(accepts(compare(&left, &right)?))
        }
        Node::In(value, container) => {
            let value = evaluate(value, inputs, locals)?;
            let container = evaluate(container, inputs, locals)?;
            V::Bool(contains(&container, &value)?)
        }
        Node::InTexts(value, texts) => match evaluate(value, inputs, locals)? {
            V::Text(text) => V::Bool(texts.iter().any(|known| known == text)),
            V::String(text) => V::Bool(texts.iter().any(|known| **known == *text)),
            // A value of another kind equals no text.
            other if other.is_scalar() => V::Bool(false),
            _ => return None,
        },
        Node::Arithmetic(left, right, operation) => {
            let left = evaluate(left, inputs, locals)?;
            let right = evaluate(right, inputs, locals)?;
            arithmetic(left, right, *operation)?
        }
        Node::Index(container, key) => {
            let container = evaluate(container, inputs, locals)?;
            let key = evaluate(key, inputs, locals)?;
            index(&container, &key)?
        }
        Node::NotStrictlyFalse(operand) => match evaluate(operand, inputs, locals)? {
            V::Bool(value) => V::Bool(value),
            _ => V::Bool(true),
        },
        Node::Call(function, arguments) => {
            let arguments = arguments
                .iter()
                .map(|argument| evaluate(argument, inputs, locals))
                .collect::<Option<Vec<_>>>()?;
            call(*function, &arguments, inputs)?
        }
        Node::Fold(fold) => {
            let range = evaluate(&fold.range, inputs, locals)?;
            let accumulator = evaluate(&fold.init, inputs, locals)?;
            locals[fold.accumulator] = accumulator;
            let elements = range.elements()?;
            // Over budget, the interpreter runs it again and gives the error.
            budget::spend(elements.len().max(1)).ok()?;
            for element in elements {
                match evaluate(&fold.condition, inputs, locals)? {
                    V::Bool(true) => {}
                    V::Bool(false) => break,
                    _ => return None,
                }
                locals[fold.item] = element;
                locals[fold.accumulator] = evaluate(&fold.step, inputs, locals)?;
            }
            evaluate(&fold.result, inputs, locals)?
        }
    })
}

fn call<'a>(function: Function, arguments: &[V<'a>], inputs: &Inputs<'a>) -> Option<V<'a>> {
    let date = |index: usize| arguments.get(index).and_then(V::date);
    let text = |index: usize| arguments.get(index).and_then(V::text);
    let int = |index: usize| match arguments.get(index) {
        Some(V::Int(value)) => Some(*value),
        _ => None,
    };
    let string = |text: String| V::String(text.into());
    Some(match function {
        Function::Size => {
            let size = match arguments.first()? {
                V::Object(fields, _) => fields.len(),
                V::Param(Param::Map(map)) => map.len(),
                V::Text(text) => text.chars().count(),
                V::String(text) => text.chars().count(),
                list => list.elements()?.len(),
            };
            V::Int(i64::try_from(size).ok()?)
        }
        Function::Days => V::Int((date(1)? - date(0)?).num_days()),
        Function::WorkingDays => V::Int(inputs.helpers.working_days(date(0)?, date(1)?)),
        Function::Date => V::Date(NaiveDate::parse_from_str(text(0)?, "%Y-%m-%d").ok()?),
        Function::DateOf => V::Date(NaiveDate::from_ymd_opt(
            i32::try_from(int(0)?).ok()?,
            u32::try_from(int(1)?).ok()?,
            u32::try_from(int(2)?).ok()?,
        )?),
        Function::Year => V::Int(i64::from(date(0)?.year())),
        Function::InForce => {
            let on = date(1)?;
            let V::Param(Param::List(rows)) = arguments.first()? else {
                return None;
            };
            let mut best: Option<(NaiveDate, &Param)> = None;
            for row in rows {
                let Param::Map(map) = row else { continue };
                if let Some(Param::Date(from)) = map.get("from") {
                    if *from <= on && best.is_none_or(|(current, _)| *from > current) {
                        best = Some((*from, row));
                    }
                }
            }
            best.map_or(V::Null, |(_, row)| V::Param(row))
        }
        Function::Holder => inputs
            .helpers
            .roster
            .holder(text(0)?, date(1)?)
            .map_or(V::Null, V::Text),
        Function::HasRoster => V::Bool(inputs.helpers.roster.has_role(text(0)?)),
        Function::SamePerson => V::Bool(match (arguments.first()?, arguments.get(1)?) {
            (a @ (V::Text(_) | V::String(_)), b @ (V::Text(_) | V::String(_))) => {
                super::roster::same_person(a.text()?, b.text()?)
            }
            _ => false,
        }),
        Function::FirstIndex => {
            let position = match arguments.first() {
                Some(list @ (V::List(_) | V::Items(..) | V::Param(Param::List(_)))) => list
                    .elements()?
                    .iter()
                    .position(|element| matches!(element, V::Bool(true))),
                _ => None,
            };
            V::Int(position.map_or(-1, |position| i64::try_from(position).unwrap_or(-1)))
        }
        Function::Gbp => string(match arguments.first()? {
            V::Double(amount) => money(*amount),
            #[allow(clippy::cast_precision_loss)]
            V::Int(amount) => money(*amount as f64),
            other => format(other)?,
        }),
        Function::Day => string(match arguments.first()? {
            V::Date(date) => long_date(*date),
            other => format(other)?,
        }),
        Function::Plural => {
            let count = arguments.first()?;
            let word = text(1)?;
            let one = match count {
                V::Int(count) => *count == 1,
                V::Double(count) => (count - 1.0).abs() < f64::EPSILON,
                _ => false,
            };
            let count = format(count)?;
            string(if one {
                format!("{count} {word}")
            } else {
                format!("{count} {word}s")
            })
        }
        Function::Words => string(text(0)?.replace('_', " ")),
        Function::AOrAn => string(super::expr::a_or_an(text(0)?)),
    })
}

/// `expr::format_value`, for the values it formats without falling back to debug output.
fn format(value: &V) -> Option<String> {
    Some(match value {
        V::Null => "not recorded".to_string(),
        V::Bool(true) => "yes".to_string(),
        V::Bool(false) => "no".to_string(),
        V::Int(number) => group_thousands(&number.to_string()),
        V::Double(number) => format_number(*number),
        V::Text(text) => (*text).to_string(),
        V::String(text) => text.to_string(),
        V::Date(date) => long_date(*date),
        V::List(_) | V::Param(Param::List(_)) => value
            .elements()?
            .iter()
            .map(format)
            .collect::<Option<Vec<_>>>()?
            .join(", "),
        V::Object(..) | V::Items(..) | V::Param(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{build, yaml};
    use crate::rules::expr::{format_value, root_context, timestamp, Expression};
    use crate::rules::scope::record_value;

    const RECORD_YAML: &str = "reference: T-1\ntitle: A test\ntype: grant\nstatus: decided\n\
        decided_on: 2026-03-02\ndecision_maker: {role: pcc, name: Pat Quinn}\n\
        financial: {amount: 1500.5}\nbackground_papers: [{title: One}, {title: Two, published: true}]\n";

    /// Each expression's value on the fast path and on the interpreter, as messages show
    /// values; `None` where the fast path leaves it to the interpreter.
    fn both(source: &str) -> (Option<String>, Result<String, String>) {
        let Some(yaml::Document::Parsed(root)) =
            yaml::parse_documents(RECORD_YAML, yaml::Limits::default()).pop()
        else {
            panic!("the test record parses")
        };
        let record = build(root, &mut Vec::new()).expect("a record");
        let params: toml::Table = toml::from_str(
            "threshold = 500000\ntypes = ['grant', 'policy']\nlimits = { pcc = 10 }\nempty = ''",
        )
        .unwrap();
        let helpers = HelperData::default();
        let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let decision_date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let param = Param::from_toml(&toml::Value::Table(params.clone()));
        let expression = Expression::compile(source).unwrap();
        let native = Native::compile(expression.ast());
        let inputs = Inputs {
            record: &record,
            fields: record.field_table(),
            decision_date,
            today,
            params: &param,
            helpers: &helpers,
        };
        let fast = native.and_then(|native| native.render(&inputs));
        let mut context = root_context(&std::sync::Arc::new(helpers.clone()));
        context.add_variable_from_value(
            "params",
            crate::rules::expr::param_value(&Param::from_toml(&toml::Value::Table(params))),
        );
        context.add_variable_from_value("today", timestamp(today));
        context.add_variable_as_val("record", record_value(&record));
        context.add_variable_from_value("decision_date", timestamp(decision_date));
        let slow = expression
            .evaluate(&context)
            .map(|value| format_value(&value));
        (fast, slow)
    }

    #[test]
    fn the_fast_path_gives_what_the_interpreter_gives() {
        let answered = [
            ("record.financial.amount >= 1500", "yes"),
            ("record.financial.amount == 1500.5", "yes"),
            ("1 == 1.0", "yes"),
            ("null == 'a'", "no"),
            ("'a' == true", "no"),
            ("record.advice.legal.date == null", "yes"),
            ("record.type in params.types", "yes"),
            ("record.type in ['policy', 'budget']", "no"),
            (
                "record.type in ['budget', 'grant'] && !(null in ['grant'])",
                "yes",
            ),
            ("'pcc' in params.limits", "yes"),
            ("params.limits['pcc'] + 0.5", "10.50"),
            ("params.empty", "not recorded"),
            ("params.threshold", "500,000"),
            (
                "record.background_papers.exists(p, p.published == true)",
                "yes",
            ),
            ("record.background_papers.all(p, p.title != null)", "yes"),
            (
                "record.background_papers.exists_one(p, p.title == 'One')",
                "yes",
            ),
            ("record.background_papers.map(p, p.title)", "One, Two"),
            (
                "record.background_papers.filter(p, p.published == true).map(p, p.title)",
                "Two",
            ),
            (
                "first_index(record.background_papers.map(p, p.published == true))",
                "1",
            ),
            ("first_index([false])", "-1"),
            ("size(record.background_papers) + size('héllo')", "7"),
            ("record.background_papers[1].title", "Two"),
            ("has(record.advice.legal)", "yes"),
            ("!(1 < 2) || 3 - 1 == 2 && 7 % 4 == 3 && 7 / 2 == 3", "yes"),
            ("-record.financial.amount * 2.0", "-3,001"),
            ("decision_date < today ? 'before' : 'after'", "before"),
            ("days(decision_date, today)", "120"),
            ("working_days(decision_date, today)", "86"),
            (
                "year(today) == 2026 && date_of(2026, 6, 30) == today",
                "yes",
            ),
            ("date('2026-03-02') == decision_date", "yes"),
            ("in_force([{'from': today}], today)", "no"),
            (
                "gbp(record.financial.amount) + ' ' + gbp(12) + ' ' + gbp(null)",
                "£1,500.50 £12 not recorded",
            ),
            (
                "day(decision_date) + ', ' + plural(1, 'day') + ', ' + plural(2.0, 'day')",
                "2 March 2026, 1 day, 2 days",
            ),
            (
                "words(record.type) + same_person(' pat quinn', record.decision_maker.name)",
                "",
            ),
            (
                "a_or_an(words('estates')) + ', ' + a_or_an('grant') + ', ' + a_or_an('FOI request')",
                "an estates, a grant, an FOI request",
            ),
            (
                "same_person(record.decision_maker.name, ' PAT QUINN ')",
                "yes",
            ),
            (
                "holder('chief_executive', today) == null && !has_roster('chief_executive')",
                "yes",
            ),
        ];
        for (source, expected) in answered {
            let (fast, slow) = both(source);
            match fast {
                Some(fast) => {
                    assert_eq!(Ok(fast.clone()), slow, "`{source}`");
                    if !expected.is_empty() {
                        assert_eq!(fast, expected, "`{source}`");
                    }
                }
                // Only these are meant to need the interpreter.
                None => assert!(
                    source.starts_with("in_force(") || source.starts_with("words("),
                    "`{source}` should be answered on the fast path"
                ),
            }
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_interpreter() {
        // Errors and the interpreter's own behaviour at the edges: the fast path declines.
        for source in [
            "record.advice.legal.date <= decision_date",
            "record.financial.amount + 1",
            "record.nonexistent == null",
            "params.missing",
            "9223372036854775807 + 1",
            "1 / 0",
            "date('not a date')",
            "date_of(2026, 2, 30)",
            "[1] == [1]",
            "size(1)",
        ] {
            let (fast, slow) = both(source);
            assert_eq!(
                fast, None,
                "`{source}` gave {fast:?}; the interpreter: {slow:?}"
            );
        }
    }
}
