//! Messages that read right (issue 14): the article before an interpolated word, "due regard"
//! for the equality duty, advice on the record but neither signed nor dated, and the one
//! procurement regime in force on the decision date.

use serde_json::Value;

use crate::support::{check_json, mocheck_in, rule_findings, stdout, tree, MINIMAL};

/// The minimal record of type `kind`, with `advice` added under its `advice` and `extra`
/// at the end.
fn record(kind: &str, advice: &str, extra: &str) -> String {
    MINIMAL
        .replace("type: other", &format!("type: {kind}"))
        .replace("interests:\n", &format!("{advice}interests:\n"))
        + extra
}

/// The message of the one finding of `rule` on `record`.
fn message(record: &str, rule: &str) -> String {
    let found = rule_findings(record, rule);
    assert_eq!(found.len(), 1, "{rule}: {found:#?}");
    found[0]["message"].as_str().unwrap().to_string()
}

#[test]
fn the_article_before_a_decision_type_follows_its_sound() {
    for (kind, words) in [
        ("estates", "an estates decision"),
        ("indemnity", "an indemnity decision"),
        ("contract_award", "a contract award decision"),
        ("staffing", "a staffing decision"),
    ] {
        let said = message(&record(kind, "", ""), "MO012");
        assert!(
            said.starts_with(&format!("{words} needs legal advice")),
            "{said}"
        );
    }
    let said = message(&record("estates", "", ""), "MO050");
    assert!(
        said.ends_with(
            "before an estates decision: no equality assessment, the usual evidence, is recorded"
        ),
        "{said}"
    );
    let said = message(&record("grant", "", ""), "MO050");
    assert!(said.contains("before a grant decision"), "{said}");
}

#[test]
fn the_equality_finding_speaks_of_due_regard_not_of_an_assessment_as_the_duty() {
    let said = message(&record("policy", "", ""), "MO050");
    assert_eq!(
        said,
        "the record does not show that due regard was had to equality before a policy decision: no equality assessment, the usual evidence, is recorded"
    );
    let undated = "  equality:\n    assessment: screening\n";
    let said = message(&record("policy", undated, ""), "MO050");
    assert_eq!(
        said,
        "the record gives no date for the equality screening, so it does not show that due regard was had to equality before the decision"
    );
}

#[test]
fn advice_present_but_neither_signed_nor_dated_says_so() {
    // The legal advice has a reference and a summary, no adviser and no date.
    let legal = "  legal:\n    reference: LEG/2026/041\n    summary: Lease terms reviewed\n";
    let said = message(&record("estates", legal, ""), "MO012");
    assert_eq!(
        said,
        "an estates decision needs legal advice, but the legal advice on the record is not signed or dated"
    );
    // The CFO's box holds only a concern flag.
    let cfo = "  chief_finance_officer:\n    concern: false\n";
    let spending = "financial:\n  amount: 5000\n  funding_source: Grants budget\n";
    let said = message(&record("grant", cfo, spending), "MO014");
    assert_eq!(
        said,
        "the decision commits £5,000 but the chief finance officer's sign-off is not signed or dated"
    );
    // The equality entry gives a reference but not what was assessed.
    let equality = "  equality:\n    reference: EIA-2026-07\n";
    let said = message(&record("policy", equality, ""), "MO050");
    assert!(
        said.starts_with("the record's equality entry does not say what assessment was made"),
        "{said}"
    );
    // With nothing at all, it is not recorded.
    let said = message(&record("estates", "", ""), "MO012");
    assert!(said.ends_with("but the record shows none"), "{said}");
}

#[test]
fn the_procurement_finding_names_and_cites_only_the_regime_in_force() {
    for (decided_on, regime, threshold) in [
        (
            "2024-06-10",
            "Public Contracts Regulations 2015",
            "£214,904",
        ),
        (
            "2025-02-21",
            "Public Contracts Regulations 2015",
            "£214,904",
        ),
        ("2025-02-24", "Procurement Act 2023", "£214,904"),
        ("2026-03-12", "Procurement Act 2023", "£207,720"),
    ] {
        let award = record(
            "contract_award",
            "",
            "procurement:\n  route: direct_award\n  contract_value: 250000\n",
        )
        .replace(
            "decided_on: 2026-03-12",
            &format!("decided_on: {decided_on}"),
        )
        .replace("date: 2026-03-10", &format!("date: {decided_on}"));
        let found = rule_findings(&award, "MO031");
        assert_eq!(found.len(), 1, "{decided_on}: {found:#?}");
        let said = found[0]["message"].as_str().unwrap();
        assert!(
            said.contains(&format!(
                "above the {threshold} threshold for goods and services in force on"
            )),
            "{said}"
        );
        assert!(said.contains(&format!("under the {regime}, but")), "{said}");
        let other = if regime.starts_with("Procurement") {
            "Public Contracts"
        } else {
            "Procurement Act"
        };
        assert!(!said.contains(other), "{said}");
        assert_eq!(
            found[0]["basis"],
            serde_json::json!([regime]),
            "{decided_on}"
        );
    }
    // The rule itself still cites both, with their dates.
    let output = mocheck_in(&crate::support::repo(), &["explain", "MO031"]);
    let text = stdout(&output);
    assert!(
        text.contains("Public Contracts Regulations 2015 (decisions before 24 February 2025)"),
        "{text}"
    );
    assert!(
        text.contains("Procurement Act 2023 (decisions from 24 February 2025)"),
        "{text}"
    );
}

#[test]
fn an_office_threshold_table_without_regimes_names_the_regime_by_the_date() {
    let config = "[params]\nprocurement_thresholds = [{ from = 2024-01-01, goods_services = 214904, works = 5372609 }]\n";
    for (decided_on, regime) in [
        ("2025-02-21", "Public Contracts Regulations 2015"),
        ("2025-06-10", "Procurement Act 2023"),
    ] {
        let award = record(
            "contract_award",
            "",
            "procurement:\n  route: quotes\n  contract_value: 250000\n",
        )
        .replace(
            "decided_on: 2026-03-12",
            &format!("decided_on: {decided_on}"),
        )
        .replace("date: 2026-03-10", &format!("date: {decided_on}"));
        let dir = tree(&[
            ("record.yaml", award.as_bytes()),
            ("mocheck.toml", config.as_bytes()),
        ]);
        let (_, json) = check_json(dir.path(), &[]);
        let found: Vec<&Value> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| finding["rule"] == "MO031")
            .collect();
        assert_eq!(found.len(), 1, "{decided_on}: {found:#?}");
        let said = found[0]["message"].as_str().unwrap();
        assert!(said.contains(&format!("under the {regime}, but")), "{said}");
        assert_eq!(found[0]["basis"], serde_json::json!([regime]));
    }
}
