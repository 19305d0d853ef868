//! Document agreement, one sense per document: a word that its context leaves in doubt
//! (`quan` read `quân` by a hair) takes the reading that the same written word has wherever the
//! document reads it with confidence (`quận` in `Ủy ban nhân dân quận`).
//!
//! Why: the language model sees one phrase at a time, and a short or unusual phrase tells it
//! little; a document keeps to one subject, and its context-rich sentences know what its
//! context-poor ones mean. Measured on three held-out texts (`rules/channel/decoder.toml`), it
//! helps stripped and English-model OCR text and costs on `vie` OCR, where it is off.
//!
//! Guards, each measured: only a close call is a doubt (another reading within
//! `agree_doubt`, log10, in the decoder's bigram pass); the new reading must be one of the
//! word's close ones (`agree_within`) and read with confidence at least `agree_min` times; and
//! a document sure of the chosen reading somewhere has two senses of the word (`mua`: buy,
//! `mùa`: season), so that doubt stays the context's. Words are matched as written, case kept:
//! a capitalised word is often a name (`Long` in a place name is not `lòng`).
//!
//! It works in two steps so that blocks of lines still decode in parallel with the same
//! result whatever the number of threads: each block notes its confident readings and its
//! doubts ([`Notes`]), and [`agree`] settles the doubts once the whole text is read.

use super::channel::DecoderConfig;
use super::decode::candidates::Cand;
use super::decode::case::{apply_case, case_of};
use super::types::Decision;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// What one block of lines leaves for the agreement.
#[derive(Default)]
pub(super) struct Notes {
    /// How often each candidate of each of the block's candidate lists was read with
    /// confidence (a word's count is one add, not a lookup by its text).
    by_list: Vec<Vec<u32>>,
    doubts: Vec<Doubt>,
    /// The block's candidate lists and the words they are for, by list; kept from its
    /// decoding once it ends ([`Notes::finish`]).
    words: Vec<String>,
    lists: Vec<Vec<Cand>>,
    /// A word's scores, kept to save an allocation a word.
    scores: Vec<f32>,
}

/// A word read with doubt.
struct Doubt {
    /// Where it is in the block's output.
    range: Range<usize>,
    /// Its candidate list, the reading chosen, and its close readings (best first) with their
    /// posteriors when a decision was recorded.
    list: usize,
    chosen: usize,
    others: Vec<(usize, Option<f32>)>,
    /// Its decision in the block's, if one was recorded.
    decision: Option<usize>,
}

impl Notes {
    /// Note a word of the block: its candidate list `list`, the bigram pass's score of the
    /// best phrase through each candidate, and the reading chosen.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn note(
        &mut self,
        cfg: &DecoderConfig,
        range: Range<usize>,
        (list, cs): (usize, &[Cand]),
        through: impl Iterator<Item = f32> + Clone,
        sole: bool,
        pick: usize,
        posterior: &[f32],
        decision: Option<usize>,
    ) {
        if cs.len() < 2 {
            return;
        }
        // Most words are read with confidence: one pass over their scores settles that.
        let (mut mine, mut rival) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        if !sole {
            for (c, x) in through.clone().enumerate() {
                if c == pick {
                    mine = x;
                } else {
                    rival = rival.max(x);
                }
            }
        }
        if sole || mine - rival > cfg.agree_doubt {
            if self.by_list.len() <= list {
                self.by_list.resize(list + 1, vec![]);
            }
            let counts = &mut self.by_list[list];
            counts.resize(cs.len(), 0);
            counts[pick] += 1;
            return;
        }
        let mut scores = std::mem::take(&mut self.scores);
        scores.clear();
        scores.extend(through);
        let top = mine.max(rival);
        let mut others: Vec<usize> = (0..cs.len())
            .filter(|&c| c != pick && scores[c] >= top - cfg.agree_within)
            .collect();
        others.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        if !others.is_empty() {
            self.doubts.push(Doubt {
                range,
                list,
                chosen: pick,
                others: others
                    .into_iter()
                    .map(|c| (c, posterior.get(c).copied()))
                    .collect(),
                decision,
            });
        }
        self.scores = scores;
    }

    /// The block is decoded: keep the words and candidate lists its notes refer to.
    pub(super) fn finish(&mut self, words: Vec<String>, lists: Vec<Vec<Cand>>) {
        self.words = words;
        self.lists = lists;
    }

    pub(super) fn has_doubts(&self) -> bool {
        !self.doubts.is_empty()
    }

    pub(super) fn has_notes(&self) -> bool {
        !self.by_list.is_empty() || !self.doubts.is_empty()
    }
}

/// Which of a doubt's close readings `others` the document settles it on, given how often
/// the document read the word each way with confidence: the most often read (the closest of
/// equals), read at least `min` times, and only if the document is never sure of the reading
/// `chosen`.
fn settle<'a>(
    sure: &[(&str, u32)],
    chosen: &str,
    others: impl Iterator<Item = &'a str>,
    min: u32,
) -> Option<usize> {
    let count = |r: &str| sure.iter().find(|(m, _)| *m == r).map_or(0, |&(_, n)| n);
    if count(chosen) > 0 {
        return None;
    }
    let mut best: Option<(usize, u32)> = None;
    for (k, r) in others.enumerate() {
        let n = count(r);
        if n >= min.max(1) && best.is_none_or(|(_, m)| n > m) {
            best = Some((k, n));
        }
    }
    best.map(|(k, _)| k)
}

/// A document's notes, not yet settled: each block's, with where its output starts in the
/// document's text and its first decision's index. A document of several pages gathers its
/// pages' before settling them ([`Pending::settle`]), so a doubt on one page is settled by the
/// readings of all.
#[derive(Default)]
pub(super) struct Pending {
    blocks: Vec<(Notes, usize, usize)>,
    min: u32,
}

impl Pending {
    /// No notes yet; a doubt will need `min` confident readings to be settled.
    pub(super) fn new(min: u32) -> Self {
        Pending {
            blocks: vec![],
            min,
        }
    }

    /// A block's notes, its output starting at `at` in the text and its decisions at `first`.
    pub(super) fn push(&mut self, notes: Notes, at: usize, first: usize) {
        if notes.has_notes() {
            self.blocks.push((notes, at, first));
        }
    }

    /// Another text's notes, that text starting at `at` in this one and its decisions at
    /// `first`.
    pub(super) fn append(&mut self, other: Pending, at: usize, first: usize) {
        self.min = self.min.max(other.min);
        self.blocks.extend(
            other
                .blocks
                .into_iter()
                .map(|(n, a, f)| (n, a + at, f + first)),
        );
    }

    /// The text and decisions with every settled doubt rewritten, and where each old byte
    /// offset outside a rewritten word has moved to.
    pub(super) fn settle(
        self,
        out: String,
        decisions: Vec<Decision>,
    ) -> (String, Vec<Decision>, Moved) {
        if !self.blocks.iter().any(|(n, _, _)| n.has_doubts()) {
            return (out, decisions, Moved::default());
        }
        agree(out, decisions, &self.blocks, self.min)
    }
}

/// Where the text after each rewritten word has moved: the end of each in the old text, and
/// how much longer the new text is from there on.
#[derive(Default)]
pub(super) struct Moved(Vec<(usize, isize)>);

impl Moved {
    /// From the end in the old text of each word whose length changed, in order, and how much
    /// longer the text is from there on.
    pub(super) fn new(shifts: Vec<(usize, isize)>) -> Moved {
        Moved(shifts)
    }

    /// Where the old byte offset `x`, not inside a rewritten word, is in the new text.
    pub(super) fn at(&self, x: usize) -> usize {
        let before = self.0.partition_point(|&(end, _)| end <= x);
        let shift = before.checked_sub(1).map_or(0, |i| self.0[i].1);
        x.checked_add_signed(shift).unwrap_or(x)
    }

    /// Whether any word was rewritten.
    pub(super) fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// The text and decisions with every settled doubt rewritten. `blocks` are the notes of the
/// text's blocks in order, each with where its output starts in `out` and its first
/// decision's index in `decisions`.
fn agree(
    out: String,
    decisions: Vec<Decision>,
    blocks: &[(Notes, usize, usize)],
    min: u32,
) -> (String, Vec<Decision>, Moved) {
    // The confident readings of the words in doubt only, across the blocks.
    let mut sure: FxHashMap<&str, Vec<(&str, u32)>> = FxHashMap::default();
    for (notes, _, _) in blocks {
        for d in &notes.doubts {
            sure.entry(notes.words[d.list].as_str()).or_default();
        }
    }
    for (notes, _, _) in blocks {
        for (list, counts) in notes.by_list.iter().enumerate() {
            if counts.is_empty() {
                continue;
            }
            let Some(readings) = sure.get_mut(notes.words[list].as_str()) else {
                continue;
            };
            for (c, &n) in counts.iter().enumerate().filter(|&(_, &n)| n > 0) {
                let r = notes.lists[list][c].text.as_str();
                match readings.iter_mut().find(|(m, _)| *m == r) {
                    Some((_, k)) => *k += n,
                    None => readings.push((r, n)),
                }
            }
        }
    }
    // (word as written, old range, new reading, its posterior, decision) in text order.
    let mut changes = vec![];
    for (notes, at, first) in blocks {
        for d in &notes.doubts {
            let (word, cs) = (notes.words[d.list].as_str(), &notes.lists[d.list]);
            let others = d.others.iter().map(|&(c, _)| cs[c].text.as_str());
            if let Some(k) = settle(&sure[word], &cs[d.chosen].text, others, min) {
                let (c, posterior) = d.others[k];
                let range = d.range.start + at..d.range.end + at;
                changes.push((
                    word,
                    range,
                    &cs[c].text,
                    posterior,
                    d.decision.map(|i| i + first),
                ));
            }
        }
    }
    if changes.is_empty() {
        return (out, decisions, Moved::default());
    }
    let mut text = String::with_capacity(out.len() + 4 * changes.len());
    // The end of each rewritten word in `out`, and how much longer the text is after it.
    let mut moved = Vec::with_capacity(changes.len());
    let mut rewritten: Vec<Option<Decision>> = vec![None; decisions.len()];
    let mut added = vec![];
    let mut copied = 0;
    for (word, range, reading, posterior, decision) in changes {
        let old = &out[range.clone()];
        // In the case the decoder gave the word (`BO` amid lower case on OCR'd text was `Bộ`).
        let new = apply_case(reading, case_of(old));
        text.push_str(&out[copied..range.start]);
        let start = text.len();
        text.push_str(&new);
        copied = range.end;
        let shift = moved.last().map_or(0, |&(_, s)| s) + new.len() as isize - old.len() as isize;
        moved.push((range.end, shift));
        let was = decision.map(|i| &decisions[i]);
        let alternatives = std::iter::once(old.to_string())
            .chain(was.into_iter().flat_map(|e| e.alternatives.iter().cloned()))
            .filter(|a| *a != new)
            .collect();
        let d = Decision {
            range: start..start + new.len(),
            original: word.to_string(),
            confidence: posterior.or(was.map(|e| e.confidence)).unwrap_or(0.5),
            restored: new,
            alternatives,
        };
        match decision {
            Some(i) => rewritten[i] = Some(d),
            None => added.push(d),
        }
    }
    text.push_str(&out[copied..]);
    let moved = Moved(moved);
    // Every other decision moves by the rewritten words before it.
    let mut all: Vec<Decision> = decisions
        .into_iter()
        .zip(rewritten)
        .map(|(d, new)| {
            new.unwrap_or_else(|| Decision {
                range: moved.at(d.range.start)..moved.at(d.range.end),
                ..d
            })
        })
        .collect();
    if !added.is_empty() {
        all.extend(added);
        all.sort_by_key(|d| d.range.start);
    }
    (text, all, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_moves_by_the_rewritten_words_before_it() {
        // `ho` (0..2) became `hội` (+3 bytes), then `hoi` (10..13) became `hơi` (+1 more).
        let moved = Moved(vec![(2, 3), (13, 4)]);
        assert!(moved.any());
        assert_eq!(moved.at(0), 0);
        assert_eq!(moved.at(2), 5);
        assert_eq!(moved.at(9), 12);
        assert_eq!(moved.at(13), 17);
        assert_eq!(moved.at(40), 44);
        let none = Moved::default();
        assert!(!none.any());
        assert_eq!(none.at(7), 7);
    }

    #[test]
    fn a_document_sure_of_the_reading_chosen_or_of_none_close_settles_no_doubt() {
        let others = ["hội", "hỏi"];
        let settle = |sure: &[(&str, u32)], min| settle(sure, "hồi", others.iter().copied(), min);
        // The commonest of the close readings.
        assert_eq!(settle(&[("hỏi", 2), ("hội", 5)], 2), Some(0));
        assert_eq!(settle(&[("hỏi", 3), ("hội", 2)], 2), Some(1));
        // Of equals, the closest.
        assert_eq!(settle(&[("hỏi", 3), ("hội", 3)], 2), Some(0));
        // Below `agree_min`.
        assert_eq!(settle(&[("hội", 5)], 6), None);
        // The reading chosen is one the document is sure of elsewhere: two senses.
        assert_eq!(settle(&[("hội", 5), ("hồi", 1)], 2), None);
        // A reading not among the doubt's close ones is never forced on it.
        assert_eq!(settle(&[("hơi", 9)], 2), None);
        assert_eq!(settle(&[], 1), None);
    }
}
