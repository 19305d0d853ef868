//! Every decoded token's confidence: its share of probability with the decoded neighbours
//! fixed, and the decision it becomes.

use super::candidates::Cand;
use super::case::{Case, apply_case, case_of};
use super::model::{Channel, Model};
use crate::restore::lm::{BOS, EOS, Lm};
use crate::restore::types::Decision;

/// The LM scores of every candidate at position `r`, given the decoded neighbours: the
/// trigrams that hold position `r`.
///
/// A phrase end counts here as the model gives it, not by `phrase_end_weight`: the weight may
/// steer which reading the search finds, but lends a change no confidence (measured: weighted
/// here too, correct text lost `DD(` to `Do(`).
pub(super) fn local_scores(cands: &[&[Cand]], best: &[usize], r: usize, lm: &Lm) -> Vec<f32> {
    let n = cands.len() as isize;
    // Neighbours other than `r` itself.
    let id = |p: isize| -> Option<u16> {
        if p < 0 {
            if p == -1 { Some(BOS) } else { None }
        } else if p >= n {
            if p == n { Some(EOS) } else { None }
        } else {
            cands[p as usize][best[p as usize]].id
        }
    };
    let ri = r as isize;
    let before = lm.context(id(ri - 2), id(ri - 1));
    let (prev, next, after) = (id(ri - 1), id(ri + 1), id(ri + 2));
    let pair = |u: Option<u16>, v: Option<u16>| match (u, v) {
        (Some(u), Some(v)) => lm.bigram_index(u, v),
        _ => None,
    };
    // The pair `c next` serves both following trigrams: as the bigram of the first and the
    // context of the second; `next after` is the same for every candidate.
    let next_after = pair(next, after).map(|k| lm.bigram_at(k));
    cands[r]
        .iter()
        .map(|c| {
            // `prev c` is both the bigram of the first trigram and the context of the second.
            let prev_c = pair(prev, c.id);
            let mut s = before.score_with(c.id, |_| prev_c.map(|k| lm.bigram_at(k)));
            let c_next = pair(c.id, next);
            if ri < n {
                s += lm
                    .context_of_pair(c.id, prev_c)
                    .score_with(next, |_| c_next.map(|k| lm.bigram_at(k)));
            }
            if ri + 1 < n {
                s += lm
                    .context_of_pair(next, c_next)
                    .score_with(after, |_| next_after);
            }
            s
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) fn emit(
    obs: &str,
    cands: &[&[Cand]],
    best: &[usize],
    r: usize,
    capitals_amid_lower_case: bool,
    ch: Channel,
    text_only: bool,
    model: &Model,
    out: &mut String,
    decisions: &mut Vec<Decision>,
) -> (usize, Vec<f32>) {
    let cs = &cands[r];
    let lower = obs.to_lowercase();
    if cs.len() == 1 && cs[0].text == lower {
        out.push_str(obs);
        return (0, vec![]);
    }
    let cautious = matches!(ch, Channel::None | Channel::OcrVie);
    // Posterior of each reading with the neighbours fixed (a lone reading is certain, and
    // stripped text has many: no need to ask the model). Only a decision and a cautious
    // channel's second thoughts use it; empty when neither asks.
    let posterior: Vec<f32> = if cs.len() > 1 && (cautious || !text_only) {
        let mut w = local_scores(cands, best, r, &model.lm);
        for (s, c) in w.iter_mut().zip(cs.iter()) {
            *s += c.ch;
        }
        let top = w.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for s in w.iter_mut() {
            *s = 10f32.powf(*s - top);
        }
        let z: f32 = w.iter().sum();
        w.iter_mut().for_each(|s| *s /= z);
        w
    } else {
        vec![]
    };
    let p = |c: usize| posterior.get(c).copied().unwrap_or(1.0);
    let mut pick = best[r];
    let mut conf = p(pick);
    if cautious
        && cs[pick].text != lower
        && conf < model.cfg.min_change_confidence
        && let Some(l) = cs.iter().position(|c| c.text == lower)
    {
        pick = l;
        conf = p(l);
    }
    let mut case = case_of(obs);
    // An `l` that OCR read as a capital `I` or `J` (`Ion` for `lớn`, `Joai` for `loại`): the
    // capital was the engine's, not the writer's.
    if case == Case::Title
        && obs.starts_with(['I', 'J', '|'])
        && cs[pick].text.starts_with('l')
        && ch.is_ocr()
    {
        case = Case::Lower;
    }
    // A capital `O` or `G` for a lower-case `ộ` makes `Bộ` read `BO`: one word in capitals
    // amid lower case on OCR'd text is the engine's doing when it reads as a syllable.
    if case == Case::Upper
        && capitals_amid_lower_case
        && cs[pick].text != lower
        && crate::vietnamese::syllable::is_valid_syllable(&cs[pick].text)
    {
        case = Case::Title;
    }
    let restored = if cs[pick].text == lower {
        obs.to_string()
    } else {
        apply_case(&cs[pick].text, case)
    };
    let changed = restored != obs;
    if !text_only && (changed || conf < model.cfg.uncertain_below) {
        let mut likely: Vec<usize> = (0..posterior.len())
            .filter(|&c| c != pick && p(c) >= 0.02)
            .collect();
        likely.sort_by(|&a, &b| p(b).total_cmp(&p(a)).then(a.cmp(&b)));
        let alternatives = likely
            .iter()
            .take(3)
            .map(|&c| apply_case(&cs[c].text, case))
            .collect();
        decisions.push(Decision {
            range: out.len()..out.len() + restored.len(),
            original: obs.to_string(),
            restored: restored.clone(),
            confidence: conf.clamp(0.0, 1.0),
            alternatives,
        });
    }
    out.push_str(&restored);
    (pick, posterior)
}
