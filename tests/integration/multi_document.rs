//! Multi-document files built from pieces: good records, broken documents, and the markers
//! between them (`---`, `...`, comments, directives), in `\n`, `\r\n` or `\r` lines. Whatever
//! the mix, every good record is read, each broken document is one problem located inside
//! it, and the whole path to every output format holds (see `fuzz_regressions::run`). The
//! fuzz target `multi_document` (`fuzz/fuzz_targets/multi_document.rs`) includes this file
//! and builds its files from the fuzzer's bytes; `cargo test` runs it on a fixed set.

use mocheck::load::{self, LoadOptions, ProblemKind};

use crate::fuzz_regressions;

/// Documents the YAML parser cannot read, each on its own lines.
const BROKEN: [&str; 8] = [
    "title: 'unclosed\n",
    "title: \"unclosed\n",
    "title: [a, b\n",
    "title: {a: b\n",
    "title: *nowhere\n",
    "title: a\n  reference: b\n",
    "title:\n\t- a\n",
    "- a\nb: c\n",
];

/// What may come before a document in the middle of a file.
const SEPARATORS: [&str; 5] = [
    "---\n",
    "--- # next\n",
    "...\n---\n",
    "# a note\n---\n",
    "...\n%YAML 1.2\n---\n",
];

/// What may come before the first document.
const FIRST: [&str; 4] = ["", "---\n", "# head\n---\n", "%YAML 1.2\n---\n"];

/// A record that reads cleanly (the tests' `support::MINIMAL`, which the fuzz target lacks).
const RECORD: &str = "reference: T-1\ntitle: A test decision\ntype: other\nstatus: decided\ndecision_maker:\n  role: pcc\n  name: Pat Quinn\ndecided_on: 2026-03-12\nadvice:\n  chief_executive:\n    name: Polly Reed\n    date: 2026-03-10\ninterests:\n  declaration: true\n";

/// A record that reads cleanly, with `reference`; some have a block scalar with an indented
/// `---`, which is text, not a marker.
fn good(reference: &str, block: bool) -> String {
    let record = RECORD.replace("T-1", reference);
    if block {
        record.replace(
            "title: A test decision\n",
            "title: |\n  A test\n  ---\n  decision\n",
        )
    } else {
        record
    }
}

/// A file built from `data`, and what loading it must give.
pub struct Built {
    pub text: String,
    /// The good records' references, in file order.
    pub references: Vec<String>,
    /// The first and last line of each broken document (with the `...` that ends it).
    pub broken: Vec<(u32, u32)>,
}

/// Builds a file from bytes: two bytes a piece (what it is; which one and its separator),
/// at most 40 pieces, and a first byte for the line ending.
pub fn build(data: &[u8]) -> Built {
    let (ending, pieces) = data.split_first().unwrap_or((&0, &[]));
    let mut text = String::new();
    let mut references = Vec::new();
    let mut broken = Vec::new();
    for (index, pair) in pieces.chunks(2).take(40).enumerate() {
        let current = line(text.matches('\n').count());
        let (kind, detail) = (pair[0], pair.get(1).copied().unwrap_or(0));
        let separator = if index == 0 {
            FIRST[usize::from(detail) % FIRST.len()]
        } else {
            SEPARATORS[usize::from(detail) % SEPARATORS.len()]
        };
        if separator.starts_with("...") {
            // A parser may well stop at the `...` that ends a broken document: still its own.
            if let Some((_, last)) = broken.last_mut().filter(|(_, last)| *last == current) {
                *last += 1;
            }
        }
        text.push_str(separator);
        let first_line = 1 + text.matches('\n').count();
        if kind % 3 == 2 {
            let document = BROKEN[usize::from(detail / 8) % BROKEN.len()];
            text.push_str(document);
            let last_line = first_line + document.matches('\n').count() - 1;
            broken.push((line(first_line), line(last_line)));
        } else {
            let reference = format!("M-{index}");
            text.push_str(&good(&reference, detail & 0x80 != 0));
            references.push(reference);
        }
    }
    let text = match ending % 3 {
        0 => text,
        1 => text.replace('\n', "\r\n"),
        _ => text.replace('\n', "\r"),
    };
    Built {
        text,
        references,
        broken,
    }
}

fn line(number: usize) -> u32 {
    u32::try_from(number).expect("a short file")
}

/// Loads the file built from `data` and asserts what must hold; then runs it through the
/// whole path to every output format.
pub fn run(data: &[u8]) {
    let built = build(data);
    let loaded = load::load_stdin(built.text.as_bytes(), LoadOptions::default());
    let references: Vec<&str> = loaded
        .records
        .iter()
        .filter_map(|record| record.record.reference())
        .collect();
    assert_eq!(
        references, built.references,
        "every good record is read:\n{:?}",
        built.text
    );
    let problems: Vec<_> = loaded
        .problems
        .iter()
        .filter(|problem| problem.kind == ProblemKind::Unreadable)
        .collect();
    assert_eq!(
        problems.len(),
        built.broken.len(),
        "one problem for each broken document: {problems:?}\n{:?}",
        built.text
    );
    for (problem, (first, last)) in problems.iter().zip(&built.broken) {
        assert!(
            (*first..=*last).contains(&problem.span.line),
            "the problem on line {} is not in its document, lines {first} to {last}: {problem:?}\n{:?}",
            problem.span.line,
            built.text
        );
    }
    fuzz_regressions::run(built.text.as_bytes());
}

#[test]
fn multi_document_files_built_from_pieces_read_every_good_record() {
    // A fixed stream of pseudo-random inputs (a linear congruential generator), so the test
    // is the same on every run; the fuzz target explores further.
    let mut state: u32 = 13;
    for length in (1..64).step_by(3) {
        let data: Vec<u8> = (0..length)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                state.to_be_bytes()[1]
            })
            .collect();
        run(&data);
    }
}
