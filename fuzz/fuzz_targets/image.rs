//! Acquisition of arbitrary bytes, seeded with small PNG, TIFF and JPEG scans: the image
//! decoders, the pixel limit, page splitting and OCR.
#![no_main]

mod params;

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static PARAMS: OnceLock<kehoach::Params> = OnceLock::new();
    let params = PARAMS.get_or_init(params::params);
    let _ = kehoach::acquire::acquire(data, &params.acquire);
});
