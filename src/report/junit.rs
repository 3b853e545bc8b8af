//! `--format junit`: `JUnit` XML for CI test reports. One test suite per file checked, one test
//! case per record and rule with findings; each unwaived finding is a `<failure>`, each waived
//! one a `<skipped>`, so a waiver shows in the report without failing the build.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Reporter, Run};
use crate::finding::Finding;

pub struct Junit;

/// The findings of one record under one rule: one test case.
struct Case<'a> {
    record: &'a str,
    rule: &'a str,
    name: &'a str,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn failed(&self) -> bool {
        self.findings.iter().any(|finding| !finding.waived)
    }
}

impl Reporter for Junit {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let suites = suites(run);
        let cases = suites.values().map(Vec::len).sum::<usize>();
        let failed = suites
            .values()
            .flatten()
            .filter(|case| case.failed())
            .count();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            xml,
            "<testsuites name=\"mocheck\" tests=\"{cases}\" failures=\"{failed}\" errors=\"0\" skipped=\"{}\">",
            cases - failed
        );
        for (file, cases) in &suites {
            write_suite(&mut xml, file, cases);
        }
        xml.push_str("</testsuites>\n");
        out.write_all(xml.as_bytes())
    }
}

/// Test cases by file, in the findings' order; every file checked has a suite, so a clean
/// file shows as checked rather than missing.
fn suites<'a>(run: &'a Run) -> BTreeMap<&'a str, Vec<Case<'a>>> {
    let mut suites: BTreeMap<&str, Vec<Case>> = run
        .files
        .iter()
        .map(|file| (file.display.as_str(), Vec::new()))
        .collect();
    for finding in run.findings {
        let cases = suites.entry(&finding.file).or_default();
        let record = finding.record.as_deref().unwrap_or("(no reference)");
        match cases
            .iter_mut()
            .find(|case| case.record == record && case.rule == &*finding.rule)
        {
            Some(case) => case.findings.push(finding),
            None => cases.push(Case {
                record,
                rule: &finding.rule,
                name: &finding.name,
                findings: vec![finding],
            }),
        }
    }
    suites
}

fn write_suite(xml: &mut String, file: &str, cases: &[Case]) {
    let failed = cases.iter().filter(|case| case.failed()).count();
    let _ = write!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"{}\"",
        attribute(file),
        cases.len(),
        cases.len() - failed
    );
    if cases.is_empty() {
        xml.push_str("/>\n");
        return;
    }
    xml.push_str(">\n");
    for case in cases {
        let _ = writeln!(
            xml,
            "    <testcase name=\"{}\" classname=\"{}\">",
            attribute(&format!("{} {} {}", case.record, case.rule, case.name)),
            attribute(file)
        );
        for finding in &case.findings {
            if finding.waived {
                let waiver = finding.waiver.as_deref().unwrap_or_default();
                let _ = writeln!(
                    xml,
                    "      <skipped message=\"{}\">{}</skipped>",
                    attribute(&format!("waived: {waiver}")),
                    content(&body(finding))
                );
            } else {
                let _ = writeln!(
                    xml,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    attribute(&finding.message),
                    finding.severity,
                    content(&body(finding))
                );
            }
        }
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n");
}

/// What a person reading the CI report needs: where, what, how to fix it and why it matters.
fn body(finding: &Finding) -> String {
    let mut text = format!(
        "{}:{}:{}: {} ({})\n{}",
        finding.file, finding.line, finding.column, finding.severity, finding.path, finding.message
    );
    if !finding.help.is_empty() {
        let _ = write!(text, "\nhelp: {}", finding.help);
    }
    if !finding.basis.is_empty() {
        let _ = write!(text, "\nbasis: {}", finding.basis.join("; "));
    }
    text
}

/// Escapes text for an attribute value, where a parser would turn a raw line break or tab
/// into a space: those become character references.
fn attribute(text: &str) -> String {
    escape(text, true)
}

/// Escapes text for element content, keeping line breaks and quotes readable in the raw file.
fn content(text: &str) -> String {
    escape(text, false)
}

/// Characters XML 1.0 cannot hold at all, even as references, are shown as `\u{..}` rather
/// than making the whole report unreadable; `\r` is a reference because parsers would
/// otherwise turn it into `\n`.
fn escape(text: &str, attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' if attribute => escaped.push_str("&quot;"),
            '\'' if attribute => escaped.push_str("&apos;"),
            '\n' if !attribute => escaped.push('\n'),
            '\t' if !attribute => escaped.push('\t'),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' => escaped.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(character));
            }
            _ => escaped.push(character),
        }
    }
    escaped
}
