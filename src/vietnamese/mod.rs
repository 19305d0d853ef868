//! What Vietnamese text is, apart from any stage: its syllables and where their tone marks go
//! ([`syllable`]), and the legacy byte encodings it was written in before Unicode
//! ([`encoding`]).
//!
//! Acquisition needs this knowledge to choose the encoding of a text file and to judge a PDF's
//! text layer; restoration needs it to repair mojibake and to restore marks. Living below both,
//! it lets the stages import one way (acquire → restore → segment → extract).

pub mod encoding;
pub mod syllable;

use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// `s` in Unicode NFC. Stripped, OCR'd and most converted text is already NFC (much of it
/// ASCII): the quick check settles that without rebuilding the text.
pub fn into_nfc(s: String) -> String {
    if unicode_normalization::is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}
