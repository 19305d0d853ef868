//! The text cut into lines, the unit every other part of segmenting reads.

use super::types::Line;
use crate::span::trim_range;

/// Split the text into lines with trimmed ranges.
pub fn lines(text: &str) -> Vec<Line> {
    let mut out = vec![];
    let mut start = 0;
    for l in text.split('\n') {
        let raw = start..start + l.len();
        let tabs = l
            .chars()
            .take_while(|c| *c == '\t' || *c == ' ')
            .filter(|c| *c == '\t')
            .count();
        out.push(Line {
            range: trim_range(text, raw.clone()),
            raw,
            tabs,
        });
        start += l.len() + 1;
    }
    out
}
