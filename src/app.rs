//! Orchestration only: configuration -> ruleset -> load -> check -> report, and the exit
//! status. Every decision about records lives in the modules it calls. One file per command
//! under `app/`; here the dispatch and what every command shares.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use crate::check::Checked;
use crate::cli::{Cli, Command, ConfigArgs, FailOnArg};
use crate::finding::{Counts, Severity};
use crate::report::snippet::{Clipped, Lines};
use crate::rules::{Config, FailOn, RuleSet, RuleSources};
use crate::terminal::{self, use_color, ColorChoice};

mod baseline_command;
mod check;
mod completions;
mod due;
mod error;
mod explain;
mod gather;
mod init;
mod parse_only;
mod report;
mod rules;
mod schema;
mod test;

use baseline_command::run_baseline;
pub use error::AppError;

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

/// Where colour goes, decided once in `run` from `--color`, a command's own `--no-color`
/// (`check`'s) and the environment, so that a command's output and its errors agree.
#[derive(Clone, Copy, Debug)]
struct Streams {
    /// The command's output (standard output, or its `--output` file) is a terminal.
    output_is_terminal: bool,
    /// Colour in the command's output.
    output_colour: bool,
    /// Colour in the errors on standard error.
    error_colour: bool,
}

impl Streams {
    fn decide(cli: &Cli) -> Streams {
        let (no_color, output) = match &cli.command {
            Command::Check(args) => (args.no_color, args.output.as_ref()),
            Command::Report(args) => (false, args.output.as_ref()),
            Command::Due(args) => (false, args.output.as_ref()),
            // The others draw nothing in colour but their errors.
            _ => (false, None),
        };
        let choice = if no_color {
            ColorChoice::Never
        } else {
            cli.color.into()
        };
        let output_is_terminal = to_stdout(output) && std::io::stdout().is_terminal();
        Streams {
            output_is_terminal,
            output_colour: use_color(choice, output_is_terminal, terminal::environment),
            error_colour: use_color(
                choice,
                std::io::stderr().is_terminal(),
                terminal::environment,
            ),
        }
    }
}

pub fn run(cli: Cli) -> ExitStatus {
    let streams = Streams::decide(&cli);
    let outcome = match cli.command {
        Command::Check(args) => check::run_check(&args, streams),
        Command::Baseline(args) => run_baseline(&args),
        Command::Rules(args) => rules::run_rules(&args.config, args.format),
        Command::Explain(args) => explain::run_explain(&args),
        Command::Test(args) => test::run_test(&args),
        Command::Schema => schema::run_schema(),
        Command::Report(args) => report::run_report(&args, streams),
        Command::Due(args) => due::run_due(&args),
        Command::Init(args) => init::run_init(&args.dir),
        Command::New(args) => init::run_new(&args),
        Command::Completions(args) => completions::run_completions(args.shell),
        Command::ParseOnly(args) => parse_only::run_parse_only(&args.paths, args.tree),
    };
    match outcome {
        Ok(status) => status,
        Err(error) => {
            print_error(&error, streams.error_colour);
            ExitStatus::Failure
        }
    }
}

fn print_error(error: &AppError, color: bool) {
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
        _ => render(error, None),
    }
    let _ = write!(std::io::stderr(), "{rendered}");
}

/// `mocheck.toml` from `--config`, else the nearest one upwards, else the defaults.
fn load_config(args: &ConfigArgs) -> Result<Config, AppError> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|dir| crate::rules::config::discover(&dir))
            .map(|found| {
                // Show it relative to here when it is here, as users expect.
                std::env::current_dir()
                    .ok()
                    .and_then(|dir| found.strip_prefix(dir).ok().map(PathBuf::from))
                    .unwrap_or(found)
            }),
    };
    match path {
        Some(path) => Ok(crate::rules::config::load(&path)?),
        None => Ok(Config::defaults()),
    }
}

fn load_ruleset(args: &ConfigArgs, config: &Config) -> Result<RuleSet, AppError> {
    Ok(crate::rules::load(
        config,
        &RuleSources {
            override_files: args.rules.clone(),
        },
    )?)
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
        return crate::output::write_atomically_with(path, inputs, write).map_err(AppError::Output);
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(AppError::Write(error)),
        _ => Ok(()),
    }
}

fn current_dir() -> Result<PathBuf, AppError> {
    std::env::current_dir().map_err(AppError::CurrentDir)
}
