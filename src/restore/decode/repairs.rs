//! OCR's layout slips repaired outside the decoder: Roman labels misread, a label's lost dot,
//! list dashes read as other marks, specks beside marks and at a line's edge.

use super::analyse::Line;
use super::joins::is_capital_syllable;
use super::model::{Channel, Model};
use super::roman::{is_roman_number, misread_roman_part, roman_from_look_alikes};
use crate::restore::lm::is_number_code;
use crate::restore::tokenize::{Kind, Token};

/// The repair of token `k`, one the decoder does not read: a misread list dash, a Roman
/// label's dot, a speck beside a mark, or a protected token's abbreviation or code parts.
pub(super) fn repair_undecoded(
    line: &Line,
    k: usize,
    ch: Channel,
    model: &Model,
) -> Option<String> {
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

/// Punctuation an English-model engine makes of a speck between two words (`với.công`,
/// `các'mô`): joined words are never written so in Vietnamese prose.
pub(super) fn is_stray_mark(s: &str) -> bool {
    matches!(s, "." | "'" | "’" | "‘" | "`" | "-" | "~")
}

/// Index of a line's first token that is not white space (its label or bullet, if any).
pub(super) fn first_token(line: &Line) -> usize {
    line.tokens.first().is_some_and(|t| t.kind == Kind::Space) as usize
}

/// A section label in Roman numerals that OCR read with look-alikes (`IiI.`, `1V.`, `Il.`):
/// the first thing on a line, right before `.` or `)`, made of `I V X` and their look-alikes
/// `i l 1 | ! ¡ v x` with at least one capital or digit (so a list's `ii)` stays), and a
/// Roman number once read so. Section headings hang on these labels.
pub(super) fn misread_roman_label(line: &Line, k: usize, ch: Channel) -> Option<String> {
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

/// Whether `code` is a date or document number ([`is_number_code`]), on OCR'd text also
/// one whose Roman number was misread (`IIl/2021`).
pub(super) fn reads_as_number_code(code: &str, ch: Channel) -> bool {
    is_number_code(code)
        || ch.is_ocr()
            && code.split_once('/').is_some_and(|(roman, rest)| {
                misread_roman_part(roman).is_some()
                    && rest.starts_with(|c: char| c.is_ascii_digit())
            })
}

/// Whether token `k` is the dot of a line-opening Roman label that OCR ran into the heading
/// after it (`I.MỤC ĐÍCH`).
pub(super) fn is_label_dot_without_space(line: &Line, k: usize, ch: Channel) -> bool {
    let toks = &line.tokens;
    let first = first_token(line);
    k == first + 1
        && &line.text[toks[k].range.clone()] == "."
        && toks.get(k + 1).is_some_and(|t| t.kind != Kind::Space)
        && (is_roman_number(&line.text[toks[first].range.clone()])
            || misread_roman_label(line, first, ch).is_some())
        && ch.is_ocr()
}

/// Whether the nearest words before and after token `k` on its line both have lower-case
/// letters (a heading in capitals has none); at a line's start or end, the one word beside it
/// (a sentence runs on over lines: `… của BO` / `Giao duc …`).
pub(super) fn between_lower_case_words(line: &Line, k: usize) -> bool {
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
pub(super) fn is_misread_bullet(line: &Line, k: usize, ch: Channel) -> bool {
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
pub(super) fn is_edge_speck(line: &Line, k: usize, ch: Channel) -> bool {
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
pub(super) fn speck_by_mark(line: &Line, k: usize, ch: Channel) -> Option<String> {
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
pub(super) fn starts_lower_case_word(line: &Line, k: usize) -> bool {
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
pub(super) fn joined_by_speck(line: &Line, j: usize, ch: Channel, model: &Model) -> bool {
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
                    && crate::vietnamese::syllable::is_valid_syllable(&w)
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
