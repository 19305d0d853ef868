//! Lost and extra spaces inside runs of syllables, mended before decoding.

use super::analyse::{Line, Signs};
use super::cache::CandCache;
use super::model::{Channel, Model};
use crate::restore::lm::{has_marks, skeleton};
use crate::restore::tokenize::{Kind, Token};

/// How well a piece of a token stands as one syllable of the language on this channel: the
/// log10 prior of the commonest syllable it can be, or `None` when it can be none. Marked
/// text (correct or Vietnamese-model OCR) must spell a known syllable exactly; stripped or
/// English-model OCR text must have a known syllable's skeleton.
pub(super) fn syllable_prior(piece: &str, ch: Channel, model: &Model) -> Option<f32> {
    let lower = piece.to_lowercase();
    let valid = crate::vietnamese::syllable::is_valid_syllable;
    match ch {
        Channel::None | Channel::OcrVie => model
            .known(&lower)
            .filter(|_| valid(&lower))
            .map(|id| model.lm.prior(id)),
        Channel::Stripped | Channel::OcrEng => model
            .by_skeleton
            .get(&skeleton(&lower))?
            .iter()
            .filter(|&&id| valid(&model.lm.vocab[id as usize]))
            .map(|&id| model.lm.prior(id))
            .reduce(f32::max),
    }
}

/// Where a space was lost or added inside a run of syllables: the line's tokens as the decoder
/// should see them, or `None` when nothing moves. A word that has no reading as one syllable
/// but is two known ones written together (`hoạchnày`, `tuyentruyen`, each half two letters or more) is split
/// where the halves are likeliest, with an empty space token between them; two words that are
/// not both syllables but one known syllable together (`trườ ng`) become one token spanning
/// the space. Marked text (correct or Vietnamese-model OCR) is split only where the word
/// carries marks, so a name such as `Hanoi` stays.
pub(super) fn resegment(
    line: &Line,
    ch: Channel,
    model: &Model,
    signs: &Signs,
    cache: &mut CandCache,
) -> Option<Vec<Token>> {
    let toks = &line.tokens;
    let text = |t: &Token| &line.text[t.range.clone()];
    let letters = |t: &Token| t.kind == Kind::Word;
    let whole = |w: &str| {
        syllable_prior(w, ch, model).is_some() || model.known(&w.to_lowercase()).is_some()
    };
    // Only a word the model cannot take as it is starts either: most lines have none. The
    // document's analysis already asked the model of every word.
    let odd = |t: &Token| {
        letters(t)
            && signs.get(text(t)).is_some_and(|s| match ch {
                Channel::None | Channel::OcrVie => s.unknown,
                Channel::Stripped | Channel::OcrEng => !s.skeleton_known,
            })
    };
    let odd: Vec<bool> = toks.iter().map(odd).collect();
    if !odd.contains(&true) {
        return None;
    }
    let mut out: Option<Vec<Token>> = None;
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        // Join `a b` into one syllable.
        if (odd[k] || odd.get(k + 2) == Some(&true))
            && letters(t)
            && toks
                .get(k + 1)
                .is_some_and(|s| s.kind == Kind::Space && text(s) == " ")
            && toks.get(k + 2).is_some_and(letters)
        {
            let (a, b) = (text(t), text(&toks[k + 2]));
            let valid = |w: &str| crate::vietnamese::syllable::is_valid_syllable(&w.to_lowercase());
            if (!valid(a) || !valid(b))
                && (!whole(a) || !whole(b))
                && syllable_prior(&format!("{a}{b}"), ch, model).is_some()
            {
                let v = out.get_or_insert_with(|| toks[..k].to_vec());
                v.push(Token {
                    kind: Kind::Word,
                    range: t.range.start..toks[k + 2].range.end,
                });
                k += 3;
                continue;
            }
        }
        // Split `ab` into two syllables.
        let w = text(t);
        // Only a word that can be no syllable: a slip within one (`chuấn`, `chiức`, `tuéng`)
        // is the decoder's to mend. Marked text spells its halves exactly, which outweighs a
        // syllable two edits away; stripped and English-model text must have no reading.
        let mut no_reading = |w: &str| {
            let lower = w.to_lowercase();
            if matches!(ch, Channel::None | Channel::OcrVie) {
                return model.near().lookup(&skeleton(&lower), 1).is_empty();
            }
            let k = cache.get(w, t.kind, ch, model);
            cache.lists[k]
                .iter()
                .all(|c| c.id.is_none() || c.text == lower)
        };
        let split = (odd[k]
            && w.chars().count() >= 4
            && !whole(w)
            && no_reading(w)
            && (!matches!(ch, Channel::None | Channel::OcrVie) || has_marks(&w.to_lowercase())))
        .then(|| {
            w.char_indices()
                .skip(2)
                .filter(|&(i, _)| w[i..].chars().count() >= 2)
                .filter_map(|(i, _)| {
                    let p =
                        syllable_prior(&w[..i], ch, model)? + syllable_prior(&w[i..], ch, model)?;
                    Some((i, p))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
        })
        .flatten();
        match split {
            Some((i, _)) => {
                let v = out.get_or_insert_with(|| toks[..k].to_vec());
                let m = t.range.start + i;
                v.push(Token {
                    kind: Kind::Word,
                    range: t.range.start..m,
                });
                v.push(Token {
                    kind: Kind::Space,
                    range: m..m,
                });
                v.push(Token {
                    kind: Kind::Word,
                    range: m..t.range.end,
                });
            }
            None => {
                if let Some(v) = out.as_mut() {
                    v.push(t.clone());
                }
            }
        }
        k += 1;
    }
    out
}
