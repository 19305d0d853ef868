//! Page furniture of PDF text layers, found by where lines sit on the page and how they repeat
//! across pages: page numbers, running headers and footers, footnotes.
//!
//! A text layer reads a page top to bottom, so the page number of page 2 lands between the last
//! words of page 1 and the rest of their sentence, and a footnote between a paragraph and its
//! continuation on the next page. [`mark`] gives each such line its [`Role`]; the page's text
//! ([`super::reflow`]) leaves page numbers and running lines out and keeps footnotes apart.
//! What counts as a page number or a footnote marker is data (`rules/page_layout.toml`).

use super::layout::{Line, PageLayout, Role, Word};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
struct Raw {
    furniture: RawFurniture,
    reflow: RawReflow,
}

#[derive(Debug, Deserialize)]
struct RawFurniture {
    page_number: Vec<String>,
    band: f32,
    running_share: f32,
    same_height: f32,
    footnote_size: f32,
    footnote_start: Vec<String>,
    superscript: String,
    superscript_size: f32,
}

#[derive(Debug, Deserialize)]
struct RawReflow {
    list_marker: Vec<String>,
    max_pitch: f32,
}

/// `rules/page_layout.toml`, compiled.
#[derive(Debug)]
pub struct Knowledge {
    page_number: Vec<Regex>,
    band: f32,
    running_share: f32,
    same_height: f32,
    footnote_size: f32,
    footnote_start: Vec<Regex>,
    superscript: Regex,
    superscript_size: f32,
    /// Starts of lines that begin a paragraph of their own ([`super::reflow`]).
    pub list_marker: Vec<Regex>,
    /// How far below the line before, in line pitches, a line still continues its paragraph.
    pub max_pitch: f32,
}

fn compile(patterns: &[String]) -> Result<Vec<Regex>, String> {
    patterns
        .iter()
        .map(|p| Regex::new(p).map_err(|e| format!("pattern {p:?}: {e}")))
        .collect()
}

impl Knowledge {
    fn parse(text: &str) -> Result<Knowledge, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
        let f = raw.furniture;
        Ok(Knowledge {
            page_number: compile(&f.page_number)?,
            band: f.band,
            running_share: f.running_share,
            same_height: f.same_height,
            footnote_size: f.footnote_size,
            footnote_start: compile(&f.footnote_start)?,
            superscript: Regex::new(&f.superscript).map_err(|e| e.to_string())?,
            superscript_size: f.superscript_size,
            list_marker: compile(&raw.reflow.list_marker)?,
            max_pitch: raw.reflow.max_pitch,
        })
    }

    /// The built-in rules, loaded once.
    pub fn get() -> &'static Knowledge {
        static K: OnceLock<Knowledge> = OnceLock::new();
        K.get_or_init(|| {
            let rules = crate::rules::Rules::builtin();
            rules
                .text("page_layout.toml")
                .map_err(|e| e.to_string())
                .and_then(|t| Knowledge::parse(&t))
                .expect("embedded rules/page_layout.toml is valid (tested)")
        })
    }

    /// A footnote's first line: it opens with a marker.
    pub fn opens_footnote(&self, text: &str) -> bool {
        self.footnote_start.iter().any(|r| r.is_match(text)) || self.is_marker(text)
    }

    /// Nothing but a footnote marker ("1", "*", "(2)").
    pub fn is_marker(&self, text: &str) -> bool {
        self.superscript.is_match(text)
    }

    /// A superscript footnote marker glued to the word before it ("khu¹"): marker characters,
    /// set small, raised off the line's baseline, with no space before it.
    pub fn is_superscript(&self, line: &Line, word: &Word) -> bool {
        let size = body_size_of(line);
        word.start > 0
            && !line.text[..word.start].ends_with(char::is_whitespace)
            && !word.stamped
            && word.size > 0.0
            && word.size <= self.superscript_size * size
            && word.bbox.bottom > line.baseline - 0.1 * size
            && self.superscript.is_match(&word.text)
    }
}

/// The size most of a line's characters are set in.
fn body_size_of(line: &Line) -> f32 {
    mode(line.words.iter().map(|w| (w.size, w.text.chars().count())))
}

/// The size most characters are set in (sizes rounded to half a point); 0 when none.
fn mode(sizes: impl Iterator<Item = (f32, usize)>) -> f32 {
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for (s, n) in sizes {
        if s > 0.0 {
            *counts.entry((s * 2.0).round() as i32).or_default() += n;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(s, n)| (n, s))
        .map_or(0.0, |(s, _)| s as f32 / 2.0)
}

/// The size most characters of the page's body lines are set in.
pub fn body_size(page: &PageLayout) -> f32 {
    mode(
        page.lines
            .iter()
            .filter(|l| l.role == Role::Body)
            .flat_map(|l| &l.words)
            .map(|w| (w.size, w.text.chars().count())),
    )
}

fn has_words(l: &Line) -> bool {
    !l.words.is_empty() && !l.words.iter().all(|w| w.stamped)
}

/// Give the furniture lines of a document's text-layer pages their [`Role`]. `pages` are the
/// document's pages in order; repetition is counted across them.
pub fn mark(pages: &mut [&mut PageLayout]) {
    let k = Knowledge::get();
    mark_running(pages, k);
    for page in pages.iter_mut() {
        mark_page_number(page, k);
    }
    // The body's size is the document's: a last page may hold more footnote than text.
    let body = mode(
        pages
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| l.role == Role::Body)
            .flat_map(|l| &l.words)
            .map(|w| (w.size, w.text.chars().count())),
    );
    for page in pages.iter_mut() {
        mark_footnotes(page, body, k);
    }
}

/// Where a line sits: in the top band, the bottom band, or neither.
fn in_band(page: &PageLayout, line: &Line, band: f32) -> bool {
    let h = page.height.max(1.0);
    line.baseline >= h * (1.0 - band) || line.baseline <= h * band
}

/// A line's text with its figures and spacing ignored, for telling the same running line
/// on pages with different numbers.
fn shape(text: &str) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }));
    }
    out
}

/// Running headers and footers: lines in a band that recur, figures aside, at the same height
/// on enough pages. A bare page number recurs too; it is left to [`mark_page_number`].
fn mark_running(pages: &mut [&mut PageLayout], k: &Knowledge) {
    let n = pages.len();
    if n < 2 {
        return;
    }
    let need = ((k.running_share * n as f32).ceil() as usize).max(2);
    // (page, line, shape, baseline) of every candidate.
    let mut cands: Vec<(usize, usize, String, f32)> = vec![];
    for (p, page) in pages.iter().enumerate() {
        for (i, l) in page.lines.iter().enumerate() {
            let text = l.text.trim();
            if has_words(l)
                && in_band(page, l, k.band)
                && !k.page_number.iter().any(|r| r.is_match(text))
            {
                cands.push((p, i, shape(text), l.baseline));
            }
        }
    }
    let mut running = vec![];
    for (p, i, s, y) in &cands {
        let mut on: Vec<usize> = cands
            .iter()
            .filter(|(_, _, s2, y2)| s2 == s && (y2 - y).abs() <= k.same_height)
            .map(|c| c.0)
            .collect();
        on.dedup();
        if on.len() >= need {
            running.push((*p, *i));
        }
    }
    for (p, i) in running {
        pages[p].lines[i].role = Role::Running;
    }
}

/// A page number: the line nearest the top or the bottom edge of the page (running lines
/// aside), inside its band, holding nothing but a page number.
fn mark_page_number(page: &mut PageLayout, k: &Knowledge) {
    let candidates: Vec<usize> = (0..page.lines.len())
        .filter(|&i| has_words(&page.lines[i]) && page.lines[i].role == Role::Body)
        .collect();
    let top = candidates
        .iter()
        .copied()
        .max_by(|&a, &b| page.lines[a].baseline.total_cmp(&page.lines[b].baseline));
    let bottom = candidates
        .iter()
        .copied()
        .min_by(|&a, &b| page.lines[a].baseline.total_cmp(&page.lines[b].baseline));
    for i in [top, bottom].into_iter().flatten() {
        let l = &page.lines[i];
        if in_band(page, l, k.band) && k.page_number.iter().any(|r| r.is_match(l.text.trim())) {
            page.lines[i].role = Role::PageNumber;
        }
    }
}

/// Footnotes: the run of small lines at the foot of the page (in its lower half), from the
/// first that starts with a footnote marker down.
fn mark_footnotes(page: &mut PageLayout, body: f32, k: &Knowledge) {
    if body <= 0.0 {
        return;
    }
    let mut order: Vec<usize> = (0..page.lines.len())
        .filter(|&i| has_words(&page.lines[i]) && page.lines[i].role == Role::Body)
        .collect();
    order.sort_by(|&a, &b| page.lines[a].baseline.total_cmp(&page.lines[b].baseline));
    // From the bottom up, while the lines are small.
    let foot: Vec<usize> = order
        .iter()
        .copied()
        .take_while(|&i| {
            let l = &page.lines[i];
            l.size() <= k.footnote_size * body && l.baseline < page.height / 2.0
        })
        .collect();
    // The topmost line that opens a footnote; a lone marker line just above it belongs to it.
    let Some(first) = foot
        .iter()
        .rposition(|&i| k.opens_footnote(page.lines[i].text.trim()))
    else {
        return;
    };
    for &i in &foot[..=first] {
        page.lines[i].role = Role::Footnote;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::acquire::layout::{BBox, Glyph};

    /// A page of lines `(text, x, baseline, size)`, 0.5 em a character.
    pub(crate) fn page(lines: &[(&str, f32, f32, f32)]) -> PageLayout {
        let mut glyphs = vec![];
        for (n, (text, x, y, size)) in lines.iter().enumerate() {
            if n > 0 {
                glyphs.push(Glyph {
                    ch: '\n',
                    bbox: None,
                    baseline: None,
                    size: 0.0,
                });
            }
            for (i, ch) in text.chars().enumerate() {
                let left = x + 0.5 * size * i as f32;
                glyphs.push(Glyph {
                    ch,
                    bbox: Some(BBox {
                        left,
                        bottom: y - 0.2 * size,
                        right: left + 0.5 * size,
                        top: y + 0.8 * size,
                    }),
                    baseline: Some(*y),
                    size: *size,
                });
            }
        }
        PageLayout::from_glyphs(595.0, 842.0, glyphs)
    }

    #[test]
    fn the_rules_parse() {
        let k = Knowledge::get();
        assert!(k.page_number.iter().any(|r| r.is_match("- 3 -")));
        assert!(k.page_number.iter().any(|r| r.is_match("Trang 2/5")));
        assert!(!k.page_number.iter().any(|r| r.is_match("2. Nhiệm vụ")));
    }

    #[test]
    fn a_page_number_at_the_top_and_a_running_footer_are_furniture() {
        let text = |p: u32| {
            let n = p.to_string();
            let word = ["", "", "hai", "ba", "bốn"][p as usize];
            vec![
                (n, 300.0, 800.0, 14.0),
                (format!("đầu trang {word} có chữ"), 85.0, 770.0, 14.0),
                (
                    format!("2 Trong thân văn bản trang {word}"),
                    85.0,
                    750.0,
                    14.0,
                ),
                (format!("Văn bản số hoá {p}"), 85.0, 40.0, 10.0),
            ]
        };
        let mut pages: Vec<PageLayout> = (2..5)
            .map(|p| {
                let lines = text(p);
                let refs: Vec<(&str, f32, f32, f32)> = lines
                    .iter()
                    .map(|(t, x, y, s)| (t.as_str(), *x, *y, *s))
                    .collect();
                page(&refs)
            })
            .collect();
        let mut refs: Vec<&mut PageLayout> = pages.iter_mut().collect();
        mark(&mut refs);
        for p in &pages {
            let roles: Vec<Role> = p.lines.iter().map(|l| l.role).collect();
            assert_eq!(
                roles,
                [Role::PageNumber, Role::Body, Role::Body, Role::Running]
            );
        }
    }

    #[test]
    fn small_lines_at_the_foot_from_a_marker_down_are_footnotes() {
        let mut p = page(&[
            (
                "Đoạn văn bản chính dài của trang, cỡ chữ thân bài",
                85.0,
                700.0,
                14.0,
            ),
            (
                "tiếp tục đoạn văn bản chính với nhiều chữ hơn chú thích",
                85.0,
                680.0,
                14.0,
            ),
            ("Bảng nhỏ không phải chú thích", 85.0, 120.0, 10.0),
            ("1", 85.0, 64.0, 6.5),
            ("Quyết định số 1 của tỉnh", 91.0, 60.0, 10.0),
            ("và phần tiếp của chú thích", 85.0, 48.0, 10.0),
        ]);
        mark(&mut [&mut p]);
        let roles: Vec<Role> = p.lines.iter().map(|l| l.role).collect();
        assert_eq!(
            roles,
            [
                Role::Body,
                Role::Body,
                Role::Body,
                Role::Footnote,
                Role::Footnote,
                Role::Footnote
            ]
        );
    }

    #[test]
    fn a_number_inside_the_page_is_not_a_page_number() {
        let mut p = page(&[
            ("Đầu trang", 85.0, 800.0, 14.0),
            ("12", 85.0, 500.0, 14.0),
            ("Cuối trang", 85.0, 60.0, 14.0),
        ]);
        mark(&mut [&mut p]);
        assert!(p.lines.iter().all(|l| l.role == Role::Body));
    }
}
