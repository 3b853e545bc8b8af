//! Issue 14 row 4: registers and logs give decisions with no date or no reference. Such a
//! record is still checked; what cannot be checked is said, never passed over.

use crate::support::{check_json, findings, tree, MINIMAL};

/// The example contract award (its CFO certified less than it commits) with one line
/// taken out.
fn award_without(line: &str) -> String {
    let text = std::fs::read_to_string(
        crate::support::repo().join("examples/decisions/2025/EPCC-2025-041.yaml"),
    )
    .unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(line)).collect();
    assert!(kept.len() < text.lines().count(), "no line starts {line}");
    kept.join("\n") + "\n"
}

#[test]
fn a_decided_record_with_no_date_is_checked_and_the_date_rules_are_named_not_passed() {
    let dir = tree(&[("award.yaml", award_without("decided_on").as_bytes())]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&json);
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert!(!rules.contains(&"MO090"), "{found:?}");
    // Rules that need no date still run: the CFO's cover is short whatever the date.
    assert!(rules.contains(&"MO016"), "{found:?}");
    // No rule that compares dates gives a result, pass or fail.
    for dated in ["MO011", "MO013", "MO015", "MO031", "MO041"] {
        assert!(
            !rules.contains(&dated),
            "{dated} ran without a date: {found:?}"
        );
    }
    let undated = found.iter().find(|f| f.0 == "MO099").expect("MO099");
    assert!(
        undated.4.starts_with(
            "the decision date is not recorded, so no rule that compares dates can be checked"
        ),
        "{undated:?}"
    );
    for dated in ["MO011", "MO015", "MO031", "MO041"] {
        assert!(undated.4.contains(dated), "{dated} not named: {undated:?}");
    }
    // At the record's first key, the nearest place to where `decided_on` belongs.
    assert_eq!((undated.2, undated.3), (3, 1), "{undated:?}");
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "MO099")
        .unwrap();
    assert_eq!(finding["path"], "decided_on");
    assert_eq!(finding["record"], "EPCC-2025-041");
}

#[test]
fn a_record_with_its_date_gets_no_mo099_and_a_proposal_needs_none() {
    let proposal = MINIMAL
        .replace("status: decided", "status: proposed")
        .replace("decided_on: 2026-03-12\n", "");
    let dir = tree(&[
        ("dated.yaml", MINIMAL.as_bytes()),
        ("proposal.yaml", proposal.replace("T-1", "T-2").as_bytes()),
    ]);
    let (_, json) = check_json(dir.path(), &[]);
    let found = findings(&json);
    assert!(found.iter().all(|f| f.0 != "MO099"), "{found:?}");
}

#[test]
fn a_record_with_no_reference_is_checked_and_known_by_its_file() {
    let dir = tree(&[("award.yaml", award_without("reference").as_bytes())]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&json);
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert!(!rules.contains(&"MO090"), "{found:?}");
    assert!(
        rules.contains(&"MO016") && rules.contains(&"MO034"),
        "{found:?}"
    );
    let missing = found.iter().find(|f| f.0 == "MO100").expect("MO100");
    assert!(
        missing.4.contains("has no `reference`")
            && missing.4.contains("known by its file, `award.yaml`"),
        "{missing:?}"
    );
    assert_eq!((missing.1.as_str(), missing.2), ("award.yaml", 3));
    for finding in json["findings"].as_array().unwrap() {
        assert!(finding["record"].is_null(), "{finding}");
    }
}
