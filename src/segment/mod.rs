//! Stage 3, **segment**: the restored text's layout as Decree 30/2020/NĐ-CP fixes it.
//!
//! Header (issuing body, Quốc hiệu, number, place and date), document type and title, the
//! legal-basis preamble, the section tree at every depth with each section's kind, `Nơi nhận`,
//! the signature block and appended tables, all as byte ranges of the text.

pub mod bare;
pub mod header;
mod kinds;
pub mod lines;
pub mod outline;
pub mod subject;
pub mod table;
mod types;
pub mod units;

pub use types::{Header, Item, Line, Outline, Section, Signature, Table};

use crate::restore::Restored;
use crate::rules::Rules;

/// Segment a restored document.
pub fn segment(restored: &Restored, rules: &Rules) -> Outline {
    outline::segment(&restored.text, rules)
}
