//! Starting points a person edits: `mocheck init` (a configuration, an example record and a
//! CI workflow) and `mocheck new` (a record skeleton for one decision type). `init`'s files
//! are created all or none, never over anything; everything else here is text only.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::load::schema::{RESERVED_TYPES, TYPES};
use crate::rules::RuleSet;

/// The files `mocheck init` creates, relative to the folder it sets up.
pub fn init_files(ruleset: &RuleSet) -> Vec<(&'static str, String)> {
    vec![
        ("mocheck.toml", config_text(ruleset)),
        ("decisions/EXAMPLE-0001.yaml", EXAMPLE_RECORD.to_string()),
        (".github/workflows/mocheck.yml", WORKFLOW.to_string()),
    ]
}

/// Creates every file under `dir`, with the folders they need, or none of them: every target
/// is checked first (a file, a folder or a link, even a broken one, already at a file's place;
/// something not a folder where a folder must be), and if a creation still fails, what was
/// created is removed. Returns the paths created.
pub fn create_all(dir: &Path, files: &[(&str, String)]) -> Result<Vec<PathBuf>, String> {
    let mut taken = Vec::new();
    for (name, _) in files {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_ok() {
            taken.push(format!("`{}` already exists", crate::load::shown(&path)));
        }
        let mut folder = path.parent();
        while let Some(parent) =
            folder.filter(|parent| *parent != dir && !parent.as_os_str().is_empty())
        {
            if std::fs::symlink_metadata(parent).is_ok() && !parent.is_dir() {
                let problem = format!(
                    "`{}` is there and is not a folder",
                    crate::load::shown(parent)
                );
                if !taken.contains(&problem) {
                    taken.push(problem);
                }
            }
            folder = parent.parent();
        }
    }
    if !taken.is_empty() {
        return Err(format!(
            "{}; mocheck init creates nothing unless it can create all its files",
            taken.join(", ")
        ));
    }
    let mut created: Vec<PathBuf> = Vec::new();
    let mut folders: Vec<PathBuf> = Vec::new();
    let result = files.iter().try_for_each(|(name, text)| {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            // The folders that do not exist yet, outermost first, so they can be removed.
            let missing: Vec<&Path> = parent
                .ancestors()
                .take_while(|folder| !folder.as_os_str().is_empty() && !folder.exists())
                .collect();
            for folder in missing.into_iter().rev() {
                std::fs::create_dir(folder).map_err(|error| {
                    format!("could not create `{}`: {error}", crate::load::shown(folder))
                })?;
                folders.push(folder.to_path_buf());
            }
        }
        // `create_new` refuses a file that appeared since the check: nothing is overwritten.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|error| {
                format!("could not create `{}`: {error}", crate::load::shown(&path))
            })?;
        created.push(path.clone());
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|error| format!("could not write `{}`: {error}", crate::load::shown(&path)))
    });
    if let Err(message) = result {
        for path in &created {
            let _ = std::fs::remove_file(path);
        }
        for folder in folders.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
        return Err(format!("{message}; nothing was left created"));
    }
    Ok(created)
}

fn config_text(ruleset: &RuleSet) -> String {
    let mut text = String::from(CONFIG_HEAD);
    text.push_str("\n[params]\n# The built-in ruleset's parameters, with their defaults. Uncomment a line to set your own;\n# values from your scheme of consent and contract standing orders belong here.\n");
    for (key, value) in &ruleset.params {
        match (key.as_str(), value) {
            ("bank_holidays", _) => text.push_str("# bank_holidays = [...]              # England and Wales, 2012 to 2030, built in\n"),
            (_, toml::Value::Array(rows)) if rows.iter().all(toml::Value::is_table) => {
                let _ = writeln!(text, "# {key} = [                          # a dated table: the row in force on the decision date applies");
                for row in rows {
                    let _ = writeln!(text, "#   {row},");
                }
                text.push_str("# ]\n");
            }
            _ => {
                let _ = writeln!(text, "# {key} = {value}");
            }
        }
    }
    text
}

const CONFIG_HEAD: &str = r#"# mocheck configuration. Options are shown with their defaults; see `mocheck --help`.

[office]
# name = "Office of the Police and Crime Commissioner for ..."

# Who held the statutory roles, and when (used by MO001 and MO002). One entry per term of office.
# [[office.holder]]
# role = "chief_executive"          # chief_executive | chief_finance_officer | pcc | deputy_pcc
# name = "..."
# from = 2024-05-13
# to = 2028-05-12                   # leave out while in post

[check]
paths = ["decisions"]               # what `mocheck check` reads when given no path
exclude = []                        # globs, e.g. ["decisions/drafts/**"]
fail_on = "error"                   # error | warning | info | never: what makes the exit status 1
max_file_size = 10                  # megabytes; larger files are refused unread
# baseline = "mocheck-baseline.toml"  # findings accepted as history (`mocheck baseline --help`)

[rules]
files = []                          # your own rules files, added to the built-in ruleset
builtin = true                      # false: only the files above
disable = []                        # rule ids that do not run, e.g. ["MO093"]
severity = {}                       # e.g. { MO064 = "error" }
"#;

const EXAMPLE_RECORD: &str = r"# An example decision record: replace it with your own. `mocheck explain MO010` and the
# other rule ids say what each field is for; `mocheck new REF --type TYPE` prints a skeleton.
reference: EXAMPLE-0001
title: Community safety grants 2026/27
type: grant
status: decided
summary: Award community safety grants to twelve local projects.
decision_maker:
  role: pcc
  name: A. Commissioner
decided_on: 2026-01-15
financial:
  amount: 120000
  kind: revenue
  funding_source: Community safety grants budget 2026/27
  within_approved_budget: true
advice:
  chief_executive:
    name: B. Chief Executive
    date: 2026-01-12
    comments: The scheme follows the grants policy; no legal concerns.
  chief_finance_officer:
    name: C. Treasurer
    date: 2026-01-12
    certified_amount: 120000
    comments: Provision exists in the approved budget.
  legal:
    by: Force Solicitor
    date: 2026-01-09
    reference: LEG/2026/004
  equality:
    assessment: screening
    date: 2026-01-08
    reference: EIA-2026-01
interests:
  declaration: true
confidentiality:
  status: open
publication:
  date: 2026-01-16
";

const WORKFLOW: &str = r#"# Runs mocheck on every pull request and every push to main: findings appear on the lines
# they concern, and the SARIF file feeds the repository's code-scanning view.
#
# mocheck is built from your copy of its repository the first time, then cached: set
# MOCHECK_REPOSITORY to where your office keeps mocheck and MOCHECK_VERSION to one of its
# tags. A new version is built once, on the first run that asks for it.
name: mocheck
on:
  pull_request:
  push:
    branches: [main]
env:
  MOCHECK_REPOSITORY: https://github.com/YOUR-ORGANISATION/mocheck
  MOCHECK_VERSION: v0.1.0
jobs:
  check:
    runs-on: ubuntu-latest
    permissions:
      actions: read
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0            # the base branch too, for --changed-since
      - name: Restore mocheck
        id: cache
        uses: actions/cache/restore@v4
        with:
          path: ~/.mocheck
          key: mocheck-${{ runner.os }}-${{ env.MOCHECK_VERSION }}
      - name: Build mocheck
        if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --git "$MOCHECK_REPOSITORY" --tag "$MOCHECK_VERSION" --locked --root ~/.mocheck mocheck
      # Saved at once, not at the end of the job: a run that finds errors still keeps the build.
      - name: Save mocheck
        if: steps.cache.outputs.cache-hit != 'true'
        uses: actions/cache/save@v4
        with:
          path: ~/.mocheck
          key: mocheck-${{ runner.os }}-${{ env.MOCHECK_VERSION }}
      - name: Put mocheck on PATH
        run: echo "$HOME/.mocheck/bin" >> "$GITHUB_PATH"
      - name: Annotate the pull request (the records it changes)
        if: github.event_name == 'pull_request'
        env:
          BASE_REF: ${{ github.base_ref }}
        run: mocheck check --format github --changed-since "origin/$BASE_REF"
      - name: Annotate the commit (every record)
        if: github.event_name != 'pull_request'
        run: mocheck check --format github
      - name: Write SARIF (every record)
        if: always()
        run: mocheck check --format sarif --output mocheck.sarif --fail-on never
      - name: Upload SARIF
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: mocheck.sarif
"#;

/// The consultations a decision type needs, as skeleton lines.
fn consultation_for(decision_type: &str) -> Option<&'static str> {
    match decision_type {
        "precept" => Some("  public:                           # views of local people and ratepayers\n    from:\n    to:\n"),
        "police_and_crime_plan" => Some("  chief_constable:\n    name:\n    date:\n  police_and_crime_panel:\n    date:\n"),
        "governance_framework" | "treasury_management" | "statement_of_accounts" => Some("  audit_committee:\n    body:\n    date:                           # reviewed before the decision\n"),
        _ => None,
    }
}

/// Schedule 5's steps for a precept, each a rule of its own (MO023, MO069 to MO071).
const PRECEPT_STEPS: &str = "precept:
  proposed_on:                      # the proposed precept signed
  notified_to_panel_on:             # sent to the police and crime panel, by 1 February
  panel_meeting_on:
  panel_report_on:                  # the panel's report, by 8 February
  vetoed: false
  response_on:                      # after a veto: the revised precept, by 15 February
  panel_response_on:                # after a veto: the panel's answer, by 22 February
";

/// How a decision was taken, beyond its type: what `mocheck new --joint` and `--meeting` add.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shape {
    /// Taken jointly with the chief constable, who signs it too (`decision_maker.joint_with`).
    pub joint: bool,
    /// Taken at a board or meeting whose minutes say who attended (`taken_at`).
    pub meeting: bool,
}

/// A record skeleton for `decision_type`, or the reason there is none.
pub fn new_record(
    reference: &str,
    decision_type: &str,
    shape: Shape,
    ruleset: &RuleSet,
) -> Result<String, String> {
    let reference = reference.trim();
    if reference.is_empty() {
        return Err("the reference must not be empty".to_string());
    }
    if !TYPES.contains(&decision_type) {
        let hint = crate::load::nearest(decision_type, TYPES.iter().copied())
            .map(|near| format!("did you mean `{near}`? "))
            .unwrap_or_default();
        return Err(format!(
            "`{decision_type}` is not a decision type; {hint}types: {}",
            TYPES.join(", ")
        ));
    }
    let listed = |param: &str| {
        ruleset
            .params
            .get(param)
            .and_then(toml::Value::as_array)
            .is_some_and(|types| {
                types
                    .iter()
                    .any(|value| value.as_str() == Some(decision_type))
            })
    };
    let reserved = RESERVED_TYPES.contains(&decision_type);
    let mut text = String::new();
    let quoted = serde_json::to_string(reference).unwrap_or_default();
    let _ = writeln!(text, "reference: {quoted}");
    text.push_str("title: Short title of the decision   # replace with the real title\n");
    if decision_type == "precept" {
        text.push_str(
            "type: precept                       # [budget, precept] when one notice sets both\n",
        );
    } else {
        let _ = writeln!(text, "type: {decision_type}");
    }
    text.push_str("status: proposed                    # proposed until signed, then decided\n");
    text.push_str(
        "summary:                            # the recommendation, in a sentence or two\n",
    );
    push_who(&mut text, decision_type, reserved, shape);
    push_financial(&mut text, decision_type, shape);
    text.push_str("advice:\n");
    text.push_str(
        "  chief_executive:                  # the monitoring officer, before the decision\n",
    );
    text.push_str("    name:\n    date:\n    comments:\n");
    if decision_type == "estates" {
        text.push_str(
            "  chief_finance_officer:            # a sale too: the CFO advises on the disposal\n",
        );
    } else {
        text.push_str(
            "  chief_finance_officer:            # any spending: sign-off covering the amount\n",
        );
    }
    text.push_str("    name:\n    date:\n    certified_amount:\n    comments:\n");
    if matches!(decision_type, "budget" | "precept") {
        text.push_str("    robustness_report:              # date of the s.25 report on estimates and reserves\n");
    }
    if listed("legal_advice_types") {
        text.push_str(
            "  legal:                            # this type of decision needs legal advice\n",
        );
        text.push_str("    by:\n    date:\n    reference:\n");
    }
    if listed("equality_types") {
        text.push_str("  equality:                         # the public sector equality duty\n");
        text.push_str("    assessment:                     # full | screening | not_relevant (with a reason)\n");
        text.push_str("    date:\n    reference:\n");
    }
    if let Some(consultation) = consultation_for(decision_type) {
        text.push_str("consultation:\n");
        text.push_str(consultation);
    }
    if decision_type == "precept" {
        text.push_str(PRECEPT_STEPS);
    }
    if decision_type == "contract_award" {
        text.push_str("procurement:\n");
        text.push_str("  route:                             # open_tender | restricted_tender | competitive_flexible | framework_call_off | quotes | direct_award | existing_contract\n");
        text.push_str("  contract_value:                    # pounds including VAT\n");
    }
    text.push_str("interests:\n  declaration: false                # true once the decision maker confirms their register of interests\n");
    text.push_str("confidentiality:\n  status: open                      # open | part | confidential (with a ground)\n");
    text.push_str("background_papers: []               # - title: ...\n                                    #   published: true\n");
    text.push_str("publication:\n  date:                              # when the record was published\n  url:\n");
    Ok(text)
}

/// Who takes the decision, and where: the decision maker, a joint signatory, the meeting.
fn push_who(text: &mut String, decision_type: &str, reserved: bool, shape: Shape) {
    text.push_str("decision_maker:\n");
    if reserved {
        text.push_str("  role: pcc                         # reserved to the PCC personally (PRSRA 2011 s.18)\n");
    } else {
        text.push_str("  role: pcc                         # pcc | deputy_pcc | chief_executive | chief_finance_officer | other_officer\n");
        text.push_str("  authority:                        # the scheme-of-consent paragraph, if not the PCC\n");
    }
    text.push_str("  name:                              # who signs\n");
    if shape.joint {
        text.push_str("  joint_with:                        # the chief constable signs too, giving the force's view\n");
        text.push_str("    role: chief_constable\n    name:\n");
    } else if decision_type == "collaboration_agreement" {
        text.push_str("  # joint_with: {role: chief_constable, name: ...}   # if signed jointly (mocheck new --joint)\n");
    }
    text.push_str("# decided_on: YYYY-MM-DD             # the date it is signed; set status: decided with it\n");
    if shape.meeting {
        text.push_str(
            "taken_at:                           # the board or meeting that took the decision\n",
        );
        text.push_str("  meeting:                          # e.g. Executive Board\n");
        text.push_str("  date:\n");
        text.push_str("  attended_by:                      # as the minutes record them\n");
        text.push_str("    - role: pcc\n      name:\n");
        text.push_str("    - role: chief_executive         # the monitoring officer: still record their advice below\n      name:\n");
    }
}

/// The flags and the money: a joint decision concerns the force; an estate sale brings money in.
fn push_financial(text: &mut String, decision_type: &str, shape: Shape) {
    text.push_str("significant_public_interest: false  # true: the record must be published\n");
    if shape.joint {
        text.push_str(
            "force_business: true                # a joint decision concerns the force\n",
        );
    } else {
        text.push_str(
            "force_business: false               # true: record the chief constable's view\n",
        );
    }
    text.push_str("financial:\n");
    text.push_str("  amount: 0                         # pounds, whole-life, including VAT\n");
    if decision_type == "estates" {
        // The estate decisions notices record most often are sales and leases out.
        text.push_str("  direction: income                 # income: a sale or lease out | expenditure: a purchase or lease in\n");
        text.push_str("  kind: capital                     # revenue | capital | reserve | income | liability | none\n");
        text.push_str(
            "  funding_source:                   # only when the decision spends money\n",
        );
    } else {
        text.push_str("  kind: none                        # revenue | capital | reserve | income | liability | none\n");
        text.push_str("  funding_source:                   # budget line, reserve or grant\n");
    }
    if decision_type != "estates" {
        text.push_str("  within_approved_budget: true\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{build, yaml, ProblemKind};

    fn builtin() -> RuleSet {
        crate::rules::load(
            &crate::rules::Config::defaults(),
            &crate::rules::RuleSources {
                override_files: Vec::new(),
            },
        )
        .unwrap()
    }

    #[test]
    fn every_skeleton_is_a_readable_record() {
        let ruleset = builtin();
        let shapes = [
            Shape::default(),
            Shape {
                joint: true,
                meeting: false,
            },
            Shape {
                joint: true,
                meeting: true,
            },
        ];
        for (decision_type, shape) in TYPES
            .iter()
            .flat_map(|decision_type| shapes.iter().map(move |shape| (decision_type, *shape)))
        {
            let text = new_record("X-1", decision_type, shape, &ruleset).unwrap();
            let Some(yaml::Document::Parsed(root)) =
                yaml::parse_documents(&text, yaml::Limits::default()).pop()
            else {
                panic!("{decision_type}: not YAML")
            };
            let mut problems = Vec::new();
            build(root, &mut problems).expect("a record");
            assert!(
                problems
                    .iter()
                    .all(|problem| problem.kind != ProblemKind::Unreadable
                        && problem.kind != ProblemKind::UnknownField),
                "{decision_type} {shape:?}: {problems:?}"
            );
        }
    }

    #[test]
    fn an_unknown_type_is_refused_with_a_suggestion() {
        let error = new_record("X-1", "contract_awrd", Shape::default(), &builtin()).unwrap_err();
        assert!(error.contains("did you mean `contract_award`?"), "{error}");
    }

    #[test]
    fn the_init_config_is_a_valid_mocheck_toml() {
        let ruleset = builtin();
        let files = init_files(&ruleset);
        let source = crate::rules::TomlSource::new("mocheck.toml", files[0].1.as_str());
        assert!(crate::rules::config::parse(source, std::path::PathBuf::from(".")).is_ok());
    }
}
