//! What every reader of pages does alike: stop at the document's deadline, turn an OCR result
//! into a page, and warn about pages OCR could hardly read.

use super::error::Error;
use super::ocr;
use super::types::{Acquired, Page, Params};
use crate::contract::{Format, PageMethod, Warning};

/// [`Error::Timeout`] once the document's time is up (checked before each page is OCR'd).
pub(crate) fn check_deadline(params: &Params, page: u32) -> Result<(), Error> {
    match params.deadline {
        Some(d) if std::time::Instant::now() >= d => Err(Error::Timeout { page }),
        _ => Ok(()),
    }
}

/// A page read by OCR.
pub(super) fn ocr_page(number: u32, r: ocr::Recognised, params: &Params) -> Page {
    if r.rotated != 0 || r.deskewed.abs() >= 0.1 {
        tracing::debug!(
            page = number,
            rotated = r.rotated,
            deskewed = r.deskewed,
            "page straightened before OCR"
        );
    }
    let mut layout = super::layout::PageLayout::from_ocr(&r);
    // The header read from where its parts sit: the page's text follows its layout's lines.
    let relaid = layout.as_mut().is_some_and(ocr::header::relayout);
    let text = match &layout {
        Some(l) if relaid => l.text() + "\n",
        _ => r.text,
    };
    Page {
        number,
        text,
        method: PageMethod::Ocr,
        ocr_confidence: Some(r.confidence),
        legacy_font: None,
        ocr_lang: Some(params.ocr_lang.clone()),
        layout,
    }
}

/// The document, with a warning for every OCR page below [`Params::low_confidence`] and for
/// every OCR page that read as blank (so an unreadable page is never silently empty).
pub(super) fn finish(format: Format, pages: Vec<Page>, params: &Params) -> Acquired {
    let mut warnings = vec![];
    for p in &pages {
        let Some(conf) = p.ocr_confidence else {
            continue;
        };
        if p.text.trim().is_empty() {
            warnings.push(Warning::new(
                "page_no_text",
                format!("page {}: OCR found no text", p.number),
            ));
        } else if conf < params.low_confidence {
            warnings.push(Warning::new(
                "page_low_confidence",
                format!(
                    "page {}: mean OCR confidence {:.2} is below {:.2}",
                    p.number, conf, params.low_confidence
                ),
            ));
        }
    }
    Acquired {
        format,
        encoding: None,
        pages,
        warnings,
        signatures: vec![],
    }
}
