//! `--format github`: GitHub Actions workflow commands, so each finding shows as an
//! annotation on the record's line in a pull request, then the plain summary line. Paths are
//! named from the repository's top, as GitHub matches them against the pull request.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::ends::{ends, End};
use super::{Reporter, Run, Style};
use crate::finding::{Finding, Severity};
use crate::text::terminal;

pub struct Github {
    pub style: Style,
}

impl Reporter for Github {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if !self.style.quiet {
            let ends = ends(run);
            for (finding, ends) in run.findings.iter().zip(&ends) {
                // The first label's end, when that label is the finding's own place.
                let end = finding
                    .labels
                    .first()
                    .filter(|label| {
                        (label.span.line, label.span.column) == (finding.line, finding.column)
                    })
                    .and(ends.first().copied().flatten());
                writeln!(
                    out,
                    "{}",
                    command(&run.path_of(&finding.file), finding, end)
                )?;
            }
        }
        writeln!(out, "{}", run.summary_line())
    }
}

/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=ID name::message`. A waived
/// finding is still shown, as a notice, so that a reviewer sees what was accepted and why.
fn command(file: &str, finding: &Finding, end: Option<End>) -> String {
    // Accepted findings (waived, or history in the baseline) are notices: seen, not failing.
    let accepted = finding.waived || finding.baselined;
    let level = if accepted {
        "notice"
    } else {
        match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        }
    };
    let mut message = if finding.waived {
        format!("(waived) {}", finding.message)
    } else if finding.baselined {
        format!("(baselined) {}", finding.message)
    } else {
        finding.message.clone()
    };
    if let Some(waiver) = finding.waiver.as_deref().filter(|_| finding.waived) {
        let _ = write!(message, "\nwaiver: {waiver}");
    }
    if let Some(baseline) = finding.baseline.as_deref().filter(|_| finding.baselined) {
        let _ = write!(message, "\naccepted as history by the baseline: {baseline}");
    }
    if !finding.help.is_empty() {
        let _ = write!(message, "\n{}", finding.help);
    }
    let mut properties = vec![format!("file={}", property(file))];
    // Line 0 means no line is known; GitHub then annotates the file as a whole.
    if finding.line > 0 {
        properties.push(format!("line={}", finding.line));
        properties.push(format!("col={}", finding.column.max(1)));
        if let Some(end) = end {
            // GitHub's columns are inclusive and apply only within one line.
            properties.push(format!("endLine={}", end.line));
            if end.line == finding.line {
                properties.push(format!("endColumn={}", end.column.saturating_sub(1).max(1)));
            }
        }
    }
    properties.push(format!(
        "title={}",
        property(&format!("{} {}", finding.rule, finding.name))
    ));
    format!("::{level} {}::{}", properties.join(","), data(&message))
}

/// The message after `::`, escaped as the runner unescapes it, with hidden characters
/// shown (the log that prints it is a terminal's).
fn data(text: &str) -> String {
    terminal(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value, where `:` and `,` would end the value early.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
