//! Header fields checked before they are emitted, and the stamps' own values.
//!
//! A number is emitted only when it is figures, `/`, and a symbol as Decree 30 writes it
//! (`rules/numbers.toml`); a day and month only when they are figures that make a date of the
//! year. Otherwise the field is null and its place is kept in [`Origins::unread`] so that the
//! document says which field a reviewer must fill, where (the warning is made at assembly,
//! where the page and its layout are known).

use super::date::parse_first;
use super::types::{Ctx, StampLines};
use crate::contract::{DocumentMeta, Stamp};
use crate::fold::fold;
use crate::rules::Rules;
use regex::Regex;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

#[derive(serde::Deserialize)]
struct Raw {
    number: String,
    symbol_part: String,
}

struct NumberRules {
    number: Regex,
    symbol_part: Regex,
}

fn number_rules(rules: &Rules) -> Option<Arc<NumberRules>> {
    rules
        .cached(|r| {
            let raw: Raw = r.toml("numbers.toml").map_err(|e| e.to_string())?;
            let re = |p: &str| Regex::new(p).map_err(|e| format!("numbers.toml: {e}"));
            Ok(NumberRules {
                number: re(&raw.number)?,
                symbol_part: re(&raw.symbol_part)?,
            })
        })
        .map_err(|e| tracing::warn!("numbers not checked: {e}"))
        .ok()
}

/// Whether `raw` (spaces removed) is a well-formed number and symbol; a blank number
/// (`/KH-UBND`) is well-formed too (there is no number to be wrong).
pub fn well_formed(ctx: &Ctx, raw: &str) -> bool {
    well_formed_in(ctx.rules, raw)
}

/// [`well_formed`], for a caller with the rules but no extraction context.
pub fn well_formed_in(rules: &Rules, raw: &str) -> bool {
    let Some(r) = number_rules(rules) else {
        return true;
    };
    let Some((num, symbol)) = raw.split_once('/') else {
        return false;
    };
    (num.is_empty() || r.number.is_match(num))
        && !symbol.is_empty()
        && symbol.split('-').all(|p| r.symbol_part.is_match(p))
}

/// A `Số:` line the header's own reader could not take (`Só:z//'KH-VP`): a label, something,
/// a `/`.
static NUMBER_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W*s\S{0,2}\s*[:.;]\s*\S.{0,10}/").unwrap());
/// A date line whose day or month is not figures (`ngày 4# tháng 12 năm 2017`), folded.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ngay\s*(\S{0,6}?)\s*thang\s*(\S{0,6}?)\s*(?:/\s*)?nam\s*\d{4}").unwrap()
});

/// Check the number and date `m` holds; a malformed one is taken out and its place noted.
pub fn check(ctx: &Ctx, m: &mut DocumentMeta, unread: &mut Vec<(String, Range<usize>)>) {
    let h = &ctx.outline.header;
    if let Some(n) = &h.number {
        let raw: String = ctx.slice(n).split_whitespace().collect();
        if !well_formed(ctx, &raw) {
            m.number = None;
            m.number_suffix = None;
            unread.push(("number".into(), n.clone()));
        }
    } else if let Some(l) = header_lines(ctx).find(|l| NUMBER_LINE.is_match(&fold(ctx.slice(l)))) {
        unread.push(("number".into(), l));
    }
    let date_unread = match &h.date {
        // A day or month that is no date of the year (`ngày 99`).
        Some(d) => parse_first(&fold(ctx.slice(d)), None)
            .is_some_and(|f| !f.date.is_valid())
            .then(|| d.clone()),
        None => header_lines(ctx).find(|l| {
            DATE_LINE.captures(&fold(ctx.slice(l))).is_some_and(|c| {
                [1, 2].iter().any(|&g| {
                    let s = &c[g];
                    !s.is_empty() && !s.chars().all(|ch| ch.is_ascii_digit())
                })
            })
        }),
    };
    if let Some(d) = date_unread {
        m.date = None;
        unread.push(("date".into(), d));
    }
}

/// The lines before the document-type line (or the first 30), stamps left out.
fn header_lines<'a>(ctx: &'a Ctx) -> impl Iterator<Item = Range<usize>> + 'a {
    let o = ctx.outline;
    let end = o.doc_type.as_ref().map_or(usize::MAX, |t| t.start);
    o.lines
        .iter()
        .take(30)
        .filter(move |l| !l.range.is_empty() && l.range.end <= end)
        .map(|l| l.range.clone())
}

/// `Số: 2352`, `Số đến: 17026` in a stamp, folded.
static STAMP_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bso\b\s*(?:den)?\s*[:.;]?\s*(\d{1,6}(?:/[a-z0-9&.\-]+)?)\b").unwrap()
});
/// `2025-10-09T16:52:54`.
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})").unwrap());

/// The stamps in contract form (page and box are filled at assembly), each with its lines,
/// and the urgency a mark gives.
pub fn stamps(ctx: &Ctx) -> (Vec<StampLines>, Option<String>) {
    let mut urgency = None;
    let out = ctx
        .outline
        .stamps
        .iter()
        .map(|s| {
            if urgency.is_none() {
                urgency = s.urgency.clone();
            }
            let text = s
                .lines
                .iter()
                .map(|r| ctx.slice(r).trim())
                .collect::<Vec<_>>()
                .join(" ");
            let (folded, offs) = crate::fold::fold_with_offsets(&text);
            let number = STAMP_NUMBER.captures(&folded).map(|c| {
                let r = c.get(1).unwrap().range();
                text[offs[r.start]..offs[r.end]].to_string()
            });
            let date = ISO_DATE
                .captures(&folded)
                .and_then(|c| {
                    let d = super::date::PartialDate::ymd(
                        c[1].parse().ok()?,
                        c[2].parse().ok()?,
                        c[3].parse().ok()?,
                    );
                    Some(d)
                })
                .or_else(|| {
                    parse_first(&folded, None)
                        .filter(|f| !f.year_assumed && f.date.day.is_some())
                        .map(|f| f.date)
                })
                .filter(|d| d.is_valid())
                .map(|d| d.iso());
            let stamp = Stamp {
                kind: s.kind,
                text,
                number,
                date,
                page: None,
                bbox: None,
            };
            (stamp, s.lines.clone())
        })
        .collect();
    (out, urgency)
}

/// A header without a number, whose e-signature stamp line gives it (`Số: 12/TTr-UBND;
/// 05/03/2024; 09:15:00`): the number is the stamp's. Returns the stamp line it came from.
pub fn number_from_stamps(
    ctx: &Ctx,
    m: &mut DocumentMeta,
    unread: &[(String, Range<usize>)],
    stamps: &[StampLines],
) -> Option<Range<usize>> {
    if m.number.is_some() || unread.iter().any(|(f, _)| f == "number") {
        return None;
    }
    let (stamp, lines) = stamps.iter().find(|(s, _)| {
        s.kind == crate::contract::StampKind::Signature
            && s.number
                .as_deref()
                .is_some_and(|n| n.contains('/') && well_formed(ctx, n))
    })?;
    let number = stamp.number.clone()?;
    m.number_suffix = number.split_once('/').map(|(_, s)| s.to_string());
    m.number = Some(number);
    if m.doc_type.is_none() {
        let code = m.number_suffix.as_deref()?.split('-').next()?;
        m.doc_type = ctx
            .rules
            .doc_types
            .types
            .iter()
            .find(|t| t.codes.iter().any(|c| fold(c) == fold(code)))
            .map(|t| t.name.clone());
    }
    lines.first().cloned()
}
