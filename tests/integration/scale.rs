//! The scale of the reports: `report --decision` keeps only its record, `report --assurance`
//! a little of each, so both run within a memory that keeping every record would exceed.
//! Speed is measured by `bench/run.py`, never asserted here.

use crate::hostile_input::bounded_by;
use crate::support::{mocheck_in, stderr, stdout, tree, MINIMAL, TODAY};

/// A record that is small on disk and large in memory: one anchored paper, listed 39,000
/// times by alias (within the loader's bounds), about 11 MB once built.
fn heavy_record(number: usize) -> String {
    let papers = "  - *paper\n".repeat(39_000);
    format!(
        "reference: H-{number:03}\ntitle: Decision {number}\ntype: other\nstatus: decided\n\
         summary: A decision.\ndecision_maker:\n  role: pcc\n  name: Pat Quinn\n\
         decided_on: 2026-03-12\npaper: &paper\n  title: Report\n  published: true\n\
         background_papers:\n{papers}"
    )
}

#[test]
fn reports_on_a_large_tree_run_within_a_memory_that_keeping_every_record_exceeds() {
    // 40 such records kept whole need about 460 MB (main before this change was killed
    // under this limit); kept one at a time, the run needs about 65 MB.
    let texts: Vec<(String, String)> = (0..40)
        .map(|number| (format!("h{number:03}.yaml"), heavy_record(number)))
        .collect();
    let files: Vec<(&str, &[u8])> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_bytes()))
        .collect();
    let dir = tree(&files);
    let limit = 400_000;

    let output = bounded_by(
        limit,
        dir.path(),
        &["report", "--decision", "H-007", "--today", TODAY, "."],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("H-007"), "{}", stdout(&output));

    let output = bounded_by(
        limit,
        dir.path(),
        &["report", "--assurance", "--today", TODAY, "."],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("40 decision records in scope"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_draft_tells_its_findings_from_the_next_record_of_its_file() {
    // Two references alike in their first 200 characters, which is all a finding keeps of
    // them: only where the next record starts tells their findings apart.
    let long = "R".repeat(200);
    let first = MINIMAL.replace("T-1", &format!("{long}-A"));
    // A date that is no date: the second record cannot be read (MO090), and the findings
    // that say what could not be read are the ones a draft keeps of other records.
    let second = MINIMAL
        .replace("T-1", &format!("{long}-B"))
        .replace("2026-03-12", "2026-13-45");
    let alone = tree(&[("register.yaml", first.as_bytes())]);
    let together = format!("{first}---\n{second}");
    let both = tree(&[("register.yaml", together.as_bytes())]);
    let args = [
        "report",
        "--decision",
        &format!("{long}-A"),
        "--today",
        TODAY,
        ".",
    ];
    let expected = mocheck_in(alone.path(), &args);
    let output = mocheck_in(both.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), stdout(&expected));
    // The second record has a finding of its own, which the first's draft must not take.
    let check = mocheck_in(both.path(), &["check", "--today", TODAY, "."]);
    assert!(stdout(&check).contains("MO090"), "{}", stdout(&check));
}

#[test]
fn a_draft_on_a_duplicated_reference_names_both_records_and_a_missing_one_the_nearest() {
    let dir = tree(&[
        ("a.yaml", MINIMAL.as_bytes()),
        ("b.yaml", MINIMAL.as_bytes()),
        ("c.yaml", MINIMAL.replace("T-1", "T-20").as_bytes()),
    ]);
    let output = mocheck_in(
        dir.path(),
        &["report", "--decision", "T-1", "--today", TODAY, "."],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is used by 2 records (a.yaml:1, b.yaml:1)"),
        "{}",
        stderr(&output)
    );
    let output = mocheck_in(
        dir.path(),
        &["report", "--decision", "T-201", "--today", TODAY, "."],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `T-20`?"),
        "{}",
        stderr(&output)
    );
}
