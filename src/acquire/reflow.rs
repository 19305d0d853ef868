//! A PDF page's text from its layout: body lines joined into paragraphs, furniture left out,
//! footnotes apart.
//!
//! A PDF has no paragraphs, only lines: a task that wraps over three lines reads as three lines,
//! and the later stages, reading text, cannot tell a wrapped line from a new item. Here two lines
//! are one paragraph when their geometry says so: the first runs to the right margin (the next
//! line's first word would not have fitted after it), the second starts at the left margin or
//! under the first (not indented as a paragraph's first line is), close below it (not after
//! paragraph spacing), in the same size, and does not open with a list marker (`rules/
//! page_layout.toml`). Pieces of one visual line that the reader split (around a superscript)
//! are put back together. Superscript footnote markers are taken out of the words they are
//! glued to. Only PDFs go through here: `kehoach restore` works on text and keeps its lines.

use super::furniture::{self, Knowledge};
use super::layout::{Line, PageLayout, Role};

/// The page's text: one line per paragraph, page furniture and footnotes left out. Empty lines
/// of the layer stay (they part paragraphs).
pub fn text(page: &PageLayout) -> String {
    let k = Knowledge::get();
    let geometry = Geometry::of(page);
    let mut out = String::new();
    let mut prev: Option<&Line> = None;
    // Where the visual line `prev` belongs to starts (a reader may split one around a
    // superscript).
    let mut row_left = 0.0;
    for line in page.lines.iter().filter(|l| l.role == Role::Body) {
        let own = body_text(line, k);
        let joined = match prev {
            Some(a) if !a.words.is_empty() && !line.words.is_empty() => {
                geometry.join(a, row_left, line, &own, k)
            }
            _ => None,
        };
        match joined {
            Some((sep, same_row)) => {
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                out.push_str(sep);
                out.push_str(own.trim_start());
                if !same_row {
                    row_left = line.left();
                }
            }
            None => {
                if prev.is_some() {
                    out.push('\n');
                }
                out.push_str(&own);
                row_left = line.left();
            }
        }
        // A line of nothing but a glued superscript leaves the line before it in charge.
        if !own.trim().is_empty() || line.words.is_empty() {
            prev = Some(line);
        }
    }
    out
}

/// The texts of a document's consecutive text-layer pages ([`text`] each), with a paragraph
/// that runs on from one page to the next kept whole on the page where it starts: the later
/// stages join pages with a blank line, which would cut it in two.
pub fn texts(pages: &[&PageLayout]) -> Vec<String> {
    let k = Knowledge::get();
    let mut out: Vec<String> = pages.iter().map(|p| text(p)).collect();
    for i in 1..pages.len() {
        let (a, b) = (pages[i - 1], pages[i]);
        let last = a.lines.iter().rev().find(|l| is_body(l));
        let first = b.lines.iter().find(|l| is_body(l));
        let (Some(last), Some(first)) = (last, first) else {
            continue;
        };
        let own = body_text(first, k);
        if !Geometry::of(a).runs_on(last, first, &Geometry::of(b), &own, k) {
            continue;
        }
        let next = std::mem::take(&mut out[i]);
        let (head, rest) = next.split_once('\n').unwrap_or((&next, ""));
        let prev = &mut out[i - 1];
        let kept = prev.trim_end().len();
        prev.truncate(kept);
        prev.push(' ');
        prev.push_str(head.trim());
        out[i] = rest.to_string();
    }
    out
}

fn is_body(l: &Line) -> bool {
    l.role == Role::Body && !l.words.is_empty() && !l.text.trim().is_empty()
}

/// The page's footnotes, in order, each as one paragraph ("1 Quyết định số …"): a footnote
/// starts at a line that opens with a marker (a lone marker line is put before the line after
/// it).
pub fn footnotes(page: &PageLayout) -> Vec<String> {
    let k = Knowledge::get();
    let mut out: Vec<String> = vec![];
    let mut lone_marker = false;
    for line in page.lines.iter().filter(|l| l.role == Role::Footnote) {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        let starts = k.opens_footnote(text);
        match out.last_mut() {
            Some(last) if lone_marker || !starts => {
                last.push(' ');
                last.push_str(text);
            }
            _ => out.push(text.to_string()),
        }
        lone_marker = k.is_marker(text);
    }
    out
}

/// A line's text without its glued superscript markers.
fn body_text(line: &Line, k: &Knowledge) -> String {
    let mut text = line.text.clone();
    for w in line.words.iter().rev() {
        if k.is_superscript(line, w) {
            text.replace_range(w.start..w.start + w.text.len(), "");
        }
    }
    text
}

/// The page's margins and line pitch, measured on its body lines.
struct Geometry {
    left: f32,
    right: f32,
    size: f32,
    pitch: f32,
}

impl Geometry {
    fn of(page: &PageLayout) -> Geometry {
        let size = furniture::body_size(page).max(1.0);
        let lines: Vec<&Line> = page
            .lines
            .iter()
            .filter(|l| l.role == Role::Body && !l.words.is_empty())
            .filter(|l| near(l.size(), size))
            .collect();
        let mut rights: Vec<f32> = lines.iter().map(|l| l.right()).collect();
        let mut lefts: Vec<f32> = lines.iter().map(|l| l.left()).collect();
        rights.sort_by(f32::total_cmp);
        lefts.sort_by(f32::total_cmp);
        // Most lines of a justified page end at the margin; a few wider ones (a table) do not
        // move it.
        let right = percentile(&rights, 0.85).unwrap_or(page.width);
        let left = percentile(&lefts, 0.1).unwrap_or(0.0);
        let mut steps: Vec<f32> = lines
            .windows(2)
            .map(|w| w[0].baseline - w[1].baseline)
            .filter(|d| *d >= 0.9 * size && *d <= 2.5 * size)
            .collect();
        steps.sort_by(f32::total_cmp);
        let pitch = percentile(&steps, 0.5).unwrap_or(1.5 * size);
        Geometry {
            left,
            right,
            size,
            pitch,
        }
    }

    /// How line `b` (its text `own`) goes on from line `a`, whose visual line starts at
    /// `a_left`: `Some((separator, same visual line))` when it continues `a`'s paragraph,
    /// `None` when it starts a paragraph.
    fn join(
        &self,
        a: &Line,
        a_left: f32,
        b: &Line,
        own: &str,
        k: &Knowledge,
    ) -> Option<(&'static str, bool)> {
        let size = a.size().max(b.size()).max(1.0);
        let space = |gap: f32| {
            if a.text.ends_with(char::is_whitespace)
                || b.text.starts_with(char::is_whitespace)
                || gap >= 0.2 * size
            {
                " "
            } else {
                ""
            }
        };
        // The rest of the same visual line.
        let gap = b.left() - a.right();
        if (a.baseline - b.baseline).abs() <= 0.5 * size && gap >= -0.5 && gap <= size {
            return Some((space(gap), true));
        }
        // A wrapped line.
        let drop = a.baseline - b.baseline;
        let first = b.words[0].bbox;
        let room = self.right - a.right();
        let same_size = a.size().max(b.size()) <= 1.2 * a.size().min(b.size()).max(0.1);
        let close = drop >= 0.5 * size && drop <= k.max_pitch * self.pitch + 1.0;
        let full = room < (first.right - first.left) + 0.5 * size;
        let aligned = (b.left() - self.left).abs() <= 0.6 * size
            && a_left <= self.left + 4.0 * self.size
            || (b.left() - a_left).abs() <= 0.6 * size;
        let marker = k.list_marker.iter().any(|r| r.is_match(own.trim_start()));
        (same_size && close && full && aligned && !marker).then_some((" ", false))
    }
}

impl Geometry {
    /// Whether the first line `b` of the next page (`next` its geometry, `own` its text) goes
    /// on with the paragraph of this page's last line `a`: `a` runs to this page's margin
    /// without ending a sentence, `b` starts at the next page's left margin in the same size,
    /// with no list marker.
    fn runs_on(&self, a: &Line, b: &Line, next: &Geometry, own: &str, k: &Knowledge) -> bool {
        let size = a.size().max(b.size()).max(1.0);
        let first = b.words[0].bbox;
        let full = self.right - a.right() < (first.right - first.left) + 0.5 * size;
        let same_size = a.size().max(b.size()) <= 1.2 * a.size().min(b.size()).max(0.1);
        let at_margin = (b.left() - next.left).abs() <= 0.6 * size;
        let open = !a.text.trim_end().ends_with(['.', ';', ':', '!', '?']);
        let marker = k.list_marker.iter().any(|r| r.is_match(own.trim_start()));
        full && same_size && at_margin && open && !marker
    }
}

fn near(a: f32, b: f32) -> bool {
    a.max(b) <= 1.15 * a.min(b).max(0.1)
}

fn percentile(sorted: &[f32], q: f32) -> Option<f32> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() - 1) as f32 * q).round() as usize;
    Some(sorted[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::furniture::{mark, tests::page};

    const BODY: f32 = 14.0;

    #[test]
    fn wrapped_lines_become_one_paragraph_and_items_stay_apart() {
        // 7 pt a character: 64 characters reach the margin at 85 + 448 = 533.
        let mut p = page(&[
            ("KẾ HOẠCH", 260.0, 780.0, BODY),
            (
                "1. Các sở, ban, ngành rà soát thủ tục hành chính thuộc phạm",
                120.0,
                740.0,
                BODY,
            ),
            (
                "vi quản lý, báo cáo kết quả trước ngày 30 tháng 6 năm 2026, gửi về",
                85.0,
                721.5,
                BODY,
            ),
            ("Sở Nội vụ tổng hợp.", 85.0, 703.0, BODY),
            (
                "2. Ủy ban nhân dân các xã tổ chức tuyên truyền rộng rãi đến",
                120.0,
                684.5,
                BODY,
            ),
            (
                "- người dân trên địa bàn và các tổ chức, doanh nghiệp có liên quan",
                85.0,
                666.0,
                BODY,
            ),
            (
                "  Đoạn mới thụt đầu dòng bắt đầu ở đây và chạy tới lề phải luôn",
                120.0,
                647.5,
                BODY,
            ),
            ("nối tiếp dòng trên.", 85.0, 629.0, BODY),
        ]);
        mark(&mut [&mut p]);
        assert_eq!(
            text(&p),
            "KẾ HOẠCH\n\
             1. Các sở, ban, ngành rà soát thủ tục hành chính thuộc phạm vi quản lý, báo cáo kết \
             quả trước ngày 30 tháng 6 năm 2026, gửi về Sở Nội vụ tổng hợp.\n\
             2. Ủy ban nhân dân các xã tổ chức tuyên truyền rộng rãi đến\n\
             - người dân trên địa bàn và các tổ chức, doanh nghiệp có liên quan\n  \
             Đoạn mới thụt đầu dòng bắt đầu ở đây và chạy tới lề phải luôn nối tiếp dòng trên."
        );
    }

    #[test]
    fn a_short_line_ends_its_paragraph() {
        let mut p = page(&[
            (
                "Dòng đầu của đoạn văn bản hành chính chạy dài tới lề bên phải",
                85.0,
                740.0,
                BODY,
            ),
            ("như sau:", 85.0, 721.5, BODY),
            (
                "Tổ chức thực hiện kế hoạch này trên địa bàn toàn tỉnh ngay",
                85.0,
                703.0,
                BODY,
            ),
        ]);
        mark(&mut [&mut p]);
        assert_eq!(
            text(&p),
            "Dòng đầu của đoạn văn bản hành chính chạy dài tới lề bên phải như sau:\n\
             Tổ chức thực hiện kế hoạch này trên địa bàn toàn tỉnh ngay"
        );
    }
}
