//! What the decoder knows of one line before decoding it: its tokens and its damage, and the
//! channel the line is read on.

use super::candidates::is_acronym;
use super::joins::{join_horn_apostrophes, join_question_marks, split_capital_syllables};
use super::model::{Channel, Model};
use crate::restore::lm::{has_marks, skeleton};
use crate::restore::tokenize::{Kind, Token, tokenize_with};
use rustc_hash::FxHashMap;

/// Share of unknown words above which marked text is taken for Tesseract `vie` output:
/// correctly written plans and law texts have 0.01–0.1% (names, loanwords), the held-out
/// plans OCR'd by `vie` 0.6%.
pub(super) const UNKNOWN_AFTER_VIE_OCR: f64 = 0.003;

/// Counts that tell how damaged a stretch of text is.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Damage {
    pub(super) words: usize,
    pub(super) marked: usize,
    /// Unmarked words whose skeleton is a known syllable's (`dan` for `dân`).
    pub(super) bare_syllables: usize,
    /// Words with digits or symbols inside.
    pub(super) mixed: usize,
    /// Words that are no known syllable (as written, lower case).
    pub(super) unknown: usize,
}

impl Damage {
    pub(super) fn add(&mut self, o: Damage) {
        self.words += o.words;
        self.marked += o.marked;
        self.bare_syllables += o.bare_syllables;
        self.mixed += o.mixed;
        self.unknown += o.unknown;
    }

    pub(super) fn share(&self, n: usize) -> f64 {
        n as f64 / self.words.max(1) as f64
    }

    /// The channel this text looks damaged by, when nothing else is known.
    pub(super) fn channel(&self) -> Channel {
        if self.words < 3 {
            return Channel::None;
        }
        let marked = self.share(self.marked);
        if marked < 0.05 {
            if self.share(self.mixed) > 0.03 {
                Channel::OcrEng
            } else if self.share(self.bare_syllables) >= 0.7 {
                Channel::Stripped
            } else {
                Channel::None
            }
        } else if marked < 0.4 && self.share(self.unknown + self.mixed) > 0.15 {
            Channel::OcrEng
        } else if self.unknown >= 2 && self.share(self.unknown) >= UNKNOWN_AFTER_VIE_OCR {
            // Marked text with more words the model never saw than correct writing has: a
            // Vietnamese-model OCR's slips (`phorig`, `chiức`). That channel is cautious enough
            // for correct text (it changes a known word only when the model is sure).
            Channel::OcrVie
        } else {
            Channel::None
        }
    }
}

/// One line, tokenised, with what its words are.
pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: Vec<Token>,
    pub(super) damage: Damage,
}

/// What a word as written tells of the damage, worked out once per document.
#[derive(Debug, Clone, Copy)]
pub(super) struct WordSigns {
    /// It carries a Vietnamese mark or letter.
    pub(super) marked: bool,
    /// The model does not know it as written.
    pub(super) unknown: bool,
    /// Some known syllable has its skeleton.
    pub(super) skeleton_known: bool,
}

impl WordSigns {
    /// Unmarked, and the bare skeleton of a known syllable (`nguoi`).
    pub(super) fn bare(&self) -> bool {
        !self.marked && self.skeleton_known
    }
}

/// The document's words as written → what each tells.
pub(super) type Signs<'a> = FxHashMap<&'a str, WordSigns>;

pub(super) fn analyse<'a>(text: &'a str, model: &Model, seen: &mut Signs<'a>) -> Line<'a> {
    let mut tokens = tokenize_with(text, &|s| {
        model.abbrev.contains_key(s) || model.may_be_misread_abbreviation(s)
    });
    split_capital_syllables(text, &mut tokens, model);
    join_horn_apostrophes(text, &mut tokens, model);
    join_question_marks(text, &mut tokens);
    let mut d = Damage::default();
    for t in &tokens {
        let w = &text[t.range.clone()];
        match t.kind {
            Kind::Word => {
                d.words += 1;
                let signs = *seen.entry(w).or_insert_with(|| {
                    let lower = w.to_lowercase();
                    let marked = has_marks(&lower);
                    let skeleton_known = model.by_skeleton.contains_key(&skeleton(&lower));
                    WordSigns {
                        marked,
                        // An acronym the model lacks is no sign of damage.
                        unknown: model.known(&lower).is_none() && !is_acronym(w, skeleton_known),
                        skeleton_known,
                    }
                });
                d.marked += usize::from(signs.marked);
                d.bare_syllables += usize::from(signs.bare());
                d.unknown += usize::from(signs.unknown);
            }
            Kind::Mixed => {
                d.words += 1;
                d.mixed += 1;
            }
            _ => {}
        }
    }
    Line {
        text,
        tokens,
        damage: d,
    }
}

/// A line may be damaged differently from its document: a stripped line in a correct plan, or
/// a correctly typed line in a stripped one.
pub(super) fn line_channel(doc: Channel, d: &Damage) -> Channel {
    match doc {
        Channel::None if d.words >= 4 && d.channel() == Channel::Stripped => Channel::Stripped,
        Channel::Stripped if d.share(d.marked) > 0.3 => Channel::None,
        c => c,
    }
}
