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

/// One finding as `serde_json`'s pretty printer writes it at a depth of two levels.
fn write_finding(out: &mut Vec<u8>, finding: &crate::finding::Finding) {
    let field = |out: &mut Vec<u8>, name: &str| {
        out.extend_from_slice(b"      \"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\": ");
    };
    let text = |out: &mut Vec<u8>, value: &str| {
        // Escaping as serde_json does; writing to memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, value);
    };
    out.extend_from_slice(b"    {\n");
    for (name, value) in [
        ("rule", &*finding.rule),
        ("name", &*finding.name),
        ("severity", finding.severity.as_str()),
        ("kind", finding.kind.as_str()),
    ] {
        field(out, name);
        text(out, value);
        out.extend_from_slice(b",\n");
    }
    field(out, "waived");
    out.extend_from_slice(if finding.waived {
        b"true,\n"
    } else {
        b"false,\n"
    });
    // Only when true: version 1 output without a baseline is unchanged.
    if finding.baselined {
        field(out, "baselined");
        out.extend_from_slice(b"true,\n");
    }
    field(out, "record");
    match &finding.record {
        Some(record) => text(out, record),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n");
    field(out, "file");
    text(out, &finding.file);
    out.extend_from_slice(b",\n");
    for (name, number) in [("line", finding.line), ("column", finding.column)] {
        field(out, name);
        out.extend_from_slice(number.to_string().as_bytes());
        out.extend_from_slice(b",\n");
    }
    for (name, value) in [("path", &finding.path), ("message", &finding.message)] {
        field(out, name);
        text(out, value);
        out.extend_from_slice(b",\n");
    }
    field(out, "basis");
    if finding.basis.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.extend_from_slice(b"[\n");
        for (index, basis) in finding.basis.iter().enumerate() {
            if index > 0 {
                out.extend_from_slice(b",\n");
            }
            out.extend_from_slice(b"        ");
            text(out, basis);
        }
        out.extend_from_slice(b"\n      ]");
    }
    out.extend_from_slice(b"\n    }");
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::finding::{Finding, Severity};

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
    fn findings_are_written_as_serde_json_pretty_prints_them() {
        let findings = [
            finding(
                Some("EPCC-2026-001"),
                &["LGHA 1989 s.5(2)", "PRSRA 2011 s.1"],
                "plain",
                false,
            ),
            finding(
                None,
                &[],
                "quotes \" and \\ and\ttab\nnew line \u{1} £ 🚓",
                true,
            ),
            Finding {
                baselined: true,
                ..finding(Some("EPCC-2024-044"), &[], "accepted as history", false)
            },
        ];
        for finding in &findings {
            let mut fast = Vec::new();
            write_finding(&mut fast, finding);
            let mut reference = vec![b' '; 4];
            let pretty = serde_json::to_string_pretty(&json(finding)).unwrap();
            reference.extend_from_slice(pretty.replace('\n', "\n    ").as_bytes());
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(reference).unwrap()
            );
        }
    }
}
