//! What a person should check: the fields of a finished document that may be wrong, and why.
//!
//! Every document gets `review[]`, a list of `{field, reason}`; a clerk checks those fields
//! against the paper (and `kehoach ingest --strict` fails such documents). The reasons come
//! from the document itself (a value missing, partial or malformed; read by OCR from a weak
//! page; a word of it restored with doubt; many doubtful words) and from the stages' warnings
//! ([`FROM_WARNINGS`]), so a stage says what went wrong once and review maps it to the field.

use crate::contract::{Document, Review};
use crate::span::Span;

/// Below this mean OCR confidence of its page, a value read by OCR is to be checked.
pub const OCR_CONFIDENCE_BELOW: f32 = 0.80;
/// With more than this share of the text's words restored with doubt
/// (`restoration.uncertain`), the whole text is to be checked.
pub const UNCERTAIN_SHARE_ABOVE: f64 = 0.03;

/// Warning codes that mean a field is to be checked: (warning code, field, reason).
pub const FROM_WARNINGS: &[(&str, &str, &str)] = &[
    ("text_layer_rejected", "text", "text_layer_rejected"),
    ("issuer_completed", "document.issuer", "issuer_completed"),
    // `ỦY BAN NHÂN DÂN TỈNH` with its province taken from the place line or the title.
    ("issuer_from_place", "document.issuer", "issuer_completed"),
    // Values completed from an e-signature stamp (the day, or the number, inserted by the
    // signing system) by the acquisition of signed PDFs.
    (
        "number_from_signature",
        "document.number",
        "e_signature_stamp",
    ),
    ("date_from_signature", "document.date", "e_signature_stamp"),
    ("invalid_date", "document.date", "invalid"),
];

/// Where the header's values were read in `text` (char spans), for the checks that need the
/// page a value is on or the words it is made of.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origins {
    pub number: Option<Span>,
    pub date: Option<Span>,
    pub issuer: Option<Span>,
}

impl Origins {
    /// From the byte ranges extraction found them at.
    pub fn of(found: &crate::extract::Origins, index: &crate::span::TextIndex) -> Origins {
        let span = |r: &Option<std::ops::Range<usize>>| r.clone().map(|r| index.span(r));
        Origins {
            number: span(&found.number),
            date: span(&found.date),
            issuer: span(&found.issuer),
        }
    }
}

/// The fields of `doc` to check, each once, in a stable order.
pub fn review(doc: &Document, origins: &Origins) -> Vec<Review> {
    let mut out: Vec<Review> = vec![];
    let mut add = |field: &str, reason: &str| {
        if !out.iter().any(|r| r.field == field && r.reason == reason) {
            out.push(Review {
                field: field.into(),
                reason: reason.into(),
            });
        }
    };
    let m = &doc.document;
    let values = [
        ("document.type", m.doc_type.as_deref(), None),
        ("document.number", m.number.as_deref(), origins.number),
        ("document.date", m.date.as_deref(), origins.date),
        ("document.issuer", m.issuer.as_deref(), origins.issuer),
    ];
    for (field, value, at) in values {
        let Some(value) = value else {
            add(field, "missing");
            continue;
        };
        match field {
            "document.date" if value.len() < "YYYY-MM-DD".len() => add(field, "partial"),
            "document.number" if !well_formed_number(value) => add(field, "malformed"),
            _ => {}
        }
        let Some(at) = at else { continue };
        if read_by_weak_ocr(doc, at) {
            add(field, "ocr_low_confidence");
        }
        if read_from_an_ocr_text_layer(doc, at) {
            add(field, "ocr_text_layer");
        }
        if doc
            .restoration
            .uncertain
            .iter()
            .any(|u| u.span.start < at.end && at.start < u.span.end)
        {
            add(field, "restored_uncertain");
        }
    }
    for w in &doc.warnings {
        for &(code, field, reason) in FROM_WARNINGS {
            // `invalid_date` is also said of deadlines; only the document's own date counts.
            let own = code != "invalid_date" || w.message.starts_with("the document's date");
            if w.code == code && own {
                add(field, reason);
            }
        }
    }
    let words = doc.text.split_whitespace().count().max(1);
    if doc.restoration.uncertain.len() as f64 > UNCERTAIN_SHARE_ABOVE * words as f64 {
        add("text", "many_uncertain_words");
    }
    out
}

/// `318/KH-UBND`, `07/2024/QĐ-UBND`, `52-KL/TU`, `12a/TB-VP`: digits first, a slash, a symbol
/// of letters, digits, dashes and dots. OCR of a handwritten number gives `Ô/QĐ-UBND`.
fn well_formed_number(n: &str) -> bool {
    let Some((head, symbol)) = n.split_once('/') else {
        return false;
    };
    let starts_with_digit = head.chars().next().is_some_and(|c| c.is_ascii_digit());
    let head_ok = head
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_alphabetic() || c == '-' || c == '.');
    let symbol_ok = !symbol.is_empty()
        && symbol
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '/' | '&'));
    starts_with_digit && head_ok && symbol_ok
}

/// Whether the span lies on a page read by OCR below [`OCR_CONFIDENCE_BELOW`].
fn read_by_weak_ocr(doc: &Document, at: Span) -> bool {
    page_of(doc, at)
        .and_then(|p| p.ocr_confidence)
        .is_some_and(|c| c < OCR_CONFIDENCE_BELOW)
}

/// Whether the span lies on a PDF text layer that restoration found to be an earlier OCR's
/// (channel `ocr_eng` or `ocr_vie`): no confidence is known, and its digits may be misread.
fn read_from_an_ocr_text_layer(doc: &Document, at: Span) -> bool {
    let ocr_damage = doc
        .restoration
        .channel
        .as_deref()
        .is_some_and(|c| c.starts_with("ocr_"));
    ocr_damage
        && page_of(doc, at).is_some_and(|p| p.method == crate::contract::PageMethod::TextLayer)
}

/// The page a span starts on.
fn page_of(doc: &Document, at: Span) -> Option<&crate::contract::SourcePage> {
    doc.source
        .pages
        .iter()
        .rev()
        .find(|p| p.start <= at.start)
        .or(doc.source.pages.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_printed_are_well_formed_and_misread_ones_are_not() {
        for n in [
            "318/KH-UBND",
            "07/2024/QĐ-UBND",
            "52-KL/TU",
            "12a/TB-VP",
            "27/GM-UBND",
        ] {
            assert!(well_formed_number(n), "{n}");
        }
        for n in ["Ô/QĐ-UBND", "/KH-UBND", "318", "318/", "3l8 KH"] {
            assert!(!well_formed_number(n), "{n}");
        }
    }
}
