//! What a scan's header holds beyond its print, settled where the pages' layouts and the text
//! meet (assembly): handwritten figures OCR is not sure of, and where the stamps sit.
//!
//! - A number or a date whose figures were written by hand into the typed blanks
//!   (`Số: 07 /CT-UBND`, `ngày 20 tháng 3`) is read by OCR as `Ø7`, `4#`, or as figures it is
//!   unsure of. A figure below `rules/stamps.toml`'s `handwritten.min_confidence` is not
//!   emitted: the field is null and a `handwritten_field_unread` warning gives its page and
//!   box, so a reviewer can fill it. Fields extraction already found malformed
//!   ([`extract::Origins::unread`]) get the same warning (`field_unread` on a text page).
//! - Each stamp gets its page and box.

use crate::acquire::layout::{BBox, Line, PageLayout};
use crate::acquire::{Page, PageMethod};
use crate::contract::{PageBox, Stamp, Warning};
use crate::extract;
use crate::fold::fold;
use crate::restore::Restored;
use crate::rules::Rules;
use crate::scan_read::Readers;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(serde::Deserialize)]
struct Raw {
    handwritten: Handwritten,
}

#[derive(serde::Deserialize, Clone)]
struct Handwritten {
    min_confidence: f32,
    reader_confirms: f32,
    reader_min: f32,
    /// See `rules/stamps.toml`; absent from an older file: never.
    #[serde(default = "never")]
    reread_sure: f32,
    #[serde(default = "never")]
    pair_min: f32,
    lookalikes: HashMap<String, String>,
}

/// A confidence no reading reaches.
fn never() -> f32 {
    1.1
}

fn thresholds(rules: &Rules) -> Arc<Handwritten> {
    rules
        .cached(|r| {
            r.toml::<Raw>("stamps.toml")
                .map(|raw| raw.handwritten)
                .map_err(|e| e.to_string())
        })
        .unwrap_or_else(|e| {
            tracing::warn!("handwritten figures read without stamps.toml's settings: {e}");
            Arc::new(Handwritten {
                min_confidence: 0.7,
                reader_confirms: 0.9,
                reader_min: 1.1,
                reread_sure: never(),
                pair_min: never(),
                lookalikes: HashMap::new(),
            })
        })
}

/// Settle the plan's number and date against the OCR layout, and place its stamps. Returns the
/// warnings and the stamps for `source.stamps`.
pub fn settle(
    pages: &[Page],
    restored: &Restored,
    plan: &mut extract::Plan,
    rules: &Rules,
) -> (Vec<Warning>, Vec<Stamp>) {
    let at = |offset: usize| Place::of(pages, restored, offset);
    let mut warnings = vec![];
    let hw = thresholds(rules);
    let (min, reader_confirms) = (hw.min_confidence, hw.reader_confirms);
    // Figures OCR is unsure of, in a number or a date it emitted, unless the digit reader read
    // the same figures in their blank, surely.
    let doc = &mut plan.document;
    if let (Some(n), Some(r)) = (&doc.number, &plan.origins.number)
        && let Some(place) = at(r.start)
        && let Some(words) = place.number_figures(n)
        && words.iter().any(|w| w.1 < min)
        && !place.confirmed("number", n.split('/').next(), reader_confirms)
    {
        plan.origins.unread.push(("number".into(), r.clone()));
        doc.number = None;
        doc.number_suffix = None;
    }
    if let (Some(d), Some(r)) = (&doc.date, &plan.origins.date)
        && let Some(place) = at(r.start)
        && let Some(words) = place.date_figures()
        && words.iter().any(|w| w.1 < min)
        && !(place.confirmed("day", d.get(8..10), reader_confirms)
            && place.confirmed("month", d.get(5..7), reader_confirms))
    {
        plan.origins.unread.push(("date".into(), r.clone()));
        doc.date = None;
    }
    // A day left blank on a scan: written by hand where OCR saw nothing (a scanned draft is
    // rare; a signed scan always has its day).
    if let (Some(d), Some(r)) = (&doc.date, &plan.origins.date)
        && d.len() < "YYYY-MM-DD".len()
        && at(r.start).is_some_and(|p| p.page.method == PageMethod::Ocr)
    {
        plan.origins.unread.push(("date".into(), r.clone()));
        doc.date = None;
    }
    // What no one reading gave, read where two readings agree.
    let readers = Readers {
        reader_min: hw.reader_min,
        reread_sure: hw.reread_sure,
        pair_min: hw.pair_min,
        reader_sure: hw.reader_confirms,
        lookalikes: &hw.lookalikes,
    };
    let signed: Vec<Stamp> = plan.stamps.iter().map(|(s, _)| s.clone()).collect();
    let mut still = vec![];
    for (field, range) in std::mem::take(&mut plan.origins.unread) {
        let line = at(range.start).and_then(|p| p.line);
        let doc = &mut plan.document;
        let read = match (field.as_str(), line) {
            ("date", Some(l)) if doc.date.is_none() => readers.date(l, &signed).map(|d| {
                doc.date = Some(d);
                plan.origins.date = Some(range.clone());
            }),
            ("number", Some(l)) if doc.number.is_none() => readers
                .number(l)
                .filter(|(n, _)| extract::number_well_formed(rules, n))
                .map(|(n, symbol)| {
                    doc.number = Some(n);
                    doc.number_suffix = Some(symbol);
                    plan.origins.number = Some(range.clone());
                }),
            _ => None,
        };
        if read.is_none() {
            still.push((field, range));
        }
    }
    plan.origins.unread = still;
    for (field, range) in &plan.origins.unread {
        let place = at(range.start);
        let what = match field.as_str() {
            "number" => "the number",
            _ => "the day or month",
        };
        let text = restored.text.get(range.clone()).unwrap_or("").trim();
        let (code, how) = match place.as_ref().map(|p| p.page.method) {
            Some(PageMethod::Ocr) => ("handwritten_field_unread", "written by hand"),
            _ => ("field_unread", "not well-formed"),
        };
        let mut w = Warning::new(
            code,
            format!(
                "page {}: {what} ('{text}') is {how} and could not be read; fill it in",
                place.as_ref().map_or(1, |p| p.page.number)
            ),
        );
        w.page = place.as_ref().map(|p| p.page.number);
        w.bbox = place.as_ref().and_then(|p| {
            let line = p.line?;
            let words = match field.as_str() {
                "number" => p.number_blank(),
                _ => p.date_figures(),
            }
            .filter(|w| !w.is_empty())
            .map(|w| w.into_iter().map(|(b, _)| b).collect())
            .unwrap_or_else(|| line.words.iter().map(|w| w.bbox).collect::<Vec<_>>());
            let b = words.into_iter().fold(BBox::default(), BBox::union);
            p.fraction(b)
        });
        warnings.push(w);
    }
    let stamps = plan
        .stamps
        .iter()
        .map(|(s, lines)| {
            let mut s = s.clone();
            let places: Vec<Place> = lines.iter().filter_map(|r| at(r.start)).collect();
            s.page = places.first().map(|p| p.page.number);
            let b = places
                .iter()
                .filter_map(|p| p.line)
                .flat_map(|l| l.words.iter().map(|w| w.bbox))
                .fold(BBox::default(), BBox::union);
            s.bbox = places.first().and_then(|p| p.fraction(b));
            s
        })
        .collect();
    (warnings, stamps)
}

/// A place in the restored text: its page, and the page layout's line for it when the page has
/// a layout whose lines are the text's (OCR pages).
struct Place<'a> {
    page: &'a Page,
    layout: Option<&'a PageLayout>,
    line: Option<&'a Line>,
}

impl<'a> Place<'a> {
    fn of(pages: &'a [Page], restored: &Restored, offset: usize) -> Option<Place<'a>> {
        let i = restored.page_starts.iter().rposition(|&s| s <= offset)?;
        let page = pages.get(i)?;
        let start = restored.page_starts[i];
        let n = restored.text.get(start..offset)?.matches('\n').count();
        let layout = page.layout.as_ref();
        // Restoration keeps line i of a page as line i; the layout of an OCR page has the
        // page text's lines one for one. A line whose words disagree is not trusted.
        let line = layout.and_then(|l| l.lines.get(n)).filter(|l| {
            page.method == PageMethod::Ocr
                && page.text.lines().nth(n).map(str::trim) == Some(l.text.trim())
        });
        Some(Place { page, layout, line })
    }

    /// Whether the handwritten-digit reader read `value`'s figures (leading zeros aside) in
    /// the line's blank for `field`, each at least `min` sure. The reader alone never gives a
    /// value: on the real scans it read a cursive `3` as `1` and a printed `9` as `0` at 0.98
    /// and more, so it only confirms figures Tesseract read but was unsure of.
    fn confirmed(&self, field: &str, value: Option<&str>, min: f32) -> bool {
        let (Some(line), Some(value)) = (self.line, value) else {
            return false;
        };
        let value = value.trim_start_matches('0');
        line.figures.iter().any(|f| {
            f.field == field
                && f.conf >= min
                && !f.digits.is_empty()
                && f.digits.trim_start_matches('0') == value
        })
    }

    /// A box as fractions of the page, top-left origin.
    fn fraction(&self, b: BBox) -> Option<PageBox> {
        let l = self.layout?;
        if b == BBox::default() || l.width <= 0.0 || l.height <= 0.0 {
            return None;
        }
        Some(PageBox {
            left: b.left / l.width,
            right: b.right / l.width,
            top: 1.0 - b.top / l.height,
            bottom: 1.0 - b.bottom / l.height,
        })
    }

    /// The words between the `Số` label and the `/` (the number's blank), each with its box
    /// and confidence.
    fn number_blank(&self) -> Option<Vec<(BBox, f32)>> {
        let line = self.line?;
        let slash = line.words.iter().position(|w| w.text.contains('/'))?;
        let from = line
            .words
            .iter()
            .position(|w| fold(&w.text).starts_with('s'))
            .filter(|&i| i <= slash)
            .unwrap_or(0);
        Some(
            line.words[from..=slash]
                .iter()
                .filter(|w| {
                    w.text
                        .split('/')
                        .next()
                        .is_some_and(|s| s.len() > 3 || s.chars().any(|c| c.is_alphanumeric()))
                })
                .map(|w| (w.bbox, w.conf.unwrap_or(1.0)))
                .collect(),
        )
    }

    /// The words of the number's figures (those before its `/` that hold a figure) that stand
    /// apart from the `/`. Figures joined to the slash and suffix in one word (`27/KH-UBND`)
    /// are typed, not written into a blank, and that word's confidence is mostly its suffix's
    /// letters' (a clean JPEG's `27/KH-UBND` reads at 0.53).
    fn number_figures(&self, number: &str) -> Option<Vec<(BBox, f32)>> {
        let line = self.line?;
        let digits = number.split('/').next()?;
        let figures: Vec<(BBox, f32)> = line
            .words
            .iter()
            .take_while(|w| !w.text.starts_with('/'))
            .filter(|w| !w.text.contains('/'))
            .filter(|w| {
                let before = w.text.split('/').next().unwrap_or("");
                before.chars().any(|c| c.is_ascii_digit())
                    && digits.contains(
                        before
                            .trim_start_matches(|c: char| !c.is_ascii_digit())
                            .trim_end_matches(|c: char| !c.is_ascii_digit()),
                    )
            })
            .map(|w| (w.bbox, w.conf.unwrap_or(1.0)))
            .collect();
        (!figures.is_empty()).then_some(figures)
    }

    /// The words of the day and month (between `ngày` and `năm`, `tháng` left out) that hold
    /// a figure, or any word there when none does.
    fn date_figures(&self) -> Option<Vec<(BBox, f32)>> {
        let line = self.line?;
        let folded: Vec<String> = line.words.iter().map(|w| fold(&w.text)).collect();
        let from = folded.iter().position(|w| w.starts_with("ngay"))?;
        let to = folded.iter().rposition(|w| w.starts_with("nam"))?;
        if to <= from {
            return None;
        }
        let figures: Vec<(BBox, f32)> = (from..to)
            .filter(|&i| {
                let rest = folded[i]
                    .trim_start_matches("ngay")
                    .trim_start_matches("thang");
                !rest.is_empty() && (i != from || rest.chars().any(|c| c.is_ascii_digit()))
            })
            .map(|i| (line.words[i].bbox, line.words[i].conf.unwrap_or(1.0)))
            .collect();
        Some(figures)
    }
}
