//! Properties that must hold for *any* input, not only the plans we have seen:
//! - restoration keeps the line count and always emits Unicode NFC;
//! - restoring correct Vietnamese changes nothing;
//! - every span of a processed document lies inside its `text`.
//!
//! Correct Vietnamese is taken at run time from the sample plans in `samples/`, never written
//! into this file. Case counts are moderate so the whole file runs in well under a minute in
//! release mode (`cargo test --release --test properties`).

use kehoach::contract::{Deadline, Section};
use kehoach::restore::syllable::{Syllable, normalize_text_tone_placement, strip_marks};
use kehoach::restore::{Channel, ToneStyle};
use kehoach::span::Span;
use kehoach::{Params, Rules};
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::OnceLock;
use unicode_normalization::{UnicodeNormalization, is_nfc};

/// Every non-blank line of the sample plans, trimmed at the end (restoration drops trailing
/// white space by design) and in NFC.
fn sample_lines() -> &'static [String] {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("samples/ is readable")
            .map(|e| e.expect("samples/ entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let mut lines = vec![];
        for f in &files {
            let text = std::fs::read_to_string(f).expect("a sample plan is UTF-8");
            for line in text.lines() {
                let line: String = line.trim_end().nfc().collect();
                if !line.trim().is_empty() {
                    lines.push(line);
                }
            }
        }
        assert!(lines.len() > 100, "too few sample lines in {dir}");
        lines
    })
}

/// The sample lines that are correct Vietnamese. The samples are real plans, so a few lines in
/// them lost their marks or went through OCR (`XA HQI`, `học tdp`); those are left out by
/// spelling alone, without asking the restorer: every word in lower or title case must be a
/// possible Vietnamese syllable (all-capital words may be abbreviations such as `UBKT`, but not
/// with a `D`, which may be a stripped `Đ`), and at
/// least 40% of the syllables must carry a Vietnamese mark (a line without marks at all was
/// typed or OCR'd without them). Lines with Markdown emphasis are left out too: cleaning
/// removes it by design. Lines are put in the default tone placement (`hòa`, not `hoà`), the
/// style restoration writes.
fn correct_lines() -> &'static [&'static str] {
    static LINES: OnceLock<Vec<&'static str>> = OnceLock::new();
    LINES.get_or_init(|| {
        let lines: Vec<&'static str> = sample_lines()
            .iter()
            .filter(|l| is_correct_vietnamese(l))
            // In the default tone placement (`hòa`, not `hoà`), which restoration applies.
            .map(|l| {
                let (l, _) = normalize_text_tone_placement(l, ToneStyle::default());
                &*Box::leak(l.into_boxed_str())
            })
            .collect();
        assert!(
            lines.len() >= 100,
            "only {} of {} sample lines look correct",
            lines.len(),
            sample_lines().len()
        );
        lines
    })
}

fn is_correct_vietnamese(line: &str) -> bool {
    // Markdown emphasis left by converters is an export artefact restoration removes by design.
    if line.contains(['*', '_']) {
        return false;
    }
    let (mut syllables, mut marked) = (0, 0);
    for word in line
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        if Syllable::parse(&lower).is_some() {
            syllables += 1;
            if !lower.is_ascii() {
                marked += 1;
            }
        } else if word.chars().any(char::is_lowercase) || word.contains('D') {
            // Not a syllable: an abbreviation in capitals, unless it has a `D` that may be a
            // stripped `Đ` (`HTCD` for `HTCĐ`).
            return false;
        }
    }
    syllables > 0 && marked * 10 >= syllables * 4
}

/// The line count as restoration defines it: `\r\n`, `\r` and `\n` each end a line.
fn line_count(s: &str) -> usize {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .count()
}

fn restore(text: &str) -> kehoach::restore::Restored {
    kehoach::restore::restore_text(text, Rules::builtin(), &Default::default())
}

// ---------------------------------------------------------------------------------------------
// Generators

/// Vietnamese letters, both cases, precomposed, from the alphabet's bases and five tones.
fn vietnamese_letters() -> &'static [char] {
    static LETTERS: OnceLock<Vec<char>> = OnceLock::new();
    LETTERS.get_or_init(|| {
        let bases = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY";
        let tones = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
        let mut v: Vec<char> = "bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX".chars().collect();
        for b in bases.chars() {
            for t in tones {
                let s: String = format!("{b}{t}").nfc().collect();
                let mut cs = s.chars();
                let c = cs.next().unwrap();
                assert!(cs.next().is_none(), "{s:?} has no precomposed form");
                v.push(c);
            }
        }
        v
    })
}

/// Arbitrary Unicode scalar values, with line breaks of every kind mixed in.
fn arbitrary_unicode() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => any::<char>(),
            1 => select(vec!['\n', '\r']),
        ],
        0..200,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Vietnamese letters, spaces, punctuation and digits in arbitrary order.
fn vietnamese_soup() -> impl Strategy<Value = String> {
    let letters = vietnamese_letters().to_vec();
    prop::collection::vec(
        prop_oneof![
            10 => select(letters),
            3 => Just(' '),
            1 => select(vec![',', '.', ';', ':', '-', '(', ')', '/', '%', '"']),
            1 => select(('0'..='9').collect::<Vec<_>>()),
            1 => select(vec!['\n', '\r']),
        ],
        0..300,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Words separated by `\n`, `\r\n`, lone `\r`, blank lines and trailing white space.
fn line_break_mix() -> impl Strategy<Value = String> {
    let words = prop_oneof![
        select(vec![
            "Kế", "hoạch", "ke", "hoach", "I.", "1.", "-", "*", "**", "PAGE", "3", "\t"
        ]),
        sample_line(),
    ];
    let sep = select(vec![
        "\n", "\r\n", "\r", "\n\n", "\r\r\n", "\n\r", " ", " \t", "\u{a0}",
    ]);
    prop::collection::vec((words, sep), 0..40).prop_map(|v| {
        v.into_iter()
            .flat_map(|(w, s)| [w.to_string(), s.to_string()])
            .collect()
    })
}

/// Characters U+0080..U+00FF among ASCII: what legacy-encoded (TCVN3, VNI, cp1258) text looks
/// like read as Latin-1, so the mojibake repair runs.
fn latin1_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => (0x80u32..=0xFF).prop_map(|c| char::from_u32(c).unwrap()),
            4 => select(('a'..='z').chain([' ', ' ', '\n']).collect::<Vec<_>>()),
        ],
        0..200,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// One line of several thousand characters, no break in it.
fn long_line() -> impl Strategy<Value = String> {
    prop::collection::vec(sample_line(), 20..60).prop_map(|v| v.join(" "))
}

fn sample_line() -> impl Strategy<Value = &'static str> {
    select(
        sample_lines()
            .iter()
            .map(String::as_str)
            .collect::<Vec<&'static str>>(),
    )
}

/// Correct Vietnamese: correct sample lines in a random selection and order, one per line or
/// several joined on one line.
fn correct_text() -> impl Strategy<Value = String> {
    prop::collection::vec((select(correct_lines()), any::<bool>()), 1..12).prop_map(|v| {
        let mut out = String::new();
        for (i, (line, join)) in v.into_iter().enumerate() {
            if i > 0 {
                out.push_str(if join { " " } else { "\n" });
            }
            out.push_str(line);
        }
        out
    })
}

fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n % 10]
}

/// One line of a plan-like document.
fn plan_line() -> impl Strategy<Value = String> {
    let words = || {
        prop::collection::vec(sample_line(), 1..3).prop_map(|v| {
            v.join(" ")
                .split_whitespace()
                .take(12)
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    prop_oneof![
        6 => sample_line().prop_map(str::to_string),
        // Numbered headings of every level.
        2 => (0usize..10, words()).prop_map(|(n, w)| format!("{}. {}", roman(n), w.to_uppercase())),
        2 => (1u32..30, words()).prop_map(|(n, w)| format!("{n}. {w}")),
        1 => (1u32..9, 1u32..9, words()).prop_map(|(a, b, w)| format!("{a}.{b}. {w}")),
        1 => (select(('a'..='h').collect::<Vec<_>>()), words()).prop_map(|(c, w)| format!("{c}) {w}")),
        2 => words().prop_map(|w| format!("- {w}")),
        // Numbers, percentages, targets.
        2 => (words(), 0u32..1000, 0u32..100, select(vec!["%", " hộ", " người", " km", " tỷ đồng", ""]))
            .prop_map(|(w, a, b, u)| format!("- {w} đạt {a},{b}{u}")),
        // Dates and deadlines, sometimes impossible ones.
        2 => (0u32..40, 0u32..15, 1900u32..2100, select(vec!["trước ngày", "từ ngày", "đến ngày", "ngày", "Thời gian:"]))
            .prop_map(|(d, m, y, p)| format!("{p} {d} tháng {m} năm {y}")),
        1 => (0u32..40, 0u32..15, 0u32..3000).prop_map(|(d, m, y)| format!("Hoàn thành trước {d}/{m}/{y}")),
        1 => (1u32..10, 2000u32..2030).prop_map(|(q, y)| format!("Quý {} năm {y}", roman(q as usize))),
        1 => (0u32..999, 1990u32..2030).prop_map(|(n, y)| format!("Số: {n}/KH-UBND ngày 01/01/{y}")),
        // Garbage.
        2 => arbitrary_unicode(),
        1 => latin1_soup(),
        1 => Just(String::new()),
    ]
}

fn plan_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(plan_line(), 0..60),
        select(vec!["\n", "\r\n"]),
    )
        .prop_map(|(lines, sep)| lines.join(sep))
}

// ---------------------------------------------------------------------------------------------
// Properties

fn check_restore_shape(input: &str) -> Result<(), TestCaseError> {
    let out = restore(input);
    prop_assert_eq!(
        line_count(&out.text),
        line_count(input),
        "line count changed\ninput:  {:?}\noutput: {:?}",
        input,
        out.text
    );
    prop_assert!(is_nfc(&out.text), "output not NFC: {:?}", out.text);
    for d in &out.decisions {
        prop_assert!(
            d.range.start <= d.range.end
                && d.range.end <= out.text.len()
                && out.text.is_char_boundary(d.range.start)
                && out.text.is_char_boundary(d.range.end),
            "decision range {:?} outside the text of {} bytes",
            d.range,
            out.text.len()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn restore_keeps_lines_and_emits_nfc_on_arbitrary_unicode(s in arbitrary_unicode()) {
        check_restore_shape(&s)?;
    }

    #[test]
    fn restore_keeps_lines_and_emits_nfc_on_vietnamese_letters(s in vietnamese_soup()) {
        check_restore_shape(&s)?;
    }

    #[test]
    fn restore_keeps_lines_and_emits_nfc_on_line_break_mixes(s in line_break_mix()) {
        check_restore_shape(&s)?;
    }

    #[test]
    fn restore_keeps_lines_and_emits_nfc_on_latin1_mojibake(s in latin1_soup()) {
        check_restore_shape(&s)?;
    }

    #[test]
    fn restore_keeps_lines_and_emits_nfc_on_decomposed_vietnamese(s in correct_text()) {
        let nfd: String = s.nfd().collect();
        check_restore_shape(&nfd)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn restore_keeps_one_long_line_one_line(s in long_line()) {
        prop_assume!(s.chars().count() > 2000);
        check_restore_shape(&s)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn restoring_correct_vietnamese_changes_nothing(s in correct_text()) {
        let out = restore(&s);
        prop_assert_eq!(&out.text, &s);
        prop_assert_eq!(out.changed_words(), 0);
    }

    #[test]
    fn restoring_correct_vietnamese_in_nfd_gives_its_nfc(s in correct_text()) {
        let nfd: String = s.nfd().collect();
        let out = restore(&nfd);
        prop_assert_eq!(&out.text, &s);
    }
}

/// What the `restore` command reads: sample lines as written, with their marks stripped, or
/// with some words stripped, in any channel.
fn damaged_text() -> impl Strategy<Value = (String, Option<Channel>)> {
    (
        prop::collection::vec((sample_line(), 0..3u8), 1..12),
        select(vec![
            None,
            Some(Channel::Stripped),
            Some(Channel::OcrEng),
            Some(Channel::OcrVie),
        ]),
    )
        .prop_map(|(lines, ch)| {
            let lines: Vec<String> = lines
                .into_iter()
                .map(|(l, how)| match how {
                    0 => l.to_string(),
                    1 => strip_marks(l),
                    _ => l
                        .split(' ')
                        .enumerate()
                        .map(|(k, w)| {
                            if k % 2 == 0 {
                                strip_marks(w)
                            } else {
                                w.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect();
            (lines.join("\n"), ch)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Leaving out the decisions (`Params::text_only`) must not change a word.
    #[test]
    fn restoring_text_only_writes_the_same_text((text, channel) in damaged_text()) {
        let full = kehoach::restore::Params { channel, ..Default::default() };
        let text_only = kehoach::restore::Params { channel, text_only: true, ..Default::default() };
        let a = kehoach::restore::restore_text(&text, Rules::builtin(), &full);
        let b = kehoach::restore::restore_text(&text, Rules::builtin(), &text_only);
        prop_assert_eq!(&a.text, &b.text);
        prop_assert_eq!(a.channel, b.channel);
        prop_assert_eq!(a.applied, b.applied);
        // And each decision points at the word it wrote, in order: the words a document's
        // agreement rewrites after decoding change lengths, and everything after them moves.
        let mut end = 0;
        for d in &a.decisions {
            prop_assert!(d.range.start >= end, "decisions out of order at {:?}", d.range);
            prop_assert_eq!(a.text.get(d.range.clone()), Some(d.restored.as_str()));
            end = d.range.end;
        }
    }
}

fn check_span(what: &str, span: Span, len: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= len,
        "{what} span [{}, {}) outside the text of {len} chars",
        span.start,
        span.end
    );
    Ok(())
}

fn check_deadline(what: &str, d: &Deadline, len: usize) -> Result<(), TestCaseError> {
    check_span(what, d.span, len)
}

fn check_sections(sections: &[Section], len: usize) -> Result<(), TestCaseError> {
    for s in sections {
        check_span(&format!("section {}", s.path), s.span, len)?;
        check_sections(&s.children, len)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn every_span_lies_inside_the_text(text in plan_text()) {
        let doc = match kehoach::process_bytes("plan.txt", text.as_bytes(), Rules::builtin(), &Params::default()) {
            Ok(doc) => doc,
            // Empty or binary-looking input is refused with an error, which is fine here.
            Err(_) => return Ok(()),
        };
        let len = doc.text.chars().count();
        for b in &doc.legal_bases {
            check_span("legal basis", b.span, len)?;
        }
        check_sections(&doc.sections, len)?;
        for t in &doc.targets {
            check_span("target", t.span, len)?;
        }
        for t in &doc.tasks {
            check_span("task", t.span, len)?;
            if let Some(d) = &t.deadline {
                check_deadline("task deadline", d, len)?;
            }
        }
        for r in &doc.responsible_bodies {
            check_span("responsible body", r.span, len)?;
        }
        for d in &doc.deadlines {
            check_deadline("deadline", d, len)?;
        }
        for u in &doc.restoration.uncertain {
            check_span("uncertain word", u.span, len)?;
        }
        for p in &doc.source.pages {
            prop_assert!(p.start <= len, "page {} starts at {} past the end {len}", p.number, p.start);
        }
    }
}
