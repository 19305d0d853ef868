//! Page furniture and line wrapping of real PDFs: a page number, a running header or a
//! footnote marker must never land inside a task, target or deadline, footnotes are kept as
//! footnotes, and a paragraph wrapped over lines (and over a page break) reads as one.
//!
//! On a real report (`tests/data/real/footnotes_228_BC-SNV.pdf`, see its README): ten pages
//! numbered at the top from page 2, footnotes with superscript markers on pages 1 to 3.
//! Needs PDFium (`bash scripts/dev.sh`).

use kehoach::{Params, Rules};
use regex::Regex;

fn read(name: &str) -> kehoach::Document {
    let path = format!("{}/tests/data/real/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("test file");
    kehoach::process_bytes(&path, &bytes, Rules::builtin(), &Params::default()).expect(&path)
}

/// Every task, target and deadline text of the document.
fn field_texts(doc: &kehoach::Document) -> Vec<String> {
    let v = serde_json::to_value(doc).unwrap();
    let mut out = vec![];
    for key in ["tasks", "targets", "deadlines"] {
        for item in v[key].as_array().unwrap() {
            out.push(item["text"].as_str().unwrap_or_default().to_string());
        }
    }
    out
}

#[test]
fn no_page_number_or_footnote_marker_inside_a_task_target_or_deadline() {
    let doc = read("footnotes_228_BC-SNV.pdf");
    let texts = field_texts(&doc);
    assert!(texts.len() > 50, "{}", texts.len());
    // A page number is a line of its own; a footnote marker is glued to the word it notes.
    let page_number = Regex::new(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$").unwrap();
    let marker = Regex::new(r"\p{Ll}{2}\d{1,2}\b").unwrap();
    for t in &texts {
        assert!(!t.lines().any(|l| page_number.is_match(l)), "{t}");
        assert!(!marker.is_match(t), "{t}");
    }
    // Nor anywhere in the text: pages 2 to 10 carry their number at the top.
    for p in 2..=10 {
        let n = p.to_string();
        assert!(!doc.text.lines().any(|l| l.trim() == n), "page {p}");
    }
    // Born-digital pages are read from their text layer, never OCR'd.
    assert!(
        doc.source
            .pages
            .iter()
            .all(|p| p.method == kehoach::contract::PageMethod::TextLayer)
    );
}

#[test]
fn footnotes_are_kept_apart_from_the_text() {
    let doc = read("footnotes_228_BC-SNV.pdf");
    for (page, marker) in [(0, "1"), (1, "2"), (2, "3")] {
        let notes = &doc.source.pages[page].footnotes;
        let first = notes.first().unwrap_or_else(|| panic!("page {}", page + 1));
        assert!(first.starts_with(&format!("{marker} ")), "{first}");
        // Its words are not in the text flow.
        let words: String = first.chars().skip(2).take(40).collect();
        assert!(!doc.text.contains(&words), "{words}");
    }
    assert!(doc.source.pages[3..].iter().all(|p| p.footnotes.is_empty()));
}

#[test]
fn a_wrapped_paragraph_is_one_line_even_across_a_page_break() {
    let doc = read("footnotes_228_BC-SNV.pdf");
    // Page 1 ends "… tại 22 xã, phường, đặc khu¹ trên địa" and page 2 goes on "bàn tỉnh …
    // khảo sát² . Hiện nay …" under its page number.
    let line = doc
        .text
        .lines()
        .find(|l| l.contains("SIPAS): Năm 2025"))
        .expect("the paragraph");
    assert!(
        line.contains("đặc khu trên địa bàn tỉnh với tổng số 1.100 phiếu khảo sát. Hiện nay"),
        "{line}"
    );
    assert!(line.ends_with("thực hiện công tác khảo sát."), "{line}");
    // The task is that paragraph, whole.
    let texts = field_texts(&doc);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Chỉ số mức độ hài lòng") && t == line.trim_start_matches("b) ")),
        "{texts:#?}"
    );
}
