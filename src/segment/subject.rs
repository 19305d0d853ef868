//! A letter's subject line (`V/v …`, trích yếu): under the number in the header's left
//! column, it is the title of a document that has no type word (a công văn).
//!
//! The markers are data (`subject_markers` and `addressee_markers` in `rules/doc_types.toml`).

use super::types::Line;
use crate::fold::fold;
use crate::rules::Rules;
use std::ops::Range;

/// Where a subject was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// The subject's text on each of its lines, without the marker (byte ranges).
    pub ranges: Vec<Range<usize>>,
    /// Index of the line the marker is on.
    pub line: usize,
    /// Index of the first line after the subject.
    pub next: usize,
}

/// Continuation lines a subject may run on to (Decree 30 keeps it to a few lines).
const MAX_EXTRA_LINES: usize = 3;

/// The subject line among `lines[..limit]`, if one starts with a marker (at the line's start
/// or at a column's: after `|`, a tab or a wide gap).
pub fn find(text: &str, lines: &[Line], limit: usize, rules: &Rules) -> Option<Subject> {
    let markers = folded(&rules.doc_types.subject_markers);
    for (i, line) in lines.iter().enumerate().take(limit) {
        for cell in super::header::cells(text, line.range.clone()) {
            let s = &text[cell.clone()];
            let f = fold(s);
            let Some(m) = markers.iter().find(|m| {
                f.starts_with(m.as_str())
                    && f[m.len()..].starts_with(|c: char| c.is_whitespace() || c == ':' || c == '.')
            }) else {
                continue;
            };
            // The marker is ASCII, so its folded length is its length in `s`.
            let Some(rest) = s.get(m.len()..) else {
                continue;
            };
            let body = rest.trim_start_matches([' ', ':', '.', '\t']);
            let start = cell.end - body.len();
            let mut ranges = vec![crate::span::trim_range(text, start..cell.end)];
            let mut next = i + 1;
            while next < lines.len() && ranges.len() <= MAX_EXTRA_LINES {
                let Some(first) = super::header::cells(text, lines[next].range.clone())
                    .into_iter()
                    .next()
                else {
                    break;
                };
                let prev = &text[ranges.last().expect("one range").clone()];
                let t = &text[first.clone()];
                let continues = !prev.ends_with(['.', ';', ':'])
                    && t.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit());
                if !continues {
                    break;
                }
                ranges.push(first);
                next += 1;
            }
            return Some(Subject {
                ranges,
                line: i,
                next,
            });
        }
    }
    None
}

fn folded(words: &[String]) -> Vec<String> {
    words.iter().map(|w| fold(w)).collect()
}

/// The first line from `from` (within a few lines) that names the addressees (`Kính gửi`).
pub fn addressee_line(text: &str, lines: &[Line], from: usize, rules: &Rules) -> Option<usize> {
    let markers = folded(&rules.doc_types.addressee_markers);
    (from..lines.len().min(from + 12)).find(|&i| {
        let f = fold(&text[lines[i].range.clone()]);
        markers.iter().any(|m| f.starts_with(m.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::lines;

    fn subject(t: &str) -> Option<(Vec<String>, usize, usize)> {
        let ls = lines(t);
        find(t, &ls, ls.len(), Rules::builtin()).map(|s| {
            (
                s.ranges.iter().map(|r| t[r.clone()].to_string()).collect(),
                s.line,
                s.next,
            )
        })
    }

    #[test]
    fn a_subject_line_and_its_continuation_are_found_beside_the_other_column() {
        let t = "SỞ TƯ PHÁP\nSố: 90/STP-VP\nV/v góp ý dự thảo quy chế      Quảng Trị, ngày 4 tháng 5 năm 2025\nphối hợp liên ngành\nKính gửi: Các sở, ban, ngành";
        assert_eq!(
            subject(t),
            Some((
                vec![
                    "góp ý dự thảo quy chế".to_string(),
                    "phối hợp liên ngành".to_string()
                ],
                2,
                4
            ))
        );
        assert_eq!(addressee_line(t, &lines(t), 4, Rules::builtin()), Some(4));
        // `V/v` inside a sentence is not a subject line.
        assert_eq!(subject("Công văn số 5 V/v cấp phép đã nhận."), None);
    }
}
