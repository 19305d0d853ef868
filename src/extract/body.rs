//! Responsible bodies: who the implementation section addresses — its sub-section headings
//! (one or two bodies, "Đề nghị …" requests included), the subjects of its paragraphs — and the
//! implementing-unit column of activity tables; each with its duties.

use super::columns::Columns;
pub use super::request::strip_request;
use super::task::{subject, tidy};
use super::types::Ctx;
use super::vocab::Vocab;
use crate::contract::{ResponsibleBody, SectionKind, Warning};
use crate::fold::fold;
use crate::segment::Section;
use std::ops::Range;

/// A body named by an item (none for the section's own) and the paragraphs it leads.
type Group = (Option<Range<usize>>, Vec<Range<usize>>);

struct Acc<'c, 'a> {
    ctx: &'c Ctx<'a>,
    v: &'c Vocab,
    out: Vec<ResponsibleBody>,
}

impl Acc<'_, '_> {
    fn add(&mut self, r: Range<usize>, duties: Vec<String>) {
        let name = tidy(self.ctx.slice(&r));
        if name.is_empty() {
            return;
        }
        let key = fold(&name);
        if let Some(b) = self.out.iter_mut().find(|b| fold(&b.name) == key) {
            for d in duties {
                if !b.duties.contains(&d) {
                    b.duties.push(d);
                }
            }
            return;
        }
        self.out.push(ResponsibleBody {
            expanded: Some(super::names::body_name(&name, self.ctx.rules)),
            name,
            duties,
            span: self.ctx.index.span(r),
        });
    }

    fn duties(&self, s: &Section, out: &mut Vec<String>) {
        if let Some(r) = &s.run_in {
            out.push(tidy(self.ctx.slice(r)));
        }
        for it in &s.items {
            out.push(tidy(self.ctx.slice(&it.range)));
        }
        for c in &s.children {
            if c.items.is_empty() && c.run_in.is_none() {
                out.push(tidy(self.ctx.slice(&c.heading)));
            }
            self.duties(c, out);
        }
    }

    fn section(&mut self, s: &Section, in_impl: bool) {
        let in_impl = in_impl || s.kind == SectionKind::Implementation;
        if !in_impl {
            for c in &s.children {
                self.section(c, false);
            }
            return;
        }
        let names = super::task::heading_names(self.ctx, s, self.v);
        // Items that only name a body (numbered headings the outline kept as items) split the
        // section: each leads the items after it.
        let mut groups: Vec<Group> = vec![(None, vec![])];
        for r in s.run_in.iter() {
            groups[0].1.push(r.clone());
        }
        for it in &s.items {
            let r = super::task::without_closing(self.ctx.text, it.range.clone());
            match super::task::item_body(self.ctx, it, self.v) {
                Some(b) => groups.push((Some(b), vec![])),
                None if super::task::is_note(self.ctx.slice(&r)) => {}
                None => groups.last_mut().unwrap().1.push(r),
            }
        }
        for (i, (b, paras)) in groups.iter().enumerate() {
            let duties: Vec<String> = paras
                .iter()
                .map(|p| tidy(self.ctx.slice(p)))
                .filter(|d| !d.is_empty())
                .collect();
            if let Some(b) = b {
                self.add(b.clone(), duties);
            } else if i == 0 && !names.is_empty() {
                let mut all = duties;
                for c in &s.children {
                    self.duties(c, &mut all);
                }
                all.retain(|d| !d.is_empty());
                for n in &names {
                    self.add(n.clone(), all.clone());
                }
            } else {
                // Paragraphs whose subject is a body ("UBND xã đề nghị…").
                for p in paras {
                    if let Some(subj) = subject(self.ctx, p.clone(), self.v) {
                        let duty = tidy(self.ctx.slice(p));
                        self.add(subj, vec![duty]);
                    }
                }
            }
        }
        if !names.is_empty() {
            return;
        }
        for c in &s.children {
            self.section(c, true);
        }
    }
}

/// Every responsible body, in order of first mention.
pub fn extract(ctx: &Ctx, _warnings: &mut Vec<Warning>) -> Vec<ResponsibleBody> {
    let Ok(v) = Vocab::get(ctx.rules) else {
        return vec![];
    };
    let mut acc = Acc {
        ctx,
        v: &v,
        out: vec![],
    };
    for s in &ctx.outline.sections {
        acc.section(s, false);
    }
    // The implementing-unit column of activity tables: each unit named in a cell.
    for t in &ctx.outline.tables {
        let Some(cols) = Columns::of(ctx, t, &v) else {
            continue;
        };
        let Some(lc) = cols.lead else { continue };
        for row in t.rows.iter().skip(1) {
            let (Some(cell), Some(content)) = (row.get(lc), row.get(cols.content)) else {
                continue;
            };
            let duty = tidy(ctx.slice(content));
            let mut pos = cell.start;
            for part in ctx.slice(cell).split([',', ';']) {
                let r = crate::span::trim_range(ctx.text, pos..pos + part.len());
                pos += part.len() + 1;
                if !r.is_empty() {
                    acc.add(r, vec![duty.clone()]);
                }
            }
        }
    }
    acc.out
}
