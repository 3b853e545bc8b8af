//! The functions expressions may call, in one table: it drives the name check when a rules
//! file loads, the compiled evaluator's dispatch, the CEL interpreter the tests compare it
//! with, and the table in `docs/writing-rules.md` (a test keeps that table fresh). A new
//! helper is a row here and an arm in `compiled::call`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::roster::Roster;

/// A function an expression may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Size,
    Days,
    WorkingDays,
    AddDays,
    AddWorkingDays,
    Date,
    DateOf,
    Year,
    InForce,
    Holder,
    HasRoster,
    SamePerson,
    FirstIndex,
    Gbp,
    Day,
    Plural,
    Words,
    AOrAn,
    Contains,
    StartsWith,
    EndsWith,
    Matches,
    Int,
    Double,
    String,
}

/// How a function is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `name(a, b)` only.
    Function,
    /// `a.name(b)` only.
    Method,
    /// Either way: `size(list)` or `list.size()`.
    Both,
}

/// One row of the table.
#[derive(Debug)]
pub struct Helper {
    pub name: &'static str,
    pub function: Function,
    /// Arguments, counting a method's target; `None` for any number.
    pub arguments: Option<usize>,
    pub call: Call,
    /// Whether it is this project's own (documented in the helper table) rather than
    /// standard CEL (listed after it).
    pub ours: bool,
    /// How it is written, for the documentation.
    pub usage: &'static str,
    /// What it gives, for the documentation.
    pub returns: &'static str,
}

const fn ours(
    name: &'static str,
    function: Function,
    arguments: Option<usize>,
    usage: &'static str,
    returns: &'static str,
) -> Helper {
    Helper {
        name,
        function,
        arguments,
        call: Call::Function,
        ours: true,
        usage,
        returns,
    }
}

const fn standard(
    name: &'static str,
    function: Function,
    arguments: usize,
    call: Call,
    usage: &'static str,
    returns: &'static str,
) -> Helper {
    Helper {
        call,
        ours: false,
        ..ours(name, function, Some(arguments), usage, returns)
    }
}

/// Every function an expression may call, the project's helpers first.
pub const HELPERS: &[Helper] = &[
    ours("days", Function::Days, Some(2), "days(a, b)", "calendar days from date `a` to date `b` (negative when `b` is earlier)."),
    ours("working_days", Function::WorkingDays, Some(2), "working_days(a, b)", "working days after `a` up to and including `b`, skipping Saturdays, Sundays and `params.bank_holidays`; 0 when `b` is not after `a`."),
    ours("add_working_days", Function::AddWorkingDays, Some(2), "add_working_days(d, n)", "the `n`th working day after `d`, counted as `working_days` counts: the last day a duty of `n` working days is met (`working_days(d, add_working_days(d, n)) == n`). For `due`."),
    ours("add_days", Function::AddDays, Some(2), "add_days(d, n)", "`d` plus `n` calendar days (`n` may be negative). For `due`."),
    ours("date", Function::Date, Some(1), "date(s)", "the date of an ISO string, e.g. `date(\"2025-02-24\")`."),
    ours("date_of", Function::DateOf, Some(3), "date_of(year, month, day)", "a date from its parts."),
    ours("year", Function::Year, Some(1), "year(d)", "the year of a date."),
    ours("in_force", Function::InForce, Some(2), "in_force(table, d)", "the row of a dated table (rows with a `from` date) in force on `d`: the latest `from` on or before `d`; `null` if none."),
    ours("holder", Function::Holder, Some(2), "holder(role, d)", "the name the office roster gives for `role` on `d`, or `null` when no roster entry covers that day."),
    ours("has_roster", Function::HasRoster, Some(1), "has_roster(role)", "whether the roster names anybody for `role` at all."),
    ours("same_person", Function::SamePerson, Some(2), "same_person(a, b)", "`a` and `b` name the same person: equal after trimming and ignoring case."),
    ours("first_index", Function::FirstIndex, None, "first_index(list)", "the index of the first `true` in a list of booleans, or -1."),
    ours("gbp", Function::Gbp, Some(1), "gbp(x)", "money in words for messages: `£1,300,000`, `£69,024.09`."),
    ours("day", Function::Day, Some(1), "day(d)", "a date for messages: `12 March 2026`."),
    ours("plural", Function::Plural, Some(2), "plural(n, word)", "`1 day`, `3 days`."),
    ours("words", Function::Words, Some(1), "words(s)", "an enumeration value in words: `contract_award` -> `contract award`."),
    ours("a_or_an", Function::AOrAn, Some(1), "a_or_an(s)", "`s` after the article its sound takes: `a_or_an(words(record.type))` -> `an estates`, `a grant`. Use it wherever an article comes before an interpolated word."),
    standard("size", Function::Size, 1, Call::Both, "size(x)", "the number of entries of a list or mapping, or of characters of text; also `x.size()`."),
    standard("contains", Function::Contains, 2, Call::Method, "s.contains(t)", "whether text `s` contains `t`."),
    standard("startsWith", Function::StartsWith, 2, Call::Method, "s.startsWith(t)", "whether text `s` begins with `t`."),
    standard("endsWith", Function::EndsWith, 2, Call::Method, "s.endsWith(t)", "whether text `s` ends with `t`."),
    standard("matches", Function::Matches, 2, Call::Both, "s.matches(re)", "whether text `s` matches the regular expression `re` anywhere (anchor it with `^` and `$`)."),
    standard("int", Function::Int, 1, Call::Function, "int(x)", "a whole number from a number (cut towards zero) or from text such as `\"12\"`."),
    standard("double", Function::Double, 1, Call::Function, "double(x)", "a number from a whole number or from text such as `\"1.5\"`."),
    standard("string", Function::String, 1, Call::Function, "string(x)", "text from a number, text or `true`/`false`."),
];

/// The row for a call of `name`, as a method when `method`.
pub fn helper(name: &str, method: bool) -> Option<&'static Helper> {
    HELPERS.iter().find(|helper| {
        helper.name == name
            && match helper.call {
                Call::Function => !method,
                Call::Method => method,
                Call::Both => true,
            }
    })
}

/// The standard CEL functions mocheck's expressions do not support, with what to write
/// instead where there is something: refused when the rules load, not on every record.
pub fn unsupported_hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "timestamp" => "write a date as `date(\"2026-01-31\")`",
        "duration" => "count days with `days(a, b)` or `add_days(d, n)`",
        "getFullYear" => "write `year(d)`",
        "getMonth" | "getDayOfMonth" | "getDate" | "getDayOfWeek" | "getDayOfYear" | "getHours"
        | "getMinutes" | "getSeconds" | "getMilliseconds" => {
            "compare whole dates, or use `year(d)` and `days(a, b)`"
        }
        "uint" | "bytes" | "type" | "dyn" | "bool" | "max" | "min" | "lowerAscii"
        | "upperAscii" | "trim" | "split" | "join" | "replace" | "indexOf" | "lastIndexOf"
        | "substring" | "charAt" => "",
        _ => return None,
    })
}

/// The Markdown table of the project's helpers in `docs/writing-rules.md`, made from the
/// table above, and the sentence on the standard functions after it.
pub fn documentation() -> String {
    let mut out = String::from("| function | returns |\n|---|---|\n");
    for helper in HELPERS.iter().filter(|helper| helper.ours) {
        let _ = writeln!(out, "| `{}` | {} |", helper.usage, helper.returns);
    }
    out.push_str("\nStandard CEL is there too: `&&`, `||`, `!`, `? :`, `==`, `<` and the other comparisons, `in`,\n`+ - * / %`, lists `[a, b]`, mappings `{\"key\": value}`, `has(x.field)`, the list macros\n`.exists(x, p)`, `.all(x, p)`, `.exists_one(x, p)`, `.map(x, e)`, `.filter(x, p)`, and these functions:\n\n| function | returns |\n|---|---|\n");
    for helper in HELPERS.iter().filter(|helper| !helper.ours) {
        let _ = writeln!(out, "| `{}` | {} |", helper.usage, helper.returns);
    }
    out
}

/// What the helper functions need besides their arguments.
#[derive(Debug, Default, Clone)]
pub struct HelperData {
    pub bank_holidays: BTreeSet<NaiveDate>,
    pub roster: Roster,
}

impl HelperData {
    /// Working days after `from` up to and including `to`. Counted by whole weeks, then
    /// the few days left, then the bank holidays in range: constant time whatever the span.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        use std::ops::Bound::{Excluded, Included};
        if to <= from {
            return 0;
        }
        let span = (to - from).num_days();
        let mut count = span / 7 * 5;
        let mut day = from + chrono::Duration::days(span / 7 * 7);
        while day < to {
            day = day.succ_opt().unwrap_or(to);
            if !is_weekend(day) {
                count += 1;
            }
        }
        let holidays = self
            .bank_holidays
            .range((Excluded(from), Included(to)))
            .filter(|holiday| !is_weekend(**holiday))
            .count();
        count - i64::try_from(holidays).unwrap_or(0)
    }

    /// The `count`th working day after `from` (skipping weekends and bank holidays): the
    /// last day a duty of `count` working days, counted as [`working_days`] counts, is met.
    /// `from` itself when `count` is not positive.
    ///
    /// [`working_days`]: HelperData::working_days
    pub fn add_working_days(&self, from: NaiveDate, count: i64) -> Option<NaiveDate> {
        let mut day = from;
        let mut left = count;
        while left > 0 {
            day = day.succ_opt()?;
            if !is_weekend(day) && !self.bank_holidays.contains(&day) {
                left -= 1;
            }
        }
        Some(day)
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        let mut data = HelperData::default();
        // Friday to the next Friday: five working days.
        assert_eq!(data.working_days(day("2026-03-06"), day("2026-03-13")), 5);
        data.bank_holidays.insert(day("2026-03-09"));
        assert_eq!(data.working_days(day("2026-03-06"), day("2026-03-13")), 4);
        assert_eq!(data.working_days(day("2026-03-13"), day("2026-03-06")), 0);
        let due = data.add_working_days(day("2026-03-06"), 4).unwrap();
        assert_eq!(data.working_days(day("2026-03-06"), due), 4);
    }

    #[test]
    fn each_name_is_one_row_for_each_way_of_calling_it() {
        for (index, helper) in HELPERS.iter().enumerate() {
            for other in &HELPERS[index + 1..] {
                assert_ne!(helper.name, other.name, "two rows for `{}`", helper.name);
            }
            assert!(unsupported_hint(helper.name).is_none(), "{}", helper.name);
        }
    }
}
