//! The s.5 draft and the assurance summary, built through the library on the shipped examples
//! as `check` builds its run. Records are chosen by their findings, not by reference, so a
//! colleague can change the examples without breaking these tests.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use mocheck::check::CheckOptions;
use mocheck::draft::{
    assurance, findings_of, records_with_reference, s5_draft, AssuranceInput, Brief, DraftInput,
    QuarterStyle,
};
use mocheck::finding::{Finding, RuleKind, Severity};
use mocheck::load::{self, LoadOptions, Loaded, WalkOptions};
use mocheck::rules::{self, Config, RuleSet, RuleSources};

use crate::support::{check, tree, MINIMAL, TODAY};

struct Run {
    loaded: Loaded,
    ruleset: RuleSet,
    findings: Vec<Finding>,
    today: NaiveDate,
}

/// The examples with their `mocheck.toml`, checked as of the fixed test date. Paths are
/// relative to the package root, where cargo runs the tests, so they print as the CLI does.
fn run() -> Run {
    let config = rules::config::load(Path::new("examples/mocheck.toml")).expect("the config");
    let paths = config.paths.clone().expect("the config names the paths");
    run_on(&config, &paths)
}

/// The pipeline of `check`, stopping before any output.
fn run_on(config: &Config, paths: &[PathBuf]) -> Run {
    let ruleset = rules::load(
        config,
        &RuleSources {
            override_files: Vec::new(),
        },
    )
    .expect("the ruleset");
    let walked = load::walk(
        paths,
        &WalkOptions {
            exclude: config.exclude.clone(),
            ..WalkOptions::default()
        },
    )
    .expect("the paths exist");
    let loaded = load::load(&walked, None, LoadOptions::default());
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let findings = check(&loaded, &ruleset, CheckOptions::on(today));
    Run {
        loaded,
        ruleset,
        findings,
        today,
    }
}

impl Run {
    fn findings_of(&self, index: usize) -> Vec<Finding> {
        findings_of(&self.loaded.records, index, &self.findings)
    }

    fn draft(&self, index: usize) -> String {
        let findings = self.findings_of(index);
        s5_draft(&DraftInput {
            record: &self.loaded.records[index],
            findings: &findings,
            ruleset: &self.ruleset,
            office_name: self.ruleset.office_name.as_deref(),
            today: self.today,
        })
        .markdown
    }

    fn assurance(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
        let briefs: Vec<Brief> = self.loaded.records.iter().map(Brief::of).collect();
        assurance(&AssuranceInput {
            records: &briefs,
            findings: &self.findings,
            ruleset: &self.ruleset,
            from,
            to,
            quarters: QuarterStyle::Financial,
            today: self.today,
        })
        .markdown
    }

    /// An unwaived error of a statutory rule written as data: what can ground an s.5 report.
    fn is_ground(&self, finding: &Finding) -> bool {
        !finding.waived
            && finding.severity == Severity::Error
            && self
                .ruleset
                .info(&finding.rule)
                .is_some_and(|info| !info.engine && info.kind == RuleKind::Statute)
    }

    /// Records with at least one ground, most grounds first, then most findings, then order.
    fn non_compliant(&self) -> Vec<usize> {
        let mut found: Vec<(usize, usize, usize)> = (0..self.loaded.records.len())
            .filter_map(|index| {
                let findings = self.findings_of(index);
                let grounds = findings.iter().filter(|f| self.is_ground(f)).count();
                (grounds > 0).then_some((index, grounds, findings.len()))
            })
            .collect();
        found.sort_by_key(|(index, grounds, all)| (usize::MAX - grounds, usize::MAX - all, *index));
        found.into_iter().map(|(index, _, _)| index).collect()
    }

    /// Checked records with no unwaived error at all, most findings first.
    fn compliant(&self) -> Vec<usize> {
        let mut found: Vec<(usize, usize)> = (0..self.loaded.records.len())
            .filter(|&index| self.loaded.records[index].record.status() != Some("withdrawn"))
            .filter_map(|index| {
                let findings = self.findings_of(index);
                let clean = !findings
                    .iter()
                    .any(|f| !f.waived && f.severity == Severity::Error);
                clean.then_some((index, findings.len()))
            })
            .collect();
        found.sort_by_key(|(index, all)| (usize::MAX - all, *index));
        found.into_iter().map(|(index, _)| index).collect()
    }
}

/// A message as the draft prints it: on one line, pipes escaped for tables.
fn printed(message: &str) -> String {
    message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

#[test]
fn s5_draft_snapshot() {
    let run = run();
    let index = *run
        .non_compliant()
        .first()
        .expect("an example with an error");
    insta::assert_snapshot!("s5_draft", run.draft(index));
}

#[test]
fn no_report_note_snapshot() {
    let run = run();
    let index = *run.compliant().first().expect("a compliant example");
    insta::assert_snapshot!("no_report_note", run.draft(index));
}

#[test]
fn assurance_snapshot() {
    let run = run();
    insta::assert_snapshot!("assurance", run.assurance(None, None));
}

#[test]
fn the_s5_draft_quotes_its_own_error_findings_and_no_other_records() {
    let run = run();
    let non_compliant = run.non_compliant();
    assert!(!non_compliant.is_empty(), "the examples have errors");
    for index in non_compliant {
        let draft = run.draft(index);
        let own = run.findings_of(index);
        for finding in own.iter().filter(|f| run.is_ground(f)) {
            assert!(
                draft.contains(&printed(&finding.message)),
                "{} misses its own finding {}: {}",
                finding.file,
                finding.rule,
                finding.message
            );
            assert!(draft.contains(&format!("{}:{}", finding.file, finding.line)));
        }
        let own_messages: Vec<String> = own.iter().map(|f| printed(&f.message)).collect();
        for other in run.findings.iter().filter(|f| !own.contains(f)) {
            let message = printed(&other.message);
            // The same words can be found on two records (the same rule, the same gap).
            if own_messages.iter().any(|mine| mine.contains(&message)) {
                continue;
            }
            assert!(
                !draft.contains(&message),
                "the draft on {:?} quotes a finding of {:?}: {}",
                run.loaded.records[index].record.reference(),
                other.record,
                other.message
            );
        }
    }
}

#[test]
fn the_s5_draft_names_the_statute_and_the_panel_and_is_marked_draft() {
    let run = run();
    for index in run.non_compliant() {
        let draft = run.draft(index);
        assert!(draft.starts_with("> **DRAFT.**"), "{draft}");
        let title = draft
            .lines()
            .find(|line| line.starts_with("# "))
            .expect("a title");
        assert_eq!(
            title,
            "# DRAFT: Report of the Monitoring Officer under section 5 of the Local Government and Housing Act 1989"
        );
        for words in [
            "Police and Crime Panel",
            "s.5(2)(a)",
            "s.5(3)(a)",
            "21 days",
            "have NOT been verified",
            "## 6. Consultation with the Chief Finance Officer",
            "## 8. Recommendations",
        ] {
            assert!(draft.contains(words), "the draft lacks {words:?}");
        }
    }
}

#[test]
fn a_record_with_no_unwaived_error_gets_the_short_note() {
    let run = run();
    let compliant = run.compliant();
    assert!(!compliant.is_empty(), "the examples have compliant records");
    for index in compliant {
        let note = run.draft(index);
        assert!(note.starts_with("> **DRAFT.**"), "{note}");
        assert!(
            note.contains("no section 5 report appears to be needed"),
            "{note}"
        );
        assert!(!note.contains("Report of the Monitoring Officer under section 5"));
        assert!(!note.contains("## 5. The law engaged"));
        for finding in run
            .findings_of(index)
            .iter()
            .filter(|f| f.severity != Severity::Error)
        {
            assert!(
                note.contains(&printed(&finding.message)),
                "the note leaves out {}: {}",
                finding.rule,
                finding.message
            );
        }
    }
}

#[test]
fn the_assurance_report_lists_every_rule_with_findings_and_the_waivers() {
    let run = run();
    let report = run.assurance(None, None);
    for finding in &run.findings {
        assert!(
            report.contains(&format!("| {} | {} |", finding.rule, finding.name)),
            "rule {} is missing from the assurance report",
            finding.rule
        );
    }
    let waivers = report
        .split("## 7. Waivers")
        .nth(1)
        .and_then(|rest| rest.split("## 8.").next())
        .expect("a waivers section");
    let mut seen = 0;
    for loaded in &run.loaded.records {
        let Some(load::Value::List(entries)) = loaded.record.get("waivers") else {
            continue;
        };
        let reference = loaded.record.reference().unwrap_or_default();
        for index in 0..entries.len() {
            let rule = loaded
                .record
                .text(&format!("waivers[{index}].rule"))
                .unwrap_or_default();
            seen += 1;
            assert!(
                waivers
                    .lines()
                    .any(|line| line.contains(reference) && line.contains(rule)),
                "the waiver of {rule} on {reference} is not listed:\n{waivers}"
            );
        }
    }
    assert!(seen > 0, "the examples have waivers");
}

#[test]
fn a_period_leaves_out_decisions_outside_it() {
    let run = run();
    let day = |text| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    let (from, to) = (day("2025-01-01"), day("2025-12-31"));
    let report = run.assurance(Some(from), Some(to));
    assert!(report.contains("decisions dated 1 January 2025 to 31 December 2025"));
    for loaded in &run.loaded.records {
        let (Some(reference), Some(decided)) =
            (loaded.record.reference(), loaded.record.day("decided_on"))
        else {
            continue;
        };
        let inside = decided.date >= from && decided.date <= to;
        let has_error = run.findings.iter().any(|f| {
            f.record.as_deref() == Some(reference) && !f.waived && f.severity == Severity::Error
        });
        if !inside {
            assert!(
                !report.contains(reference),
                "{reference} is outside the period"
            );
        } else if has_error {
            assert!(report.contains(reference), "{reference} is in the period");
        }
    }
}

#[test]
fn proposals_open_reports_and_unreadable_files_need_action() {
    let proposal = "reference: T-1\ntitle: A proposed grant\ntype: other\nstatus: proposed\n";
    let implemented = format!(
        "{}significant_public_interest: true\nstatutory_reports:\n  - kind: s5\n    date: 2026-03-20\nimplemented_on: 2026-03-25\n",
        MINIMAL.replace("T-1", "T-2")
    );
    let dir = tree(&[
        ("a.yaml", proposal.as_bytes()),
        ("b.yaml", implemented.as_bytes()),
        ("c.yaml", b"reference: [\n"),
    ]);
    let run = run_on(&Config::defaults(), &[dir.path().to_path_buf()]);
    let report = run.assurance(None, None);
    let actions = report
        .split("## 8. Items needing action")
        .nth(1)
        .expect("an actions section");
    for expected in [
        "could not be read",
        "c.yaml",
        "T-1: put the errors right before the decision is taken",
        "T-2: the monitoring officer's s.5 report of 20 March 2026 has no date on which its consideration concluded",
        "significant public interest with no publication date",
    ] {
        assert!(actions.contains(expected), "{expected:?} is missing:\n{actions}");
    }

    let index = |reference: &str| {
        let found = records_with_reference(&run.loaded.records, reference);
        assert_eq!(found.len(), 1, "{reference} is one record");
        found[0]
    };
    let proposed = run.draft(index("T-1"));
    assert!(
        proposed.contains("The decision has not yet been taken"),
        "{proposed}"
    );
    assert!(proposed.contains("does not take the proposed decision"));
    let started = run.draft(index("T-2"));
    assert!(
        started.contains("implementation started on 25 March 2026"),
        "{started}"
    );
    assert!(started.contains("steps taken to implement the decision since 25 March 2026"));
}
