//! Stage 1, **acquire**: bytes in, pages of raw text out.
//!
//! The format is decided from the content (magic bytes), never from the file name: archives are
//! full of `.pdf` files that are really PNGs. Each format has its own module; this one only
//! detects and dispatches, so adding a reader is one new arm in [`acquire`].

pub mod detect;
pub mod text;

use crate::emit::Warning;
pub use crate::emit::{Format, PageMethod};

/// A legacy Vietnamese font family a PDF text layer was set in. Its text is mojibake that the
/// restore stage converts; OCR would be slower and worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyFont {
    /// `.VnTime`, `.VnArial`…: TCVN3 (ABC).
    Tcvn3,
    /// `VNI-Times`…: VNI.
    Vni,
}

/// One page of acquired text. Text inputs are a single page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub number: u32,
    pub text: String,
    pub method: PageMethod,
    /// Mean OCR confidence in 0..=1 (OCR pages only).
    pub ocr_confidence: Option<f32>,
    /// Set when the page's text layer came from a legacy-encoded font.
    pub legacy_font: Option<LegacyFont>,
    /// The OCR engine's language, so restoration can choose the right channel.
    pub ocr_lang: Option<String>,
}

impl Page {
    pub fn text(number: u32, text: String) -> Self {
        Page {
            number,
            text,
            method: PageMethod::Text,
            ocr_confidence: None,
            legacy_font: None,
            ocr_lang: None,
        }
    }
}

/// Everything acquisition learned about one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Acquired {
    pub format: Format,
    /// The byte encoding a text file was read in (`utf-8`, `utf-16`, `windows-1258`…), or a
    /// legacy encoding recognised later by restore.
    pub encoding: Option<String>,
    pub pages: Vec<Page>,
    pub warnings: Vec<Warning>,
}

/// Knobs for acquisition, with documented defaults (see [`Params::default`]).
#[derive(Debug, Clone)]
pub struct Params {
    /// Tesseract language(s), e.g. `vie` or `vie+eng`.
    pub ocr_lang: String,
    /// PDF pages are rendered at this resolution for OCR.
    pub dpi: u32,
    /// A document with more pages is refused.
    pub max_pages: usize,
    /// An image (or rendered page) with more pixels is refused, before decoding.
    pub max_pixels: u64,
    /// Below this mean OCR confidence a page gets a `page_low_confidence` warning.
    pub low_confidence: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            ocr_lang: "vie".into(),
            dpi: 300,
            max_pages: 500,
            max_pixels: 200_000_000,
            low_confidence: 0.70,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("empty file")]
    Empty,
    #[error("not a document kehoach reads ({0})")]
    Unsupported(String),
    #[error("binary data that is not text, PDF, image, DOCX or e-mail")]
    Binary,
    #[error("{format} support is not built into this kehoach: {reason}")]
    NotAvailable {
        format: &'static str,
        reason: String,
    },
    #[error("{0}")]
    Corrupt(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
}

/// Read one input's bytes into pages of text.
pub fn acquire(bytes: &[u8], params: &Params) -> Result<Acquired, Error> {
    let _ = params;
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    match detect::detect(bytes) {
        detect::Kind::Text => text::acquire(bytes),
        detect::Kind::Binary => Err(Error::Binary),
        other => Err(Error::NotAvailable {
            format: other.name(),
            reason: "no reader yet".into(),
        }),
    }
}
