//! One input of a batch: a file, or the page files of one document.
//!
//! Its own file so that both the batch and the grouping of page files ([`super::pages`]) use it
//! without importing each other.

use std::path::{Path, PathBuf};

/// One input file and where its document goes (relative to the output folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// `1998/kh-12.pdf` for `scans/1998/kh-12.pdf` given as `scans`; the file name for a file.
    pub relative: PathBuf,
    /// For a document saved one image per page: its page files in page order
    /// ([`super::group_pages`]); empty for an input that is one file.
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
