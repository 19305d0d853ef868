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
            .push(keep_digits(w, candidates(w, kind, ch, model), ch, model));
        map.insert(w.to_string(), k);
        k
    }
}

/// The readings of token `obs` that keep its digits ([`keeps_digits`]): where a digit is
/// no longer there as itself, the channel the token is read through must name that repair
/// ([`names_digit_repairs`](crate::restore::channel::Observed::names_digit_repairs)); stripped text names none. The token as written is
/// always one of them.
fn keep_digits(obs: &str, mut cands: Vec<Cand>, ch: Channel, model: &Model) -> Vec<Cand> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
    let (obs_digits, any_cand_digit) = (digits(obs), cands.iter().any(|c| digits(&c.text) > 0));
    if obs_digits == 0 && !any_cand_digit {
        return cands;
    }
    let lower = obs.to_lowercase();
    let chan = match ch {
        Channel::OcrEng => Some(&model.eng),
        Channel::OcrVie | Channel::None => Some(&model.vie),
        Channel::Stripped => None,
    };
    let observed = chan.map(|c| c.observed(&lower));
    cands.retain(|c| {
        c.text == lower
            || keeps_digits(obs, &c.text)
                && (digits(&c.text) == obs_digits
                    || observed
                        .as_ref()
                        .is_some_and(|o| o.names_digit_repairs(&c.text, &model.cfg)))
    });
    cands
}
