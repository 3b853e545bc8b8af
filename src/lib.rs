//! mocheck checks decision records of a Police and Crime Commissioner against the duties of
//! the monitoring officer and chief finance officer.
//!
//! The pipeline: [`load`] reads YAML records with the span of every value; [`rules`] reads
//! the TOML ruleset and `mocheck.toml` into a validated, compiled [`rules::RuleSet`];
//! [`check`] runs the rules over the records and returns sorted [`finding::Finding`]s;
//! [`report`] renders them in one format. [`app`] ties the steps to the command line.

pub mod app;
pub mod catalogue;
pub mod changed;
pub mod check;
pub mod cli;
pub mod completions;
pub mod draft;
pub mod due;
pub mod finding;
pub mod format;
pub mod load;
pub mod output;
pub mod progress;
pub mod report;
pub mod rule_tests;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod terminal;
pub mod text;
