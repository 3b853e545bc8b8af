//! How values read in findings and drafts: dates as `12 March 2026`, money as `£1,300,000`.
//! Shared by the rule helpers (`day`, `money`), the engine's messages and the drafts, so
//! that a sum reads the same everywhere.

use chrono::NaiveDate;

/// `12 March 2026`.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A number with thousands grouped, and two decimals when it has a fraction.
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = number as i64;
        group_thousands(&whole.to_string())
    } else {
        let text = format!("{number:.2}");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
        format!("{}.{fraction}", group_thousands(whole))
    }
}

/// `1300000` -> `1,300,000`, keeping a leading minus sign.
pub fn group_thousands(digits: &str) -> String {
    let (sign, digits) = digits
        .strip_prefix('-')
        .map_or(("", digits), |rest| ("-", rest));
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    format!("{sign}{out}")
}

/// `£1,300,000`, or `-£20` for a negative sum.
pub fn money(amount: f64) -> String {
    if amount < 0.0 {
        format!("-£{}", format_number(-amount))
    } else {
        format!("£{}", format_number(amount))
    }
}
