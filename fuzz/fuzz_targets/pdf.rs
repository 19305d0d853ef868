//! The PDF reader on arbitrary bytes (PDFium, bound at run time through `KEHOACH_PDFIUM`):
//! text layers, legacy-font detection, rendering and OCR of scanned pages.
#![no_main]

mod params;

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static PARAMS: OnceLock<kehoach::Params> = OnceLock::new();
    let params = PARAMS.get_or_init(|| {
        assert!(
            std::env::var_os("KEHOACH_PDFIUM").is_some(),
            "set KEHOACH_PDFIUM to libpdfium.so (see fuzz/README.md)"
        );
        params::params()
    });
    let _ = kehoach::acquire::pdf::acquire(data, &params.acquire);
});
