//! PDF through PDFium (`pdfium-render`), bound at run time to the `libpdfium.so` of the
//! pypdfium2 wheel (PDFium build 8149), found as described at [`library_candidates`].
//!
//! Each page is read from its text layer when that layer is real text, and OCR'd otherwise
//! (no layer, a garbage layer, or a few words on a page that is mostly a scanned image).
//! Layers set in legacy Vietnamese fonts (`.VnTime`, `VNI-Times`) are kept as text with a
//! [`LegacyFont`] mark: restoration converts them, far better than OCR would.
//!
//! PDFium is not thread-safe, so every PDFium call of the process happens under one lock
//! ([`PDFIUM`]); pages are rendered one at a time under it and OCR'd in parallel outside it.

use super::error::Error;
use super::judge::{self, Reading};
use super::layout::{BBox, Glyph, PageLayout};
use super::ocr::{self, PageImage};
use super::pages::{check_deadline, finish, ocr_page};
use super::types::{Acquired, LegacyFont, Page, Params};
use crate::contract::Warning;
use crate::contract::{Format, PageMethod};
use pdfium_render::prelude::*;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Where the pypdfium2 wheel's library sits inside a project (`bash scripts/dev.sh` puts it
/// there).
const PROJECT_LIBRARY: &str = ".tools/pypdfium2/pypdfium2_raw/libpdfium.so";
/// Where an installed kehoach keeps PDFium, relative to its `bin/` folder.
const INSTALLED_LIBRARY: &str = "../lib/kehoach/libpdfium.so";

/// Below this share of plausible characters a text layer is garbage (fonts without a Unicode
/// map give control characters, U+FFFD or private-use code points).
const MIN_TEXT_QUALITY: f32 = 0.9;
/// A page whose images cover at least this share of it is a scan…
const IMAGE_PAGE: f32 = 0.5;
/// …and if its text covers less than this share, the text is a stamp or a page number, not
/// the page: OCR it.
const SMALL_TEXT: f32 = 0.05;

/// The process's PDFium, bound once; `Err` holds why it could not be.
static PDFIUM: OnceLock<Result<Mutex<Pdfium>, String>> = OnceLock::new();

/// Every page of a PDF.
pub fn acquire(bytes: &[u8], params: &Params) -> Result<Acquired, Error> {
    let pdfium = library()?;
    let (mut plans, annotated) = {
        let pdfium = lock(pdfium);
        let doc = open(&pdfium, bytes)?;
        let count = doc.pages().len() as usize;
        if count == 0 {
            return Err(Error::Corrupt("the PDF has no pages".into()));
        }
        if count > params.max_pages {
            return Err(Error::Limit(format!(
                "the PDF has {count} pages, more than the limit of {}",
                params.max_pages
            )));
        }
        let plans = doc
            .pages()
            .iter()
            .map(|page| plan(&page))
            .collect::<Vec<_>>();
        let annotated = doc.pages().iter().any(|p| !p.annotations().is_empty());
        (plans, annotated)
    };
    // Stamps and signatures live in annotations; lopdf parses the file only when there are any.
    let annotations = annotated
        .then(|| lopdf::Document::load_mem(bytes))
        .and_then(|d| {
            d.map_err(|e| tracing::debug!("annotations not read: {e}"))
                .ok()
        });
    let mut signatures = vec![];
    if let Some(doc) = &annotations {
        merge_stamps(doc, &mut plans);
        signatures = super::signature::read(doc, bytes);
    }
    let texts = page_texts(&mut plans);
    // OCR pages render one at a time under the lock (each reopens the document, which costs
    // milliseconds against seconds of OCR) so a long scan never holds every page in memory.
    let results: Vec<Result<(Page, Option<Warning>), Error>> = plans
        .into_par_iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (plan, text))| {
            let number = i as u32 + 1;
            let ocr = || -> Result<Page, Error> {
                check_deadline(params, number)?;
                let image = render(pdfium, bytes, i, params)?;
                let r = ocr::recognise(image, Some(params.dpi), &params.ocr_lang)?;
                Ok(ocr_page(number, r, params))
            };
            match plan {
                Plan::Text { layout, legacy } => {
                    let page = Page {
                        number,
                        text: text.unwrap_or_default(),
                        method: PageMethod::TextLayer,
                        ocr_confidence: None,
                        legacy_font: legacy,
                        ocr_lang: None,
                        layout: Some(layout),
                    };
                    if legacy.is_some() {
                        return Ok((page, None));
                    }
                    reread_if_lying(page, ocr)
                }
                Plan::Ocr => Ok((ocr()?, None)),
                Plan::Rejected => {
                    let warning = Warning::new(
                        "text_layer_rejected",
                        format!(
                            "page {number}: the text layer is not real text (unmapped font \
                             characters); the page was read by OCR"
                        ),
                    );
                    Ok((ocr()?, Some(warning)))
                }
            }
        })
        .collect();
    let mut warnings = vec![];
    let mut pages = vec![];
    for r in results {
        let (page, warning) = r?;
        pages.push(page);
        warnings.extend(warning);
    }
    let mut acquired = finish(Format::Pdf, pages, params);
    acquired.warnings.splice(0..0, warnings);
    acquired.signatures = signatures;
    Ok(acquired)
}

/// A text-layer page whose layer does not read as Vietnamese ([`super::judge`]) is OCR'd, and
/// the better reading kept; a `text_layer_rejected` warning says why when OCR's is taken.
/// Born-digital pages with a good layer are never OCR'd.
fn reread_if_lying(
    page: Page,
    ocr: impl FnOnce() -> Result<Page, Error>,
) -> Result<(Page, Option<Warning>), Error> {
    let layer = Reading::of(&page.text);
    let Some(reason) = layer.rejected(judge::thresholds()) else {
        return Ok((page, None));
    };
    let read = ocr()?;
    let reread = Reading::of(&read.text);
    tracing::debug!(page = page.number, ?layer, ?reread, %reason, "text layer judged");
    if reread.score() <= layer.score() {
        return Ok((page, None));
    }
    let warning = Warning::new(
        "text_layer_rejected",
        format!(
            "page {}: the text layer was not used: {reason}; the page was OCR'd",
            page.number
        ),
    );
    Ok((read, Some(warning)))
}

/// What to do with one page.
enum Plan {
    Text {
        layout: PageLayout,
        legacy: Option<LegacyFont>,
    },
    Ocr,
    /// The page has a text layer, but not of real text (a font without a Unicode map): OCR
    /// it, and say so, since such a page often looked right to whoever made the PDF.
    Rejected,
}

/// Text that annotations draw over text-layer pages (e-signature stamps filling the header's
/// blanks), merged into each page's lines where it sits. Pages to be OCR'd need none: the
/// rendering shows the stamps.
fn merge_stamps(doc: &lopdf::Document, plans: &mut [Plan]) {
    for (plan, stamps) in plans.iter_mut().zip(super::stamps::page_stamps(doc)) {
        if let Plan::Text { layout, .. } = plan {
            for s in stamps {
                tracing::debug!(text = %s.text, x = s.x, baseline = s.baseline, size = s.size, "stamp");
                layout.merge(&s.text, s.x, s.baseline, s.size, s.width);
            }
        }
    }
}

/// The text of every text-layer page (`None` for pages to OCR): page numbers, running lines
/// and footnotes found on all of them together (running lines repeat across pages) and left
/// out, lines joined into paragraphs ([`super::reflow`]).
fn page_texts(plans: &mut [Plan]) -> Vec<Option<String>> {
    let mut layouts: Vec<&mut PageLayout> = plans
        .iter_mut()
        .filter_map(|p| match p {
            Plan::Text { layout, .. } => Some(layout),
            _ => None,
        })
        .collect();
    super::furniture::mark(&mut layouts);
    // Footnotes go to the output as the layer gives them, and a legacy font's layer is
    // mojibake until restore converts it: such pages keep their footnotes in their text.
    for p in plans.iter_mut() {
        if let Plan::Text {
            layout,
            legacy: Some(_),
        } = p
        {
            for l in &mut layout.lines {
                if l.role == super::layout::Role::Footnote {
                    l.role = super::layout::Role::Body;
                }
            }
        }
    }
    let mut out: Vec<Option<String>> = plans.iter().map(|_| None).collect();
    // A paragraph runs on only between pages that follow each other.
    let mut i = 0;
    while i < plans.len() {
        let run: Vec<&PageLayout> = plans[i..]
            .iter()
            .map_while(|p| match p {
                Plan::Text { layout, .. } => Some(layout),
                _ => None,
            })
            .collect();
        if run.is_empty() {
            i += 1;
            continue;
        }
        let n = run.len();
        for (j, t) in super::reflow::texts(&run).into_iter().enumerate() {
            out[i + j] = Some(t);
        }
        i += n;
    }
    out
}

/// Decide from the page's text layer and images. Read errors on one page's layer make it an
/// OCR page rather than failing the document.
fn plan(page: &PdfPage) -> Plan {
    let Ok(text) = page.text() else {
        return Plan::Ocr;
    };
    let page_area = (page.width().value * page.height().value).max(1.0);
    let mut fonts: HashMap<String, usize> = HashMap::new();
    let (mut visible, mut plausible, mut text_area) = (0usize, 0usize, 0f32);
    let mut glyphs = vec![];
    for ch in text.chars().iter() {
        let Some(c) = ch.unicode_char() else {
            visible += 1;
            continue;
        };
        if c.is_whitespace() {
            glyphs.push(Glyph {
                ch: c,
                bbox: None,
                baseline: None,
                size: 0.0,
            });
            continue;
        }
        visible += 1;
        if plausible_char(c) {
            plausible += 1;
        }
        *fonts.entry(ch.font_name()).or_default() += 1;
        let bounds = ch.loose_bounds().ok();
        if let Some(b) = &bounds {
            text_area += (b.width().value * b.height().value).abs();
        }
        glyphs.push(Glyph {
            ch: c,
            bbox: bounds.map(|b| BBox {
                left: b.left().value,
                bottom: b.bottom().value,
                right: b.right().value,
                top: b.top().value,
            }),
            baseline: ch.origin_y().ok().map(|y| y.value),
            size: ch.scaled_font_size().value,
        });
    }
    if visible == 0 {
        return Plan::Ocr;
    }
    let legacy = legacy_font(&fonts, visible);
    if legacy.is_none() && (plausible as f32) < MIN_TEXT_QUALITY * visible as f32 {
        return Plan::Rejected;
    }
    let image_area: f32 = page
        .objects()
        .iter()
        .filter(|o| o.object_type() == PdfPageObjectType::Image)
        .filter_map(|o| o.bounds().ok())
        .map(|q| {
            let r = q.to_rect();
            (r.width().value * r.height().value).abs()
        })
        .sum();
    if image_area / page_area >= IMAGE_PAGE && text_area / page_area < SMALL_TEXT {
        return Plan::Ocr;
    }
    Plan::Text {
        layout: PageLayout::from_glyphs(page.width().value, page.height().value, glyphs),
        legacy,
    }
}

/// Letters (any script), digits, punctuation and symbols; not control characters, U+FFFD or
/// private-use code points.
fn plausible_char(c: char) -> bool {
    !(c.is_control()
        || c == '\u{FFFD}'
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || ('\u{FFF0}'..='\u{FFFF}').contains(&c))
}

/// The legacy family most of the page's characters are set in, if any. Font names may carry
/// a subset tag (`ABCDEF+.VnTime`).
fn legacy_font(fonts: &HashMap<String, usize>, visible: usize) -> Option<LegacyFont> {
    let mut counts = [0usize; 2];
    for (name, n) in fonts {
        match legacy_family(name) {
            Some(LegacyFont::Tcvn3) => counts[0] += n,
            Some(LegacyFont::Vni) => counts[1] += n,
            None => {}
        }
    }
    let (family, n) = if counts[0] >= counts[1] {
        (LegacyFont::Tcvn3, counts[0])
    } else {
        (LegacyFont::Vni, counts[1])
    };
    (n * 2 > visible).then_some(family)
}

/// `.VnTime`, `.VnArialH`, `VnTimeH` (some producers drop the dot) → TCVN3; `VNI-Times`,
/// `VNI-Helve` → VNI.
fn legacy_family(name: &str) -> Option<LegacyFont> {
    let base = name.rsplit_once('+').map_or(name, |(_, b)| b);
    let base = base.trim_start_matches(['.', '_']);
    let upper = base.to_ascii_uppercase();
    if upper.starts_with("VNI-") || upper.starts_with("VNI_") || upper.starts_with("VNI ") {
        return Some(LegacyFont::Vni);
    }
    let mut chars = base.chars();
    (chars.next() == Some('V')
        && chars.next() == Some('n')
        && chars.next().is_some_and(|c| c.is_ascii_uppercase()))
    .then_some(LegacyFont::Tcvn3)
}

/// Page `index` rendered at `params.dpi` as a grey page image.
fn render(
    pdfium: &Mutex<Pdfium>,
    bytes: &[u8],
    index: usize,
    params: &Params,
) -> Result<PageImage, Error> {
    let pdfium = lock(pdfium);
    let doc = open(&pdfium, bytes)?;
    let number = index + 1;
    let failed = |e: PdfiumError| Error::Corrupt(format!("page {number} cannot be rendered: {e}"));
    let page = doc.pages().get(index as PdfPageIndex).map_err(failed)?;
    let scale = params.dpi as f32 / 72.0;
    let (w, h) = (
        (page.width().value * scale).ceil().max(0.0) as u32,
        (page.height().value * scale).ceil().max(0.0) as u32,
    );
    super::image::check_pixels(w, h, params.max_pixels, &format!("page {number}"))?;
    let bitmap = page
        .render_with_config(&PdfRenderConfig::new().scale_page_by_factor(scale))
        .map_err(failed)?;
    let image = bitmap.as_image().map_err(failed)?;
    PageImage::from_dynamic(&image)
        .ok_or_else(|| Error::Corrupt(format!("page {number} rendered to an empty image")))
}

fn open<'a>(pdfium: &'a Pdfium, bytes: &'a [u8]) -> Result<PdfDocument<'a>, Error> {
    pdfium
        .load_pdf_from_byte_slice(bytes, None)
        .map_err(|e| match e {
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => {
                Error::Password
            }
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::SecurityError) => {
                Error::Corrupt("the PDF's security handler is not supported".into())
            }
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::FormatError) => {
                Error::Corrupt("damaged or truncated PDF".into())
            }
            other => Error::Corrupt(format!("PDF cannot be opened: {other}")),
        })
}

/// A poisoned lock only means another document's PDFium call panicked (caught per file by
/// the batch); PDFium itself holds no state between our calls, so carry on.
fn lock(pdfium: &Mutex<Pdfium>) -> std::sync::MutexGuard<'_, Pdfium> {
    pdfium.lock().unwrap_or_else(|p| p.into_inner())
}

fn library() -> Result<&'static Mutex<Pdfium>, Error> {
    PDFIUM
        .get_or_init(|| bind().map(Mutex::new))
        .as_ref()
        .map_err(|reason| Error::NotAvailable {
            format: "PDF",
            reason: reason.clone(),
        })
}

fn bind() -> Result<Pdfium, String> {
    let install = "install kehoach with `bash scripts/dev.sh install` (it puts libpdfium.so \
                   in PREFIX/lib/kehoach/, beside PREFIX/bin/kehoach), or set KEHOACH_PDFIUM \
                   to a libpdfium.so";
    let mut tried = vec![];
    for path in library_candidates() {
        if path.is_file() {
            return Pdfium::bind_to_library(&path)
                .map(Pdfium::new)
                .map_err(|e| format!("cannot load {}: {e}; {install}", path.display()));
        }
        tried.push(path.display().to_string());
    }
    Pdfium::bind_to_system_library()
        .map(Pdfium::new)
        .map_err(|_| {
            format!(
                "libpdfium.so not found (looked in {} and the system's libraries); {install}",
                tried.join(", ")
            )
        })
}

/// `$KEHOACH_PDFIUM` (a file, or a folder holding `libpdfium.so`), then `../lib/kehoach/`
/// beside the running executable (where `bash scripts/dev.sh install PREFIX` puts it:
/// `PREFIX/bin/kehoach`, `PREFIX/lib/kehoach/libpdfium.so`), then
/// `.tools/pypdfium2/pypdfium2_raw/libpdfium.so` under the current folder and under every
/// folder above the running executable (so `target/release/kehoach` finds the project's copy
/// from anywhere); the system's library search path comes last.
fn library_candidates() -> Vec<PathBuf> {
    let mut out = vec![];
    if let Some(p) = std::env::var_os("KEHOACH_PDFIUM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        out.push(if p.is_dir() {
            p.join("libpdfium.so")
        } else {
            p
        });
    }
    let exe = std::env::current_exe().ok();
    if let Some(bin) = exe.as_deref().and_then(Path::parent) {
        out.push(bin.join(INSTALLED_LIBRARY));
    }
    if let Ok(cwd) = std::env::current_dir() {
        out.push(cwd.join(PROJECT_LIBRARY));
    }
    if let Some(exe) = exe {
        out.extend(exe.ancestors().skip(1).map(|d| d.join(PROJECT_LIBRARY)));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p: &PathBuf| seen.insert(p.clone()));
    out
}

/// Run `f` with the process's PDFium, under the lock every PDFium call takes. PDFium can be
/// bound only once per process, so a program (or a test) that also makes or reads PDFs itself
/// must go through here rather than bind its own.
pub fn with_pdfium<T>(f: impl FnOnce(&Pdfium) -> T) -> Result<T, Error> {
    let pdfium = library()?;
    Ok(f(&lock(pdfium)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_font_names_are_recognised() {
        assert_eq!(legacy_family(".VnTime"), Some(LegacyFont::Tcvn3));
        assert_eq!(legacy_family("ABCDEF+.VnTimeH"), Some(LegacyFont::Tcvn3));
        assert_eq!(legacy_family("VnArial"), Some(LegacyFont::Tcvn3));
        assert_eq!(legacy_family("VNI-Times"), Some(LegacyFont::Vni));
        assert_eq!(legacy_family("XYZ+VNI-Helve-Bold"), Some(LegacyFont::Vni));
        assert_eq!(legacy_family("TimesNewRomanPSMT"), None);
        assert_eq!(legacy_family("Verdana"), None);
        assert_eq!(legacy_family("Vnexpress"), None);
    }

    #[test]
    fn most_characters_decide_the_legacy_family() {
        let fonts = HashMap::from([(".VnTime".to_string(), 80), ("Arial".to_string(), 20)]);
        assert_eq!(legacy_font(&fonts, 100), Some(LegacyFont::Tcvn3));
        let fonts = HashMap::from([(".VnTime".to_string(), 20), ("Arial".to_string(), 80)]);
        assert_eq!(legacy_font(&fonts, 100), None);
    }

    #[test]
    fn control_and_private_use_characters_are_implausible() {
        assert!(plausible_char('ệ'));
        assert!(plausible_char('§'));
        assert!(!plausible_char('\u{3}'));
        assert!(!plausible_char('\u{F020}'));
        assert!(!plausible_char('\u{FFFD}'));
    }
}
