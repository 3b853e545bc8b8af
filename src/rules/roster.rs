//! The office roster: who held each statutory role, from and to. Used by MO001 and MO002
//! through the `holder` and `same_person` helpers.

use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub role: String,
    pub name: String,
    pub from: NaiveDate,
    /// The last day in office; `None` while in post.
    pub to: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    pub holders: Vec<Holder>,
}

pub const ROLES: &[&str] = &[
    "chief_executive",
    "chief_finance_officer",
    "pcc",
    "deputy_pcc",
];

impl Roster {
    /// Who held `role` on `day`; the latest appointment wins where entries overlap.
    pub fn holder(&self, role: &str, day: NaiveDate) -> Option<&str> {
        self.holders
            .iter()
            .filter(|holder| {
                holder.role == role && holder.from <= day && holder.to.is_none_or(|to| day <= to)
            })
            .max_by_key(|holder| holder.from)
            .map(|holder| holder.name.as_str())
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.holders.iter().any(|holder| holder.role == role)
    }
}

/// Two names for the same person: equal once trimmed, ignoring case.
pub fn same_person(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        // The common case, compared without building lower-case copies.
        return a.eq_ignore_ascii_case(b);
    }
    a.to_lowercase() == b.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_holder_on_a_date_respects_from_and_to() {
        let roster = Roster {
            holders: vec![
                Holder {
                    role: "chief_finance_officer".into(),
                    name: "Ann Old".into(),
                    from: day("2020-01-01"),
                    to: Some(day("2024-03-31")),
                },
                Holder {
                    role: "chief_finance_officer".into(),
                    name: "Bea New".into(),
                    from: day("2024-04-01"),
                    to: None,
                },
            ],
        };
        assert_eq!(
            roster.holder("chief_finance_officer", day("2024-03-31")),
            Some("Ann Old")
        );
        assert_eq!(
            roster.holder("chief_finance_officer", day("2024-04-01")),
            Some("Bea New")
        );
        assert_eq!(
            roster.holder("chief_finance_officer", day("2019-12-31")),
            None
        );
        assert_eq!(roster.holder("chief_executive", day("2024-04-01")), None);
        assert!(same_person(" Bea NEW", "bea new"));
    }
}
