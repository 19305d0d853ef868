//! (task extraction: placeholder)

use super::Ctx;
use crate::emit::{Task, Warning};

pub fn extract(ctx: &Ctx, warnings: &mut Vec<Warning>) -> Vec<Task> {
    let _ = (ctx, warnings);
    vec![]
}
