//! Finding the vocabulary's words near an OCR'd token: a symmetric-deletion index of skeletons.

use crate::restore::lm::Lm;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;

/// Symmetric-deletion index: every skeleton under every way of deleting up to `d` of its
/// characters, so the skeletons within edit distance `d` of a token are found by looking up
/// the token's own deletions rather than by scanning the vocabulary. Deletions are kept as
/// 64-bit hashes in one sorted array (a collision only adds a skeleton that the exact edit
/// distance check then drops).
#[derive(Debug)]
pub(super) struct NearIndex {
    /// Skeletons, sorted.
    pub(super) skeletons: Vec<Vec<char>>,
    /// The known syllables of each skeleton, most frequent first.
    pub(super) ids: Vec<Vec<u16>>,
    /// The unigram log10 probability of each skeleton's commonest syllable.
    pub(super) best_prior: Vec<f32>,
    /// (hash of a deletion, skeleton index), sorted.
    pub(super) deletes: Vec<(u64, u32)>,
    pub(super) d: usize,
}

pub(super) fn hash_chars(s: &[char]) -> u64 {
    let mut h = FxHasher::default();
    for &c in s {
        h.write_u32(c as u32);
    }
    h.write_usize(s.len());
    h.finish()
}

/// The hashes of `s` under every deletion of up to `d` characters (with repeats).
pub(super) fn deletions(s: &[char], d: usize, out: &mut Vec<u64>) {
    out.push(hash_chars(s));
    if d == 0 {
        return;
    }
    for k in 0..s.len() {
        // Deleting one of a run of equal characters gives the same string: once is enough.
        if k > 0 && s[k] == s[k - 1] {
            continue;
        }
        let t: Vec<char> = s[..k].iter().chain(&s[k + 1..]).copied().collect();
        deletions(&t, d - 1, out);
    }
}

pub(super) fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl NearIndex {
    pub(super) fn build(by_skeleton: &FxHashMap<String, Vec<u16>>, lm: &Lm, d: usize) -> NearIndex {
        let mut entries: Vec<(&String, &Vec<u16>)> = by_skeleton.iter().collect();
        entries.sort();
        let mut deletes = vec![];
        let mut hashes = vec![];
        let mut skeletons = Vec::with_capacity(entries.len());
        for (i, (s, _)) in entries.iter().enumerate() {
            let chars: Vec<char> = s.chars().collect();
            hashes.clear();
            deletions(&chars, d, &mut hashes);
            hashes.sort_unstable();
            hashes.dedup();
            deletes.extend(hashes.iter().map(|&h| (h, i as u32)));
            skeletons.push(chars);
        }
        deletes.sort_unstable();
        NearIndex {
            skeletons,
            best_prior: entries
                .iter()
                .map(|(_, ids)| ids.first().map_or(f32::NEG_INFINITY, |&i| lm.prior(i)))
                .collect(),
            ids: entries.into_iter().map(|(_, ids)| ids.clone()).collect(),
            deletes,
            d,
        }
    }

    /// Skeletons within `d` edits of `s` (by index), with their distance, in index order.
    pub(super) fn lookup(&self, s: &str, d: usize) -> Vec<(u32, usize)> {
        let d = d.min(self.d);
        let sc: Vec<char> = s.chars().collect();
        let mut hashes = vec![];
        deletions(&sc, d, &mut hashes);
        hashes.sort_unstable();
        hashes.dedup();
        let mut found = vec![];
        for h in hashes {
            let lo = self.deletes.partition_point(|e| e.0 < h);
            found.extend(
                self.deletes[lo..]
                    .iter()
                    .take_while(|e| e.0 == h)
                    .map(|e| e.1),
            );
        }
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .filter_map(|i| {
                let dist = levenshtein(&sc, &self.skeletons[i as usize]);
                (dist <= d).then_some((i, dist))
            })
            .collect()
    }
}
