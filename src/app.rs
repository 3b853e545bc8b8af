//! Orchestration only: configuration -> ruleset -> load -> check -> report, and the exit
//! status. Every decision about records lives in the modules it calls.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use crate::check::baseline;
use crate::check::{Base, Checked, Engine};
use crate::cli::{
    CheckArgs, Cli, Command, ConfigArgs, ExplainArgs, FailOnArg, Format, NewArgs, ReportArgs,
    TestArgs,
};
use crate::finding::{Counts, Severity};
use crate::load::{self, LoadedRecord, WalkOptions};
use crate::report::snippet::{Clipped, Lines};
use crate::report::{self, RuleSummary, Run, SourceRoot, Style};
use crate::rules::{self, Config, ConfigError, FailOn, RuleSet, RuleSources};
use crate::terminal::{self, use_color, ColorChoice};
use crate::{draft, scaffold};

mod baseline_command;
mod gather;
use baseline_command::{apply_baseline, load_baseline, record_owner, run_baseline};
use gather::{gather, Gather};

/// The exit status of the specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean = 0,
    /// At least one finding at or above `--fail-on`.
    Findings = 1,
    /// The tool could not do its job.
    Failure = 2,
}

/// Why a command could not be done: printed to standard error, exit status 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum AppError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Message(String),
}

pub fn run(cli: Cli) -> ExitStatus {
    let color = cli.color;
    let outcome = match cli.command {
        Command::Check(args) => run_check(&args, color),
        Command::Baseline(args) => run_baseline(&args),
        Command::Rules(args) => run_rules(&args.config, args.format),
        Command::Explain(args) => run_explain(&args),
        Command::Test(args) => run_test(&args),
        Command::Schema => run_schema(),
        Command::Report(args) => run_report(&args),
        Command::Due(args) => run_due(&args),
        Command::Init(args) => run_init(&args.dir),
        Command::New(args) => run_new(&args),
        Command::Completions(args) => run_completions(args.shell),
        Command::ParseOnly(args) => run_parse_only(&args.paths, args.tree),
    };
    match outcome {
        Ok(status) => status,
        Err(error) => {
            print_error(&error, color);
            ExitStatus::Failure
        }
    }
}

/// Completion scripts offer the built-in ruleset's ids: a script is written once, not per
/// repository.
fn run_completions(shell: clap_complete::Shell) -> Result<ExitStatus, AppError> {
    let sources = RuleSources {
        override_files: Vec::new(),
    };
    let ruleset = rules::load(&Config::defaults(), &sources)?;
    let ids: Vec<String> = ruleset
        .infos()
        .iter()
        .map(|info| info.id.to_string())
        .collect();
    emit_with(None, &[], |out| {
        crate::completions::generate(shell, &ids, out);
        Ok(())
    })
    .map(|()| ExitStatus::Clean)
}

fn print_error(error: &AppError, color: ColorChoice) {
    let color = use_color(
        color,
        std::io::stderr().is_terminal(),
        terminal::environment,
    );
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false);
    let mut rendered = String::new();
    let mut render = |diagnostic: &dyn Diagnostic, lines: Option<&Lines>| {
        // Through `Clipped`, as findings are: snippets stay small and hidden characters show.
        let clipped = Clipped::new(diagnostic, lines);
        if handler.render_report(&mut rendered, &clipped).is_err() {
            let _ = writeln!(rendered, "error: {clipped}");
        }
    };
    match error {
        // Configuration problems are shown one by one, each with its snippet, not wrapped.
        AppError::Config(config) => {
            // Problems of one file share its text: its lines are indexed once.
            let mut lines: Option<(&std::sync::Arc<str>, Lines)> = None;
            for problem in &config.problems {
                let text = problem.source_code.inner();
                if lines
                    .as_ref()
                    .is_none_or(|(indexed, _)| !std::sync::Arc::ptr_eq(indexed, text))
                {
                    lines = Some((text, Lines::new(problem.source_code.name(), text)));
                }
                render(problem, lines.as_ref().map(|(_, lines)| lines));
            }
        }
        AppError::Message(_) => render(error, None),
    }
    let _ = write!(std::io::stderr(), "{rendered}");
}

/// `mocheck.toml` from `--config`, else the nearest one upwards, else the defaults.
fn load_config(args: &ConfigArgs) -> Result<Config, AppError> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|dir| rules::config::discover(&dir))
            .map(|found| {
                // Show it relative to here when it is here, as users expect.
                std::env::current_dir()
                    .ok()
                    .and_then(|dir| found.strip_prefix(dir).ok().map(PathBuf::from))
                    .unwrap_or(found)
            }),
    };
    match path {
        Some(path) => Ok(rules::config::load(&path)?),
        None => Ok(Config::defaults()),
    }
}

fn load_ruleset(args: &ConfigArgs, config: &Config) -> Result<RuleSet, AppError> {
    Ok(rules::load(
        config,
        &RuleSources {
            override_files: args.rules.clone(),
        },
    )?)
}

fn run_check(args: &CheckArgs, color: ColorChoice) -> Result<ExitStatus, AppError> {
    let config = load_config(&args.config)?;
    let mut ruleset = load_ruleset(&args.config, &config)?;
    ruleset
        .restrict(&args.select, &args.ignore)
        .map_err(AppError::Message)?;
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
        let changed =
            crate::changed::files_changed_since(reference, &here).map_err(AppError::Message)?;
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
    let to_terminal = to_stdout(args.output.as_ref()) && std::io::stdout().is_terminal();
    let style = Style {
        color: !args.no_color && use_color(color, to_terminal, terminal::environment),
        terminal: to_terminal,
        width: if to_terminal { terminal::width() } else { 100 },
        quiet: args.quiet,
    };
    let reporter = report::reporter(args.format, style);
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

/// `--baseline`, else the configured `[check] baseline`, read; `None` when neither is given.
fn configured_baseline(
    flag: Option<&PathBuf>,
    config: &Config,
) -> Result<Option<baseline::Baseline>, AppError> {
    flag.or(config.baseline.as_ref())
        .map(|path| load_baseline(path))
        .transpose()
}

/// `--fail-on`, else the configured `fail_on`, else errors.
fn fail_on(flag: Option<FailOnArg>, config: &Config) -> FailOn {
    match flag {
        Some(FailOnArg::Error) => FailOn::At(Severity::Error),
        Some(FailOnArg::Warning) => FailOn::At(Severity::Warning),
        Some(FailOnArg::Info) => FailOn::At(Severity::Info),
        Some(FailOnArg::Never) => FailOn::Never,
        None => config.fail_on.unwrap_or(FailOn::At(Severity::Error)),
    }
}

pub fn status_for(counts: Counts, fail_on: FailOn) -> ExitStatus {
    match fail_on {
        FailOn::At(level) if counts.reaches(level) => ExitStatus::Findings,
        _ => ExitStatus::Clean,
    }
}

/// Whether an output goes to standard output: no `--output`, or `--output -`.
fn to_stdout(output: Option<&PathBuf>) -> bool {
    output.is_none_or(|path| path.as_os_str() == "-")
}

/// The files a run read, which `--output` must never replace: the records, the
/// configuration and the rules files.
fn inputs<'a, K>(
    args: &'a ConfigArgs,
    config: &'a Config,
    checked: &'a Checked<K>,
) -> Vec<&'a Path> {
    let rules = if args.rules.is_empty() {
        &config.rule_files
    } else {
        &args.rules
    };
    checked
        .files
        .iter()
        .map(|file| file.path.as_path())
        .chain(config.source.iter().map(|source| Path::new(&source.name)))
        .chain(rules.iter().map(PathBuf::as_path))
        .collect()
}

/// Standard output (a closed pipe is not an error), or `--output` written atomically.
fn emit(output: Option<&PathBuf>, inputs: &[&Path], bytes: &[u8]) -> Result<(), AppError> {
    emit_with(output, inputs, |out| out.write_all(bytes))
}

/// Streams an output to standard output (a closed pipe is not an error) or to `--output`,
/// written atomically and never over one of `inputs`, without holding the whole output in
/// memory.
fn emit_with(
    output: Option<&PathBuf>,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), AppError> {
    if let Some(path) = output.filter(|_| !to_stdout(output)) {
        return crate::output::write_atomically_with(path, inputs, write)
            .map_err(|error| AppError::Message(error.to_string()));
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(AppError::Message(
            format!("could not write the output: {error}"),
        )),
        _ => Ok(()),
    }
}

fn run_rules(args: &ConfigArgs, format: crate::cli::RulesFormat) -> Result<ExitStatus, AppError> {
    let config = load_config(args)?;
    let ruleset = load_ruleset(args, &config)?;
    if format == crate::cli::RulesFormat::Markdown {
        emit(None, &[], crate::catalogue::markdown(&ruleset).as_bytes())?;
        return Ok(ExitStatus::Clean);
    }
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(u16::try_from(terminal::width()).unwrap_or(100))
        .set_header(["Id", "Name", "Severity", "Kind", "Summary"]);
    let mut active = 0;
    for info in ruleset.infos() {
        if ruleset.is_active(&info.id) {
            active += 1;
            table.add_row([
                info.id.to_string(),
                info.name.to_string(),
                info.severity.to_string(),
                info.kind.to_string(),
                info.summary.clone(),
            ]);
        }
    }
    let text = format!(
        "{table}\n{active} active rules from {} {}.\n",
        ruleset.name, ruleset.version
    );
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}

fn run_explain(args: &ExplainArgs) -> Result<ExitStatus, AppError> {
    let config = load_config(&args.config)?;
    let ruleset = load_ruleset(&args.config, &config)?;
    let wanted = args.id.trim();
    let info = ruleset
        .infos()
        .into_iter()
        .find(|info| info.id.eq_ignore_ascii_case(wanted) || &*info.name == wanted)
        .ok_or_else(|| {
            let hint = load::nearest(wanted, ruleset.infos().into_iter().map(|info| &*info.id))
                .map(|near| format!("; did you mean {near}?"))
                .unwrap_or_default();
            AppError::Message(format!(
                "there is no rule `{wanted}`{hint} (`mocheck rules` lists them)"
            ))
        })?;
    let mut text = format!(
        "{} {} ({})\n\n{}\n",
        info.id, info.name, info.severity, info.summary
    );
    let _ = writeln!(text, "\nKind: {}", info.kind.words());
    if !info.basis.is_empty() {
        let _ = writeln!(text, "Basis: {}", info.basis.join("; "));
    }
    let _ = writeln!(text, "\n{}", info.explain.trim());
    if !info.help.is_empty() {
        let _ = writeln!(text, "\nIn short: {}", info.help);
    }
    if !ruleset.is_active(&info.id) {
        text.push_str("\nThis rule is disabled in the configuration.\n");
    }
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}

fn run_test(args: &TestArgs) -> Result<ExitStatus, AppError> {
    let config = Config::defaults();
    let sources = RuleSources {
        override_files: args.file.iter().cloned().collect(),
    };
    let ruleset = rules::load(&config, &sources)?;
    let summary = crate::rule_tests::run(&ruleset);
    let origin = args
        .file
        .as_ref()
        .map_or_else(|| rules::BUILTIN_NAME.to_string(), |path| load::shown(path));
    let mut text = String::new();
    for problem in &summary.problems {
        if problem.line > 0 {
            let _ = writeln!(
                text,
                "{origin}:{}: {}: {}",
                problem.line, problem.rule, problem.message
            );
        } else {
            let _ = writeln!(text, "{origin}: {}: {}", problem.rule, problem.message);
        }
    }
    let failed_rules = {
        let mut ids: Vec<&str> = summary
            .problems
            .iter()
            .map(|problem| problem.rule.as_str())
            .collect();
        ids.dedup();
        ids.len()
    };
    let _ = writeln!(
        text,
        "{} passed, {} failed: {} of {}",
        summary.rules - failed_rules,
        failed_rules,
        report::plural(summary.examples, "example"),
        report::plural(summary.rules, "rule")
    );
    emit(None, &[], text.as_bytes())?;
    Ok(if summary.problems.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

fn run_parse_only(paths: &[PathBuf], tree: bool) -> Result<ExitStatus, AppError> {
    let walked = load::walk(paths, &WalkOptions::default())
        .map_err(|error| AppError::Message(error.to_string()))?;
    let (files, bytes, count) = load::parse_only(&walked, tree);
    let counted = if tree { "documents" } else { "events" };
    emit(
        None,
        &[],
        format!("parsed {files} files, {bytes} bytes, {count} {counted}\n").as_bytes(),
    )?;
    Ok(ExitStatus::Clean)
}

/// `mocheck schema`: the record format as JSON Schema, generated from the field table.
fn run_schema() -> Result<ExitStatus, AppError> {
    emit(None, &[], crate::schema::record_schema().as_bytes())?;
    Ok(ExitStatus::Clean)
}

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

fn run_report(args: &ReportArgs) -> Result<ExitStatus, AppError> {
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return Err(AppError::Message(format!(
                "--from {from} is after --to {to}, so no decision could be in the period; give the earlier date first"
            )));
        }
    }
    let terminal = to_stdout(args.output.as_ref()) && std::io::stdout().is_terminal();
    let format = draft::render::choose(args.format, args.output.as_deref(), terminal)
        .map_err(AppError::Message)?;
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

/// The forward look: every record is read (so a record that cannot be read is named, never
/// taken for one with nothing due), then each rule's `due` is worked out.
fn run_due(args: &crate::cli::DueArgs) -> Result<ExitStatus, AppError> {
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
    let keep = Gather {
        records: Some(&deadlines),
        only_kept_findings: false,
        engine: Engine::Compiled,
        text: false,
        progress: args.output.is_some(),
    };
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
        |out| crate::due::write(&forward, args.format, out),
    )?;
    Ok(if forward.overdue() > 0 || !forward.unknown.is_empty() {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
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
    let keep = Gather {
        records: Some(&same),
        only_kept_findings: true,
        engine: Engine::Compiled,
        text: false,
        progress: args.output.is_some(),
    };
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
            return Err(AppError::Message(format!(
                "no record has the reference `{reference}`{hint}{}",
                unreadable_note(&checked.findings)
            )));
        }
        several => {
            let places: Vec<String> = several
                .iter()
                .map(|index| {
                    let loaded = &checked.kept[*index];
                    format!("{}:{}", loaded.file, loaded.record.span.line)
                })
                .collect();
            return Err(AppError::Message(format!(
                "the reference `{reference}` is used by {} records ({}); give each decision its own reference first",
                several.len(),
                places.join(", ")
            )));
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

/// Creates the starter files, or none of them if any already exists.
fn run_init(dir: &std::path::Path) -> Result<ExitStatus, AppError> {
    let ruleset = rules::load(
        &Config::defaults(),
        &RuleSources {
            override_files: Vec::new(),
        },
    )?;
    let files = scaffold::init_files(&ruleset);
    let created = scaffold::create_all(dir, &files).map_err(AppError::Message)?;
    let mut report = String::new();
    for path in created {
        let _ = writeln!(report, "created {}", load::shown(&path));
    }
    report
        .push_str("Next: edit mocheck.toml (your office and roster), then run `mocheck check`.\n");
    emit(None, &[], report.as_bytes())?;
    Ok(ExitStatus::Clean)
}

fn run_new(args: &NewArgs) -> Result<ExitStatus, AppError> {
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
        .map_err(AppError::Message)?;
    emit(None, &[], text.as_bytes())?;
    Ok(ExitStatus::Clean)
}

fn current_dir() -> Result<PathBuf, AppError> {
    std::env::current_dir()
        .map_err(|error| AppError::Message(format!("the current folder: {error}")))
}
