//! Lines in blocks: where a sentence runs on over a line break, and where the text may be cut
//! into blocks that decode in parallel with the same result.

use super::analyse::Line;
use super::model::{Channel, Model, is_decodable, is_number};
use crate::restore::tokenize::{Kind, Token};
use std::ops::Range;

/// The first words of `line` (up to [`NEXT_LINE_WORDS`]) if it opens with a run of them,
/// each set apart from the one before by one space.
pub(super) fn opening_words<'l>(line: &'l Line, ch: Channel, model: &Model) -> Vec<&'l Token> {
    let toks = &line.tokens;
    let mut out = vec![];
    let Some(mut f) = toks.iter().position(|t| t.kind != Kind::Space) else {
        return out;
    };
    while out.len() < NEXT_LINE_WORDS && is_decodable(&toks[f], ch, model) {
        out.push(&toks[f]);
        let spaced = toks
            .get(f + 1)
            .is_some_and(|t| t.kind == Kind::Space && &line.text[t.range.clone()] == " ");
        if !spaced || f + 2 >= toks.len() {
            break;
        }
        f += 2;
    }
    out
}

/// How many of the next line's first words are read with a line's last run (measured: three
/// is a little better than two on the wrapped texts, and costs no measurable time).
pub(super) const NEXT_LINE_WORDS: usize = 3;

/// Consecutive ranges of about `size` lines, cut only where no sentence runs on from one line
/// to the next ([`runs_on`]) or at a [`CONTEXT_BARRIER`]: decoding carries the words at a
/// line's end into the next line, so cutting elsewhere would make the text depend on the
/// number of threads.
pub(super) fn block_ranges(lines: &[Line], size: usize, model: &Model) -> Vec<Range<usize>> {
    let mut out = vec![];
    let mut start = 0;
    for n in 1..lines.len() {
        if n - start >= size
            && (n % CONTEXT_BARRIER == 0 || !runs_on(&lines[n - 1], &lines[n], model))
        {
            out.push(start..n);
            start = n;
        }
    }
    out.push(start..lines.len());
    out
}

/// Whether `line` ends with a word (or number) and `next` starts with one, both in the same
/// case: a sentence that the line break cut, whose words are each other's context.
pub(super) fn runs_on(line: &Line, next: &Line, model: &Model) -> bool {
    let word = |t: &Token| matches!(t.kind, Kind::Word | Kind::Mixed) || is_number(t.kind, model);
    let last = line.tokens.iter().rev().find(|t| t.kind != Kind::Space);
    let first = next.tokens.iter().find(|t| t.kind != Kind::Space);
    // A heading in capitals and the text after it are no one sentence; two lines of one
    // heading are.
    let has_lower = |l: &Line| l.text.chars().any(char::is_lowercase);
    last.is_some_and(word) && first.is_some_and(word) && has_lower(line) == has_lower(next)
}

/// Every this many lines, the words of the line before are not carried into the next one, on
/// any number of threads: a text whose every line runs on (no stop at a line's end) can still
/// be cut into blocks for the threads.
pub(super) const CONTEXT_BARRIER: usize = 256;

/// Fewest lines worth a block of their own on another thread.
pub(super) const MIN_PARALLEL_LINES: usize = 64;

/// Blocks per thread of the pool, so that a thread that drew cheap lines takes another block.
pub(super) const BLOCKS_PER_THREAD: usize = 4;
