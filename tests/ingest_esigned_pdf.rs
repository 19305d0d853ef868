//! Vietnamese e-office systems stamp a document's number and date into the blanks of its
//! header through the appearance streams of signature fields, not the page's content: the page
//! itself reads "Số: /TTr-X … ngày tháng năm 2026". Real e-signed PDFs (copied into
//! `tests/data/real/`, see its README) must come out with both in full.
//!
//! Needs PDFium (`bash scripts/dev.sh`).

use kehoach::{Params, Rules};

fn read(name: &str) -> kehoach::Document {
    read_data(&format!("real/{name}"))
}

/// A file of `tests/data/` through the whole pipeline.
fn read_data(name: &str) -> kehoach::Document {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
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

#[test]
fn every_signature_says_who_signed_when_and_whether_the_bytes_still_match() {
    let doc = read("esigned_1126_TTr-SNNMT.pdf");
    let sigs = &doc.source.signatures;
    assert_eq!(sigs.len(), 8, "{sigs:#?}");
    let first = &sigs[0];
    assert_eq!(first.field.as_deref(), Some("Signature1"));
    assert_eq!(first.signer.as_deref(), Some("Lê Văn Trực"));
    assert_eq!(first.time.as_deref(), Some("2026-07-30T16:32:00+07:00"));
    let cert = first.certificate.as_ref().expect("certificate");
    assert!(cert.subject.contains("CN=Lê Văn Trực"), "{}", cert.subject);
    assert!(
        cert.issuer.contains("Ban Cơ yếu Chính phủ"),
        "{}",
        cert.issuer
    );
    // The first signer certified the document (DocMDP); later ones approved it.
    assert_eq!(first.kind, "certification");
    assert_eq!(sigs[1].kind, "approval");
    // Each later signature is an incremental update: only the last covers the whole file.
    let covering: Vec<bool> = sigs.iter().map(|s| s.covers_whole_document).collect();
    assert_eq!(covering.iter().filter(|c| **c).count(), 1);
    assert!(covering[7]);
    assert!(sigs.iter().filter_map(|s| s.digest_ok).all(|ok| ok));
    assert!(sigs.iter().filter(|s| s.digest_ok == Some(true)).count() >= 7);
}

#[test]
fn bytes_changed_after_signing_fail_the_digest() {
    let path = format!(
        "{}/tests/data/real/esigned_176_TTr-SNV.pdf",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut bytes = std::fs::read(&path).unwrap();
    let before = kehoach::process_bytes(&path, &bytes, Rules::builtin(), &Params::default())
        .unwrap()
        .source
        .signatures;
    assert!(
        before.iter().any(|s| s.digest_ok == Some(true)),
        "{before:#?}"
    );
    // One byte of the signed content changed (inside a stream, so the file still parses).
    let at = bytes
        .windows(6)
        .position(|w| w == b"stream")
        .expect("a stream")
        + 20;
    bytes[at] ^= 0x01;
    let after = kehoach::process_bytes(&path, &bytes, Rules::builtin(), &Params::default())
        .unwrap()
        .source
        .signatures;
    assert_eq!(after.len(), before.len());
    assert!(
        after.iter().all(|s| s.digest_ok != Some(true)),
        "{after:#?}"
    );
}

#[test]
fn good_text_layers_are_never_ocrd() {
    for file in ["esigned_1126_TTr-SNNMT.pdf", "esigned_176_TTr-SNV.pdf"] {
        let doc = read(file);
        assert!(
            doc.source
                .pages
                .iter()
                .all(|p| p.method == kehoach::contract::PageMethod::TextLayer),
            "{file}"
        );
        assert!(
            !doc.warnings.iter().any(|w| w.code == "text_layer_rejected"),
            "{file}"
        );
    }
}

#[test]
fn a_text_layer_with_a_broken_font_map_is_ocrd_instead_and_says_so() {
    let doc = read("broken_font_map_1105_KH-DKT.pdf");
    assert!(
        doc.source
            .pages
            .iter()
            .all(|p| p.method == kehoach::contract::PageMethod::Ocr)
    );
    let rejected: Vec<&str> = doc
        .warnings
        .iter()
        .filter(|w| w.code == "text_layer_rejected")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(rejected.len(), doc.source.pages.len(), "{rejected:?}");
    assert!(rejected[0].contains("not Vietnamese"), "{}", rejected[0]);
    assert_eq!(doc.document.number.as_deref(), Some("1105/KH-ĐKT"));
    assert_eq!(doc.document.date.as_deref(), Some("2026-03-10"));
    assert!(doc.text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
}

#[test]
fn values_the_signing_system_stamped_are_named_for_review() {
    let has = |doc: &kehoach::Document, field: &str| {
        doc.review
            .iter()
            .any(|r| r.field == field && r.reason == "e_signature_stamp")
    };
    for file in ["esigned_1126_TTr-SNNMT.pdf", "esigned_176_TTr-SNV.pdf"] {
        let doc = read(file);
        assert!(has(&doc, "document.number"), "{file}: {:?}", doc.review);
        assert!(has(&doc, "document.date"), "{file}: {:?}", doc.review);
    }
    // A number and date printed in the page's own text are not the signing system's.
    let doc = read_data("text_layer_plan.pdf");
    assert!(doc.document.number.is_some());
    assert!(
        !has(&doc, "document.number") && !has(&doc, "document.date"),
        "{:?}",
        doc.review
    );
}

#[test]
fn a_stamp_line_gives_the_date_when_the_page_has_none() {
    // An annex without a header: its number and date exist only in the line the signing
    // system stamped ("Số: 666/TTr-SNV; 22/12/2025; 18:56:39; +07:00").
    let doc = read("stamp_line_666_TTr-SNV.pdf");
    assert_eq!(doc.document.number.as_deref(), Some("666/TTr-SNV"));
    assert_eq!(doc.document.date.as_deref(), Some("2025-12-22"));
    let codes: Vec<&str> = doc.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"date_from_signature"), "{codes:?}");
    assert!(
        doc.review
            .iter()
            .any(|r| r.field == "document.date" && r.reason == "e_signature_stamp"),
        "{:?}",
        doc.review
    );
}
