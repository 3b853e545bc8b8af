//! `mocheck report --s114 --decision REF`: the chief finance officer's draft under s.114(2)
//! LGFA 1988, on the shipped examples and on small records.

use crate::support::{mocheck, stdout, MINIMAL};

fn s114_of(reference: &str) -> (Option<i32>, String) {
    let output = mocheck(&[
        "report",
        "examples",
        "--decision",
        reference,
        "--s114",
        "--today",
        "2026-06-30",
    ]);
    (output.status.code(), stdout(&output))
}

#[test]
fn a_finance_ground_gives_the_cfos_report_with_its_statutory_parts() {
    let (code, draft) = s114_of("EPCC-2025-041");
    assert_eq!(code, Some(0), "{draft}");
    let title = draft.lines().find(|line| line.starts_with("# ")).unwrap();
    assert_eq!(
        title,
        "# DRAFT: Report of the Chief Finance Officer under section 114(2) of the Local Government Finance Act 1988"
    );
    for words in [
        // The ground, named in words, with the facts.
        "### 4.1 The Chief Finance Officer's sign-off does not cover the amount committed",
        "The CFO certified £1,000,000 but the decision commits £1,300,000.",
        // The spending.
        "| Amount committed | £1,300,000 |",
        "| Certified by the Chief Finance Officer | £1,000,000 |",
        // Consultation, effect, duties on receipt and the copies.
        "the head of paid service and the monitoring officer (s.114(3A))",
        "The exact wording of s.115(6) and (6A) has not been verified",
        "within 21 days of the day on which copies of the report are sent",
        "each member of the Police and Crime Panel, and the external auditor",
        // A recommendation to the Commissioner, not an instruction to edit a file.
        "that the Chief Finance Officer's certification of the full £1,300,000 is obtained",
    ] {
        assert!(draft.contains(words), "no `{words}` in:\n{draft}");
    }
    // Rule ids and field paths only in the appendix for the office's staff.
    let (body, appendix) = draft
        .split_once("## Appendix: Where this comes from in the record")
        .unwrap();
    assert!(
        !body.contains("MO016") && !body.contains("certified_amount"),
        "{body}"
    );
    assert!(
        appendix.contains("MO016") && appendix.contains("certified_amount"),
        "{appendix}"
    );
}

#[test]
fn a_decision_with_no_finance_finding_gets_a_note_of_what_was_checked() {
    // Late advice of the chief executive: a matter for the monitoring officer, not the CFO.
    let (code, draft) = s114_of("EPCC-2024-031");
    assert_eq!(code, Some(0), "{draft}");
    let title = draft.lines().find(|line| line.starts_with("# ")).unwrap();
    assert!(
        title.ends_with("no ground for a report under section 114 appears"),
        "{title}"
    );
    assert!(
        draft.contains("## What was checked, and what was not"),
        "{draft}"
    );
    assert!(
        draft.contains("whether the Commissioner has the power to incur the spending"),
        "{draft}"
    );
    assert!(!draft.contains("ce-advice"), "{draft}");
}

#[test]
fn a_decision_that_could_not_be_checked_is_not_assessed_for_s114_either() {
    let undated = MINIMAL.replace("decided_on: 2026-03-12\n", "");
    let (code, draft) = crate::never_false_assurance::report_on(&undated, &[], &["--s114"]);
    assert_eq!(code, Some(1), "{draft}");
    let title = draft.lines().find(|line| line.starts_with("# ")).unwrap();
    assert!(
        title.ends_with("the decision could not be assessed"),
        "{title}"
    );
    assert!(
        draft.contains("gives no assurance that a report under section 114"),
        "{draft}"
    );
    assert!(
        !draft.contains("no ground for a report under section 114 appears"),
        "{draft}"
    );
}

#[test]
fn s114_needs_a_decision() {
    let output = mocheck(&["report", "examples", "--s114", "--assurance"]);
    assert_eq!(output.status.code(), Some(2));
}
