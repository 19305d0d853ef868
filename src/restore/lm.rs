//! The syllable language model: interpolated modified Kneser-Ney trigrams over lower-case
//! Vietnamese syllables, trained by `kehoach train` and shipped as one compact binary table
//! (`rules/lm/syllables.bin`).
//!
//! Why a syllable model: Vietnamese is written one syllable per token, and which of `dan`,
//! `dân`, `dần`, `đan`, `đàn` a stripped `dan` was is decided almost entirely by the syllables
//! around it. Kneser-Ney smoothing gives unseen pairs sensible mass from how many contexts a
//! syllable appears in, which matters because plans use words the training text lacks.
//!
//! The file stores probabilities already interpolated (as an ARPA file does), quantised to
//! 1/1000 of a log10 unit in `u16`, with bigrams and trigrams in compressed sparse rows keyed by
//! their context: about 6 bytes a bigram, 4 a trigram, and loading is a few copies.

use super::tokenize::{Kind, tokenize};
pub use crate::vietnamese::syllable::skeleton;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

pub const BOS: u16 = 0;
pub const EOS: u16 = 1;
const MAGIC: &[u8; 6] = b"KHLM\x01\n";
/// Largest vocabulary the `u16` ids allow (ids 0 and 1 are the sentence marks).
const MAX_VOCAB: usize = 65_000;
/// Longest syllable kept (Vietnamese's longest, `nghiêng`, has 7 letters).
const MAX_SYLLABLE_CHARS: usize = 8;
const Q: f32 = 1000.0;

#[derive(Debug, thiserror::Error)]
pub enum LmError {
    #[error("language model file is not a kehoach syllable model (bad header)")]
    BadMagic,
    #[error("language model file is truncated or corrupt at byte {0}")]
    Corrupt(usize),
}

/// A loaded model. Scores are log10 probabilities.
#[derive(Debug, Default)]
pub struct Lm {
    pub vocab: Vec<String>,
    /// Ids by their words, hashed by [`word_hash`].
    index: hashbrown::HashTable<u16>,
    // The tables of the file with the probabilities turned back into log10 once, at load,
    // and keys apart from values so the binary searches read only keys.
    /// (log10 P(w), log10 backoff weight of w as a context) by id.
    uni: Vec<(f32, f32)>,
    off2: Vec<u32>,
    bi_w: Vec<u16>,
    bi_p: Vec<f32>,
    /// Per seen pair (and one past the last): where its trigrams start in `tri`, and its
    /// backoff weight as a context. Side by side, a beam state's context is one cache line.
    bi_ctx: Vec<(u32, f32)>,
    /// (word, quantised log10 probability) of each trigram, rows by pair: a short row and
    /// the probability found in it share a cache line, and the table is a third smaller.
    tri: Vec<(u16, u16)>,
    /// Two bits per hash of every seen pair `v w` ([`pair_bits`]): a clear one answers
    /// "unseen" without searching `v`'s row. Most pairs the decoder asks about are unseen (a
    /// stripped syllable's rare readings after each reading of the word before), and the
    /// filter stays in the cache where a row search misses it. (A hash table of the pairs
    /// themselves, 2 MB, was slower than the row search; one bit in 128 KB let through ten
    /// times as many unseen pairs.)
    seen_pairs: Vec<u64>,
    /// log10 probability of a syllable outside the vocabulary.
    pub unk: f32,
}

/// Words of the seen-pair filter: 2^15 words of 64 bits (256 KB), two bits set per pair in
/// one word, for ~10^5 pairs.
const PAIR_WORDS: u32 = 15;

/// The filter word of the pair `v w` and its two bits there.
fn pair_bits(v: u16, w: u16) -> (usize, u64) {
    let h = ((u64::from(v) << 16) | u64::from(w)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = (h >> (64 - PAIR_WORDS)) as usize;
    (word, (1 << ((h >> 20) & 63)) | (1 << ((h >> 26) & 63)))
}

fn word_hash(w: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(w)
}

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A lower-case syllable with its tone mark in the old (government document) place: `hoà` →
/// `hòa`, `thuỷ` → `thủy`. Text in both styles then counts as one syllable, and the decoder
/// writes the style Vietnamese administrative documents use. (A full tone-placement module
/// with a selectable style lives with the syllable structure; this is only the model's key.)
pub fn old_style_tone(w: &str) -> String {
    let d: Vec<char> = w.nfd().collect();
    let Some(tone) = d.iter().copied().find(|c| TONES.contains(c)) else {
        return w.to_string();
    };
    let base: Vec<char> = d
        .iter()
        .copied()
        .filter(|c| !TONES.contains(c))
        .collect::<String>()
        .nfc()
        .collect();
    let n = base.len();
    let open_pair = n >= 2
        && matches!(
            (base[n - 2], base[n - 1]),
            ('o', 'a') | ('o', 'e') | ('u', 'y')
        )
        && !(n >= 3 && base[n - 3] == 'q');
    if !open_pair {
        return w.to_string();
    }
    let mut out = String::new();
    for (i, c) in base.iter().enumerate() {
        out.push(*c);
        if i == n - 2 {
            out.push(tone);
        }
    }
    out.nfc().collect()
}

/// Whether a lower-case word carries a Vietnamese mark or letter (not plain ASCII).
pub fn has_marks(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
}

fn dq(q: u16) -> f32 {
    -(q as f32) / Q
}

fn qz(logp: f64) -> u16 {
    ((-logp) * Q as f64).round().clamp(0.0, 65535.0) as u16
}

impl Lm {
    pub fn id(&self, w: &str) -> Option<u16> {
        let vocab = &self.vocab;
        self.index
            .find(word_hash(w), |&i| vocab[i as usize] == w)
            .copied()
    }

    /// log10 P(w | u v); `None` ids are unknown syllables.
    pub fn score(&self, u: Option<u16>, v: Option<u16>, w: Option<u16>) -> f32 {
        self.context(u, v).score(w)
    }

    /// The rows of context `u v` looked up once, for scoring many next syllables after it
    /// (the beam search scores every candidate of a position after every hypothesis).
    pub fn context(&self, u: Option<u16>, v: Option<u16>) -> Context<'_> {
        let pair = match (u, v) {
            (Some(u), Some(v)) => self.bigram_index(u, v),
            _ => None,
        };
        self.context_of_pair(v, pair)
    }

    /// [`Lm::context`] of `u v` given where the pair is in the bigram table
    /// ([`Lm::bigram_index`]; `None` when `u` is unknown or the pair unseen).
    pub fn context_of_pair(&self, v: Option<u16>, pair: Option<u32>) -> Context<'_> {
        let mut c = Context {
            lm: self,
            v_known: v.is_some(),
            row: 0..0,
            trow: 0..0,
            bow3: 0.0,
            bow2: 0.0,
        };
        let Some(v) = v else { return c };
        c.row = self.off2[v as usize] as usize..self.off2[v as usize + 1] as usize;
        c.bow2 = self.uni[v as usize].1;
        if let Some(bidx) = pair {
            let bidx = bidx as usize;
            let (start, bow) = self.bi_ctx[bidx];
            c.bow3 = bow;
            c.trow = start as usize..self.bi_ctx[bidx + 1].0 as usize;
        }
        c
    }

    /// Where the pair `v w` is in the bigram table, if seen.
    pub fn bigram_index(&self, v: u16, w: u16) -> Option<u32> {
        let (word, bits) = pair_bits(v, w);
        if self
            .seen_pairs
            .get(word)
            .is_none_or(|&word| word & bits != bits)
        {
            return None;
        }
        let lo = self.off2[v as usize] as usize;
        let hi = self.off2[v as usize + 1] as usize;
        self.bi_w[lo..hi]
            .binary_search(&w)
            .ok()
            .map(|k| (lo + k) as u32)
    }

    /// The bigram log10 probability at an index [`Lm::bigram_index`] gave.
    pub fn bigram_at(&self, pair: u32) -> f32 {
        self.bi_p[pair as usize]
    }

    /// Unigram log10 probability.
    pub fn prior(&self, w: u16) -> f32 {
        self.uni[w as usize].0
    }

    /// log10 backoff weight of `v` as the context of one word: the score of an unseen pair
    /// `v w` is this plus `w`'s [`Lm::prior`], and no seen pair scores less ([`Lm::load`]).
    pub fn backoff(&self, v: u16) -> f32 {
        self.uni[v as usize].1
    }

    pub fn load(bytes: &[u8]) -> Result<Lm, LmError> {
        let mut r = Reader { b: bytes, p: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(LmError::BadMagic);
        }
        let v = r.u32()? as usize;
        let n2 = r.u32()? as usize;
        let n3 = r.u32()? as usize;
        let unk = r.u16()?;
        // (Counts from the file bound no allocation before the bytes are there.)
        let mut vocab = Vec::with_capacity(v.min(bytes.len()));
        for _ in 0..v {
            let len = r.take(1)?[0] as usize;
            let s = std::str::from_utf8(r.take(len)?).map_err(|_| LmError::Corrupt(r.p))?;
            vocab.push(s.to_string());
        }
        // Fixed-size records are read a table at a time: a bounds check per value was a
        // third of the load, which every process that restores pays.
        let le16 = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        let le32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let uni: Vec<(f32, f32)> = r
            .table(v, 4)?
            .map(|b| (dq(le16(b, 0)), dq(le16(b, 2))))
            .collect();
        let off2: Vec<u32> = r.table(v + 1, 4)?.map(le32).collect();
        let bigrams = r.table(n2, 6)?;
        let (mut bi_w, mut bi_p, mut bi_bow) = (
            Vec::with_capacity(n2),
            Vec::with_capacity(n2),
            Vec::with_capacity(n2),
        );
        for b in bigrams {
            bi_w.push(le16(b, 0));
            bi_p.push(dq(le16(b, 2)));
            bi_bow.push(dq(le16(b, 4)));
        }
        let off3: Vec<u32> = r.table(n2 + 1, 4)?.map(le32).collect();
        let tri: Vec<(u16, u16)> = r.table(n3, 4)?.map(|b| (le16(b, 0), le16(b, 2))).collect();
        // Checked without an early exit, so that the loops run on vectors (a valid file, the
        // usual one, is read to the end anyway).
        let ordered = |o: &[u32]| o.windows(2).fold(true, |ok, w| ok & (w[0] <= w[1]));
        let below_v = |most: Option<u16>| most.is_none_or(|w| (w as usize) < v);
        let ok_offsets = off2.last().is_some_and(|&x| x as usize == n2)
            && off3.last().is_some_and(|&x| x as usize == n3)
            && ordered(&off2)
            && ordered(&off3)
            && below_v(bi_w.iter().copied().max())
            && below_v(tri.iter().map(|t| t.0).max());
        if !ok_offsets {
            return Err(LmError::Corrupt(r.p));
        }
        let bi_ctx: Vec<(u32, f32)> = off3
            .into_iter()
            .zip(bi_bow.into_iter().chain([0.0]))
            .collect();
        let mut index = hashbrown::HashTable::with_capacity(vocab.len());
        for (i, w) in vocab.iter().enumerate() {
            let hash = word_hash(w);
            // A word twice in a file is known by its last id.
            match index.find_mut(hash, |&j: &u16| vocab[j as usize] == *w) {
                Some(j) => *j = i as u16,
                None => {
                    index.insert_unique(hash, i as u16, |&j| word_hash(&vocab[j as usize]));
                }
            }
        }
        let mut seen_pairs = vec![0u64; 1 << PAIR_WORDS];
        for (v, row) in off2.windows(2).enumerate() {
            for k in row[0] as usize..row[1] as usize {
                let w = bi_w[k];
                let (word, bits) = pair_bits(v as u16, w);
                seen_pairs[word] |= bits;
                // A seen pair is never less likely than it would be unseen (backed off).
                // Interpolated smoothing gives this and `train`'s models keep it; holding it
                // for any file lets the decoder's bigram pass bound all unseen pairs into a
                // syllable at once instead of scoring each ([`Lm::backoff`]).
                bi_p[k] = bi_p[k].max(uni[v].1 + uni[w as usize].0);
            }
        }
        Ok(Lm {
            vocab,
            index,
            uni,
            seen_pairs,
            off2,
            bi_w,
            bi_p,
            bi_ctx,
            tri,
            unk: dq(unk),
        })
    }
}

/// A trigram context with its table rows found ([`Lm::context`]).
#[derive(Debug, Clone)]
pub struct Context<'a> {
    lm: &'a Lm,
    v_known: bool,
    /// Bigrams after `v` (indices into the bigram table).
    row: std::ops::Range<usize>,
    /// Trigrams after `u v` (empty when the pair is unseen).
    trow: std::ops::Range<usize>,
    /// Backoff weight of `u v` (0 when unseen).
    bow3: f32,
    /// Backoff weight of `v`.
    bow2: f32,
}

impl Context<'_> {
    /// log10 P(w | context); `None` is an unknown syllable.
    #[inline]
    pub fn score(&self, w: Option<u16>) -> f32 {
        let lm = self.lm;
        let bigram = |w: u16| {
            lm.bi_w[self.row.clone()]
                .binary_search(&w)
                .ok()
                .map(|k| lm.bi_p[self.row.start + k])
        };
        self.score_with(w, bigram)
    }

    /// [`Context::score`] with the bigram probability of `v w` supplied by the caller, as
    /// [`Lm::bigram`] gives it (the beam search looks each pair up once for all its states).
    #[inline]
    pub fn score_with(&self, w: Option<u16>, bigram: impl FnOnce(u16) -> Option<f32>) -> f32 {
        let lm = self.lm;
        let Some(w) = w else { return lm.unk };
        if !self.v_known {
            return lm.uni[w as usize].0;
        }
        if !self.trow.is_empty()
            && let Ok(j) = lm.tri[self.trow.clone()].binary_search_by_key(&w, |t| t.0)
        {
            return dq(lm.tri[self.trow.start + j].1);
        }
        match bigram(w) {
            Some(p) => self.bow3 + p,
            None => self.bow3 + self.bow2 + lm.uni[w as usize].0,
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], LmError> {
        let s = self
            .b
            .get(self.p..self.p + n)
            .ok_or(LmError::Corrupt(self.p))?;
        self.p += n;
        Ok(s)
    }
    /// `n` records of `size` bytes.
    fn table(&mut self, n: usize, size: usize) -> Result<std::slice::ChunksExact<'a, u8>, LmError> {
        let len = n.checked_mul(size).ok_or(LmError::Corrupt(self.p))?;
        self.take(len).map(|b| b.chunks_exact(size))
    }
    fn u16(&mut self) -> Result<u16, LmError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, LmError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

/// Options of [`train`].
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// A line is Vietnamese training text when at least this share of its words carry marks
    /// (help files and catalogues mix in English lines, which would teach nothing).
    pub min_marked_share: f64,
    /// Trigrams seen fewer times are dropped from the table (their mass stays in the backoff).
    pub min_trigram_count: u32,
    /// Syllables seen fewer times are left out of the vocabulary.
    pub min_word_count: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            min_marked_share: 0.3,
            min_trigram_count: 2,
            min_word_count: 1,
        }
    }
}

/// Counts gathered over a corpus; [`Counts::build`] turns them into a model file.
#[derive(Debug, Default)]
pub struct Counts {
    words: HashMap<String, u32>,
    lines_used: usize,
    lines_skipped: usize,
    /// Each word run with its weight: how many times it counts (see [`Counts::add_weighted`]).
    segments: Vec<(Vec<String>, u32)>,
}

/// The model's word for any number. Numbers say much about the syllable before them (`năm
/// 2021`, `số 15`, `ngày 5` but `Việt Nam,`): as one class they are a context like any word,
/// where splitting phrases at them would make `nam` and `năm` look alike before a number.
pub const NUMBER: &str = "<num>";

/// Whether a protected token is a number with more to it: a date (`15/11/2024`), a document
/// number (`489/QĐ-TTg`) or a period with a Roman numeral (`II/2021`, quarter II of 2021),
/// which the model reads as [`NUMBER`].
pub fn is_number_code(token: &str) -> bool {
    if token.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let roman = token
        .find(|c: char| !"IVX".contains(c))
        .unwrap_or(token.len());
    roman > 0
        && token[roman..]
            .strip_prefix('/')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// The word runs of a line that the model sees: lower-case letter-only words and numbers,
/// dates and document numbers (as [`NUMBER`]), split at anything that is not a space between them (punctuation ends a phrase).
pub fn segments(line: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    let mut cur: Vec<String> = vec![];
    for t in tokenize(line) {
        match t.kind {
            Kind::Space => {}
            Kind::Word => cur.push(line[t.range].to_lowercase()),
            Kind::Number => cur.push(NUMBER.to_string()),
            Kind::Protected if is_number_code(&line[t.range.clone()]) => {
                cur.push(NUMBER.to_string())
            }
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a corpus word may enter the vocabulary. Large corpora carry typos that would
/// otherwise become words the decoder may choose: syllables run together (`chỉđạo`), broken
/// (`trườ`) or stripped of their marks (`hoat`, `truong`). A marked word must be a syllable as
/// written; an unmarked one is either such a syllable or no Vietnamese skeleton at all (an
/// abbreviation or a foreign word: `tcvn`, `website`).
fn may_be_written(w: &str) -> bool {
    use crate::vietnamese::syllable::{is_syllable_skeleton, is_written_syllable};
    w == NUMBER || is_written_syllable(w) || (!has_marks(w) && !is_syllable_skeleton(w))
}

impl Counts {
    /// Add a text (NFC is applied here).
    pub fn add_text(&mut self, text: &str, opts: &TrainOptions) {
        self.add_weighted(text, opts, 1);
    }

    /// Add a text that counts `weight` times, exactly as if it were added that many times (the
    /// model is byte-identical), without holding it more than once. This is how a domain is
    /// weighed against another: a few plans against millions of words of legislation.
    pub fn add_weighted(&mut self, text: &str, opts: &TrainOptions, weight: u32) {
        let text: String = text.nfc().collect();
        for line in text.lines() {
            let segs = segments(line);
            let n = segs.iter().flatten().filter(|w| *w != NUMBER).count();
            if n == 0 {
                continue;
            }
            let marked = segs.iter().flatten().filter(|w| has_marks(w)).count();
            // A one-word line (a word list) counts when the word itself is Vietnamese.
            if (marked as f64) < opts.min_marked_share * n as f64 {
                self.lines_skipped += weight as usize;
                continue;
            }
            self.lines_used += weight as usize;
            for s in segs {
                let s: Vec<String> = s
                    .into_iter()
                    .filter(|w| w.chars().count() <= MAX_SYLLABLE_CHARS)
                    .collect();
                let s: Vec<String> = s.iter().map(|w| old_style_tone(w)).collect();
                for w in &s {
                    *self.words.entry(w.clone()).or_default() += weight;
                }
                self.segments.push((s, weight));
            }
        }
    }

    pub fn lines(&self) -> (usize, usize) {
        (self.lines_used, self.lines_skipped)
    }

    /// Estimate the model and serialise it.
    pub fn build(&self, opts: &TrainOptions) -> Vec<u8> {
        // Vocabulary: most frequent first, capped.
        let mut words: Vec<(&String, &u32)> = self
            .words
            .iter()
            .filter(|(w, n)| **n >= opts.min_word_count && may_be_written(w))
            .collect();
        words.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        words.truncate(MAX_VOCAB - 2);
        let mut vocab = vec!["<s>".to_string(), "</s>".to_string()];
        vocab.extend(words.iter().map(|(w, _)| (*w).clone()));
        let index: HashMap<&str, u16> = vocab
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), i as u16))
            .collect();
        const UNK: u16 = u16::MAX;
        let mut c3: HashMap<(u16, u16, u16), u32> = HashMap::new();
        let mut c2: HashMap<(u16, u16), u32> = HashMap::new();
        for (seg, weight) in &self.segments {
            let mut ids = vec![BOS];
            ids.extend(
                seg.iter()
                    .map(|w| index.get(w.as_str()).copied().unwrap_or(UNK)),
            );
            ids.push(EOS);
            for k in 1..ids.len() {
                if ids[k] != UNK && ids[k - 1] != UNK {
                    *c2.entry((ids[k - 1], ids[k])).or_default() += weight;
                }
                if k >= 2 && ids[k] != UNK && ids[k - 1] != UNK && ids[k - 2] != UNK {
                    *c3.entry((ids[k - 2], ids[k - 1], ids[k])).or_default() += weight;
                }
            }
        }
        let v = vocab.len();
        // Kneser-Ney adjusted counts: how many distinct left contexts an n-gram follows,
        // except for n-grams starting a phrase, which have none.
        let mut a2: HashMap<(u16, u16), u32> = HashMap::new();
        for &(u, vv, w) in c3.keys() {
            let _ = u;
            *a2.entry((vv, w)).or_default() += 1;
        }
        for (&(vv, w), &n) in &c2 {
            if vv == BOS {
                a2.insert((vv, w), n);
            } else {
                a2.entry((vv, w)).or_insert(1);
            }
        }
        let mut a1 = vec![0u32; v];
        for &(_, w) in c2.keys() {
            a1[w as usize] += 1;
        }
        // Modified Kneser-Ney discounts (Chen & Goodman): one each for n-grams seen once,
        // twice, and three times or more, from the counts of counts.
        let disc = |counts: &mut dyn Iterator<Item = u32>| -> [f64; 3] {
            let mut n = [0f64; 5];
            for c in counts {
                if (1..=4).contains(&c) {
                    n[c as usize] += 1.0;
                }
            }
            if n[1] == 0.0 || n[2] == 0.0 || n[3] == 0.0 || n[4] == 0.0 {
                return [0.5, 1.0, 1.5];
            }
            let y = n[1] / (n[1] + 2.0 * n[2]);
            [
                (1.0 - 2.0 * y * n[2] / n[1]).clamp(0.05, 0.95),
                (2.0 - 3.0 * y * n[3] / n[2]).clamp(0.05, 1.95),
                (3.0 - 4.0 * y * n[4] / n[3]).clamp(0.05, 2.95),
            ]
        };
        let dof = |d: &[f64; 3], c: u32| d[(c.clamp(1, 3) - 1) as usize];
        let d3 = disc(&mut c3.values().copied());
        let d2 = disc(&mut a2.values().copied());
        // Unigrams: continuation counts, interpolated with a uniform share.
        let total1: f64 = a1.iter().map(|&x| x as f64).sum::<f64>().max(1.0);
        let d1 = 0.5;
        let p1: Vec<f64> = (0..v)
            .map(|w| (a1[w] as f64 + d1) / (total1 + d1 * (v as f64 + 1.0)))
            .collect();
        let unk = d1 / (total1 + d1 * (v as f64 + 1.0));
        // Bigrams grouped by context.
        let mut rows2: Vec<Vec<(u16, u32)>> = vec![vec![]; v];
        for (&(vv, w), &n) in &a2 {
            rows2[vv as usize].push((w, n));
        }
        let mut bow2 = vec![1.0f64; v];
        let mut p2: HashMap<(u16, u16), f64> = HashMap::new();
        for (vv, row) in rows2.iter_mut().enumerate() {
            row.sort();
            let s: f64 = row.iter().map(|e| e.1 as f64).sum();
            if s == 0.0 {
                continue;
            }
            let g = row.iter().map(|e| dof(&d2, e.1)).sum::<f64>() / s;
            bow2[vv] = g;
            for &(w, n) in row.iter() {
                let p = ((n as f64 - dof(&d2, n)).max(0.0)) / s + g * p1[w as usize];
                p2.insert((vv as u16, w), p);
            }
        }
        let p2f = |vv: u16, w: u16| -> f64 {
            p2.get(&(vv, w))
                .copied()
                .unwrap_or_else(|| bow2[vv as usize] * p1[w as usize])
        };
        // Trigrams grouped by their bigram context.
        let mut rows3: HashMap<(u16, u16), Vec<(u16, u32)>> = HashMap::new();
        for (&(u, vv, w), &n) in &c3 {
            rows3.entry((u, vv)).or_default().push((w, n));
        }
        let mut bow3: HashMap<(u16, u16), f64> = HashMap::new();
        let mut p3: HashMap<(u16, u16), Vec<(u16, f64)>> = HashMap::new();
        for (ctx, row) in rows3.iter_mut() {
            row.sort();
            let s: f64 = row.iter().map(|e| e.1 as f64).sum();
            let g = row.iter().map(|e| dof(&d3, e.1)).sum::<f64>() / s;
            bow3.insert(*ctx, g);
            let kept: Vec<(u16, f64)> = row
                .iter()
                .filter(|e| e.1 >= opts.min_trigram_count)
                .map(|&(w, n)| {
                    let p = ((n as f64 - dof(&d3, n)).max(0.0)) / s + g * p2f(ctx.1, w);
                    (w, p)
                })
                .collect();
            if !kept.is_empty() {
                p3.insert(*ctx, kept);
            }
        }
        // Serialise.
        let mut out = MAGIC.to_vec();
        let n2: usize = rows2.iter().map(Vec::len).sum();
        let n3: usize = p3.values().map(Vec::len).sum();
        out.extend((v as u32).to_le_bytes());
        out.extend((n2 as u32).to_le_bytes());
        out.extend((n3 as u32).to_le_bytes());
        out.extend(qz(unk.log10()).to_le_bytes());
        for w in &vocab {
            out.push(w.len() as u8);
            out.extend(w.as_bytes());
        }
        for w in 0..v {
            out.extend(qz(p1[w].log10()).to_le_bytes());
            out.extend(qz(bow2[w].log10()).to_le_bytes());
        }
        let mut off = 0u32;
        for row in &rows2 {
            out.extend(off.to_le_bytes());
            off += row.len() as u32;
        }
        out.extend(off.to_le_bytes());
        for (vv, row) in rows2.iter().enumerate() {
            for &(w, _) in row {
                let b = bow3.get(&(vv as u16, w)).copied().unwrap_or(1.0);
                out.extend(w.to_le_bytes());
                out.extend(qz(p2f(vv as u16, w).log10()).to_le_bytes());
                out.extend(qz(b.log10()).to_le_bytes());
            }
        }
        let mut off = 0u32;
        for (vv, row) in rows2.iter().enumerate() {
            for &(w, _) in row {
                out.extend(off.to_le_bytes());
                off += p3.get(&(vv as u16, w)).map_or(0, Vec::len) as u32;
            }
        }
        out.extend(off.to_le_bytes());
        for (vv, row) in rows2.iter().enumerate() {
            for &(w, _) in row {
                for &(x, p) in p3.get(&(vv as u16, w)).map_or(&[][..], Vec::as_slice) {
                    out.extend(x.to_le_bytes());
                    out.extend(qz(p.log10()).to_le_bytes());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Lm {
        let opts = TrainOptions {
            min_trigram_count: 1,
            ..TrainOptions::default()
        };
        let mut c = Counts::default();
        c.add_text(text, &opts);
        Lm::load(&c.build(&opts)).unwrap()
    }

    #[test]
    fn seen_continuations_beat_unseen_ones() {
        let lm = model("nhân dân lao động\nnhân dân làm chủ\nđàn bầu dân ca\n");
        let (nhan, dan, dan2) = (lm.id("nhân"), lm.id("dân"), lm.id("đàn"));
        assert!(lm.score(None, nhan, dan) > lm.score(None, nhan, dan2));
        assert!(lm.score(Some(BOS), nhan, dan) > lm.score(Some(BOS), nhan, dan2));
        assert!(lm.score(None, dan, None) < lm.score(None, dan, lm.id("lao")));
    }

    #[test]
    fn a_weighted_text_counts_as_that_many_copies() {
        let opts = TrainOptions {
            min_trigram_count: 2,
            ..TrainOptions::default()
        };
        let (plan, law) = (
            "nhân dân lao động\nthứ hai là các cơ quan\n",
            "thu hồi là các cơ quan\n",
        );
        let mut copies = Counts::default();
        let mut weighted = Counts::default();
        for _ in 0..3 {
            copies.add_text(plan, &opts);
        }
        copies.add_text(law, &opts);
        weighted.add_weighted(plan, &opts, 3);
        weighted.add_text(law, &opts);
        let bytes = weighted.build(&opts);
        assert_eq!(bytes, copies.build(&opts));
        assert_eq!(weighted.lines(), copies.lines());
        // And the weight tells: the text counted three times wins the same context.
        let lm = Lm::load(&bytes).unwrap();
        let (hai, hoi) = (lm.id("hai"), lm.id("hồi"));
        assert!(lm.score(Some(BOS), lm.id("thứ"), hai) > lm.score(Some(BOS), lm.id("thu"), hoi));
    }

    #[test]
    fn every_seen_pair_is_found_and_no_unseen_one() {
        // The seen-pair filter may only say "unseen" of pairs that are.
        let lm = model("nhân dân lao động\nnhân dân làm chủ\nđàn bầu dân ca\nlao động sản xuất\n");
        let n = lm.vocab.len() as u16;
        let mut seen = 0;
        for v in 0..n {
            for w in 0..n {
                let row = &lm.bi_w[lm.off2[v as usize] as usize..lm.off2[v as usize + 1] as usize];
                let found = lm.bigram_index(v, w);
                assert_eq!(found.is_some(), row.contains(&w), "{v} {w}");
                if let Some(k) = found {
                    assert_eq!(lm.bi_w[k as usize], w);
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, lm.bi_w.len());
    }

    /// Where a model file's bigram row offsets and bigram records start: after the header
    /// (magic, three counts, `unk`), the words (a length byte each) and the unigrams.
    fn table_offsets(lm: &Lm) -> (usize, usize) {
        let words: usize = lm.vocab.iter().map(|s| 1 + s.len()).sum();
        let off2 = MAGIC.len() + 14 + words + 4 * lm.vocab.len();
        (off2, off2 + 4 * (lm.vocab.len() + 1))
    }

    #[test]
    fn no_seen_pair_scores_below_its_backoff() {
        // The bigram pass relies on it (`Lm::backoff`); a file that breaks it is mended at load.
        let opts = TrainOptions {
            min_trigram_count: 1,
            ..TrainOptions::default()
        };
        let mut c = Counts::default();
        c.add_text(
            "nhân dân lao động\nnhân dân làm chủ\nđàn bầu dân ca\n",
            &opts,
        );
        let mut bytes = c.build(&opts);
        let lm = Lm::load(&bytes).unwrap();
        let (v, w) = (lm.id("nhân").unwrap(), lm.id("dân").unwrap());
        let k = lm.bigram_index(v, w).unwrap() as usize;
        // The pair's probability as the file's lowest.
        let (_, bigrams) = table_offsets(&lm);
        bytes[bigrams + 6 * k + 2..bigrams + 6 * k + 4].copy_from_slice(&u16::MAX.to_le_bytes());
        let worn = Lm::load(&bytes).unwrap();
        assert!(worn.bi_p[k] < lm.bi_p[k]);
        assert_eq!(worn.bi_p[k], worn.backoff(v) + worn.prior(w));
        for lm in [&lm, &worn] {
            for (v, row) in lm.off2.windows(2).enumerate() {
                for k in row[0] as usize..row[1] as usize {
                    let unseen = lm.backoff(v as u16) + lm.prior(lm.bi_w[k]);
                    assert!(lm.bigram_at(k as u32) >= unseen);
                }
            }
        }
    }

    #[test]
    fn numbers_are_one_word_of_the_model() {
        assert!(is_number_code("II/2021") && is_number_code("15/KH-UBND"));
        assert!(!is_number_code("KH-UBND") && !is_number_code("I/") && !is_number_code("CV/2021"));
        assert_eq!(
            segments("Kế hoạch năm 2021, Việt Nam."),
            vec![vec!["kế", "hoạch", "năm", NUMBER], vec!["việt", "nam"]]
        );
        let lm = model(
            "trong năm 2021 và năm 2022
nước Việt Nam.
miền Nam, năm 15 tuổi
",
        );
        let (num, nam, nam2) = (lm.id(NUMBER), lm.id("năm"), lm.id("nam"));
        assert!(lm.score(None, nam, num) > lm.score(None, nam2, num));
        assert_eq!(
            segments("số 489/QĐ-TTg ngày 17/4/2023"),
            vec![vec!["số", NUMBER, "ngày", NUMBER]]
        );
        // A line of numbers only is no Vietnamese text.
        assert_eq!(segments("1 2 3"), vec![vec![NUMBER; 3]]);
    }

    #[test]
    fn english_lines_are_not_trained_on_and_skeletons_strip_marks() {
        let lm = model("the help pages\nxin chào bạn\n");
        assert!(lm.id("help").is_none());
        assert!(lm.id("chào").is_some());
        assert_eq!(skeleton("Đường"), "duong");
        assert_eq!(old_style_tone("hoà"), "hòa");
        assert_eq!(old_style_tone("thuỷ"), "thủy");
        assert_eq!(old_style_tone("quý"), "quý");
        assert_eq!(old_style_tone("hoàn"), "hoàn");
    }

    #[test]
    fn corrupt_files_are_errors_not_panics() {
        assert!(Lm::load(b"nonsense").is_err());
        let mut c = Counts::default();
        c.add_text("xin chào bạn", &TrainOptions::default());
        let b = c.build(&TrainOptions::default());
        assert!(Lm::load(&b[..b.len() - 3]).is_err());
        // Whole, but a pair naming a word past the vocabulary, or rows out of order.
        let (off2, bigrams) = table_offsets(&Lm::load(&b).unwrap());
        let mut bad = b.clone();
        bad[bigrams..bigrams + 2].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(matches!(Lm::load(&bad), Err(LmError::Corrupt(_))));
        let mut bad = b.clone();
        bad[off2..off2 + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(Lm::load(&bad), Err(LmError::Corrupt(_))));
    }
}
