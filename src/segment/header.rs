//! The header block: issuer (and its parent), Quốc hiệu and Tiêu ngữ, number, place and date.
//!
//! Decree 30/2020/NĐ-CP lays the header out in two columns: issuer and number on the left,
//! Quốc hiệu, Tiêu ngữ, place and date on the right. Exports flatten it in every way: one
//! column after the other, both columns on one line (`UBND HUYỆN A  CỘNG HÒA XÃ HỘI…`), cells of
//! a pipe- or tab-separated table. So the header is read as *pieces*: each line is cut into
//! cells, each cell into the fixed parts it contains (found on folded text, so lost diacritics
//! do not hide them), and what is left over and written in capitals is the issuer.

use super::types::{Header, Line};
use crate::fold::{fold, fold_with_offsets, is_upper};
use crate::rules::Rules;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// `Số: 415/KH-UBND`, `Số 01 /KH-HKH`, `Số: /KH-UBND` (number left blank), `Số: 5/TTr-CAT(PC04)`
/// (a unit's code in brackets ends the symbol), on folded text.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\bs\S{0,2}\s*[:.]?\s*)?(\d{0,6}[a-z]?\s*/\s*[a-z][a-z0-9&.]*(?:\s?-\s?[a-z][a-z0-9&.]*)+(?:\([a-z0-9&.-]+\))?)").unwrap()
});
static NUMBER_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bs\S{0,2}\s*[:.]").unwrap());
/// `Tháp Mười, ngày 31 tháng 01 năm 2024` (day and month may be blank), on folded text.
pub static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:([^,:|]{2,60}?)\s*,\s*)?(ngay\s*(?:\d{1,2})?\s*(?:/\s*)?thang\s*(?:\d{1,2})?\s*(?:/\s*)?nam\s*\d{4}|ngay\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})").unwrap()
});
/// The Quốc hiệu with one word allowed to be garbled (`XA HQI`).
static NATIONAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"cong\s+hoa\s+\S+\s+\S+\s+chu\s+nghia\s+viet\s+nam").unwrap());
/// The Tiêu ngữ: its middle, `- Tự do -`, is distinctive even when the ends are damaged.
static MOTTO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\S+\s+\S+\s*[-–]\s*\S{1,3}\s+do\s*[-–]\s*\S+\s+\S+").unwrap());

/// Parse the header lines (those before the document-type line).
pub fn parse(text: &str, lines: &[Line], rules: &Rules) -> Header {
    let _ = rules;
    let mut h = Header::default();
    let mut issuer_pieces: Vec<Range<usize>> = vec![];
    // Capitals after the number: Decree 30 sets the issuer above it, so these are the other
    // column's (a damaged Quốc hiệu's `LŨ`) or a stamp's, used only when nothing came before.
    let mut late_pieces: Vec<Range<usize>> = vec![];
    for line in lines {
        for cell in cells(text, line.range.clone()) {
            let s = &text[cell.clone()];
            let (folded, offs) = fold_with_offsets(s);
            // Fixed parts found in this cell, as byte ranges of `s`.
            let mut taken: Vec<Range<usize>> = vec![];
            let abs = |r: Range<usize>| cell.start + offs[r.start]..cell.start + offs[r.end];
            if let Some(m) = NATIONAL.find(&folded) {
                taken.push(m.range());
            }
            if let Some(m) = MOTTO.find(&folded) {
                taken.push(m.range());
            }
            if let Some(c) = PLACE_DATE.captures(&folded) {
                let whole = c.get(0).unwrap();
                if h.date.is_none() {
                    h.date = Some(abs(c.get(2).unwrap().range()));
                    if let Some(p) = c.get(1) {
                        let pr = abs(p.range());
                        let pr = crate::span::trim_range(text, pr);
                        // The place may be preceded, on a flattened line, by the number.
                        h.place = Some(strip_after_number(text, pr));
                    }
                }
                taken.push(whole.range());
            }
            // Where this cell's number starts (pieces from there on are late).
            let mut number_at = if h.number.is_some() { Some(0) } else { None };
            if h.number.is_none()
                && let Some(c) = NUMBER.captures(&folded)
            {
                let label = NUMBER_LABEL.find(&folded[..c.get(1).unwrap().start()]);
                // Without a `Số:` label only a line that is nothing but the code counts.
                if label.is_some() || folded.trim() == c.get(1).unwrap().as_str().trim() {
                    let r = abs(c.get(1).unwrap().range());
                    h.number = Some(crate::span::trim_range(text, r));
                    let start = label.map_or(c.get(1).unwrap().start(), |l| l.start());
                    taken.push(start..c.get(1).unwrap().end());
                    number_at = Some(start);
                }
            }
            taken.sort_by_key(|r| r.start);
            // What is left over, written in capitals, names the issuer.
            let mut pos = 0;
            for t in taken
                .iter()
                .chain(std::iter::once(&(folded.len()..folded.len())))
            {
                if t.start > pos {
                    let piece = crate::span::trim_range(text, abs(pos..t.start));
                    let p = &text[piece.clone()];
                    if is_upper(p) && p.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                        match number_at {
                            Some(n) if pos >= n => late_pieces.push(piece),
                            _ => issuer_pieces.push(piece),
                        }
                    }
                }
                pos = pos.max(t.end);
            }
        }
    }
    if issuer_pieces.is_empty() {
        issuer_pieces = late_pieces;
    }
    assign_issuer(text, &mut h, issuer_pieces, rules);
    h
}

/// On a flattened line `Số: 415/KH-UBND Tháp Mười, ngày…` the place capture starts with the
/// number; keep only what follows it.
fn strip_after_number(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let (folded, offs) = fold_with_offsets(s);
    if let Some(m) = NUMBER.find_iter(&folded).last() {
        return crate::span::trim_range(text, r.start + offs[m.end()]..r.end);
    }
    r
}

/// Cells of a header line: split on `|` and on runs of tabs or 3+ spaces (column gaps).
///
/// A gap of spaces or tabs right after `ngày` or `tháng` is the blank a draft leaves for the
/// day or month (`Lào Cai, ngày       tháng 4 năm 2026`), not a column gap.
pub(super) fn cells(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    static GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*\|\s*|\t+|\s{3,}").unwrap());
    static BLANK_BEFORE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|\s)(?:ngay|thang)$").unwrap());
    let s = &text[range.clone()];
    let mut out = vec![];
    let mut pos = 0;
    for m in GAP.find_iter(s) {
        let blank = !m.as_str().contains('|') && BLANK_BEFORE.is_match(&fold(&s[pos..m.start()]));
        if blank {
            continue;
        }
        if m.start() > pos {
            out.push(range.start + pos..range.start + m.start());
        }
        pos = m.end();
    }
    if pos < s.len() {
        out.push(range.start + pos..range.end);
    }
    out
}

/// Split issuer pieces into the issuer and its parent.
///
/// `ỦY BAN NHÂN DÂN` / `HUYỆN THÁP MƯỜI` is one name over two lines (the second starts with an
/// administrative unit); `UBND XÃ TÂN VĂN` / `HỘI KHUYẾN HỌC` is a parent (already naming its
/// place) above the issuing body.
fn assign_issuer(text: &str, h: &mut Header, pieces: Vec<Range<usize>>, rules: &Rules) {
    if pieces.is_empty() {
        return;
    }
    let starts_with_unit =
        |r: &Range<usize>| super::units::unit_at(&text[r.clone()], rules) == Some(0);
    let names_place = |r: &Range<usize>| super::units::unit_at(&text[r.clone()], rules).is_some();
    // Group pieces into names: a piece that starts with a unit continues the previous name.
    let mut names: Vec<Vec<Range<usize>>> = vec![];
    for p in pieces {
        match names.last_mut() {
            Some(last) if starts_with_unit(&p) && !last.iter().any(&names_place) => last.push(p),
            _ => names.push(vec![p]),
        }
    }
    let mut names = names.into_iter();
    let first = names.next().unwrap();
    let rest: Vec<Range<usize>> = names.flatten().collect();
    if rest.is_empty() {
        h.issuer = first;
    } else {
        h.parent_issuer = Some(first.first().unwrap().start..first.last().unwrap().end);
        h.issuer = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::lines;

    type Parts = (
        Vec<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );

    fn header(t: &str) -> Parts {
        let ls = lines(t);
        let h = parse(t, &ls, Rules::builtin());
        let s = |r: &Option<Range<usize>>| r.as_ref().map(|r| t[r.clone()].to_string());
        (
            h.issuer.iter().map(|r| t[r.clone()].to_string()).collect(),
            s(&h.parent_issuer),
            s(&h.number),
            s(&h.place),
            s(&h.date),
        )
    }

    #[test]
    fn two_columns_flattened_line_by_line() {
        let t = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN BA TRI Độc lập - Tự do - Hạnh phúc\nSố: 15/KH-UBND Ba Tri, ngày 02 tháng 3 năm 2025";
        let (issuer, parent, number, place, date) = header(t);
        assert_eq!(issuer, vec!["ỦY BAN NHÂN DÂN", "HUYỆN BA TRI"]);
        assert_eq!(parent, None);
        assert_eq!(number.as_deref(), Some("15/KH-UBND"));
        assert_eq!(place.as_deref(), Some("Ba Tri"));
        assert_eq!(date.as_deref(), Some("ngày 02 tháng 3 năm 2025"));
    }

    #[test]
    fn a_blank_left_for_the_day_is_not_a_column_gap() {
        let t = "| UBND HUYỆN MỘC CHÂU |  | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n| PHÒNG NỘI VỤ |  | Độc lập - Tự do - Hạnh phúc |\n| Số:        /KH-PNV |  | Mộc Châu,  ngày        tháng 11 năm 2025 |";
        let (issuer, parent, number, place, date) = header(t);
        assert_eq!(issuer, vec!["PHÒNG NỘI VỤ"]);
        assert_eq!(parent.as_deref(), Some("UBND HUYỆN MỘC CHÂU"));
        assert_eq!(number.as_deref(), Some("/KH-PNV"));
        assert_eq!(place.as_deref(), Some("Mộc Châu"));
        assert_eq!(date.as_deref(), Some("ngày        tháng 11 năm 2025"));
        // Both blank, on a flattened line with the number before it.
        let t = "Số: /TB-UBND\tHòa Bình, ngày\t\ttháng\t\tnăm 2024";
        assert_eq!(header(t).4.as_deref(), Some("ngày\t\ttháng\t\tnăm 2024"));
    }

    #[test]
    fn parent_above_issuer() {
        let t = "UBND PHƯỜNG AN LẠC\nHỘI LIÊN HIỆP PHỤ NỮ\n| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 7/KH-HLHPN";
        let (issuer, parent, number, _, _) = header(t);
        assert_eq!(issuer, vec!["HỘI LIÊN HIỆP PHỤ NỮ"]);
        assert_eq!(parent.as_deref(), Some("UBND PHƯỜNG AN LẠC"));
        assert_eq!(number.as_deref(), Some("7/KH-HLHPN"));
    }

    #[test]
    fn capitals_after_the_number_are_no_issuer() {
        // A unit's code in brackets ends the symbol; a damaged Quốc hiệu's `LŨ` read after the
        // number (the right column, laid out after the left) names no body.
        let t = "CÔNG AN TỈNH A\nSố: 5/TTr-CAT(PC04)\nLŨ NGHĨA VIỆT NAM";
        let (issuer, parent, number, _, _) = header(t);
        assert_eq!(issuer, vec!["CÔNG AN TỈNH A"]);
        assert_eq!(parent, None);
        assert_eq!(number.as_deref(), Some("5/TTr-CAT(PC04)"));
        // With nothing above the number, what follows it is all there is.
        let (issuer, _, _, _, _) = header("Số: 5/KH-UBND\nUBND XÃ A");
        assert_eq!(issuer, vec!["UBND XÃ A"]);
    }
}
