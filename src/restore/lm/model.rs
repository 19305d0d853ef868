//! The loaded model: its tables borrowed from the file, and scoring.

use zerocopy::byteorder::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

const Q: f32 = 1000.0;

#[derive(Debug, thiserror::Error)]
pub enum LmError {
    #[error("language model file is not a kehoach syllable model (bad header)")]
    BadMagic,
    #[error("language model file is truncated or corrupt at byte {0}")]
    Corrupt(usize),
}

/// A loaded model, borrowing the file's bytes. Scores are log10 probabilities.
#[derive(Debug, Clone, Copy)]
pub struct Lm<'a> {
    pub vocab: Vocab<'a>,
    /// Ids by their words: an open-addressing table of [`word_hash`] (`u16::MAX` is empty).
    pub(super) slots: &'a [U16],
    // Keys apart from values, so that the binary searches read only keys.
    /// (quantised log10 P(w), log10 backoff weight of w as a context) by id.
    uni: &'a [[U16; 2]],
    /// Where each word's bigrams start in `bi_w`/`bi_p` (and one past the last).
    off2: &'a [U32],
    pub(super) bi_w: &'a [U16],
    bi_p: &'a [U16],
    /// Per seen pair (and one past the last): where its trigrams start in `tri`, and its
    /// quantised backoff weight as a context. Side by side, a beam state's context is one
    /// cache line.
    bi_ctx: &'a [[U32; 2]],
    /// (word, quantised log10 probability) of each trigram, rows by pair: a short row and
    /// the probability found in it share a cache line.
    tri: &'a [[U16; 2]],
    /// Two bits per hash of every seen pair `v w` ([`pair_bits`]): a clear one answers
    /// "unseen" without searching `v`'s row. Most pairs the decoder asks about are unseen (a
    /// stripped syllable's rare readings after each reading of the word before), and the
    /// filter stays in the cache where a row search misses it. (A hash table of the pairs
    /// themselves, 2 MB, was slower than the row search; one bit in 128 KB let through ten
    /// times as many unseen pairs.)
    seen_pairs: &'a [U64],
    /// log10 probability of a syllable outside the vocabulary.
    pub unk: f32,
}

/// The words of a model by id, borrowed from its file.
#[derive(Debug, Clone, Copy)]
pub struct Vocab<'a> {
    /// Where each word starts in `text` (and one past the last); checked at load to fall on
    /// character boundaries.
    offsets: &'a [U32],
    text: &'a str,
}

impl<'a> Vocab<'a> {
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The word of an id (empty past the vocabulary).
    pub fn get(&self, id: usize) -> &'a str {
        let (Some(a), Some(b)) = (self.offsets.get(id), self.offsets.get(id + 1)) else {
            return "";
        };
        self.text
            .get(a.get() as usize..b.get() as usize)
            .unwrap_or("")
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl std::ops::Index<usize> for Vocab<'_> {
    type Output = str;
    fn index(&self, id: usize) -> &str {
        self.get(id)
    }
}

/// Words of the seen-pair filter: 2^15 words of 64 bits (256 KB), two bits set per pair in
/// one word.
pub(super) const PAIR_WORDS: u32 = 15;

/// The filter word of the pair `v w` and its two bits there.
pub(super) fn pair_bits(v: u16, w: u16) -> (usize, u64) {
    let h = ((u64::from(v) << 16) | u64::from(w)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = (h >> (64 - PAIR_WORDS)) as usize;
    (word, (1 << ((h >> 20) & 63)) | (1 << ((h >> 26) & 63)))
}

/// FNV-1a: the word index is written by the trainer and read by the decoder, so its hash is
/// part of the file format and must not change with a crate's version.
pub(super) fn word_hash(w: &str) -> u64 {
    w.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn dq(q: u16) -> f32 {
    -(q as f32) / Q
}

pub(super) fn qz(logp: f64) -> u16 {
    ((-logp) * Q as f64).round().clamp(0.0, 65535.0) as u16
}

impl<'a> Lm<'a> {
    pub fn id(&self, w: &str) -> Option<u16> {
        let mask = self.slots.len() - 1;
        let mut i = word_hash(w) as usize & mask;
        // The table is at most half full (checked at load), so an empty slot ends the probe.
        loop {
            let id = self.slots[i].get();
            if id == u16::MAX {
                return None;
            }
            if self.vocab.get(id as usize) == w {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }

    /// log10 P(w | u v); `None` ids are unknown syllables.
    pub fn score(&self, u: Option<u16>, v: Option<u16>, w: Option<u16>) -> f32 {
        self.context(u, v).score(w)
    }

    /// The rows of context `u v` looked up once, for scoring many next syllables after it
    /// (the beam search scores every candidate of a position after every hypothesis).
    pub fn context(&self, u: Option<u16>, v: Option<u16>) -> Context<'_, 'a> {
        let pair = match (u, v) {
            (Some(u), Some(v)) => self.bigram_index(u, v),
            _ => None,
        };
        self.context_of_pair(v, pair)
    }

    /// [`Lm::context`] of `u v` given where the pair is in the bigram table
    /// ([`Lm::bigram_index`]; `None` when `u` is unknown or the pair unseen).
    pub fn context_of_pair(&self, v: Option<u16>, pair: Option<u32>) -> Context<'_, 'a> {
        let mut c = Context {
            lm: self,
            v_known: v.is_some(),
            row: 0..0,
            trow: 0..0,
            bow3: 0.0,
            bow2: 0.0,
        };
        let Some(v) = v else { return c };
        c.row = self.row2(v);
        c.bow2 = self.backoff(v);
        if let Some(bidx) = pair {
            let bidx = bidx as usize;
            let [start, bow] = self.bi_ctx[bidx];
            c.bow3 = dq(bow.get() as u16);
            c.trow = start.get() as usize..self.bi_ctx[bidx + 1][0].get() as usize;
        }
        c
    }

    /// Where `v`'s bigrams are in the bigram table (offsets checked at load).
    pub(super) fn row2(&self, v: u16) -> std::ops::Range<usize> {
        self.off2[v as usize].get() as usize..self.off2[v as usize + 1].get() as usize
    }

    /// Where the pair `v w` is in the bigram table, if seen.
    pub fn bigram_index(&self, v: u16, w: u16) -> Option<u32> {
        let (word, bits) = pair_bits(v, w);
        if self
            .seen_pairs
            .get(word)
            .is_none_or(|word| word.get() & bits != bits)
        {
            return None;
        }
        let row = self.row2(v);
        self.bi_w[row.clone()]
            .binary_search_by_key(&w, |x| x.get())
            .ok()
            .map(|k| (row.start + k) as u32)
    }

    /// The bigram log10 probability at an index [`Lm::bigram_index`] gave.
    pub fn bigram_at(&self, pair: u32) -> f32 {
        dq(self.bi_p[pair as usize].get())
    }

    /// Unigram log10 probability.
    pub fn prior(&self, w: u16) -> f32 {
        dq(self.uni[w as usize][0].get())
    }

    /// log10 backoff weight of `v` as the context of one word: the score of an unseen pair
    /// `v w` is this plus `w`'s [`Lm::prior`], and no seen pair scores less (the trainer
    /// writes no file that breaks it: [`super::format`]).
    pub fn backoff(&self, v: u16) -> f32 {
        dq(self.uni[v as usize][1].get())
    }

    /// The model of a file's bytes, borrowing them. Only what a lookup relies on is checked
    /// (the header, the word index and the rows of the unigrams: work in proportion to the
    /// vocabulary); a damaged bigram or trigram table gives wrong scores, never a panic.
    pub fn load(bytes: &'a [u8]) -> Result<Lm<'a>, LmError> {
        read(bytes)
    }
}

/// A trigram context with its table rows found ([`Lm::context`]).
#[derive(Debug, Clone)]
pub struct Context<'l, 'a> {
    lm: &'l Lm<'a>,
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

impl Context<'_, '_> {
    /// log10 P(w | context); `None` is an unknown syllable.
    #[inline]
    pub fn score(&self, w: Option<u16>) -> f32 {
        let lm = self.lm;
        let bigram = |w: u16| {
            lm.bi_w[self.row.clone()]
                .binary_search_by_key(&w, |x| x.get())
                .ok()
                .map(|k| lm.bigram_at((self.row.start + k) as u32))
        };
        self.score_with(w, bigram)
    }

    /// [`Context::score`] with the bigram probability of `v w` supplied by the caller, as
    /// [`Lm::bigram_at`] gives it (the beam search looks each pair up once for all its states).
    #[inline]
    pub fn score_with(&self, w: Option<u16>, bigram: impl FnOnce(u16) -> Option<f32>) -> f32 {
        let lm = self.lm;
        let Some(w) = w else { return lm.unk };
        if !self.v_known {
            return lm.prior(w);
        }
        if let Some(row) = lm.tri.get(self.trow.clone())
            && let Ok(j) = row.binary_search_by_key(&w, |t| t[0].get())
        {
            return dq(row[j][1].get());
        }
        match bigram(w) {
            Some(p) => self.bow3 + p,
            None => self.bow3 + self.bow2 + lm.prior(w),
        }
    }
}

pub(super) const MAGIC: &[u8; 6] = b"KHLM\x02\n";

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], LmError> {
        let s = self
            .p
            .checked_add(n)
            .and_then(|end| self.b.get(self.p..end))
            .ok_or(LmError::Corrupt(self.p))?;
        self.p += n;
        Ok(s)
    }

    /// `n` records of `T`, borrowed.
    fn table<T: FromBytes + KnownLayout + Immutable + Unaligned>(
        &mut self,
        n: usize,
    ) -> Result<&'a [T], LmError> {
        let at = self.p;
        let len = n.checked_mul(size_of::<T>()).ok_or(LmError::Corrupt(at))?;
        <[T]>::ref_from_bytes(self.take(len)?).map_err(|_| LmError::Corrupt(at))
    }

    fn u32(&mut self) -> Result<usize, LmError> {
        Ok(self.table::<U32>(1)?[0].get() as usize)
    }
}

/// Whether offsets rise and end at `end`.
fn rows_ok(offsets: &[U32], end: usize) -> bool {
    offsets.windows(2).all(|w| w[0].get() <= w[1].get())
        && offsets.last().is_some_and(|x| x.get() as usize == end)
}

fn read(bytes: &[u8]) -> Result<Lm<'_>, LmError> {
    let mut r = Reader { b: bytes, p: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(LmError::BadMagic);
    }
    let (v, n2, n3, b, s) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?);
    let unk = r.table::<U16>(1)?[0].get();
    if !(2..=1 << 16).contains(&v) || !s.is_power_of_two() || s < 2 * v {
        return Err(LmError::Corrupt(r.p));
    }
    let offsets = r.table::<U32>(v + 1)?;
    let at = r.p;
    let text = std::str::from_utf8(r.take(b)?).map_err(|_| LmError::Corrupt(at))?;
    let words_ok = rows_ok(offsets, b)
        && offsets
            .iter()
            .all(|o| text.is_char_boundary(o.get() as usize));
    let slots = r.table::<U16>(s)?;
    let empty = slots.iter().filter(|x| x.get() == u16::MAX).count();
    let slots_ok = empty > 0
        && slots
            .iter()
            .all(|x| x.get() == u16::MAX || (x.get() as usize) < v);
    let uni = r.table(v)?;
    let off2 = r.table::<U32>(v + 1)?;
    let bi_w = r.table(n2)?;
    let bi_p = r.table(n2)?;
    let bi_ctx = r.table::<[U32; 2]>(n2 + 1)?;
    let tri = r.table(n3)?;
    let seen_pairs = r.table(1 << PAIR_WORDS)?;
    // The trigram rows are not checked one by one (a million offsets): a lookup takes a
    // row that does not fit as empty (`Context::score_with`).
    let ends_ok = bi_ctx[0][0].get() == 0 && bi_ctx[n2][0].get() as usize == n3;
    if !(words_ok && slots_ok && rows_ok(off2, n2) && ends_ok && r.p == bytes.len()) {
        return Err(LmError::Corrupt(r.p));
    }
    Ok(Lm {
        vocab: Vocab { offsets, text },
        slots,
        uni,
        off2,
        bi_w,
        bi_p,
        bi_ctx,
        tri,
        seen_pairs,
        unk: dq(unk),
    })
}
