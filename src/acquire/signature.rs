//! Who signed a PDF, and when: every signature dictionary reached from the AcroForm's fields
//! or the pages' widgets.
//!
//! For each: `/Name`, `/M`, `/Reason`, `/Location`, the field's full name, the signing
//! certificate's subject and issuer (the CMS blob in `/Contents`, parsed with RustCrypto's
//! `cms` and `x509-cert`), whether `/ByteRange` spans the whole file, and whether the CMS
//! `messageDigest` matches the digest of the signed bytes. Nothing here trusts or validates
//! certificate chains: it reports what the file says, and whether its bytes were changed since.

use crate::contract::{Certificate, Signature};
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::{Decode, Encode};
use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::Digest;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Signatures of a file, in the order their fields are met (AcroForm first, then pages).
pub fn read(doc: &Document, bytes: &[u8]) -> Vec<Signature> {
    let mut seen = HashSet::new();
    let mut out = vec![];
    let mut fields: Vec<&Object> = vec![];
    if let Some(form) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|f| doc.dereference(f).ok())
        .and_then(|(_, f)| f.as_dict().ok())
        && let Ok(Object::Array(list)) = form
            .get(b"Fields")
            .map(|f| doc.dereference(f).map_or(f, |(_, o)| o))
    {
        fields.extend(list.iter());
    }
    for &page in doc.get_pages().values() {
        if let Ok(Object::Array(list)) = doc
            .get_dictionary(page)
            .and_then(|p| p.get(b"Annots"))
            .map(|a| doc.dereference(a).map_or(a, |(_, o)| o))
        {
            fields.extend(list.iter());
        }
    }
    for f in fields {
        walk(doc, bytes, f, 0, &mut seen, &mut out);
    }
    out
}

fn walk(
    doc: &Document,
    bytes: &[u8],
    field: &Object,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<Signature>,
) {
    let Ok((_, Object::Dictionary(d))) = doc.dereference(field) else {
        return;
    };
    if depth > 16 {
        return;
    }
    if let Ok(Object::Array(kids)) = d.get(b"Kids") {
        for k in kids {
            walk(doc, bytes, k, depth + 1, seen, out);
        }
    }
    if inherited(doc, d, b"FT").and_then(|o| o.as_name().ok()) != Some(b"Sig") {
        return;
    }
    let Some(Object::Reference(id)) = inherited(doc, d, b"V") else {
        return;
    };
    if !seen.insert(*id) {
        return;
    }
    let Ok(sig) = doc.get_dictionary(*id) else {
        return;
    };
    let appearance: String = super::stamps::appearance_text(doc, d)
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.text + " ")
        .collect();
    out.push(signature(doc, bytes, sig, field_name(doc, d), &appearance));
}

/// A field's attribute, from it or the nearest parent that has it.
fn inherited<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = d;
    for _ in 0..16 {
        if let Ok(v) = d.get(key) {
            return Some(v);
        }
        d = d
            .get(b"Parent")
            .ok()
            .and_then(|p| doc.dereference(p).ok())
            .and_then(|(_, p)| p.as_dict().ok())?;
    }
    None
}

fn field_name(doc: &Document, d: &Dictionary) -> Option<String> {
    let mut parts = vec![];
    let mut d = Some(d);
    for _ in 0..16 {
        let Some(cur) = d else { break };
        if let Some(t) = cur.get(b"T").ok().and_then(text) {
            parts.push(t);
        }
        d = cur
            .get(b"Parent")
            .ok()
            .and_then(|p| doc.dereference(p).ok())
            .and_then(|(_, p)| p.as_dict().ok());
    }
    parts.reverse();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// A PDF text string (PDFDocEncoding or UTF-16BE with a BOM).
fn text(o: &Object) -> Option<String> {
    let s = lopdf::decode_text_string(o).ok()?;
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn signature(
    doc: &Document,
    bytes: &[u8],
    sig: &Dictionary,
    field: Option<String>,
    appearance: &str,
) -> Signature {
    let get = |k: &[u8]| {
        sig.get(k)
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| text(o))
    };
    let range: Vec<usize> = sig
        .get(b"ByteRange")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_array().ok())
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_i64().ok())
                .filter_map(|n| usize::try_from(n).ok())
                .collect()
        })
        .unwrap_or_default();
    let signed: Option<Vec<u8>> = (range.len() == 4
        && range[0]
            .checked_add(range[1])
            .is_some_and(|e| e <= bytes.len())
        && range[2]
            .checked_add(range[3])
            .is_some_and(|e| e <= bytes.len()))
    .then(|| {
        let mut v = bytes[range[0]..range[0] + range[1]].to_vec();
        v.extend_from_slice(&bytes[range[2]..range[2] + range[3]]);
        v
    });
    let covers = range.len() == 4 && range[0] == 0 && range[2] + range[3] == bytes.len();
    let cms = match sig.get(b"Contents") {
        Ok(Object::String(blob, _)) => Cms::parse(blob),
        _ => None,
    };
    let sub_type = sig.get(b"Type").and_then(Object::as_name).ok();
    let certification = sig
        .get(b"Reference")
        .ok()
        .and_then(|r| doc.dereference(r).ok())
        .and_then(|(_, r)| r.as_array().ok())
        .is_some_and(|refs| {
            refs.iter().any(|r| {
                doc.dereference(r)
                    .ok()
                    .and_then(|(_, r)| r.as_dict().ok())
                    .and_then(|r| r.get(b"TransformMethod").ok())
                    .and_then(|m| m.as_name().ok())
                    == Some(b"DocMDP")
            })
        });
    let signer = get(b"Name").or_else(|| cms.as_ref().and_then(|c| c.common_name.clone()));
    let reason = get(b"Reason");
    let location = get(b"Location");
    let marks = [
        reason.as_deref(),
        location.as_deref(),
        signer.as_deref(),
        Some(appearance),
    ];
    let kind = if sub_type == Some(b"DocTimeStamp") {
        "timestamp"
    } else if marks.iter().flatten().any(|m| certified_copy(m)) {
        "certified_copy"
    } else if certification {
        "certification"
    } else {
        "approval"
    };
    Signature {
        signer,
        time: get(b"M").and_then(|m| pdf_date(&m)),
        reason,
        location,
        field,
        certificate: cms.as_ref().and_then(|c| c.certificate.clone()),
        covers_whole_document: covers,
        digest_ok: match (&cms, signed) {
            (Some(c), Some(data)) => c.digest_ok(&data),
            _ => None,
        },
        kind: kind.into(),
    }
}

/// What a signature's CMS blob says.
struct Cms {
    certificate: Option<Certificate>,
    common_name: Option<String>,
    /// The digest algorithm's OID and the signed `messageDigest` attribute.
    digest: Option<(String, Vec<u8>)>,
}

const SHA1: &str = "1.3.14.3.2.26";
const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const SHA384: &str = "2.16.840.1.101.3.4.2.2";
const SHA512: &str = "2.16.840.1.101.3.4.2.3";
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const COMMON_NAME: &str = "2.5.4.3";

impl Cms {
    /// `/Contents` is the DER blob padded with zeros to the space reserved for it.
    fn parse(blob: &[u8]) -> Option<Cms> {
        let len = der::SliceReader::new(blob)
            .ok()
            .and_then(|mut r| der::Header::decode(&mut r).ok().map(|h| (h, r)))
            .and_then(|(h, r)| {
                let header: usize = h.encoded_len().ok()?.try_into().ok()?;
                let body: usize = h.length.try_into().ok()?;
                let _ = r;
                Some(header + body)
            })?;
        let info = ContentInfo::from_der(blob.get(..len)?).ok()?;
        let signed: SignedData = info.content.decode_as().ok()?;
        let signer = signed.signer_infos.0.iter().next()?;
        let certs: Vec<&x509_cert::Certificate> = signed
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|c| match c {
                cms::cert::CertificateChoices::Certificate(c) => Some(c),
                _ => None,
            })
            .collect();
        let cert = certs
            .iter()
            .find(|c| match &signer.sid {
                SignerIdentifier::IssuerAndSerialNumber(i) => {
                    c.tbs_certificate.serial_number == i.serial_number
                        && c.tbs_certificate.issuer == i.issuer
                }
                SignerIdentifier::SubjectKeyIdentifier(_) => false,
            })
            .or(certs.first());
        let digest = signer.signed_attrs.as_ref().and_then(|attrs| {
            attrs
                .iter()
                .find(|a| a.oid.to_string() == MESSAGE_DIGEST)
                .and_then(|a| a.values.iter().next())
                .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
                .map(|o| (signer.digest_alg.oid.to_string(), o.as_bytes().to_vec()))
        });
        Some(Cms {
            certificate: cert.map(|c| Certificate {
                subject: c.tbs_certificate.subject.to_string(),
                issuer: c.tbs_certificate.issuer.to_string(),
            }),
            common_name: cert.and_then(|c| {
                c.tbs_certificate
                    .subject
                    .0
                    .iter()
                    .flat_map(|rdn| rdn.0.iter())
                    .find(|a| a.oid.to_string() == COMMON_NAME)
                    .and_then(|a| attribute_text(&a.value))
            }),
            digest,
        })
    }

    fn digest_ok(&self, data: &[u8]) -> Option<bool> {
        let (alg, want) = self.digest.as_ref()?;
        let got = match alg.as_str() {
            SHA1 => sha1::Sha1::digest(data).to_vec(),
            SHA256 => sha2::Sha256::digest(data).to_vec(),
            SHA384 => sha2::Sha384::digest(data).to_vec(),
            SHA512 => sha2::Sha512::digest(data).to_vec(),
            other => {
                tracing::debug!(algorithm = other, "signature digest not checked");
                return None;
            }
        };
        Some(&got == want)
    }
}

/// A directory string's text (UTF8String, PrintableString, BMPString…).
fn attribute_text(v: &der::Any) -> Option<String> {
    use der::asn1::{BmpString, PrintableStringRef, Utf8StringRef};
    v.decode_as::<Utf8StringRef>()
        .map(|s| s.as_str().to_string())
        .or_else(|_| {
            v.decode_as::<PrintableStringRef>()
                .map(|s| s.as_str().to_string())
        })
        .or_else(|_| v.decode_as::<BmpString>().map(|s| s.to_string()))
        .ok()
}

/// `D:20260805100314+07'00'` → `2026-08-05T10:03:14+07:00` (missing parts as PDF 32000
/// §7.9.4 says: month and day 01, time 00; no offset, no offset written).
pub fn pdf_date(s: &str) -> Option<String> {
    let s = s.trim().strip_prefix("D:").unwrap_or(s.trim());
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 4 {
        return None;
    }
    let part =
        |from: usize, default: &str| digits.get(from..from + 2).unwrap_or(default).to_string();
    let date = format!(
        "{}-{}-{}T{}:{}:{}",
        &digits[..4],
        part(4, "01"),
        part(6, "01"),
        part(8, "00"),
        part(10, "00"),
        part(12, "00")
    );
    let rest = &s[digits.len()..];
    let offset = match rest.chars().next() {
        Some('Z') => "+00:00".to_string(),
        Some(sign @ ('+' | '-')) => {
            let d: Vec<&str> = rest[1..]
                .split(['\'', ':'])
                .filter(|p| !p.is_empty())
                .collect();
            format!(
                "{sign}{}:{}",
                d.first().copied().unwrap_or("00"),
                d.get(1).copied().unwrap_or("00")
            )
        }
        _ => String::new(),
    };
    Some(date + &offset)
}

/// Words that make a signature a certified copy's ("SAO Y"), from `rules/signatures.toml`.
fn certified_copy(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Marks {
        certified_copy: Vec<String>,
    }
    static MARKS: OnceLock<Vec<String>> = OnceLock::new();
    let marks = MARKS.get_or_init(|| {
        crate::rules::Rules::builtin()
            .toml::<Marks>("signatures.toml")
            .map(|m| {
                m.certified_copy
                    .iter()
                    .map(|s| crate::fold::fold(s))
                    .collect()
            })
            .unwrap_or_default()
    });
    let folded = crate::fold::fold(text);
    marks.iter().any(|m| folded.contains(m.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_iso_8601_with_their_offset() {
        assert_eq!(
            pdf_date("D:20260805100314+07'00'").as_deref(),
            Some("2026-08-05T10:03:14+07:00")
        );
        assert_eq!(
            pdf_date("D:20251222185639Z").as_deref(),
            Some("2025-12-22T18:56:39+00:00")
        );
        assert_eq!(pdf_date("D:2025").as_deref(), Some("2025-01-01T00:00:00"));
        assert_eq!(pdf_date("yesterday"), None);
    }

    #[test]
    fn a_certified_copys_mark_is_found_in_any_case() {
        assert!(certified_copy("SAO Y"));
        assert!(certified_copy("Sao y bản chính"));
        assert!(!certified_copy("Phó Giám đốc"));
    }
}
