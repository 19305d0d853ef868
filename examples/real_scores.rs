//! Document number and date of every PDF of a folder of real documents, against the values its
//! `meta.json` gives as printed, with totals for born-digital (and e-signed) PDFs and for scans.
//!
//! `cargo run --release --example real_scores -- ../shared/real [--only KIND] [--verbose]`
//!
//! The e-signed PDFs are split before anyone looks at them: every third in sorted order (the
//! 3rd, 6th, …) is held out and totalled apart, so that what was tuned on the others can be
//! checked on files it was not tuned on.

use kehoach::{Params, Rules};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use unicode_normalization::UnicodeNormalization;

struct Row {
    file: String,
    kind: String,
    held_out: bool,
    number: Option<String>,
    date: Option<String>,
    number_ok: bool,
    date_ok: bool,
    signatures: usize,
    error: Option<String>,
    seconds: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().map_or("../shared/real", |s| s.as_str()));
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1).cloned());
    let verbose = args.iter().any(|a| a == "--verbose");
    let kinds = manifest(&dir);
    let meta: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("meta.json")).expect("meta.json in the folder"),
    )
    .expect("meta.json is JSON");
    let mut files: Vec<String> = kinds
        .keys()
        .filter(|f| f.to_lowercase().ends_with(".pdf"))
        .cloned()
        .collect();
    files.sort();
    let mut e_signed = 0;
    let held: HashMap<String, bool> = files
        .iter()
        .map(|f| {
            let out = kinds[f] == "e-signed" && {
                e_signed += 1;
                e_signed % 3 == 0
            };
            (f.clone(), out)
        })
        .collect();
    if let Some(k) = &only {
        files.retain(|f| &kinds[f] == k);
    }
    let rules = Rules::builtin();
    let params = Params::default();
    let rows: Vec<Row> = files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(f)).expect("readable file");
            let t = Instant::now();
            let result = kehoach::process_bytes(f, &bytes, rules, &params);
            let seconds = t.elapsed().as_secs_f64();
            let want = &meta[f.as_str()];
            let (number, date, signatures, error) = match result {
                Ok(doc) => {
                    if verbose {
                        eprintln!("==== {f}\n{}", head(&doc.text, 25));
                    }
                    let sigs = signatures(&doc);
                    (doc.document.number, doc.document.date, sigs, None)
                }
                Err(e) => (None, None, 0, Some(e.to_string())),
            };
            Row {
                file: f.clone(),
                kind: kinds[f].clone(),
                held_out: held[f],
                number_ok: same(number.as_deref(), want["number"].as_str()),
                date_ok: date.as_deref() == want["date"].as_str(),
                number,
                date,
                signatures,
                error,
                seconds,
            }
        })
        .collect();
    println!(
        "{:<44} {:<14} {:>2} {:<22} {:>2} {:<11} {:>4} {:>6}",
        "file", "kind", "n", "number", "d", "date", "sigs", "s"
    );
    for r in &rows {
        let mark = |ok: bool| if ok { "✓" } else { "✗" };
        println!(
            "{:<44} {:<14} {:>2} {:<22} {:>2} {:<11} {:>4} {:>6.1}{}",
            short(&r.file, 44),
            format!("{}{}", r.kind, if r.held_out { "*" } else { "" }),
            mark(r.number_ok),
            short(r.number.as_deref().unwrap_or("-"), 22),
            mark(r.date_ok),
            r.date.as_deref().unwrap_or("-"),
            r.signatures,
            r.seconds,
            r.error
                .as_ref()
                .map(|e| format!("  FAILED: {e}"))
                .unwrap_or_default()
        );
    }
    let total = |name: &str, pick: &dyn Fn(&Row) -> bool| {
        let set: Vec<&Row> = rows.iter().filter(|r| pick(r)).collect();
        if set.is_empty() {
            return;
        }
        let n = set.iter().filter(|r| r.number_ok).count();
        let d = set.iter().filter(|r| r.date_ok).count();
        let both = set.iter().filter(|r| r.number_ok && r.date_ok).count();
        let failed = set.iter().filter(|r| r.error.is_some()).count();
        println!(
            "{name:<36} files {:>2}  number {n:>2}  date {d:>2}  both {both:>2}  failed {failed}",
            set.len()
        );
    };
    let digital = |r: &Row| r.kind == "e-signed" || r.kind == "born-digital";
    println!();
    total("born-digital + e-signed", &|r| digital(r));
    total("  of which tuned on", &|r| digital(r) && !r.held_out);
    total("  of which held out (*)", &|r| r.held_out);
    total("scanned + scanned-badocr", &|r| !digital(r));
}

/// Numbers compare without spaces, in NFC, case-blind (`Số: 115 /KH-X` is `115/KH-X`).
fn same(got: Option<&str>, want: Option<&str>) -> bool {
    let norm = |s: &str| -> String {
        s.nfc()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase()
    };
    match (got, want) {
        (Some(g), Some(w)) => norm(g) == norm(w),
        (None, None) => true,
        _ => false,
    }
}

/// How many signatures the document reports (`source.signatures`, absent before issue 21).
fn signatures(doc: &kehoach::Document) -> usize {
    serde_json::to_value(&doc.source).ok().map_or(0, |v| {
        v.get("signatures")
            .and_then(|s| s.as_array())
            .map_or(0, |a| a.len())
    })
}

fn manifest(dir: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(4)?.to_string()))
        })
        .collect()
}

fn short(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn head(text: &str, lines: usize) -> String {
    text.lines().take(lines).collect::<Vec<_>>().join("\n")
}
