//! A district office receives plans as PDFs: some with a text layer, many scanned, some
//! mixed, and some broken. `kehoach ingest` reads the layer where it is real text, OCRs the
//! rest page by page, and turns every broken file into one clear `failed` row while the rest
//! of the batch completes.
//!
//! The PDFs are made here from known text with PDFium (see `support`). Needs
//! `bash scripts/dev.sh`.

mod support;

use support::*;

#[test]
fn text_layer_scanned_and_mixed_pdfs_are_read_page_by_page() {
    let text = text_pdf(&[plan_page()], 0.0);
    let scan = render(&text, 0, 300);
    let scanned = image_pdf(std::slice::from_ref(&scan));
    // Page 1 typed, page 2 a scanned annex.
    let mixed = merge(&text, &scanned);
    let (_dir, out, run) = ingest_files(&[
        ("typed.pdf", text),
        ("scanned.pdf", scanned),
        ("mixed.pdf", mixed),
    ]);
    assert_succeeded(&run);
    let reference = plan_text();

    let typed = document(&out, "typed.pdf");
    assert_eq!(typed["source"]["format"], "pdf");
    assert_eq!(pages(&typed), vec![("text_layer".to_string(), None)]);
    let acc = word_accuracy(&reference, typed["text"].as_str().unwrap());
    assert!(acc >= 0.99, "text layer word accuracy {acc:.3}");

    let scanned = document(&out, "scanned.pdf");
    let p = pages(&scanned);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, "ocr");
    assert!(p[0].1.unwrap() > 0.8, "{p:?}");
    let ocr_text = scanned["text"].as_str().unwrap();
    let acc = word_accuracy(&reference, ocr_text);
    assert!(acc >= 0.97, "OCR word accuracy {acc:.3}\n{ocr_text}");
    for key in ["KẾ HOẠCH", "27/KH-UBND", "Đoàn thanh niên"] {
        assert!(ocr_text.contains(key), "{key:?} missing from\n{ocr_text}");
    }

    let mixed = document(&out, "mixed.pdf");
    let p = pages(&mixed);
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0].0, "text_layer");
    assert_eq!(p[1].0, "ocr");
    let acc = word_accuracy(&reference, &page_text(&mixed, 2));
    assert!(acc >= 0.97, "scanned annex word accuracy {acc:.3}");
}

/// `a`'s pages followed by `b`'s.
fn merge(a: &[u8], b: &[u8]) -> Vec<u8> {
    kehoach::acquire::pdf::with_pdfium(|pdfium| {
        let mut first = pdfium.load_pdf_from_byte_slice(a, None).unwrap();
        let second = pdfium.load_pdf_from_byte_slice(b, None).unwrap();
        first.pages_mut().append(&second).unwrap();
        first.save_to_bytes().unwrap()
    })
    .unwrap()
}

/// A PDF whose standard security handler needs a user password (random /O and /U entries:
/// no password, the empty one included, opens it).
fn encrypted_pdf() -> Vec<u8> {
    let hex32 = "5f3c1a9e2b7d4c8f0a6e3d1b9c7f2e4a8d6b0c3f1e5a7d9b2c4e6f8a0b1d3c5e";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string(),
        format!("<< /Filter /Standard /V 1 /R 2 /P -4 /O <{hex32}> /U <{hex32}> >>"),
    ];
    pdf_from_objects(
        &objects,
        "/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
    )
}

fn zero_page_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [] /Count 0 >>".to_string(),
    ];
    pdf_from_objects(&objects, "")
}

/// A PDF file with a correct cross-reference table.
fn pdf_from_objects(objects: &[String], trailer_extra: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

#[test]
fn broken_files_fail_one_by_one_and_the_batch_completes() {
    let typed = text_pdf(&[plan_page()], 0.0);
    let small_scan = render(&text_pdf(&[plan_page()], 0.0), 0, 150);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("good.pdf", typed.clone()),
        ("locked.pdf", encrypted_pdf()),
        ("empty-pages.pdf", zero_page_pdf()),
        ("cut.pdf", typed[..typed.len().min(400)].to_vec()),
        ("bomb.png", png_bomb()),
        ("cut.png", {
            let png = encode(&small_scan, image::ImageFormat::Png);
            png[..png.len() / 2].to_vec()
        }),
        // A scan saved with the wrong extension: the content decides.
        (
            "really-a-png.pdf",
            encode(&small_scan, image::ImageFormat::Png),
        ),
    ];
    let (_dir, out, run) = ingest_files(&files);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{stderr}"
    );

    let failed = |name: &str, reason: &str| {
        let row = index_row(&out, name);
        assert_eq!(row["status"], "failed", "{name}: {row}");
        let error = row["error"].as_str().unwrap();
        assert!(error.contains(reason), "{name}: {error:?} lacks {reason:?}");
    };
    failed("locked.pdf", "password required");
    failed("empty-pages.pdf", "no pages");
    failed("cut.pdf", "PDF");
    failed("bomb.png", "60000×60000");
    failed("cut.png", "PNG");

    assert_eq!(index_row(&out, "good.pdf")["status"], "ok");
    let png = document(&out, "really-a-png.pdf");
    assert_eq!(png["source"]["format"], "image");
    assert!(png["text"].as_str().unwrap().contains("KẾ HOẠCH"));
}
