//! Tasks of activity and appendix tables: one per row, lead, partners and time from the
//! columns the header names (`Đơn vị chủ trì | Đơn vị phối hợp | Thời gian`, `Nhiệm vụ thực
//! hiện | Người thực hiện`). A row with only a doer continues the row above (merged cells),
//! and a month alone in the time column ("Tháng 3") is that month of the plan's year.

use super::columns::Columns;
use super::deadline::{self, Found};
use super::subject::tidy;
use super::types::Ctx;
use super::vocab::Vocab;
use crate::contract::{DeadlineKind, Task};

/// Appends the rows of every activity table to `out`.
pub fn extract(ctx: &Ctx, v: &Vocab, out: &mut Vec<Task>) {
    for t in &ctx.outline.tables {
        let Some(cols) = Columns::of(ctx, t, v) else {
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
                deadline::find_in(ctx.text, c.clone(), v, ctx.year, true, &mut vec![])
                    .into_iter()
                    .next()
                    .or_else(|| month_cell(ctx, c.clone()))
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
                super::subject::coordinating(ctx, content.clone(), v)
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
}

/// "Tháng 3" alone in a time cell: the whole month, in the plan's year.
fn month_cell(ctx: &Ctx, cell: std::ops::Range<usize>) -> Option<Found> {
    let year = ctx.year?;
    let f = crate::fold::fold(ctx.slice(&cell));
    let f = f.trim().trim_end_matches(['.', ';']);
    let m: u32 = f.strip_prefix("thang")?.trim().parse().ok()?;
    if !(1..=12).contains(&m) {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let last = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some(Found {
        range: crate::span::trim_range(ctx.text, cell),
        kind: DeadlineKind::Month,
        start: Some(format!("{year:04}-{m:02}-01")),
        end: Some(format!("{year:04}-{m:02}-{last:02}")),
    })
}
