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
        // serde_json's pretty printer lays out the whole (a test holds the two together).
        // The findings are written directly, in batches on all cores.
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
                let batches: Vec<Vec<u8>> = findings
                    .par_chunks(BATCH)
                    .map(|batch| {
                        let mut bytes = Vec::with_capacity(batch.len() * 600);
                        for finding in batch {
                            if !bytes.is_empty() {
                                bytes.extend_from_slice(b",\n");
                            }
                            write_finding(&mut bytes, finding);
                        }
                        bytes
                    })
                    .collect();
                for (index, batch) in batches.into_iter().enumerate() {
                    if group > 0 || index > 0 {
                        out.write_all(b",\n")?;
                    }
                    out.write_all(&batch)?;
                }
            }
            out.write_all(b"\n  ]")?;
        }
        out.write_all(b"\n}\n")
    }
}

/// A finding as the JSON output's specification has it, for serde to print.
#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    kind: &'static str,
    waived: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    baselined: bool,
    record: Option<&'a str>,
    file: &'a str,
    line: u32,
    column: u32,
    path: &'a str,
    message: &'a str,
    basis: &'a [String],
}

fn json(finding: &crate::finding::Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: &finding.rule,
        name: &finding.name,
        severity: finding.severity.as_str(),
        kind: finding.kind.as_str(),
        waived: finding.waived,
        baselined: finding.baselined,
        record: finding.record.as_deref(),
        file: &finding.file,
        line: finding.line,
        column: finding.column,
        path: &finding.path,
        message: &finding.message,
        basis: &finding.basis,
    }
}

/// One finding, laid out as `serde_json`'s pretty printer lays it out two levels deep: its
/// own layout indented by four spaces (a string in JSON holds no raw line break, so every
/// line break is the layout's).
fn write_finding(out: &mut Vec<u8>, finding: &crate::finding::Finding) {
    let mut text = Vec::with_capacity(600);
    // Writing to memory cannot fail, and the struct has only strings, numbers and bools.
    let _ = serde_json::to_writer_pretty(&mut text, &json(finding));
    for (index, line) in text.split(|byte| *byte == b'\n').enumerate() {
        if index > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"    ");
        out.extend_from_slice(line);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::finding::{Finding, Severity};

    /// A finding to lay out, also used by the other formats' tests.
    pub(in crate::report) fn finding(
        record: Option<&str>,
        basis: &[&str],
        message: &str,
        waived: bool,
    ) -> Finding {
        Finding {
            rule: "MO010".into(),
            name: "ce-advice-recorded".into(),
            severity: Severity::Warning,
            kind: crate::finding::RuleKind::Statute,
            waived,
            waiver: None,
            baselined: false,
            baseline: None,
            record: record.map(Arc::from),
            file: Arc::from("decisions/Ré \"x\".yaml"),
            line: 12,
            column: 1_234,
            path: "advice.chief_executive".to_string(),
            message: message.to_string(),
            help: "".into(),
            basis: basis
                .iter()
                .map(|text| (*text).to_string())
                .collect::<Vec<_>>()
                .into(),
            labels: Vec::new(),
        }
    }

    #[test]
    fn a_finding_is_laid_out_two_levels_deep_as_the_specification_shows() {
        let mut out = Vec::new();
        write_finding(
            &mut out,
            &finding(
                None,
                &["LGHA 1989 s.5(2)"],
                "quotes \" and\nnew line £",
                true,
            ),
        );
        let expected = r#"    {
      "rule": "MO010",
      "name": "ce-advice-recorded",
      "severity": "warning",
      "kind": "statute",
      "waived": true,
      "record": null,
      "file": "decisions/Ré \"x\".yaml",
      "line": 12,
      "column": 1234,
      "path": "advice.chief_executive",
      "message": "quotes \" and\nnew line £",
      "basis": [
        "LGHA 1989 s.5(2)"
      ]
    }"#;
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        // `baselined` only when true, after `waived`.
        let mut out = Vec::new();
        let baselined = Finding {
            baselined: true,
            ..finding(Some("EPCC-2024-044"), &[], "accepted as history", false)
        };
        write_finding(&mut out, &baselined);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\"waived\": false,\n      \"baselined\": true,\n      \"record\": \"EPCC-2024-044\""),
            "{text}"
        );
        assert!(text.contains("\"basis\": []"), "{text}");
    }
}
