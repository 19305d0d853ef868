//! Archives (`.zip`, `.7z`) as containers: every member kehoach can read (found by content, as
//! e-mail attachments are) becomes a document of its own, and an archive inside the archive is
//! opened in turn.
//!
//! Archives come from outside, so what they claim is not trusted: the number of members, their
//! total unpacked size and the depth of archives inside archives are capped
//! ([`Limits`], `--max-members`, `--max-unpacked`, `--max-nesting`), the sizes both as the
//! directory declares them (before anything is unpacked) and as bytes actually come out (a
//! directory can lie). A breach fails the archive with a limit error. An archive whose members
//! are encrypted fails with "password required". RAR is a closed format with no well-kept
//! pure-Rust reader, so a `.rar` fails with a request to extract it first.

use super::detect::{self, Kind};
use super::error::Error;
pub use super::types::Limits;
use std::io::{Cursor, Read};

/// One member handed on to be read.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its path inside the archive; a member of an archive inside it reads
    /// `docs/inner.zip/a.pdf`.
    pub path: String,
    /// The name its document is written under: an inner archive's members go in its `.d`
    /// folder, as an e-mail's attachments do (`docs/inner.zip.d/a.pdf`).
    pub part: String,
    /// What the member is (sniffed here to choose it; not sniffed again).
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// What reading an archive found, besides the members handed on.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Members handed on.
    pub members: usize,
    /// `path (kind)` of members that are not documents kehoach reads.
    pub skipped: Vec<String>,
}

/// `zip` or `7z`: the archive format a document was found in.
pub fn format_name(kind: Kind) -> &'static str {
    match kind {
        Kind::SevenZip => "7z",
        _ => "zip",
    }
}

/// Call `each` for every readable member of the archive in `bytes` (a ZIP or a 7z), one at a
/// time, in the archive's order.
pub fn for_each_member(
    bytes: &[u8],
    kind: Kind,
    limits: &Limits,
    mut each: impl FnMut(Member),
) -> Result<Report, Error> {
    let mut walk = Walk {
        limits,
        members: 0,
        unpacked: 0,
        report: Report::default(),
    };
    let top = Place {
        path: "",
        part: "",
        depth: 1,
    };
    walk.archive(bytes, kind, &top, &mut each)?;
    Ok(walk.report)
}

/// Where an archive being opened sits: its path and part-name prefixes, and its depth (1 for
/// the input itself).
struct Place<'p> {
    path: &'p str,
    part: &'p str,
    depth: usize,
}

struct Walk<'a> {
    limits: &'a Limits,
    /// Files met so far, in every archive opened.
    members: usize,
    /// Bytes unpacked so far.
    unpacked: u64,
    report: Report,
}

impl Walk<'_> {
    fn archive(
        &mut self,
        bytes: &[u8],
        kind: Kind,
        at: &Place,
        each: &mut impl FnMut(Member),
    ) -> Result<(), Error> {
        if at.depth > self.limits.max_depth {
            return Err(Error::Limit(format!(
                "archives inside archives more than {} deep (see --max-nesting)",
                self.limits.max_depth
            )));
        }
        match kind {
            Kind::SevenZip => self.seven_zip(bytes, at, each),
            _ => self.zip(bytes, at, each),
        }
    }

    fn zip(
        &mut self,
        bytes: &[u8],
        at: &Place,
        each: &mut impl FnMut(Member),
    ) -> Result<(), Error> {
        let damaged =
            |e: zip::result::ZipError| Error::Corrupt(format!("damaged ZIP archive: {e}"));
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
        let (mut files, mut declared, mut encrypted) = (0, 0u64, 0);
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(damaged)?;
            if f.is_dir() {
                continue;
            }
            files += 1;
            declared = declared.saturating_add(f.size());
            encrypted += usize::from(f.encrypted());
        }
        if encrypted > 0 {
            return Err(Error::Encrypted(format!(
                "the ZIP archive{} is encrypted ({encrypted} of {files} files); extract it with \
                 its password first",
                in_path(at.path)
            )));
        }
        self.claim(files, declared)?;
        for i in 0..zip.len() {
            let f = zip.by_index(i).map_err(damaged)?;
            if f.is_dir() {
                continue;
            }
            let name = f.name().to_owned();
            let content = self.unpack(f, &name)?;
            self.member(&name, content, at, each)?;
        }
        Ok(())
    }

    fn seven_zip(
        &mut self,
        bytes: &[u8],
        at: &Place,
        each: &mut impl FnMut(Member),
    ) -> Result<(), Error> {
        use sevenz_rust2::{ArchiveReader, EncoderMethod, Password};
        let encrypted = || {
            Error::Encrypted(format!(
                "the 7z archive{} is encrypted; extract it with its password first",
                in_path(at.path)
            ))
        };
        let damaged = |e: sevenz_rust2::Error| match e {
            sevenz_rust2::Error::PasswordRequired | sevenz_rust2::Error::MaybeBadPassword(_) => {
                encrypted()
            }
            e => Error::Corrupt(format!("damaged or unsupported 7z archive: {e}")),
        };
        let mut reader =
            ArchiveReader::new(Cursor::new(bytes), Password::empty()).map_err(damaged)?;
        // One thread: the batch's workers are the parallelism.
        reader.set_thread_count(1);
        let archive = reader.archive();
        if archive.blocks.iter().any(|b| {
            b.coders
                .iter()
                .any(|c| c.encoder_method_id() == EncoderMethod::ID_AES256_SHA256)
        }) {
            return Err(encrypted());
        }
        let files = archive.files.iter().filter(|f| !f.is_directory()).count();
        let declared = archive
            .files
            .iter()
            .fold(0u64, |n, f| n.saturating_add(f.size()));
        self.claim(files, declared)?;
        // The decoder calls back per entry; an error of ours stops it and is returned after.
        let mut failed = None;
        let walked = reader.for_each_entries(|entry, r| {
            if entry.is_directory() {
                return Ok(true);
            }
            let name = entry.name().to_owned();
            let done = self
                .unpack(r, &name)
                .and_then(|content| self.member(&name, content, at, each));
            match done {
                Ok(()) => Ok(true),
                Err(e) => {
                    failed = Some(e);
                    Ok(false)
                }
            }
        });
        match failed {
            Some(e) => Err(e),
            None => walked.map_err(damaged),
        }
    }

    /// Count an archive's files and declared bytes against the limits, before unpacking it.
    fn claim(&mut self, files: usize, declared: u64) -> Result<(), Error> {
        self.members += files;
        if self.members > self.limits.max_members {
            return Err(Error::Limit(format!(
                "the archive holds more than {} files (see --max-members)",
                self.limits.max_members
            )));
        }
        if self.unpacked.saturating_add(declared) > self.limits.max_total_bytes {
            return Err(self.too_big());
        }
        Ok(())
    }

    fn too_big(&self) -> Error {
        Error::Limit(format!(
            "the archive unpacks to more than {} MB (see --max-unpacked)",
            self.limits.max_total_bytes >> 20
        ))
    }

    /// A member's bytes, stopping as soon as they pass what the limit leaves.
    fn unpack(&mut self, r: impl Read, name: &str) -> Result<Vec<u8>, Error> {
        let left = self.limits.max_total_bytes.saturating_sub(self.unpacked);
        let mut content = vec![];
        r.take(left.saturating_add(1))
            .read_to_end(&mut content)
            .map_err(|e| Error::Corrupt(format!("damaged archive member {name}: {e}")))?;
        if content.len() as u64 > left {
            return Err(self.too_big());
        }
        self.unpacked += content.len() as u64;
        Ok(content)
    }

    /// Hand on one member, open it if it is an archive, or note it as skipped.
    fn member(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        at: &Place,
        each: &mut impl FnMut(Member),
    ) -> Result<(), Error> {
        let member_path = format!("{}{name}", at.path);
        if bytes.is_empty() {
            self.report.skipped.push(format!("{member_path} (empty)"));
            return Ok(());
        }
        let kind = detect::detect(&bytes);
        match kind {
            Kind::Zip | Kind::SevenZip => {
                let inner = Place {
                    path: &format!("{member_path}/"),
                    part: &format!("{}{name}.d/", at.part),
                    depth: at.depth + 1,
                };
                self.archive(&bytes, kind, &inner, each)
            }
            // Not documents: thumbnails databases, executables, noise.
            Kind::Binary | Kind::Ole => {
                self.report
                    .skipped
                    .push(format!("{member_path} ({})", kind.name()));
                Ok(())
            }
            _ => {
                self.report.members += 1;
                each(Member {
                    path: member_path,
                    part: format!("{}{name}", at.part),
                    kind,
                    bytes,
                });
                Ok(())
            }
        }
    }
}

/// ` inside <path>` for an archive inside another, nothing for the input itself.
fn in_path(path: &str) -> String {
    match path.strip_suffix('/') {
        Some(p) => format!(" {p}"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacking_stops_at_the_limit_whatever_the_directory_declared() {
        let limits = Limits {
            max_total_bytes: 100,
            ..Limits::default()
        };
        let mut walk = Walk {
            limits: &limits,
            members: 0,
            unpacked: 0,
            report: Report::default(),
        };
        assert_eq!(walk.unpack(&[7u8; 60][..], "a").unwrap().len(), 60);
        // 60 + 60 > 100: the second member is cut off after 41 bytes, not read whole.
        let e = walk.unpack(std::io::repeat(7), "endless").unwrap_err();
        assert!(e.to_string().contains("--max-unpacked"), "{e}");
        assert_eq!(walk.unpacked, 60);
    }
}
