//! Tasks: every actionable item of the task, schedule and implementation sections, and every
//! row of an activity table, with who leads it, who coordinates and when it falls due.
//!
//! Who leads comes, in order, from the item itself ("X chủ trì", a sentence whose subject is a
//! body), the implementation sub-section it sits in ("2. Phòng Giáo dục và Đào tạo"), or the
//! table's implementing-unit column. A heading that is itself a time limit ("1. Quý I") gives
//! that limit to the items under it that state none.

pub use super::columns::Columns;
use super::deadline::{self, Found};
use super::subject::skip_space;
pub use super::subject::{coordinating, name_list, subject, tidy};
use super::types::Ctx;
use super::vocab::{Vocab, starts_with_any};
use crate::contract::{SectionKind, Task, Warning};
use crate::fold::fold_with_offsets;
use crate::segment::Section;
use std::ops::Range;

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

/// The sentences of a paragraph (absolute ranges): cut at a line break and at a full stop
/// before a capital. A paragraph outside the plan's work ("Các phòng báo cáo … Phòng A tổng
/// hợp, báo cáo …") gives each body its own sentence.
fn sentences(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = vec![];
    let mut start = r.start;
    let t = &text[r.clone()];
    for (i, c) in t.char_indices() {
        let at = r.start + i;
        let cut = c == '\n'
            || (c == '.'
                && t[i + 1..].starts_with(' ')
                && t[i + 1..].trim_start().starts_with(char::is_uppercase));
        if cut {
            let end = if c == '.' { at + 1 } else { at };
            out.push(crate::span::trim_range(text, start..end));
            start = at + 1;
        }
    }
    out.push(crate::span::trim_range(text, start..r.end));
    out.retain(|x| !x.is_empty());
    out
}

/// A numbered heading written as a sentence (`3. Đổi mới nội dung … trong cộng đồng.` over
/// lettered sub-items) states a task itself, not just a topic.
fn sentence_like(heading: &str) -> bool {
    let h = heading.trim();
    h.ends_with(['.', ';']) || h.split_whitespace().count() > 14
}

/// A long heading without a closing stop over bulleted items ("1. Phát triển du lịch
/// cộng đồng gắn với bảo tồn văn hóa các dân tộc …" then "- Tham mưu …"): the group's
/// topic, whose items are the tasks.
fn topic_over_items(ctx: &Ctx, s: &Section) -> bool {
    // The heading's line as written (the outline may leave its stop out of the heading).
    let line_end = ctx.text[s.heading.start..]
        .find('\n')
        .map_or(ctx.text.len(), |n| s.heading.start + n);
    let h = ctx.text[s.heading.start..line_end].trim();
    !h.ends_with(['.', ';'])
        && s.children.is_empty()
        && s.items.first().is_some_and(|it| !it.marker.is_empty())
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
    if !numbered || it.marker.is_empty() {
        return None;
    }
    only_body(ctx, it.range.clone(), v)
}

/// The body `range` names when it names nothing else (a short line, its punctuation aside).
pub fn only_body(ctx: &Ctx, range: Range<usize>, v: &Vocab) -> Option<Range<usize>> {
    if ctx.slice(&range).split_whitespace().count() > 12 {
        return None;
    }
    let subj = subject(ctx, range.clone(), v)?;
    let rest = ctx.text[subj.end..range.end]
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
            || super::structure::agentless_passive(self.ctx, r.clone(), self.v)
            || starts_with_any(&folded, &self.v.resp.not_task).is_some()
            || self.in_table(&r)
        {
            return;
        }
        // "X chủ trì", else a sentence whose subject is a body ("Đề nghị các tổ chức đoàn
        // thể phối hợp…"), else the body whose sub-section this is.
        let lead = lead_in(self.ctx, r.clone(), self.v)
            .or_else(|| subject(self.ctx, r.clone(), self.v))
            .or_else(|| super::structure::passive_agent(self.ctx, r.clone(), self.v))
            .map(|l| super::structure::capitalised_run(self.ctx, l, r.end, self.v))
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
        // "5.1. Đối với Tổ công tác: …" gives that body the duties under it, whatever the
        // section around it is called.
        let addressed = super::structure::addressed(self.ctx, s.heading.clone(), self.v)
            .map(|r| super::request::strip_request(&tidy(self.ctx.slice(&r)), self.v));
        // A sub-section keeps its implementation role even when its heading's words give it
        // another kind ("4. Công chức Kế toán tài chính" reads as budget).
        let in_impl = in_impl || s.kind == SectionKind::Implementation || addressed.is_some();
        let in_scope = in_scope
            || addressed.is_some()
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
        // nor do its sub-sections. In a section outside the plan's work ("Tiêu chuẩn khen
        // thưởng", "Kinh phí") only an item that gives work to a body counts ("Căn cứ Kế
        // hoạch này, các cơ quan … chủ động xây dựng …").
        let describing = super::structure::describes(self.ctx.slice(&s.heading), self.v);
        if !describing && !in_scope && matches!(s.kind, SectionKind::Other | SectionKind::Budget) {
            // A heading that is a sentence ("Điều 2. Giao Sở X chủ trì …") may itself give work.
            let head = s.heading.start..s.run_in.as_ref().map_or(s.heading.end, |r| r.end);
            if sentence_like(self.ctx.slice(&head))
                && super::structure::assigns(self.ctx, head.clone(), self.v)
            {
                self.task(head, s, None, None);
            }
            for it in &s.items {
                for r in sentences(self.ctx.text, it.range.clone()) {
                    if super::structure::assigns(self.ctx, r.clone(), self.v) {
                        self.task(r, s, None, None);
                    }
                }
            }
        }
        if describing {
            return;
        }
        let own_body = names.first().cloned().or(addressed);
        if !names.is_empty() {
            self.partners = names[1..].to_vec();
        }
        let body = own_body.clone().or(body);
        let due = self.deadline_in(s.heading.clone()).or(due);
        if in_scope {
            let leaf = s.items.is_empty() && s.children.is_empty() && s.run_in.is_none();
            // The part of the heading that states a duty, if any, and who does it.
            let head_task = if let Some(r) = &s.run_in {
                // "3. Công chức Văn hóa - Xã hội: Tổ chức…": the run-in body is the duty.
                let doer = super::structure::person(self.ctx.slice(&s.heading), self.v);
                Some((r.clone(), doer))
            } else if ((leaf
                || (sentence_like(self.ctx.slice(&s.heading)) && !topic_over_items(self.ctx, s)))
                && own_body.is_none())
                // "Điều 2. Giao Sở X chủ trì … ." alone: the body's name opens a sentence that
                // is the duty itself.
                || (leaf && sentence_like(self.ctx.slice(&s.heading)))
            {
                // "Ông A - Trưởng đoàn: Phụ trách chung…" read whole as a heading.
                let doer = super::structure::doer_before_colon(self.ctx, s.heading.clone(), self.v);
                Some((s.heading.clone(), doer))
            } else {
                None
            };
            let mut items = &s.items[..];
            let mut head_doer = None;
            if let Some((mut r, doer)) = head_task {
                // A PDF line wrapped into the next paragraph ("… do Văn phòng Sở\nCông
                // Thương bố trí."): the duty goes on there.
                if let Some(first) = items.first()
                    && super::structure::wraps_into(self.ctx.text, &r, first)
                {
                    r = r.start..first.range.end;
                    items = &items[1..];
                }
                let lead = doer.or_else(|| body.clone());
                self.task(r, s, lead.as_deref(), due.as_ref());
                // "Ông A - Trưởng đoàn: Chủ trì …;" then "Tổng hợp …": the same person's.
                head_doer = lead;
            }
            // A numbered line that only names a body ("4. Phòng Văn hóa và Thông tin,") is a
            // heading the outline kept as an item: it leads the items after it.
            let mut cur = head_doer.or_else(|| body.clone());
            self.group_start = self.out.len();
            for it in items {
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
        // An appendix that is a form to fill in ("Phụ lục 01: ĐỀ CƯƠNG BÁO CÁO …") sets no work.
        if super::structure::in_template(ctx, s.range.start, &v) {
            continue;
        }
        // A part headed by a body's name alone ("1. Sở Công Thương" at the top of a letter's
        // body) assigns that body its duties, as an implementation sub-section does.
        let addressed = s.run_in.is_none() && only_body(ctx, s.heading.clone(), &v).is_some();
        w.section(s, addressed, addressed, None, None);
    }
    let mut out = w.out;
    super::table_tasks::extract(ctx, &v, &mut out);
    warnings.extend(w.warnings.into_iter().filter(|x| x.code != "invalid_date"));
    out
}
