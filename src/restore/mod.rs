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
mod guard;
pub mod lm;
pub mod tokenize;
mod tone;
mod types;

use crate::acquire::Acquired;
use crate::contract::Warning;
use crate::rules::Rules;
use crate::vietnamese::encoding::LegacyFont;
use agree::Pending;

pub use crate::vietnamese::{encoding, into_nfc, syllable};
pub use decode::Channel;
pub use types::{Decision, Mode, Params, Restored, ToneStyle};

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
