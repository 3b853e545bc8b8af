//! `--format sarif`: SARIF 2.1.0, for code-scanning services (GitHub's among them) and
//! editors. One run, every rule of the ruleset in the driver's rule table with its full
//! explanation, one result per finding; waived and baselined findings are kept, with an
//! external suppression carrying the waiver's or the baseline's justification (and, with a
//! baseline, each result's `baselineState`). Files are named from the repository's
//! top (`%SRCROOT%`), and each result has a fingerprint that survives lines moving.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hasher;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::ends::{ends, End};
use super::root::percent_encode;
use super::{Reporter, RuleSummary, Run};
use crate::finding::{Finding, Severity};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BaseIds>,
    /// Columns count characters, as the loader does, not UTF-16 units.
    column_kind: &'static str,
    results: Results<'a>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "%SRCROOT%")]
    source_root: ArtifactLocation,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'a str>,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: OwnedText,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    tags: [&'static str; 3],
    /// `statute`, `code_of_practice`, `local_policy` or `good_practice`.
    kind: &'static str,
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
    partial_fingerprints: Fingerprints,
    /// With a baseline in use: `unchanged` for a finding it accepts, `new` for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct Fingerprints {
    /// The record (by reference, else file), rule and field, and which of several findings
    /// with those three it is: not the line, so moving text about keeps the fingerprint.
    #[serde(rename = "mocheckFinding/v1")]
    finding: String,
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
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
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

/// The results, written as they are made rather than gathered first: a long run has
/// hundreds of thousands.
struct Results<'a> {
    run: &'a Run<'a>,
    /// Whether a baseline accepted any finding: then every result says whether it is new.
    baseline: bool,
    rule_index: HashMap<&'a str, usize>,
    ends: Vec<Vec<Option<End>>>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let occurrences = RefCell::new(HashMap::new());
        serializer.collect_seq(
            self.run
                .findings
                .iter()
                .zip(&self.ends)
                .map(|(finding, ends)| {
                    let key = fingerprint(self.run, finding);
                    let mut seen = occurrences.borrow_mut();
                    let nth = seen.entry(key).or_insert(0_u32);
                    *nth += 1;
                    result(self, finding, ends, format!("{key:016x}:{nth}"))
                }),
        )
    }
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
                        information_uri: run.rules_url,
                        rules: run
                            .rules
                            .iter()
                            .map(|rule| descriptor(rule, run.rules_url))
                            .collect(),
                    },
                },
                original_uri_base_ids: run.root.map(|root| BaseIds {
                    source_root: ArtifactLocation {
                        uri: root.uri(),
                        uri_base_id: None,
                    },
                }),
                column_kind: "unicodeCodePoints",
                results: Results {
                    run,
                    baseline: run.findings.iter().any(|finding| finding.baselined),
                    rule_index: run
                        .rules
                        .iter()
                        .enumerate()
                        .map(|(index, rule)| (rule.id.as_str(), index))
                        .collect(),
                    ends: ends(run),
                },
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

fn descriptor<'a>(rule: &'a RuleSummary, rules_url: Option<&str>) -> Descriptor<'a> {
    Descriptor {
        id: &rule.id,
        name: &rule.name,
        short_description: Text {
            text: &rule.summary,
        },
        full_description: OwnedText {
            text: what_it_checks(&rule.explain).unwrap_or_else(|| rule.summary.clone()),
        },
        help: help(rule),
        help_uri: rules_url.map(|url| {
            // The anchor GitHub gives a heading `## MO015 cfo-signoff-before-decision`.
            format!("{url}#{}-{}", rule.id.to_lowercase(), rule.name)
        }),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            tags: [
                "mocheck",
                if rule.engine {
                    "record-format"
                } else {
                    "decision-compliance"
                },
                rule.kind.as_str(),
            ],
            kind: rule.kind.as_str(),
            basis: &rule.basis,
        },
    }
}

/// The first paragraph of the explanation's "What it checks" section, else of the
/// explanation itself, as one line: what a code-scanning page shows under the rule's name.
fn what_it_checks(explain: &str) -> Option<String> {
    let section = explain
        .split_once("## What it checks")
        .map_or(explain, |(_, rest)| rest);
    let paragraph = section
        .trim_start()
        .split("\n\n")
        .next()
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty() && !paragraph.starts_with('#'))?;
    Some(paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The rule's whole explanation, how to fix a record and its basis: the explanation is
/// Markdown already; the text form drops the heading marks.
fn help(rule: &RuleSummary) -> Help {
    let mut markdown = rule.explain.trim().to_string();
    if markdown.is_empty() {
        markdown.clone_from(&rule.summary);
    }
    if !rule.help.is_empty() && !markdown.contains("## How to fix") {
        markdown.push_str("\n\n## How to fix\n\n");
        markdown.push_str(&rule.help);
    }
    if !rule.basis.is_empty() {
        markdown.push_str("\n\n## Basis\n");
        for basis in rule.basis.iter() {
            markdown.push_str("\n- ");
            markdown.push_str(basis);
        }
    }
    let text = markdown
        .lines()
        .map(|line| line.trim_start_matches('#').trim_start())
        .collect::<Vec<_>>()
        .join("\n");
    Help { text, markdown }
}

/// What stays the same while a finding stays the same: its record (by reference, which
/// moves with the record, else its file), rule and field.
fn fingerprint(run: &Run, finding: &Finding) -> u64 {
    // FNV-1a: the same on every machine and in every version, as a fingerprint must be.
    let mut hash = fnv::FnvHasher::default();
    if let Some(reference) = finding.record.as_deref() {
        hash.write(b"record\0");
        hash.write(reference.as_bytes());
    } else {
        hash.write(b"file\0");
        hash.write(run.path_of(&finding.file).as_bytes());
    }
    for part in [&*finding.rule, finding.path.as_str()] {
        hash.write(b"\0");
        hash.write(part.as_bytes());
    }
    hash.finish()
}

fn result<'a>(
    results: &Results<'a>,
    finding: &'a Finding,
    ends: &[Option<End>],
    fingerprint: String,
) -> SarifResult<'a> {
    let run = results.run;
    // The first label is normally the finding's own place; its end is used only if so.
    let primary_end = finding
        .labels
        .first()
        .filter(|label| (label.span.line, label.span.column) == (finding.line, finding.column))
        .and(ends.first().copied().flatten());
    SarifResult {
        rule_id: &finding.rule,
        rule_index: results.rule_index.get(&*finding.rule).copied(),
        level: level(finding.severity),
        message: Text {
            text: &finding.message,
        },
        locations: [Location {
            physical_location: physical(
                run,
                &finding.file,
                finding.line,
                finding.column,
                primary_end,
            ),
            message: None,
        }],
        // The primary label is the finding's own place; the others are the fields it
        // conflicts with, such as the decision date against a late sign-off.
        related_locations: finding
            .labels
            .iter()
            .zip(ends.iter().copied().chain(std::iter::repeat(None)))
            .skip(1)
            .map(|(label, end)| Location {
                physical_location: physical(
                    run,
                    &finding.file,
                    label.span.line,
                    label.span.column,
                    end,
                ),
                message: Some(Text { text: &label.text }),
            })
            .collect(),
        partial_fingerprints: Fingerprints {
            finding: fingerprint,
        },
        baseline_state: results.baseline.then_some(if finding.baselined {
            "unchanged"
        } else {
            "new"
        }),
        // A waiver and a baseline entry are both approved exceptions kept outside the
        // results, which is what an external, accepted suppression records.
        suppressions: if finding.waived {
            vec![Suppression {
                kind: "external",
                status: "accepted",
                justification: finding.waiver.as_deref().unwrap_or_default(),
            }]
        } else if finding.baselined {
            vec![Suppression {
                kind: "external",
                status: "accepted",
                justification: finding.baseline.as_deref().unwrap_or_default(),
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

/// A place in a file, named from the source root when it lies within it, else by an
/// absolute `file:` URI.
fn physical(run: &Run, file: &str, line: u32, column: u32, end: Option<End>) -> PhysicalLocation {
    let artifact_location = match run.root.filter(|_| file != "<stdin>") {
        Some(root) => match root.relative(file) {
            Some(path) => ArtifactLocation {
                uri: percent_encode(&path),
                uri_base_id: Some("%SRCROOT%"),
            },
            None => ArtifactLocation {
                uri: root.file_uri(file),
                uri_base_id: None,
            },
        },
        None => ArtifactLocation {
            uri: percent_encode(file),
            uri_base_id: None,
        },
    };
    let end = end.filter(|_| line > 0);
    PhysicalLocation {
        artifact_location,
        region: (line > 0).then_some(Region {
            start_line: line,
            start_column: column.max(1),
            end_line: end.map(|end| end.line),
            end_column: end.map(|end| end.column),
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
