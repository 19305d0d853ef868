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
//! their context: about 8 bytes a bigram, 4 a trigram. The file holds the tables in the layout
//! the decoder reads them in (little-endian, any alignment), with the word index and the
//! seen-pair filter built by the trainer, so loading borrows them where they lie: the embedded
//! model is never copied, and a process restoring one line pays only for the pages it reads
//! ([`format`]).

pub use crate::vietnamese::syllable::skeleton;
use unicode_normalization::UnicodeNormalization;
use zerocopy::byteorder::little_endian::{U16, U32, U64};

mod format;
mod mix;
mod train;
pub use mix::{Fit, fit_weights, mix};
pub use train::*;

pub const BOS: u16 = 0;
pub const EOS: u16 = 1;
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

/// A loaded model, borrowing the file's bytes. Scores are log10 probabilities.
#[derive(Debug, Clone, Copy)]
pub struct Lm<'a> {
    pub vocab: Vocab<'a>,
    /// Ids by their words: an open-addressing table of [`word_hash`] (`u16::MAX` is empty).
    slots: &'a [U16],
    // Keys apart from values, so that the binary searches read only keys.
    /// (quantised log10 P(w), log10 backoff weight of w as a context) by id.
    uni: &'a [[U16; 2]],
    /// Where each word's bigrams start in `bi_w`/`bi_p` (and one past the last).
    off2: &'a [U32],
    bi_w: &'a [U16],
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
const PAIR_WORDS: u32 = 15;

/// The filter word of the pair `v w` and its two bits there.
fn pair_bits(v: u16, w: u16) -> (usize, u64) {
    let h = ((u64::from(v) << 16) | u64::from(w)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = (h >> (64 - PAIR_WORDS)) as usize;
    (word, (1 << ((h >> 20) & 63)) | (1 << ((h >> 26) & 63)))
}

/// FNV-1a: the word index is written by the trainer and read by the decoder, so its hash is
/// part of the file format and must not change with a crate's version.
fn word_hash(w: &str) -> u64 {
    w.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
    fn row2(&self, v: u16) -> std::ops::Range<usize> {
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
    /// writes no file that breaks it: [`format`]).
    pub fn backoff(&self, v: u16) -> f32 {
        dq(self.uni[v as usize][1].get())
    }

    /// The model of a file's bytes, borrowing them. Only what a lookup relies on is checked
    /// (the header, the word index and the rows of the unigrams: work in proportion to the
    /// vocabulary); a damaged bigram or trigram table gives wrong scores, never a panic.
    pub fn load(bytes: &'a [u8]) -> Result<Lm<'a>, LmError> {
        format::read(bytes)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Options that keep every trigram (texts of a few lines).
    fn every_trigram() -> TrainOptions {
        TrainOptions {
            min_trigram_count: 1,
            ..TrainOptions::default()
        }
    }

    /// The estimate of a text and its vocabulary.
    fn estimate(text: &str, opts: &TrainOptions) -> (Estimate, Vec<String>) {
        let mut c = Counts::default();
        c.add_text(text, opts);
        let vocab = Counts::vocabulary(&[&c], opts);
        (c.estimate(&vocab, opts), vocab)
    }

    /// The model of a text, kept for the test's life.
    fn model(text: &str) -> Lm<'static> {
        let opts = every_trigram();
        let mut c = Counts::default();
        c.add_text(text, &opts);
        Lm::load(c.build(&opts).leak()).unwrap()
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
                let row = &lm.bi_w[lm.row2(v)];
                let found = lm.bigram_index(v, w);
                assert_eq!(found.is_some(), row.iter().any(|x| x.get() == w), "{v} {w}");
                if let Some(k) = found {
                    assert_eq!(lm.bi_w[k as usize].get(), w);
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, lm.bi_w.len());
    }

    #[test]
    fn every_word_is_found_by_its_id() {
        let lm = model("nhân dân lao động\nnhân dân làm chủ\nđàn bầu dân ca\nhòa bình\n");
        for (i, w) in lm.vocab.iter().enumerate() {
            assert_eq!(lm.id(w), Some(i as u16), "{w}");
        }
        assert_eq!(&lm.vocab[lm.id("bầu").unwrap() as usize], "bầu");
        assert_eq!(lm.id("bàu"), None);
    }

    #[test]
    fn no_seen_pair_scores_below_its_backoff() {
        // The bigram pass relies on it (`Lm::backoff`), and the trainer writes no file that
        // breaks it, whatever its estimate says.
        let opts = every_trigram();
        let (est, vocab) = estimate(
            "nhân dân lao động\nnhân dân làm chủ\nđàn bầu dân ca\n",
            &opts,
        );
        let mut worn = est.clone();
        let (v, w) = (
            vocab.iter().position(|x| x == "nhân").unwrap() as u16,
            vocab.iter().position(|x| x == "dân").unwrap() as u16,
        );
        let k = worn.rows2[v as usize]
            .iter()
            .position(|e| e.0 == w)
            .unwrap();
        worn.rows2[v as usize][k].1 = 1e-9;
        let (a, b) = (est.to_bytes(), worn.to_bytes());
        let (lm, worn) = (Lm::load(&a).unwrap(), Lm::load(&b).unwrap());
        let pair = worn.bigram_index(v, w).unwrap();
        assert!(worn.bigram_at(pair) < lm.bigram_at(pair));
        assert!(worn.bigram_at(pair) > worn.backoff(v) + worn.prior(w));
        for lm in [&lm, &worn] {
            for v in 0..lm.vocab.len() as u16 {
                for k in lm.row2(v) {
                    let unseen = lm.backoff(v) + lm.prior(lm.bi_w[k].get());
                    assert!(lm.bigram_at(k as u32) >= unseen);
                }
            }
        }
    }

    #[test]
    fn a_domain_mixture_keeps_each_domains_reading() {
        // Pooled, legislation's "thu hồi" (revoke) outweighs the plans' "thứ hai" (second)
        // in every backoff; mixed with weights fitted on a plan, the plans' reading holds.
        let opts = every_trigram();
        let plan = "thứ nhất là trường học\nthứ hai là các cơ quan\nthứ ba là các đơn vị\n";
        let law = "thu hồi giấy phép\nthu hồi đất\nthu hồi là các cơ quan\nquyết định thu hồi\n";
        let counts = |texts: &[(&str, u32)]| {
            let mut c = Counts::default();
            texts.iter().for_each(|&(t, n)| c.add_weighted(t, &opts, n));
            c
        };
        let (p, l) = (counts(&[(plan, 1)]), counts(&[(law, 50)]));
        let pooled = counts(&[(plan, 1), (law, 50)]);
        let dev = counts(&[("thứ hai là các trường học\n", 1)]);
        let (est, fit) = build_mixture(vec![p, l], dev, None, &opts);
        assert!((fit.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(fit.weights[0] > fit.weights[1], "{fit:?}");
        // EM nears the best mixture, which is no worse than the best model alone.
        let best_alone = fit.alone.iter().copied().fold(f64::MAX, f64::min);
        assert!(fit.perplexity <= best_alone * 1.01, "{fit:?}");
        let (mixed, pooled) = (est.to_bytes(), pooled.build(&opts));
        let phrase = |lm: &Lm, a: &str, b: &str| {
            let ids = [Some(BOS), lm.id(a), lm.id(b), lm.id("là")];
            (0..3)
                .map(|k| lm.score(if k > 0 { ids[k - 1] } else { None }, ids[k], ids[k + 1]))
                .sum::<f32>()
        };
        let pooled = Lm::load(&pooled).unwrap();
        assert!(phrase(&pooled, "thu", "hồi") > phrase(&pooled, "thứ", "hai"));
        let mixed = Lm::load(&mixed).unwrap();
        assert!(phrase(&mixed, "thứ", "hai") > phrase(&mixed, "thu", "hồi"));
    }

    #[test]
    fn a_mixture_of_one_model_is_that_model() {
        let opts = TrainOptions::default();
        let mut c = Counts::default();
        c.add_text(
            "nhân dân lao động\nnhân dân làm chủ\nđàn bầu dân ca\n",
            &opts,
        );
        let vocab = Counts::vocabulary(&[&c], &opts);
        let est = c.estimate(&vocab, &opts);
        let one = mix(&[(&est, 1.0)]);
        for u in 0..vocab.len() as u16 {
            for v in 0..vocab.len() as u16 {
                for w in 0..vocab.len() as u16 {
                    let (a, b) = (est.p3(u, v, w), one.p3(u, v, w));
                    assert!((a - b).abs() < 1e-9 * a.max(1e-9), "{u} {v} {w}: {a} {b}");
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
        c.add_text("xin chào bạn\nchào bạn mới\n", &TrainOptions::default());
        let b = c.build(&TrainOptions::default());
        assert!(Lm::load(&b[..b.len() - 3]).is_err());
        let lm = Lm::load(&b).unwrap();
        let v = lm.vocab.len();
        // Header, words, word index, unigrams: where the bigram rows start.
        let words: usize = lm.vocab.iter().map(str::len).sum();
        let off2 = 6 + 22 + 4 * (v + 1) + words + 2 * lm.slots.len() + 4 * v;
        let mut bad = b.clone();
        bad[off2..off2 + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(Lm::load(&bad), Err(LmError::Corrupt(_))));
        // A word index naming a word past the vocabulary.
        let slots = 6 + 22 + 4 * (v + 1) + words;
        let mut bad = b.clone();
        let used = (0..lm.slots.len())
            .find(|&i| lm.slots[i].get() != u16::MAX)
            .unwrap();
        bad[slots + 2 * used..slots + 2 * used + 2].copy_from_slice(&(v as u16).to_le_bytes());
        assert!(matches!(Lm::load(&bad), Err(LmError::Corrupt(_))));
        // Bigram and trigram tables are not checked at load: damaged, they score wrongly but
        // never panic.
        let n2 = lm.bi_w.len();
        let (bi_w, bi_ctx) = (off2 + 4 * (v + 1), off2 + 4 * (v + 1) + 4 * n2);
        let mut bad = b.clone();
        bad[bi_w..bi_w + 2].copy_from_slice(&u16::MAX.to_le_bytes());
        bad[bi_ctx + 8..bi_ctx + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        let worn = Lm::load(&bad).unwrap();
        let ids = || (0..v as u16).map(Some).chain([None]);
        for u in ids() {
            for x in ids() {
                for w in ids() {
                    assert!(worn.score(u, x, w).is_finite());
                }
            }
        }
    }
}
