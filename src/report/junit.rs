//! `--format junit`: `JUnit` XML for CI test reports. One test suite per file checked, one test
//! case per record checked, so a clean run shows every record passing rather than nothing.
//! Each finding that fails the run at `--fail-on` is a `<failure>` of its record's case;
//! waived and baselined findings and those below `--fail-on` are listed in the case's
//! `<system-out>`, seen
//! but not failing. Valid against the Jenkins xunit plugin's `junit-10.xsd`, which allows a
//! `file` on the suite but no `file` or `line` on a case: each failure's text starts with
//! `file:line:column` instead.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Reporter, Run, SeenRecord};
use crate::finding::Finding;
use crate::text::{clip, VALUE_LIMIT};

pub struct Junit;

/// One record's findings (or, without a record, the file's own: a file that could not be
/// read has no record to hold them).
struct Case<'a> {
    record: Option<&'a SeenRecord>,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn failed(&self, run: &Run) -> bool {
        self.findings.iter().any(|finding| run.fails(finding))
    }

    fn name(&self) -> String {
        match self.record {
            Some(SeenRecord {
                reference: Some(reference),
                ..
            }) => clip(reference, VALUE_LIMIT).into_owned(),
            Some(record) => format!("record at line {} (no reference)", record.line),
            None => "the file as a whole".to_string(),
        }
    }
}

/// One file's cases.
struct Suite<'a> {
    file: &'a str,
    cases: Vec<Case<'a>>,
}

impl Reporter for Junit {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let suites = suites(run);
        let tests: usize = suites.iter().map(|suite| suite.cases.len()).sum();
        let failures: usize = suites
            .iter()
            .map(|suite| suite.cases.iter().filter(|case| case.failed(run)).count())
            .sum();
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"mocheck\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
        )?;
        // Written suite by suite: a long run has a hundred thousand.
        let mut xml = String::new();
        for suite in &suites {
            xml.clear();
            write_suite(&mut xml, run, suite);
            out.write_all(xml.as_bytes())?;
        }
        writeln!(out, "</testsuites>")
    }
}

/// A suite per file, in the order the files were read, with a case per record; a finding
/// belongs to the last record that starts on or before its line (records' findings lie
/// within their own lines), else to the file as a whole.
fn suites<'a>(run: &'a Run) -> Vec<Suite<'a>> {
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in run.findings {
        by_file.entry(&finding.file).or_default().push(finding);
    }
    let mut records: HashMap<&str, Vec<&SeenRecord>> = HashMap::new();
    for record in run.seen {
        records.entry(&record.file).or_default().push(record);
    }
    let mut files: Vec<&str> = run.files.iter().map(|file| file.display.as_str()).collect();
    let read: std::collections::HashSet<&str> = files.iter().copied().collect();
    // Files that were never read (a walk error) still have their findings reported.
    let mut unread: Vec<&str> = by_file
        .keys()
        .copied()
        .filter(|file| !read.contains(file))
        .collect();
    unread.sort_unstable();
    files.extend(unread);
    files
        .into_iter()
        .map(|file| {
            let records = records.remove(file).unwrap_or_default();
            let mut cases: Vec<Case> = records
                .iter()
                .map(|record| Case {
                    record: Some(record),
                    findings: Vec::new(),
                })
                .collect();
            let mut whole_file = Case {
                record: None,
                findings: Vec::new(),
            };
            for finding in by_file.remove(file).unwrap_or_default() {
                // Records are in the order their documents start.
                let starts_before = records.partition_point(|record| record.line <= finding.line);
                match starts_before.checked_sub(1).filter(|_| finding.line > 0) {
                    Some(index) => cases[index].findings.push(finding),
                    None => whole_file.findings.push(finding),
                }
            }
            if !whole_file.findings.is_empty() || cases.is_empty() {
                cases.insert(0, whole_file);
            }
            Suite { file, cases }
        })
        .collect()
}

fn write_suite(xml: &mut String, run: &Run, suite: &Suite) {
    let failed = suite.cases.iter().filter(|case| case.failed(run)).count();
    let file = attribute(&run.path_of(suite.file));
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{file}\" file=\"{file}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">",
        suite.cases.len(),
    );
    for case in &suite.cases {
        let _ = write!(
            xml,
            "    <testcase name=\"{}\" classname=\"{file}\"",
            attribute(&case.name())
        );
        if case.findings.is_empty() {
            xml.push_str("/>\n");
            continue;
        }
        xml.push_str(">\n");
        let mut notes = String::new();
        for finding in &case.findings {
            if run.fails(finding) {
                let _ = writeln!(
                    xml,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    attribute(&format!(
                        "{} {}: {}",
                        finding.rule, finding.name, finding.message
                    )),
                    finding.severity,
                    content(&body(run, finding))
                );
            } else {
                let status = if finding.waived {
                    let waiver = finding.waiver.as_deref().unwrap_or_default();
                    format!("waived ({waiver})")
                } else if finding.baselined {
                    let baseline = finding.baseline.as_deref().unwrap_or_default();
                    format!("accepted as history by the baseline ({baseline})")
                } else {
                    format!("{}, below --fail-on", finding.severity)
                };
                let _ = writeln!(notes, "{status}: {}\n", body(run, finding));
            }
        }
        if !notes.is_empty() {
            let _ = writeln!(
                xml,
                "      <system-out>{}</system-out>",
                content(notes.trim_end())
            );
        }
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n");
}

/// What a person reading the CI report needs: where, what, how to fix it and why it matters.
fn body(run: &Run, finding: &Finding) -> String {
    let mut text = format!(
        "{}:{}:{}: {} {} {} ({})\n{}",
        run.path_of(&finding.file),
        finding.line,
        finding.column,
        finding.severity,
        finding.rule,
        finding.name,
        finding.path,
        finding.message
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
