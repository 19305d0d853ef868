//! The document's tone placement (issue 22): a correct text written `hoà`, `thuỷ`, `Uỷ ban`
//! comes back as written, not rewritten `hòa`, `thủy`, `Ủy ban`.
//!
//! Why this way: the language model is trained in one placement (old, `hòa`), so the decoder
//! reads every text in it; afterwards the text is put in the placement most of the document's
//! own `oa`/`oe`/`uy` words use, restored words included. A text with no such word, or as many
//! of each, keeps the old placement, that of Vietnamese government documents. Moving a mark
//! can change a word's length in bytes (`tùy` → `tuỳ`: `ỳ` takes three bytes, `ù` two), so the
//! decisions and page starts are moved with the text.

use super::agree::Moved;
use super::types::{Mode, Params, Restored};
use crate::vietnamese::syllable::{ToneStyle, normalize_tone_placement, words};
use rustc_hash::FxHashMap;

/// How many of a text's words are written in each placement (`oa`/`oe`/`uy` words with a
/// tone mark only: every other word is written alike in both).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct StyleCounts {
    old: usize,
    new: usize,
}

impl StyleCounts {
    /// The words of `text` (NFC, before any placement is imposed on it).
    pub(super) fn of(text: &str) -> StyleCounts {
        let mut c = StyleCounts::default();
        // Documents repeat their words: each distinct one is parsed once.
        let mut seen: FxHashMap<&str, (bool, bool)> = FxHashMap::default();
        for (word, is_word) in words(text) {
            if !is_word || word.is_ascii() {
                continue;
            }
            let (is_old, is_new) = *seen.entry(word).or_insert_with(|| {
                (
                    normalize_tone_placement(word, ToneStyle::New) != word,
                    normalize_tone_placement(word, ToneStyle::Old) != word,
                )
            });
            c.old += usize::from(is_old);
            c.new += usize::from(is_new);
        }
        c
    }

    pub(super) fn add(&mut self, o: StyleCounts) {
        self.old += o.old;
        self.new += o.new;
    }

    /// New when more words follow it than the old placement, else old.
    pub(super) fn majority(&self) -> ToneStyle {
        if self.new > self.old {
            ToneStyle::New
        } else {
            ToneStyle::Old
        }
    }
}

/// Put a restored text in the placement `params` asks for: the document's (the majority of
/// its words as written, `counts`) by default. The decoder's output is in the model's
/// placement already, so only a new-style result is rewritten.
pub(super) fn follow_document(r: &mut Restored, counts: StyleCounts, params: &Params) {
    if params.tone_style != ToneStyle::Document
        || params.mode == Mode::Off
        || counts.majority() == ToneStyle::Old
    {
        return;
    }
    let style = ToneStyle::New;
    let (text, moved) = restyle(&r.text, style);
    if text == r.text {
        return;
    }
    r.text = text;
    for d in &mut r.decisions {
        d.range = moved.at(d.range.start)..moved.at(d.range.end);
        d.restored = restyle(&d.restored, style).0;
        for a in &mut d.alternatives {
            *a = restyle(a, style).0;
        }
    }
    for s in &mut r.page_starts {
        *s = moved.at(*s);
    }
}

/// `text` with every word in `style`, and where each old byte offset between words now is.
fn restyle(text: &str, style: ToneStyle) -> (String, Moved) {
    let mut out = String::with_capacity(text.len());
    let mut shifts = vec![];
    let (mut at, mut shift) = (0usize, 0isize);
    let mut seen: FxHashMap<&str, String> = FxHashMap::default();
    for (word, is_word) in words(text) {
        at += word.len();
        if !is_word || word.is_ascii() {
            out.push_str(word);
            continue;
        }
        let n = seen
            .entry(word)
            .or_insert_with(|| normalize_tone_placement(word, style));
        if n.len() != word.len() {
            shift += n.len() as isize - word.len() as isize;
            shifts.push((at, shift));
        }
        out.push_str(n);
    }
    (out, Moved::new(shifts))
}
