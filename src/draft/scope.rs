//! What an assurance summary covers: the records of its period and their findings, each
//! finding with its record. Shared by the summary and its tables.

use crate::finding::{Finding, Severity};

use super::brief::Brief;
use super::{AssuranceInput, Owners};

/// The records and findings in scope, with each finding's record (an index into `records`).
pub(super) struct Scope<'a> {
    pub records: Vec<&'a Brief>,
    /// Findings of those records, with the record's index in `records`.
    pub owned: Vec<(&'a Finding, usize)>,
    /// Each record's findings, as indices into `owned` in its order: looking them up
    /// record by record must not scan every finding for each of a hundred thousand records.
    by_record: Vec<Vec<usize>>,
    /// Findings on files that gave no record: counted only when no period is set.
    pub unowned: Vec<&'a Finding>,
    /// Records left out because a period is set and they have no decision date.
    pub undated_left_out: usize,
}

impl<'a> Scope<'a> {
    pub(super) fn of(input: &AssuranceInput<'a>) -> Scope<'a> {
        let ranged = input.from.is_some() || input.to.is_some();
        let mut positions = vec![None; input.records.len()];
        let mut records = Vec::new();
        let mut undated_left_out = 0;
        for (index, brief) in input.records.iter().enumerate() {
            let date = brief.decided_on.map(|day| day.date);
            let keep = if let Some(date) = date {
                input.from.is_none_or(|from| date >= from) && input.to.is_none_or(|to| date <= to)
            } else {
                undated_left_out += usize::from(ranged);
                !ranged
            };
            if keep {
                positions[index] = Some(records.len());
                records.push(brief);
            }
        }
        let mut owned = Vec::new();
        let mut by_record = vec![Vec::new(); records.len()];
        let mut unowned = Vec::new();
        let owners = Owners::new(
            input
                .records
                .iter()
                .map(|brief| (&*brief.file, brief.line, brief.reference.as_deref())),
        );
        for finding in input.findings {
            match owners.owner(finding) {
                Some(index) => {
                    if let Some(position) = positions[index] {
                        by_record[position].push(owned.len());
                        owned.push((finding, position));
                    }
                }
                None if !ranged => unowned.push(finding),
                None => {}
            }
        }
        Scope {
            records,
            owned,
            by_record,
            unowned,
            undated_left_out,
        }
    }

    pub(super) fn all_findings(&self) -> impl Iterator<Item = &'a Finding> + '_ {
        self.owned
            .iter()
            .map(|(finding, _)| *finding)
            .chain(self.unowned.iter().copied())
    }

    pub(super) fn findings_of(&self, position: usize) -> impl Iterator<Item = &'a Finding> + '_ {
        self.by_record[position]
            .iter()
            .map(|&index| self.owned[index].0)
    }

    /// (records with no open error, records checked): withdrawn records are not checked.
    pub(super) fn compliance(&self) -> (usize, usize) {
        let checked: Vec<usize> = (0..self.records.len())
            .filter(|&position| self.records[position].status() != Some("withdrawn"))
            .collect();
        let compliant = checked
            .iter()
            .filter(|&&position| !self.has_error(position))
            .count();
        (compliant, checked.len())
    }

    pub(super) fn has_error(&self, position: usize) -> bool {
        self.findings_of(position)
            .any(|finding| !finding.waived && finding.severity == Severity::Error)
    }
}
