//! Why a command could not be done: one variant per cause, each with the words standard error
//! shows (tests hold many of them). `app::print_error` writes them; the exit status is 2.

use std::io;

use chrono::NaiveDate;
use miette::Diagnostic;

use crate::load::WalkError;
use crate::output::OutputError;
use crate::rules::ConfigError;

/// Why a command could not be done. Each is drawn from its message alone (through
/// `report::snippet::Clipped`), so a variant's source is never printed twice.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum AppError {
    /// `mocheck.toml`, a rules file or a baseline: each problem shown with its snippet.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    /// A path to check does not exist or cannot be read, or an `exclude` glob is not valid.
    #[error("{0}")]
    Walk(#[from] WalkError),
    /// `-` was given, and standard input could not be read.
    #[error("could not read standard input: {0}")]
    Stdin(#[source] io::Error),
    /// `--output` was refused (an input, a record, not a file) or could not be written.
    #[error("{0}")]
    Output(#[from] OutputError),
    /// Standard output failed, other than by a closed pipe.
    #[error("could not write the output: {0}")]
    Write(#[source] io::Error),
    /// `--select` or `--ignore` named no rule.
    #[error("{0}")]
    Select(String),
    /// `--changed-since`: git could not say what changed.
    #[error("{0}")]
    ChangedSince(String),
    /// The current folder, which paths of a baseline are relative to, cannot be read.
    #[error("the current folder: {0}")]
    CurrentDir(#[source] io::Error),
    /// `baseline --prune` with no baseline named.
    #[error(
        "--prune needs a baseline: name it with `--baseline FILE` or `[check] baseline` in mocheck.toml"
    )]
    NothingToPrune,
    /// `baseline --reason` or `--approved-by` given empty.
    #[error(
        "{option} is empty: a baseline must say why its findings are accepted and who approved it"
    )]
    EmptyBaselineText { option: &'static str },
    /// `explain` of an id or name no rule has; `hint` is "; did you mean ...?" or empty.
    #[error("there is no rule `{wanted}`{hint} (`mocheck rules` lists them)")]
    UnknownRule { wanted: String, hint: String },
    /// `report --from` after `--to`.
    #[error(
        "--from {from} is after --to {to}, so no decision could be in the period; give the earlier date first"
    )]
    PeriodReversed { from: NaiveDate, to: NaiveDate },
    /// `report --format`: a form that cannot be written where the draft goes.
    #[error("{0}")]
    DraftForm(String),
    /// `report --decision` of a reference no record has; `hint` suggests one, `unreadable`
    /// names files that could hold it.
    #[error("no record has the reference `{reference}`{hint}{unreadable}")]
    UnknownDecision {
        reference: String,
        hint: String,
        unreadable: String,
    },
    /// `report --decision` of a reference several records share; `places` lists them.
    #[error(
        "the reference `{reference}` is used by {count} records ({places}); give each decision its own reference first"
    )]
    SharedReference {
        reference: String,
        count: usize,
        places: String,
    },
    /// `init`: a starter file exists already, or could not be written.
    #[error("{0}")]
    Init(String),
    /// `new`: an empty reference, or a decision type the record format does not have.
    #[error("{0}")]
    NewRecord(String),
}
