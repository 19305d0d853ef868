//! Restoration never loses a digit (issue 22): it may mend spaces and letters' marks, and on
//! OCR'd text read a digit the engine put for a letter, but a number, a date or a document
//! number comes out as it went in, also when it was run into a word (`04thang`, `thang5`).

use kehoach::Rules;
use kehoach::restore::syllable::{is_valid_syllable, strip_marks};
use kehoach::restore::{Channel, Params, restore_text};
use proptest::prelude::*;
use proptest::sample::select;
use std::process::Command;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

mod common;

fn restore(text: &str, channel: Option<Channel>) -> String {
    let params = Params {
        channel,
        ..Default::default()
    };
    restore_text(text, Rules::builtin(), &params).text
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Chunks between white space that are a number, a date or a document number: a digit, and
/// nothing but digits, capitals, `/ - . ,` (brackets and end punctuation around them dropped).
/// Marks are left out: restoring `QD` of a stripped code to `QĐ` is a repair.
fn numbers(s: &str) -> Vec<String> {
    strip_marks(s)
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| "()[],;:.!?*\"“”".contains(c)))
        .filter(|w| {
            w.chars().any(|c| c.is_ascii_digit())
                && w.chars()
                    .all(|c| c.is_ascii_digit() || c.is_uppercase() || "/-.,".contains(c))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_day_run_into_the_month_word_is_kept() {
    let out = common::run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_kehoach")).arg("restore"),
        b"ngay 04thang 5 nam 2013\n",
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(digits(&text), "0452013", "{text}");
    // The words around the number are still restored.
    assert!(text.starts_with("ngày 04"), "{text}");
    assert!(text.contains("năm 2013"), "{text}");
}

#[test]
fn numbers_run_into_words_keep_their_digits_in_correct_and_stripped_text() {
    // Written for this test: a date and a decision's number typed without some spaces.
    let correct = "Căn cứ Quyết định số 125/QĐ-UBND ngày 12tháng 3 năm 2021 của Ủy ban nhân dân \
                   tỉnh về việc giao chỉ tiêu năm2021 cho các xã, tháng3 báo cáo.";
    for ch in [None, Some(Channel::Stripped), Some(Channel::OcrEng)] {
        for text in [correct.to_string(), strip_marks(correct)] {
            let out = restore(&text, ch);
            assert_eq!(digits(&out), digits(&text), "{ch:?}: {out}");
            assert_eq!(numbers(&out), numbers(&text), "{ch:?}: {out}");
        }
    }
}

#[test]
fn a_number_run_into_a_one_letter_word_is_kept() {
    // Proptest's find: `10y` (a count run into `y tế`) was read `lấy` on English-model OCR,
    // one learned edit (`l→1`) and one the channel never saw (`â→0`).
    for ch in [
        None,
        Some(Channel::Stripped),
        Some(Channel::OcrEng),
        Some(Channel::OcrVie),
    ] {
        let out = restore("tram 10y te", ch);
        assert_eq!(digits(&out), "10", "{ch:?}: {out}");
    }
}

/// Correct lines of the sample plans, in NFC, with no digits inside words (`km2`, OCR slips):
/// every digit is a number's.
fn sample_lines() -> &'static [String] {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut lines = vec![];
        for text in common::sample_plans() {
            for l in text.lines() {
                let l: String = l.trim().nfc().collect();
                let glued = l.split_whitespace().any(|w| {
                    w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic)
                });
                // Correct lines only: a sample's OCR'd line (`chit lwong`) holds words no
                // syllable spells, with which a glued number is itself an OCR puzzle.
                let correct = l.split_whitespace().all(|w| {
                    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                    !w.chars().any(char::is_lowercase)
                        || !w.chars().all(char::is_alphabetic)
                        || is_valid_syllable(&w.to_lowercase())
                });
                if l.split_whitespace().count() >= 3 && !glued && correct {
                    lines.push(l);
                }
            }
        }
        assert!(lines.len() > 100, "too few sample lines");
        lines
    })
}

/// A number as plans write it: a count, a day, a year, a date, a document number.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..100).prop_map(|n| n.to_string()),
        (1u32..32).prop_map(|n| format!("{n:02}")),
        (1990u32..2040).prop_map(|n| n.to_string()),
        (1u32..32, 1u32..13, 1990u32..2040).prop_map(|(d, m, y)| format!("{d:02}/{m:02}/{y}")),
        (
            1u32..999,
            select(vec!["KH-UBND", "QĐ-TTg", "NQ-CP", "CT-UBND"])
        )
            .prop_map(|(n, c)| format!("{n}/{c}")),
    ]
}

/// Sample lines with numbers put between their words, marks stripped from all or some words,
/// and a number run into the word after it, as prose runs them (`04tháng`: two digits or more,
/// as one digit before a syllable is as often OCR's `1` for `l`, and a lower-case word, as
/// `10IV` at a line's start reads as a misread Roman label) or into the word before it (of
/// two letters or more: `I0` too may be a Roman `IV`).
fn garbled() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            select(sample_lines()),
            prop::collection::vec((any::<prop::sample::Index>(), number(), 0u8..3), 1..4),
            0u8..3,
        ),
        1..6,
    )
    .prop_map(|lines| {
        let mut out = vec![];
        for (line, inserts, strip) in lines {
            let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            for (at, n, glue) in inserts {
                let k = at.index(words.len() + 1);
                let plain = n.chars().all(|c| c.is_ascii_digit());
                match glue {
                    1 if plain
                        && n.len() >= 2
                        && k < words.len()
                        && words[k].starts_with(char::is_lowercase) =>
                    {
                        words[k] = format!("{n}{}", words[k]);
                    }
                    // Digits after capitals are OCR's own puzzle (`KH0` may be `KHO`, `UB10`
                    // `UBND`: repairs the English channel names), so a number is glued only
                    // onto a lower-case word here.
                    2 if plain
                        && k > 0
                        && words[k - 1].starts_with(char::is_lowercase)
                        && words[k - 1].chars().count() >= 2
                        && words[k - 1].chars().all(char::is_alphabetic) =>
                    {
                        words[k - 1].push_str(&n);
                    }
                    _ => words.insert(k, n),
                }
            }
            let words: Vec<String> = words
                .into_iter()
                .enumerate()
                .map(|(i, w)| match strip {
                    0 => w,
                    1 => strip_marks(&w),
                    _ if i % 2 == 0 => strip_marks(&w),
                    _ => w,
                })
                .collect();
            out.push(words.join(" "));
        }
        out.join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Whatever the channel, detected or given, the output's digits are the input's, in order,
    /// and so are its numbers, dates and document numbers.
    #[test]
    fn restoration_keeps_every_digit(
        text in garbled(),
        ch in select(vec![None, Some(Channel::Stripped), Some(Channel::OcrEng), Some(Channel::OcrVie)]),
    ) {
        let out = restore(&text, ch);
        prop_assert_eq!(digits(&out), digits(&text), "\nin:  {}\nout: {}", text, out);
        prop_assert_eq!(numbers(&out), numbers(&text), "\nin:  {}\nout: {}", text, out);
    }
}
