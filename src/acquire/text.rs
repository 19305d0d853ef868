//! Plain-text files: UTF-8 (with or without BOM), UTF-16 with BOM, and single-byte legacy
//! encodings (Windows-1258, and the TCVN3/VNI/VISCII byte encodings that
//! [`crate::vietnamese::encoding`] recognises).

use super::error::Error;
use super::types::{Acquired, Page};
use crate::contract::Format;

/// True when `b` plausibly holds text in some encoding we read: a UTF-16 BOM, valid UTF-8, or a
/// single-byte encoding with (almost) no control bytes.
pub fn looks_like_text(b: &[u8]) -> bool {
    if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let sample = &b[..b.len().min(64 * 1024)];
    if sample.contains(&0) {
        return false;
    }
    let control = sample
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if std::str::from_utf8(sample).is_ok() || utf8_truncated_ok(sample) {
        return control * 100 <= sample.len();
    }
    control * 100 <= sample.len() && control < 16
}

/// A sample cut at 64 KiB may end inside a UTF-8 sequence.
fn utf8_truncated_ok(s: &[u8]) -> bool {
    match std::str::from_utf8(s) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && s.len() - e.valid_up_to() < 4,
    }
}

/// Decode a text file to one page. The text is *not* yet normalised: restoration does that.
pub fn acquire(bytes: &[u8]) -> Result<Acquired, Error> {
    let (text, encoding) = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(Error::Empty);
    }
    Ok(Acquired {
        format: Format::Text,
        encoding: Some(encoding),
        pages: vec![Page::text(1, text)],
        signatures: vec![],
        warnings: vec![],
    })
}

/// Decode bytes to a string and name the encoding used.
pub fn decode(bytes: &[u8]) -> Result<(String, String), Error> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, had_errors) = enc.decode(bytes);
        let name = if enc == encoding_rs::UTF_8 {
            "utf-8"
        } else {
            "utf-16"
        };
        if had_errors && enc != encoding_rs::UTF_8 {
            return Err(Error::Corrupt(format!(
                "invalid {name} after its byte-order mark"
            )));
        }
        let _ = bom_len;
        return Ok((text.into_owned(), name.to_string()));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "utf-8".into()));
    }
    // Not UTF-8: a single-byte Vietnamese encoding. The encoding module chooses the one
    // under which the most tokens are valid Vietnamese syllables.
    let (text, name) = crate::vietnamese::encoding::decode_single_byte(bytes);
    Ok((text, name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf16_with_bom_and_utf8_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Kế hoạch".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode(&le).unwrap(),
            ("Kế hoạch".to_string(), "utf-16".to_string())
        );
        let mut u8bom = vec![0xEF, 0xBB, 0xBF];
        u8bom.extend_from_slice("Số: 1".as_bytes());
        assert_eq!(decode(&u8bom).unwrap().0, "Số: 1");
    }

    #[test]
    fn reads_windows_1258() {
        // Windows-1258 writes most tones as combining marks after the letter, and encoding_rs
        // does not decompose on encoding, so the input is spelled that way.
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1258.encode("Kê\u{301} hoa\u{323}ch phát triê\u{309}n");
        assert!(
            !bytes.contains(&b'&'),
            "every character has a Windows-1258 byte"
        );
        let (text, enc) = decode(&bytes).unwrap();
        use unicode_normalization::UnicodeNormalization;
        assert_eq!(text.nfc().collect::<String>(), "Kế hoạch phát triển");
        assert_eq!(enc, "windows-1258");
    }
}
