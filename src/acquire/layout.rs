//! The geometry of a page's text: lines of words with boxes and font sizes, from which the
//! page's text is derived.
//!
//! Later steps read positions instead of guessing layout from line order: stamped text is put
//! on the line whose baseline it sits on ([`PageLayout::merge`]), page furniture is found by
//! where it sits on the page. Coordinates are PDF points with y going up, as PDFium gives them.
//!
//! A line keeps the exact text its reader gave (PDFium's spacing included), and each word its
//! byte offset into it, so a page with nothing merged reads exactly as before.

/// A box on the page, in points, y going up.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BBox {
    pub left: f32,
    pub bottom: f32,
    pub right: f32,
    pub top: f32,
}

impl BBox {
    /// The smallest box holding both (an empty box, all zero, holds nothing).
    pub fn union(self, other: BBox) -> BBox {
        if self == BBox::default() {
            return other;
        }
        BBox {
            left: self.left.min(other.left),
            bottom: self.bottom.min(other.bottom),
            right: self.right.max(other.right),
            top: self.top.max(other.top),
        }
    }

    pub fn center_x(&self) -> f32 {
        (self.left + self.right) / 2.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub bbox: BBox,
    /// Font size in points as drawn.
    pub size: f32,
    /// Byte offset of the word in its line's text.
    pub start: usize,
    /// The word came from an annotation's appearance (an e-signature stamp), not the page.
    pub stamped: bool,
    /// OCR's confidence in the word, 0..=1 (OCR pages only).
    pub conf: Option<f32>,
}

/// What a line is to the text flow ([`super::furniture`] decides): page furniture is left out of
/// the page's text, footnotes are kept apart from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    #[default]
    Body,
    /// A page number ("2", "- 2 -", "Trang 2/5").
    PageNumber,
    /// A running header or footer: the same line at the same place on several pages.
    Running,
    /// Footnote text (or a footnote's own marker) at the foot of the page.
    Footnote,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub text: String,
    pub words: Vec<Word>,
    /// The baseline's height (y of the first word's origin).
    pub baseline: f32,
    pub role: Role,
    /// On an OCR'd page, what the handwritten-digit reader read in the line's blanks (the
    /// number's, the day's, the month's).
    pub figures: Vec<super::ocr::digits::Figures>,
}

impl Line {
    /// The largest font size of the line's words.
    pub fn size(&self) -> f32 {
        self.words.iter().map(|w| w.size).fold(0.0, f32::max)
    }

    /// Left end of the line's ink (`f32::MAX` for a line without words).
    pub fn left(&self) -> f32 {
        self.words
            .iter()
            .map(|w| w.bbox.left)
            .fold(f32::MAX, f32::min)
    }

    /// The lowest foot of the line's words (0 for a line without words): an OCR line's
    /// baseline, since Tesseract gives boxes, not origins.
    pub fn foot(&self) -> f32 {
        let y = self
            .words
            .iter()
            .map(|w| w.bbox.bottom)
            .fold(f32::NAN, f32::min);
        if y.is_nan() { 0.0 } else { y }
    }

    /// The highest top of the line's words (`f32::MIN` for a line without words).
    pub fn top(&self) -> f32 {
        self.words
            .iter()
            .map(|w| w.bbox.top)
            .fold(f32::MIN, f32::max)
    }

    /// Right end of the line's ink (`f32::MIN` for a line without words).
    pub fn right(&self) -> f32 {
        self.words
            .iter()
            .map(|w| w.bbox.right)
            .fold(f32::MIN, f32::max)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageLayout {
    pub width: f32,
    pub height: f32,
    pub lines: Vec<Line>,
}

/// One character as a reader gives it: its text (a line break is `'\n'`), box, baseline and
/// size.
pub struct Glyph {
    pub ch: char,
    pub bbox: Option<BBox>,
    pub baseline: Option<f32>,
    pub size: f32,
}

impl PageLayout {
    /// Lines and words from a reader's characters in reading order: a `'\n'` (or `'\r'`, or
    /// the pair) ends a line, white space ends a word.
    pub fn from_glyphs(width: f32, height: f32, glyphs: impl IntoIterator<Item = Glyph>) -> Self {
        let mut lines = vec![];
        let mut line = Line::default();
        let mut word: Option<Word> = None;
        let mut after_cr = false;
        let mut has_baseline = false;
        let end_word = |line: &mut Line, word: &mut Option<Word>| {
            if let Some(w) = word.take() {
                line.words.push(w);
            }
        };
        for g in glyphs {
            let cr = std::mem::replace(&mut after_cr, g.ch == '\r');
            if g.ch == '\n' && cr {
                continue;
            }
            if g.ch == '\n' || g.ch == '\r' {
                end_word(&mut line, &mut word);
                lines.push(std::mem::take(&mut line));
                has_baseline = false;
                continue;
            }
            if g.ch.is_whitespace() {
                end_word(&mut line, &mut word);
                line.text.push(g.ch);
                continue;
            }
            // A change of size inside a run of letters ("khu¹") starts a word of its own, so
            // that a superscript footnote marker can be told from the word it is glued to.
            if word.as_ref().is_some_and(|w| resized(w.size, g.size)) {
                end_word(&mut line, &mut word);
            }
            let w = word.get_or_insert_with(|| Word {
                text: String::new(),
                bbox: BBox::default(),
                size: 0.0,
                start: line.text.len(),
                stamped: false,
                conf: None,
            });
            w.text.push(g.ch);
            line.text.push(g.ch);
            if let Some(b) = g.bbox {
                w.bbox = w.bbox.union(b);
            }
            w.size = w.size.max(g.size);
            // The line's baseline is its first glyph's origin (a box's bottom is the descent).
            if let (Some(y), false) = (g.baseline, has_baseline) {
                line.baseline = y;
                has_baseline = true;
            }
        }
        end_word(&mut line, &mut word);
        lines.push(line);
        PageLayout {
            width,
            height,
            lines,
        }
    }

    /// The page's text: its lines, one per text line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&l.text);
        }
        out
    }

    /// Put a run of text drawn over the page (an annotation's appearance) where it sits: into
    /// the line whose baseline it sits on, before the first word to the right of it ("Số:" ·
    /// "115" · "/KH-X"), or as a line of its own above the first line below it.
    pub fn merge(&mut self, text: &str, x: f32, baseline: f32, size: f32, width: f32) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let bbox = BBox {
            left: x,
            bottom: baseline,
            right: x + width,
            top: baseline + size,
        };
        let on = self.line_under(&bbox, size);
        let Some(i) = on else {
            let at = self
                .lines
                .iter()
                .position(|l| !l.words.is_empty() && l.baseline < baseline)
                .unwrap_or(self.lines.len());
            let line = Line {
                text: text.to_string(),
                words: stamped_words(text, 0, bbox, size),
                baseline,
                role: Role::Body,
                figures: vec![],
            };
            self.lines.insert(at, line);
            return;
        };
        let line = &mut self.lines[i];
        let k = line
            .words
            .iter()
            .position(|w| w.bbox.center_x() > x + width.min(size) / 2.0)
            .unwrap_or(line.words.len());
        // A figure stamped over a printed figure (a placeholder month under the real one)
        // replaces it: what shows on top is what the signer set.
        if let Some(j) = (k.saturating_sub(1)..(k + 1).min(line.words.len()))
            .find(|&j| covers(&bbox, text, &line.words[j]))
        {
            let w = line.words.remove(j);
            line.text
                .replace_range(w.start..w.start + w.text.len(), text);
            let shift = text.len() as isize - w.text.len() as isize;
            for later in &mut line.words[j..] {
                later.start = (later.start as isize + shift) as usize;
            }
            let words = stamped_words(text, w.start, bbox, size);
            line.words.splice(j..j, words);
            return;
        }
        let (at, insert) = match line.words.get(k) {
            Some(w) => (w.start, format!("{text} ")),
            None => (line.text.len(), format!(" {text}")),
        };
        let offset = if k < line.words.len() { 0 } else { 1 };
        line.text.insert_str(at, &insert);
        for w in &mut line.words[k..] {
            w.start += insert.len();
        }
        let words = stamped_words(text, at + offset, bbox, size);
        line.words.splice(k..k, words);
    }
}

impl PageLayout {
    /// The line a stamp sits on. First a line on its baseline, preferring one that spans the
    /// stamp's place across the page (a header's two columns are often two lines on one
    /// baseline); then, since signing systems set the number a little above or below the
    /// blank it fills, a line within a line's height that has a blank where the stamp is.
    fn line_under(&self, stamp: &BBox, size: f32) -> Option<usize> {
        let x = stamp.left;
        let mut best: Option<(usize, bool, f32)> = None;
        let mut blank: Option<(usize, f32)> = None;
        for (i, l) in self.lines.iter().enumerate() {
            if l.words.is_empty() {
                continue;
            }
            let size = size.max(l.size()).max(1.0);
            let d = (l.baseline - stamp.bottom).abs();
            let (left, right) = (l.left(), l.right());
            let outside = x < left - 2.0 * size || x > right + 3.0 * size;
            if d <= 0.45 * size && best.is_none_or(|(_, o, bd)| (outside, d) < (o, bd)) {
                best = Some((i, outside, d));
            }
            let middle = stamp.center_x();
            let gap = l.words.windows(2).any(|w| {
                w[1].bbox.left - w[0].bbox.right >= size
                    && w[0].bbox.right <= middle
                    && w[1].bbox.left >= middle
            });
            if d <= 1.0 * size && gap && blank.is_none_or(|(_, bd)| d < bd) {
                blank = Some((i, d));
            }
        }
        best.map(|b| b.0).or(blank.map(|b| b.0))
    }
}

/// Two font sizes differ by more than a quarter (both known).
fn resized(a: f32, b: f32) -> bool {
    a > 0.0 && b > 0.0 && (a.max(b) / a.min(b)) > 1.25
}

/// A figure stamped over a printed figure: both all digits, overlapping by half the narrower.
fn covers(stamp: &BBox, text: &str, word: &Word) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if word.stamped || !digits(text) || !digits(&word.text) {
        return false;
    }
    let overlap = stamp.right.min(word.bbox.right) - stamp.left.max(word.bbox.left);
    let narrower = (stamp.right - stamp.left).min(word.bbox.right - word.bbox.left);
    narrower > 0.0 && overlap >= 0.5 * narrower
}

fn stamped_words(text: &str, start: usize, bbox: BBox, size: f32) -> Vec<Word> {
    let mut out = vec![];
    let mut offset = 0;
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        let at = text[offset..].find(w).map_or(offset, |p| offset + p);
        out.push(Word {
            text: w.to_string(),
            bbox,
            size,
            start: start + at,
            stamped: true,
            conf: None,
        });
        offset = at + w.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text` set from `x` on baseline `y`, 10 pt, 5 pt a character.
    fn glyphs(lines: &[(&str, f32, f32)]) -> Vec<Glyph> {
        let mut out = vec![];
        for (n, (text, x, y)) in lines.iter().enumerate() {
            if n > 0 {
                out.push(Glyph {
                    ch: '\n',
                    bbox: None,
                    baseline: None,
                    size: 0.0,
                });
            }
            for (i, ch) in text.chars().enumerate() {
                let left = x + 5.0 * i as f32;
                out.push(Glyph {
                    ch,
                    bbox: Some(BBox {
                        left,
                        bottom: y - 2.0,
                        right: left + 5.0,
                        top: y + 8.0,
                    }),
                    baseline: Some(*y),
                    size: 10.0,
                });
            }
        }
        out
    }

    #[test]
    fn text_is_the_lines_as_read() {
        let page = PageLayout::from_glyphs(
            600.0,
            800.0,
            glyphs(&[("Số:  /KH-UBND", 50.0, 700.0), ("KẾ HOẠCH", 250.0, 650.0)]),
        );
        assert_eq!(page.text(), "Số:  /KH-UBND\nKẾ HOẠCH");
        assert_eq!(page.lines[0].words.len(), 2);
        assert_eq!(page.lines[0].words[1].start, "Số:  ".len());
        assert_eq!(page.lines[0].baseline, 700.0);
    }

    #[test]
    fn a_stamp_goes_into_the_line_it_sits_on_at_its_place() {
        let mut page = PageLayout::from_glyphs(
            600.0,
            800.0,
            glyphs(&[
                ("Số: /KH-UBND", 50.0, 700.0),
                ("Hà Nội, ngày tháng năm 2026", 300.0, 700.5),
                ("KẾ HOẠCH", 250.0, 650.0),
            ]),
        );
        // "ngày" spans 340..360, "tháng" 365..390, "năm" 395..410.
        page.merge("04", 361.0, 699.0, 11.0, 10.0);
        page.merge("8", 391.0, 699.0, 11.0, 5.0);
        page.merge("115", 70.0, 700.0, 11.0, 15.0);
        // A stamp between two lines becomes a line of its own, in reading order.
        page.merge("Ký bởi: Sở X", 300.0, 670.0, 8.0, 40.0);
        assert_eq!(
            page.text(),
            "Số: 115 /KH-UBND\nHà Nội, ngày 04 tháng 8 năm 2026\nKý bởi: Sở X\nKẾ HOẠCH"
        );
        let words: Vec<(&str, bool)> = page.lines[1]
            .words
            .iter()
            .map(|w| {
                (
                    &page.lines[1].text[w.start..w.start + w.text.len()],
                    w.stamped,
                )
            })
            .collect();
        assert_eq!(words[3], ("04", true));
        assert_eq!(words[4], ("tháng", false));
    }

    #[test]
    fn a_number_set_above_its_blank_fills_the_blank() {
        let mut page = PageLayout::from_glyphs(
            600.0,
            800.0,
            glyphs(&[
                ("Số:        /BNV-CCHC", 50.0, 700.0),
                ("V/v thử", 50.0, 686.0),
            ]),
        );
        page.merge("12094", 70.0, 710.0, 14.0, 25.0);
        assert_eq!(page.text(), "Số:        12094 /BNV-CCHC\nV/v thử");
        // Without a blank under it, a run that far off the baseline is a line of its own.
        page.merge("Ký bởi", 60.0, 693.0, 14.0, 30.0);
        assert_eq!(page.lines.len(), 3);
    }

    #[test]
    fn a_figure_stamped_over_a_printed_one_replaces_it() {
        let mut page = PageLayout::from_glyphs(
            600.0,
            800.0,
            glyphs(&[("ngày 15 tháng 4 năm 2026", 50.0, 700.0)]),
        );
        // "4" spans 120..125.
        page.merge("5", 119.0, 701.0, 11.0, 5.5);
        assert_eq!(page.text(), "ngày 15 tháng 5 năm 2026");
        assert!(page.lines[0].words[3].stamped);
        assert_eq!(page.lines[0].words[4].start, "ngày 15 tháng 5 ".len());
    }
}
