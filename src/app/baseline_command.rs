//! `mocheck baseline` and the baseline's part in `check` and `report`: reading the file,
//! marking a run's findings, writing or pruning it. Orchestration only, as in `app.rs`; what a
//! baseline means is in `check::baseline`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::gather::{gather, Gather};
use super::{current_dir, emit, inputs, load_config, load_ruleset, to_stdout};
use super::{AppError, ExitStatus};
use crate::check::baseline::{self, Baseline};
use crate::check::{Checked, Engine};
use crate::cli::BaselineArgs;
use crate::load;
use crate::report;
use crate::rules::{self, Config, ConfigError, RuleSet};

/// Reads and validates a baseline file; a missing or broken one is an error (exit 2) naming
/// the file and, where it can, the line.
pub(super) fn load_baseline(path: &Path) -> Result<Baseline, AppError> {
    let shown = load::shown(path);
    let text = load::read_text(path, load::DEFAULT_LIMIT).map_err(|reason| {
        ConfigError::from(rules::TomlSource::new(shown.clone(), "").problem(
            None,
            format!("the baseline `{shown}` could not be read: {reason}"),
        ))
    })?;
    let dir = baseline::normal(&current_dir()?.join(path.parent().unwrap_or(Path::new(""))));
    Ok(Baseline::parse(&rules::TomlSource::new(shown, text), dir)?)
}

/// `--baseline`, else the configured `[check] baseline`, read; `None` when neither is given.
pub(super) fn configured_baseline(
    flag: Option<&PathBuf>,
    config: &Config,
) -> Result<Option<Baseline>, AppError> {
    flag.or(config.baseline.as_ref())
        .map(|path| load_baseline(path))
        .transpose()
}

/// How a baseline names a checked record: findings keep its reference clipped, so this does.
pub(super) fn record_owner(
    baseline: &Baseline,
    here: &Path,
    file: &str,
    reference: Option<&std::sync::Arc<str>>,
) -> baseline::Owner {
    let shown = reference.map(crate::finding::Finding::shown_reference);
    baseline.owner(here, file, shown.as_deref())
}

/// Marks the findings the baseline accepts; returns what it found, stale entries included.
pub(super) fn apply_baseline<K>(
    baseline: &Baseline,
    checked: &mut Checked<K>,
    ruleset: &RuleSet,
) -> Result<baseline::Applied, AppError> {
    let here = current_dir()?;
    let owners = checked
        .checked_records()
        .map(|(file, reference)| record_owner(baseline, &here, file, reference))
        .collect();
    Ok(baseline.apply(&mut checked.findings, &owners, ruleset, &here))
}

/// `mocheck baseline`: the current findings written as accepted history, or, with `--prune`,
/// the existing baseline without what no longer matches. Records are only read.
pub(super) fn run_baseline(args: &BaselineArgs) -> Result<ExitStatus, AppError> {
    let config = load_config(&args.config)?;
    let ruleset = load_ruleset(&args.config, &config)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let pruning = if args.prune {
        let path = args
            .baseline
            .clone()
            .or_else(|| config.baseline.clone())
            .ok_or(AppError::NothingToPrune)?;
        let existing = load_baseline(&path)?;
        Some((path, existing))
    } else {
        None
    };
    let given = |text: &Option<String>, option: &'static str| {
        let text = text.as_deref().map(str::trim).unwrap_or_default();
        if text.is_empty() {
            Err(AppError::EmptyBaselineText { option })
        } else {
            Ok(text.to_string())
        }
    };
    let keep = Gather {
        records: None,
        only_kept_findings: false,
        engine: Engine::Compiled,
        text: false,
        progress: true,
    };
    let (mut checked, _): (Checked, _) = gather(&args.paths, &config, &ruleset, today, &keep)?;
    let here = current_dir()?;
    let (target, text, summary) = if let Some((path, existing)) = &pruning {
        let applied = apply_baseline(existing, &mut checked, &ruleset)?;
        let target = args.output.clone().unwrap_or_else(|| path.clone());
        let dir = baseline::normal(&here.join(target.parent().unwrap_or(Path::new(""))));
        let entries = existing.pruned(&applied, &dir);
        let before: usize = existing.entries.iter().map(|entry| entry.count).sum();
        let after: usize = entries.values().sum();
        let text = baseline::render(
            &existing.reason,
            &existing.approved_by,
            existing.created_on,
            &entries,
        );
        let summary = format!(
            "pruned {}: {after} of {before} accepted findings kept, in {}",
            load::shown(&target),
            entries_word(entries.len())
        );
        (target, text, summary)
    } else {
        let (reason, approved_by) = (
            given(&args.reason, "--reason")?,
            given(&args.approved_by, "--approved-by")?,
        );
        let target = args
            .output
            .clone()
            .or_else(|| config.baseline.clone())
            .unwrap_or_else(|| match &config.source {
                Some(_) => config.base_dir.join(baseline::FILE_NAME),
                None => PathBuf::from(baseline::FILE_NAME),
            });
        let dir = baseline::normal(&here.join(target.parent().unwrap_or(Path::new(""))));
        let (entries, unreadable) = baseline::entries_of(&checked.findings, &here, &dir);
        if unreadable > 0 {
            let _ = writeln!(
                std::io::stderr(),
                "note: {} (MO090) not accepted: a record mocheck cannot read has not been checked, so `mocheck check` still fails on it",
                report::plural(unreadable, "unreadable record")
            );
        }
        let text = baseline::render(&reason, &approved_by, today, &entries);
        let summary = format!(
            "wrote {}: {} accepted as history in {}",
            load::shown(&target),
            report::plural(entries.values().sum(), "finding"),
            entries_word(entries.len())
        );
        (target, text, summary)
    };
    emit(
        Some(&target),
        &inputs(&args.config, &config, &checked),
        text.as_bytes(),
    )?;
    if !to_stdout(Some(&target)) {
        emit(None, &[], format!("{summary}\n").as_bytes())?;
    }
    Ok(ExitStatus::Clean)
}

fn entries_word(count: usize) -> String {
    if count == 1 {
        "1 entry".to_string()
    } else {
        format!("{count} entries")
    }
}
