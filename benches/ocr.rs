//! OCR benchmark (run through `scripts/bench_ocr.sh`, which sets `OMP_THREAD_LIMIT=1`):
//! kehoach's acquisition against the Tesseract CLI on the same pages in one run, and word
//! accuracy on scans made from known text, of the OCR text and of the restored text.

#[path = "../tests/support/mod.rs"]
mod support;

use image::ImageFormat;
use kehoach::Rules;
use kehoach::acquire::{self, Params};
use kehoach::restore;
use rayon::prelude::*;
use std::process::Command;
use std::time::Instant;
use support::*;

fn main() {
    // `cargo test --all-targets` runs bench targets too; measure only under `cargo bench`,
    // which passes `--bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("ocr benchmark: run it with `bash scripts/bench_ocr.sh`");
        return;
    }
    let pages: usize = std::env::var("BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let params = Params::default();
    let dir = tempfile::tempdir().unwrap();

    // Clean 300-dpi scans of the known page.
    let clean = render(&text_pdf(&[plan_page()], 0.0), 0, 300);
    let png = encode(&clean, ImageFormat::Png);
    let paths: Vec<_> = (0..pages)
        .map(|i| {
            let p = dir.path().join(format!("page-{i}.png"));
            std::fs::write(&p, &png).unwrap();
            p
        })
        .collect();

    // Tesseract CLI, one page after another (its default page segmentation, `vie`).
    let t = Instant::now();
    let mut cli_text = String::new();
    for p in &paths {
        let out = Command::new("tesseract")
            .arg(p)
            .args(["stdout", "-l", &params.ocr_lang])
            .env("OMP_THREAD_LIMIT", "1")
            .output()
            .expect("tesseract CLI");
        cli_text = String::from_utf8_lossy(&out.stdout).into_owned();
    }
    let cli = t.elapsed().as_secs_f64();

    // The same with two CLI processes at a time: what this machine gives two workers now.
    let t = Instant::now();
    for pair in paths.chunks(2) {
        let children: Vec<_> = pair
            .iter()
            .map(|p| {
                Command::new("tesseract")
                    .arg(p)
                    .args(["stdout", "-l", &params.ocr_lang])
                    .env("OMP_THREAD_LIMIT", "1")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .expect("tesseract CLI")
            })
            .collect();
        for mut c in children {
            c.wait().unwrap();
        }
    }
    let cli2 = t.elapsed().as_secs_f64();

    // A blank page starts a worker's engines (`vie`, and `osd`, asked because nothing is read
    // confidently on it) without measuring them with the pages.
    let blank = encode(
        &image::GrayImage::from_pixel(400, 400, image::Luma([255])),
        ImageFormat::Png,
    );
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let t = Instant::now();
        pool.broadcast(|_| {
            let _ = acquire::acquire(&blank, &params);
        });
        let start = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let texts: Vec<String> = pool.install(|| {
            (0..pages)
                .into_par_iter()
                .map(|_| {
                    let a = acquire::acquire(&png, &params).unwrap();
                    a.pages[0].text.clone()
                })
                .collect()
        });
        (
            t.elapsed().as_secs_f64(),
            start,
            texts.into_iter().next().unwrap(),
        )
    };
    let (one, start1, text) = run(1);
    let (two, start2, _) = run(2);

    println!(
        "pages: {pages} clean A4 pages at 300 dpi (2480×3508), lang {}",
        params.ocr_lang
    );
    println!(
        "tesseract CLI, sequential:       {cli:7.2} s  ({:.2} s/page)",
        cli / pages as f64
    );
    println!(
        "tesseract CLI, 2 processes:      {cli2:7.2} s  speed-up {:.2}× (the machine's share now)",
        cli / cli2
    );
    println!(
        "kehoach, 1 worker:               {one:7.2} s  ({:.2} s/page)  overhead {:.2}× the CLI \
         ({:.2}× counting its engine start, {start1:.2} s)",
        one / pages as f64,
        one / cli,
        (one + start1) / cli
    );
    println!(
        "kehoach, 2 workers:              {two:7.2} s  ({:.2} s/page)  speed-up {:.2}× over 1 worker \
         ({:.2}× counting engine starts, {start2:.2} s)",
        two / pages as f64,
        one / two,
        (one + start1) / (two + start2)
    );

    // Word accuracy of what kehoach hands on: the OCR text, and the text after restoration
    // (with the channel of Tesseract `vie`, as `ingest` runs it).
    let reference = plan_text();
    let restored = |a: &acquire::Acquired| {
        kehoach::restore::restore(a, Rules::builtin(), &restore::Params::default()).text
    };
    let a = acquire::acquire(&png, &params).unwrap();
    println!(
        "word accuracy, clean 300 dpi PNG:  kehoach OCR {:.2}%, restored {:.2}%  \
         tesseract CLI {:.2}%",
        100.0 * word_accuracy(&reference, &text),
        100.0 * word_accuracy(&reference, &restored(&a)),
        100.0 * word_accuracy(&reference, &cli_text)
    );
    for (label, skew, dpi, quality, noise) in [
        (
            "200 dpi, 2° skew, JPEG q60, speckle 0.2%",
            2.0,
            200,
            60,
            0.002,
        ),
        (
            "200 dpi, 2° skew, JPEG q40, speckle 0.5%",
            2.0,
            200,
            40,
            0.005,
        ),
        (
            "150 dpi, 1° skew, JPEG q60, speckle 0.2%",
            1.0,
            150,
            60,
            0.002,
        ),
    ] {
        let mut scan = render(&text_pdf(&[plan_page()], skew), 0, dpi);
        speckle(&mut scan, noise, 11);
        let a = acquire::acquire(&jpeg(&scan, quality), &params).unwrap();
        let p = &a.pages[0];
        println!(
            "word accuracy, degraded ({label}): OCR {:.2}%, restored {:.2}%  \
             (mean confidence {:.2})",
            100.0 * word_accuracy(&reference, &p.text),
            100.0 * word_accuracy(&reference, &restored(&a)),
            p.ocr_confidence.unwrap_or(0.0)
        );
    }
}
