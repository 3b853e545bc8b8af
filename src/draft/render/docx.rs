//! A draft as a Word document, built with `docx-rs`: headings in Word's heading styles (so
//! the navigation pane lists them), lists, tables with a header row, the page header lines
//! in Word's page header, and placeholders highlighted in yellow.

use docx_rs::{
    AbstractNumbering, BreakType, Docx, Header, IndentLevel, Level, LevelJc, LevelOverride,
    LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Run, RunFonts, Shading,
    SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableRow, WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::super::Draft;
use super::{events, placeholders};

/// Every paragraph names its style: docx-rs cannot mark `Normal` as the default style, and
/// a reader that looks for the default (python-docx, some converters) would find none.
const NORMAL: &str = "Normal";
/// The width between the margins of docx-rs's A4 page (11,906 twips less two margins of
/// 1,701), in twips.
const TEXT_WIDTH: usize = 8504;
const BULLETS: usize = 1;
const NUMBERS: usize = 2;

/// The document's bytes (a .docx is a zip file).
pub(super) fn docx(draft: &Draft) -> Vec<u8> {
    let mut writer = Writer::default();
    for event in events(&draft.markdown) {
        writer.event(event);
    }
    writer.flush();
    let mut document = styles(Docx::new())
        .header(page_header(&draft.page_header))
        .add_abstract_numbering(list_levels(BULLETS, "bullet"))
        .add_abstract_numbering(list_levels(NUMBERS, "decimal"));
    for numbering in writer.numberings {
        document = document.add_numbering(numbering);
    }
    for block in writer.blocks {
        document = match block {
            Block::Paragraph(paragraph) => document.add_paragraph(*paragraph),
            Block::Table(table) => document.add_table(*table),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    document
        .build()
        .pack(&mut bytes)
        .expect("a Word document is written to memory, which cannot fail");
    bytes.into_inner()
}

/// The page header, one bold paragraph a line, placeholders highlighted as in the body. It
/// is the section's default header, so Word repeats it on every page.
fn page_header(lines: &[String]) -> Header {
    let mut header = Header::new();
    for line in lines {
        let mut paragraph = Paragraph::new().style(NORMAL);
        for (placeholder, piece) in placeholders(line) {
            let run = Run::new().add_text(&piece).bold();
            paragraph = paragraph.add_run(if placeholder {
                run.highlight("yellow")
            } else {
                run
            });
        }
        header = header.add_paragraph(paragraph);
    }
    header
}

/// Word's own heading styles, by their built-in names, and a quote style for the banner.
fn styles(document: Docx) -> Docx {
    let heading = |level: usize, size: usize| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(level - 1)
            .size(size)
            .bold()
    };
    document
        .add_style(heading(1, 32))
        .add_style(heading(2, 26))
        .add_style(heading(3, 23))
        .add_style(
            Style::new("Quote", StyleType::Paragraph)
                .name("Quote")
                .based_on("Normal")
                .bold()
                .indent(Some(360), None, None, None),
        )
}

/// Three levels of bullets or of numbers.
fn list_levels(id: usize, format: &str) -> AbstractNumbering {
    let mut numbering = AbstractNumbering::new(id);
    for level in 0..3 {
        let text = if format == "bullet" {
            "•".to_string()
        } else {
            format!("%{}.", level + 1)
        };
        let indent = i32::try_from(720 * (level + 1)).unwrap_or(i32::MAX);
        numbering = numbering.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(format),
                LevelText::new(text),
                LevelJc::new("left"),
            )
            .indent(
                Some(indent),
                Some(SpecialIndentType::Hanging(360)),
                None,
                None,
            ),
        );
    }
    numbering
}

enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// The state of the walk through the Markdown's events.
#[derive(Default)]
struct Writer {
    blocks: Vec<Block>,
    numberings: Vec<Numbering>,
    /// The paragraph being written, once it has text.
    paragraph: Option<Paragraph>,
    /// The style and list numbering the next paragraph opens with.
    style: Option<&'static str>,
    numbering: Option<(usize, usize)>,
    /// Each open list's numbering id, innermost last.
    lists: Vec<usize>,
    bold: usize,
    italic: usize,
    /// The table being written: its rows, the row's cells, the cell's paragraphs.
    table: Option<Vec<TableRow>>,
    row: Vec<TableCell>,
    cell: Vec<Paragraph>,
    in_head: bool,
    /// The number of columns of the table being written, from its header row.
    columns: usize,
}

impl Writer {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(&tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                for (placeholder, piece) in placeholders(&text) {
                    let run = self.run(&piece);
                    self.push(if placeholder {
                        run.highlight("yellow")
                    } else {
                        run
                    });
                }
            }
            Event::Code(code) => {
                let run = self.run(&code).fonts(RunFonts::new().ascii("Consolas"));
                self.push(run);
            }
            Event::SoftBreak => {
                let run = self.run(" ");
                self.push(run);
            }
            Event::HardBreak => self.push(Run::new().add_break(BreakType::TextWrapping)),
            Event::Rule => {
                self.flush();
                self.blocks
                    .push(Block::Paragraph(Box::new(Paragraph::new().style(NORMAL))));
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.style = Some(match *level {
                    HeadingLevel::H1 => "Heading1",
                    HeadingLevel::H2 => "Heading2",
                    _ => "Heading3",
                });
            }
            Tag::BlockQuote(_) => self.style = Some("Quote"),
            Tag::List(first) => {
                self.flush();
                // Each list has its own numbering, so a numbered list starts from its first.
                let id = self.numberings.len() + 1;
                let level = self.lists.len();
                let (format, start) = match first {
                    Some(first) => (NUMBERS, usize::try_from(*first).unwrap_or(1)),
                    None => (BULLETS, 1),
                };
                self.numberings.push(
                    Numbering::new(id, format).add_override(LevelOverride::new(level).start(start)),
                );
                self.lists.push(id);
            }
            Tag::Item => {
                self.flush();
                if let Some(&id) = self.lists.last() {
                    self.numbering = Some((id, self.lists.len() - 1));
                }
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Vec::new());
            }
            Tag::TableHead => self.in_head = true,
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item => self.flush(),
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.style = None;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.numbering = None;
            }
            TagEnd::TableCell => {
                self.flush();
                let mut cell = TableCell::new();
                for paragraph in self.cell.drain(..) {
                    cell = cell.add_paragraph(paragraph);
                }
                if self.in_head {
                    cell = cell.shading(Shading::new().fill("E6E6E6"));
                }
                self.row.push(cell);
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if self.in_head {
                    self.columns = self.row.len();
                }
                self.in_head = false;
                let row = TableRow::new(std::mem::take(&mut self.row)).cant_split();
                if let Some(rows) = self.table.as_mut() {
                    rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(rows) = self.table.take() {
                    // A grid of equal columns across the text width: without one, a reader
                    // that lays out by the grid (LibreOffice, python-docx) sees no columns.
                    let columns = self.columns.max(1);
                    let table = Table::new(rows)
                        .set_grid(vec![TEXT_WIDTH / columns; columns])
                        .width(TEXT_WIDTH, WidthType::Dxa);
                    self.blocks.push(Block::Table(Box::new(table)));
                }
            }
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            _ => {}
        }
    }

    /// A run of text in the current bold and italic; header cells are bold.
    fn run(&self, text: &str) -> Run {
        let mut run = Run::new().add_text(text);
        if self.bold > 0 || self.in_head {
            run = run.bold();
        }
        if self.italic > 0 {
            run = run.italic();
        }
        run
    }

    /// Adds a run to the paragraph being written, opening one in the pending style.
    fn push(&mut self, run: Run) {
        let paragraph = self.paragraph.take().unwrap_or_else(|| {
            let mut paragraph = Paragraph::new().style(self.style.unwrap_or(NORMAL));
            if let Some((id, level)) = self.numbering.take() {
                paragraph = paragraph.numbering(NumberingId::new(id), IndentLevel::new(level));
            }
            paragraph
        });
        self.paragraph = Some(paragraph.add_run(run));
    }

    /// Ends the paragraph being written, into the table cell or the document.
    fn flush(&mut self) {
        if let Some(paragraph) = self.paragraph.take() {
            if self.table.is_some() {
                self.cell.push(paragraph);
            } else {
                self.blocks.push(Block::Paragraph(Box::new(paragraph)));
            }
        }
        if self.style != Some("Quote") {
            self.style = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use docx_rs::BuildXML;

    use super::*;

    #[test]
    fn a_placeholder_in_the_page_header_is_highlighted() {
        let header = page_header(&[
            "DRAFT".to_string(),
            "NOT FOR PUBLICATION: [state the exemption relied on]".to_string(),
        ]);
        let xml = String::from_utf8(header.build()).unwrap();
        let placeholder = xml.find("[state the exemption relied on]").unwrap();
        let highlight = xml.rfind("<w:highlight w:val=\"yellow\"").unwrap();
        // The highlight is in the placeholder's run, after the plain text's run.
        assert!(highlight < placeholder, "{xml}");
        assert!(
            xml.find("NOT FOR PUBLICATION: <").unwrap() < highlight,
            "{xml}"
        );
        assert_eq!(xml.matches("w:highlight").count(), 1, "{xml}");
    }

    #[test]
    fn tables_have_a_grid_and_placeholders_in_cells_are_highlighted() {
        let mut writer = Writer::default();
        for event in events("Text.\n\n| A | B |\n|---|---|\n| [x] | y |\n") {
            writer.event(event);
        }
        writer.flush();
        let [Block::Paragraph(paragraph), Block::Table(table)] = &writer.blocks[..] else {
            panic!("a paragraph and a table");
        };
        let paragraph = String::from_utf8(paragraph.build()).unwrap();
        assert!(
            paragraph.contains("<w:pStyle w:val=\"Normal\" />"),
            "{paragraph}"
        );
        let table = String::from_utf8(table.build()).unwrap();
        assert_eq!(
            table.matches("<w:gridCol w:w=\"4252\"").count(),
            2,
            "{table}"
        );
        let placeholder = table.find(">[x]<").unwrap();
        let highlight = table.find("<w:highlight w:val=\"yellow\"").unwrap();
        assert!(highlight < placeholder && table.find(">y<").unwrap() > placeholder);
        assert_eq!(table.matches("w:highlight").count(), 1, "{table}");
    }
}
