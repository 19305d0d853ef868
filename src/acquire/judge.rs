//! Whether a page's text layer is its text: the share of its words that are possible
//! Vietnamese syllables, and the share of its letters that Vietnamese never writes.
//!
//! Real PDFs carry layers that lie: an old OCR pass without diacritics ("ceNG HoA x,l ugr
//! cnu"), a font whose character map is broken ("CØNG HOÀXÃ HØI"). Syllables are checked by
//! [`crate::vietnamese::syllable`]; the thresholds are data (`rules/text_layer.toml`).

use crate::vietnamese::syllable::is_valid_syllable;
use serde::Deserialize;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Deserialize)]
pub struct Thresholds {
    pub min_valid_syllables: f32,
    pub max_foreign_letters: f32,
    pub min_words: usize,
}

pub fn thresholds() -> &'static Thresholds {
    static T: OnceLock<Thresholds> = OnceLock::new();
    T.get_or_init(|| {
        crate::rules::Rules::builtin()
            .toml("text_layer.toml")
            .expect("embedded rules/text_layer.toml is valid (tested)")
    })
}

/// How a text reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub words: usize,
    /// Share of words that are possible syllables.
    pub valid: f32,
    /// Share of letters Vietnamese never writes.
    pub foreign: f32,
}

impl Reading {
    pub fn of(text: &str) -> Reading {
        let (mut letters, mut foreign) = (0usize, 0usize);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            if !vietnamese_letter(c) {
                foreign += 1;
            }
        }
        let (mut words, mut valid) = (0usize, 0usize);
        for w in text.split_whitespace() {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.chars().count() < 2 || !w.chars().all(char::is_alphabetic) {
                continue;
            }
            words += 1;
            if is_valid_syllable(&w.to_lowercase()) {
                valid += 1;
            }
        }
        Reading {
            words,
            valid: if words == 0 {
                1.0
            } else {
                valid as f32 / words as f32
            },
            foreign: if letters == 0 {
                0.0
            } else {
                foreign as f32 / letters as f32
            },
        }
    }

    /// Why the layer is not the page's text, or `None` when it may be.
    pub fn rejected(&self, t: &Thresholds) -> Option<String> {
        if self.foreign > t.max_foreign_letters {
            return Some(format!(
                "{:.0}% of its letters are not Vietnamese (broken font map?)",
                100.0 * self.foreign
            ));
        }
        if self.words >= t.min_words && self.valid < t.min_valid_syllables {
            return Some(format!(
                "only {:.0}% of its words are Vietnamese syllables",
                100.0 * self.valid
            ));
        }
        None
    }

    /// Higher reads better: valid words, less any foreign letters.
    pub fn score(&self) -> f32 {
        self.valid - 4.0 * self.foreign
    }
}

/// A letter quốc ngữ writes: a–z (f j w z in loanwords) or đ, and vowels with only its marks
/// (breve, circumflex, horn, and the five tones).
fn vietnamese_letter(c: char) -> bool {
    if c.is_ascii_alphabetic() || c == 'đ' || c == 'Đ' {
        return true;
    }
    let mut parts = std::iter::once(c).nfd();
    let Some(base) = parts.next() else {
        return false;
    };
    // Only vowels take marks.
    "aeiouyAEIOUY".contains(base)
        && parts.all(|m| {
            matches!(
                m,
                '\u{0300}'
                    | '\u{0301}'
                    | '\u{0303}'
                    | '\u{0309}'
                    | '\u{0323}'
                    | '\u{0302}'
                    | '\u{0306}'
                    | '\u{031B}'
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_of_quoc_ngu_and_others() {
        for c in ['a', 'Ệ', 'ư', 'Ữ', 'đ', 'ă', 'ỵ', 'z'] {
            assert!(vietnamese_letter(c), "{c}");
        }
        for c in ['Ø', 'æ', 'ı', 'Ѭ', 'Ӣ', 'ñ', 'ç', 'ü'] {
            assert!(!vietnamese_letter(c), "{c}");
        }
    }

    #[test]
    fn a_broken_font_map_is_rejected_and_good_text_is_not() {
        let t = thresholds();
        let broken = "6Ӣ C‘NG 7+ѬѪ1 &Ӝ1 H“A XÃ +Ӝ, &+Ӫ 1+Ƭ$ 9,ӊ7 NAM";
        let r = Reading::of(broken);
        assert!(r.rejected(t).is_some(), "{r:?}");
        let good = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015";
        assert_eq!(Reading::of(good).rejected(t), None);
    }

    #[test]
    fn words_that_are_not_syllables_reject_a_long_layer() {
        let t = thresholds();
        // An old English-engine OCR layer: letters Vietnamese writes, words it does not.
        let junk = "ceNG HoA xal ugr cnu ".repeat(10);
        let r = Reading::of(&junk);
        assert!(r.words >= t.min_words);
        assert!(r.rejected(t).unwrap().contains("syllables"), "{r:?}");
        let fine = "cộng hòa xã hội chủ nghĩa ".repeat(10);
        assert_eq!(Reading::of(&fine).rejected(t), None);
    }
}
