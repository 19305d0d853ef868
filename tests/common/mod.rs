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
