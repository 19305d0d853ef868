//! The restore stage's interface: its parameters and what it returns. Here, apart from the
//! stage's work, so that the decoder's files can name them without importing `restore/mod.rs`,
//! which imports them.

use super::decode::model::Channel;
use crate::contract::Warning;
pub use crate::vietnamese::syllable::ToneStyle;
use std::ops::Range;

/// How the restorer should treat a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Decide per document and per line how damaged the text is (the default).
    #[default]
    Auto,
    /// Only clean-up, encodings and NFC; never change a word.
    Off,
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    pub mode: Mode,
    pub tone_style: ToneStyle,
    /// Force a channel instead of detecting it (mainly for benchmarks).
    pub channel: Option<Channel>,
    /// Only the restored text is wanted (the `restore` command): every word is read exactly as
    /// otherwise, but a word's decision, with its confidence and alternatives, is not
    /// recorded. Weighing the alternatives of every word of a stripped text costs about a
    /// quarter of the restorer's time.
    pub text_only: bool,
}

/// One word the restorer changed (or considered changing).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Byte range of the restored word in [`Restored::text`].
    pub range: Range<usize>,
    pub original: String,
    pub restored: String,
    /// Posterior probability of `restored`, 0..=1.
    pub confidence: f32,
    /// Other readings, most likely first.
    pub alternatives: Vec<String>,
}

impl Decision {
    /// The same decision in a text that has `by` more bytes before it (pages or blocks of
    /// lines joined).
    pub(crate) fn shifted(mut self, by: usize) -> Decision {
        self.range = self.range.start + by..self.range.end + by;
        self
    }
}

/// The restored text of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    /// NFC, pages joined with `\n\n` (form feed for page breaks is not kept: readers of the
    /// JSON want plain lines; `page_starts` says where each page begins).
    pub text: String,
    /// Byte offset in `text` where each page starts.
    pub page_starts: Vec<usize>,
    pub decisions: Vec<Decision>,
    /// True when any word was changed by the decoder or an encoding was converted.
    pub applied: bool,
    /// The damage found in the text (the most severe over its pages).
    pub channel: Channel,
    /// Legacy encoding detected and converted, if any (`tcvn3`, `vni`, `viqr`, `viscii`).
    pub legacy_encoding: Option<String>,
    pub warnings: Vec<Warning>,
}

impl Restored {
    pub fn changed_words(&self) -> usize {
        self.decisions
            .iter()
            .filter(|d| d.original != d.restored)
            .count()
    }

    pub fn mean_confidence(&self) -> f32 {
        if self.decisions.is_empty() {
            return 1.0;
        }
        self.decisions.iter().map(|d| d.confidence).sum::<f32>() / self.decisions.len() as f32
    }
}
