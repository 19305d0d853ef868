//! Legacy Vietnamese encodings (placeholder: only Windows-1258 until the encoding work lands).

use crate::acquire::LegacyFont;

/// Decode bytes that are not UTF-8, choosing the single-byte encoding under which the text
/// reads as Vietnamese.
pub fn decode_single_byte(bytes: &[u8]) -> (String, &'static str) {
    let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
    (text.into_owned(), "windows-1258")
}

/// Convert text that is legacy-encoded mojibake (TCVN3/VNI/VIQR/VISCII read as another
/// encoding) to Unicode. Returns the text unchanged and `None` when it is not.
pub fn repair_mojibake(text: &str, hint: Option<LegacyFont>) -> (String, Option<&'static str>) {
    let _ = hint;
    (text.to_string(), None)
}
