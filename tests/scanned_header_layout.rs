//! Real scans whose header OCR emits out of place (copied into `tests/data/real/`, see its
//! README): the header is laid out from the words' boxes (`src/acquire/ocr/header.rs`), so a
//! letter's subject is read whole from the left column, the stamps over the top stay out of
//! the issuer and the title, and nothing after the number (a unit's code, the other column)
//! becomes the issuer.
//!
//! OCR: a few seconds a page. Needs `bash scripts/dev.sh` (PDFium, Tesseract `vie`).

use kehoach::contract::StampKind;
use kehoach::{Document, Params, Rules};

fn read(name: &str) -> Document {
    let path = format!("{}/tests/data/real/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("test file");
    kehoach::process_bytes(&path, &bytes, Rules::builtin(), &Params::default()).expect(&path)
}

/// No stamp's words in the issuer or the title.
fn stamps_kept_out(doc: &Document) {
    let d = &doc.document;
    let fields = [
        d.issuer.as_deref(),
        d.parent_issuer.as_deref(),
        d.title.as_deref(),
    ];
    for f in fields.into_iter().flatten() {
        for word in [
            "Ký bởi",
            "Cơ quan:",
            "Thời gian ký",
            "Giờ ký",
            "+07:00",
            "CỘNG HÒA",
        ] {
            assert!(!f.contains(word), "{word:?} in {f:?}");
        }
    }
}

/// The subject's last two lines, which OCR emits after the right column (and which open with
/// a capital: `Giấy phép`), are read with its first: the title is the whole subject.
#[test]
fn a_subject_over_three_lines_of_the_left_column_is_read_whole() {
    let doc = read("scan_subject_two_lines_2265_BCT-ATMT.pdf");
    let d = &doc.document;
    let title = d.title.as_deref().unwrap_or("");
    assert!(title.starts_with("triển khai thực hiện thủ tục"), "{title}");
    assert!(title.contains("Giấy phép vận chuyển hàng hóa"), "{title}");
    assert!(title.ends_with("loại 1,2,3,4,9"), "{title}");
    assert_eq!(d.issuer.as_deref(), Some("Bộ Công Thương"));
    assert_eq!(d.parent_issuer, None);
    let sigs: Vec<_> = doc
        .source
        .stamps
        .iter()
        .filter(|s| s.kind == StampKind::Signature)
        .collect();
    assert!(
        sigs.iter().any(|s| s.text.contains("Ký bởi")),
        "{:#?}",
        doc.source.stamps
    );
    assert!(
        sigs.iter().any(|s| s.date.as_deref() == Some("2026-04-02")),
        "{sigs:#?}"
    );
    for s in &sigs {
        let b = s.bbox.expect("a box");
        assert!(b.left > 0.5 && b.bottom < 0.15, "top right: {s:?}");
    }
    stamps_kept_out(&doc);
}

/// A letter's subject whose second line opens with a capital (`MTTQ Việt Nam…`) sits right
/// under its first in the left column: it is the title's end, not a line of its own.
#[test]
fn a_subject_line_opening_with_a_capital_still_runs_on() {
    let doc = read("scan_signature_stamp_4377_UBND-NC.pdf");
    let title = doc.document.title.as_deref().unwrap_or("");
    assert!(title.starts_with("xem xét đề nghị của Ủy ban"), "{title}");
    assert!(title.ends_with("MTTQ Việt Nam tỉnh Lâm Đồng"), "{title}");
    stamps_kept_out(&doc);
}

/// The drafting unit's code in brackets (`/TTr-CAT(PC04)`) ends the number's symbol; it is
/// not read as part of the issuer.
#[test]
fn a_units_code_after_the_number_is_no_part_of_the_issuer() {
    let doc = read("scan_unit_code_512_TTr-CAT-PC04.pdf");
    let d = &doc.document;
    assert_eq!(d.issuer.as_deref(), Some("Công an tỉnh Lâm Đồng"));
    assert_eq!(d.parent_issuer.as_deref(), Some("Bộ Công an"));
    assert_eq!(d.number_suffix.as_deref(), Some("TTr-CAT(PC04)"));
    if let Some(n) = &d.number {
        assert!(n.ends_with("/TTr-CAT(PC04)"), "{n}");
    }
    let title = d.title.as_deref().unwrap_or("");
    assert!(title.starts_with("Về việc đề nghị ban hành"), "{title}");
    stamps_kept_out(&doc);
}
