//! The evaluator of rule expressions. Each expression is parsed by the CEL crate's parser,
//! then compiled here, once, when the ruleset loads, into a small tree that reads the record
//! where it lies: no CEL values are built per record, and `record.advice.legal.date` is a
//! slot number in the record's field table, not a chain of name lookups.
//!
//! The tree covers the CEL that rules are written in (see `docs/writing-rules.md`): field
//! access, literals, lists and mappings, comparisons, logic, `in`, arithmetic, the list
//! macros and the functions of `helpers::HELPERS`. An expression using anything else is
//! refused when the rules file loads, with its place, never run some other way. Evaluating
//! gives a value or an error in plain words, with CEL's meaning: `error && false` is false,
//! and an error in one element of `all()` or `exists()` stands only if no other element
//! settles the answer. The CEL interpreter (`oracle.rs`) is kept to test this against.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use cel::common::ast::{operators, EntryExpr, Expr, LiteralValue};
use cel::IdedExpr;
use chrono::{Datelike, NaiveDate};

use super::budget;
use super::helpers::{self, Function, HelperData};
use crate::format::{a_or_an, format_number, group_thousands, long_date, money};
use crate::load::schema::{self, Field, Kind, RECORD};
use crate::load::{FieldTable, Item, Member, Record, Value};

/// A parameter of the ruleset, converted once: numbers as doubles, dates as dates, an empty
/// string as unset.
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
            toml::Value::Datetime(datetime) => toml_date(datetime).map_or(Param::Null, Param::Date),
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

/// The TOML date as a calendar date, when it is one.
pub fn toml_date(datetime: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = datetime.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
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

/// An error while evaluating, in words for the office.
pub type Failure = String;
type Eval<T> = Result<T, Failure>;

/// A construct the evaluator does not support, or a name it does not know, found when
/// compiling: `id` is the parser's id of the part of the expression it is about.
#[derive(Debug)]
pub struct Unsupported {
    pub message: String,
    pub id: u64,
}

/// A compiled expression.
#[derive(Debug)]
pub struct Compiled {
    root: Node,
    /// How many macro variables it binds.
    slots: usize,
}

impl Compiled {
    /// Compiles the parsed expression, or says which part of it is not supported.
    pub fn compile(ast: &IdedExpr) -> Result<Compiled, Unsupported> {
        let mut compiler = Compiler::default();
        let root = compiler.node(ast)?;
        Ok(Compiled {
            root,
            slots: compiler.slots,
        })
    }

    /// The expression's value for one record.
    pub fn evaluate<'a>(&'a self, inputs: &Inputs<'a>) -> Eval<V<'a>> {
        evaluate(&self.root, inputs, &mut self.locals())
    }

    /// A condition's value for one record: true or false, or the other value it gave.
    pub fn holds<'a>(&'a self, inputs: &Inputs<'a>) -> Eval<Result<bool, V<'a>>> {
        truth(&self.root, inputs, &mut self.locals())
    }

    /// Room for the macro variables; most expressions bind none, and then nothing is made.
    fn locals<'a>(&self) -> Vec<V<'a>> {
        if self.slots == 0 {
            Vec::new()
        } else {
            vec![V::Null; self.slots]
        }
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
    Map(Vec<(Node, Node)>),
    Not(Box<Node>),
    Negate(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Conditional(Box<(Node, Node, Node)>),
    Equals(Box<Node>, Box<Node>, bool),
    /// `record.a.b == <literal>` (or `!=`): the commonest test, done without building values.
    SlotEquals(usize, &'static Field, Literal, bool),
    Compare(Box<Node>, Box<Node>, Comparison),
    In(Box<Node>, Box<Node>),
    /// `value in ["a", "b"]`: a list of text literals, kept as text rather than rebuilt as a
    /// list on every evaluation.
    InTexts(Box<Node>, Vec<String>),
    Arithmetic(Box<Node>, Box<Node>, Arithmetic),
    Index(Box<Node>, Box<Node>),
    NotStrictlyFalse(Box<Node>),
    Call(&'static helpers::Helper, Vec<Node>),
    /// `s.matches("...")` with the pattern written in the expression, compiled once.
    MatchesPattern(Box<Node>, Box<regex::Regex>),
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
    /// For `all` (`false`) and `exists` (`true`), the value of a step that settles the
    /// answer whatever an earlier element's error was.
    settling: Option<bool>,
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

impl Arithmetic {
    fn symbol(self) -> &'static str {
        match self {
            Arithmetic::Add => "+",
            Arithmetic::Subtract => "-",
            Arithmetic::Multiply => "*",
            Arithmetic::Divide => "/",
            Arithmetic::Remainder => "%",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Comparison::Less => ordering.is_lt(),
            Comparison::LessOrEqual => ordering.is_le(),
            Comparison::Greater => ordering.is_gt(),
            Comparison::GreaterOrEqual => ordering.is_ge(),
        }
    }
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

fn unsupported(id: u64, message: impl Into<String>) -> Unsupported {
    Unsupported {
        message: message.into(),
        id,
    }
}

impl Compiler {
    // One arm per kind of expression: long, but one match reads better than pieces of it.
    #[allow(clippy::too_many_lines)]
    fn node(&mut self, expression: &IdedExpr) -> Result<Node, Unsupported> {
        let id = expression.id;
        Ok(match &expression.expr {
            Expr::Literal(literal) => {
                match literal {
                    LiteralValue::Null => Node::Null,
                    LiteralValue::Boolean(value) => Node::Bool(*value.inner()),
                    LiteralValue::Int(value) => Node::Int(*value.inner()),
                    LiteralValue::Double(value) => Node::Double(*value.inner()),
                    LiteralValue::String(value) => Node::Text(value.inner().to_string()),
                    LiteralValue::UInt(_) => return Err(unsupported(
                        id,
                        "unsigned numbers (`5u`) are not supported; write the number without `u`",
                    )),
                    LiteralValue::Bytes(_) => {
                        return Err(unsupported(
                            id,
                            "bytes literals (`b\"...\"`) are not supported",
                        ))
                    }
                }
            }
            Expr::Ident(name) => {
                if let Some((_, slot)) = self.bound.iter().rev().find(|(bound, _)| bound == name) {
                    Node::Local(*slot)
                } else {
                    match name.as_str() {
                        "record" => Node::Record,
                        "decision_date" => Node::DecisionDate,
                        "today" => Node::Today,
                        "params" => Node::Params,
                        _ => return Err(unsupported(id, format!("an unknown name `{name}`"))),
                    }
                }
            }
            Expr::Select(select) => {
                let operand = self.node(&select.operand)?;
                if let Shape::Object(fields) = self.shape(&operand) {
                    let Some(position) = fields.iter().position(|field| field.name == select.field)
                    else {
                        return Err(unsupported(id, no_such_field(fields, &select.field)));
                    };
                    if select.test {
                        // Every field of the format is present, recorded or not.
                        return Ok(Node::Bool(true));
                    }
                    let field = &fields[position];
                    let position = u16::try_from(position)
                        .map_err(|_| unsupported(id, "a mapping with too many fields"))?;
                    let parent = match operand {
                        Node::Record => Some(None),
                        Node::Slot(slot, _) => Some(Some(slot)),
                        _ => None,
                    };
                    if let Some(slot) =
                        parent.and_then(|parent| schema::slots().child(parent, position))
                    {
                        return Ok(Node::Slot(slot, field));
                    }
                    return Ok(Node::Field(Box::new(operand), position, field));
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
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Map(map) => {
                let mut entries = Vec::with_capacity(map.entries.len());
                for entry in &map.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(pair) if !pair.optional => {
                            entries.push((self.node(&pair.key)?, self.node(&pair.value)?));
                        }
                        _ => {
                            return Err(unsupported(
                                entry.id,
                                "optional map entries are not supported",
                            ))
                        }
                    }
                }
                Node::Map(entries)
            }
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
                    settling: settling_value(fold),
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
                return call_node(id, &call.func_name, call.target.is_some(), arguments);
            }
            Expr::List(_) => {
                return Err(unsupported(id, "optional list elements are not supported"))
            }
            Expr::Comprehension(_) => {
                return Err(unsupported(
                    id,
                    "a loop over two variables is not supported",
                ))
            }
            Expr::Struct(_) => return Err(unsupported(id, "message literals are not supported")),
            Expr::Unspecified => return Err(unsupported(id, "an empty expression")),
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

/// A field the format does not have, with the nearest name it does.
fn no_such_field(fields: &[Field], name: &str) -> String {
    let nearest = fields
        .iter()
        .map(|field| (strsim::levenshtein(field.name, name), field.name))
        .min()
        .filter(|(distance, _)| *distance <= 2);
    match nearest {
        Some((_, known)) => {
            format!("the record format has no field `{name}` here; did you mean `{known}`?")
        }
        None => format!("the record format has no field `{name}` here"),
    }
}

/// `all()` folds with `@result && p`, `exists()` with `@result || p`: for these, a later
/// element that gives the settling value overrides an earlier element's error, as in CEL.
fn settling_value(fold: &cel::common::ast::ComprehensionExpr) -> Option<bool> {
    let Expr::Call(call) = &fold.loop_step.expr else {
        return None;
    };
    let folds_accumulator = call.target.is_none()
        && matches!(call.args.first().map(|arg| &arg.expr), Some(Expr::Ident(name)) if *name == fold.accu_var);
    match call.func_name.as_str() {
        operators::LOGICAL_AND if folds_accumulator => Some(false),
        operators::LOGICAL_OR if folds_accumulator => Some(true),
        _ => None,
    }
}

// One arm per operator, after the functions: long, but one match reads better split up.
#[allow(clippy::too_many_lines)]
fn call_node(
    id: u64,
    name: &str,
    has_target: bool,
    arguments: Vec<Node>,
) -> Result<Node, Unsupported> {
    if let Some(helper) = helpers::helper(name, has_target) {
        if helper
            .arguments
            .is_some_and(|count| count != arguments.len())
        {
            let given = arguments.len() - usize::from(has_target);
            let wanted = helper.arguments.unwrap_or(0) - usize::from(has_target);
            return Err(unsupported(
                id,
                format!(
                    "`{name}` takes {wanted} argument{}, not {given}",
                    if wanted == 1 { "" } else { "s" }
                ),
            ));
        }
        if helper.function == Function::Matches {
            if let [_, Node::Text(pattern)] = arguments.as_slice() {
                // A bad pattern written in the expression is refused before this, with its words.
                if let Ok(pattern) = regex::Regex::new(pattern) {
                    let target = arguments.into_iter().next().unwrap_or(Node::Null);
                    return Ok(Node::MatchesPattern(Box::new(target), Box::new(pattern)));
                }
            }
        }
        return Ok(Node::Call(helper, arguments));
    }
    let arity = match name {
        operators::LOGICAL_NOT | operators::NEGATE | operators::NOT_STRICTLY_FALSE => 1,
        operators::CONDITIONAL => 3,
        _ => 2,
    };
    let is_operator =
        name.starts_with('_') || name.starts_with('@') || name == "!_" || name == "-_";
    if !is_operator || has_target || arguments.len() != arity {
        let written = if has_target {
            format!(".{name}()")
        } else {
            format!("{name}()")
        };
        return Err(unsupported(
            id,
            match helpers::unsupported_hint(name) {
                Some("") => format!("`{written}` is standard CEL, but mocheck's expressions do not support it"),
                Some(hint) => format!("`{written}` is standard CEL, but mocheck's expressions do not support it; {hint}"),
                None if helpers::helper(name, !has_target).is_some() => format!(
                    "`{name}` is called {}",
                    if has_target { "as `name(x)`, not as a method" } else { "as a method, `x.name()`" }
                ),
                None => format!("an unknown function `{name}`"),
            },
        ));
    }
    let mut parts = arguments.into_iter().map(Box::new);
    let mut next = || {
        parts
            .next()
            .ok_or_else(|| unsupported(id, "an operator without its operands"))
    };
    Ok(match name {
        operators::LOGICAL_AND => Node::And(next()?, next()?),
        operators::LOGICAL_OR => Node::Or(next()?, next()?),
        operators::LOGICAL_NOT => Node::Not(next()?),
        operators::NEGATE => Node::Negate(next()?),
        operators::NOT_STRICTLY_FALSE => Node::NotStrictlyFalse(next()?),
        operators::CONDITIONAL => Node::Conditional(Box::new((*next()?, *next()?, *next()?))),
        operators::EQUALS => equals_node(*next()?, *next()?, true),
        operators::NOT_EQUALS => equals_node(*next()?, *next()?, false),
        operators::LESS => Node::Compare(next()?, next()?, Comparison::Less),
        operators::LESS_EQUALS => Node::Compare(next()?, next()?, Comparison::LessOrEqual),
        operators::GREATER => Node::Compare(next()?, next()?, Comparison::Greater),
        operators::GREATER_EQUALS => Node::Compare(next()?, next()?, Comparison::GreaterOrEqual),
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
        other => {
            return Err(unsupported(
                id,
                format!(
                    "the operator `{}` is not supported",
                    other.trim_matches('_')
                ),
            ))
        }
    })
}

/// `left == right`, specialised when a field of the record is compared with a literal.
fn equals_node(left: Node, right: Node, want: bool) -> Node {
    match (left, right) {
        (Node::Slot(slot, field), Node::Null) => Node::SlotEquals(slot, field, Literal::Null, want),
        (Node::Slot(slot, field), Node::Bool(value)) if !is_container(field) => {
            Node::SlotEquals(slot, field, Literal::Bool(value), want)
        }
        (Node::Slot(slot, field), Node::Text(text)) if !is_container(field) => {
            Node::SlotEquals(slot, field, Literal::Text(text), want)
        }
        (left, right) => Node::Equals(Box::new(left), Box::new(right), want),
    }
}

fn is_container(field: &Field) -> bool {
    matches!(field.kind, Kind::Object(_) | Kind::List(_))
}

/// What `equals` decides for a field of the record and a literal, without building the
/// field's value.
fn slot_equals(field: &Field, recorded: Option<&Value>, literal: &Literal) -> bool {
    if is_container(field) {
        // A mapping or list of the format is never null.
        return false;
    }
    // As `field_value`: a scalar field holding nothing, a mapping or a list is null.
    match (recorded, literal) {
        (None | Some(Value::Null | Value::Object(_) | Value::List(_)), literal) => {
            matches!(literal, Literal::Null)
        }
        (Some(Value::Bool(value)), Literal::Bool(expected)) => value == expected,
        (Some(Value::Text(text)), Literal::Text(expected)) => text == expected,
        // Any other pair of scalars is never equal.
        _ => false,
    }
}

/// A value while evaluating. Record values are borrowed where they lie.
#[derive(Debug, Clone)]
pub enum V<'a> {
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
    /// A mapping written in the expression, in the order written.
    Map(Rc<Vec<(V<'a>, V<'a>)>>),
}

impl<'a> V<'a> {
    pub fn text(&self) -> Option<&str> {
        match self {
            V::Text(text) => Some(text),
            V::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            V::Date(date) => Some(*date),
            _ => None,
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(
            self,
            V::Object(..)
                | V::Items(..)
                | V::Param(Param::List(_) | Param::Map(_))
                | V::List(_)
                | V::Map(_)
        )
    }

    fn is_mapping(&self) -> bool {
        matches!(self, V::Object(..) | V::Param(Param::Map(_)) | V::Map(_))
    }

    /// The elements, when this is a list.
    pub fn elements(&self) -> Option<Vec<V<'a>>> {
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

    /// How many elements or entries, when this is a list or a mapping, without copying them.
    fn len(&self) -> Option<usize> {
        Some(match self {
            V::Items(_, items) => items.len(),
            V::Param(Param::List(items)) => items.len(),
            V::List(items) => items.len(),
            V::Object(fields, _) => fields.len(),
            V::Param(Param::Map(map)) => map.len(),
            V::Map(entries) => entries.len(),
            _ => return None,
        })
    }

    /// The keys and values, when this is a mapping.
    pub(crate) fn entries(&self) -> Option<Vec<(V<'a>, V<'a>)>> {
        match self {
            V::Object(fields, members) => Some(
                fields
                    .iter()
                    .map(|field| (V::Text(field.name), member_value(field, *members)))
                    .collect(),
            ),
            V::Param(Param::Map(map)) => Some(
                map.iter()
                    .map(|(key, value)| (V::Text(key), param_value(value)))
                    .collect(),
            ),
            V::Map(entries) => Some(entries.as_ref().clone()),
            _ => None,
        }
    }

    /// The kind of value, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            V::Null => "a value that is not recorded",
            V::Bool(_) => "true or false",
            V::Int(_) | V::Double(_) => "a number",
            V::Text(_) | V::String(_) => "text",
            V::Date(_) => "a date",
            V::Object(..) | V::Param(Param::Map(_)) | V::Map(_) => "a map",
            V::Items(..) | V::Param(Param::List(_)) | V::List(_) => "a list",
            V::Param(scalar) => param_value(scalar).kind(),
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

fn member_value<'a>(field: &'static Field, members: Option<&'a [Member]>) -> V<'a> {
    let recorded = members
        .and_then(|members| members.iter().find(|member| member.name == field.name))
        .map(|member| &member.value);
    field_value(field, recorded)
}

/// A field of the format as expressions see it: every field present, an unset one null.
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

fn no_such_key(key: &str) -> Failure {
    format!("the field `{key}` does not exist")
}

fn select<'a>(operand: &V<'a>, name: &str) -> Eval<V<'a>> {
    match operand {
        V::Object(fields, members) => {
            let field = fields
                .iter()
                .find(|field| field.name == name)
                .ok_or_else(|| no_such_key(name))?;
            Ok(member_value(field, *members))
        }
        V::Param(Param::Map(map)) => map
            .get(name)
            .map(param_value)
            .ok_or_else(|| no_such_key(name)),
        V::Map(entries) => entries
            .iter()
            .find(|(key, _)| key.text() == Some(name))
            .map(|(_, value)| value.clone())
            .ok_or_else(|| no_such_key(name)),
        other => Err(format!(
            "`.{name}` was asked of {}, which has no fields",
            describe(other)
        )),
    }
}

fn has(operand: &V, name: &str) -> Eval<bool> {
    match operand {
        V::Object(fields, _) => Ok(fields.iter().any(|field| field.name == name)),
        V::Param(Param::Map(map)) => Ok(map.contains_key(name)),
        V::Map(entries) => Ok(entries.iter().any(|(key, _)| key.text() == Some(name))),
        other => Err(format!("`has` needs a map, found {}", describe(other))),
    }
}

/// `==` as CEL decides it: numbers by value whatever their kind, lists element by
/// element, mappings key by key; values of different kinds are never equal.
// CEL's equality of numbers is exact, so this must be too.
#[allow(clippy::float_cmp)]
fn equals(left: &V, right: &V) -> bool {
    match (left, right) {
        (V::Null, other) | (other, V::Null) => matches!(other, V::Null),
        (V::Bool(a), V::Bool(b)) => a == b,
        (V::Int(a), V::Int(b)) => a == b,
        (V::Double(a), V::Double(b)) => a == b,
        #[allow(clippy::cast_precision_loss)]
        (V::Int(a), V::Double(b)) | (V::Double(b), V::Int(a)) => (*a as f64) == *b,
        (V::Date(a), V::Date(b)) => a == b,
        (a, b) if a.is_scalar() && b.is_scalar() => match (a.text(), b.text()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        (a, b) if a.is_mapping() && b.is_mapping() => {
            let (Some(a), Some(b)) = (a.entries(), b.entries()) else {
                return false;
            };
            a.len() == b.len()
                && a.iter().all(|(key, value)| {
                    b.iter()
                        .find(|(other, _)| equals(key, other))
                        .is_some_and(|(_, other)| equals(value, other))
                })
        }
        (a, b) => match (a.elements(), b.elements()) {
            (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(&b).all(|(a, b)| equals(a, b)),
            _ => false,
        },
    }
}

/// `<` and friends, for the pairs CEL orders.
fn compare(left: &V, right: &V) -> Eval<Ordering> {
    let ordering = match (left, right) {
        (V::Int(a), V::Int(b)) => Some(a.cmp(b)),
        (V::Double(a), V::Double(b)) => a.partial_cmp(b),
        #[allow(clippy::cast_precision_loss)]
        (V::Int(a), V::Double(b)) => (*a as f64).partial_cmp(b),
        #[allow(clippy::cast_precision_loss)]
        (V::Double(a), V::Int(b)) => a.partial_cmp(&(*b as f64)),
        (V::Date(a), V::Date(b)) => Some(a.cmp(b)),
        (V::Bool(a), V::Bool(b)) => Some(a.cmp(b)),
        _ => match (left.text(), right.text()) {
            (Some(a), Some(b)) => Some(a.cmp(b)),
            _ => None,
        },
    };
    ordering.ok_or_else(|| {
        format!(
            "{} cannot be compared with {}",
            describe(left),
            describe(right)
        )
    })
}

fn contains(container: &V, value: &V) -> Eval<bool> {
    // Walked in place: `elements` would copy the list for every test.
    Ok(match container {
        V::Param(Param::Map(map)) => value.text().is_some_and(|key| map.contains_key(key)),
        V::Object(fields, _) => value
            .text()
            .is_some_and(|key| fields.iter().any(|field| field.name == key)),
        V::Map(entries) => entries.iter().any(|(key, _)| equals(key, value)),
        V::Param(Param::List(items)) => items.iter().any(|item| equals(&param_value(item), value)),
        V::Items(children, items) => items
            .iter()
            .any(|item| equals(&item_value(children, item), value)),
        V::List(items) => items.iter().any(|item| equals(item, value)),
        other => {
            return Err(format!(
                "`in` needs a list or a map, found {}",
                describe(other)
            ))
        }
    })
}

fn arithmetic<'a>(left: &V<'a>, right: &V<'a>, operation: Arithmetic) -> Eval<V<'a>> {
    let overflow = || "a number grew too large (beyond what arithmetic can hold)".to_string();
    Ok(match (left, right, operation) {
        (V::Int(_), V::Int(0), Arithmetic::Divide) => return Err("a division by zero".into()),
        (V::Int(_), V::Int(0), Arithmetic::Remainder) => {
            return Err("a remainder of a division by zero".into())
        }
        (V::Int(a), V::Int(b), _) => V::Int(
            match operation {
                Arithmetic::Add => a.checked_add(*b),
                Arithmetic::Subtract => a.checked_sub(*b),
                Arithmetic::Multiply => a.checked_mul(*b),
                Arithmetic::Divide => a.checked_div(*b),
                Arithmetic::Remainder => a.checked_rem(*b),
            }
            .ok_or_else(overflow)?,
        ),
        (V::Double(a), V::Double(b), Arithmetic::Add) => V::Double(a + b),
        (V::Double(a), V::Double(b), Arithmetic::Subtract) => V::Double(a - b),
        (V::Double(a), V::Double(b), Arithmetic::Multiply) => V::Double(a * b),
        // As CEL: a double divided by zero is infinite, not an error.
        (V::Double(a), V::Double(b), Arithmetic::Divide) => V::Double(a / b),
        (left, right, Arithmetic::Add) if left.text().is_some() && right.text().is_some() => {
            let (left, right) = (left.text().unwrap_or(""), right.text().unwrap_or(""));
            budget::spend(budget::text_units(left.len() + right.len()))
                .map_err(|error| error.to_string())?;
            let mut joined = String::with_capacity(left.len() + right.len());
            joined.push_str(left);
            joined.push_str(right);
            V::String(joined.into())
        }
        (
            V::List(_) | V::Items(..) | V::Param(Param::List(_)),
            V::List(_) | V::Items(..) | V::Param(Param::List(_)),
            Arithmetic::Add,
        ) => {
            let mut joined = left.elements().unwrap_or_default();
            let right = right.elements().unwrap_or_default();
            budget::spend(joined.len() + right.len()).map_err(|error| error.to_string())?;
            joined.extend(right);
            V::List(Rc::new(joined))
        }
        _ => {
            return Err(format!(
                "`{}` cannot be applied to {} and {}",
                operation.symbol(),
                describe(left),
                describe(right)
            ))
        }
    })
}

fn index<'a>(container: &V<'a>, key: &V<'a>) -> Eval<V<'a>> {
    if container.is_mapping() {
        return match key.text() {
            Some(name) => select(container, name),
            None => Err(format!("{} cannot be used as a key", describe(key))),
        };
    }
    let V::Int(position) = key else {
        return Err(format!(
            "{} cannot be used to pick an element",
            describe(key)
        ));
    };
    let missing = || format!("the list has no element at position `{position}`");
    let position = usize::try_from(*position).map_err(|_| missing())?;
    match container {
        V::Items(children, items) => items
            .get(position)
            .map(|item| item_value(children, item))
            .ok_or_else(missing),
        V::Param(Param::List(items)) => items.get(position).map(param_value).ok_or_else(missing),
        V::List(items) => items.get(position).cloned().ok_or_else(missing),
        other => Err(format!("{} has no elements to pick from", describe(other))),
    }
}

/// A condition's value: true or false, or the other value it gave. The logic and the
/// commonest tests are worked out here without building a value, since every rule's
/// `when` and `check` is one.
fn truth<'a>(
    node: &'a Node,
    inputs: &Inputs<'a>,
    locals: &mut Vec<V<'a>>,
) -> Eval<Result<bool, V<'a>>> {
    Ok(match node {
        Node::Bool(value) => Ok(*value),
        Node::SlotEquals(slot, field, literal, want) => {
            Ok(slot_equals(field, inputs.fields.recorded(*slot), literal) == *want)
        }
        Node::Not(operand) => Ok(!boolean("!", truth(operand, inputs, locals))?),
        Node::And(left, right) => Ok(logical("&&", false, left, right, inputs, locals)?),
        Node::Or(left, right) => Ok(logical("||", true, left, right, inputs, locals)?),
        other => match evaluate(other, inputs, locals)? {
            V::Bool(value) => Ok(value),
            value => Err(value),
        },
    })
}

/// An operand of `operator` that must be true or false, else the error CEL gives.
fn boolean(operator: &str, truth: Eval<Result<bool, V>>) -> Eval<bool> {
    match truth? {
        Ok(value) => Ok(value),
        Err(other) => Err(format!(
            "`{operator}` cannot be applied to {}",
            other.kind()
        )),
    }
}

/// `&&` and `||` as CEL has them: the operand that settles the answer (false for `&&`,
/// true for `||`) does so whatever the other gives, even an error.
fn logical<'a>(
    operator: &str,
    settling: bool,
    left: &'a Node,
    right: &'a Node,
    inputs: &Inputs<'a>,
    locals: &mut Vec<V<'a>>,
) -> Eval<bool> {
    let left = boolean(operator, truth(left, inputs, locals));
    if left == Ok(settling) {
        return Ok(settling);
    }
    let right = boolean(operator, truth(right, inputs, locals))?;
    if right == settling {
        return Ok(settling);
    }
    left
}

// One arm per kind of node: long, but one match reads better than pieces of it.
#[allow(clippy::too_many_lines)]
fn evaluate<'a>(node: &'a Node, inputs: &Inputs<'a>, locals: &mut Vec<V<'a>>) -> Eval<V<'a>> {
    Ok(match node {
        Node::Null => V::Null,
        Node::Bool(value) => V::Bool(*value),
        Node::Int(value) => V::Int(*value),
        Node::Double(value) => V::Double(*value),
        Node::Text(text) => V::Text(text),
        Node::Record => V::Object(RECORD, Some(&inputs.record.fields)),
        Node::DecisionDate => V::Date(inputs.decision_date),
        Node::Today => V::Date(inputs.today),
        Node::Params => V::Param(inputs.params),
        Node::Local(slot) => locals.get(*slot).cloned().unwrap_or(V::Null),
        Node::Slot(slot, field) => field_value(field, inputs.fields.recorded(*slot)),
        Node::Field(operand, position, field) => match evaluate(operand, inputs, locals)? {
            V::Object(_, members) => {
                let recorded = members
                    .and_then(|members| members.iter().find(|member| member.position == *position))
                    .map(|member| &member.value);
                field_value(field, recorded)
            }
            other => select(&other, field.name)?,
        },
        Node::Select(operand, name) => select(&evaluate(operand, inputs, locals)?, name)?,
        Node::Has(operand, name) => V::Bool(has(&evaluate(operand, inputs, locals)?, name)?),
        Node::List(elements) => V::List(Rc::new(
            elements
                .iter()
                .map(|element| evaluate(element, inputs, locals))
                .collect::<Eval<_>>()?,
        )),
        Node::Map(entries) => {
            let mut built: Vec<(V, V)> = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let key = evaluate(key, inputs, locals)?;
                if !key.is_scalar() || matches!(key, V::Null | V::Date(_)) {
                    return Err(format!("{} cannot be used as a key", describe(&key)));
                }
                if built.iter().any(|(known, _)| equals(known, &key)) {
                    return Err(format!(
                        "the key {} is written twice in one map",
                        describe(&key)
                    ));
                }
                let value = evaluate(value, inputs, locals)?;
                built.push((key, value));
            }
            V::Map(Rc::new(built))
        }
        Node::Not(operand) => V::Bool(!boolean("!", truth(operand, inputs, locals))?),
        Node::Negate(operand) => match evaluate(operand, inputs, locals)? {
            V::Int(value) => V::Int(value.checked_neg().ok_or_else(|| {
                "a number grew too large (beyond what arithmetic can hold)".to_string()
            })?),
            V::Double(value) => V::Double(-value),
            other => return Err(format!("`-` cannot be applied to {}", other.kind())),
        },
        Node::And(left, right) => V::Bool(logical("&&", false, left, right, inputs, locals)?),
        Node::Or(left, right) => V::Bool(logical("||", true, left, right, inputs, locals)?),
        Node::Conditional(parts) => {
            if boolean("? :", truth(&parts.0, inputs, locals))? {
                evaluate(&parts.1, inputs, locals)?
            } else {
                evaluate(&parts.2, inputs, locals)?
            }
        }
        Node::SlotEquals(slot, field, literal, want) => {
            V::Bool(slot_equals(field, inputs.fields.recorded(*slot), literal) == *want)
        }
        Node::Equals(left, right, want) => {
            let left = evaluate(left, inputs, locals)?;
            let right = evaluate(right, inputs, locals)?;
            V::Bool(equals(&left, &right) == *want)
        }
        Node::Compare(left, right, comparison) => {
            let left = evaluate(left, inputs, locals)?;
            let right = evaluate(right, inputs, locals)?;
            V::Bool(comparison.accepts(compare(&left, &right)?))
        }
        Node::In(value, container) => {
            let value = evaluate(value, inputs, locals)?;
            let container = evaluate(container, inputs, locals)?;
            V::Bool(contains(&container, &value)?)
        }
        Node::InTexts(value, texts) => {
            let value = evaluate(value, inputs, locals)?;
            V::Bool(match value.text() {
                Some(text) => texts.iter().any(|known| known == text),
                // A value of another kind equals no text.
                None => false,
            })
        }
        Node::Arithmetic(left, right, operation) => {
            let left = evaluate(left, inputs, locals)?;
            let right = evaluate(right, inputs, locals)?;
            arithmetic(&left, &right, *operation)?
        }
        Node::Index(container, key) => {
            let container = evaluate(container, inputs, locals)?;
            let key = evaluate(key, inputs, locals)?;
            index(&container, &key)?
        }
        Node::NotStrictlyFalse(operand) => match evaluate(operand, inputs, locals) {
            Ok(V::Bool(value)) => V::Bool(value),
            _ => V::Bool(true),
        },
        Node::MatchesPattern(target, pattern) => {
            let target = evaluate(target, inputs, locals)?;
            let text = target
                .text()
                .ok_or_else(|| format!("`matches` needs text, found {}", describe(&target)))?;
            V::Bool(pattern.is_match(text))
        }
        Node::Call(helper, arguments) => {
            let arguments = arguments
                .iter()
                .map(|argument| evaluate(argument, inputs, locals))
                .collect::<Eval<Vec<_>>>()?;
            call(helper.function, &arguments, inputs.helpers)
                .map_err(|reason| format!("`{}`: {reason}", helper.name))?
        }
        Node::Fold(fold) => run_fold(fold, inputs, locals)?,
    })
}

fn run_fold<'a>(fold: &'a Fold, inputs: &Inputs<'a>, locals: &mut Vec<V<'a>>) -> Eval<V<'a>> {
    let range = evaluate(&fold.range, inputs, locals)?;
    locals[fold.accumulator] = evaluate(&fold.init, inputs, locals)?;
    let elements = match range.elements() {
        Some(elements) => elements,
        // A loop over a mapping goes over its keys.
        None => range
            .entries()
            .map(|entries| entries.into_iter().map(|(key, _)| key).collect())
            .ok_or_else(|| format!("a loop needs a list, found {}", describe(&range)))?,
    };
    budget::spend(elements.len().max(1)).map_err(|error| error.to_string())?;
    let mut pending: Option<Failure> = None;
    for element in elements {
        if !boolean("loop", truth(&fold.condition, inputs, locals))? {
            break;
        }
        locals[fold.item] = element;
        match (evaluate(&fold.step, inputs, locals), fold.settling) {
            (Err(error), Some(_)) => pending = Some(error),
            (Err(error), None) => return Err(error),
            (Ok(value), Some(settling))
                if pending.is_some() && !matches!(value, V::Bool(b) if b == settling) => {}
            (Ok(value), _) => {
                pending = None;
                locals[fold.accumulator] = value;
            }
        }
    }
    if let Some(error) = pending {
        return Err(error);
    }
    evaluate(&fold.result, inputs, locals)
}

/// A whole number of days, at most a hundred years' worth so that a stray value cannot
/// loop for long.
fn days_argument(value: &V) -> Result<i64, String> {
    let count = match value {
        V::Int(count) => Some(*count),
        #[allow(clippy::cast_possible_truncation)]
        V::Double(count) if count.fract() == 0.0 && count.abs() <= 36_500.0 => Some(*count as i64),
        _ => None,
    };
    count
        .filter(|count| count.abs() <= 36_500)
        .ok_or_else(|| format!("needs a whole number of days, found {}", describe(value)))
}

/// A text argument, borrowed where it lies.
fn text_argument<'v>(arguments: &'v [V], index: usize) -> Result<&'v str, String> {
    let value = arguments.get(index).unwrap_or(&V::Null);
    value
        .text()
        .ok_or_else(|| format!("needs text, found {}", describe(value)))
}

/// One function of `helpers::HELPERS` on its arguments: a value, or why not (the caller
/// names the function).
// One arm per function: long, but one match reads better than pieces of it.
#[allow(clippy::too_many_lines)]
pub fn call<'a>(
    function: Function,
    arguments: &[V<'a>],
    data: &'a HelperData,
) -> Result<V<'a>, String> {
    let argument = |index: usize| arguments.get(index).cloned().unwrap_or(V::Null);
    let date_at = |index: usize| {
        let value = argument(index);
        value
            .date()
            .ok_or_else(|| format!("needs a date, found {}", describe(&value)))
    };
    let text_at = |index: usize| text_argument(arguments, index);
    let int_at = |index: usize| match argument(index) {
        V::Int(value) => Ok(value),
        other => Err(format!("needs a whole number, found {}", describe(&other))),
    };
    let string = |text: String| V::String(text.into());
    Ok(match function {
        Function::Size => {
            let value = argument(0);
            let size = match &value {
                V::Text(text) => text.chars().count(),
                V::String(text) => text.chars().count(),
                other => other
                    .len()
                    .ok_or_else(|| format!("cannot be applied to {}", other.kind()))?,
            };
            V::Int(i64::try_from(size).unwrap_or(i64::MAX))
        }
        Function::Days => V::Int((date_at(1)? - date_at(0)?).num_days()),
        Function::WorkingDays => V::Int(data.working_days(date_at(0)?, date_at(1)?)),
        Function::AddDays => V::Date(
            date_at(0)?
                .checked_add_signed(chrono::Duration::days(days_argument(&argument(1))?))
                .ok_or("past the calendar")?,
        ),
        Function::AddWorkingDays => V::Date(
            data.add_working_days(date_at(0)?, days_argument(&argument(1))?)
                .ok_or("past the calendar")?,
        ),
        Function::Date => {
            let text = text_at(0)?;
            V::Date(
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| format!("`{text}` is not a date like 2025-04-10"))?,
            )
        }
        Function::DateOf => {
            let (year, month, day) = (int_at(0)?, int_at(1)?, int_at(2)?);
            let parts = (
                i32::try_from(year),
                u32::try_from(month),
                u32::try_from(day),
            );
            match parts {
                (Ok(year), Ok(month), Ok(day)) => {
                    V::Date(NaiveDate::from_ymd_opt(year, month, day).ok_or("not a real date")?)
                }
                _ => return Err("not a real date".into()),
            }
        }
        Function::Year => V::Int(i64::from(date_at(0)?.year())),
        Function::InForce => {
            let on = date_at(1)?;
            let rows = argument(0)
                .elements()
                .ok_or("needs a list of rows with a `from` date")?;
            let mut best: Option<(NaiveDate, V)> = None;
            for row in rows {
                let Ok(from) = select(&row, "from") else {
                    continue;
                };
                if let Some(from) = from.date() {
                    if from <= on && best.as_ref().is_none_or(|(current, _)| from > *current) {
                        best = Some((from, row));
                    }
                }
            }
            best.map_or(V::Null, |(_, row)| row)
        }
        Function::Holder => {
            let role = text_at(0)?;
            data.roster
                .holder(role, date_at(1)?)
                .map_or(V::Null, V::Text)
        }
        Function::HasRoster => V::Bool(data.roster.has_role(text_at(0)?)),
        Function::SamePerson => V::Bool(match (argument(0).text(), argument(1).text()) {
            (Some(a), Some(b)) => super::roster::same_person(a, b),
            _ => false,
        }),
        Function::FirstIndex => {
            let position = argument(0).elements().and_then(|elements| {
                elements
                    .iter()
                    .position(|element| matches!(element, V::Bool(true)))
            });
            V::Int(position.map_or(-1, |position| i64::try_from(position).unwrap_or(-1)))
        }
        Function::Gbp => string(match argument(0) {
            V::Double(amount) => money(amount),
            #[allow(clippy::cast_precision_loss)]
            V::Int(amount) => money(amount as f64),
            other => format(&other),
        }),
        Function::Day => string(match argument(0) {
            V::Date(day) => long_date(day),
            other => format(&other),
        }),
        Function::Plural => {
            let count = argument(0);
            let word = text_at(1)?;
            let one = match count {
                V::Int(count) => count == 1,
                V::Double(count) => (count - 1.0).abs() < f64::EPSILON,
                _ => false,
            };
            let count = format(&count);
            string(if one {
                format!("{count} {word}")
            } else {
                format!("{count} {word}s")
            })
        }
        Function::Words => string(text_at(0)?.replace('_', " ")),
        Function::AOrAn => string(a_or_an(text_at(0)?)),
        Function::Contains => V::Bool(text_at(0)?.contains(text_at(1)?)),
        Function::StartsWith => V::Bool(text_at(0)?.starts_with(text_at(1)?)),
        Function::EndsWith => V::Bool(text_at(0)?.ends_with(text_at(1)?)),
        Function::Matches => {
            let pattern = text_at(1)?;
            let pattern = regex::Regex::new(pattern)
                .map_err(|_| format!("`{pattern}` is not a valid regular expression"))?;
            V::Bool(pattern.is_match(text_at(0)?))
        }
        Function::Int => match argument(0) {
            V::Int(value) => V::Int(value),
            // Cut towards zero, within the range of whole numbers.
            #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
            V::Double(value) if value.is_finite() && value.abs() < 9.2e18 => V::Int(value as i64),
            value if value.text().is_some() => V::Int(parsed(&value, "a whole number")?),
            other => {
                return Err(format!(
                    "cannot make a whole number of {}",
                    describe(&other)
                ))
            }
        },
        Function::Double => match argument(0) {
            #[allow(clippy::cast_precision_loss)]
            V::Int(value) => V::Double(value as f64),
            V::Double(value) => V::Double(value),
            value if value.text().is_some() => V::Double(parsed(&value, "a number")?),
            other => return Err(format!("cannot make a number of {}", describe(&other))),
        },
        Function::String => match argument(0) {
            V::Int(value) => string(value.to_string()),
            V::Double(value) => string(value.to_string()),
            V::Bool(value) => string(value.to_string()),
            value if value.text().is_some() => value,
            other => return Err(format!("cannot make text of {}", describe(&other))),
        },
    })
}

/// The number text such as `"12"` writes, for `int()` and `double()`.
fn parsed<T: std::str::FromStr>(value: &V, what: &str) -> Result<T, String> {
    value
        .text()
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| format!("{} is not {what}", describe(value)))
}

/// How a value reads in a message: dates as `12 March 2026`, numbers with separators,
/// `null` as `not recorded`, lists joined with commas.
pub fn format(value: &V) -> String {
    match value {
        V::Null => "not recorded".to_string(),
        V::Bool(true) => "yes".to_string(),
        V::Bool(false) => "no".to_string(),
        V::Int(number) => group_thousands(&number.to_string()),
        V::Double(number) => format_number(*number),
        V::Text(text) => (*text).to_string(),
        V::String(text) => text.to_string(),
        V::Date(date) => long_date(*date),
        V::List(_) | V::Items(..) | V::Param(Param::List(_)) => value
            .elements()
            .unwrap_or_default()
            .iter()
            .map(format)
            .collect::<Vec<_>>()
            .join(", "),
        V::Object(..) | V::Param(Param::Map(_)) | V::Map(_) => value
            .entries()
            .unwrap_or_default()
            .iter()
            .filter(|(_, value)| !matches!(value, V::Null))
            .map(|(key, value)| format!("{}: {}", format(key), format(value)))
            .collect::<Vec<_>>()
            .join(", "),
        V::Param(scalar) => format(&param_value(scalar)),
    }
}

/// A value in words, for error messages; a long one is cut short, since it may be a
/// whole list of the record.
pub fn describe(value: &V) -> String {
    const LONGEST: usize = 80;
    match value {
        V::Null => "nothing".to_string(),
        other => {
            let text = format(other);
            match text.char_indices().nth(LONGEST) {
                Some((end, _)) => format!("`{}…`", &text[..end]),
                None => format!("`{text}`"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{build, yaml};
    use crate::rules::expr::Expression;

    const RECORD_YAML: &str = "reference: T-1\ntitle: A test\ntype: grant\nstatus: decided\n\
        decided_on: 2026-03-02\ndecision_maker: {role: pcc, name: Pat Quinn}\n\
        financial: {amount: 1500.5}\nbackground_papers: [{title: One}, {title: Two, published: true}]\n";

    /// Each expression's value, as messages show values, on the compiled tree and on the
    /// CEL interpreter.
    fn both(source: &str) -> (Result<String, String>, Result<String, String>) {
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
        let param = Param::from_toml(&toml::Value::Table(params));
        let expression =
            Expression::compile(source).unwrap_or_else(|error| panic!("`{source}`: {error}"));
        let inputs = Inputs {
            record: &record,
            fields: record.field_table(),
            decision_date,
            today,
            params: &param,
            helpers: &helpers,
        };
        let compiled = expression
            .compiled()
            .evaluate(&inputs)
            .map(|value| format(&value));
        let oracle =
            crate::rules::oracle::Oracle::new(&std::sync::Arc::new(helpers.clone()), &param, today);
        let interpreted = oracle.render(expression.metered(), &record, decision_date);
        (compiled, interpreted)
    }

    #[test]
    fn the_compiled_tree_gives_what_the_interpreter_gives() {
        let answered = [
            ("record.financial.amount >= 1500", "yes"),
            ("record.financial.amount == 1500.5", "yes"),
            ("1 == 1.0", "yes"),
            ("null == 'a'", "no"),
            ("'a' == true", "no"),
            ("[1] == [1]", "yes"),
            ("[1, 'a'] == [1]", "no"),
            ("{'a': 1} == {'a': 1.0}", "yes"),
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
            ("add_days(decision_date, 3) == date('2026-03-05')", "yes"),
            ("add_working_days(decision_date, 5)", "9 March 2026"),
            (
                "year(today) == 2026 && date_of(2026, 6, 30) == today",
                "yes",
            ),
            ("date('2026-03-02') == decision_date", "yes"),
            ("in_force([{'from': today}], today) == {'from': today}", "yes"),
            (
                "gbp(record.financial.amount) + ' ' + gbp(12) + ' ' + gbp(null)",
                "£1,500.50 £12 not recorded",
            ),
            (
                "day(decision_date) + ', ' + plural(1, 'day') + ', ' + plural(2.0, 'day')",
                "2 March 2026, 1 day, 2 days",
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
            ("record.title.startsWith('A') && record.title.endsWith('test')", "yes"),
            ("record.title.contains('tes') && record.title.matches('^A t')", "yes"),
            ("matches(record.reference, 'T-[0-9]+')", "yes"),
            ("int('12') + int(2.7) == 14 && double(2) == 2.0", "yes"),
            ("string(12) + string('x')", "12x"),
            ("1.0 / 0.0 > 1.0", "yes"),
            // An error settled by the other side of `&&` or `||`, as CEL has it.
            ("record.advice.legal.date < today || true", "yes"),
            ("record.advice.legal.date < today && false", "no"),
            ("[null, date('2026-01-01')].exists(d, d < today)", "yes"),
            ("[null, today].all(d, d < today)", "no"),
        ];
        for (source, expected) in answered {
            let (compiled, interpreted) = both(source);
            assert_eq!(compiled.as_deref(), Ok(expected), "`{source}` compiled");
            assert_eq!(
                interpreted.as_deref(),
                Ok(expected),
                "`{source}` on the interpreter"
            );
        }
    }

    #[test]
    fn errors_are_errors_on_both_and_in_plain_words() {
        for (source, words) in [
            (
                "record.advice.legal.date <= decision_date",
                "nothing cannot be compared with `2 March 2026`",
            ),
            (
                "record.financial.amount + 1",
                "`+` cannot be applied to `1,500.50` and `1`",
            ),
            ("params.missing", "the field `missing` does not exist"),
            ("9223372036854775807 + 1", "a number grew too large"),
            ("1 / 0", "a division by zero"),
            (
                "date('not a date')",
                "`date`: `not a date` is not a date like 2025-04-10",
            ),
            ("date_of(2026, 2, 30)", "`date_of`: not a real date"),
            ("size(1)", "`size`: cannot be applied to a number"),
            ("words(5)", "`words`: needs text, found `5`"),
            (
                "{'a': 1, 'a': 2}.size() == 1",
                "the key `a` is written twice in one map",
            ),
            ("[null, today].exists(d, d < today)", "cannot be compared"),
            (
                "[null, date('2027-01-01')].all(d, d > today)",
                "cannot be compared",
            ),
            ("record.title && true", "`&&` cannot be applied to text"),
        ] {
            let (compiled, interpreted) = both(source);
            let error = compiled.expect_err(source);
            assert!(error.contains(words), "`{source}`: {error}");
            assert!(
                interpreted.is_err(),
                "`{source}` on the interpreter: {interpreted:?}"
            );
        }
    }

    #[test]
    fn what_is_not_supported_is_refused_when_compiling() {
        for (source, words) in [
            (
                "record.title.lowerAscii() == 'a'",
                "`.lowerAscii()` is standard CEL, but mocheck's expressions do not support it",
            ),
            (
                "timestamp('2026-01-01T00:00:00Z') < today",
                "write a date as `date(\"2026-01-31\")`",
            ),
            ("today.getFullYear() == 2026", "write `year(d)`"),
            ("5u == 5u", "unsigned numbers"),
            (
                "record.titel == null",
                "the record format has no field `titel` here; did you mean `title`?",
            ),
            (
                "record.advice.legal.dated == null",
                "no field `dated` here; did you mean `date`?",
            ),
            ("days(today)", "`days` takes 2 arguments, not 1"),
            (
                "record.title.size(1) == 1",
                "`size` takes 0 arguments, not 1",
            ),
            (
                "record.title.words() == 'x'",
                "`words` is called as `name(x)`, not as a method",
            ),
        ] {
            let error = Expression::compile(source).expect_err(source).to_string();
            assert!(error.contains(words), "`{source}`: {error}");
        }
    }
}
