//! Writing a file whole or not at all.
//!
//! Its own file so that the batch, the index merge ([`super::merge`]) and the service's job
//! folders use it without importing each other.

use std::io::Write;
use std::path::Path;

/// How temporary files start (a shard adds its own tag: [`super::shard::temporary_prefix`]).
pub const PREFIX: &str = ".kehoach-";

/// Write to a temporary file beside `path`, then rename it into place, so a reader never sees
/// half a document, even if the process is killed mid-write.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_as(path, bytes, PREFIX)
}

/// [`write_atomic`] with the temporary file's name starting with `prefix`.
pub fn write_atomic_as(path: &Path, bytes: &[u8], prefix: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
