//! The model file: every table in the layout [`Lm`] reads it in, little-endian, so that loading
//! borrows the bytes instead of converting them (a one-line restore spent 47 of its 83 million
//! instructions turning the 6 MB file into vectors, building the word index and the seen-pair
//! filter).
//!
//! Layout, after the magic: `u32` vocabulary size V, bigrams N2, trigrams N3, bytes of the
//! words B, slots of the word index S (a power of two, at least 2V), `u16` P(unknown); then
//! `u32` × (V+1) word offsets, B bytes of words (UTF-8), `u16` × S word index, `[u16; 2]` × V
//! unigrams, `u32` × (V+1) bigram row offsets, `u16` × N2 bigram words, `u16` × N2 bigram
//! probabilities, `[u32; 2]` × (N2+1) trigram row offsets and backoff weights, `[u16; 2]` × N3
//! trigrams, `u64` × 2^15 seen-pair filter.

use super::model::{MAGIC, PAIR_WORDS, pair_bits, qz, word_hash};
use super::train::{Counts, Estimate, TrainOptions};

impl Estimate {
    /// The model file ([`super::Lm::load`] reads it).
    pub fn to_bytes(&self) -> Vec<u8> {
        write(self)
    }
}

impl Counts {
    /// Estimate the model and serialise it.
    pub fn build(&self, opts: &TrainOptions) -> Vec<u8> {
        let vocab = Counts::vocabulary(&[self], opts);
        self.estimate(&vocab, opts).to_bytes()
    }
}

/// The file of an estimate.
fn write(est: &Estimate) -> Vec<u8> {
    let v = est.vocab.len();
    let row3 = |vv: usize, w: u16| est.rows3.get(&(vv as u16, w));
    let n2: usize = est.rows2.iter().map(Vec::len).sum();
    let n3: usize = est
        .rows2
        .iter()
        .enumerate()
        .flat_map(|(vv, row)| row.iter().map(move |&(w, _)| (vv, w)))
        .map(|(vv, w)| row3(vv, w).map_or(0, |r| r.1.len()))
        .sum();
    let words: usize = est.vocab.iter().map(String::len).sum();
    let slots = (2 * v).next_power_of_two();
    let mut out = MAGIC.to_vec();
    for x in [v, n2, n3, words, slots] {
        out.extend((x as u32).to_le_bytes());
    }
    out.extend(qz(est.unk.log10()).to_le_bytes());
    let mut off = 0u32;
    for w in &est.vocab {
        out.extend(off.to_le_bytes());
        off += w.len() as u32;
    }
    out.extend(off.to_le_bytes());
    for w in &est.vocab {
        out.extend(w.as_bytes());
    }
    let mut index = vec![u16::MAX; slots];
    for (id, w) in est.vocab.iter().enumerate() {
        let mut i = word_hash(w) as usize & (slots - 1);
        // A word twice in a vocabulary is known by its first id.
        while index[i] != u16::MAX && est.vocab[index[i] as usize] != *w {
            i = (i + 1) & (slots - 1);
        }
        if index[i] == u16::MAX {
            index[i] = id as u16;
        }
    }
    index.iter().for_each(|x| out.extend(x.to_le_bytes()));
    let q1: Vec<u16> = est.p1.iter().map(|p| qz(p.log10())).collect();
    let qb: Vec<u16> = est.bow2.iter().map(|b| qz(b.log10())).collect();
    for w in 0..v {
        out.extend(q1[w].to_le_bytes());
        out.extend(qb[w].to_le_bytes());
    }
    let mut off = 0u32;
    for row in &est.rows2 {
        out.extend(off.to_le_bytes());
        off += row.len() as u32;
    }
    out.extend(off.to_le_bytes());
    let pairs = || {
        est.rows2
            .iter()
            .enumerate()
            .flat_map(|(vv, row)| row.iter().map(move |&(w, p)| (vv, w, p)))
    };
    pairs().for_each(|(_, w, _)| out.extend(w.to_le_bytes()));
    // A seen pair never scores below its unseen estimate (backoff + prior), counted in the
    // quantised units the decoder adds, with a unit to spare for the rounding of its floats:
    // interpolated smoothing gives this, and the decoder's bigram pass bounds all unseen
    // pairs into a syllable at once on it (`Lm::backoff`).
    for (vv, w, p) in pairs() {
        let unseen = (u32::from(qb[vv]) + u32::from(q1[w as usize])).saturating_sub(1);
        let q = u32::from(qz(p.log10())).min(unseen) as u16;
        out.extend(q.to_le_bytes());
    }
    let mut off = 0u32;
    for (vv, w, _) in pairs() {
        let r = row3(vv, w);
        out.extend(off.to_le_bytes());
        out.extend(u32::from(qz(r.map_or(1.0, |r| r.0).log10())).to_le_bytes());
        off += r.map_or(0, |r| r.1.len()) as u32;
    }
    out.extend(off.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    for (vv, w, _) in pairs() {
        for &(x, p) in row3(vv, w).map_or(&[][..], |r| r.1.as_slice()) {
            out.extend(x.to_le_bytes());
            out.extend(qz(p.log10()).to_le_bytes());
        }
    }
    let mut seen = vec![0u64; 1 << PAIR_WORDS];
    for (vv, w, _) in pairs() {
        let (word, bits) = pair_bits(vv as u16, w);
        seen[word] |= bits;
    }
    seen.iter().for_each(|x| out.extend(x.to_le_bytes()));
    out
}
