//! The output contract (`docs/output.md`, version 1) as Rust types.
//!
//! These types *are* the contract: `kehoach schema` prints the JSON Schema schemars derives
//! from them, and every document the tool writes is a serialisation of [`Document`]. Field names
//! are fixed; add fields freely, never rename one without bumping [`SCHEMA_VERSION`].
//!
//! Every stage uses these types, so this module sits at the bottom and imports no stage; the
//! crate root fills a [`Document`] from the stages' outputs.

use crate::span::Span;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: &str = "1";

/// One input plan, fully processed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub schema_version: String,
    pub source: Source,
    /// The whole restored text, Unicode NFC, line breaks kept. Every `span` indexes into it.
    pub text: String,
    pub restoration: Restoration,
    pub document: DocumentMeta,
    pub legal_bases: Vec<LegalBasis>,
    pub sections: Vec<Section>,
    pub targets: Vec<Target>,
    pub tasks: Vec<Task>,
    pub responsible_bodies: Vec<ResponsibleBody>,
    pub deadlines: Vec<Deadline>,
    pub warnings: Vec<Warning>,
    /// The fields a person should check against the paper, and why (`src/review.rs`).
    #[serde(default)]
    pub review: Vec<Review>,
}

/// A field to check: `field` is its path in the document (`document.number`, `text`),
/// `reason` a code (`missing`, `partial`, `ocr_low_confidence`… listed in docs/output.md).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Review {
    pub field: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Pdf,
    Image,
    Docx,
    /// Word 97–2003, OpenDocument text and RTF: read through LibreOffice's conversion to DOCX.
    Doc,
    Odt,
    Rtf,
    Eml,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PageMethod {
    Text,
    TextLayer,
    Ocr,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SourcePage {
    pub number: u32,
    pub method: PageMethod,
    /// Mean Tesseract word confidence in 0..=1, only for OCR'd pages.
    pub ocr_confidence: Option<f32>,
    /// Char offset in `text` where this page starts.
    #[serde(default)]
    pub start: usize,
    /// The page's footnotes, in order, each with its marker ("1 Quyết định số …"), as the PDF's
    /// text layer gives them. They are not in `text`: the paragraph a footnote interrupts reads
    /// on without it.
    #[serde(default)]
    pub footnotes: Vec<String>,
}

/// Where the e-mail attachment a document came from was found.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct MessageInfo {
    pub from: Option<String>,
    pub subject: Option<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub attachment: Option<String>,
    /// What the attachment itself is (`pdf`, `docx`, `image`, `text`); the document's
    /// `source.format` is `eml`.
    #[serde(default)]
    pub attachment_format: Option<Format>,
}

/// Where in an archive (`.zip`, `.7z`) a document was found.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct ArchiveInfo {
    /// `zip` or `7z`: the archive the input (or the e-mail attachment) was.
    pub format: String,
    /// The member's path inside it; inside an archive in the archive, `inner.zip/a.pdf`.
    pub member: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub format: Format,
    /// `utf-8`, `utf-16`, `windows-1258`, `tcvn3`, `vni`, `viqr`, `viscii`, or null.
    pub encoding: Option<String>,
    pub pages: Vec<SourcePage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveInfo>,
    /// Version of kehoach that wrote the document (used to decide whether a re-run may skip it).
    #[serde(default)]
    pub tool_version: String,
    /// The page files of a document saved one image per page, in page order; absent for a
    /// document that is one file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The PDF's digital signatures, in the file's order (issue 21).
    #[serde(default)]
    pub signatures: Vec<Signature>,
}

/// One PDF signature dictionary: who signed, when, and whether the signed bytes still match.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct Signature {
    /// `/Name`, else the signing certificate's common name.
    pub signer: Option<String>,
    /// `/M` as ISO 8601 with its offset (`2026-08-05T10:03:14+07:00`).
    pub time: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// The signature field's full name (`/T` of it and its parents, dot-joined).
    pub field: Option<String>,
    pub certificate: Option<Certificate>,
    /// The signed byte range runs from the first byte to the last: nothing was appended after
    /// signing (a later signature's incremental update also leaves earlier ones `false`).
    pub covers_whole_document: bool,
    /// The CMS `messageDigest` equals the digest of the signed byte range; null when it cannot
    /// be checked (no signed attributes, an unsupported digest, an unreadable CMS blob).
    pub digest_ok: Option<bool>,
    /// `approval`, `certified_copy` (a "SAO Y" copy's signature), `certification` (DocMDP) or
    /// `timestamp` (a document time-stamp).
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct Certificate {
    /// RFC 4514 string of the signing certificate's subject.
    pub subject: String,
    pub issuer: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Uncertain {
    pub span: Span,
    pub original: String,
    pub restored: String,
    pub alternatives: Vec<String>,
    #[serde(default)]
    pub confidence: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct Restoration {
    pub applied: bool,
    pub changed_words: usize,
    pub mean_confidence: f32,
    pub uncertain: Vec<Uncertain>,
    /// Which damage the restorer found and repaired (`none`, `stripped`, `ocr_eng`, `ocr_vie`,
    /// `legacy_encoding`), decided from the text itself.
    #[serde(default)]
    pub channel: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct Signer {
    pub name: Option<String>,
    pub position: Option<String>,
    /// `TM.`, `KT.`, `Q.`, `TL.`, `TUQ.` lines above the position, as written.
    #[serde(default)]
    pub authority: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct DocumentMeta {
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub number_suffix: Option<String>,
    /// ISO 8601: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the day / month is left blank.
    pub date: Option<String>,
    pub place: Option<String>,
    pub issuer: Option<String>,
    /// The issuing body's parent as the header's first line names it (e.g. `UBND XÃ TÂN VĂN`).
    #[serde(default)]
    pub parent_issuer: Option<String>,
    pub title: Option<String>,
    pub signer: Option<Signer>,
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct LegalBasis {
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub date: Option<String>,
    pub issuer: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// `CĂN CỨ XÂY DỰNG KẾ HOẠCH`: the documents the plan rests on, listed as a section.
    LegalBases,
    Purpose,
    Objectives,
    Tasks,
    Schedule,
    Budget,
    Implementation,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Section {
    pub label: String,
    pub heading: String,
    pub kind: SectionKind,
    /// The whole section, heading through the last line of its body.
    pub span: Span,
    pub children: Vec<Section>,
    /// Dotted path of labels from the top (`II.1.a`), as `targets[].section` refers to it.
    #[serde(default)]
    pub path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Target {
    pub indicator: String,
    pub value: f64,
    pub value_max: Option<f64>,
    pub unit: String,
    /// `at_least`, `more_than`, `at_most`, `less_than`, `about`, or null when the text states
    /// the value flatly.
    #[serde(default)]
    pub comparator: Option<String>,
    pub year: Option<i32>,
    pub text: String,
    pub section: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Task {
    pub text: String,
    pub section: Option<String>,
    pub lead: Option<String>,
    pub coordinating: Vec<String>,
    pub deadline: Option<Deadline>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ResponsibleBody {
    pub name: String,
    #[serde(default)]
    pub expanded: Option<String>,
    pub duties: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Before,
    On,
    Range,
    Quarter,
    Month,
    Year,
    Recurring,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Deadline {
    pub text: String,
    pub kind: DeadlineKind,
    /// ISO 8601 date (or `YYYY-MM`, `YYYY`), null when open.
    pub start: Option<String>,
    pub end: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Warning {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// The JSON Schema of one output document.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Document)).expect("schema serialises")
}
