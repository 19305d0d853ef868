//! Deadlines: every stated time limit, normalised as the contract says.
//!
//! Patterns run on folded text (so damaged marks do not hide a limit) in priority order —
//! recurring, range, before, quarter, month, half-year, year, on — and a later pattern never
//! takes text an earlier one matched, so "từ ngày 05/9 đến ngày 05/10/2024" is one range rather
//! than a range plus a date. A bare date is not a limit (plans cite dated documents all the
//! time); only in a table's time column is it read as the day something falls due.

use super::date::PartialDate;
use super::types::Ctx;
use super::vocab::Vocab;
use crate::contract::{Deadline, DeadlineKind, Warning};
use crate::fold::fold_with_offsets;
use regex::{Captures, Regex};
use std::ops::Range;

/// One limit found: the byte range of the original text and its normalised period.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub range: Range<usize>,
    pub kind: DeadlineKind,
    pub start: Option<String>,
    pub end: Option<String>,
}

impl Found {
    pub fn to_contract(&self, ctx: &Ctx) -> Deadline {
        Deadline {
            text: ctx.text[self.range.clone()].to_string(),
            kind: self.kind,
            start: self.start.clone(),
            end: self.end.clone(),
            span: ctx.index.span(self.range.clone()),
        }
    }
}

fn quarter_number(s: &str) -> Option<u32> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

fn num<T: std::str::FromStr>(c: &Captures, name: &str) -> Option<T> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

/// A day-month(-year) of a named date group (`a` or `b`), the year defaulting to `year`.
fn date_of(c: &Captures, n: &str, year: Option<i32>) -> Option<(PartialDate, bool)> {
    let d: u32 = num(c, &format!("{n}d"))?;
    let m: u32 = num(c, &format!("{n}m"))?;
    let y: i32 = num(c, &format!("{n}y")).or(year)?;
    Some((PartialDate::ymd(y, m, d), true))
}

fn first_day(y: i32, m: u32) -> String {
    PartialDate::ymd(y, m, 1).iso()
}

/// Every limit in `text[range]`. `cell` reads the range as a table's time cell, where a bare
/// date or year is the limit itself.
pub fn find_in(
    text: &str,
    range: Range<usize>,
    v: &Vocab,
    year: Option<i32>,
    cell: bool,
    warnings: &mut Vec<Warning>,
) -> Vec<Found> {
    let src = &text[range.clone()];
    let (folded, offs) = fold_with_offsets(src);
    let mut taken: Vec<Range<usize>> = vec![];
    let mut out: Vec<Found> = vec![];
    let orig = |r: Range<usize>| {
        let r = range.start + offs[r.start]..range.start + offs[r.end];
        let t = text[r.clone()].trim_end_matches([' ', ',', ';', '.', '\t', '\n', '*']);
        r.start..r.start + t.len()
    };
    let mut invalid = |d: &PartialDate, r: Range<usize>| -> bool {
        if d.is_valid() {
            return false;
        }
        warnings.push(Warning::new(
            "invalid_date",
            format!(
                "“{}” names a day that does not exist ({}); it is not read as a deadline",
                &text[r],
                d.iso()
            ),
        ));
        true
    };
    let free = |taken: &[Range<usize>], r: &Range<usize>| {
        !taken.iter().any(|t| t.start < r.end && r.start < t.end)
    };
    let push = |taken: &mut Vec<Range<usize>>,
                out: &mut Vec<Found>,
                fr: Range<usize>,
                kind: DeadlineKind,
                start: Option<String>,
                end: Option<String>| {
        taken.push(fr.clone());
        out.push(Found {
            range: orig(fr),
            kind,
            start,
            end,
        });
    };

    // Patterns naming one date `a`: each match not inside an earlier one is a deadline of
    // `kind` ending on that date (and starting on it too, for a day something happens on).
    let single = |re: &Regex,
                  kind: DeadlineKind,
                  taken: &mut Vec<Range<usize>>,
                  out: &mut Vec<Found>,
                  invalid: &mut dyn FnMut(&PartialDate, Range<usize>) -> bool| {
        for c in re.captures_iter(&folded) {
            let r = c.get(0).unwrap().range();
            if !free(taken, &r) {
                continue;
            }
            let Some((d, _)) = date_of(&c, "a", year) else {
                continue;
            };
            if invalid(&d, orig(r.clone())) {
                taken.push(r);
                continue;
            }
            let start = (kind == DeadlineKind::On).then(|| d.iso());
            push(taken, out, r, kind, start, Some(d.iso()));
        }
    };

    // Recurring: "Định kỳ trước ngày 15/11 hàng năm", "hằng năm, trước ngày 15/11".
    for re in [&v.recurring_re, &v.recurring_after_re] {
        single(
            re,
            DeadlineKind::Recurring,
            &mut taken,
            &mut out,
            &mut invalid,
        );
    }
    // Range: "từ ngày 05/9 đến ngày 05/10/2024" (the first date takes the second's year).
    for c in v.range_re.captures_iter(&folded) {
        let r = c.get(0).unwrap().range();
        if !free(&taken, &r) {
            continue;
        }
        let y2: Option<i32> = num(&c, "by").or(year);
        let (Some((b, _)), Some((a, _))) = (date_of(&c, "b", year), date_of(&c, "a", y2)) else {
            continue;
        };
        if invalid(&a, orig(r.clone())) || invalid(&b, orig(r.clone())) {
            taken.push(r);
            continue;
        }
        push(
            &mut taken,
            &mut out,
            r,
            DeadlineKind::Range,
            Some(a.iso()),
            Some(b.iso()),
        );
    }
    // Before: "trước ngày 15/11/2024", "chậm nhất 20/01", "trước tháng 12/2024".
    for c in v.before_re.captures_iter(&folded) {
        let r = c.get(0).unwrap().range();
        if !free(&taken, &r) {
            continue;
        }
        let end = if let Some((d, _)) = date_of(&c, "a", year) {
            if invalid(&d, orig(r.clone())) {
                taken.push(r);
                continue;
            }
            d.iso()
        } else if let (Some(m), Some(y)) = (num::<u32>(&c, "mm"), num::<i32>(&c, "my")) {
            if !(1..=12).contains(&m) {
                continue;
            }
            first_day(y, m)
        } else {
            continue;
        };
        push(
            &mut taken,
            &mut out,
            r,
            DeadlineKind::Before,
            None,
            Some(end),
        );
    }
    // Quarter: "Quý I/2021", "quý III năm 2024", "Quý III/2021 (Tháng 7)" (narrowed to the month).
    for c in v.quarter_re.captures_iter(&folded) {
        let r = c.get(0).unwrap().range();
        if !free(&taken, &r) {
            continue;
        }
        let (Some(q), Some(y)) = (
            c.name("q").and_then(|m| quarter_number(m.as_str())),
            num::<i32>(&c, "y").or(year),
        ) else {
            continue;
        };
        if let Some(m) = num::<u32>(&c, "m").filter(|m| (q * 3 - 2..=q * 3).contains(m)) {
            push(
                &mut taken,
                &mut out,
                r,
                DeadlineKind::Month,
                Some(first_day(y, m)),
                Some(PartialDate::month_end(y, m).iso()),
            );
        } else {
            push(
                &mut taken,
                &mut out,
                r,
                DeadlineKind::Quarter,
                Some(first_day(y, q * 3 - 2)),
                Some(PartialDate::month_end(y, q * 3).iso()),
            );
        }
    }
    // Month: "Tháng 11/2021", "tháng 12 năm 2024" — not the month of a full date.
    for c in v.month_re.captures_iter(&folded) {
        let r = c.get(0).unwrap().range();
        let before = folded[..r.start].trim_end();
        if !free(&taken, &r)
            || before.ends_with(|ch: char| ch.is_ascii_digit())
            || before.ends_with("ngay")
        {
            continue;
        }
        let (Some(m), Some(y)) = (num::<u32>(&c, "m"), num::<i32>(&c, "y")) else {
            continue;
        };
        if !(1..=12).contains(&m) {
            continue;
        }
        push(
            &mut taken,
            &mut out,
            r,
            DeadlineKind::Month,
            Some(first_day(y, m)),
            Some(PartialDate::month_end(y, m).iso()),
        );
    }
    // Half-year: "6 tháng đầu năm (2021)".
    for c in v.half_re.captures_iter(&folded) {
        let r = c.get(0).unwrap().range();
        if !free(&taken, &r) {
            continue;
        }
        let Some(y) = num::<i32>(&c, "y").or(year) else {
            continue;
        };
        let (s, e) = if c.name("first").is_some() {
            (first_day(y, 1), PartialDate::month_end(y, 6).iso())
        } else {
            (first_day(y, 7), PartialDate::month_end(y, 12).iso())
        };
        push(
            &mut taken,
            &mut out,
            r,
            DeadlineKind::Range,
            Some(s),
            Some(e),
        );
    }
    // Year: "đến năm 2025" (open start), "trong năm 2024" (the whole year).
    for c in v.year_re.captures_iter(&folded) {
        let r = c.get(0).unwrap().range();
        if !free(&taken, &r) {
            continue;
        }
        let Some(y) = num::<i32>(&c, "y") else {
            continue;
        };
        let start = c.name("within").map(|_| first_day(y, 1));
        push(
            &mut taken,
            &mut out,
            r,
            DeadlineKind::Year,
            start,
            Some(PartialDate::month_end(y, 12).iso()),
        );
    }
    // On: "vào ngày 02/10/2024"; in a time cell, any date.
    single(
        &v.on_re,
        DeadlineKind::On,
        &mut taken,
        &mut out,
        &mut invalid,
    );
    if cell && out.is_empty() {
        for f in super::date::find_all(&folded, year) {
            if !free(&taken, &f.range) {
                continue;
            }
            let d = f.date;
            if invalid(&d, orig(f.range.clone())) {
                continue;
            }
            let (kind, s, e) = match (d.month, d.day) {
                (Some(_), Some(_)) => (DeadlineKind::On, d.iso(), d.iso()),
                (Some(m), None) => (
                    DeadlineKind::Month,
                    first_day(d.year, m),
                    PartialDate::month_end(d.year, m).iso(),
                ),
                _ => (
                    DeadlineKind::Year,
                    first_day(d.year, 1),
                    PartialDate::month_end(d.year, 12).iso(),
                ),
            };
            push(&mut taken, &mut out, f.range, kind, Some(s), Some(e));
        }
    }
    out.sort_by_key(|f| f.range.start);
    out
}

/// Where the body of the plan starts: the first section; in a plan without sections, after
/// its title (its paragraphs are then all the segmenter's preamble).
pub fn body_start(ctx: &Ctx) -> usize {
    let o = ctx.outline;
    o.sections
        .first()
        .map(|s| s.range.start)
        .or_else(|| o.title.last().map(|r| r.end))
        .or_else(|| o.doc_type.as_ref().map(|r| r.end))
        .unwrap_or(0)
}

/// Every limit of the plan's body and appended tables.
pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> Vec<Deadline> {
    let v = match Vocab::get(ctx.rules) {
        Ok(v) => v,
        Err(e) => {
            warnings.push(Warning::new("rules_invalid", e));
            return vec![];
        }
    };
    let mut found = find_in(
        ctx.text,
        body_start(ctx)..ctx.text.len(),
        &v,
        ctx.year,
        false,
        warnings,
    );
    // A bare date in an activity table's time column is a limit too.
    for t in &ctx.outline.tables {
        let Some(cols) = super::columns::Columns::of(ctx, t, &v) else {
            continue;
        };
        let Some(tc) = cols.time else { continue };
        for row in t.rows.iter().skip(1) {
            let Some(cell) = row.get(tc) else { continue };
            if cell.is_empty()
                || found
                    .iter()
                    .any(|f| f.range.start < cell.end && cell.start < f.range.end)
            {
                continue;
            }
            let mut w = vec![];
            found.extend(find_in(ctx.text, cell.clone(), &v, ctx.year, true, &mut w));
            // The body scan already warned about an impossible date in this cell.
            for x in w {
                if !warnings.contains(&x) {
                    warnings.push(x);
                }
            }
        }
    }
    found.sort_by_key(|f| f.range.start);
    found.iter().map(|f| f.to_contract(ctx)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn one(s: &str) -> Vec<(DeadlineKind, Option<String>, Option<String>, String)> {
        let v = Vocab::get(Rules::builtin()).unwrap();
        let mut w = vec![];
        find_in(s, 0..s.len(), &v, Some(2024), false, &mut w)
            .into_iter()
            .map(|f| (f.kind, f.start, f.end, s[f.range].to_string()))
            .collect()
    }

    #[test]
    fn reads_the_usual_limits() {
        use DeadlineKind::*;
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            one("Báo cáo trước ngày 15/11/2024."),
            vec![(
                Before,
                None,
                s("2024-11-15"),
                "trước ngày 15/11/2024".into()
            )]
        );
        assert_eq!(one("Trước ngày 20 tháng 11 năm 2024")[0].2, s("2024-11-20"));
        assert_eq!(
            one("tổ chức từ ngày 05/9 đến ngày 05/10/2025")[0],
            (
                Range,
                s("2025-09-05"),
                s("2025-10-05"),
                "từ ngày 05/9 đến ngày 05/10/2025".into()
            )
        );
        assert_eq!(
            one("Định kỳ trước ngày 15/11 hàng năm, Hội")[0],
            (
                Recurring,
                None,
                s("2024-11-15"),
                "Định kỳ trước ngày 15/11 hàng năm".into()
            )
        );
        assert_eq!(one("Quý I/2021")[0].1, s("2021-01-01"));
        assert_eq!(one("Quý I/2021")[0].2, s("2021-03-31"));
        assert_eq!(one("Quý III/2021 (Tháng 7)")[0].0, Month);
        assert_eq!(one("Quý III/2021 (Tháng 7)")[0].2, s("2021-07-31"));
        assert_eq!(one("Tháng 11/2021")[0].1, s("2021-11-01"));
        assert_eq!(one("Mục tiêu đến năm 2030")[0].2, s("2030-12-31"));
        assert_eq!(one("triển khai trong năm 2025")[0].1, s("2025-01-01"));
        assert_eq!(one("Sơ kết 6 tháng đầu năm")[0].2, s("2024-06-30"));
        assert!(one("Kế hoạch số 183/KH-UBND ngày 09/6/2022 của UBND").is_empty());
        assert!(one("ngày 19 tháng 01 năm 2021").is_empty());
    }

    #[test]
    fn an_impossible_date_is_a_warning() {
        let v = Vocab::get(Rules::builtin()).unwrap();
        let mut w = vec![];
        let s = "nộp trước ngày 31/02/2024";
        assert!(find_in(s, 0..s.len(), &v, None, false, &mut w).is_empty());
        assert_eq!(w[0].code, "invalid_date");
    }
}
