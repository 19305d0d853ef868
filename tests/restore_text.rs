//! `kehoach restore`: Vietnamese text that lost its marks or went through OCR comes back;
//! correct text, codes and line structure are left alone.

mod common;

use common::run_with_stdin;
use kehoach::restore::syllable::strip_marks;
use std::process::Command;

fn restore(input: &[u8]) -> (String, String, bool) {
    let out = run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_kehoach")).arg("restore"),
        input,
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

fn word_accuracy(truth: &str, got: &str) -> f64 {
    let t: Vec<&str> = truth.split_whitespace().collect();
    let g: Vec<&str> = got.split_whitespace().collect();
    assert_eq!(t.len(), g.len(), "word count changed:\n{got}");
    t.iter().zip(&g).filter(|(a, b)| a == b).count() as f64 / t.len() as f64
}

// Written for this test: general administrative Vietnamese, not taken from any sample plan.
const CORRECT: &str = "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành tổ chức thực hiện nghiêm túc kế hoạch này.
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo về Sở Tài chính để tổng hợp.

Các trường học cần tăng cường công tác tuyên truyền, nâng cao chất lượng giáo dục cho học sinh.
Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước và các nguồn hợp pháp khác.";

#[test]
fn stripped_text_gets_its_marks_back() {
    let (out, _, ok) = restore(strip_marks(CORRECT).as_bytes());
    assert!(ok);
    let acc = word_accuracy(CORRECT, &out);
    assert!(acc >= 0.85, "accuracy {acc:.3}:\n{out}");
    assert_eq!(out.lines().count(), CORRECT.lines().count());
}

#[test]
fn correct_text_comes_out_unchanged() {
    let (out, _, ok) = restore(CORRECT.as_bytes());
    assert!(ok);
    assert_eq!(out.trim_end(), CORRECT);
}

#[test]
fn acronyms_the_model_has_never_seen_stay_as_written() {
    // Written for this test: capitals no rules file lists, in otherwise correct text, some one
    // letter from an acronym the model knows (`ITP`, `FTP`).
    let text = "Ban chỉ đạo CCHC của huyện họp với HTX và KCN về PCGD, XMC và ITP, ABI.";
    let (out, _, _) = restore(text.as_bytes());
    assert_eq!(out.trim_end(), text);
}

#[test]
fn codes_numbers_and_addresses_are_protected_and_abbreviations_repaired() {
    let input = "So: 415/KH-UBND ngay 06/02/2023 cua HDND xa theo 12/QD-UBND, lien he a.b@example.vn hoac www.example.gov.vn\n";
    let (out, _, ok) = restore(input.as_bytes());
    assert!(ok);
    for kept in [
        "415/KH-UBND",
        "06/02/2023",
        "a.b@example.vn",
        "www.example.gov.vn",
    ] {
        assert!(out.contains(kept), "{kept} lost: {out}");
    }
    assert!(out.contains("HĐND"), "{out}");
    // A document code's letters lost their marks too; the code list in rules/ says how.
    assert!(out.contains("12/QĐ-UBND"), "{out}");
    assert!(!out.contains("HDND"), "{out}");
    assert!(out.starts_with("Số:"), "{out}");
}

#[test]
fn every_line_break_is_kept() {
    let input = "\n\nKe hoach thuc hien\n\n\nnam hoc moi\n\n";
    let (out, _, ok) = restore(input.as_bytes());
    assert!(ok);
    assert_eq!(
        out.split('\n').count(),
        input.split('\n').count(),
        "{out:?}"
    );
}

#[test]
fn bad_input_never_panics() {
    let (_, err, ok) = restore(b"");
    assert!(ok && err.contains("empty"), "{err}");
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let (_, err, _) = restore(&noise);
    assert!(!err.contains("panicked"), "{err}");
    let huge = "cong tac khuyen hoc ".repeat(20_000);
    let (out, err, ok) = restore(huge.as_bytes());
    assert!(ok, "{err}");
    assert_eq!(out.split_whitespace().count(), 80_000);
}

#[test]
fn numbers_dates_and_document_numbers_are_context_for_the_word_before() {
    // `nam` is `Nam` (Việt Nam) at a phrase end and `năm` (year) before a number; `so` before a
    // document number is `số`.
    let text =
        "Kế hoạch năm 2024 của Ủy ban nhân dân xã, hoàn thành trước ngày 15 tháng 11 năm 2024.
Căn cứ Quyết định số 489/QĐ-TTg ngày 17/4/2023 của Thủ tướng Chính phủ.";
    let (out, _, ok) = restore(strip_marks(text).as_bytes());
    assert!(ok);
    assert_eq!(out.matches("năm 2024").count(), 2, "{out}");
    assert!(out.contains("số 489/QĐ-TTg"), "{out}");
}

#[test]
fn a_common_word_before_punctuation_is_not_the_end_of_a_rare_one() {
    // The model's word lists end a phrase after every entry, so `hồn` (of `linh hồn`) ends
    // phrases in it far more often than `hơn` does; in running text `hơn,` and `hơn.` are
    // the common reading (`phrase_end_weight` in rules/channel/decoder.toml).
    let text = "Công tác tuyên truyền cần đa dạng hơn, phong phú hơn.";
    let (out, _, ok) = restore(strip_marks(text).as_bytes());
    assert!(ok);
    assert_eq!(out.trim_end(), text);
}

#[test]
fn many_documents_restored_at_once_while_the_model_loads_all_finish() {
    // Documents restored from several threads at once share the thread pool, and the first
    // of them loads the model. Each round has rules of its own (a folder overriding nothing),
    // so its model is loaded anew while the round's other documents already ask for it. A
    // load that waited on the pool could be handed one of those documents and wait for its
    // own model for ever.
    use kehoach::restore::{Params, restore_text};
    let dir = tempfile::tempdir().unwrap();
    let dir_path = dir.path().to_path_buf();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let text = strip_marks(&CORRECT.repeat(20));
        for _ in 0..40 {
            let rules = kehoach::rules::Rules::from_dir(&dir_path).unwrap();
            let outs: Vec<String> = std::thread::scope(|s| {
                let docs: Vec<_> = (0..6)
                    .map(|_| s.spawn(|| restore_text(&text, &rules, &Params::default()).text))
                    .collect();
                docs.into_iter().map(|d| d.join().unwrap()).collect()
            });
            assert!(outs.windows(2).all(|w| w[0] == w[1]));
        }
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("every round of restores finishes");
}
