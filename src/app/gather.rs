//! Gathering a run for a command: walk the paths, read standard input, load every file in
//! parallel and hand each record to the [`Checker`] as soon as it is built, counting the
//! files for the progress line. The one place records are read for a check; what they mean
//! is decided in `check`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::AppError;
use crate::check::{Base, CheckOptions, Checked, Checker, Engine, Keep, KeepRecord, Outcome};
use crate::finding::Finding;
use crate::load::{self, FileLoad, LoadOptions, LoadedRecord, SourceFile, WalkOptions, Walked};
use crate::progress::Progress;
use crate::report::SourceText;
use crate::rules::{Config, RuleSet};

/// What a command needs kept from loading and checking.
pub(super) struct Gather<'a, K> {
    pub records: Option<&'a KeepRecord<'a, K>>,
    /// Only the findings of the records kept (and every MO090).
    pub only_kept_findings: bool,
    /// `Engine::Interpreter` for `check --interpreter`.
    pub engine: Engine,
    /// Keep standard input's text, for snippets: it cannot be read again.
    pub text: bool,
    pub progress: bool,
}

impl<'a, K> Gather<'a, K> {
    /// For the reports and the forward look: what `records` keeps of each record, on the
    /// compiled evaluator, with a progress line only when the output goes to a file.
    pub fn keeping(
        records: &'a KeepRecord<'a, K>,
        only_kept_findings: bool,
        to_file: bool,
    ) -> Gather<'a, K> {
        Gather {
            records: Some(records),
            only_kept_findings,
            engine: Engine::Compiled,
            text: false,
            progress: to_file,
        }
    }
}

/// Where the reports' snippets come from: standard input's text as kept, and each file read
/// again (within the size limit, as loading reads it) when its findings are shown. No file's
/// text is held through the run: that cost as much memory again as the check itself.
pub(super) struct Texts {
    max_file_size: u64,
}

impl SourceText for Texts {
    fn text(&self, file: &SourceFile) -> Option<Arc<str>> {
        if let Some(text) = &file.text {
            return Some(text.clone());
        }
        // Standard input (loaded as `-`) cannot be read again.
        if file.path == Path::new("-") {
            return None;
        }
        load::read_again(&file.path, self.max_file_size).map(Arc::from)
    }
}

/// Loads one file, handing each record to the callback as it is built.
type LoadEach<'l> = dyn Fn(&mut dyn FnMut(LoadedRecord)) -> FileLoad + 'l;

/// One file loaded and checked: its source, its own problems' findings, its records'
/// outcomes.
type FileChecked<K> = (SourceFile, Vec<Finding>, Vec<Outcome<K>>);

/// Walks the paths (else the configured ones, else `.`), loads and checks every record.
pub(super) fn gather<K: Send>(
    paths: &[PathBuf],
    config: &Config,
    ruleset: &RuleSet,
    today: chrono::NaiveDate,
    keep: &Gather<K>,
) -> Result<(Checked<K>, Texts), AppError> {
    let walked = walk(paths, config)?;
    let mut options = LoadOptions::default();
    if let Some(size) = config.max_file_size {
        options.max_file_size = size;
    }
    let stdin = if walked.stdin {
        Some(read_stdin(options.max_file_size)?)
    } else {
        None
    };
    let checker = Checker::new(
        ruleset,
        CheckOptions {
            today,
            engine: keep.engine,
        },
        Keep {
            records: keep.records,
            only_kept_findings: keep.only_kept_findings,
        },
    );
    let progress = Progress::start(walked.files.len(), keep.progress);
    let run = load_and_check(
        &checker,
        &walked,
        stdin.as_deref(),
        options,
        keep.text,
        progress.counter(),
    );
    progress.finish();
    Ok((
        run,
        Texts {
            max_file_size: options.max_file_size,
        },
    ))
}

/// The record files under the paths given, else the configured ones, else `.`.
fn walk(paths: &[PathBuf], config: &Config) -> Result<Walked, AppError> {
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
    Ok(walked)
}

/// Standard input's bytes, one more than the limit at most, so that loading can refuse it.
fn read_stdin(limit: u64) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(AppError::Stdin)?;
    Ok(bytes)
}

/// Loads every walked file on the rayon pool, one file at a time per worker, and standard
/// input last, handing each record to the checker as soon as it is built (while it is fresh
/// in the cache); then finishes the run.
fn load_and_check<K: Send>(
    checker: &Checker<K>,
    walked: &Walked,
    stdin: Option<&[u8]>,
    options: LoadOptions,
    keep_stdin_text: bool,
    files_done: &AtomicUsize,
) -> Checked<K> {
    // A file's text is read again when its findings are shown (see `Texts`).
    let file_options = LoadOptions {
        keep_text: false,
        ..options
    };
    let stdin_options = LoadOptions {
        keep_text: keep_stdin_text,
        ..options
    };
    let check_file = |worker: &mut Base, load: &LoadEach| -> FileChecked<K> {
        // Most files hold one record; these are kept to the end of the run, so no spare room.
        let mut outcomes = Vec::with_capacity(1);
        let file = load(&mut |loaded| outcomes.push(checker.record(worker, loaded)));
        outcomes.shrink_to_fit();
        let display: Arc<str> = file.source.display.as_str().into();
        let problems = file
            .problems
            .iter()
            .map(|problem| checker.problem(&display, problem))
            .collect();
        (file.source, problems, outcomes)
    };
    let mut per_file: Vec<FileChecked<K>> = walked
        .files
        .par_iter()
        .map_init(
            || checker.worker(),
            |worker, (display, path)| {
                files_done.fetch_add(1, Ordering::Relaxed);
                check_file(worker, &|on_record| {
                    load::load_file_each(display, path, file_options, on_record)
                })
            },
        )
        .collect();
    if let Some(bytes) = stdin {
        per_file.push(check_file(&mut checker.worker(), &|on_record| {
            load::load_stdin_each(bytes, stdin_options, on_record)
        }));
    }

    let mut problems: Vec<Finding> = walked
        .errors
        .iter()
        .map(|(display, message)| {
            checker.problem(
                &display.as_str().into(),
                &load::walk_problem(message.clone()),
            )
        })
        .collect();
    let mut files = Vec::with_capacity(per_file.len());
    // Kept file by file: copying a hundred thousand outcomes into one list costs more than
    // walking the lists.
    let mut outcomes = Vec::with_capacity(per_file.len());
    for (source, file_problems, file_outcomes) in per_file {
        files.push(source);
        problems.extend(file_problems);
        outcomes.push(file_outcomes);
    }
    checker.finish(files, problems, outcomes)
}
