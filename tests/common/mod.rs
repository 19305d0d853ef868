//! Helpers shared by the integration tests (each test binary uses a part of them).
#![allow(dead_code)]

pub mod score;

use std::process::{Command, Stdio};

/// `text` encoded by glibc `iconv` (libc-bin): an encoder independent of kehoach's own tables.
pub fn iconv(text: &str, to: &str) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("iconv")
        .args(["-f", "UTF-8", "-t", to])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("glibc iconv is installed (libc-bin)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "iconv to {to} failed");
    out.stdout
}
