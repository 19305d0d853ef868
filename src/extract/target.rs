//! (target extraction: placeholder)

use super::Ctx;
use crate::emit::{Target, Warning};

pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> Vec<Target> {
    let _ = (ctx, warnings);
    vec![]
}
