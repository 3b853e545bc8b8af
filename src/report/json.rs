//! `--format json`: the stable, versioned JSON of the specification.

use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, Run};
use crate::finding::Counts;

pub struct Json;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    ruleset: Ruleset<'a>,
    today: String,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
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

impl Reporter for Json {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let output = Output {
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
            findings: run
                .findings
                .iter()
                .map(|finding| JsonFinding {
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
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &output)?;
        writeln!(out)
    }
}
