//! Why acquisition failed: one enum for every reader, with the converter's own causes, so that
//! the readers and the dispatcher share it without importing each other.

use super::ocr::Error as OcrError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("empty file")]
    Empty,
    #[error("not a document kehoach reads ({0})")]
    Unsupported(String),
    #[error("binary data that is not text, PDF, image, Word (DOCX, DOC), ODT, RTF or e-mail")]
    Binary,
    #[error("{format} support is not built into this kehoach: {reason}")]
    NotAvailable {
        format: &'static str,
        reason: String,
    },
    #[error("{0}")]
    Corrupt(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
    /// The document's time (`--timeout`) ran out before this page was read.
    #[error(
        "limit exceeded: time per document ran out before page {page} was read (see --timeout)"
    )]
    Timeout { page: u32 },
    #[error("password required: the PDF is encrypted")]
    Password,
    /// An Office document or an archive protected by a password.
    #[error("password required: {0}")]
    Encrypted(String),
    #[error("OCR: {0}")]
    Ocr(#[from] OcrError),
    #[error(transparent)]
    Convert(#[from] ConvertError),
}

/// The environment variable that names the LibreOffice program to run instead of `soffice`.
pub const PROGRAM_ENV: &str = "KEHOACH_SOFFICE";

/// Why a file could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(
        "reading {format} needs LibreOffice, and its converter `{program}` could not be started \
         ({reason}); install Debian's libreoffice-writer-nogui (`bash scripts/dev.sh` does) or \
         set {PROGRAM_ENV} to the path of soffice"
    )]
    Missing {
        format: &'static str,
        program: String,
        reason: String,
    },
    #[error(
        "LibreOffice did not convert the {format} file within {seconds} s and was stopped \
         (see --convert-timeout, and --timeout for the whole document)"
    )]
    Timeout { format: &'static str, seconds: u64 },
    #[error("LibreOffice could not convert the {format} file ({detail})")]
    Failed {
        format: &'static str,
        detail: String,
    },
    #[error("converting the {format} file: {source}")]
    Io {
        format: &'static str,
        source: std::io::Error,
    },
}
