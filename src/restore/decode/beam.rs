//! The beam search over trigram states for a run of words, after a bigram pass that prunes
//! each token's candidates.

use super::candidates::Cand;
use super::model::Model;
use crate::restore::lm::{BOS, EOS};

/// A beam state's sort key: better scores first, equal ones in `tie` order (the position of
/// the state's (previous candidate, candidate) pair). Integers sort several times faster than
/// `(f32, usize)` pairs under a comparison closure, and the beam sorts at every word.
pub(super) fn rank_key(score: f32, tie: u32) -> u64 {
    // The order of `f32::total_cmp` as unsigned integers: flip every bit of a negative
    // number, only the sign bit of a positive one. Complemented for best first.
    let bits = score.to_bits();
    let ascending = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    (u64::from(!ascending) << 32) | u64::from(tie)
}

/// A state of the beam search.
#[derive(Clone, Copy)]
pub(super) struct Hyp {
    pub(super) cur: Option<u16>,
    /// Where `prev cur` is in the bigram table.
    pub(super) pair: Option<u32>,
    pub(super) cur_idx: usize,
    pub(super) score: f32,
    pub(super) back: usize,
}

/// The beam search's buffers, kept from one run of words to the next so that a run does not
/// allocate them anew (a plan has thousands of short runs).
#[derive(Default)]
pub(super) struct BeamScratch {
    /// Kept hypotheses of every step, one after another; `bounds[k]..bounds[k + 1]` is step k.
    pub(super) all: Vec<Hyp>,
    pub(super) bounds: Vec<usize>,
    /// New states of a step: one row of `n` slots for each previous candidate some kept state
    /// ends in (`row_of`), in order of first use; `row_key` orders equal scores. A slot holds
    /// the best score into its state and the kept state it came from; the rest of the state
    /// follows from its row and candidate.
    pub(super) score: Vec<f32>,
    pub(super) back: Vec<u32>,
    pub(super) row_of: Vec<u32>,
    pub(super) row_key: Vec<usize>,
    /// Filled slots as sort keys ([`rank_key`]).
    pub(super) order: Vec<u64>,
    /// Where each row's pairs (previous candidate, candidate) start in the bigram pass's
    /// `pair_idx`, by row.
    pub(super) row_pairs: Vec<usize>,
    /// The bigram pass ([`prune`]).
    pub(super) prune: PruneScratch,
}

/// The buffers of [`prune`]; every table is flat, position after position.
#[derive(Default)]
pub(super) struct PruneScratch {
    /// Where position t's candidates start in `fwd` and `bwd`.
    pub(super) at: Vec<usize>,
    /// Best bigram score of a reading from the phrase's start to each candidate, and from
    /// each candidate to the phrase's end.
    pub(super) fwd: Vec<f32>,
    pub(super) bwd: Vec<f32>,
    /// Per position t ≥ 1: readings of t − 1 scoring below this up to there were dropped.
    pub(super) reach: Vec<f32>,
    /// Where position t's pairs start in `pair_idx`: (previous candidate, candidate), the
    /// phrase's start for position 0.
    pub(super) pair_at: Vec<usize>,
    /// Where each pair is in the bigram table, when seen: the beam's trigram contexts.
    pub(super) pair_idx: Vec<Option<u32>>,
    /// The seen pairs into positions 1.., as (previous candidate, candidate, score);
    /// `seen_at[t - 1]..seen_at[t]` go into position t.
    pub(super) seen: Vec<(u32, u32, f32)>,
    pub(super) seen_at: Vec<usize>,
    /// The candidates kept, as indices into each position's list; `kept_at[t]..kept_at[t+1]`.
    pub(super) kept: Vec<u32>,
    pub(super) kept_at: Vec<usize>,
}

impl PruneScratch {
    /// The bigram pass's score of the best reading of the phrase through each candidate of
    /// position `t` (up to it only, when the pass had no backward half).
    pub(super) fn through(&self, t: usize) -> impl Iterator<Item = f32> + Clone + '_ {
        let (fwd, bwd) = (&self.fwd, &self.bwd);
        let two_sided = bwd.len() == fwd.len();
        (self.at[t]..self.at[t + 1]).map(move |k| fwd[k] + if two_sided { bwd[k] } else { 0.0 })
    }
}

/// The candidates worth the trigram search (into `p.kept`): those on some reading of the
/// phrase that a bigram model scores within `margin` (log10) of its best reading.
///
/// Why: the beam scores every candidate after every state it keeps, and stripped text has up
/// to twenty readings of a syllable (`da`: đã, đa, dạ, đà, đá…), most of which no context
/// favours. An exact max-product pass over bigrams, forward and back, shows which readings
/// are hopeless: one 10^margin times less likely than the best under bigrams does not come
/// back under trigrams. The channel scores count as in the beam, and so does the phrase's end.
///
/// Only seen pairs are scored one by one. An unseen pair `v w` scores `v`'s backoff weight
/// plus `w`'s prior, and a seen one never less (the trainer writes no model that breaks it:
/// [`Lm::backoff`]), so the best way into `w` over unseen pairs is bounded by the best
/// (score + backoff) before it plus `w`'s prior; the bound is exact whenever it wins. Most pairs are unseen (a stripped syllable's rare
/// readings after each reading of the word before).
pub(super) fn prune(cands: &[&[Cand]], open_end: bool, model: &Model, p: &mut PruneScratch) {
    let lm = &model.lm;
    let margin = model.cfg.prune_margin;
    let PruneScratch {
        at,
        fwd,
        bwd,
        reach,
        pair_at,
        pair_idx,
        seen,
        seen_at,
        kept,
        kept_at,
    } = p;
    for v in [&mut *at, pair_at, seen_at, kept_at] {
        v.clear();
    }
    fwd.clear();
    reach.clear();
    pair_idx.clear();
    seen.clear();
    kept.clear();
    kept_at.push(0);
    // Forward: the best score of a reading up to each candidate.
    let start = lm.context(None, Some(BOS));
    at.push(0);
    pair_at.push(0);
    reach.push(f32::NEG_INFINITY);
    for c in cands.first().copied().unwrap_or_default() {
        let k = c.id.and_then(|w| lm.bigram_index(BOS, w));
        let s = start.score_with(c.id, |_| k.map(|k| lm.bigram_at(k))) + c.ch;
        pair_idx.push(k);
        fwd.push(s);
    }
    for t in 1..cands.len() {
        let (prev, cs) = (at[t - 1]..fwd.len(), cands[t]);
        at.push(fwd.len());
        pair_at.push(pair_idx.len());
        seen_at.push(seen.len());
        pair_idx.resize(pair_idx.len() + cands[t - 1].len() * cs.len(), None);
        // A reading this far behind the best one up to here is dropped as the beam drops a
        // state so far behind (`beam_threshold`): its pairs are not looked up.
        let r = if margin.is_finite() {
            fwd[prev.clone()]
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max)
                - model.cfg.beam_threshold
        } else {
            f32::NEG_INFINITY
        };
        reach.push(r);
        // The best score so far plus the context's backoff weight: an unseen pair's way in
        // before the next word's prior. A reading outside the model backs off to the prior
        // alone; one into a syllable outside it scores `unk` whatever came before.
        let (mut unseen, mut any) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for (pi, pc) in cands[t - 1].iter().enumerate() {
            let from = fwd[prev.start + pi];
            if from < r {
                continue;
            }
            any = any.max(from);
            let Some(v) = pc.id else {
                unseen = unseen.max(from);
                continue;
            };
            unseen = unseen.max(from + lm.backoff(v));
            let row = pair_at[t] + pi * cs.len();
            for (ci, c) in cs.iter().enumerate() {
                let Some(k) = c.id.and_then(|w| lm.bigram_index(v, w)) else {
                    continue;
                };
                pair_idx[row + ci] = Some(k);
                let s = lm.bigram_at(k) + c.ch;
                seen.push((pi as u32, ci as u32, s));
            }
        }
        fwd.extend(cs.iter().map(|c| match c.id {
            Some(w) => unseen + lm.prior(w) + c.ch,
            None => any + lm.unk + c.ch,
        }));
        for &(pi, ci, s) in &seen[seen_at[t - 1]..] {
            let way = fwd[prev.start + pi as usize] + s;
            let f = &mut fwd[at[t] + ci as usize];
            *f = f.max(way);
        }
    }
    at.push(fwd.len());
    seen_at.push(seen.len());
    let keep_all = |kept: &mut Vec<u32>, kept_at: &mut Vec<usize>| {
        for cs in cands {
            kept.extend(0..cs.len() as u32);
            kept_at.push(kept.len());
        }
    };
    if cands.len() < 2 {
        // No backward pass: [`PruneScratch::through`] then gives the forward scores alone.
        bwd.clear();
        keep_all(kept, kept_at);
        return;
    }
    // Backward: the best score from each candidate to the phrase's end, the same way.
    bwd.clear();
    bwd.resize(fwd.len(), f32::NEG_INFINITY);
    let last = cands.len() - 1;
    for (ci, c) in cands[last].iter().enumerate() {
        bwd[at[last] + ci] = if open_end {
            0.0
        } else {
            lm.context(None, c.id).score(Some(EOS)) * model.cfg.phrase_end_weight
        };
    }
    for t in (0..last).rev() {
        let next = at[t + 1];
        let (mut unseen, mut unknown) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for (ci, c) in cands[t + 1].iter().enumerate() {
            let b = bwd[next + ci] + c.ch;
            match c.id {
                Some(w) => unseen = unseen.max(lm.prior(w) + b),
                None => unknown = unknown.max(lm.unk + b),
            }
        }
        for (pi, pc) in cands[t].iter().enumerate() {
            // A reading the forward pass dropped has no way on.
            if fwd[at[t] + pi] >= reach[t + 1] {
                bwd[at[t] + pi] = unknown.max(unseen + pc.id.map_or(0.0, |v| lm.backoff(v)));
            }
        }
        for &(pi, ci, s) in &seen[seen_at[t]..seen_at[t + 1]] {
            let way = s + bwd[next + ci as usize];
            let b = &mut bwd[at[t] + pi as usize];
            *b = b.max(way);
        }
    }
    // Without pruning the backward pass still serves document agreement
    // ([`PruneScratch::through`]).
    if !margin.is_finite() {
        keep_all(kept, kept_at);
        return;
    }
    let best = (at[last]..at[last + 1])
        .map(|k| fwd[k] + bwd[k])
        .fold(f32::NEG_INFINITY, f32::max);
    let floor = best - margin;
    for t in 0..cands.len() {
        let before = kept.len();
        kept.extend(
            (at[t]..at[t + 1])
                .filter(|&k| fwd[k] + bwd[k] >= floor)
                .map(|k| (k - at[t]) as u32),
        );
        // Rounding could in principle leave a position empty; then it keeps all.
        if kept.len() == before {
            kept.extend(0..cands[t].len() as u32);
        }
        kept_at.push(kept.len());
    }
}

/// Beam search over trigram states; returns the chosen candidate index per position.
///
/// A state is (previous candidate, current candidate); each step extends every kept state by
/// every candidate of the next position, keeps the best path into each new state, and keeps
/// the `beam` best states (ties broken by state order, so the result is deterministic).
pub(super) fn beam(
    cands: &[&[Cand]],
    open_end: bool,
    model: &Model,
    scratch: &mut BeamScratch,
) -> Vec<usize> {
    let lm = &model.lm;
    let width = model.cfg.beam.max(1);
    let start = Hyp {
        cur: Some(BOS),
        pair: None,
        cur_idx: usize::MAX,
        score: 0.0,
        back: 0,
    };
    prune(cands, open_end, model, &mut scratch.prune);
    let BeamScratch {
        all,
        bounds,
        score,
        back: from,
        row_of,
        row_key,
        order,
        row_pairs,
        prune:
            PruneScratch {
                kept,
                kept_at,
                pair_at,
                pair_idx,
                ..
            },
    } = scratch;
    all.clear();
    all.push(start);
    bounds.clear();
    bounds.extend([0, 1]);
    let mut prev_len = 0;
    // A state's candidate is its index among its position's kept candidates.
    for (t, cs) in cands.iter().enumerate() {
        let keep = &kept[kept_at[t]..kept_at[t + 1]];
        let (lo, hi) = (bounds[bounds.len() - 2], bounds[bounds.len() - 1]);
        let n = keep.len();
        score.clear();
        from.clear();
        row_pairs.clear();
        row_key.clear();
        row_of.clear();
        row_of.resize(prev_len + 1, u32::MAX);
        let mut best = f32::NEG_INFINITY;
        for (back, &h) in all[lo..hi].iter().enumerate() {
            let key_row = if h.cur_idx == usize::MAX {
                0
            } else {
                h.cur_idx + 1
            };
            if row_of[key_row] == u32::MAX {
                row_of[key_row] = row_key.len() as u32;
                row_key.push(key_row);
                score.resize(score.len() + n, f32::NEG_INFINITY);
                from.resize(from.len() + n, 0);
                // The pairs the bigram pass looked up: row of the previous candidate (the
                // phrase's start has one row).
                row_pairs.push(if t == 0 {
                    pair_at[0]
                } else {
                    let pk = kept[kept_at[t - 1] + h.cur_idx] as usize;
                    pair_at[t] + pk * cs.len()
                });
            }
            let base = row_of[key_row] as usize * n;
            let pairs = &pair_idx[row_pairs[row_of[key_row] as usize]..];
            let ctx = lm.context_of_pair(h.cur, h.pair);
            for (ci, &k) in keep.iter().enumerate() {
                let c = &cs[k as usize];
                let pair = pairs[k as usize];
                let s = h.score + c.ch + ctx.score_with(c.id, |_| pair.map(|k| lm.bigram_at(k)));
                best = best.max(s);
                if s > score[base + ci] {
                    score[base + ci] = s;
                    from[base + ci] = back as u32;
                }
            }
        }
        // States far behind the best one hardly ever win later, and most steps have many.
        let floor = best - model.cfg.beam_threshold;
        order.clear();
        for (row, &key_row) in row_key.iter().enumerate() {
            for (ci, &s) in score[row * n..(row + 1) * n].iter().enumerate() {
                if s >= floor {
                    order.push(rank_key(s, (key_row * n + ci) as u32));
                }
            }
        }
        // Best first; equal scores in the order of (previous candidate, candidate).
        if order.len() > width {
            order.select_nth_unstable(width - 1);
            order.truncate(width);
        }
        order.sort_unstable();
        all.extend(order.iter().map(|&key| {
            let tie = (key & u64::from(u32::MAX)) as usize;
            let (key_row, ci) = (tie / n, tie % n);
            let row = row_of[key_row] as usize;
            let k = row * n + ci;
            Hyp {
                cur: cs[keep[ci] as usize].id,
                pair: pair_idx[row_pairs[row] + keep[ci] as usize],
                cur_idx: ci,
                score: score[k],
                back: from[k] as usize,
            }
        }));
        bounds.push(all.len());
        prev_len = n;
    }
    // Close the phrase and trace back.
    let last = &all[bounds[bounds.len() - 2]..];
    let Some((mut bi, _)) = last
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let close = if open_end {
                0.0
            } else {
                lm.context_of_pair(h.cur, h.pair).score(Some(EOS)) * model.cfg.phrase_end_weight
            };
            (i, h.score + close)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
    else {
        return vec![0; cands.len()];
    };
    let mut path = vec![0; cands.len()];
    for pos in (0..cands.len()).rev() {
        let h = all[bounds[pos + 1] + bi];
        path[pos] = kept[kept_at[pos] + h.cur_idx] as usize;
        bi = h.back;
    }
    path
}
