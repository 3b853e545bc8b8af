//! `mocheck.toml`: the office roster, where the records are, which rules run and the
//! parameter overrides. Found with `--config` or upwards from the current directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::error::{ConfigError, TomlProblem, TomlSource};
use super::file::{roster, RawHolder};
use super::roster::Roster;
use crate::finding::Severity;

pub const FILE_NAME: &str = "mocheck.toml";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    office: RawOffice,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    params: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    name: Option<String>,
    #[serde(default)]
    holder: Vec<RawHolder>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    paths: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    fail_on: Option<Spanned<String>>,
    /// In megabytes.
    max_file_size: Option<Spanned<i64>>,
    /// The page documenting the rules, for SARIF's `helpUri`.
    rules_url: Option<Spanned<String>>,
    /// The baseline file, relative to this file.
    baseline: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    files: Vec<String>,
    builtin: Option<bool>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// The lowest severity that fails a run, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    Never,
}

impl FailOn {
    pub fn parse(text: &str) -> Option<FailOn> {
        match text {
            "never" => Some(FailOn::Never),
            other => Severity::parse(other).map(FailOn::At),
        }
    }

    /// Whether a finding of this severity fails the run.
    pub fn includes(self, severity: Severity) -> bool {
        matches!(self, FailOn::At(level) if severity >= level)
    }
}

/// A validated `mocheck.toml` (or the defaults when there is none).
#[derive(Default)]
pub struct Config {
    pub source: Option<TomlSource>,
    /// Folder that relative paths in the file are read from.
    pub base_dir: PathBuf,
    pub office_name: Option<String>,
    pub roster: Roster,
    pub paths: Option<Vec<PathBuf>>,
    pub exclude: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub max_file_size: Option<u64>,
    /// `[check] rules_url`: where the rules are documented, for SARIF's `helpUri`.
    pub rules_url: Option<String>,
    /// `[check] baseline`: findings accepted as history (see `check::baseline`).
    pub baseline: Option<PathBuf>,
    pub rule_files: Vec<PathBuf>,
    pub builtin: bool,
    pub disable: Vec<Spanned<String>>,
    pub severity: Vec<(Spanned<String>, Spanned<String>)>,
    pub params: Vec<(Spanned<String>, Spanned<toml::Value>)>,
}

impl Config {
    pub fn defaults() -> Config {
        Config {
            builtin: true,
            base_dir: PathBuf::from("."),
            ..Config::default()
        }
    }

    /// A problem pointing into this file, when there is one.
    pub fn problem(&self, span: Option<std::ops::Range<usize>>, message: String) -> TomlProblem {
        match &self.source {
            Some(source) => source.problem(span, message),
            None => TomlSource::new("mocheck.toml", "").problem(None, message),
        }
    }
}

/// The nearest `mocheck.toml` from `start` upwards: anything of that name that is there,
/// even a folder, a broken link or a file that may not be read, so that [`load`] refuses it
/// rather than the run going on silently without the office's configuration.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| match std::fs::symlink_metadata(candidate) {
            Ok(_) => true,
            Err(error) => error.kind() != std::io::ErrorKind::NotFound,
        })
}

/// Reads and validates a `mocheck.toml`: an ordinary file of at most 10 MB.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = crate::load::shown(path);
    let text = crate::load::read_text(path, crate::load::DEFAULT_LIMIT).map_err(|reason| {
        TomlSource::new(shown.clone(), "")
            .problem(None, format!("`{shown}` could not be read: {reason}"))
    })?;
    let base_dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let base_dir = if base_dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base_dir
    };
    parse(TomlSource::new(shown, text), base_dir)
}

/// `[check] rules_url`: a web address, as SARIF's `helpUri` must be.
fn rules_url(
    source: &TomlSource,
    url: Option<&Spanned<String>>,
    problems: &mut Vec<TomlProblem>,
) -> Option<String> {
    url.and_then(|url| {
        let text = url.get_ref().trim();
        let web = text.starts_with("https://") || text.starts_with("http://");
        if web && !text.contains(char::is_whitespace) {
            Some(text.to_string())
        } else {
            problems.push(
                source
                    .problem(
                        Some(url.span()),
                        format!("`{text}` is not a web address for rules_url"),
                    )
                    .with_help("give the page that documents the rules, e.g. https://github.com/my-office/mocheck/blob/main/docs/rules.md"),
            );
            None
        }
    })
}

pub fn parse(source: TomlSource, base_dir: PathBuf) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(&source.text).map_err(|error| source.from_toml(&error))?;
    let mut problems = Vec::new();
    let fail_on = raw.check.fail_on.as_ref().and_then(|text| {
        let parsed = FailOn::parse(text.get_ref());
        if parsed.is_none() {
            problems.push(
                source
                    .problem(
                        Some(text.span()),
                        format!("`{}` is not a level for fail_on", text.get_ref()),
                    )
                    .with_help("use error, warning, info or never"),
            );
        }
        parsed
    });
    let max_file_size =
        raw.check
            .max_file_size
            .as_ref()
            .and_then(|size| match u64::try_from(*size.get_ref()) {
                Ok(megabytes) if (1..=1024).contains(&megabytes) => Some(megabytes * 1024 * 1024),
                _ => {
                    problems.push(source.problem(
                        Some(size.span()),
                        "max_file_size is in megabytes, from 1 to 1024".to_string(),
                    ));
                    None
                }
            });
    let rules_url = rules_url(&source, raw.check.rules_url.as_ref(), &mut problems);
    let roster = roster(&source, raw.office.holder, &mut problems);
    for (id, level) in &raw.rules.severity {
        if Severity::parse(level.get_ref()).is_none() {
            problems.push(
                source
                    .problem(
                        Some(level.span()),
                        format!(
                            "`{}` is not a severity for {}",
                            level.get_ref(),
                            id.get_ref()
                        ),
                    )
                    .with_help("use error, warning or info"),
            );
        }
    }
    // Exclusions are written relative to this file; the walk matches displayed paths.
    let prefix = if base_dir == Path::new(".") {
        String::new()
    } else {
        format!("{}/", crate::load::shown(&base_dir))
    };
    let config = Config {
        office_name: raw.office.name,
        roster,
        paths: raw
            .check
            .paths
            .map(|paths| paths.iter().map(|path| join(&base_dir, path)).collect()),
        exclude: raw
            .check
            .exclude
            .iter()
            .map(|glob| format!("{prefix}{}", glob.trim_start_matches("./")))
            .collect(),
        fail_on,
        max_file_size,
        rules_url,
        baseline: raw.check.baseline.map(|path| join(&base_dir, &path)),
        rule_files: raw
            .rules
            .files
            .iter()
            .map(|path| join(&base_dir, path))
            .collect(),
        builtin: raw.rules.builtin.unwrap_or(true),
        disable: raw.rules.disable,
        severity: raw.rules.severity.into_iter().collect(),
        params: raw.params.into_iter().collect(),
        source: Some(source),
        base_dir,
    };
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems.into())
    }
}

fn join(base: &Path, path: &str) -> PathBuf {
    if base == Path::new(".") {
        PathBuf::from(path)
    } else {
        base.join(path)
    }
}
