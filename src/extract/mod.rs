//! Stage 4, **extract**: the segmented text's values, each with the span it came from.
//!
//! One module per kind of value: [`document`] (type, number, date, issuer, title, signer,
//! recipients), [`legal`] (the legal bases), [`target`], [`task`], [`body`] (responsible
//! bodies) and [`deadline`]; [`date`] reads Vietnamese dates for all of them.

pub mod body;
pub mod date;
pub mod deadline;
pub mod document;
pub mod legal;
pub mod names;
pub mod target;
pub mod task;
pub mod vocab;

use crate::contract::{
    Deadline, DocumentMeta, LegalBasis, ResponsibleBody, Section, Target, Task, Warning,
};
use crate::restore::Restored;
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
}

/// Byte ranges of the text the document's number, date and issuer were read from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origins {
    pub number: Option<std::ops::Range<usize>>,
    pub date: Option<std::ops::Range<usize>>,
    pub issuer: Option<std::ops::Range<usize>>,
}

/// Shared context of one extraction: the text, its char index, the outline and the rules.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub index: TextIndex,
    pub outline: &'a Outline,
    pub rules: &'a Rules,
    /// The plan's own year (from its date), which dates without a year take.
    pub year: Option<i32>,
}

impl<'a> Ctx<'a> {
    pub fn slice(&self, r: &std::ops::Range<usize>) -> &'a str {
        &self.text[r.clone()]
    }
}

/// Extract everything from a segmented document.
pub fn extract(restored: &Restored, outline: &Outline, rules: &Rules) -> Plan {
    let mut ctx = Ctx {
        text: &restored.text,
        index: TextIndex::new(&restored.text),
        outline,
        rules,
        year: None,
    };
    let mut warnings = vec![];
    let document = document::extract(&ctx, &mut warnings);
    ctx.year = document
        .date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok());
    let legal_bases = legal::extract(&ctx);
    let sections = document::sections(&ctx);
    let deadlines = deadline::extract(&ctx, &mut warnings);
    let targets = target::extract(&ctx, &mut warnings);
    let tasks = task::extract(&ctx, &mut warnings);
    let responsible_bodies = body::extract(&ctx, &mut warnings);
    Plan {
        document,
        legal_bases,
        sections,
        targets,
        tasks,
        responsible_bodies,
        deadlines,
        warnings,
        origins: Origins {
            number: outline.header.number.clone(),
            date: outline.header.date.clone(),
            issuer: match (outline.header.issuer.first(), outline.header.issuer.last()) {
                (Some(a), Some(b)) => Some(a.start..b.end),
                _ => None,
            },
        },
    }
}
