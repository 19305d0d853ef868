//! The decoder's model: the language model with the channels' tables, and the kind of damage
//! ([`Channel`]) that selects a channel.

use super::near::NearIndex;
use super::roman::misread_roman_part;
use crate::restore::channel::{DecoderConfig, OcrChannel};
use crate::restore::lm::{Lm, NUMBER, old_style_tone, skeleton};
use crate::restore::tokenize::{Kind, Token};
use crate::rules::Rules;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The kind of damage a text shows, which selects the channel model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Channel {
    /// Correct Vietnamese: nothing to do.
    #[default]
    None,
    /// Diacritics stripped (typed without accents).
    Stripped,
    /// OCR'd by an English-model engine.
    OcrEng,
    /// OCR'd by Tesseract's Vietnamese model.
    OcrVie,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::None => "none",
            Channel::Stripped => "stripped",
            Channel::OcrEng => "ocr_eng",
            Channel::OcrVie => "ocr_vie",
        }
    }

    /// Whether the text came from an OCR engine (whose specks and look-alikes are repaired).
    pub fn is_ocr(self) -> bool {
        matches!(self, Channel::OcrEng | Channel::OcrVie)
    }

    /// For choosing the worst damage over a document's pages.
    pub fn severity(self) -> u8 {
        match self {
            Channel::None => 0,
            Channel::OcrVie => 1,
            Channel::Stripped => 2,
            Channel::OcrEng => 3,
        }
    }

    /// Parse a channel name (as [`Channel::name`] gives it).
    pub fn from_name(s: &str) -> Option<Channel> {
        [
            Channel::None,
            Channel::Stripped,
            Channel::OcrEng,
            Channel::OcrVie,
        ]
        .into_iter()
        .find(|c| c.name() == s)
    }
}

/// Language model and channel tables, loaded once per process.
#[derive(Debug)]
pub struct Model {
    pub lm: Lm<'static>,
    /// Skeleton → known syllables with that skeleton, most frequent first.
    pub(super) by_skeleton: FxHashMap<String, Vec<u16>>,
    pub(super) eng: OcrChannel,
    pub(super) vie: OcrChannel,
    pub(super) cfg: DecoderConfig,
    /// Abbreviations as written, and damaged forms → the right one (`HDND` → `HĐND`).
    pub(super) abbrev: FxHashMap<String, String>,
    /// The abbreviations with a Vietnamese letter (`HĐND`, `GD&ĐT`), as characters: the forms
    /// an engine that cannot write `Đ` misreads ([`Model::misread_abbreviation`]).
    pub(super) marked_abbrev: Vec<Vec<char>>,
    /// The model's id of [`NUMBER`] when it has one: numbers then join the runs decoded, as
    /// fixed context.
    pub(super) number: Option<u16>,
    /// Deletion index over skeletons for OCR'd tokens, built on first use.
    pub(super) near: OnceLock<NearIndex>,
    /// The same to `far_skeleton_distance`, built when a token first needs it.
    pub(super) far: OnceLock<NearIndex>,
    /// Parts of document codes that lost their marks → as written (`QD` → `QĐ`), from the
    /// document types and abbreviations in `rules/`; skeletons shared by two codes are left out.
    pub(super) code_parts: HashMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A rules file could not be read (the error names it).
    #[error(transparent)]
    Rules(#[from] crate::rules::Error),
    /// A rules file was read but is no model table; `file` is where it came from.
    #[error("rules file {file}: {reason}")]
    File { file: String, reason: String },
}

impl Model {
    /// The model of these rules, loaded on first use and shared after.
    pub fn get(rules: &Rules) -> Result<std::sync::Arc<Model>, String> {
        rules.cached(Model::load)
    }

    pub fn load(rules: &Rules) -> Result<Model, String> {
        Model::load_inner(rules).map_err(|e| e.to_string())
    }

    pub(super) fn load_inner(rules: &Rules) -> Result<Model, ModelError> {
        let file_err = |file: &str, e: &dyn std::fmt::Display| ModelError::File {
            file: rules.location(file),
            reason: e.to_string(),
        };
        const LM: &str = "lm/syllables.bin";
        let channel = |name: &str| -> Result<OcrChannel, ModelError> {
            OcrChannel::parse(&rules.text(name)?).map_err(|e| file_err(name, &e))
        };
        let load_lm = || -> Result<_, ModelError> {
            // The built-in model is borrowed where it lies in the binary; one read from a
            // folder lives as long as the process, as the built-in one does (a model is
            // loaded once per rules and shared: `Model::get`).
            let bytes: &'static [u8] = match rules.file(LM)? {
                std::borrow::Cow::Borrowed(b) => b,
                std::borrow::Cow::Owned(v) => Box::leak(v.into_boxed_slice()),
            };
            let lm = Lm::load(bytes).map_err(|e| file_err(LM, &e))?;
            let mut by_skeleton: FxHashMap<String, Vec<u16>> = FxHashMap::default();
            for (i, w) in lm.vocab.iter().enumerate().skip(2) {
                by_skeleton.entry(skeleton(w)).or_default().push(i as u16);
            }
            Ok((lm, by_skeleton))
        };
        let load_channels =
            || Ok::<_, ModelError>((channel("channel/eng.tsv")?, channel("channel/vie.tsv")?));
        // The channels are parsed on a thread of their own while this one loads the language
        // model: a short text waits for the slower half only (~1.5 ms less of ~7). Not a
        // rayon task: the model is made inside a `OnceLock`, and a pool thread waiting there
        // on a join takes other tasks meanwhile, one of which may ask for this same model and
        // wait on itself for ever (a fresh clone's tests hung so).
        let (lm, channels) = std::thread::scope(|s| {
            match std::thread::Builder::new().spawn_scoped(s, load_channels) {
                Ok(other) => {
                    let lm = load_lm();
                    let channels = other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    (lm, channels)
                }
                // No thread to be had: one after the other.
                Err(_) => (load_lm(), load_channels()),
            }
        });
        let (lm, by_skeleton) = lm?;
        let (eng, vie) = channels?;
        let cfg: DecoderConfig = rules.toml("channel/decoder.toml")?;
        let mut abbrev = FxHashMap::default();
        for a in &rules.abbreviations {
            abbrev.insert(a.short.clone(), a.short.clone());
        }
        for a in &rules.abbreviations {
            for v in &a.variants {
                abbrev.entry(v.clone()).or_insert_with(|| a.short.clone());
            }
        }
        // A signature's authority (`TM.`, `KT.`, `TUQ.`) is an abbreviation too, not a
        // syllable to restore (`TM.` read as `TÌM.`).
        for p in &rules.bodies.authority {
            let short = p.trim_end_matches('.');
            abbrev
                .entry(short.to_string())
                .or_insert_with(|| short.to_string());
        }
        let marked_abbrev = rules
            .abbreviations
            .iter()
            .filter(|a| !a.short.is_ascii())
            .map(|a| a.short.chars().collect())
            .collect();
        let mut code_parts: HashMap<String, Option<String>> = HashMap::new();
        let written = rules
            .doc_types
            .types
            .iter()
            .flat_map(|t| t.codes.iter())
            .chain(rules.abbreviations.iter().map(|a| &a.short));
        for c in written.filter(|c| !c.is_ascii()) {
            let bare = skeleton(c).to_uppercase();
            code_parts
                .entry(bare)
                .and_modify(|e| {
                    if e.as_deref() != Some(c.as_str()) {
                        *e = None;
                    }
                })
                .or_insert_with(|| Some(c.clone()));
        }
        let code_parts = code_parts
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        Ok(Model {
            number: lm.id(NUMBER),
            code_parts,
            lm,
            by_skeleton,
            eng,
            vie,
            cfg,
            abbrev,
            marked_abbrev,
            near: OnceLock::new(),
            far: OnceLock::new(),
        })
    }

    /// The model's id of a lower-case word as written, in either tone style.
    pub(super) fn known(&self, lower: &str) -> Option<u16> {
        self.lm
            .id(lower)
            .or_else(|| self.lm.id(&old_style_tone(lower)))
    }

    /// The abbreviations of `rules/` an all-capital token may be with its Vietnamese letters
    /// misread: same length, every other character the same (`HBND`, `GD&BT` for `HĐND`,
    /// `GD&ĐT`). A token that is itself an abbreviation, or whose letters are a syllable's
    /// (a heading's `DUNG` is `DUNG`, `DŨNG` or `DỤNG`, never an abbreviation), has none.
    pub(super) fn abbreviation_shapes<'a>(
        &'a self,
        token: &'a str,
    ) -> impl Iterator<Item = &'a [char]> {
        // Most tokens have a lower-case letter: they are told apart before anything is made.
        let candidate = !token.chars().any(char::is_lowercase)
            && token.chars().nth(2).is_some()
            && token.chars().any(char::is_alphabetic)
            && !self.abbrev.contains_key(token)
            && !self.by_skeleton.contains_key(&skeleton(token));
        let t: Vec<char> = if candidate {
            token.chars().collect()
        } else {
            vec![]
        };
        self.marked_abbrev
            .iter()
            .filter(move |a| {
                a.len() == t.len()
                    && a.iter().zip(&t).all(|(a, o)| !a.is_ascii() || a == o)
                    && a.iter().zip(&t).any(|(a, o)| a != o)
            })
            .map(Vec::as_slice)
    }

    /// Whether `token` could be an abbreviation misread ([`Model::abbreviation_shapes`]):
    /// the tokenizer then keeps it whole (`GD&BT`, not `GD` `&` `BT`).
    pub(super) fn may_be_misread_abbreviation(&self, token: &str) -> bool {
        self.abbreviation_shapes(token).next().is_some()
    }

    /// The abbreviation an all-capital token is, read through an OCR engine's channel: the
    /// misreading must be at least `misread_abbreviation_min` likely, and the best reading
    /// wins (none on a tie). Correct text keeps what it wrote; stripped text's `D` for `Đ` is
    /// `code_parts`' (in [`Model::repair_code`]).
    pub(super) fn misread_abbreviation(&self, token: &str, ch: Channel) -> Option<String> {
        let channel = match ch {
            Channel::OcrEng => &self.eng,
            Channel::OcrVie => &self.vie,
            Channel::None | Channel::Stripped => return None,
        };
        let observed = channel.observed(&token.to_lowercase());
        let mut best: Option<(f32, &[char])> = None;
        let mut tie = false;
        for a in self.abbreviation_shapes(token) {
            let intended: String = a.iter().flat_map(|c| c.to_lowercase()).collect();
            let score = observed.score(&intended, &self.cfg);
            if score < self.cfg.misread_abbreviation_min {
                continue;
            }
            match best {
                Some((b, _)) if score < b => {}
                Some((b, _)) if score == b => tie = true,
                _ => {
                    best = Some((score, a));
                    tie = false;
                }
            }
        }
        best.filter(|_| !tie).map(|(_, a)| a.iter().collect())
    }

    /// A document code with its letter parts' marks restored (`1373/QD-TTg` → `1373/QĐ-TTg`,
    /// on stripped text and English-model OCR, whose parts lose marks), when any part changes.
    /// On OCR'd text, parts that are abbreviations read through `ch` are repaired too
    /// ([`Model::misread_abbreviation`]: `TT-BGD&BT` → `TT-BGD&ĐT`), and Roman numbers read
    /// with look-alikes ([`misread_roman_part`]: `1V/2021` → `IV/2021`).
    pub(super) fn repair_code(&self, code: &str, ch: Channel) -> Option<String> {
        let mut out = String::with_capacity(code.len() + 4);
        let mut changed = false;
        for part in code.split_inclusive(['/', '-']) {
            let (body, sep) = match part.strip_suffix(['/', '-']) {
                Some(b) => (b, &part[b.len()..]),
                None => (part, ""),
            };
            let from_code_parts = || match ch {
                Channel::Stripped | Channel::OcrEng => self.code_parts.get(body).cloned(),
                Channel::None | Channel::OcrVie => None,
            };
            let roman = || ch.is_ocr().then(|| misread_roman_part(body)).flatten();
            match from_code_parts()
                .or_else(|| self.misread_abbreviation(body, ch))
                .or_else(roman)
            {
                Some(f) => {
                    out.push_str(&f);
                    changed = true;
                }
                None => out.push_str(body),
            }
            out.push_str(sep);
        }
        changed.then_some(out)
    }

    pub(super) fn near(&self) -> &NearIndex {
        self.near.get_or_init(|| {
            NearIndex::build(&self.by_skeleton, &self.lm, self.cfg.max_skeleton_distance)
        })
    }

    pub(super) fn far(&self) -> &NearIndex {
        self.far.get_or_init(|| {
            NearIndex::build(&self.by_skeleton, &self.lm, self.cfg.far_skeleton_distance)
        })
    }
}

/// Whether the decoder reads token `t` on text damaged as `ch`: words, numbers (as the
/// model's number class), and on OCR'd text words with OCR's stand-ins for letters.
pub(super) fn is_decodable(t: &Token, ch: Channel, model: &Model) -> bool {
    match t.kind {
        Kind::Word => true,
        Kind::Number => is_number(t.kind, model),
        Kind::Mixed => ch.is_ocr(),
        _ => false,
    }
}

/// Whether a token of this kind is a number the model reads as context.
pub(super) fn is_number(kind: Kind, model: &Model) -> bool {
    kind == Kind::Number && model.number.is_some()
}
