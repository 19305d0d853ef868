//! Spans: where in the restored text a value came from.
//!
//! Every stage works on byte ranges of [`crate::restore::Restored::text`] because that is what
//! `str` slicing and `regex` give us. The contract, however, promises `[start, end)` in Unicode
//! scalar values (Rust `char`s) so that readers in any language can slice the text. The
//! conversion happens exactly once, when a contract value is built, through [`TextIndex`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// `[start, end)` in `char`s of the document's `text` (the contract's unit).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(into = "[usize; 2]", from = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

impl From<[usize; 2]> for Span {
    fn from(a: [usize; 2]) -> Self {
        Span {
            start: a[0],
            end: a[1],
        }
    }
}

/// Maps byte offsets of one text to char offsets, in O(log n) per lookup.
#[derive(Debug, Clone)]
pub struct TextIndex {
    /// Byte offset of every char boundary, plus `text.len()` at the end.
    boundaries: Vec<usize>,
}

impl TextIndex {
    pub fn new(text: &str) -> Self {
        let mut boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        boundaries.push(text.len());
        TextIndex { boundaries }
    }

    /// The char offset of a byte offset; a byte offset inside a char rounds down to it.
    pub fn char_at(&self, byte: usize) -> usize {
        match self.boundaries.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The contract span of a byte range.
    pub fn span(&self, bytes: Range<usize>) -> Span {
        Span {
            start: self.char_at(bytes.start),
            end: self.char_at(bytes.end),
        }
    }

    /// The byte offset of a char offset (clamped to the end of the text).
    pub fn byte_at(&self, ch: usize) -> usize {
        *self
            .boundaries
            .get(ch)
            .unwrap_or_else(|| self.boundaries.last().expect("never empty"))
    }
}

/// Trim ASCII/Unicode white space from both ends of `range` within `text`.
pub fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return range.start..range.start;
    }
    (range.start + lead)..(range.end - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_to_char_spans_in_vietnamese_text() {
        let t = "Kế hoạch số 1";
        let idx = TextIndex::new(t);
        let b = t.find("hoạch").unwrap();
        let s = idx.span(b..b + "hoạch".len());
        let chars: String = t.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(chars, "hoạch");
        assert_eq!(idx.byte_at(s.start), b);
    }
}
