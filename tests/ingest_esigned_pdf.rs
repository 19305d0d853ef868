//! Vietnamese e-office systems stamp a document's number and date into the blanks of its
//! header through the appearance streams of signature fields, not the page's content: the page
//! itself reads "Số: /TTr-X … ngày tháng năm 2026". Real e-signed PDFs (copied into
//! `tests/data/real/`, see its README) must come out with both in full.
//!
//! Needs PDFium (`bash scripts/dev.sh`).

use kehoach::{Params, Rules};

fn read(name: &str) -> kehoach::Document {
    let path = format!("{}/tests/data/real/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("test file");
    kehoach::process_bytes(&path, &bytes, Rules::builtin(), &Params::default()).expect(&path)
}

#[test]
fn stamped_number_and_date_reach_the_document() {
    for (file, number, date) in [
        ("esigned_1126_TTr-SNNMT.pdf", "1126/TTr-SNNMT", "2026-08-05"),
        ("esigned_176_TTr-SNV.pdf", "176/TTr-SNV", "2026-03-17"),
    ] {
        let doc = read(file);
        assert_eq!(doc.document.number.as_deref(), Some(number), "{file}");
        assert_eq!(doc.document.date.as_deref(), Some(date), "{file}");
    }
}

#[test]
fn the_stamp_reads_on_the_line_it_fills() {
    let doc = read("esigned_1126_TTr-SNNMT.pdf");
    let line = doc
        .text
        .lines()
        .find(|l| l.contains("/TTr-SNNMT"))
        .expect("the number's line");
    assert!(line.contains("Số: 1126 /TTr-SNNMT"), "{line}");
    assert!(line.contains("ngày 05 tháng 8 năm 2026"), "{line}");
    // The page's own words are all still there, once.
    assert_eq!(doc.text.matches("TỜ TRÌNH").count(), 1);
}
