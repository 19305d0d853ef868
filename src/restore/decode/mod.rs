//! The noisy-channel decoder: for every line, the most likely correctly written Vietnamese
//! given what was observed, argmax P(observed | intended) · P(intended).
//!
//! - P(intended) is the syllable trigram model ([`crate::restore::lm`]).
//! - P(observed | intended) depends on the damage ([`Channel`]): stripped marks are
//!   deterministic (every syllable with the token's skeleton is a candidate); OCR channels are
//!   learned character confusions ([`crate::restore::channel`]).
//! - Before that, a line's spaces are mended where OCR or typing lost one between two
//!   syllables or set one inside a syllable ([`resegment`]), and specks OCR read as
//!   punctuation between words or at a line's edge are taken out.
//! - Each run of words between punctuation is decoded as a whole with a beam search over
//!   trigram states, and every token's confidence is its share of probability with the
//!   decoded neighbours fixed.
//!
//! Damage is judged per document and per line, so correct text passes untouched: on text that
//! is mostly correct only unknown tokens are repaired, or a known syllable when the language
//! model overwhelmingly prefers another.

mod analyse;
mod beam;
mod blocks;
mod cache;
pub(super) mod candidates;
pub(super) mod case;
mod confidence;
mod joins;
mod line;
pub(super) mod model;
mod near;
mod repairs;
mod resegment;
mod roman;
#[cfg(test)]
mod tests;

use self::analyse::{Damage, Line, Signs, analyse, line_channel};
use self::blocks::{BLOCKS_PER_THREAD, CONTEXT_BARRIER, MIN_PARALLEL_LINES, block_ranges, runs_on};
use self::cache::CandCache;
use self::line::decode_line;
pub use self::model::{Channel, Model, ModelError};
use crate::restore::agree::{Notes, Pending};
use crate::restore::types::{Decision, Params};
use crate::rules::Rules;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Restore `text` (NFC, lines kept). Returns the new text, the decisions with byte ranges into
/// it, and the channel that was detected.
pub fn restore(
    text: &str,
    rules: &Rules,
    params: &Params,
    ocr_lang: Option<&str>,
) -> (String, Vec<Decision>, Channel) {
    let (out, decisions, channel, pending) = restore_unsettled(text, rules, params, ocr_lang);
    let (out, decisions, _) = pending.settle(out, decisions);
    (out, decisions, channel)
}

/// [`restore`] but for document agreement: the doubts are left to the caller to settle, with
/// those of the rest of the document ([`Pending`]).
pub(super) fn restore_unsettled(
    text: &str,
    rules: &Rules,
    params: &Params,
    ocr_lang: Option<&str>,
) -> (String, Vec<Decision>, Channel, Pending) {
    let model = match Model::get(rules) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!("restoration model unavailable, text left as it is: {e}");
            return (text.to_string(), vec![], Channel::None, Pending::default());
        }
    };
    restore_with_unsettled(text, &model, params, ocr_lang)
}

#[cfg(test)]
fn restore_with(
    text: &str,
    model: &Model,
    params: &Params,
    ocr_lang: Option<&str>,
) -> (String, Vec<Decision>, Channel) {
    let (out, decisions, channel, pending) = restore_with_unsettled(text, model, params, ocr_lang);
    let (out, decisions, _) = pending.settle(out, decisions);
    (out, decisions, channel)
}

fn restore_with_unsettled(
    text: &str,
    model: &Model,
    params: &Params,
    ocr_lang: Option<&str>,
) -> (String, Vec<Decision>, Channel, Pending) {
    // Lines are analysed independently, and decoded so but for a sentence that runs on from
    // one line into the next ([`block_ranges`]); the word signs and the candidate cache only
    // remember pure functions. So long texts are cut into consecutive blocks for the thread
    // pool and joined in order: the result is the same whatever the number of threads. More
    // blocks than threads, as lines differ in cost.
    let raw: Vec<&str> = text.split('\n').collect();
    let threads = rayon::current_num_threads();
    let block = if threads > 1 && raw.len() >= 2 * MIN_PARALLEL_LINES {
        raw.len()
            .div_ceil(threads * BLOCKS_PER_THREAD)
            .max(MIN_PARALLEL_LINES)
    } else {
        raw.len().max(1)
    };
    fn analyse_block<'a>(block: &[&'a str], model: &Model) -> (Vec<Line<'a>>, Signs<'a>) {
        let mut seen = FxHashMap::default();
        let lines = block.iter().map(|l| analyse(l, model, &mut seen)).collect();
        (lines, seen)
    }
    let analysed: Vec<(Vec<Line>, Signs)> = if block < raw.len() {
        use rayon::prelude::*;
        raw.par_chunks(block)
            .map(|b| analyse_block(b, model))
            .collect()
    } else {
        vec![analyse_block(&raw, model)]
    };
    let mut lines = Vec::with_capacity(raw.len());
    let mut seen = Signs::default();
    for (ls, signs) in analysed {
        lines.extend(ls);
        seen.extend(signs);
    }
    let mut total = Damage::default();
    for l in &lines {
        total.add(l.damage);
    }
    let doc = params.channel.unwrap_or_else(|| match ocr_lang {
        Some(l) if l.contains("vie") => Channel::OcrVie,
        Some(l) if l.contains("eng") => Channel::OcrEng,
        _ => total.channel(),
    });
    let channel_of = |line: &Line| {
        if params.channel.is_some() {
            doc
        } else {
            line_channel(doc, &line.damage)
        }
    };
    let decode_block = |range: Range<usize>| {
        let mut out = String::new();
        let mut decisions = vec![];
        let mut notes = Notes::default();
        let mut cache = CandCache::default();
        let mut carry = vec![];
        for n in range.clone() {
            if n > range.start {
                out.push('\n');
            }
            let line = &lines[n];
            if n % CONTEXT_BARRIER == 0 {
                carry.clear();
            }
            let next = lines.get(n + 1).filter(|nx| runs_on(line, nx, model));
            let ch = channel_of(line);
            decode_line(
                line,
                next,
                &mut carry,
                ch,
                params.text_only,
                model,
                &seen,
                &mut cache,
                &mut out,
                &mut decisions,
                agrees(ch, model).then_some(&mut notes),
            );
            if next.is_none() {
                carry.clear();
            }
        }
        if notes.has_notes() {
            // The token each list is for, by list.
            let mut words = vec![String::new(); cache.lists.len()];
            for (w, k) in cache.index.into_iter().flatten() {
                words[k] = w;
            }
            notes.finish(words, cache.lists);
        }
        (out, decisions, notes)
    };
    let blocks: Vec<(String, Vec<Decision>, Notes)> = if block < lines.len() {
        use rayon::prelude::*;
        block_ranges(&lines, block, model)
            .into_par_iter()
            .map(decode_block)
            .collect()
    } else {
        vec![decode_block(0..lines.len())]
    };
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut decisions = vec![];
    let mut pending = Pending::new(model.cfg.agree_min);
    for (k, (text, ds, n)) in blocks.into_iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let at = out.len();
        out.push_str(&text);
        pending.push(n, at, decisions.len());
        decisions.extend(ds.into_iter().map(|d| d.shifted(at)));
    }
    (out, decisions, doc, pending)
}

/// Whether document agreement ([`agree`](crate::restore::agree)) reads a line of this channel: a
/// correct line of a damaged document neither gives nor takes a reading.
fn agrees(ch: Channel, model: &Model) -> bool {
    model.cfg.agree_doubt > 0.0 && matches!(ch, Channel::Stripped | Channel::OcrEng)
}
