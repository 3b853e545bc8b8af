//! YAML node tree -> a record of format version 1: every value checked against the schema,
//! every key and value keeping its span. Problems become MO090 (unreadable) or MO091
//! (unknown field) with a plain message; nothing here panics on bad input.

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveTime};

use super::schema::{self, Field, Kind};
use super::source::Span;
use super::yaml::{shorten, Node, NodeKind};

/// A date as recorded. Rules compare by day; the time is kept only to show it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Recorded as nothing: `null`, `~`, an empty value or an empty string.
    Null,
    Bool(bool),
    /// Text and enumeration values.
    Text(String),
    Date(Day),
    Money(f64),
    List(Vec<Item>),
    Object(Vec<Member>),
}

/// One list entry and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub value: Value,
    pub span: Span,
}

/// One key of a mapping that the format knows, with the spans of its key and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub name: &'static str,
    /// The field's place among its mapping's fields in the format (`schema.rs`), so rules
    /// can find it by number rather than by name.
    pub position: u16,
    pub key_span: Span,
    pub value: Value,
    pub span: Span,
}

/// A record's values by slot, see `Record::field_table`.
pub struct FieldTable<'r> {
    values: Vec<Option<&'r Value>>,
}

impl<'r> FieldTable<'r> {
    /// The value in a slot as recorded, `null` included; `None` if absent.
    pub fn recorded(&self, slot: usize) -> Option<&'r Value> {
        self.values.get(slot).copied().flatten()
    }

    /// The value in a slot, if recorded and not `null`: as `Record::get`.
    pub fn get(&self, slot: usize) -> Option<&'r Value> {
        self.recorded(slot).filter(|value| **value != Value::Null)
    }
}

/// A decision record: its fields, and where its document starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub fields: Vec<Member>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// MO090: the record cannot be checked.
    Unreadable,
    /// MO091: a key the format does not know.
    UnknownField,
}

/// Something wrong with the record itself, found while reading it.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub path: String,
    pub message: String,
    pub span: Span,
    pub related: Option<(Span, String)>,
    /// What to write instead, for this kind of value (a date, a sum); `None` leaves the
    /// rule's general help.
    pub help: Option<&'static str>,
}

/// What to write instead of a date mocheck could not read: real notices give vague dates and
/// typos, and neither may be guessed at.
pub const DATE_HELP: &str = "Write the date as YYYY-MM-DD, e.g. 2026-02-16, as the signed notice gives it. If the notice gives only a month or a meeting (\"March meeting\"), find the day in the minutes or the register; if it has a slip such as 16/02/204, check the original. Never guess: a field left out is reported as missing, a wrong date is not.";

/// What to write instead of a sum mocheck could not read.
pub const MONEY_HELP: &str = "Write the sum as a plain number of pounds, without the £ sign or commas, e.g. 69024.09. If the notice has a slip such as £69,024,09, check the sum against the report or the accounts before recording it.";

const ENUM_HELP: &str =
    "Use one of the allowed values listed in the message, spelt exactly as shown.";

const BOOL_HELP: &str = "Write true or false, without quotes.";

impl Record {
    /// The value at a dotted path (`advice.legal.date`, `waivers[0].rule`), if recorded.
    pub fn get(&self, path: &str) -> Option<&Value> {
        match self.lookup(path) {
            Found::Exact { value, .. } if *value != Value::Null => Some(value),
            _ => None,
        }
    }

    /// Every field outside lists by its slot (`schema::slots`): built once per record so
    /// rules find values by number.
    pub fn field_table(&self) -> FieldTable<'_> {
        let slots = schema::slots();
        let mut values = vec![None; slots.count];
        let mut pending = vec![(None, self.fields.as_slice())];
        while let Some((parent, members)) = pending.pop() {
            for member in members {
                let Some(slot) = slots.child(parent, member.position) else {
                    continue;
                };
                if let Some(entry @ None) = values.get_mut(slot) {
                    *entry = Some(&member.value);
                    if let Value::Object(children) = &member.value {
                        pending.push((Some(slot), children.as_slice()));
                    }
                }
            }
        }
        FieldTable { values }
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        match self.get(path)? {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn day(&self, path: &str) -> Option<Day> {
        match self.get(path)? {
            Value::Date(day) => Some(*day),
            _ => None,
        }
    }

    pub fn money(&self, path: &str) -> Option<f64> {
        match self.get(path)? {
            Value::Money(amount) => Some(*amount),
            _ => None,
        }
    }

    pub fn reference(&self) -> Option<&str> {
        self.text("reference")
    }

    /// The kinds of decision the record is: one, or several when `type` is a list.
    pub fn types(&self) -> Vec<&str> {
        match self.get("type") {
            Some(Value::Text(text)) => vec![text.as_str()],
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::Text(text) => Some(text.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The record as rules see it: itself, or, when it is several kinds of decision at once
    /// (`type: [budget, precept]`), one view per kind with `type` that kind alone, pointing
    /// at its entry of the list. A notice that sets the budget and the precept must meet the
    /// rules of both, and rules (built-in or an office's own) can go on testing `record.type
    /// == "precept"`.
    pub fn by_type(&self) -> Vec<std::borrow::Cow<'_, Record>> {
        let listed = self
            .fields
            .iter()
            .enumerate()
            .find_map(|(position, member)| match &member.value {
                Value::List(items) if member.name == "type" => Some((position, items)),
                _ => None,
            });
        let Some((position, items)) = listed else {
            return vec![std::borrow::Cow::Borrowed(self)];
        };
        items
            .iter()
            .map(|item| {
                let mut view = self.clone();
                let member = &mut view.fields[position];
                member.value = item.value.clone();
                member.span = item.span;
                std::borrow::Cow::Owned(view)
            })
            .collect()
    }

    pub fn status(&self) -> Option<&str> {
        self.text("status")
    }

    /// Where a finding about `path` should point: the field itself, else its nearest
    /// recorded parent, else the record's first line. Returns the span and whether the
    /// field itself was found.
    pub fn locate(&self, path: &str) -> (Span, bool) {
        match self.lookup(path) {
            Found::Exact { span, .. } => (span, true),
            Found::Parent(span) => (span, false),
        }
    }

    fn lookup(&self, path: &str) -> Found<'_> {
        let mut members: &[Member] = &self.fields;
        let mut nearest = self.span;
        // Split by hand: paths are short and this runs several times a record, where
        // `split` with a char pattern costs more than the search itself.
        let mut rest = Some(path);
        while let Some(remaining) = rest {
            let (segment, after) = match remaining.bytes().position(|byte| byte == b'.') {
                Some(dot) => (&remaining[..dot], Some(&remaining[dot + 1..])),
                None => (remaining, None),
            };
            rest = after;
            let (name, index) = split_index(segment);
            let Some(member) = members.iter().find(|member| member.name == name) else {
                return Found::Parent(nearest);
            };
            // A mapping or list is best shown by its key line; a scalar by its value.
            let mut value = &member.value;
            let mut span = match value {
                Value::Object(_) | Value::List(_) | Value::Null => member.key_span,
                _ => member.span,
            };
            if let Some(index) = index {
                let Value::List(items) = value else {
                    return Found::Parent(span);
                };
                let Some(item) = items.get(index) else {
                    return Found::Parent(span);
                };
                value = &item.value;
                span = item.span;
            }
            nearest = span;
            if rest.is_none() {
                return Found::Exact { value, span };
            }
            match value {
                Value::Object(children) => members = children,
                _ => return Found::Parent(nearest),
            }
        }
        Found::Parent(nearest)
    }
}

enum Found<'r> {
    Exact { value: &'r Value, span: Span },
    Parent(Span),
}

/// `declared[2]` -> (`declared`, Some(2)).
fn split_index(segment: &str) -> (&str, Option<usize>) {
    match segment.bytes().position(|byte| byte == b'[') {
        Some(at) => (
            &segment[..at],
            segment[at + 1..].trim_end_matches(']').parse().ok(),
        ),
        None => (segment, None),
    }
}

/// Builds a record from one document's root node. Returns `None` when the document is not
/// a mapping at all; problems are pushed either way.
pub fn build(root: Node, problems: &mut Vec<Problem>) -> Option<Record> {
    let mut builder = Builder { problems };
    let NodeKind::Map(_) = root.kind else {
        builder.unreadable(
            "",
            root.span,
            format!(
                "a decision record must be a mapping of fields (`reference: ...`, `title: ...`), found {}",
                root.describe()
            ),
        );
        return None;
    };
    let span = Span {
        end: root.span.start,
        ..root.span
    };
    let fields = builder.object(root, schema::RECORD, "");
    let record = Record { fields, span };
    builder.required(&record);
    Some(record)
}

struct Builder<'p> {
    problems: &'p mut Vec<Problem>,
}

impl Builder<'_> {
    fn unreadable(&mut self, path: &str, span: Span, message: String) {
        self.unreadable_value(path, span, message, None);
    }

    /// A value of the wrong form, with the help for its kind.
    fn unreadable_value(
        &mut self,
        path: &str,
        span: Span,
        message: String,
        help: Option<&'static str>,
    ) {
        self.problems.push(Problem {
            kind: ProblemKind::Unreadable,
            path: path.to_string(),
            message,
            span,
            related: None,
            help,
        });
    }

    /// The node is taken apart, so its text moves into the record rather than being copied.
    fn object(&mut self, node: Node, fields: &'static [Field], path: &str) -> Vec<Member> {
        let NodeKind::Map(mut entries) = node.kind else {
            return Vec::new();
        };
        let mut members = Vec::with_capacity(entries.len());
        // For each key, where it was first written if this is a repeat: found with a table,
        // since a hostile mapping may hold tens of thousands of keys.
        let first_of: Vec<Option<usize>> = {
            let mut first: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::with_capacity(entries.len());
            entries
                .iter()
                .enumerate()
                .map(|(index, entry)| match first.entry(entry.key.as_str()) {
                    std::collections::hash_map::Entry::Occupied(seen) => Some(*seen.get()),
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(index);
                        None
                    }
                })
                .collect()
        };
        for (index, first) in first_of.into_iter().enumerate() {
            let (earlier, rest) = entries.split_at_mut(index);
            let entry = &mut rest[0];
            // Written out only for a problem: most paths are never shown.
            let entry_path = || {
                if path.is_empty() {
                    entry.key.clone()
                } else {
                    format!("{path}.{}", entry.key)
                }
            };
            if let Some(first) = first.map(|first| &earlier[first]) {
                self.problems.push(Problem {
                    kind: ProblemKind::Unreadable,
                    path: entry_path(),
                    message: format!(
                        "the key `{}` appears twice in the same mapping; keep one",
                        entry.key
                    ),
                    span: entry.key_span,
                    related: Some((first.key_span, "first written here".to_string())),
                    help: None,
                });
                continue;
            }
            let Some(position) = fields.iter().position(|field| field.name == entry.key) else {
                self.unknown(&entry.key, entry.key_span, fields, &entry_path());
                continue;
            };
            let field = &fields[position];
            let value_span = entry.value.span;
            let node = std::mem::take(&mut entry.value);
            let value = self.value(field, node, path, &entry.key);
            members.push(Member {
                name: field.name,
                // A mapping of the format has a few dozen fields at most.
                position: u16::try_from(position).unwrap_or(u16::MAX),
                key_span: entry.key_span,
                value,
                span: value_span,
            });
        }
        members
    }

    fn unknown(&mut self, key: &str, span: Span, siblings: &[Field], path: &str) {
        let suggestion = nearest(key, siblings.iter().map(|field| field.name))
            .map(|name| format!("; did you mean `{name}`?"))
            .or_else(|| {
                // A known field written at the wrong level, e.g. `amount` outside `financial`.
                schema::all_paths()
                    .into_iter()
                    .find(|known| known.rsplit('.').next() == Some(key))
                    .map(|known| format!("; `{key}` belongs at `{known}`"))
            })
            .unwrap_or_default();
        self.problems.push(Problem {
            kind: ProblemKind::UnknownField,
            path: path.to_string(),
            message: format!(
                "`{key}` is not a field of a decision record, so it is not checked{suggestion}"
            ),
            span,
            related: None,
            help: None,
        });
    }

    /// A field's value. Its path (`parent.key`) is written out only when it is needed: for
    /// a problem, or to pass down into a mapping or list.
    fn value(&mut self, field: &'static Field, node: Node, parent: &str, key: &str) -> Value {
        if node.is_null() {
            return Value::Null;
        }
        let full_path = || {
            if parent.is_empty() {
                key.to_string()
            } else {
                format!("{parent}.{key}")
            }
        };
        match &field.kind {
            Kind::Object(children) => {
                if matches!(node.kind, NodeKind::Map(_)) {
                    return Value::Object(self.object(node, children, &full_path()));
                }
                let names = first_fields(children);
                let path = full_path();
                self.unreadable(
                    &path,
                    node.span,
                    format!(
                        "`{path}` must be a mapping with fields such as {}, found {}",
                        names.join(", "),
                        node.describe()
                    ),
                );
                return Value::Null;
            }
            Kind::List(children) => return self.list(node, children, &full_path()),
            Kind::Enums(_) => {
                if let NodeKind::List(entries) = node.kind {
                    return self.enums(field, entries, &full_path());
                }
            }
            _ => {}
        }
        let span = node.span;
        let (text, plain) = match node.kind {
            NodeKind::Scalar { text, plain } => (text, plain),
            NodeKind::List(_) | NodeKind::Map(_) => {
                let path = full_path();
                self.unreadable(
                    &path,
                    span,
                    format!(
                        "`{path}` must be {}, found {}",
                        expected(&field.kind),
                        node.describe()
                    ),
                );
                return Value::Null;
            }
        };
        self.scalar(field, text, plain, span, &full_path)
    }

    /// A scalar field's text as the value its kind says, or a problem.
    fn scalar(
        &mut self,
        field: &'static Field,
        text: String,
        plain: bool,
        span: Span,
        full_path: &dyn Fn() -> String,
    ) -> Value {
        match (&field.kind, text) {
            (Kind::Object(_) | Kind::List(_), _) => Value::Null,
            (Kind::Text, text) => {
                if text.trim().is_empty() {
                    Value::Null
                } else {
                    Value::Text(text)
                }
            }
            (Kind::Enum(allowed) | Kind::Enums(allowed), text) => {
                if text.trim().is_empty() {
                    Value::Null
                } else if allowed.contains(&text.as_str()) {
                    Value::Text(text)
                } else {
                    let hint = nearest(&text, allowed.iter().copied())
                        .map(|name| format!("did you mean `{name}`? "))
                        .unwrap_or_default();
                    let path = full_path();
                    self.unreadable_value(
                        &path,
                        span,
                        format!(
                            "`{path}` cannot be `{}`; {hint}allowed values: {}",
                            shorten(&text),
                            allowed.join(", ")
                        ),
                        Some(ENUM_HELP),
                    );
                    Value::Null
                }
            }
            (Kind::Bool, text) => match (plain, text.as_str()) {
                (true, "true" | "True" | "TRUE") => Value::Bool(true),
                (true, "false" | "False" | "FALSE") => Value::Bool(false),
                _ => {
                    let path = full_path();
                    self.unreadable_value(
                        &path,
                        span,
                        format!("`{path}` must be true or false, found `{}`", shorten(&text)),
                        Some(BOOL_HELP),
                    );
                    Value::Null
                }
            },
            (Kind::Date, text) => match parse_day(&text) {
                Ok(day) => Value::Date(day),
                Err(message) => {
                    let path = full_path();
                    self.unreadable_value(
                        &path,
                        span,
                        format!("`{path}` {message}"),
                        Some(DATE_HELP),
                    );
                    Value::Null
                }
            },
            (Kind::Money, text) => match parse_money(&text, plain) {
                Ok(amount) => Value::Money(amount),
                Err(message) => {
                    let path = full_path();
                    self.unreadable_value(
                        &path,
                        span,
                        format!("`{path}` {message}"),
                        Some(MONEY_HELP),
                    );
                    Value::Null
                }
            },
        }
    }

    fn list(&mut self, node: Node, fields: &'static [Field], path: &str) -> Value {
        let NodeKind::List(items) = node.kind else {
            self.unreadable(
                path,
                node.span,
                format!(
                    "`{path}` must be a list (lines starting `- `), found {}",
                    node.describe()
                ),
            );
            return Value::Null;
        };
        let mut built = Vec::with_capacity(items.len());
        let mut item_path = String::with_capacity(path.len() + 8);
        for (index, item) in items.into_iter().enumerate() {
            item_path.clear();
            let _ = write!(item_path, "{path}[{index}]");
            if matches!(item.kind, NodeKind::Map(_)) {
                let span = item.span;
                built.push(Item {
                    value: Value::Object(self.object(item, fields, &item_path)),
                    span,
                });
            } else {
                let names = first_fields(fields);
                self.unreadable(
                    &item_path,
                    item.span,
                    format!(
                        "each entry of `{path}` must be a mapping with fields such as {}, found {}",
                        names.join(", "),
                        item.describe()
                    ),
                );
            }
        }
        Value::List(built)
    }

    /// A list of listed values (`type: [budget, precept]`): each entry read as the single
    /// value would be, repeats dropped; one value left is kept as that value, none as null.
    fn enums(&mut self, field: &'static Field, entries: Vec<Node>, path: &str) -> Value {
        let mut built: Vec<Item> = Vec::with_capacity(entries.len());
        for (index, entry) in entries.into_iter().enumerate() {
            let entry_path = format!("{path}[{index}]");
            let span = entry.span;
            let value = match entry.kind {
                NodeKind::Scalar { text, plain } => {
                    self.scalar(field, text, plain, span, &|| entry_path.clone())
                }
                NodeKind::List(_) | NodeKind::Map(_) => {
                    let found = entry.describe();
                    self.unreadable(
                        &entry_path,
                        span,
                        format!("each entry of `{path}` must be one of the allowed values, found {found}"),
                    );
                    Value::Null
                }
            };
            if value != Value::Null && !built.iter().any(|item| item.value == value) {
                built.push(Item { value, span });
            }
        }
        match built.len() {
            0 => Value::Null,
            1 => built.remove(0).value,
            _ => Value::List(built),
        }
    }

    /// The structurally required fields: without them a record cannot be checked.
    fn required(&mut self, record: &Record) {
        // A missing reference or decision date does not stop the check: real registers
        // leave them out, and MO100 and MO099 report them on a record still checked.
        let mut needed = vec!["title", "type", "status"];
        if record.status() == Some("decided") {
            needed.extend(["decision_maker.role", "decision_maker.name"]);
        }
        for path in needed {
            let already_reported = self.problems.iter().any(|problem| problem.path == path);
            // With no `decision_maker` at all, say so once rather than once per field.
            let path = match path.split_once('.') {
                Some((parent, _)) if record.get(parent).is_none() => parent,
                _ => path,
            };
            let said_for_parent = self.problems.iter().any(|problem| problem.path == path);
            if record.get(path).is_none() && !already_reported && !said_for_parent {
                let (span, _) = record.locate(path);
                let why = if path == "decision_maker" {
                    " (a decided record must say who decided, with `role` and `name`)"
                } else if path.starts_with("decision_maker") {
                    " (a decided record must say who decided)"
                } else {
                    ""
                };
                self.unreadable(path, span, format!("the record has no `{path}`{why}"));
            }
        }
    }
}

/// The first few fields of a mapping, quoted, for "must be a mapping with fields such as".
fn first_fields(fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .take(3)
        .map(|field| format!("`{}`", field.name))
        .collect()
}

fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Bool => "true or false",
        Kind::Date => "a date like 2025-04-10",
        Kind::Money => "a plain number of pounds like 69024.09",
        Kind::Enum(_) => "one of the allowed values",
        Kind::Enums(_) => "one of the allowed values, or a list of them",
        Kind::Object(_) => "a mapping",
        Kind::List(_) => "a list",
    }
}

/// `2025-04-10`, or a date-time such as `2025-04-10T14:30:00` or `2025-04-10 14:30`.
pub fn parse_day(text: &str) -> Result<Day, String> {
    let text = text.trim();
    let bad = || format!("must be a date like 2025-04-10, found `{}`", shorten(text));
    let date_part = text.get(..10).ok_or_else(bad)?;
    let bytes = date_part.as_bytes();
    let shape_ok = bytes.iter().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            *b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !shape_ok {
        return Err(bad());
    }
    // The shape is checked above, so the parts are digits: no need for a format parser.
    let number = |range: std::ops::Range<usize>| {
        date_part[range]
            .bytes()
            .fold(0u32, |sum, digit| sum * 10 + u32::from(digit - b'0'))
    };
    let date = i32::try_from(number(0..4))
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, number(5..7), number(8..10)))
        .ok_or_else(|| format!("is `{text}`, which is not a real date"))?;
    let rest = &text[10..];
    if rest.is_empty() {
        return Ok(Day { date, time: None });
    }
    let rest = rest.strip_prefix(['T', 't', ' ']).ok_or_else(bad)?;
    // A zone suffix does not move the day: the record states local dates.
    let clock = rest
        .trim_end_matches('Z')
        .split(['+', '-'])
        .next()
        .unwrap_or_default()
        .trim();
    let time = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .map_err(|_| bad())?;
    Ok(Day {
        date,
        time: Some(time),
    })
}

fn parse_money(text: &str, plain: bool) -> Result<f64, String> {
    let trimmed = text.trim();
    let hint = if trimmed.contains(['£', 'm', 'k', 'M', 'K']) {
        "; write the whole amount in pounds, e.g. 1200000 for £1.2m"
    } else if trimmed.contains(',') {
        "; leave out the thousands separators, e.g. 1250000"
    } else if !plain {
        "; remove the quotes"
    } else {
        ""
    };
    let not_a_number = || {
        format!(
            "must be a plain number of pounds including VAT, like 69024.09, found `{}`{hint}",
            shorten(trimmed)
        )
    };
    if !plain {
        return Err(not_a_number());
    }
    let amount: f64 = trimmed.parse().map_err(|_| not_a_number())?;
    if !amount.is_finite() || amount.abs() > 1e15 {
        return Err(format!(
            "is `{}`, which is not an amount of money mocheck can check",
            shorten(trimmed)
        ));
    }
    Ok(amount)
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
pub fn nearest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let word_lower = word.to_lowercase();
    candidates
        .map(|candidate| {
            (
                strsim::levenshtein(&word_lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{parse_documents, Document, Limits};

    fn build_text(text: &str) -> (Option<Record>, Vec<Problem>) {
        let Some(Document::Parsed(root)) = parse_documents(text, Limits::default()).pop() else {
            panic!("not parsed")
        };
        let mut problems = Vec::new();
        let record = build(root, &mut problems);
        (record, problems)
    }

    const MINIMAL: &str = "reference: X-1\ntitle: T\ntype: grant\nstatus: decided\ndecision_maker:\n  role: pcc\n  name: A\ndecided_on: 2025-04-10\n";

    #[test]
    fn a_minimal_record_has_no_problems() {
        let (record, problems) = build_text(MINIMAL);
        assert!(problems.is_empty(), "{problems:?}");
        let record = record.unwrap();
        assert_eq!(record.reference(), Some("X-1"));
        assert_eq!(
            record.day("decided_on").unwrap().date.to_string(),
            "2025-04-10"
        );
    }

    #[test]
    fn a_bad_date_says_what_was_expected() {
        let text = MINIMAL.replace("2025-04-10", "10/04/2025");
        let (_, problems) = build_text(&text);
        assert_eq!(
            problems[0].message,
            "`decided_on` must be a date like 2025-04-10, found `10/04/2025`"
        );
        assert_eq!((problems[0].span.line, problems[0].span.column), (8, 13));
    }

    #[test]
    fn an_impossible_date_is_refused() {
        let (_, problems) = build_text(&MINIMAL.replace("2025-04-10", "2025-02-30"));
        assert!(problems[0].message.contains("not a real date"));
    }

    #[test]
    fn unknown_keys_suggest_the_nearest_field() {
        let (_, problems) = build_text(&format!("{MINIMAL}decided_in: 2025-04-10\n"));
        assert_eq!(problems[0].kind, ProblemKind::UnknownField);
        assert!(problems[0].message.contains("did you mean `decided_on`?"));
        assert_eq!(problems[0].span.line, 9);
    }

    #[test]
    fn enumerations_list_the_allowed_values() {
        let (_, problems) = build_text(&MINIMAL.replace("status: decided", "status: agreed"));
        assert!(problems[0]
            .message
            .starts_with("`status` cannot be `agreed`"));
        assert!(problems[0].message.contains("proposed, decided, withdrawn"));
    }

    #[test]
    fn money_as_text_gets_a_hint() {
        let (_, problems) = build_text(&format!("{MINIMAL}financial:\n  amount: \"£1.2m\"\n"));
        assert!(
            problems[0].message.contains("1200000"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn nan_and_infinite_amounts_are_refused() {
        for bad in [".nan", ".inf", "1e400"] {
            let (_, problems) = build_text(&format!("{MINIMAL}financial:\n  amount: {bad}\n"));
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
        }
    }

    #[test]
    fn missing_required_fields_are_unreadable() {
        let (_, problems) = build_text("reference: X-1\ntitle: T\ntype: grant\nstatus: decided\n");
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["decision_maker"],
            "a missing date or reference is MO099, MO100"
        );
    }

    #[test]
    fn locate_falls_back_to_the_nearest_parent() {
        let (record, _) = build_text(&format!("{MINIMAL}advice:\n  legal:\n    by: Counsel\n"));
        let record = record.unwrap();
        let (span, exact) = record.locate("advice.legal.date");
        assert!(!exact);
        assert_eq!(span.line, 10);
        let (span, exact) = record.locate("advice.legal.by");
        assert!(exact);
        assert_eq!((span.line, span.column), (11, 9));
    }

    #[test]
    fn duplicate_keys_are_unreadable_pointing_at_both() {
        let (record, problems) = build_text(&format!("{MINIMAL}title: Again\n"));
        assert_eq!(
            record.unwrap().text("title"),
            Some("T"),
            "the first value is kept"
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::Unreadable);
        assert_eq!(
            problems[0].message,
            "the key `title` appears twice in the same mapping; keep one"
        );
        assert_eq!(problems[0].span.line, 9);
        assert_eq!(problems[0].related.as_ref().unwrap().0.line, 2);
    }

    #[test]
    fn a_list_at_the_top_is_not_a_record() {
        let Some(Document::Parsed(root)) = parse_documents("- a\n- b\n", Limits::default()).pop()
        else {
            panic!()
        };
        let mut problems = Vec::new();
        assert!(build(root, &mut problems).is_none());
        assert!(problems[0].message.contains("found a list"));
    }
}
