//! The noisy-channel decoder: for every line, the most likely correctly written Vietnamese
//! given what was observed, argmax P(observed | intended) · P(intended).
//!
//! - P(intended) is the syllable trigram model ([`super::lm`]).
//! - P(observed | intended) depends on the damage ([`Channel`]): stripped marks are
//!   deterministic (every syllable with the token's skeleton is a candidate); OCR channels are
//!   learned character confusions ([`super::channel`]).
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

use super::agree::{Notes, Pending};
use super::channel::{DecoderConfig, OcrChannel};
use super::lm::{BOS, EOS, Lm, NUMBER, has_marks, is_number_code, old_style_tone, skeleton};
use super::tokenize::{Kind, Token, tokenize_with};
use super::{Decision, Params};
use crate::rules::Rules;
use rustc_hash::{FxHashMap, FxHasher};
use std::collections::HashMap;
use std::hash::Hasher;
use std::ops::Range;
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
    pub lm: Lm,
    /// Skeleton → known syllables with that skeleton, most frequent first.
    by_skeleton: FxHashMap<String, Vec<u16>>,
    eng: OcrChannel,
    vie: OcrChannel,
    cfg: DecoderConfig,
    /// Abbreviations as written, and damaged forms → the right one (`HDND` → `HĐND`).
    abbrev: FxHashMap<String, String>,
    /// The abbreviations with a Vietnamese letter (`HĐND`, `GD&ĐT`), as characters: the forms
    /// an engine that cannot write `Đ` misreads ([`Model::misread_abbreviation`]).
    marked_abbrev: Vec<Vec<char>>,
    /// The model's id of [`NUMBER`] when it has one: numbers then join the runs decoded, as
    /// fixed context.
    number: Option<u16>,
    /// Deletion index over skeletons for OCR'd tokens, built on first use.
    near: OnceLock<NearIndex>,
    /// The same to `far_skeleton_distance`, built when a token first needs it.
    far: OnceLock<NearIndex>,
    /// Parts of document codes that lost their marks → as written (`QD` → `QĐ`), from the
    /// document types and abbreviations in `rules/`; skeletons shared by two codes are left out.
    code_parts: HashMap<String, String>,
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
    pub fn load(rules: &Rules) -> Result<Model, String> {
        Model::load_inner(rules).map_err(|e| e.to_string())
    }

    fn load_inner(rules: &Rules) -> Result<Model, ModelError> {
        let file_err = |file: &str, e: &dyn std::fmt::Display| ModelError::File {
            file: rules.location(file),
            reason: e.to_string(),
        };
        const LM: &str = "lm/syllables.bin";
        let channel = |name: &str| -> Result<OcrChannel, ModelError> {
            OcrChannel::parse(&rules.text(name)?).map_err(|e| file_err(name, &e))
        };
        let load_lm = || -> Result<_, ModelError> {
            let lm = Lm::load(&rules.file(LM)?).map_err(|e| file_err(LM, &e))?;
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
    fn known(&self, lower: &str) -> Option<u16> {
        self.lm
            .id(lower)
            .or_else(|| self.lm.id(&old_style_tone(lower)))
    }

    /// The abbreviations of `rules/` an all-capital token may be with its Vietnamese letters
    /// misread: same length, every other character the same (`HBND`, `GD&BT` for `HĐND`,
    /// `GD&ĐT`). A token that is itself an abbreviation, or whose letters are a syllable's
    /// (a heading's `DUNG` is `DUNG`, `DŨNG` or `DỤNG`, never an abbreviation), has none.
    fn abbreviation_shapes<'a>(&'a self, token: &'a str) -> impl Iterator<Item = &'a [char]> {
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
    fn may_be_misread_abbreviation(&self, token: &str) -> bool {
        self.abbreviation_shapes(token).next().is_some()
    }

    /// The abbreviation an all-capital token is, read through an OCR engine's channel: the
    /// misreading must be at least `misread_abbreviation_min` likely, and the best reading
    /// wins (none on a tie). Correct text keeps what it wrote; stripped text's `D` for `Đ` is
    /// `code_parts`' (in [`Model::repair_code`]).
    fn misread_abbreviation(&self, token: &str, ch: Channel) -> Option<String> {
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
    fn repair_code(&self, code: &str, ch: Channel) -> Option<String> {
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

    fn near(&self) -> &NearIndex {
        self.near.get_or_init(|| {
            NearIndex::build(&self.by_skeleton, &self.lm, self.cfg.max_skeleton_distance)
        })
    }

    fn far(&self) -> &NearIndex {
        self.far.get_or_init(|| {
            NearIndex::build(&self.by_skeleton, &self.lm, self.cfg.far_skeleton_distance)
        })
    }
}

/// Symmetric-deletion index: every skeleton under every way of deleting up to `d` of its
/// characters, so the skeletons within edit distance `d` of a token are found by looking up
/// the token's own deletions rather than by scanning the vocabulary. Deletions are kept as
/// 64-bit hashes in one sorted array (a collision only adds a skeleton that the exact edit
/// distance check then drops).
#[derive(Debug)]
struct NearIndex {
    /// Skeletons, sorted.
    skeletons: Vec<Vec<char>>,
    /// The known syllables of each skeleton, most frequent first.
    ids: Vec<Vec<u16>>,
    /// The unigram log10 probability of each skeleton's commonest syllable.
    best_prior: Vec<f32>,
    /// (hash of a deletion, skeleton index), sorted.
    deletes: Vec<(u64, u32)>,
    d: usize,
}

fn hash_chars(s: &[char]) -> u64 {
    let mut h = FxHasher::default();
    for &c in s {
        h.write_u32(c as u32);
    }
    h.write_usize(s.len());
    h.finish()
}

/// The hashes of `s` under every deletion of up to `d` characters (with repeats).
fn deletions(s: &[char], d: usize, out: &mut Vec<u64>) {
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

fn levenshtein(a: &[char], b: &[char]) -> usize {
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
    fn build(by_skeleton: &FxHashMap<String, Vec<u16>>, lm: &Lm, d: usize) -> NearIndex {
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
    fn lookup(&self, s: &str, d: usize) -> Vec<(u32, usize)> {
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

/// The case pattern of an observed token, re-applied to its restoration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    Lower,
    Title,
    Upper,
}

pub(super) fn case_of(s: &str) -> Case {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        Case::Upper
    } else if s.chars().next().is_some_and(char::is_uppercase)
        || letters.first().is_some_and(|c| c.is_uppercase())
    {
        Case::Title
    } else {
        Case::Lower
    }
}

pub(super) fn apply_case(w: &str, case: Case) -> String {
    match case {
        Case::Lower => w.to_string(),
        Case::Upper => w.to_uppercase(),
        Case::Title => {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// Share of unknown words above which marked text is taken for Tesseract `vie` output:
/// correctly written plans and law texts have 0.01–0.1% (names, loanwords), the held-out
/// plans OCR'd by `vie` 0.6%.
const UNKNOWN_AFTER_VIE_OCR: f64 = 0.003;

/// Counts that tell how damaged a stretch of text is.
#[derive(Debug, Default, Clone, Copy)]
struct Damage {
    words: usize,
    marked: usize,
    /// Unmarked words whose skeleton is a known syllable's (`dan` for `dân`).
    bare_syllables: usize,
    /// Words with digits or symbols inside.
    mixed: usize,
    /// Words that are no known syllable (as written, lower case).
    unknown: usize,
}

impl Damage {
    fn add(&mut self, o: Damage) {
        self.words += o.words;
        self.marked += o.marked;
        self.bare_syllables += o.bare_syllables;
        self.mixed += o.mixed;
        self.unknown += o.unknown;
    }

    fn share(&self, n: usize) -> f64 {
        n as f64 / self.words.max(1) as f64
    }

    /// The channel this text looks damaged by, when nothing else is known.
    fn channel(&self) -> Channel {
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
struct Line<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    damage: Damage,
}

/// What a word as written tells of the damage, worked out once per document.
#[derive(Debug, Clone, Copy)]
struct WordSigns {
    /// It carries a Vietnamese mark or letter.
    marked: bool,
    /// The model does not know it as written.
    unknown: bool,
    /// Some known syllable has its skeleton.
    skeleton_known: bool,
}

impl WordSigns {
    /// Unmarked, and the bare skeleton of a known syllable (`nguoi`).
    fn bare(&self) -> bool {
        !self.marked && self.skeleton_known
    }
}

/// The document's words as written → what each tells.
type Signs<'a> = FxHashMap<&'a str, WordSigns>;

fn analyse<'a>(text: &'a str, model: &Model, seen: &mut Signs<'a>) -> Line<'a> {
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

/// What a block's decoding keeps from line to line: the candidates of every token form met
/// so far, per channel (documents repeat words), and the beam search's buffers.
#[derive(Default)]
struct CandCache {
    /// Token as written → index in `lists`, one map per channel.
    index: [FxHashMap<String, usize>; 4],
    lists: Vec<Vec<Cand>>,
    beam: BeamScratch,
}

impl CandCache {
    fn get(&mut self, w: &str, kind: Kind, ch: Channel, model: &Model) -> usize {
        let map = &mut self.index[ch as usize];
        if let Some(&k) = map.get(w) {
            return k;
        }
        let k = self.lists.len();
        self.lists
            .push(super::guard::keep_digits(w, candidates(w, kind, ch, model)));
        map.insert(w.to_string(), k);
        k
    }
}

/// A reading of one token.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    /// Lower case.
    pub(super) text: String,
    id: Option<u16>,
    /// Weighted channel log10 probability.
    ch: f32,
}

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
    let model = match rules.restore_model() {
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

/// Whether document agreement ([`agree`](super::agree)) reads a line of this channel: a
/// correct line of a damaged document neither gives nor takes a reading.
fn agrees(ch: Channel, model: &Model) -> bool {
    model.cfg.agree_doubt > 0.0 && matches!(ch, Channel::Stripped | Channel::OcrEng)
}

/// The repair of token `k`, one the decoder does not read: a misread list dash, a Roman
/// label's dot, a speck beside a mark, or a protected token's abbreviation or code parts.
fn repair_undecoded(line: &Line, k: usize, ch: Channel, model: &Model) -> Option<String> {
    let t = &line.tokens[k];
    let w = &line.text[t.range.clone()];
    if is_misread_bullet(line, k, ch) {
        Some("-".to_string())
    } else if is_label_dot_without_space(line, k, ch) {
        Some(". ".to_string())
    } else if let Some(fixed) = speck_by_mark(line, k, ch) {
        Some(fixed)
    } else if t.kind != Kind::Protected {
        None
    } else if let Some(f) = model.abbrev.get(w).filter(|f| *f != w) {
        Some(f.clone())
    } else if let Some(f) = model.misread_abbreviation(w, ch) {
        Some(f)
    } else if ch != Channel::None {
        model.repair_code(w, ch)
    } else {
        None
    }
}

/// Whether the decoder reads token `t` on text damaged as `ch`: words, numbers (as the
/// model's number class), and on OCR'd text words with OCR's stand-ins for letters.
fn is_decodable(t: &Token, ch: Channel, model: &Model) -> bool {
    match t.kind {
        Kind::Word => true,
        Kind::Number => is_number(t.kind, model),
        Kind::Mixed => ch.is_ocr(),
        _ => false,
    }
}

/// The first words of `line` (up to [`NEXT_LINE_WORDS`]) if it opens with a run of them,
/// each set apart from the one before by one space.
fn opening_words<'l>(line: &'l Line, ch: Channel, model: &Model) -> Vec<&'l Token> {
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
const NEXT_LINE_WORDS: usize = 3;

/// Consecutive ranges of about `size` lines, cut only where no sentence runs on from one line
/// to the next ([`runs_on`]) or at a [`CONTEXT_BARRIER`]: decoding carries the words at a
/// line's end into the next line, so cutting elsewhere would make the text depend on the
/// number of threads.
fn block_ranges(lines: &[Line], size: usize, model: &Model) -> Vec<Range<usize>> {
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
fn runs_on(line: &Line, next: &Line, model: &Model) -> bool {
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
const CONTEXT_BARRIER: usize = 256;

/// Fewest lines worth a block of their own on another thread.
const MIN_PARALLEL_LINES: usize = 64;
/// Blocks per thread of the pool, so that a thread that drew cheap lines takes another block.
const BLOCKS_PER_THREAD: usize = 4;

/// A line may be damaged differently from its document: a stripped line in a correct plan, or
/// a correctly typed line in a stripped one.
fn line_channel(doc: Channel, d: &Damage) -> Channel {
    match doc {
        Channel::None if d.words >= 4 && d.channel() == Channel::Stripped => Channel::Stripped,
        Channel::Stripped if d.share(d.marked) > 0.3 => Channel::None,
        c => c,
    }
}

fn candidates(obs: &str, kind: Kind, ch: Channel, model: &Model) -> Vec<Cand> {
    if kind == Kind::Number {
        // A number stays as written; to the model it is the number class.
        return vec![Cand {
            text: obs.to_string(),
            id: model.number,
            ch: 0.0,
        }];
    }
    let lower = obs.to_lowercase();
    let known = model.known(&lower);
    let literal = Cand {
        text: lower.clone(),
        id: known,
        ch: 0.0,
    };
    // A word in another script (`中`, `σ`) is no damaged Vietnamese: every reading the
    // channel could offer is a guess of a Latin letter from nothing.
    if !lower.chars().any(is_latin_letter) && !matches!(obs, "&" | "@") {
        return vec![literal];
    }
    let skel = skeleton(&lower);
    let from_skeleton = |ch_score: f32| -> Vec<Cand> {
        model
            .by_skeleton
            .get(&skel)
            .map(|ids| {
                ids.iter()
                    .map(|&i| Cand {
                        text: model.lm.vocab[i as usize].clone(),
                        id: Some(i),
                        ch: ch_score,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let cfg = &model.cfg;
    match ch {
        Channel::None => {
            if known.is_some() || kind != Kind::Word && kind != Kind::Mixed {
                return vec![literal];
            }
            // Capitals the model does not know, in correct text: an acronym it has not seen
            // (`CCHC`, `ITP`) far more often than a typo, and one letter off another acronym.
            if is_acronym(obs, model.by_skeleton.contains_key(&skel)) {
                return vec![literal];
            }
            // An unknown token in correct text: a typo or a stray OCR slip.
            let mut c = ocr_candidates(&lower, &model.vie, model, 1);
            // Only to a Vietnamese syllable: the vocabulary's English (`prop`) is no repair of
            // a word in correct text that the model lacks (`pop`).
            c.retain(|c| !same_word(&c.text, &lower) && is_vietnamese(&c.text));
            // Keeping an unknown word costs as much as one unseen edit: a name or foreign
            // word stays unless a known syllable is clearly better.
            c.push(Cand {
                ch: cfg.unseen_edit,
                ..literal
            });
            c
        }
        Channel::Stripped => {
            if kind != Kind::Word || has_marks(&lower) {
                return vec![literal];
            }
            let mut c = from_skeleton(0.0);
            if c.is_empty() {
                c.push(literal);
            }
            c
        }
        Channel::OcrEng => {
            let d = if skel.chars().count() >= 3 {
                cfg.max_skeleton_distance
            } else {
                1
            };
            let mut c = ocr_candidates(&lower, &model.eng, model, d);
            c.retain(|c| c.text == lower || !same_word(&c.text, &lower));
            // The model's vocabulary holds some English of its corpus (`ctrl`, `like`, `date`):
            // no reading of a Vietnamese word in lower case. Loan words with marks (`panô`) and
            // a capital token's abbreviations (`UBND`) stay.
            if obs.chars().any(char::is_lowercase) {
                c.retain(|c| c.text == lower || is_vietnamese(&c.text));
            }
            if !c.iter().any(|c| c.text == lower) {
                let lit_ch = if known.is_some() {
                    model.eng.score(&lower, &lower, cfg) * cfg.channel_weight
                } else {
                    cfg.unseen_edit * 2.0
                };
                c.push(Cand {
                    ch: lit_ch,
                    ..literal
                });
            }
            c
        }
        Channel::OcrVie => {
            // An acronym in plain capitals: the engine read it (a misread capital word keeps
            // some mark the engine saw, as `HOẠCII` does).
            if known.is_none()
                && obs.is_ascii()
                && is_acronym(obs, model.by_skeleton.contains_key(&skel))
            {
                return vec![literal];
            }
            // Tesseract `vie` mostly slips one mark or letter; a token that is no known word
            // may be further off (`rn` read for `m`, `ri` for `n`: `phorig` for `phong`).
            let d = if known.is_none() && skel.chars().count() >= 3 {
                cfg.max_skeleton_distance
            } else {
                1
            };
            let mut c = ocr_candidates(&lower, &model.vie, model, d);
            c.retain(|c| c.text == lower || !same_word(&c.text, &lower));
            // As on English-model OCR: no English of the vocabulary for a lower-case word the
            // model lacks. (A known word, English too, keeps its rivals: they are what hold a
            // change below `min_change_confidence` when the text is in fact correct.)
            if known.is_none() && obs.chars().any(char::is_lowercase) {
                c.retain(|c| c.text == lower || is_vietnamese(&c.text));
            }
            match c.iter_mut().find(|c| c.text == lower) {
                Some(l) if known.is_some() => l.ch += cfg.keep_known_bonus,
                Some(_) => {}
                None => c.push(Cand {
                    ch: if known.is_some() {
                        cfg.keep_known_bonus
                    } else {
                        cfg.unseen_edit
                    },
                    ..literal
                }),
            }
            c
        }
    }
}

/// A reading that is Vietnamese: a valid syllable, or a loan word with marks (`panô`); not
/// the English the vocabulary holds from its corpus (`ctrl`, `prop`).
fn is_vietnamese(text: &str) -> bool {
    !text.is_ascii() || super::syllable::is_valid_syllable(text)
}

/// Two or more capitals, no lower case, and no syllable's bare letters (`skeleton_known`
/// false: `CCHC`, `ITP`, not `HOACH`): an acronym, which restoration leaves as written.
fn is_acronym(word: &str, skeleton_known: bool) -> bool {
    !skeleton_known
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !word.chars().any(char::is_lowercase)
}

/// Whether `part` is a word in capitals whose letters some known syllable has (`HOI`,
/// `KHUYÉN`), and no abbreviation (`KH`, `TU`, `UBND`).
fn is_capital_syllable(part: &str, model: &Model) -> bool {
    part.chars().count() >= 2
        && part.chars().all(|c| c.is_uppercase() && is_latin_letter(c))
        && !model.abbrev.contains_key(part)
        && model.by_skeleton.contains_key(&skeleton(part))
}

/// Words in capitals joined by hyphens (`HOI-KHUYEN`, `CHU-TICH`: English-model OCR reads a
/// gap in a heading so) look like a code to the tokenizer, which knows no syllables. When every
/// part is a capital syllable, the parts are words and the hyphens punctuation between them; a
/// code has a part that is none (`KH-UBND`, `CT-TU`).
fn split_capital_syllables(text: &str, tokens: &mut Vec<Token>, model: &Model) {
    let joined = |t: &Token| {
        let w = &text[t.range.clone()];
        t.kind == Kind::Protected
            && w.contains('-')
            && w.split('-').all(|p| is_capital_syllable(p, model))
    };
    if !tokens.iter().any(joined) {
        return;
    }
    let mut out = Vec::with_capacity(tokens.len() + 4);
    for t in tokens.drain(..) {
        if !joined(&t) {
            out.push(t);
            continue;
        }
        let mut at = t.range.start;
        for (i, part) in text[t.range.clone()].split('-').enumerate() {
            if i > 0 {
                out.push(Token {
                    kind: Kind::Punct,
                    range: at..at + 1,
                });
                at += 1;
            }
            out.push(Token {
                kind: Kind::Word,
                range: at..at + part.len(),
            });
            at += part.len();
        }
    }
    *tokens = out;
}

/// An apostrophe after `o` or `u` inside a word is the horn an English-model engine reads
/// beside the letter (`phuo'ng` for `phương`, `thu'c` for `thức`); between two words it is a
/// speck where a space was (`bao'sat`). The word wins when the letters around the apostrophe
/// are, together, some known syllable's (`phuong`), and the three tokens become one to repair.
fn join_horn_apostrophes(text: &str, tokens: &mut Vec<Token>, model: &Model) {
    join_tokens(tokens, 3, |t: &[Token]| {
        let (a, q, b) = (&t[0], &t[1], &t[2]);
        let (left, right) = (&text[a.range.clone()], &text[b.range.clone()]);
        a.kind == Kind::Word
            && b.kind == Kind::Word
            && matches!(&text[q.range.clone()], "'" | "’")
            && left.ends_with(['o', 'u', 'O', 'U'])
            && right.chars().all(char::is_lowercase)
            && model
                .by_skeleton
                .contains_key(&skeleton(&format!("{left}{right}")))
    });
}

/// A `?` right after a word, with the sentence going on in lower case after it (`giữ? vùng`,
/// `chi?, phổ`), is English-model OCR's reading of `ữ`/`ứ`'s hook, not a question's end: the
/// word and the mark become one token to repair.
fn join_question_marks(text: &str, tokens: &mut Vec<Token>) {
    join_tokens(tokens, 2, |t: &[Token]| {
        let (w, q) = (&t[0], &t[1]);
        let rest = text[q.range.end..]
            .trim_start_matches([',', ';'])
            .trim_start();
        w.kind == Kind::Word
            && &text[q.range.clone()] == "?"
            && rest.starts_with(char::is_lowercase)
    });
}

/// Each `n` consecutive tokens for which `joins` holds become one token to repair
/// ([`Kind::Mixed`]: read on OCR'd text only), left to right.
fn join_tokens(tokens: &mut Vec<Token>, n: usize, joins: impl Fn(&[Token]) -> bool) {
    if !tokens.windows(n).any(&joins) {
        return;
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut k = 0;
    while k < tokens.len() {
        match tokens.get(k..k + n).filter(|w| joins(w)) {
            Some(w) => {
                out.push(Token {
                    kind: Kind::Mixed,
                    range: w[0].range.start..w[n - 1].range.end,
                });
                k += n;
            }
            None => {
                out.push(tokens[k].clone());
                k += 1;
            }
        }
    }
    *tokens = out;
}

/// A letter of the Latin script, Vietnamese's included (Basic Latin to Latin Extended-B, and
/// Latin Extended Additional, where the letters with two marks are).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && (c.is_ascii()
            || ('\u{C0}'..='\u{24F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c))
}

/// Whether a candidate is the observed word itself, in either tone style.
fn same_word(cand: &str, lower: &str) -> bool {
    cand == lower || cand == old_style_tone(lower)
}

/// Known syllables near an OCR'd token, scored by the learned channel; the best few.
fn ocr_candidates(lower: &str, chan: &OcrChannel, model: &Model, d: usize) -> Vec<Cand> {
    let cfg = &model.cfg;
    let skel = skeleton(lower);
    let index = model.near();
    let mut near = index.lookup(&skel, d);
    // Nearest skeletons first, then the commonest, so the costly scoring sees few.
    near.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then(index.best_prior[b.0 as usize].total_cmp(&index.best_prior[a.0 as usize]))
            .then(a.0.cmp(&b.0))
    });
    near.truncate(cfg.near_candidates);
    // (channel score, syllable) pairs; texts are made only for the few kept.
    let mut scored: Vec<(f32, u16)> = vec![];
    let observed = chan.observed(lower);
    let prepared = chan.prepared(&model.lm.vocab);
    // The best keys so far (channel score + prior), to skip readings that cannot enter the
    // kept few nor reach `far_below` (the test for a far search) before they are fully scored.
    // `min` is a channel score a reading must reach to be kept at all.
    let w = cfg.channel_weight;
    let keep = cfg.max_candidates.max(1);
    let mut best: Vec<f32> = Vec::with_capacity(keep + 1);
    let mut score = |near: &[(u32, usize)], index: &NearIndex, min: f32, scored: &mut Vec<_>| {
        for &(s, _) in near {
            for &i in &index.ids[s as usize] {
                let prior = model.lm.prior(i);
                let mut floor = min;
                if best.len() == keep {
                    floor = floor.max((best[keep - 1] - prior).min(cfg.far_below));
                }
                let floor = if w > 0.0 {
                    floor / w - 1e-3
                } else {
                    f32::NEG_INFINITY
                };
                let ch = observed.score_intended_above(&prepared[i as usize], cfg, floor) * w;
                if ch == f32::NEG_INFINITY || ch < min {
                    continue;
                }
                let k = ch + prior;
                let at = best.partition_point(|&b| b >= k);
                if at < keep {
                    best.insert(at, k);
                    best.truncate(keep);
                }
                scored.push((ch, i));
            }
        }
    };
    score(&near, index, f32::NEG_INFINITY, &mut scored);
    // A token nothing near explains: look further, among the commonest skeletons there, for
    // readings the channel still finds likely enough (a foreign word such as `Debian` is
    // many unseen edits from any syllable and stays as written).
    let far_d = cfg.far_skeleton_distance;
    if d == cfg.max_skeleton_distance
        && far_d > d
        && scored.iter().all(|&(ch, _)| ch < cfg.far_below)
    {
        let index = model.far();
        let mut far = index.lookup(&skel, far_d);
        far.retain(|e| e.1 > d);
        far.sort_by(|a, b| {
            index.best_prior[b.0 as usize]
                .total_cmp(&index.best_prior[a.0 as usize])
                .then(a.0.cmp(&b.0))
        });
        far.truncate(cfg.far_candidates);
        score(&far, index, cfg.far_min, &mut scored);
    }
    let key = |&(ch, i): &(f32, u16)| ch + model.lm.prior(i);
    scored.sort_by(|a, b| key(b).total_cmp(&key(a)));
    scored.truncate(cfg.max_candidates);
    scored
        .into_iter()
        .map(|(ch, i)| Cand {
            text: model.lm.vocab[i as usize].clone(),
            id: Some(i),
            ch,
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn decode_line(
    line: &Line,
    next: Option<&Line>,
    carry: &mut Vec<Cand>,
    ch: Channel,
    text_only: bool,
    model: &Model,
    signs: &Signs,
    cache: &mut CandCache,
    out: &mut String,
    decisions: &mut Vec<Decision>,
    mut notes: Option<&mut Notes>,
) {
    let resegmented;
    let line = match resegment(line, ch, model, signs, cache) {
        Some(tokens) => {
            resegmented = Line {
                text: line.text,
                tokens,
                damage: line.damage,
            };
            &resegmented
        }
        None => line,
    };
    // Runs of decodable tokens separated only by spaces.
    let toks = &line.tokens;
    // The words that ended the line before, when its sentence runs on into this one: context
    // for this line's first run. Replaced by this line's last words below.
    let before = std::mem::take(carry);
    let first = toks.iter().position(|t| t.kind != Kind::Space);
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        let w = &line.text[t.range.clone()];
        let decodable = is_decodable(t, ch, model);
        if let Some(label) = misread_roman_label(line, k, ch) {
            write_repair(out, decisions, w, &label, 0.9);
            k += 1;
            continue;
        }
        // A speck may be a lone `l`, which reads as a word.
        let speck = is_edge_speck(line, k, ch);
        if !decodable || speck {
            if speck {
                // Drop it with the space that set it off from the text.
                let line_start = out.rfind('\n').map_or(0, |i| i + 1);
                let kept = out[line_start..].trim_end_matches([' ', '\t']).len() + line_start;
                let gap = if kept < out.len() {
                    out.truncate(kept);
                    false
                } else {
                    true
                };
                write_repair(out, decisions, w, "", 0.9);
                // At the start of a line the space after the speck goes too.
                if gap && toks.get(k + 1).is_some_and(|t| t.kind == Kind::Space) {
                    k += 1;
                }
                k += 1;
                continue;
            }
            if let Some(fixed) = &repair_undecoded(line, k, ch, model) {
                decisions.push(Decision {
                    range: out.len()..out.len() + fixed.len(),
                    original: w.to_string(),
                    restored: fixed.to_string(),
                    confidence: 0.99,
                    alternatives: vec![],
                });
                out.push_str(fixed);
            } else {
                out.push_str(w);
            }
            k += 1;
            continue;
        }
        // Gather the run.
        let mut run = vec![k];
        let mut j = k + 1;
        while j + 1 < toks.len()
            && (toks[j].kind == Kind::Space
                || !is_number(toks[j - 1].kind, model) && joined_by_speck(line, j, ch, model))
            && (matches!(toks[j + 1].kind, Kind::Word | Kind::Mixed)
                || is_number(toks[j + 1].kind, model))
            && !is_edge_speck(line, j + 1, ch)
        {
            run.push(j + 1);
            j += 2;
        }
        let at: Vec<usize> = run
            .iter()
            .map(|&i| cache.get(&word_text(line, &toks[i]), toks[i].kind, ch, model))
            .collect();
        // A sentence cut by the line break: the two words before it are fixed context for the
        // run that opens this line, and the next line's first words are read with the run that
        // ends this one (their readings there are not kept: that line decides its own).
        let context: &[Cand] = if Some(k) == first { &before } else { &[] };
        let pre = context.len();
        let ends_line = toks[j..].iter().all(|t| t.kind == Kind::Space);
        let next_words: Vec<usize> = next
            .filter(|_| ends_line)
            .map(|n| {
                opening_words(n, ch, model)
                    .into_iter()
                    .map(|t| cache.get(&word_text(n, t), t.kind, ch, model))
                    .collect()
            })
            .unwrap_or_default();
        let mut cands: Vec<&[Cand]> = context.iter().map(std::slice::from_ref).collect();
        cands.extend(at.iter().map(|&k| cache.lists[k].as_slice()));
        cands.extend(next_words.iter().map(|&t| cache.lists[t].as_slice()));
        // A date or document number right after the run (`số 489/QĐ-TTg`) stays as written, but
        // is context for the run's last word, as numbers are.
        let then_code = toks.get(j).is_some_and(|t| t.kind == Kind::Space)
            && toks.get(j + 1).is_some_and(|t| {
                t.kind == Kind::Protected && reads_as_number_code(&line.text[t.range.clone()], ch)
            });
        let code = [Cand {
            text: String::new(),
            id: model.number,
            ch: 0.0,
        }];
        if then_code && model.number.is_some() {
            cands.push(&code);
        }
        // The phrase goes on past the next line's first words.
        let best = beam(&cands, !next_words.is_empty(), model, &mut cache.beam);
        for (r, &ti) in run.iter().enumerate() {
            if r > 0 {
                let sep = &toks[ti - 1];
                let sep_text = &line.text[sep.range.clone()];
                if sep.kind == Kind::Space && sep_text.is_empty() {
                    // Two syllables written as one (`hoạchnày`): the space they lost.
                    write_repair(out, decisions, "", " ", 0.8);
                } else if sep.kind == Kind::Space {
                    out.push_str(sep_text);
                } else {
                    // A speck read as punctuation between two words ("với.công").
                    write_repair(out, decisions, sep_text, " ", 0.8);
                }
            }
            let written = &line.text[toks[ti].range.clone()];
            let obs = word_text(line, &toks[ti]);
            let (start, before) = (out.len(), decisions.len());
            // Only a word in capitals on OCR'd text asks where it stands.
            let capitals_amid_lower_case = ch.is_ocr()
                && !obs.chars().any(char::is_lowercase)
                && between_lower_case_words(line, ti);
            let (pick, posterior) = emit(
                &obs,
                &cands,
                &best,
                pre + r,
                capitals_amid_lower_case,
                ch,
                text_only,
                model,
                out,
                decisions,
            );
            if let Some(notes) = notes.as_deref_mut()
                && obs.len() == written.len()
                && pick == best[pre + r]
            {
                notes.note(
                    &model.cfg,
                    start..out.len(),
                    (at[r], cands[pre + r]),
                    cache.beam.prune.through(pre + r),
                    cache.beam.prune.kept_at[pre + r + 1] - cache.beam.prune.kept_at[pre + r] == 1,
                    pick,
                    &posterior,
                    (decisions.len() > before).then_some(before),
                );
            }
            if obs.len() != written.len() {
                // One syllable written as two (`trườ ng`): the decision shows both halves.
                match decisions.get_mut(before) {
                    Some(e) => {
                        e.original = written.to_string();
                        e.alternatives.retain(|a| *a != e.restored);
                    }
                    None => decisions.push(Decision {
                        range: start..out.len(),
                        original: written.to_string(),
                        restored: out[start..].to_string(),
                        confidence: 0.8,
                        alternatives: vec![written.to_string()],
                    }),
                }
            }
        }
        if ends_line {
            let end = pre + run.len();
            *carry = (end.saturating_sub(2)..end)
                .map(|p| cands[p][best[p]].clone())
                .collect();
        }
        k = run.last().copied().unwrap_or(k) + 1;
    }
}

/// Write `restored` where the text had `original` and record the decision, with the text as
/// it was for its one alternative: the repairs of layout (labels, specks, spaces) that are
/// not readings of a word.
fn write_repair(
    out: &mut String,
    decisions: &mut Vec<Decision>,
    original: &str,
    restored: &str,
    confidence: f32,
) {
    decisions.push(Decision {
        range: out.len()..out.len() + restored.len(),
        original: original.to_string(),
        restored: restored.to_string(),
        confidence,
        alternatives: vec![original.to_string()],
    });
    out.push_str(restored);
}

/// A word token's text as the decoder reads it: a token [`resegment`] joined across a space
/// is read without it.
fn word_text<'a>(line: &Line<'a>, t: &Token) -> std::borrow::Cow<'a, str> {
    let w = &line.text[t.range.clone()];
    if w.contains(char::is_whitespace) {
        w.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into()
    } else {
        w.into()
    }
}

/// How well a piece of a token stands as one syllable of the language on this channel: the
/// log10 prior of the commonest syllable it can be, or `None` when it can be none. Marked
/// text (correct or Vietnamese-model OCR) must spell a known syllable exactly; stripped or
/// English-model OCR text must have a known syllable's skeleton.
fn syllable_prior(piece: &str, ch: Channel, model: &Model) -> Option<f32> {
    let lower = piece.to_lowercase();
    let valid = super::syllable::is_valid_syllable;
    match ch {
        Channel::None | Channel::OcrVie => model
            .known(&lower)
            .filter(|_| valid(&lower))
            .map(|id| model.lm.prior(id)),
        Channel::Stripped | Channel::OcrEng => model
            .by_skeleton
            .get(&skeleton(&lower))?
            .iter()
            .filter(|&&id| valid(&model.lm.vocab[id as usize]))
            .map(|&id| model.lm.prior(id))
            .reduce(f32::max),
    }
}

/// Where a space was lost or added inside a run of syllables: the line's tokens as the decoder
/// should see them, or `None` when nothing moves. A word that has no reading as one syllable
/// but is two known ones written together (`hoạchnày`, `tuyentruyen`, each half two letters or more) is split
/// where the halves are likeliest, with an empty space token between them; two words that are
/// not both syllables but one known syllable together (`trườ ng`) become one token spanning
/// the space. Marked text (correct or Vietnamese-model OCR) is split only where the word
/// carries marks, so a name such as `Hanoi` stays.
fn resegment(
    line: &Line,
    ch: Channel,
    model: &Model,
    signs: &Signs,
    cache: &mut CandCache,
) -> Option<Vec<Token>> {
    let toks = &line.tokens;
    let text = |t: &Token| &line.text[t.range.clone()];
    let letters = |t: &Token| t.kind == Kind::Word;
    let whole = |w: &str| {
        syllable_prior(w, ch, model).is_some() || model.known(&w.to_lowercase()).is_some()
    };
    // Only a word the model cannot take as it is starts either: most lines have none. The
    // document's analysis already asked the model of every word.
    let odd = |t: &Token| {
        letters(t)
            && signs.get(text(t)).is_some_and(|s| match ch {
                Channel::None | Channel::OcrVie => s.unknown,
                Channel::Stripped | Channel::OcrEng => !s.skeleton_known,
            })
    };
    let odd: Vec<bool> = toks.iter().map(odd).collect();
    if !odd.contains(&true) {
        return None;
    }
    let mut out: Option<Vec<Token>> = None;
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        // Join `a b` into one syllable.
        if (odd[k] || odd.get(k + 2) == Some(&true))
            && letters(t)
            && toks
                .get(k + 1)
                .is_some_and(|s| s.kind == Kind::Space && text(s) == " ")
            && toks.get(k + 2).is_some_and(letters)
        {
            let (a, b) = (text(t), text(&toks[k + 2]));
            let valid = |w: &str| super::syllable::is_valid_syllable(&w.to_lowercase());
            if (!valid(a) || !valid(b))
                && (!whole(a) || !whole(b))
                && syllable_prior(&format!("{a}{b}"), ch, model).is_some()
            {
                let v = out.get_or_insert_with(|| toks[..k].to_vec());
                v.push(Token {
                    kind: Kind::Word,
                    range: t.range.start..toks[k + 2].range.end,
                });
                k += 3;
                continue;
            }
        }
        // Split `ab` into two syllables.
        let w = text(t);
        // Only a word that can be no syllable: a slip within one (`chuấn`, `chiức`, `tuéng`)
        // is the decoder's to mend. Marked text spells its halves exactly, which outweighs a
        // syllable two edits away; stripped and English-model text must have no reading.
        let mut no_reading = |w: &str| {
            let lower = w.to_lowercase();
            if matches!(ch, Channel::None | Channel::OcrVie) {
                return model.near().lookup(&skeleton(&lower), 1).is_empty();
            }
            let k = cache.get(w, t.kind, ch, model);
            cache.lists[k]
                .iter()
                .all(|c| c.id.is_none() || c.text == lower)
        };
        let split = (odd[k]
            && w.chars().count() >= 4
            && !whole(w)
            && no_reading(w)
            && (!matches!(ch, Channel::None | Channel::OcrVie) || has_marks(&w.to_lowercase())))
        .then(|| {
            w.char_indices()
                .skip(2)
                .filter(|&(i, _)| w[i..].chars().count() >= 2)
                .filter_map(|(i, _)| {
                    let p =
                        syllable_prior(&w[..i], ch, model)? + syllable_prior(&w[i..], ch, model)?;
                    Some((i, p))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
        })
        .flatten();
        match split {
            Some((i, _)) => {
                let v = out.get_or_insert_with(|| toks[..k].to_vec());
                let m = t.range.start + i;
                v.push(Token {
                    kind: Kind::Word,
                    range: t.range.start..m,
                });
                v.push(Token {
                    kind: Kind::Space,
                    range: m..m,
                });
                v.push(Token {
                    kind: Kind::Word,
                    range: m..t.range.end,
                });
            }
            None => {
                if let Some(v) = out.as_mut() {
                    v.push(t.clone());
                }
            }
        }
        k += 1;
    }
    out
}

/// Whether a token of this kind is a number the model reads as context.
fn is_number(kind: Kind, model: &Model) -> bool {
    kind == Kind::Number && model.number.is_some()
}

/// Punctuation an English-model engine makes of a speck between two words (`với.công`,
/// `các'mô`): joined words are never written so in Vietnamese prose.
fn is_stray_mark(s: &str) -> bool {
    matches!(s, "." | "'" | "’" | "‘" | "`" | "-" | "~")
}

/// Index of a line's first token that is not white space (its label or bullet, if any).
fn first_token(line: &Line) -> usize {
    line.tokens.first().is_some_and(|t| t.kind == Kind::Space) as usize
}

/// A section label in Roman numerals that OCR read with look-alikes (`IiI.`, `1V.`, `Il.`):
/// the first thing on a line, right before `.` or `)`, made of `I V X` and their look-alikes
/// `i l 1 | ! ¡ v x` with at least one capital or digit (so a list's `ii)` stays), and a
/// Roman number once read so. Section headings hang on these labels.
fn misread_roman_label(line: &Line, k: usize, ch: Channel) -> Option<String> {
    let toks = &line.tokens;
    let first = first_token(line);
    let w = &line.text[toks[k].range.clone()];
    if !ch.is_ocr()
        || k != first
        || toks[k].kind == Kind::Space
        || !toks
            .get(k + 1)
            .is_some_and(|t| line.text[t.range.clone()].starts_with(['.', ')']))
        || w.chars().all(|c| c.is_ascii_digit())
        || !w.chars().any(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    roman_from_look_alikes(w)
}

/// `w` read as a Roman number with its look-alikes (`1V`, `IIl`) taken for the letters, when
/// that changes it.
fn roman_from_look_alikes(w: &str) -> Option<String> {
    let roman: String = w
        .chars()
        .map(|c| match c {
            'I' | 'i' | 'l' | '1' | '|' | '!' | '¡' => Some('I'),
            'V' | 'v' => Some('V'),
            'X' | 'x' => Some('X'),
            _ => None,
        })
        .collect::<Option<String>>()?;
    (roman != w && is_roman_number(&roman)).then_some(roman)
}

/// Whether `code` is a date or document number ([`is_number_code`]), on OCR'd text also
/// one whose Roman number was misread (`IIl/2021`).
fn reads_as_number_code(code: &str, ch: Channel) -> bool {
    is_number_code(code)
        || ch.is_ocr()
            && code.split_once('/').is_some_and(|(roman, rest)| {
                misread_roman_part(roman).is_some()
                    && rest.starts_with(|c: char| c.is_ascii_digit())
            })
}

/// A part of an OCR'd code that is a Roman number read with look-alikes (`Quý 1V/2021`,
/// `IIl/2021`, `¡/2021`): it must hold a capital `I`, `V` or `X` itself, or a look-alike no
/// number or word has, so that a month (`11/2021`) stays a number.
fn misread_roman_part(part: &str) -> Option<String> {
    if !part
        .chars()
        .any(|c| matches!(c, 'I' | 'V' | 'X' | '¡' | '|' | '!'))
    {
        return None;
    }
    roman_from_look_alikes(part)
}

/// Whether token `k` is the dot of a line-opening Roman label that OCR ran into the heading
/// after it (`I.MỤC ĐÍCH`).
fn is_label_dot_without_space(line: &Line, k: usize, ch: Channel) -> bool {
    let toks = &line.tokens;
    let first = first_token(line);
    k == first + 1
        && &line.text[toks[k].range.clone()] == "."
        && toks.get(k + 1).is_some_and(|t| t.kind != Kind::Space)
        && (is_roman_number(&line.text[toks[first].range.clone()])
            || misread_roman_label(line, first, ch).is_some())
        && ch.is_ocr()
}

/// Whether `s` is a Roman number from I to XXXIX written the standard way.
fn is_roman_number(s: &str) -> bool {
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let tens = s.chars().take_while(|&c| c == 'X').count();
    tens <= 3 && !s.is_empty() && ONES.contains(&&s[tens..])
}

/// Whether the nearest words before and after token `k` on its line both have lower-case
/// letters (a heading in capitals has none); at a line's start or end, the one word beside it
/// (a sentence runs on over lines: `… của BO` / `Giao duc …`).
fn between_lower_case_words(line: &Line, k: usize) -> bool {
    let has_lower = |t: &Token| {
        matches!(t.kind, Kind::Word | Kind::Mixed)
            && line.text[t.range.clone()].chars().any(char::is_lowercase)
    };
    let is_word = |t: &&Token| matches!(t.kind, Kind::Word | Kind::Mixed | Kind::Protected);
    let before = line.tokens[..k].iter().rev().find(is_word);
    let after = line.tokens[k + 1..].iter().find(is_word);
    match (before, after) {
        (Some(b), Some(a)) => has_lower(b) && has_lower(a),
        (Some(w), None) | (None, Some(w)) => has_lower(w),
        (None, None) => false,
    }
}

/// Whether token `k` is a list dash that OCR read as a tilde, an underscore or an equals sign
/// (`~ Tiếp tục`, `= Xây dựng`): the first thing on the line, followed by a space.
fn is_misread_bullet(line: &Line, k: usize, ch: Channel) -> bool {
    let toks = &line.tokens;
    let first = first_token(line);
    ch.is_ocr()
        && k == first
        && toks[k].kind == Kind::Punct
        && matches!(&line.text[toks[k].range.clone()], "~" | "_" | "=")
        && toks.get(k + 1).is_some_and(|t| t.kind == Kind::Space)
}

/// Whether token `k` is a speck at the edge of a line that OCR read as a mark Vietnamese text
/// never sets apart on its own (`` ` ``, `_`, `~`, `ˆ`, `|`): the last thing on the line after
/// a space (`… thành phố. ``), or the first before one (`ˆ_ giá …`; a lone `~` or `_` there is
/// a list dash, [`is_misread_bullet`]). Dust in a page's margins becomes such tokens; a
/// longer run (`______`, a blank of a form) is left alone.
fn is_edge_speck(line: &Line, k: usize, ch: Channel) -> bool {
    let toks = &line.tokens;
    let t = &toks[k];
    let s = &line.text[t.range.clone()];
    // A lone `l` is a vertical speck (a rule's or the page edge's) at a line's end only; at
    // its start it may be a list's label.
    let lone_l = t.kind == Kind::Word && s == "l";
    if !ch.is_ocr()
        || !(t.kind == Kind::Punct || lone_l)
        || s.chars().count() > 2
        || !lone_l && !s.chars().all(|c| "`_~ˆ^|¦".contains(c))
    {
        return false;
    }
    let blank = |t: &Token| t.kind == Kind::Space;
    let text_before = toks[..k].iter().any(|t| !blank(t));
    let text_after = toks[k + 1..].iter().any(|t| !blank(t));
    let spaced_before = k > 0 && blank(&toks[k - 1]);
    let spaced_after = toks.get(k + 1).is_some_and(blank);
    (text_before && !text_after && spaced_before)
        || (!lone_l
            && !text_before
            && text_after
            && spaced_after
            && !is_misread_bullet(line, k, ch))
}

/// The real mark of a punctuation token that OCR ran into a speck, between two words with no
/// space, with the space it lost: a closing mark and then the speck (`tâm,.ủng`, `số:.01/KH`,
/// `tập”-vào`) is the mark and a space; the speck and then an opening mark (`tạo.(trong`) is a
/// space and the mark.
fn speck_by_mark(line: &Line, k: usize, ch: Channel) -> Option<String> {
    let toks = &line.tokens;
    if !ch.is_ocr() || toks[k].kind != Kind::Punct || k == 0 || k + 1 >= toks.len() {
        return None;
    }
    let is_text = |t: &Token| {
        matches!(
            t.kind,
            Kind::Word | Kind::Mixed | Kind::Number | Kind::Protected
        )
    };
    if !is_text(&toks[k - 1]) || !is_text(&toks[k + 1]) {
        return None;
    }
    let s = &line.text[toks[k].range.clone()];
    let speck = |r: &str| !r.is_empty() && r.chars().all(|c| ".-`~'".contains(c));
    let first = s.chars().next()?;
    let last = s.chars().next_back()?;
    let rest = &s[first.len_utf8()..];
    if ",;:”\")".contains(first) && speck(rest) {
        return Some(format!("{first} "));
    }
    if "(“".contains(last) && speck(&s[..s.len() - last.len_utf8()]) {
        return Some(format!(" {last}"));
    }
    // The rest only on English-model OCR: text detected as Vietnamese-model OCR may be
    // correct writing with many words the model lacks (technical prose), where marks without
    // a space after them are as typed.
    if ch != Channel::OcrEng {
        return None;
    }
    if ".,;:”\")".contains(first)
        && !rest.is_empty()
        && rest.chars().all(|c| ".,;:-`~'".contains(c))
        && !s.chars().all(|c| c == '.')
    {
        // Marks that may all be real (`vụ,:đảm`, `3.,Đoàn`): kept, with the space they lost;
        // an ellipsis stays as written.
        Some(format!("{s} "))
    } else if s.chars().count() >= 2 && s.chars().all(|c| "'’‘`".contains(c)) {
        // Apostrophes, which Vietnamese does not write inside words (`sơ’'thi`).
        Some(" ".to_string())
    } else if s == "." && toks[k - 1].kind == Kind::Number && starts_lower_case_word(line, k + 1) {
        // A number's full stop that lost its space (`ngày 10/5/2019.của`).
        Some(". ".to_string())
    } else if matches!(s, "." | ":")
        && matches!(toks[k - 1].kind, Kind::Word | Kind::Mixed)
        && toks[k + 1].kind == Kind::Protected
        && is_number_code(&line.text[toks[k + 1].range.clone()])
    {
        // A word run into the number after it (`số.04/CT-UBND`): a colon keeps its place,
        // a full stop there is a speck.
        Some(if s == ":" { ": " } else { " " }.to_string())
    } else {
        None
    }
}

/// Whether token `k` is a word of two letters or more that starts in lower case.
fn starts_lower_case_word(line: &Line, k: usize) -> bool {
    let t = &line.tokens[k];
    let w = &line.text[t.range.clone()];
    matches!(t.kind, Kind::Word | Kind::Mixed)
        && w.chars().count() >= 2
        && w.chars().next().is_some_and(char::is_lowercase)
}

/// Whether token `j` of the line, between two words with no space, is a speck read as
/// punctuation. Tesseract's `vie` model reads specks as `.`, `:` or `-` too (`công.tác`,
/// `phong:trào`, `các-ban`), but it also keeps real joins (`Tp.Hà`, `Rịa-Vũng`), so there
/// both words must be known, well-formed syllables, and a hyphen must run into a lower-case word.
/// An apostrophe is a speck too (`thể'Phường`): Vietnamese writing elides nothing.
fn joined_by_speck(line: &Line, j: usize, ch: Channel, model: &Model) -> bool {
    let toks = &line.tokens;
    let s = &line.text[toks[j].range.clone()];
    match ch {
        // A colon too, before a lower-case word (`Khen:thuong`); before a capital it may be a
        // colon that lost its space (`nhận:Như trên`). Before an all-capital word the dot is an
        // abbreviation's (`Tp.HCM`).
        Channel::OcrEng => {
            let Some(right) = toks.get(j + 1).map(|t| &line.text[t.range.clone()]) else {
                return false;
            };
            let lower_start = right.chars().next().is_some_and(char::is_lowercase);
            let all_caps = right.chars().count() >= 2 && right.chars().all(char::is_uppercase);
            // A hyphen between capital syllables ([`split_capital_syllables`]) is a gap too.
            let left = j.checked_sub(1).map(|i| &line.text[toks[i].range.clone()]);
            let between_capital_syllables = s == "-"
                && left.is_some_and(|l| is_capital_syllable(l, model))
                && is_capital_syllable(right, model);
            is_stray_mark(s) && !all_caps || s == ":" && lower_start || between_capital_syllables
        }
        Channel::OcrVie => {
            if !matches!(s, "." | ":" | "-" | "`" | "~" | "'") || j == 0 || j + 1 >= toks.len() {
                return false;
            }
            let (left, right) = (&toks[j - 1], &toks[j + 1]);
            let word = |t: &Token| {
                let w = line.text[t.range.clone()].to_lowercase();
                t.kind == Kind::Word
                    && super::syllable::is_valid_syllable(&w)
                    && model.known(&w).is_some()
            };
            let lower_start = line.text[right.range.clone()]
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            // A year or a count after a word and a dot (`năm.2021`) is no abbreviation either.
            let number = right.kind == Kind::Number && s == "." && left.range.len() >= 2;
            word(left) && (word(right) && (s != "-" || lower_start) || number)
        }
        _ => false,
    }
}

/// The LM scores of every candidate at position `r`, given the decoded neighbours: the
/// trigrams that hold position `r`.
///
/// A phrase end counts here as the model gives it, not by `phrase_end_weight`: the weight may
/// steer which reading the search finds, but lends a change no confidence (measured: weighted
/// here too, correct text lost `DD(` to `Do(`).
fn local_scores(cands: &[&[Cand]], best: &[usize], r: usize, lm: &Lm) -> Vec<f32> {
    let n = cands.len() as isize;
    // Neighbours other than `r` itself.
    let id = |p: isize| -> Option<u16> {
        if p < 0 {
            if p == -1 { Some(BOS) } else { None }
        } else if p >= n {
            if p == n { Some(EOS) } else { None }
        } else {
            cands[p as usize][best[p as usize]].id
        }
    };
    let ri = r as isize;
    let before = lm.context(id(ri - 2), id(ri - 1));
    let (prev, next, after) = (id(ri - 1), id(ri + 1), id(ri + 2));
    let pair = |u: Option<u16>, v: Option<u16>| match (u, v) {
        (Some(u), Some(v)) => lm.bigram_index(u, v),
        _ => None,
    };
    // The pair `c next` serves both following trigrams: as the bigram of the first and the
    // context of the second; `next after` is the same for every candidate.
    let next_after = pair(next, after).map(|k| lm.bigram_at(k));
    cands[r]
        .iter()
        .map(|c| {
            // `prev c` is both the bigram of the first trigram and the context of the second.
            let prev_c = pair(prev, c.id);
            let mut s = before.score_with(c.id, |_| prev_c.map(|k| lm.bigram_at(k)));
            let c_next = pair(c.id, next);
            if ri < n {
                s += lm
                    .context_of_pair(c.id, prev_c)
                    .score_with(next, |_| c_next.map(|k| lm.bigram_at(k)));
            }
            if ri + 1 < n {
                s += lm
                    .context_of_pair(next, c_next)
                    .score_with(after, |_| next_after);
            }
            s
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn emit(
    obs: &str,
    cands: &[&[Cand]],
    best: &[usize],
    r: usize,
    capitals_amid_lower_case: bool,
    ch: Channel,
    text_only: bool,
    model: &Model,
    out: &mut String,
    decisions: &mut Vec<Decision>,
) -> (usize, Vec<f32>) {
    let cs = &cands[r];
    let lower = obs.to_lowercase();
    if cs.len() == 1 && cs[0].text == lower {
        out.push_str(obs);
        return (0, vec![]);
    }
    let cautious = matches!(ch, Channel::None | Channel::OcrVie);
    // Posterior of each reading with the neighbours fixed (a lone reading is certain, and
    // stripped text has many: no need to ask the model). Only a decision and a cautious
    // channel's second thoughts use it; empty when neither asks.
    let posterior: Vec<f32> = if cs.len() > 1 && (cautious || !text_only) {
        let mut w = local_scores(cands, best, r, &model.lm);
        for (s, c) in w.iter_mut().zip(cs.iter()) {
            *s += c.ch;
        }
        let top = w.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for s in w.iter_mut() {
            *s = 10f32.powf(*s - top);
        }
        let z: f32 = w.iter().sum();
        w.iter_mut().for_each(|s| *s /= z);
        w
    } else {
        vec![]
    };
    let p = |c: usize| posterior.get(c).copied().unwrap_or(1.0);
    let mut pick = best[r];
    let mut conf = p(pick);
    if cautious
        && cs[pick].text != lower
        && conf < model.cfg.min_change_confidence
        && let Some(l) = cs.iter().position(|c| c.text == lower)
    {
        pick = l;
        conf = p(l);
    }
    let mut case = case_of(obs);
    // An `l` that OCR read as a capital `I` or `J` (`Ion` for `lớn`, `Joai` for `loại`): the
    // capital was the engine's, not the writer's.
    if case == Case::Title
        && obs.starts_with(['I', 'J', '|'])
        && cs[pick].text.starts_with('l')
        && ch.is_ocr()
    {
        case = Case::Lower;
    }
    // A capital `O` or `G` for a lower-case `ộ` makes `Bộ` read `BO`: one word in capitals
    // amid lower case on OCR'd text is the engine's doing when it reads as a syllable.
    if case == Case::Upper
        && capitals_amid_lower_case
        && cs[pick].text != lower
        && super::syllable::is_valid_syllable(&cs[pick].text)
    {
        case = Case::Title;
    }
    let restored = if cs[pick].text == lower {
        obs.to_string()
    } else {
        apply_case(&cs[pick].text, case)
    };
    let changed = restored != obs;
    if !text_only && (changed || conf < model.cfg.uncertain_below) {
        let mut likely: Vec<usize> = (0..posterior.len())
            .filter(|&c| c != pick && p(c) >= 0.02)
            .collect();
        likely.sort_by(|&a, &b| p(b).total_cmp(&p(a)).then(a.cmp(&b)));
        let alternatives = likely
            .iter()
            .take(3)
            .map(|&c| apply_case(&cs[c].text, case))
            .collect();
        decisions.push(Decision {
            range: out.len()..out.len() + restored.len(),
            original: obs.to_string(),
            restored: restored.clone(),
            confidence: conf.clamp(0.0, 1.0),
            alternatives,
        });
    }
    out.push_str(&restored);
    (pick, posterior)
}

/// A beam state's sort key: better scores first, equal ones in `tie` order (the position of
/// the state's (previous candidate, candidate) pair). Integers sort several times faster than
/// `(f32, usize)` pairs under a comparison closure, and the beam sorts at every word.
fn rank_key(score: f32, tie: u32) -> u64 {
    // The order of `f32::total_cmp` as unsigned integers: flip every bit of a negative
    // number, only the sign bit of a positive one. Complemented for best first.
    let bits = score.to_bits();
    let ascending = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    (u64::from(!ascending) << 32) | u64::from(tie)
}

/// A state of the beam search.
#[derive(Clone, Copy)]
struct Hyp {
    cur: Option<u16>,
    /// Where `prev cur` is in the bigram table.
    pair: Option<u32>,
    cur_idx: usize,
    score: f32,
    back: usize,
}

/// The beam search's buffers, kept from one run of words to the next so that a run does not
/// allocate them anew (a plan has thousands of short runs).
#[derive(Default)]
struct BeamScratch {
    /// Kept hypotheses of every step, one after another; `bounds[k]..bounds[k + 1]` is step k.
    all: Vec<Hyp>,
    bounds: Vec<usize>,
    /// New states of a step: one row of `n` slots for each previous candidate some kept state
    /// ends in (`row_of`), in order of first use; `row_key` orders equal scores. A slot holds
    /// the best score into its state and the kept state it came from; the rest of the state
    /// follows from its row and candidate.
    score: Vec<f32>,
    back: Vec<u32>,
    row_of: Vec<u32>,
    row_key: Vec<usize>,
    /// Filled slots as sort keys ([`rank_key`]).
    order: Vec<u64>,
    /// Where each row's pairs (previous candidate, candidate) start in the bigram pass's
    /// `pair_idx`, by row.
    row_pairs: Vec<usize>,
    /// The bigram pass ([`prune`]).
    prune: PruneScratch,
}

/// The buffers of [`prune`]; every table is flat, position after position.
#[derive(Default)]
struct PruneScratch {
    /// Where position t's candidates start in `fwd` and `bwd`.
    at: Vec<usize>,
    /// Best bigram score of a reading from the phrase's start to each candidate, and from
    /// each candidate to the phrase's end.
    fwd: Vec<f32>,
    bwd: Vec<f32>,
    /// Per position t ≥ 1: readings of t − 1 scoring below this up to there were dropped.
    reach: Vec<f32>,
    /// Where position t's pairs start in `pair_idx`: (previous candidate, candidate), the
    /// phrase's start for position 0.
    pair_at: Vec<usize>,
    /// Where each pair is in the bigram table, when seen: the beam's trigram contexts.
    pair_idx: Vec<Option<u32>>,
    /// The seen pairs into positions 1.., as (previous candidate, candidate, score);
    /// `seen_at[t - 1]..seen_at[t]` go into position t.
    seen: Vec<(u32, u32, f32)>,
    seen_at: Vec<usize>,
    /// The candidates kept, as indices into each position's list; `kept_at[t]..kept_at[t+1]`.
    kept: Vec<u32>,
    kept_at: Vec<usize>,
}

impl PruneScratch {
    /// The bigram pass's score of the best reading of the phrase through each candidate of
    /// position `t` (up to it only, when the pass had no backward half).
    fn through(&self, t: usize) -> impl Iterator<Item = f32> + Clone + '_ {
        let (fwd, bwd) = (&self.fwd, &self.bwd);
        let two_sided = bwd.len() == fwd.len();
        (self.at[t]..self.at[t + 1]).map(move |k| fwd[k] + if two_sided { bwd[k] } else { 0.0 })
    }
}

/// The candidates worth the trigram search (into `p.kept`): those on some reading of the
/// phrase that a bigram model scores within `margin` (log10) of its best reading.
///
/// Why: the beam scores every candidate after every state it keeps, and stripped text has up
/// to twenty readings of a syllable (`da`: đã, đa, dạ, đà, đá…), most of which no context
/// favours. An exact max-product pass over bigrams, forward and back, shows which readings
/// are hopeless: one 10^margin times less likely than the best under bigrams does not come
/// back under trigrams. The channel scores count as in the beam, and so does the phrase's end.
///
/// Only seen pairs are scored one by one. An unseen pair `v w` scores `v`'s backoff weight
/// plus `w`'s prior, and a seen one never less ([`Lm::load`] holds this), so the best way into
/// `w` over unseen pairs is bounded by the best (score + backoff) before it plus `w`'s prior;
/// the bound is exact whenever it wins. Most pairs are unseen (a stripped syllable's rare
/// readings after each reading of the word before).
fn prune(cands: &[&[Cand]], open_end: bool, model: &Model, p: &mut PruneScratch) {
    let lm = &model.lm;
    let margin = model.cfg.prune_margin;
    let PruneScratch {
        at,
        fwd,
        bwd,
        reach,
        pair_at,
        pair_idx,
        seen,
        seen_at,
        kept,
        kept_at,
    } = p;
    for v in [&mut *at, pair_at, seen_at, kept_at] {
        v.clear();
    }
    fwd.clear();
    reach.clear();
    pair_idx.clear();
    seen.clear();
    kept.clear();
    kept_at.push(0);
    // Forward: the best score of a reading up to each candidate.
    let start = lm.context(None, Some(BOS));
    at.push(0);
    pair_at.push(0);
    reach.push(f32::NEG_INFINITY);
    for c in cands.first().copied().unwrap_or_default() {
        let k = c.id.and_then(|w| lm.bigram_index(BOS, w));
        let s = start.score_with(c.id, |_| k.map(|k| lm.bigram_at(k))) + c.ch;
        pair_idx.push(k);
        fwd.push(s);
    }
    for t in 1..cands.len() {
        let (prev, cs) = (at[t - 1]..fwd.len(), cands[t]);
        at.push(fwd.len());
        pair_at.push(pair_idx.len());
        seen_at.push(seen.len());
        pair_idx.resize(pair_idx.len() + cands[t - 1].len() * cs.len(), None);
        // A reading this far behind the best one up to here is dropped as the beam drops a
        // state so far behind (`beam_threshold`): its pairs are not looked up.
        let r = if margin.is_finite() {
            fwd[prev.clone()]
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max)
                - model.cfg.beam_threshold
        } else {
            f32::NEG_INFINITY
        };
        reach.push(r);
        // The best score so far plus the context's backoff weight: an unseen pair's way in
        // before the next word's prior. A reading outside the model backs off to the prior
        // alone; one into a syllable outside it scores `unk` whatever came before.
        let (mut unseen, mut any) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for (pi, pc) in cands[t - 1].iter().enumerate() {
            let from = fwd[prev.start + pi];
            if from < r {
                continue;
            }
            any = any.max(from);
            let Some(v) = pc.id else {
                unseen = unseen.max(from);
                continue;
            };
            unseen = unseen.max(from + lm.backoff(v));
            let row = pair_at[t] + pi * cs.len();
            for (ci, c) in cs.iter().enumerate() {
                let Some(k) = c.id.and_then(|w| lm.bigram_index(v, w)) else {
                    continue;
                };
                pair_idx[row + ci] = Some(k);
                let s = lm.bigram_at(k) + c.ch;
                seen.push((pi as u32, ci as u32, s));
            }
        }
        fwd.extend(cs.iter().map(|c| match c.id {
            Some(w) => unseen + lm.prior(w) + c.ch,
            None => any + lm.unk + c.ch,
        }));
        for &(pi, ci, s) in &seen[seen_at[t - 1]..] {
            let way = fwd[prev.start + pi as usize] + s;
            let f = &mut fwd[at[t] + ci as usize];
            *f = f.max(way);
        }
    }
    at.push(fwd.len());
    seen_at.push(seen.len());
    let keep_all = |kept: &mut Vec<u32>, kept_at: &mut Vec<usize>| {
        for cs in cands {
            kept.extend(0..cs.len() as u32);
            kept_at.push(kept.len());
        }
    };
    if cands.len() < 2 {
        // No backward pass: [`PruneScratch::through`] then gives the forward scores alone.
        bwd.clear();
        keep_all(kept, kept_at);
        return;
    }
    // Backward: the best score from each candidate to the phrase's end, the same way.
    bwd.clear();
    bwd.resize(fwd.len(), f32::NEG_INFINITY);
    let last = cands.len() - 1;
    for (ci, c) in cands[last].iter().enumerate() {
        bwd[at[last] + ci] = if open_end {
            0.0
        } else {
            lm.context(None, c.id).score(Some(EOS)) * model.cfg.phrase_end_weight
        };
    }
    for t in (0..last).rev() {
        let next = at[t + 1];
        let (mut unseen, mut unknown) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for (ci, c) in cands[t + 1].iter().enumerate() {
            let b = bwd[next + ci] + c.ch;
            match c.id {
                Some(w) => unseen = unseen.max(lm.prior(w) + b),
                None => unknown = unknown.max(lm.unk + b),
            }
        }
        for (pi, pc) in cands[t].iter().enumerate() {
            // A reading the forward pass dropped has no way on.
            if fwd[at[t] + pi] >= reach[t + 1] {
                bwd[at[t] + pi] = unknown.max(unseen + pc.id.map_or(0.0, |v| lm.backoff(v)));
            }
        }
        for &(pi, ci, s) in &seen[seen_at[t]..seen_at[t + 1]] {
            let way = s + bwd[next + ci as usize];
            let b = &mut bwd[at[t] + pi as usize];
            *b = b.max(way);
        }
    }
    // Without pruning the backward pass still serves document agreement
    // ([`PruneScratch::through`]).
    if !margin.is_finite() {
        keep_all(kept, kept_at);
        return;
    }
    let best = (at[last]..at[last + 1])
        .map(|k| fwd[k] + bwd[k])
        .fold(f32::NEG_INFINITY, f32::max);
    let floor = best - margin;
    for t in 0..cands.len() {
        let before = kept.len();
        kept.extend(
            (at[t]..at[t + 1])
                .filter(|&k| fwd[k] + bwd[k] >= floor)
                .map(|k| (k - at[t]) as u32),
        );
        // Rounding could in principle leave a position empty; then it keeps all.
        if kept.len() == before {
            kept.extend(0..cands[t].len() as u32);
        }
        kept_at.push(kept.len());
    }
}

/// Beam search over trigram states; returns the chosen candidate index per position.
///
/// A state is (previous candidate, current candidate); each step extends every kept state by
/// every candidate of the next position, keeps the best path into each new state, and keeps
/// the `beam` best states (ties broken by state order, so the result is deterministic).
fn beam(cands: &[&[Cand]], open_end: bool, model: &Model, scratch: &mut BeamScratch) -> Vec<usize> {
    let lm = &model.lm;
    let width = model.cfg.beam.max(1);
    let start = Hyp {
        cur: Some(BOS),
        pair: None,
        cur_idx: usize::MAX,
        score: 0.0,
        back: 0,
    };
    prune(cands, open_end, model, &mut scratch.prune);
    let BeamScratch {
        all,
        bounds,
        score,
        back: from,
        row_of,
        row_key,
        order,
        row_pairs,
        prune:
            PruneScratch {
                kept,
                kept_at,
                pair_at,
                pair_idx,
                ..
            },
    } = scratch;
    all.clear();
    all.push(start);
    bounds.clear();
    bounds.extend([0, 1]);
    let mut prev_len = 0;
    // A state's candidate is its index among its position's kept candidates.
    for (t, cs) in cands.iter().enumerate() {
        let keep = &kept[kept_at[t]..kept_at[t + 1]];
        let (lo, hi) = (bounds[bounds.len() - 2], bounds[bounds.len() - 1]);
        let n = keep.len();
        score.clear();
        from.clear();
        row_pairs.clear();
        row_key.clear();
        row_of.clear();
        row_of.resize(prev_len + 1, u32::MAX);
        let mut best = f32::NEG_INFINITY;
        for (back, &h) in all[lo..hi].iter().enumerate() {
            let key_row = if h.cur_idx == usize::MAX {
                0
            } else {
                h.cur_idx + 1
            };
            if row_of[key_row] == u32::MAX {
                row_of[key_row] = row_key.len() as u32;
                row_key.push(key_row);
                score.resize(score.len() + n, f32::NEG_INFINITY);
                from.resize(from.len() + n, 0);
                // The pairs the bigram pass looked up: row of the previous candidate (the
                // phrase's start has one row).
                row_pairs.push(if t == 0 {
                    pair_at[0]
                } else {
                    let pk = kept[kept_at[t - 1] + h.cur_idx] as usize;
                    pair_at[t] + pk * cs.len()
                });
            }
            let base = row_of[key_row] as usize * n;
            let pairs = &pair_idx[row_pairs[row_of[key_row] as usize]..];
            let ctx = lm.context_of_pair(h.cur, h.pair);
            for (ci, &k) in keep.iter().enumerate() {
                let c = &cs[k as usize];
                let pair = pairs[k as usize];
                let s = h.score + c.ch + ctx.score_with(c.id, |_| pair.map(|k| lm.bigram_at(k)));
                best = best.max(s);
                if s > score[base + ci] {
                    score[base + ci] = s;
                    from[base + ci] = back as u32;
                }
            }
        }
        // States far behind the best one hardly ever win later, and most steps have many.
        let floor = best - model.cfg.beam_threshold;
        order.clear();
        for (row, &key_row) in row_key.iter().enumerate() {
            for (ci, &s) in score[row * n..(row + 1) * n].iter().enumerate() {
                if s >= floor {
                    order.push(rank_key(s, (key_row * n + ci) as u32));
                }
            }
        }
        // Best first; equal scores in the order of (previous candidate, candidate).
        if order.len() > width {
            order.select_nth_unstable(width - 1);
            order.truncate(width);
        }
        order.sort_unstable();
        all.extend(order.iter().map(|&key| {
            let tie = (key & u64::from(u32::MAX)) as usize;
            let (key_row, ci) = (tie / n, tie % n);
            let row = row_of[key_row] as usize;
            let k = row * n + ci;
            Hyp {
                cur: cs[keep[ci] as usize].id,
                pair: pair_idx[row_pairs[row] + keep[ci] as usize],
                cur_idx: ci,
                score: score[k],
                back: from[k] as usize,
            }
        }));
        bounds.push(all.len());
        prev_len = n;
    }
    // Close the phrase and trace back.
    let last = &all[bounds[bounds.len() - 2]..];
    let Some((mut bi, _)) = last
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let close = if open_end {
                0.0
            } else {
                lm.context_of_pair(h.cur, h.pair).score(Some(EOS)) * model.cfg.phrase_end_weight
            };
            (i, h.score + close)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
    else {
        return vec![0; cands.len()];
    };
    let mut path = vec![0; cands.len()];
    for pos in (0..cands.len()).rev() {
        let h = all[bounds[pos + 1] + bi];
        path[pos] = kept[kept_at[pos] + h.cur_idx] as usize;
        bi = h.back;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short notice written for this test, marks stripped: `hoi` in its first line is read
    /// `hồi` by a hair, and the notice reads `hoi` as `hội` with confidence twice after.
    fn notice(lines: usize) -> String {
        let text = [
            "Phường Tân Định sắp có ngày hội đọc sách cho thiếu nhi.",
            "Các hội viên trang trí sân khấu.",
            "Nhiều hội viên cao tuổi cũng đến xem.",
        ];
        super::super::syllable::strip_marks(&text[..lines].join("\n"))
    }

    #[test]
    fn a_word_in_doubt_is_read_as_the_rest_of_the_document_reads_it() {
        let rules = Rules::builtin();
        let model = Model::load(rules).expect("embedded model loads");
        let mut alone = Model::load(rules).expect("embedded model loads");
        alone.cfg.agree_doubt = 0.0;
        let first_line = |model: &Model, lines: usize, params: &Params| {
            let (text, decisions, _) = restore_with(&notice(lines), model, params, None);
            let line = text.lines().next().unwrap_or_default().to_string();
            (line, text, decisions)
        };
        let read = "Phường Tân Định sắp có ngày hội đọc sách cho thiếu nhi.";
        let misread = "Phường Tân Định sắp có ngày hồi đọc sách cho thiếu nhi.";
        let text_only = Params {
            text_only: true,
            ..Params::default()
        };
        // Without the rest of the notice, or with agreement off, the line's own context
        // decides; with it, the notice does.
        assert_eq!(first_line(&model, 1, &text_only).0, misread);
        assert_eq!(first_line(&alone, 3, &text_only).0, misread);
        assert_eq!(first_line(&model, 3, &text_only).0, read);
        // One confident reading is not enough (`agree_min`).
        assert_eq!(first_line(&model, 2, &text_only).0, misread);
        // Words are matched as written: sure of `Hoi` (a heading, a name), the notice has said
        // nothing of `hoi`.
        let title_case = notice(3)
            .replace("Cac hoi", "Hoi")
            .replace("Nhieu hoi", "Hoi");
        let (text, _, _) = restore_with(&title_case, &model, &text_only, None);
        assert!(text.starts_with(misread), "{text}");
        assert!(text.contains("\nHội viên trang trí"), "{text}");
        // The decision says what was chosen over what, where the word now is.
        let (_, text, decisions) = first_line(&model, 3, &Params::default());
        let d = decisions
            .iter()
            .find(|d| d.original == "hoi")
            .expect("a decision for the word");
        assert_eq!(&text[d.range.clone()], "hội");
        assert_eq!(d.restored, "hội");
        assert_eq!(d.alternatives.first().map(String::as_str), Some("hồi"));
        for d in &decisions {
            assert_eq!(text[d.range.clone()], d.restored);
        }
    }

    #[test]
    fn a_lower_case_word_the_model_lacks_is_read_only_as_vietnamese() {
        // The vocabulary holds English from its corpus; an unknown word (`pop`, `etc`) in
        // correct text or `vie` OCR may become a syllable, never other English (`prop`, `esc`).
        let model = Rules::builtin()
            .restore_model()
            .expect("embedded model loads");
        for word in ["pop", "etc", "thw", "phorig"] {
            assert!(model.known(word).is_none(), "{word} is unknown");
            for ch in [Channel::None, Channel::OcrVie] {
                let cands = candidates(word, Kind::Word, ch, &model);
                assert!(!cands.is_empty(), "{word}");
                for c in cands {
                    assert!(
                        c.text == word || is_vietnamese(&c.text),
                        "{word} -> {} ({ch:?})",
                        c.text
                    );
                }
            }
        }
    }

    #[test]
    fn the_bigram_pass_drops_hopeless_readings_but_never_the_one_the_full_search_finds() {
        let rules = Rules::builtin();
        let pruned = Model::load(rules).expect("embedded model loads");
        assert!(pruned.cfg.prune_margin.is_finite(), "rules/ set a margin");
        let mut full = Model::load(rules).expect("embedded model loads");
        full.cfg.prune_margin = f32::INFINITY;
        // Marks stripped, and a line as English-model OCR garbles it: the issue's confusions
        // `ư` → `ir` and `ô` → `6`, every other mark lost.
        let lines = [
            "Hằng năm, nhà trường tổ chức cho học sinh đi tham quan các di tích lịch sử",
            "ở địa phương và viết bài cảm nhận về những điều đã học được.",
            "Ban giám hiệu phân công giáo viên chủ nhiệm theo dõi, động viên các em",
            "có hoàn cảnh khó khăn để các em yên tâm học tập.",
        ];
        let read = |s: &str, ocr: bool| -> String {
            use unicode_normalization::UnicodeNormalization;
            s.chars()
                .map(|c| {
                    let d: Vec<char> = std::iter::once(c).nfd().collect();
                    let (base, marks) = (d[0], &d[1..]);
                    let lower = base.to_ascii_lowercase();
                    match c {
                        'đ' => "d".to_string(),
                        'Đ' => "D".to_string(),
                        _ if ocr && lower == 'u' && marks.contains(&'\u{31b}') => "ir".into(),
                        _ if ocr && lower == 'o' && marks.contains(&'\u{302}') => "6".into(),
                        _ => base.to_string(),
                    }
                })
                .collect()
        };
        let mut text: Vec<String> = lines.iter().map(|l| read(l, false)).collect();
        text.push(read(lines[0], true));
        let text = text.join("\n");
        let params = Params::default();
        let with = restore_with(&text, &pruned, &params, None);
        let without = restore_with(&text, &full, &params, None);
        assert_eq!(with.0, without.0);
        assert_eq!(with.1.len(), without.1.len());
        // It does drop readings: a third or more of a stripped phrase's are hopeless.
        let words = "cac em da hoc tap tot va duoc nha truong khen thuong";
        let lists: Vec<Vec<Cand>> = words
            .split(' ')
            .map(|w| candidates(w, Kind::Word, Channel::Stripped, &pruned))
            .collect();
        let cands: Vec<&[Cand]> = lists.iter().map(Vec::as_slice).collect();
        let mut p = PruneScratch::default();
        prune(&cands, false, &pruned, &mut p);
        let all: usize = cands.iter().map(|c| c.len()).sum();
        assert!(3 * p.kept.len() < 2 * all, "kept {} of {all}", p.kept.len());
        // With (next to) no margin, the bigram model's one best reading is left: forward and
        // backward scores agree on it at every position (up to rounding).
        let mut exact = Model::load(rules).expect("embedded model loads");
        exact.cfg.prune_margin = 1e-3;
        let mut q = PruneScratch::default();
        prune(&cands, false, &exact, &mut q);
        assert_eq!(q.kept_at.windows(2).map(|w| w[1] - w[0]).max(), Some(1));
        let best = beam(&cands, false, &full, &mut BeamScratch::default());
        for (t, &b) in best.iter().enumerate() {
            let kept = &p.kept[p.kept_at[t]..p.kept_at[t + 1]];
            assert!(kept.contains(&(b as u32)), "{}: {}", t, cands[t][b].text);
        }
    }

    #[test]
    fn the_bigram_pass_bounds_unseen_pairs_exactly() {
        // The pass scores only seen pairs one by one; its forward and backward scores must be
        // what scoring every pair gives. Readings are not dropped on the way here (no
        // `beam_threshold`), so every pair counts.
        let mut model = Model::load(Rules::builtin()).expect("embedded model loads");
        model.cfg.beam_threshold = f32::INFINITY;
        let lm = &model.lm;
        let phrases = [
            (
                "chiec xe dap cu nam trong goc san nha ba",
                Channel::Stripped,
            ),
            ("mua thu nam ay troi mua rat nhieu", Channel::Stripped),
            ("bep lua hong suot dem dong", Channel::Stripped),
            // A word outside the model, read only as written, at the start and inside.
            ("qzx nam trong goc san qzx nha ba", Channel::Stripped),
            ("bira com t6i nay c6 canh chua", Channel::OcrEng),
            ("chiec xe qzx dirng truoc c6ng nha", Channel::OcrEng),
        ];
        for (phrase, ch) in phrases {
            let lists: Vec<Vec<Cand>> = phrase
                .split(' ')
                .map(|w| candidates(w, Kind::Word, ch, &model))
                .collect();
            let cands: Vec<&[Cand]> = lists.iter().map(Vec::as_slice).collect();
            for open_end in [false, true] {
                let mut p = PruneScratch::default();
                prune(&cands, open_end, &model, &mut p);
                // Every pair scored as the beam scores it.
                let pair = |v: Option<u16>, c: &Cand| lm.context(None, v).score(c.id) + c.ch;
                let mut fwd: Vec<Vec<f32>> =
                    vec![cands[0].iter().map(|c| pair(Some(BOS), c)).collect()];
                for t in 1..cands.len() {
                    let row = cands[t]
                        .iter()
                        .map(|c| {
                            (cands[t - 1].iter().zip(&fwd[t - 1]))
                                .map(|(pc, f)| f + pair(pc.id, c))
                                .fold(f32::NEG_INFINITY, f32::max)
                        })
                        .collect();
                    fwd.push(row);
                }
                let last = cands.len() - 1;
                let mut bwd = vec![Vec::new(); cands.len()];
                bwd[last] = cands[last]
                    .iter()
                    .map(|c| match open_end {
                        true => 0.0,
                        false => {
                            lm.context(None, c.id).score(Some(EOS)) * model.cfg.phrase_end_weight
                        }
                    })
                    .collect();
                for t in (0..last).rev() {
                    bwd[t] = cands[t]
                        .iter()
                        .map(|pc| {
                            (cands[t + 1].iter().zip(&bwd[t + 1]))
                                .map(|(c, b)| pair(pc.id, c) + b)
                                .fold(f32::NEG_INFINITY, f32::max)
                        })
                        .collect();
                }
                let near = |a: &[f32], b: &[f32]| {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-3)
                };
                for t in 0..cands.len() {
                    let at = p.at[t]..p.at[t + 1];
                    assert!(
                        near(&p.fwd[at.clone()], &fwd[t]),
                        "{phrase}: forward at {t}"
                    );
                    assert!(near(&p.bwd[at], &bwd[t]), "{phrase}: backward at {t}");
                }
            }
        }
    }

    fn restore_on(threads: usize, text: &str) -> (String, Vec<Decision>, Channel) {
        let rules = Rules::builtin();
        let model = rules.restore_model().expect("embedded model loads");
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
            .install(|| restore_with(text, &model, &Params::default(), None))
    }

    #[test]
    fn blocks_on_threads_give_the_same_text_and_decision_ranges() {
        let phrases = [
            "Tang cuong cong tac tuyen truyen trong can bo va nhan dan",
            "Nang cao chat luong giao duc dao tao tai cac truong hoc",
            "",
            "Uy ban nhan dan xa chi dao cac don vi thuc hien ke hoach",
        ];
        let text: Vec<String> = (0..3 * MIN_PARALLEL_LINES)
            .map(|i| format!("{} {i}.", phrases[i % phrases.len()]))
            .collect();
        let text = text.join("\n");
        let one = restore_on(1, &text);
        let two = restore_on(2, &text);
        assert_eq!(one, two);
        // Sentences that run on over line breaks carry context from line to line: blocks are
        // cut only where one ends, so threads still change nothing.
        let wrapped: Vec<String> = (0..3 * MIN_PARALLEL_LINES)
            .map(|i| {
                let p = phrases[i % phrases.len()];
                if i % 7 == 6 {
                    format!("{p}.")
                } else {
                    p.to_string()
                }
            })
            .collect();
        let wrapped = wrapped.join("\n");
        assert_eq!(restore_on(1, &wrapped), restore_on(2, &wrapped));
        // With no stop at any line's end, the blocks are cut at the context barriers.
        let run_on: Vec<&str> = (0..2 * CONTEXT_BARRIER + 9)
            .map(|i| phrases[i % phrases.len()])
            .filter(|p| !p.is_empty())
            .collect();
        let run_on = run_on.join("\n");
        assert_eq!(restore_on(1, &run_on), restore_on(2, &run_on));
        let (out, decisions, channel) = one;
        assert_eq!(channel, Channel::Stripped);
        assert_eq!(out.split('\n').count(), text.split('\n').count());
        assert!(decisions.len() > 100, "{} decisions", decisions.len());
        for d in &decisions {
            assert_eq!(out[d.range.clone()], d.restored, "{d:?}");
        }
    }
}
