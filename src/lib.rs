//! **kehoach** turns Vietnamese administrative plans (*kế hoạch*) into verified, structured
//! JSON (the contract in `shared/spec/output-contract.md`, typed in [`emit`]).
//!
//! The pipeline is five stages, each a module with one typed interface:
//!
//! ```text
//! bytes ─ acquire ─▶ Acquired (pages) ─ restore ─▶ Restored ─ segment ─▶ Outline ─ extract ─▶ Plan ─ emit ─▶ Document
//! ```
//!
//! ```
//! let rules = kehoach::Rules::builtin();
//! let plan = "UBND HUYỆN A\nSố: 12/KH-UBND\nA, ngày 02 tháng 3 năm 2024\nKẾ HOẠCH\nVề việc thử\nI. MỤC TIÊU\n- 90% hộ gia đình đạt chuẩn.\n";
//! let doc = kehoach::process_bytes("plan.txt", plan.as_bytes(), rules, &kehoach::Params::default()).unwrap();
//! assert_eq!(doc.document.number.as_deref(), Some("12/KH-UBND"));
//! assert_eq!(doc.document.date.as_deref(), Some("2024-03-02"));
//! ```

pub mod acquire;
pub mod batch;
pub mod emit;
pub mod extract;
pub mod fold;
pub mod restore;
pub mod rules;
pub mod segment;
pub mod span;

pub use emit::Document;
pub use rules::Rules;

use sha2::{Digest, Sha256};

/// Configuration of every stage, with documented defaults.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub acquire: acquire::Params,
    pub restore: restore::Params,
}

/// Why one input could not become a document.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Acquire(#[from] acquire::Error),
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
}

/// The version written into every document, so that a re-run can tell stale outputs.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Run the whole pipeline on one input's bytes. `path` is recorded as given.
pub fn process_bytes(
    path: &str,
    bytes: &[u8],
    rules: &Rules,
    params: &Params,
) -> Result<Document, Error> {
    let acquired = acquire::acquire(bytes, &params.acquire)?;
    Ok(process_acquired(path, bytes, acquired, rules, params))
}

/// The stages after acquisition (also used for e-mail attachments, which are acquired from a
/// message rather than a file).
pub fn process_acquired(
    path: &str,
    bytes: &[u8],
    acquired: acquire::Acquired,
    rules: &Rules,
    params: &Params,
) -> Document {
    let restored = restore::restore(&acquired, rules, &params.restore);
    let outline = segment::segment(&restored, rules);
    let plan = extract::extract(&restored, &outline, rules);
    emit::assemble(
        path,
        sha256_hex(bytes),
        bytes.len() as u64,
        acquired,
        restored,
        plan,
    )
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
