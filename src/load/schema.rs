//! The decision record format, version 2, as one table of fields. It drives the record
//! builder, unknown-key suggestions, the values rules see and the JSON Schema.

/// What a field holds.
#[derive(Debug)]
pub enum Kind {
    Text,
    Bool,
    /// `YYYY-MM-DD`, or a date-time that is compared by its day.
    Date,
    /// Pounds sterling including VAT, as a plain number.
    Money,
    Enum(&'static [&'static str]),
    /// One of these values, or a list of them (`type: [budget, precept]`, version 2): a
    /// notice that is several kinds of decision at once is checked as each of them.
    Enums(&'static [&'static str]),
    Object(&'static [Field]),
    /// A list of mappings with these fields.
    List(&'static [Field]),
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
}

const fn field(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field { name, kind, doc }
}

pub const RESERVED_TYPES: &[&str] = &[
    "police_and_crime_plan",
    "police_and_crime_objectives",
    "annual_report",
    "precept",
    "budget",
    "chief_constable_appointment",
];

pub const TYPES: &[&str] = &[
    "police_and_crime_plan",
    "police_and_crime_objectives",
    "annual_report",
    "precept",
    "budget",
    "chief_constable_appointment",
    "contract_award",
    "tender_approval",
    "grant",
    "commissioning",
    "collaboration_agreement",
    "estates",
    "staffing",
    "policy",
    "governance_framework",
    "treasury_management",
    "statement_of_accounts",
    "capital_programme",
    "budget_monitoring",
    "indemnity",
    "other",
];

pub const STATUSES: &[&str] = &["proposed", "decided", "withdrawn"];

pub const ROLES: &[&str] = &[
    "pcc",
    "deputy_pcc",
    "chief_executive",
    "chief_finance_officer",
    "other_officer",
];

/// Who may take a decision: the roles above, and an acting PCC (new in version 2).
pub const DECISION_ROLES: &[&str] = &[
    "pcc",
    "acting_pcc",
    "deputy_pcc",
    "chief_executive",
    "chief_finance_officer",
    "other_officer",
];

/// Who may have written the report a decision was taken on (new in version 2).
pub const PREPARER_ROLES: &[&str] = &[
    "chief_executive",
    "chief_finance_officer",
    "pcc",
    "deputy_pcc",
    "force_officer",
];

const TITLE_DOC: &str = "The office that signed, when the notice gives the office and not the person (e.g. `Chief Finance Officer`).";
const NOT_REQUIRED_DOC: &str = "Why the record says this advice was not needed, in the notice's words (e.g. `Not applicable, direct decision for the PCC`).";

const SIGNATURE: &[Field] = &[
    field("name", Kind::Text, "Name of the person who signed."),
    field("date", Kind::Date, "Date of the signature."),
    field("comments", Kind::Text, "Their comments."),
    field("title", Kind::Text, TITLE_DOC),
    field("not_required", Kind::Text, NOT_REQUIRED_DOC),
];

const CFO_SIGNATURE: &[Field] = &[
    field("name", Kind::Text, "Name of the chief finance officer who signed."),
    field("date", Kind::Date, "Date of the sign-off."),
    field("comments", Kind::Text, "The CFO's comments."),
    field("certified_amount", Kind::Money, "The amount the CFO certified, in pounds including VAT."),
    field("concern", Kind::Bool, "True when the CFO considers the spending may be unlawful or unaffordable."),
    field("robustness_report", Kind::Date, "Date of the CFO's report on the robustness of estimates and adequacy of reserves (budget and precept)."),
    field("title", Kind::Text, TITLE_DOC),
    field("not_required", Kind::Text, NOT_REQUIRED_DOC),
];

const ADVICE: &[Field] = &[
    field(
        "chief_executive",
        Kind::Object(SIGNATURE),
        "The chief executive's (monitoring officer's) review.",
    ),
    field(
        "chief_finance_officer",
        Kind::Object(CFO_SIGNATURE),
        "The chief finance officer's review.",
    ),
    field(
        "legal",
        Kind::Object(&[
            field("by", Kind::Text, "Who gave the legal advice."),
            field("date", Kind::Date, "When it was given."),
            field("reference", Kind::Text, "Reference of the advice."),
            field("summary", Kind::Text, "What it said, in short."),
            field("not_required", Kind::Text, NOT_REQUIRED_DOC),
        ]),
        "Legal advice taken.",
    ),
    field(
        "equality",
        Kind::Object(&[
            field(
                "assessment",
                Kind::Enum(&["full", "screening", "not_relevant"]),
                "How the public sector equality duty was considered.",
            ),
            field("date", Kind::Date, "When."),
            field("reference", Kind::Text, "Reference of the assessment."),
            field(
                "reason",
                Kind::Text,
                "Why the duty is not relevant (needed with `not_relevant`).",
            ),
            field("not_required", Kind::Text, NOT_REQUIRED_DOC),
        ]),
        "How the public sector equality duty was considered.",
    ),
];

const CONSULTATION: &[Field] = &[
    field(
        "chief_constable",
        Kind::Object(&[
            field(
                "name",
                Kind::Text,
                "The chief constable or chief officer consulted.",
            ),
            field("date", Kind::Date, "When their view was given."),
        ]),
        "The chief constable's (or a chief officer's) view.",
    ),
    field(
        "audit_committee",
        Kind::Object(&[
            field("body", Kind::Text, "The committee."),
            field("date", Kind::Date, "When it reviewed the decision."),
        ]),
        "Review by the joint audit committee.",
    ),
    field(
        "police_and_crime_panel",
        Kind::Object(&[field(
            "date",
            Kind::Date,
            "When the panel was consulted or notified.",
        )]),
        "The police and crime panel.",
    ),
    field(
        "public",
        Kind::Object(&[
            field("from", Kind::Date, "First day of the public consultation."),
            field("to", Kind::Date, "Last day of the public consultation."),
        ]),
        "A public consultation period.",
    ),
];

/// Every field of a record, in the order of the format.
pub const RECORD: &[Field] = &[
    field("reference", Kind::Text, "The OPCC's decision reference, unique in the repository."),
    field("title", Kind::Text, "Short title."),
    field("type", Kind::Enums(TYPES), "What kind of decision this is; a list, e.g. `[budget, precept]`, when one notice takes several kinds of decision at once (version 2)."),
    field("status", Kind::Enum(STATUSES), "`proposed`, `decided` or `withdrawn`."),
    field("summary", Kind::Text, "The executive summary or recommendation."),
    field(
        "decision_maker",
        Kind::Object(&[
            field("role", Kind::Enum(DECISION_ROLES), "Who took the decision."),
            field("name", Kind::Text, "Name of the person who signed."),
            field("authority", Kind::Text, "The power relied on: the scheme-of-consent paragraph or delegation."),
            field("employed_by", Kind::Enum(&["opcc", "force", "other"]), "Who employs the decision maker: the OPCC, the force, or another body."),
            field(
                "joint_with",
                Kind::Object(&[
                    field("role", Kind::Enum(&["chief_constable"]), "The other party to a joint decision."),
                    field("name", Kind::Text, "Their name, as signed."),
                ]),
                "The other signatory of a joint decision (the chief constable).",
            ),
        ]),
        "Who took the decision.",
    ),
    field(
        "prepared_by",
        Kind::Object(&[
            field("name", Kind::Text, "Who wrote the report the decision was taken on."),
            field("role", Kind::Enum(PREPARER_ROLES), "Their office."),
            field("date", Kind::Date, "The date of the report."),
        ]),
        "The author of the report the decision was taken on (its originator or lead officer).",
    ),
    field(
        "taken_at",
        Kind::Object(&[
            field("meeting", Kind::Text, "The board or meeting, e.g. `Executive Board`."),
            field("date", Kind::Date, "The date of the meeting."),
            field(
                "attended_by",
                Kind::List(&[
                    field("name", Kind::Text, "Who attended."),
                    field("role", Kind::Enum(PREPARER_ROLES), "Their office."),
                ]),
                "Who the minutes record as present, by name, role or both.",
            ),
        ]),
        "The meeting at which the decision was taken.",
    ),
    field("decided_on", Kind::Date, "The date the decision was signed: from then it binds the PCC."),
    field("planned_on", Kind::Date, "For a proposal: the date it is planned to be signed. `mocheck due` counts the advice still needed from it."),
    field("urgent", Kind::Bool, "Taken under an urgency procedure."),
    field("urgency_reason", Kind::Text, "Why it could not wait."),
    field("significant_public_interest", Kind::Bool, "A decision of significant public interest, which must be published."),
    field("force_business", Kind::Bool, "A decision about the force's business."),
    field(
        "financial",
        Kind::Object(&[
            field("amount", Kind::Money, "Total value committed, whole-life, including VAT, in pounds."),
            field("kind", Kind::Enum(&["revenue", "capital", "reserve", "income", "liability", "none"]), "The kind of financial effect."),
            field("direction", Kind::Enum(&["expenditure", "income"]), "Whether the decision spends money or brings it in (an estate sale, a grant received); `kind: income` means income too (version 2)."),
            field("funding_source", Kind::Text, "Budget line, capital programme, named reserve or grant."),
            field("within_approved_budget", Kind::Bool, "False when the spending is outside the approved budget."),
            field("virement", Kind::Text, "Reference of the virement or reserve approval when outside the budget."),
        ]),
        "The decision's financial effect.",
    ),
    field("advice", Kind::Object(ADVICE), "Advice taken before the decision."),
    field("consultation", Kind::Object(CONSULTATION), "Who was consulted."),
    field(
        "procurement",
        Kind::Object(&[
            field("route", Kind::Enum(&["open_tender", "restricted_tender", "competitive_flexible", "framework_call_off", "quotes", "direct_award", "existing_contract"]), "How the supplier was chosen."),
            field("contract_value", Kind::Money, "Estimated contract value including VAT, in pounds."),
            field("category", Kind::Enum(&["goods", "services", "works", "concession"]), "What is bought: the statutory threshold depends on it (version 2)."),
            field(
                "framework",
                Kind::Object(&[
                    field("name", Kind::Text, "The framework called off from."),
                    field("award", Kind::Enum(&["direct", "mini_competition"]), "How the supplier was chosen under it."),
                ]),
                "The framework of a call-off (version 2).",
            ),
            field(
                "waiver",
                Kind::Object(&[
                    field("reason", Kind::Text, "Why contract standing orders were waived."),
                    field("approved_by", Kind::Text, "Who approved the waiver."),
                    field("date", Kind::Date, "When it was approved."),
                ]),
                "The waiver of contract standing orders.",
            ),
        ]),
        "How the supplier was chosen.",
    ),
    field(
        "precept",
        Kind::Object(&[
            field("proposed_on", Kind::Date, "When the Commissioner signed the proposed precept."),
            field("notified_to_panel_on", Kind::Date, "When the proposed precept was sent to the police and crime panel (by 1 February)."),
            field("panel_meeting_on", Kind::Date, "When the panel met to review the proposal."),
            field("panel_report_on", Kind::Date, "When the panel made its report on the proposal (by 8 February)."),
            field("vetoed", Kind::Bool, "True when the panel vetoed the proposed precept."),
            field("response_on", Kind::Date, "After a veto: when the Commissioner responded with a revised precept (by 15 February)."),
            field("panel_response_on", Kind::Date, "After a veto: when the panel answered the revised precept (by 22 February), which ends its scrutiny."),
        ]),
        "The precept's steps under Schedule 5 to the 2011 Act, on the record of the final precept (version 2).",
    ),
    field(
        "conditional_on",
        Kind::Object(&[
            field("what", Kind::Text, "The later step, in the notice's words, e.g. `confirmation hearing of the police and crime panel`."),
            field("date", Kind::Date, "When that step was, or is to be, taken."),
        ]),
        "A later step the decision waits for, such as the panel's confirmation of a chief constable appointment (version 2).",
    ),
    field(
        "interests",
        Kind::Object(&[
            field("declaration", Kind::Bool, "The decision maker confirmed their register of interests is up to date and nothing in it precludes the decision."),
            field(
                "declared",
                Kind::List(&[
                    field("who", Kind::Text, "Who has the interest."),
                    field("interest", Kind::Text, "What the interest is."),
                    field("handling", Kind::Text, "How it was managed."),
                ]),
                "Interests declared and how each was managed.",
            ),
        ]),
        "Declarations of interest.",
    ),
    field(
        "confidentiality",
        Kind::Object(&[
            field("status", Kind::Enum(&["open", "part", "confidential"]), "Whether the record or parts of it are withheld."),
            field("ground", Kind::Text, "The exemption relied on, e.g. `FOIA s.43(2) commercial interests`."),
            field("public_summary", Kind::Text, "What the public can be told."),
            field("published_after", Kind::Date, "When the ground for withholding lapsed and the record could be published (version 2): publication is counted from then."),
        ]),
        "Whether the record or parts of it are withheld.",
    ),
    field(
        "background_papers",
        Kind::List(&[
            field("title", Kind::Text, "Title of the document."),
            field("published", Kind::Bool, "Whether it is published."),
        ]),
        "Documents relied on.",
    ),
    field(
        "publication",
        Kind::Object(&[
            field("date", Kind::Date, "When the record was published."),
            field("url", Kind::Text, "Where."),
        ]),
        "Publication of the record.",
    ),
    field(
        "statutory_reports",
        Kind::List(&[
            field("kind", Kind::Enum(&["s5", "s114"]), "A monitoring officer's (s5) or CFO's (s114) report."),
            field("date", Kind::Date, "When the report was issued."),
            field("resolved_on", Kind::Date, "When the PCC's consideration of it concluded."),
        ]),
        "Monitoring officer or CFO reports about this decision.",
    ),
    field("implemented_on", Kind::Date, "When implementation started."),
    field(
        "waivers",
        Kind::List(&[
            field("rule", Kind::Text, "The rule id waived, e.g. `MO041`."),
            field("reason", Kind::Text, "Why the exception is accepted."),
            field("approved_by", Kind::Text, "Who accepted it."),
            field("date", Kind::Date, "When."),
            field("expires", Kind::Date, "The last day the waiver is in force."),
        ]),
        "Accepted exceptions to a rule for this record.",
    ),
];

/// Looks a field up by its dotted path (`advice.legal.date`); list indices are skipped.
pub fn find(path: &str) -> Option<&'static Field> {
    let mut fields = RECORD;
    let mut found = None;
    for segment in path.split('.') {
        let name = segment.split('[').next().unwrap_or(segment);
        let field = fields.iter().find(|field| field.name == name)?;
        fields = match field.kind {
            Kind::Object(children) | Kind::List(children) => children,
            _ => &[],
        };
        found = Some(field);
    }
    found
}

/// Every field outside lists numbered in one table, so a record's values can be found by
/// number (`Record::field_table`) instead of by walking its mappings and comparing names.
/// A mapping's fields get consecutive numbers, in their order in the format.
pub struct Slots {
    pub count: usize,
    /// For each slot holding a mapping, the slot of its first field.
    first_child: Vec<Option<usize>>,
}

impl Slots {
    /// The slot of field `position` of the mapping in `parent` (`None`: the record itself).
    pub fn child(&self, parent: Option<usize>, position: u16) -> Option<usize> {
        let base = match parent {
            None => 0,
            Some(parent) => (*self.first_child.get(parent)?)?,
        };
        Some(base + usize::from(position))
    }

    /// The slot of a dotted path without list indices, e.g. `advice.legal.date`.
    pub fn of_path(&self, path: &str) -> Option<usize> {
        let mut fields = RECORD;
        let mut slot = None;
        for name in path.split('.') {
            let position = fields.iter().position(|field| field.name == name)?;
            slot = Some(self.child(slot, u16::try_from(position).ok()?)?);
            fields = match fields[position].kind {
                Kind::Object(children) => children,
                _ => &[],
            };
        }
        slot
    }
}

pub fn slots() -> &'static Slots {
    static SLOTS: std::sync::OnceLock<Slots> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let mut first_child = vec![None; RECORD.len()];
        let mut pending = vec![(0usize, RECORD)];
        while let Some((base, fields)) = pending.pop() {
            for (position, field) in fields.iter().enumerate() {
                if let Kind::Object(children) = field.kind {
                    let first = first_child.len();
                    first_child[base + position] = Some(first);
                    first_child.resize(first + children.len(), None);
                    pending.push((first, children));
                }
            }
        }
        Slots {
            count: first_child.len(),
            first_child,
        }
    })
}

/// Every field's dotted path, for suggesting where a misplaced key belongs.
pub fn all_paths() -> Vec<String> {
    fn walk(prefix: &str, fields: &[Field], out: &mut Vec<String>) {
        for field in fields {
            let path = if prefix.is_empty() {
                field.name.to_string()
            } else {
                format!("{prefix}.{}", field.name)
            };
            if let Kind::Object(children) | Kind::List(children) = field.kind {
                walk(&path, children, out);
            }
            out.push(path);
        }
    }
    let mut out = Vec::new();
    walk("", RECORD, &mut out);
    out
}
