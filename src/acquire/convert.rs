//! Word 97–2003 (`.doc`), OpenDocument text (`.odt`) and RTF through LibreOffice headless.
//!
//! District offices receive `.doc` every day, and no well-kept Rust crate reads the binary Word
//! format with its tables; LibreOffice does, so each such file is converted to DOCX and read
//! by the DOCX reader ([`super::docx`]), tables included. ODT and RTF take the same road, so the
//! three formats read alike.
//!
//! Every conversion runs `soffice` in a folder of its own, with its own user profile
//! (`-env:UserInstallation`): two LibreOffice processes sharing a profile hand their work to
//! each other or wait on its lock, and a converter killed mid-run leaves a stale lock behind
//! that would break the next one. A fresh profile costs about 1.3 s per file (4.0 s against
//! 2.7 s with a warm one, for a 2-page `.doc`), which the safety is worth. The converter is
//! started in a process group of its own and the whole group is killed when it outlives
//! [`super::Params::convert_timeout`] or the document's `--timeout`, so a hung converter holds a
//! worker for a bounded time and leaves no process behind.
//!
//! The program is `soffice` from the `PATH`, or the one `KEHOACH_SOFFICE` names. Where it cannot
//! be started, each such file fails with an error naming the converter and how to install it.

use super::detect::Kind;
use super::error::Error as AcquireError;
use super::types::{Acquired, Params};
use crate::contract::Format;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use super::error::{ConvertError as Error, PROGRAM_ENV};

/// The program that converts: `KEHOACH_SOFFICE`, or `soffice` from the `PATH`.
pub fn program() -> PathBuf {
    std::env::var_os(PROGRAM_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("soffice"))
}

/// Read a `.doc`, `.odt` or `.rtf` file: convert it to DOCX, read that.
pub fn acquire(bytes: &[u8], kind: Kind, params: &Params) -> Result<Acquired, AcquireError> {
    let (format, name) = match kind {
        Kind::Doc => (Format::Doc, "Word 97-2003 .doc"),
        Kind::Odt => (Format::Odt, "ODT"),
        Kind::Rtf => (Format::Rtf, "RTF"),
        other => unreachable!("{} is not converted", other.name()),
    };
    let limit = match params.deadline {
        Some(d) => params
            .convert_timeout
            .min(d.saturating_duration_since(Instant::now())),
        None => params.convert_timeout,
    };
    let docx = to_docx(bytes, extension(format), name, limit)?;
    let mut acquired = super::docx::acquire(&docx)?;
    acquired.format = format;
    Ok(acquired)
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Odt => "odt",
        Format::Rtf => "rtf",
        _ => "doc",
    }
}

/// The DOCX LibreOffice makes of `bytes` (a file of type `ext`), within `limit`.
pub fn to_docx(
    bytes: &[u8],
    ext: &str,
    format: &'static str,
    limit: Duration,
) -> Result<Vec<u8>, Error> {
    let io = |source| Error::Io { format, source };
    let work = tempfile::Builder::new()
        .prefix("kehoach-convert-")
        .tempdir()
        .map_err(io)?;
    let input = work.path().join(format!("input.{ext}"));
    std::fs::File::create(&input)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(io)?;
    let out = work.path().join("out");
    let log = work.path().join("soffice.log");
    let program = program();
    let mut child = Command::new(&program)
        .arg(format!(
            "-env:UserInstallation={}",
            file_url(&work.path().join("profile"))
        ))
        .args([
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(&out)
        .arg(&input)
        // Its home is the work folder too, so nothing of it is left in the user's.
        .env("HOME", work.path())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).map_err(io)?)
        .stderr(std::fs::File::create(&log).map_err(io)?)
        .process_group(0)
        .spawn()
        .map_err(|e| Error::Missing {
            format,
            program: program.display().to_string(),
            reason: e.to_string(),
        })?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(io)? {
            break status;
        }
        if started.elapsed() >= limit {
            kill_group(child.id());
            let _ = child.wait();
            return Err(Error::Timeout {
                format,
                seconds: limit.as_secs(),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // `soffice` is a launcher: whatever it started and left running goes with it.
    kill_group(child.id());
    let docx = out.join("input.docx");
    match std::fs::read(&docx) {
        Ok(b) if !b.is_empty() => Ok(b),
        _ => {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
            let said: String = said.chars().take(300).collect();
            Err(Error::Failed {
                format,
                detail: format!(
                    "{status}, no DOCX written{}",
                    if said.is_empty() {
                        String::new()
                    } else {
                        format!(": {said}")
                    }
                ),
            })
        }
    }
}

/// SIGKILL to every process of the group the converter leads.
fn kill_group(pid: u32) {
    // SAFETY: `kill` has no memory effects; a group already gone gives ESRCH, ignored.
    unsafe {
        libc::kill(-(pid as libc::pid_t), libc::SIGKILL);
    }
}

/// `file:///…` for a local path, bytes outside the URL-safe set percent-encoded.
fn file_url(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut url = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_urls_escape_what_a_url_cannot_hold() {
        assert_eq!(
            file_url(Path::new("/tmp/thư mục/p")),
            "file:///tmp/th%C6%B0%20m%E1%BB%A5c/p"
        );
    }
}
