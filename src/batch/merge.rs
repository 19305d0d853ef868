//! The index files of an output folder, read as one history, and folded into `index.jsonl`.
//!
//! A folder holds `index.jsonl` (a run without `--shard`, or an earlier merge) and the shard
//! indexes `index.K-of-N.jsonl`. Rows of one file are in the order they were written; the files
//! are read oldest first (by modification time, then name), so when two files hold a row of the
//! same input (a single run after a sharded one, a shard re-run after a merge, N changed between
//! runs) the one written last wins, as the last row of an input wins inside one file. Shards
//! of one N never share an input, so their order among themselves does not matter.
//!
//! Rows are copied as they were written: only their key (`input`, `part`) and `status` are read
//! here, so a merge never drops a field, and this file needs nothing of [`super`]'s.

use super::atomic::write_atomic;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}: no index.jsonl or index.K-of-N.jsonl here (is it an output folder of ingest?)")]
    NoIndex(PathBuf),
    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a merge reads of a row.
#[derive(Deserialize)]
struct Key {
    input: String,
    #[serde(default)]
    part: Option<String>,
    status: String,
}

/// `index.jsonl`.
pub const INDEX: &str = "index.jsonl";

/// Whether a file name is a shard's index, `index.K-of-N.jsonl`.
fn is_shard_index(name: &str) -> bool {
    let Some(middle) = name
        .strip_prefix("index.")
        .and_then(|r| r.strip_suffix(".jsonl"))
    else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    middle
        .split_once("-of-")
        .is_some_and(|(k, n)| digits(k) && digits(n))
}

/// `index.jsonl` and the shard indexes in `dir` (not below it), oldest first.
pub fn index_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut files: Vec<(std::time::SystemTime, String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let meta = e.metadata().ok()?;
            (meta.is_file() && (name == INDEX || is_shard_index(&name))).then(|| {
                let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                (modified, name, e.path())
            })
        })
        .collect();
    files.sort();
    files.into_iter().map(|f| f.2).collect()
}

/// Every non-empty line of `files`, in order (a line a killed run cut short included: the
/// reader of a row skips what does not parse).
pub fn read_lines(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .flat_map(|text| {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The last lines of one input: its parts', and its own with its status.
#[derive(Default)]
struct InputRows {
    parts: Vec<String>,
    own: Option<(String, String)>,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The index files read (shard indexes and the old `index.jsonl`).
    pub files: usize,
    /// Rows written to `index.jsonl`: one per input, and one per e-mail attachment or archive
    /// member.
    pub rows: usize,
    /// Inputs whose last row is `ok`, and whose last row is `failed`.
    pub ok: usize,
    pub failed: usize,
    /// Lines that were not a whole row.
    pub damaged: usize,
}

/// Fold every index of `dir` into `dir/index.jsonl`: the last row of each input (and of each
/// of its parts), sorted by input, an input's parts before its own row. Written atomically;
/// the shard indexes are left as they are, so merging again, or after a shard re-ran, is safe.
/// Run it once the shards have finished: a shard still running adds rows after the merge.
pub fn merge(dir: &Path) -> Result<Merged, Error> {
    let files = index_files(dir);
    if files.is_empty() {
        return Err(Error::NoIndex(dir.to_path_buf()));
    }
    let mut damaged = 0;
    // Key (input, part), `None` (the input's own row) sorting first: it is moved after its
    // parts below, as a run writes them.
    let mut last: BTreeMap<(String, Option<String>), (String, String)> = BTreeMap::new();
    for line in read_lines(&files) {
        match serde_json::from_str::<Key>(&line) {
            Ok(k) => {
                last.insert((k.input, k.part), (k.status, line));
            }
            Err(_) => damaged += 1,
        }
    }
    let mut by_input: BTreeMap<String, InputRows> = BTreeMap::new();
    for ((input, part), row) in last {
        let entry = by_input.entry(input).or_default();
        match part {
            Some(_) => entry.parts.push(row.1),
            None => entry.own = Some(row),
        }
    }
    let mut out = String::new();
    let (mut ok, mut failed, mut written) = (0, 0, 0);
    for InputRows { parts, own } in by_input.into_values() {
        match own.as_ref().map(|r| r.0.as_str()) {
            Some("ok") => ok += 1,
            Some(_) => failed += 1,
            None => {}
        }
        for line in parts.iter().chain(own.as_ref().map(|r| &r.1)) {
            out.push_str(line);
            out.push('\n');
            written += 1;
        }
    }
    let index = dir.join(INDEX);
    write_atomic(&index, out.as_bytes()).map_err(|source| Error::Write {
        path: index,
        source,
    })?;
    Ok(Merged {
        files: files.len(),
        rows: written,
        ok,
        failed,
        damaged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_index_names_are_told_from_others() {
        assert!(is_shard_index("index.0-of-4.jsonl"));
        assert!(is_shard_index("index.12-of-100.jsonl"));
        for name in [
            "index.jsonl",
            "index.a-of-4.jsonl",
            "index.0-of-.jsonl",
            "index.0-of-4.json",
            "kh.index.0-of-4.jsonl",
        ] {
            assert!(!is_shard_index(name), "{name}");
        }
    }
}
