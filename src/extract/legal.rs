//! Legal bases: the documents the preamble (`Căn cứ…`, `Thực hiện…`) builds the plan on.
//!
//! A reference is a document type from `rules/doc_types.toml`, then optionally `số` and a number
//! (`183/KH-UBND`, `49-KL/TW`, `17/2022/TT-BTC`), a date, `của` + issuer, and `về …` or a quoted
//! title. A type mention with neither number nor date counts only right after an opener
//! (`Căn cứ Luật Tổ chức chính quyền địa phương`), so that `ban hành Kế hoạch` is not one.

use super::date::find_all;
use super::names::expand_abbreviations;
use super::types::Ctx;
use crate::contract::LegalBasis;
use crate::fold::fold_with_offsets;
use regex::Regex;
use std::sync::LazyLock;

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:so\s*:?\s*)?(\d+[a-z]?(?:\s?[-/]\s?[a-z0-9&.]*[a-z0-9&])+)").unwrap()
});
static ISSUER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*,?\s*cua\s+").unwrap());

pub fn extract(ctx: &Ctx) -> Vec<LegalBasis> {
    let mut out = vec![];
    let mut types: Vec<(String, String)> = ctx
        .rules
        .doc_types
        .types
        .iter()
        .map(|t| (crate::fold::fold(&t.name), t.name.clone()))
        .collect();
    types.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
    let openers: Vec<String> = ctx
        .rules
        .bodies
        .basis_openers
        .iter()
        .map(|o| crate::fold::fold(o))
        .collect();
    for para in &basis_paragraphs(ctx, &types, &openers) {
        let s = ctx.slice(para);
        let (f, offs) = fold_with_offsets(s);
        let mut taken_until = 0;
        let mut i = 0;
        while i < f.len() {
            if !f.is_char_boundary(i)
                || (i > 0
                    && f[..i]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric))
            {
                i += 1;
                continue;
            }
            let Some((tf, tname)) = types.iter().find(|(tf, _)| {
                f[i..].starts_with(tf.as_str())
                    && !f[i + tf.len()..].starts_with(|c: char| c.is_alphanumeric())
            }) else {
                i += 1;
                continue;
            };
            if i < taken_until {
                i += tf.len();
                continue;
            }
            let mut end = i + tf.len();
            let mut number = None;
            if let Some(c) = NUMBER.captures(&f[end..]) {
                let m = c.get(1).unwrap();
                number = Some(
                    s[offs[end + m.start()]..offs[end + m.end()]]
                        .split_whitespace()
                        .collect::<String>(),
                );
                end += c.get(0).unwrap().end();
            }
            // A date right after (within a comma and `ngày`).
            let mut date = None;
            let window_end = (end + 60).min(f.len());
            let window_end = (window_end..=f.len())
                .find(|&e| f.is_char_boundary(e))
                .unwrap_or(f.len());
            if let Some(d) = find_all(&f[end..window_end], ctx.year).into_iter().next()
                && f[end..end + d.range.start]
                    .trim_matches([' ', ','])
                    .trim_start_matches("ngay")
                    .trim()
                    .is_empty()
                && !d.year_assumed
            {
                date = Some(d.date.iso());
                end += d.range.end;
            }
            // Without number or date, only a reference that a clause opens with counts:
            // `Căn cứ Luật …`, `…; căn cứ Điều lệ …`, or `… và Chương trình …` right after one.
            let before = f[..i].trim_end();
            let after_opener = before.is_empty()
                || openers.iter().any(|o| {
                    before == o.as_str()
                        || before.ends_with(&format!("; {o}"))
                        || before.ends_with(&format!(", {o}"))
                })
                || (taken_until > 0 && f[taken_until..i].trim() == "va");
            if number.is_none() && date.is_none() && !after_opener {
                i = end;
                continue;
            }
            // A reference without number or date names itself first (`Điều lệ Hội Khuyến học
            // Việt Nam`, `Chương trình công tác năm 2021 của …`): its title runs to `của`.
            let mut title = None;
            if number.is_none() && date.is_none() {
                let mut stop = title_end(&f, end, &types, ctx);
                if let Some(p) = f[end..stop].find(" cua ") {
                    stop = end + p;
                }
                // `Luật Điện lực số 61/2024/QH15`: a law is cited by its name, then its number.
                let mut dated = None;
                let mut date_from = end;
                if let Some(p) = f[end..stop].find(" so ") {
                    let mut k = end + p;
                    if f[k + 3..].starts_with(" so ") {
                        k += 3;
                    }
                    if let Some(c) = NUMBER.captures(&f[k..]) {
                        let m = c.get(1).unwrap();
                        number = Some(
                            s[offs[k + m.start()]..offs[k + m.end()]]
                                .split_whitespace()
                                .collect::<String>(),
                        );
                        dated = Some(k + c.get(0).unwrap().end());
                        date_from = k + c.get(0).unwrap().end();
                        stop = end + p;
                    }
                }
                // `Luật Thú y ngày 19 tháng 6 năm 2015`: or by its name and date.
                let lim = if dated.is_some() {
                    (date_from + 40).min(f.len())
                } else {
                    stop
                };
                let lim = (lim..=f.len())
                    .find(|&e| f.is_char_boundary(e))
                    .unwrap_or(f.len());
                if let Some(p) = f[date_from..lim].find(" ngay ")
                    && let Some(d) = find_all(&f[date_from + p..lim], ctx.year)
                        .into_iter()
                        .next()
                    && !d.year_assumed
                    && f[date_from + p..date_from + p + d.range.start]
                        .trim()
                        .trim_start_matches("ngay")
                        .trim()
                        .is_empty()
                    && (dated.is_none()
                        || f[date_from..date_from + p]
                            .trim_matches([' ', ','])
                            .is_empty())
                {
                    date = Some(d.date.iso());
                    if dated.is_none() {
                        stop = date_from + p;
                    }
                    dated = Some(date_from + p + d.range.end);
                }
                let raw = s[offs[end]..offs[stop]]
                    .trim()
                    .trim_end_matches([',', ';', '.']);
                if !raw.is_empty() {
                    title = Some(raw.to_string());
                    end = dated.unwrap_or(stop);
                }
            }
            // `của <issuer>` up to `về`, a quote, or a clause boundary.
            let mut issuer = None;
            if let Some(c) = ISSUER.captures(&f[end..]) {
                let from = end + c.get(0).unwrap().end();
                let stop = clause_end(
                    &f,
                    from,
                    &[
                        " ve ",
                        " phe duyet",
                        " ban hanh",
                        " trien khai",
                        " huong dan ",
                        " quy dinh ",
                        " sua doi",
                        " \u{201c}",
                        " \"",
                    ],
                );
                let raw = s[offs[from]..offs[stop]].trim();
                if !raw.is_empty() {
                    issuer = Some(expand_abbreviations(raw, ctx.rules));
                }
                end = stop;
            }
            let rest = &f[end..];
            let lead = rest.len() - rest.trim_start_matches([' ', ',']).len();
            let t_from = end + lead;
            let t_body = if f[t_from..].starts_with("ve viec ") {
                Some(t_from + 8)
            } else if f[t_from..].starts_with("ve ") {
                Some(t_from + 3)
            } else if f[t_from..].starts_with('\u{201c}')
                || f[t_from..].starts_with('"')
                // `… của Bộ X hướng dẫn …`: a subject that opens with its verb keeps it.
                || ["huong dan ", "quy dinh ", "sua doi"]
                    .iter()
                    .any(|v| f[t_from..].starts_with(v))
            {
                Some(t_from)
            } else {
                None
            };
            if let Some(tb) = t_body.filter(|_| title.is_none()) {
                let stop = title_end(&f, tb, &types, ctx);
                let raw = s[offs[tb]..offs[stop]]
                    .trim()
                    .trim_end_matches([',', ';', '.']);
                if !raw.is_empty() {
                    title = Some(raw.to_string());
                    end = stop;
                }
            }
            let abs_start = para.start + offs[i];
            let abs_end = para.start + offs[end.min(f.len())];
            let r = crate::span::trim_range(ctx.text, abs_start..abs_end);
            let r = r.start
                ..r.start
                    + ctx.text[r.clone()]
                        .trim_end_matches([',', ';', '.', ' '])
                        .len();
            out.push(LegalBasis {
                doc_type: Some(tname.clone()),
                number,
                date,
                issuer,
                title,
                span: ctx.index.span(r),
            });
            taken_until = end;
            i = end.max(i + 1);
        }
    }
    out
}

/// Where legal bases are cited: the preamble; every item (and sub-heading) of a section of legal
/// bases (`I. CĂN CỨ XÂY DỰNG KẾ HOẠCH`); and, in the other sections before the tasks, a
/// paragraph that opens with a basis opener and a document type (`Thực hiện Chỉ thị 16/CT-TTg
/// …, chủ động …`).
fn basis_paragraphs(
    ctx: &Ctx,
    types: &[(String, String)],
    openers: &[String],
) -> Vec<std::ops::Range<usize>> {
    use crate::contract::SectionKind;
    use crate::segment::Section;
    fn all(s: &Section, out: &mut Vec<std::ops::Range<usize>>, heading: bool) {
        if heading {
            out.push(s.heading.clone());
        }
        out.extend(s.run_in.iter().cloned());
        out.extend(s.items.iter().map(|i| i.range.clone()));
        for c in &s.children {
            all(c, out, true);
        }
    }
    let opens_with_basis = |r: &std::ops::Range<usize>| {
        let f = crate::fold::fold(ctx.slice(r));
        openers.iter().any(|o| {
            f.strip_prefix(o.as_str())
                .and_then(|rest| rest.strip_prefix(' '))
                .is_some_and(|rest| types.iter().any(|(t, _)| rest.starts_with(t.as_str())))
        })
    };
    fn before_tasks(
        s: &Section,
        out: &mut Vec<std::ops::Range<usize>>,
        keep: &dyn Fn(&std::ops::Range<usize>) -> bool,
    ) {
        out.extend(
            s.run_in
                .iter()
                .chain(s.items.iter().map(|i| &i.range))
                .filter(|r| keep(r))
                .cloned(),
        );
        for c in &s.children {
            before_tasks(c, out, keep);
        }
    }
    let mut out = ctx.outline.preamble.clone();
    for s in &ctx.outline.sections {
        match s.kind {
            SectionKind::LegalBases => all(s, &mut out, false),
            SectionKind::Purpose | SectionKind::Other => {
                before_tasks(s, &mut out, &opens_with_basis)
            }
            _ => {}
        }
    }
    out
}

/// The end of a clause starting at `from`: the first stop phrase, `;`, `.` followed by a space,
/// or `,` followed by a new clause.
fn clause_end(f: &str, from: usize, stops: &[&str]) -> usize {
    let mut end = f.len();
    for s in stops {
        if let Some(p) = f[from..].find(s) {
            end = end.min(from + p);
        }
    }
    for (p, c) in f[from..].char_indices() {
        if c == ';' || c == ',' || (c == '.' && f[from + p + 1..].starts_with(' ')) || c == '(' {
            end = end.min(from + p);
            break;
        }
    }
    end
}

/// A title runs to the closing quote, or to `;`/end of sentence, or to where the sentence
/// turns to another reference (`… và Chương trình …`) or to the issuing clause
/// (`…, Ủy ban nhân dân huyện A ban hành Kế hoạch …`).
fn title_end(f: &str, from: usize, types: &[(String, String)], ctx: &Ctx) -> usize {
    let mut limit = f.len();
    for (p, _) in f[from..].match_indices(" va ") {
        let after = &f[from + p + 4..];
        if types.iter().any(|(t, _)| after.starts_with(t.as_str())) {
            limit = limit.min(from + p);
            break;
        }
    }
    for (p, _) in f[from..].match_indices(',') {
        let clause_end = f[from + p + 1..]
            .find([',', ';', '.'])
            .map_or(f.len(), |e| from + p + 1 + e);
        let clause = &f[from + p + 1..clause_end];
        let issuing = ctx.rules.bodies.issuing_verbs.iter().any(|v| {
            let v = crate::fold::fold(v);
            clause.match_indices(&format!(" {v} ")).any(|(q, _)| {
                let after = &clause[q + v.len() + 2..];
                types.iter().any(|(t, _)| after.starts_with(t.as_str()))
            })
        });
        if issuing {
            limit = limit.min(from + p);
            break;
        }
    }
    let f = &f[..limit];
    if f[from..].starts_with('\u{201c}')
        && let Some(p) = f[from..].find('\u{201d}')
    {
        return from + p + '\u{201d}'.len_utf8();
    }
    if f[from..].starts_with('"')
        && let Some(p) = f[from + 1..].find('"')
    {
        return from + 1 + p + 1;
    }
    let mut end = f.len();
    for (p, c) in f[from..].char_indices() {
        if c == ';' || (c == '.' && (f[from + p + 1..].starts_with(' ') || from + p + 1 == f.len()))
        {
            end = from + p;
            break;
        }
        if c == ','
            && f[from + p + 1..]
                .trim_start()
                .starts_with(|ch: char| ch.is_uppercase())
        {
            end = from + p;
            break;
        }
    }
    end
}
