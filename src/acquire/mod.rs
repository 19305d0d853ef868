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
pub mod furniture;
pub mod image;
pub mod judge;
pub mod layout;
pub mod ocr;
pub mod pdf;
pub mod reflow;
pub mod signature;
pub mod stamps;
pub mod text;

mod error;
mod pages;
mod types;

pub use crate::contract::{Format, PageMethod};
pub use error::Error;
use pages::finish;
pub use types::{Acquired, LegacyFont, Page, Params};

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

#[cfg(test)]
mod tests {
    use super::pages::ocr_page;
    use super::*;

    fn recognised(text: &str, confidence: f32) -> ocr::Recognised {
        ocr::Recognised {
            text: text.into(),
            confidence,
            rotated: 0,
            deskewed: 0.0,
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
        assert!(matches!(e, Error::Timeout { page: 1 }), "{e}");
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
