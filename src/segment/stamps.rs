//! Stamps and marks over a scan's text, found by their words (`rules/stamps.toml`) and their
//! place, so that the header's issuer, number, date and the title are read without them.
//!
//! OCR reads what is pressed or drawn over a page as text like any other: an e-signature's
//! stamp at the top of a scanned copy ("Ký bởi: …", "… 21.03.2018 16:41:00 +07:00", with
//! fragments of its seal), a certified copy's "SAO Y; …" line, the receiving office's
//! "ĐẾN  Số: …  Ngày: …  Chuyển: …", an urgency mark. Left in, the stamp's capitals become
//! the issuer and its lines the title.
//!
//! - **Top of a page**: from the page's first line to its last line with a signature or copy
//!   signal, before the header's first fixed part (Quốc hiệu, Tiêu ngữ, `Số:`), is one
//!   stamp, with the lines of seal debris after it ([`is_debris`]); a clean line of capitals
//!   inside that run and away from any signal (an issuer the OCR read before the stamp) is
//!   kept.
//! - **Anywhere**: other lines with a signature signal, grouped when consecutive.
//! - **Incoming stamps** (first page): its label lines, with the debris and the stamp's bare
//!   title and receiving office beside them.
//! - **Urgency marks** (header part of the first page): a line that is a mark and nothing else.

pub use super::types::Found;
use super::types::Line;
use crate::contract::StampKind;
use crate::fold::{fold, is_upper};
use crate::rules::Rules;
use regex::Regex;
use std::sync::Arc;

#[derive(serde::Deserialize)]
struct Raw {
    signature: Vec<String>,
    signature_top: Vec<String>,
    copy: Vec<String>,
    incoming: Vec<String>,
    incoming_title: String,
    urgency: Vec<RawUrgency>,
    national: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RawUrgency {
    mark: String,
    value: String,
}

/// `rules/stamps.toml` compiled.
struct Patterns {
    signature: Vec<Regex>,
    signature_top: Vec<Regex>,
    copy: Vec<Regex>,
    incoming: Vec<Regex>,
    incoming_title: Regex,
    urgency: Vec<(Regex, String)>,
    national: Vec<Regex>,
    /// The header's fixed parts, where a top-of-page stamp ends at the latest.
    anchor: Regex,
}

fn patterns(rules: &Rules) -> Option<Arc<Patterns>> {
    rules
        .cached(|r| {
            let raw: Raw = r.toml("stamps.toml").map_err(|e| e.to_string())?;
            let all = |v: &[String]| -> Result<Vec<Regex>, String> {
                v.iter()
                    .map(|p| Regex::new(p).map_err(|e| format!("stamps.toml: {e}")))
                    .collect()
            };
            let urgency = raw
                .urgency
                .iter()
                .map(|u| {
                    Regex::new(&format!(r"^\W*(?:{})\W*$", u.mark))
                        .map(|re| (re, u.value.clone()))
                        .map_err(|e| format!("stamps.toml: {e}"))
                })
                .collect::<Result<_, _>>()?;
            Ok(Patterns {
                signature: all(&raw.signature)?,
                signature_top: all(&raw.signature_top)?,
                copy: all(&raw.copy)?,
                incoming: all(&raw.incoming)?,
                incoming_title: Regex::new(&raw.incoming_title).map_err(|e| e.to_string())?,
                urgency,
                national: all(&raw.national)?,
                anchor: Regex::new(
                    r"cong\s+hoa\s+xa|doc\s+lap\s*[-–]|^\W*so\s*:|^\W*s\S{0,2}\s*[:.]\s*\S*/|^\W*v\s*/\s*v\b|^\W*kinh gui\b",
                )
                    .expect("valid"),
            })
        })
        .map_err(|e| tracing::warn!("stamps not looked for: {e}"))
        .ok()
}

/// How far down a page its top stamp may reach, in lines.
const TOP_LINES: usize = 24;
/// How far down the first page an urgency mark or incoming stamp is looked for, in lines.
const HEADER_LINES: usize = 60;

/// Stamps in `text` (its `lines`; `page_starts` are the byte offsets where pages begin).
pub fn find(text: &str, lines: &[Line], page_starts: &[usize], rules: &Rules) -> Vec<Found> {
    let Some(p) = patterns(rules) else {
        return vec![];
    };
    let folded: Vec<String> = lines.iter().map(|l| fold(&text[l.range.clone()])).collect();
    let any = |res: &[Regex], i: usize| res.iter().any(|r| r.is_match(&folded[i]));
    let mut taken = vec![false; lines.len()];
    let mut out = vec![];
    let page_of = |i: usize| {
        page_starts
            .iter()
            .rposition(|&s| s <= lines[i].range.start)
            .unwrap_or(0)
    };
    let mut first = 0;
    while first < lines.len() {
        let page = page_of(first);
        let end = (first..lines.len())
            .find(|&i| page_of(i) != page)
            .unwrap_or(lines.len());
        // The top of the page, up to the header's first fixed part.
        let limit = (first..end.min(first + TOP_LINES))
            .find(|&i| p.anchor.is_match(&folded[i]))
            .unwrap_or(end.min(first + TOP_LINES));
        let signal = |i: usize| any(&p.signature, i) || any(&p.signature_top, i) || any(&p.copy, i);
        if let Some(last) = (first..limit).rev().find(|&i| signal(i)) {
            let mut stop = last + 1;
            while stop < limit
                && (lines[stop].range.is_empty() || is_debris(&text[lines[stop].range.clone()]))
            {
                stop += 1;
            }
            // Upward from the last signal, up to a line of running text (a page of the body
            // whose stamp sits below its first lines).
            let start = (first..last)
                .rev()
                .find(|&i| !signal(i) && is_running_text(&text[lines[i].range.clone()]))
                .map_or(first, |i| i + 1);
            let near_signal = |i: usize| {
                (i.saturating_sub(1)..=(i + 1).min(stop - 1)).any(|j| j >= start && signal(j))
            };
            let mut block = vec![];
            for i in start..stop {
                let s = &text[lines[i].range.clone()];
                if lines[i].range.is_empty() || (is_clean_caps(s) && !near_signal(i)) {
                    continue;
                }
                block.push(i);
            }
            if !block.is_empty() {
                let kind = if block.iter().any(|&i| any(&p.copy, i)) {
                    StampKind::Copy
                } else {
                    StampKind::Signature
                };
                push(&mut out, &mut taken, lines, kind, &block, None);
            }
        }
        first = end;
    }
    // Signature lines elsewhere, consecutive ones together.
    let mut run: Vec<usize> = vec![];
    for i in 0..=lines.len() {
        if i < lines.len() && !taken[i] && (any(&p.signature, i) || any(&p.copy, i)) {
            run.push(i);
            continue;
        }
        if !run.is_empty() {
            let kind = if run.iter().any(|&j| any(&p.copy, j)) {
                StampKind::Copy
            } else {
                StampKind::Signature
            };
            let r = std::mem::take(&mut run);
            push(&mut out, &mut taken, lines, kind, &r, None);
        }
    }
    let header_end = lines
        .iter()
        .position(|l| page_starts.get(1).is_some_and(|&s| l.range.start >= s))
        .unwrap_or(lines.len())
        .min(HEADER_LINES);
    incoming(text, lines, &folded, &p, header_end, &mut taken, &mut out);
    for i in 0..header_end {
        if taken[i] {
            continue;
        }
        if let Some((_, value)) = p.urgency.iter().find(|(re, _)| re.is_match(&folded[i])) {
            let v = Some(value.clone());
            push(&mut out, &mut taken, lines, StampKind::Urgency, &[i], v);
        }
    }
    out
}

/// Incoming-mail stamps among the first `header_end` lines: runs of label lines (a blank or
/// debris line may sit between two), with the debris, the bare title and one line of capitals
/// (the receiving office) just above.
fn incoming(
    text: &str,
    lines: &[Line],
    folded: &[String],
    p: &Patterns,
    header_end: usize,
    taken: &mut [bool],
    out: &mut Vec<Found>,
) {
    let label = |i: usize| p.incoming.iter().any(|r| r.is_match(&folded[i]));
    let mut i = 0;
    while i < header_end {
        if taken[i] || !label(i) {
            i += 1;
            continue;
        }
        let mut block = vec![i];
        let mut j = i + 1;
        while j < header_end && !taken[j] {
            let s = &text[lines[j].range.clone()];
            if label(j) || (!s.trim().is_empty() && is_debris(s)) {
                block.push(j);
                j += 1;
            } else {
                break;
            }
        }
        let labels = block.iter().filter(|&&k| label(k)).count();
        // Above: debris, the stamp's title, then its office's name in capitals.
        let mut k = i;
        let mut office = false;
        while k > 0 && !taken[k - 1] && i - (k - 1) <= 3 {
            let s = &text[lines[k - 1].range.clone()];
            if s.trim().is_empty() {
                break;
            }
            if is_debris(s) || p.incoming_title.is_match(&folded[k - 1]) {
                block.insert(0, k - 1);
            } else if labels >= 2 && !office && is_upper(s) {
                block.insert(0, k - 1);
                office = true;
            } else {
                break;
            }
            k -= 1;
        }
        if labels >= 2 || block.len() >= 2 {
            push(out, taken, lines, StampKind::Incoming, &block, None);
        }
        i = j;
    }
}

fn push(
    out: &mut Vec<Found>,
    taken: &mut [bool],
    lines: &[Line],
    kind: StampKind,
    block: &[usize],
    urgency: Option<String>,
) {
    for &i in block {
        taken[i] = true;
    }
    out.push(Found {
        kind,
        lines: block.iter().map(|&i| lines[i].range.clone()).collect(),
        urgency,
    });
}

/// A line of seal or stamp debris: symbols no Vietnamese text uses, or mostly words that are
/// no Vietnamese syllable.
pub fn is_debris(s: &str) -> bool {
    if s.chars().any(|c| {
        !(c.is_alphanumeric() || c.is_whitespace() || ".,;:-–—/()'\"!?%+*".contains(c))
            || (c.is_alphabetic() && !is_vietnamese_letter(c))
    }) {
        return true;
    }
    // Capitals (`UBND`, `CT`) and figures are codes, not syllables: only words with a
    // lower-case letter are judged.
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(char::is_lowercase))
        .collect();
    let valid = words
        .iter()
        .filter(|w| crate::vietnamese::syllable::is_valid_syllable(w))
        .count();
    !words.is_empty() && 2 * valid < words.len()
}

/// A letter of the Vietnamese alphabet (with any marks), or one of the Latin letters codes use.
fn is_vietnamese_letter(c: char) -> bool {
    let f = crate::fold::fold_char(c);
    f.is_ascii_lowercase()
}

/// A line of running text: seven words or more in lower case (a header's capitals and a
/// stamp's labelled names are not), most of them Vietnamese syllables, and no letter's
/// subject line (`V/v …`, which the header's column may hold).
fn is_running_text(s: &str) -> bool {
    !SUBJECT.is_match(&fold(s))
        && s.split_whitespace()
            .filter(|w| w.chars().any(char::is_lowercase))
            .count()
            >= 7
        && !is_debris(s)
}

/// A speck: a short line of seal or stamp debris (`À .^a`, `Lá`, `°`): no word of three
/// letters, and no subject marker (`V/v`).
fn is_speck(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() || SUBJECT.is_match(&fold(t)) {
        return false;
    }
    let long_word = t
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 3);
    !long_word
}

static SUBJECT: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"^\W*v\s*/\s*v\b").unwrap());

/// A clean line of capitals: an issuer's line, never a stamp's.
fn is_clean_caps(s: &str) -> bool {
    is_upper(s)
        && !is_debris(s)
        && s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
            >= 2
}

/// `lines` with the stamps' lines left empty (kept, so line indices do not move); among the
/// header's lines (before the first line of running text), specks of seal debris left empty
/// too, and a damaged Quốc hiệu or Tiêu ngữ cut off (see [`national_from`]).
pub fn without(text: &str, lines: &[Line], stamps: &[Found], rules: &Rules) -> Vec<Line> {
    let in_stamp = |l: &Line| stamps.iter().flat_map(|s| &s.lines).any(|r| *r == l.range);
    let header_end = lines
        .iter()
        .take(HEADER_LINES)
        .position(|l| !in_stamp(l) && is_running_text(&text[l.range.clone()]))
        .unwrap_or(0);
    let p = patterns(rules);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut l = l.clone();
            let s = &text[l.range.clone()];
            let blank = i < header_end && (is_speck(s) || is_struck_number(s));
            if in_stamp(&l) || blank {
                l.range = l.range.start..l.range.start;
            } else if i < header_end
                && let Some(cut) = p.as_ref().and_then(|p| national_from(s, p))
            {
                let kept = s[..cut].trim_end_matches(|c: char| !c.is_alphanumeric());
                l.range = l.range.start..l.range.start + kept.len();
            }
            l
        })
        .collect()
}

/// A `Số:` line without its `/` (a number stamp pressed over it): no part of it is the
/// issuer's name.
fn is_struck_number(s: &str) -> bool {
    static LABEL: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"^\W*so\s*:").unwrap());
    LABEL.is_match(&fold(s)) && !s.contains('/')
}

/// Where a damaged Quốc hiệu or Tiêu ngữ starts in a header line (byte offset), when nothing
/// of the header's own (the place and date, a number) follows it on the line.
fn national_from(s: &str, p: &Patterns) -> Option<usize> {
    static OWN: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"ngay\s*\S{0,6}\s*thang|\bso\s*:|\d\s*/\s*[a-z]").unwrap()
    });
    let (folded, offs) = crate::fold::fold_with_offsets(s);
    let at = p
        .national
        .iter()
        .filter_map(|r| r.find(&folded))
        .map(|m| m.start())
        .min()?;
    (!OWN.is_match(&folded[at..])).then(|| offs[at])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::lines;

    fn found(t: &str) -> Vec<(StampKind, String)> {
        let ls = lines(t);
        find(t, &ls, &[0], Rules::builtin())
            .into_iter()
            .map(|f| {
                let text = f.lines.iter().map(|r| &t[r.clone()]).collect::<Vec<_>>();
                (f.kind, text.join(" | "))
            })
            .collect()
    }

    #[test]
    fn a_signature_stamp_atop_the_page_with_its_seal_debris() {
        let t = "Ủy ban nhân dân tỉnh\nTỉnh Quảng Ngãi\n27/12/2021 17:22:11\n{ và ri HỌC JŠ]\n\\&\n\nỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 16/CT-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
        let f = found(t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, StampKind::Signature);
        assert!(
            f[0].1.contains("17:22:11") && f[0].1.contains("JŠ]"),
            "{f:?}"
        );
        assert!(!f[0].1.contains("ỦY BAN"), "{f:?}");
    }

    #[test]
    fn a_copy_line_and_an_issuer_read_before_the_stamp() {
        let t = "BỘ CÔNG AN\n\nSAO Y; CÔNG AN TỈNH; 25/12/2025; 09:27:28; +07:00\n\nSố: 5/BCA\nCỘNG HÒA XÃ HỘI";
        let f = found(t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, StampKind::Copy);
        assert!(f[0].1.starts_with("SAO Y"), "{f:?}");
    }

    #[test]
    fn an_incoming_stamp_with_its_office_and_urgency_marks() {
        let t = "TỜ TRÌNH\nVề việc xin ý kiến\n\nUBND TỈNH LÂM ĐỒNG\nA.v Số:/4-t:! §\nĐẾN Ngày: 23/10/25\nChuyển: p..N.& keb\n\nKính gửi: Chủ tịch";
        let f = found(t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, StampKind::Incoming);
        assert!(f[0].1.starts_with("UBND TỈNH LÂM ĐỒNG") && f[0].1.ends_with("keb"));
        let t = "UBND TỈNH A\nSố: 5/UBND-KT\nHỎA TỐC\nV/v phòng chống lụt bão\nĐến ngày 5/6 các đơn vị báo cáo.";
        let f = found(t);
        assert_eq!(f, vec![(StampKind::Urgency, "HỎA TỐC".to_string())]);
    }

    #[test]
    fn body_text_is_no_stamp() {
        let t = "ỦY BAN NHÂN DÂN\nSố: 5/KH-UBND\nKẾ HOẠCH\nĐến ngày 30/6, các sở khẩn trương báo cáo.\nCơ quan chủ trì: Sở Nội vụ";
        assert_eq!(found(t), vec![]);
    }
}
