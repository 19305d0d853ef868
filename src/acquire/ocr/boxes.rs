//! An OCR'd page's layout: the words Tesseract read, with their boxes, as a
//! [`PageLayout`] whose lines are the page text's lines one for one (a blank line of the text
//! is a line without words), so a later step that knows a line of the text knows its boxes.
//!
//! Coordinates are pixels of the page as recognised (turned and deskewed), y going up like a
//! PDF's, so code reading positions works the same on both kinds of page.

use super::engine::Recognised;
use crate::acquire::layout::{BBox, Line, PageLayout, Word};

impl PageLayout {
    /// The layout of an OCR'd page, or `None` when the reading carries no words (an answer
    /// from an older helper).
    pub fn from_ocr(r: &Recognised) -> Option<PageLayout> {
        if r.lines.is_empty() {
            return None;
        }
        let (width, height) = (r.size.0 as f32, r.size.1 as f32);
        let lines = r
            .lines
            .iter()
            .enumerate()
            .map(|(i, words)| {
                let mut line = Line {
                    figures: r
                        .figures
                        .iter()
                        .filter(|(at, _)| *at == i)
                        .map(|(_, f)| f.clone())
                        .collect(),
                    ..Line::default()
                };
                for w in words {
                    if !line.text.is_empty() {
                        line.text.push(' ');
                    }
                    let bbox = BBox {
                        left: w.left as f32,
                        right: w.right as f32,
                        top: height - w.top as f32,
                        bottom: height - w.bottom as f32,
                    };
                    line.words.push(Word {
                        text: w.text.clone(),
                        bbox,
                        size: (w.bottom - w.top) as f32,
                        start: line.text.len(),
                        stamped: false,
                        conf: Some(w.conf),
                    });
                    line.text.push_str(&w.text);
                }
                line.baseline = line.foot();
                line
            })
            .collect();
        Some(PageLayout {
            width,
            height,
            lines,
        })
    }
}
