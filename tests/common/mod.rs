//! Helpers shared by the integration tests (each test binary uses a part of them).
#![allow(dead_code)]

pub mod score;

use std::process::{Command, Output, Stdio};

/// Run `cmd` with `input` on its standard input; its output and error are captured.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?} runs: {e}"));
    // A command may stop before reading its input (a bad `--rules` folder is refused at
    // once): the pipe is then closed, and its output and status are what the test checks.
    match child.stdin.take().unwrap().write_all(input) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.unwrap(),
    }
    child.wait_with_output().unwrap()
}

/// `text` encoded by glibc `iconv` (libc-bin): an encoder independent of kehoach's own tables.
pub fn iconv(text: &str, to: &str) -> Vec<u8> {
    let out = run_with_stdin(
        Command::new("iconv").args(["-f", "UTF-8", "-t", to]),
        text.as_bytes(),
    );
    assert!(out.status.success(), "iconv to {to} failed");
    out.stdout
}

/// The sample plans in `samples/` (`*.txt`), each read whole, in file-name order.
pub fn sample_plans() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/ is readable")
        .map(|e| e.expect("samples/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("a sample plan is UTF-8"))
        .collect()
}

/// Writes `n` distinct plans `plan-000.txt`… into `dir`: the sample plans in turn, each with a
/// note numbered `i` ("Ghi chú số i."), so no two documents are alike and a resumed batch must
/// tell them apart.
pub fn write_numbered_plans(dir: &std::path::Path, n: usize) {
    let plans = sample_plans();
    for i in 0..n {
        let t = format!("{}\nGhi chú số {i}.\n", plans[i % plans.len()]);
        std::fs::write(dir.join(format!("plan-{i:03}.txt")), t).unwrap();
    }
}

/// Starts `cmd` and kills it (SIGKILL, as a crash would) once `enough()` holds, or after two
/// minutes: a batch stopped mid-run.
pub fn kill_when(cmd: &mut Command, enough: impl Fn() -> bool) {
    let mut child = cmd.stderr(Stdio::null()).spawn().unwrap();
    let started = std::time::Instant::now();
    while !enough() && started.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// `kehoach ingest EXTRA... INPUTS... -o OUT`, with `env` set for it.
pub fn ingest(
    inputs: &[&std::path::Path],
    out: &std::path::Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kehoach"));
    cmd.arg("ingest")
        .args(extra)
        .args(inputs)
        .arg("-o")
        .arg(out);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// The rows of `OUT/index.jsonl`.
pub fn index_rows(out: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("index.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The last row of the input `name` itself (not of an attachment or member).
pub fn input_row(out: &std::path::Path, name: &str) -> serde_json::Value {
    index_rows(out)
        .into_iter()
        .rev()
        .find(|r| r["input"] == name && r.get("part").is_none())
        .unwrap_or_else(|| panic!("no index row for {name}"))
}

/// The sample plans (`samples/*.txt`), sorted by name.
pub fn sample_paths() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

pub fn base64(b: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for (i, c) in b.chunks(3).enumerate() {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            s.push(if k <= c.len() {
                T[(n >> (18 - 6 * k) & 63) as usize] as char
            } else {
                '='
            });
        }
        if i % 19 == 18 {
            s.push_str("\r\n");
        }
    }
    s
}

/// A message with base64 attachments `(file name, MIME type, bytes)`.
pub fn email(subject: &str, attachments: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut m = format!(
        "From: Van thu <vanthu@example.vn>\r\nTo: pgd@example.vn\r\nSubject: {subject}\r\n\
         Date: Mon, 10 Mar 2025 09:15:00 +0700\r\nMessage-ID: <{}@example.vn>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKính gửi kế hoạch.\r\n",
        subject.len()
    );
    for (name, ctype, bytes) in attachments {
        m.push_str(&format!(
            "--b1\r\nContent-Type: {ctype}\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            base64(bytes)
        ));
    }
    m.push_str("--b1--\r\n");
    m.into_bytes()
}

/// A plan written as text, through the whole pipeline with the built-in rules.
pub fn process_text(text: &str) -> kehoach::Document {
    kehoach::process_bytes(
        "test.txt",
        text.as_bytes(),
        kehoach::Rules::builtin(),
        &kehoach::Params::default(),
    )
    .expect("a text plan processes")
}

/// `kehoach train CORPUS -o RULES/lm --min-trigram-count 1`: a model of a small corpus (every
/// trigram kept), written where `--rules RULES` finds it. Returns its standard error, which
/// counts the lines used, once the command has succeeded.
pub fn train_small(corpus: &std::path::Path, rules: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .arg("train")
        .arg(corpus)
        .arg("-o")
        .arg(rules.join("lm"))
        .args(["--min-trigram-count", "1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}
