//! Every kind of bad record gets a located, plain message, and never stops the other
//! records from being checked.

use std::fmt::Write as _;

use crate::support::{check_json, findings, tree, MINIMAL};

/// Checks `text` as `bad.yaml` beside a good record; returns the findings of bad.yaml.
fn problems_of(text: &[u8]) -> Vec<(String, String, u64, u64, String)> {
    let good = MINIMAL.replace("T-1", "GOOD-1");
    let dir = tree(&[("bad.yaml", text), ("good.yaml", good.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(json["summary"]["files"], 2, "both files are read");
    let all = findings(&json);
    assert!(
        all.iter().all(|finding| finding.1 != "good.yaml"),
        "the good record is still checked and clean: {all:?}"
    );
    all.into_iter()
        .filter(|finding| finding.1 == "bad.yaml")
        .collect()
}

fn only(text: &[u8]) -> (String, u64, u64, String) {
    let mut problems = problems_of(text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (rule, _, line, column, message) = problems.remove(0);
    (rule, line, column, message)
}

#[test]
fn broken_yaml_is_located() {
    let (rule, line, column, message) = only(b"reference: X-1\ntitle: [unclosed\ntype: other\n");
    assert_eq!(rule, "MO090");
    assert!(line >= 2, "{line}:{column} {message}");
    assert!(message.contains("not well formed"), "{message}");
}

#[test]
fn a_bad_date_says_what_is_expected() {
    let text = MINIMAL.replace("decided_on: 2026-03-12", "decided_on: 10/04/2025");
    assert_eq!(
        only(text.as_bytes()),
        (
            "MO090".into(),
            8,
            13,
            "`decided_on` must be a date like 2025-04-10, found `10/04/2025`".into()
        )
    );
}

#[test]
fn an_impossible_date_is_refused() {
    let text = MINIMAL.replace("decided_on: 2026-03-12", "decided_on: 2025-02-30");
    let (rule, line, column, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line, column), ("MO090", 8, 13));
    assert_eq!(
        message,
        "`decided_on` is `2025-02-30`, which is not a real date"
    );
}

#[test]
fn a_value_outside_an_enumeration_lists_the_allowed_ones() {
    let text = MINIMAL.replace("type: other", "type: contract");
    let (rule, line, column, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line, column), ("MO090", 3, 7));
    assert!(
        message.starts_with("`type` cannot be `contract`;"),
        "{message}"
    );
    assert!(
        message.contains("contract_award, tender_approval"),
        "{message}"
    );
}

#[test]
fn a_missing_required_field_is_unreadable() {
    let text = MINIMAL.replace("title: A test decision\n", "");
    let (rule, line, column, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line, column), ("MO090", 1, 1));
    assert_eq!(message, "the record has no `title`");
}

#[test]
fn an_unknown_key_suggests_the_nearest_and_the_record_is_still_checked() {
    let text = format!("{MINIMAL}financial:\n  amount: 5000\n  funding_sourse: Revenue budget\n");
    let problems = problems_of(text.as_bytes());
    let rules: Vec<_> = problems.iter().map(|finding| finding.0.as_str()).collect();
    // The typo hides the funding source, so MO014 (no CFO sign-off) still fires: checked.
    assert!(rules.contains(&"MO014"), "{problems:?}");
    let unknown = problems
        .iter()
        .find(|finding| finding.0 == "MO091")
        .expect("MO091");
    assert_eq!((unknown.2, unknown.3), (17, 3));
    assert!(
        unknown.4.contains("did you mean `funding_source`?"),
        "{}",
        unknown.4
    );
}

#[test]
fn a_duplicate_key_is_an_error_at_the_second() {
    let text = format!("{MINIMAL}title: Again\n");
    let (rule, line, column, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line, column), ("MO090", 15, 1));
    assert_eq!(
        message,
        "the key `title` appears twice in the same mapping; keep one"
    );
}

#[test]
fn money_written_as_text_gets_a_hint() {
    let text = format!("{MINIMAL}financial:\n  amount: \"£1.2m\"\n");
    let (rule, line, column, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line, column), ("MO090", 16, 11));
    assert!(message.contains("e.g. 1200000 for £1.2m"), "{message}");
}

#[test]
fn nan_infinity_and_huge_numbers_are_refused() {
    for bad in [".nan", ".inf", "-.inf", "1e400"] {
        let text = format!("{MINIMAL}financial:\n  amount: {bad}\n");
        let (rule, line, _, message) = only(text.as_bytes());
        assert_eq!((rule.as_str(), line), ("MO090", 16), "{bad}: {message}");
        assert!(
            message.contains("not an amount of money") || message.contains("plain number"),
            "{bad}: {message}"
        );
    }
}

#[test]
fn a_mapping_where_text_belongs_is_a_type_error() {
    let text = MINIMAL.replace("title: A test decision", "title:\n  text: A test decision");
    let (rule, line, column, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line, column), ("MO090", 3, 3));
    assert_eq!(message, "`title` must be text, found a mapping");
}

#[test]
fn a_top_level_list_or_scalar_is_not_a_record() {
    let (rule, line, column, message) = only(b"- reference: X-1\n");
    assert_eq!((rule.as_str(), line, column), ("MO090", 1, 1));
    assert!(message.contains("must be a mapping of fields"), "{message}");
    let (_, _, _, message) = only(b"just some words\n");
    assert!(message.contains("found `just some words`"), "{message}");
}

#[test]
fn tabs_for_indentation_are_explained() {
    let text = "reference: X-1\ndecision_maker:\n\trole: pcc\n";
    let (rule, line, _, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line), ("MO090", 3));
    assert!(message.contains("tab"), "{message}");
}

#[test]
fn binary_and_non_utf8_files_are_refused() {
    let (_, line, column, message) = only(b"reference: X\x00\x01\x02");
    assert_eq!((line, column), (1, 1));
    assert_eq!(message, "the file holds binary data, not YAML text");
    let (_, _, _, message) = only(b"reference: X-1\ntitle: caf\xe9\n");
    assert!(
        message.contains("not UTF-8 text (the first bad byte is on line 2)"),
        "{message}"
    );
}

#[test]
fn empty_and_comment_only_files_hold_no_records_and_no_errors() {
    assert!(problems_of(b"").is_empty());
    assert!(problems_of(b"# a draft, nothing yet\n").is_empty());
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let previous = level - 1;
        let refs = vec![format!("*a{previous}"); 10].join(", ");
        writeln!(text, "a{level}: &a{level} [{refs}]").unwrap();
    }
    let (rule, _, _, message) = only(text.as_bytes());
    assert_eq!(rule, "MO090");
    assert!(message.contains("expands to more than"), "{message}");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("reference: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let (rule, _, _, message) = only(text.as_bytes());
    assert_eq!(rule, "MO090");
    assert!(message.contains("nested"), "{message}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let mut text = MINIMAL.to_string();
    writeln!(text, "summary: \"{}\"", "x".repeat(11 * 1024 * 1024)).unwrap();
    let (rule, line, column, message) = only(text.as_bytes());
    assert_eq!((rule.as_str(), line, column), ("MO090", 1, 1));
    assert!(message.contains("larger than 10 MB"), "{message}");
}

#[test]
fn several_records_in_one_file_are_each_checked() {
    let second = MINIMAL
        .replace("T-1", "T-2")
        .replace("    date: 2026-03-10\n", "");
    let text = format!("{MINIMAL}---\n{second}");
    let problems = problems_of(text.as_bytes());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "MO010");
    assert_eq!(
        problems[0].2, 25,
        "the finding points into the second document"
    );
}
