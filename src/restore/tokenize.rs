//! Splitting a line into the pieces the decoder looks at.
//!
//! Words are runs of letters, plus the digits and symbols an OCR engine puts inside words
//! (`v6i`, `x4`, `d@`), because those are exactly the tokens that need repair. Whole
//! white-space chunks that are numbers, dates, document codes (`415/KH-UBND`), e-mail or web
//! addresses are kept as one protected token so no part of them is ever "restored".

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters only: a candidate syllable.
    Word,
    /// Letters mixed with digits or OCR symbols (`v6i`, `16p`): repaired only on OCR text.
    Mixed,
    /// Digits only.
    Number,
    /// Codes, dates, addresses, Roman numeral labels: never changed.
    Protected,
    /// White space.
    Space,
    /// Anything else (punctuation, symbols).
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Byte range in the line.
    pub range: Range<usize>,
}

/// Characters an OCR engine substitutes for Vietnamese letters inside a word.
pub fn is_ocr_symbol(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '@' | '&' | '€' | '$' | '¢' | '£' | '¥' | '§' | '|')
}

/// Letters, OCR's stand-ins for them, and combining marks: after NFC a mark stays apart only
/// where no precomposed letter exists (`Ⱥ̆`), and it belongs to the letter before it, or a
/// restored letter would end up with another's marks.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_ocr_symbol(c) || unicode_normalization::char::is_combining_mark(c)
}

/// Punctuation that may wrap a protected chunk: `(415/KH-UBND),` keeps its brackets apart.
fn is_wrapping(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | ','
            | ';'
            | ':'
            | '"'
            | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '.'
            | '!'
            | '?'
    )
}

/// Whether a white-space chunk (wrapping punctuation removed) must be kept whole.
fn is_protected_chunk(core: &str) -> bool {
    // Every protected shape below has one of these characters; a plain word (most chunks) has
    // none, and is settled without the allocations the checks make.
    if !core.contains(['.', '@', '/', '-', '_', ':']) {
        return false;
    }
    let lower = core.to_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return true;
    }
    if let Some(at) = core.find('@') {
        // An e-mail address: something@domain.tld (an OCR'd "d@" has no dot after the @).
        let domain = &core[at + 1..];
        if at > 0 && domain.contains('.') && !domain.ends_with('.') {
            return true;
        }
    }
    // A file path (`/usr/share/doc`, `~/.config`): its parts are names, not words.
    let path_parts = core.trim_start_matches(['~', '.']);
    if path_parts.starts_with('/')
        && (path_parts.len() < core.len() || core.matches('/').count() >= 2)
        && core.chars().any(char::is_alphabetic)
    {
        return true;
    }
    // Single letters joined by slashes are an abbreviation (`Đ/c` đồng chí, `v/v` về việc,
    // `b/c` báo cáo), not words to restore one letter at a time.
    if core.contains('/')
        && core
            .split('/')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
    {
        return true;
    }
    let has_digit = core.chars().any(|c| c.is_ascii_digit());
    let has_sep = core
        .char_indices()
        .any(|(i, c)| matches!(c, '/' | '-' | '.' | '_' | ':') && i > 0 && i + 1 < core.len());
    let letters: Vec<char> = core.chars().filter(|c| c.is_alphabetic()).collect();
    let all_upper = !letters.is_empty() && letters.iter().all(|c| c.is_uppercase());
    // Codes and dates: 415/KH-UBND, 49-KL/TW, 06/02/2023, 2021-2030, 1.000.000, 8:30. Not
    // words that OCR ran together over a speck (`hoat.d6ng`, `nam.2021`, `c6,.xay`): a code
    // has no lower-case part that is a Vietnamese syllable.
    if has_sep && (has_digit || all_upper) && !has_syllable_part(core) {
        return true;
    }
    // Web addresses without a scheme: example.gov.vn
    let l = lower.as_str();
    if [".vn", ".com", ".org", ".net", ".gov"]
        .iter()
        .any(|t| l.contains(&format!("{t}/")) || l.ends_with(t))
        && l.contains('.')
        && !l.starts_with('.')
    {
        return true;
    }
    false
}

/// Whether a chunk has a part between separators that is a Vietnamese syllable of two letters
/// or more in lower or title case (`cua` in `10/5/2019.cua`, `Huy` in `Huy.d6ng`), or in
/// capitals with a mark (`MỤC` in `I.MỤC`); not `kh`, `ubnd` or `qđ` of a code typed in lower
/// case, nor `KH`, `TU` or `QĐ`.
fn has_syllable_part(core: &str) -> bool {
    // Parts run between separators: letters glued to digits (`2.5ha`) are a measure, no word.
    core.split(|c: char| !c.is_alphanumeric()).any(|part| {
        let mut cs = part.chars();
        let cased = cs.next().is_some()
            && cs.clone().next().is_some()
            && (cs.all(char::is_lowercase)
                || part.chars().all(char::is_uppercase) && !part.is_ascii());
        // English-model OCR writes `é` for `ê` with any tone (`mién.m6` is `miền mô`).
        let lower = part.to_lowercase();
        cased
            && (crate::vietnamese::syllable::is_valid_syllable(&lower)
                || lower.contains('é')
                    && crate::vietnamese::syllable::is_valid_syllable(&lower.replace('é', "ế")))
    })
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
}

/// Split a line into tokens covering it exactly, in order.
pub fn tokenize(line: &str) -> Vec<Token> {
    tokenize_with(line, &|_| false)
}

/// [`tokenize`], keeping whole every chunk or word for which `keep` is true (abbreviations
/// such as `GD&ĐT`, whose `&` would otherwise split them).
pub fn tokenize_with(line: &str, keep: &dyn Fn(&str) -> bool) -> Vec<Token> {
    let mut out = vec![];
    let mut i = 0;
    let bytes_len = line.len();
    while i < bytes_len {
        let c = line[i..].chars().next().expect("in bounds");
        if c.is_whitespace() {
            let end = line[i..]
                .char_indices()
                .find(|(_, c)| !c.is_whitespace())
                .map_or(bytes_len, |(k, _)| i + k);
            out.push(Token {
                kind: Kind::Space,
                range: i..end,
            });
            i = end;
            continue;
        }
        let end = line[i..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(bytes_len, |(k, _)| i + k);
        chunk(line, i..end, keep, &mut out);
        i = end;
    }
    out
}

fn chunk(line: &str, r: Range<usize>, keep: &dyn Fn(&str) -> bool, out: &mut Vec<Token>) {
    let s = &line[r.clone()];
    if let Some(c) = inner_cluster(s) {
        // Two chunks that OCR ran together over a speck next to a mark (`số:.01/KH-UBND`,
        // `MN,.TH`): no code or address holds such a cluster, and the code after it is still
        // protected as a chunk of its own.
        chunk(line, r.start..r.start + c.start, keep, out);
        push_punct(r.start + c.start..r.start + c.end, out);
        chunk(line, r.start + c.end..r.end, keep, out);
        return;
    }
    let lead = s.len() - s.trim_start_matches(is_wrapping).len();
    let core_all = &s[lead..];
    let core = core_all.trim_end_matches(is_wrapping);
    if let Some(i) = word_before_code(core) {
        let cs = r.start + lead;
        push_punct(r.start..cs, out);
        chunk(line, cs..cs + i, keep, out);
        push_punct(cs + i..cs + i + 1, out);
        chunk(line, cs + i + 1..r.end, keep, out);
        return;
    }
    if keep(core) || is_protected_chunk(core) {
        push_punct(r.start..r.start + lead, out);
        let cs = r.start + lead;
        out.push(Token {
            kind: Kind::Protected,
            range: cs..cs + core.len(),
        });
        push_punct(cs + core.len()..r.end, out);
        return;
    }
    let mut i = r.start;
    while i < r.end {
        let c = line[i..].chars().next().expect("in bounds");
        let word = is_word_char(c);
        let end = line[i..r.end]
            .char_indices()
            .find(|(_, c)| is_word_char(*c) != word)
            .map_or(r.end, |(k, _)| i + k);
        let text = &line[i..end];
        if word
            && !keep(text)
            && let Some(at) = super::guard::edge_number(text)
        {
            // A number run into a syllable (`04tháng`, `tháng5`): each read as itself.
            let digits_first = text.starts_with(|c: char| c.is_ascii_digit());
            let kinds = if digits_first {
                [Kind::Number, Kind::Word]
            } else {
                [Kind::Word, Kind::Number]
            };
            out.push(Token {
                kind: kinds[0],
                range: i..i + at,
            });
            out.push(Token {
                kind: kinds[1],
                range: i + at..end,
            });
            i = end;
            continue;
        }
        let kind = if !word {
            Kind::Punct
        } else if keep(text) {
            Kind::Protected
        } else if text.chars().all(|c| c.is_ascii_digit()) {
            Kind::Number
        } else if matches!(text, "&" | "@") && end - i == r.len() {
            // Standing alone, English-model OCR's `&` and `@` are mostly `ở` (`học tập @ địa
            // phương`); only the OCR channels read it so.
            Kind::Mixed
        } else if !text.chars().any(char::is_alphabetic) {
            Kind::Punct
        } else if text.chars().any(is_ocr_symbol) {
            // "16p" may be "lớp"; but "2023a" or "3b" (a numbered item) is left alone below.
            let mut cs = text.chars();
            let last = cs.next_back();
            if cs.clone().next().is_some()
                && cs.all(|c| c.is_ascii_digit())
                && last.is_some_and(char::is_alphabetic)
                && line[end..r.end].starts_with([')', '.'])
            {
                Kind::Protected
            } else {
                Kind::Mixed
            }
        } else if is_roman(text) && (line[end..r.end].starts_with(['.', ')', ':', '/'])) {
            Kind::Protected
        } else {
            Kind::Word
        };
        out.push(Token {
            kind,
            range: i..end,
        });
        i = end;
    }
}

/// Where a word ends that was written, or OCR'd, against the number or code after it with
/// only a `.` or `:` between (`Số:27/QĐ-UBND`, `s6.04/CT-UBND`, `ngày:06/02/2023`): the word
/// is a syllable, or has lower case and an OCR stand-in for a letter, and the rest is a
/// protected chunk that starts with a digit and holds a `/`.
fn word_before_code(core: &str) -> Option<usize> {
    let i = core.find(['.', ':'])?;
    let (word, code) = (&core[..i], &core[i + 1..]);
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let word_like = word.chars().next().is_some_and(char::is_alphabetic)
        && word.chars().all(|c| c.is_alphabetic() || is_ocr_symbol(c))
        && letters.any(char::is_lowercase)
        && (word.chars().any(is_ocr_symbol)
            || crate::vietnamese::syllable::is_valid_syllable(&word.to_lowercase()));
    let code_like = code.starts_with(|c: char| c.is_ascii_digit())
        && code.contains('/')
        && is_protected_chunk(code);
    (word_like && code_like).then_some(i)
}

/// The first run inside `s` (with a letter or digit on both sides) of two or more of
/// `. , ; :`, one of them not a full stop (`..` may be an ellipsis, `1..5` a range).
fn inner_cluster(s: &str) -> Option<Range<usize>> {
    let is_mark = |c: char| matches!(c, '.' | ',' | ';' | ':');
    let mut prev_alnum = false;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !is_mark(c) {
            prev_alnum = c.is_alphanumeric();
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek().filter(|(_, d)| is_mark(*d)) {
            end = j + d.len_utf8();
            it.next();
        }
        let run = &s[i..end];
        let next_alnum = s[end..].chars().next().is_some_and(char::is_alphanumeric);
        if prev_alnum && next_alnum && run.chars().count() >= 2 && run.chars().any(|c| c != '.') {
            return Some(i..end);
        }
        prev_alnum = false;
    }
    None
}

fn push_punct(r: Range<usize>, out: &mut Vec<Token>) {
    if !r.is_empty() {
        out.push(Token {
            kind: Kind::Punct,
            range: r,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Kind, &str)> {
        tokenize(line)
            .into_iter()
            .filter(|t| t.kind != Kind::Space)
            .map(|t| (t.kind, &line[t.range]))
            .collect()
    }

    #[test]
    fn a_number_run_into_a_syllable_is_a_number_and_a_word() {
        assert_eq!(
            kinds("ngay 04thang 5"),
            [
                (Kind::Word, "ngay"),
                (Kind::Number, "04"),
                (Kind::Word, "thang"),
                (Kind::Number, "5")
            ]
        );
        assert_eq!(
            kinds("danh 10hieu")[1..],
            [(Kind::Number, "10"), (Kind::Word, "hieu")]
        );
        assert_eq!(
            kinds("nam2013")[..],
            [(Kind::Word, "nam"), (Kind::Number, "2013")]
        );
        assert_eq!(kinds("16p")[..], [(Kind::Mixed, "16p")]);
    }

    #[test]
    fn file_paths_are_protected() {
        let k = kinds("Tệp /usr/share/doc/x.pdf, ~/.config và /etc/hosts.");
        for path in ["/usr/share/doc/x.pdf", "~/.config", "/etc/hosts"] {
            assert!(k.contains(&(Kind::Protected, path)), "{path}: {k:?}");
        }
        // A slash between words is no path.
        assert!(kinds("học sinh/sinh viên").contains(&(Kind::Word, "sinh")));
    }

    #[test]
    fn codes_dates_and_addresses_are_protected() {
        let k = kinds("Số: 415/KH-UBND ngày 06/02/2023 (xem www.example.gov.vn, a.b@c.vn)");
        assert!(k.contains(&(Kind::Protected, "415/KH-UBND")));
        assert!(k.contains(&(Kind::Protected, "06/02/2023")));
        assert!(k.contains(&(Kind::Protected, "www.example.gov.vn")));
        assert!(k.contains(&(Kind::Protected, "a.b@c.vn")));
        assert!(k.contains(&(Kind::Word, "ngày")));
        // A code typed in lower case is still a code.
        assert!(kinds("số 1234/qđ-ubnd").contains(&(Kind::Protected, "1234/qđ-ubnd")));
        assert_eq!(
            kinds("Đ/c v/v"),
            vec![(Kind::Protected, "Đ/c"), (Kind::Protected, "v/v")]
        );
    }

    #[test]
    fn words_run_together_over_a_speck_are_no_code() {
        // OCR joined two words at a speck, one with a digit for a letter: words to repair.
        assert_eq!(
            kinds("hoat.d6ng nam.2021"),
            vec![
                (Kind::Word, "hoat"),
                (Kind::Punct, "."),
                (Kind::Mixed, "d6ng"),
                (Kind::Word, "nam"),
                (Kind::Punct, "."),
                (Kind::Number, "2021")
            ]
        );
        assert_eq!(kinds("Huy.d6ng")[0], (Kind::Word, "Huy"));
        assert_eq!(kinds("mién.m6")[0], (Kind::Word, "mién"));
        assert_eq!(kinds("I.MỤC")[2], (Kind::Word, "MỤC"));
        for code in ["49-KL/TW", "15/KH-HĐND", "01/CT-TU", "QĐ-UBND", "2.5ha"] {
            assert_eq!(kinds(code), vec![(Kind::Protected, code)]);
        }
    }

    #[test]
    fn chunks_run_together_next_to_a_mark_are_taken_apart() {
        // A word written or OCR'd against the code after it: the code is still one token.
        for (line, word) in [("Số:27/QĐ-UBND", "Số"), ("s6.04/CT-UBND", "s6")] {
            let k = kinds(line);
            assert!(k[0].1 == word && k[1].0 == Kind::Punct, "{k:?}");
            assert_eq!(k[2].0, Kind::Protected, "{k:?}");
        }
        // Two marks where a space was (`s6:.01/KH`, `MN,.TH`): no code holds them.
        assert_eq!(
            kinds("s6:.01/KH-HKH"),
            vec![
                (Kind::Mixed, "s6"),
                (Kind::Punct, ":."),
                (Kind::Protected, "01/KH-HKH")
            ]
        );
        assert_eq!(kinds("MN,.TH")[1], (Kind::Punct, ",."));
        // Addresses, times, an ellipsis and a range keep their marks inside.
        for whole in ["www.example.gov.vn", "8:30", "1..5", "http://a.vn/b"] {
            assert_eq!(kinds(whole), vec![(Kind::Protected, whole)]);
        }
    }

    #[test]
    fn an_ampersand_in_a_word_is_an_ocr_stand_in() {
        assert_eq!(kinds("x&")[0], (Kind::Mixed, "x&"));
        assert_eq!(kinds("m¥ thuật")[0], (Kind::Mixed, "m¥"));
        // A numbered item is digits and one letter; `1€u.` (`lều.`) is a word to repair.
        assert_eq!(kinds("3b.")[0], (Kind::Protected, "3b"));
        assert_eq!(kinds("trong 1€u.")[1], (Kind::Mixed, "1€u"));
        assert_eq!(kinds("tập @ địa")[1], (Kind::Mixed, "@"));
        // An abbreviation with `&` is kept whole by the caller's `keep`.
        let line = "Sở GD&ĐT";
        let t = tokenize_with(line, &|s| s == "GD&ĐT");
        assert_eq!(
            (t[2].kind, &line[t[2].range.clone()]),
            (Kind::Protected, "GD&ĐT")
        );
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        assert_eq!(
            kinds("xin Ⱥ\u{306}\u{300} chào")[1],
            (Kind::Word, "Ⱥ\u{306}\u{300}")
        );
    }

    #[test]
    fn ocr_words_with_digits_are_mixed() {
        let k = kinds("v6i x4 d@u 2023");
        assert_eq!(
            k,
            vec![
                (Kind::Mixed, "v6i"),
                (Kind::Mixed, "x4"),
                (Kind::Mixed, "d@u"),
                (Kind::Number, "2023")
            ]
        );
    }

    #[test]
    fn roman_labels_are_protected_and_tokens_cover_the_line() {
        let line = "II. MỤC TIÊU, yêu cầu";
        let t = tokenize(line);
        assert_eq!(
            t.iter().map(|t| &line[t.range.clone()]).collect::<String>(),
            line
        );
        assert_eq!(t[0].kind, Kind::Protected);
    }
}
