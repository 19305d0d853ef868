//! An archivist scans paper plans to PNG, JPEG, BMP, WebP or multi-page TIFF and runs
//! `kehoach ingest` on the folder: every page is OCR'd with Tesseract `vie`, upright, with
//! the header's two columns kept apart.
//!
//! The scans are made here from known text (see `support`), so the OCR is measured, not
//! trusted. Needs `bash scripts/dev.sh` (Tesseract `vie` + `osd`, PDFium, Liberation fonts).

mod support;

use image::{GrayImage, ImageFormat};
use support::*;

/// The clean 300-dpi scan of the plan page.
fn clean_scan(dpi: u32) -> GrayImage {
    render(&text_pdf(&[plan_page()], 0.0), 0, dpi)
}

/// No OCR line may join the two header columns (they are separate blocks on paper).
fn assert_columns_apart(text: &str) {
    for line in text.lines() {
        let left = LEFT.iter().any(|l| line.contains(l));
        let right = RIGHT
            .iter()
            .any(|r| line.contains(r.split(' ').next().unwrap()));
        assert!(!(left && right), "header columns mixed in {line:?}");
    }
    let (a, b) = (text.find("ỦY BAN"), text.find("XÃ TÂN HƯNG"));
    assert!(
        a.is_some() && b.is_some() && a < b,
        "left column out of order:\n{text}"
    );
}

#[test]
fn scanned_images_of_every_format_are_read_by_ocr() {
    let scan = clean_scan(300);
    let files = [
        ("plan.png", encode(&scan, ImageFormat::Png)),
        ("plan.jpg", jpeg(&scan, 85)),
        ("plan.bmp", encode(&scan, ImageFormat::Bmp)),
        ("plan.webp", encode(&scan, ImageFormat::WebP)),
    ];
    let (_dir, out, run) = ingest_files(&files);
    assert_succeeded(&run);
    let reference = plan_text();
    for (name, _) in &files {
        let doc = document(&out, name);
        assert_eq!(doc["source"]["format"], "image", "{name}");
        let pages = pages(&doc);
        assert_eq!(pages.len(), 1, "{name}");
        assert_eq!(pages[0].0, "ocr", "{name}");
        let conf = pages[0].1.expect("OCR pages carry a confidence");
        assert!((0.8..=1.0).contains(&conf), "{name}: confidence {conf}");
        let text = doc["text"].as_str().unwrap();
        let acc = word_accuracy(&reference, text);
        assert!(acc >= 0.97, "{name}: word accuracy {acc:.3}\n{text}");
        for key in [
            "KẾ HOẠCH",
            "27/KH-UBND",
            "Hội Phụ nữ",
            "ngày 14 tháng 5 năm 2025",
        ] {
            assert!(text.contains(key), "{name}: {key:?} missing from\n{text}");
        }
        assert_columns_apart(text);
        let warnings = doc["warnings"].as_array().unwrap();
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
    }
}

#[test]
fn every_page_of_a_tiff_is_read_and_turned_upright() {
    let upright = clean_scan(200);
    // Fed into the scanner sideways, and upside down.
    let sideways = image::imageops::rotate90(&upright);
    let upside_down = image::imageops::rotate180(&upright);
    let (_dir, out, run) = ingest_files(&[("box-12.tif", tiff(&[upright, sideways, upside_down]))]);
    assert_succeeded(&run);
    let doc = document(&out, "box-12.tif");
    let pages = pages(&doc);
    assert_eq!(pages.len(), 3);
    let reference = plan_text();
    for n in 1..=3 {
        assert_eq!(pages[n - 1].0, "ocr");
        let text = page_text(&doc, n);
        let acc = word_accuracy(&reference, &text);
        assert!(acc >= 0.95, "page {n}: word accuracy {acc:.3}\n{text}");
    }
}

#[test]
fn a_crooked_noisy_low_resolution_jpeg_is_still_read() {
    let mut scan = render(&text_pdf(&[plan_page()], 2.0), 0, 200);
    speckle(&mut scan, 0.002, 7);
    let (_dir, out, run) = ingest_files(&[("crooked.jpg", jpeg(&scan, 60))]);
    assert_succeeded(&run);
    let doc = document(&out, "crooked.jpg");
    let text = doc["text"].as_str().unwrap();
    let acc = word_accuracy(&plan_text(), text);
    assert!(acc >= 0.93, "word accuracy {acc:.3}\n{text}");
    assert!(pages(&doc)[0].1.is_some());
}

#[test]
fn word_accuracy_counts_errors() {
    assert_eq!(word_accuracy("a b c d", "a b c d"), 1.0);
    assert_eq!(word_accuracy("a b c d", "a x c d"), 0.75);
    assert_eq!(word_accuracy("a b c d", "a c d"), 0.75);
    assert_eq!(word_accuracy("a b", ""), 0.0);
}
