//! Text that lives in a PDF's annotation appearances rather than in its pages' content.
//!
//! Vietnamese e-office systems sign a document by stamping the number and the day into the
//! blanks of its header ("Số: /KH-X" becomes "Số: 115 /KH-X") through the appearance streams
//! of signature widgets (`/FT /Sig`): form XObjects holding text in embedded subset fonts.
//! PDFium's text page leaves annotations out (and flattening did not bring these in), so the
//! appearances are read here with `lopdf`: a small interpreter walks each appearance's content
//! stream through nested form XObjects, keeps the transformation and text matrices, and
//! decodes the shown strings with the fonts' own encodings (ToUnicode maps included). Every run
//! of text comes out with its baseline origin and size in page space, for
//! [`super::layout::PageLayout::merge`] to put it where it sits on the page.

use lopdf::{Dictionary, Document, Object, content::Content};
use std::collections::HashMap;

/// One run of text an annotation draws, in page space (PDF points, y up).
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub text: String,
    /// Left end of the run's baseline.
    pub x: f32,
    pub baseline: f32,
    /// Font size as drawn (the text matrices' vertical scale included).
    pub size: f32,
    /// Estimated width (half an em a character: the fonts' metrics are not read).
    pub width: f32,
}

/// Annotation flags that keep an annotation off the screen (`Hidden`, `NoView`).
const INVISIBLE: i64 = 2 | 32;
/// Form XObjects nest; a malicious file could nest them for ever.
const MAX_DEPTH: usize = 12;

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (PDF's row-vector convention: a point is transformed by `a`, then by `b`).
fn mul(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    resolve(doc, d.get(key).ok()?).as_dict().ok()
}

fn numbers(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<Vec<f32>> {
    let arr = resolve(doc, d.get(key).ok()?).as_array().ok()?;
    arr.iter().map(|o| num(resolve(doc, o))).collect()
}

fn matrix(doc: &Document, d: &Dictionary) -> Matrix {
    match numbers(doc, d, b"Matrix") {
        Some(m) if m.len() == 6 => [m[0], m[1], m[2], m[3], m[4], m[5]],
        _ => IDENTITY,
    }
}

/// The text every visible annotation appearance of every page draws, by page index (0-based,
/// in page order). A file lopdf cannot parse gives no stamps: the page text stays as PDFium
/// reads it.
pub fn page_stamps(doc: &Document) -> Vec<Vec<Stamp>> {
    doc.get_pages()
        .values()
        .map(|&id| {
            doc.get_dictionary(id)
                .map(|page| page_annotations(doc, page))
                .unwrap_or_default()
        })
        .collect()
}

/// The annotations of a page that can carry stamped text: widgets (signature and form fields),
/// free text and rubber stamps.
pub(crate) fn annotations<'a>(doc: &'a Document, page: &'a Dictionary) -> Vec<&'a Dictionary> {
    let Some(annots) = page
        .get(b"Annots")
        .ok()
        .and_then(|a| resolve(doc, a).as_array().ok())
    else {
        return vec![];
    };
    annots
        .iter()
        .filter_map(|a| resolve(doc, a).as_dict().ok())
        .collect()
}

fn page_annotations(doc: &Document, page: &Dictionary) -> Vec<Stamp> {
    let mut out = vec![];
    for annot in annotations(doc, page) {
        let subtype = annot.get(b"Subtype").and_then(Object::as_name).ok();
        if !matches!(
            subtype,
            Some(b"Widget") | Some(b"FreeText") | Some(b"Stamp")
        ) {
            continue;
        }
        let flags = annot
            .get(b"F")
            .ok()
            .and_then(|f| resolve(doc, f).as_i64().ok())
            .unwrap_or(0);
        if flags & INVISIBLE != 0 {
            continue;
        }
        if let Some(runs) = appearance_text(doc, annot) {
            out.extend(join_runs(runs));
        }
    }
    out
}

/// The runs of text of an annotation's normal appearance, placed on the page.
pub(crate) fn appearance_text(doc: &Document, annot: &Dictionary) -> Option<Vec<Stamp>> {
    let rect = numbers(doc, annot, b"Rect").filter(|r| r.len() == 4)?;
    let ap = dict(doc, annot, b"AP")?;
    let mut normal = resolve(doc, ap.get(b"N").ok()?);
    // A field with states (a check box) keeps one appearance per state, chosen by `/AS`.
    if let Ok(states) = normal.as_dict() {
        let state = annot.get(b"AS").and_then(Object::as_name).ok()?;
        normal = resolve(doc, states.get(state).ok()?);
    }
    let form = normal.as_stream().ok()?;
    let bbox = numbers(doc, &form.dict, b"BBox").filter(|b| b.len() == 4)?;
    // PDF 32000 §12.5.5: the form's box, transformed by its matrix, is fitted to the
    // annotation's rectangle.
    let m = matrix(doc, &form.dict);
    let corners = [
        apply(m, bbox[0], bbox[1]),
        apply(m, bbox[2], bbox[1]),
        apply(m, bbox[0], bbox[3]),
        apply(m, bbox[2], bbox[3]),
    ];
    let (bx0, bx1) = span(corners.iter().map(|c| c.0));
    let (by0, by1) = span(corners.iter().map(|c| c.1));
    let (rx0, rx1) = (rect[0].min(rect[2]), rect[0].max(rect[2]));
    let (ry0, ry1) = (rect[1].min(rect[3]), rect[1].max(rect[3]));
    let sx = if bx1 > bx0 {
        (rx1 - rx0) / (bx1 - bx0)
    } else {
        1.0
    };
    let sy = if by1 > by0 {
        (ry1 - ry0) / (by1 - by0)
    } else {
        1.0
    };
    let fit = [sx, 0.0, 0.0, sy, rx0 - bx0 * sx, ry0 - by0 * sy];
    let mut runs = vec![];
    let mut fonts = FontCache::default();
    run_form(doc, form, mul(m, fit), 0, &mut fonts, &mut runs);
    Some(runs)
}

fn span(values: impl Iterator<Item = f32>) -> (f32, f32) {
    values.fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// Decoders of the fonts met so far, by the font dictionary's address.
#[derive(Default)]
struct FontCache<'a> {
    encodings: HashMap<*const Dictionary, Option<lopdf::Encoding<'a>>>,
}

impl<'a> FontCache<'a> {
    fn decode(&mut self, doc: &'a Document, font: &'a Dictionary, bytes: &[u8]) -> String {
        let enc = self
            .encodings
            .entry(font as *const Dictionary)
            .or_insert_with(|| font.get_font_encoding(doc).ok());
        match enc {
            Some(e) => e.bytes_to_string(bytes).unwrap_or_default(),
            None => bytes
                .iter()
                .filter(|b| b.is_ascii_graphic() || **b == b' ')
                .map(|&b| b as char)
                .collect(),
        }
    }
}

/// Text state that `q`/`Q` save and restore along with the transformation.
#[derive(Clone, Copy)]
struct State<'a> {
    ctm: Matrix,
    font: Option<&'a Dictionary>,
    size: f32,
    leading: f32,
}

fn run_form<'a>(
    doc: &'a Document,
    form: &'a lopdf::Stream,
    ctm: Matrix,
    depth: usize,
    fonts: &mut FontCache<'a>,
    out: &mut Vec<Stamp>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let resources = dict(doc, &form.dict, b"Resources");
    let font_res = resources.and_then(|r| dict(doc, r, b"Font"));
    let xobjects = resources.and_then(|r| dict(doc, r, b"XObject"));
    let data = form
        .decompressed_content()
        .unwrap_or_else(|_| form.content.clone());
    let Ok(content) = Content::decode(&data) else {
        return;
    };
    let mut st = State {
        ctm,
        font: None,
        size: 0.0,
        leading: 0.0,
    };
    let mut stack = vec![];
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    for op in &content.operations {
        let o = &op.operands;
        let n = |i: usize| o.get(i).and_then(num).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" => stack.push(st),
            "Q" => st = stack.pop().unwrap_or(st),
            "cm" if o.len() == 6 => st.ctm = mul([n(0), n(1), n(2), n(3), n(4), n(5)], st.ctm),
            "BT" => (tm, tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                st.font = o
                    .first()
                    .and_then(|f| f.as_name().ok())
                    .and_then(|name| font_res.and_then(|r| dict(doc, r, name)));
                st.size = n(1);
            }
            "TL" => st.leading = n(0),
            "Td" | "TD" => {
                if op.operator == "TD" {
                    st.leading = -n(1);
                }
                tlm = mul([1.0, 0.0, 0.0, 1.0, n(0), n(1)], tlm);
                tm = tlm;
            }
            "Tm" if o.len() == 6 => {
                tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                tm = tlm;
            }
            "T*" | "'" | "\"" => {
                tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], tlm);
                tm = tlm;
                if let Some(Object::String(s, _)) = o.last().filter(|_| op.operator != "T*") {
                    show(
                        doc,
                        &st,
                        &mut tm,
                        &[Object::String(s.clone(), lopdf::StringFormat::Literal)],
                        fonts,
                        out,
                    );
                }
            }
            "Tj" => show(doc, &st, &mut tm, o, fonts, out),
            "TJ" => {
                if let Some(Ok(arr)) = o.first().map(Object::as_array) {
                    show(doc, &st, &mut tm, arr, fonts, out);
                }
            }
            "Do" => {
                let Some(x) = o
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|name| xobjects?.get(name).ok())
                    .and_then(|x| resolve(doc, x).as_stream().ok())
                else {
                    continue;
                };
                if x.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form") {
                    let inner = mul(matrix(doc, &x.dict), st.ctm);
                    run_form(doc, x, inner, depth + 1, fonts, out);
                }
            }
            _ => {}
        }
    }
}

/// One text-showing operator: strings decoded with the current font, numbers moving the pen.
fn show<'a>(
    doc: &'a Document,
    st: &State<'a>,
    tm: &mut Matrix,
    items: &[Object],
    fonts: &mut FontCache<'a>,
    out: &mut Vec<Stamp>,
) {
    let Some(font) = st.font else {
        return;
    };
    let mut text = String::new();
    let mut advance = 0.0;
    for item in items {
        match item {
            Object::String(bytes, _) => {
                let s = fonts.decode(doc, font, bytes);
                advance += s.chars().count() as f32 * 0.5 * st.size;
                text.push_str(&s);
            }
            other => {
                if let Some(k) = num(other) {
                    // A large negative kerning is a space the producer did not encode.
                    if k < -300.0 && !text.ends_with(' ') && !text.is_empty() {
                        text.push(' ');
                    }
                    advance -= k / 1000.0 * st.size;
                }
            }
        }
    }
    let m = mul(*tm, st.ctm);
    let (x, y) = apply(m, 0.0, 0.0);
    let scale_y = (m[2] * m[2] + m[3] * m[3]).sqrt();
    let scale_x = (m[0] * m[0] + m[1] * m[1]).sqrt();
    *tm = mul([1.0, 0.0, 0.0, 1.0, advance, 0.0], *tm);
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    if text.trim().is_empty() {
        return;
    }
    out.push(Stamp {
        text,
        x,
        baseline: y,
        size: st.size * scale_y,
        width: advance * scale_x,
    });
}

/// Runs one after the other on a baseline are one stamp ("0" "4" → "04"; a gap of a space or
/// more keeps a space between them).
fn join_runs(runs: Vec<Stamp>) -> Vec<Stamp> {
    let mut out: Vec<Stamp> = vec![];
    for r in runs {
        if let Some(last) = out.last_mut() {
            let size = last.size.max(r.size).max(1.0);
            let end = last.x + last.width;
            if (last.baseline - r.baseline).abs() < 0.3 * size
                && r.x >= last.x
                && r.x - end < 1.5 * size
            {
                if r.x - end > 0.2 * size && !last.text.ends_with(' ') {
                    last.text.push(' ');
                }
                last.text.push_str(&r.text);
                last.width = (r.x + r.width) - last.x;
                continue;
            }
        }
        out.push(r);
    }
    for s in &mut out {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 5.0];
        // Scaled first, then shifted: (1,1) → (2,2) → (12,7).
        assert_eq!(apply(mul(scale, shift), 1.0, 1.0), (12.0, 7.0));
        assert_eq!(apply(mul(shift, scale), 1.0, 1.0), (22.0, 12.0));
    }

    #[test]
    fn runs_on_one_baseline_join() {
        let run = |t: &str, x: f32, y: f32| Stamp {
            text: t.into(),
            x,
            baseline: y,
            size: 10.0,
            width: 5.0 * t.chars().count() as f32,
        };
        let joined = join_runs(vec![
            run("0", 100.0, 50.0),
            run("4", 105.0, 50.0),
            run("Ký", 100.0, 30.0),
            run("bởi", 115.0, 30.0),
        ]);
        let texts: Vec<&str> = joined.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["04", "Ký bởi"]);
    }
}
