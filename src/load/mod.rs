//! Loading: files and folders -> records with spans, plus the problems found on the way
//! (MO090 unreadable, MO091 unknown field). Reads only; never writes or moves a file.

mod read;
mod record;
pub mod schema;
mod source;
mod walk;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

pub use read::{plain_io, read_bounded, read_text, shown, ReadError, DEFAULT_LIMIT};
pub use record::{
    build, nearest, parse_day, Day, FieldTable, Item, Member, Problem, ProblemKind, Record, Value,
};
pub use source::{line_column, SourceFile, Span};
pub use walk::{walk, WalkError, WalkOptions, Walked};
pub use yaml::Limits;

/// A record as loaded, with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedRecord {
    pub file: Arc<str>,
    pub record: Record,
    /// Problems found reading it; an MO090 among them means no rule runs on it.
    pub problems: Vec<Problem>,
}

impl LoadedRecord {
    pub fn readable(&self) -> bool {
        !self
            .problems
            .iter()
            .any(|problem| problem.kind == ProblemKind::Unreadable)
    }
}

/// Everything read from the paths given.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub records: Vec<LoadedRecord>,
    /// Problems that belong to a file but to no record: unreadable files, YAML syntax errors.
    pub file_problems: Vec<(Arc<str>, Problem)>,
}

#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    pub max_file_size: u64,
    pub limits: Limits,
    /// Keep each file's text (for source snippets); costs a copy of every file.
    pub keep_text: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_LIMIT,
            limits: Limits::default(),
            keep_text: true,
        }
    }
}

/// Loads every file the walk found, in parallel, keeping the walk's order.
pub fn load(walked: &Walked, stdin: Option<&[u8]>, options: LoadOptions) -> Loaded {
    let mut loaded = Loaded::default();
    let mut per_file: Vec<FileLoad> = walked
        .files
        .par_iter()
        .map(|(display, path)| load_file(display, path, options))
        .collect();
    per_file.extend(stdin.map(|bytes| load_stdin(bytes, options)));
    for file in per_file {
        loaded.records.extend(file.records);
        let display: Arc<str> = file.source.display.as_str().into();
        loaded.file_problems.extend(
            file.problems
                .into_iter()
                .map(|problem| (display.clone(), problem)),
        );
        loaded.files.push(file.source);
    }
    for (display, message) in &walked.errors {
        loaded
            .file_problems
            .push((display.as_str().into(), walk_problem(message.clone())));
    }
    loaded
}

/// One file as loaded: its source, its records, and problems that belong to no record.
pub struct FileLoad {
    pub source: SourceFile,
    pub records: Vec<LoadedRecord>,
    pub problems: Vec<Problem>,
}

fn file_problem(message: String, span: Span) -> Problem {
    Problem {
        kind: ProblemKind::Unreadable,
        path: String::new(),
        message,
        span,
        related: None,
        help: None,
    }
}

pub fn load_file(display: &str, path: &Path, options: LoadOptions) -> FileLoad {
    let mut records = Vec::new();
    let mut load = load_file_each(display, path, options, |record| records.push(record));
    load.records = records;
    load
}

/// Loads a file, handing over each record as soon as it is built; the result holds the
/// source and the file's own problems, and no records.
pub fn load_file_each(
    display: &str,
    path: &Path,
    options: LoadOptions,
    on_record: impl FnMut(LoadedRecord),
) -> FileLoad {
    let text =
        read_record_file(path, options.max_file_size).and_then(|bytes| decode(bytes, options));
    load_text(display, path, text, options, on_record)
}

/// A record file's text read again, as loading reads it (within the size limit, never from
/// a pipe, a byte-order mark dropped), to show snippets after its text was let go. `None`
/// when it cannot be read now: it may have changed or gone since it was checked.
pub fn read_again(path: &Path, max_file_size: u64) -> Option<String> {
    let options = LoadOptions {
        max_file_size,
        ..LoadOptions::default()
    };
    let bytes = read_record_file(path, max_file_size).ok()?;
    decode(bytes, options).ok()
}

pub fn load_stdin(bytes: &[u8], options: LoadOptions) -> FileLoad {
    let mut records = Vec::new();
    let mut load = load_stdin_each(bytes, options, |record| records.push(record));
    load.records = records;
    load
}

pub fn load_stdin_each(
    bytes: &[u8],
    options: LoadOptions,
    on_record: impl FnMut(LoadedRecord),
) -> FileLoad {
    load_text(
        "<stdin>",
        Path::new("-"),
        decode(bytes.to_vec(), options),
        options,
        on_record,
    )
}

/// A problem about a path the walk could not read, as if it were a file of its own.
pub fn walk_problem(message: String) -> Problem {
    file_problem(
        message,
        Span {
            line: 1,
            column: 1,
            start: 0,
            end: 0,
        },
    )
}

fn load_text(
    display: &str,
    path: &Path,
    text: Result<String, String>,
    options: LoadOptions,
    mut on_record: impl FnMut(LoadedRecord),
) -> FileLoad {
    let start = Span {
        line: 1,
        column: 1,
        start: 0,
        end: 0,
    };
    let mut load = FileLoad {
        source: SourceFile {
            display: display.to_string(),
            path: path.to_path_buf(),
            text: None,
        },
        records: Vec::new(),
        problems: Vec::new(),
    };
    let text = match text {
        Ok(text) => text,
        Err(message) => {
            load.problems.push(file_problem(message, start));
            return load;
        }
    };
    let file: Arc<str> = display.into();
    yaml::each_document(&text, options.limits, |document| match document {
        yaml::Document::Parsed(root) => {
            let mut problems = Vec::new();
            if let Some(record) = record::build(root, &mut problems) {
                on_record(LoadedRecord {
                    file: file.clone(),
                    record,
                    problems,
                });
            } else {
                load.problems.extend(problems);
            }
        }
        yaml::Document::Failed { error, .. } => load.problems.push(Problem {
            kind: ProblemKind::Unreadable,
            path: String::new(),
            message: error.message,
            span: error.span,
            related: error.related,
            help: None,
        }),
    });
    if options.keep_text {
        load.source.text = Some(text.into());
    }
    load
}

fn too_big(limit: u64) -> String {
    format!(
        "the file is larger than {} MB, the limit for a decisions file, so it was not read; split it, or raise `max_file_size` under [check] in mocheck.toml",
        limit / (1024 * 1024)
    )
}

/// A record file's bytes, or why they could not be read, in the words of an MO090 finding.
fn read_record_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    read_bounded(path, limit).map_err(|error| match error {
        ReadError::TooBig(limit) => too_big(limit),
        other => format!("the file could not be read: {}", other.reason()),
    })
}

/// The file's bytes as text, taken over without a copy.
fn decode(mut bytes: Vec<u8>, options: LoadOptions) -> Result<String, String> {
    if bytes.len() as u64 > options.max_file_size {
        return Err(too_big(options.max_file_size));
    }
    if bytes.contains(&0) {
        return Err("the file holds binary data, not YAML text".to_string());
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let (line, _) = line_column(
            std::str::from_utf8(&bytes[..error.utf8_error().valid_up_to()]).unwrap_or(""),
            error.utf8_error().valid_up_to(),
        );
        format!(
            "the file is not UTF-8 text (the first bad byte is on line {line}); save it as UTF-8"
        )
    })
}

/// The benchmark floor: read every file and run the YAML parser over it, building nothing
/// (or, with `tree`, only each document's tree of spans). Returns (files, bytes, parser
/// events or documents). Used by `mocheck parse-only`, never by checks.
pub fn parse_only(walked: &Walked, tree: bool) -> (usize, usize, usize) {
    walked
        .files
        .par_iter()
        .map(|(_, path)| {
            let Some(text) = read_bounded(path, DEFAULT_LIMIT)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
            else {
                return (1, 0, 0);
            };
            let count = if tree {
                let mut documents = 0;
                yaml::each_document(&text, Limits::default(), |_| documents += 1);
                documents
            } else {
                saphyr_parser::Parser::new_from_str(&text)
                    .take_while(Result::is_ok)
                    .count()
            };
            (1, text.len(), count)
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
}
