//! What restoration may never do to a number: drop, add or change one of its digits.
//!
//! Restoration mends spaces and letters' marks, and on OCR'd text reads a digit the engine put
//! for a letter (`v6i` → `với`, `16p` → `lớp`): the channel tables name those slips. What no
//! table names is a number run into a word (`04tháng`, `tháng5`, `năm2013`): read as one
//! damaged word, its digits were "repaired" away and a date lost its day (`ngày 04thang 5` came
//! out `ngày tháng 5`). Two guards keep them:
//! - [`edge_number`], in the tokenizer: a run of digits at the edge of a syllable is a number of
//!   its own, and the syllable is read as a word;
//! - [`keeps_digits`], on every reading the decoder may choose for a token that holds digits:
//!   no digit may vanish from the edge of the token or from a run of them, none may appear, and
//!   none may become another digit. A digit may still be read as a letter, or as the speck
//!   it was, but only through an edit the channel's table names (`ớ→6`, `l→1`): the decoder
//!   checks that against the token's channel (`decode/cache.rs`), so `10y` never becomes
//!   `lấy` by two guessed edits.

use crate::vietnamese::syllable::{is_syllable_skeleton, is_valid_syllable, skeleton};

/// Where to split `text` (letters and digits, no white space) into a number and a syllable:
/// `04thang` → 2, `thang5` → 5, `năm2013` → 4; `None` when it is no such pair. The syllable
/// must be a valid one, or the bare letters of one (`hieu`), of two letters or more, or of
/// one after two digits or more (`10y` as in `10y tế`; one letter beside one digit is as
/// often OCR's, `x4` for `xã`). Leading, the number must have two digits or more: one digit before a syllable is as
/// often a letter OCR misread (`1am` for `làm`, `1uật` for `luật`), which stays for the
/// channel to read.
pub fn edge_number(text: &str) -> Option<usize> {
    let lead = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let trail = text.len() - text.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let syllable = |s: &str, min_letters: usize| {
        s.chars().count() >= min_letters
            && s.chars().all(char::is_alphabetic)
            && (is_valid_syllable(&s.to_lowercase()) || is_syllable_skeleton(s))
    };
    if lead >= 2 && trail == 0 && syllable(&text[lead..], 1) {
        Some(lead)
    } else if trail >= 1 && lead == 0 && syllable(&text[..text.len() - trail], 2) {
        Some(text.len() - trail)
    } else {
        None
    }
}

/// Whether reading the token `obs` as `cand` keeps its digits (see the module's doc): the
/// closest alignment of the two (fewest edits) needs no deletion of a digit at the token's
/// edge or in a run, and no digit added or changed. Letters compare by their skeleton (marks
/// are the decoder's to change).
pub fn keeps_digits(obs: &str, cand: &str) -> bool {
    if !obs.chars().any(|c| c.is_ascii_digit()) && !cand.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    let c: Vec<char> = skeleton(cand).chars().collect();
    let o: Vec<char> = skeleton(obs).chars().collect();
    let (Some(guarded), Some(free)) = (edits(&o, &c, true), edits(&o, &c, false)) else {
        return false;
    };
    guarded == free
}

/// The fewest edits from `o` to `c`; with `guard`, counting only the alignments that keep the
/// digits (`None` when there is none).
fn edits(o: &[char], c: &[char], guard: bool) -> Option<u32> {
    const NO: u32 = u32::MAX / 4;
    // A digit that may be taken for a speck: alone, with a letter on both sides.
    let lone =
        |i: usize| i > 0 && i + 1 < o.len() && o[i - 1].is_alphabetic() && o[i + 1].is_alphabetic();
    let digit_cost = |d: bool| if guard && d { NO } else { 1 };
    let m = c.len();
    // d[i][j]: the fewest edits from o[..i] to c[..j], row by row.
    let mut prev: Vec<u32> = (0..=m)
        .map(|j| {
            if guard && c[..j].iter().any(char::is_ascii_digit) {
                NO
            } else {
                j as u32
            }
        })
        .collect();
    let mut cur = vec![NO; m + 1];
    for (i, &oc) in o.iter().enumerate() {
        let del = digit_cost(oc.is_ascii_digit() && !lone(i));
        cur[0] = prev[0].saturating_add(del).min(NO);
        for j in 1..=m {
            let cc = c[j - 1];
            let sub = if oc == cc {
                0
            } else {
                digit_cost(cc.is_ascii_digit())
            };
            let ins = digit_cost(cc.is_ascii_digit());
            cur[j] = (prev[j - 1].saturating_add(sub))
                .min(prev[j].saturating_add(del))
                .min(cur[j - 1].saturating_add(ins))
                .min(NO);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] < NO).then_some(prev[m])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_run_into_a_syllable_are_split_off() {
        assert_eq!(edge_number("04thang"), Some(2));
        assert_eq!(edge_number("04tháng"), Some(2));
        assert_eq!(edge_number("thang5"), Some(5));
        assert_eq!(edge_number("10hieu"), Some(2));
        assert_eq!(edge_number("năm2013"), Some("năm".len()));
        // One letter is a word too after a number of two digits or more (`10y tế`).
        assert_eq!(edge_number("10y"), Some(2));
        assert_eq!(edge_number("y1"), None);
        // OCR's digits for letters: no syllable beside them, or one digit before it.
        assert_eq!(edge_number("16p"), None);
        assert_eq!(edge_number("x4"), None);
        assert_eq!(edge_number("v6i"), None);
        assert_eq!(edge_number("1am"), None);
        assert_eq!(edge_number("2023"), None);
    }

    #[test]
    fn a_reading_may_not_drop_add_or_change_a_number() {
        assert!(!keeps_digits("04thang", "tháng"));
        assert!(!keeps_digits("thang5", "tháng"));
        assert!(!keeps_digits("nam2013", "năm"));
        assert!(!keeps_digits("15", "16"));
        assert!(!keeps_digits("lop", "l6p"));
        assert!(keeps_digits("2013", "2013"));
        assert!(keeps_digits("thang", "tháng"));
    }

    #[test]
    fn the_channels_digit_for_a_letter_is_still_read() {
        assert!(keeps_digits("v6i", "với"));
        assert!(keeps_digits("16p", "lớp"));
        assert!(keeps_digits("x4", "xã"));
        assert!(keeps_digits("1am", "làm"));
        // A lone digit amid letters may be a speck the engine read.
        assert!(keeps_digits("ngu6oi", "người"));
    }
}
