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

/// Row 15: vague values and typos stay MO090 at their exact place, and the help says what to
/// write for that kind of value.
#[test]
fn a_bad_date_and_a_bad_sum_get_help_for_their_kind_of_value() {
    let record = MINIMAL
        .replace("decided_on: 2026-03-12", "decided_on: 16/02/204")
        .replace("    date: 2026-03-10", "    date: March meeting")
        + "financial:\n  amount: \"£69,024,09\"\n";
    let dir = tree(&[("record.yaml", record.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    let places: Vec<(String, u64, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "MO090")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("decided_on".to_string(), 8, 13),
            ("advice.chief_executive.date".to_string(), 12, 11),
            ("financial.amount".to_string(), 16, 11),
        ]
    );
    let human = crate::support::mocheck_in(
        dir.path(),
        &["check", ".", "--today", crate::support::TODAY],
    );
    let text = crate::support::stdout(&human);
    assert_eq!(
        text.matches("Write the date as YYYY-MM-DD").count(),
        2,
        "{text}"
    );
    assert_eq!(
        text.matches("Write the sum as a plain number of pounds")
            .count(),
        1,
        "{text}"
    );
    // The rule's general help is not given instead.
    assert!(
        !text.contains("Correct the field named in the message"),
        "{text}"
    );
}
