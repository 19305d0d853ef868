//! Document metadata and the contract's section tree.

use super::Ctx;
use crate::emit::{DocumentMeta, Section, Warning};

pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> DocumentMeta {
    let _ = (ctx, warnings);
    DocumentMeta::default()
}

pub fn sections(ctx: &Ctx) -> Vec<Section> {
    let _ = ctx;
    vec![]
}
