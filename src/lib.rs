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
#[derive(Debug, Clone)]
pub struct Params {
    pub acquire: acquire::Params,
    pub restore: restore::Params,
}

impl Default for Params {
    /// Acquisition judges PDF text layers with restore's syllable check.
    fn default() -> Self {
        Params {
            acquire: acquire::Params {
                syllable_check: Some(restore::syllable::is_valid_syllable),
                ..acquire::Params::default()
            },
            restore: restore::Params::default(),
        }
    }
}

/// Why one input could not become a document.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Acquire(#[from] acquire::Error),
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "e-mail with {messages} message(s) and no attachment kehoach reads (PDF, DOCX, image \
         or text){}", if skipped.is_empty() { String::new() } else { format!("; skipped: {skipped}") }
    )]
    NoAttachments { messages: usize, skipped: String },
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

/// One document an input gave, or why it could not give one. A file gives one; an e-mail
/// message or mailbox gives one per attachment.
#[derive(Debug)]
pub struct Part {
    /// For an attachment: `m<message>-<attachment name>`, unique within its input, used to
    /// name its output; `None` for the input itself.
    pub name: Option<String>,
    pub result: Result<Document, Error>,
}

/// Run the pipeline on one input, handing each document to `each` as soon as it is done (a
/// mailbox with a thousand attachments is never held in memory whole).
///
/// An e-mail that cannot be parsed, or has no attachment kehoach reads, gives one failed
/// [`Part`] with no name.
pub fn process_input(
    path: &str,
    bytes: &[u8],
    rules: &Rules,
    params: &Params,
    mut each: impl FnMut(Part),
) {
    if bytes.is_empty() {
        each(Part {
            name: None,
            result: Err(acquire::Error::Empty.into()),
        });
        return;
    }
    let kind = acquire::detect::detect(bytes);
    if kind != acquire::detect::Kind::Email {
        each(Part {
            name: None,
            result: acquire::acquire_as(bytes, kind, &params.acquire)
                .map(|acquired| process_acquired(path, bytes, acquired, rules, params))
                .map_err(Error::from),
        });
        return;
    }
    let mut seen: std::collections::HashSet<String> = Default::default();
    let report = acquire::email::for_each_attachment(bytes, |att| {
        let stem = att.message.attachment.clone().unwrap_or_default();
        let mut name = format!("m{}-{}", att.message_number, stem);
        let mut n = 2;
        while !seen.insert(name.clone()) {
            name = format!("m{}-{n}-{stem}", att.message_number);
            n += 1;
        }
        let result =
            acquire::acquire_as(&att.bytes, att.kind, &params.acquire).map(|mut acquired| {
                // The contract's `eml`: the document came by e-mail; what the attachment itself
                // was stays in `source.message.attachment_format`.
                let message = emit::MessageInfo {
                    attachment_format: Some(acquired.format),
                    ..att.message.clone()
                };
                acquired.format = emit::Format::Eml;
                let mut doc = process_acquired(path, &att.bytes, acquired, rules, params);
                doc.source.message = Some(message);
                doc
            });
        each(Part {
            name: Some(name),
            result: result.map_err(Error::from),
        });
    });
    match report {
        Err(e) => each(Part {
            name: None,
            result: Err(e.into()),
        }),
        Ok(r) if r.attachments == 0 => each(Part {
            name: None,
            result: Err(Error::NoAttachments {
                messages: r.messages,
                skipped: r.skipped.join(", "),
            }),
        }),
        Ok(_) => {}
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
