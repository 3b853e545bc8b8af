//! `mocheck parse-only`, hidden: the benchmark floor, YAML parsed and nothing built.

use std::path::PathBuf;

use super::{emit, AppError, ExitStatus};
use crate::load::{self, WalkOptions};

pub(super) fn run_parse_only(paths: &[PathBuf], tree: bool) -> Result<ExitStatus, AppError> {
    let walked = load::walk(paths, &WalkOptions::default()).map_err(AppError::Walk)?;
    let (files, bytes, count) = load::parse_only(&walked, tree);
    let counted = if tree { "documents" } else { "events" };
    emit(
        None,
        &[],
        format!("parsed {files} files, {bytes} bytes, {count} {counted}\n").as_bytes(),
    )?;
    Ok(ExitStatus::Clean)
}
