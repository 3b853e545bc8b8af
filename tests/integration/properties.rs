//! Properties of the whole path over generated record files: random subsets of the format's
//! fields, well-typed or slightly wrong values, block or flow style, comments, several
//! documents, non-ASCII text before the values. No panic; every finding's line and column are
//! where its byte offset is; two runs print the same bytes in every format; the JSON parses.

use std::cell::Cell;
use std::fmt::Write as _;

use mocheck::load::schema::{Field, Kind, RECORD};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::fuzz_regressions::{run, FORMATS};

/// A value as it will be written, before a style is chosen.
#[derive(Clone, Debug)]
enum Node {
    /// Safe to write plain in block context.
    Plain(String),
    /// Written in single quotes.
    Quoted(String),
    /// Written as a `|` block scalar (in a flow collection: double-quoted).
    Block(String),
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
}

/// How one document is written.
#[derive(Clone, Debug)]
struct Layout {
    indent: usize,
    /// Collections this deep or deeper are written in flow style (`{a: 1}`, `[x]`).
    flow_from: usize,
    /// Lists under a key are indented (`key:\n  - a`) rather than level with it.
    indent_lists: bool,
    /// A comment line before some entries, and after some scalars.
    comments: bool,
}

const WORDS: &[&str] = &[
    "Café", "£5,000", "naïve", "Zoë", "résumé", "fleet", "budget", "É", "—", "2026", "x", "🚓",
];
const NAMES: &[&str] = &[
    "Daniel Mirren",
    "Tom Weatherall",
    "Catherine Aldridge",
    "Margaret Oyelaran",
    "Zoë Ó Briain",
    "Pat Quinn",
];
const RULE_IDS: &[&str] = &["MO015", "MO041", "MO013", "MO099", "MO091", ""];
const REFERENCES: &[&str] = &[
    "EPCC-2026-001",
    "EPCC-2025-041",
    "T-1",
    "Réf £1",
    "EPCC-26-1",
];

fn text(sloppy: bool) -> BoxedStrategy<Node> {
    let words = prop::collection::vec(prop::sample::select(WORDS), 1..5);
    let right = prop_oneof![
        4 => words.clone().prop_map(|words| Node::Plain(words.join(" "))),
        2 => words.clone().prop_map(|words| Node::Quoted(format!("{}: it's # here", words.join(" ")))),
        1 => words.prop_map(|words| Node::Block(format!("{}\n\n{}\n", words.join(" "), words.join("\n")))),
        1 => Just(Node::Plain("12".to_string())),
    ];
    either(
        sloppy,
        right.boxed(),
        Just(Node::Plain(String::new())).boxed(),
    )
}

/// Either a value that is right, or (when `sloppy`) sometimes one that is slightly wrong.
fn either(
    sloppy: bool,
    right: BoxedStrategy<Node>,
    wrong: BoxedStrategy<Node>,
) -> BoxedStrategy<Node> {
    if sloppy {
        prop_oneof![4 => right, 1 => wrong].boxed()
    } else {
        right
    }
}

fn date(sloppy: bool) -> BoxedStrategy<Node> {
    let day = || (2015..2031i32, 1..13u32, 1..29u32);
    let right = prop_oneof![
        6 => day().prop_map(|(y, m, d)| Node::Plain(format!("{y}-{m:02}-{d:02}"))),
        1 => day().prop_map(|(y, m, d)| Node::Plain(format!("{y}-{m:02}-{d:02}T10:30:00"))),
        1 => day().prop_map(|(y, m, d)| Node::Quoted(format!("{y}-{m:02}-{d:02} 23:59"))),
        1 => Just(Node::Plain("9999-12-31".to_string())),
    ];
    let wrong = prop_oneof![
        // The 29th to 31st of February: real only in a leap year.
        (2015..2031i32, 29..32u32).prop_map(|(y, d)| Node::Plain(format!("{y}-02-{d}"))),
        day().prop_map(|(y, m, d)| Node::Plain(format!("{d}/{m}/{y}"))),
    ];
    either(sloppy, right.boxed(), wrong.boxed())
}

fn money(sloppy: bool) -> BoxedStrategy<Node> {
    let right = prop_oneof![
        6 => (0..5_000_000u32, 0..100u32).prop_map(|(pounds, pence)| Node::Plain(format!("{pounds}.{pence:02}"))),
        1 => (0..5_000_000u32).prop_map(|pounds| Node::Plain(pounds.to_string())),
        1 => Just(Node::Plain("-0.5".to_string())),
    ];
    let wrong = prop_oneof![
        (0..5_000_000u32).prop_map(|pounds| Node::Quoted(pounds.to_string())),
        Just(Node::Plain("1,250,000".to_string())),
        Just(Node::Quoted("£1.2m".to_string())),
        Just(Node::Plain("1e400".to_string())),
    ];
    either(sloppy, right.boxed(), wrong.boxed())
}

fn boolean(sloppy: bool) -> BoxedStrategy<Node> {
    let right = any::<bool>().prop_map(|flag| Node::Plain(flag.to_string()));
    let wrong = prop_oneof![
        Just(Node::Plain("yes".to_string())),
        Just(Node::Quoted("true".to_string())),
    ];
    either(sloppy, right.boxed(), wrong.boxed())
}

fn choice(allowed: &'static [&'static str], sloppy: bool) -> BoxedStrategy<Node> {
    let right = prop::sample::select(allowed).prop_map(|value| Node::Plain(value.to_string()));
    let wrong = prop_oneof![
        prop::sample::select(allowed).prop_map(|value| Node::Plain(format!("{value}s"))),
        prop::sample::select(allowed).prop_map(|value| Node::Quoted(value.to_uppercase())),
    ];
    either(sloppy, right.boxed(), wrong.boxed())
}

/// A value for `field` of the right kind; when `sloppy`, sometimes slightly wrong.
fn value(field: &'static Field, sloppy: bool) -> BoxedStrategy<Node> {
    let right = match (&field.kind, field.name) {
        (Kind::Text, "reference") => prop::sample::select(REFERENCES)
            .prop_map(|reference| Node::Plain(reference.to_string()))
            .boxed(),
        (Kind::Text, "name" | "by" | "approved_by" | "who") => prop::sample::select(NAMES)
            .prop_map(|name| Node::Plain(name.to_string()))
            .boxed(),
        (Kind::Text, "rule") => prop::sample::select(RULE_IDS)
            .prop_map(|id| Node::Plain(id.to_string()))
            .boxed(),
        (Kind::Text, _) => text(sloppy),
        (Kind::Bool, _) => boolean(sloppy),
        (Kind::Date, _) => date(sloppy),
        (Kind::Money, _) => money(sloppy),
        (Kind::Enum(allowed), _) => choice(allowed, sloppy),
        // One value, or a list of one to three (`type: [budget, precept]`).
        (Kind::Enums(allowed), _) => prop_oneof![
            choice(allowed, sloppy),
            prop::collection::vec(choice(allowed, sloppy), 1..4).prop_map(Node::List),
        ]
        .boxed(),
        (Kind::Object(children), _) => object(children, sloppy),
        (Kind::List(children), _) => prop::collection::vec(object(children, sloppy), 0..3)
            .prop_map(Node::List)
            .boxed(),
    };
    // A scalar where a mapping belongs, or a mapping where a scalar does.
    let wrong_shape = prop_oneof![
        Just(Node::Plain("n/a".to_string())),
        Just(Node::Map(vec![(
            "é".to_string(),
            Node::Plain("1".to_string())
        )])),
    ];
    either(sloppy, right, wrong_shape.boxed())
}

/// A mapping of some of `fields`, in a shuffled order; when `sloppy`, sometimes with a key
/// the format lacks.
fn object(fields: &'static [Field], sloppy: bool) -> BoxedStrategy<Node> {
    let entries: Vec<BoxedStrategy<Option<(String, Node)>>> = fields
        .iter()
        .map(|field| {
            let required = matches!(
                field.name,
                "reference"
                    | "title"
                    | "type"
                    | "status"
                    | "decided_on"
                    | "decision_maker"
                    | "role"
                    | "name"
            );
            let entry = value(field, sloppy).prop_map(move |node| (field.name.to_string(), node));
            match (required, sloppy) {
                (true, false) => entry.prop_map(Some).boxed(),
                (true, true) => prop::option::weighted(0.9, entry).boxed(),
                (false, _) => prop::option::weighted(0.35, entry).boxed(),
            }
        })
        .collect();
    let unknown = if sloppy {
        prop::option::weighted(
            0.2,
            prop::sample::select(&["decided_in", "amount", "notes_é"][..])
                .prop_map(|key| (key.to_string(), Node::Plain("1".to_string()))),
        )
        .boxed()
    } else {
        Just(None).boxed()
    };
    (entries, unknown)
        .prop_map(|(entries, unknown)| entries.into_iter().flatten().chain(unknown).collect())
        .prop_shuffle()
        .prop_map(Node::Map)
        .boxed()
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(&[2usize, 3, 4][..]),
        prop::sample::select(&[1usize, 2, 3, 99][..]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(indent, flow_from, indent_lists, comments)| Layout {
            indent,
            flow_from,
            indent_lists,
            comments,
        })
}

/// One file of one to three documents, each with its own layout.
pub fn record_file() -> impl Strategy<Value = String> {
    // Most records are well typed, so the rules run on them; the rest are a little wrong.
    let record = prop_oneof![2 => object(RECORD, false), 1 => object(RECORD, true)];
    let document = (record, layout());
    (
        prop::collection::vec(document, 1..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(documents, leading_comment, crlf)| {
            let mut file = String::new();
            if leading_comment {
                file.push_str("# Décision £ — résumé\n");
            }
            for (index, (node, layout)) in documents.iter().enumerate() {
                if index > 0 {
                    file.push_str("---\n");
                }
                let Node::Map(entries) = node else {
                    unreachable!("a record is a mapping")
                };
                write_entries(&mut file, entries, 0, 0, layout);
            }
            if crlf {
                file = file.replace('\n', "\r\n");
            }
            file
        })
}

fn write_entries(
    out: &mut String,
    entries: &[(String, Node)],
    indent: usize,
    depth: usize,
    layout: &Layout,
) {
    let pad = " ".repeat(indent);
    for (index, (key, node)) in entries.iter().enumerate() {
        if layout.comments && index % 3 == 1 {
            writeln!(out, "{pad}# note on {key}: £ é").unwrap();
        }
        write!(out, "{pad}{key}:").unwrap();
        write_value(out, node, indent, depth + 1, layout);
    }
}

/// Writes the value of a key (the key and its colon are written).
fn write_value(out: &mut String, node: &Node, indent: usize, depth: usize, layout: &Layout) {
    let inner = indent + layout.indent;
    match node {
        Node::Map(entries) if depth >= layout.flow_from || entries.is_empty() => {
            out.push(' ');
            write_flow(out, node);
            out.push('\n');
        }
        Node::List(items) if depth >= layout.flow_from || items.is_empty() => {
            out.push(' ');
            write_flow(out, node);
            out.push('\n');
        }
        Node::Map(entries) => {
            out.push('\n');
            write_entries(out, entries, inner, depth, layout);
        }
        Node::List(items) => {
            out.push('\n');
            let dash = if layout.indent_lists { inner } else { indent };
            for item in items {
                write_item(out, item, dash, depth, layout);
            }
        }
        Node::Block(text) => {
            out.push_str(" |\n");
            for line in text.lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    writeln!(out, "{}{line}", " ".repeat(inner)).unwrap();
                }
            }
        }
        scalar => {
            out.push(' ');
            write_flow(out, scalar);
            if layout.comments && depth % 2 == 0 {
                out.push_str(" # é");
            }
            out.push('\n');
        }
    }
}

/// One `- ` entry of a block list.
fn write_item(out: &mut String, item: &Node, dash: usize, depth: usize, layout: &Layout) {
    let pad = " ".repeat(dash);
    match item {
        Node::Map(entries) if !entries.is_empty() && depth < layout.flow_from => {
            // The first entry shares the dash's line; the rest line up under it.
            let mut body = String::new();
            let no_comments = Layout {
                comments: false,
                ..layout.clone()
            };
            write_entries(&mut body, entries, dash + 2, depth, &no_comments);
            out.push_str(&pad);
            out.push_str("- ");
            out.push_str(&body[dash + 2..]);
        }
        other => {
            write!(out, "{pad}- ").unwrap();
            write_flow(out, other);
            out.push('\n');
        }
    }
}

/// A value in flow style, quoting what flow context would misread.
fn write_flow(out: &mut String, node: &Node) {
    match node {
        Node::Plain(text) if !text.contains([',', '[', ']', '{', '}']) => out.push_str(text),
        Node::Plain(text) | Node::Quoted(text) => {
            out.push('\'');
            out.push_str(&text.replace('\'', "''"));
            out.push('\'');
        }
        Node::Block(text) => {
            out.push('"');
            out.push_str(
                &text
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n"),
            );
            out.push('"');
        }
        Node::Map(entries) => {
            out.push('{');
            for (index, (key, value)) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push_str(": ");
                write_flow(out, value);
            }
            out.push('}');
        }
        Node::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_flow(out, item);
            }
            out.push(']');
        }
    }
}

#[test]
fn generated_records_check_soundly_and_the_same_way_twice() {
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    // Counted so a generator that only ever makes unreadable files fails loudly.
    let (cases, rule_findings, unreadable) = (Cell::new(0), Cell::new(0), Cell::new(0));
    runner
        .run(&record_file(), |file| {
            // `run` asserts that the JSON parses and that every location matches its bytes.
            let first = run(file.as_bytes());
            let second = run(file.as_bytes());
            for (one, two) in first.iter().zip(&second) {
                for (index, (a, b)) in one.outputs.iter().zip(&two.outputs).enumerate() {
                    prop_assert!(
                        a == b,
                        "{:?} differs between two runs on:\n{file}",
                        FORMATS[index % FORMATS.len()]
                    );
                }
            }
            let rules: Vec<&str> = first[0]
                .findings
                .iter()
                .map(|finding| &*finding.rule)
                .collect();
            cases.set(cases.get() + 1);
            if rules.iter().any(|rule| !rule.starts_with("MO09")) {
                rule_findings.set(rule_findings.get() + 1);
            }
            if rules.contains(&"MO090") {
                unreadable.set(unreadable.get() + 1);
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(
        rule_findings.get() * 4 >= cases.get() && unreadable.get() > 0,
        "the generator should reach the rules and the loader's errors: {} of {} files had rule findings, {} an unreadable record",
        rule_findings.get(),
        cases.get(),
        unreadable.get()
    );
}

#[test]
fn a_generated_file_is_yaml_more_often_than_not() {
    // Guards the generator itself: most files it writes must parse as YAML.
    let mut runner = TestRunner::deterministic();
    let strategy = record_file();
    let mut parsed = 0;
    for _ in 0..40 {
        let file = strategy.new_tree(&mut runner).expect("a value").current();
        let documents: Result<Vec<serde_yaml_ng::Value>, _> =
            serde_yaml_ng::Deserializer::from_str(&file)
                .map(serde::Deserialize::deserialize)
                .collect();
        if documents.is_ok() {
            parsed += 1;
        }
    }
    assert!(parsed >= 30, "only {parsed} of 40 generated files are YAML");
}
