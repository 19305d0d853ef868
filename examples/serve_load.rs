//! A bounded load test of `kehoach serve`: requests per second and p50/p99 latency for a
//! one-page text plan and a one-page scan at 1, 2 and 8 concurrent clients, the service's peak
//! memory, and that every request got its answer (200, or 503 `busy` when the bound was hit,
//! counted apart).
//!
//! `cargo build --release && cargo run --release --example serve_load [-- JOBS]`
//! (needs `bash scripts/dev.sh` for Tesseract and PDFium; runs `target/release/kehoach`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let jobs = std::env::args().nth(1).unwrap_or_else(|| "2".into());
    let mut server = Command::new(format!("{root}/target/release/kehoach"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--jobs",
            &jobs,
            "--max-in-flight",
            "64",
        ])
        .env("OMP_THREAD_LIMIT", "1")
        .stderr(Stdio::piped())
        .spawn()
        .expect("target/release/kehoach (cargo build --release first)");
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let url = loop {
        let l = lines.next().expect("the service starts").unwrap();
        if let Some(u) = l.split("listening on ").nth(1) {
            break format!("{}/v1/documents", u.trim());
        }
    };
    std::thread::spawn(move || for _ in lines.by_ref() {});
    let text = std::fs::read(format!("{root}/samples/000_732835b40a51f2bd.txt")).unwrap();
    let scan = std::fs::read(format!("{root}/tests/data/page_files/kh_vp_page_2.png")).unwrap();
    println!("kehoach serve --jobs {jobs}");
    println!(
        "{:<10} {:>7} {:>8} {:>8} {:>9} {:>9} {:>6} {:>6}",
        "input", "clients", "requests", "req/s", "p50 ms", "p99 ms", "200", "503"
    );
    for (name, body, per_client) in [("text", &text, 20usize), ("scan", &scan, 3)] {
        for clients in [1usize, 2, 8] {
            let started = Instant::now();
            let handles: Vec<_> = (0..clients)
                .map(|_| {
                    let (url, body) = (url.clone(), body.clone());
                    std::thread::spawn(move || {
                        let c = reqwest::blocking::Client::builder()
                            .timeout(Duration::from_secs(900))
                            .build()
                            .unwrap();
                        (0..per_client)
                            .map(|_| {
                                let t = Instant::now();
                                let r = c.post(&url).body(body.clone()).send().unwrap();
                                let status = r.status().as_u16();
                                let _ = r.bytes().unwrap();
                                (status, t.elapsed())
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let results: Vec<(u16, Duration)> = handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect();
            let wall = started.elapsed().as_secs_f64();
            let mut ok: Vec<Duration> =
                results.iter().filter(|r| r.0 == 200).map(|r| r.1).collect();
            ok.sort();
            let busy = results.iter().filter(|r| r.0 == 503).count();
            let other = results.len() - ok.len() - busy;
            assert_eq!(other, 0, "every request answered 200 or 503: {results:?}");
            let pct = |p: f64| {
                ok.get(((ok.len() as f64 - 1.0) * p).round() as usize)
                    .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
            };
            println!(
                "{:<10} {:>7} {:>8} {:>8.2} {:>9.0} {:>9.0} {:>6} {:>6}",
                name,
                clients,
                results.len(),
                ok.len() as f64 / wall,
                pct(0.5),
                pct(0.99),
                ok.len(),
                busy
            );
        }
    }
    println!(
        "service peak memory: {} MiB",
        peak_rss_kib(server.id()) / 1024
    );
    let _ = server.kill();
    let _ = server.wait();
}
