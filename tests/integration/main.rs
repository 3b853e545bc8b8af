//! mocheck's integration tests: one binary, split by feature. Each runs the real `mocheck`
//! binary on example trees or small records written to a temporary folder.

mod adoption;
mod architecture;
mod baseline;
mod changed_since;
mod cli;
mod code_scanning;
mod colour;
mod command_line;
mod config;
mod documents;
mod due;
mod engines;
mod formats;
mod fuzz_regressions;
mod hostile_input;
mod hostile_output;
mod hostile_rules;
mod loader_errors;
mod message_wording;
mod missing_facts;
mod multi_document;
mod never_false_assurance;
mod precept;
mod properties;
mod readme;
mod real_notices;
mod record_format_2;
mod reports;
mod robustness;
mod ruleset;
mod s114;
mod scale;
mod support;
mod workflow;
