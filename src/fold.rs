//! Folding text for comparisons: diacritics off, `đ` → `d`, lower case.
//!
//! Headings, Quốc hiệu and labels are matched on folded text so that the segmenter still
//! recognises them in text whose marks were lost (old English-engine OCR) when restoration
//! could not bring them all back.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `"Cộng hòa XÃ HỘI"` → `"cong hoa xa hoi"`.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' | 'Ð' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fold one char (marks off, `đ` → `d`, lower case); chars that decompose to several keep
/// their base letter.
pub fn fold_char(c: char) -> char {
    let mut s = String::new();
    s.push(c);
    fold(&s).chars().next().unwrap_or(c)
}

/// Byte offsets of `s`'s chars paired with their folded forms, for mapping a match on folded
/// text back to the original (folding is one char to one char for Vietnamese letters).
pub fn fold_with_offsets(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut offsets = Vec::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let f = fold_char(c);
        for _ in 0..f.len_utf8() {
            offsets.push(i);
        }
        out.push(f);
    }
    offsets.push(s.len());
    (out, offsets)
}

/// True when the letters of `s` are (nearly) all capitals, as header and heading lines are.
pub fn is_upper(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return false;
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    upper * 10 >= letters.len() * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("CỘNG HÒA Đơn vị"), "cong hoa don vi");
        let (f, off) = fold_with_offsets("Độc lập");
        assert_eq!(f, "doc lap");
        assert_eq!(off[4], "Độc ".len());
    }
}
