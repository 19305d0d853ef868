//! Document metadata (type, number, date, place, issuer, title, signer, recipients) and the
//! contract's section tree.

use super::date::parse_first;
use super::names::{body_name, person, position};
use super::types::Ctx;
use crate::contract::{DocumentMeta, Section, Signer, Warning};
use crate::fold::fold;
use crate::segment;

pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> DocumentMeta {
    let o = ctx.outline;
    let h = &o.header;
    let mut m = DocumentMeta::default();

    if let Some(n) = &h.number {
        let raw: String = ctx.slice(n).split_whitespace().collect();
        let (num, suffix) = raw.split_once('/').unwrap_or(("", &raw));
        m.number_suffix = Some(suffix.to_string()).filter(|s| !s.is_empty());
        // A number left blank for the office to fill in (`Số: /KH-UBND`) has no number.
        m.number = (!num.is_empty()).then(|| format!("{num}/{suffix}"));
    }
    m.doc_type = o
        .doc_type
        .as_ref()
        .and_then(|r| {
            let f = fold(ctx.slice(r));
            ctx.rules
                .doc_types
                .types
                .iter()
                .find(|t| fold(&t.name) == f)
                .map(|t| t.name.clone())
        })
        .or_else(|| {
            let code = m.number_suffix.as_deref()?.split('-').next()?;
            ctx.rules
                .doc_types
                .types
                .iter()
                .find(|t| t.codes.iter().any(|c| fold(c) == fold(code)))
                .map(|t| t.name.clone())
        })
        // No type word and no type code, but a subject line (`V/v …`): a letter.
        .or_else(|| {
            o.letter
                .then(|| ctx.rules.doc_types.letter.clone())
                .flatten()
        });
    if let Some(d) = &h.date {
        match parse_first(&fold(ctx.slice(d)), None) {
            Some(f) if f.date.is_valid() => m.date = Some(f.date.iso()),
            Some(f) => warnings.push(Warning::new(
                "invalid_date",
                format!("the document's date {} does not exist", f.date.iso()),
            )),
            None => {}
        }
    }
    m.place = h
        .place
        .as_ref()
        .map(|p| ctx.slice(p).trim_matches([',', ' ']).to_string())
        .filter(|p| !p.is_empty());
    m.parent_issuer = h
        .parent_issuer
        .as_ref()
        .map(|p| body_name(ctx.slice(p), ctx.rules));
    let header_issuer = (!h.issuer.is_empty()).then(|| {
        body_name(
            &h.issuer
                .iter()
                .map(|r| ctx.slice(r))
                .collect::<Vec<_>>()
                .join(" "),
            ctx.rules,
        )
    });
    let preamble_issuer = preamble_issuer(ctx);
    m.issuer = match (header_issuer, preamble_issuer) {
        // The header often names the body without its place (`HỘI KHUYẾN HỌC` under
        // `UBND XÃ A`); the preamble's `Hội Khuyến học xã A xây dựng kế hoạch` is fuller.
        (Some(h), Some(p)) if fold(&p).starts_with(&fold(&h)) && p.len() > h.len() => {
            warnings.push(Warning::new(
                "issuer_completed",
                format!("the header's issuer “{h}” was completed from the preamble: “{p}”"),
            ));
            Some(p)
        }
        (Some(h), _) => Some(h),
        (None, Some(p)) => {
            warnings.push(Warning::new(
                "issuer_completed",
                format!("the header names no issuer; “{p}” was taken from the preamble"),
            ));
            Some(p)
        }
        (None, None) => None,
    };
    if !o.title.is_empty() {
        let t = o
            .title
            .iter()
            .map(|r| ctx.slice(r))
            .collect::<Vec<_>>()
            .join(" ");
        m.title = Some(t.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    if let Some((full, from)) = m
        .issuer
        .as_deref()
        .and_then(|i| super::issuer::complete(i, m.place.as_deref(), m.title.as_deref(), ctx.rules))
    {
        let whence = match from {
            super::issuer::From::Place => "the place line",
            super::issuer::From::Title => "the title",
        };
        warnings.push(Warning::new(
            "issuer_from_place",
            format!(
                "the header's issuer “{}” names no place; “{full}” was completed from {whence}",
                m.issuer.as_deref().unwrap_or_default()
            ),
        ));
        m.issuer = Some(full);
    }
    if let Some(sig) = &o.signature {
        let signer = Signer {
            name: sig.name.as_ref().map(|r| person(ctx.slice(r))),
            position: sig
                .position
                .as_ref()
                .map(|r| position(ctx.slice(r), ctx.rules)),
            authority: sig
                .authority
                .iter()
                .map(|r| {
                    ctx.slice(r)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect(),
        };
        if signer.name.is_some() || signer.position.is_some() {
            m.signer = Some(signer);
        }
    }
    m.recipients = o
        .recipients
        .iter()
        .map(|r| ctx.slice(r).to_string())
        .collect();
    m
}

/// `…, Ủy ban nhân dân huyện A ban hành Kế hoạch…`: the subject of the issuing verb in the
/// preamble names the issuer when the header does not.
fn preamble_issuer(ctx: &Ctx) -> Option<String> {
    let types: Vec<String> = ctx
        .rules
        .doc_types
        .types
        .iter()
        .map(|t| fold(&t.name))
        .collect();
    for p in ctx.outline.preamble.iter().rev() {
        let s = ctx.slice(p);
        let (f, offs) = crate::fold::fold_with_offsets(s);
        for verb in &ctx.rules.bodies.issuing_verbs {
            let v = format!(" {} ", fold(verb));
            for (at, _) in f.match_indices(&v) {
                let after = &f[at + v.len()..];
                if !types.iter().any(|t| after.starts_with(t.as_str())) {
                    continue;
                }
                let clause_start = f[..at].rfind([',', ';', '.', ':']).map_or(0, |i| i + 1);
                let subject = s[offs[clause_start]..offs[at]].trim();
                if subject.split_whitespace().count() >= 2
                    && subject.split_whitespace().count() <= 12
                    && subject.starts_with(|c: char| c.is_uppercase())
                {
                    let subject = super::issuer::without_position(subject, ctx.rules);
                    return Some(body_name(subject, ctx.rules));
                }
            }
        }
    }
    None
}

/// The contract's section tree.
pub fn sections(ctx: &Ctx) -> Vec<Section> {
    fn conv(ctx: &Ctx, s: &segment::Section) -> Section {
        Section {
            label: s.label.clone(),
            heading: ctx
                .slice(&s.heading)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            kind: s.kind,
            span: ctx.index.span(s.range.clone()),
            children: s.children.iter().map(|c| conv(ctx, c)).collect(),
            path: s.path.clone(),
        }
    }
    ctx.outline.sections.iter().map(|s| conv(ctx, s)).collect()
}
