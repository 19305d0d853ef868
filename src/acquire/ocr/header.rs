//! The header of an OCR'd page, laid out from its word boxes rather than from the order in
//! which Tesseract emitted its lines.
//!
//! Decree 30/2020/NĐ-CP sets the header in two columns: the issuing body, the number and a
//! letter's subject (`V/v …`) on the left; the Quốc hiệu, the Tiêu ngữ, the place and date on
//! the right. On a scan Tesseract reads them as blocks in any order, runs a line across both
//! columns (`ỦY BAN NHÂN DÂN _ CỘNG HÒA XÃ…`), or emits a subject's second line after the
//! right column; and stamps pressed above the header (`Ký bởi: …`, `Cơ quan: …`) come out
//! with their wrapped lines apart. Later steps read the page's text line by line, so the
//! header is rewritten here in the order its place gives:
//!
//! 1. what lies wholly above the header (stamps), in Tesseract's order, a line wrapped in its
//!    frame joined to the line above it;
//! 2. the left column, top to bottom, a subject's lines joined into one;
//! 3. the right column, top to bottom;
//! 4. everything from the first line below the number that runs across the columns' border
//!    (the document type's title, `Kính gửi`, the body), as read.
//!
//! The columns are placed from two anchors in the top of the page: the number's line (left)
//! and the Quốc hiệu or Tiêu ngữ (right); without both the page is left as read. Every word
//! is kept, with its box and the digit reader's blanks. Data: `rules/header_layout.toml`.

use crate::acquire::layout::{Line, PageLayout, Word};
use crate::fold::fold;
use regex::Regex;
use std::sync::OnceLock;

#[derive(serde::Deserialize)]
struct Raw {
    number_label: String,
    subject: Vec<String>,
    header_share: f32,
    column_gap: f32,
    subject_leading: f32,
    subject_lines: usize,
    wrap_indent: f32,
    wrap_leading: f32,
}

#[derive(serde::Deserialize)]
struct RawNational {
    national: Vec<String>,
}

/// `rules/header_layout.toml` (and `national` from `rules/stamps.toml`), compiled.
struct Knowledge {
    number_label: Regex,
    subject: Vec<Regex>,
    national: Vec<Regex>,
    /// The thresholds, as read.
    raw: Raw,
}

impl Knowledge {
    fn parse(layout: &str, stamps: &str) -> Result<Knowledge, String> {
        let raw: Raw = toml::from_str(layout).map_err(|e| e.to_string())?;
        let n: RawNational = toml::from_str(stamps).map_err(|e| e.to_string())?;
        let all = |v: &[String]| -> Result<Vec<Regex>, String> {
            v.iter()
                .map(|p| Regex::new(p).map_err(|e| e.to_string()))
                .collect()
        };
        Ok(Knowledge {
            number_label: Regex::new(&raw.number_label).map_err(|e| e.to_string())?,
            subject: all(&raw.subject)?,
            national: all(&n.national)?,
            raw,
        })
    }

    /// The built-in rules, loaded once (the acquire stage runs before any `--rules` folder is
    /// read, as for page furniture).
    fn get() -> &'static Knowledge {
        static K: OnceLock<Knowledge> = OnceLock::new();
        K.get_or_init(|| {
            let rules = crate::rules::Rules::builtin();
            let layout = rules.text("header_layout.toml").unwrap_or_default();
            let stamps = rules.text("stamps.toml").unwrap_or_default();
            Knowledge::parse(&layout, &stamps)
                .expect("embedded rules/header_layout.toml and stamps.toml are valid (tested)")
        })
    }
}

/// A line's height: the median of its words' heights (a stamp's speck or a seal's stroke read
/// as a word does not count for more than one).
fn height(l: &Line) -> f32 {
    let mut h: Vec<f32> = l
        .words
        .iter()
        .filter(|w| !w.text.trim().is_empty())
        .map(|w| w.bbox.top - w.bbox.bottom)
        .collect();
    if h.is_empty() {
        return 0.0;
    }
    h.sort_by(f32::total_cmp);
    h[h.len() / 2]
}

fn has_text(l: &Line) -> bool {
    l.words.iter().any(|w| !w.text.trim().is_empty())
}

/// A line made of `words` (in order), its text their texts joined by spaces, as OCR lines are.
fn line_of(words: Vec<Word>, figures: Vec<super::digits::Figures>) -> Line {
    let mut line = Line {
        figures,
        ..Line::default()
    };
    for mut w in words {
        if !line.text.is_empty() {
            line.text.push(' ');
        }
        w.start = line.text.len();
        line.text.push_str(&w.text);
        line.words.push(w);
    }
    line.baseline = line.foot();
    line
}

/// `b` appended to `a` (a wrapped line, a subject's next line).
fn join(a: Line, b: Line) -> Line {
    let mut figures = a.figures;
    figures.extend(b.figures);
    line_of(a.words.into_iter().chain(b.words).collect(), figures)
}

/// Where the first match of any of `res` starts on a line: the index of its word.
fn word_at(res: &[Regex], l: &Line) -> Option<usize> {
    let folded: Vec<String> = l.words.iter().map(|w| fold(&w.text)).collect();
    let joined = folded.join(" ");
    let at = res
        .iter()
        .filter_map(|r| r.find(&joined))
        .map(|m| m.start())
        .min()?;
    let mut pos = 0;
    for (i, f) in folded.iter().enumerate() {
        pos += f.len() + 1;
        if at < pos {
            return Some(i);
        }
    }
    None
}

/// The two columns' border and the header's anchors, when the page has a header.
struct Columns {
    /// x where the right column starts being likelier than the left.
    border: f32,
    /// Left edge of the Quốc hiệu or Tiêu ngữ: a line reaching past it runs across.
    right: f32,
    /// Lines whose foot lies above this are above the header.
    header_top: f32,
    /// The number's line (index).
    number: usize,
}

fn columns(page: &PageLayout, k: &Knowledge) -> Option<Columns> {
    let top_limit = page.height * (1.0 - k.raw.header_share);
    let in_top = |l: &Line| has_text(l) && l.baseline >= top_limit;
    let number = page
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| in_top(l) && k.number_label.is_match(&fold(&l.text)))
        .max_by(|a, b| a.1.baseline.total_cmp(&b.1.baseline))?
        .0;
    let mut right = f32::MAX;
    let mut header_top = f32::MIN;
    for l in page.lines.iter().filter(|l| in_top(l)) {
        if let Some(i) = word_at(&k.national, l) {
            right = right.min(l.words[i].bbox.left);
            header_top = header_top.max(l.top());
        }
    }
    if right == f32::MAX {
        return None;
    }
    let left = page.lines[number]
        .words
        .iter()
        .filter(|w| w.bbox.left < right)
        .map(|w| w.bbox.right)
        .fold(f32::MIN, f32::max);
    (left > f32::MIN && left < right).then_some(Columns {
        border: (left + right) / 2.0,
        right,
        header_top,
        number,
    })
}

/// Where a line splits into the left column's part and the right's: after its last word
/// (of letters or figures) that starts left of the border, when the next such word starts a
/// gap of `gap` line heights further (marks between them, `_` or a seal's speck, go right).
/// `Some(0)` for a line wholly in the right column, `None` for one wholly in the left or
/// running across (no gap).
fn split_at(l: &Line, border: f32, gap: f32) -> Option<usize> {
    let h = height(l).max(1.0);
    let alnum = |w: &Word| w.text.chars().any(char::is_alphanumeric);
    let next = l
        .words
        .iter()
        .position(|w| alnum(w) && w.bbox.left >= border)?;
    let Some(prev) = l.words[..next].iter().rposition(alnum) else {
        return Some(0);
    };
    (l.words[next].bbox.left - l.words[prev].bbox.right >= gap * h).then_some(prev + 1)
}

/// Lines top to bottom, a row's lines (baselines within half a line) left to right.
fn top_down(mut lines: Vec<Line>) -> Vec<Line> {
    lines.sort_by(|a, b| b.baseline.total_cmp(&a.baseline));
    let mut out: Vec<Line> = vec![];
    let mut row: Vec<Line> = vec![];
    for l in lines {
        let same = row
            .first()
            .is_some_and(|f| f.baseline - l.baseline < 0.5 * height(f).min(height(&l)).max(1.0));
        if !same && !row.is_empty() {
            row.sort_by(|a, b| a.left().total_cmp(&b.left()));
            out.append(&mut row);
        }
        row.push(l);
    }
    row.sort_by(|a, b| a.left().total_cmp(&b.left()));
    out.append(&mut row);
    out
}

/// `b` runs on from `a` within `leading` line heights below it.
fn below(a: &Line, b: &Line, leading: f32) -> bool {
    let h = height(a).max(height(b)).max(1.0);
    let d = a.baseline - b.baseline;
    d > 0.0 && d <= leading * h
}

/// A line that opens with a label of its own (`Cơ quan:`, `Giờ ký:`): not a wrapped line.
fn labelled(l: &Line) -> bool {
    l.words.iter().take(3).any(|w| w.text.ends_with(':'))
}

/// Lay the header of an OCR'd page out from its boxes (see the module's doc). Returns whether
/// the lines changed.
pub fn relayout(page: &mut PageLayout) -> bool {
    let k = Knowledge::get();
    let Some(c) = columns(page, k) else {
        return false;
    };
    let number_foot = page.lines[c.number].baseline;
    // The header ends at the first line below the number that runs across the columns: from
    // the left column's side to past where the right column starts (a subject's line may
    // reach a little beyond the number's), with no gap between.
    let end_y = page
        .lines
        .iter()
        .filter(|l| has_text(l) && l.baseline < number_foot)
        .filter(|l| l.left() < c.border && l.right() > c.right + k.raw.column_gap * height(l))
        .filter(|l| split_at(l, c.border, k.raw.column_gap).is_none())
        .map(|l| l.baseline)
        .fold(f32::MIN, f32::max);
    let top_limit = page.height * (1.0 - k.raw.header_share);
    let in_zone = |l: &Line| has_text(l) && l.baseline > end_y && l.baseline >= top_limit;
    let Some(first) = page.lines.iter().position(in_zone) else {
        return false;
    };
    let last = page.lines.iter().rposition(in_zone).unwrap_or(first);
    let old: Vec<String> = page.lines.iter().map(|l| l.text.clone()).collect();
    let lines = std::mem::take(&mut page.lines);
    let (mut above, mut left, mut right, mut aside) = (vec![], vec![], vec![], vec![]);
    let mut before = vec![];
    let mut after = vec![];
    let mut blank_since = false;
    for (i, l) in lines.into_iter().enumerate() {
        if i < first {
            before.push(l);
            continue;
        }
        if i > last {
            after.push(l);
            continue;
        }
        if !has_text(&l) {
            blank_since = true;
            // Kept between lines left where they were (the body, read before a stamp).
            if aside.last().is_some_and(has_text) {
                aside.push(Line::default());
            }
            continue;
        }
        if !in_zone(&l) {
            aside.push(l);
            continue;
        }
        if l.baseline > c.header_top {
            above.push((l, std::mem::take(&mut blank_since)));
            continue;
        }
        blank_since = false;
        match split_at(&l, c.border, k.raw.column_gap) {
            None => left.push(l),
            Some(0) => right.push(l),
            Some(at) => {
                let mut words = l.words;
                let tail = words.split_off(at);
                // The digit reader's blanks go with the part they lie in.
                let (fl, fr): (Vec<_>, Vec<_>) = l
                    .figures
                    .into_iter()
                    .partition(|f| ((f.bbox.0 + f.bbox.2) as f32 / 2.0) < c.border);
                left.push(line_of(words, fl));
                right.push(line_of(tail, fr));
            }
        }
    }
    // Above the header: a stamp's wrapped lines joined, blank lines kept between blocks.
    let mut out = before;
    let mut prev_above: Option<Line> = None;
    for (l, blank) in above {
        match prev_above.take() {
            Some(p)
                if !blank
                    && !labelled(&l)
                    && (l.left() - p.left()).abs()
                        <= k.raw.wrap_indent * height(&p).max(height(&l))
                    && below(&p, &l, k.raw.wrap_leading) =>
            {
                prev_above = Some(join(p, l));
            }
            Some(p) => {
                out.push(p);
                if blank {
                    out.push(Line::default());
                }
                prev_above = Some(l);
            }
            None => prev_above = Some(l),
        }
    }
    if let Some(p) = prev_above {
        out.push(p);
        out.push(Line::default());
    }
    // The left column, a subject's lines joined.
    let mut left = top_down(left).into_iter().peekable();
    while let Some(mut l) = left.next() {
        if k.subject.iter().any(|r| r.is_match(&fold(&l.text))) {
            let mut n = 0;
            while n < k.raw.subject_lines
                && let Some(next) = left.next_if(|b| {
                    let under = b.left() < l.right() && b.right() > l.left();
                    under && below(&l, b, k.raw.subject_leading)
                })
            {
                l = join(l, next);
                n += 1;
            }
        }
        out.push(l);
    }
    out.extend(top_down(right));
    while aside.last().is_some_and(|l| !has_text(l)) {
        aside.pop();
    }
    if !aside.is_empty() {
        out.push(Line::default());
        out.extend(aside);
    }
    if blank_since {
        out.push(Line::default());
    }
    out.extend(after);
    page.lines = out;
    page.lines.iter().map(|l| &l.text).ne(old.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::layout::BBox;

    /// A line of words set from `x` with its foot at `y` (y up), 20 px a character, 40 px
    /// high, one space (20 px) between words; `|` in `text` opens a gap of 400 px.
    fn line(text: &str, x: f32, y: f32) -> Line {
        let mut words = vec![];
        let mut left = x;
        for w in text.split(' ') {
            if w == "|" {
                left += 400.0;
                continue;
            }
            let right = left + 20.0 * w.chars().count() as f32;
            words.push(Word {
                text: w.to_string(),
                bbox: BBox {
                    left,
                    bottom: y,
                    right,
                    top: y + 40.0,
                },
                size: 40.0,
                start: 0,
                stamped: false,
                conf: Some(0.9),
            });
            left = right + 20.0;
        }
        line_of(words, vec![])
    }

    fn page(lines: Vec<Line>) -> PageLayout {
        PageLayout {
            width: 2400.0,
            height: 3400.0,
            lines,
        }
    }

    #[test]
    fn columns_subject_and_stamp_are_read_from_their_place() {
        let mut p = page(vec![
            line("Ký bởi: Ủy ban nhân", 1700.0, 3300.0),
            line("dân tỉnh A", 1700.0, 3250.0),
            Line::default(),
            // Across both columns, as Tesseract ran it.
            line(
                "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                300.0,
                3100.0,
            ),
            line("TỈNH A", 400.0, 3040.0),
            line("Số: 12/UBND-KT", 350.0, 2980.0),
            line("V/v triển khai thực hiện", 300.0, 2920.0),
            line("Độc lập - Tự do - Hạnh phúc", 1300.0, 3040.0),
            line("A, ngày 3 tháng 4 năm 2025", 1250.0, 2930.0),
            // The subject's second line, emitted after the right column.
            line("Giấy phép loại 1", 350.0, 2860.0),
            Line::default(),
            line("Kính gửi: Các sở, ban, ngành và các đơn vị", 700.0, 2700.0),
        ]);
        assert!(relayout(&mut p));
        assert_eq!(
            p.text(),
            "Ký bởi: Ủy ban nhân dân tỉnh A\n\nỦY BAN NHÂN DÂN\nTỈNH A\nSố: 12/UBND-KT\n\
             V/v triển khai thực hiện Giấy phép loại 1\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Độc lập - Tự do - Hạnh phúc\nA, ngày 3 tháng 4 năm 2025\n\n\
             Kính gửi: Các sở, ban, ngành và các đơn vị"
        );
        // Words keep their offsets into their line.
        for l in &p.lines {
            for w in &l.words {
                assert_eq!(&l.text[w.start..w.start + w.text.len()], w.text);
            }
        }
        // Laid out once, the page stays as it is.
        assert!(!relayout(&mut p));
    }

    #[test]
    fn an_urgency_mark_run_into_the_date_is_a_line_of_its_own() {
        // Decree 30 sets the mark under the number; OCR ran it into the date beside it.
        let mut p = page(vec![
            line(
                "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                300.0,
                3100.0,
            ),
            line("Số: 15/UBND-KT", 350.0, 3040.0),
            line("HỎA TỐC | An Giang, ngày 2 tháng 9 năm 2025", 400.0, 2980.0),
            line("V/v ứng phó với bão", 300.0, 2920.0),
            line("Kính gửi: Các sở, ban, ngành và các đơn vị", 700.0, 2800.0),
        ]);
        assert!(relayout(&mut p));
        let lines: Vec<&str> = p.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            lines[..6],
            [
                "ỦY BAN NHÂN DÂN",
                "Số: 15/UBND-KT",
                "HỎA TỐC",
                "V/v ứng phó với bão",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "An Giang, ngày 2 tháng 9 năm 2025",
            ]
        );
    }

    #[test]
    fn a_page_without_both_anchors_is_left_as_read() {
        let lines = vec![
            line("Số: 12/UBND-KT", 350.0, 2980.0),
            line("Giấy phép loại 1", 1350.0, 3060.0),
        ];
        let mut p = page(lines.clone());
        assert!(!relayout(&mut p));
        assert_eq!(p.lines, lines);
    }

    #[test]
    fn the_built_in_rules_load() {
        let _ = Knowledge::get();
    }
}
