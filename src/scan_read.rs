//! A handwritten number or date that no one reading gives surely, read when two independent
//! readings of it agree (issue 25): Tesseract's, the handwritten-digit reader's
//! (`src/acquire/ocr/digits.rs`), and the date of an e-signature stamp on the same scan (the
//! issuing body signs the scan the day it dates the document, so a reader's day that is the
//! stamp's day, in the stamp's month and year as printed, is read twice).
//!
//! Tesseract, trained on print, reads a handwritten figure as a look-alike (`Ø3`, `I2`) or as
//! marks (`2§`, `4#`). Its reading agrees with the digit reader's when, figure by figure, each
//! figure or look-alike it read is the reader's figure, with at least one such; a mark is no
//! reading either way. Anything else stays null with its warning.

use crate::acquire::layout::Line;
use crate::contract::{Stamp, StampKind};
use crate::fold::fold;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// How sure the reader must be, and Tesseract's look-alikes of figures (folded).
pub(crate) struct Readers<'a> {
    pub reader_min: f32,
    pub lookalikes: &'a HashMap<String, String>,
}

/// `ngày … tháng … năm YYYY` on the line, folded: the day's and the month's tokens, the year.
static DATE_PARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ngay\s*(\S{0,6}?)\s*thang\s*(\S{0,6}?)\s*(?:/\s*)?nam\s*(\d{4})").unwrap()
});
/// `Số: … /SYMBOL` on the line, folded: the figures' token and the symbol's start.
static NUMBER_PARTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W*s\S{0,2}?\s*[:.;]?\s*(\S{0,8}?)\s*/").unwrap());

impl Readers<'_> {
    /// Tesseract's token as figures where it read a figure or a look-alike, `None` where it
    /// read a mark.
    fn figures(&self, token: &str) -> Vec<Option<char>> {
        token
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    return Some(c);
                }
                let f = fold(&c.to_string());
                self.lookalikes.get(&f).and_then(|d| d.chars().next())
            })
            .collect()
    }

    /// Whether Tesseract's `token` agrees with the reader's `digits` (see the module's doc).
    fn agree(&self, token: &str, digits: &str) -> bool {
        let t = self.figures(token);
        let same = |d: &str| {
            d.chars().count() == t.len()
                && t.iter().any(Option::is_some)
                && t.iter()
                    .zip(d.chars())
                    .all(|(a, b)| a.is_none_or(|a| a == b))
        };
        !digits.is_empty() && (same(digits) || same(&format!("0{digits}")))
    }

    /// The reader's figures in the line's blank for `field`, when sure enough.
    fn reader<'l>(&self, line: &'l Line, field: &str) -> Option<&'l str> {
        line.figures
            .iter()
            .find(|f| f.field == field && !f.digits.is_empty() && f.conf >= self.reader_min)
            .map(|f| f.digits.as_str())
    }

    /// The date the line gives when two readings agree on its day (and its month is printed
    /// or so read), ISO 8601.
    pub(crate) fn date(&self, line: &Line, stamps: &[Stamp]) -> Option<String> {
        let folded = fold(&line.text);
        let c = DATE_PARTS.captures(&folded)?;
        let year: i32 = c[3].parse().ok()?;
        let printed = |t: &str| {
            (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit())).then(|| t.parse::<u32>().ok())
        };
        let month = match printed(&c[2]) {
            Some(m) => m?,
            None => self.reader(line, "month")?.parse().ok()?,
        };
        let day = self.reader(line, "day")?;
        let signed = |d: u32| {
            let iso = format!("{year:04}-{month:02}-{d:02}");
            stamps.iter().any(|s| {
                s.kind == StampKind::Signature
                    && s.date.as_deref().is_some_and(|x| x.starts_with(&iso))
            })
        };
        let d: u32 = day.parse().ok()?;
        let valid = chrono::NaiveDate::from_ymd_opt(year, month, d).is_some();
        (valid && (self.agree(&c[1], day) || signed(d)))
            .then(|| format!("{year:04}-{month:02}-{d:02}"))
    }

    /// The number's figures the line gives when Tesseract and the reader agree on them, with
    /// the symbol as printed after its `/`.
    pub(crate) fn number(&self, line: &Line) -> Option<(String, String)> {
        let folded = fold(&line.text);
        let c = NUMBER_PARTS.captures(&folded)?;
        let digits = self.reader(line, "number")?;
        if !self.agree(&c[1], digits) {
            return None;
        }
        // The symbol as printed: the line's text from its `/` to the next space.
        let symbol = line.text.split_once('/')?.1.split_whitespace().next()?;
        (!digits.trim_start_matches('0').is_empty())
            .then(|| (format!("{digits}/{symbol}"), symbol.to_string()))
    }
}
