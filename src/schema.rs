//! `mocheck schema`: the JSON Schema (draft-07) of the decision record format, generated from
//! the field table in [`crate::load::schema`] so that editors and the checker cannot disagree.
//! No I/O here: the caller prints the text.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use crate::load::schema::{Field, Kind, RECORD};

/// Without these a record cannot be checked at all (MO090); every other field may be absent
/// or null, because a missing sign-off is a rule's finding, not a format error.
// A missing `reference` is MO100, not unreadable (version 2), so the editor does not demand it.
const REQUIRED: &[&str] = &["title", "type", "status"];

/// A date, or a date-time whose day is what counts, as the loader accepts them.
const DATE_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$";

/// What editors say when a date or a sum is written wrongly (yaml-language-server and VS Code
/// read `patternErrorMessage` and `errorMessage`), in the words the checker uses.
const DATE_MESSAGE: &str = "must be a date like 2025-04-10 (year, month, day)";
const MONEY_MESSAGE: &str =
    "must be a plain number of pounds including VAT, like 1250000 or 69024.09 (no £ or commas)";

/// One line for each value of every enumeration, shown by editors as the value is chosen.
/// A test requires one for every value the format has.
const ENUM_DESCRIPTIONS: &[(&str, &str)] = &[
    (
        "police_and_crime_plan",
        "Issuing or varying the police and crime plan (reserved to the PCC).",
    ),
    (
        "police_and_crime_objectives",
        "Setting police and crime objectives (reserved to the PCC).",
    ),
    (
        "annual_report",
        "The PCC's annual report (reserved to the PCC).",
    ),
    (
        "precept",
        "The council tax precept (reserved to the PCC; Police and Crime Panel scrutiny).",
    ),
    ("budget", "The annual budget (reserved to the PCC)."),
    (
        "chief_constable_appointment",
        "Appointing, suspending or removing the chief constable (reserved to the PCC).",
    ),
    ("contract_award", "Awarding a contract to a supplier."),
    ("tender_approval", "Approving the start of a procurement."),
    ("grant", "A grant to another body."),
    (
        "commissioning",
        "Commissioning a service, e.g. victims' services.",
    ),
    (
        "collaboration_agreement",
        "An agreement with other forces or bodies (Police Act 1996 s.22A).",
    ),
    ("estates", "Buying, selling or leasing land or buildings."),
    (
        "staffing",
        "OPCC staffing: posts, structures, appointments.",
    ),
    ("policy", "Adopting or changing a policy."),
    (
        "governance_framework",
        "Scheme of consent, financial regulations or other governance documents.",
    ),
    (
        "treasury_management",
        "Treasury management strategy or borrowing.",
    ),
    (
        "statement_of_accounts",
        "Approving the statement of accounts.",
    ),
    ("capital_programme", "The capital programme."),
    (
        "budget_monitoring",
        "Budget monitoring, virements and use of reserves.",
    ),
    ("indemnity", "An indemnity, e.g. for an officer."),
    ("other", "Any other decision."),
    ("proposed", "Not yet decided: checked as if decided today."),
    ("decided", "Decided: checked against its decision date."),
    ("withdrawn", "Withdrawn: not checked."),
    ("pcc", "The Police and Crime Commissioner."),
    ("deputy_pcc", "The Deputy PCC."),
    (
        "chief_executive",
        "The chief executive, who is also the monitoring officer.",
    ),
    ("chief_finance_officer", "The PCC's chief finance officer."),
    (
        "other_officer",
        "Another officer, under the scheme of consent.",
    ),
    ("full", "A full equality impact assessment."),
    ("screening", "An equality screening."),
    (
        "not_relevant",
        "The equality duty was considered and found not relevant.",
    ),
    (
        "acting_pcc",
        "A person acting as PCC during a vacancy or incapacity.",
    ),
    (
        "force_officer",
        "An officer or member of staff of the force.",
    ),
    ("opcc", "The office of the PCC."),
    ("force", "The police force (the chief constable)."),
    ("chief_constable", "The chief constable."),
    ("revenue", "Revenue spending."),
    ("expenditure", "The decision spends money (the default)."),
    ("goods", "A contract for goods."),
    (
        "direct",
        "The supplier was chosen in advance, without a further competition.",
    ),
    (
        "mini_competition",
        "The supplier was chosen by a further competition among the framework's suppliers.",
    ),
    ("services", "A contract for services."),
    (
        "works",
        "A contract for works: building or civil engineering, with its own threshold.",
    ),
    (
        "concession",
        "A concession: the supplier is paid by the right to exploit the work or service.",
    ),
    ("capital", "Capital spending."),
    ("reserve", "Use of reserves."),
    (
        "income",
        "Income to the PCC, e.g. a sale or a grant received.",
    ),
    (
        "liability",
        "A liability, e.g. a guarantee or an indemnity.",
    ),
    ("none", "No financial effect."),
    ("open_tender", "An open tender."),
    ("restricted_tender", "A restricted tender."),
    (
        "competitive_flexible",
        "A competitive flexible procedure (Procurement Act 2023).",
    ),
    ("framework_call_off", "A call-off from a framework."),
    ("quotes", "Quotations, under contract standing orders."),
    ("direct_award", "A direct award without competition."),
    ("existing_contract", "Under an existing contract."),
    ("open", "Published in full."),
    ("part", "Published with parts withheld."),
    ("confidential", "Withheld in full."),
    (
        "s5",
        "The monitoring officer's report (PRSRA 2011 Sch 1 para 6 and LGHA 1989 s.5).",
    ),
    (
        "s114",
        "The chief finance officer's report (LGFA 1988 s.114).",
    ),
];

fn enum_description(value: &str) -> &'static str {
    ENUM_DESCRIPTIONS
        .iter()
        .find(|(known, _)| *known == value)
        .map_or("", |(_, description)| description)
}

/// A schema node whose keys stay in the order written. `serde_json`'s own map sorts its keys,
/// which would list a record's fields alphabetically instead of in the format's order.
enum Node {
    Leaf(Value),
    Map(Vec<(&'static str, Node)>),
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Leaf(value) => value.serialize(serializer),
            Node::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// The schema as pretty-printed JSON, ending in a newline.
pub fn record_schema() -> String {
    let root = Node::Map(vec![
        ("$schema", leaf("http://json-schema.org/draft-07/schema#")),
        ("title", leaf("PCC decision record")),
        (
            "description",
            leaf(
                "A decision of a Police and Crime Commissioner, or of an officer under the \
                 scheme of consent, in mocheck's decision record format, version 1. \
                 Generated by `mocheck schema`.",
            ),
        ),
        ("type", leaf("object")),
        ("properties", properties(RECORD, REQUIRED)),
        ("required", Node::Leaf(json!(REQUIRED))),
        ("additionalProperties", Node::Leaf(Value::Bool(false))),
    ]);
    let mut text = serde_json::to_string_pretty(&root).expect("a schema always serialises");
    text.push('\n');
    text
}

fn leaf(text: &str) -> Node {
    Node::Leaf(Value::String(text.to_string()))
}

fn properties(fields: &'static [Field], required: &[&str]) -> Node {
    Node::Map(
        fields
            .iter()
            .map(|field| (field.name, property(field, !required.contains(&field.name))))
            .collect(),
    )
}

/// One field. An optional field also accepts null, which the format reads as "not recorded".
fn property(field: &'static Field, optional: bool) -> Node {
    let with_null = |type_name: &str| {
        if optional {
            json!([type_name, "null"])
        } else {
            json!(type_name)
        }
    };
    let description = ("description", leaf(field.doc));
    let entries = match &field.kind {
        Kind::Text if optional => vec![description, ("type", Node::Leaf(with_null("string")))],
        // The loader reads a blank required value as missing, so say so to the editor too.
        Kind::Text => vec![
            description,
            ("type", leaf("string")),
            ("pattern", leaf(r"\S")),
        ],
        Kind::Bool => vec![description, ("type", Node::Leaf(with_null("boolean")))],
        Kind::Money => vec![
            description,
            ("type", Node::Leaf(with_null("number"))),
            ("errorMessage", leaf(MONEY_MESSAGE)),
        ],
        Kind::Date => vec![
            description,
            ("type", Node::Leaf(with_null("string"))),
            ("pattern", leaf(DATE_PATTERN)),
            ("patternErrorMessage", leaf(DATE_MESSAGE)),
        ],
        Kind::Enum(allowed) => {
            let mut values: Vec<Value> = allowed.iter().map(|value| json!(value)).collect();
            let mut descriptions: Vec<Value> = allowed
                .iter()
                .map(|value| json!(enum_description(value)))
                .collect();
            if optional {
                values.push(Value::Null);
                descriptions.push(json!("Not recorded."));
            }
            vec![
                description,
                ("enum", Node::Leaf(Value::Array(values))),
                ("enumDescriptions", Node::Leaf(Value::Array(descriptions))),
            ]
        }
        Kind::Enums(allowed) => {
            // One value, or a list of them: written out as JSON, since the two shapes share
            // the values and the editor shows each value's description from the first.
            let descriptions: Vec<Value> = allowed
                .iter()
                .map(|value| json!(enum_description(value)))
                .collect();
            let one = json!({"enum": allowed, "enumDescriptions": descriptions});
            let several = json!({
                "type": "array",
                "items": {"enum": allowed},
                "minItems": 1,
                "uniqueItems": true,
            });
            vec![description, ("anyOf", Node::Leaf(json!([one, several])))]
        }
        Kind::Object(children) => {
            let mut entries = vec![description, ("type", Node::Leaf(with_null("object")))];
            entries.extend(object_body(children));
            entries
        }
        Kind::List(children) => {
            let mut item = vec![("type", leaf("object"))];
            item.extend(object_body(children));
            vec![
                description,
                ("type", Node::Leaf(with_null("array"))),
                ("items", Node::Map(item)),
            ]
        }
    };
    Node::Map(entries)
}

/// The fields of a mapping, all optional, and no others: an unknown key is a typo that could
/// hide a missing sign-off, so the editor should underline it as the checker warns of it.
fn object_body(children: &'static [Field]) -> Vec<(&'static str, Node)> {
    vec![
        ("properties", properties(children, &[])),
        ("additionalProperties", Node::Leaf(Value::Bool(false))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enum_values(fields: &'static [Field], out: &mut Vec<&'static str>) {
        for field in fields {
            match &field.kind {
                Kind::Enum(values) | Kind::Enums(values) => out.extend(values.iter()),
                Kind::Object(children) | Kind::List(children) => enum_values(children, out),
                _ => {}
            }
        }
    }

    #[test]
    fn every_enumeration_value_has_a_description() {
        let mut values = Vec::new();
        enum_values(RECORD, &mut values);
        assert!(values.len() > 40);
        for value in values {
            assert!(
                !enum_description(value).is_empty(),
                "`{value}` has no description"
            );
        }
    }
}
