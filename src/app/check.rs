//! `mocheck check`: the findings of every record, in one format, and the exit status that
//! `--fail-on` gives them; with a baseline and `--changed-since` applied.

use std::path::PathBuf;

use super::baseline_command::{apply_baseline, configured_baseline, record_owner};
use super::gather::{gather, Gather};
use super::{
    current_dir, emit_with, fail_on, inputs, load_config, load_ruleset, status_for, AppError,
    ExitStatus, Streams,
};
use crate::check::baseline;
use crate::check::{Checked, Engine};
use crate::cli::{CheckArgs, Format};
use crate::finding::Counts;
use crate::report::{self, RuleSummary, Run, SourceRoot, Style};
use crate::terminal;

pub(super) fn run_check(args: &CheckArgs, streams: Streams) -> Result<ExitStatus, AppError> {
    let config = load_config(&args.config)?;
    let mut ruleset = load_ruleset(&args.config, &config)?;
    ruleset
        .restrict(&args.select, &args.ignore)
        .map_err(AppError::Select)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // Read before checking, so that a bad baseline stops the run at once.
    let baseline = configured_baseline(args.baseline.as_ref(), &config)?;

    // Only the human format shows source snippets; the others need no file text kept.
    let keep = Gather {
        records: None,
        only_kept_findings: false,
        engine: if args.interpreter {
            Engine::Interpreter
        } else {
            Engine::Compiled
        },
        text: args.format == Format::Human,
        progress: matches!(args.format, Format::Human | Format::Table),
    };
    let (mut checked, texts): (Checked, _) = gather(&args.paths, &config, &ruleset, today, &keep)?;
    // Applied before the findings are narrowed to changed files, so that counts see them all.
    let mut stale_entries = match &baseline {
        Some(baseline) => apply_baseline(baseline, &mut checked, &ruleset)?.stale,
        None => Vec::new(),
    };
    if let Some(reference) = &args.changed_since {
        let here = current_dir()?;
        let changed = crate::changed::files_changed_since(reference, &here)
            .map_err(AppError::ChangedSince)?;
        checked
            .findings
            .retain(|finding| changed.contains(&finding.file));
        if let Some(baseline) = &baseline {
            // A stale entry concerns the baseline and its record: shown when either changed.
            let owners: std::collections::HashSet<baseline::Owner> = checked
                .checked_records()
                .filter(|(file, _)| changed.contains(file))
                .map(|(file, reference)| record_owner(baseline, &here, file, reference))
                .collect();
            stale_entries.retain(|(index, finding)| {
                changed.contains(&finding.file)
                    || owners.contains(&baseline.entries[*index].key.owner)
            });
        }
    }
    if !stale_entries.is_empty() {
        checked
            .findings
            .extend(stale_entries.into_iter().map(|(_, finding)| finding));
        checked.findings.sort_by(crate::finding::Finding::order);
    }
    let findings = &checked.findings;
    let fail_on = fail_on(args.fail_on, &config);
    // Machine formats read by code scanning and CI name files from the repository's top.
    let root = matches!(args.format, Format::Sarif | Format::Github | Format::Junit)
        .then(|| SourceRoot::find(config.source.is_some().then_some(config.base_dir.as_path())))
        .flatten();

    let run = Run {
        files: &checked.files,
        records: checked.records,
        findings,
        sources: &texts,
        ruleset_name: &ruleset.name,
        ruleset_version: &ruleset.version,
        today,
        rules: RuleSummary::all(&ruleset),
        seen: &checked.seen,
        fail_on,
        root: root.as_ref(),
        rules_url: config.rules_url.as_deref(),
    };
    let to_terminal = streams.output_is_terminal;
    let style = Style {
        color: streams.output_colour,
        terminal: to_terminal,
        width: if to_terminal { terminal::width() } else { 100 },
        quiet: args.quiet,
    };
    let reporter = report::reporter(args.format.into(), style);
    let mut inputs = inputs(&args.config, &config, &checked);
    inputs.extend(
        args.baseline
            .as_ref()
            .or(config.baseline.as_ref())
            .map(PathBuf::as_path),
    );
    emit_with(args.output.as_ref(), &inputs, |out| {
        reporter.write(&run, out)
    })?;

    Ok(status_for(Counts::of(findings), fail_on))
}
