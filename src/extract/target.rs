//! Targets: every quantified target, in prose and in tables.
//!
//! A value is a Vietnamese number ("1.000.000", "2,5") with a unit right after it — `%`, money
//! (normalised to đồng: "2,5 tỷ đồng" is 2 500 000 000 "đồng"), or a count noun of
//! `rules/units.toml` — possibly a range ("10.000đ - 20.000đ/1 hộ", "7.000 đến 9.000 công
//! dân") and a comparator of `rules/comparators.toml` around it. Counts are targets only in
//! objectives sections or after a target verb, since plans also count meetings and years.
//! The indicator is the title the clause names ("đạt danh hiệu “Gia đình học tập”"), else the
//! noun phrase after a percentage or before an amount; the year comes from the sentence, the
//! enclosing headings, or the plan.

use super::types::Ctx;
use super::vocab::{Vocab, read_number, starts_with_any};
use crate::contract::{SectionKind, Target, Warning};
use crate::fold::{fold, fold_with_offsets};
use crate::segment::{Section, Table};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq)]
enum UnitKind {
    Percent,
    Money,
    Count,
    Bare,
}

/// One value read from folded text (byte ranges of the folded text).
#[derive(Debug, Clone)]
struct Value {
    /// From the comparator (or number) to the end of the unit / "trở lên".
    range: Range<usize>,
    /// Where the number itself starts.
    num_at: usize,
    value: f64,
    value_max: Option<f64>,
    unit: String,
    kind: UnitKind,
    comparator: Option<String>,
}

fn at_word_end(s: &str, i: usize) -> bool {
    s[i..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// The unit right after a number at `i` of `folded` (original text via `orig`): kind, unit as
/// written (per-parts normalised: "/1 hộ dân" → "/hộ"), multiplier, end.
fn unit_at(
    folded: &str,
    orig: &dyn Fn(Range<usize>) -> String,
    i: usize,
    v: &Vocab,
) -> Option<(UnitKind, String, f64, usize)> {
    let j = i + folded[i..].len() - folded[i..].trim_start_matches(' ').len();
    let rest = &folded[j..];
    if rest.starts_with('%') {
        return Some((UnitKind::Percent, "%".into(), 1.0, j + 1));
    }
    let mut money: Vec<(&String, &f64)> = v.units.money.iter().collect();
    money.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    for (word, mult) in money {
        // Folding makes "dòng" (a lineage) read "dong": a money word must be written with
        // "đ", unless the text has lost its marks altogether.
        let written = || {
            let o = orig(j..j + word.len());
            !word.starts_with('d') || o.starts_with(['đ', 'Đ']) || o == *word
        };
        if rest.starts_with(word.as_str()) && at_word_end(folded, j + word.len()) && written() {
            let mut end = j + word.len();
            let mut unit = "đồng".to_string();
            // "/người/năm", "/1 hộ dân": per-units, the leading 1 dropped.
            while folded[end..].starts_with('/') {
                let mut k = end + 1;
                let t = &folded[k..];
                if t.starts_with("1 ") {
                    k += 2;
                }
                let seg = &folded[k..];
                let n = v
                    .counts_folded
                    .iter()
                    .find(|c| seg.starts_with(c.as_str()) && at_word_end(seg, c.len()))
                    .map(|c| c.len())
                    .or_else(|| {
                        let w = seg
                            .find(|c: char| !c.is_alphanumeric())
                            .unwrap_or(seg.len());
                        (w > 0).then_some(w)
                    });
                let Some(n) = n else { break };
                unit.push('/');
                unit.push_str(&orig(k..k + n));
                end = k + n;
            }
            return Some((UnitKind::Money, unit, *mult, end));
        }
    }
    for c in &v.counts_folded {
        if rest.starts_with(c.as_str()) && at_word_end(folded, j + c.len()) {
            let mut end = j + c.len();
            let mut unit = orig(j..end);
            while folded[end..].starts_with('/') {
                let seg = &folded[end + 1..];
                let w = seg
                    .find(|c: char| !c.is_alphanumeric())
                    .unwrap_or(seg.len());
                if w == 0 {
                    break;
                }
                unit.push('/');
                unit.push_str(&orig(end + 1..end + 1 + w));
                end += 1 + w;
            }
            return Some((UnitKind::Count, unit, 1.0, end));
        }
    }
    None
}

static RANGE_JOIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:-|–|den|toi)\s*").unwrap());

/// Every value in `folded`, in order.
fn values(
    folded: &str,
    orig: &dyn Fn(Range<usize>) -> String,
    v: &Vocab,
    cell: bool,
) -> Vec<Value> {
    let mut out: Vec<Value> = vec![];
    let mut skip_to = 0;
    for m in v.number_re.find_iter(folded) {
        if m.start() < skip_to {
            continue;
        }
        let before = folded[..m.start()].chars().next_back();
        let after = folded[m.end()..].chars().next();
        // Parts of dates, document numbers, codes and words.
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | ',' | '-'))
            && !(before == Some('-') && folded[..m.start()].ends_with(" -"))
            || after.is_some_and(|c| c == '/' || c.is_alphabetic() && c != 'd')
        {
            continue;
        }
        let Some(n1) = read_number(m.as_str()) else {
            continue;
        };
        let u1 = unit_at(folded, orig, m.end(), v);
        let mut end = u1.as_ref().map_or(m.end(), |u| u.3);
        // A range: "10.000đ - 20.000đ", "7.000 đến 9.000 công dân".
        let mut n2 = None;
        let mut u2 = None;
        if let Some(j) = RANGE_JOIN.find(&folded[end..])
            && let Some(m2) = v.number_re.find(&folded[end + j.end()..])
            && m2.start() == 0
        {
            let s2 = end + j.end();
            let e2 = s2 + m2.end();
            if let Some(x) = read_number(m2.as_str()) {
                let u = unit_at(folded, orig, e2, v);
                if u.is_some() || u1.is_some() {
                    n2 = Some(x);
                    end = u.as_ref().map_or(e2, |u| u.3);
                    u2 = u;
                }
            }
        }
        let (kind, unit, mult) = match u2.or(u1) {
            Some((k, u, mult, _)) => (k, u, mult),
            None if cell => (UnitKind::Bare, String::new(), 1.0),
            None => continue,
        };
        // Comparator: a phrase right before the number, or "trở lên" shortly after.
        let mut start = m.start();
        let mut comparator = None;
        let head = folded[..m.start()].trim_end();
        for c in &v.comparators.before {
            let p = fold(&c.phrase);
            if head.ends_with(&p)
                && head[..head.len() - p.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|ch| !ch.is_alphanumeric())
            {
                comparator = Some(c.comparator.clone());
                start = head.len() - p.len();
                break;
            }
        }
        let tail_end = folded[end..]
            .find([',', ';', '.', '\n', ':', '(', '“', '"'])
            .map_or(folded.len(), |p| end + p);
        let tail = &folded[end..tail_end];
        for c in &v.comparators.after {
            let p = fold(&c.phrase);
            if let Some(k) = tail.find(&p)
                && tail[..k].split_whitespace().count() <= 3
            {
                comparator = Some(c.comparator.clone());
                end = end + k + p.len();
                break;
            }
        }
        skip_to = end;
        out.push(Value {
            range: start..end,
            num_at: m.start(),
            value: n1 * mult,
            value_max: n2.map(|x| x * mult),
            unit,
            kind,
            comparator,
        });
    }
    out
}

static YEAR_IN_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:den|trong|vao|het|cuoi|truoc)\s+nam\s+|\bthang\s+\d{1,2}\s*/\s*|\bnam\s+)(\d{4})\b").unwrap()
});
static YEAR_IN_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\bnam\s+|\d{4}\s*[-–]\s*)(\d{4})\b").unwrap());

fn year_in(re: &Regex, folded: &str) -> Option<i32> {
    re.captures_iter(folded)
        .filter(|c| {
            let s = c.get(0).unwrap().start();
            let before = folded[..s].trim_end();
            !before.ends_with("giai doan") && !before.ends_with("nhiem ky")
        })
        .filter_map(|c| c[1].parse().ok())
        .filter(|y| (1900..=2100).contains(y))
        .last()
}

fn clean_indicator(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches([',', ';', '.', ':', ' ', '-', '*'])
        .trim_end_matches(['(', ' '])
        .to_string()
}

/// "Tủ sách đạt chuẩn (%)" → ("Tủ sách đạt chuẩn", Some("%")): a header's unit in brackets.
fn split_unit(header: &str) -> (String, Option<String>) {
    let h = clean_indicator(header);
    if let Some(open) = h.rfind('(')
        && h.ends_with(')')
    {
        let unit = h[open + 1..h.len() - 1].trim();
        if !unit.is_empty() && unit.split_whitespace().count() <= 3 {
            return (clean_indicator(&h[..open]), Some(unit.to_string()));
        }
    }
    (h, None)
}

/// The title named in `folded[r]`: a quote after a title marker, or "danh hiệu X".
fn title_in(
    folded: &str,
    r: Range<usize>,
    orig: &dyn Fn(Range<usize>) -> String,
    v: &Vocab,
) -> Option<String> {
    let clause = &folded[r.clone()];
    for mk in &v.units.title_markers {
        let mk = fold(mk);
        let Some(k) = clause.find(&mk) else { continue };
        let from = r.start + k + mk.len();
        let rest = &folded[from..r.end];
        let lead = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        if let Some(q) = rest.strip_prefix(['“', '"']) {
            let open = from + lead + (rest.len() - q.len());
            if let Some(close) = q.find(['”', '"']) {
                return Some(clean_indicator(&orig(open..open + close)));
            }
        }
        // Unquoted, only "danh hiệu X" names a title.
        if mk != "danh hieu" {
            continue;
        }
        let stop = rest.find([',', ';', '(', '.']).unwrap_or(rest.len());
        let t = clean_indicator(&orig(from + lead..from + lead + stop));
        if !t.is_empty() && t.split_whitespace().count() <= 8 {
            return Some(t);
        }
    }
    None
}

/// The indicator of the value `i` of `vals` in `folded` (clause ends at the next value).
fn indicator(
    folded: &str,
    orig: &dyn Fn(Range<usize>) -> String,
    vals: &[Value],
    i: usize,
    v: &Vocab,
) -> String {
    let val = &vals[i];
    let punct_after = |from: usize| {
        folded[from..]
            .char_indices()
            .find(|&(k, c)| {
                matches!(c, ';' | '\n' | '!' | '?')
                    || c == '.' && !folded[from + k + 1..].starts_with(|d: char| d.is_ascii_digit())
            })
            .map_or(folded.len(), |(k, _)| from + k)
    };
    let next = vals.get(i + 1).map_or(folded.len(), |n| n.range.start);
    let punct = punct_after(val.range.end);
    let clause_end = next.min(punct);
    let clause = &folded[val.range.end..clause_end];
    // 1. The title the clause names: "đạt danh hiệu “Gia đình học tập”", "công nhận “…”".
    if let Some(t) = title_in(folded, val.range.end..clause_end, orig, v) {
        return t;
    }
    // 1b. "40% người lao động trong …, 60% cán bộ trong … đạt danh hiệu “Công dân học tập”":
    // values listed before a shared title take it.
    if next < punct
        && let Some(t) = title_in(folded, next..punct, orig, v)
    {
        return t;
    }
    // 2. A quoted title right in the clause ("100% … được công nhận “Đơn vị học tập”").
    if val.kind == UnitKind::Percent
        && let Some(q) = clause.find('“')
        && let Some(c) = clause[q..].find('”')
        && !clause[..q].contains(',')
    {
        let qs = val.range.end + q + '“'.len_utf8();
        let qe = val.range.end + q + c;
        let before = clean_indicator(&orig(val.range.end..val.range.end + q));
        let title = clean_indicator(&orig(qs..qe));
        if before.split_whitespace().count() <= 6 {
            return format!("{before} “{title}”").trim().to_string();
        }
    }
    // 3. The noun phrase after a percentage, up to the clause's verb.
    if matches!(val.kind, UnitKind::Percent | UnitKind::Bare) {
        let mut end = clause.len();
        for (k, _) in clause.char_indices() {
            let at_word = k == 0 || clause[..k].ends_with(' ');
            if at_word && k > 0 && starts_with_any(&clause[k..], &v.units.indicator_stops).is_some()
            {
                end = k;
                break;
            }
            if clause[k..].starts_with([',', '(']) {
                end = k;
                break;
            }
        }
        let t = clean_indicator(&orig(val.range.end..val.range.end + end));
        if !t.is_empty() {
            return t.split_whitespace().take(10).collect::<Vec<_>>().join(" ");
        }
    }
    // 4. An amount or count measures what the clause before it names.
    // Back to the clause's start; a clause of few words ("…, khuyến tài đạt") takes the one
    // before it too.
    let sentence_start = folded[..val.range.start]
        .rfind([';', '.', '\n', ':'])
        .map_or(0, |p| p + 1);
    // The verbs before the value ("phấn đấu đạt", "đạt mức") are not the indicator.
    let mut stop = folded[..val.range.start]
        .trim_end()
        .len()
        .max(sentence_start);
    let verbs: Vec<String> = v.units.target_verbs.iter().map(|x| fold(x)).collect();
    while let Some(verb) = verbs.iter().find(|verb| {
        folded[sentence_start..stop].ends_with(verb.as_str())
            && folded[..stop - verb.len()]
                .chars()
                .next_back()
                .is_none_or(|c| c == ' ')
    }) {
        stop = folded[..stop - verb.len()]
            .trim_end()
            .len()
            .max(sentence_start);
    }
    let mut start = stop;
    loop {
        start = folded[sentence_start..start]
            .rfind(',')
            .map_or(sentence_start, |p| sentence_start + p);
        let words = folded[start..stop]
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        if words >= 4 || start == sentence_start {
            break;
        }
    }
    let mut from = if folded[start..].starts_with(',') {
        start + 1
    } else {
        start
    };
    from += folded[from..stop].len() - folded[from..stop].trim_start().len();
    if let Some(n) = starts_with_any(&folded[from..stop], &v.units.indicator_openers) {
        from = (from + n + 1).min(stop);
    }
    let (start, cut) = (0, stop);
    let t = clean_indicator(&orig(from..start + cut));
    let words: Vec<&str> = t.split_whitespace().collect();
    let t = words[words.len().saturating_sub(16)..].join(" ");
    if t.is_empty() { val.unit.clone() } else { t }
}

struct Walk<'c, 'a> {
    ctx: &'c Ctx<'a>,
    v: &'c Vocab,
    out: Vec<Target>,
}

impl Walk<'_, '_> {
    /// The targets of one paragraph.
    fn paragraph(
        &mut self,
        r: Range<usize>,
        path: Option<&str>,
        objectives: bool,
        year: Option<i32>,
    ) {
        let ctx = self.ctx;
        let src = ctx.slice(&r);
        let (folded, offs) = fold_with_offsets(src);
        // A paragraph hard-wrapped over lines (scans, OCR) reads as one line; the byte length
        // is kept, so offsets still map back.
        let folded = folded.replace(['\n', '\t'], " ");
        let abs = |x: Range<usize>| r.start + offs[x.start]..r.start + offs[x.end];
        let orig = |x: Range<usize>| ctx.text[abs(x)].to_string();
        let vals = values(&folded, &orig, self.v, false);
        for (i, val) in vals.iter().enumerate() {
            if val.kind == UnitKind::Count && !objectives {
                // Outside objectives a count is a target only after a target verb.
                let head = folded[..val.range.start].trim_end();
                let words: Vec<&str> = head.split_whitespace().rev().take(4).collect();
                let window = words.into_iter().rev().collect::<Vec<_>>().join(" ");
                if !self.v.units.target_verbs.iter().any(|tv| {
                    window.split(' ').any(|w| w == fold(tv)) || window.contains(&fold(tv))
                }) {
                    continue;
                }
            }
            let ind = indicator(&folded, &orig, &vals, i, self.v);
            // The sentence the value sits in decides its year first.
            let s0 = folded[..val.num_at].rfind([';', '\n']).map_or(0, |p| p + 1);
            let s1 = folded[val.range.end..]
                .find([';', '\n'])
                .map_or(folded.len(), |p| val.range.end + p);
            let sent_year = year_in(&YEAR_IN_CLAUSE, &folded[s0..s1]);
            // The target's text: the value through its indicator's clause.
            let end = vals.get(i + 1).map_or(folded.len(), |n| n.range.start).min(
                folded[val.range.end..]
                    .find([';', '\n'])
                    .map_or(folded.len(), |p| val.range.end + p),
            );
            let tr = crate::span::trim_range(ctx.text, abs(val.range.start..end));
            let t = ctx.text[tr.clone()].trim_end_matches([',', ';', '.', ' ']);
            let tr = tr.start..tr.start + t.len();
            self.out.push(Target {
                indicator: ind,
                value: val.value,
                value_max: val.value_max,
                unit: val.unit.clone(),
                comparator: val.comparator.clone(),
                year: sent_year.or(year).or(ctx.period_end).or(ctx.year),
                text: ctx.text[tr.clone()].to_string(),
                section: path.map(String::from),
                span: ctx.index.span(tr),
            });
        }
    }

    fn section(&mut self, s: &Section, year: Option<i32>, tables: &[Range<usize>]) {
        let heading = fold(self.ctx.slice(&s.heading));
        let year = year_in(&YEAR_IN_HEADING, &heading).or(year);
        let objectives = s.kind == SectionKind::Objectives;
        let paragraphs = s
            .run_in
            .iter()
            .cloned()
            .chain(s.items.iter().map(|i| i.range.clone()));
        for p in paragraphs {
            if tables.iter().any(|t| t.start < p.end && p.start < t.end) {
                continue;
            }
            self.paragraph(p, Some(&s.path), objectives, year);
        }
        for c in &s.children {
            self.section(c, year, tables);
        }
    }

    /// A year × indicator table: one target per value cell.
    fn table(&mut self, t: &Table) {
        let ctx = self.ctx;
        let is_year = |r: &Range<usize>| -> Option<i32> {
            let f = fold(ctx.slice(r));
            let f = f.trim_start_matches("nam").trim();
            (f.len() == 4 && f.chars().all(|c| c.is_ascii_digit()))
                .then(|| f.parse().ok())
                .flatten()
        };
        let Some(header) = t.rows.first() else { return };
        let rows_are_years = t.rows.len() > 1
            && t.rows[1..]
                .iter()
                .all(|r| r.first().is_some_and(|c| is_year(c).is_some()));
        let cols_are_years = header.len() > 1 && header[1..].iter().all(|c| is_year(c).is_some());
        for (ri, row) in t.rows.iter().enumerate().skip(1) {
            for (ci, cell) in row.iter().enumerate().skip(1) {
                if cell.is_empty() {
                    continue;
                }
                let (ind, year) = if rows_are_years {
                    (header.get(ci), row.first().and_then(is_year))
                } else if cols_are_years {
                    (row.first(), header.get(ci).and_then(is_year))
                } else {
                    (header.get(ci).filter(|_| ri > 0), None)
                };
                let Some(ind) = ind else { continue };
                let src = ctx.slice(cell);
                let (folded, offs) = fold_with_offsets(src);
                let orig = |x: Range<usize>| {
                    ctx.text[cell.start + offs[x.start]..cell.start + offs[x.end]].to_string()
                };
                let vals = values(&folded, &orig, self.v, true);
                let [val] = vals.as_slice() else { continue };
                if val.kind == UnitKind::Bare && !(rows_are_years || cols_are_years) {
                    continue;
                }
                let (indicator, header_unit) = split_unit(ctx.slice(ind));
                // A bare number counts what its header names when that is a count noun
                // ("Câu lạc bộ đọc sách | 12" is 12 câu lạc bộ).
                let counted = || {
                    let f = fold(&indicator);
                    self.v
                        .counts_folded
                        .iter()
                        .find(|c| f.starts_with(c.as_str()) && at_word_end(&f, c.len()))
                        .map(|c| {
                            indicator
                                .chars()
                                .take(c.chars().count())
                                .collect::<String>()
                                .to_lowercase()
                        })
                };
                let unit = match (&val.kind, header_unit) {
                    (UnitKind::Bare, Some(u)) => u,
                    (UnitKind::Bare, None) => counted().unwrap_or_default(),
                    _ => val.unit.clone(),
                };
                self.out.push(Target {
                    indicator,
                    value: val.value,
                    value_max: val.value_max,
                    unit,
                    comparator: val.comparator.clone(),
                    year: year.or(ctx.period_end).or(ctx.year),
                    text: src.to_string(),
                    section: t.section.clone(),
                    span: ctx.index.span(cell.clone()),
                });
            }
        }
    }
}

/// Every target of the plan, prose first, then tables.
pub fn extract(ctx: &Ctx, _warnings: &mut Vec<Warning>) -> Vec<Target> {
    let Ok(v) = Vocab::get(ctx.rules) else {
        return vec![];
    };
    let mut w = Walk {
        ctx,
        v: &v,
        out: vec![],
    };
    let tables: Vec<Range<usize>> = ctx.outline.tables.iter().map(|t| t.range.clone()).collect();
    if ctx.outline.sections.is_empty() {
        // A plan without sections: every line of its body is a paragraph.
        let from = super::deadline::body_start(ctx);
        let to = ctx
            .outline
            .recipients
            .first()
            .map_or(ctx.text.len(), |r| r.start)
            .max(from);
        let mut pos = from;
        for line in ctx.text[from..to].split('\n') {
            let r = pos..pos + line.len();
            pos += line.len() + 1;
            if !tables.iter().any(|t| t.start < r.end && r.start < t.end) {
                w.paragraph(r, None, true, None);
            }
        }
    }
    for s in &ctx.outline.sections {
        w.section(s, None, &tables);
    }
    for t in &ctx.outline.tables {
        if super::columns::Columns::of(ctx, t, &v).is_none() {
            w.table(t);
        }
    }
    w.out
}
