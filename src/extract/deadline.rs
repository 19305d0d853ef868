//! (deadline extraction: placeholder)

use super::Ctx;
use crate::emit::{Deadline, Warning};

pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> Vec<Deadline> {
    let _ = (ctx, warnings);
    vec![]
}
