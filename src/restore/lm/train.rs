//! Training: counting a corpus and estimating the smoothed model that [`super::Lm`] loads.

use super::words::{BOS, EOS, MAX_SYLLABLE_CHARS, MAX_VOCAB, has_marks, old_style_tone};
use crate::restore::tokenize::{Kind, tokenize};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

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
/// dates and document numbers (as [`NUMBER`]), split at anything that is not a space between
/// them (punctuation ends a phrase).
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
    use crate::vietnamese::syllable::is_written_syllable;
    w == NUMBER || is_written_syllable(w) || super::words::is_foreign_word(w)
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

    /// Take in another text's counts (a domain's files gathered one by one).
    pub fn absorb(&mut self, other: Counts) {
        for (w, n) in other.words {
            *self.words.entry(w).or_default() += n;
        }
        self.segments.extend(other.segments);
        self.lines_used += other.lines_used;
        self.lines_skipped += other.lines_skipped;
    }

    /// The vocabulary of a model over these counts together: the sentence marks, then the
    /// words that may be written, most frequent first, capped at what `u16` ids allow.
    pub fn vocabulary(all: &[&Counts], opts: &TrainOptions) -> Vec<String> {
        let mut total: HashMap<&str, u32> = HashMap::new();
        for c in all {
            for (w, n) in &c.words {
                *total.entry(w.as_str()).or_default() += n;
            }
        }
        let mut words: Vec<(&str, u32)> = total
            .into_iter()
            .filter(|(w, n)| *n >= opts.min_word_count && may_be_written(w))
            .collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        words.truncate(MAX_VOCAB - 2);
        let mut vocab = vec!["<s>".to_string(), "</s>".to_string()];
        vocab.extend(words.iter().map(|(w, _)| (*w).to_string()));
        vocab
    }

    /// The word runs of these counts as ids of `vocab` (`None`: outside it), each with its
    /// weight; runs start with [`BOS`] and end with [`EOS`].
    pub fn id_runs(&self, vocab: &[String]) -> Vec<(Vec<Option<u16>>, u32)> {
        let index: HashMap<&str, u16> = vocab
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), i as u16))
            .collect();
        self.segments
            .iter()
            .map(|(seg, weight)| {
                let mut ids = vec![Some(BOS)];
                ids.extend(seg.iter().map(|w| index.get(w.as_str()).copied()));
                ids.push(Some(EOS));
                (ids, *weight)
            })
            .collect()
    }

    /// The interpolated modified Kneser-Ney estimate of these counts over `vocab`.
    pub fn estimate(&self, vocab: &[String], opts: &TrainOptions) -> Estimate {
        let mut c3: HashMap<(u16, u16, u16), u32> = HashMap::new();
        let mut c2: HashMap<(u16, u16), u32> = HashMap::new();
        for (ids, weight) in self.id_runs(vocab) {
            for k in 1..ids.len() {
                let (Some(w), Some(v)) = (ids[k], ids[k - 1]) else {
                    continue;
                };
                *c2.entry((v, w)).or_default() += weight;
                if k >= 2
                    && let Some(u) = ids[k - 2]
                {
                    *c3.entry((u, v, w)).or_default() += weight;
                }
            }
        }
        let v = vocab.len();
        // Kneser-Ney adjusted counts: how many distinct left contexts an n-gram follows,
        // except for n-grams starting a phrase, which have none.
        let mut a2: HashMap<(u16, u16), u32> = HashMap::new();
        for &(_, vv, w) in c3.keys() {
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
        let mut counts2: Vec<Vec<(u16, u32)>> = vec![vec![]; v];
        for (&(vv, w), &n) in &a2 {
            counts2[vv as usize].push((w, n));
        }
        let mut bow2 = vec![1.0f64; v];
        let mut rows2: Vec<Vec<(u16, f64)>> = vec![vec![]; v];
        for (vv, row) in counts2.iter_mut().enumerate() {
            row.sort();
            let s: f64 = row.iter().map(|e| e.1 as f64).sum();
            if s == 0.0 {
                continue;
            }
            let g = row.iter().map(|e| dof(&d2, e.1)).sum::<f64>() / s;
            bow2[vv] = g;
            rows2[vv] = row
                .iter()
                .map(|&(w, n)| {
                    (
                        w,
                        ((n as f64 - dof(&d2, n)).max(0.0)) / s + g * p1[w as usize],
                    )
                })
                .collect();
        }
        let mut est = Estimate {
            vocab: vocab.to_vec(),
            p1,
            bow2,
            unk,
            rows2,
            rows3: HashMap::new(),
        };
        // Trigrams grouped by their bigram context.
        let mut counts3: HashMap<(u16, u16), Vec<(u16, u32)>> = HashMap::new();
        for (&(u, vv, w), &n) in &c3 {
            counts3.entry((u, vv)).or_default().push((w, n));
        }
        let mut rows3 = HashMap::with_capacity(counts3.len());
        for (ctx, mut row) in counts3 {
            row.sort();
            let s: f64 = row.iter().map(|e| e.1 as f64).sum();
            let g = row.iter().map(|e| dof(&d3, e.1)).sum::<f64>() / s;
            let kept: Vec<(u16, f64)> = row
                .iter()
                .filter(|e| e.1 >= opts.min_trigram_count)
                .map(|&(w, n)| {
                    let p = ((n as f64 - dof(&d3, n)).max(0.0)) / s + g * est.p2(ctx.1, w);
                    (w, p)
                })
                .collect();
            rows3.insert(ctx, (g, kept));
        }
        est.rows3 = rows3;
        est
    }
}

/// A trigram context's backoff weight and the P(w | u v) kept after it, sorted by `w`.
pub type Row3 = (f64, Vec<(u16, f64)>);

/// A smoothed trigram model in probabilities, as estimated and before it is written: what
/// [`Estimate::to_bytes`] stores, and what [`super::mix`] combines.
#[derive(Debug, Clone)]
pub struct Estimate {
    pub vocab: Vec<String>,
    /// P(w) by id.
    pub p1: Vec<f64>,
    /// Backoff weight of each word as the context of one word.
    pub bow2: Vec<f64>,
    /// P of a word outside the vocabulary.
    pub unk: f64,
    /// P(w | v) of the seen pairs `v w`, by `v`, sorted by `w`.
    pub rows2: Vec<Vec<(u16, f64)>>,
    /// By seen pair `u v`: its backoff weight as a context, and P(w | u v) of the trigrams
    /// kept, sorted by `w`.
    pub rows3: HashMap<(u16, u16), Row3>,
}

impl Estimate {
    /// P(w | v), backed off when the pair is unseen.
    pub fn p2(&self, v: u16, w: u16) -> f64 {
        let row = &self.rows2[v as usize];
        match row.binary_search_by_key(&w, |e| e.0) {
            Ok(k) => row[k].1,
            Err(_) => self.bow2[v as usize] * self.p1[w as usize],
        }
    }

    /// P(w | u v), backed off as the loaded model does ([`super::Lm::score`]).
    pub fn p3(&self, u: u16, v: u16, w: u16) -> f64 {
        match self.rows3.get(&(u, v)) {
            Some((bow, row)) => match row.binary_search_by_key(&w, |e| e.0) {
                Ok(k) => row[k].1,
                Err(_) => bow * self.p2(v, w),
            },
            None => self.p2(v, w),
        }
    }

    /// P(w | u v) with unknown words (`None`) as [`super::Lm::score`] treats them.
    pub fn p(&self, u: Option<u16>, v: Option<u16>, w: Option<u16>) -> f64 {
        match (u, v, w) {
            (_, _, None) => self.unk,
            (_, None, Some(w)) => self.p1[w as usize],
            (None, Some(v), Some(w)) => self.p2(v, w),
            (Some(u), Some(v), Some(w)) => self.p3(u, v, w),
        }
    }
}
