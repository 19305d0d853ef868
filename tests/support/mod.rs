//! Scans made from known Vietnamese text with the real engines: PDFium lays the text out in a
//! TrueType font with Vietnamese glyphs (Liberation Serif, `fonts-liberation2`) and renders it;
//! the tests and the OCR benchmark then read those scans back and compare with the text.
#![allow(dead_code)]

use image::GrayImage;
use kehoach::acquire::pdf::with_pdfium;
use pdfium_render::prelude::*;
use std::path::Path;
use std::process::Command;

pub const FONT: &str = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf";

/// A line of text at `x`, `y` points from the page's top-left corner.
#[derive(Debug, Clone)]
pub struct Line {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

fn line(x: f32, y: f32, size: f32, text: &str) -> Line {
    Line {
        x,
        y,
        size,
        text: text.into(),
    }
}

/// The header's left column (issuing body and number).
pub const LEFT: [&str; 3] = ["ỦY BAN NHÂN DÂN", "XÃ TÂN HƯNG", "Số: 27/KH-UBND"];
/// The header's right column (national motto and place, date).
pub const RIGHT: [&str; 3] = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Tân Hưng, ngày 14 tháng 5 năm 2025",
];

/// Body text written for these tests.
pub const BODY: [&str; 14] = [
    "KẾ HOẠCH",
    "Tổ chức trồng cây xanh và làm sạch kênh mương năm 2025",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Nâng cao ý thức của người dân về bảo vệ môi trường sống ở",
    "khu dân cư, trường học và chợ trên địa bàn xã.",
    "2. Mỗi thôn trồng ít nhất năm trăm cây bóng mát dọc đường liên",
    "thôn; tỷ lệ cây sống sau ba tháng đạt từ 85% trở lên.",
    "II. NỘI DUNG THỰC HIỆN",
    "1. Đoàn thanh niên chủ trì việc nạo vét kênh mương nội đồng,",
    "hoàn thành trước ngày 30 tháng 6 năm 2025.",
    "2. Hội Phụ nữ vận động các hộ gia đình phân loại rác tại nguồn",
    "và giữ gìn vệ sinh đường làng, ngõ xóm.",
    "3. Văn phòng Ủy ban tổng hợp kết quả, báo cáo Chủ tịch xã",
    "trước ngày 15 tháng 7 năm 2025 để đánh giá, rút kinh nghiệm.",
];

/// One A4 page: the two-column header, then the body.
pub fn plan_page() -> Vec<Line> {
    let mut lines = vec![];
    for (i, t) in LEFT.iter().enumerate() {
        lines.push(line(60.0, 70.0 + 18.0 * i as f32, 12.0, t));
    }
    for (i, t) in RIGHT.iter().enumerate() {
        lines.push(line(300.0, 70.0 + 18.0 * i as f32, 12.0, t));
    }
    for (i, t) in BODY.iter().enumerate() {
        let x = if i == 0 { 260.0 } else { 60.0 };
        lines.push(line(x, 180.0 + 24.0 * i as f32, 13.0, t));
    }
    lines
}

/// The page's words in reading order: left column, right column, body.
pub fn plan_text() -> String {
    LEFT.iter()
        .chain(RIGHT.iter())
        .chain(BODY.iter())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// A PDF with a real text layer, one page per entry; every page's content is turned
/// `skew_degrees` counter-clockwise (about the page's bottom-left corner) to imitate a
/// crooked scan once rendered.
pub fn text_pdf(pages: &[Vec<Line>], skew_degrees: f32) -> Vec<u8> {
    with_pdfium(|pdfium| {
        let mut doc = pdfium.create_new_pdf().unwrap();
        let font = doc
            .fonts_mut()
            .load_true_type_from_file(FONT, true)
            .unwrap();
        for lines in pages {
            let mut page = doc
                .pages_mut()
                .create_page_at_end(PdfPagePaperSize::a4())
                .unwrap();
            let height = page.height().value;
            for l in lines {
                let mut object = page
                    .objects_mut()
                    .create_text_object(
                        PdfPoints::new(l.x),
                        PdfPoints::new(height - l.y),
                        &l.text,
                        font,
                        PdfPoints::new(l.size),
                    )
                    .unwrap();
                if skew_degrees != 0.0 {
                    object
                        .rotate_counter_clockwise_degrees(skew_degrees)
                        .unwrap();
                }
            }
        }
        doc.save_to_bytes().unwrap()
    })
    .expect("PDFium is installed (bash scripts/dev.sh)")
}

/// Page `index` of a PDF rendered in grey at `dpi`.
pub fn render(pdf: &[u8], index: usize, dpi: u32) -> GrayImage {
    with_pdfium(|pdfium| {
        let doc = pdfium.load_pdf_from_byte_slice(pdf, None).unwrap();
        let page = doc.pages().get(index as PdfPageIndex).unwrap();
        let config = PdfRenderConfig::new().scale_page_by_factor(dpi as f32 / 72.0);
        let bitmap = page.render_with_config(&config).unwrap();
        bitmap.as_image().unwrap().to_luma8()
    })
    .unwrap()
}

/// An image-only PDF (a scanner's output): each image fills an A4 page.
pub fn image_pdf(images: &[GrayImage]) -> Vec<u8> {
    with_pdfium(|pdfium| {
        let mut doc = pdfium.create_new_pdf().unwrap();
        for img in images {
            let mut page = doc
                .pages_mut()
                .create_page_at_end(PdfPagePaperSize::a4())
                .unwrap();
            let (w, h) = (page.width(), page.height());
            page.objects_mut()
                .create_image_object(
                    PdfPoints::ZERO,
                    PdfPoints::ZERO,
                    &image::DynamicImage::ImageLuma8(img.clone()),
                    Some(w),
                    Some(h),
                )
                .unwrap();
        }
        doc.save_to_bytes().unwrap()
    })
    .unwrap()
}

/// Scanner noise: about one pixel in `1/density` flipped to black (dust) or white (dropout).
pub fn speckle(img: &mut GrayImage, density: f64, seed: u64) {
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pixels = img.width() as u64 * img.height() as u64;
    let n = (pixels as f64 * density) as u64;
    for _ in 0..n {
        let i = next() % pixels;
        let (x, y) = (
            (i % img.width() as u64) as u32,
            (i / img.width() as u64) as u32,
        );
        let v = if next() % 2 == 0 { 0 } else { 255 };
        img.put_pixel(x, y, image::Luma([v]));
    }
}

pub fn encode(img: &GrayImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

pub fn jpeg(img: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = vec![];
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

/// A multi-page TIFF.
pub fn tiff(pages: &[GrayImage]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(vec![]);
    let mut enc = tiff::encoder::TiffEncoder::new(&mut out).unwrap();
    for p in pages {
        enc.write_image::<tiff::encoder::colortype::Gray8>(p.width(), p.height(), p.as_raw())
            .unwrap();
    }
    out.into_inner()
}

/// Share of the reference's words the OCR got right, in order: 1 − (word-level edit
/// distance) / (reference words).
pub fn word_accuracy(reference: &str, got: &str) -> f64 {
    let r: Vec<&str> = reference.split_whitespace().collect();
    let g: Vec<&str> = got.split_whitespace().collect();
    let mut prev: Vec<usize> = (0..=g.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = vec![i + 1; g.len() + 1];
        for (j, gw) in g.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != gw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    1.0 - prev[g.len()] as f64 / r.len().max(1) as f64
}

/// Run `kehoach ingest <inputs> -o <out> --no-restore` (OCR text as read, for measuring OCR).
pub fn ingest(inputs: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["ingest", "--no-restore", "--jobs", "2", "-o"])
        .arg(out)
        .arg(inputs)
        .output()
        .expect("kehoach runs")
}

/// Write `files` into a fresh input folder and ingest it; returns the temporary folder (keep
/// it alive), the output folder and the run.
pub fn ingest_files(
    files: &[(&str, Vec<u8>)],
) -> (tempfile::TempDir, std::path::PathBuf, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir(&input).unwrap();
    for (name, bytes) in files {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let run = ingest(&input, &out);
    (dir, out, run)
}

pub fn assert_succeeded(run: &std::process::Output) {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A PNG declaring 60000×60000 grey pixels over almost no data (an image bomb).
pub fn png_bomb() -> Vec<u8> {
    let mut png = encode(&GrayImage::new(1, 1), image::ImageFormat::Png);
    // The IHDR chunk's width and height (bytes 16..24), then its CRC (29..33).
    png[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// The document written for `name`.
pub fn document(out: &Path, name: &str) -> serde_json::Value {
    let p = out.join(format!("{name}.json"));
    let s = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&s).unwrap()
}

/// `index.jsonl`'s row for `name`.
pub fn index_row(out: &Path, name: &str) -> serde_json::Value {
    std::fs::read_to_string(out.join("index.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no index row for {name}"))
}

/// `(method, ocr_confidence)` of every page of a document.
pub fn pages(doc: &serde_json::Value) -> Vec<(String, Option<f64>)> {
    doc["source"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["method"].as_str().unwrap().to_string(),
                p["ocr_confidence"].as_f64(),
            )
        })
        .collect()
}

/// The pages' `start` offsets (chars) of a document.
pub fn page_starts(doc: &serde_json::Value) -> Vec<usize> {
    doc["source"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["start"].as_u64().unwrap() as usize)
        .collect()
}

/// The text of page `n` (from 1) of a document, cut at the pages' `start` offsets (chars).
pub fn page_text(doc: &serde_json::Value, n: usize) -> String {
    let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    let starts = page_starts(doc);
    let end = starts.get(n).copied().unwrap_or(text.len());
    text[starts[n - 1]..end].iter().collect()
}
