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
