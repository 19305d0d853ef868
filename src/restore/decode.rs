//! The noisy-channel decoder (placeholder until the restoration work lands: it passes text
//! through unchanged).

use super::{Decision, Params};
use crate::rules::Rules;

/// The kind of damage a text shows, which selects the channel model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Channel {
    /// Correct Vietnamese: nothing to do.
    #[default]
    None,
    /// Diacritics stripped (typed without accents).
    Stripped,
    /// OCR'd by an English-model engine.
    OcrEng,
    /// OCR'd by Tesseract's Vietnamese model.
    OcrVie,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::None => "none",
            Channel::Stripped => "stripped",
            Channel::OcrEng => "ocr_eng",
            Channel::OcrVie => "ocr_vie",
        }
    }

    /// For choosing the worst damage over a document's pages.
    pub fn severity(self) -> u8 {
        match self {
            Channel::None => 0,
            Channel::OcrVie => 1,
            Channel::Stripped => 2,
            Channel::OcrEng => 3,
        }
    }
}

/// Restore `text` (NFC, lines kept). Returns the new text, the decisions with byte ranges into
/// it, and the channel that was detected.
pub fn restore(
    text: &str,
    rules: &Rules,
    params: &Params,
    ocr_lang: Option<&str>,
) -> (String, Vec<Decision>, Channel) {
    let _ = (rules, params, ocr_lang);
    (text.to_string(), vec![], Channel::None)
}

/// Language model and channel tables (placeholder).
#[derive(Debug, Default)]
pub struct Model {}

impl Model {
    pub fn load(rules: &Rules) -> Result<Model, String> {
        let _ = rules;
        Ok(Model {})
    }
}
