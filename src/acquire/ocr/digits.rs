//! Figures written by hand into a scanned header's blanks (issue 25): the number's blank
//! between `Số:` and the `/` of its symbol, the day's between `ngày` and `tháng`, the month's
//! between `tháng` and `năm`. Tesseract, trained on print, reads a handwritten `07` as `Ø7` or
//! `ý#`; here the blank is found from the words' boxes, cut from the page image, split into
//! strokes of ink (connected components, side by side) and each read by a small network
//! trained on handwritten digits (`scripts/train_digits.py`, weights in `rules/digits.tsv`:
//! UCI optical digits as scikit-learn ships them). Each reading carries the least confidence of
//! its digits, so a later step emits it only when sure (`src/scan.rs`).
//!
//! This runs in the OCR helper, which holds the page image as recognised (turned, deskewed);
//! boxes are that image's pixels, y going down.

use crate::fold::fold;
use crate::rules::Rules;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A word as the blank finder needs it: its text and box (pixels, y going down). The engine
/// hands its words over as these (this file imports nothing of the engine's).
pub struct Word<'a> {
    pub text: &'a str,
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

/// What the digit reader read in one blank of a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// `number`, `day` or `month`.
    pub field: String,
    /// The blank: left, top, right, bottom, in pixels of the page as recognised.
    pub bbox: Rect,
    /// The digits read, left to right (empty when the blank holds no ink).
    pub digits: String,
    /// The least confidence (softmax probability) of the digits, 0..=1.
    pub conf: f32,
}

/// A grey crop of the page: `pixels` row after row, `width` wide.
pub struct Crop {
    pub pixels: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

/// The blanks of the header's lines, each read. `crop(left, top, right, bottom)` cuts the page
/// image (`None` outside it, or when the image is not 8-bit grey).
pub fn read_blanks(
    lines: &[Vec<Word<'_>>],
    mut crop: impl FnMut(i32, i32, i32, i32) -> Option<Crop>,
) -> Vec<(usize, Figures)> {
    let mut out = vec![];
    for (i, line) in lines.iter().enumerate() {
        for (field, bbox) in blanks(line) {
            let Some(c) = crop(bbox.0, bbox.1, bbox.2, bbox.3) else {
                continue;
            };
            let (digits, conf) = read_crop(&c, (line_height(line) as f32).max(1.0));
            out.push((
                i,
                Figures {
                    field: field.into(),
                    bbox,
                    digits,
                    conf,
                },
            ));
        }
    }
    out
}

fn line_height(line: &[Word]) -> i32 {
    let mut h: Vec<i32> = line.iter().map(|w| w.bottom - w.top).collect();
    h.sort_unstable();
    h.get(h.len() / 2).copied().unwrap_or(0)
}

/// Left, top, right, bottom, in pixels, y going down.
type Rect = (i32, i32, i32, i32);

/// The blanks of one line: after a `Số:` label up to the word that opens with `/`; after
/// `ngày` up to `tháng`, after `tháng` up to `năm`. The box reaches above and below the line,
/// where handwriting goes.
fn blanks(line: &[Word]) -> Vec<(&'static str, Rect)> {
    let folded: Vec<String> = line.iter().map(|w| fold(w.text)).collect();
    let h = line_height(line);
    let top = line.iter().map(|w| w.top).min().unwrap_or(0) - h * 3 / 5;
    let bottom = line.iter().map(|w| w.bottom).max().unwrap_or(0) + h * 2 / 5;
    let pad = h / 6;
    let mut out = vec![];
    let mut between = |field, from: usize, to: usize| {
        let (l, r) = (line[from].right + pad, line[to].left - pad);
        if to > from && r - l >= h / 2 {
            out.push((field, (l, top, r, bottom)));
        }
    };
    let label = folded
        .iter()
        .position(|w| w == "so:" || w == "so" || w == "so.");
    if let Some(s) = label
        && let Some(slash) = (s + 1..line.len()).find(|&j| line[j].text.starts_with('/'))
    {
        between("number", s, slash);
    }
    if let Some(d) = folded
        .iter()
        .position(|w| w.trim_end_matches(',') == "ngay")
        && let Some(m) = (d + 1..line.len()).find(|&j| folded[j] == "thang")
    {
        between("day", d, m);
        if let Some(y) = (m + 1..line.len()).find(|&j| folded[j] == "nam") {
            between("month", m, y);
        }
    }
    out
}

/// The digits in a crop and their least confidence: ink found by Otsu's threshold, cut into
/// connected strokes, strokes over one another joined, strokes too small for a figure of a
/// line `line_h` high (dots, dust, the underline's end) left out.
pub fn read_crop(c: &Crop, line_h: f32) -> (String, f32) {
    let (lo, hi) = c
        .pixels
        .iter()
        .fold((255u8, 0u8), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    // Paper alone: nothing written.
    if hi.saturating_sub(lo) < 80 {
        return (String::new(), 1.0);
    }
    let t = otsu(&c.pixels);
    let ink: Vec<bool> = c.pixels.iter().map(|&p| p < t).collect();
    let mut parts = components(&ink, c.width, c.height);
    // A figure is at least 40% of the line's height, and lies across the line's middle band.
    let (band_top, band_bottom) = (c.height as f32 * 0.25, c.height as f32 * 0.8);
    parts.retain(|p| {
        let (h, mid) = (
            (p.bottom - p.top + 1) as f32,
            (p.top + p.bottom) as f32 / 2.0,
        );
        h >= 0.4 * line_h && h <= 2.2 * line_h && mid >= band_top && mid <= band_bottom
    });
    parts.sort_by_key(|p| p.left);
    let mut merged: Vec<Part> = vec![];
    for p in parts {
        match merged.last_mut() {
            Some(m) if overlap(m, &p) => m.absorb(p),
            _ => merged.push(p),
        }
    }
    if merged.is_empty() || merged.len() > 6 {
        return (String::new(), if merged.is_empty() { 1.0 } else { 0.0 });
    }
    let mut digits = String::new();
    let mut conf = 1.0f32;
    for p in &merged {
        let (d, c) = classify(&counts(p, c.width));
        digits.push(char::from(b'0' + d));
        conf = conf.min(c);
    }
    (digits, conf)
}

/// One stroke of ink: its box and its pixels (row, column).
struct Part {
    left: usize,
    right: usize,
    top: usize,
    bottom: usize,
    pixels: Vec<usize>,
}

impl Part {
    fn absorb(&mut self, o: Part) {
        self.left = self.left.min(o.left);
        self.right = self.right.max(o.right);
        self.top = self.top.min(o.top);
        self.bottom = self.bottom.max(o.bottom);
        self.pixels.extend(o.pixels);
    }
}

/// Two strokes overlapping over half the narrower one's width belong to one figure.
fn overlap(a: &Part, b: &Part) -> bool {
    let common = a.right.min(b.right) as i64 - a.left.max(b.left) as i64 + 1;
    let narrow = (a.right - a.left + 1).min(b.right - b.left + 1) as i64;
    2 * common > narrow
}

fn components(ink: &[bool], w: usize, h: usize) -> Vec<Part> {
    let mut seen = vec![false; ink.len()];
    let mut out = vec![];
    for start in 0..ink.len() {
        if !ink[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut p = Part {
            left: usize::MAX,
            right: 0,
            top: usize::MAX,
            bottom: 0,
            pixels: vec![],
        };
        while let Some(i) = stack.pop() {
            let (y, x) = (i / w, i % w);
            p.left = p.left.min(x);
            p.right = p.right.max(x);
            p.top = p.top.min(y);
            p.bottom = p.bottom.max(y);
            p.pixels.push(i);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (ny, nx) = (y as i64 + dy, x as i64 + dx);
                    if ny < 0 || nx < 0 || ny >= h as i64 || nx >= w as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if ink[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.push(p);
    }
    out
}

/// Otsu's threshold of grey levels.
fn otsu(pixels: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &p in pixels {
        hist[p as usize] += 1;
    }
    let total = pixels.len() as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut at) = (0.0, 0.0, -1.0, 128u8);
    for (t, &n) in hist.iter().enumerate() {
        w0 += n as f64;
        sum0 += t as f64 * n as f64;
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0, (sum - sum0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            at = t as u8 + 1;
        }
    }
    at
}

/// The stroke as the UCI set gives a digit: its box scaled (aspect kept) into 32×32, centred,
/// then the ink counted in each 4×4 cell (0..=16).
fn counts(p: &Part, width: usize) -> [f32; 64] {
    let (w, h) = (p.right - p.left + 1, p.bottom - p.top + 1);
    let scale = 32.0 / w.max(h) as f32;
    let (ox, oy) = (
        (32.0 - w as f32 * scale) / 2.0,
        (32.0 - h as f32 * scale) / 2.0,
    );
    let mut grid = [[false; 32]; 32];
    for &i in &p.pixels {
        let (y, x) = (i / width - p.top, i % width - p.left);
        // Every bitmap cell the pixel covers.
        let (x0, x1) = (ox + x as f32 * scale, ox + (x + 1) as f32 * scale);
        let (y0, y1) = (oy + y as f32 * scale, oy + (y + 1) as f32 * scale);
        for gy in (y0 as usize)..=((y1 - 0.01).max(y0) as usize).min(31) {
            for gx in (x0 as usize)..=((x1 - 0.01).max(x0) as usize).min(31) {
                grid[gy.min(31)][gx.min(31)] = true;
            }
        }
    }
    let mut out = [0f32; 64];
    for (gy, row) in grid.iter().enumerate() {
        for (gx, &on) in row.iter().enumerate() {
            if on {
                out[(gy / 4) * 8 + gx / 4] += 1.0;
            }
        }
    }
    out
}

/// The network of `rules/digits.tsv`: 64 counts / 16 → ReLU hidden layer → softmax over 0–9.
struct Net {
    w1: Vec<Vec<f32>>,
    b1: Vec<f32>,
    w2: Vec<Vec<f32>>,
    b2: Vec<f32>,
}

static NET: LazyLock<Option<Net>> = LazyLock::new(|| {
    let text = Rules::builtin().text("digits.tsv").ok()?;
    parse(&text)
});

fn parse(text: &str) -> Option<Net> {
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let mut matrix = |name: &str| -> Option<Vec<Vec<f32>>> {
        let head: Vec<&str> = lines.next()?.split('\t').collect();
        if head.first() != Some(&name) {
            return None;
        }
        let (rows, cols): (usize, usize) = (head.get(1)?.parse().ok()?, head.get(2)?.parse().ok()?);
        (0..rows)
            .map(|_| {
                let row: Vec<f32> = lines
                    .next()?
                    .split('\t')
                    .map(|v| v.parse().ok())
                    .collect::<Option<_>>()?;
                (row.len() == cols).then_some(row)
            })
            .collect()
    };
    let w1 = matrix("w1")?;
    let b1 = matrix("b1")?.pop()?;
    let w2 = matrix("w2")?;
    let b2 = matrix("b2")?.pop()?;
    (w1.len() == 64 && b1.len() == w2.len() && b2.len() == 10).then_some(Net { w1, b1, w2, b2 })
}

/// The digit and its probability, from a digit's 64 counts (0..=16).
pub fn classify(counts: &[f32; 64]) -> (u8, f32) {
    let Some(net) = NET.as_ref() else {
        return (0, 0.0);
    };
    let mut hidden = net.b1.clone();
    for (i, &x) in counts.iter().enumerate() {
        let x = x / 16.0;
        if x != 0.0 {
            for (h, w) in hidden.iter_mut().zip(&net.w1[i]) {
                *h += x * w;
            }
        }
    }
    let mut out = net.b2.clone();
    for (h, row) in hidden.iter().zip(&net.w2) {
        let h = h.max(0.0);
        for (o, w) in out.iter_mut().zip(row) {
            *o += h * w;
        }
    }
    let max = out.iter().copied().fold(f32::MIN, f32::max);
    let exp: Vec<f32> = out.iter().map(|o| (o - max).exp()).collect();
    let total: f32 = exp.iter().sum();
    let (d, e) = exp
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .expect("ten outputs");
    (d as u8, e / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Held-out digits of the UCI set (never trained on): the network reads them as
    /// `scripts/train_digits.py` measured (0.944 over its 360), and is surer when right.
    #[test]
    fn held_out_digits_are_read() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/digits_heldout.tsv");
        let text = std::fs::read_to_string(path).unwrap();
        let (mut n, mut right, mut sure, mut sure_right) = (0, 0, 0, 0);
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let v: Vec<f32> = line.split('\t').map(|x| x.parse().unwrap()).collect();
            let counts: [f32; 64] = v[1..].try_into().unwrap();
            let (d, p) = classify(&counts);
            n += 1;
            let ok = f32::from(d) == v[0];
            right += usize::from(ok);
            if p >= 0.9 {
                sure += 1;
                sure_right += usize::from(ok);
            }
        }
        assert_eq!(n, 200);
        assert!(right as f32 / n as f32 >= 0.9, "{right}/{n}");
        assert!(
            sure_right as f32 / sure as f32 >= 0.95,
            "{sure_right}/{sure}"
        );
    }

    /// A crop of blank paper holds no figures; a drawn `1` and `0` are cut apart and read.
    #[test]
    fn strokes_are_cut_apart_and_read() {
        let (w, h) = (60usize, 40usize);
        let mut pixels = vec![250u8; w * h];
        let mut ink = |x: usize, y: usize| {
            for dy in 0..3 {
                for dx in 0..3 {
                    pixels[(y + dy) * w + x + dx] = 20;
                }
            }
        };
        for y in 10..32 {
            ink(12, y); // a 1
        }
        for t in 0..64 {
            let a = t as f32 / 64.0 * std::f32::consts::TAU;
            ink(
                (40.0 + 7.0 * a.cos()) as usize,
                (21.0 + 10.0 * a.sin()) as usize,
            ); // a 0
        }
        let crop = Crop {
            pixels,
            width: w,
            height: h,
        };
        let (digits, _) = read_crop(&crop, 22.0);
        assert_eq!(digits, "10");
        let blank = Crop {
            pixels: vec![240; w * h],
            width: w,
            height: h,
        };
        assert_eq!(read_crop(&blank, 22.0).0, "");
    }
}
