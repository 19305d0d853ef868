//! Acquisition's interface: the pages it hands on and its parameters. Here, apart from the
//! readers, so that every reader can name them without importing `acquire/mod.rs`, which
//! dispatches to the readers.

use super::layout::PageLayout;
use crate::contract::{Format, PageMethod, Signature, Warning};
pub use crate::vietnamese::encoding::LegacyFont;

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
    /// Where the text sits on the page (PDF text layers); `text` is derived from it.
    pub layout: Option<PageLayout>,
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
            layout: None,
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
    /// A PDF's digital signatures (see [`super::signature`]).
    pub signatures: Vec<Signature>,
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
    /// When set, no new page is OCR'd after this instant: the document fails with a limit
    /// error instead of holding a worker for ever (the batch's `--timeout`). A page already
    /// being recognised runs to its end.
    pub deadline: Option<std::time::Instant>,
    /// A LibreOffice conversion (`.doc`, `.odt`, `.rtf`) still running after this long is
    /// killed and the file fails: a hung converter must not hold a worker.
    pub convert_timeout: std::time::Duration,
    /// Caps on what an archive may unpack to (zip bombs).
    pub archive: Limits,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            ocr_lang: "vie".into(),
            dpi: 300,
            max_pages: 500,
            max_pixels: 200_000_000,
            low_confidence: 0.70,
            deadline: None,
            convert_timeout: std::time::Duration::from_secs(120),
            archive: Limits::default(),
        }
    }
}

/// Caps on what one archive (with the archives inside it) may unpack to.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Files in the archive and the archives inside it, all counted.
    pub max_members: usize,
    /// Their unpacked bytes, all counted.
    pub max_total_bytes: u64,
    /// Archives inside archives: 1 opens an archive's own members only.
    pub max_depth: usize,
}

impl Default for Limits {
    /// 1,000 members, 2 GiB unpacked, 3 levels: far above a folder of plans sent as one
    /// archive, far below what a ZIP bomb unpacks to.
    fn default() -> Self {
        Limits {
            max_members: 1000,
            max_total_bytes: 2 << 30,
            max_depth: 3,
        }
    }
}
