//! The whole path from bytes to findings to every output format, and the inputs the fuzzer
//! found faults with (`tests/fuzz_regressions/`) replayed through it so CI keeps them fixed.
//! The fuzz target (`fuzz/fuzz_targets/check_bytes.rs`) includes this file: both run one path.

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use mocheck::check::{check, CheckOptions};
use mocheck::finding::Finding;
use mocheck::load::{self, LoadOptions, Walked};
use mocheck::report::{self, Format, RuleSummary, Run, Style};
use mocheck::rules::{self, RuleSet, RuleSources, TomlSource};

/// Every output format, in the order [`Outcome::outputs`] holds them.
pub const FORMATS: [Format; 7] = [
    Format::Human,
    Format::Table,
    Format::Json,
    Format::Sarif,
    Format::Junit,
    Format::Github,
    Format::Markdown,
];

/// How people's formats are drawn: for a pipe, and for a narrow colour terminal.
const STYLES: [Style; 2] = [
    Style {
        color: false,
        terminal: false,
        width: 100,
        quiet: false,
    },
    Style {
        color: true,
        terminal: true,
        width: 60,
        quiet: false,
    },
];

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a real date")
}

/// The built-in ruleset with no `mocheck.toml`, built once.
pub use crate::support::builtin;

/// The built-in ruleset with the example office's roster and reference pattern, so the
/// roster rules (MO001, MO002) and the reference rule (MO093) run too.
pub fn with_office() -> &'static RuleSet {
    static RULESET: OnceLock<RuleSet> = OnceLock::new();
    RULESET.get_or_init(|| {
        let source = TomlSource::new(
            "examples/mocheck.toml",
            include_str!("../../examples/mocheck.toml"),
        );
        let config = rules::config::parse(source, ".".into()).expect("the example config");
        rules::load(
            &config,
            &RuleSources {
                override_files: vec![],
            },
        )
        .expect("the built-in ruleset loads with the example config")
    })
}

/// What one ruleset made of one input.
pub struct Outcome {
    /// The text as loaded, when it was text.
    pub text: Option<Arc<str>>,
    pub findings: Vec<Finding>,
    /// Each format's bytes, in the order of [`FORMATS`], once per style.
    pub outputs: Vec<Vec<u8>>,
}

/// Runs `bytes`, as if given on standard input, through both rulesets and every format, and
/// asserts what must hold of any input: see [`assert_sound`].
pub fn run(bytes: &[u8]) -> Vec<Outcome> {
    let loaded = load::load(&Walked::default(), Some(bytes), LoadOptions::default());
    [builtin(), with_office()]
        .into_iter()
        .map(|ruleset| {
            // On a copy: the run's files and the soundness checks still need the loaded text.
            let findings = check(loaded.clone(), ruleset, CheckOptions::on(today())).findings;
            let run = Run {
                files: &loaded.files,
                records: loaded.records.len(),
                findings: &findings,
                sources: &report::KeptText,
                ruleset_name: &ruleset.name,
                ruleset_version: &ruleset.version,
                today: today(),
                rules: RuleSummary::all(ruleset),
                // Findings without their records: `JUnit` then puts them on the file's own
                // case, the path a file that could not be read takes.
                seen: &[],
                fail_on: mocheck::rules::config::FailOn::At(mocheck::finding::Severity::Error),
                root: None,
                rules_url: None,
            };
            let mut outputs = Vec::new();
            for style in STYLES {
                for format in FORMATS {
                    let mut out = Vec::new();
                    report::reporter(format, style)
                        .write(&run, &mut out)
                        .expect("writing to memory cannot fail");
                    outputs.push(out);
                }
            }
            let outcome = Outcome {
                text: loaded.files.first().and_then(|file| file.text.clone()),
                findings,
                outputs,
            };
            assert_sound(&outcome);
            outcome
        })
        .collect()
}

/// The machine formats are well formed (JSON and SARIF parse, `junit` is XML, each GitHub
/// annotation is one line), and every finding's line and column are where its primary
/// label's byte offset is, on a character boundary.
pub fn assert_sound(outcome: &Outcome) {
    for (index, output) in outcome.outputs.iter().enumerate() {
        let format = FORMATS[index % FORMATS.len()];
        let text = std::str::from_utf8(output)
            .unwrap_or_else(|error| panic!("{format:?} output is not UTF-8: {error}"));
        match format {
            Format::Json | Format::Sarif => {
                if let Err(error) = serde_json::from_str::<serde_json::Value>(text) {
                    panic!("the {format:?} output does not parse ({error}):\n{text}");
                }
            }
            Format::Junit => {
                if let Err(error) = roxmltree::Document::parse(text) {
                    panic!("the JUnit output is not XML ({error}):\n{text}");
                }
            }
            Format::Github => {
                let lines: Vec<&str> = text.lines().collect();
                let (summary, annotations) = lines.split_last().expect("a summary line");
                assert!(summary.starts_with("Checked "), "{text}");
                assert!(
                    annotations.iter().all(|line| line.starts_with("::")),
                    "an annotation spans lines:\n{text}"
                );
            }
            Format::Human | Format::Table | Format::Markdown => {}
        }
    }
    let Some(text) = &outcome.text else {
        return;
    };
    for finding in &outcome.findings {
        let Some(label) = finding.labels.first() else {
            continue;
        };
        let start = label.span.start;
        assert!(
            start <= text.len() && text.is_char_boundary(start),
            "{} at byte {start} is not on a character boundary of the {}-byte text: {finding:?}",
            finding.rule,
            text.len()
        );
        assert!(
            label.span.end <= text.len() && text.is_char_boundary(label.span.end),
            "{} ends at byte {} outside the text or inside a character: {finding:?}",
            finding.rule,
            label.span.end
        );
        assert_eq!(
            load::line_column(text, start),
            (finding.line, finding.column),
            "{} says {}:{} but its byte offset {start} is elsewhere: {finding:?}",
            finding.rule,
            finding.line,
            finding.column
        );
    }
}

#[test]
fn every_saved_fuzz_input_runs_through_the_whole_path() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/fuzz_regressions exists")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name != "README.md"))
        .collect();
    inputs.sort();
    for path in &inputs {
        let bytes = std::fs::read(path).expect("a saved input");
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(outcome.is_ok(), "{} fails again", path.display());
    }
}
