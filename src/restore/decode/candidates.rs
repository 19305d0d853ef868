//! The readings a token may have on a channel: every syllable with its skeleton for stripped
//! text, the learned confusions for OCR.

use super::model::{Channel, Model};
use super::near::NearIndex;
use crate::restore::channel::OcrChannel;
use crate::restore::lm::{has_marks, is_foreign_word, old_style_tone, skeleton};
use crate::restore::tokenize::Kind;

/// A reading of one token.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    /// Lower case.
    pub(crate) text: String,
    pub(super) id: Option<u16>,
    /// Weighted channel log10 probability.
    pub(super) ch: f32,
}

pub(super) fn candidates(obs: &str, kind: Kind, ch: Channel, model: &Model) -> Vec<Cand> {
    if kind == Kind::Number {
        // A number stays as written; to the model it is the number class.
        return vec![Cand {
            text: obs.to_string(),
            id: model.number,
            ch: 0.0,
        }];
    }
    let lower = obs.to_lowercase();
    let known = model.known(&lower);
    let literal = Cand {
        text: lower.clone(),
        id: known,
        ch: 0.0,
    };
    // A word in another script (`中`, `σ`) is no damaged Vietnamese: every reading the
    // channel could offer is a guess of a Latin letter from nothing.
    if !lower.chars().any(is_latin_letter) && !matches!(obs, "&" | "@") {
        return vec![literal];
    }
    let skel = skeleton(&lower);
    let from_skeleton = |ch_score: f32| -> Vec<Cand> {
        model
            .by_skeleton
            .get(&skel)
            .map(|ids| {
                ids.iter()
                    .map(|&i| Cand {
                        text: model.lm.vocab[i as usize].to_string(),
                        id: Some(i),
                        ch: ch_score,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let cfg = &model.cfg;
    match ch {
        Channel::None => {
            if known.is_some() || kind != Kind::Word && kind != Kind::Mixed {
                return vec![literal];
            }
            // Capitals the model does not know, in correct text: an acronym it has not seen
            // (`CCHC`, `ITP`) far more often than a typo, and one letter off another acronym;
            // one with Vietnamese letters or marks of its own (`GĐ`, `CĐ`) was written with
            // them, so it is no stripped word either, whatever its bare letters spell.
            let stripped_like = model.by_skeleton.contains_key(&skel) && !has_marks(&lower);
            if is_acronym(obs, stripped_like) {
                return vec![literal];
            }
            // In marked, correct text a foreign word, a command or a code, as the trainer takes
            // it. Reading it as a syllable needs the word to have lost every mark and a letter
            // besides; a slip of one letter in a word written with its marks keeps them
            // (`triiển`), and stays a candidate for repair.
            if kind == Kind::Word && is_foreign_word(&lower) {
                return vec![literal];
            }
            // An unknown token in correct text: a typo or a stray OCR slip.
            let mut c = ocr_candidates(&lower, &model.vie, model, 1);
            // Only to a Vietnamese syllable: the vocabulary's English (`prop`) is no repair of
            // a word in correct text that the model lacks (`pop`).
            c.retain(|c| !same_word(&c.text, &lower) && is_vietnamese(&c.text));
            // Keeping an unknown word costs as much as one unseen edit: a name or foreign
            // word stays unless a known syllable is clearly better.
            c.push(Cand {
                ch: cfg.unseen_edit,
                ..literal
            });
            c
        }
        Channel::Stripped => {
            if kind != Kind::Word || has_marks(&lower) {
                return vec![literal];
            }
            let mut c = from_skeleton(0.0);
            if c.is_empty() {
                c.push(literal);
            }
            c
        }
        Channel::OcrEng => {
            let d = if skel.chars().count() >= 3 {
                cfg.max_skeleton_distance
            } else {
                1
            };
            let mut c = ocr_candidates(&lower, &model.eng, model, d);
            c.retain(|c| c.text == lower || !same_word(&c.text, &lower));
            // The model's vocabulary holds some English of its corpus (`ctrl`, `like`, `date`):
            // no reading of a Vietnamese word in lower case. Loan words with marks (`panô`) and
            // a capital token's abbreviations (`UBND`) stay.
            if obs.chars().any(char::is_lowercase) {
                c.retain(|c| c.text == lower || is_vietnamese(&c.text));
            }
            if !c.iter().any(|c| c.text == lower) {
                let lit_ch = if known.is_some() {
                    model.eng.score(&lower, &lower, cfg) * cfg.channel_weight
                } else {
                    cfg.unseen_edit * 2.0
                };
                c.push(Cand {
                    ch: lit_ch,
                    ..literal
                });
            }
            c
        }
        Channel::OcrVie => {
            // An acronym in plain capitals: the engine read it (a misread capital word keeps
            // some mark the engine saw, as `HOẠCII` does).
            if known.is_none()
                && obs.is_ascii()
                && is_acronym(obs, model.by_skeleton.contains_key(&skel))
            {
                return vec![literal];
            }
            // Tesseract `vie` mostly slips one mark or letter; a token that is no known word
            // may be further off (`rn` read for `m`, `ri` for `n`: `phorig` for `phong`).
            let d = if known.is_none() && skel.chars().count() >= 3 {
                cfg.max_skeleton_distance
            } else {
                1
            };
            let mut c = ocr_candidates(&lower, &model.vie, model, d);
            c.retain(|c| c.text == lower || !same_word(&c.text, &lower));
            // As on English-model OCR: no English of the vocabulary for a lower-case word the
            // model lacks. (A known word, English too, keeps its rivals: they are what hold a
            // change below `min_change_confidence` when the text is in fact correct.)
            if known.is_none() && obs.chars().any(char::is_lowercase) {
                c.retain(|c| c.text == lower || is_vietnamese(&c.text));
            }
            match c.iter_mut().find(|c| c.text == lower) {
                Some(l) if known.is_some() => l.ch += cfg.keep_known_bonus,
                Some(_) => {}
                None => c.push(Cand {
                    ch: if known.is_some() {
                        cfg.keep_known_bonus
                    } else {
                        cfg.unseen_edit
                    },
                    ..literal
                }),
            }
            c
        }
    }
}

/// A reading that is Vietnamese: a valid syllable, or a loan word with marks (`panô`); not
/// the English the vocabulary holds from its corpus (`ctrl`, `prop`).
pub(super) fn is_vietnamese(text: &str) -> bool {
    !text.is_ascii() || crate::vietnamese::syllable::is_valid_syllable(text)
}

/// Two or more capitals, no lower case, and no syllable's bare letters (`skeleton_known`
/// false: `CCHC`, `ITP`, not `HOACH`): an acronym, which restoration leaves as written.
pub(super) fn is_acronym(word: &str, skeleton_known: bool) -> bool {
    !skeleton_known
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !word.chars().any(char::is_lowercase)
}

/// A letter of the Latin script, Vietnamese's included (Basic Latin to Latin Extended-B, and
/// Latin Extended Additional, where the letters with two marks are).
pub(super) fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && (c.is_ascii()
            || ('\u{C0}'..='\u{24F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c))
}

/// Whether a candidate is the observed word itself, in either tone style.
pub(super) fn same_word(cand: &str, lower: &str) -> bool {
    cand == lower || cand == old_style_tone(lower)
}

/// Known syllables near an OCR'd token, scored by the learned channel; the best few.
pub(super) fn ocr_candidates(lower: &str, chan: &OcrChannel, model: &Model, d: usize) -> Vec<Cand> {
    let cfg = &model.cfg;
    let skel = skeleton(lower);
    let index = model.near();
    let mut near = index.lookup(&skel, d);
    // Nearest skeletons first, then the commonest, so the costly scoring sees few.
    near.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then(index.best_prior[b.0 as usize].total_cmp(&index.best_prior[a.0 as usize]))
            .then(a.0.cmp(&b.0))
    });
    near.truncate(cfg.near_candidates);
    // (channel score, syllable) pairs; texts are made only for the few kept.
    let mut scored: Vec<(f32, u16)> = vec![];
    let observed = chan.observed(lower);
    let prepared = chan.prepared(model.lm.vocab.iter());
    // The best keys so far (channel score + prior), to skip readings that cannot enter the
    // kept few nor reach `far_below` (the test for a far search) before they are fully scored.
    // `min` is a channel score a reading must reach to be kept at all.
    let w = cfg.channel_weight;
    let keep = cfg.max_candidates.max(1);
    let mut best: Vec<f32> = Vec::with_capacity(keep + 1);
    let mut score = |near: &[(u32, usize)], index: &NearIndex, min: f32, scored: &mut Vec<_>| {
        for &(s, _) in near {
            for &i in &index.ids[s as usize] {
                let prior = model.lm.prior(i);
                let mut floor = min;
                if best.len() == keep {
                    floor = floor.max((best[keep - 1] - prior).min(cfg.far_below));
                }
                let floor = if w > 0.0 {
                    floor / w - 1e-3
                } else {
                    f32::NEG_INFINITY
                };
                let ch = observed.score_intended_above(&prepared[i as usize], cfg, floor) * w;
                if ch == f32::NEG_INFINITY || ch < min {
                    continue;
                }
                let k = ch + prior;
                let at = best.partition_point(|&b| b >= k);
                if at < keep {
                    best.insert(at, k);
                    best.truncate(keep);
                }
                scored.push((ch, i));
            }
        }
    };
    score(&near, index, f32::NEG_INFINITY, &mut scored);
    // A token nothing near explains: look further, among the commonest skeletons there, for
    // readings the channel still finds likely enough (a foreign word such as `Debian` is
    // many unseen edits from any syllable and stays as written).
    let far_d = cfg.far_skeleton_distance;
    if d == cfg.max_skeleton_distance
        && far_d > d
        && scored.iter().all(|&(ch, _)| ch < cfg.far_below)
    {
        let index = model.far();
        let mut far = index.lookup(&skel, far_d);
        far.retain(|e| e.1 > d);
        far.sort_by(|a, b| {
            index.best_prior[b.0 as usize]
                .total_cmp(&index.best_prior[a.0 as usize])
                .then(a.0.cmp(&b.0))
        });
        far.truncate(cfg.far_candidates);
        score(&far, index, cfg.far_min, &mut scored);
    }
    let key = |&(ch, i): &(f32, u16)| ch + model.lm.prior(i);
    scored.sort_by(|a, b| key(b).total_cmp(&key(a)));
    scored.truncate(cfg.max_candidates);
    scored
        .into_iter()
        .map(|(ch, i)| Cand {
            text: model.lm.vocab[i as usize].to_string(),
            id: Some(i),
            ch,
        })
        .collect()
}
