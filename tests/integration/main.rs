//! mocheck's integration tests: one binary, split by feature. Each runs the real `mocheck`
//! binary on example trees or small records written to a temporary folder.

mod cli;
mod config;
mod formats;
mod loader_errors;
mod reports;
mod ruleset;
mod support;
