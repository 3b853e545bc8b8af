//! `mocheck report`: the s.5 or s.114 draft on one decision (`--decision`), or the assurance
//! summary of them all, in the form asked for. What a draft says is in `draft`.

use std::path::{Path, PathBuf};

use super::baseline_command::{apply_baseline, configured_baseline};
use super::gather::{gather, Gather};
use super::{emit, inputs, load_config, load_ruleset, AppError, ExitStatus, Streams};
use crate::check::baseline;
use crate::check::{Base, Engine};
use crate::cli::ReportArgs;
use crate::draft;
use crate::load::{self, LoadedRecord};
use crate::rules::{self, Config, RuleSet};

/// When a reference is not found, the files that could not be read may hold it: say so,
/// rather than let "no record has it" pass for the whole truth.
fn unreadable_note(findings: &[crate::finding::Finding]) -> String {
    let mut files: Vec<&str> = findings
        .iter()
        .filter(|finding| &*finding.rule == rules::UNREADABLE)
        .map(|finding| &*finding.file)
        .collect();
    files.dedup();
    if files.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = files
        .iter()
        .take(3)
        .map(|file| format!("`{file}`"))
        .collect();
    let more = if files.len() > 3 {
        format!(" and {} more", files.len() - 3)
    } else {
        String::new()
    };
    format!(
        "; but {} could not be read ({}{more}), and the record may be there: `mocheck check` shows why",
        if files.len() == 1 { "one file".to_string() } else { format!("{} files", files.len()) },
        shown.join(", ")
    )
}

pub(super) fn run_report(args: &ReportArgs, streams: Streams) -> Result<ExitStatus, AppError> {
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return Err(AppError::PeriodReversed { from, to });
        }
    }
    let terminal = streams.output_is_terminal;
    let format = draft::render::choose(
        args.format.map(Into::into),
        args.output.as_deref(),
        terminal,
    )
    .map_err(AppError::DraftForm)?;
    let config = load_config(&args.config)?;
    let ruleset = load_ruleset(&args.config, &config)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // The drafts show baselined findings as accepted history; stale entries are about the
    // baseline, not a decision, and are left to `check`.
    let baseline = configured_baseline(args.baseline.as_ref(), &config)?;
    let (text, inputs) = if let Some(reference) = &args.decision {
        draft_decision(args, reference, &config, &ruleset, baseline.as_ref(), today)?
    } else {
        // The summary keeps a little of every record, not the records.
        let keep = Gather {
            records: Some(&|loaded: LoadedRecord, _: &Base| Some(draft::Brief::of(&loaded))),
            only_kept_findings: false,
            engine: Engine::Compiled,
            text: false,
            progress: args.output.is_some(),
        };
        let (mut checked, _) = gather(&args.paths, &config, &ruleset, today, &keep)?;
        if let Some(baseline) = &baseline {
            apply_baseline(baseline, &mut checked, &ruleset)?;
        }
        let text = draft::assurance(&draft::AssuranceInput {
            records: &checked.kept,
            findings: &checked.findings,
            ruleset: &ruleset,
            from: args.from,
            to: args.to,
            quarters: match args.quarters {
                crate::cli::Quarters::Financial => draft::QuarterStyle::Financial,
                crate::cli::Quarters::Calendar => draft::QuarterStyle::Calendar,
            },
            today,
        });
        (text, owned_inputs(&inputs(&args.config, &config, &checked)))
    };
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    emit(
        args.output.as_ref(),
        &inputs,
        &draft::render::render(&text, format),
    )?;
    // A draft that could not assess the decision is written, for the monitoring officer to
    // finish by hand, but the run does not pass: nothing may take it as assurance.
    Ok(if text.assessed {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

fn owned_inputs(inputs: &[&Path]) -> Vec<PathBuf> {
    inputs.iter().map(|path| path.to_path_buf()).collect()
}

/// `report --decision`: the s.5 draft, with the inputs the output must not replace. Only
/// the records with the reference (as findings show it) and their findings are kept, so
/// the draft costs less memory than a check.
fn draft_decision(
    args: &ReportArgs,
    reference: &str,
    config: &Config,
    ruleset: &RuleSet,
    baseline: Option<&baseline::Baseline>,
    today: chrono::NaiveDate,
) -> Result<(draft::Draft, Vec<PathBuf>), AppError> {
    fn shown(reference: &str) -> std::borrow::Cow<'_, str> {
        crate::text::clip(reference, crate::text::VALUE_LIMIT)
    }
    // Records whose references differ only past the clip are kept too, so that their
    // findings are told apart from this record's (see `draft::findings_of`).
    let same = |loaded: LoadedRecord, _: &Base| {
        let same = loaded.record.reference().map(shown) == Some(shown(reference));
        same.then_some(loaded)
    };
    let keep = Gather::keeping(&same, true, args.output.is_some());
    let (mut checked, _) = gather(&args.paths, config, ruleset, today, &keep)?;
    if let Some(baseline) = baseline {
        apply_baseline(baseline, &mut checked, ruleset)?;
    }
    let matches = draft::records_with_reference(&checked.kept, reference);
    let index = match matches.as_slice() {
        [index] => *index,
        [] => {
            let hint = load::nearest(reference, checked.references())
                .map(|near| format!("; did you mean `{near}`?"))
                .unwrap_or_default();
            return Err(AppError::UnknownDecision {
                reference: reference.to_string(),
                hint,
                unreadable: unreadable_note(&checked.findings),
            });
        }
        several => {
            let places: Vec<String> = several
                .iter()
                .map(|index| {
                    let loaded = &checked.kept[*index];
                    format!("{}:{}", loaded.file, loaded.record.span.line)
                })
                .collect();
            return Err(AppError::SharedReference {
                reference: reference.to_string(),
                count: several.len(),
                places: places.join(", "),
            });
        }
    };
    let findings = draft::findings_of(&checked.kept, index, &checked.findings);
    let input = draft::DraftInput {
        record: &checked.kept[index],
        findings: &findings,
        ruleset,
        office_name: config.office_name.as_deref(),
        today,
    };
    let text = if args.s114 {
        draft::s114_draft(&input)
    } else {
        draft::s5_draft(&input)
    };
    Ok((text, owned_inputs(&inputs(&args.config, config, &checked))))
}
