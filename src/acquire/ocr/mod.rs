//! OCR of page images, done by the `kehoach-ocr` helper process ([`engine`]).
//!
//! Why a second process:
//! - **Start-up.** Linking Tesseract loads it and the ~55 libraries it pulls in (libcurl and
//!   its TLS stack among them) at every start of `kehoach`: about 10 ms of a 22 ms
//!   `kehoach restore` of one line, for a command that never OCRs.
//! - **A crash stays one page's error.** Tesseract and Leptonica are C and C++: an abort on a
//!   damaged scan would end the whole batch. Here the helper dies, that page's file fails with
//!   a clear error, and the next page starts a new helper.
//! - **OpenMP.** Tesseract needs `OMP_THREAD_LIMIT=1` before its process starts (otherwise each
//!   page is ~9× slower); the helper is simply started with it.
//!
//! Each worker thread keeps its own helper (and the helper its engines), so pages are read in
//! parallel and each engine's model loads once per thread.

mod boxes;
mod cache;
pub mod digits;
mod dropout;
#[doc(hidden)]
pub mod engine;
pub mod header;

pub use engine::{Error, Recognised};
use engine::{PageSpec, Request};
use std::cell::RefCell;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;

/// The image of one page, ready for OCR.
#[derive(Debug, Clone)]
pub enum PageImage {
    /// 8-bit grey pixels, row after row.
    Gray {
        width: u32,
        height: u32,
        pixels: Vec<u8>,
    },
    /// Page `page` (from 0) of a TIFF file the helper decodes (Leptonica's libtiff reads every
    /// compression archives use, CCITT G4 fax included).
    Tiff {
        file: Arc<tempfile::TempPath>,
        page: usize,
    },
}

impl PageImage {
    /// A decoded image in grey, flattened onto white paper when it has transparency (a
    /// transparent background would otherwise read as black). On a colour page, red seal and
    /// stamp ink over the print is dropped first ([`dropout`]). The OCR cache is keyed by
    /// these grey pixels, so a change to the dropout is never answered with an old reading.
    pub fn from_dynamic(image: &image::DynamicImage) -> Option<PageImage> {
        let dropped = dropout::drop_red(image, dropout::Red::get());
        let image = dropped.as_ref().unwrap_or(image);
        let (width, height) = (image.width(), image.height());
        let pixels = if image.color().has_alpha() {
            let la = image.to_luma_alpha8();
            la.pixels()
                .map(|p| {
                    let [l, a] = p.0;
                    let (l, a) = (u32::from(l), u32::from(a));
                    ((l * a + 255 * (255 - a)) / 255) as u8
                })
                .collect()
        } else {
            image.to_luma8().into_raw()
        };
        (width > 0 && height > 0).then_some(PageImage::Gray {
            width,
            height,
            pixels,
        })
    }
}

/// Recognise one page in this thread's helper. `dpi` is the scan resolution when known (PDF
/// renders); otherwise Tesseract estimates it from the text's x-height (a TIFF's own
/// resolution is kept).
pub fn recognise(page: PageImage, dpi: Option<u32>, lang: &str) -> Result<Recognised, Error> {
    let (spec, pixels) = match page {
        PageImage::Gray {
            width,
            height,
            pixels,
        } => (PageSpec::Gray { width, height }, pixels),
        PageImage::Tiff { file, page } => (
            PageSpec::Tiff {
                path: file.to_path_buf(),
                page,
            },
            vec![],
        ),
    };
    let request = Request {
        lang: lang.to_string(),
        dpi,
        page: spec,
    };
    cache::through(&request, &pixels, || ask_helper(&request, &pixels))
}

/// Recognise one page in this thread's helper, starting it when needed.
fn ask_helper(request: &Request, pixels: &[u8]) -> Result<Recognised, Error> {
    HELPER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(Helper::start()?);
        }
        let helper = slot.as_mut().expect("started above");
        match helper.ask(request, pixels) {
            Ok(answer) => answer,
            Err(e) => {
                // Out of step or dead: this page fails, the next one starts a new helper.
                let mut gone = slot.take().expect("present");
                let _ = gone.child.kill();
                let status = gone
                    .child
                    .wait()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|e| e.to_string());
                Err(Error::Helper(format!(
                    "the OCR helper stopped on this page ({status}): {e}"
                )))
            }
        }
    })
}

thread_local! {
    /// This thread's helper, started on its first page.
    static HELPER: RefCell<Option<Helper>> = const { RefCell::new(None) };
}

/// A running `kehoach-ocr`.
struct Helper {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Helper {
    fn start() -> Result<Helper, Error> {
        let path = helper_path();
        let mut child = Command::new(&path)
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                Error::Helper(format!(
                    "cannot start the OCR helper {} ({e}); it is built with kehoach \
                     (`cargo build --release`), or set KEHOACH_OCR_HELPER to its path",
                    path.display()
                ))
            })?;
        let input = child.stdin.take().expect("piped");
        let output = BufReader::new(child.stdout.take().expect("piped"));
        Ok(Helper {
            child,
            input,
            output,
        })
    }

    fn ask(
        &mut self,
        request: &Request,
        pixels: &[u8],
    ) -> std::io::Result<Result<Recognised, Error>> {
        serde_json::to_writer(&mut self.input, request)?;
        self.input.write_all(b"\n")?;
        self.input.write_all(pixels)?;
        self.input.flush()?;
        let mut line = String::new();
        if self.output.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "no answer",
            ));
        }
        serde_json::from_str(&line).map_err(std::io::Error::other)
    }
}

impl Drop for Helper {
    /// A worker thread's pool ended (a batch's `--jobs` pool): its helper is idle between
    /// pages, so stopping it loses nothing, and waiting leaves no zombie process.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `KEHOACH_OCR_HELPER`, else `kehoach-ocr` beside this executable (or one folder up, where
/// Cargo puts the binaries a test executable in `deps/` runs beside), else on the `PATH`.
fn helper_path() -> PathBuf {
    const NAME: &str = "kehoach-ocr";
    if let Some(p) = std::env::var_os("KEHOACH_OCR_HELPER") {
        return PathBuf::from(p);
    }
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(2) {
            let p = dir.join(NAME);
            if p.is_file() {
                return p;
            }
        }
    }
    PathBuf::from(NAME)
}
