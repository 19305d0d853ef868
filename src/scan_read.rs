//! A handwritten number or date that no one reading gives surely, read when two independent
//! readings of it agree (issue 25): Tesseract's (of the line, or of the blank alone as figures),
//! the handwritten-digit reader's (`src/acquire/ocr/digits.rs`), and the date of an
//! e-signature stamp on the same scan (the
//! issuing body signs the scan the day it dates the document, so a reader's day that is the
//! stamp's day, in the stamp's month and year as printed, is read twice).
//!
//! Tesseract, trained on print, reads a handwritten figure as a look-alike (`Ø3`, `I2`) or as
//! marks (`2§`, `4#`). Its reading agrees with the digit reader's when, figure by figure, each
//! figure or look-alike it read is the reader's figure, with at least one such; where it read
//! a mark (`§`, `#`) only the reader read the figure, which must then be surer. Anything else
//! stays null with its warning.

use crate::acquire::layout::Line;
use crate::contract::{Stamp, StampKind};
use crate::fold::fold;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// How sure the reader must be, and Tesseract's look-alikes of figures (folded).
pub(crate) struct Readers<'a> {
    pub reader_min: f32,
    pub reader_sure: f32,
    /// How sure Tesseract's reading of the blank alone must be to count with its reading of
    /// the line as two readings.
    pub reread_sure: f32,
    /// How sure the reader and Tesseract's reading of the blank alone must both be for their
    /// agreement to count: on a cleanly cut blank the two can misread the same figure alike.
    pub pair_min: f32,
    pub lookalikes: &'a HashMap<String, String>,
}

/// `ngày … tháng … năm YYYY` on the line, folded: the day's and the month's tokens, the year.
static DATE_PARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ngay\s*(\S{0,6}?)\s*thang\s*(\S{0,6}?)\s*(?:/\s*)?nam\s*(\d{4})").unwrap()
});
/// `Số: … /SYMBOL` on the line, folded: the figures' token and the symbol's start. The label's
/// letters stop at its colon, so that `Số:04` gives the token `04`, not `o:04`.
static NUMBER_PARTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W*s[^\s:.;/]{0,2}\s*[:.;]?\s*(\S{0,8}?)\s*/").unwrap());

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

    /// Whether Tesseract's `token` agrees with the reader's `digits`, read `conf` sure (see
    /// the module's doc). Where Tesseract read a mark the reader alone reads the figure, so it
    /// must then be `reader_sure`.
    fn agree(&self, token: &str, (digits, conf): (&str, f32)) -> bool {
        let t = self.figures(token);
        let marks = t.iter().any(Option::is_none);
        let same = |d: &str| {
            d.chars().count() == t.len()
                && t.iter().any(Option::is_some)
                && t.iter()
                    .zip(d.chars())
                    .all(|(a, b)| a.is_none_or(|a| a == b))
        };
        !digits.is_empty()
            && (!marks || conf >= self.reader_sure)
            && (same(digits) || same(&format!("0{digits}")))
    }

    /// The reader's figures in the line's blank for `field`, and how sure, when sure enough.
    fn reader<'l>(&self, line: &'l Line, field: &str) -> Option<(&'l str, f32)> {
        line.figures
            .iter()
            .find(|f| f.field == field && !f.digits.is_empty() && f.conf >= self.reader_min)
            .map(|f| (f.digits.as_str(), f.conf))
    }

    /// Tesseract's reading of the blank for `field` as figures alone, and how sure.
    fn again<'l>(line: &'l Line, field: &str) -> Option<(&'l str, f32)> {
        line.figures
            .iter()
            .find(|f| f.field == field)
            .and_then(|f| f.tesseract.as_ref())
            .map(|(t, c)| (t.as_str(), *c))
            .filter(|(t, _)| !t.is_empty())
    }

    /// Whether two readings of figures are the same figures (a leading 0 aside).
    fn same(a: &str, b: &str) -> bool {
        a.trim_start_matches('0') == b.trim_start_matches('0')
            && !a.trim_start_matches('0').is_empty()
    }

    /// The figures of `field` that two independent readings agree on: the digit reader's with
    /// Tesseract's on the line (look-alikes allowed), Tesseract's of the blank alone, or
    /// `known`'s; else Tesseract's of the blank alone with `known`'s.
    fn agreed(
        &self,
        line: &Line,
        field: &str,
        token: &str,
        known: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let again = Self::again(line, field);
        if let Some(r) = self.reader(line, field)
            && (self.agree(token, r)
                || again.is_some_and(|(t, c)| {
                    c >= self.pair_min && r.1 >= self.pair_min && Self::same(t, r.0)
                })
                || known(r.0))
        {
            return Some(r.0.to_string());
        }
        // Tesseract's two readings, of the line with Vietnamese and of the blank alone with
        // figures only, are different models on different images: the second, when sure,
        // agrees with the first figure by figure as the reader would.
        again
            .filter(|&(t, c)| known(t) || (c >= self.reread_sure && self.agree(token, (t, c))))
            .map(|(t, _)| t.to_string())
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
        // Whether a signature stamp is dated with this prefix of an ISO date.
        let signed_on = |prefix: String| {
            stamps.iter().any(|s| {
                s.kind == StampKind::Signature
                    && s.date.as_deref().is_some_and(|x| x.starts_with(&prefix))
            })
        };
        // A month written by hand too is read as the day is, never by one reading alone.
        let month: u32 = match printed(&c[2]) {
            Some(m) => m?,
            None => self
                .agreed(line, "month", &c[2], |m| {
                    m.parse::<u32>()
                        .is_ok_and(|m| signed_on(format!("{year:04}-{m:02}-")))
                })?
                .parse()
                .ok()?,
        };
        let signed = |d: &str| {
            d.parse::<u32>()
                .is_ok_and(|d| signed_on(format!("{year:04}-{month:02}-{d:02}")))
        };
        let d: u32 = self.agreed(line, "day", &c[1], signed)?.parse().ok()?;
        chrono::NaiveDate::from_ymd_opt(year, month, d)
            .map(|_| format!("{year:04}-{month:02}-{d:02}"))
    }

    /// The number's figures the line gives when Tesseract and the reader agree on them, with
    /// the symbol as printed after its `/`.
    pub(crate) fn number(&self, line: &Line) -> Option<(String, String)> {
        let folded = fold(&line.text);
        let c = NUMBER_PARTS.captures(&folded)?;
        let digits = self.agreed(line, "number", &c[1], |_| false)?;
        // The symbol as printed: the line's text from its `/` to the next space.
        let symbol = line.text.split_once('/')?.1.split_whitespace().next()?;
        (!digits.trim_start_matches('0').is_empty())
            .then(|| (format!("{digits}/{symbol}"), symbol.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::ocr::digits::Figures;

    fn line(text: &str, figures: &[(&str, &str, f32)]) -> Line {
        Line {
            text: text.into(),
            figures: figures
                .iter()
                .map(|&(field, digits, conf)| Figures {
                    field: field.into(),
                    bbox: (0, 0, 1, 1),
                    digits: digits.into(),
                    conf,
                    tesseract: None,
                })
                .collect(),
            ..Line::default()
        }
    }

    fn stamp(kind: StampKind, date: &str) -> Stamp {
        Stamp {
            kind,
            text: String::new(),
            number: None,
            date: Some(date.into()),
            page: Some(1),
            bbox: None,
        }
    }

    fn with<T>(f: impl FnOnce(&Readers) -> T) -> T {
        let lookalikes: HashMap<String, String> = [("ø", "0"), ("o", "0"), ("i", "1"), ("s", "5")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        f(&Readers {
            reader_min: 0.5,
            reader_sure: 0.9,
            reread_sure: 0.9,
            pair_min: 0.5,
            lookalikes: &lookalikes,
        })
    }

    #[test]
    fn a_day_is_read_when_tesseract_and_the_reader_agree() {
        with(|r| {
            let l = line(
                "Quảng Ngãi, ngày Ø3 tháng 4 năm 2018",
                &[("day", "03", 0.6)],
            );
            assert_eq!(r.date(&l, &[]).as_deref(), Some("2018-04-03"));
            // A figure the two read differently: nothing.
            let l = line("Lâm Đồng, ngày I2 tháng 11 năm 2025", &[("day", "13", 0.8)]);
            assert_eq!(r.date(&l, &[]), None);
            // A mark Tesseract read (`§`) leaves that figure to the reader alone: only a sure
            // reader fills it.
            let l = line("Lâm Đồng, ngày 2§ tháng 12 năm 2025", &[("day", "25", 0.7)]);
            assert_eq!(r.date(&l, &[]), None);
            let l = line(
                "Lâm Đồng, ngày 2§ tháng 12 năm 2025",
                &[("day", "25", 0.95)],
            );
            assert_eq!(r.date(&l, &[]).as_deref(), Some("2025-12-25"));
            // A reader too unsure: nothing, whatever Tesseract read.
            let l = line(
                "Quảng Ngãi, ngày Ø3 tháng 4 năm 2018",
                &[("day", "03", 0.3)],
            );
            assert_eq!(r.date(&l, &[]), None);
        });
    }

    #[test]
    fn a_day_is_read_when_the_reader_and_a_signature_stamp_agree() {
        with(|r| {
            let l = line("Lâm Đồng, ngày 40 tháng 9 năm 2025", &[("day", "30", 0.9)]);
            let signed = [stamp(StampKind::Signature, "2025-09-30")];
            assert_eq!(r.date(&l, &signed).as_deref(), Some("2025-09-30"));
            // Signed the next day: no agreement. An incoming stamp is another body's date.
            let later = [stamp(StampKind::Signature, "2025-10-01")];
            assert_eq!(r.date(&l, &later), None);
            let incoming = [stamp(StampKind::Incoming, "2025-09-30")];
            assert_eq!(r.date(&l, &incoming), None);
            // A month written by hand needs two readings too.
            let l = line(
                "ngày 40 tháng? năm 2025",
                &[("day", "30", 1.0), ("month", "4", 0.98)],
            );
            assert_eq!(r.date(&l, &signed), None);
            let l = line(
                "ngày 40 tháng? năm 2025",
                &[("day", "30", 1.0), ("month", "9", 0.98)],
            );
            assert_eq!(r.date(&l, &signed).as_deref(), Some("2025-09-30"));
            // A day that is no day of the month is never read.
            let l = line("ngày 40 tháng 2 năm 2025", &[("day", "30", 1.0)]);
            assert_eq!(
                r.date(&l, &[stamp(StampKind::Signature, "2025-02-30")]),
                None
            );
        });
    }

    /// Tesseract's reading of the blank alone is a third reading: it agrees with the reader,
    /// or with a signature stamp, but never stands alone.
    #[test]
    fn the_blank_read_again_as_figures_agrees_or_not() {
        with(|r| {
            let mut l = line("Số: l#Œ /QĐ-UBND", &[("number", "149", 0.8)]);
            assert_eq!(r.number(&l), None);
            l.figures[0].tesseract = Some(("149".into(), 0.5));
            assert_eq!(r.number(&l).map(|n| n.0).as_deref(), Some("149/QĐ-UBND"));
            l.figures[0].tesseract = Some(("1406".into(), 0.5));
            assert_eq!(r.number(&l), None);
            let mut l = line("ngày .È-} tháng 9 năm 2025", &[("day", "234", 0.55)]);
            l.figures[0].tesseract = Some(("22".into(), 0.5));
            assert_eq!(r.date(&l, &[]), None);
            let signed = [stamp(StampKind::Signature, "2025-09-22")];
            assert_eq!(r.date(&l, &signed).as_deref(), Some("2025-09-22"));
        });
    }

    /// Tesseract's two readings (the line, and the blank alone as figures) count as two when
    /// the second is sure; the reader and the blank alone count only when both are sure.
    #[test]
    fn tesseract_read_twice_counts_when_sure_and_pairs_need_both_sure() {
        with(|r| {
            let mut l = line("Số:04 /CT-UBND", &[("number", "", 1.0)]);
            l.figures[0].tesseract = Some(("04".into(), 0.95));
            assert_eq!(r.number(&l).map(|n| n.0).as_deref(), Some("04/CT-UBND"));
            l.figures[0].tesseract = Some(("04".into(), 0.8));
            assert_eq!(r.number(&l), None);
            // A sure reading of the blank the line's figures contradict: nothing.
            l.figures[0].tesseract = Some(("07".into(), 0.95));
            assert_eq!(r.number(&l), None);
            // Look-alikes and marks of the line, figure by figure.
            let mut l = line("Lâm Đồng, ngày 2§ tháng 12 năm 2025", &[("day", "", 1.0)]);
            l.figures[0].tesseract = Some(("23".into(), 0.93));
            assert_eq!(r.date(&l, &[]).as_deref(), Some("2025-12-23"));
            // The reader and the blank alone, one of them unsure: nothing.
            let mut l = line("Số: ⁄46 /CT-UBND", &[("number", "46", 0.66)]);
            l.figures[0].tesseract = Some(("46".into(), 0.69));
            let strict = Readers {
                pair_min: 0.75,
                ..*r
            };
            assert_eq!(strict.number(&l), None);
            l.figures[0].conf = 0.85;
            l.figures[0].tesseract = Some(("46".into(), 0.8));
            assert_eq!(
                strict.number(&l).map(|n| n.0).as_deref(),
                Some("46/CT-UBND")
            );
        });
    }

    #[test]
    fn a_number_is_read_when_tesseract_and_the_reader_agree() {
        with(|r| {
            let l = line("Số: SI6 /TTr-XYZ(PA01)", &[("number", "516", 0.6)]);
            assert_eq!(
                r.number(&l),
                Some(("516/TTr-XYZ(PA01)".into(), "TTr-XYZ(PA01)".into()))
            );
            let l = line("Số: Ø7 /CT-UBND", &[("number", "04", 0.98)]);
            assert_eq!(r.number(&l), None);
            let l = line("Số: Ø7 /CT-UBND", &[("number", "07", 0.6)]);
            assert_eq!(r.number(&l), Some(("07/CT-UBND".into(), "CT-UBND".into())));
        });
    }
}
