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

/// `estates` -> `an estates`, `grant` -> `a grant`: the article English puts before the
/// words, chosen by how they are said, so a message need not guess which word comes next.
pub fn a_or_an(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    let lower = first.to_lowercase();
    // An initialism is said letter by letter: "an FOI request", "a PCC decision".
    let initialism = first.chars().count() > 1 && first.chars().all(|c| c.is_ascii_uppercase());
    let vowel_sound = if initialism {
        first.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X'])
    } else if ["uni", "use", "usu", "ute", "eu", "one", "once", "ewe"]
        .iter()
        .any(|start| lower.starts_with(start))
    {
        false
    } else if ["hour", "honest", "honour", "heir"]
        .iter()
        .any(|start| lower.starts_with(start))
    {
        true
    } else {
        lower.starts_with(['a', 'e', 'i', 'o', 'u'])
    };
    let article = if vowel_sound { "an" } else { "a" };
    if text.is_empty() {
        article.to_string()
    } else {
        format!("{article} {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_follows_the_sound_of_the_next_word() {
        for (words, expected) in [
            ("estates", "an estates"),
            ("annual report", "an annual report"),
            ("indemnity", "an indemnity"),
            ("other", "an other"),
            ("grant", "a grant"),
            ("police and crime plan", "a police and crime plan"),
            ("unit", "a unit"),
            ("hour", "an hour"),
            ("MO report", "an MO report"),
            ("PCC decision", "a PCC decision"),
        ] {
            assert_eq!(a_or_an(words), expected);
        }
        assert_eq!(money(69024.09), "£69,024.09");
    }
}
