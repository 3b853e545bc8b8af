//! `mocheck due`: the deadlines that follow from the records, overdue first.

use super::gather::{gather, Gather};
use super::{emit_with, inputs, load_config, load_ruleset, AppError, ExitStatus};
use crate::check::Base;
use crate::load::LoadedRecord;
use crate::rules;

/// The forward look: every record is read (so a record that cannot be read is named, never
/// taken for one with nothing due), then each rule's `due` is worked out.
pub(super) fn run_due(args: &crate::cli::DueArgs) -> Result<ExitStatus, AppError> {
    let config = load_config(&args.config)?;
    let ruleset = load_ruleset(&args.config, &config)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // Each record's deadlines are worked out while the check holds it; the record is not kept.
    let due_rules = crate::due::due_rules(&ruleset);
    let deadlines = |loaded: LoadedRecord, base: &Base| {
        Some(crate::due::of_record(
            &loaded,
            base,
            &due_rules,
            &ruleset,
            today,
            args.within,
        ))
    };
    let keep = Gather::keeping(&deadlines, false, args.output.is_some());
    let (mut checked, _) = gather(&args.paths, &config, &ruleset, today, &keep)?;
    let unreadable: Vec<&crate::finding::Finding> = checked
        .findings
        .iter()
        .filter(|finding| &*finding.rule == rules::UNREADABLE)
        .collect();
    let forward = crate::due::forward_look(
        std::mem::take(&mut checked.kept),
        &unreadable,
        &ruleset,
        today,
        args.within,
    );
    emit_with(
        args.output.as_ref(),
        &inputs(&args.config, &config, &checked),
        |out| crate::due::write(&forward, args.format.into(), out),
    )?;
    Ok(if forward.overdue() > 0 || !forward.unknown.is_empty() {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
