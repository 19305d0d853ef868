//! Tasks: every actionable item of the task, schedule and implementation sections, and every
//! row of an activity table, with who leads it, who coordinates and when it falls due.
//!
//! Who leads comes, in order, from the item itself ("X chủ trì", a sentence whose subject is a
//! body), the implementation sub-section it sits in ("2. Phòng Giáo dục và Đào tạo"), or the
//! table's implementing-unit column. A heading that is itself a time limit ("1. Quý I") gives
//! that limit to the items under it that state none.

pub use super::columns::Columns;
use super::deadline::{self, Found};
use super::types::Ctx;
use super::vocab::{Vocab, starts_with_any};
use crate::contract::{SectionKind, Task, Warning};
use crate::fold::{fold, fold_with_offsets};
use crate::segment::Section;
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

fn skip_space(s: &str, mut i: usize) -> usize {
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
        let comma = folded[at..].find(',')? + at;
        let opening = &folded[..comma];
        if at > 0
            || opening.split_whitespace().count() > 10
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
        let head = v
            .resp
            .head(rest)
            .filter(|_| starts_with_any(rest, &v.resp.verbs).is_none())?;
        // The subject must be followed by its verb, or the phrase is a list, not a clause.
        let end = name_end(&folded, next, head, v);
        let after = skip_space(&folded, end);
        starts_with_any(&folded[after..], &v.resp.verbs)?;
        return Some(range.start + offs[next]..range.start + offs[end]);
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

/// "X chủ trì": the body before a lead marker in `range`, if the item names one.
fn lead_in(ctx: &Ctx, range: Range<usize>, v: &Vocab) -> Option<Range<usize>> {
    let src = &ctx.text[range.clone()];
    let (folded, offs) = fold_with_offsets(src);
    for m in &v.resp.lead_markers {
        let m = crate::fold::fold(m);
        if let Some(i) = folded.find(&m) {
            // "Chủ trì, phối hợp…" at the start: the lead is the enclosing body.
            if folded[..i].trim().is_empty() {
                return None;
            }
            // The subject of the clause ending at the marker.
            let clause_start = folded[..i].rfind([';', '.', ':']).map_or(0, |p| p + 1);
            let clause_start = skip_space(&folded, clause_start);
            let r = clause_start..i;
            let s = subject(
                ctx,
                range.start + offs[r.start]..range.start + offs[r.end],
                v,
            )?;
            return Some(s);
        }
    }
    None
}

/// A numbered heading written as a sentence (`3. Đổi mới nội dung … trong cộng đồng.` over
/// lettered sub-items) states a task itself, not just a topic.
fn sentence_like(heading: &str) -> bool {
    let h = heading.trim();
    h.ends_with(['.', ';']) || h.split_whitespace().count() > 14
}

/// The bodies a heading names (absolute ranges), the request opener left out: one, or two
/// ("Phòng Văn hóa và Thông tin và Trung tâm Văn hóa - Thể thao").
pub fn heading_names(ctx: &Ctx, s: &Section, v: &Vocab) -> Vec<Range<usize>> {
    if heading_body(ctx, s, v).is_none() {
        return vec![];
    }
    let src = ctx.slice(&s.heading);
    let (folded, offs) = fold_with_offsets(src);
    let at = starts_with_any(&folded, &v.resp.request_openers)
        .map(|n| n + 1)
        .unwrap_or(0)
        .min(folded.len());
    name_list(&folded, at, v, true)
        .into_iter()
        .map(|r| s.heading.start + offs[r.start]..s.heading.start + offs[r.end])
        .collect()
}

/// Does this heading name a body (an implementation sub-section's addressee)?
pub fn heading_body(ctx: &Ctx, s: &Section, v: &Vocab) -> Option<Range<usize>> {
    subject(ctx, s.heading.clone(), v)
}

/// A numbered item that is only a body's name: a heading ending in a comma or full stop,
/// which the outline reads as an item.
pub fn item_body(ctx: &Ctx, it: &crate::segment::Item, v: &Vocab) -> Option<Range<usize>> {
    let numbered = it
        .marker
        .trim_end_matches(')')
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.');
    let text = ctx.slice(&it.range);
    if !numbered || it.marker.is_empty() || text.split_whitespace().count() > 12 {
        return None;
    }
    let subj = subject(ctx, it.range.clone(), v)?;
    let rest = ctx.text[subj.end..it.range.end]
        .trim_matches(|c: char| c.is_whitespace() || ",.;:".contains(c));
    rest.is_empty().then_some(subj)
}

/// A paragraph that runs on into the closing formula ("…đơn vị.\nTrên đây là kế hoạch…./.")
/// without a blank line: the lines before the formula.
pub fn without_closing(text: &str, r: Range<usize>) -> Range<usize> {
    let t = &text[r.clone()];
    if t.trim_end().ends_with("/.")
        && let Some(nl) = t.trim_end().rfind('\n')
    {
        return crate::span::trim_range(text, r.start..r.start + nl);
    }
    r
}

/// A paragraph that is not an action: the closing formula (the body's last sentence ends in
/// "./.") or a note wholly in parentheses.
pub fn is_note(text: &str) -> bool {
    let t = text.trim();
    let bare = t.trim_end_matches(['.', ';']);
    t.ends_with("/.") || (t.starts_with('(') && bare.ends_with(')'))
}

pub fn tidy(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches([',', ';', '.', ':', ' ', '*'])
        .to_string()
}

struct Walk<'c, 'a> {
    ctx: &'c Ctx<'a>,
    v: &'c Vocab,
    tables: Vec<Range<usize>>,
    /// Bodies a heading names after its first, which coordinate the tasks under it.
    partners: Vec<String>,
    out: Vec<Task>,
    /// The first task a describing line ("Đơn vị chủ trì: …") may apply to: the section's
    /// first, or the first after the previous describing line.
    group_start: usize,
    prev_group: usize,
    warnings: Vec<Warning>,
}

impl Walk<'_, '_> {
    fn in_table(&self, r: &Range<usize>) -> bool {
        self.tables
            .iter()
            .any(|t| t.start <= r.start && r.end <= t.end)
    }

    fn deadline_in(&mut self, r: Range<usize>) -> Option<Found> {
        deadline::find_in(
            self.ctx.text,
            r,
            self.v,
            self.ctx.year,
            false,
            &mut self.warnings,
        )
        .into_iter()
        .next()
    }

    /// An item the structure reads rather than a task: a describing line, whose lead,
    /// partners and time go to the tasks above it that lack them, or an introducing sentence,
    /// whose body leads the items after it (`cur`). True when the item was such a line.
    fn structured_item(&mut self, r: Range<usize>, cur: &mut Option<String>) -> bool {
        if let Some(a) = super::structure::attributes(self.ctx, r.clone(), self.v) {
            let due = a.time.clone().and_then(|t| self.deadline_in(t));
            // Describing lines one after another ("Đơn vị chủ trì: …" then "Thời gian thực
            // hiện: …") speak of the same tasks.
            if self.out.len() == self.group_start {
                self.group_start = self.prev_group;
            }
            self.prev_group = self.group_start;
            for t in &mut self.out[self.group_start..] {
                if t.lead.is_none() {
                    t.lead = a.lead.clone();
                }
                for c in &a.coordinating {
                    if !t.coordinating.contains(c) && t.lead.as_ref() != Some(c) {
                        t.coordinating.push(c.clone());
                    }
                }
                if t.deadline.is_none() {
                    t.deadline = due.as_ref().map(|f| f.to_contract(self.ctx));
                }
            }
            self.group_start = self.out.len();
            return true;
        }
        if let Some(b) = super::structure::intro(self.ctx, r, self.v) {
            *cur = Some(b);
            return true;
        }
        false
    }

    fn task(
        &mut self,
        r: Range<usize>,
        section: &Section,
        body: Option<&str>,
        due: Option<&Found>,
    ) {
        let r = without_closing(self.ctx.text, crate::span::trim_range(self.ctx.text, r));
        let text = self.ctx.slice(&r);
        let folded = crate::fold::fold(text);
        if text.split_whitespace().count() < 3
            || is_note(text)
            || super::structure::shouted(text)
            || super::structure::described_line(text, self.v)
            || starts_with_any(&folded, &self.v.resp.not_task).is_some()
            || self.in_table(&r)
        {
            return;
        }
        // "X chủ trì", else a sentence whose subject is a body ("Đề nghị các tổ chức đoàn
        // thể phối hợp…"), else the body whose sub-section this is.
        let lead = lead_in(self.ctx, r.clone(), self.v)
            .or_else(|| subject(self.ctx, r.clone(), self.v))
            .map(|l| super::request::strip_request(&tidy(self.ctx.slice(&l)), self.v))
            .or(body.map(String::from));
        let mut coordinating: Vec<String> = coordinating(self.ctx, r.clone(), self.v)
            .into_iter()
            .map(|c| tidy(self.ctx.slice(&c)))
            .filter(|c| !c.is_empty())
            .collect();
        for p in &self.partners {
            if body == Some(p.as_str()) || coordinating.contains(p) || lead.as_deref() == Some(p) {
                continue;
            }
            if lead.as_deref() == body {
                coordinating.push(p.clone());
            }
        }
        let deadline = self
            .deadline_in(r.clone())
            .or_else(|| due.cloned())
            .map(|f| f.to_contract(self.ctx));
        self.out.push(Task {
            text: text.to_string(),
            section: Some(section.path.clone()),
            lead,
            coordinating,
            deadline,
            span: self.ctx.index.span(r),
        });
    }

    fn section(
        &mut self,
        s: &Section,
        in_scope: bool,
        in_impl: bool,
        body: Option<String>,
        due: Option<Found>,
    ) {
        // A sub-section keeps its implementation role even when its heading's words give it
        // another kind ("4. Công chức Kế toán tài chính" reads as budget).
        let in_impl = in_impl || s.kind == SectionKind::Implementation;
        let in_scope = in_scope
            || matches!(
                s.kind,
                SectionKind::Tasks | SectionKind::Schedule | SectionKind::Implementation
            );
        // A heading naming two bodies: the first leads, the other works with it.
        let names: Vec<String> = if in_impl {
            heading_names(self.ctx, s, self.v)
                .iter()
                .map(|r| super::request::strip_request(&tidy(self.ctx.slice(r)), self.v))
                .collect()
        } else {
            vec![]
        };
        // A heading that describes (when, where, for whom, findings, causes) holds no task,
        // nor do its sub-sections.
        if super::structure::describes(self.ctx.slice(&s.heading), self.v) {
            return;
        }
        let own_body = names.first().cloned();
        if !names.is_empty() {
            self.partners = names[1..].to_vec();
        }
        let body = own_body.clone().or(body);
        let due = self.deadline_in(s.heading.clone()).or(due);
        if in_scope {
            let leaf = s.items.is_empty() && s.children.is_empty() && s.run_in.is_none();
            if let Some(r) = &s.run_in {
                // "3. Công chức Văn hóa - Xã hội: Tổ chức…": the run-in body is the duty.
                let doer = super::structure::person(self.ctx.slice(&s.heading), self.v);
                let lead = doer.or_else(|| body.clone());
                self.task(r.clone(), s, lead.as_deref(), due.as_ref());
            } else if (leaf || sentence_like(self.ctx.slice(&s.heading))) && own_body.is_none() {
                // "Ông A - Trưởng đoàn: Phụ trách chung…" read whole as a heading.
                let doer = super::structure::doer_before_colon(self.ctx, s.heading.clone(), self.v);
                let lead = doer.or_else(|| body.clone());
                self.task(s.heading.clone(), s, lead.as_deref(), due.as_ref());
            }
            // A numbered line that only names a body ("4. Phòng Văn hóa và Thông tin,") is a
            // heading the outline kept as an item: it leads the items after it.
            let mut cur = body.clone();
            self.group_start = self.out.len();
            for it in &s.items {
                if in_impl && let Some(b) = item_body(self.ctx, it, self.v) {
                    cur = Some(super::request::strip_request(
                        &tidy(self.ctx.slice(&b)),
                        self.v,
                    ));
                    continue;
                }
                for r in super::structure::split_described(self.ctx, it.range.clone(), self.v) {
                    if self.structured_item(r.clone(), &mut cur) {
                        continue;
                    }
                    let doer = super::structure::doer_before_colon(self.ctx, r.clone(), self.v);
                    let lead = doer.or_else(|| cur.clone());
                    self.task(r, s, lead.as_deref(), due.as_ref());
                }
            }
        }
        // A numbered line that introduces ("1. Giao Phòng X thực hiện các công việc sau:")
        // hands the sections after it to its body.
        let mut body = body;
        for c in &s.children {
            let leaf = c.items.is_empty() && c.children.is_empty();
            let intro = (in_scope && leaf)
                .then(|| {
                    let r = c.heading.start..c.run_in.as_ref().map_or(c.heading.end, |r| r.end);
                    super::structure::intro(self.ctx, r, self.v)
                })
                .flatten();
            if intro.is_some() {
                body = intro;
                continue;
            }
            self.section(c, in_scope, in_impl, body.clone(), due.clone());
        }
        if own_body.is_some() {
            self.partners.clear();
        }
    }
}

/// Every task of the plan: section items, then activity-table rows.
pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> Vec<Task> {
    let Ok(v) = Vocab::get(ctx.rules) else {
        return vec![];
    };
    let mut w = Walk {
        ctx,
        v: &v,
        tables: ctx.outline.tables.iter().map(|t| t.range.clone()).collect(),
        partners: vec![],
        out: vec![],
        group_start: 0,
        prev_group: 0,
        warnings: vec![],
    };
    for s in &ctx.outline.sections {
        w.section(s, false, false, None, None);
    }
    let mut out = w.out;
    for t in &ctx.outline.tables {
        let Some(cols) = Columns::of(ctx, t, &v) else {
            continue;
        };
        let first = out.len();
        for row in t.rows.iter().skip(1) {
            let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).filter(|c| !c.is_empty());
            let Some(content) = row.get(cols.content).filter(|c| !c.is_empty()) else {
                // A row with only a doer continues the task above (merged cells): one more
                // who works on it.
                if out.len() > first
                    && let Some(l) = cell(cols.lead)
                    && let Some(prev) = out.last_mut()
                {
                    prev.coordinating.push(tidy(ctx.slice(l)));
                }
                continue;
            };
            let deadline = cell(cols.time).and_then(|c| {
                deadline::find_in(ctx.text, c.clone(), &v, ctx.year, true, &mut vec![])
                    .into_iter()
                    .next()
                    .map(|f| f.to_contract(ctx))
            });
            let mut coordinating: Vec<String> = cell(cols.coordinating)
                .map(|c| {
                    ctx.slice(c)
                        .split([',', ';', '\n'])
                        .map(tidy)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            coordinating.extend(
                super::task::coordinating(ctx, content.clone(), &v)
                    .into_iter()
                    .map(|c| tidy(ctx.slice(&c))),
            );
            out.push(Task {
                text: ctx.slice(content).to_string(),
                section: t.section.clone(),
                lead: cell(cols.lead).map(|c| tidy(ctx.slice(c))),
                coordinating,
                deadline,
                span: ctx.index.span(content.clone()),
            });
        }
    }
    warnings.extend(w.warnings.into_iter().filter(|x| x.code != "invalid_date"));
    out
}
