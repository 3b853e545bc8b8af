//! The forms a draft is sent in: its Markdown as written, one self-contained HTML file, or a
//! Word document. Both renderers read the Markdown with `pulldown-cmark`, so the drafts are
//! written once and the forms cannot drift apart.

mod docx;
mod html;
mod svg;

use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser};

use super::Draft;

/// The form of a draft, chosen with `report --format` or from the `--output` file's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftFormat {
    Markdown,
    Html,
    Docx,
}

impl DraftFormat {
    /// The form a file's extension asks for: `.md`, `.markdown`, `.html`, `.htm`, `.docx`.
    pub fn from_path(path: &Path) -> Option<DraftFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(DraftFormat::Markdown),
            "html" | "htm" => Some(DraftFormat::Html),
            "docx" => Some(DraftFormat::Docx),
            _ => None,
        }
    }
}

/// The form `report` writes: `--format` when given, else the one the `--output` file's name
/// asks for, else Markdown. A Word document is a zip file, which would only garble a terminal.
pub fn choose(
    format: Option<DraftFormat>,
    output: Option<&Path>,
    to_terminal: bool,
) -> Result<DraftFormat, String> {
    let format = format
        .or_else(|| output.and_then(DraftFormat::from_path))
        .unwrap_or(DraftFormat::Markdown);
    if format == DraftFormat::Docx && to_terminal {
        return Err(
            "a Word document cannot be shown in a terminal: write it to a file with \
                    `--output draft.docx`"
                .to_string(),
        );
    }
    Ok(format)
}

/// The draft's bytes in `format`.
pub fn render(draft: &Draft, format: DraftFormat) -> Vec<u8> {
    match format {
        DraftFormat::Markdown => draft.markdown.clone().into_bytes(),
        DraftFormat::Html => html::html(draft).into_bytes(),
        DraftFormat::Docx => docx::docx(draft),
    }
}

/// Stand-ins, in the events' text, for the brackets the Markdown escaped (`\[`): record
/// text, which a reader must never take for a placeholder. [`placeholders`] puts them back.
const LITERAL_OPEN: char = '\u{e000}';
const LITERAL_CLOSE: char = '\u{e001}';

/// The draft's Markdown as events, with adjacent text joined: pulldown-cmark gives `[` and
/// `]` as events of their own, and a placeholder must be seen whole. A bracket the Markdown
/// escaped is kept apart from one the draft wrote, which only the source tells.
fn events(markdown: &str) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::new();
    // Where the last text ended: a backslash after it and just before a text is an escape,
    // which pulldown-cmark leaves out of every event (`\\` gives a text of one backslash).
    let mut text_end = 0;
    for (event, range) in Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter() {
        if let Event::Text(text) = event {
            let escaped = range.start > text_end
                && markdown[..range.start].ends_with('\\')
                && !markdown[range.clone()].starts_with('\\');
            text_end = range.end;
            let text = match text.chars().next() {
                Some('[') if escaped => format!("{LITERAL_OPEN}{}", &text[1..]),
                Some(']') if escaped => format!("{LITERAL_CLOSE}{}", &text[1..]),
                _ => text.to_string(),
            };
            if let Some(Event::Text(previous)) = out.last_mut() {
                *previous = CowStr::from(format!("{previous}{text}"));
            } else {
                out.push(Event::Text(CowStr::from(text)));
            }
        } else {
            out.push(event);
        }
    }
    out
}

/// Text with the stand-ins for escaped brackets turned back into brackets.
fn literal(text: &str) -> String {
    text.replace(LITERAL_OPEN, "[").replace(LITERAL_CLOSE, "]")
}

/// Text fit for HTML, as text or inside an attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Text cut into pieces, each marked `true` when it is a `[...]` placeholder for the
/// monitoring officer to fill in; brackets from record text are only text.
fn placeholders(text: &str) -> Vec<(bool, String)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(length) = rest[open..].find(']') else {
            break;
        };
        let close = open + length + 1;
        if open > 0 {
            pieces.push((false, literal(&rest[..open])));
        }
        pieces.push((true, literal(&rest[open..close])));
        rest = &rest[close..];
    }
    if !rest.is_empty() {
        pieces.push((false, literal(rest)));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_file_name() {
        assert_eq!(
            DraftFormat::from_path(Path::new("out/s5.DOCX")),
            Some(DraftFormat::Docx)
        );
        assert_eq!(
            DraftFormat::from_path(Path::new("s5.htm")),
            Some(DraftFormat::Html)
        );
        assert_eq!(
            DraftFormat::from_path(Path::new("s5.markdown")),
            Some(DraftFormat::Markdown)
        );
        assert_eq!(DraftFormat::from_path(Path::new("s5.pdf")), None);
        assert_eq!(DraftFormat::from_path(Path::new("s5")), None);
    }

    #[test]
    fn placeholders_are_found_whole() {
        assert_eq!(
            placeholders("Sent on [date] to [name]."),
            [
                (false, "Sent on ".to_string()),
                (true, "[date]".to_string()),
                (false, " to ".to_string()),
                (true, "[name]".to_string()),
                (false, ".".to_string()),
            ]
        );
        assert_eq!(placeholders("a [b"), [(false, "a [b".to_string())]);
    }

    #[test]
    fn escaped_brackets_are_record_text_not_placeholders() {
        let texts: Vec<String> = events("Title: \\[link\\](x) a\\\\\\[b\\] and [date].\n")
            .into_iter()
            .filter_map(|event| match event {
                Event::Text(text) => Some(text.to_string()),
                _ => None,
            })
            .collect();
        let [text] = &texts[..] else {
            panic!("one text: {texts:?}");
        };
        assert_eq!(
            placeholders(text),
            [
                (false, "Title: [link](x) a\\[b] and ".to_string()),
                (true, "[date]".to_string()),
                (false, ".".to_string()),
            ]
        );
    }
}
