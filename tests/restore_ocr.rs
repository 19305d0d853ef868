//! Restoring text that went through OCR: the damage is applied here, character by character,
//! the way an English-model engine and the Vietnamese model slip, never taken from a sample.

use kehoach::Rules;
use kehoach::restore::syllable::{is_valid_syllable, strip_marks};
use kehoach::restore::{Channel, Params, restore_text};
use unicode_normalization::UnicodeNormalization;

// Written for this test: general administrative Vietnamese.
const TEXT: &str =
    "Ủy ban nhân dân huyện chỉ đạo các xã tổ chức tuyên truyền sâu rộng trong nhân dân.
Phòng Giáo dục và Đào tạo phối hợp với các trường học triển khai thực hiện kế hoạch này.
Các cơ quan, đơn vị báo cáo kết quả thực hiện về Ủy ban nhân dân huyện trước ngày quy định.";

/// An English-model OCR: letters it lacks lose their marks, and some become look-alike digits
/// or other letters (ô→6, ơ→o, ư→u, đ→d, ê→é).
fn english_ocr(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            let base: String = lower
                .to_string()
                .nfd()
                .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                .collect();
            let out = match lower {
                'ô' | 'ố' | 'ổ' => "6".to_string(),
                'ê' | 'ế' | 'ề' | 'ể' | 'ệ' => "é".to_string(),
                'đ' => "d".to_string(),
                _ if base.is_ascii() => base,
                _ => lower.to_string(),
            };
            let out: Vec<char> = if c.is_uppercase() {
                out.to_uppercase().chars().collect()
            } else {
                out.chars().collect()
            };
            out.into_iter()
        })
        .collect()
}

/// [`english_ocr`] with one slip more (`from` read as `to`), which the test needs to happen.
fn english_ocr_with(text: &str, from: &str, to: &str) -> String {
    let damaged = english_ocr(text).replacen(from, to, 1);
    assert!(damaged.contains(to), "{damaged}");
    damaged
}

/// Restoration told which engine read the text, as `--channel` does.
fn engine_known(channel: Channel) -> Params {
    Params {
        channel: Some(channel),
        ..Params::default()
    }
}

/// Text read by the English model, restored with that said (`--channel ocr_eng`).
fn restore_english(damaged: &str) -> String {
    restore_text(damaged, Rules::builtin(), &engine_known(Channel::OcrEng)).text
}

fn accuracy(truth: &str, got: &str) -> f64 {
    let t: Vec<&str> = truth.split_whitespace().collect();
    let g: Vec<&str> = got.split_whitespace().collect();
    assert_eq!(t.len(), g.len(), "{got}");
    t.iter().zip(&g).filter(|(a, b)| a == b).count() as f64 / t.len() as f64
}

#[test]
fn english_model_ocr_is_repaired() {
    let damaged = english_ocr(TEXT);
    assert!(damaged.contains('6'), "the garbling applies: {damaged}");
    let before = accuracy(TEXT, &damaged);
    let r = restore_text(&damaged, Rules::builtin(), &Params::default());
    let after = accuracy(TEXT, &r.text);
    assert!(
        after >= 0.8 && after > before + 0.4,
        "{before:.2} → {after:.2}: {}",
        r.text
    );
    assert_eq!(r.channel, Channel::OcrEng, "damage detected");
    assert_eq!(r.text.lines().count(), TEXT.lines().count());
}

#[test]
fn english_model_ocr_run_together_over_specks_reads_as_with_its_spaces() {
    // A speck in a gap read as `.` or `:` joins two garbled words, one often with a digit for
    // a letter (`hoat.d6ng`): that must not look like a code and stay as it is.
    let damaged = english_ocr(TEXT);
    let mut specked = String::new();
    for line in damaged.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                let lower_words = words[k - 1].ends_with(char::is_alphabetic)
                    && w.starts_with(char::is_lowercase);
                let digit = |w: &str| w.contains(|c: char| c.is_ascii_digit());
                specked.push_str(if (k % 4 == 0 || digit(w)) && lower_words {
                    [".", ":"][k / 4 % 2]
                } else {
                    " "
                });
            }
            specked.push_str(w);
        }
        specked.push('\n');
    }
    let looks_like_a_code = |t: &&str| {
        t.contains(['.', ':']) && t.contains(|c: char| c.is_ascii_digit()) && !t.ends_with('.')
    };
    assert!(
        specked.split_whitespace().any(|t| looks_like_a_code(&t)),
        "{specked}"
    );
    let params = engine_known(Channel::OcrEng);
    let plain = restore_text(&damaged, Rules::builtin(), &params).text;
    let joined = restore_text(specked.trim_end(), Rules::builtin(), &params).text;
    assert_eq!(joined, plain);
}

#[test]
fn syllables_run_together_or_broken_apart_are_split_and_joined() {
    // OCR loses the space between two syllables, or sets one inside a syllable.
    let damage = |s: &str| {
        s.replacen(&strip_marks("chỉ đạo"), &strip_marks("chỉđạo"), 1)
            .replacen("chỉ đạo", "chỉđạo", 1)
            .replacen(&strip_marks("triển khai"), &strip_marks("triểnkhai"), 1)
            .replacen("triển khai", "triểnkhai", 1)
            .replacen("trường", "trườ ng", 1)
    };
    let damaged = damage(TEXT);
    assert_ne!(damaged, TEXT);
    let params = engine_known(Channel::OcrVie);
    let r = restore_text(&damaged, Rules::builtin(), &params);
    assert_eq!(r.text, TEXT, "changes: {:?}", r.decisions);
    assert!(
        r.decisions
            .iter()
            .any(|d| d.original.is_empty() && d.restored == " ")
    );
    assert!(
        r.decisions
            .iter()
            .any(|d| d.original == "trườ ng" && d.restored == "trường")
    );
    // Typed without marks: the run-together words read as they would with their spaces.
    let stripped = strip_marks(TEXT);
    let run_together = damage(&stripped);
    assert_ne!(run_together, stripped);
    let with_spaces = restore_text(&stripped, Rules::builtin(), &Params::default()).text;
    let r = restore_text(&run_together, Rules::builtin(), &Params::default());
    assert_eq!(r.text, with_spaces);
    // A word with no syllable reading that splits into two is a name or loan word in marked
    // text, and stays.
    let named = "Hội thảo tổ chức ở Hanoi với sự tham gia của các trường.";
    assert_eq!(restore_text(named, Rules::builtin(), &params).text, named);
}

#[test]
fn english_model_ocr_is_read_as_vietnamese_not_as_english() {
    // `tổ` garbled to `f6` is one edit from `f`, a letter the vocabulary holds from its corpus and
    // no syllable: every word the restorer writes is a Vietnamese syllable or the token as it came.
    let damaged = english_ocr_with(TEXT, "t6", "f6");
    let restored = restore_english(&damaged);
    let bare = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let written: Vec<String> = damaged.split_whitespace().map(bare).collect();
    for w in restored.split_whitespace().map(bare) {
        assert!(
            w.is_empty() || is_valid_syllable(&w.to_lowercase()) || written.contains(&w),
            "{w} in {restored}"
        );
    }
}

/// Worn type read by the English model: a hooked `ư` becomes two letters (`ir`) and a stop
/// `c` after it an `e`, so `chức` comes out `chire`, three plain edits from its bare letters.
fn worn_english_ocr(s: &str) -> String {
    let split: String = s
        .chars()
        .map(|c| {
            let d: Vec<char> = c.to_string().nfd().collect();
            if d[0] == 'u' && d.contains(&'\u{31b}') {
                "ir".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    let split = english_ocr(&split);
    split
        .split(' ')
        .map(|w| match w.strip_suffix('c') {
            Some(stem) if stem.contains("ir") => format!("{stem}e"),
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_letter_written_as_two_and_a_misread_one_next_to_it_are_both_repaired() {
    let text = "Nhà trường tổ chức tập huấn cho giáo viên trước khi triển khai thực hiện.";
    let damaged = worn_english_ocr(text);
    assert!(damaged.contains("chire"), "the garbling applies: {damaged}");
    let got = restore_english(&damaged);
    for word in ["trường", "chức", "trước", "thực"] {
        assert!(got.contains(word), "{word} in {got} (from {damaged})");
    }
}

#[test]
fn a_short_word_read_two_letters_off_is_found_among_its_many_neighbours() {
    // `cứ` read as `cif`: hundreds of skeletons lie within two edits of a three-letter
    // token, and the right one, `cu`, is not among the nearest.
    let text = "Căn cứ Luật Giáo dục, nhà trường xây dựng kế hoạch năm học.";
    let damaged = english_ocr_with(text, "cu ", "cif ");
    let got = restore_english(&damaged);
    assert!(got.starts_with("Căn cứ Luật"), "{got} (from {damaged})");
}

#[test]
fn a_foreign_name_far_from_every_syllable_stays_as_written() {
    // No syllable is within two edits of `debian`; the far search must not make one of it.
    for text in ["Phần mềm Debian.", "Hệ điều hành Debian"] {
        let damaged = english_ocr(text);
        let got = restore_english(&damaged);
        assert!(got.contains("Debian"), "{got} (from {damaged})");
    }
}

#[test]
fn abbreviations_whose_d_with_stroke_was_read_as_b_are_repaired() {
    // The English model has no `Đ` and often reads it as `B`: `HĐND` comes out `HBND`, which
    // also lies one letter from `UBND`. Abbreviations and codes of rules/abbreviations.tsv.
    let text = "HĐND huyện và UBND huyện giao Phòng GD&ĐT phối hợp với Phòng LĐTB&XH \
                thực hiện Thông tư số 15/2023/TT-BGDĐT.";
    let damaged = english_ocr(text)
        .replace("HDND", "HBND")
        .replace("GD&DT", "GD&BT")
        .replace("LDTB", "LBTB")
        .replace("BGDDT", "BGDBT");
    assert!(
        damaged.contains("HBND") && damaged.contains("TT-BGDBT"),
        "{damaged}"
    );
    let got = restore_english(&damaged);
    for abbreviation in ["HĐND huyện", "UBND huyện", "GD&ĐT", "LĐTB&XH", "TT-BGDĐT"] {
        assert!(
            got.contains(abbreviation),
            "{abbreviation} in {got} (from {damaged})"
        );
    }
    // Correct text keeps what it wrote.
    let written = "Phòng GD&BT và HBND.";
    let kept = restore_text(written, Rules::builtin(), &engine_known(Channel::None)).text;
    assert_eq!(kept, written);
}

#[test]
fn an_l_read_as_a_capital_i_is_lower_case_again() {
    let text = "Các lớp học được tổ chức trong năm.";
    let damaged = english_ocr_with(text, " l", " I");
    assert_eq!(restore_english(&damaged), text);
}

#[test]
fn words_in_another_script_are_never_read_as_latin_letters() {
    // A Chinese character or a Greek letter inside OCR'd text: no Vietnamese was damaged there.
    let text = "Các lớp học 中 được tổ chức trong năm, hệ số σ.";
    for channel in [Channel::OcrEng, Channel::OcrVie, Channel::Stripped] {
        let params = engine_known(channel);
        let r = restore_text(&english_ocr(text), Rules::builtin(), &params);
        assert!(
            r.text.contains(" 中 ") && r.text.contains(" σ."),
            "{channel:?}: {}",
            r.text
        );
    }
}

#[test]
fn a_lower_case_vowel_read_as_a_capital_does_not_make_the_word_capitals() {
    let text = "Thông tư của Bộ Giáo dục và Đào tạo được triển khai trong năm học.";
    // `ộ` read as a capital `O`, as a tall dotted vowel often is.
    let damaged = english_ocr_with(text, " Bo ", " BO ");
    let got = restore_english(&damaged);
    assert!(got.contains("của Bộ Giáo"), "{got}");
    // So at a line's end or start, where the sentence runs on over the break.
    for (from, to) in [(" Bo Giao", " BO\nGiao"), (" Bo Giao", "\nBO Giao")] {
        let got = restore_english(&english_ocr_with(text, from, to));
        let word = got.split_whitespace().find(|w| w.starts_with('B'));
        assert!(
            word.is_some_and(|w| w.chars().skip(1).all(char::is_lowercase)),
            "{got}"
        );
    }
    // A heading in capitals keeps them.
    let heading = english_ocr("KẾ HOẠCH CỦA BỘ GIÁO DỤC");
    let got = restore_english(&heading);
    assert!(got.contains("BỘ"), "{got}");
}

#[test]
fn a_stray_slip_in_correct_text_is_fixed_and_nothing_else_moves() {
    // One letter doubled inside one word, as OCR engines do.
    let damaged = TEXT.replacen("triển", "triiển", 1);
    let r = restore_text(&damaged, Rules::builtin(), &Params::default());
    assert_eq!(r.channel, Channel::None);
    assert_eq!(r.text, TEXT, "changes: {:?}", r.decisions);
}

#[test]
fn a_foreign_word_no_marking_makes_a_syllable_stays_in_correct_text() {
    // Written for this test: a shell command in correct prose. `mv` has no marks and no
    // marking of it is a syllable, so it is no slip of `mở`, which the line's context would
    // prefer; a slip in a word written with marks is still mended (test above).
    let text = "Dùng lệnh mv để chuyển tệp sang thư mục khác.";
    let r = restore_text(text, Rules::builtin(), &Params::default());
    assert_eq!(r.channel, Channel::None);
    assert_eq!(r.text, text, "changes: {:?}", r.decisions);
}

#[test]
fn decisions_point_at_their_words_with_confidence_and_alternatives() {
    // TEXT's words are all plain to the model; a line with short, context-poor phrases
    // leaves some in doubt, and those decisions must name what else they could be.
    let stripped: String = format!("{TEXT}\nNhà văn hóa phường có ngày hội đọc sách.")
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| {
            if c == 'đ' {
                'd'
            } else if c == 'Đ' {
                'D'
            } else {
                c
            }
        })
        .collect();
    let r = restore_text(&stripped, Rules::builtin(), &Params::default());
    assert_eq!(r.channel, Channel::Stripped);
    assert!(r.changed_words() > 20);
    for d in &r.decisions {
        assert_eq!(&r.text[d.range.clone()], d.restored);
        assert!(d.confidence > 0.0 && d.confidence <= 1.0, "{d:?}");
        assert!(!d.alternatives.contains(&d.restored));
    }
    assert!(r.decisions.iter().any(|d| !d.alternatives.is_empty()));
}

#[test]
fn specks_read_as_punctuation_between_words_are_spaces_again() {
    // Tesseract `vie` reads a speck in the gap between two words as `.`, `:` or `-`: join
    // every third gap between two words so, in turn.
    let mut damaged = String::new();
    for (i, line) in TEXT.lines().enumerate() {
        let words: Vec<&str> = line.split(' ').collect();
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                let between_words = words[k - 1].ends_with(char::is_alphabetic);
                let gap = if k % 3 == 0 && between_words {
                    [".", ":", "-"][(k / 3 + i) % 3]
                } else {
                    " "
                };
                damaged.push_str(gap);
            }
            damaged.push_str(w);
        }
        damaged.push('\n');
    }
    let damaged = damaged.trim_end();
    assert_ne!(damaged, TEXT);
    let params = engine_known(Channel::OcrVie);
    let r = restore_text(damaged, Rules::builtin(), &params);
    assert_eq!(r.text, TEXT, "changes: {:?}", r.decisions);
    assert!(
        r.decisions
            .iter()
            .any(|d| d.original == "." && d.restored == " ")
    );
    // Each text below, damaged by replacing each `from` once by its `to`, reads back as it was.
    let mends = |intended: &str, damage: &[(&str, &str)]| {
        let damaged = damage.iter().fold(intended.to_string(), |t, (from, to)| {
            t.replacen(from, to, 1)
        });
        let r = restore_text(&damaged, Rules::builtin(), &params);
        assert_eq!(r.text, intended, "changes: {:?}", r.decisions);
    };
    // A list dash read as a tilde, an underscore or an equals sign is a dash again.
    mends(
        "- Phòng Giáo dục và Đào tạo;\n  - các trường học.\n- Ủy ban nhân dân huyện.",
        &[("-", "~"), ("-", "_"), ("-", "=")],
    );
    // A speck run into a comma or a closing quote after it.
    mends(
        "các cơ quan, đơn vị “học tập” trong nhân dân.",
        &[(", ", ",."), ("” ", "”-")],
    );
    // A speck before an opening bracket, between a word and a year, or read as an apostrophe.
    mends(
        "các cơ quan (đơn vị) trong năm 2021 về Ủy ban",
        &[(" (", ".("), (" 2021", ".2021"), (" Ủy", "'Ủy")],
    );
    // Section labels in Roman numerals read with look-alikes, or run into their heading; a
    // list's lower-case `ii)` and an Arabic `1.` stay.
    mends(
        "I. MỤC ĐÍCH\nIII. NỘI DUNG\nIV. TỔ CHỨC\nii) các đơn vị\n1. Phòng",
        &[("I. MỤC", "I.MỤC"), ("III.", "IiI."), ("IV.", "1V.")],
    );
    // Dust at a line's edge read as a lone mark goes, with the space that set it apart; a
    // list dash read as `_` stays a dash.
    mends(
        "các cơ quan, đơn vị.\nvề Ủy ban nhân dân huyện.\n- trường học",
        &[("các", "` các"), ("huyện.", "huyện. _"), ("- ", "_ ")],
    );
    // A vertical speck at a line's end read as a lone `l`.
    mends(
        "các cơ quan, đơn vị\nvề Ủy ban nhân dân huyện.",
        &[("vị", "vị l"), ("huyện.", "huyện. l")],
    );
    // Joins that are real writing stay: an abbreviation with its dot, a hyphenated place name.
    mends("Sở GD&ĐT Tp.Hà Nội, tỉnh Bà Rịa-Vũng Tàu.", &[]);
}

#[test]
fn letters_read_as_two_others_are_repaired_on_vietnamese_model_ocr() {
    // `n` read as `ri` (and `m` as `rn`): two edits from the word, which is then no word.
    let damaged = TEXT
        .replacen("trong", "trorig", 1)
        .replacen("truyền", "truyềri", 1);
    let params = engine_known(Channel::OcrVie);
    let r = restore_text(&damaged, Rules::builtin(), &params);
    assert_eq!(r.text, TEXT, "changes: {:?}", r.decisions);
}

#[test]
fn vietnamese_model_ocr_is_recognised_without_being_told() {
    // Marked text with a few words no dictionary has: Tesseract `vie` slips, repaired as such
    // even when nobody says the text came from OCR.
    let damaged = TEXT
        .replacen("trong", "trorig", 1)
        .replacen("truyền", "truyềri", 1);
    let r = restore_text(&damaged, Rules::builtin(), &Params::default());
    assert_eq!(r.channel, Channel::OcrVie);
    assert_eq!(r.text, TEXT, "changes: {:?}", r.decisions);
}

#[test]
fn english_model_ocr_marks_run_into_words_and_symbols_for_letters_are_read_again() {
    // Written for this test.
    let intended = "Ủy ban nhân dân xã tổ chức hội nghị ngày 10/5/2021 tại trụ sở xã, theo \
                    Kế hoạch số 12/KH-UBND.\nQuý I/2021, Quý IV/2021 và Quý III/2021: các em học tập ở \
                    địa phương, (Phòng Giáo dục).";
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| w.trim_matches(|c: char| ".,;:()".contains(c)).to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    // Each slip on its own, then all of them: the English model's `&` and `@` for a letter
    // with marks (alone, `@` is `ở`), a speck next to a mark where a space was, a word run
    // into the code after it, a Roman quarter read with a digit or an `l`, a horn read as an
    // apostrophe.
    let slips: [(&str, &str); 9] = [
        ("xa t6", "x& t6"),
        (" o ", " @ "),
        ("2021 tai", "2021.tai"),
        (", theo", ",:theo"),
        ("s6 12", "s6.12"),
        ("IV/", "1V/"),
        ("III/", "IIl/"),
        (" I/", " ¡/"),
        ("phuong", "phuo'ng"),
    ];
    let mut all = english_ocr(intended);
    for (from, to) in slips {
        let damaged = english_ocr_with(intended, from, to);
        all = all.replacen(from, to, 1);
        assert_eq!(words(&restore_english(&damaged)), words(intended), "{to}");
    }
    let restored = restore_english(&all);
    assert_eq!(words(&restored), words(intended), "{all}");
    // The marks themselves are kept, with the space they lost.
    assert!(restored.contains("xã,: theo"), "{restored}");
    // Correct text with the same marks is left as it is.
    let typed = "hội trường,:theo số.12/KH-UBND ngày 10/5/2021.tại";
    let r = restore_text(typed, Rules::builtin(), &Params::default());
    assert_eq!(r.text, typed);
}

#[test]
fn a_signature_authority_stays_an_abbreviation() {
    // The prefixes of `rules/bodies.toml` (Decree 30/2020/NĐ-CP): no syllables to restore,
    // though `TM` is one letter from `TÌM` and `TUQ` from `TỰ`.
    let intended = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nTL. CHỦ TỊCH\nTUQ. CHỦ TỊCH";
    let damaged = english_ocr(intended);
    assert_ne!(damaged, intended);
    assert_eq!(restore_english(&damaged), intended);
}

#[test]
fn capital_words_joined_by_a_hyphen_are_words_again_and_codes_stay() {
    // English-model OCR reads a gap in a heading as a hyphen.
    let intended = "KẾ HOẠCH CỦA HỘI KHUYẾN HỌC\nKT. CHỦ TỊCH\nSố: 12/KH-UBND, Chỉ thị 01/CT-TU";
    let mut damaged = english_ocr(intended);
    for (from, to) in [("HOI KHUY", "HOI-KHUY"), ("CHU TICH", "CHU-TICH")] {
        assert!(damaged.contains(from), "{damaged}");
        damaged = damaged.replacen(from, to, 1);
    }
    assert_eq!(restore_english(&damaged), intended);
}

#[test]
fn a_sentence_cut_by_line_breaks_is_read_as_one() {
    // Text as a page wraps it: four words a line, sentences running on over the breaks. The
    // words at a line's end and start are each other's context, as on one line.
    let words: Vec<&str> = TEXT.split_whitespace().collect();
    let wrapped = words
        .chunks(4)
        .map(|c| c.join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    let restored = restore_english(&english_ocr(&wrapped));
    assert_eq!(restored.lines().count(), wrapped.lines().count());
    assert_eq!(restored, wrapped);
}

#[test]
fn a_question_mark_for_the_hook_of_u_is_a_letter_when_the_sentence_goes_on() {
    // The English model reads `ữ`/`ứ` as a letter and `?` (`thi?` for `thứ`); a real question
    // ends a sentence, so a `?` followed by more of it in lower case is no question's end.
    let intended = "Các đơn vị thứ nhất là trường học, thứ hai là các cơ quan.";
    let damaged = english_ocr_with(intended, "thu nhat", "thi? nhat");
    assert_eq!(restore_english(&damaged), intended);
    let question = "Các đơn vị đã thực hiện chưa? Các trường học báo cáo.";
    assert_eq!(restore_english(&english_ocr(question)), question);
}
