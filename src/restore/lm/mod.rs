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

mod format;
mod mix;
mod model;
mod train;
mod words;
pub use crate::vietnamese::syllable::skeleton;
pub use mix::{Fit, Routing, build_mixture, fit_weights, mix};
pub use model::{Context, Lm, LmError, Vocab};
pub use train::*;
pub use words::{BOS, EOS, has_marks, is_foreign_word, old_style_tone};

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
