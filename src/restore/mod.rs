//! Stage 2, **restore**: raw page text in, one clean NFC text out.
//!
//! Steps, each in its own module:
//! 1. [`clean`]: export artefacts (`**bold**`, Word `PAGE` fields) blanked, white space tidied;
//! 2. [`encoding`]: legacy encodings (TCVN3, VNI, VIQR, VISCII) converted, whether they arrive
//!    as bytes or as mojibake already decoded to Unicode;
//! 3. Unicode NFC;
//! 4. [`decode`]: the noisy-channel decoder that restores lost diacritics and OCR confusions,
//!    applied only where the text needs it.
//!
//! Every step keeps line breaks: line *i* of the output is line *i* of the input, which is both
//! the `kehoach restore` contract and what lets spans point back to pages.

mod agree;
pub mod channel;
pub mod clean;
pub mod decode;
pub mod encoding;
mod guard;
pub mod lm;
pub mod syllable;
pub mod tokenize;
mod tone;

use crate::acquire::{Acquired, LegacyFont};
use crate::contract::Warning;
use crate::rules::Rules;
use agree::Pending;
use std::ops::Range;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

pub use decode::Channel;

/// How the restorer should treat a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Decide per document and per line how damaged the text is (the default).
    #[default]
    Auto,
    /// Only clean-up, encodings and NFC; never change a word.
    Off,
}

/// Where to put the tone mark in `oa`, `oe`, `uy` syllables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToneStyle {
    /// The document's own: the placement most of its `oa`/`oe`/`uy` words use, old when
    /// none or as many of each (default; see `tone.rs`).
    #[default]
    Document,
    /// `hòa`, `thủy`: the style of Vietnamese government documents.
    Old,
    /// `hoà`, `thuỷ`.
    New,
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    pub mode: Mode,
    pub tone_style: ToneStyle,
    /// Force a channel instead of detecting it (mainly for benchmarks).
    pub channel: Option<Channel>,
    /// Only the restored text is wanted (the `restore` command): every word is read exactly as
    /// otherwise, but a word's decision, with its confidence and alternatives, is not
    /// recorded. Weighing the alternatives of every word of a stripped text costs about a
    /// quarter of the restorer's time.
    pub text_only: bool,
}

/// One word the restorer changed (or considered changing).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Byte range of the restored word in [`Restored::text`].
    pub range: Range<usize>,
    pub original: String,
    pub restored: String,
    /// Posterior probability of `restored`, 0..=1.
    pub confidence: f32,
    /// Other readings, most likely first.
    pub alternatives: Vec<String>,
}

impl Decision {
    /// The same decision in a text that has `by` more bytes before it (pages or blocks of
    /// lines joined).
    pub(crate) fn shifted(mut self, by: usize) -> Decision {
        self.range = self.range.start + by..self.range.end + by;
        self
    }
}

/// The restored text of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    /// NFC, pages joined with `\n\n` (form feed for page breaks is not kept: readers of the
    /// JSON want plain lines; `page_starts` says where each page begins).
    pub text: String,
    /// Byte offset in `text` where each page starts.
    pub page_starts: Vec<usize>,
    pub decisions: Vec<Decision>,
    /// True when any word was changed by the decoder or an encoding was converted.
    pub applied: bool,
    /// The damage found in the text (the most severe over its pages).
    pub channel: Channel,
    /// Legacy encoding detected and converted, if any (`tcvn3`, `vni`, `viqr`, `viscii`).
    pub legacy_encoding: Option<String>,
    pub warnings: Vec<Warning>,
}

impl Restored {
    pub fn changed_words(&self) -> usize {
        self.decisions
            .iter()
            .filter(|d| d.original != d.restored)
            .count()
    }

    pub fn mean_confidence(&self) -> f32 {
        if self.decisions.is_empty() {
            return 1.0;
        }
        self.decisions.iter().map(|d| d.confidence).sum::<f32>() / self.decisions.len() as f32
    }
}

/// `s` in Unicode NFC. Stripped, OCR'd and most converted text is already NFC (much of it
/// ASCII): the quick check settles that without rebuilding the text.
pub fn into_nfc(s: String) -> String {
    if unicode_normalization::is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

/// Restore every page of an acquired document and join them.
pub fn restore(acq: &Acquired, rules: &Rules, params: &Params) -> Restored {
    let mut out = Restored {
        text: String::new(),
        page_starts: vec![],
        decisions: vec![],
        applied: false,
        channel: Channel::None,
        legacy_encoding: None,
        warnings: vec![],
    };
    // Document agreement reads the whole document: a doubt on one page is settled by how the
    // other pages read the same word, once all are decoded.
    let mut pending = Pending::default();
    let mut styles = tone::StyleCounts::default();
    for (i, page) in acq.pages.iter().enumerate() {
        if i > 0 {
            out.text.push_str("\n\n");
        }
        let start = out.text.len();
        out.page_starts.push(start);
        let hint = page.legacy_font;
        let ocr = page.ocr_lang.as_deref();
        let (r, p, style) = restore_text_with(&page.text, rules, params, hint, ocr);
        styles.add(style);
        pending.append(p, start, out.decisions.len());
        out.decisions
            .extend(r.decisions.into_iter().map(|d| d.shifted(start)));
        out.applied |= r.applied;
        if r.channel.severity() > out.channel.severity() {
            out.channel = r.channel;
        }
        if out.legacy_encoding.is_none() {
            out.legacy_encoding = r.legacy_encoding;
        }
        out.warnings.extend(r.warnings);
        out.text.push_str(&r.text);
    }
    let (text, decisions, moved) = pending.settle(std::mem::take(&mut out.text), out.decisions);
    out.text = text;
    out.decisions = decisions;
    for s in &mut out.page_starts {
        *s = moved.at(*s);
    }
    out.applied |= moved.any();
    tone::follow_document(&mut out, styles, params);
    out
}

/// Restore one text, keeping its lines (the `kehoach restore` command).
pub fn restore_text(text: &str, rules: &Rules, params: &Params) -> Restored {
    let (mut r, pending, styles) = restore_text_with(text, rules, params, None, None);
    let (settled, decisions, moved) = pending.settle(r.text, r.decisions);
    r.text = settled;
    r.decisions = decisions;
    r.applied |= moved.any();
    tone::follow_document(&mut r, styles, params);
    r
}

fn restore_text_with(
    text: &str,
    rules: &Rules,
    params: &Params,
    legacy_font: Option<LegacyFont>,
    ocr_lang: Option<&str>,
) -> (Restored, Pending, tone::StyleCounts) {
    let prepare = || {
        // Mojibake first: TCVN3 writes ư as the byte a cp1252 reading shows as a soft hyphen,
        // which clean-up would delete.
        let (converted, legacy) = encoding::repair_mojibake(text, legacy_font);
        let cleaned = clean::clean(&converted);
        let nfc = into_nfc(cleaned);
        let styles = if params.tone_style == ToneStyle::Document && params.mode != Mode::Off {
            tone::StyleCounts::of(&nfc)
        } else {
            tone::StyleCounts::default()
        };
        // Only words written in the other tone-placement style move (hoà → hòa for Old); `Off`
        // promises not to change words, so it keeps them as written.
        let (nfc, retoned) = if params.mode == Mode::Off {
            (nfc, 0)
        } else {
            syllable::normalize_text_tone_placement(&nfc, params.tone_style.or_model())
        };
        (nfc, retoned, legacy, styles)
    };
    // The decoder's model loads (once per process, ~8 ms) on the other thread while the text
    // is prepared: the first document no longer waits for both in turn.
    let (nfc, retoned, legacy, styles) = if params.mode == Mode::Off {
        prepare()
    } else {
        // Only loaded here; `decode::restore` takes it (or its error) from `rules`.
        rayon::join(prepare, || drop(decode::Model::get(rules))).0
    };
    let mut warnings = vec![];
    if let Some(enc) = legacy {
        warnings.push(Warning::new(
            "legacy_encoding",
            format!("text was in the legacy {enc} encoding and was converted"),
        ));
    }
    let decoded = (params.mode != Mode::Off)
        .then(|| decode::restore_unsettled(&nfc, rules, params, ocr_lang));
    // Every change the decoder makes is a decision, but text-only restoring records none of
    // the words': the texts themselves tell.
    let decoded_changes = decoded.as_ref().is_some_and(|(t, _, _, _)| *t != nfc);
    let (text, decisions, channel, pending) =
        decoded.unwrap_or((nfc, vec![], Channel::None, Pending::default()));
    let applied = legacy.is_some() || retoned > 0 || decoded_changes;
    let restored = Restored {
        text,
        page_starts: vec![0],
        decisions,
        applied,
        channel,
        legacy_encoding: legacy.map(str::to_string),
        warnings,
    };
    (restored, pending, styles)
}
