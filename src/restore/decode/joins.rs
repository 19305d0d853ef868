//! Tokens joined or split before decoding: syllables run together in capitals, a horn written
//! as an apostrophe, a question mark standing for a lost letter.

use super::candidates::is_latin_letter;
use super::model::Model;
use crate::restore::lm::skeleton;
use crate::restore::tokenize::{Kind, Token};

/// Whether `part` is a word in capitals whose letters some known syllable has (`HOI`,
/// `KHUYÉN`), and no abbreviation (`KH`, `TU`, `UBND`).
pub(super) fn is_capital_syllable(part: &str, model: &Model) -> bool {
    part.chars().count() >= 2
        && part.chars().all(|c| c.is_uppercase() && is_latin_letter(c))
        && !model.abbrev.contains_key(part)
        && model.by_skeleton.contains_key(&skeleton(part))
}

/// Words in capitals joined by hyphens (`HOI-KHUYEN`, `CHU-TICH`: English-model OCR reads a
/// gap in a heading so) look like a code to the tokenizer, which knows no syllables. When every
/// part is a capital syllable, the parts are words and the hyphens punctuation between them; a
/// code has a part that is none (`KH-UBND`, `CT-TU`).
pub(super) fn split_capital_syllables(text: &str, tokens: &mut Vec<Token>, model: &Model) {
    let joined = |t: &Token| {
        let w = &text[t.range.clone()];
        t.kind == Kind::Protected
            && w.contains('-')
            && w.split('-').all(|p| is_capital_syllable(p, model))
    };
    if !tokens.iter().any(joined) {
        return;
    }
    let mut out = Vec::with_capacity(tokens.len() + 4);
    for t in tokens.drain(..) {
        if !joined(&t) {
            out.push(t);
            continue;
        }
        let mut at = t.range.start;
        for (i, part) in text[t.range.clone()].split('-').enumerate() {
            if i > 0 {
                out.push(Token {
                    kind: Kind::Punct,
                    range: at..at + 1,
                });
                at += 1;
            }
            out.push(Token {
                kind: Kind::Word,
                range: at..at + part.len(),
            });
            at += part.len();
        }
    }
    *tokens = out;
}

/// An apostrophe after `o` or `u` inside a word is the horn an English-model engine reads
/// beside the letter (`phuo'ng` for `phương`, `thu'c` for `thức`); between two words it is a
/// speck where a space was (`bao'sat`). The word wins when the letters around the apostrophe
/// are, together, some known syllable's (`phuong`), and the three tokens become one to repair.
pub(super) fn join_horn_apostrophes(text: &str, tokens: &mut Vec<Token>, model: &Model) {
    join_tokens(tokens, 3, |t: &[Token]| {
        let (a, q, b) = (&t[0], &t[1], &t[2]);
        let (left, right) = (&text[a.range.clone()], &text[b.range.clone()]);
        a.kind == Kind::Word
            && b.kind == Kind::Word
            && matches!(&text[q.range.clone()], "'" | "’")
            && left.ends_with(['o', 'u', 'O', 'U'])
            && right.chars().all(char::is_lowercase)
            && model
                .by_skeleton
                .contains_key(&skeleton(&format!("{left}{right}")))
    });
}

/// A `?` right after a word, with the sentence going on in lower case after it (`giữ? vùng`,
/// `chi?, phổ`), is English-model OCR's reading of `ữ`/`ứ`'s hook, not a question's end: the
/// word and the mark become one token to repair.
pub(super) fn join_question_marks(text: &str, tokens: &mut Vec<Token>) {
    join_tokens(tokens, 2, |t: &[Token]| {
        let (w, q) = (&t[0], &t[1]);
        let rest = text[q.range.end..]
            .trim_start_matches([',', ';'])
            .trim_start();
        w.kind == Kind::Word
            && &text[q.range.clone()] == "?"
            && rest.starts_with(char::is_lowercase)
    });
}

/// Each `n` consecutive tokens for which `joins` holds become one token to repair
/// ([`Kind::Mixed`]: read on OCR'd text only), left to right.
pub(super) fn join_tokens(tokens: &mut Vec<Token>, n: usize, joins: impl Fn(&[Token]) -> bool) {
    if !tokens.windows(n).any(&joins) {
        return;
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut k = 0;
    while k < tokens.len() {
        match tokens.get(k..k + n).filter(|w| joins(w)) {
            Some(w) => {
                out.push(Token {
                    kind: Kind::Mixed,
                    range: w[0].range.start..w[n - 1].range.end,
                });
                k += n;
            }
            None => {
                out.push(tokens[k].clone());
                k += 1;
            }
        }
    }
    *tokens = out;
}
