//! Scanned images: PNG, JPEG, BMP, WebP, GIF (first frame) through the `image` crate, and
//! TIFF with every page. Each page is OCR'd.
//!
//! Decoder limits come from [`Params::max_pixels`] and are set *before* any pixel is decoded,
//! so a 20-byte PNG declaring 60000×60000 pixels is refused instead of allocating 3.6 GB.

use super::detect::Kind;
use super::error::Error;
use super::ocr::{self, PageImage};
use super::pages::{check_deadline, finish, ocr_page};
use super::types::{Acquired, Params};
use crate::contract::Format;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;
use std::io::{Cursor, Write};
use std::sync::Arc;

/// `bytes` in a temporary file, removed when the last page holding it is done.
fn write_temp(bytes: &[u8]) -> Result<tempfile::TempPath, Error> {
    let io = |e: std::io::Error| {
        Error::Ocr(ocr::Error::Helper(format!(
            "cannot write the TIFF's temporary copy for the OCR helper: {e}"
        )))
    };
    let mut f = tempfile::NamedTempFile::new().map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.flush().map_err(io)?;
    Ok(f.into_temp_path())
}

/// One image file (one page).
pub fn acquire(bytes: &[u8], kind: Kind, params: &Params) -> Result<Acquired, Error> {
    let format = match kind {
        Kind::Png => ImageFormat::Png,
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Bmp => ImageFormat::Bmp,
        Kind::Webp => ImageFormat::WebP,
        Kind::Gif => ImageFormat::Gif,
        Kind::Tiff => return acquire_tiff(bytes, params),
        other => return Err(Error::Unsupported(other.name().into())),
    };
    let image = decode(bytes, format, kind.name(), params.max_pixels)?;
    let page = PageImage::from_dynamic(&image).ok_or_else(|| bad_size(&image))?;
    check_deadline(params, 1)?;
    let recognised = ocr::recognise(page, None, &params.ocr_lang)?;
    Ok(finish(
        Format::Image,
        vec![ocr_page(1, recognised, params)],
        params,
    ))
}

/// A multi-page TIFF: page sizes are checked against the limits from the directory entries
/// (no pixels decoded), then pages are decoded and OCR'd in parallel. Decoding is Leptonica's
/// (libtiff), which reads every compression archives use, CCITT G4 fax included.
fn acquire_tiff(bytes: &[u8], params: &Params) -> Result<Acquired, Error> {
    let corrupt = |e: tiff::TiffError| Error::Corrupt(format!("damaged TIFF: {e}"));
    let mut decoder = tiff::decoder::Decoder::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut pages = 0usize;
    loop {
        pages += 1;
        if pages > params.max_pages {
            return Err(Error::Limit(format!(
                "TIFF has more than {} pages",
                params.max_pages
            )));
        }
        let (w, h) = decoder.dimensions().map_err(corrupt)?;
        check_pixels(w, h, params.max_pixels, &format!("TIFF page {pages}"))?;
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(corrupt)?;
    }
    // The helper decodes the pages from a copy of the file, written once.
    let file = Arc::new(write_temp(bytes)?);
    let pages = (0..pages)
        .into_par_iter()
        .map(|i| {
            let number = i as u32 + 1;
            check_deadline(params, number)?;
            let page = PageImage::Tiff {
                file: Arc::clone(&file),
                page: i,
            };
            let recognised = ocr::recognise(page, None, &params.ocr_lang).map_err(|e| match e {
                ocr::Error::Decode => {
                    Error::Corrupt(format!("TIFF page {number} could not be decoded"))
                }
                e => e.into(),
            })?;
            Ok(ocr_page(number, recognised, params))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(finish(Format::Image, pages, params))
}

/// Decode with limits set from `max_pixels` before the first pixel is read.
fn decode(
    bytes: &[u8],
    format: ImageFormat,
    name: &str,
    max_pixels: u64,
) -> Result<DynamicImage, Error> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    let side = u32::try_from(max_pixels).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    // The widest buffer a decoder makes is 16-bit RGBA: 8 bytes a pixel.
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|e| image_error(e, name))?;
    let (w, h) = decoder.dimensions();
    check_pixels(w, h, max_pixels, name)?;
    DynamicImage::from_decoder(decoder).map_err(|e| image_error(e, name))
}

pub(super) fn check_pixels(w: u32, h: u32, max_pixels: u64, what: &str) -> Result<(), Error> {
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(Error::Limit(format!(
            "{what} of {w}×{h} pixels is over the limit of {max_pixels} pixels"
        )));
    }
    if w == 0 || h == 0 {
        return Err(Error::Corrupt(format!("{what} has no pixels ({w}×{h})")));
    }
    Ok(())
}

fn image_error(e: image::ImageError, name: &str) -> Error {
    match e {
        image::ImageError::Limits(l) => Error::Limit(format!("{name}: {l}")),
        other => Error::Corrupt(format!("damaged {name}: {other}")),
    }
}

fn bad_size(image: &DynamicImage) -> Error {
    Error::Corrupt(format!(
        "image of {}×{} pixels cannot be read",
        image.width(),
        image.height()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG declaring `w × h` pixels, with (almost) no image data behind it.
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 0, 0, 0, 0]); // 8-bit grey
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut png, b"IHDR", &ihdr);
        // An empty zlib stream.
        chunk(
            &mut png,
            b"IDAT",
            &[0x78, 0x01, 0x01, 0, 0, 0xFF, 0xFF, 0, 0, 0, 1],
        );
        chunk(&mut png, b"IEND", &[]);
        png
    }

    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        png.extend(&body);
        png.extend(crc32fast::hash(&body).to_be_bytes());
    }

    #[test]
    fn an_image_bomb_is_refused_before_decoding() {
        let bomb = png_header(60_000, 60_000);
        let e = decode(&bomb, ImageFormat::Png, "PNG", 200_000_000).unwrap_err();
        assert!(matches!(e, Error::Limit(_)), "{e}");
        assert!(e.to_string().contains("60000×60000"), "{e}");
    }

    #[test]
    fn a_truncated_png_is_corrupt() {
        let e = decode(&png_header(100, 100), ImageFormat::Png, "PNG", 1 << 30).unwrap_err();
        assert!(matches!(e, Error::Corrupt(_)), "{e}");
    }
}
