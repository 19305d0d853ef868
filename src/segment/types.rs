//! The layout's types: what segmenting a document yields, as byte ranges of its text.

use crate::contract::SectionKind;
use std::ops::Range;

/// A line of the text: its byte range with surrounding white space trimmed, and its raw range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub range: Range<usize>,
    pub raw: Range<usize>,
    /// Leading tabs (Word table cells are tab-led).
    pub tabs: usize,
}

/// The header block of an administrative document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    /// Issuing body lines (`HỘI KHUYẾN HỌC`, `HUYỆN THÁP MƯỜI`), already cut from the Quốc
    /// hiệu column when both shared a line.
    pub issuer: Vec<Range<usize>>,
    /// The parent body above the issuer (`UBND XÃ TÂN VĂN`), when the header has two levels.
    pub parent_issuer: Option<Range<usize>>,
    /// `415/KH-UBND` (without `Số:`).
    pub number: Option<Range<usize>>,
    /// `Tháp Mười` of `Tháp Mười, ngày 31 tháng 01 năm 2024`.
    pub place: Option<Range<usize>>,
    /// `ngày 31 tháng 01 năm 2024`.
    pub date: Option<Range<usize>>,
}

/// The signature block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signature {
    /// `TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`…
    pub authority: Vec<Range<usize>>,
    pub position: Option<Range<usize>>,
    pub name: Option<Range<usize>>,
}

/// A paragraph or bullet directly inside a section (not inside one of its children).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `-`, `+`, `•`, `a)`, or empty for a plain paragraph.
    pub marker: String,
    /// The item's text without its marker (may run over several lines).
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `I`, `A`, `1`, `1.1`, `a`… as written, without punctuation.
    pub label: String,
    /// The heading text without its label. For a run-in heading (`1. Mục tiêu chung: Tiếp
    /// tục…`) only the part before the colon.
    pub heading: Range<usize>,
    pub kind: SectionKind,
    /// The whole section: heading through the end of its body.
    pub range: Range<usize>,
    /// The body text after a run-in heading's colon, if any.
    pub run_in: Option<Range<usize>>,
    pub items: Vec<Item>,
    pub children: Vec<Section>,
    /// Dotted label path from the top (`II.1.a`).
    pub path: String,
}

/// A table: rows of cells, each cell a byte range (possibly empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub range: Range<usize>,
    pub rows: Vec<Vec<Range<usize>>>,
    /// Path of the section the table sits in, if any (an appended table has none).
    pub section: Option<String>,
    /// Caption line(s) above the table (`KẾ HOẠCH HOẠT ĐỘNG TRỌNG TÂM NĂM 2021`).
    pub caption: Option<Range<usize>>,
}

/// The layout of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    pub lines: Vec<Line>,
    pub header: Header,
    /// `KẾ HOẠCH` (the document-type line), as written.
    pub doc_type: Option<Range<usize>>,
    /// Title lines after the type line, or a letter's subject (`V/v …`) without its marker.
    pub title: Vec<Range<usize>>,
    /// A letter: no type word, and a subject line (`V/v …`) that is its title.
    pub letter: bool,
    /// Paragraphs between the title and the first section (Căn cứ…, Thực hiện…).
    pub preamble: Vec<Range<usize>>,
    pub sections: Vec<Section>,
    /// `Nơi nhận` entries.
    pub recipients: Vec<Range<usize>>,
    pub signature: Option<Signature>,
    /// Tables anywhere in the document, including appended ones.
    pub tables: Vec<Table>,
    /// Byte offset where appendices (after the signature) begin, if any.
    pub appendix_start: Option<usize>,
    /// Stamps over a scan's text, whose lines the rest of the outline leaves out.
    pub stamps: Vec<Found>,
}

/// One stamp over the text (see `stamps.rs`): its kind, its lines (byte ranges of the text),
/// and for an urgency mark the value `document.urgency` takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: crate::contract::StampKind,
    pub lines: Vec<Range<usize>>,
    pub urgency: Option<String>,
}
