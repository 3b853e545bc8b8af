//! The command line: commands and options, with examples in every `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{draft, due, report, terminal};

#[derive(Parser, Debug)]
#[command(
    name = "mocheck",
    version = concat!(env!("CARGO_PKG_VERSION"), " (built-in ruleset ", "2026.1", ")"),
    about = "Checks Police and Crime Commissioner decision records against the duties of the monitoring officer and chief finance officer",
    long_about = None,
    after_help = "Examples:\n  mocheck check decisions/                 check every record under decisions/\n  mocheck check decisions/2026/WPCC4-0099.yaml\n  mocheck check --format json > findings.json\n  mocheck explain MO015                    why a rule matters and how to fix a record\n  mocheck rules                            the rules that run"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to use colour: auto (on a terminal, unless `NO_COLOR` is set; `CLICOLOR_FORCE` or
    /// `FORCE_COLOR` force it), always or never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t)]
    pub color: ColorChoice,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check decision records and print findings
    #[command(
        after_help = "Examples:\n  mocheck check                                  the configured paths, else the current folder\n  mocheck check decisions/2026/WPCC4-0099.yaml   one record before sign-off\n  mocheck check decisions --format table --fail-on warning\n  mocheck check --select MO01 --ignore MO017     only the advice rules, except MO017\n  mocheck check --changed-since origin/main      only what a branch changed (needs git)\n  mocheck check --baseline mocheck-baseline.toml fail only on findings the baseline does not accept\n  cat record.yaml | mocheck check -              a record from standard input\n\nExit status: 0 nothing at or above --fail-on; 1 findings at or above it; 2 the check could not be done."
    )]
    Check(CheckArgs),
    /// Accept the current findings of an old archive as history, so that `check` fails only on new ones
    #[command(
        after_help = "Examples:\n  mocheck baseline --reason \"Old records are not edited\" --approved-by \"D. Mirren, Chief Executive\"\n  mocheck baseline decisions --reason \"...\" --approved-by \"...\" --output mocheck-baseline.toml\n  mocheck baseline --prune                       drop the entries that no longer match\n\nWritten to `[check] baseline` of mocheck.toml, else mocheck-baseline.toml beside mocheck.toml (else here). Then name it in mocheck.toml:\n  [check]\n  baseline = \"mocheck-baseline.toml\"\nor pass `mocheck check --baseline FILE`. Records are never written to; an unreadable record (MO090) is never accepted."
    )]
    Baseline(BaselineArgs),
    /// List the active rules
    #[command(
        after_help = "Examples:\n  mocheck rules\n  mocheck rules --config examples/mocheck.toml\n  mocheck rules --format markdown > rules.md     the catalogue, with every explanation"
    )]
    Rules(RulesArgs),
    /// Explain a rule: what it checks, why it matters, how to fix a record
    #[command(after_help = "Example:\n  mocheck explain MO015")]
    Explain(ExplainArgs),
    /// Run the examples each rule carries and report rules whose examples disagree
    #[command(
        after_help = "Examples:\n  mocheck test                     the built-in ruleset\n  mocheck test rules/local.toml    a local rules file"
    )]
    Test(TestArgs),
    /// Print the JSON Schema (draft-07) of the decision record format, for editors
    #[command(
        after_help = "Example:\n  mocheck schema > decision-record.schema.json\n\nThen point editors that use yaml-language-server at it, for every record in VS Code's settings:\n  \"yaml.schemas\": { \"./decision-record.schema.json\": \"decisions/**/*.yaml\" }\nor in one record's first line (the path is relative to the record):\n  # yaml-language-server: $schema=../../decision-record.schema.json"
    )]
    Schema,
    /// Draft the monitoring officer's s.5 report or the CFO's s.114 report on one decision, or an assurance summary
    #[command(
        after_help = "Examples:\n  mocheck report decisions --decision WPCC4-0099 --output s5-WPCC4-0099.md\n  mocheck report decisions --decision WPCC4-0099 --s114 --output s114-WPCC4-0099.md\n  mocheck report --assurance --from 2025-26 --to 2025-26 > assurance-2025-26.md\n\nEvery report is a DRAFT to complete; it is built only from the record and its findings. A decision mocheck could not check in full is said to be \"could not be assessed\", never in need of no report.\n\nExit status: 0 the draft was written and the decision (or every decision) could be assessed; 1 it was written but something could not be assessed; 2 no draft could be made."
    )]
    Report(ReportArgs),
    /// What is due: the deadlines that follow from the records, overdue first
    #[command(
        after_help = "Examples:\n  mocheck due                                   the next 30 days, and anything overdue\n  mocheck due decisions --within 7              this week\n  mocheck due --format markdown > this-week.md  a digest for an email\n  mocheck due --format ics --within 365 --output deadlines.ics\n                                                a calendar to import into Outlook\n\nEach deadline comes from a rule's `due` expression (publication, advice before a proposal's planned date, the precept timetable, statutory reports awaiting consideration) or from a waiver that expires. Working days skip weekends and the ruleset's bank holidays.\n\nExit status: 0 nothing overdue; 1 something overdue, or a record that could not be looked at; 2 the look could not be done."
    )]
    Due(DueArgs),
    /// Start a decisions repository: mocheck.toml, decisions/ with one example record, a CI workflow
    #[command(
        after_help = "Example:\n  mkdir opcc-decisions && cd opcc-decisions && mocheck init && mocheck check\n\nNothing that exists is overwritten: if any of the files is already there, nothing is written."
    )]
    Init(InitArgs),
    /// Print a record skeleton for a decision type, with the fields its rules need
    #[command(
        after_help = "Examples:\n  mocheck new WPCC4-0100 --type contract_award > decisions/2026/WPCC4-0100.yaml\n  mocheck new WPCC4-0101 --type precept\n  mocheck new WPCC4-0102 --type collaboration_agreement --joint\n                                    signed jointly with the chief constable\n  mocheck new WPCC4-0103 --type estates\n                                    a sale or lease: the money comes in\n  mocheck new WPCC4-0104 --type grant --meeting\n                                    taken at a board, with who attended"
    )]
    New(NewArgs),
    /// Print shell completions
    #[command(
        after_help = "Examples:\n  mocheck completions bash > ~/.local/share/bash-completion/completions/mocheck\n  mocheck completions zsh > ~/.zfunc/_mocheck"
    )]
    Completions(CompletionsArgs),
    /// Benchmark floor: read and parse the YAML of every record file, building nothing
    #[command(hide = true)]
    ParseOnly(ParseOnlyArgs),
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files and folders of records [default: the configured paths, else .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Draft the section 5 report on the decision with this reference
    #[arg(
        long,
        value_name = "REF",
        required_unless_present = "assurance",
        conflicts_with = "assurance"
    )]
    pub decision: Option<String>,
    /// With --decision: draft the Chief Finance Officer's report under s.114(2) of the Local
    /// Government Finance Act 1988 instead of the monitoring officer's
    #[arg(long, conflicts_with = "assurance")]
    pub s114: bool,
    /// Summarise compliance across the decisions instead
    #[arg(long)]
    pub assurance: bool,
    /// With --assurance: first decision date to include (YYYY-MM-DD), or a financial year
    /// (2025-26 starts on 1 April 2025)
    #[arg(long, value_name = "DATE", value_parser = parse_period_start, conflicts_with = "decision")]
    pub from: Option<chrono::NaiveDate>,
    /// With --assurance: last decision date to include (YYYY-MM-DD), or a financial year
    /// (2025-26 ends on 31 March 2026)
    #[arg(long, value_name = "DATE", value_parser = parse_period_end, conflicts_with = "decision")]
    pub to: Option<chrono::NaiveDate>,
    /// With --assurance: quarters of the financial year (April to March) or of the calendar year
    #[arg(long, value_enum, default_value_t = Quarters::Financial, conflicts_with = "decision")]
    pub quarters: Quarters,
    /// Treat DATE (YYYY-MM-DD) as today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// Write the report to FILE instead of standard output (atomically; never over a record)
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The draft's form: Markdown, one HTML file to print, or a Word document
    /// [default: from the --output file's extension, else markdown]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<DraftFormat>,
    /// Show the findings this baseline accepts as accepted history
    /// [default: `[check] baseline` of mocheck.toml]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct BaselineArgs {
    /// Files and folders of records [default: the configured paths, else .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Why these findings are accepted as history (written into the baseline)
    #[arg(long, value_name = "TEXT", required_unless_present = "prune")]
    pub reason: Option<String>,
    /// Who approved accepting them, e.g. "Daniel Mirren, Chief Executive"
    #[arg(long, value_name = "NAME", required_unless_present = "prune")]
    pub approved_by: Option<String>,
    /// Rewrite the existing baseline without the entries that no longer match, keeping its
    /// reason, approver and date
    #[arg(long, conflicts_with_all = ["reason", "approved_by"])]
    pub prune: bool,
    /// With --prune: the baseline to prune [default: `[check] baseline` of mocheck.toml]
    #[arg(long, value_name = "FILE", requires = "prune")]
    pub baseline: Option<PathBuf>,
    /// Write the baseline to FILE (atomically; never over a record or another input)
    /// [default: `[check] baseline`, else mocheck-baseline.toml beside mocheck.toml]
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Treat DATE (YYYY-MM-DD) as today: the date checked as of and written as `created_on`
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Args, Debug)]
pub struct DueArgs {
    /// Files and folders of records [default: the configured paths, else .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// How far ahead to look, in calendar days (overdue items are always shown)
    #[arg(long, value_name = "DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=3660))]
    pub within: u32,
    /// Treat DATE (YYYY-MM-DD) as today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: DueFormat,
    /// Write to FILE instead of standard output (atomically; never over a record)
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to set up
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The decision's reference, e.g. WPCC4-0100
    pub reference: String,
    /// The decision type, e.g. `contract_award`, `grant`, `precept` (`mocheck schema` lists them all)
    #[arg(long = "type", value_name = "TYPE")]
    pub decision_type: String,
    /// A decision the PCC takes jointly with the chief constable, who signs it too
    #[arg(long)]
    pub joint: bool,
    /// A decision taken at a board or meeting: adds `taken_at`, with who attended
    #[arg(long)]
    pub meeting: bool,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ParseOnlyArgs {
    /// Files and folders of records
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Also build each document's tree with a span for every key and value, as a
    /// span-keeping YAML loader does (saphyr's `MarkedYaml`, say); still no records
    #[arg(long)]
    pub tree: bool,
}

#[derive(Args, Debug, Default)]
pub struct ConfigArgs {
    /// Use this mocheck.toml instead of the nearest one found upwards from the current folder
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use this rules file instead of the built-in ruleset (repeatable: later files add to earlier ones)
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
}

#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// Files and folders of records; `-` reads one file from standard input [default: the configured paths, else .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the output to FILE instead of standard output (atomically; never over a record)
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The lowest severity that makes the exit status 1 [default: error, or the configured `fail_on`]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Run only these rules: ids, id prefixes (MO01) or names, in any case, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub select: Vec<String>,
    /// Skip these rules: ids, id prefixes or names, in any case, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub ignore: Vec<String>,
    /// Treat DATE (YYYY-MM-DD) as today, for reproducible runs
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// The same as `--color never`
    #[arg(long)]
    pub no_color: bool,
    /// Print only the summary line
    #[arg(short, long)]
    pub quiet: bool,
    /// Report findings only in files changed since REF (a branch, tag or commit), as git
    /// sees them; every record is still read, so duplicate references are still found
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Findings this baseline accepts as history are reported as baselined, not failures
    /// [default: `[check] baseline` of mocheck.toml]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Evaluate every expression on the CEL interpreter, the oracle the compiled evaluator is
    /// tested against, instead of on the compiled evaluator.
    /// Slower, same results: kept to compare the two.
    #[arg(long, hide = true)]
    pub interpreter: bool,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// `table` lists the active rules; `markdown` is the whole catalogue as one page, each
    /// rule with its explanation and basis (the project's docs/rules.md is this page)
    #[arg(long, value_enum, default_value_t)]
    pub format: RulesFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RulesFormat {
    /// The active rules, one row each
    #[default]
    Table,
    /// The catalogue as a Markdown page
    Markdown,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The rule id, e.g. MO015, or its name, e.g. cfo-signoff-before-decision
    pub id: String,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args, Debug)]
pub struct TestArgs {
    /// The rules file to test [default: the built-in ruleset]
    #[arg(value_name = "RULES.toml")]
    pub file: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Source-annotated diagnostics, then a summary table
    #[default]
    Human,
    /// One row per finding
    Table,
    /// The stable JSON of the specification
    Json,
    /// SARIF 2.1.0, for code-scanning services and editors
    Sarif,
    /// JUnit XML: one test case per record and rule with findings, for CI test reports
    // The help text spells JUnit as its authors do, which the docs lint takes for code.
    #[allow(clippy::doc_markdown)]
    Junit,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// A Markdown table of findings to paste into a committee paper
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

/// How the assurance summary divides a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Quarters {
    /// April to June is Q1, as public bodies account.
    Financial,
    /// January to March is Q1.
    Calendar,
}

/// `--color`: the command line's spelling of [`terminal::ColorChoice`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` says otherwise (`CLICOLOR_FORCE` or
    /// `FORCE_COLOR` force it elsewhere)
    #[default]
    Auto,
    Always,
    Never,
}

/// `report --format`: the command line's spelling of [`DraftFormat`](draft::render::DraftFormat).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DraftFormat {
    Markdown,
    Html,
    Docx,
}

/// `due --format`: the command line's spelling of [`DueFormat`](due::DueFormat).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DueFormat {
    /// Overdue, then coming up, in plain words
    #[default]
    Human,
    /// One row per deadline
    Table,
    /// Every deadline as data
    Json,
    /// A digest to paste into an email
    Markdown,
    /// An iCalendar file to import into Outlook or a shared calendar
    Ics,
}

// The library's enums know nothing of clap: each option's values are turned into them here.

impl From<ColorChoice> for terminal::ColorChoice {
    fn from(choice: ColorChoice) -> Self {
        match choice {
            ColorChoice::Auto => terminal::ColorChoice::Auto,
            ColorChoice::Always => terminal::ColorChoice::Always,
            ColorChoice::Never => terminal::ColorChoice::Never,
        }
    }
}

impl From<Format> for report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => report::Format::Human,
            Format::Table => report::Format::Table,
            Format::Json => report::Format::Json,
            Format::Sarif => report::Format::Sarif,
            Format::Junit => report::Format::Junit,
            Format::Github => report::Format::Github,
            Format::Markdown => report::Format::Markdown,
        }
    }
}

impl From<DraftFormat> for draft::render::DraftFormat {
    fn from(format: DraftFormat) -> Self {
        match format {
            DraftFormat::Markdown => draft::render::DraftFormat::Markdown,
            DraftFormat::Html => draft::render::DraftFormat::Html,
            DraftFormat::Docx => draft::render::DraftFormat::Docx,
        }
    }
}

impl From<DueFormat> for due::DueFormat {
    fn from(format: DueFormat) -> Self {
        match format {
            DueFormat::Human => due::DueFormat::Human,
            DueFormat::Table => due::DueFormat::Table,
            DueFormat::Json => due::DueFormat::Json,
            DueFormat::Markdown => due::DueFormat::Markdown,
            DueFormat::Ics => due::DueFormat::Ics,
        }
    }
}

/// `2025-26`: the financial year from 1 April 2025 to 31 March 2026, as (first, last) day.
fn financial_year(text: &str) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let (start, end) = text.split_once('-')?;
    if start.len() != 4 || end.len() != 2 {
        return None;
    }
    let start: i32 = start.parse().ok()?;
    let end: i32 = end.parse().ok()?;
    if (start + 1) % 100 != end {
        return None;
    }
    Some((
        chrono::NaiveDate::from_ymd_opt(start, 4, 1)?,
        chrono::NaiveDate::from_ymd_opt(start + 1, 3, 31)?,
    ))
}

fn parse_period_start(text: &str) -> Result<chrono::NaiveDate, String> {
    financial_year(text).map_or_else(|| parse_period_date(text), |(first, _)| Ok(first))
}

fn parse_period_end(text: &str) -> Result<chrono::NaiveDate, String> {
    financial_year(text).map_or_else(|| parse_period_date(text), |(_, last)| Ok(last))
}

fn parse_period_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        format!("`{text}` is not a date like 2026-11-23 or a financial year like 2025-26")
    })
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date like 2026-11-23"))
}
