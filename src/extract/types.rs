//! What extracting yields (`Plan`, `Origins`) and the context every extractor reads (`Ctx`).

use crate::contract::{
    Deadline, DocumentMeta, LegalBasis, ResponsibleBody, Section, Target, Task, Warning,
};
use crate::rules::Rules;
use crate::segment::Outline;
use crate::span::TextIndex;

/// What a plan says, in contract types (spans already in chars).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub document: DocumentMeta,
    pub legal_bases: Vec<LegalBasis>,
    pub sections: Vec<Section>,
    pub targets: Vec<Target>,
    pub tasks: Vec<Task>,
    pub responsible_bodies: Vec<ResponsibleBody>,
    pub deadlines: Vec<Deadline>,
    pub warnings: Vec<Warning>,
    /// Where the header's number, date and issuer were read, for review.
    pub origins: Origins,
    /// Stamps over the text (page and box filled at assembly), each with its lines.
    pub stamps: Vec<StampLines>,
}

/// A stamp, with the byte ranges of its lines in the text.
pub type StampLines = (crate::contract::Stamp, Vec<std::ops::Range<usize>>);

/// Byte ranges of the text the document's number, date and issuer were read from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origins {
    pub number: Option<std::ops::Range<usize>>,
    pub date: Option<std::ops::Range<usize>>,
    pub issuer: Option<std::ops::Range<usize>>,
    /// Header fields (`number`, `date`) that are written but could not be read, and where.
    pub unread: Vec<(String, std::ops::Range<usize>)>,
}

/// Shared context of one extraction: the text, its char index, the outline and the rules.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub index: TextIndex,
    pub outline: &'a Outline,
    pub rules: &'a Rules,
    /// The plan's own year (from its date), which dates without a year take.
    pub year: Option<i32>,
    /// The last year of the plan's period ("giai đoạn 2026 - 2030"), which its targets
    /// without a year of their own are for.
    pub period_end: Option<i32>,
}

impl<'a> Ctx<'a> {
    pub fn slice(&self, r: &std::ops::Range<usize>) -> &'a str {
        &self.text[r.clone()]
    }
}
