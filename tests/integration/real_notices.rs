//! Record format 2: what real published notices say, recorded as they say it, and what the
//! rules then find (issue 14's rows, one test or more per row done here).

use crate::support::{check_json, findings, tree, MINIMAL};

/// The findings of one rule on one record added to the minimal record.
fn of_rule(extra: &str, rule: &str) -> Vec<(String, String, u64, u64, String)> {
    let record = format!("{MINIMAL}{extra}");
    let dir = tree(&[("record.yaml", record.as_bytes())]);
    let (_, json) = check_json(dir.path(), &[]);
    findings(&json)
        .into_iter()
        .filter(|finding| finding.0 == rule)
        .collect()
}

/// Row 11: the statutory threshold of a works contract is the works one.
#[test]
fn a_works_contract_is_held_to_the_works_threshold() {
    let works = "procurement:\n  route: quotes\n  category: works\n  contract_value: 900000\n";
    assert!(
        of_rule(works, "MO031").is_empty(),
        "a works contract below £5,193,000"
    );
    // With no category, the goods and services threshold is used, and says so.
    let unknown = "procurement:\n  route: quotes\n  contract_value: 900000\n";
    let found = of_rule(unknown, "MO031");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].4.contains("threshold for goods and services"),
        "{found:?}"
    );
    // Above the works threshold, the message names it.
    let big = "procurement:\n  route: direct_award\n  category: works\n  contract_value: 6000000\n";
    let found = of_rule(big, "MO031");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].4.contains("above the £5,193,000 threshold for works in force on 12 March 2026 under the Procurement Act 2023"),
        "{found:?}"
    );
    // At the route: the line of `route:` in the record.
    assert_eq!((found[0].2, found[0].3), (16, 10), "{found:?}");
}

/// Row 10: an estate sale brings money in; no budget pays for it, and drafts say "receives".
#[test]
fn income_needs_no_funding_source_but_spending_does() {
    for income in ["direction: income", "kind: income"] {
        let sale = format!("financial:\n  amount: 750000\n  {income}\n");
        assert!(of_rule(&sale, "MO017").is_empty(), "{income}");
    }
    // The CFO must still advise on a disposal, and the message says the sum is received.
    let sale = "financial:\n  amount: 750000\n  direction: income\n";
    let found = of_rule(sale, "MO014");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .4
            .starts_with("the decision receives £750,000 but the record has no sign-off"),
        "{found:?}"
    );
    let spending = "financial:\n  amount: 750000\n  direction: expenditure\n";
    let found = of_rule(spending, "MO017");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].4.contains("commits £750,000"), "{found:?}");
    assert_eq!(found[0].2, 15, "at `financial`: {found:?}");
}

/// Row 12: a record withheld lawfully and published when the ground lapsed is counted from
/// then, and the message says so.
#[test]
fn publication_after_a_lapsed_ground_is_counted_from_when_it_lapsed() {
    let withheld = |published: &str| {
        format!(
            "confidentiality:\n  status: open\n  published_after: 2026-04-01\npublication:\n  date: {published}\n"
        )
    };
    // Decided 12 March, published 2 April: 14 working days after the decision, 1 after the
    // ground lapsed.
    assert!(of_rule(&withheld("2026-04-02"), "MO041").is_empty());
    let found = of_rule(&withheld("2026-04-20"), "MO041");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].4.starts_with("the record was published on 20 April 2026, 11 working days after the ground for withholding it lapsed on 1 April 2026; the limit is 5"),
        "{found:?}"
    );
    // Without the date, the count runs from the decision as in version 1.
    let plain = of_rule("publication:\n  date: 2026-04-02\n", "MO041");
    assert!(
        plain[0]
            .4
            .contains("working days after the decision of 12 March 2026"),
        "{plain:?}"
    );
}

/// Row 13: a product chosen in advance from a framework is a direct award.
#[test]
fn a_direct_award_from_a_framework_needs_a_justification() {
    let framework = |award: &str| {
        format!(
            "procurement:\n  route: framework_call_off\n  contract_value: 180000\n  framework:\n    name: BlueLight BWV\n    award: {award}\n"
        )
    };
    let found = of_rule(&framework("direct"), "MO033");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].4.starts_with("the supplier was chosen by direct award from the framework BlueLight BWV, but no waiver of contract standing orders is recorded"),
        "{found:?}"
    );
    assert_eq!(found[0].2, 16, "at the route: {found:?}");
    assert!(of_rule(&framework("mini_competition"), "MO033").is_empty());
}
