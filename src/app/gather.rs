//! What a command keeps from loading and checking, and the one place records are walked,
//! read and checked for every command. Orchestration only: what a record means is in `load`
//! and `check`.

use std::io::{Read, Write};
use std::path::PathBuf;

use super::AppError;
use crate::check::{check_files, CheckOptions, Checked, Engine, Keep, KeepRecord};
use crate::load::{self, LoadOptions, WalkOptions};
use crate::progress::Progress;
use crate::rules::{Config, RuleSet};

/// What a command needs kept from loading and checking.
pub(super) struct Gather<'a, K> {
    pub(super) records: Option<&'a KeepRecord<'a, K>>,
    /// Only the findings of the records kept (and every MO090).
    pub(super) only_kept_findings: bool,
    /// `Engine::Interpreter` for `check --interpreter`.
    pub(super) engine: Engine,
    pub(super) text: bool,
    pub(super) progress: bool,
}

/// Walks the paths (else the configured ones, else `.`), loads and checks every record.
pub(super) fn gather<K: Send>(
    paths: &[PathBuf],
    config: &Config,
    ruleset: &RuleSet,
    today: chrono::NaiveDate,
    keep: &Gather<K>,
) -> Result<(Checked<K>, LoadOptions), AppError> {
    let paths = if paths.is_empty() {
        config
            .paths
            .clone()
            .unwrap_or_else(|| vec![PathBuf::from(".")])
    } else {
        paths.to_vec()
    };
    let walked = load::walk(
        &paths,
        &WalkOptions {
            exclude: config.exclude.clone(),
            within: config.paths.clone(),
        },
    )
    .map_err(AppError::Walk)?;
    // On standard error, so that no output format changes and a named file is never silently
    // left out.
    for (shown, reason) in &walked.skipped {
        let _ = writeln!(std::io::stderr(), "note: skipped `{shown}`: {reason}");
    }
    let mut options = LoadOptions::default();
    if let Some(size) = config.max_file_size {
        options.max_file_size = size;
    }
    let stdin = if walked.stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(options.max_file_size + 1)
            .read_to_end(&mut bytes)
            .map_err(AppError::Stdin)?;
        Some(bytes)
    } else {
        None
    };
    let progress = Progress::start(walked.files.len(), keep.progress);
    let checked = check_files(
        &walked,
        stdin.as_deref(),
        options,
        ruleset,
        CheckOptions {
            today,
            engine: keep.engine,
        },
        &Keep {
            records: keep.records,
            only_kept_findings: keep.only_kept_findings,
            text: keep.text,
            progress: Some(progress.counter()),
        },
    );
    progress.finish();
    Ok((checked, options))
}
