//! Legal bases: the `Căn cứ…` / `Thực hiện…` preamble.

use super::Ctx;
use crate::emit::LegalBasis;

pub fn extract(ctx: &Ctx) -> Vec<LegalBasis> {
    let _ = ctx;
    vec![]
}
