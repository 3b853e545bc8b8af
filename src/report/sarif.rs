//! `--format sarif`: SARIF 2.1.0, for code-scanning services and editors. One run, every
//! rule of the ruleset in the driver's rule table, one result per finding; waived findings
//! are kept, with an external suppression carrying the waiver's justification.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, RuleSummary, Run};
use crate::finding::{Finding, Label, Severity};

pub struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: Tool<'a>,
    /// Columns count characters, as the loader does, not UTF-16 units.
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text<'a>>,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    basis: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    ruleset: &'a str,
    ruleset_version: &'a str,
    today: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    /// Absent when a finding has no line, e.g. a file that could not be read at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    /// A waiver in force has been approved, which is what `accepted` records.
    status: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'a str>,
    path: &'a str,
    basis: &'a [String],
}

impl Reporter for Sarif {
    fn write(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [SarifRun {
                tool: Tool {
                    driver: Driver {
                        name: "mocheck",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        rules: run.rules.iter().map(descriptor).collect(),
                    },
                },
                column_kind: "unicodeCodePoints",
                results: run
                    .findings
                    .iter()
                    .map(|finding| result(run, finding))
                    .collect(),
                properties: RunProperties {
                    ruleset: run.ruleset_name,
                    ruleset_version: run.ruleset_version,
                    today: run.today.to_string(),
                },
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

fn descriptor(rule: &RuleSummary) -> Descriptor<'_> {
    Descriptor {
        id: &rule.id,
        name: &rule.name,
        short_description: Text {
            text: &rule.summary,
        },
        help: (!rule.help.is_empty()).then_some(Text { text: &rule.help }),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties { basis: &rule.basis },
    }
}

fn result<'a>(run: &Run, finding: &'a Finding) -> SarifResult<'a> {
    SarifResult {
        rule_id: &finding.rule,
        rule_index: run.rules.iter().position(|rule| *rule.id == *finding.rule),
        level: level(finding.severity),
        message: Text {
            text: &finding.message,
        },
        locations: [Location {
            physical_location: physical(&finding.file, finding.line, finding.column),
            message: None,
        }],
        // The primary label is the finding's own place; the others are the fields it
        // conflicts with, such as the decision date against a late sign-off.
        related_locations: finding
            .labels
            .iter()
            .skip(1)
            .map(|label| related(&finding.file, label))
            .collect(),
        suppressions: if finding.waived {
            vec![Suppression {
                kind: "external",
                status: "accepted",
                justification: finding.waiver.as_deref().unwrap_or_default(),
            }]
        } else {
            Vec::new()
        },
        properties: ResultProperties {
            record: finding.record.as_deref(),
            path: &finding.path,
            basis: &finding.basis,
        },
    }
}

fn related<'a>(file: &str, label: &'a Label) -> Location<'a> {
    Location {
        physical_location: physical(file, label.span.line, label.span.column),
        message: Some(Text { text: &label.text }),
    }
}

fn physical(file: &str, line: u32, column: u32) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri: uri(file) },
        region: (line > 0).then_some(Region {
            start_line: line,
            start_column: column.max(1),
        }),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The file's path as a relative URI reference: `/` separators kept, everything a URI may not
/// hold percent-encoded, and `:` too so that `C:` or `a:b.yaml` is not read as a scheme.
fn uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}
