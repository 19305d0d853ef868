//! An archive scanner or a phone saves a two-page plan as `…_page_1.png`, `…_page_2.png`:
//! those files are one document, its pages in order, its spans and page starts in its one text.
//!
//! The pages are a real plan's (tests/data/page_files: the two pages of one plan of a
//! provincial People's Council office, scanned at 300 dpi, kept grey at 180 dpi), read by real
//! Tesseract. Needs `bash scripts/dev.sh` (Tesseract `vie`).

mod support;

use kehoach::fold::fold;
use serde_json::Value;
use std::path::Path;
use support::*;

const PAGES: [&str; 2] = ["kh_vp_page_1.png", "kh_vp_page_2.png"];

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/page_files")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The page starts (chars), checked to be in order and inside the text.
fn checked_page_starts(doc: &Value) -> Vec<usize> {
    let starts = page_starts(doc);
    let chars = doc["text"].as_str().unwrap().chars().count();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    assert!(starts.iter().all(|&s| s < chars), "{starts:?} past {chars}");
    starts
}

/// What the two pages of the plan are, wherever the document came from.
fn assert_is_the_two_page_plan(doc: &Value) {
    let numbers: Vec<u64> = doc["source"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2]);
    assert!(pages(doc).iter().all(|(m, c)| m == "ocr" && c.is_some()));
    let starts = checked_page_starts(doc);
    let (one, two) = (fold(&page_text(doc, 1)), fold(&page_text(doc, 2)));
    assert!(one.contains("ke hoach"), "page 1 is the first: {one}");
    assert!(!one.contains("noi nhan"), "{one}");
    assert!(two.contains("noi nhan"), "page 2 is the last: {two}");
    assert_eq!(doc["document"]["type"], "Kế hoạch");
    // Values read across the page break, with spans on the right page.
    let sections = doc["sections"].as_array().unwrap();
    let last = sections.last().expect("sections");
    let span = |v: &Value| {
        (
            v["span"][0].as_u64().unwrap() as usize,
            v["span"][1].as_u64().unwrap() as usize,
        )
    };
    let (a, b) = span(last);
    assert!(
        a < starts[1] && starts[1] < b,
        "the last section runs on over the page break: {last}"
    );
    let on_page_two = doc["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["end"] == "2018-12-01")
        .unwrap_or_else(|| panic!("page 2's deadline: {}", doc["deadlines"]));
    assert!(span(on_page_two).0 >= starts[1], "{on_page_two}");
    let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    let (a, b) = span(on_page_two);
    let said: String = text[a..b].iter().collect();
    assert!(said.contains("01/12/2018"), "{said}");
    assert!(
        !doc["document"]["recipients"].as_array().unwrap().is_empty(),
        "the recipients are on page 2"
    );
}

#[test]
fn page_files_named_as_one_plans_pages_become_one_document() {
    let files: Vec<(&str, Vec<u8>)> = PAGES
        .iter()
        .map(|n| (*n, fixture(n)))
        .chain([("plan.txt", b"KE HOACH\nI. MUC DICH\nThu.\n".to_vec())])
        .collect();
    let (_dir, out, run) = ingest_files(&files);
    assert_succeeded(&run);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("2 documents, 3 pages"), "{stderr}");
    assert!(
        !out.join("kh_vp_page_2.png.json").exists(),
        "page 2 became a document of its own"
    );
    let doc = document(&out, "kh_vp_page_1.png");
    let files: Vec<&str> = doc["source"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        files.len() == 2 && files[0].ends_with(PAGES[0]) && files[1].ends_with(PAGES[1]),
        "{files:?}"
    );
    assert_is_the_two_page_plan(&doc);
    let row = index_row(&out, "kh_vp_page_1.png");
    assert_eq!(
        (row["status"].as_str(), row["pages"].as_u64()),
        (Some("ok"), Some(2))
    );
}

#[test]
fn pages_per_folder_reads_a_folder_of_numbered_scans_as_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("in").join("kh 288");
    std::fs::create_dir_all(&scans).unwrap();
    // Bare numbers: no page word, so only the option makes them one document.
    std::fs::write(scans.join("0002.png"), fixture(PAGES[1])).unwrap();
    std::fs::write(scans.join("0001.png"), fixture(PAGES[0])).unwrap();
    let out = dir.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["ingest", "--pages-per-folder", "--jobs", "2", "-o"])
        .arg(&out)
        .arg(dir.path().join("in"))
        .output()
        .unwrap();
    assert_succeeded(&run);
    assert!(!out.join("kh 288/0001.png.json").exists());
    assert_is_the_two_page_plan(&document(&out, "kh 288"));
}
