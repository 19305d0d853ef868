//! The words of the model: sentence marks, limits, and the keys syllables are counted under.

use unicode_normalization::UnicodeNormalization;

pub const BOS: u16 = 0;
pub const EOS: u16 = 1;
/// Largest vocabulary the `u16` ids allow (ids 0 and 1 are the sentence marks).
pub(super) const MAX_VOCAB: usize = 65_000;
/// Longest syllable kept (Vietnamese's longest, `nghiêng`, has 7 letters).
pub(super) const MAX_SYLLABLE_CHARS: usize = 8;

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A lower-case syllable with its tone mark in the old (government document) place: `hoà` →
/// `hòa`, `thuỷ` → `thủy`. Text in both styles then counts as one syllable, and the decoder
/// writes the style Vietnamese administrative documents use. (A full tone-placement module
/// with a selectable style lives with the syllable structure; this is only the model's key.)
pub fn old_style_tone(w: &str) -> String {
    let d: Vec<char> = w.nfd().collect();
    let Some(tone) = d.iter().copied().find(|c| TONES.contains(c)) else {
        return w.to_string();
    };
    let base: Vec<char> = d
        .iter()
        .copied()
        .filter(|c| !TONES.contains(c))
        .collect::<String>()
        .nfc()
        .collect();
    let n = base.len();
    let open_pair = n >= 2
        && matches!(
            (base[n - 2], base[n - 1]),
            ('o', 'a') | ('o', 'e') | ('u', 'y')
        )
        && !(n >= 3 && base[n - 3] == 'q');
    if !open_pair {
        return w.to_string();
    }
    let mut out = String::new();
    for (i, c) in base.iter().enumerate() {
        out.push(*c);
        if i == n - 2 {
            out.push(tone);
        }
    }
    out.nfc().collect()
}

/// Whether a lower-case word carries a Vietnamese mark or letter (not plain ASCII).
pub fn has_marks(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
}

/// A word written without marks that no marking of its letters makes a syllable (`list`, `dch`,
/// `grep`): a foreign word, a command or a code, never a Vietnamese word that lost its marks.
/// The trainer counts such words as written, and the decoder leaves them as written in correct
/// text.
pub fn is_foreign_word(w: &str) -> bool {
    !has_marks(w) && !crate::vietnamese::syllable::is_syllable_skeleton(w)
}
