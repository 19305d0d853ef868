//! The restored text as HTML: cut at every place a value's span starts or ends, so that the
//! page's script highlights any value by marking whole pieces (`data-s` is each piece's first
//! char offset in `text`, the contract's unit), with page breaks shown between the pieces and
//! every word restoration was unsure of marked with what it was and what else it could be.

use super::html::esc;
use crate::contract::{SourcePage, Uncertain};
use crate::span::Span;
use std::fmt::Write;

/// `text` as the pieces described above. `spans` are every value's span the page links to;
/// spans past the end of the text are clamped to it.
pub fn render(text: &str, pages: &[SourcePage], uncertain: &[Uncertain], spans: &[Span]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut cuts: Vec<usize> = vec![0, n];
    cuts.extend(spans.iter().flat_map(|s| [s.start, s.end]));
    cuts.extend(uncertain.iter().flat_map(|u| [u.span.start, u.span.end]));
    cuts.extend(pages.iter().map(|p| p.start));
    cuts.iter_mut().for_each(|c| *c = (*c).min(n));
    cuts.sort_unstable();
    cuts.dedup();

    let mut doubtful: Vec<(usize, &Uncertain)> = uncertain.iter().enumerate().collect();
    doubtful.sort_by_key(|(_, u)| u.span.start);
    let mut out = String::with_capacity(text.len() * 2);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        for p in pages.iter().filter(|p| p.start == a && p.number > 1) {
            let _ = write!(
                out,
                "<span class=\"pb\" data-page=\"{0}\" aria-label=\"trang {0}\"></span>",
                p.number
            );
        }
        let piece: String = chars[a..b].iter().collect();
        let word = doubtful
            .iter()
            .find(|(_, u)| u.span.start <= a && b <= u.span.end && u.span.start < u.span.end);
        match word {
            Some((i, u)) => {
                let changed = if u.original != u.restored { " chg" } else { "" };
                let mut others = u.alternatives.join(", ");
                if others.is_empty() {
                    others = "—".into();
                }
                let _ = write!(
                    out,
                    "<mark class=\"unc{changed}\" data-s=\"{a}\" data-u=\"{i}\" \
                     data-w=\"{},{}\" data-original=\"{}\" data-restored=\"{}\" \
                     data-alts=\"{}\" title=\"gốc: {} · chọn: {} ({:.0}%) · khác: {}\">{}</mark>",
                    u.span.start,
                    u.span.end,
                    esc(&u.original),
                    esc(&u.restored),
                    esc(&u.alternatives.join("|")),
                    esc(&u.original),
                    esc(&u.restored),
                    u.confidence * 100.0,
                    esc(&others),
                    esc(&piece)
                );
            }
            None => {
                let _ = write!(out, "<span data-s=\"{a}\">{}</span>", esc(&piece));
            }
        }
    }
    out
}

/// The first place `needle` occurs in `text`, ignoring case, as a char span (for the header's
/// values, whose spans the JSON does not carry).
pub fn find(text: &str, needle: &str) -> Option<Span> {
    let lower = |s: &str| -> Vec<char> {
        s.chars()
            .map(|c| c.to_lowercase().next().unwrap_or(c))
            .collect()
    };
    let (hay, needle) = (lower(text), lower(needle.trim()));
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .find(|&i| hay[i..i + needle.len()] == needle[..])
        .map(|i| Span {
            start: i,
            end: i + needle.len(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::PageMethod;

    fn page(number: u32, start: usize) -> SourcePage {
        SourcePage {
            number,
            method: PageMethod::Ocr,
            ocr_confidence: Some(0.9),
            start,
            footnotes: vec![],
        }
    }

    #[test]
    fn pieces_cover_the_text_once_and_mark_the_doubtful_word() {
        let text = "Số: 12/KH\nngày <5> tháng";
        let u = Uncertain {
            span: Span { start: 0, end: 2 },
            original: "So".into(),
            restored: "Số".into(),
            alternatives: vec!["Sổ".into()],
            confidence: 0.6,
        };
        let html = render(
            text,
            &[page(1, 0), page(2, 10)],
            &[u],
            &[Span { start: 4, end: 9 }],
        );
        assert!(html.starts_with("<mark class=\"unc chg\" data-s=\"0\" data-u=\"0\""));
        assert!(html.contains("khác: Sổ\">Số</mark>"));
        assert!(html.contains("<span data-s=\"4\">12/KH</span>"));
        assert!(html.contains("<span class=\"pb\" data-page=\"2\""));
        assert!(html.contains("&lt;5&gt;"));
        // Stripped of tags and unescaped, the pieces are the text.
        let tags = regex::Regex::new(r"<[^>]*>").unwrap();
        let plain = tags
            .replace_all(&html, "")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        assert_eq!(plain, text);
    }

    #[test]
    fn values_are_found_ignoring_case_in_chars() {
        let text = "ỦY BAN NHÂN DÂN XÃ A\nSố: 12/KH";
        assert_eq!(
            find(text, "Ủy ban nhân dân xã A"),
            Some(Span { start: 0, end: 20 })
        );
        assert_eq!(find(text, "12/KH"), Some(Span { start: 25, end: 30 }));
        assert_eq!(find(text, "13/KH"), None);
        assert_eq!(find(text, " "), None);
    }
}
