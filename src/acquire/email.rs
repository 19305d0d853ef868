//! E-mail: a single RFC 822 message (`.eml`) or an mbox mailbox, through `mail-parser`.
//!
//! District offices receive plans as attachments, so every attachment kehoach can read (PDF,
//! DOCX, image, text; found by content, not by name) becomes its own document, and the message
//! it came in (from, subject, date, message-id, attachment name) is recorded in its `source`.
//! Forwarded messages attached to a message are opened in turn. Message bodies are not plans
//! and are not read.

use super::detect::{self, Kind};
use super::error::Error;
use crate::contract::MessageInfo;
use mail_parser::{MessageParser, MimeHeaders};

/// Forwarded messages nest; deeper than this is refused rather than followed.
const MAX_DEPTH: usize = 8;

/// One attachment of one message.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// 1-based number of the message in the mailbox (1 for an `.eml`).
    pub message_number: usize,
    pub message: MessageInfo,
    /// What the attachment's content is (sniffed here to choose it; not sniffed again).
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// What reading a message or mailbox found, besides the attachments handed on.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub messages: usize,
    pub attachments: usize,
    /// `name (kind)` of attachments that are not documents kehoach reads.
    pub skipped: Vec<String>,
}

/// Call `each` for every readable attachment of the message or mailbox in `bytes`, one at a
/// time (a mailbox is streamed, never held as parsed messages all at once).
pub fn for_each_attachment(
    bytes: &[u8],
    mut each: impl FnMut(Attachment),
) -> Result<Report, Error> {
    let mut report = Report::default();
    if bytes.starts_with(b"From ") {
        let iter = mail_parser::mailbox::mbox::MessageIterator::new(bytes);
        for (i, message) in iter.enumerate() {
            let message =
                message.map_err(|e| Error::Corrupt(format!("damaged mbox mailbox: {e}")))?;
            report.messages += 1;
            read_message(message.contents(), i + 1, 0, &mut report, &mut each)?;
        }
    } else {
        report.messages = 1;
        read_message(bytes, 1, 0, &mut report, &mut each)?;
    }
    Ok(report)
}

fn read_message(
    raw: &[u8],
    number: usize,
    depth: usize,
    report: &mut Report,
    each: &mut impl FnMut(Attachment),
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::Limit(format!(
            "messages forwarded inside messages more than {MAX_DEPTH} deep"
        )));
    }
    let Some(msg) = MessageParser::default().parse(raw) else {
        return Err(Error::Corrupt(format!(
            "message {number} is not a readable e-mail message"
        )));
    };
    let info = MessageInfo {
        from: msg
            .from()
            .and_then(|a| a.first())
            .map(|a| match (a.name(), a.address()) {
                (Some(n), Some(addr)) => format!("{n} <{addr}>"),
                (Some(n), None) => n.to_owned(),
                (None, Some(addr)) => addr.to_owned(),
                (None, None) => String::new(),
            }),
        subject: msg.subject().map(str::to_owned),
        date: msg.date().map(|d| d.to_rfc3339()),
        message_id: msg.message_id().map(str::to_owned),
        attachment: None,
        attachment_format: None,
    };
    for (i, part) in msg.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("attachment-{}", i + 1));
        if let Some(inner) = part.message() {
            read_message(inner.raw_message(), number, depth + 1, report, each)?;
            continue;
        }
        let bytes = part.contents();
        let kind = if bytes.is_empty() {
            Kind::Binary
        } else {
            detect::detect(bytes)
        };
        match kind {
            Kind::Pdf
            | Kind::Png
            | Kind::Jpeg
            | Kind::Tiff
            | Kind::Bmp
            | Kind::Webp
            | Kind::Gif
            | Kind::Docx
            | Kind::Doc
            | Kind::Odt
            | Kind::Rtf
            | Kind::OtherOffice
            | Kind::Zip
            | Kind::SevenZip
            | Kind::Rar
            | Kind::Ole
            | Kind::Spreadsheet
            | Kind::Presentation
            | Kind::EncryptedOffice
            | Kind::Text => {
                report.attachments += 1;
                each(Attachment {
                    message_number: number,
                    message: MessageInfo {
                        attachment: Some(name),
                        ..info.clone()
                    },
                    kind,
                    bytes: bytes.to_vec(),
                });
            }
            Kind::Email => {
                read_message(bytes, number, depth + 1, report, each)?;
            }
            Kind::Binary => report.skipped.push(format!("{name} ({})", kind.name())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(attachments: &[(&str, &str, &[u8])]) -> Vec<u8> {
        use std::fmt::Write;
        let mut m = String::from(
            "From: =?UTF-8?Q?Ph=C3=B2ng_GD?= <pgd@example.vn>\r\nTo: ubnd@example.vn\r\n\
             Subject: =?UTF-8?B?S+G6vyBob+G6oWNoIHPhu5EgMw==?=\r\n\
             Date: Tue, 2 Jan 2024 08:30:00 +0700\r\nMessage-ID: <abc@example.vn>\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n\
             --XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGửi kế hoạch.\r\n",
        );
        for (name, ctype, body) in attachments {
            let b64 = base64_encode(body);
            write!(
                m,
                "--XX\r\nContent-Type: {ctype}\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
            )
            .unwrap();
        }
        m.push_str("--XX--\r\n");
        m.into_bytes()
    }

    fn base64_encode(b: &[u8]) -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = String::new();
        for c in b.chunks(3) {
            let n = (c[0] as u32) << 16
                | (*c.get(1).unwrap_or(&0) as u32) << 8
                | *c.get(2).unwrap_or(&0) as u32;
            for i in 0..4 {
                if i <= c.len() {
                    s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    s.push('=');
                }
            }
        }
        s
    }

    #[test]
    fn readable_attachments_carry_their_message() {
        let eml = message(&[
            ("kế hoạch.txt", "text/plain", "Kế hoạch số 3".as_bytes()),
            (
                "logo.bin",
                "application/octet-stream",
                &[0, 1, 2, 3, 0, 0, 9],
            ),
        ]);
        let mut got = vec![];
        let report = for_each_attachment(&eml, |a| got.push(a)).unwrap();
        assert_eq!(report.messages, 1);
        assert_eq!(report.attachments, 1);
        assert_eq!(report.skipped, ["logo.bin (binary)"]);
        let a = &got[0];
        assert_eq!(a.bytes, "Kế hoạch số 3".as_bytes());
        assert_eq!(a.message.attachment.as_deref(), Some("kế hoạch.txt"));
        assert_eq!(a.message.subject.as_deref(), Some("Kế hoạch số 3"));
        assert_eq!(a.message.from.as_deref(), Some("Phòng GD <pgd@example.vn>"));
        assert_eq!(a.message.message_id.as_deref(), Some("abc@example.vn"));
        assert_eq!(a.message.date.as_deref(), Some("2024-01-02T08:30:00+07:00"));
    }

    #[test]
    fn an_mbox_numbers_its_messages() {
        let one = message(&[("a.txt", "text/plain", b"Ke hoach 1")]);
        let two = message(&[("b.txt", "text/plain", b"Ke hoach 2")]);
        let mut mbox = b"From pgd@example.vn Tue Jan  2 08:30:00 2024\n".to_vec();
        mbox.extend_from_slice(&one);
        mbox.extend_from_slice(b"\nFrom pgd@example.vn Wed Jan  3 08:30:00 2024\n");
        mbox.extend_from_slice(&two);
        let mut got = vec![];
        let report = for_each_attachment(&mbox, |a| got.push(a)).unwrap();
        assert_eq!(report.messages, 2);
        let seen: Vec<(usize, &[u8])> = got
            .iter()
            .map(|a| (a.message_number, a.bytes.as_slice()))
            .collect();
        assert_eq!(seen, [(1, &b"Ke hoach 1"[..]), (2, &b"Ke hoach 2"[..])]);
    }
}
