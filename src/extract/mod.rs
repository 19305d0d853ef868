//! Stage 4, **extract**: the segmented text's values, each with the span it came from.
//!
//! One module per kind of value: [`document`] (type, number, date, issuer, title, signer,
//! recipients), [`legal`] (the legal bases), [`target`], [`task`], [`body`] (responsible
//! bodies) and [`deadline`]; [`date`] reads Vietnamese dates for all of them.

pub mod body;
mod columns;
pub mod date;
pub mod deadline;
pub mod document;
mod fields;
pub mod issuer;
pub mod legal;
pub mod names;
mod request;
mod stamp;
pub mod structure;
mod subject;
mod table_tasks;
pub mod target;
pub mod task;
mod types;
pub mod vocab;
pub mod year;

pub use fields::well_formed_in as number_well_formed;
pub use types::{Ctx, Origins, Plan};

use crate::restore::Restored;
use crate::rules::Rules;
use crate::segment::Outline;
use crate::span::TextIndex;

/// Extract everything from a segmented document.
pub fn extract(restored: &Restored, outline: &Outline, rules: &Rules) -> Plan {
    let mut ctx = Ctx {
        text: &restored.text,
        index: TextIndex::new(&restored.text),
        outline,
        rules,
        year: None,
        period_end: None,
    };
    let mut warnings = vec![];
    let mut document = document::extract(&ctx, &mut warnings);
    let mut unread = vec![];
    fields::check(&ctx, &mut document, &mut unread);
    let (stamps, urgency) = fields::stamps(&ctx);
    document.urgency = urgency;
    let stamped_number = fields::number_from_stamps(&ctx, &mut document, &unread, &stamps);
    let stamp_date = stamp::fill_date(&ctx, &mut document);
    ctx.year = year::plan_year(
        document.title.as_deref(),
        document
            .date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok()),
    );
    ctx.period_end = year::plan_period_end(document.title.as_deref());
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
            number: stamped_number.or_else(|| outline.header.number.clone()),
            date: stamp_date.or_else(|| outline.header.date.clone()),
            issuer: match (outline.header.issuer.first(), outline.header.issuer.last()) {
                (Some(a), Some(b)) => Some(a.start..b.end),
                _ => None,
            },
            unread,
        },
        stamps,
    }
}
