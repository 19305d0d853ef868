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
    /// A Word document (Office Open XML: a ZIP with `word/document.xml`).
    Docx,
    /// An OpenDocument text (`.odt`: a ZIP whose `mimetype` is
    /// `application/vnd.oasis.opendocument.text`).
    Odt,
    /// A Word 97–2003 document (`.doc`: an OLE2 compound file with a `WordDocument` stream).
    Doc,
    /// Rich Text Format (`{\rtf`).
    Rtf,
    /// A spreadsheet (`.xlsx`, `.ods`, `.xls`): not a document kehoach reads.
    Spreadsheet,
    /// A presentation (`.pptx`, `.odp`, `.ppt`): not a document kehoach reads.
    Presentation,
    /// An Office document protected by a password (OOXML encrypts into an OLE2 file with an
    /// `EncryptedPackage` stream).
    EncryptedOffice,
    /// An Office Open XML or OpenDocument package that is none of the above (a drawing, an
    /// e-book…).
    OtherOffice,
    /// A ZIP that is no Office or OpenDocument file: an archive of documents.
    Zip,
    /// A 7z archive.
    SevenZip,
    /// A RAR archive (not read: no well-kept pure-Rust reader).
    Rar,
    /// An OLE2 compound file that is no Word, Excel or PowerPoint file, or is damaged.
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
            Kind::Docx => "DOCX",
            Kind::Odt => "ODT",
            Kind::Doc => "Word 97-2003 .doc",
            Kind::Rtf => "RTF",
            Kind::Spreadsheet => "spreadsheet",
            Kind::Presentation => "presentation",
            Kind::EncryptedOffice => "password-protected Office document",
            Kind::OtherOffice => "Office package",
            Kind::Zip => "ZIP",
            Kind::SevenZip => "7z",
            Kind::Rar => "RAR",
            Kind::Ole => "OLE compound file",
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
    if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
        return zip_kind(b);
    }
    if b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return ole_kind(b);
    }
    if rtf(b) {
        return Kind::Rtf;
    }
    if b.starts_with(b"7z\xBC\xAF\x27\x1C") {
        return Kind::SevenZip;
    }
    if b.starts_with(b"Rar!\x1A\x07") {
        return Kind::Rar;
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

/// What a ZIP container holds, from its parts' names (and an OpenDocument's `mimetype`): Office
/// and OpenDocument files are ZIPs too, so they are told apart before a ZIP is taken for an
/// archive of documents. A container whose directory cannot be read is left to the ZIP reader,
/// which names the damage.
fn zip_kind(b: &[u8]) -> Kind {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(b)) else {
        return Kind::Zip;
    };
    if let Ok(part) = zip.by_name("mimetype") {
        let mut mime = String::new();
        // The part is a short ASCII name; anything longer is not an OpenDocument mimetype.
        if part.take(128).read_to_string(&mut mime).is_ok() {
            match mime.trim() {
                "application/vnd.oasis.opendocument.text" => return Kind::Odt,
                m if m.starts_with("application/vnd.oasis.opendocument.spreadsheet") => {
                    return Kind::Spreadsheet;
                }
                m if m.starts_with("application/vnd.oasis.opendocument.presentation") => {
                    return Kind::Presentation;
                }
                _ => {}
            }
        }
    }
    let has = |name: &str| zip.index_for_name(name).is_some();
    if has("word/document.xml") {
        Kind::Docx
    } else if has("xl/workbook.xml") {
        Kind::Spreadsheet
    } else if has("ppt/presentation.xml") {
        Kind::Presentation
    } else if has("[Content_Types].xml") || has("mimetype") {
        // A package's parts are not documents: a damaged Word file must not become one
        // document per XML part.
        Kind::OtherOffice
    } else {
        Kind::Zip
    }
}

/// Which Office program wrote an OLE2 compound file, from the streams its directory names.
fn ole_kind(b: &[u8]) -> Kind {
    let Ok(file) = cfb::CompoundFile::open(std::io::Cursor::new(b)) else {
        return Kind::Ole;
    };
    if file.is_stream("/WordDocument") {
        Kind::Doc
    } else if file.is_stream("/Workbook") || file.is_stream("/Book") {
        Kind::Spreadsheet
    } else if file.is_stream("/PowerPoint Document") {
        Kind::Presentation
    } else if file.is_stream("/EncryptedPackage") {
        Kind::EncryptedOffice
    } else {
        Kind::Ole
    }
}

/// RTF opens with `{\rtf`, after a byte-order mark or white space at most.
fn rtf(b: &[u8]) -> bool {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    b[start..].starts_with(b"{\\rtf")
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

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, body) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, body).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn office_and_opendocument_files_are_told_from_archives_by_their_parts() {
        assert_eq!(detect(&fixture("plan_phu_loc.odt")), Kind::Odt);
        assert_eq!(detect(&fixture("plan_tan_an.rtf")), Kind::Rtf);
        assert_eq!(
            detect(&fixture(
                "vbai__Du_thao_ke_hoach_phat_dong_thi_dua_CCHC_nam_2026_tinh_Lam_Dong_10.02s.doc"
            )),
            Kind::Doc
        );
        assert_eq!(
            detect(&zip_of(&[("word/document.xml", b"<w/>")])),
            Kind::Docx
        );
        assert_eq!(
            detect(&zip_of(&[("xl/workbook.xml", b"<x/>")])),
            Kind::Spreadsheet
        );
        let ods = b"application/vnd.oasis.opendocument.spreadsheet";
        assert_eq!(detect(&zip_of(&[("mimetype", ods)])), Kind::Spreadsheet);
        assert_eq!(
            detect(&zip_of(&[("ppt/presentation.xml", b"<p/>")])),
            Kind::Presentation
        );
        assert_eq!(detect(&zip_of(&[("kh/a.pdf", b"%PDF-1.4")])), Kind::Zip);
        assert_eq!(
            detect(&zip_of(&[("[Content_Types].xml", b"<Types/>")])),
            Kind::OtherOffice
        );
        assert_eq!(detect(b"7z\xBC\xAF\x27\x1C\0\x04"), Kind::SevenZip);
        assert_eq!(detect(b"Rar!\x1A\x07\x01\0"), Kind::Rar);
        // An OLE header over noise: no directory to read.
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend(std::iter::repeat_n(7u8, 600));
        assert_eq!(detect(&ole), Kind::Ole);
        assert_eq!(detect(b"\xEF\xBB\xBF  {\\rtf1\\ansi x}"), Kind::Rtf);
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
