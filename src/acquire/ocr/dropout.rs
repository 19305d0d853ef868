//! Colour dropout of red seal and stamp ink before OCR.
//!
//! On a colour scan, the round red seal, a red stamp or a red signature pressed over the last
//! lines or the header turns dark when the page is made grey (pure red is about 21% luminance),
//! and Tesseract reads the ink as strokes of the letters under it. As archival OCR tools do, a
//! strongly red or magenta pixel is turned to paper white first; black print seen through the
//! ink is dark and not red, so it stays. Blue ink is never dropped: handwritten numbers and days
//! are often written in blue, and the digit reader needs them.
//!
//! Only ink *over* print is dropped: when red covers much of the page or outnumbers the dark
//! print, the page is printed in red and is left as it is. Thresholds: `rules/ink_dropout.toml`.

use image::{DynamicImage, Rgba};
use std::sync::OnceLock;

/// `[red]` of `rules/ink_dropout.toml` (its comments say what each key means).
#[derive(Debug, Clone, serde::Deserialize)]
pub(super) struct Red {
    enabled: bool,
    hue_from: f32,
    hue_to: f32,
    min_saturation: f32,
    min_chroma: u8,
    min_value: u8,
    max_page_share: f64,
    max_ink_ratio: f64,
    dark: u8,
    tile: u32,
    tile_print: f64,
    fringe_chroma: u8,
}

#[derive(serde::Deserialize)]
struct Raw {
    red: Red,
}

impl Red {
    fn parse(text: &str) -> Result<Red, String> {
        toml::from_str::<Raw>(text)
            .map(|r| r.red)
            .map_err(|e| e.to_string())
    }

    /// The built-in thresholds, loaded once (the acquire stage runs before any `--rules`
    /// folder is read, as for the header layout).
    pub(super) fn get() -> &'static Red {
        static R: OnceLock<Red> = OnceLock::new();
        R.get_or_init(|| {
            let text = crate::rules::Rules::builtin()
                .text("ink_dropout.toml")
                .unwrap_or_default();
            Red::parse(&text).expect("embedded rules/ink_dropout.toml is valid (tested)")
        })
    }

    /// Whether a pixel is red or magenta ink: hue in the red range, saturated, and bright
    /// enough not to be black print seen through the ink. Mostly transparent pixels are paper.
    fn is_red(&self, p: &Rgba<u8>) -> bool {
        let (max, chroma) = max_chroma(p);
        p.0[3] >= 128
            && chroma >= self.min_chroma
            && max >= self.min_value
            && f32::from(chroma) / f32::from(max) >= self.min_saturation
            && self.red_hue(p)
    }

    /// Whether a pixel's hue is in the red range (grey pixels have none).
    fn red_hue(&self, p: &Rgba<u8>) -> bool {
        let [r, g, b, _] = p.0;
        let (max, chroma) = max_chroma(p);
        if chroma == 0 {
            return false;
        }
        let (rf, gf, bf, c) = (f32::from(r), f32::from(g), f32::from(b), f32::from(chroma));
        let hue = if max == r {
            (60.0 * (gf - bf) / c).rem_euclid(360.0)
        } else if max == g {
            60.0 * ((bf - rf) / c + 2.0)
        } else {
            60.0 * ((rf - gf) / c + 4.0)
        };
        hue >= self.hue_from || hue <= self.hue_to
    }

    /// Whether a pixel of a dropped square is paler red ink (blended with the paper or the
    /// print at the ink's edge).
    fn is_fringe(&self, p: &Rgba<u8>) -> bool {
        max_chroma(p).1 >= self.fringe_chroma && self.red_hue(p)
    }

    /// Whether a pixel (not red) is print: dark in grey.
    fn is_dark(&self, p: &Rgba<u8>) -> bool {
        let [r, g, b, a] = p.0;
        // Rec. 709 luma, as `image`'s grey conversion.
        let luma = 0.2126 * f32::from(r) + 0.7152 * f32::from(g) + 0.0722 * f32::from(b);
        a >= 128 && luma < f32::from(self.dark)
    }
}

/// The page with its red ink turned white, or `None` when nothing is to be dropped: the image
/// is grey, the dropout is off, the page has no red ink, or its red is print (too much of the
/// page, or more than its dark print).
pub(super) fn drop_red(image: &DynamicImage, t: &Red) -> Option<DynamicImage> {
    if !t.enabled || !image.color().has_color() {
        return None;
    }
    let mut rgba = image.to_rgba8();
    let (w, h) = rgba.dimensions();
    let side = t.tile.max(1);
    let (across, down) = (w.div_ceil(side) as usize, h.div_ceil(side) as usize);
    // Red and print pixels of each square.
    let mut red = vec![0u32; across * down];
    let mut dark = vec![0u32; across * down];
    for (x, y, p) in rgba.enumerate_pixels() {
        let i = (y / side) as usize * across + (x / side) as usize;
        if t.is_red(p) {
            red[i] += 1;
        } else if t.is_dark(p) {
            dark[i] += 1;
        }
    }
    let (all_red, all_dark) = (sum(&red), sum(&dark));
    let total = u64::from(w) * u64::from(h);
    if all_red == 0
        || all_red as f64 > t.max_page_share * total as f64
        || all_red as f64 > t.max_ink_ratio * all_dark as f64
    {
        return None;
    }
    let square = f64::from(side * side);
    let covers: Vec<bool> = red
        .iter()
        .zip(&dark)
        .map(|(&r, &d)| r > 0 && f64::from(d) >= t.tile_print * square)
        .collect();
    if !covers.contains(&true) {
        return None;
    }
    for (x, y, p) in rgba.enumerate_pixels_mut() {
        if !covers[(y / side) as usize * across + (x / side) as usize] {
            continue;
        }
        if t.is_red(p) {
            p.0 = [255, 255, 255, p.0[3]];
        } else if t.is_fringe(p) {
            let v = max_chroma(p).0;
            p.0 = [v, v, v, p.0[3]];
        }
    }
    Some(DynamicImage::ImageRgba8(rgba))
}

/// A pixel's value (its brightest channel) and chroma (brightest less darkest).
fn max_chroma(p: &Rgba<u8>) -> (u8, u8) {
    let [r, g, b, _] = p.0;
    let max = r.max(g).max(b);
    (max, max - r.min(g).min(b))
}

fn sum(counts: &[u32]) -> u64 {
    counts.iter().map(|&c| u64::from(c)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

    const PAPER: [u8; 3] = [250, 248, 240];
    const BLACK: [u8; 3] = [20, 20, 25];
    const SEAL: [u8; 3] = [215, 45, 55];
    const BLUE: [u8; 3] = [30, 60, 190];

    /// The built-in thresholds, switched on (the switch itself is tested below).
    fn rules() -> &'static Red {
        static ON: OnceLock<Red> = OnceLock::new();
        ON.get_or_init(|| Red {
            enabled: true,
            ..Red::get().clone()
        })
    }

    /// A 200×200 page: black "text" bars on rows 10-69, a red seal disc over part of them, a
    /// blue handwritten stroke, and a red stamp on blank paper below (rows 130-169).
    fn page() -> RgbImage {
        RgbImage::from_fn(200, 200, |x, y| {
            let text = (10..70).contains(&y) && y % 6 < 3 && (5..95).contains(&x);
            let (dx, dy) = (x as i32 - 60, y as i32 - 45);
            let seal = dx * dx + dy * dy <= 15 * 15;
            let blue = (80..84).contains(&y) && (10..40).contains(&x);
            let stamp = (130..170).contains(&y) && (120..160).contains(&x) && x % 4 < 2;
            image::Rgb(if text {
                BLACK
            } else if seal || stamp {
                SEAL
            } else if blue {
                BLUE
            } else {
                PAPER
            })
        })
    }

    #[test]
    fn red_seal_over_text_is_dropped_blue_and_black_kept() {
        let before = page();
        let after = drop_red(&DynamicImage::ImageRgb8(before.clone()), rules())
            .expect("a small red seal over black print is dropped")
            .to_rgb8();
        let mut seal_left = 0;
        for (x, y, p) in before.enumerate_pixels() {
            let q = after.get_pixel(x, y).0;
            match p.0 {
                SEAL if y < 100 => seal_left += usize::from(q != [255, 255, 255]),
                other => assert_eq!(q, other, "pixel ({x},{y}) is not red ink over print: kept"),
            }
        }
        assert_eq!(seal_left, 0, "every red pixel over the print is white");
        // The black bar under the seal's centre is still there.
        assert_eq!(after.get_pixel(60, 43).0, BLACK);
        assert_eq!(after.get_pixel(20, 81).0, BLUE);
    }

    #[test]
    fn a_page_printed_in_red_is_left_alone() {
        let all_red = RgbImage::from_pixel(50, 50, image::Rgb(SEAL));
        assert!(drop_red(&DynamicImage::ImageRgb8(all_red), rules()).is_none());
        // Red text and no black print: the red is the print.
        let red_text = RgbImage::from_fn(60, 60, |_, y| {
            image::Rgb(if y % 6 < 2 { SEAL } else { PAPER })
        });
        assert!(drop_red(&DynamicImage::ImageRgb8(red_text), rules()).is_none());
    }

    #[test]
    fn grey_pages_and_the_switch_are_respected() {
        let grey = DynamicImage::ImageRgb8(page()).grayscale();
        assert!(drop_red(&grey, rules()).is_none());
        let off = Red {
            enabled: false,
            ..rules().clone()
        };
        assert!(drop_red(&DynamicImage::ImageRgb8(page()), &off).is_none());
    }
}
