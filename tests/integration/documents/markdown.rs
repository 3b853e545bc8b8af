//! Record text that looks like Markdown or HTML reads as written in every draft: rendered by
//! a `CommonMark` reader, the title, summary and decision maker's name show their stars,
//! underscores, brackets, backticks, tags and pipes as text, and no table gains a column.

use pulldown_cmark::{html, Options, Parser};

use super::tables;
use crate::support::{mocheck_in, stderr, stdout, tree, TODAY};

const TITLE: &str = "*stars* <b>bold</b> _under_ [link](x) `tick` a|b";
const SUMMARY: &str = "Summary with *stars* <b>bold</b> _under_ [link](x) `tick` and a|pipe";
const NAME: &str = "Pat *Star* <b>Quinn</b> _U_ [l](x) `t` |p";

/// A decision with the hostile text, and late advice so the s.5 draft is a report.
fn record() -> String {
    let quoted = |text: &str| format!("'{}'", text.replace('\'', "''"));
    format!(
        "reference: T-1\ntitle: {}\nsummary: {}\ntype: other\nstatus: decided\n\
         decision_maker:\n  role: pcc\n  name: {}\ndecided_on: 2026-03-12\n\
         advice:\n  chief_executive:\n    name: Polly Reed\n    date: 2026-03-14\n\
         interests:\n  declaration: true\n",
        quoted(TITLE),
        quoted(SUMMARY),
        quoted(NAME)
    )
}

fn draft(extra: &[&str]) -> String {
    let folder = tree(&[("record.yaml", record().as_bytes())]);
    let mut args = vec!["report", "record.yaml", "--today", TODAY];
    args.extend_from_slice(extra);
    let output = mocheck_in(folder.path(), &args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    stdout(&output)
}

fn rendered(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    out
}

/// The text as pulldown-cmark's HTML writer shows literal text.
fn as_html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn record_text_reads_as_written_in_the_markdown_drafts() {
    let s5 = draft(&["--decision", "T-1"]);
    let assurance = draft(&["--assurance"]);
    for (name, markdown) in [("s5", &s5), ("assurance", &assurance)] {
        let page = rendered(markdown);
        assert!(page.contains(&as_html_text(TITLE)), "{name}: {page}");
        for markup in ["<em>", "<a href", "<b>", "<code>tick", "<code>t<"] {
            assert!(!page.contains(markup), "{name}: `{markup}` in {page}");
        }
    }
    let page = rendered(&s5);
    assert!(page.contains(&as_html_text(SUMMARY)), "{page}");
    assert!(page.contains(&as_html_text(NAME)), "{page}");
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;") && page.contains("*stars*"));

    // The pipes stay in their cells: each value is whole in the cell beside its label.
    let rows: Vec<Vec<String>> = tables(&s5).into_iter().flatten().collect();
    let value = |label: &str| {
        rows.iter()
            .find(|row| row[0] == label)
            .unwrap_or_else(|| panic!("no `{label}` row in {rows:?}"))
            .clone()
    };
    assert_eq!(value("Title"), ["Title", TITLE]);
    assert_eq!(value("Summary"), ["Summary", SUMMARY]);
    assert_eq!(
        value("Taken by"),
        [
            "Taken by".to_string(),
            format!("{NAME}, Police and Crime Commissioner")
        ]
    );
    for table in tables(&s5).iter().chain(&tables(&assurance)) {
        let columns = table[0].len();
        assert!(table.iter().all(|row| row.len() == columns), "{table:?}");
    }
    let listed: Vec<Vec<String>> = tables(&assurance).into_iter().flatten().collect();
    assert!(
        listed
            .iter()
            .any(|row| row.len() > 1 && row[0] == "T-1" && row[1] == TITLE),
        "{listed:?}"
    );
}

#[test]
fn record_text_reads_as_written_in_the_html_draft() {
    let page = draft(&["--decision", "T-1", "--format", "html"]);
    for text in [TITLE, SUMMARY, NAME] {
        assert!(page.contains(&as_html_text(text)), "{page}");
    }
    // Brackets in record text are text, not placeholders to fill in.
    for markup in ["<em>", "<a href", "<b>", "<code>tick", "<mark>[l"] {
        assert!(!page.contains(markup), "`{markup}` in {page}");
    }
}

/// Each bar of the assurance summary's charts, as the HTML form draws it: its label and
/// number.
fn bars(html: &str) -> Vec<(String, String)> {
    let bar = regex::Regex::new(
        r#"<text [^>]*text-anchor="end">([^<]*)</text><rect [^>]*/><text [^>]*>([^<]*)</text>"#,
    )
    .unwrap();
    bar.captures_iter(html)
        .map(|found| (found[1].to_string(), found[2].to_string()))
        .collect()
}

#[test]
fn the_charts_numbers_are_in_the_tables_of_every_form() {
    let run = |format| {
        let mut args = crate::support::EXAMPLES.to_vec();
        args[0] = "report";
        args.extend(["--assurance", "--format", format]);
        let output = crate::support::mocheck(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    };
    let drawn = bars(&run("html"));
    assert!(drawn.len() > 10, "{drawn:?}");
    let rows: Vec<Vec<String>> = tables(&run("markdown")).into_iter().flatten().collect();
    for (label, number) in drawn {
        let label = label.replace("&amp;", "&");
        assert!(
            rows.iter().any(|row| row[0] == label
                && row[1..]
                    .iter()
                    .any(|cell| *cell == number || *cell == format!("{number}%"))),
            "the chart's `{label}: {number}` is in no table row"
        );
    }
}
