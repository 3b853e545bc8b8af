//! The parts the s.5 draft shares with its note (no report needed) and the s.114 draft:
//! the findings sorted by weight, the DRAFT banner, the other matters and the footer.

use std::fmt::Write as _;

use crate::finding::Finding;
use crate::load::Record;

use super::{appendix, not_for_publication, reference_of, weight, DraftInput, Weight};

/// The findings sorted by what they can support.
pub(super) struct Grouped<'a> {
    pub grounds: Vec<&'a Finding>,
    /// Errors of rules that rest on a code of practice, local policy or good practice.
    pub other_matters: Vec<&'a Finding>,
    pub record_problems: Vec<&'a Finding>,
    pub good_practice: Vec<&'a Finding>,
    pub waived: Vec<&'a Finding>,
    /// Accepted as history by the baseline: also in the list their weight puts them in, since
    /// a baseline stops a check failing on old records but decides nothing about the law.
    pub baselined: Vec<&'a Finding>,
}

impl<'a> Grouped<'a> {
    pub(super) fn of(findings: &[&'a Finding], input: &DraftInput) -> Grouped<'a> {
        let mut grouped = Grouped {
            grounds: Vec::new(),
            other_matters: Vec::new(),
            record_problems: Vec::new(),
            good_practice: Vec::new(),
            waived: Vec::new(),
            baselined: Vec::new(),
        };
        for finding in findings {
            if finding.baselined {
                grouped.baselined.push(finding);
            }
            let list = match weight(finding, input.ruleset) {
                Weight::Contravention => &mut grouped.grounds,
                Weight::OtherMatter => &mut grouped.other_matters,
                Weight::RecordProblem => &mut grouped.record_problems,
                Weight::GoodPractice => &mut grouped.good_practice,
                Weight::Waived => &mut grouped.waived,
            };
            list.push(finding);
        }
        grouped
    }
}

/// The DRAFT banner at the top, and the not-for-publication line when the record has one.
pub(super) fn banner(out: &mut String, record: &Record) {
    let _ = writeln!(
        out,
        "> **DRAFT.** Prepared by mocheck from decision record {} and the findings on it. It is \
         not a report until the monitoring officer has checked it, completed every part in \
         [square brackets] and signed it.\n",
        reference_of(record)
    );
    not_for_publication(out, record);
}

/// Errors of rules that are not statutory: put to the Commissioner as matters to consider,
/// never as contraventions of an enactment or rule of law.
pub(super) fn other_matters(out: &mut String, matters: &[&Finding]) {
    if matters.is_empty() {
        return;
    }
    out.push_str(
        "## Other matters the monitoring officer may wish to raise\n\n\
         The check also found these departures from a code of practice, the office's own \
         policy or good practice. They are not contraventions of an enactment or rule of law, \
         and they are not grounds of this report. [Raise them with the Commissioner separately, \
         or strike them out.]\n\n",
    );
    out.push_str(&appendix::other_matters(matters));
    out.push('\n');
}

/// The last line: the ruleset and the day the draft was made.
pub(super) fn footer(out: &mut String, input: &DraftInput) {
    let _ = writeln!(
        out,
        "---\n\nPrepared with mocheck from the ruleset \"{}\", version {}, as at {}.",
        input.ruleset.name,
        input.ruleset.version,
        crate::format::long_date(input.today)
    );
}
