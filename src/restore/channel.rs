//! The OCR channel models: P(observed characters | intended syllable), learned from counts.
//!
//! `rules/channel/{eng,vie}.tsv` hold how often each intended segment of up to two characters
//! came out of Tesseract as each observed segment, counted by `scripts/ocr_channel.py` on
//! rendered pages of correct Vietnamese. The probability of an observed token given a candidate
//! syllable is the best segmentation of the pair into such edits (a weighted edit distance over
//! log-probabilities), so `v6i` for `với` costs one learned `ớ→6` edit while an unseen edit
//! pays a fallback that is milder when the base letter is kept (a mark confusion).

use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// Tunable weights of the decoder, from `rules/channel/decoder.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct DecoderConfig {
    /// log10 probability of an unseen substitution that keeps the base letter (`ầ`→`â`).
    pub unseen_mark_sub: f32,
    /// log10 probability of any other unseen substitution, insertion or deletion.
    pub unseen_edit: f32,
    /// Weight of the channel score against the language model.
    pub channel_weight: f32,
    /// log10 bonus of keeping a token that is already a known syllable, on text that is
    /// mostly correct (no channel, or the `vie` OCR channel): change it only when the
    /// language model strongly prefers something else.
    pub keep_known_bonus: f32,
    /// On mostly correct text, a change must reach this confidence to be applied.
    pub min_change_confidence: f32,
    /// Decisions kept unchanged but listed as uncertain below this confidence.
    pub uncertain_below: f32,
    /// Hypotheses kept per position by the beam search.
    pub beam: usize,
    /// The beam also drops hypotheses this much (log10) less likely than the best one.
    #[serde(default = "infinity")]
    pub beam_threshold: f32,
    /// Candidate syllables kept per token after channel scoring.
    pub max_candidates: usize,
    /// Skeleton edit distance searched for OCR'd tokens of at least 3 characters.
    pub max_skeleton_distance: usize,
    /// Near skeletons scored at most for an OCR'd token, the nearest and then the commonest
    /// first: a short token has hundreds within two edits, and scoring costs.
    #[serde(default = "forty")]
    pub near_candidates: usize,
    /// A further distance searched for an OCR'd token that no syllable within
    /// `max_skeleton_distance` explains well: the English engine writes one Vietnamese
    /// letter as two (`ứ` as `ir`) and misreads the next (`c` as `e`), so `chire` is three
    /// plain edits from `chuc` but two likely confusions from `chức`. 0 searches no further.
    #[serde(default)]
    pub far_skeleton_distance: usize,
    /// The best channel score (log10) under which the far search is made: a token read
    /// well enough by some near syllable is not worth the wider, costlier search.
    #[serde(default = "never")]
    pub far_below: f32,
    /// Far skeletons scored at most, the commonest first.
    #[serde(default)]
    pub far_candidates: usize,
    /// The channel score (log10) a far reading must reach to be kept: a foreign word is
    /// many unseen edits from every syllable, a misread Vietnamese one a few learned ones.
    #[serde(default = "never")]
    pub far_min: f32,
    /// The channel score (log10) at which an all-capital token is taken for an abbreviation
    /// of `rules/` whose Vietnamese letters the engine misread (`HBND` for `HĐND`).
    #[serde(default = "infinity")]
    pub misread_abbreviation_min: f32,
    /// How much the end of a phrase (before punctuation or the line's end) weighs: its log10
    /// probability is multiplied by this. The corpus's word lists end a "phrase" after every
    /// entry, so the model overrates phrase ends after the last syllables of rare words
    /// (`hồn.` for `hơn.`, `độ,` for `đó,`); running text ends phrases far less often.
    #[serde(default = "one")]
    pub phrase_end_weight: f32,
    /// Before the trigram beam, a reading is dropped when the best reading of the phrase
    /// through it is this much (log10) less likely under the bigram model than the phrase's
    /// best reading (`decode::prune`). Infinity drops none.
    #[serde(default = "infinity")]
    pub prune_margin: f32,
    /// Document agreement (`restore/agree.rs`): a word is read with doubt
    /// when another reading of it comes this close (log10, bigram pass) to the best one, and
    /// with confidence otherwise. 0 turns the agreement off.
    #[serde(default)]
    pub agree_doubt: f32,
    /// The readings of a doubtful word that the document may choose instead: those this close
    /// (log10) to its best.
    #[serde(default)]
    pub agree_within: f32,
    /// How many confident readings of the same written word the document must hold.
    #[serde(default)]
    pub agree_min: u32,
}

fn forty() -> usize {
    40
}

/// Minus infinity, for files from before the far search: no score is below it, so the search
/// is never made (`far_below`) and would refuse no reading (`far_min`).
fn never() -> f32 {
    f32::NEG_INFINITY
}

/// Phrase ends weigh as the model says (files from before `phrase_end_weight`).
fn one() -> f32 {
    1.0
}

/// Plus infinity, for files from before the beam threshold (a beam bounded only by its width)
/// and before misread abbreviations were repaired (no score reaches it).
fn infinity() -> f32 {
    f32::INFINITY
}

impl Default for DecoderConfig {
    fn default() -> Self {
        DecoderConfig {
            unseen_mark_sub: -2.5,
            unseen_edit: -4.0,
            channel_weight: 1.0,
            keep_known_bonus: 1.0,
            min_change_confidence: 0.9,
            uncertain_below: 0.6,
            beam: 24,
            beam_threshold: infinity(),
            max_candidates: 10,
            max_skeleton_distance: 2,
            near_candidates: forty(),
            far_skeleton_distance: 0,
            far_below: never(),
            far_candidates: 0,
            far_min: never(),
            misread_abbreviation_min: infinity(),
            phrase_end_weight: one(),
            prune_margin: infinity(),
            agree_doubt: 0.0,
            agree_within: 0.0,
            agree_min: 0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error("line {line}: {reason}")]
    Invalid { line: usize, reason: String },
}

/// Segment of up to two characters packed in a u64 (0 = nothing).
fn pack(s: &[char]) -> u64 {
    s.iter().fold(0u64, |k, &c| (k << 21) | c as u64)
}

/// A segment no learned edit has.
const NO_SEG: u16 = u16::MAX;

/// The edit table's key of an intended and an observed segment's ids.
fn edit_key(intended: u16, observed: u16) -> u32 {
    (u32::from(intended) << 16) | u32::from(observed)
}

/// The id of a packed segment, numbered in order of first appearance.
fn intern(ids: &mut FxHashMap<u64, u16>, seg: u64) -> Option<u16> {
    let next = ids.len();
    if let Some(&id) = ids.get(&seg) {
        return Some(id);
    }
    let id = u16::try_from(next).ok().filter(|&id| id != NO_SEG)?;
    ids.insert(seg, id);
    Some(id)
}

/// Every segment of up to two characters of `s`, packed: `[b * 3 + l]` is the one of `l`
/// characters at `b`.
fn packed_segments(s: &[char]) -> Vec<u64> {
    let mut seg = vec![0u64; (s.len() + 1) * 3];
    for b in 0..=s.len() {
        for l in 0..=2 {
            if b + l <= s.len() {
                seg[b * 3 + l] = pack(&s[b..b + l]);
            }
        }
    }
    seg
}

/// The base letter of a character as [`super::lm::skeleton`] gives it (marks off, `đ` → `d`,
/// lower case); ASCII, most of what OCR writes, without the normalisation.
fn base_letter(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    // Latin letters with marks (Vietnamese's are below U+2000) from a table made once.
    const TABLE: usize = 0x2000;
    static BASES: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    let skeleton_of = |c: char| {
        super::lm::skeleton(c.encode_utf8(&mut [0; 4]))
            .chars()
            .next()
    };
    match BASES
        .get_or_init(|| {
            (0..TABLE as u32)
                .map(|u| char::from_u32(u).and_then(skeleton_of))
                .collect()
        })
        .get(c as usize)
    {
        Some(&b) => b,
        None => skeleton_of(c),
    }
}

/// A learned OCR channel.
#[derive(Debug, Default, Clone)]
pub struct OcrChannel {
    /// log10 P(observed segment | intended segment) for edits seen in the data, by the two
    /// segments' ids ([`edit_key`]): scoring a token against a syllable asks this for every
    /// pair of segments that could align, and a small key hashes and compares in one step.
    edits: FxHashMap<u32, f32>,
    /// Ids of the packed segments the edits have, intended and observed.
    intended_ids: FxHashMap<u64, u16>,
    observed_ids: FxHashMap<u64, u16>,
    /// log10 P(c | c) for characters seen in the data.
    keep: FxHashMap<char, f32>,
    /// By intended segment id: bit `l` set when the segment has a learned edit to `l`
    /// characters.
    to_lens: Vec<u8>,
    /// Number of edit rows read (0: no data, every edit pays the fallback).
    pub rows: usize,
    /// The model's syllables prepared for scoring, by id ([`OcrChannel::prepared`]).
    prepared: std::sync::OnceLock<Vec<Intended>>,
}

/// An intended syllable with what scoring needs of it worked out once: an OCR'd token is
/// scored against a hundred syllables or more, and the syllables are the same every time.
#[derive(Debug, Clone)]
pub struct Intended {
    t: Vec<char>,
    /// Base letters of `t`.
    tb: Vec<Option<char>>,
    /// log10 P(c | c) of each character.
    keep: Vec<f32>,
    /// Per segment start and length (0–2): the segment's id ([`NO_SEG`] when it has no
    /// learned edit) and which observed lengths it has learned edits to.
    tseg: Vec<(u16, u8)>,
}

fn parse_seg(s: &str) -> Vec<char> {
    if s == "_" {
        vec![]
    } else {
        s.chars().collect()
    }
}

impl OcrChannel {
    pub fn parse(text: &str) -> Result<OcrChannel, ChannelError> {
        let mut totals: HashMap<Vec<char>, f64> = HashMap::new();
        // (intended, observed, count, line)
        let mut edits: Vec<(Vec<char>, Vec<char>, f64, usize)> = vec![];
        for (n, line) in text.lines().enumerate() {
            let bad = |reason: &str| ChannelError::Invalid {
                line: n + 1,
                reason: reason.into(),
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if line.starts_with("#char\t") {
                let (Some(seq), Some(c)) = (cols.get(1), cols.get(2)) else {
                    return Err(bad("#char needs a sequence and a count"));
                };
                let c: f64 = c.parse().map_err(|_| bad("count is not a number"))?;
                totals.insert(seq.chars().collect(), c);
                continue;
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let [i, o, c] = cols[..] else {
                return Err(bad("needs intended<TAB>observed<TAB>count"));
            };
            let c: f64 = c.parse().map_err(|_| bad("count is not a number"))?;
            let (i, o) = (parse_seg(i), parse_seg(o));
            if i.len() > 2 || o.len() > 2 || (i.is_empty() && o.is_empty()) {
                return Err(bad("segments have one or two characters"));
            }
            edits.push((i, o, c, n + 1));
        }
        let all_chars: f64 = totals
            .iter()
            .filter(|(k, _)| k.len() == 1)
            .map(|(_, v)| v)
            .sum::<f64>()
            .max(1.0);
        let mut errors_from: HashMap<char, f64> = HashMap::new();
        let mut ch = OcrChannel::default();
        for (i, o, c, line) in &edits {
            let denom = if i.is_empty() {
                all_chars
            } else {
                totals.get(i).copied().unwrap_or(0.0).max(*c) + 1.0
            };
            if i.len() == 1 {
                *errors_from.entry(i[0]).or_default() += c;
            }
            let too_many = || ChannelError::Invalid {
                line: *line,
                reason: "more than 65,535 distinct segments".into(),
            };
            let ti = intern(&mut ch.intended_ids, pack(i)).ok_or_else(too_many)?;
            let to = intern(&mut ch.observed_ids, pack(o)).ok_or_else(too_many)?;
            ch.edits
                .insert(edit_key(ti, to), (c / denom).log10() as f32);
            if ch.to_lens.len() <= ti as usize {
                ch.to_lens.resize(ti as usize + 1, 0);
            }
            ch.to_lens[ti as usize] |= 1 << o.len();
            ch.rows += 1;
        }
        for (k, v) in &totals {
            if k.len() == 1 {
                let err = errors_from.get(&k[0]).copied().unwrap_or(0.0);
                let p = ((v - err).max(0.0) + 1.0) / (v + 2.0);
                ch.keep.insert(k[0], p.max(0.05).log10() as f32);
            }
        }
        Ok(ch)
    }

    /// log10 P(observed | intended), both lower case.
    pub fn score(&self, intended: &str, observed: &str, cfg: &DecoderConfig) -> f32 {
        self.observed(observed).score(intended, cfg)
    }

    /// An intended syllable (lower case) prepared for scoring under this channel.
    pub fn intended(&self, intended: &str) -> Intended {
        let t: Vec<char> = intended.chars().collect();
        Intended {
            tb: t.iter().map(|&c| base_letter(c)).collect(),
            keep: t
                .iter()
                .map(|c| self.keep.get(c).copied().unwrap_or(-0.01))
                .collect(),
            tseg: packed_segments(&t)
                .into_iter()
                .map(|p| match self.intended_ids.get(&p) {
                    Some(&id) => (id, self.to_lens[id as usize]),
                    None => (NO_SEG, 0),
                })
                .collect(),
            t,
        }
    }

    /// Every syllable of `vocab` prepared ([`OcrChannel::intended`]), by id, made on first use.
    /// A channel belongs to one model, so `vocab` is that model's at every call.
    pub fn prepared<'v>(&self, vocab: impl IntoIterator<Item = &'v str>) -> &[Intended] {
        self.prepared
            .get_or_init(|| vocab.into_iter().map(|w| self.intended(w)).collect())
    }

    /// An observed token prepared for scoring against many intended syllables.
    pub fn observed(&self, observed: &str) -> Observed<'_> {
        let o: Vec<char> = observed.chars().collect();
        let ob = o.iter().map(|&c| base_letter(c)).collect();
        let seg = packed_segments(&o)
            .into_iter()
            .map(|p| self.observed_ids.get(&p).copied().unwrap_or(NO_SEG))
            .collect();
        Observed {
            ch: self,
            o,
            ob,
            seg,
            table: Default::default(),
        }
    }
}

/// An observed token with its characters, base letters and segments worked out once
/// ([`OcrChannel::observed`]).
#[derive(Debug)]
pub struct Observed<'a> {
    ch: &'a OcrChannel,
    o: Vec<char>,
    ob: Vec<Option<char>>,
    /// Ids of the segments ([`packed_segments`]' order), [`NO_SEG`] for one no edit has.
    seg: Vec<u16>,
    /// The alignment table, kept from one scoring to the next (a token is scored against up
    /// to 160 syllables).
    table: std::cell::RefCell<Vec<f32>>,
}

impl Observed<'_> {
    /// log10 P(this observation | intended), `intended` lower case: the best segmentation of
    /// the pair into learned edits, unseen one-character edits paying the fallbacks.
    pub fn score(&self, intended: &str, cfg: &DecoderConfig) -> f32 {
        self.score_intended(&self.ch.intended(intended), cfg)
    }

    /// [`Observed::score`] of a prepared syllable ([`OcrChannel::intended`]).
    pub fn score_intended(&self, it: &Intended, cfg: &DecoderConfig) -> f32 {
        self.score_intended_above(it, cfg, f32::NEG_INFINITY)
    }

    /// [`Observed::score_intended`] when it is at least `floor`; otherwise minus infinity,
    /// found sooner: every edit costs (log10 ≤ 0), so a partial alignment already below the
    /// floor can only fall further and is not extended. A caller keeping only the best few
    /// readings passes the score a reading would need to enter them.
    pub fn score_intended_above(&self, it: &Intended, cfg: &DecoderConfig, floor: f32) -> f32 {
        self.align(it, cfg, floor, false)
    }

    /// Whether some alignment with `intended` (lower case) reads every digit of this
    /// observation that is not kept as itself through an edit the channel learned (`ớ→6`,
    /// `l→1`, a speck `6` from nothing): the OCR repairs of a digit the channel names. No
    /// unseen edit may take a digit away (`10y` is no `lấy`: `â→0` was never seen).
    pub fn names_digit_repairs(&self, intended: &str, cfg: &DecoderConfig) -> bool {
        self.align(&self.ch.intended(intended), cfg, f32::NEG_INFINITY, true) > f32::NEG_INFINITY
    }

    /// The best alignment's log10 probability ([`Observed::score_intended_above`]); with
    /// `digits_named`, an unseen edit may not consume an observed digit.
    fn align(&self, it: &Intended, cfg: &DecoderConfig, floor: f32, digits_named: bool) -> f32 {
        let ch = self.ch;
        let (o, ob) = (&self.o, &self.ob);
        let (t, tb, keep, tseg) = (&it.t, &it.tb, &it.keep, &it.tseg);
        let (n, m) = (t.len(), o.len());
        let mut d = self.table.borrow_mut();
        d.clear();
        d.resize((n + 1) * (m + 1), f32::NEG_INFINITY);
        let at = |a: usize, b: usize| a * (m + 1) + b;
        d[0] = 0.0;
        for a in 0..=n {
            for b in 0..=m {
                let here = d[at(a, b)];
                if here == f32::NEG_INFINITY || here < floor {
                    continue;
                }
                for li in 0..=2usize {
                    if a + li > n {
                        break;
                    }
                    let (tid, lens) = tseg[a * 3 + li];
                    for lo in 0..=2usize {
                        if (li == 0 && lo == 0) || b + lo > m {
                            continue;
                        }
                        let learned = || {
                            let oid = self.seg[b * 3 + lo];
                            if lens & (1 << lo) != 0 && oid != NO_SEG {
                                ch.edits.get(&edit_key(tid, oid)).copied()
                            } else {
                                None
                            }
                        };
                        let cost = if li == 1 && lo == 1 && t[a] == o[b] {
                            keep[a]
                        } else if let Some(p) = learned() {
                            p
                        } else if li <= 1
                            && lo <= 1
                            && !(digits_named && lo == 1 && o[b].is_ascii_digit())
                        {
                            let same_base = li == 1 && lo == 1 && tb[a] == ob[b];
                            if same_base {
                                cfg.unseen_mark_sub
                            } else {
                                cfg.unseen_edit
                            }
                        } else {
                            continue;
                        };
                        let next = &mut d[at(a + li, b + lo)];
                        if here + cost > *next {
                            *next = here + cost;
                        }
                    }
                }
            }
        }
        let end = d[at(n, m)];
        if end < floor { f32::NEG_INFINITY } else { end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ớ` read as `6` and `ư` as `u`, with the counts of each character seen.
    fn small_channel() -> OcrChannel {
        OcrChannel::parse("#char\tớ\t100\n#char\to\t1000\n#char\tư\t100\nớ\t6\t30\nư\tu\t40\n")
            .unwrap()
    }

    #[test]
    fn a_table_with_more_segments_than_ids_is_refused() {
        // Two-letter intended segments from a range of letters, each misread as `x`.
        let letters: Vec<char> = ('\u{4e00}'..='\u{4eff}').collect();
        let mut text = String::new();
        for a in &letters {
            for b in &letters {
                text.push_str(&format!("{a}{b}\tx\t1\n"));
            }
        }
        let err = OcrChannel::parse(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("line 65536: ") && err.contains("distinct segments"),
            "{err}"
        );
        // Below the limit it loads.
        let head: String = text.lines().take(1000).map(|l| format!("{l}\n")).collect();
        assert_eq!(OcrChannel::parse(&head).unwrap().rows, 1000);
    }

    #[test]
    fn learned_confusions_are_cheaper_than_unseen_ones() {
        let ch = small_channel();
        let cfg = DecoderConfig::default();
        let good = ch.score("với", "v6i", &cfg);
        let bad = ch.score("vui", "v6i", &cfg);
        assert!(good > bad, "{good} {bad}");
        assert!(ch.score("với", "với", &cfg) > good);
        assert!(ch.score("thư", "thu", &cfg) > ch.score("thư", "thi", &cfg));
    }

    #[test]
    fn a_digit_is_read_as_a_letter_only_through_a_learned_edit() {
        let ch = small_channel();
        let cfg = DecoderConfig::default();
        assert!(ch.observed("v6i").names_digit_repairs("với", &cfg));
        // An unseen edit costs, but may still be the best reading; it may not take a digit.
        assert!(ch.score("vui", "v6i", &cfg) > f32::NEG_INFINITY);
        assert!(!ch.observed("v6i").names_digit_repairs("vui", &cfg));
        assert!(!ch.observed("v0i").names_digit_repairs("với", &cfg));
        assert!(!ch.observed("10y").names_digit_repairs("lấy", &cfg));
        // Letters may still take unseen edits beside a digit kept as itself.
        assert!(ch.observed("v6a").names_digit_repairs("với", &cfg));
    }

    #[test]
    fn a_floor_only_cuts_scores_below_it() {
        let ch = small_channel();
        let cfg = DecoderConfig::default();
        let obs = ch.observed("v6i");
        for word in ["với", "vui", "vôi", "việc", "a"] {
            let it = ch.intended(word);
            let exact = obs.score_intended(&it, &cfg);
            assert!(exact.is_finite(), "{word}");
            for floor in [exact - 1.0, exact - 1e-3, exact] {
                assert_eq!(
                    obs.score_intended_above(&it, &cfg, floor),
                    exact,
                    "{word} {floor}"
                );
            }
            let cut = obs.score_intended_above(&it, &cfg, exact + 1e-3);
            assert_eq!(cut, f32::NEG_INFINITY, "{word}");
        }
    }

    #[test]
    fn a_decoder_file_from_before_the_beam_threshold_and_far_search_still_loads() {
        let old = "unseen_mark_sub = -2.5\nunseen_edit = -4.0\nchannel_weight = 1.0\n\
            keep_known_bonus = 2.0\nmin_change_confidence = 0.9\nuncertain_below = 0.6\n\
            beam = 24\nmax_candidates = 10\nmax_skeleton_distance = 2\n";
        let cfg: DecoderConfig = toml::from_str(old).expect("loads");
        assert_eq!(cfg.beam_threshold, f32::INFINITY);
        assert_eq!(cfg.far_skeleton_distance, 0, "no far search");
        assert_eq!(cfg.near_candidates, 40);
        assert_eq!(
            cfg.misread_abbreviation_min,
            f32::INFINITY,
            "no misread abbreviations"
        );
        assert_eq!(cfg.phrase_end_weight, 1.0);
        let cfg: DecoderConfig =
            toml::from_str(&format!("{old}beam_threshold = 5.0\n")).expect("loads");
        assert_eq!(cfg.beam_threshold, 5.0);
    }

    #[test]
    fn malformed_rows_are_errors() {
        assert!(OcrChannel::parse("a\tb\n").is_err());
        assert!(OcrChannel::parse("abc\tb\t3\n").is_err());
    }
}
