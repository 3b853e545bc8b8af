//! Record format 2, rows 1-3 and 5-8 of issue 14: real notices recorded as they are written
//! (a report by the chief executive, "not applicable" boxes, a sign-off by title, a joint
//! decision, an acting PCC, a force employee, a decision minuted at a board), with the finding
//! each one gets, where it points, and the twin that passes.

use serde_json::Value;

use crate::support::{rule_findings, rule_findings_with};

/// The one finding of `rule`, checked for its severity and place (path, line, column).
fn only(record: &str, rule: &str, severity: &str, place: (&str, u64, u64)) -> Value {
    let found = rule_findings(record, rule);
    assert_eq!(found.len(), 1, "{rule}: {found:#?}");
    let finding = found.into_iter().next().unwrap();
    assert_eq!(finding["severity"], severity, "{finding:#?}");
    assert_eq!(
        (
            finding["path"].as_str().unwrap(),
            finding["line"].as_u64().unwrap(),
            finding["column"].as_u64().unwrap()
        ),
        place,
        "{finding:#?}"
    );
    finding
}

fn message(finding: &Value) -> &str {
    finding["message"].as_str().unwrap()
}

fn passes(record: &str, rules: &[&str]) {
    for rule in rules {
        let found = rule_findings(record, rule);
        assert!(found.is_empty(), "{rule}: {found:#?}");
    }
}

/// Row 1: a policy decision on a report the chief executive wrote; no separate sign-off.
const CE_REPORT: &str = r"reference: OPCC.D.041.26
title: Victims' hub opening hours
type: policy
status: decided
summary: Open the victims' hub on Saturday mornings from April 2026.
decision_maker:
  role: pcc
  name: Matthew Scott
decided_on: 2026-03-18
prepared_by:
  name: Adrian Harper
  role: chief_executive
  date: 2026-03-11
advice:
  legal:
    by: Force Solicitor
    date: 2026-03-09
  equality:
    assessment: screening
    date: 2026-03-04
    reference: EIA-2026-05
interests:
  declaration: true
";

/// Row 2: Kent's form for a decision personally the PCC's: the statutory officers' boxes
/// read "not applicable".
const DIRECT: &str = r"reference: OPCC.D.036.25
title: Chief Constable appointment - retire and rehire
type: chief_constable_appointment
status: decided
summary: Reappoint the Chief Constable, after retirement, for a further two years.
decision_maker:
  role: pcc
  name: Matthew Scott
decided_on: 2025-06-20
advice:
  chief_executive:
    not_required: Not applicable - direct decision for the PCC
  chief_finance_officer:
    not_required: Not applicable - direct decision for the PCC
  legal:
    not_required: Not applicable - direct decision for the PCC
consultation:
  police_and_crime_panel:
    date: 2025-06-10
interests:
  declaration: true
";

/// Row 2: the same words on a grant that spends money and touches equality.
const GRANT: &str = r"reference: OPCC.D.052.25
title: Victims' hub grant 2025/26
type: grant
status: decided
summary: Grant to Victim Support for the victims' hub in 2025/26.
decision_maker:
  role: pcc
  name: Matthew Scott
decided_on: 2025-07-02
financial:
  amount: 48000
  funding_source: Ministry of Justice victims' services grant 2025/26
advice:
  chief_executive:
    name: Adrian Harper
    date: 2025-06-30
  chief_finance_officer:
    not_required: Not applicable - direct decision for the PCC
  equality:
    not_required: Not applicable - direct decision for the PCC
interests:
  declaration: true
";

/// Row 3: a form signed off with the office's title, not the person's name.
const TITLE: &str = r"reference: 073/2026
title: Replacement of the custody CCTV system
type: capital_programme
status: decided
summary: Replace the custody CCTV system at Harrogate and Northallerton.
decision_maker:
  role: pcc
  name: Zoe Metcalfe
decided_on: 2026-04-14
financial:
  amount: 86400
  kind: capital
  funding_source: Capital programme 2026/27
advice:
  chief_executive:
    name: Simon Dennis
    date: 2026-04-10
  chief_finance_officer:
    title: Chief Finance Officer
    date: 2026-04-09
    certified_amount: 86400
interests:
  declaration: true
";

/// Row 5: a collaboration agreement signed jointly by the PCC and the chief constable.
const JOINT: &str = r"reference: PCC/D/2026/07
title: Regional organised crime unit collaboration agreement
type: collaboration_agreement
status: decided
force_business: true
summary: Renew the section 22A agreement for the regional organised crime unit.
decision_maker:
  role: pcc
  name: John Campion
  joint_with:
    role: chief_constable
    name: Richard Cooper
decided_on: 2026-05-06
advice:
  chief_executive:
    name: Andy Champness
    date: 2026-04-30
  legal:
    by: Force Solicitor
    date: 2026-04-28
interests:
  declaration: true
";

/// Row 6: the plan issued by an acting PCC.
const ACTING: &str = r"reference: WPCC4-0071
title: Police and crime plan 2026-2029
type: police_and_crime_plan
status: decided
summary: Issue the police and crime plan for 2026 to 2029.
decision_maker:
  role: acting_pcc
  name: Emma Daniell
decided_on: 2026-06-02
advice:
  chief_executive:
    name: Polly Reed
    date: 2026-05-28
  equality:
    assessment: full
    date: 2026-05-20
    reference: EIA-2026-11
consultation:
  chief_constable:
    name: Alex Franklin-Smith
    date: 2026-05-12
  police_and_crime_panel:
    date: 2026-05-18
interests:
  declaration: true
";

/// Row 7: a decision taken under the PCC's scheme by a member of the force's staff.
const FORCE: &str = r"reference: PCC-2026-014
title: Fleet telematics licence renewal
type: contract_award
status: decided
summary: Renew the fleet telematics software licence for one year.
decision_maker:
  role: other_officer
  name: Rachel Whitaker
  authority: Scheme of consent para 5.4
  employed_by: force
decided_on: 2026-02-17
financial:
  amount: 18500
  kind: revenue
  funding_source: Fleet revenue budget 2025/26
advice:
  chief_executive:
    name: Andy Champness
    date: 2026-02-12
  chief_finance_officer:
    name: Louise Tranham
    date: 2026-02-12
    certified_amount: 18500
  legal:
    by: Force Solicitor
    date: 2026-02-10
procurement:
  route: quotes
  contract_value: 18500
interests:
  declaration: true
";

/// Row 8: an estate sale agreed at a board the chief executive attended, minuted only.
const MEETING: &str = r"reference: DCPCC/2026/033
title: Sale of the former Okehampton police station
type: estates
status: decided
summary: Sell the former Okehampton police station at auction.
decision_maker:
  role: pcc
  name: Alison Hernandez
decided_on: 2026-03-26
financial:
  amount: 640000
  direction: income
taken_at:
  meeting: Policing and Crime Joint Executive
  date: 2026-03-24
  attended_by:
    - name: Alison Hernandez
      role: pcc
    - name: Frances Hughes
      role: chief_executive
advice:
  chief_finance_officer:
    name: Nicola Allen
    date: 2026-03-20
    certified_amount: 640000
  legal:
    by: Womble Bond Dickinson
    date: 2026-03-18
  equality:
    assessment: not_relevant
    reason: The sale of a vacant building changes no service
    date: 2026-03-18
interests:
  declaration: true
";

// Row 1: the chief executive wrote the report.

#[test]
fn a_dated_report_by_the_chief_executive_is_their_advice() {
    passes(CE_REPORT, &["MO010", "MO011", "MO067"]);
}

#[test]
fn a_report_by_the_chief_executive_after_the_decision_came_too_late() {
    let late = CE_REPORT.replace("date: 2026-03-11", "date: 2026-03-20");
    let finding = only(&late, "MO011", "error", ("prepared_by.date", 13, 9));
    assert_eq!(
        message(&finding),
        "the chief executive's report is dated 20 March 2026, 2 days after the decision of 18 March 2026"
    );
}

#[test]
fn a_report_that_is_no_evidence_says_what_is_missing() {
    let undated = CE_REPORT.replace("  date: 2026-03-11\n", "");
    let finding = only(&undated, "MO010", "error", ("prepared_by", 10, 1));
    assert!(
        message(&finding).ends_with("; the report is by the chief executive but not dated"),
        "{finding:#?}"
    );
    let by_the_force = CE_REPORT.replace("role: chief_executive", "role: force_officer");
    let finding = only(
        &by_the_force,
        "MO010",
        "error",
        ("advice.chief_executive", 14, 1),
    );
    assert_eq!(
        message(&finding),
        "the record does not show that the chief executive, as monitoring officer, advised on this decision; the report is by Adrian Harper, a force officer, not the chief executive"
    );
}

// Row 2: "not applicable, direct decision for the PCC".

#[test]
fn the_chief_executive_cannot_be_marked_not_required() {
    let finding = only(DIRECT, "MO010", "error", ("advice.chief_executive", 11, 3));
    assert_eq!(
        message(&finding),
        "the chief executive's advice is marked \"Not applicable - direct decision for the PCC\", but the chief executive, as monitoring officer, must be able to advise on every decision that binds the PCC, and the record shows no advice from them"
    );
}

#[test]
fn not_required_stands_for_legal_advice_and_for_a_cfo_with_nothing_to_sign() {
    // The chief constable's appointment needs legal advice (MO012), but the catalogue asks for
    // it where necessary; and the decision has no financial effect (MO014).
    passes(DIRECT, &["MO012", "MO014", "MO015", "MO016"]);
}

#[test]
fn the_cfo_and_equality_cannot_be_marked_not_required_where_the_duty_bites() {
    let finding = only(GRANT, "MO014", "error", ("financial.amount", 11, 11));
    assert_eq!(
        message(&finding),
        "the decision commits £48,000 but the chief finance officer's sign-off is marked \"Not applicable - direct decision for the PCC\", though the CFO must advise on any decision with a financial effect"
    );
    let finding = only(
        GRANT,
        "MO050",
        "error",
        ("advice.equality.not_required", 20, 19),
    );
    assert_eq!(
        message(&finding),
        "the record says equality was \"Not applicable - direct decision for the PCC\", but the duty to have due regard to equality applies to every exercise of the PCC's functions, and the record does not show how it was had for a grant decision"
    );
}

// Row 3: a sign-off by the office's title, with no name.

#[test]
fn a_sign_off_by_title_counts_as_signed_and_says_who_signed_is_unknown() {
    passes(TITLE, &["MO014", "MO015", "MO016", "MO001"]);
    let finding = only(
        TITLE,
        "MO066",
        "info",
        ("advice.chief_finance_officer.title", 19, 12),
    );
    assert_eq!(
        message(&finding),
        "the chief finance officer's sign-off reads \"Chief Finance Officer\", an office and not a person, so mocheck cannot confirm that the chief executive and the CFO were different people or that the signatory held the office that day"
    );
    // Both officers by title: one finding naming both.
    let both = TITLE.replace("    name: Simon Dennis", "    title: Chief Executive");
    let finding = only(
        &both,
        "MO066",
        "info",
        ("advice.chief_executive.title", 16, 12),
    );
    assert!(
        message(&finding).starts_with("the chief executive's advice is signed \"Chief Executive\" and the chief finance officer's sign-off reads \"Chief Finance Officer\", offices and not people"),
        "{finding:#?}"
    );
    passes(&both, &["MO010", "MO011", "MO001"]);
    // With a roster the name cannot be compared either: MO002 says nothing, MO066 says why.
    let roster = "[[office.holder]]\nrole = \"chief_finance_officer\"\nname = \"Michael Porter\"\nfrom = 2023-01-09\n";
    assert!(rule_findings_with(TITLE, "MO002", Some(roster)).is_empty());
    assert_eq!(rule_findings_with(TITLE, "MO066", Some(roster)).len(), 1);
}

#[test]
fn a_sign_off_by_title_after_the_decision_came_too_late() {
    let late = TITLE.replace("date: 2026-04-09", "date: 2026-04-16");
    let finding = only(
        &late,
        "MO015",
        "error",
        ("advice.chief_finance_officer.date", 20, 11),
    );
    assert_eq!(
        message(&finding),
        "the CFO signed off on 16 April 2026, 2 days after the decision of 14 April 2026"
    );
}

// Row 5: a joint decision with the chief constable.

#[test]
fn the_joint_signature_gives_the_chief_constables_view() {
    passes(JOINT, &["MO062", "MO003", "MO004"]);
    let alone = JOINT.replace(
        "  joint_with:\n    role: chief_constable\n    name: Richard Cooper\n",
        "",
    );
    let finding = only(&alone, "MO062", "warning", ("force_business", 5, 17));
    assert_eq!(
        message(&finding),
        "this decision concerns the force's business, but the record gives no date for the chief constable's view"
    );
    // A plan signed jointly needs no separate consultation of the chief constable (MO060).
    let plan = ACTING
        .replace(
            "role: acting_pcc",
            "role: pcc\n  joint_with:\n    role: chief_constable\n    name: Alex Franklin-Smith",
        )
        .replace(
            "  chief_constable:\n    name: Alex Franklin-Smith\n    date: 2026-05-12\n",
            "",
        );
    passes(&plan, &["MO060", "MO062"]);
}

#[test]
fn a_joint_decision_is_still_the_pccs_and_needs_its_advice() {
    let unadvised = JOINT.replace(
        "  legal:\n    by: Force Solicitor\n    date: 2026-04-28\n",
        "",
    );
    let finding = only(&unadvised, "MO012", "error", ("advice.legal", 14, 1));
    assert_eq!(
        message(&finding),
        "a collaboration agreement decision needs legal advice, but the record shows none"
    );
}

// Row 6: an acting PCC.

#[test]
fn an_acting_pcc_taking_a_reserved_decision_is_a_warning_worded_as_unverified() {
    let finding = only(ACTING, "MO068", "warning", ("decision_maker.role", 7, 9));
    assert_eq!(
        message(&finding),
        "issuing the police and crime plan is reserved to the PCC personally, and this decision was taken by an acting PCC, Emma Daniell: what an acting PCC may do has not been verified, so the monitoring officer should confirm the basis of the appointment and that it covers this decision"
    );
    assert_eq!(
        finding["basis"][0],
        "PRSRA 2011 s.18 (functions the PCC may not arrange for others to exercise), as OPCCs summarise it"
    );
    passes(ACTING, &["MO003", "MO004"]);
    // A decision that is not reserved is no concern of MO068's, and an acting PCC is no delegate.
    let grant = ACTING.replace("type: police_and_crime_plan", "type: grant");
    passes(&grant, &["MO068", "MO003", "MO004"]);
}

// Row 7: a member of the force's staff as decision maker.

#[test]
fn a_decision_by_force_staff_is_reported_as_a_delegation_s18_forbids() {
    let finding = only(
        FORCE,
        "MO004",
        "error",
        ("decision_maker.employed_by", 10, 16),
    );
    assert_eq!(
        message(&finding),
        "an officer, Rachel Whitaker, took this decision as a member of the force, but a PCC may not arrange for a constable or the staff of a force to exercise its functions (PRSRA 2011 s.18, as OPCCs summarise it; the text of s.18 has not been confirmed)"
    );
    assert_eq!(finding["basis"][0], "PRSRA 2011 s.18");
    let opcc = FORCE.replace("employed_by: force", "employed_by: opcc");
    passes(&opcc, &["MO004"]);
}

// Row 8: a decision taken at a meeting the chief executive attended.

#[test]
fn attendance_is_evidence_of_advice_at_warning() {
    passes(MEETING, &["MO010", "MO011"]);
    let finding = only(
        MEETING,
        "MO067",
        "warning",
        ("taken_at.attended_by[1]", 19, 7),
    );
    assert_eq!(
        message(&finding),
        "the chief executive was present at the Policing and Crime Joint Executive on 24 March 2026, but the record holds no written advice from them, so it does not show what they advised"
    );
    let minuted = MEETING.replace(
        "advice:\n",
        "advice:\n  chief_executive:\n    name: Frances Hughes\n    date: 2026-03-24\n    comments: Advised at the meeting; minute 6.3\n",
    );
    passes(&minuted, &["MO067", "MO010", "MO011"]);
}

#[test]
fn a_meeting_without_the_chief_executive_or_after_the_decision_is_no_evidence() {
    let absent = MEETING.replace(
        "    - name: Frances Hughes\n      role: chief_executive\n",
        "    - name: Nicola Allen\n      role: chief_finance_officer\n",
    );
    let finding = only(&absent, "MO010", "error", ("advice.chief_executive", 21, 1));
    assert!(
        message(&finding)
            .ends_with("; the record of the meeting does not list the chief executive as present"),
        "{finding:#?}"
    );
    let later = MEETING.replace("  date: 2026-03-24", "  date: 2026-03-27");
    let finding = only(&later, "MO011", "error", ("taken_at.date", 15, 9));
    assert_eq!(
        message(&finding),
        "the meeting the chief executive attended was on 27 March 2026, 1 day after the decision of 26 March 2026"
    );
    passes(&later, &["MO067"]);
}
