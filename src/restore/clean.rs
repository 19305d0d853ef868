//! Export artefacts that must not leak into headings or values.
//!
//! Plans reach us through Word, Markdown converters and old OCR. Their artefacts are blanked
//! here, before anything reads the text, and always *within* a line so that line *i* stays
//! line *i*:
//! - Markdown emphasis: `**bold**`, `*italic*`, `__bold__`;
//! - Word field codes printed as text: a line that is just `PAGE` (and the page number on the
//!   line after it), `MERGEFORMAT`;
//! - invisible characters: zero-width spaces and joiners, soft hyphens, BOMs; non-breaking
//!   spaces become spaces; `\r\n` becomes `\n`; trailing white space goes.

/// Clean `text`, keeping its line count.
pub fn clean(text: &str) -> String {
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut blank_next_number = false;
    for line in &lines {
        let t = line.trim();
        if blank_next_number && !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
            out.push(String::new());
            blank_next_number = false;
            continue;
        }
        if !t.is_empty() {
            blank_next_number = false;
        }
        if is_field_code(t) {
            out.push(String::new());
            blank_next_number = true;
            continue;
        }
        out.push(clean_line(line));
    }
    out.join("\n")
}

/// `PAGE`, `NUMPAGES`, `PAGE \* MERGEFORMAT`: Word fields exported as their code.
fn is_field_code(t: &str) -> bool {
    let first = t.split_whitespace().next().unwrap_or("");
    matches!(first, "PAGE" | "NUMPAGES" | "SECTIONPAGES")
        && t.split_whitespace().skip(1).all(|w| {
            w == "\\*"
                || w.eq_ignore_ascii_case("MERGEFORMAT")
                || w.chars().all(|c| c.is_ascii_digit())
        })
}

fn clean_line(line: &str) -> String {
    // Nothing below touches a plain ASCII line without emphasis marks but its trailing space.
    if line.is_ascii() && !line.contains(['*', '_']) {
        return line.trim_end().to_string();
    }
    let mut s: String = line
        .chars()
        .filter_map(|c| match c {
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => Some(' '),
            // Slash look-alikes (fraction and division slashes) that OCR and some fonts give
            // for the '/' of a document number ("27⁄KH-UBND").
            '\u{2044}' | '\u{2215}' => Some('/'),
            c => Some(c),
        })
        .collect();
    s = strip_emphasis(&s, "**");
    s = strip_double_underscores(&s);
    s = strip_single_star(&s);
    s.truncate(s.trim_end().len());
    s
}

/// Remove `mark` pairs (and a lone unmatched `mark`, which a line break inside a bold run
/// leaves behind). Marks are never content in administrative text.
fn strip_emphasis(s: &str, mark: &str) -> String {
    if !s.contains(mark) {
        return s.to_string();
    }
    s.replace(mark, "")
}

/// `__bold__`: remove runs of exactly two underscores. A longer run is a blank to fill in
/// (`Họ và tên: ________`), which is content: an archivist must see the form had one.
fn strip_double_underscores(s: &str) -> String {
    if !s.contains("__") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('_') {
        out.push_str(&rest[..start]);
        let run = rest[start..].len() - rest[start..].trim_start_matches('_').len();
        if run != 2 {
            out.push_str(&rest[start..start + run]);
        }
        rest = &rest[start + run..];
    }
    out.push_str(rest);
    out
}

/// `*italic*` around text: remove a `*` that touches a letter, digit or quote on one side and
/// not on the other (an emphasis edge), but keep `*` used as a bullet or footnote mark at the
/// start of a line followed by a space.
fn strip_single_star(s: &str) -> String {
    if !s.contains('*') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '*' {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let solid = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
            let bullet = chars[..i].iter().all(|c| c.is_whitespace())
                && next.is_some_and(char::is_whitespace);
            if !bullet && (solid(prev) != solid(next) || (solid(prev) && solid(next))) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_markdown_and_word_fields_keeping_lines() {
        let t = "**HỘI KHUYẾN HỌC\nQUẬN LONG BIÊN**\nSố: **01** /KH-HKH\n“*Dân vận khéo*”\nPAGE  \n4\nend";
        let c = clean(t);
        assert_eq!(c.lines().count(), t.lines().count());
        assert_eq!(
            c,
            "HỘI KHUYẾN HỌC\nQUẬN LONG BIÊN\nSố: 01 /KH-HKH\n“Dân vận khéo”\n\n\nend"
        );
    }

    #[test]
    fn keeps_blanks_to_fill_in_but_not_underscore_emphasis() {
        assert_eq!(
            clean("Họ và tên: __________ Lớp: ___"),
            "Họ và tên: __________ Lớp: ___"
        );
        assert_eq!(
            clean("__Mục tiêu__ và snake_case"),
            "Mục tiêu và snake_case"
        );
    }

    #[test]
    fn slash_look_alikes_in_numbers_become_slashes() {
        assert_eq!(clean("Số: 27⁄KH-UBND"), "Số: 27/KH-UBND");
        assert_eq!(clean("Số: 12∕QĐ-UBND"), "Số: 12/QĐ-UBND");
    }

    #[test]
    fn keeps_star_bullets() {
        assert_eq!(clean("* Mục tiêu"), "* Mục tiêu");
    }
}
