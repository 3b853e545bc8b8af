//! The Word drafts as python-docx reads them: headings in Word's heading styles, in the
//! Markdown's order; the Markdown's tables with their header rows; the page header on every
//! page; every placeholder highlighted.

use serde_json::Value;

use super::{
    cases, headings, placeholders, python_libraries, read_with_python, real_clients, tables, Case,
};

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn word_drafts_read_in_python_docx_match_their_markdown() {
    if !real_clients("python3 with python-docx and pypdf", python_libraries()) {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    for case in cases() {
        let file = case.write(folder.path(), "docx");
        let document = read_with_python("docx", &file);
        let markdown = case.markdown();
        page_header(&case, &document);
        same_headings(&case, &document, &markdown);
        same_tables(&case, &document, &markdown);
        placeholders_highlighted(&case, &document);
    }
}

/// One section whose own header, on every page including the first, holds the DRAFT line and,
/// for a confidential record, NOT FOR PUBLICATION with its ground.
fn page_header(case: &Case, document: &Value) {
    let sections = document["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 1, "{}: {sections:?}", case.name);
    let section = &sections[0];
    assert_eq!(
        strings(&section["header"]),
        case.page_header(),
        "{}",
        case.name
    );
    assert_eq!(section["linked_to_previous"], false, "{}", case.name);
    assert_eq!(section["different_first_page"], false, "{}", case.name);
    let width = section["page_width_pt"].as_f64().unwrap();
    assert!(
        (width - 595.3).abs() < 2.0,
        "{}: not A4 wide: {width}",
        case.name
    );
}

fn same_headings(case: &Case, document: &Value, markdown: &str) {
    let paragraphs = document["paragraphs"].as_array().unwrap();
    let styled: Vec<(String, String)> = paragraphs
        .iter()
        .map(|paragraph| {
            let style = paragraph["style"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: a paragraph with no style: {paragraph}", case.name));
            (
                style.to_string(),
                paragraph["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let in_word: Vec<(String, String)> = styled
        .into_iter()
        .filter(|(style, _)| style.starts_with("Heading"))
        .collect();
    // Word's three heading styles; a deeper Markdown heading would be a Heading 3.
    let expected: Vec<(String, String)> = headings(markdown)
        .into_iter()
        .map(|(level, text)| (format!("Heading {}", level.min(3)), text))
        .collect();
    assert!(
        expected.iter().any(|(style, _)| style == "Heading 1")
            && expected.iter().any(|(style, _)| style == "Heading 2"),
        "{}: {expected:?}",
        case.name
    );
    assert_eq!(in_word, expected, "{}", case.name);
}

fn same_tables(case: &Case, document: &Value, markdown: &str) {
    let in_word = document["tables"].as_array().unwrap();
    let expected = tables(markdown);
    assert!(!expected.is_empty(), "{}: no tables", case.name);
    assert_eq!(in_word.len(), expected.len(), "{}", case.name);
    for (table, rows) in in_word.iter().zip(&expected) {
        let columns = rows[0].len();
        assert_eq!(strings(&table["header"]), rows[0], "{}", case.name);
        assert_eq!(
            table["rows"].as_u64(),
            Some(rows.len() as u64),
            "{}",
            case.name
        );
        assert_eq!(
            table["columns"].as_u64(),
            Some(columns as u64),
            "{}",
            case.name
        );
        assert_eq!(
            table["cells_per_row"],
            serde_json::json!([columns]),
            "{}",
            case.name
        );
    }
}

/// Each `[...]` in the body, the tables and the page header is in a yellow run of its own.
fn placeholders_highlighted(case: &Case, document: &Value) {
    let mut body: Vec<String> = document["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|paragraph| placeholders(paragraph["text"].as_str().unwrap()))
        .collect();
    let mut highlighted = strings(&document["highlighted"]);
    for table in document["tables"].as_array().unwrap() {
        let in_cells: Vec<String> = strings(&table["texts"])
            .iter()
            .flat_map(|text| placeholders(text))
            .collect();
        assert_eq!(strings(&table["highlighted"]), in_cells, "{}", case.name);
        body.extend(in_cells);
        highlighted.extend(strings(&table["highlighted"]));
    }
    assert!(!body.is_empty(), "{}: no placeholders", case.name);
    assert_eq!(highlighted, body, "{}", case.name);
    let section = &document["sections"][0];
    let in_header: Vec<String> = strings(&section["header"])
        .iter()
        .flat_map(|line| placeholders(line))
        .collect();
    assert_eq!(
        strings(&section["header_highlighted"]),
        in_header,
        "{}",
        case.name
    );
    if case.withheld_on.is_some() {
        assert!(
            document["tables"]
                .as_array()
                .unwrap()
                .iter()
                .any(|table| strings(&table["highlighted"])
                    .contains(&"[none recorded: the summary is withheld]".to_string())),
            "{}: the withheld summary's placeholder is not highlighted in its cell",
            case.name
        );
    }
}
