//! What a clerk must check: every document lists in `review[]` the fields a person should look
//! at against the paper, and why; `index.jsonl` and the summary count such documents, and
//! `--strict` fails them.

use kehoach::acquire::{Acquired, Format, Page, PageMethod};
use kehoach::contract::{Document, Uncertain, Warning};
use kehoach::review::{Origins, review};
use kehoach::span::Span;
use kehoach::{Params, Rules};
use std::process::Command;

/// A plan's header and opening with `number` and `date_line` as given.
fn plan(number: &str, date_line: &str) -> String {
    format!(
        "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
         XÃ PHƯỚC HẬU          Độc lập - Tự do - Hạnh phúc\n\
         Số: {number}          Phước Hậu, {date_line}\n\n\
         KẾ HOẠCH\nTổ chức Tết Trồng cây năm 2025\n\n\
         I. MỤC ĐÍCH\nPhát động phong trào trồng cây xanh.\n\
         II. NỘI DUNG\n1. Trồng 500 cây xanh trước ngày 30/4/2025.\n"
    )
}

fn params() -> Params {
    let mut p = Params::default();
    p.restore.mode = kehoach::restore::Mode::Off;
    p
}

fn process(text: &str) -> Document {
    kehoach::process_bytes("plan.txt", text.as_bytes(), Rules::builtin(), &params()).unwrap()
}

fn reasons(doc: &Document) -> Vec<(String, String)> {
    doc.review
        .iter()
        .map(|r| (r.field.clone(), r.reason.clone()))
        .collect()
}

fn pair(field: &str, reason: &str) -> (String, String) {
    (field.into(), reason.into())
}

#[test]
fn a_complete_header_has_nothing_to_check() {
    let doc = process(&plan("15/KH-UBND", "ngày 02 tháng 3 năm 2025"));
    assert_eq!(doc.document.number.as_deref(), Some("15/KH-UBND"));
    assert_eq!(reasons(&doc), vec![]);
}

#[test]
fn a_drafts_blank_number_and_day_are_to_check() {
    let doc = process(&plan("/KH-UBND", "ngày  tháng 3 năm 2025"));
    assert_eq!(doc.document.date.as_deref(), Some("2025-03"));
    assert_eq!(
        reasons(&doc),
        vec![
            pair("document.number", "missing"),
            pair("document.date", "partial")
        ]
    );
}

/// The codes and pages of the warnings about fields left unread.
fn unread_warnings(doc: &Document) -> Vec<(String, Option<u32>)> {
    doc.warnings
        .iter()
        .filter(|w| w.code.ends_with("field_unread"))
        .map(|w| (w.code.clone(), w.page))
        .collect()
}

#[test]
fn a_misread_number_is_null_and_to_check() {
    // An earlier OCR read the handwritten `07` as `Ô`: no garbage number is emitted (issue
    // 25); the number is null, a warning says it could not be read, and a clerk is sent to it.
    let doc = process(&plan("Ô/CT-UBND", "ngày 17 tháng 6 năm 2022"));
    assert_eq!(doc.document.number, None);
    assert_eq!(doc.document.date.as_deref(), Some("2022-06-17"));
    assert_eq!(
        unread_warnings(&doc),
        vec![("field_unread".to_string(), Some(1))]
    );
    assert_eq!(reasons(&doc), vec![pair("document.number", "unread")]);
}

#[test]
fn a_misread_number_on_a_scan_is_a_handwritten_field_to_fill() {
    let doc = ocr_page(&plan("Ô/CT-UBND", "ngày 17 tháng 6 năm 2022"), 0.95);
    assert_eq!(doc.document.number, None);
    assert_eq!(
        unread_warnings(&doc),
        vec![("handwritten_field_unread".to_string(), Some(1))]
    );
    assert_eq!(reasons(&doc), vec![pair("document.number", "unread")]);
}

/// The plan as one OCR'd page of the given mean confidence.
fn ocr_document(confidence: f32) -> Document {
    ocr_page(&plan("15/KH-UBND", "ngày 02 tháng 3 năm 2025"), confidence)
}

/// `text` as one OCR'd page (without word boxes) of the given mean confidence.
fn ocr_page(text: &str, confidence: f32) -> Document {
    let text = text.to_string();
    let acquired = Acquired {
        format: Format::Image,
        encoding: None,
        pages: vec![Page {
            method: PageMethod::Ocr,
            ocr_confidence: Some(confidence),
            ocr_lang: Some("vie".into()),
            ..Page::text(1, text.clone())
        }],
        warnings: vec![],
        signatures: vec![],
    };
    kehoach::process_acquired(
        "scan.png",
        text.as_bytes(),
        acquired,
        Rules::builtin(),
        &params(),
    )
}

#[test]
fn values_read_by_ocr_from_a_weak_page_are_to_check() {
    let weak = ocr_document(0.55);
    let fields: Vec<_> = reasons(&weak)
        .into_iter()
        .filter(|(_, r)| r == "ocr_low_confidence")
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        fields,
        ["document.number", "document.date", "document.issuer"]
    );
    assert_eq!(reasons(&ocr_document(0.95)), vec![]);
}

#[test]
fn an_issuer_completed_from_the_preamble_is_to_check() {
    let text = "UBND XÃ TÂN PHÚ          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
                HỘI KHUYẾN HỌC          Độc lập - Tự do - Hạnh phúc\n\
                Số: 04/KH-HKH          Tân Phú, ngày 10 tháng 01 năm 2025\n\n\
                KẾ HOẠCH\nXây dựng xã hội học tập năm 2025\n\n\
                Thực hiện chỉ đạo của cấp trên, Hội Khuyến học xã Tân Phú xây dựng Kế hoạch như sau:\n\
                I. MỤC ĐÍCH\nNâng cao dân trí.\n";
    let doc = process(text);
    assert_eq!(
        doc.document.issuer.as_deref(),
        Some("Hội Khuyến học xã Tân Phú")
    );
    assert_eq!(
        reasons(&doc),
        vec![pair("document.issuer", "issuer_completed")]
    );
}

#[test]
fn stage_warnings_and_doubtful_words_name_their_fields() {
    let mut doc = process(&plan("15/KH-UBND", "ngày 02 tháng 3 năm 2025"));
    let number_at = doc.text.find("15/KH").unwrap();
    let number_span = Span {
        start: doc.text[..number_at].chars().count(),
        end: doc.text[..number_at].chars().count() + "15/KH-UBND".len(),
    };
    let origins = Origins {
        number: Some(number_span),
        ..Origins::default()
    };
    assert_eq!(review(&doc, &origins), vec![]);
    doc.warnings.push(Warning::new(
        "text_layer_rejected",
        "page 1: the text layer is not real text",
    ));
    doc.warnings.push(Warning::new(
        "date_from_signature",
        "the day came from the signature stamp",
    ));
    // One doubtful word inside the number; then as many as a tenth of the words.
    let doubt = |span: Span| Uncertain {
        span,
        original: "15".into(),
        restored: "15".into(),
        alternatives: vec!["16".into()],
        confidence: 0.5,
    };
    doc.restoration.uncertain.push(doubt(Span {
        start: number_span.start,
        end: number_span.start + 2,
    }));
    let got: Vec<_> = review(&doc, &origins)
        .into_iter()
        .map(|r| (r.field, r.reason))
        .collect();
    assert_eq!(
        got,
        vec![
            pair("document.number", "restored_uncertain"),
            pair("text", "text_layer_rejected"),
            pair("document.date", "e_signature_stamp"),
        ]
    );
    // A PDF text layer that restoration found to be an earlier OCR's.
    doc.source.pages[0].method = PageMethod::TextLayer;
    doc.restoration.channel = Some("ocr_eng".into());
    assert!(
        review(&doc, &origins)
            .iter()
            .any(|r| r.field == "document.number" && r.reason == "ocr_text_layer")
    );
    let words = doc.text.split_whitespace().count();
    for _ in 0..words / 10 {
        doc.restoration
            .uncertain
            .push(doubt(Span { start: 0, end: 1 }));
    }
    assert!(
        review(&doc, &origins)
            .iter()
            .any(|r| r.field == "text" && r.reason == "many_uncertain_words")
    );
}

#[test]
fn the_index_and_summary_count_documents_to_check_and_strict_fails_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("ban_nhap.txt"),
        plan("/KH-UBND", "ngày  tháng 3 năm 2025"),
    )
    .unwrap();
    std::fs::write(
        input.join("da_ky.txt"),
        plan("15/KH-UBND", "ngày 02 tháng 3 năm 2025"),
    )
    .unwrap();
    let run = |extra: &[&str], out: &str| {
        Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["ingest", "--no-restore"])
            .args(extra)
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join(out))
            .output()
            .unwrap()
    };
    let lenient = run(&[], "out");
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    assert_eq!(lenient.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("2 done, 0 skipped, 0 failed, 1 to review"),
        "{stderr}"
    );
    let index = std::fs::read_to_string(dir.path().join("out/index.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = index
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let row = |name: &str| rows.iter().find(|r| r["input"] == name).unwrap().clone();
    assert_eq!(
        row("ban_nhap.txt")["review"],
        serde_json::json!(["document.number", "document.date"])
    );
    assert!(row("da_ky.txt").get("review").is_none());
    let strict = run(&["--strict"], "strict");
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn ingest_without_an_output_names_both_ways() {
    let out = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["ingest", "samples"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("-o DIR") && stderr.contains("--stdout"),
        "{stderr}"
    );
}
