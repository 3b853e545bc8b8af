//! The drafts in the forms people open them in, read by real clients: the Word documents by
//! python-docx, the HTML printed and photographed by headless Chromium and the PDF read by
//! pypdf, the Markdown by a `CommonMark` reader. What each client sees is compared with the
//! Markdown form, which the other forms are rendered from.
//!
//! A missing client fails the test with the way to install it (`.ci/run`), unless
//! `MOCHECK_SKIP_REAL_CLIENTS=1`, when the test says it skipped: it never passes silently.

mod browser;
mod markdown;
mod word;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::support::{mocheck_in, repo, stderr, stdout, TODAY};

/// One draft to render: the `report` arguments that make it, run in `dir`.
pub struct Case {
    pub name: &'static str,
    dir: PathBuf,
    args: Vec<String>,
    /// For a confidential record, the ground its NOT FOR PUBLICATION line must give.
    pub withheld_on: Option<&'static str>,
    /// Keeps the folder of a record written for the test.
    _folder: Option<tempfile::TempDir>,
}

/// The ground the confidential case's record gives for withholding part of it.
const GROUND: &str = "FOIA s.40(2), personal information: the job evaluation scores";

/// The drafts every client is tried on: an s.5 report with grounds (the CFO's sign-off does
/// not cover the amount), the same decision's s.114 report, a confidential record's s.5 report
/// with grounds and no public summary (so a table cell holds a placeholder), and the
/// assurance summary of the examples.
pub fn cases() -> Vec<Case> {
    let examples = |name, extra: &[&str]| {
        let mut args: Vec<String> = [
            "report",
            "examples/decisions",
            "--config",
            "examples/mocheck.toml",
            "--today",
            TODAY,
        ]
        .map(String::from)
        .to_vec();
        args.extend(extra.iter().map(|arg| (*arg).to_string()));
        Case {
            name,
            dir: repo(),
            args,
            withheld_on: None,
            _folder: None,
        }
    };
    vec![
        examples("s5", &["--decision", "EPCC-2025-041"]),
        examples("s114", &["--decision", "EPCC-2025-041", "--s114"]),
        confidential(),
        examples("assurance", &["--assurance"]),
    ]
}

/// The shipped part-confidential staffing decision (legal advice after the decision), with a
/// ground for withholding and without its public summary.
fn confidential() -> Case {
    let shipped =
        std::fs::read_to_string(repo().join("examples/decisions/2026/EPCC-2026-027.yaml"))
            .expect("the shipped example");
    let (before, after) = shipped
        .split_once("  public_summary: >\n")
        .expect("the example has a public summary");
    let rest = after
        .split_once("\n\n")
        .map_or("", |(_, rest)| rest)
        .to_string();
    let record = format!("{before}  ground: '{GROUND}'\n\n{rest}");
    let folder = crate::support::tree(&[("record.yaml", record.as_bytes())]);
    Case {
        name: "confidential",
        dir: folder.path().to_path_buf(),
        args: [
            "report",
            "record.yaml",
            "--decision",
            "EPCC-2026-027",
            "--today",
            TODAY,
        ]
        .map(String::from)
        .to_vec(),
        withheld_on: Some(GROUND),
        _folder: Some(folder),
    }
}

impl Case {
    /// The draft's Markdown form, as `report` prints it.
    pub fn markdown(&self) -> String {
        let mut args = self.args();
        args.extend(["--format", "markdown"]);
        let output = mocheck_in(&self.dir, &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    }

    /// Writes the draft with `--output`, the form chosen by the extension, and returns the
    /// file.
    pub fn write(&self, folder: &Path, extension: &str) -> PathBuf {
        let file = folder.join(format!("{}.{extension}", self.name));
        let mut args = self.args();
        let file_arg = file.to_str().expect("a UTF-8 temporary path").to_string();
        args.extend(["--output", &file_arg]);
        let output = mocheck_in(&self.dir, &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(file.is_file(), "{} was not written", file.display());
        file
    }

    fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }

    /// The lines every page's header must hold.
    pub fn page_header(&self) -> Vec<String> {
        let mut lines = vec![mocheck::draft::DRAFT_MARK.to_string()];
        if let Some(ground) = self.withheld_on {
            lines.push(format!("NOT FOR PUBLICATION: {ground}"));
        }
        lines
    }
}

/// Whether the real clients can be run. When one is missing: a failure that says to run
/// `.ci/run`, or with `MOCHECK_SKIP_REAL_CLIENTS=1` a skip that says so.
pub fn real_clients(what: &str, found: bool) -> bool {
    if found {
        return true;
    }
    let skip = std::env::var("MOCHECK_SKIP_REAL_CLIENTS").is_ok_and(|value| value == "1");
    assert!(
        skip,
        "{what} is missing: run .ci/run, which installs it, or set MOCHECK_SKIP_REAL_CLIENTS=1 \
         to skip the tests that read the drafts in real clients"
    );
    // Written to the handle, not with eprintln!, so that the test harness does not hide it.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {what} is missing and MOCHECK_SKIP_REAL_CLIENTS=1"
    );
    false
}

/// Whether python3 can import python-docx and pypdf.
pub fn python_libraries() -> bool {
    Command::new("python3")
        .arg(reader_script())
        .arg("check")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The script through which python-docx and pypdf report what they read.
fn reader_script() -> PathBuf {
    repo().join("tests/integration/real_clients.py")
}

/// What `real_clients.py READER FILE` reports.
pub fn read_with_python(reader: &str, file: &Path) -> serde_json::Value {
    let output = Command::new("python3")
        .arg(reader_script())
        .arg(reader)
        .arg(file)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

/// The Markdown's headings as (level, text), in order.
pub fn headings(markdown: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                current = Some((level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => found.extend(current.take()),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading)) = current.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, heading)) = current.as_mut() {
                    heading.push(' ');
                }
            }
            _ => {}
        }
    }
    found
}

/// The Markdown's tables as a `CommonMark` reader with GitHub tables sees them: rows of cell
/// texts, the header row first.
pub fn tables(markdown: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut table: Option<Vec<Vec<String>>> = None;
    let mut row = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => table = Some(Vec::new()),
            Event::End(TagEnd::Table) => tables.extend(table.take()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(table) = table.as_mut() {
                    table.push(std::mem::take(&mut row));
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(cell) = cell.as_mut() {
                    cell.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(cell) = cell.as_mut() {
                    cell.push(' ');
                }
            }
            _ => {}
        }
    }
    tables
}

/// Every `[...]` placeholder in a text, in order.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(length) = rest[open..].find(']') else {
            break;
        };
        found.push(rest[open..=open + length].to_string());
        rest = &rest[open + length + 1..];
    }
    found
}
/// Text with every run of whitespace as one space, as a PDF's text is compared.
pub fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
