//! An activity table's columns and their roles, read from its header row.

use super::types::Ctx;
use super::vocab::Vocab;
use crate::segment::Table;

/// The roles of an activity table's columns, found from its header row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    pub content: usize,
    pub time: Option<usize>,
    pub lead: Option<usize>,
    pub coordinating: Option<usize>,
    pub supervisor: Option<usize>,
}

fn contains_any(folded: &str, phrases: &[String]) -> bool {
    phrases.iter().any(|p| {
        folded.match_indices(p.as_str()).any(|(i, _)| {
            folded[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                && folded[i + p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

impl Columns {
    /// The columns of `t` when its first row is an activity table's header.
    pub fn of(ctx: &Ctx, t: &Table, v: &Vocab) -> Option<Columns> {
        let header = t.rows.first()?;
        let mut c = Columns::default();
        let mut content = None;
        for (i, cell) in header.iter().enumerate() {
            let f = crate::fold::fold(ctx.slice(cell));
            let r = &v.resp;
            // "Nhiệm vụ thực hiện" is the content, though it ends with a lead word.
            if content.is_none()
                && super::vocab::starts_with_any(f.trim(), &r.col_content).is_some()
            {
                content = Some(i);
            } else if contains_any(&f, &r.col_coordinating) {
                c.coordinating.get_or_insert(i);
            } else if contains_any(&f, &r.col_supervisor) {
                c.supervisor.get_or_insert(i);
            } else if contains_any(&f, &r.col_time) {
                c.time.get_or_insert(i);
            } else if contains_any(&f, &r.col_lead) {
                c.lead.get_or_insert(i);
            } else if contains_any(&f, &r.col_content) {
                content.get_or_insert(i);
            }
        }
        c.content = content?;
        (c.time.is_some() || c.lead.is_some()).then_some(c)
    }
}
