//! Content sniffing: what an input is, from its first bytes.

/// What the bytes look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Bmp,
    Webp,
    Gif,
    /// A ZIP container: DOCX (or another OOXML file, decided by its parts).
    Zip,
    /// An OLE2 compound file: legacy `.doc`.
    Ole,
    /// An RFC 822 message or an mbox mailbox.
    Email,
    Text,
    Binary,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Png => "PNG",
            Kind::Jpeg => "JPEG",
            Kind::Tiff => "TIFF",
            Kind::Bmp => "BMP",
            Kind::Webp => "WebP",
            Kind::Gif => "GIF",
            Kind::Zip => "ZIP/DOCX",
            Kind::Ole => "legacy Word .doc",
            Kind::Email => "e-mail",
            Kind::Text => "text",
            Kind::Binary => "binary",
        }
    }
}

pub fn detect(b: &[u8]) -> Kind {
    // PDF may be preceded by junk (up to 1 KiB is tolerated by readers).
    let head = &b[..b.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Kind::Pdf;
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Kind::Png;
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Kind::Jpeg;
    }
    if b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
        || b.starts_with(b"II+\0")
        || b.starts_with(b"MM\0+")
    {
        return Kind::Tiff;
    }
    if b.starts_with(b"BM") && b.len() > 26 && b[14] >= 12 && b[15..18] == [0, 0, 0] {
        return Kind::Bmp;
    }
    if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Kind::Webp;
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Kind::Gif;
    }
    if b.starts_with(b"PK\x03\x04") {
        return Kind::Zip;
    }
    if b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Ole;
    }
    if looks_like_email(b) {
        return Kind::Email;
    }
    if super::text::looks_like_text(b) {
        Kind::Text
    } else {
        Kind::Binary
    }
}

/// An mbox starts with `From `; a single message starts with RFC 822 header lines and has one
/// of the headers every message has.
fn looks_like_email(b: &[u8]) -> bool {
    let head = &b[..b.len().min(4096)];
    let Ok(s) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return false;
    };
    if s.starts_with("From ") && s.lines().nth(1).is_some_and(is_header_line) {
        return true;
    }
    let mut lines = s.lines();
    let Some(first) = lines.next() else {
        return false;
    };
    if !is_header_line(first) {
        return false;
    }
    let header_block: Vec<&str> = s.lines().take_while(|l| !l.is_empty()).collect();
    let has = |name: &str| {
        header_block.iter().any(|l| {
            l.len() > name.len() && l.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        })
    };
    (has("from:") || has("received:") || has("return-path:"))
        && (has("subject:") || has("message-id:") || has("mime-version:") || has("date:"))
}

fn is_header_line(l: &str) -> bool {
    let Some((name, _)) = l.split_once(':') else {
        return false;
    };
    !name.is_empty()
        && name.len() < 40
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(detect(b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0"), Kind::Png);
        assert_eq!(detect("Kế hoạch số 1".as_bytes()), Kind::Text);
        assert_eq!(detect(b"From: a@b.vn\nSubject: KH\n\nbody"), Kind::Email);
        assert_eq!(detect(&[0u8, 1, 2, 3, 0, 0, 0, 9, 200, 201]), Kind::Binary);
    }

    #[test]
    fn a_plan_whose_first_line_looks_like_a_mail_header_is_text() {
        // Found by proptest: "So: …" reads as a header line, and the header test then cut the
        // next line inside a letter.
        let plan = "So: 12/KH-UBND xa An Phu, ngay 5 thang 3 nam 2023
a) III. HOẠT ĐỘNG";
        assert_eq!(detect(plan.as_bytes()), Kind::Text);
        let mail = "From: Phòng Nội vụ <a@b.vn>
Tiêu đề: KH
Subject: Kế hoạch

body";
        assert_eq!(detect(mail.as_bytes()), Kind::Email);
    }
}
