//! **kehoach** turns Vietnamese administrative plans (*kế hoạch*) into verified, structured
//! JSON (the contract in `docs/output.md`, typed in [`contract`]).
//!
//! The pipeline is four stages, each a module with one typed interface, and the crate root
//! puts a [`Document`] together from their outputs ([`process_acquired`]):
//!
//! ```text
//! bytes ─ acquire ─▶ Acquired (pages) ─ restore ─▶ Restored ─ segment ─▶ Outline ─ extract ─▶ Plan ─ assemble ─▶ Document
//! ```
//!
//! Imports run one way: a stage imports earlier stages and the bottom modules ([`contract`],
//! [`rules`], [`span`], [`fold`]), never a later stage; `tests/import_cycles.rs` keeps it so.
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
pub mod contract;
pub mod extract;
pub mod fold;
pub mod report;
pub mod restore;
pub mod review;
pub mod rules;
mod scan;
mod scan_read;
pub mod segment;
pub mod serve;
pub mod span;
pub mod vietnamese;

pub use contract::Document;
pub use rules::Rules;

use contract::{Restoration, SCHEMA_VERSION, Source, SourcePage, Uncertain, Warning};
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
    #[error(
        "e-mail with {messages} message(s) and no attachment kehoach reads (PDF, DOCX, image \
         or text){}", if skipped.is_empty() { String::new() } else { format!("; skipped: {skipped}") }
    )]
    NoAttachments { messages: usize, skipped: String },
    #[error("page file {file}: {source}")]
    PageFile {
        file: String,
        source: acquire::Error,
    },
    #[error(
        "archive with no member kehoach reads (PDF, Word, image or text){}",
        if skipped.is_empty() { String::new() } else { format!("; skipped: {skipped}") }
    )]
    NoMembers { skipped: String },
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
    assemble(
        path,
        sha256_hex(bytes),
        bytes.len() as u64,
        acquired,
        restored,
        plan,
        rules,
    )
}

/// Run the pipeline on one document saved as several files, each holding its next pages (a
/// scan saved one image per page): `files` are (name, bytes) in page order. Pages are numbered
/// across the files, and `source.files` lists them; the document's hash and size are those of
/// the files' bytes one after the other.
pub fn process_pages(
    path: &str,
    files: &[(String, Vec<u8>)],
    rules: &Rules,
    params: &Params,
) -> Result<Document, Error> {
    use rayon::prelude::*;
    let parts = files
        .par_iter()
        .map(|(name, bytes)| {
            acquire::acquire(bytes, &params.acquire).map_err(|source| Error::PageFile {
                file: name.clone(),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let acquired = acquire::join_pages(parts, &params.acquire)?;
    let all: Vec<u8> = files.iter().flat_map(|f| f.1.iter().copied()).collect();
    let mut doc = process_acquired(path, &all, acquired, rules, params);
    doc.source.files = files.iter().map(|f| f.0.clone()).collect();
    Ok(doc)
}

/// One document an input gave, or why it could not give one. A file gives one; an e-mail
/// message or mailbox gives one per attachment, an archive one per member.
#[derive(Debug)]
pub struct Part {
    /// For an attachment: `m<message>-<attachment name>`, unique within its input, used to
    /// name its output; for an archive's member, its path in the archive (`docs/a.pdf`,
    /// `docs/inner.zip.d/b.pdf`; an archive attached to a message: `m1-x.zip.d/a.pdf`);
    /// `None` for the input itself.
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
    if is_archive(kind) {
        if let Err(e) = archive_parts(path, bytes, kind, "", None, rules, params, &mut each) {
            each(Part {
                name: None,
                result: Err(e),
            });
        }
        return;
    }
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
        if is_archive(att.kind) {
            let prefix = format!("{name}.d/");
            let message = Some(&att.message);
            if let Err(e) = archive_parts(
                path, &att.bytes, att.kind, &prefix, message, rules, params, &mut each,
            ) {
                each(Part {
                    name: Some(name),
                    result: Err(e),
                });
            }
            return;
        }
        let result =
            acquire::acquire_as(&att.bytes, att.kind, &params.acquire).map(|mut acquired| {
                // The contract's `eml`: the document came by e-mail; what the attachment itself
                // was stays in `source.message.attachment_format`.
                let message = contract::MessageInfo {
                    attachment_format: Some(acquired.format),
                    ..att.message.clone()
                };
                acquired.format = contract::Format::Eml;
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

/// Put one document together from the stages' outputs. It lives here, at the top, because it
/// needs every stage; the contract's types it fills stay at the bottom, in [`contract`].
fn assemble(
    path: &str,
    sha256: String,
    bytes: u64,
    acquired: acquire::Acquired,
    restored: restore::Restored,
    mut plan: extract::Plan,
    rules: &Rules,
) -> Document {
    let index = span::TextIndex::new(&restored.text);
    let pages = acquired
        .pages
        .iter()
        .zip(
            restored
                .page_starts
                .iter()
                .chain(std::iter::repeat(&restored.text.len())),
        )
        .map(|(p, &start)| SourcePage {
            number: p.number,
            method: p.method,
            ocr_confidence: p.ocr_confidence,
            start: index.char_at(start),
            footnotes: p
                .layout
                .as_ref()
                .map(acquire::reflow::footnotes)
                .unwrap_or_default(),
        })
        .collect();
    let encoding = restored
        .legacy_encoding
        .clone()
        .or(acquired.encoding.clone());
    let uncertain = restored
        .decisions
        .iter()
        .filter(|d| d.confidence < UNCERTAIN_BELOW && !d.alternatives.is_empty())
        .map(|d| Uncertain {
            span: index.span(d.range.clone()),
            original: d.original.clone(),
            restored: d.restored.clone(),
            alternatives: d.alternatives.clone(),
            confidence: d.confidence,
        })
        .collect();
    let restoration = Restoration {
        applied: restored.applied,
        changed_words: restored.changed_words(),
        mean_confidence: restored.mean_confidence(),
        uncertain,
        channel: Some(restored.channel.name().to_string()),
    };
    let (scanned, stamps) = scan::settle(&acquired.pages, &restored, &mut plan, rules);
    let stamped = stamped_values(&acquired.pages, &restored, &plan.origins);
    let mut warnings = acquired.warnings;
    warnings.extend(restored.warnings);
    warnings.extend(plan.warnings);
    warnings.extend(stamped);
    warnings.extend(scanned);
    let mut doc = Document {
        schema_version: SCHEMA_VERSION.into(),
        source: Source {
            path: path.into(),
            sha256,
            bytes,
            format: acquired.format,
            encoding,
            pages,
            message: None,
            archive: None,
            tool_version: TOOL_VERSION.into(),
            files: vec![],
            signatures: acquired.signatures,
            stamps,
        },
        text: restored.text,
        restoration,
        document: plan.document,
        legal_bases: plan.legal_bases,
        sections: plan.sections,
        targets: plan.targets,
        tasks: plan.tasks,
        responsible_bodies: plan.responsible_bodies,
        deadlines: plan.deadlines,
        warnings,
        review: vec![],
    };
    let origins = review::Origins::of(&plan.origins, &index);
    doc.review = review::review(&doc, &origins);
    doc
}

/// Decisions below this confidence are listed in `restoration.uncertain`.
const UNCERTAIN_BELOW: f32 = 0.9;

/// Warnings `number_from_signature` / `date_from_signature` for a number or date whose figures
/// were stamped into the header's blanks by an e-signature (a word of an annotation's appearance,
/// [`acquire::layout::Word::stamped`]) rather than printed: the signing system, not the author,
/// wrote them, so review names them. A stamped word counts when it holds a figure and is one of
/// the words the value was read from, on the value's page.
fn stamped_values(
    pages: &[acquire::Page],
    restored: &restore::Restored,
    origins: &extract::Origins,
) -> Vec<Warning> {
    let page_of = |at: usize| restored.page_starts.iter().rposition(|&s| s <= at);
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let fields = [
        (&origins.number, "number_from_signature", "the number"),
        (&origins.date, "date_from_signature", "the date's figures"),
    ];
    let mut out = vec![];
    for (range, code, what) in fields {
        let Some(range) = range else { continue };
        let Some(text) = restored.text.get(range.clone()) else {
            continue;
        };
        let Some(page) = page_of(range.start).and_then(|i| pages.get(i)) else {
            continue;
        };
        let Some(layout) = &page.layout else { continue };
        let written = words(text);
        let stamped = layout
            .lines
            .iter()
            .flat_map(|l| &l.words)
            .filter(|w| w.stamped)
            .flat_map(|w| words(&w.text))
            .any(|w| w.chars().any(|c| c.is_ascii_digit()) && written.contains(&w));
        if stamped {
            out.push(Warning::new(
                code,
                format!(
                    "page {}: {what} ('{text}') came from an e-signature stamp",
                    page.number
                ),
            ));
        }
    }
    out
}

/// Archives are opened as containers; every other kind is one document.
fn is_archive(kind: acquire::detect::Kind) -> bool {
    use acquire::detect::Kind;
    matches!(kind, Kind::Zip | Kind::SevenZip)
}

/// Hand every readable member of the archive in `bytes` to `each` as a part named
/// `<prefix><member>`. The archive's own failure (damaged, encrypted, over a limit, nothing in it
/// readable) is returned, for the caller to report as the archive's.
///
/// A member of an archive that came by e-mail keeps the message (`source.message`, with
/// `source.format` `eml`, as every attachment has).
#[allow(clippy::too_many_arguments)]
fn archive_parts(
    path: &str,
    bytes: &[u8],
    kind: acquire::detect::Kind,
    prefix: &str,
    message: Option<&contract::MessageInfo>,
    rules: &Rules,
    params: &Params,
    each: &mut impl FnMut(Part),
) -> Result<(), Error> {
    let format = acquire::archive::format_name(kind);
    let report = acquire::archive::for_each_member(bytes, kind, &params.acquire.archive, |m| {
        let result = acquire::acquire_as(&m.bytes, m.kind, &params.acquire).map(|mut acquired| {
            let message = message.map(|msg| contract::MessageInfo {
                attachment_format: Some(acquired.format),
                ..msg.clone()
            });
            if message.is_some() {
                acquired.format = contract::Format::Eml;
            }
            let mut doc = process_acquired(path, &m.bytes, acquired, rules, params);
            doc.source.message = message;
            doc.source.archive = Some(contract::ArchiveInfo {
                format: format.into(),
                member: m.path,
            });
            doc
        });
        each(Part {
            name: Some(format!("{prefix}{}", m.part)),
            result: result.map_err(Error::from),
        });
    })?;
    if report.members == 0 {
        return Err(Error::NoMembers {
            skipped: report.skipped.join(", "),
        });
    }
    Ok(())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
