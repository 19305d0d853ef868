//! What a block's decoding keeps from line to line: every token form's candidates, and the
//! beam search's buffers.

use super::beam::BeamScratch;
use super::candidates::{Cand, candidates};
use super::model::{Channel, Model};
use crate::restore::guard::keeps_digits;
use crate::restore::tokenize::Kind;
use rustc_hash::FxHashMap;

/// What a block's decoding keeps from line to line: the candidates of every token form met
/// so far, per channel (documents repeat words), and the beam search's buffers.
#[derive(Default)]
pub(super) struct CandCache {
    /// Token as written → index in `lists`, one map per channel.
    pub(super) index: [FxHashMap<String, usize>; 4],
    pub(super) lists: Vec<Vec<Cand>>,
    pub(super) beam: BeamScratch,
}

impl CandCache {
    pub(super) fn get(&mut self, w: &str, kind: Kind, ch: Channel, model: &Model) -> usize {
        let map = &mut self.index[ch as usize];
        if let Some(&k) = map.get(w) {
            return k;
        }
        let k = self.lists.len();
        self.lists
            .push(keep_digits(w, candidates(w, kind, ch, model)));
        map.insert(w.to_string(), k);
        k
    }
}

/// The readings of token `obs` that keep its digits ([`keeps_digits`]); the token as written
/// is always one of them.
fn keep_digits(obs: &str, mut cands: Vec<Cand>) -> Vec<Cand> {
    if obs.chars().any(|c| c.is_ascii_digit())
        || cands
            .iter()
            .any(|c| c.text.chars().any(|c| c.is_ascii_digit()))
    {
        cands.retain(|c| keeps_digits(obs, &c.text));
    }
    cands
}
