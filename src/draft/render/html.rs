//! A draft as one self-contained HTML file: inline CSS, no scripts, nothing fetched. The
//! print stylesheet gives A4 pages with the page header on each, and tables that wrap long
//! words rather than run off the page.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::super::Draft;
use super::{escape, events, literal, placeholders, svg};

const STYLE: &str = "
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45;
  color: #111; max-width: 48em; margin: 1.5em auto; padding: 0 1em; }
.page-header { border-bottom: 1px solid #555; margin-bottom: 1em; font-weight: bold;
  font-size: 9pt; }
.page-header p { margin: 0.1em 0; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 1.4em; } h3 { font-size: 12pt; }
h1, h2, h3 { break-after: avoid; }
blockquote { border: 2px solid #111; margin: 1em 0; padding: 0.3em 0.8em; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0.8em 0;
  font-size: 10pt; }
th, td { border: 1px solid #666; padding: 0.25em 0.4em; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: break-word; }
th { background: #e6e6e6; }
tr { break-inside: avoid; }
code { font-family: Consolas, 'Courier New', monospace; font-size: 0.92em; overflow-wrap: anywhere; }
p, li { overflow-wrap: anywhere; }
mark { background: #ffeb3b; color: #000; }
mark, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
figure.chart { margin: 1em 0; break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 22mm 18mm 18mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
}
";

/// The page header of the second and later printed pages, in the page's top margin; the first
/// page has the header in the document itself, so it prints in a browser that lacks margin
/// boxes too. A `position: fixed` header is not enough: Chromium paints it inside the page
/// area over the text (at the foot of each page but the last), not in the margin.
const RUNNING_HEADER: &str = "@page { @top-left { content: %; white-space: pre-wrap;
  font: bold 9pt Arial, Helvetica, sans-serif; color: #111; vertical-align: bottom;
  padding-bottom: 2mm; border-bottom: 1px solid #555; } }
@page :first { @top-left { content: none; border: none; } }
";

/// The whole HTML file.
pub(super) fn html(draft: &Draft) -> String {
    let title = first_heading(&draft.markdown).unwrap_or_else(|| "Draft".to_string());
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<header class=\"page-header\">\n",
        escape(&title),
        RUNNING_HEADER.replace('%', &css_string(&draft.page_header.join("\n")))
    );
    for line in &draft.page_header {
        page.push_str("<p>");
        for (placeholder, piece) in placeholders(line) {
            if placeholder {
                let _ = write!(page, "<mark>{}</mark>", escape(&piece));
            } else {
                page.push_str(&escape(&piece));
            }
        }
        page.push_str("</p>\n");
    }
    page.push_str("</header>\n<main>\n");
    pulldown_cmark::html::push_html(&mut page, body(draft).into_iter());
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// The Markdown's events made safe and marked up: raw HTML shown as text, placeholders in
/// `<mark>`, and each figure after its heading.
fn body(draft: &Draft) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    let mut heading: Option<String> = None;
    for event in events(&draft.markdown) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => out.push(Event::Text(raw)),
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(String::new());
                out.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                out.push(event);
                let text = heading.take().unwrap_or_default();
                for figure in draft.figures.iter().filter(|f| f.after_heading == text) {
                    out.push(Event::Html(CowStr::from(svg::bar_chart(figure))));
                }
            }
            Event::Text(text) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&literal(&text));
                }
                marked(&text, &mut out);
            }
            Event::Code(code) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&code);
                }
                out.push(Event::Code(code));
            }
            other => out.push(other),
        }
    }
    out
}

/// Text with its placeholders in `<mark>`; the text itself is escaped by the HTML writer.
fn marked(text: &str, out: &mut Vec<Event<'_>>) {
    for (placeholder, piece) in placeholders(text) {
        let piece = Event::Text(CowStr::from(piece));
        if placeholder {
            out.push(Event::InlineHtml(CowStr::Borrowed("<mark>")));
            out.push(piece);
            out.push(Event::InlineHtml(CowStr::Borrowed("</mark>")));
        } else {
            out.push(piece);
        }
    }
}

/// Text as a quoted CSS string: anything but letters, digits, spaces and plain punctuation is
/// written as a six-digit escape, so record text can neither end the string nor the
/// `<style>` element; a line break becomes `\A`, a new line in the margin box.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for character in text.chars() {
        if character.is_ascii_alphanumeric() || " ,.:;()-".contains(character) {
            out.push(character);
        } else {
            let _ = write!(out, "\\{:06X}", u32::from(character));
        }
    }
    out.push('"');
    out
}

/// The text of the first `#` heading, for the window's title.
fn first_heading(markdown: &str) -> Option<String> {
    let mut inside = false;
    let mut title = String::new();
    for event in events(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => inside = true,
            Event::End(TagEnd::Heading(_)) => return Some(title),
            Event::Text(text) if inside => title.push_str(&literal(&text)),
            Event::Code(text) if inside => title.push_str(&text),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::super::Figure;
    use super::*;

    fn draft(markdown: &str) -> Draft {
        Draft {
            markdown: markdown.to_string(),
            page_header: vec!["DRAFT <one>".to_string()],
            figures: vec![Figure {
                after_heading: "By quarter".to_string(),
                title: "Findings".to_string(),
                unit: "findings".to_string(),
                bars: vec![("Q1".to_string(), 3.0)],
            }],
            assessed: true,
        }
    }

    #[test]
    fn record_text_and_raw_html_are_shown_as_written() {
        let page = html(&draft(
            "# \\*Grants\\* &lt;b&gt;x&lt;/b&gt;\n\n<script>alert(1)</script>\n\nSee <b>this</b>.\n",
        ));
        assert!(
            page.contains("<h1>*Grants* &lt;b&gt;x&lt;/b&gt;</h1>"),
            "{page}"
        );
        assert!(page.contains("<title>*Grants* &lt;b&gt;x&lt;/b&gt;</title>"));
        assert!(
            !page.contains("<script>") && !page.contains("<b>"),
            "{page}"
        );
        assert!(page.contains("<p>DRAFT &lt;one&gt;</p>"));
    }

    #[test]
    fn placeholders_are_marked_and_figures_follow_their_heading() {
        let page = html(&draft(
            "# T\n\nSent on [date the report is sent].\n\n## By quarter\n\n| A |\n|---|\n| [x] |\n",
        ));
        assert!(page.contains("Sent on <mark>[date the report is sent]</mark>."));
        assert!(page.contains("<td><mark>[x]</mark></td>"), "{page}");
        let heading = page.find("<h2>By quarter</h2>").unwrap();
        let chart = page.find("<svg").unwrap();
        assert!(heading < chart && chart < page.find("<table>").unwrap());
        // The print header of the later pages, in the margin, as a CSS string.
        assert!(page.contains("@top-left { content: \"DRAFT \\00003Cone\\00003E\";"));
        // Self-contained: nothing to fetch.
        assert!(!page.contains("src=") && !page.contains("href="));
    }

    #[test]
    fn the_running_header_cannot_end_its_string_or_the_style() {
        assert_eq!(
            css_string("a\"b\\c</style>\nNOT: x"),
            "\"a\\000022b\\00005Cc\\00003C\\00002Fstyle\\00003E\\00000ANOT: x\""
        );
        let mut confidential = draft("# T\n");
        confidential
            .page_header
            .push("NOT FOR PUBLICATION: [state the exemption relied on]".to_string());
        let page = html(&confidential);
        assert!(
            page.contains(
                "<p>NOT FOR PUBLICATION: <mark>[state the exemption relied on]</mark></p>"
            ),
            "{page}"
        );
        assert!(page.contains("@page :first"), "{page}");
        assert!(!page.contains("position: fixed"), "{page}");
    }
}
