//! An optional on-disk cache of OCR readings, for development and benchmarks: with
//! `KEHOACH_OCR_CACHE=DIR` set, a page whose image (and language, resolution) was read before
//! is answered from `DIR` instead of being recognised again (seconds per page). Unset, as in
//! normal use, nothing is read or written. A reading is stored only when it succeeded.

use super::engine::{Error, PageSpec, Recognised, Request};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// The reading for `request`, from the cache when it holds one, else from `read` (stored).
pub(super) fn through(
    request: &Request,
    pixels: &[u8],
    read: impl FnOnce() -> Result<Recognised, Error>,
) -> Result<Recognised, Error> {
    let Some(path) = entry(request, pixels) else {
        return read();
    };
    if let Some(r) = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Recognised>(&b).ok())
    {
        return Ok(r);
    }
    let r = read()?;
    if let Ok(json) = serde_json::to_vec(&r) {
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, json).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
    Ok(r)
}

/// The cache file for a request, when the cache is on.
fn entry(request: &Request, pixels: &[u8]) -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("KEHOACH_OCR_CACHE")?);
    std::fs::create_dir_all(&dir).ok()?;
    let mut h = Sha256::new();
    h.update(request.lang.as_bytes());
    // The helper's answer holds the digit reader's readings: new weights, new answers.
    h.update(
        crate::rules::Rules::builtin()
            .text("digits.tsv")
            .unwrap_or_default(),
    );
    h.update(super::digits::VERSION.to_le_bytes());
    h.update(format!("{:?}", request.dpi).as_bytes());
    match &request.page {
        PageSpec::Gray { width, height } => {
            h.update(format!("{width}x{height}").as_bytes());
            h.update(pixels);
        }
        PageSpec::Tiff { path, page } => {
            h.update(std::fs::read(path).ok()?);
            h.update(page.to_le_bytes());
        }
    }
    let key: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Some(dir.join(format!("{key}.json")))
}
