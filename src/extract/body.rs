//! (body extraction: placeholder)

use super::Ctx;
use crate::emit::{ResponsibleBody, Warning};

pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> Vec<ResponsibleBody> {
    let _ = (ctx, warnings);
    vec![]
}
