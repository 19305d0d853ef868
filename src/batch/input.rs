//! One input of a batch, in a file of its own so that `batch.rs` and `pages.rs`, which both
//! use it, import it from below rather than from each other.

use std::path::{Path, PathBuf};

/// One input file and where its document goes (relative to the output folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// `1998/kh-12.pdf` for `scans/1998/kh-12.pdf` given as `scans`; the file name for a file.
    pub relative: PathBuf,
    /// For a document saved one image per page: its page files in page order ([`group_pages`](super::group_pages));
    /// empty for an input that is one file.
    pub pages: Vec<PathBuf>,
}

impl Input {
    /// `DIR/<relative>.json`.
    pub fn output_in(&self, dir: &Path) -> PathBuf {
        let mut name = self.relative.as_os_str().to_owned();
        name.push(".json");
        dir.join(name)
    }
}
