//! The page images shown beside the text: a PDF's pages rendered through PDFium, scans copied
//! as they are (formats a browser cannot show, TIFF, are converted to PNG page by page).
//!
//! They are read from the input the document names (`source.path`, or its page files), found
//! as given, below the current folder or beside the output folder. Whatever cannot be shown is
//! said in a note on the document's page, never an error: the report of a batch is still made.

use crate::acquire::detect::{Kind, detect};
use crate::contract::{Document, Format};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Each page's image (a path relative to the report folder), and why some are missing.
#[derive(Debug, Default)]
pub struct PageImages {
    pub files: Vec<Option<String>>,
    pub notes: Vec<String>,
}

/// Where the report folder is and how pages are drawn.
pub struct Target<'a> {
    /// The report folder (`OUT_DIR/review`); images go to its `img/` folder.
    pub dir: &'a Path,
    /// The output folder, beside which a relative input path is also looked for.
    pub outputs: &'a Path,
    /// Name stem of this document's images.
    pub stem: &'a str,
    pub dpi: u32,
    pub max_pixels: u64,
}

/// The page images of `doc`, written under `to.dir/img/`.
pub fn write(doc: &Document, to: &Target) -> PageImages {
    let mut out = PageImages {
        files: vec![None; doc.source.pages.len()],
        notes: vec![],
    };
    if doc.source.archive.is_some() || doc.source.message.is_some() {
        out.notes.push(
            "Tài liệu nằm trong tệp nén hoặc thư điện tử: không hiển thị ảnh trang \
             (the document came from inside an archive or an e-mail)."
                .into(),
        );
        return out;
    }
    if !matches!(doc.source.format, Format::Pdf | Format::Image) {
        return out;
    }
    let inputs: Vec<&str> = if doc.source.files.is_empty() {
        vec![doc.source.path.as_str()]
    } else {
        doc.source.files.iter().map(String::as_str).collect()
    };
    let mut page = 0usize;
    for input in inputs {
        let Some(path) = locate(input, to.outputs) else {
            out.notes.push(format!(
                "Không tìm thấy tệp gốc {input}: không hiển thị ảnh trang (input not found)."
            ));
            return out;
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                out.notes.push(format!("{}: {e}", path.display()));
                return out;
            }
        };
        match draw(&bytes, path.as_path(), &mut page, &mut out, to) {
            Ok(()) => {}
            Err(e) => out.notes.push(format!("{}: {e}", path.display())),
        }
    }
    out
}

/// The input as given, else below the current folder, else beside the output folder.
fn locate(input: &str, outputs: &Path) -> Option<PathBuf> {
    let p = Path::new(input);
    let mut candidates = vec![p.to_path_buf()];
    if let Some(parent) = outputs.parent().filter(|_| p.is_relative()) {
        candidates.push(parent.join(p));
    }
    candidates.into_iter().find(|c| c.is_file())
}

/// The pages of one input file, numbered on from `page`.
fn draw(
    bytes: &[u8],
    path: &Path,
    page: &mut usize,
    out: &mut PageImages,
    to: &Target,
) -> Result<(), String> {
    let kind = detect(bytes);
    fn put(out: &mut PageImages, page: &mut usize, name: String) {
        if let Some(slot) = out.files.get_mut(*page) {
            *slot = Some(name);
        }
        *page += 1;
    }
    match kind {
        Kind::Pdf => {
            let pages = out.files.len().saturating_sub(*page);
            for i in 0..pages {
                let image = crate::acquire::pdf::render_page(bytes, i, to.dpi, to.max_pixels)
                    .map_err(|e| e.to_string())?;
                let name = save_png(&image, to, *page + 1)?;
                put(out, page, name);
            }
        }
        Kind::Png | Kind::Jpeg | Kind::Gif | Kind::Webp | Kind::Bmp => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_else(|| kind.name().to_lowercase());
            let name = format!("img/{}-p{}.{ext}", to.stem, *page + 1);
            std::fs::write(to.dir.join(&name), bytes).map_err(|e| e.to_string())?;
            put(out, page, name);
        }
        Kind::Tiff => {
            for image in tiff_pages(bytes)? {
                let name = save_png(&image, to, *page + 1)?;
                put(out, page, name);
            }
        }
        other => return Err(format!("{} is not a page image", other.name())),
    }
    Ok(())
}

fn save_png(image: &image::DynamicImage, to: &Target, number: usize) -> Result<String, String> {
    let name = format!("img/{}-p{number}.png", to.stem);
    image
        .save_with_format(to.dir.join(&name), image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(name)
}

/// Every page of a TIFF in 8-bit grey, grey and alpha, RGB or RGBA (bilevel fax pages,
/// which the `tiff` crate does not decode, are named in the error).
fn tiff_pages(bytes: &[u8]) -> Result<Vec<image::DynamicImage>, String> {
    use tiff::ColorType;
    use tiff::decoder::{Decoder, DecodingResult};
    let bad = |e: tiff::TiffError| format!("TIFF page not shown: {e}");
    let mut decoder = Decoder::new(Cursor::new(bytes)).map_err(bad)?;
    let mut out = vec![];
    loop {
        let (w, h) = decoder.dimensions().map_err(bad)?;
        let colour = decoder.colortype().map_err(bad)?;
        let DecodingResult::U8(data) = decoder.read_image().map_err(bad)? else {
            return Err(format!("TIFF page {} is not 8-bit", out.len() + 1));
        };
        let too_short = || format!("TIFF page {} is shorter than its size", out.len() + 1);
        let image = match colour {
            ColorType::Gray(8) => image::GrayImage::from_raw(w, h, data)
                .map(image::DynamicImage::ImageLuma8)
                .ok_or_else(too_short)?,
            ColorType::GrayA(8) => image::GrayAlphaImage::from_raw(w, h, data)
                .map(image::DynamicImage::ImageLumaA8)
                .ok_or_else(too_short)?,
            ColorType::RGB(8) => image::RgbImage::from_raw(w, h, data)
                .map(image::DynamicImage::ImageRgb8)
                .ok_or_else(too_short)?,
            ColorType::RGBA(8) => image::RgbaImage::from_raw(w, h, data)
                .map(image::DynamicImage::ImageRgba8)
                .ok_or_else(too_short)?,
            other => return Err(format!("TIFF page in {other:?} not shown")),
        };
        out.push(image);
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(bad)?;
    }
    Ok(out)
}
