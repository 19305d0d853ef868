//! The index files of an output folder, read as one history, and folded into `index.jsonl`.
//!
//! A folder holds `index.jsonl` (a run without `--shard`, or an earlier merge) and the shard
//! indexes `index.K-of-N.jsonl`. Rows of one file are in the order they were written; the files
//! are read oldest first (by modification time, then name), so when two files hold a row of the
//! same input (a single run after a sharded one, a shard re-run after a merge, N changed between
//! runs) the one written last wins, as the last row of an input wins inside one file. Shards
//! of one N never share an input, so their order among themselves does not matter.

use super::{Error, IndexRow};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Every row of `files`, in order; a damaged line (a run killed mid-write, a shard still
/// writing) is counted and skipped.
pub fn read_rows(files: &[PathBuf]) -> (Vec<IndexRow>, usize) {
    let mut rows = vec![];
    let mut damaged = 0;
    for f in files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str::<IndexRow>(line) {
                Ok(row) => rows.push(row),
                Err(_) => damaged += 1,
            }
        }
    }
    (rows, damaged)
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
    let (rows, damaged) = read_rows(&files);
    // Key (input, part): `None` sorts first, so parts are moved after it below.
    let mut last: BTreeMap<(String, Option<String>), IndexRow> = BTreeMap::new();
    for row in rows {
        last.insert((row.input.clone(), row.part.clone()), row);
    }
    let mut by_input: BTreeMap<String, (Vec<IndexRow>, Option<IndexRow>)> = BTreeMap::new();
    for ((input, part), row) in last {
        let entry = by_input.entry(input).or_default();
        match part {
            Some(_) => entry.0.push(row),
            None => entry.1 = Some(row),
        }
    }
    let mut out = String::new();
    let (mut ok, mut failed, mut written) = (0, 0, 0);
    for (parts, own) in by_input.into_values() {
        match own.as_ref().map(|r| r.status.as_str()) {
            Some("ok") => ok += 1,
            Some(_) => failed += 1,
            None => {}
        }
        for row in parts.iter().chain(own.as_ref()) {
            out.push_str(&serde_json::to_string(row).expect("row serialises"));
            out.push('\n');
            written += 1;
        }
    }
    let index = dir.join(INDEX);
    super::write_atomic(&index, out.as_bytes()).map_err(|source| Error::Output {
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
