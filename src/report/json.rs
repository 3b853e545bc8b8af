//! `--format json`: the stable, versioned JSON of the specification.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::{Reporter, Run};
use crate::finding::Counts;

pub struct Json;

/// Everything but the findings, which are written separately (see `write`).
#[derive(Serialize)]
struct Head<'a> {
    version: u32,
    tool: Tool,
    ruleset: Ruleset<'a>,
    today: String,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Ruleset<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    records: usize,
    #[serde(flatten)]
    counts: Counts,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    waived: bool,
    record: Option<&'a str>,
    file: &'a str,
    line: u32,
    column: u32,
    path: &'a str,
    message: &'a str,
    basis: &'a [String],
}

/// Findings serialised per batch, in parallel: a long run has tens of thousands.
const BATCH: usize = 2048;

impl Reporter for Json {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let head = Head {
            version: 1,
            tool: Tool {
                name: "mocheck",
                version: env!("CARGO_PKG_VERSION"),
            },
            ruleset: Ruleset {
                name: run.ruleset_name,
                version: run.ruleset_version,
            },
            today: run.today.to_string(),
            summary: Summary {
                files: run.files.len(),
                records: run.records,
                counts: run.counts(),
            },
        };
        // The document is the head with a `findings` member added, laid out exactly as
        // serde_json's pretty printer lays out the whole: each finding is printed on its
        // own and indented to its depth. JSON strings hold no raw line breaks, so every
        // line break in a finding's text is structure, and indenting after it is safe.
        let mut text = serde_json::to_vec_pretty(&head)?;
        text.truncate(text.len().saturating_sub(2)); // the closing "\n}"
        text.extend_from_slice(b",\n  \"findings\": ");
        if run.findings.is_empty() {
            text.extend_from_slice(b"[]");
            out.write_all(&text)?;
        } else {
            text.extend_from_slice(b"[\n");
            out.write_all(&text)?;
            // A few batches at a time, so the text in memory stays small.
            for (group, findings) in run.findings.chunks(BATCH * 8).enumerate() {
                let batches: Vec<io::Result<Vec<u8>>> = findings
                    .par_chunks(BATCH)
                    .map(|batch| {
                        let mut bytes = Vec::with_capacity(batch.len() * 600);
                        for finding in batch {
                            if !bytes.is_empty() {
                                bytes.extend_from_slice(b",\n");
                            }
                            let indented = Indented::new(&mut bytes);
                            serde_json::to_writer_pretty(indented, &json(finding))?;
                        }
                        Ok(bytes)
                    })
                    .collect();
                for (index, batch) in batches.into_iter().enumerate() {
                    if group > 0 || index > 0 {
                        out.write_all(b",\n")?;
                    }
                    out.write_all(&batch?)?;
                }
            }
            out.write_all(b"\n  ]")?;
        }
        out.write_all(b"\n}\n")
    }
}

fn json(finding: &crate::finding::Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: &finding.rule,
        name: &finding.name,
        severity: finding.severity.as_str(),
        waived: finding.waived,
        record: finding.record.as_deref(),
        file: &finding.file,
        line: finding.line,
        column: finding.column,
        path: &finding.path,
        message: &finding.message,
        basis: &finding.basis,
    }
}

/// Writes bytes indented by four spaces: two levels, a finding's depth in the document.
struct Indented<'b> {
    out: &'b mut Vec<u8>,
}

impl<'b> Indented<'b> {
    fn new(out: &'b mut Vec<u8>) -> Self {
        out.extend_from_slice(b"    ");
        Indented { out }
    }
}

impl Write for Indented<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|byte| *byte == b'\n') {
            self.out.extend_from_slice(&rest[..=at]);
            self.out.extend_from_slice(b"    ");
            rest = &rest[at + 1..];
        }
        self.out.extend_from_slice(rest);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
