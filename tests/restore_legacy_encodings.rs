//! A user restores Vietnamese text that arrives in a pre-Unicode encoding: the bytes of a
//! TCVN3, VNI, VISCII or Windows-1258 file, VIQR typed in ASCII, or mojibake (legacy bytes
//! read as Windows-1252, as PDF text layers and mis-opened files give it).
//!
//! The test makes its own legacy files from a correct text covering every letter and tone
//! (`tests/data/vietnamese_letters.txt`), with encoders independent of the tables under test:
//! glibc `iconv` for TCVN3, VISCII and Windows-1258, and encoders written here from the
//! published VNI and VIQR layouts. It then runs the real binary.

mod common;

use common::iconv;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use unicode_normalization::UnicodeNormalization;

const BIN: &str = env!("CARGO_BIN_EXE_kehoach");

fn original() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vietnamese_letters.txt");
    std::fs::read_to_string(p).expect("test text")
}

/// TCVN3 has no capital letters with tones: all-capital lines were typed with the lower-case
/// codes in the `.VnTimeH` font. Simulate that, then encode with glibc (TCVN5712-1 is a
/// superset whose lower-case codes are TCVN3's).
fn to_tcvn3(text: &str) -> Vec<u8> {
    let typed: String = text
        .lines()
        .map(|l| {
            l.chars()
                .map(|c| {
                    if !c.is_ascii() && c.is_uppercase() && !"ĂÂÊÔƠƯĐ".contains(c) {
                        c.to_lowercase().next().unwrap()
                    } else {
                        c
                    }
                })
                .collect::<String>()
                + "\n"
        })
        .collect();
    let bytes = iconv(&typed, "TCVN5712-1");
    assert!(
        bytes
            .iter()
            .all(|&b| b >= 0xA0 || (0x20..0x80).contains(&b) || b == b'\n'),
        "only TCVN3 codes"
    );
    bytes
}

/// Split a letter into base (with horn / đ kept), quality mark and tone mark.
fn parts(c: char) -> (char, Option<char>, Option<char>) {
    let d: Vec<char> = std::iter::once(c).nfd().collect();
    let mut base = d[0];
    let (mut q, mut t) = (None, None);
    for &m in &d[1..] {
        match m {
            '\u{302}' | '\u{306}' | '\u{31B}' => q = Some(m),
            _ => t = Some(m),
        }
    }
    if q == Some('\u{31B}') {
        base = if base.is_uppercase() {
            if base == 'O' { 'Ơ' } else { 'Ư' }
        } else if base == 'o' {
            'ơ'
        } else {
            'ư'
        };
        q = None;
    }
    (base, q, t)
}

/// VNI-Windows, from its published layout: vowel + one mark byte (quality and tone together).
fn to_vni(text: &str) -> Vec<u8> {
    let mut out = vec![];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let (base, q, t) = parts(c);
        let up = base.is_uppercase();
        let single = match (base.to_lowercase().next().unwrap(), t) {
            ('đ', None) => Some(0xF1),
            ('ơ', None) => Some(0xF4),
            ('ư', None) => Some(0xF6),
            ('i', Some('\u{301}')) => Some(0xED),
            ('i', Some('\u{300}')) => Some(0xEC),
            ('i', Some('\u{309}')) => Some(0xE6),
            ('i', Some('\u{303}')) => Some(0xF3),
            ('i', Some('\u{323}')) => Some(0xF2),
            ('y', Some('\u{323}')) => Some(0xEE),
            _ => None,
        };
        if let Some(b) = single {
            out.push(if up { b - 0x20 } else { b });
            continue;
        }
        match base.to_lowercase().next().unwrap() {
            'ơ' => out.push(if up { 0xD4 } else { 0xF4 }),
            'ư' => out.push(if up { 0xD6 } else { 0xF6 }),
            b => out.push(if up { b.to_ascii_uppercase() } else { b } as u8),
        }
        let tone_idx = |t: Option<char>| match t {
            None => 0,
            Some('\u{301}') => 1,
            Some('\u{300}') => 2,
            Some('\u{309}') => 3,
            Some('\u{303}') => 4,
            Some('\u{323}') => 5,
            Some(m) => panic!("unexpected mark {m:?}"),
        };
        let mark: Option<u8> = match q {
            Some('\u{302}') => Some([0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4][tone_idx(t)]),
            Some('\u{306}') => Some([0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB][tone_idx(t)]),
            _ => [
                None,
                Some(0xF9),
                Some(0xF8),
                Some(0xFB),
                Some(0xF5),
                Some(0xEF),
            ][tone_idx(t)],
        };
        if let Some(m) = mark {
            out.push(if up { m - 0x20 } else { m });
        }
    }
    out
}

/// VIQR (RFC 1456): marks after the vowel, `dd` for đ, a literal `.`/`?` after a vowel escaped.
fn to_viqr(text: &str) -> String {
    let mut out = String::new();
    let mut after_vowel = false;
    for c in text.chars() {
        if matches!(c, '.' | '?') && after_vowel {
            out.push('\\');
        }
        if c.is_ascii() {
            out.push(c);
            after_vowel = "aeiouyAEIOUY".contains(c);
            continue;
        }
        let d: Vec<char> = std::iter::once(c).nfd().collect();
        match d[0] {
            'đ' => out.push_str("dd"),
            'Đ' => out.push_str("DD"),
            b => out.push(b),
        }
        // Quality mark before tone, as RFC 1456 writes them (NFD orders a dot below first).
        let mut marks = d[1..].to_vec();
        marks.sort_by_key(|m| !matches!(m, '\u{302}' | '\u{306}' | '\u{31B}'));
        for m in &marks {
            out.push(match m {
                '\u{302}' => '^',
                '\u{306}' => '(',
                '\u{31B}' => '+',
                '\u{301}' => '\'',
                '\u{300}' => '`',
                '\u{309}' => '?',
                '\u{303}' => '~',
                '\u{323}' => '.',
                _ => panic!("unexpected mark"),
            });
        }
        after_vowel = d.len() > 1 || "aeiouyAEIOUY".contains(d[0]);
    }
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(args: &[&str], file: &Path) -> Output {
    let out = Command::new(BIN)
        .args(args)
        .arg(file)
        .output()
        .expect("run kehoach");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{file:?}: {err}");
    out
}

fn restore(file: &Path) -> String {
    let out = run(&["restore"], file);
    assert!(out.status.success(), "restore {file:?} failed");
    String::from_utf8(out.stdout).expect("restore writes UTF-8")
}

fn ingest(file: &Path) -> serde_json::Value {
    let out = run(&["ingest", "--stdout"], file);
    let line = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(line.lines().next().expect("one document")).expect("JSON document")
}

#[test]
fn legacy_byte_files_are_detected_and_restored() {
    let text = original();
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>); 5] = [
        ("tcvn3", to_tcvn3(&text)),
        ("vni", to_vni(&text)),
        ("viscii", iconv(&text, "VISCII")),
        ("windows-1258", iconv(&text, "WINDOWS-1258")),
        ("viqr", to_viqr(&text).into_bytes()),
    ];
    for (enc, bytes) in cases {
        assert_ne!(bytes, text.as_bytes(), "{enc} differs from UTF-8");
        let f = write(dir.path(), &format!("plan-{enc}.txt"), &bytes);
        assert_eq!(restore(&f), text, "restore of {enc} bytes");
        let doc = ingest(&f);
        assert_eq!(doc["source"]["encoding"], enc, "source.encoding for {enc}");
        assert_eq!(doc["text"].as_str().unwrap().trim_end(), text.trim_end());
    }
}

#[test]
fn mojibake_read_as_windows_1252_is_repaired_line_by_line() {
    let text = original();
    let dir = tempfile::tempdir().unwrap();
    for (enc, bytes) in [("tcvn3", to_tcvn3(&text)), ("vni", to_vni(&text))] {
        let (moji, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
        assert_ne!(moji, text);
        let f = write(dir.path(), &format!("moji-{enc}.txt"), moji.as_bytes());
        assert_eq!(restore(&f), text, "mojibake of {enc}");
        assert_eq!(ingest(&f)["source"]["encoding"], enc);

        // Correct lines mixed with mojibake lines: only the bad ones change.
        let mixed: String = text
            .lines()
            .zip(moji.lines())
            .enumerate()
            .map(|(i, (good, bad))| if i % 2 == 0 { good } else { bad }.to_string() + "\n")
            .collect();
        let f = write(dir.path(), &format!("mixed-{enc}.txt"), mixed.as_bytes());
        assert_eq!(restore(&f), text, "mixed lines of {enc}");
    }
}

#[test]
fn correct_utf8_comes_out_byte_for_byte() {
    let text = original();
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "correct.txt", text.as_bytes());
    assert_eq!(restore(&f).as_bytes(), text.as_bytes());
    assert_eq!(ingest(&f)["source"]["encoding"], "utf-8");
}

#[test]
fn tone_style_flag_chooses_the_placement() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "tone.txt",
        "hòa bình, thuỷ lợi, hoàng hôn\n".as_bytes(),
    );
    let out = run(&["restore", "--tone-style", "new"], &f);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "hoà bình, thuỷ lợi, hoàng hôn\n"
    );
    assert_eq!(restore(&f), "hòa bình, thủy lợi, hoàng hôn\n");
}

#[test]
fn random_bytes_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let f = write(dir.path(), "noise.bin", &bytes);
    let out = run(&["restore"], &f);
    assert!(out.status.code().is_some());
    let out = run(&["ingest", "--stdout"], &f);
    assert!(out.status.code().is_some());
}
