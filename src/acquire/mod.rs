//! Stage 1, **acquire**: bytes in, pages of raw text out.
//!
//! The format is decided from the content (magic bytes), never from the file name: archives are
//! full of `.pdf` files that are really PNGs. Each format has its own module; this one only
//! detects and dispatches, so adding a reader is one new arm in [`acquire`].

pub mod archive;
pub mod convert;
pub mod detect;
pub mod docx;
pub mod email;
pub mod image;
pub mod judge;
pub mod layout;
pub mod ocr;
pub mod pdf;
pub mod signature;
pub mod stamps;
pub mod text;

use crate::contract::Warning;
pub use crate::contract::{Format, PageMethod};

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
    /// Where the text sits on the page (PDF text layers); `text` is derived from it.
    pub layout: Option<layout::PageLayout>,
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
    /// A PDF's digital signatures (see [`signature`]).
    pub signatures: Vec<crate::contract::Signature>,
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
    /// Whether a word is a possible Vietnamese syllable, used to judge PDF text layers
    /// ([`judge`]). Restore owns the spelling rules and acquire must not import a later stage,
    /// so the caller hands the check in (`kehoach::Params::default()` does); without it only
    /// the letters are judged.
    pub syllable_check: Option<fn(&str) -> bool>,
    /// A LibreOffice conversion (`.doc`, `.odt`, `.rtf`) still running after this long is
    /// killed and the file fails: a hung converter must not hold a worker.
    pub convert_timeout: std::time::Duration,
    /// Caps on what an archive may unpack to (zip bombs).
    pub archive: archive::Limits,
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
            syllable_check: None,
            convert_timeout: std::time::Duration::from_secs(120),
            archive: archive::Limits::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("empty file")]
    Empty,
    #[error("not a document kehoach reads ({0})")]
    Unsupported(String),
    #[error("binary data that is not text, PDF, image, Word (DOCX, DOC), ODT, RTF or e-mail")]
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
    #[error("password required: the PDF is encrypted")]
    Password,
    /// An Office document or an archive protected by a password.
    #[error("password required: {0}")]
    Encrypted(String),
    #[error("OCR: {0}")]
    Ocr(#[from] ocr::Error),
    #[error(transparent)]
    Convert(#[from] convert::Error),
}

/// Read one input's bytes into pages of text.
///
/// Scanned pages are OCR'd in parallel on the current rayon pool (the batch's `--jobs` pool),
/// so the pages of every document in a batch share the same workers.
pub fn acquire(bytes: &[u8], params: &Params) -> Result<Acquired, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    acquire_as(bytes, detect::detect(bytes), params)
}

/// [`acquire`] for bytes whose kind the caller has already sniffed (e-mail splitting does, to
/// choose attachments), so detection runs once per input.
pub fn acquire_as(bytes: &[u8], kind: detect::Kind, params: &Params) -> Result<Acquired, Error> {
    use detect::Kind;
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    match kind {
        Kind::Text => text::acquire(bytes),
        Kind::Pdf => pdf::acquire(bytes, params),
        kind @ (Kind::Png | Kind::Jpeg | Kind::Tiff | Kind::Bmp | Kind::Webp | Kind::Gif) => {
            image::acquire(bytes, kind, params)
        }
        Kind::Docx => docx::acquire(bytes),
        Kind::OtherOffice => Err(Error::Unsupported(
            "an Office or OpenDocument package that is not a text document (no \
             word/document.xml, no OpenDocument text)"
                .into(),
        )),
        Kind::Zip | Kind::SevenZip => Err(Error::Unsupported(format!(
            "a {} archive: its members are the documents (`kehoach::process_input` and \
             `kehoach ingest` read each)",
            kind.name()
        ))),
        Kind::Rar => Err(Error::Unsupported(
            "a RAR archive: RAR archives are not read; extract it first".into(),
        )),
        Kind::Doc | Kind::Odt | Kind::Rtf => convert::acquire(bytes, kind, params),
        Kind::Spreadsheet => Err(Error::Unsupported(
            "a spreadsheet (.xlsx, .ods, .xls): spreadsheets are not read".into(),
        )),
        Kind::Presentation => Err(Error::Unsupported(
            "a presentation (.pptx, .odp, .ppt): presentations are not read".into(),
        )),
        Kind::EncryptedOffice => Err(Error::Encrypted(
            "the Office document is protected by a password".into(),
        )),
        Kind::Ole => Err(Error::Unsupported(
            "an OLE compound file (old Office format) that is not a Word, Excel or PowerPoint \
             file, or is damaged"
                .into(),
        )),
        Kind::Email => Err(Error::Unsupported(
            "an e-mail message: its attachments are the documents (`kehoach::process_input` \
             and `kehoach ingest` read each)"
                .into(),
        )),
        Kind::Binary => Err(Error::Binary),
    }
}

/// One document from the acquisitions of the files holding its pages, in order (a scan saved
/// one image per page): pages numbered on across the files; the OCR page warnings made again
/// for the new numbers, other warnings kept.
pub fn join_pages(parts: Vec<Acquired>, params: &Params) -> Result<Acquired, Error> {
    let total: usize = parts.iter().map(|p| p.pages.len()).sum();
    if total > params.max_pages {
        return Err(Error::Limit(format!(
            "the page files hold {total} pages, more than the limit of {}",
            params.max_pages
        )));
    }
    let format = parts.first().map_or(Format::Image, |p| p.format);
    let mut pages = Vec::with_capacity(total);
    let mut others = vec![];
    for part in parts {
        for mut page in part.pages {
            page.number = pages.len() as u32 + 1;
            pages.push(page);
        }
        others.extend(
            part.warnings
                .into_iter()
                .filter(|w| !w.code.starts_with("page_")),
        );
    }
    let mut joined = finish(format, pages, params);
    joined.warnings.extend(others);
    Ok(joined)
}

/// [`Error::Limit`] once the document's time is up (checked before each page is OCR'd).
pub(crate) fn check_deadline(params: &Params, page: u32) -> Result<(), Error> {
    match params.deadline {
        Some(d) if std::time::Instant::now() >= d => Err(Error::Limit(format!(
            "time per document ran out before page {page} was read (see --timeout)"
        ))),
        _ => Ok(()),
    }
}

/// A page read by OCR.
fn ocr_page(number: u32, r: ocr::Recognised, params: &Params) -> Page {
    if r.rotated != 0 || r.deskewed.abs() >= 0.1 {
        tracing::debug!(
            page = number,
            rotated = r.rotated,
            deskewed = r.deskewed,
            "page straightened before OCR"
        );
    }
    let layout = layout::PageLayout::from_ocr(&r);
    Page {
        number,
        text: r.text,
        method: PageMethod::Ocr,
        ocr_confidence: Some(r.confidence),
        legacy_font: None,
        ocr_lang: Some(params.ocr_lang.clone()),
        layout,
    }
}

/// The document, with a warning for every OCR page below [`Params::low_confidence`] and for
/// every OCR page that read as blank (so an unreadable page is never silently empty).
fn finish(format: Format, pages: Vec<Page>, params: &Params) -> Acquired {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn recognised(text: &str, confidence: f32) -> ocr::Recognised {
        ocr::Recognised {
            text: text.into(),
            confidence,
            rotated: 0,
            deskewed: 0.0,
            lines: vec![],
            size: (0, 0),
        }
    }

    #[test]
    fn no_page_is_read_after_the_documents_time_is_up() {
        let mut png = vec![];
        ::image::GrayImage::new(40, 20)
            .write_to(
                &mut std::io::Cursor::new(&mut png),
                ::image::ImageFormat::Png,
            )
            .unwrap();
        let params = Params {
            deadline: Some(std::time::Instant::now()),
            ..Params::default()
        };
        let e = acquire(&png, &params).unwrap_err();
        assert!(matches!(e, Error::Limit(_)), "{e}");
        assert!(e.to_string().contains("--timeout"), "{e}");
    }

    #[test]
    fn weak_and_blank_ocr_pages_are_warned_about() {
        let params = Params::default();
        let pages = vec![
            ocr_page(1, recognised("Kế hoạch số 3", 0.93), &params),
            ocr_page(2, recognised("Ke hoach so 3", 0.41), &params),
            ocr_page(3, recognised(" \n", 0.0), &params),
        ];
        let acquired = finish(Format::Image, pages, &params);
        let codes: Vec<(&str, bool)> = acquired
            .warnings
            .iter()
            .map(|w| (w.code.as_str(), w.message.starts_with("page ")))
            .collect();
        assert_eq!(
            codes,
            vec![("page_low_confidence", true), ("page_no_text", true)]
        );
        assert!(acquired.warnings[0].message.contains("page 2"));
        assert_eq!(acquired.pages[1].ocr_lang.as_deref(), Some("vie"));
        assert_eq!(acquired.pages[1].method, PageMethod::Ocr);
    }
}
