//! Orchestration only: configuration -> ruleset -> load -> check -> report, and the exit
//! status. Every decision about records lives in the modules it calls.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use crate::check::{check_files, CheckOptions, Keep};
use crate::cli::{CheckArgs, Cli, Command, ConfigArgs, ExplainArgs, FailOnArg, Format, TestArgs};
use crate::finding::{Counts, Severity};
use crate::load::{self, LoadOptions, WalkOptions};
use crate::report::{self, RuleSummary, Run, Style};
use crate::rules::{self, Config, ConfigError, FailOn, RuleSet, RuleSources};

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
    let outcome = match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Rules(args) => run_rules(&args.config),
        Command::Explain(args) => run_explain(&args),
        Command::Test(args) => run_test(&args),
        Command::Schema => run_schema(),
        Command::ParseOnly(args) => run_parse_only(&args.paths),
    };
    match outcome {
        Ok(status) => status,
        Err(error) => {
            print_error(&error);
            ExitStatus::Failure
        }
    }
}

fn print_error(error: &AppError) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut rendered = String::new();
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false);
    if handler.render_report(&mut rendered, error).is_err() {
        rendered = format!("error: {error}\n");
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

fn run_check(args: &CheckArgs) -> Result<ExitStatus, AppError> {
    let config = load_config(&args.config)?;
    let mut ruleset = load_ruleset(&args.config, &config)?;
    ruleset.restrict(&args.select, &args.ignore);
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());

    let paths = if args.paths.is_empty() {
        config
            .paths
            .clone()
            .unwrap_or_else(|| vec![PathBuf::from(".")])
    } else {
        args.paths.clone()
    };
    let walked = load::walk(
        &paths,
        &WalkOptions {
            exclude: config.exclude.clone(),
        },
    )
    .map_err(|error| AppError::Message(error.to_string()))?;
    let stdin = if walked.stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(
                config
                    .max_file_size
                    .unwrap_or(LoadOptions::default().max_file_size)
                    + 1,
            )
            .read_to_end(&mut bytes)
            .map_err(|error| {
                AppError::Message(format!("could not read standard input: {error}"))
            })?;
        Some(bytes)
    } else {
        None
    };
    let mut options = LoadOptions::default();
    if let Some(size) = config.max_file_size {
        options.max_file_size = size;
    }
    // Only the human format shows source snippets; the others need no file text kept.
    let keep = Keep {
        records: false,
        text: args.format == Format::Human,
    };
    let checked = check_files(
        &walked,
        stdin.as_deref(),
        options,
        &ruleset,
        CheckOptions { today },
        keep,
    );
    let findings = checked.findings;

    let mut rule_ids: Vec<&str> = findings.iter().map(|finding| &*finding.rule).collect();
    rule_ids.dedup();
    let run = Run {
        files: &checked.files,
        records: checked.records,
        findings: &findings,
        ruleset_name: &ruleset.name,
        ruleset_version: &ruleset.version,
        today,
        rules: ruleset
            .infos()
            .into_iter()
            .map(|info| RuleSummary {
                id: info.id.to_string(),
                name: info.name.to_string(),
                summary: info.summary.clone(),
                severity: info.severity,
                help: info.help.clone(),
                basis: info.basis.clone(),
            })
            .collect(),
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = Style {
        color: to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none(),
        terminal: to_terminal,
        width: if to_terminal { terminal_width() } else { 100 },
        quiet: args.quiet,
    };
    let reporter = report::reporter(args.format, style);
    emit_with(args.output.as_ref(), |out| reporter.write(&run, out))?;

    let fail_on = match args.fail_on {
        Some(FailOnArg::Error) => FailOn::At(Severity::Error),
        Some(FailOnArg::Warning) => FailOn::At(Severity::Warning),
        Some(FailOnArg::Info) => FailOn::At(Severity::Info),
        Some(FailOnArg::Never) => FailOn::Never,
        None => config.fail_on.unwrap_or(FailOn::At(Severity::Error)),
    };
    Ok(status_for(Counts::of(&findings), fail_on))
}

pub fn status_for(counts: Counts, fail_on: FailOn) -> ExitStatus {
    match fail_on {
        FailOn::At(level) if counts.reaches(level) => ExitStatus::Findings,
        _ => ExitStatus::Clean,
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .unwrap_or(100)
        .clamp(60, 200)
}

/// Standard output (a closed pipe is not an error), or `--output` written atomically.
fn emit(output: Option<&PathBuf>, bytes: &[u8]) -> Result<(), AppError> {
    emit_with(output, |out| out.write_all(bytes))
}

/// Streams an output to standard output (a closed pipe is not an error) or to `--output`,
/// written atomically, without holding the whole output in memory.
fn emit_with(
    output: Option<&PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), AppError> {
    if let Some(path) = output {
        return crate::output::write_atomically_with(path, write)
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

fn run_rules(args: &ConfigArgs) -> Result<ExitStatus, AppError> {
    let config = load_config(args)?;
    let ruleset = load_ruleset(args, &config)?;
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(u16::try_from(terminal_width()).unwrap_or(100))
        .set_header(["Id", "Name", "Severity", "Summary"]);
    let mut active = 0;
    for info in ruleset.infos() {
        if ruleset.is_active(&info.id) {
            active += 1;
            table.add_row([
                info.id.to_string(),
                info.name.to_string(),
                info.severity.to_string(),
                info.summary.clone(),
            ]);
        }
    }
    let text = format!(
        "{table}\n{active} active rules from {} {}.\n",
        ruleset.name, ruleset.version
    );
    emit(None, text.as_bytes())?;
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
    if !info.basis.is_empty() {
        let _ = writeln!(text, "\nBasis: {}", info.basis.join("; "));
    }
    let _ = writeln!(text, "\n{}", info.explain.trim());
    if !info.help.is_empty() {
        let _ = writeln!(text, "\nIn short: {}", info.help);
    }
    if !ruleset.is_active(&info.id) {
        text.push_str("\nThis rule is disabled in the configuration.\n");
    }
    emit(None, text.as_bytes())?;
    Ok(ExitStatus::Clean)
}

fn run_test(args: &TestArgs) -> Result<ExitStatus, AppError> {
    let config = Config::defaults();
    let sources = RuleSources {
        override_files: args.file.iter().cloned().collect(),
    };
    let ruleset = rules::load(&config, &sources)?;
    let summary = crate::rule_tests::run(&ruleset);
    let origin = args.file.as_ref().map_or_else(
        || rules::BUILTIN_NAME.to_string(),
        |path| path.display().to_string(),
    );
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
        "{} passed, {} failed: {} examples of {} rules",
        summary.rules - failed_rules,
        failed_rules,
        summary.examples,
        summary.rules
    );
    emit(None, text.as_bytes())?;
    Ok(if summary.problems.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

fn run_parse_only(paths: &[PathBuf]) -> Result<ExitStatus, AppError> {
    let walked = load::walk(paths, &WalkOptions::default())
        .map_err(|error| AppError::Message(error.to_string()))?;
    let (files, bytes, events) = load::parse_only(&walked);
    emit(
        None,
        format!("parsed {files} files, {bytes} bytes, {events} events\n").as_bytes(),
    )?;
    Ok(ExitStatus::Clean)
}

/// `mocheck schema`: the record format as JSON Schema, generated from the field table.
fn run_schema() -> Result<ExitStatus, AppError> {
    emit(None, crate::schema::record_schema().as_bytes())?;
    Ok(ExitStatus::Clean)
}
