//! The HTML drafts in headless Chromium: printed to PDF and read back with pypdf (A4 pages,
//! a sane number of them, the page header on every page, the tables' header text), shown as
//! a PNG, and measured for anything wider than the printed page.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{cases, folded, python_libraries, read_with_python, real_clients, tables, Case};
use crate::support::{mocheck_in, stderr, tree, TODAY};

/// A4 in PDF points.
const A4: (f64, f64) = (595.0, 842.0);

/// The width between the print stylesheet's margins (210 mm less 2 x 18 mm) in CSS pixels
/// (96 to the inch): a window this wide lays the text out as wide as the printed page.
const PRINTED_WIDTH: u32 = 658;

/// The most pages each draft may print to: about twice what it prints to now, so a layout
/// that spills (a table a word to a page, a chart a page high) fails.
fn page_bound(case: &Case) -> usize {
    match case.name {
        "s114" => 10,
        "assurance" => 14,
        _ => 12,
    }
}

fn chromium_found() -> bool {
    Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Both the browser and the Python readers, or a failure saying how to get them.
fn clients() -> bool {
    real_clients("chromium", chromium_found())
        && real_clients("python3 with python-docx and pypdf", python_libraries())
}

/// Headless Chromium on a local file, with a profile of its own (two browsers sharing one
/// would hand the page to each other and exit), bounded in time by coreutils' `timeout`.
fn chromium(folder: &Path, page: &Path, options: &[String]) -> Output {
    let profile = folder.join(format!(
        "profile-{}",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let output = Command::new("timeout")
        .arg("120")
        .arg("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(options)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium: {}", stderr(&output));
    output
}

fn print_to_pdf(folder: &Path, page: &Path) -> PathBuf {
    let pdf = page.with_extension("pdf");
    chromium(
        folder,
        page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_string(),
        ],
    );
    assert!(pdf.is_file(), "no PDF from {}", page.display());
    pdf
}

#[test]
fn html_drafts_print_from_chromium_to_a4_with_the_header_on_every_page() {
    if !clients() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    for case in cases() {
        let page = case.write(folder.path(), "html");
        if case.withheld_on.is_some() {
            let html = std::fs::read_to_string(&page).unwrap();
            assert!(
                html.contains("<td><mark>[none recorded: the summary is withheld]</mark></td>"),
                "{html}"
            );
        }
        let pdf = read_with_python("pdf", &print_to_pdf(folder.path(), &page));
        let pages = pdf["pages"].as_array().unwrap();
        let name = case.name;
        assert!(
            (1..=page_bound(&case)).contains(&pages.len()),
            "{name}: {} pages",
            pages.len()
        );
        let mut all_text = String::new();
        for (number, page) in pages.iter().enumerate() {
            let (width, height) = (
                page["width"].as_f64().unwrap(),
                page["height"].as_f64().unwrap(),
            );
            assert!(
                (width - A4.0).abs() <= 2.0 && (height - A4.1).abs() <= 2.0,
                "{name}: page {number} is {width} x {height} points, not A4"
            );
            // The header lines are at the top of the page, not merely somewhere on it.
            let top = folded(page["top"].as_str().unwrap());
            for line in case.page_header() {
                assert!(
                    top.contains(&folded(&line)),
                    "{name}: page {number} has no `{line}` at its top: {top}"
                );
            }
            let text = page["text"].as_str().unwrap();
            // `--no-pdf-header-footer` took: no date or file address from the browser.
            assert!(!text.contains("file://"), "{name}: {text}");
            all_text.push_str(text);
            all_text.push('\n');
        }
        // The placeholders' highlight is printed (#ffeb3b, `mark` in the stylesheet), even
        // where a browser leaves backgrounds out by default.
        assert!(
            pages.iter().any(|page| page["fills"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("#ffeb3b"))),
            "{name}: no yellow highlight printed"
        );
        let words: Vec<&str> = all_text.split_whitespace().collect();
        for table in tables(&case.markdown()) {
            // A header cell may wrap onto two lines, between its neighbours' words: each
            // word must be there, and the first cell whole.
            assert!(
                folded(&all_text).contains(&folded(&table[0][0])),
                "{name}: no `{}`",
                table[0][0]
            );
            for word in table[0].iter().flat_map(|cell| cell.split_whitespace()) {
                assert!(
                    words.iter().any(|printed| printed.contains(word)),
                    "{name}: the table header's `{word}` is not in the PDF"
                );
            }
        }
    }
}

#[test]
fn html_drafts_show_as_a_png_in_chromium() {
    if !clients() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    for case in cases() {
        let page = case.write(folder.path(), "html");
        let png = page.with_extension("png");
        // A4 at 96 pixels to the inch.
        chromium(
            folder.path(),
            &page,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=794,1123".to_string(),
            ],
        );
        let bytes = std::fs::read(&png).expect("a screenshot");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", case.name);
        let size = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        assert_eq!((size(16), size(20)), (794, 1123), "{}", case.name);
    }
}

/// Measured in the browser by a script added to the test's copy of the page only (the
/// drafts themselves carry no script): after layout, the page must be no wider than its
/// window, and no element wider than its box, in a window as wide as the printed page's
/// text. A PDF cannot show this: the browser clips what runs past the page, and the text
/// of a clipped word is still there to extract. The result is read back from the DOM.
const PROBE: &str = r#"<script>
const root = document.documentElement;
const wide = [...document.querySelectorAll("body *")]
  .filter(element => !element.closest("svg") || element.tagName === "svg")
  .filter(element => element.getBoundingClientRect().right > root.clientWidth + 0.5
    || (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1))
  .map(element => element.tagName.toLowerCase() + " " + element.scrollWidth + "px in "
    + element.clientWidth + "px");
const result = document.createElement("pre");
result.id = "overflow-probe";
result.textContent = JSON.stringify({window: root.clientWidth, page: root.scrollWidth, wide});
document.body.append(result);
</script>"#;

/// What the probe saw: the window's width, the page's, and each element wider than its box.
fn overflow(folder: &Path, page: &Path) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    assert!(!html.contains("<script"), "a draft carries a script");
    let probed = page.with_file_name(format!(
        "{}-probed.html",
        page.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(&probed, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let output = chromium(
        folder,
        &probed,
        &[
            format!("--window-size={PRINTED_WIDTH},1123"),
            "--dump-dom".to_string(),
        ],
    );
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = "<pre id=\"overflow-probe\">";
    let (_, rest) = dom
        .split_once(start)
        .unwrap_or_else(|| panic!("the probe did not run: {dom}"));
    let (json, _) = rest.split_once("</pre>").expect("the probe's result ends");
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let measured: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(measured["window"], PRINTED_WIDTH, "{measured}");
    measured
}

#[test]
fn nothing_in_an_html_draft_is_wider_than_the_printed_page() {
    if !clients() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    // The probe finds what it is meant to: a box wider than the window.
    let control = folder.path().join("control.html");
    std::fs::write(
        &control,
        "<body><div style=\"width:2000px\">wide</div></body>",
    )
    .unwrap();
    let measured = overflow(folder.path(), &control);
    assert!(
        !measured["wide"].as_array().unwrap().is_empty(),
        "{measured}"
    );

    let mut pages: Vec<(String, PathBuf)> = cases()
        .iter()
        .map(|case| (case.name.to_string(), case.write(folder.path(), "html")))
        .collect();
    // Words longer than a line, in a reference (headings, tables), a title, a summary and a
    // name (lists and table cells).
    let long = format!("Unbroken{}", "x".repeat(170));
    let reference = format!("T-{}", "9".repeat(120));
    let record = format!(
        "reference: {reference}\ntitle: Title {long} end\nsummary: Summary {long} end\n\
         type: other\nstatus: decided\ndecision_maker:\n  role: pcc\n  name: Name{long}\n\
         decided_on: 2026-03-12\nadvice:\n  chief_executive:\n    name: Polly Reed\n    \
         date: 2026-03-14\ninterests:\n  declaration: true\n"
    );
    let records = tree(&[("record.yaml", record.as_bytes())]);
    for (name, extra) in [
        ("long-s5", &["--decision", reference.as_str()][..]),
        ("long-assurance", &["--assurance"][..]),
    ] {
        let file = folder.path().join(format!("{name}.html"));
        let file_arg = file.to_str().unwrap();
        let mut args = vec![
            "report",
            "record.yaml",
            "--today",
            TODAY,
            "--output",
            file_arg,
        ];
        args.extend_from_slice(extra);
        let output = mocheck_in(records.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            std::fs::read_to_string(&file).unwrap().contains(&long),
            "{name}"
        );
        pages.push((name.to_string(), file));
    }
    for (name, page) in pages {
        let measured = overflow(folder.path(), &page);
        assert_eq!(measured["page"], PRINTED_WIDTH, "{name}: {measured}");
        assert_eq!(
            measured["wide"],
            serde_json::json!([]),
            "{name}: {measured}"
        );
    }
}
