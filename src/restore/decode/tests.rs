//! The decoder's tests.

use super::beam::{BeamScratch, PruneScratch, beam, prune};
use super::blocks::{CONTEXT_BARRIER, MIN_PARALLEL_LINES};
use super::candidates::{Cand, candidates, is_vietnamese};
use super::model::{Channel, Model};
use super::*;
use crate::restore::lm::{BOS, EOS};
use crate::restore::tokenize::Kind;
use crate::restore::types::{Decision, Params};
use crate::rules::Rules;

/// A short notice written for this test, marks stripped: `hoi` in its first line is read
/// `hồi` by a hair, and the notice reads `hoi` as `hội` with confidence twice after.
fn notice(lines: usize) -> String {
    let text = [
        "Tuần sau có hội xuân.",
        "Các hội viên trang trí sân khấu.",
        "Nhiều hội viên cao tuổi cũng đến xem.",
    ];
    crate::vietnamese::syllable::strip_marks(&text[..lines].join("\n"))
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
    let read = "Tuần sau có hội xuân.";
    let misread = "Tuần sau có hồi xuân.";
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
    let model = Model::get(Rules::builtin()).expect("embedded model loads");
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
    // Marks stripped, and a line as English-model OCR garbles it: the confusions
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
                    false => lm.context(None, c.id).score(Some(EOS)) * model.cfg.phrase_end_weight,
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
    let model = Model::get(rules).expect("embedded model loads");
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
