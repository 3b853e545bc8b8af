//! Rules: the TOML ruleset and `mocheck.toml` -> a validated [`RuleSet`] whose expressions
//! are compiled once. No records are read here.

mod budget;
pub mod compiled;
pub mod config;
mod engine_rule;
pub mod error;
pub mod expr;
mod file;
pub mod helpers;
pub mod oracle;
pub mod roster;
pub mod scope;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use compiled::{toml_date, Param};
pub use config::{Config, FailOn};
pub use engine_rule::EngineRule;
pub use error::{ConfigError, TomlProblem, TomlSource};
use expr::{Expression, Template};
use helpers::HelperData;
use roster::Roster;

use crate::finding::{RuleKind, Severity};

/// The built-in ruleset, embedded so mocheck works with no configuration.
pub const BUILTIN_NAME: &str = "<built-in>/rules/england-and-wales.toml";
pub const BUILTIN: &str = include_str!("../../rules/england-and-wales.toml");

/// The unreadable-record rule: never left out by `--select`, `--ignore` or `disable`, and
/// always an error, so that a record mocheck could not read is never passed over in silence.
pub const UNREADABLE: &str = EngineRule::Unreadable.id();

/// Whether `id` is one of the engine's own checks (described in the built-in ruleset, like
/// the data rules): a rules file cannot define a rule with one of these ids.
pub fn is_engine_rule(id: &str) -> bool {
    EngineRule::from_id(id).is_some()
}

/// The engine rules' ids, for messages.
pub fn engine_rule_ids() -> String {
    EngineRule::ALL.map(EngineRule::id).join(", ")
}

/// What every rule has, data rule or engine rule: what `rules`, `explain` and SARIF show.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub severity: Severity,
    pub kind: RuleKind,
    pub summary: String,
    pub basis: Arc<[String]>,
    pub help: Arc<str>,
    pub explain: String,
    /// Done by the engine (MO090 and above) rather than by expressions.
    pub engine: bool,
}

/// A rule's deadline: an expression giving the date (or dates) by which the duty must be
/// met, or null when nothing is pending, and what must happen by then. It is worked out on
/// its own, not only when the rule's `when` holds: a deadline comes before the duty is late.
#[derive(Debug)]
pub struct Due {
    pub expression: Expression,
    pub message: Template,
}

/// A rule written as data: when it applies, what must hold, where a finding points.
#[derive(Debug)]
pub struct Rule {
    pub info: RuleInfo,
    pub when: Option<Expression>,
    /// `when` or `check` reads the decision date, so the rule is not checked on a decided
    /// record that gives none (MO099 says so).
    pub reads_decision_date: bool,
    pub check: Expression,
    pub at: Vec<Template>,
    pub labels: Vec<String>,
    pub message: Template,
    /// What a finding cites instead of the rule's basis, when the rule gives it: entries
    /// that render empty are left out.
    pub finding_basis: Vec<Template>,
    /// When the duty falls due, for `mocheck due`.
    pub due: Option<Due>,
    pub examples: Vec<Example>,
    /// The rules file it came from.
    pub origin: Arc<str>,
}

/// A small record a rule must report (`fails`) or must not.
#[derive(Debug, Clone)]
pub struct Example {
    pub fails: bool,
    /// What a failing example's finding must say (a part of its message) and where it must
    /// point (its field path): `mocheck test` checks both when given.
    pub message: Option<String>,
    pub at: Option<String>,
    pub record: String,
    pub today: Option<NaiveDate>,
    pub roster: Option<Roster>,
    /// Line of the example's record in its rules file.
    pub line: u32,
}

/// The rules that will run, with their parameters, ready to evaluate.
pub struct RuleSet {
    pub name: String,
    pub version: String,
    pub rules: Vec<Rule>,
    pub engine_rules: Vec<RuleInfo>,
    /// Rules that do not run: disabled in `mocheck.toml`, or left out by `--select`/`--ignore`.
    pub inactive: HashSet<Arc<str>>,
    /// The built-in rules resting on an enactment that this ruleset does not have at all (it
    /// was loaded with `--rules`, or `builtin = false`), in id order.
    pub statutes_not_loaded: Vec<Arc<str>>,
    /// Where each rule id is: looked up for every finding, so not a linear search.
    by_id: std::collections::HashMap<Arc<str>, RuleIndex>,
    pub params: toml::Table,
    /// The same parameters as expressions see them.
    pub param_values: Param,
    pub helpers: Arc<HelperData>,
    pub reference_pattern: Option<regex::Regex>,
    pub office_name: Option<String>,
}

impl RuleSet {
    /// Every rule, data and engine, in id order.
    pub fn infos(&self) -> Vec<&RuleInfo> {
        let mut infos: Vec<&RuleInfo> = self
            .rules
            .iter()
            .map(|rule| &rule.info)
            .chain(self.engine_rules.iter())
            .collect();
        infos.sort_by(|a, b| a.id.cmp(&b.id));
        infos
    }

    pub fn info(&self, id: &str) -> Option<&RuleInfo> {
        match self.by_id.get(id)? {
            RuleIndex::Data(index) => self.rules.get(*index).map(|rule| &rule.info),
            RuleIndex::Engine(index) => self.engine_rules.get(*index),
        }
    }

    /// An engine rule's description: loading made sure each has one, at its index.
    pub fn engine_info(&self, rule: EngineRule) -> &RuleInfo {
        &self.engine_rules[rule.index()]
    }

    pub fn is_active(&self, id: &str) -> bool {
        self.by_id.contains_key(id) && !self.inactive.contains(id)
    }

    /// The data rules that run, in id order.
    pub fn active_rules(&self) -> Vec<&Rule> {
        self.rules
            .iter()
            .filter(|rule| !self.inactive.contains(&rule.info.id))
            .collect()
    }

    /// Applies `--select` and `--ignore`: each entry is a rule id or an id prefix in any
    /// case (`mo01`), or a rule's name. An entry that matches no rule is refused, with the
    /// nearest id or name, since a mistyped `--select` would otherwise check nothing. An
    /// unreadable record is reported whatever they say.
    pub fn restrict(&mut self, select: &[String], ignore: &[String]) -> Result<(), String> {
        let select = self.resolve("--select", select)?;
        let ignore = self.resolve("--ignore", ignore)?;
        let ids: Vec<Arc<str>> = self
            .infos()
            .into_iter()
            .map(|info| info.id.clone())
            .collect();
        for id in ids {
            if &*id == UNREADABLE {
                continue;
            }
            if (!select.is_empty() && !select.contains(&id)) || ignore.contains(&id) {
                self.inactive.insert(id);
            }
        }
        Ok(())
    }

    /// The ids that `--select` or `--ignore` entries stand for.
    fn resolve(&self, option: &str, entries: &[String]) -> Result<HashSet<Arc<str>>, String> {
        let stands_for = |info: &RuleInfo, wanted: &str| {
            let prefix = info
                .id
                .get(..wanted.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(wanted));
            prefix || info.name.eq_ignore_ascii_case(wanted)
        };
        let infos = self.infos();
        let mut ids = HashSet::new();
        for wanted in entries.iter().map(|entry| entry.trim()) {
            if wanted.is_empty() {
                continue;
            }
            let matched: Vec<&RuleInfo> = infos
                .iter()
                .copied()
                .filter(|info| stands_for(info, wanted))
                .collect();
            if matched.is_empty() {
                let names = infos.iter().flat_map(|info| [&*info.id, &*info.name]);
                let hint = crate::load::nearest(wanted, names)
                    .map(|near| format!("did you mean {near}? "))
                    .unwrap_or_default();
                return Err(format!(
                    "{option} `{wanted}` matches no rule id, id prefix or rule name; {hint}`mocheck rules` lists them"
                ));
            }
            ids.extend(matched.into_iter().map(|info| info.id.clone()));
        }
        Ok(ids)
    }
}

#[derive(Clone, Copy, Debug)]
enum RuleIndex {
    Data(usize),
    Engine(usize),
}

/// Where the rules come from.
pub struct RuleSources {
    /// `--rules` files: used instead of the built-in ruleset and the configured files.
    pub override_files: Vec<PathBuf>,
}

/// Builds the ruleset: the rule files, then `mocheck.toml`'s disable, severity and params.
pub fn load(config: &Config, sources: &RuleSources) -> Result<RuleSet, ConfigError> {
    load_with(BUILTIN, config, sources)
}

/// `load`, with `builtin` for the built-in ruleset's text (a test can take a piece out).
// The steps run in a fixed order, each short; one function keeps that order visible.
#[allow(clippy::too_many_lines)]
fn load_with(
    builtin: &'static str,
    config: &Config,
    sources: &RuleSources,
) -> Result<RuleSet, ConfigError> {
    let builtin_source = TomlSource::new(BUILTIN_NAME, builtin);
    let builtin = file::parse(&builtin_source, file::Trust::BuiltIn).map_err(ConfigError::from)?;
    let mut files = Vec::new();
    let (use_builtin, paths) = if sources.override_files.is_empty() {
        (config.builtin, config.rule_files.clone())
    } else {
        (false, sources.override_files.clone())
    };
    let mut problems = Vec::new();
    for path in &paths {
        let shown = crate::load::shown(path);
        let limit = config.max_file_size.unwrap_or(crate::load::DEFAULT_LIMIT);
        let source = match crate::load::read_text(path, limit) {
            Ok(text) => TomlSource::new(shown, text),
            Err(reason) => {
                problems.push(config.problem(
                    None,
                    format!("the rules file `{shown}` could not be read: {reason}"),
                ));
                continue;
            }
        };
        match file::parse(&source, file::Trust::Checked) {
            Ok(parsed) => files.push((source, parsed)),
            Err(mut more) => problems.append(&mut more),
        }
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }

    // Engine rules are always described by the built-in file; a rules file may restate them.
    let mut engine_rules = builtin.engine_rules.clone();
    // The built-in statutory rules, so that a ruleset without them (`--rules`, or `builtin =
    // false`) is known not to check those duties: a draft must not read that as compliance.
    let builtin_statutes: Vec<Arc<str>> = builtin
        .rules
        .iter()
        .filter(|rule| rule.info.kind == RuleKind::Statute)
        .map(|rule| rule.info.id.clone())
        .collect();
    let mut meta = None;
    let mut params = toml::Table::new();
    let mut param_origin: BTreeMap<String, (TomlSource, std::ops::Range<usize>)> = BTreeMap::new();
    let mut rules: Vec<Rule> = Vec::new();
    let mut all = Vec::new();
    if use_builtin {
        all.push((builtin_source.clone(), builtin));
    }
    all.extend(files);
    for (source, parsed) in all {
        meta = meta.or(parsed.meta);
        for (key, value) in parsed.params {
            if let Some(span) = parsed.param_spans.get(&key) {
                param_origin.insert(key.clone(), (source.clone(), span.clone()));
            }
            params.insert(key, value);
        }
        for info in parsed.engine_rules {
            engine_rules.retain(|existing| existing.id != info.id);
            engine_rules.push(info);
        }
        for rule in parsed.rules {
            if let Some(existing) = rules
                .iter()
                .find(|existing| existing.info.id == rule.info.id)
            {
                problems.push(source.problem(
                    None,
                    format!(
                        "rule {} is defined in {} and again in {}",
                        rule.info.id, existing.origin, source.name
                    ),
                ));
                continue;
            }
            rules.push(rule);
        }
    }
    rules.sort_by(|a, b| a.info.id.cmp(&b.info.id));
    engine_rules.sort_by(|a, b| a.id.cmp(&b.id));
    // Each engine rule is described, in `EngineRule::ALL`'s order, so that `engine_info`
    // finds a rule's description at its index.
    let described: Vec<&str> = engine_rules.iter().map(|info| &*info.id).collect();
    if described != EngineRule::ALL.map(EngineRule::id) {
        problems.push(builtin_source.problem(
            None,
            format!(
                "the engine's checks must each have one `[[engine_rule]]` description, {} in all; described: {}",
                engine_rule_ids(),
                described.join(", ")
            ),
        ));
    }

    override_params(config, &mut params, &mut problems);
    let known: BTreeSet<Arc<str>> = rules
        .iter()
        .map(|rule| rule.info.id.clone())
        .chain(engine_rules.iter().map(|info| info.id.clone()))
        .collect();
    let mut inactive = HashSet::new();
    for id in &config.disable {
        if id.get_ref() == UNREADABLE {
            problems.push(config.problem(
                Some(id.span()),
                format!("{UNREADABLE} cannot be disabled: a record mocheck cannot read must always be reported, or it would pass unchecked"),
            ));
            continue;
        }
        match known.get(id.get_ref().as_str()) {
            Some(known_id) => {
                inactive.insert(known_id.clone());
            }
            None => problems.push(unknown_rule(config, id, &known)),
        }
    }
    for (id, level) in &config.severity {
        let Some(severity) = Severity::parse(level.get_ref()) else {
            continue; // reported when the config was read
        };
        if !known.contains(id.get_ref().as_str()) {
            problems.push(unknown_rule(config, id, &known));
            continue;
        }
        if id.get_ref() == UNREADABLE && severity != Severity::Error {
            problems.push(config.problem(
                Some(id.span()),
                format!("{UNREADABLE} is always an error: a record mocheck cannot read has not been checked at all"),
            ));
            continue;
        }
        for rule in &mut rules {
            if *rule.info.id == **id.get_ref() {
                rule.info.severity = severity;
            }
        }
        for info in &mut engine_rules {
            if *info.id == **id.get_ref() {
                info.severity = severity;
            }
        }
    }

    let bank_holidays = bank_holidays(&params, &param_origin, &mut problems);
    let reference_pattern = reference_pattern(config, &params, &param_origin, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let (name, version) =
        meta.unwrap_or_else(|| ("custom rules".to_string(), "unversioned".to_string()));
    let param_values = Param::from_toml(&toml::Value::Table(params.clone()));
    let by_id: std::collections::HashMap<Arc<str>, RuleIndex> = rules
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.info.id.clone(), RuleIndex::Data(index)))
        .chain(
            engine_rules
                .iter()
                .enumerate()
                .map(|(index, info)| (info.id.clone(), RuleIndex::Engine(index))),
        )
        .collect();
    let statutes_not_loaded = builtin_statutes
        .into_iter()
        .filter(|id| !by_id.contains_key(id))
        .collect();
    Ok(RuleSet {
        name,
        version,
        statutes_not_loaded,
        by_id,
        rules,
        engine_rules,
        inactive,
        params,
        param_values,
        helpers: Arc::new(HelperData {
            bank_holidays,
            roster: config.roster.clone(),
        }),
        reference_pattern,
        office_name: config.office_name.clone(),
    })
}

fn unknown_rule(
    config: &Config,
    id: &toml::Spanned<String>,
    known: &BTreeSet<Arc<str>>,
) -> TomlProblem {
    let problem = config.problem(
        Some(id.span()),
        format!("there is no rule `{}`", id.get_ref()),
    );
    match crate::load::nearest(id.get_ref(), known.iter().map(|id| &**id)) {
        Some(near) => problem.with_help(format!("did you mean {near}? `mocheck rules` lists them")),
        None => problem.with_help("`mocheck rules` lists the rule ids"),
    }
}

/// `mocheck.toml` `[params]`: each key must be a parameter of the ruleset, with a value of
/// the same kind; a table overrides key by key (e.g. one role's delegated limit).
fn override_params(config: &Config, params: &mut toml::Table, problems: &mut Vec<TomlProblem>) {
    for (key, value) in &config.params {
        let Some(current) = params.get_mut(key.get_ref()) else {
            let problem = config.problem(
                Some(key.span()),
                format!("the ruleset has no parameter `{}`", key.get_ref()),
            );
            let near = crate::load::nearest(key.get_ref(), params.keys().map(String::as_str));
            problems.push(match near {
                Some(near) => problem.with_help(format!("did you mean `{near}`?")),
                None => problem.with_help(format!(
                    "parameters: {}",
                    params.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            });
            continue;
        };
        let same_kind = std::mem::discriminant(current) == std::mem::discriminant(value.get_ref())
            || matches!(
                (&*current, value.get_ref()),
                (
                    toml::Value::Integer(_) | toml::Value::Float(_),
                    toml::Value::Integer(_) | toml::Value::Float(_)
                )
            );
        if !same_kind {
            problems.push(config.problem(
                Some(value.span()),
                format!(
                    "`{}` must be {} like the ruleset's default",
                    key.get_ref(),
                    kind(current)
                ),
            ));
            continue;
        }
        match (current, value.get_ref()) {
            (toml::Value::Table(current), toml::Value::Table(update)) => {
                for (inner_key, inner_value) in update {
                    current.insert(inner_key.clone(), inner_value.clone());
                }
            }
            (current, update) => *current = update.clone(),
        }
    }
}

fn kind(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "text",
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

type Origins = BTreeMap<String, (TomlSource, std::ops::Range<usize>)>;

fn param_problem(origin: &Origins, key: &str, message: String) -> TomlProblem {
    match origin.get(key) {
        Some((source, span)) => source.problem(Some(span.clone()), message),
        None => TomlSource::new("parameters", "").problem(None, message),
    }
}

fn bank_holidays(
    params: &toml::Table,
    origin: &Origins,
    problems: &mut Vec<TomlProblem>,
) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::new();
    match params.get("bank_holidays") {
        None => {}
        Some(toml::Value::Array(items)) => {
            for item in items {
                match item {
                    toml::Value::Datetime(datetime) if toml_date(datetime).is_some() => {
                        days.extend(toml_date(datetime));
                    }
                    other => problems.push(param_problem(
                        origin,
                        "bank_holidays",
                        format!("`bank_holidays` must list dates, found `{other}`"),
                    )),
                }
            }
        }
        Some(_) => problems.push(param_problem(
            origin,
            "bank_holidays",
            "`bank_holidays` must be a list of dates".to_string(),
        )),
    }
    days
}

fn reference_pattern(
    config: &Config,
    params: &toml::Table,
    origin: &Origins,
    problems: &mut Vec<TomlProblem>,
) -> Option<regex::Regex> {
    let pattern = match params.get("reference_pattern")? {
        toml::Value::String(pattern) if pattern.is_empty() => return None,
        toml::Value::String(pattern) => pattern,
        _ => {
            problems.push(param_problem(
                origin,
                "reference_pattern",
                "`reference_pattern` must be a regular expression in a string".to_string(),
            ));
            return None;
        }
    };
    // Bounded so a hostile pattern cannot take unbounded memory to compile.
    match regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
    {
        Ok(regex) => Some(regex),
        Err(error) => {
            let from_config = config
                .params
                .iter()
                .find(|(key, _)| key.get_ref() == "reference_pattern");
            let message = format!(
                "`reference_pattern` is not a valid regular expression: {}",
                error.to_string().lines().last().unwrap_or_default()
            );
            problems.push(match from_config {
                Some((_, value)) => config.problem(Some(value.span()), message),
                None => param_problem(origin, "reference_pattern", message),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_rules_are_the_ones_the_builtin_ruleset_describes() {
        let builtin = file::parse(
            &TomlSource::new(BUILTIN_NAME, BUILTIN),
            file::Trust::BuiltIn,
        )
        .unwrap_or_else(|_| panic!("the built-in ruleset loads"));
        let described: Vec<&str> = builtin.engine_rules.iter().map(|info| &*info.id).collect();
        assert_eq!(described, EngineRule::ALL.map(EngineRule::id));
        assert_eq!(UNREADABLE, "MO090");
    }

    #[test]
    fn a_ruleset_without_an_engine_rules_description_does_not_load() {
        let start = BUILTIN
            .find("[[engine_rule]]\nid = \"MO099\"")
            .expect("MO099");
        let end = start
            + BUILTIN[start + 1..]
                .find("[[engine_rule]]")
                .expect("a description after MO099's")
            + 1;
        let without: &'static str =
            Box::leak(format!("{}{}", &BUILTIN[..start], &BUILTIN[end..]).into_boxed_str());
        let sources = RuleSources {
            override_files: Vec::new(),
        };
        let Err(error) = load_with(without, &Config::default(), &sources) else {
            panic!("a ruleset with no description of MO099 loaded");
        };
        let text = format!("{error:?}");
        assert!(
            text.contains("must each have one `[[engine_rule]]` description"),
            "{text}"
        );
        assert!(load_with(BUILTIN, &Config::default(), &sources).is_ok());
    }
}
