//! The document's date from an e-signature stamp line.
//!
//! An e-office signing system issues a document by stamping its number and the day of issue
//! onto the first page ("Số: 12/KH-UBND; 03/02/2026; 09:15:00; +07:00"), often where the
//! header's own date was left blank, or on an annex that has no header at all. When the header
//! gives no full date, the stamp line's date is the document's. The line's shape is data
//! (`stamp_line` in `rules/signatures.toml`); the caller names the value's origin, so review and
//! the `date_from_signature` warning can point at it.

use super::date::PartialDate;
use super::types::Ctx;
use crate::rules::Rules;
use regex::Regex;
use std::ops::Range;

struct StampLine(Regex);

impl StampLine {
    fn build(rules: &Rules) -> Result<StampLine, String> {
        #[derive(serde::Deserialize)]
        struct Raw {
            stamp_line: String,
        }
        let raw: Raw = rules.toml("signatures.toml").map_err(|e| e.to_string())?;
        Regex::new(&raw.stamp_line)
            .map(StampLine)
            .map_err(|e| format!("signatures.toml stamp_line: {e}"))
    }
}

/// The first stamp line's date in the text, and the range of its figures.
pub fn date(ctx: &Ctx) -> Option<(Range<usize>, PartialDate)> {
    let re = match ctx.rules.cached(StampLine::build) {
        Ok(re) => re,
        Err(e) => {
            tracing::warn!("stamp dates not read: {e}");
            return None;
        }
    };
    let mut start = 0;
    for line in ctx.text.split('\n') {
        if let Some(c) = re.0.captures(line) {
            let (d, m, y) = (&c["day"], &c["month"], &c["year"]);
            let date = PartialDate::ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
            if date.is_valid() {
                let day = c.name("day").unwrap();
                let year = c.name("year").unwrap();
                return Some((start + day.start()..start + year.end(), date));
            }
        }
        start += line.len() + 1;
    }
    None
}

/// Fill `document.date` from a stamp line when the header gives no full date (and the stamp
/// agrees with what it gives: "tháng 12 năm 2025" takes 22/12/2025, not a day of 2026); the
/// range the date was read from, when it was.
pub fn fill_date(ctx: &Ctx, document: &mut crate::contract::DocumentMeta) -> Option<Range<usize>> {
    let known = document.date.as_deref().unwrap_or("");
    if known.len() == 10 {
        return None;
    }
    let (range, date) = date(ctx)?;
    let iso = date.iso();
    if !iso.starts_with(known) {
        return None;
    }
    document.date = Some(iso);
    Some(range)
}
