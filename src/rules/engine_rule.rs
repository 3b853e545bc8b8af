//! The checks mocheck carries out itself rather than by expressions: each has an identity in
//! code, so its id and name are written once. Their descriptions (summary, basis, help,
//! explanation) are in the built-in ruleset like any rule's, and loading fails without one.

/// One of the engine's own checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngineRule {
    /// MO090: the record, or part of it, cannot be read.
    Unreadable,
    /// MO091: a key the record format does not know.
    UnknownField,
    /// MO092: two records with one reference.
    DuplicateReference,
    /// MO093: the reference does not follow the office's pattern.
    ReferenceFormat,
    /// MO094: a date after today.
    FutureDate,
    /// MO095: a waiver with no reason or approver.
    WaiverUnjustified,
    /// MO096: a waiver that matches no finding.
    WaiverUnused,
    /// MO097: a waiver past its expiry date.
    WaiverExpired,
    /// MO098: a baseline entry that no longer matches.
    BaselineEntryStale,
    /// MO099: a decided record with no decision date.
    DecisionDateMissing,
    /// MO100: a record with no reference.
    ReferenceMissing,
}

impl EngineRule {
    /// Every engine rule, in id order.
    pub const ALL: [EngineRule; 11] = [
        EngineRule::Unreadable,
        EngineRule::UnknownField,
        EngineRule::DuplicateReference,
        EngineRule::ReferenceFormat,
        EngineRule::FutureDate,
        EngineRule::WaiverUnjustified,
        EngineRule::WaiverUnused,
        EngineRule::WaiverExpired,
        EngineRule::BaselineEntryStale,
        EngineRule::DecisionDateMissing,
        EngineRule::ReferenceMissing,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            EngineRule::Unreadable => "MO090",
            EngineRule::UnknownField => "MO091",
            EngineRule::DuplicateReference => "MO092",
            EngineRule::ReferenceFormat => "MO093",
            EngineRule::FutureDate => "MO094",
            EngineRule::WaiverUnjustified => "MO095",
            EngineRule::WaiverUnused => "MO096",
            EngineRule::WaiverExpired => "MO097",
            EngineRule::BaselineEntryStale => "MO098",
            EngineRule::DecisionDateMissing => "MO099",
            EngineRule::ReferenceMissing => "MO100",
        }
    }

    pub fn from_id(id: &str) -> Option<EngineRule> {
        EngineRule::ALL.into_iter().find(|rule| rule.id() == id)
    }

    /// Its place in `ALL`, which is where the rule set keeps its description.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_id_order_and_each_rule_is_at_its_index() {
        for (index, rule) in EngineRule::ALL.into_iter().enumerate() {
            assert_eq!(rule.index(), index);
            assert_eq!(EngineRule::from_id(rule.id()), Some(rule));
        }
        let ids: Vec<&str> = EngineRule::ALL.iter().map(|rule| rule.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        assert_eq!(EngineRule::from_id("MO001"), None);
    }
}
