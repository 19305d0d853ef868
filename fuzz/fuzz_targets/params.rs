// Shared by the targets: acquisition knobs that keep OCR of a fuzzed image fast (a 30-dpi
// render, at most 4 million pixels) without skipping any code path.
#[allow(dead_code)]
pub fn params() -> kehoach::Params {
    let mut p = kehoach::Params::default();
    p.acquire.dpi = 30;
    p.acquire.max_pixels = 4_000_000;
    p
}
