//! Who does what, read from the plan's structure rather than from one sentence (issue 23):
//! lines that describe the tasks above them ("Đơn vị chủ trì: …; Đơn vị phối hợp: …",
//! "Thời gian thực hiện: …"), headings whose content assigns no work ("Thời gian", "Địa
//! điểm", "Tồn tại, hạn chế", "Nguyên nhân"), an introducing sentence that hands the list
//! after it to a body ("Giao Phòng X thực hiện các nhiệm vụ sau:"), and a duty written after
//! the name of the body or person who does it ("1. Văn phòng: chủ trì …", "Ông A - Trưởng
//! đoàn: Phụ trách chung"). The words are data (`[structure]` of `rules/responsibility.toml`).

use super::types::Ctx;
use super::vocab::{Vocab, starts_with_any};
use crate::fold::fold_with_offsets;
use std::ops::Range;

/// What a describing line says of the tasks above it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Attributes {
    pub lead: Option<String>,
    pub coordinating: Vec<String>,
    /// The time clause's value (absolute byte range), for the deadline reader.
    pub time: Option<Range<usize>>,
}

/// The length of `label` + optional spaces + ':' at the start of `folded`, if it opens so.
fn labelled(folded: &str, labels: &[String]) -> Option<usize> {
    let n = starts_with_any(folded, labels)?;
    let rest = &folded[n..];
    let colon = rest.len() - rest.trim_start().len();
    rest.trim_start().starts_with(':').then_some(n + colon + 1)
}

/// Reads a describing line ("Đơn vị chủ trì: Phòng A; Đơn vị phối hợp: Phòng B, Phòng C.",
/// "Thời gian thực hiện: Quý II/2026", "Lãnh đạo phụ trách: …"): `None` unless its first
/// clause opens with one of the labels.
pub fn attributes(ctx: &Ctx, r: Range<usize>, v: &Vocab) -> Option<Attributes> {
    let w = &v.resp.structure;
    let (folded, offs) = fold_with_offsets(&ctx.text[r.clone()]);
    let all: Vec<&[String]> = vec![
        &w.lead_labels,
        &w.coordinating_labels,
        &w.time_labels,
        &w.supervisor_labels,
    ];
    all.iter().find_map(|l| labelled(&folded, l))?;
    let mut out = Attributes::default();
    // Clauses: split on ';' and on '.' before another label.
    let mut clauses = vec![];
    let mut start = 0;
    for (i, c) in folded.char_indices() {
        let next = i + c.len_utf8();
        let after = folded[next..].trim_start();
        let cut =
            c == ';' || c == '\n' || (c == '.' && all.iter().any(|l| labelled(after, l).is_some()));
        if cut {
            clauses.push(start..i);
            start = next;
        }
    }
    clauses.push(start..folded.len());
    for c in clauses {
        let lead_space = folded[c.clone()].len() - folded[c.clone()].trim_start().len();
        let at = c.start + lead_space;
        let f = &folded[at..c.end];
        let value = |n: usize| {
            let s = r.start + offs[at + n];
            let e = r.start + offs[c.end];
            crate::span::trim_range(ctx.text, s..e)
        };
        if let Some(n) = labelled(f, &w.lead_labels) {
            let name = super::subject::tidy(ctx.slice(&value(n)));
            if !name.is_empty() {
                out.lead.get_or_insert(name);
            }
        } else if let Some(n) = labelled(f, &w.coordinating_labels) {
            out.coordinating.extend(
                ctx.slice(&value(n))
                    .split(',')
                    .map(super::subject::tidy)
                    .filter(|s| !s.is_empty()),
            );
        } else if let Some(n) = labelled(f, &w.time_labels) {
            out.time.get_or_insert(value(n));
        }
    }
    Some(out)
}

/// A heading (or a line's label before its colon) that describes rather than assigns:
/// "Thời gian, đối tượng kiểm tra", "Địa điểm", "Tồn tại, hạn chế", "Nguyên nhân".
pub fn describes(heading: &str, v: &Vocab) -> bool {
    let w = &v.resp.structure;
    // "Kinh phí tổ chức các lớp tập huấn: Được bảo đảm …" kept whole as a heading: the
    // label before the colon decides, and may be longer than a bare heading.
    let (label, colon) = match heading.split_once(':') {
        Some((l, _)) => (l, true),
        None => (heading, false),
    };
    let f = crate::fold::fold(label);
    let f = f.trim().trim_end_matches([':', '.']);
    let max = if colon {
        w.label_colon_max_words.max(w.label_max_words)
    } else {
        w.label_max_words
    };
    f.split_whitespace().count() <= max.max(1)
        && (starts_with_any(f, &w.not_task_labels).is_some() || topic(f, v))
}

/// "Nội dung tuyên truyền", "Nội dung thi đua": a topic head over the activity the plan
/// organises, which says what the activity covers rather than assigning work.
fn topic(folded: &str, v: &Vocab) -> bool {
    let w = &v.resp.structure;
    starts_with_any(folded, &w.topic_heads).is_some_and(|n| {
        let rest = folded[n..].trim_start_matches([' ', ',']);
        starts_with_any(rest, &w.topic_activities).is_some()
    })
}

/// "Đối với Tổ công tác", "Đối với đơn vị được kiểm tra: …": the body a heading addresses
/// (absolute range), whose duties the section then holds.
pub fn addressed(ctx: &Ctx, heading: Range<usize>, v: &Vocab) -> Option<Range<usize>> {
    let label = ctx.text[heading.clone()]
        .split(':')
        .next()
        .unwrap_or_default();
    let (folded, offs) = fold_with_offsets(label);
    let n = starts_with_any(&folded, &v.resp.structure.addressing_openers)?;
    let from = super::subject::skip_space(&folded, n);
    // Only a body: "Đối với tập thể" (a class of award) addresses no one.
    v.resp.head(&folded[from..])?;
    let at = heading.start + offs[from];
    let name = ctx.text[at..heading.start + label.len()]
        .trim_end_matches(|c: char| c.is_whitespace() || ".,;".contains(c));
    let words = name.split_whitespace().count();
    (1..=8).contains(&words).then(|| at..at + name.len())
}

/// An item that gives work to a body: its sentence opens with the body (after a fronted
/// ground such as "Căn cứ Kế hoạch này,") and a verb follows the name, not a preposition
/// ("Các cơ quan Trung ương đóng trên địa bàn tỉnh" lists, "UBND các xã chủ động …" assigns).
pub fn assigns(ctx: &Ctx, r: Range<usize>, v: &Vocab) -> bool {
    let Some(subj) = super::subject::subject(ctx, r.clone(), v) else {
        return false;
    };
    let subj = capitalised_run(ctx, subj, r.end, v);
    let after = crate::fold::fold(ctx.text[subj.end..r.end].trim_start());
    // "… địa phương được đánh giá …": the body undergoes, it is given no work.
    let name = crate::fold::fold(ctx.slice(&subj));
    let passive = name
        .split_whitespace()
        .last()
        .is_some_and(|w| v.resp.structure.passive_openers.iter().any(|p| p == w));
    !passive
        && starts_with_any(&after, &v.resp.verbs).is_some()
        && starts_with_any(&after, &v.resp.structure.not_actions).is_none()
        && starts_with_any(&after, &v.resp.structure.passive_openers).is_none()
}

/// Does `at` fall in an appendix that is a form to fill in? The appendix's title, read from
/// the last line before `at` that opens with "Phụ lục", names a template ("Đề cương báo
/// cáo", "Mẫu báo cáo"). (The signature block may sit in a table, so the outline's
/// `appendix_start` is not always known.)
pub fn in_template(ctx: &Ctx, at: usize, v: &Vocab) -> bool {
    let w = &v.resp.structure;
    let before = &ctx.text[..at];
    let title_from = before
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain([0])
        .filter(|&i| {
            let head: String = before[i..].chars().take(12).collect();
            starts_with_any(crate::fold::fold(&head).trim_start(), &w.appendix_openers).is_some()
        })
        .max();
    title_from.is_some_and(|i| {
        let title: String = ctx.text[i..at].chars().take(300).collect();
        let title = crate::fold::fold(&title);
        w.template_titles.iter().any(|t| title.contains(t.as_str()))
    })
}

/// A passive sentence without its agent ("Được thực hiện theo quy định của pháp luật"): it
/// states how a thing is done, and no one is given the work.
pub fn agentless_passive(ctx: &Ctx, r: Range<usize>, v: &Vocab) -> bool {
    let f = crate::fold::fold(ctx.slice(&r));
    starts_with_any(f.trim_start(), &v.resp.structure.passive_openers).is_some()
        && passive_agent(ctx, r, v).is_none()
}

/// A "Label: …" line whose label describes ("Địa điểm: Hội trường …"): not a task.
pub fn described_line(text: &str, v: &Vocab) -> bool {
    text.split_once(':')
        .is_some_and(|(label, _)| describes(label, v))
}

/// A person named as the doer ("Ông. Hoàng Văn A - Trưởng đoàn", "Bà Trần Thị B, Phó
/// Trưởng ban"): the name, without the title and the office.
pub fn person(text: &str, v: &Vocab) -> Option<String> {
    let t = text.trim();
    let (folded, offs) = fold_with_offsets(t);
    let n = starts_with_any(&folded, &v.resp.structure.person_titles)?;
    let rest = t[offs[n]..].trim_start_matches(['.', ' ', ':']);
    let name = rest
        .split([',', ';', ':', '(', '–', '—'])
        .next()?
        .split(" - ")
        .next()?
        .trim();
    // A name is two to five capitalised words.
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = words
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    ((2..=5).contains(&words.len()) && capitalised).then(|| name.to_string())
}

/// An introducing sentence ("Giao Phòng X triển khai các công việc sau:", "Các phòng, ban
/// thực hiện các nhiệm vụ sau:"): the body it hands the following list to.
pub fn intro(ctx: &Ctx, r: Range<usize>, v: &Vocab) -> Option<String> {
    let text = ctx.slice(&r).trim_end();
    if !v
        .resp
        .structure
        .intro_endings
        .iter()
        .any(|e| text.ends_with(e.as_str()))
    {
        return None;
    }
    let subj = super::subject::subject(ctx, r.clone(), v)?;
    let subj = capitalised_run(ctx, subj, r.end, v);
    let name = super::request::strip_request(&super::subject::tidy(ctx.slice(&subj)), v);
    (!name.is_empty()).then_some(name)
}

/// A body's name cut short at a word that is also a verb ("Phòng Quản lý Công nghiệp" read
/// as "Phòng" before "quản lý"), extended over the capitalised words after it and the
/// lower-case words of a capitalised name ("Công nghiệp"), up to a lower-case verb or a mark.
pub fn capitalised_run(ctx: &Ctx, name: Range<usize>, limit: usize, v: &Vocab) -> Range<usize> {
    let mut end = name.end;
    let mut seen_capital = false;
    loop {
        let rest = &ctx.text[end..limit];
        let trimmed = rest.trim_start_matches(' ');
        // A name hard-wrapped onto the next line ("do Văn phòng Sở\nCông Thương tỉnh … bố
        // trí") goes on there, unless that line opens with a verb (a new clause).
        let trimmed = match trimmed.strip_prefix('\n') {
            Some(next)
                if starts_with_any(&crate::fold::fold(next.trim_start()), &v.resp.verbs)
                    .is_none() =>
            {
                next.trim_start_matches(' ')
            }
            _ => trimmed,
        };
        let start = end + rest.len() - trimmed.len();
        let word_len = trimmed
            .find(|c: char| c.is_whitespace() || ",;:.()".contains(c))
            .unwrap_or(trimmed.len());
        if word_len == 0 {
            break;
        }
        let word = &trimmed[..word_len];
        // "Phòng Văn hóa - Xã hội": a dash between capitalised parts of one name.
        if matches!(word, "-" | "–")
            && trimmed[word_len..]
                .trim_start_matches(' ')
                .starts_with(char::is_uppercase)
        {
            end = start + word_len;
            continue;
        }
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let verb = starts_with_any(&crate::fold::fold(trimmed), &v.resp.verbs).is_some();
        if !(capital || seen_capital && !verb) {
            break;
        }
        seen_capital |= capital;
        end = start + word_len;
    }
    name.start..end
}

/// A duty written after its doer's name and a colon ("Văn phòng Sở: Thực hiện …", "Ông A -
/// Thư ký: Chịu trách nhiệm …"): the doer, when the part before the colon is only a body's
/// name or a person.
pub fn doer_before_colon(ctx: &Ctx, r: Range<usize>, v: &Vocab) -> Option<String> {
    let text = ctx.slice(&r);
    let colon = text.find(':')?;
    let label = &text[..colon];
    if label.split_whitespace().count() > 14 {
        return None;
    }
    if let Some(p) = person(label, v) {
        return Some(p);
    }
    let subj = super::subject::subject(ctx, r.start..r.start + colon, v)?;
    let subj = capitalised_run(ctx, subj, r.start + colon, v);
    let rest = ctx.text[subj.end..r.start + colon].trim_matches(|c: char| c.is_whitespace());
    rest.is_empty()
        .then(|| super::request::strip_request(&super::subject::tidy(ctx.slice(&subj)), v))
}

/// Text with no lower-case letter (a table's caption, an appendix title): never a task.
pub fn shouted(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.chars().any(char::is_alphabetic) && !first.chars().any(char::is_lowercase)
}

/// The agent of a passive duty ("Xe ô tô do Văn phòng Sở bố trí"): the body after a
/// passive marker, when a verb follows its name.
pub fn passive_agent(ctx: &Ctx, r: Range<usize>, v: &Vocab) -> Option<Range<usize>> {
    let (folded, offs) = fold_with_offsets(&ctx.text[r.clone()]);
    for m in &v.resp.structure.passive_markers {
        let pat = format!(" {m} ");
        let mut from = 0;
        while let Some(i) = folded[from..].find(&pat) {
            let at = from + i + pat.len();
            from = at;
            if v.resp.head(&folded[at..]).is_none() {
                continue;
            }
            let Some(name) = super::subject::subject(ctx, r.start + offs[at]..r.end, v) else {
                continue;
            };
            let name = capitalised_run(ctx, name, r.end, v);
            let after = crate::fold::fold(ctx.text[name.end..r.end].trim_start());
            if starts_with_any(&after, &v.resp.verbs).is_some() {
                return Some(name);
            }
        }
    }
    None
}

/// An item that runs on into describing lines ("- Rà soát …\nĐơn vị chủ trì: …\nThời gian
/// thực hiện: …" with no blank line between): the item's own part, then each describing line.
pub fn split_described(ctx: &Ctx, r: Range<usize>, v: &Vocab) -> Vec<Range<usize>> {
    let mut out = vec![];
    let mut start = r.start;
    let mut at = r.start;
    for line in ctx.text[r.clone()].split_inclusive('\n') {
        let lr = at..at + line.len();
        if at > r.start
            && attributes(ctx, crate::span::trim_range(ctx.text, lr.clone()), v).is_some()
        {
            out.push(crate::span::trim_range(ctx.text, start..at));
            start = at;
        }
        at = lr.end;
    }
    out.push(crate::span::trim_range(ctx.text, start..r.end));
    out
}

/// Does the duty in `r` run on into `next`, the line wrapped by a PDF's layout: `r` ends
/// without a clause mark, `next` is an unmarked paragraph right below it (no blank line)
/// or begins in lower case.
pub fn wraps_into(text: &str, r: &Range<usize>, next: &crate::segment::Item) -> bool {
    let head = text[r.clone()].trim_end();
    let body = text[next.range.clone()].trim_start();
    let gap = text.get(r.end..next.range.start).unwrap_or("\n\n");
    next.marker.is_empty()
        && !head.ends_with(['.', ';', ':', '!', '?', ')'])
        && (body.chars().next().is_some_and(char::is_lowercase) || !gap.contains("\n\n"))
}
