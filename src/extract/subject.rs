//! Who a sentence names: the body it opens with, the partners of its "phối hợp với …",
//! the names of a list. Shared by the task, body and structure readers (re-exported from
//! `task`).

use super::types::Ctx;
use super::vocab::{Vocab, starts_with_any};
use crate::fold::{fold, fold_with_offsets};
use std::ops::Range;

/// Byte ranges (absolute) of the bodies a "phối hợp với …" phrase in `range` lists.
pub fn coordinating(ctx: &Ctx, range: Range<usize>, v: &Vocab) -> Vec<Range<usize>> {
    let src = &ctx.text[range.clone()];
    let (folded, offs) = fold_with_offsets(src);
    let mut out = vec![];
    for m in v.resp.coordinating_markers.iter() {
        let m = crate::fold::fold(m);
        let mut from = 0;
        while let Some(i) = folded[from..].find(&m) {
            let at = from + i + m.len();
            from = at;
            if !out.is_empty() {
                break;
            }
            let next = skip_space(&folded, at);
            // A bare "phối hợp" followed by a verb ("phối hợp tổ chức…"), by "với" (a longer
            // marker's job) or by "của" ("sự phối hợp của X") names no partner.
            let bare = !m.ends_with("voi") && !m.ends_with("cung");
            if bare
                && (starts_with_any(&folded[next..], &v.resp.verbs).is_some()
                    || ["voi ", "cung ", "cua "]
                        .iter()
                        .any(|w| folded[next..].starts_with(w)))
            {
                continue;
            }
            let list = name_list(&folded, at, v, false);
            out.extend(
                list.into_iter()
                    .map(|r| range.start + offs[r.start]..range.start + offs[r.end]),
            );
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// The names listed from `at` in `folded`: split on commas and on "và" before a body's first
/// word, ended by a verb or a clause mark.
///
/// `strict` splits on a comma only before a body's first word ("Ủy ban MTTQ xã, các tổ chức
/// đoàn thể" is two bodies, "Ủy ban nhân dân các xã, thị trấn" one).
pub fn name_list(folded: &str, at: usize, v: &Vocab, strict: bool) -> Vec<Range<usize>> {
    let mut out = vec![];
    let mut start = skip_space(folded, at);
    let mut pos = start;
    let mut word_start = true;
    let bytes = folded.as_bytes();
    while pos < folded.len() {
        let ch = folded[pos..].chars().next().unwrap();
        if matches!(ch, ';' | '.' | ':' | '(' | '\n' | '"' | '“' | '”') {
            break;
        }
        if ch == ',' {
            let next = skip_space(folded, pos + 1);
            // A clause after the comma that opens with a verb ends the list.
            if starts_with_any(&folded[next..], &v.resp.verbs).is_some() {
                break;
            }
            let body_next =
                v.resp.head(&folded[next..]).is_some() || folded[next..].starts_with("cac ");
            if !strict || body_next {
                push_name(&mut out, folded, start..pos);
                start = next;
                pos = start;
                word_start = true;
                continue;
            }
        }
        if word_start && pos > start {
            let rest = &folded[pos..];
            if rest.starts_with("va ") || rest.starts_with("cung ") {
                let n = if rest.starts_with("va ") { 3 } else { 5 };
                if v.resp.head(&rest[n..]).is_some() || rest[n..].starts_with("cac ") {
                    push_name(&mut out, folded, start..pos);
                    start = pos + n;
                    pos = start;
                    continue;
                }
            }
            let after_cac = folded[..pos].ends_with("cac ");
            if !after_cac && starts_with_any(rest, &v.resp.verbs).is_some() {
                break;
            }
        }
        word_start = bytes[pos] == b' ';
        pos += ch.len_utf8();
    }
    push_name(&mut out, folded, start..pos);
    out
}

pub fn skip_space(s: &str, mut i: usize) -> usize {
    while i < s.len() && s.as_bytes()[i] == b' ' {
        i += 1;
    }
    i
}

fn push_name(out: &mut Vec<Range<usize>>, folded: &str, r: Range<usize>) {
    let t = folded[r.clone()].trim_end_matches([' ', '.', '-']);
    let r = r.start..r.start + t.len();
    if !t.trim().is_empty() && t.split_whitespace().count() <= 12 {
        out.push(r);
    }
}

/// The body a sentence opens with ("Hội Khuyến học xã chủ trì…", "Đề nghị Ủy ban MTTQ…"):
/// absolute byte range, found by a body's first word and ended by a verb or clause mark.
pub fn subject(ctx: &Ctx, range: Range<usize>, v: &Vocab) -> Option<Range<usize>> {
    let src = &ctx.text[range.clone()];
    let (folded, offs) = fold_with_offsets(src);
    let mut at = 0;
    if let Some(n) = starts_with_any(&folded, &v.resp.request_openers) {
        at = skip_space(&folded, n);
    }
    let head = v
        .resp
        .head(&folded[at..])
        .filter(|_| starts_with_any(&folded[at..], &v.resp.verbs).is_none());
    let Some(head) = head else {
        // "Định kỳ trước ngày 15/11 hàng năm, Hội Khuyến học xã tổng hợp…": the subject after
        // a short opening phrase (not a target's clause).
        // A fronted ground ("Căn cứ Kế hoạch này và điều kiện thực tế, …") runs to the comma
        // before the subject, whatever its length; other openings are short.
        let fronted = starts_with_any(&folded[at..], &v.resp.fronted_openers).is_some();
        if at > 0 {
            return None;
        }
        // A fronted ground runs to the comma before the subject; a short opening ("Định kỳ
        // 6 tháng, hàng năm, Sở X tổ chức …") may itself hold commas: each is tried.
        let commas: Vec<usize> = if fronted {
            vec![fronted_subject_comma(&folded, v)?]
        } else {
            folded.match_indices(',').map(|(i, _)| i).collect()
        };
        let mut prev = 0;
        for comma in commas {
            let opening = &folded[..comma];
            // After the first, each part of the opening is a short list of times ("hàng năm,
            // giữa nhiệm kỳ"), not a clause.
            if prev > 0 && folded[prev..comma].split_whitespace().count() > 3 {
                return None;
            }
            prev = comma + 1;
            if (!fronted && opening.split_whitespace().count() > v.resp.opening_max_words)
                || opening.contains('%')
                || v.resp
                    .coordinating_markers
                    .iter()
                    .any(|m| opening.contains(&fold(m)))
            {
                return None;
            }
            let next = skip_space(&folded, comma + 1);
            let rest = &folded[next..];
            let Some(head) = v
                .resp
                .head(rest)
                .filter(|_| starts_with_any(rest, &v.resp.verbs).is_none())
            else {
                continue;
            };
            // The subject must be followed by its verb, or the phrase is a list, not a clause.
            let end = name_end(&folded, next, head, v);
            let after = skip_space(&folded, end);
            starts_with_any(&folded[after..], &v.resp.verbs)?;
            return Some(range.start + offs[next]..range.start + offs[end]);
        }
        return None;
    };
    let end = name_end(&folded, at, head, v);
    // A name is the head plus what follows up to the verb; reject bare heads of one word
    // that are ordinary nouns in a sentence ("Hội nghị…" is not a body).
    let r = at..end;
    if folded[r.clone()].trim().is_empty() {
        return None;
    }
    Some(range.start + offs[r.start]..range.start + offs[r.end])
}

/// The comma of a fronted clause ("căn cứ …, các sở, ban, ngành xây dựng…") after which a
/// body's name begins: its lists have commas of their own, so the first such comma.
fn fronted_subject_comma(folded: &str, v: &Vocab) -> Option<usize> {
    folded.match_indices(',').map(|(i, _)| i).find(|&i| {
        let rest = &folded[skip_space(folded, i + 1)..];
        (v.resp.head(rest).is_some() || rest.starts_with("cac "))
            && starts_with_any(rest, &v.resp.verbs).is_none()
    })
}

/// Where the body name starting at `at` with a first word of `head` bytes ends: at the
/// verb or clause mark after it.
fn name_end(folded: &str, at: usize, head: usize, v: &Vocab) -> usize {
    let after = skip_space(folded, at + head);
    if starts_with_any(&folded[after..], &v.resp.verbs).is_some() {
        return at + head;
    }
    let names = name_list(folded, at + head, v, false);
    names.last().map_or(at + head, |r| r.end).max(at + head)
}

pub fn tidy(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches([',', ';', '.', ':', ' ', '*'])
        .to_string()
}
