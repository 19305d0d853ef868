//! OCR of one page image: orientation (Tesseract OSD), deskew (Leptonica), then Tesseract
//! recognition with the page's blocks kept apart. This runs in the `kehoach-ocr` helper
//! process ([`serve`]; see [`super`] for why); only the helper links Tesseract and Leptonica.
//!
//! Engines are expensive to start (the `vie` model loads in ~0.3 s), so each thread keeps its
//! own, reused for every page it handles ([`thread_local!`]).
//!
//! Tesseract's OpenMP must be limited to one thread per process *before* the process starts:
//! the helper is started with `OMP_THREAD_LIMIT=1`, and our parallelism is one helper per
//! worker thread.

use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::os::raw::{c_float, c_int, c_void};
use std::path::PathBuf;
use tesseract_rs::{TessPageSegMode, TesseractAPI};

/// Why a page could not be recognised.
#[derive(Debug, thiserror::Error, Serialize, Deserialize)]
pub enum Error {
    #[error(
        "Tesseract could not load language '{0}' (is its model installed? e.g. `apt-get install tesseract-ocr-vie`)"
    )]
    Language(String),
    #[error("Tesseract failed: {0}")]
    Engine(String),
    #[error("Leptonica could not turn the page image")]
    Image,
    #[error("the page image could not be decoded")]
    Decode,
    #[error("{0}")]
    Helper(String),
}

/// What Tesseract read on one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recognised {
    /// Every line Tesseract found, block by block (one column's lines stay together).
    pub text: String,
    /// Tesseract's mean word confidence, 0..=1.
    pub confidence: f32,
    /// Clockwise degrees (0, 90, 180, 270) the page was turned before recognition.
    pub rotated: u32,
    /// Degrees of skew removed before recognition.
    pub deskewed: f32,
    /// The words of `text`, line by line (an empty line where `text` has a blank one), with
    /// their boxes in pixels of the page as recognised (turned and deskewed), so later steps
    /// can read the header by where its parts sit.
    #[serde(default)]
    pub lines: Vec<Vec<Word>>,
    /// Width and height in pixels of the page as recognised.
    #[serde(default)]
    pub size: (u32, u32),
    /// What the handwritten-digit reader read in the header's blanks, each with the index of
    /// its line in `lines` ([`super::digits`]).
    #[serde(default)]
    pub figures: Vec<(usize, super::digits::Figures)>,
}

/// OSD's confidence must reach this before a page is turned: below it the guess is as likely
/// to turn an upright page as to right a turned one (upright text scores ~10, a turned page
/// ~9–10, pages with little text 0–2).
const MIN_ORIENTATION_CONFIDENCE: f32 = 2.0;

pub use lept::Pix;

/// Upright pages of ordinary print read at a mean word confidence of 0.85–0.96; a page upside
/// down reads at ~0.42. Above this, and with its words lying flat (a page turned a quarter is
/// read confidently too, see [`mostly_vertical`]), the page is taken as upright and orientation
/// detection, which costs about a tenth of a page's recognition, is skipped.
const UPRIGHT_CONFIDENCE: f32 = 0.75;

/// Recognise one page. `dpi` is the scan resolution when known (PDF renders, TIFF tags);
/// otherwise Tesseract estimates it from the text's x-height.
///
/// Most pages are upright, so the page is read as it lies first; only when that reading is
/// unsure is Tesseract's orientation detection asked, and the page read again turned when it
/// finds a confident orientation. The more confident of the two readings is kept.
pub fn recognise(page: Pix, dpi: Option<u32>, lang: &str) -> Result<Recognised, Error> {
    let mut pix = page;
    if let Some(dpi) = dpi {
        pix.set_resolution(dpi);
    }
    let started = std::time::Instant::now();
    let (first, sideways) = read_straightened(&pix, lang, 0)?;
    if first.confidence >= UPRIGHT_CONFIDENCE && !sideways {
        tracing::debug!(took = ?started.elapsed(), "page OCR'd as it lies");
        return Ok(first);
    }
    // OSD needs only the shapes of letters: on a copy at about 150 dpi it takes a quarter of
    // the time it takes on a 300-dpi page, with the same answer.
    let small = pix.scaled_to(OSD_LONG_SIDE);
    let rotated = with_engine("osd", TessPageSegMode::PSM_OSD_ONLY, |osd| {
        Ok(orientation(osd, small.as_ref().unwrap_or(&pix)))
    })?;
    drop(small);
    if rotated == 0 {
        tracing::debug!(took = ?started.elapsed(), "page OCR'd; OSD finds it upright");
        return Ok(first);
    }
    let turned = pix.rotate_orth(rotated / 90).ok_or(Error::Image)?;
    let (second, _) = read_straightened(&turned, lang, rotated)?;
    tracing::debug!(
        took = ?started.elapsed(),
        rotated,
        first = first.confidence,
        second = second.confidence,
        "page OCR'd twice"
    );
    Ok(if second.confidence >= first.confidence {
        second
    } else {
        first
    })
}

/// Deskew (small angles) and recognise a page already turned `rotated` degrees; also whether
/// the words lie sideways (see [`mostly_vertical`]).
fn read_straightened(pix: &Pix, lang: &str, rotated: u32) -> Result<(Recognised, bool), Error> {
    let (deskewed_pix, deskewed) = pix.deskew();
    let pix = deskewed_pix.as_ref().unwrap_or(pix);
    with_engine(lang, TessPageSegMode::PSM_AUTO, |api| {
        let engine = |e: tesseract_rs::TesseractError| Error::Engine(e.to_string());
        api.set_image_2(pix.as_ptr()).map_err(engine)?;
        api.recognize().map_err(engine)?;
        let blocks = words(api)?;
        let lines = arrange(&blocks);
        let text = text_of(&lines);
        let words: Vec<Vec<super::digits::Word>> = lines
            .iter()
            .map(|l| {
                l.iter()
                    .map(|w| super::digits::Word {
                        text: &w.text,
                        left: w.left,
                        top: w.top,
                        right: w.right,
                        bottom: w.bottom,
                    })
                    .collect()
            })
            .collect();
        // Tesseract reads the header's blanks (its top two fifths) again, as figures alone.
        let header = pix.height() as i32 * 2 / 5;
        let figures = super::digits::read_blanks(
            &words,
            |l, t, r, b| pix.gray_crop(l, t, r, b),
            |crop, top| (top < header).then(|| figures_by_tesseract(crop)).flatten(),
        );
        let size = (pix.width(), pix.height());
        let confidence = api.mean_text_conf().map_err(engine)?.clamp(0, 100) as f32 / 100.0;
        // Free the page's image and results now; the loaded model stays.
        api.clear().map_err(engine)?;
        Ok((
            Recognised {
                text,
                confidence,
                rotated,
                deskewed,
                lines,
                size,
                figures,
            },
            mostly_vertical(&blocks),
        ))
    })
}

thread_local! {
    /// This thread's engine for a blank's figures (see [`figures_by_tesseract`]).
    static FIGURE_ENGINE: RefCell<Option<TesseractAPI>> = const { RefCell::new(None) };
}

/// Tesseract's reading of a blank's crop as figures alone (the English model, one line, only
/// digits allowed): where the page's reading saw marks (`Ø7`, `4#`) among printed words, the
/// crop holds the handwriting alone. A reading apart from the digit reader's, to agree with it.
fn figures_by_tesseract(c: &super::digits::Crop) -> Option<(String, f32)> {
    FIGURE_ENGINE.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let api = start_engine("eng", TessPageSegMode::PSM_SINGLE_LINE).ok()?;
            api.set_variable("tessedit_char_whitelist", "0123456789")
                .ok()?;
            *slot = Some(api);
        }
        let api = slot.as_ref()?;
        let (w, h) = (i32::try_from(c.width).ok()?, i32::try_from(c.height).ok()?);
        api.set_image(&c.pixels, w, h, 1, w).ok()?;
        let text = api.get_utf8_text().ok();
        let conf = api.mean_text_conf().ok();
        let _ = api.clear();
        let digits = text?.chars().filter(char::is_ascii_digit).collect();
        Some((digits, conf?.clamp(0, 100) as f32 / 100.0))
    })
}

/// Whether most words of three letters or more are taller than wide: Tesseract then read a
/// page lying on its side line by line, confidently but with the blocks of its layout (the
/// header's two columns) run together, so the page is better turned and read again.
fn mostly_vertical(blocks: &Blocks) -> bool {
    let (mut tall, mut all) = (0usize, 0usize);
    for w in blocks.iter().flatten().flatten() {
        if w.text.chars().filter(|c| c.is_alphanumeric()).count() >= 3 {
            all += 1;
            if w.bottom - w.top > w.right - w.left {
                tall += 1;
            }
        }
    }
    all > 0 && 2 * tall > all
}

/// One recognised word, its box in pixels (y going down) and Tesseract's confidence in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    /// 0..=1.
    #[serde(default)]
    pub conf: f32,
}

/// Words as Tesseract found them: blocks of lines of words, in its reading order.
type Blocks = Vec<Vec<Vec<Word>>>;

/// Every word of the recognised page, grouped by block and line (line and block changes are
/// seen as changes of the enclosing box).
fn words(api: &TesseractAPI) -> Result<Blocks, Error> {
    use tesseract_rs::TessPageIteratorLevel::{RIL_BLOCK, RIL_TEXTLINE, RIL_WORD};
    let mut blocks: Blocks = vec![];
    let Ok(it) = api.get_iterator() else {
        return Ok(blocks); // a page without any text
    };
    let (mut block_box, mut line_box) = (None, None);
    loop {
        if let (Ok(text), Ok((left, top, right, bottom))) =
            (it.get_utf8_text(RIL_WORD), it.get_bounding_box(RIL_WORD))
        {
            let b = it.get_bounding_box(RIL_BLOCK).ok();
            let l = it.get_bounding_box(RIL_TEXTLINE).ok();
            if blocks.is_empty() || b != block_box {
                blocks.push(vec![]);
                line_box = None;
            }
            let block = blocks.last_mut().expect("pushed above");
            if block.is_empty() || l != line_box {
                block.push(vec![]);
            }
            (block_box, line_box) = (b, l);
            let conf = it.confidence(RIL_WORD).unwrap_or(0.0).clamp(0.0, 100.0) / 100.0;
            block.last_mut().expect("pushed above").push(Word {
                text,
                left,
                top,
                right,
                bottom,
                conf,
            });
        }
        if !it
            .next(RIL_WORD)
            .map_err(|e| Error::Engine(e.to_string()))?
        {
            break;
        }
    }
    Ok(blocks)
}

/// A gap wider than this many line heights splits a line into two columns' pieces (word
/// gaps, even in justified text, stay under about one line height).
const COLUMN_GAP: f32 = 3.0;

/// The page's text, with columns that Tesseract merged into one block pulled apart.
///
/// A Vietnamese plan's header is two columns side by side (issuing body and number on the
/// left; national motto, place and date on the right) of only three or four lines: too little
/// for Tesseract's column finder, which then reads them across as single lines
/// ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI…"). Within a block, consecutive lines that have a
/// column-wide gap, with the lines next to them lying wholly on one side of it, are read as
/// the left column then the right. Every word is kept.
pub fn layout(blocks: &Blocks) -> String {
    text_of(&arrange(blocks))
}

/// The text of arranged lines: one line each, an empty line for a blank one.
fn text_of(lines: &[Vec<Word>]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(&join(&[l]));
        out.push('\n');
    }
    out
}

/// The lines [`layout`] reads, in its order, each with its words (an empty line between
/// blocks).
pub fn arrange(blocks: &Blocks) -> Vec<Vec<Word>> {
    // Tesseract may also cut the header into blocks across the columns (its first line one
    // block, the rest another), so runs are looked for across blocks.
    let lines: Vec<(bool, Vec<&[Word]>)> = blocks
        .iter()
        .flat_map(|b| {
            b.iter()
                .enumerate()
                .map(|(i, l)| (i == 0, split_at_gaps(l)))
        })
        .collect();
    let mut out: Vec<Vec<Word>> = vec![];
    let mut emit = |column: Vec<Vec<Word>>, new_block: bool| {
        if new_block && !out.is_empty() {
            out.push(vec![]);
        }
        out.extend(column);
    };
    let mut i = 0;
    while i < lines.len() {
        let (new_block, pieces) = &lines[i];
        if pieces.len() < 2 {
            emit(vec![pieces.concat()], *new_block);
            i += 1;
            continue;
        }
        // A run of split lines: where the columns divide.
        let mut end = i;
        let mut mids = vec![];
        while end < lines.len() && lines[end].1.len() >= 2 {
            let p = &lines[end].1;
            mids.push((p[0].last().unwrap().right + p[1][0].left) / 2);
            end += 1;
        }
        mids.sort_unstable();
        let boundary = mids[mids.len() / 2];
        let one_side = |p: &Vec<&[Word]>| {
            p.len() == 1 && {
                let (l, r) = (p[0][0].left, p[0].last().unwrap().right);
                r < boundary || l > boundary
            }
        };
        // Lines just below the run that lie on one side belong to the columns too (one
        // column is often a line longer than the other).
        while end < lines.len() && (lines[end].1.len() >= 2 || one_side(&lines[end].1)) {
            end += 1;
        }
        let (mut left, mut right) = (vec![], vec![]);
        for (_, p) in &lines[i..end] {
            for piece in p {
                let centre = (piece[0].left + piece.last().unwrap().right) / 2;
                if centre < boundary {
                    left.push(piece.to_vec());
                } else {
                    right.push(piece.to_vec());
                }
            }
        }
        let mut first = *new_block;
        for column in [left, right].into_iter().filter(|c| !c.is_empty()) {
            emit(column, first);
            first = false;
        }
        i = end;
    }
    out
}

/// A line cut where the gap between two words is wider than [`COLUMN_GAP`] line heights.
fn split_at_gaps(line: &[Word]) -> Vec<&[Word]> {
    let mut heights: Vec<i32> = line.iter().map(|w| w.bottom - w.top).collect();
    heights.sort_unstable();
    let height = heights.get(heights.len() / 2).copied().unwrap_or(0).max(1) as f32;
    let mut pieces = vec![];
    let mut start = 0;
    for i in 1..line.len() {
        if (line[i].left - line[i - 1].right) as f32 > COLUMN_GAP * height {
            pieces.push(&line[start..i]);
            start = i;
        }
    }
    if start < line.len() {
        pieces.push(&line[start..]);
    }
    pieces
}

fn join(pieces: &[&[Word]]) -> String {
    pieces
        .iter()
        .flat_map(|p| p.iter().map(|w| w.text.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Clockwise degrees that make the page upright, or 0 when OSD is unsure (too little text).
fn orientation(osd: &TesseractAPI, pix: &lept::Pix) -> u32 {
    if osd.set_image_2(pix.as_ptr()).is_err() {
        return 0;
    }
    let found = osd.detect_os();
    let _ = osd.clear();
    match found {
        // `orient_deg` is how far the text is turned clockwise; turning the page back is the
        // rest of the circle.
        Ok((deg, conf, _, _)) if conf >= MIN_ORIENTATION_CONFIDENCE => {
            ((360 - deg.rem_euclid(360)) % 360) as u32
        }
        _ => 0,
    }
}

/// The longer side, in pixels, of the copy OSD looks at (an A4 page at 150 dpi).
const OSD_LONG_SIDE: u32 = 1754;

thread_local! {
    /// This thread's engines, one per language string (`vie`, `vie+eng`, `osd`).
    static ENGINES: RefCell<HashMap<String, TesseractAPI>> = RefCell::new(HashMap::new());
}

/// Run `f` with this thread's engine for `lang`, started on first use.
fn with_engine<T>(
    lang: &str,
    mode: TessPageSegMode,
    f: impl FnOnce(&TesseractAPI) -> Result<T, Error>,
) -> Result<T, Error> {
    ENGINES.with(|cell| {
        // Recognition never calls back into rayon, so a thread cannot re-enter here while it
        // holds its engines; should that ever change, a fresh engine is used instead of a panic.
        let Ok(mut engines) = cell.try_borrow_mut() else {
            let api = start_engine(lang, mode)?;
            return f(&api);
        };
        if !engines.contains_key(lang) {
            let api = start_engine(lang, mode)?;
            engines.insert(lang.to_string(), api);
        }
        f(&engines[lang])
    })
}

fn start_engine(lang: &str, mode: TessPageSegMode) -> Result<TesseractAPI, Error> {
    let api = TesseractAPI::new();
    // An empty data path lets Tesseract use TESSDATA_PREFIX or its installed default.
    api.init("", lang)
        .map_err(|_| Error::Language(lang.to_string()))?;
    api.set_page_seg_mode(mode)
        .map_err(|e| Error::Engine(e.to_string()))?;
    // Tesseract's own debug chatter ("Estimating resolution as …") is not for our users.
    let _ = api.set_variable("debug_file", "/dev/null");
    Ok(api)
}

/// One page to recognise, as the helper reads it: a JSON line, then for a grey page its
/// `width × height` bytes.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub lang: String,
    pub dpi: Option<u32>,
    pub page: PageSpec,
}

/// Where a request's page is.
#[derive(Debug, Serialize, Deserialize)]
pub enum PageSpec {
    /// 8-bit grey pixels follow the request line.
    Gray { width: u32, height: u32 },
    /// Page `page` (from 0) of a TIFF file, decoded by Leptonica's libtiff (every compression,
    /// CCITT G4 fax included).
    Tiff { path: PathBuf, page: usize },
}

/// Largest grey page a request may carry (the caller limits pages far below this).
const MAX_REQUEST_PIXELS: u64 = 1 << 31;

/// The helper's loop: a [`Request`] in, a JSON line of `Result<Recognised, Error>` out, until
/// the input ends. A request it cannot read ends the loop (the stream is out of step); the
/// caller then starts a new helper.
pub fn serve(input: &mut impl BufRead, output: &mut impl Write) -> std::io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request: Request = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                let answer: Result<Recognised, Error> =
                    Err(Error::Helper(format!("unreadable request: {e}")));
                serde_json::to_writer(&mut *output, &answer)?;
                output.write_all(b"\n")?;
                return output.flush();
            }
        };
        let page = match request.page {
            PageSpec::Gray { width, height } => {
                let n = u64::from(width) * u64::from(height);
                if n > MAX_REQUEST_PIXELS {
                    return Err(std::io::Error::other("grey page too large"));
                }
                let mut pixels = vec![0u8; n as usize];
                input.read_exact(&mut pixels)?;
                Pix::from_gray(&pixels, width, height).ok_or(Error::Image)
            }
            PageSpec::Tiff { path, page } => std::fs::read(&path)
                .ok()
                .and_then(|bytes| Pix::from_tiff_page(&bytes, page))
                .ok_or(Error::Decode),
        };
        let answer = page.and_then(|pix| recognise(pix, request.dpi, &request.lang));
        serde_json::to_writer(&mut *output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
}

/// The few Leptonica calls we need, on the library libtesseract itself links: Tesseract takes
/// a Leptonica `Pix`, and Leptonica's skew finder is the one Tesseract's authors use.
mod lept {
    use super::*;

    #[repr(C)]
    struct RawPix {
        _private: [u8; 0],
    }

    unsafe extern "C" {
        fn pixCreate(width: c_int, height: c_int, depth: c_int) -> *mut RawPix;
        fn pixGetData(pix: *mut RawPix) -> *mut u32;
        fn pixGetWpl(pix: *const RawPix) -> c_int;
        fn pixSetResolution(pix: *mut RawPix, xres: c_int, yres: c_int) -> c_int;
        fn pixRotateOrth(pix: *mut RawPix, quads: c_int) -> *mut RawPix;
        fn pixFindSkewAndDeskew(
            pix: *mut RawPix,
            redsearch: c_int,
            angle: *mut c_float,
            conf: *mut c_float,
        ) -> *mut RawPix;
        fn pixDestroy(pix: *mut *mut RawPix);
        fn pixReadMemTiff(data: *const u8, size: usize, page: c_int) -> *mut RawPix;
        fn pixGetDepth(pix: *const RawPix) -> c_int;
        fn pixConvertTo8(pix: *mut RawPix, cmapflag: c_int) -> *mut RawPix;
        fn pixGetWidth(pix: *const RawPix) -> c_int;
        fn pixGetHeight(pix: *const RawPix) -> c_int;
        fn pixScale(pix: *mut RawPix, scalex: c_float, scaley: c_float) -> *mut RawPix;
    }

    /// An owned Leptonica image (reference-counted on the C side; we hold one reference).
    pub struct Pix(*mut RawPix);

    impl Pix {
        /// An 8-bit grey Pix holding `gray` (`width × height` bytes).
        pub fn from_gray(gray: &[u8], width: u32, height: u32) -> Option<Pix> {
            let (w, h) = (width as usize, height as usize);
            if w == 0 || h == 0 || gray.len() != w * h || width > i32::MAX as u32 {
                return None;
            }
            // SAFETY: pixCreate returns null or an 8 bpp image of w×h whose rows are `wpl`
            // 32-bit words; we write only inside each row.
            unsafe {
                let raw = pixCreate(width as c_int, height as c_int, 8);
                if raw.is_null() {
                    return None;
                }
                let pix = Pix(raw);
                let wpl = pixGetWpl(raw) as usize;
                let data = pixGetData(raw);
                for (y, row) in gray.chunks_exact(w).enumerate() {
                    let line = data.add(y * wpl);
                    for (x4, px) in row.chunks(4).enumerate() {
                        // Leptonica keeps the first pixel in the most significant byte of
                        // each word, whatever the machine's byte order.
                        let mut word = [255u8; 4];
                        word[..px.len()].copy_from_slice(px);
                        *line.add(x4) = u32::from_be_bytes(word);
                    }
                }
                Some(pix)
            }
        }

        /// Page `page` (from 0) of a TIFF, decoded by Leptonica's libtiff (every compression,
        /// CCITT G4 included), keeping the file's resolution. Bilevel pages stay 1 bit deep;
        /// others become 8-bit grey. The caller has checked the page's size already.
        pub fn from_tiff_page(bytes: &[u8], page: usize) -> Option<Pix> {
            let page = c_int::try_from(page).ok()?;
            // SAFETY: Leptonica reads `bytes` only within its length and returns a new Pix
            // or null.
            let raw = unsafe { pixReadMemTiff(bytes.as_ptr(), bytes.len(), page) };
            if raw.is_null() {
                return None;
            }
            let pix = Pix(raw);
            // SAFETY: pix.0 is live; pixConvertTo8 returns a new Pix or null.
            if unsafe { pixGetDepth(pix.0) } == 1 {
                return Some(pix);
            }
            let grey = unsafe { pixConvertTo8(pix.0, 0) };
            (!grey.is_null()).then_some(Pix(grey))
        }

        /// A smaller copy whose longer side is about `long_side` pixels, or `None` when the
        /// image is not much larger than that already.
        pub fn scaled_to(&self, long_side: u32) -> Option<Pix> {
            // SAFETY: self.0 is a live Pix.
            let (w, h) = unsafe { (pixGetWidth(self.0), pixGetHeight(self.0)) };
            let factor = long_side as f32 / w.max(h).max(1) as f32;
            if factor > 0.8 {
                return None;
            }
            // SAFETY: self.0 is a live Pix; pixScale returns a new Pix or null.
            let raw = unsafe { pixScale(self.0, factor, factor) };
            (!raw.is_null()).then_some(Pix(raw))
        }

        pub fn width(&self) -> u32 {
            // SAFETY: self.0 is a live Pix we hold a reference to.
            unsafe { pixGetWidth(self.0) }.max(0) as u32
        }

        pub fn height(&self) -> u32 {
            // SAFETY: as in `width`.
            unsafe { pixGetHeight(self.0) }.max(0) as u32
        }

        pub fn set_resolution(&mut self, dpi: u32) {
            // SAFETY: self.0 is a live Pix.
            unsafe { pixSetResolution(self.0, dpi as c_int, dpi as c_int) };
        }

        /// Turned clockwise by `quads` quarter turns.
        pub fn rotate_orth(&self, quads: u32) -> Option<Pix> {
            // SAFETY: self.0 is a live Pix; the result is a new Pix or null.
            let raw = unsafe { pixRotateOrth(self.0, quads as c_int) };
            (!raw.is_null()).then_some(Pix(raw))
        }

        /// The page with its skew removed, when Leptonica found a confident angle (it searches
        /// ±7°, and leaves pages under 0.1° alone), and the angle in degrees.
        pub fn deskew(&self) -> (Option<Pix>, f32) {
            let (mut angle, mut conf) = (0.0f32, 0.0f32);
            // SAFETY: self.0 is a live Pix; the result is a new reference (possibly a clone of
            // the input) or null, and we own it either way.
            let raw = unsafe { pixFindSkewAndDeskew(self.0, 0, &mut angle, &mut conf) };
            if raw.is_null() {
                return (None, 0.0);
            }
            (Some(Pix(raw)), angle)
        }

        /// The grey pixels of a box (clipped to the image), or `None` when the image is not
        /// 8 bits deep or the box lies outside it.
        pub fn gray_crop(
            &self,
            l: i32,
            t: i32,
            r: i32,
            b: i32,
        ) -> Option<crate::acquire::ocr::digits::Crop> {
            // SAFETY: self.0 is a live Pix; we read inside its rows only.
            unsafe {
                if pixGetDepth(self.0) != 8 {
                    return None;
                }
                let (w, h) = (pixGetWidth(self.0), pixGetHeight(self.0));
                let (l, t, r, b) = (l.max(0), t.max(0), r.min(w), b.min(h));
                if r <= l || b <= t {
                    return None;
                }
                let wpl = pixGetWpl(self.0) as usize;
                let data = pixGetData(self.0);
                let mut pixels = Vec::with_capacity(((r - l) * (b - t)) as usize);
                for y in t..b {
                    let line = data.add(y as usize * wpl);
                    for x in l..r {
                        let word = (*line.add(x as usize / 4)).to_be_bytes();
                        pixels.push(word[x as usize % 4]);
                    }
                }
                Some(crate::acquire::ocr::digits::Crop {
                    pixels,
                    width: (r - l) as usize,
                    height: (b - t) as usize,
                })
            }
        }

        pub fn as_ptr(&self) -> *mut c_void {
            self.0.cast()
        }
    }

    impl Drop for Pix {
        fn drop(&mut self) {
            // SAFETY: we own one reference; pixDestroy drops it and nulls our pointer.
            unsafe { pixDestroy(&mut self.0) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_page_reads_as_nothing_without_error() {
        let (w, h) = (600u32, 400u32);
        let page = vec![255u8; (w * h) as usize];
        let page = Pix::from_gray(&page, w, h).unwrap();
        let r = recognise(page, Some(300), "eng").unwrap();
        assert!(r.text.trim().is_empty(), "{:?}", r.text);
        assert_eq!(r.rotated, 0);
    }

    fn w(text: &str, left: i32, top: i32) -> Word {
        let right = left + 20 * text.chars().count() as i32;
        Word {
            text: text.into(),
            left,
            top,
            right,
            bottom: top + 40,
            conf: 0.9,
        }
    }

    #[test]
    fn header_columns_merged_into_lines_are_pulled_apart() {
        let block = vec![
            vec![
                w("UBND", 100, 0),
                w("HUYỆN", 200, 0),
                w("CỘNG", 1200, 0),
                w("HÒA", 1300, 0),
            ],
            vec![
                w("Số:", 100, 60),
                w("5/KH", 180, 60),
                w("Độc", 1200, 60),
                w("lập", 1300, 60),
            ],
            vec![w("Hà", 1250, 120), w("Nội", 1320, 120)],
            vec![
                w("KẾ", 600, 300),
                w("HOẠCH", 660, 300),
                w("chung", 800, 300),
            ],
        ];
        assert_eq!(
            layout(&vec![block]),
            "UBND HUYỆN\nSố: 5/KH\nCỘNG HÒA\nĐộc lập\nHà Nội\nKẾ HOẠCH chung\n"
        );
    }

    #[test]
    fn ordinary_lines_and_blocks_are_kept_as_they_are() {
        let blocks = vec![
            vec![
                vec![w("một", 100, 0), w("hai", 200, 0)],
                vec![w("ba", 100, 60)],
            ],
            vec![vec![w("bốn", 100, 300)]],
        ];
        assert_eq!(layout(&blocks), "một hai\nba\n\nbốn\n");
        assert_eq!(layout(&vec![]), "");
    }

    #[test]
    fn words_standing_on_end_mark_a_sideways_page() {
        let flat = vec![vec![vec![
            w("Ủy", 0, 0),
            w("ban", 60, 0),
            w("nhân", 140, 0),
        ]]];
        assert!(!mostly_vertical(&flat));
        // The same words as Tesseract boxes them on a page turned a quarter.
        let turn = |w: Word| Word {
            left: w.top,
            top: w.left,
            right: w.bottom,
            bottom: w.right,
            ..w
        };
        let sideways: Blocks = flat
            .iter()
            .map(|b| {
                b.iter()
                    .map(|l| l.iter().cloned().map(turn).collect())
                    .collect()
            })
            .collect();
        assert!(mostly_vertical(&sideways));
        assert!(!mostly_vertical(&vec![]));
    }

    #[test]
    fn a_missing_language_is_a_clear_error() {
        let page = Pix::from_gray(&[255u8; 100 * 100], 100, 100).unwrap();
        let e = recognise(page, None, "no_such_lang").unwrap_err();
        assert!(e.to_string().contains("no_such_lang"), "{e}");
    }

    #[test]
    fn a_wrong_sized_buffer_is_refused() {
        assert!(Pix::from_gray(&[0u8; 10], 100, 100).is_none());
        assert!(Pix::from_gray(&[], 0, 0).is_none());
    }
}
