//! The forms a draft is sent in: its Markdown as written, one self-contained HTML file, or a
//! Word document. Both renderers read the Markdown with `pulldown-cmark`, so the drafts are
//! written once and the forms cannot drift apart.

mod docx;
mod html;
mod svg;

use std::path::Path;

use pulldown_cmark::{Options, Parser, TextMergeStream};

use super::Draft;

/// The form of a draft, chosen with `report --format` or from the `--output` file's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
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

/// The draft's Markdown as events, with adjacent text joined: pulldown-cmark gives `[` and
/// `]` as events of their own, and a placeholder must be seen whole.
fn events(markdown: &str) -> TextMergeStream<'_, Parser<'_>> {
    TextMergeStream::new(Parser::new_ext(markdown, Options::ENABLE_TABLES))
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
/// monitoring officer to fill in.
fn placeholders(text: &str) -> Vec<(bool, &str)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(length) = rest[open..].find(']') else {
            break;
        };
        let close = open + length + 1;
        if open > 0 {
            pieces.push((false, &rest[..open]));
        }
        pieces.push((true, &rest[open..close]));
        rest = &rest[close..];
    }
    if !rest.is_empty() {
        pieces.push((false, rest));
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
                (false, "Sent on "),
                (true, "[date]"),
                (false, " to "),
                (true, "[name]"),
                (false, "."),
            ]
        );
        assert_eq!(placeholders("a [b"), [(false, "a [b")]);
    }
}
