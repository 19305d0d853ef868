//! Headings, their levels and kinds, the section tree, and the closing blocks (`Nơi nhận`,
//! signature, appendices).
//!
//! Levels are not fixed by label style: plans use `I.` under `A.` as often as the reverse. As in
//! Markdown, the order in which label styles first appear decides nesting: a style already open
//! closes back to its level (a sibling), a new style opens a level below (a child).

pub use super::kinds::section_kind;
pub use super::lines::lines;
use super::types::{Header, Item, Line, Outline, Section, Signature};
use crate::contract::SectionKind;
use crate::fold::{fold, is_upper};
use crate::rules::Rules;
use crate::span::trim_range;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Label styles, in no particular order: levels come from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `PHẦN I`, `Phần thứ nhất`, `CHƯƠNG II`.
    Part,
    /// `I.`, `IV.`
    Roman,
    /// `A.`, `B.`
    Upper,
    /// `1.` is depth 1, `1.1.` depth 2…
    Decimal(u8),
    /// `a)`, `b.`
    Lower,
    /// No label: a heading in capitals on its own line (`TỔ CHỨC THỰC HIỆN`), see `bare.rs`.
    Bare,
    /// `Điều 2.`: an article of a decision (quyết định) or a regulation, each one what the
    /// document directs; under a `CHƯƠNG`, else at the top.
    Article,
}

/// A labelled line: its style, label, and where the heading text starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub style: Style,
    pub label: String,
    /// Byte range of the text after the label.
    pub rest: Range<usize>,
}

static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:ph[aâầ]n|chương|chuong)\s+(thứ\s+\S+|[IVXLC]+|\d+)\s*[.:\-–]?\s*").unwrap()
});
/// `Điều 2.` / `Điều 2:` at the start of a line (a citation inside a sentence is not at one).
static ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})\s*[.:]\s*").unwrap());
/// Roman numerals; `1` and `l` are accepted inside one (`I11.` is how OCR reads `III.`).
static ROMAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([IVXL][IVXL1l]*)\s*[.)/:\-–]\s*").unwrap());
static UPPER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([A-HK-UĐ])\s*[.)]\s+").unwrap());
static DECIMAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\s*(?:\.\s*|\)\s*|\s+-\s+)").unwrap()
});
static LOWER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([a-hk-zđ])\s*[).]\s+").unwrap());
/// Bullets: items, never sections.
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([-+•–—*·∙○●■□▪►✓➢]+)\s*").unwrap());

fn roman_value(s: &str) -> Option<u32> {
    let mut total = 0;
    let mut prev = 0;
    for c in s.chars().rev() {
        let v = match c {
            'I' | '1' | 'l' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            _ => return None,
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    (1..=40).contains(&total).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    let mut s = String::new();
    for (v, r) in [
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// The label of a line, if it has one.
pub fn label(text: &str, line: &Range<usize>) -> Option<Label> {
    let s = &text[line.clone()];
    let mk = |style, label: String, len: usize| {
        Some(Label {
            style,
            label,
            rest: line.start + len..line.end,
        })
    };
    if let Some(c) = PART.captures(s) {
        return mk(Style::Part, c[1].to_string(), c.get(0).unwrap().end());
    }
    if let Some(c) = ARTICLE.captures(s) {
        return mk(
            Style::Article,
            format!("Điều {}", &c[1]),
            c.get(0).unwrap().end(),
        );
    }
    if let Some(c) = ROMAN.captures(s)
        && let Some(v) = roman_value(&c[1])
    {
        // A single `I`/`V`/`X` followed by a lower-case word is a sentence, not a label.
        let rest = &s[c.get(0).unwrap().end()..];
        if rest
            .chars()
            .next()
            .is_some_and(|ch| ch.is_uppercase() || ch.is_numeric())
        {
            return mk(Style::Roman, to_roman(v), c.get(0).unwrap().end());
        }
    }
    if let Some(c) = UPPER.captures(s) {
        let rest = &s[c.get(0).unwrap().end()..];
        if rest.chars().next().is_some_and(char::is_uppercase) {
            return mk(Style::Upper, c[1].to_string(), c.get(0).unwrap().end());
        }
    }
    if let Some(c) = DECIMAL.captures(s) {
        let depth = c[1].split('.').count() as u8;
        let rest = &s[c.get(0).unwrap().end()..];
        // `2023 …` or `1.000 người` are numbers, not labels.
        if !rest.is_empty() && !rest.starts_with(|ch: char| ch.is_ascii_digit() || ch == '%') {
            return mk(
                Style::Decimal(depth),
                c[1].to_string(),
                c.get(0).unwrap().end(),
            );
        }
    }
    if let Some(c) = LOWER.captures(s) {
        return mk(Style::Lower, c[1].to_string(), c.get(0).unwrap().end());
    }
    None
}

pub fn segment(text: &str, rules: &Rules) -> Outline {
    segment_pages(text, &[0], rules)
}

/// [`segment`] of a text whose pages start at `page_starts`: stamps over a scan's text are
/// found first (page by page, [`super::stamps`]) and their lines left empty for what follows.
pub fn segment_pages(text: &str, page_starts: &[usize], rules: &Rules) -> Outline {
    let all = lines(text);
    let stamps = super::stamps::find(text, &all, page_starts, rules);
    let lines = super::stamps::without(text, &all, &stamps, rules);
    let mut o = Outline {
        lines: lines.clone(),
        stamps,
        ..Outline::default()
    };
    let nonempty = |i: usize| !lines[i].range.is_empty();

    // 1. The document-type line, within the first part of the text.
    let type_at = find_type_line(text, &lines, rules);
    // 2. The header: everything before the type line, or before the first body line.
    let body_from = match type_at {
        Some((i, _)) => i,
        None => (0..lines.len())
            .find(|&i| {
                nonempty(i)
                    && (is_basis_opener(text, &lines[i].range, rules)
                        || label(text, &lines[i].range).is_some_and(|l| l.style != Style::Lower))
            })
            .unwrap_or(0),
    };
    // A letter has no type line but a subject line (`V/v …`) in its header: that is its title,
    // and the header runs on to the addressees (`Kính gửi`) when the right column comes after.
    let subject = match type_at {
        None => super::subject::find(text, &lines, lines.len().min(40), rules),
        Some(_) => None,
    };
    let body_from = match &subject {
        Some(s) => super::subject::addressee_line(text, &lines, s.next, rules).unwrap_or(
            if body_from > s.next {
                body_from
            } else {
                s.next
            },
        ),
        None => body_from,
    };
    o.header = match &subject {
        Some(s) => super::header::parse(text, &without(&lines[..body_from], &s.ranges), rules),
        None => super::header::parse(text, &lines[..body_from], rules),
    };
    if let Some(s) = subject {
        o.title = s.ranges;
        o.letter = true;
    }
    // 3. Type and title.
    let mut i = body_from;
    if let Some((ti, type_range)) = type_at {
        o.doc_type = Some(type_range.clone());
        let after = trim_range(text, type_range.end..lines[ti].range.end);
        if !after.is_empty() {
            o.title.push(after);
        }
        i = ti + 1;
        i = take_title(text, &lines, i, rules, &mut o.title);
    }
    // 4. Where the body ends: `Nơi nhận`, or the signature.
    let closing = find_closing(text, &lines, i, rules);
    let body_end = closing.unwrap_or(lines.len());
    // 5. Preamble: paragraphs before the first heading.
    let first_heading = (i..body_end)
        .find(|&j| {
            nonempty(j)
                && (label(text, &lines[j].range).is_some_and(|l| l.style != Style::Lower)
                    || super::bare::is_bare_heading(text, &lines, j, rules))
        })
        .unwrap_or(body_end);
    for line in &lines[i..first_heading] {
        if !line.range.is_empty() {
            o.preamble.push(line.range.clone());
        }
    }
    // 6. Sections.
    o.sections = build_tree(text, &lines[first_heading..body_end], rules);
    // 7. Closing blocks.
    if let Some(c) = closing {
        let (recipients, signature, appendix) = closing_blocks(text, &lines[c..], rules);
        o.recipients = recipients;
        o.signature = signature;
        o.appendix_start = appendix;
    }
    o.tables = super::table::find(text, &lines, &o);
    o
}

/// `lines` with the parts `cut` removed: a line a cut lies in becomes its parts before and
/// after it.
fn without(lines: &[Line], cut: &[Range<usize>]) -> Vec<Line> {
    let mut out = vec![];
    for l in lines {
        let mut pieces = vec![l.range.clone()];
        for c in cut {
            pieces = pieces
                .into_iter()
                .flat_map(|p| {
                    if c.start >= p.end || c.end <= p.start {
                        return vec![p];
                    }
                    vec![p.start..c.start.max(p.start), c.end.min(p.end)..p.end]
                })
                .filter(|p| !p.is_empty())
                .collect();
        }
        out.extend(pieces.into_iter().map(|range| Line {
            range,
            raw: l.raw.clone(),
            tabs: l.tabs,
        }));
    }
    out
}

fn is_basis_opener(text: &str, r: &Range<usize>, rules: &Rules) -> bool {
    let f = fold(&text[r.clone()]);
    rules.bodies.basis_openers.iter().any(|o| {
        let o = fold(o);
        f.starts_with(&o) && f[o.len()..].starts_with(' ')
    })
}

/// The line naming the document type in capitals (`KẾ HOẠCH`), possibly followed by the
/// title on the same line. Returns the line index and the type word's byte range.
fn find_type_line(text: &str, lines: &[Line], rules: &Rules) -> Option<(usize, Range<usize>)> {
    for (i, line) in lines.iter().enumerate().take(60) {
        let s = &text[line.range.clone()];
        let f = fold(s);
        for t in &rules.doc_types.types {
            let name = fold(&t.name);
            if f.starts_with(&name)
                && (f.len() == name.len() || f[name.len()..].starts_with([' ', ':']))
            {
                let type_len = s
                    .char_indices()
                    .nth(t.name.chars().count())
                    .map_or(s.len(), |(b, _)| b);
                if is_upper(&s[..type_len]) {
                    return Some((i, line.range.start..line.range.start + type_len));
                }
            }
        }
    }
    None
}

/// Title lines after the type line: the first non-empty line, then lines that continue it.
fn take_title(
    text: &str,
    lines: &[Line],
    mut i: usize,
    rules: &Rules,
    title: &mut Vec<Range<usize>>,
) -> usize {
    while i < lines.len() && lines[i].range.is_empty() {
        i += 1;
    }
    if title.is_empty() && i < lines.len() && label(text, &lines[i].range).is_none() {
        title.push(lines[i].range.clone());
        i += 1;
    }
    loop {
        let mut j = i;
        while j < lines.len() && lines[j].range.is_empty() {
            j += 1;
        }
        if j >= lines.len() || title.len() >= 4 {
            return i;
        }
        let s = &text[lines[j].range.clone()];
        let prev = title.last().map(|r| &text[r.clone()]).unwrap_or("");
        let continues = !prev.ends_with(['.', ';', ':'])
            && label(text, &lines[j].range).is_none()
            && !super::bare::is_bare_heading(text, lines, j, rules)
            && !is_basis_opener(text, &lines[j].range, rules)
            && !s.starts_with('(')
            && (s.starts_with(|c: char| c.is_lowercase())
                || (j == i && s.chars().count() < 120 && !s.ends_with(['.', ';', ':'])));
        if !continues {
            return i;
        }
        title.push(lines[j].range.clone());
        i = j + 1;
    }
}

/// The first line of the closing: `Nơi nhận`, or a signature authority line (`TM.`, `KT.`).
fn find_closing(text: &str, lines: &[Line], from: usize, rules: &Rules) -> Option<usize> {
    let label = &rules.bodies.recipients_label;
    let n = lines.len();
    (from..n).find(|&i| {
        let f = fold(&text[lines[i].range.clone()]);
        f.starts_with(label.as_str())
            || (i > from + 3
                // Near the end, or a block in capitals (`TM. BAN THƯỜNG VỤ`) that the
                // recipients may follow when the right column was flattened first.
                && (i + 12 > n || is_upper(&text[lines[i].range.clone()]))
                && authority_at_start(&text[lines[i].range.clone()], rules).is_some()
                && lines[i..].iter().filter(|l| !l.range.is_empty()).count() < 30)
    })
}

/// `TM. ỦY BAN NHÂN DÂN` → the authority prefix length.
fn authority_at_start(s: &str, rules: &Rules) -> Option<usize> {
    rules
        .bodies
        .authority
        .iter()
        .find(|a| s.starts_with(a.as_str()) && s.len() > a.len())
        .map(|a| a.len())
}

/// A numbered line whose next line is body text of its own (bullets, lettered items, a
/// paragraph), not a sibling number, heads a block: `3. Tích cực triển khai … thành phố` then
/// `- Các cơ quan…`. A long numbered paragraph followed by the next number is an item.
fn opens_block(text: &str, next: &[Line], style: Style, rest: &str) -> bool {
    let Some(n) = next.iter().find(|l| !l.range.is_empty()) else {
        return false;
    };
    let next_label = label(text, &n.range);
    if next_label
        .as_ref()
        .is_some_and(|l| l.style == style || !matches!(l.style, Style::Lower))
    {
        return false;
    }
    // Lettered items or bullets under it: it heads them, however it ends.
    if next_label.is_some() || BULLET.is_match(&text[n.range.clone()]) {
        return true;
    }
    let short = rest.chars().count() <= 100;
    !rest.ends_with(['.', ';']) || short
}

fn heading_like(s: &str) -> bool {
    let n = s.chars().count();
    n > 0 && (is_upper(s) || (n <= 160 && !s.ends_with(['.', ';', ','])))
}

/// Where a run-in heading ends: `Mục tiêu chung: Tiếp tục…` → before the colon.
fn run_in(s: &str, rules: &Rules) -> Option<usize> {
    let c = s.find(':')?;
    let head = &s[..c];
    // `Kinh phí thực hiện bao gồm: …` introduces a list; it is a sentence, not a heading.
    let hf = fold(head.trim());
    if rules
        .headings
        .list_introducers
        .iter()
        .any(|w| hf.ends_with(&fold(w)))
    {
        return None;
    }
    let words = head.split_whitespace().count();
    let after = s[c + 1..].trim();
    ((1..=12).contains(&words)
        && head.chars().count() <= 80
        && !after.is_empty()
        && !head.contains(['.', ';']))
    .then_some(c)
}

struct Open {
    style: Style,
    section: Section,
}

/// Build the section tree from the body lines.
fn build_tree(text: &str, lines: &[Line], rules: &Rules) -> Vec<Section> {
    let mut roots: Vec<Section> = vec![];
    let mut stack: Vec<Open> = vec![];
    let mut current_item: Option<Item> = None;
    let mut prev_blank = true;
    let mut heading_open = false;

    fn close_item(stack: &mut [Open], item: &mut Option<Item>) {
        if let Some(it) = item.take()
            && let Some(top) = stack.last_mut()
        {
            top.section.items.push(it);
        }
    }
    fn pop(stack: &mut Vec<Open>, roots: &mut Vec<Section>, end: usize) {
        if let Some(mut o) = stack.pop() {
            o.section.range.end = o.section.range.end.max(end);
            match stack.last_mut() {
                Some(parent) => parent.section.children.push(o.section),
                None => roots.push(o.section),
            }
        }
    }

    let mut last_end = lines.first().map_or(0, |l| l.range.start);
    // Label styles whose numbered paragraphs open sections because the first of them came
    // before any heading (a notice's or letter's `1. Sở X chủ trì … .` paragraphs).
    let mut paragraph_styles: Vec<Style> = vec![];
    for (li, line) in lines.iter().enumerate() {
        let r = line.range.clone();
        if r.is_empty() {
            if !page_gap(text, lines, li) {
                prev_blank = true;
                heading_open = false;
            }
            continue;
        }
        let s = &text[r.clone()];
        let lab = label(text, &r).or_else(|| {
            super::bare::is_bare_heading(text, lines, li, rules).then(|| Label {
                style: Style::Bare,
                label: String::new(),
                rest: trim_range(
                    text,
                    r.start + (s.len() - s.trim_start_matches(['*', '_', '#', ' ']).len())
                        ..r.start + s.trim_end_matches(['*', '_', '#', ' ']).len(),
                ),
            })
        });
        let is_heading = match &lab {
            Some(l) => {
                let rest = &text[l.rest.clone()];
                match l.style {
                    Style::Part | Style::Roman | Style::Upper | Style::Bare | Style::Article => {
                        true
                    }
                    Style::Decimal(_) => {
                        heading_like(rest)
                            || run_in(rest, rules).is_some()
                            || opens_block(text, &lines[li + 1..], l.style, rest)
                    }
                    Style::Lower => {
                        heading_like(rest)
                            && !rest.ends_with(['.', ';'])
                            && rest.chars().count() <= 120
                    }
                }
            }
            None => false,
        };
        // A numbered paragraph with no section open to hold it (the body starts with `1. …`
        // paragraphs, now one line each): it is a section of its own, and so are the later
        // paragraphs numbered in its style, its siblings.
        let paragraph = !is_heading
            && lab.as_ref().is_some_and(|l| {
                l.style != Style::Lower
                    && (stack.is_empty()
                        || paragraph_styles.contains(&l.style)
                            && stack.iter().any(|o| o.style == l.style))
            });
        let is_heading = is_heading || paragraph;
        if stack.is_empty()
            && let Some(l) = lab.as_ref().filter(|_| is_heading)
            && !paragraph_styles.contains(&l.style)
        {
            paragraph_styles.push(l.style);
        }
        if let (true, Some(l)) = (is_heading, lab.clone()) {
            close_item(&mut stack, &mut current_item);
            // Close open sections down to this style's level.
            if let Some(pos) = stack.iter().rposition(|o| o.style == l.style) {
                while stack.len() > pos {
                    pop(&mut stack, &mut roots, last_end);
                }
            } else if matches!(l.style, Style::Part) {
                while !stack.is_empty() {
                    pop(&mut stack, &mut roots, last_end);
                }
            } else if matches!(l.style, Style::Bare | Style::Article) {
                // A part of the plan: a child of an open `PHẦN`, else at the top.
                let keep = stack
                    .iter()
                    .rposition(|o| o.style == Style::Part)
                    .map_or(0, |p| p + 1);
                while stack.len() > keep {
                    pop(&mut stack, &mut roots, last_end);
                }
            }
            let rest = &text[l.rest.clone()];
            let (heading, run) = match run_in(rest, rules) {
                Some(c) if !is_upper(rest) => (
                    trim_range(text, l.rest.start..l.rest.start + c),
                    Some(trim_range(text, l.rest.start + c + 1..l.rest.end)),
                ),
                _ => (l.rest.clone(), None),
            };
            // `4. Phòng Văn hóa và Thông tin,`: the heading is the name, not its punctuation.
            let heading = {
                let h = &text[heading.clone()];
                heading.start..heading.start + h.trim_end_matches([',', ':', ';', '.', ' ']).len()
            };
            let parent_kind = stack.last().map(|o| o.section.kind);
            // Such a paragraph is what the document directs, not a part's name: its words
            // (a "căn cứ" or a "kinh phí" inside a sentence) say nothing of its kind.
            let kind = if paragraph {
                SectionKind::Tasks
            } else {
                section_kind(&text[heading.clone()], parent_kind, rules)
            };
            // `5.1` under `5` adds only its last part to the path: `II.5.1`.
            let own = match (stack.last(), l.style) {
                (Some(p), Style::Decimal(d))
                    if d > 1 && l.label.starts_with(&format!("{}.", p.section.label)) =>
                {
                    l.label.rsplit('.').next().unwrap_or(&l.label).to_string()
                }
                // An unlabelled heading is named in paths by its place among its siblings.
                _ if l.style == Style::Bare => {
                    let n = stack
                        .last()
                        .map_or(roots.len(), |p| p.section.children.len());
                    (n + 1).to_string()
                }
                _ => l.label.clone(),
            };
            let path = match stack.last() {
                Some(p) => format!("{}.{}", p.section.path, own),
                None => own,
            };
            heading_open = run.is_none() && !rest.ends_with(['.', ';', ':']);
            stack.push(Open {
                style: l.style,
                section: Section {
                    label: l.label,
                    heading,
                    kind,
                    range: r.clone(),
                    run_in: run,
                    items: vec![],
                    children: vec![],
                    path,
                },
            });
            last_end = r.end;
            prev_blank = false;
            continue;
        }
        if stack.is_empty() {
            // Text before any heading inside the body (should not happen: the preamble took it).
            last_end = r.end;
            continue;
        }
        // A hard-wrapped heading continues on a line starting in lower case.
        if heading_open
            && current_item.is_none()
            && lab.is_none()
            && s.starts_with(|c: char| c.is_lowercase())
        {
            let top = stack.last_mut().unwrap();
            top.section.heading.end = r.end;
            top.section.range.end = r.end;
            last_end = r.end;
            continue;
        }
        heading_open = false;
        let bullet = BULLET.captures(s);
        match (&lab, bullet) {
            (Some(l), _) => {
                close_item(&mut stack, &mut current_item);
                current_item = Some(Item {
                    marker: format!("{})", l.label),
                    range: l.rest.clone(),
                });
            }
            (None, Some(b)) => {
                close_item(&mut stack, &mut current_item);
                let m = b.get(0).unwrap();
                current_item = Some(Item {
                    marker: b[1].to_string(),
                    range: r.start + m.end()..r.end,
                });
            }
            (None, None) => {
                if prev_blank || current_item.is_none() || line.tabs > 0 {
                    close_item(&mut stack, &mut current_item);
                    current_item = Some(Item {
                        marker: String::new(),
                        range: r.clone(),
                    });
                } else if let Some(it) = current_item.as_mut() {
                    it.range.end = r.end;
                }
            }
        }
        last_end = r.end;
        prev_blank = false;
    }
    close_item(&mut stack, &mut current_item);
    while !stack.is_empty() {
        pop(&mut stack, &mut roots, last_end);
    }
    roots
}

/// A blank line inside a sentence: a page break (or a scan's gap) between a line that ends
/// mid-sentence and one that goes on in lower case with no label or bullet
/// (`… phụ trách việc kiểm` / `tra các nội dung …`). It separates nothing.
fn page_gap(text: &str, lines: &[Line], i: usize) -> bool {
    let Some(prev) = lines[..i].iter().rev().find(|l| !l.range.is_empty()) else {
        return false;
    };
    let Some(next) = lines[i + 1..].iter().find(|l| !l.range.is_empty()) else {
        return false;
    };
    let p = text[prev.range.clone()].trim_end();
    let n = &text[next.range.clone()];
    !p.ends_with(['.', ';', ':', '!', '?', ','])
        && !p.contains('|')
        && n.starts_with(|c: char| c.is_lowercase())
        && label(text, &next.range).is_none()
        && !BULLET.is_match(n)
}

/// `Nơi nhận` entries, the signature, and where appendices begin.
///
/// Flattened two-column closings put a recipient and a signature line on one line
/// (`- TT HĐND huyện;        KT. CHỦ TỊCH`): the signature part is cut off at an authority
/// prefix or a trailing run of capitals.
fn closing_blocks(
    text: &str,
    lines: &[Line],
    rules: &Rules,
) -> (Vec<Range<usize>>, Option<Signature>, Option<usize>) {
    let mut recipients = vec![];
    let mut sig_lines: Vec<Range<usize>> = vec![];
    let mut appendix = None;
    let label = &rules.bodies.recipients_label;
    let mut in_recipients = false;
    let mut name_found = false;
    for line in lines {
        let r = line.range.clone();
        if r.is_empty() {
            continue;
        }
        let s = &text[r.clone()];
        let f = fold(s);
        // The recipients may come after the signer's name (the right column flattened
        // first); anything else after the name is an appendix.
        let recipients_next = appendix.is_none() && f.starts_with(label.as_str());
        if name_found && !in_recipients && !recipients_next {
            appendix.get_or_insert(r.start);
            continue;
        }
        if f.starts_with(label.as_str()) {
            in_recipients = true;
            // `Nơi nhận: TM. ỦY BAN…` or `Nơi nhận: - A; - B`.
            let after = s
                .find(':')
                .map(|c| c + 1)
                .unwrap_or(s.len().min(label.len() + 2));
            let after = trim_range(text, r.start + after..r.end);
            if !after.is_empty() && authority_at_start(&text[after.clone()], rules).is_some() {
                // `Nơi nhận: TM. ỦY BAN …`: the right column's first line shares this one.
                sig_lines.push(after);
            } else if !after.is_empty() {
                let (rec, sig) = split_recipient_line(text, after, rules);
                recipients.extend(rec);
                sig_lines.extend(sig);
            }
            continue;
        }
        let archive = !rules.bodies.archive_label.is_empty()
            && f.starts_with(rules.bodies.archive_label.as_str())
            && f[rules.bodies.archive_label.len()..].starts_with([' ', ':']);
        // A recipient hard-wrapped onto the next line ("- Văn phòng Sở (Bố trí kinh phí,
        // phương" / "tiện phục vụ Đoàn);"): the entry goes on.
        if in_recipients
            && let Some(last) = recipients.last_mut()
            && !text[last.clone()].trim_end().ends_with([';', '.'])
            && s.starts_with(|c: char| c.is_lowercase())
        {
            last.end = r.end;
            continue;
        }
        if in_recipients
            && (s.starts_with(['-', '+', '•', '–']) || recipients.is_empty() || archive)
            && authority_at_start(s, rules).is_none()
        {
            let (rec, sig) = split_recipient_line(text, r, rules);
            recipients.extend(rec);
            sig_lines.extend(sig);
            continue;
        }
        in_recipients = false;
        if name_found {
            appendix.get_or_insert(r.start);
            continue;
        }
        // Signature lines: authority, position (capitals), then the signer's name.
        if authority_at_start(s, rules).is_some() || is_upper(s) {
            sig_lines.push(r);
            continue;
        }
        if !sig_lines.is_empty() && looks_like_name(s) {
            sig_lines.push(r);
            name_found = true;
            continue;
        }
        if !sig_lines.is_empty()
            && (s.starts_with('(') || s.starts_with('|') || s.chars().all(|c| !c.is_alphabetic()))
        {
            // `(Đã ký)`, stamps and scan marks between position and name; a name after a mark.
            let stripped = s.trim_start_matches(['|', ' ', '(', ')']);
            if looks_like_name(stripped) {
                let off = s.len() - stripped.len();
                sig_lines.push(r.start + off..r.end);
                name_found = true;
            }
            continue;
        }
    }
    let recipients = recipients
        .into_iter()
        .map(|r| {
            let s = &text[r.clone()];
            let t = s
                .trim_start_matches(['-', '+', '•', '–', ' '])
                .trim_end_matches([';', '.', ',', ' ']);
            let start = r.start + (s.len() - s.trim_start_matches(['-', '+', '•', '–', ' ']).len());
            start..start + t.len()
        })
        .filter(|r| !r.is_empty())
        .collect();
    (recipients, signature(text, &sig_lines, rules), appendix)
}

fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        })
        && !is_upper(s)
}

fn split_recipient_line(
    text: &str,
    r: Range<usize>,
    rules: &Rules,
) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let s = &text[r.clone()];
    // An authority prefix after some recipient text, with the position it heads after it
    // (`… Lưu: VT, KT.` ends in a department's initials, not in `KT. CHỦ TỊCH`).
    for a in &rules.bodies.authority {
        if let Some(p) = s
            .find(&format!(" {a}"))
            .or_else(|| s.find(&format!(";{a}")))
            .filter(|p| {
                s[p + 1 + a.len()..]
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count()
                    >= 3
            })
        {
            return (
                vec![trim_range(text, r.start..r.start + p + 1)],
                vec![trim_range(text, r.start + p + 1..r.end)],
            );
        }
    }
    // A trailing run of capitals after `;` (the position line of the right column).
    if let Some(p) = s.rfind(';') {
        let tail = &s[p + 1..];
        if is_upper(tail) && tail.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
            return (
                vec![trim_range(text, r.start..r.start + p + 1)],
                vec![trim_range(text, r.start + p + 1..r.end)],
            );
        }
    }
    (vec![r], vec![])
}

fn signature(text: &str, lines: &[Range<usize>], rules: &Rules) -> Option<Signature> {
    if lines.is_empty() {
        return None;
    }
    let mut sig = Signature::default();
    for r in lines {
        let s = &text[r.clone()];
        if let Some(n) = authority_at_start(s, rules) {
            sig.authority.push(r.clone());
            // `KT. CHỦ TỊCH` names the head's position, not the signer's; the next capitals
            // line (`PHÓ CHỦ TỊCH`) is the signer's. A lone `KT. CHỦ TỊCH` with no line after
            // it leaves the position to the authority's rest.
            let _ = n;
        } else if is_upper(s) {
            sig.position = Some(r.clone());
        } else if looks_like_name(s) {
            sig.name = Some(r.clone());
        }
    }
    if sig.position.is_none()
        && let Some(last) = sig.authority.last()
    {
        let s = &text[last.clone()];
        let n = authority_at_start(s, rules).unwrap();
        sig.position = Some(trim_range(text, last.start + n..last.end));
    }
    Some(sig)
}

#[allow(dead_code)]
fn _header_unused(_: Header) {}
