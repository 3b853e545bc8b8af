//! Record text made safe to show: clipped to a bounded length, and escaped for a terminal or
//! for a Markdown document. Every reporter and draft uses these, so each kind of escaping is
//! done one way. Pure functions, no I/O.

use std::borrow::Cow;
use std::fmt::Write as _;

/// How many characters of one value from a record (a reference, a title, a value in a
/// message) output repeats: findings repeat values, so a huge one must not be copied whole.
pub const VALUE_LIMIT: usize = 200;

/// How many characters of a whole message, or a field's path, a finding keeps: a bound on
/// text built from record keys, which no value limit covers.
pub const MESSAGE_LIMIT: usize = 2000;

/// The first `limit` characters of `text`, with an ellipsis when some were left off.
pub fn clip(text: &str, limit: usize) -> Cow<'_, str> {
    // A text of at most `limit` bytes has at most `limit` characters: no count needed.
    if text.len() <= limit {
        return Cow::Borrowed(text);
    }
    match text.char_indices().nth(limit) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
        None => Cow::Borrowed(text),
    }
}

/// Whether a character must not reach a terminal as it is: control characters (ESC starts
/// escape sequences, BEL rings, CR overwrites the line) other than line feed and tab, and the
/// invisible marks that reorder or break text (bidirectional overrides, line separators).
pub fn is_hidden(character: char) -> bool {
    (character.is_control() && character != '\n' && character != '\t')
        || matches!(
            character,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Text for a terminal (or a log that may be shown on one): every hidden character is written
/// visibly, as `\u{1b}`, so record text can neither move the cursor nor retitle the window.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        push_visible(&mut out, character);
    }
    Cow::Owned(out)
}

/// Pushes a character, written visibly if it is hidden.
pub fn push_visible(out: &mut String, character: char) {
    if is_hidden(character) {
        let _ = write!(out, "{}", character.escape_unicode());
    } else {
        out.push(character);
    }
}

/// A value from a record as literal inline Markdown: what could start emphasis, code, a link,
/// an image, a table cell or HTML (`*`, `` ` ``, `[`, `|`, `<`, `&` ...) is escaped, so a
/// title reads as written and `<script>` stays text. Line breaks become spaces.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_markdown(&mut out, text);
    out
}

fn push_markdown(out: &mut String, text: &str) {
    let mut previous = None;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // Within a word (`reference_pattern`) an underscore cannot start emphasis, so it
            // is left as written.
            '_' if previous.is_some_and(char::is_alphanumeric)
                && characters.peek().is_some_and(|next| next.is_alphanumeric()) =>
            {
                out.push('_');
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(character);
            }
            '\n' | '\r' => out.push(' '),
            other => push_visible(out, other),
        }
        previous = Some(character);
    }
}

/// A message as inline Markdown: messages mark names and values as code with backticks
/// (`` `decided_on` ``), so code spans are kept as they are (their text is literal in
/// Markdown) and everything outside them is escaped as [`markdown`] does. The spans are found
/// as `CommonMark` finds them: a run of backticks up to the next run of the same length, so a
/// backtick inside a value cannot open a span the reader does not see.
pub fn markdown_message(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let before = &rest[..open];
        push_markdown(&mut out, before);
        let after_open = &rest[open..];
        let ticks = after_open.len() - after_open.trim_start_matches('`').len();
        let body = &after_open[ticks..];
        if let Some(close) = closing_run(body, ticks) {
            let span = &after_open[..ticks + close + ticks];
            for character in span.chars() {
                match character {
                    // A line break would end a table row; `|` a cell (GFM reads `\|`
                    // inside code in a table as `|`).
                    '\n' | '\r' => out.push(' '),
                    '|' => out.push_str("\\|"),
                    other => push_visible(&mut out, other),
                }
            }
            rest = &after_open[ticks + close + ticks..];
        } else {
            // No closing run: the backticks are plain text.
            for _ in 0..ticks {
                out.push_str("\\`");
            }
            rest = body;
        }
    }
    push_markdown(&mut out, rest);
    out
}

/// Text as a Markdown code span, shown exactly as written: the fence is longer than any run
/// of backticks inside, and line breaks become spaces (a code span is one line).
pub fn markdown_code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for character in text.chars() {
        run = if character == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space inside each fence keeps a backtick at either end from joining the fence.
    let pad = if longest > 0 { " " } else { "" };
    let mut out = format!("{fence}{pad}");
    for character in text.chars() {
        match character {
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            other => push_visible(&mut out, other),
        }
    }
    out.push_str(pad);
    out.push_str(&fence);
    out
}

/// Where a run of exactly `ticks` backticks starts in `body`, if one does.
fn closing_run(body: &str, ticks: usize) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'`' {
            let start = index;
            while index < bytes.len() && bytes[index] == b'`' {
                index += 1;
            }
            if index - start == ticks {
                return Some(start);
            }
        } else {
            index += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_short_text_and_marks_a_cut() {
        assert_eq!(clip("WPCC4-0001", 200), "WPCC4-0001");
        assert_eq!(clip("ééééé", 3), "ééé…");
        assert_eq!(clip("ééé", 3), "ééé");
    }

    #[test]
    fn terminal_text_shows_escapes_visibly() {
        assert_eq!(
            terminal("a\u{1b}]0;x\u{7}b\rc"),
            "a\\u{1b}]0;x\\u{7}b\\u{d}c"
        );
        assert_eq!(terminal("line\n\tnext"), "line\n\tnext");
        assert_eq!(terminal("\u{202e}txt"), "\\u{202e}txt");
    }

    #[test]
    fn markdown_values_read_as_written() {
        assert_eq!(
            markdown("*Grants* <b>2026</b>"),
            "\\*Grants\\* &lt;b&gt;2026&lt;/b&gt;"
        );
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(markdown("a | b\nc"), "a \\| b c");
        assert_eq!(markdown("open_tender _x_"), "open_tender \\_x\\_");
    }

    #[test]
    fn messages_keep_their_code_and_escape_the_rest() {
        assert_eq!(
            markdown_message("`decided_on` is *late* <img src=x onerror=alert(1)>"),
            "`decided_on` is \\*late\\* &lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(markdown_message("`a|b`"), "`a\\|b`");
        // A lone backtick opens nothing: the `<b>` after it is escaped.
        assert_eq!(markdown_message("x ` <b>"), "x \\` &lt;b&gt;");
        assert_eq!(markdown_message("``a`b`` c"), "``a`b`` c");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(markdown_code("decided_on"), "`decided_on`");
        assert_eq!(markdown_code("a`b"), "`` a`b ``");
        assert_eq!(markdown_code("x|y\nz"), "`x\\|y z`");
    }
}
