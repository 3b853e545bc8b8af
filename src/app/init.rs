//! `mocheck init` and `mocheck new`: a repository's starter files, a record's skeleton.

use std::fmt::Write as _;

use super::{emit, AppError, ExitStatus};
use crate::cli::NewArgs;
use crate::load;
use crate::rules::{self, Config, RuleSources};
use crate::scaffold;

/// Creates the starter files, or none of them if any already exists.
pub(super) fn run_init(dir: &std::path::Path) -> Result<ExitStatus, AppError> {
    let ruleset = rules::load(
        &Config::defaults(),
        &RuleSources {
            override_files: Vec::new(),
        },
    )?;
    let files = scaffold::init_files(&ruleset);
    let created = scaffold::create_all(dir, &files).map_err(AppError::Init)?;
    let mut report = String::new();
    for path in created {
        let _ = writeln!(report, "created {}", load::shown(&path));
    }
    report
        .push_str("Next: edit mocheck.toml (your office and roster), then run `mocheck check`.\n");
    emit(None, &[], report.as_bytes())?;
    Ok(ExitStatus::Clean)
}

pub(super) fn run_new(args: &NewArgs) -> Result<ExitStatus, AppError> {
    let ruleset = rules::load(
        &Config::defaults(),
        &RuleSources {
            override_files: Vec::new(),
        },
    )?;
    let shape = scaffold::Shape {
        joint: args.joint,
        meeting: args.meeting,
    };
    let text = scaffold::new_record(&args.reference, &args.decision_type, shape, &ruleset)
        .map_err(AppError::NewRecord)?;
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}
