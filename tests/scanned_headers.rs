//! Real scans (copied into `tests/data/real/`, see its README): the number and the day written
//! by hand into the header's blanks, an incoming-mail stamp over the margin, e-signature stamps
//! over the top of the page. The stamps must be reported in `source.stamps` and stay out of the
//! issuer and the title; a handwritten figure OCR cannot read surely must come out null with a
//! `handwritten_field_unread` warning that says where it is, and no number may be garbage.
//!
//! OCR: a few seconds a page. Needs `bash scripts/dev.sh` (PDFium, Tesseract `vie`).

use kehoach::contract::{StampKind, Warning};
use kehoach::{Document, Params, Rules};

fn read(name: &str) -> Document {
    let path = format!("{}/tests/data/real/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("test file");
    kehoach::process_bytes(&path, &bytes, Rules::builtin(), &Params::default()).expect(&path)
}

/// A number is figures, `/`, and a symbol as printed, or nothing.
fn assert_number_well_formed(doc: &Document) {
    let re =
        regex::Regex::new(r"^\d{1,6}[a-z]?/[A-ZĐ0-9][A-Za-zĐđ0-9&.()]*(?:-[A-Za-zĐđ0-9&.()]+)*$")
            .unwrap();
    if let Some(n) = &doc.document.number {
        assert!(re.is_match(n), "malformed number {n:?}");
    }
}

/// The `handwritten_field_unread` warnings, each checked to name page 1 and a box on it.
fn unread(doc: &Document) -> Vec<&Warning> {
    let w: Vec<&Warning> = doc
        .warnings
        .iter()
        .filter(|w| w.code == "handwritten_field_unread")
        .collect();
    for w in &w {
        assert_eq!(w.page, Some(1), "{w:?}");
        let b = w.bbox.expect("a box");
        assert!(0.0 <= b.left && b.left < b.right && b.right <= 1.0, "{w:?}");
        assert!(0.0 <= b.top && b.top < b.bottom && b.bottom <= 1.0, "{w:?}");
    }
    w
}

/// Either the right value, or null with a warning about that field whose box lies in the
/// header's column where the field is printed.
fn read_or_flagged(
    doc: &Document,
    value: &Option<String>,
    right: &str,
    what: &str,
    column: std::ops::Range<f32>,
) {
    match value {
        Some(v) => assert_eq!(v, right, "{what}"),
        None => {
            let w = unread(doc)
                .into_iter()
                .find(|w| w.message.contains(what))
                .unwrap_or_else(|| panic!("{what} null without a warning: {:#?}", doc.warnings));
            let b = w.bbox.unwrap();
            assert!(column.contains(&b.left) && b.top < 0.3, "{what}: {w:?}");
        }
    }
}

#[test]
fn an_incoming_stamp_is_reported_and_kept_out_of_issuer_and_title() {
    let doc = read("scan_incoming_stamp_289_TTr-CAT-PC06.pdf");
    let incoming: Vec<_> = doc
        .source
        .stamps
        .iter()
        .filter(|s| s.kind == StampKind::Incoming)
        .collect();
    assert_eq!(incoming.len(), 1, "{:#?}", doc.source.stamps);
    let stamp = incoming[0];
    assert!(stamp.text.contains("Chuyển"), "{stamp:?}");
    assert_eq!(stamp.page, Some(1));
    let b = stamp.bbox.expect("the stamp's box");
    assert!(b.right < 0.5, "the stamp sits on the left margin: {b:?}");
    let d = &doc.document;
    assert_eq!(d.issuer.as_deref(), Some("Công an tỉnh Lâm Đồng"));
    let title = d.title.as_deref().unwrap_or("");
    assert!(title.starts_with("Đề nghị ban hành Báo cáo"), "{title}");
    for stamp_word in ["Chuyển", "ĐẾN", "ĐEN", "UBND TỈNH"] {
        assert!(!title.contains(stamp_word), "{title}");
    }
    assert_number_well_formed(&doc);
    read_or_flagged(&doc, &d.number, "289/TTr-CAT-PC06", "the number", 0.0..0.5);
    read_or_flagged(&doc, &d.date, "2025-10-22", "the day", 0.5..1.0);
}

#[test]
fn a_signature_stamp_over_the_header_never_becomes_the_issuer() {
    let doc = read("scan_signature_stamp_4377_UBND-NC.pdf");
    let sig = doc
        .source
        .stamps
        .iter()
        .find(|s| s.kind == StampKind::Signature)
        .unwrap_or_else(|| panic!("{:#?}", doc.source.stamps));
    assert!(sig.text.contains("Ký bởi"), "{sig:?}");
    assert_eq!(sig.date.as_deref(), Some("2025-09-30"), "{sig:?}");
    let issuer = doc.document.issuer.as_deref().unwrap_or("");
    assert!(
        !issuer.contains("Ký bởi") && !issuer.contains("Giờ ký"),
        "{issuer}"
    );
    assert_number_well_formed(&doc);
    read_or_flagged(&doc, &doc.document.date, "2025-09-30", "the day", 0.5..1.0);
}

#[test]
fn handwritten_number_and_day_are_read_or_flagged_and_signature_stamps_reported() {
    let doc = read("scan_handwritten_07_CT-UBND.png");
    let sigs = doc
        .source
        .stamps
        .iter()
        .filter(|s| s.kind == StampKind::Signature)
        .count();
    assert!(sigs >= 2, "{:#?}", doc.source.stamps);
    for s in &doc.source.stamps {
        let b = s.bbox.expect("a box");
        assert!(
            b.bottom < 0.1,
            "the signature stamps sit atop the page: {s:?}"
        );
    }
    let d = &doc.document;
    assert_eq!(d.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
    assert!(
        d.title
            .as_deref()
            .unwrap_or("")
            .starts_with("Về việc chủ động ứng phó")
    );
    assert_number_well_formed(&doc);
    read_or_flagged(&doc, &d.number, "07/CT-UBND", "the number", 0.0..0.5);
    read_or_flagged(&doc, &d.date, "2022-06-17", "the day", 0.5..1.0);
}

/// A day written by hand that two readings agree on is read: here the digit reader's figures
/// and the e-signature stamp's day (30/09/2025, month and year as printed), though Tesseract
/// read the day as `40`.
#[test]
fn a_handwritten_day_the_signature_stamp_confirms_is_read() {
    let doc = read("scan_signature_stamp_4377_UBND-NC.pdf");
    assert_eq!(doc.document.date.as_deref(), Some("2025-09-30"));
    assert!(
        !unread(&doc).iter().any(|w| w.message.contains("the day")),
        "{:#?}",
        doc.warnings
    );
}

/// A handwritten day Tesseract reads as a look-alike (`Ø3`) and the digit reader as `03` is
/// read; the signature stamp, dated the day after, does not make it the 4th. The number's
/// blank (`08`, read `đ` and `03`) stays null with its warning.
#[test]
fn a_handwritten_day_tesseract_and_the_digit_reader_agree_on_is_read() {
    let doc = read("scan_handwritten_day_08_CT-UBND.pdf");
    let d = &doc.document;
    assert_eq!(d.date.as_deref(), Some("2018-04-03"));
    assert_eq!(d.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
    assert_number_well_formed(&doc);
    read_or_flagged(&doc, &d.number, "08/CT-UBND", "the number", 0.0..0.5);
}

/// A number written by hand whose `0` runs left over the box OCR gave its word (`Số:04`): the
/// blank is cut a line's height wider and the strokes whose middle is in it kept whole, so the
/// digit reader and Tesseract's reading of the figures alone both read `04`. The day, which no
/// two readings agree on, stays null with its warning.
#[test]
fn a_handwritten_number_cut_whole_from_its_blank_is_read() {
    let doc = read("scan_handwritten_number_04_CT-UBND.pdf");
    let d = &doc.document;
    assert_eq!(d.number.as_deref(), Some("04/CT-UBND"));
    assert_number_well_formed(&doc);
    read_or_flagged(&doc, &d.date, "2024-03-15", "the day or month", 0.45..1.0);
}

#[test]
fn an_urgency_mark_is_read_and_kept_out_of_the_title() {
    let text = "UBND TỈNH AN GIANG\nSố: 15/UBND-KT\nHỎA TỐC\nV/v ứng phó với bão số 3\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nAn Giang, ngày 02 tháng 9 năm 2025\n\nKính gửi: Các sở, ban, ngành tỉnh\n\nĐể chủ động ứng phó với bão số 3, Ủy ban nhân dân tỉnh đề nghị các sở triển khai ngay các biện pháp phòng, chống.\n";
    let doc = kehoach::process_bytes(
        "letter.txt",
        text.as_bytes(),
        Rules::builtin(),
        &Params::default(),
    )
    .unwrap();
    assert_eq!(doc.document.urgency.as_deref(), Some("hỏa tốc"));
    assert_eq!(doc.source.stamps.len(), 1, "{:#?}", doc.source.stamps);
    assert_eq!(doc.source.stamps[0].kind, StampKind::Urgency);
    assert_eq!(doc.document.number.as_deref(), Some("15/UBND-KT"));
    let title = doc.document.title.as_deref().unwrap_or("");
    assert!(!title.contains("HỎA TỐC"), "{title}");
}
