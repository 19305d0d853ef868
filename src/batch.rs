//! Batches: walking inputs, one worker pool, atomic outputs and `index.jsonl`.
//!
//! One broken file never stops a batch: every input ends as exactly one `index.jsonl` row,
//! `ok` with its document written in full, or `failed` with a one-line reason.

use crate::{Params, Rules};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One input file and where its document goes (relative to the output folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// `1998/kh-12.pdf` for `scans/1998/kh-12.pdf` given as `scans`; the file name for a file.
    pub relative: PathBuf,
}

impl Input {
    /// `DIR/<relative>.json`.
    pub fn output_in(&self, dir: &Path) -> PathBuf {
        let mut name = self.relative.as_os_str().to_owned();
        name.push(".json");
        dir.join(name)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}: no such file or folder")]
    NoSuchPath(PathBuf),
    #[error("{path}: {source}")]
    Walk {
        path: PathBuf,
        source: walkdir::Error,
    },
    #[error("{path}: {source}")]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Every file named, and every file under every folder named (recursively, sorted, hidden
/// files and the output folder itself skipped).
pub fn collect_inputs(paths: &[PathBuf], exclude: Option<&Path>) -> Result<Vec<Input>, Error> {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut out = vec![];
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|_| Error::NoSuchPath(p.clone()))?;
        if meta.is_file() {
            let relative = PathBuf::from(p.file_name().unwrap_or(p.as_os_str()));
            out.push(Input {
                path: p.clone(),
                relative,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                let excluded = exclude
                    .as_ref()
                    .is_some_and(|x| e.path().canonicalize().is_ok_and(|c| &c == x));
                !hidden && !excluded
            });
        for entry in walker {
            let entry = entry.map_err(|source| Error::Walk {
                path: p.clone(),
                source,
            })?;
            if entry.file_type().is_file() {
                let relative = entry
                    .path()
                    .strip_prefix(p)
                    .unwrap_or(entry.path())
                    .to_path_buf();
                out.push(Input {
                    path: entry.path().to_path_buf(),
                    relative,
                });
            }
        }
    }
    Ok(out)
}

/// One row of `index.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexRow {
    pub path: String,
    pub sha256: Option<String>,
    /// `ok`, `failed` or `skipped` (already done by an earlier run).
    pub status: String,
    pub error: Option<String>,
    /// The document written, relative to the output folder.
    pub output: Option<String>,
}

/// Where documents go.
pub enum Sink {
    /// `DIR/<relative>.json` and `DIR/index.jsonl`.
    Dir(PathBuf),
    /// JSON Lines on standard output.
    Stdout,
}

/// What a batch did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// Run the pipeline over `inputs` on `jobs` threads, writing as documents complete.
pub fn run(
    inputs: &[Input],
    sink: &Sink,
    rules: &Rules,
    params: &Params,
    jobs: usize,
) -> Result<Summary, Error> {
    let index = match sink {
        Sink::Dir(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| Error::Output {
                path: dir.clone(),
                source,
            })?;
            let p = dir.join("index.jsonl");
            let f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&p)
                .map_err(|source| Error::Output { path: p, source })?;
            Some(Mutex::new(f))
        }
        Sink::Stdout => None,
    };
    let summary = Mutex::new(Summary::default());
    let stdout = Mutex::new(std::io::stdout());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .expect("thread pool");
    pool.install(|| {
        inputs.par_iter().for_each(|input| {
            let row = process_one(input, sink, rules, params, &stdout);
            {
                let mut s = summary.lock().unwrap();
                match row.status.as_str() {
                    "ok" => s.ok += 1,
                    "skipped" => s.skipped += 1,
                    _ => s.failed += 1,
                }
            }
            if let Some(err) = &row.error {
                eprintln!("kehoach: {}: {}", input.path.display(), err);
            }
            if let Some(index) = &index {
                let mut f = index.lock().unwrap();
                let line = serde_json::to_string(&row).expect("row serialises");
                if let Err(e) = writeln!(f, "{line}").and_then(|_| f.flush()) {
                    eprintln!("kehoach: writing index.jsonl: {e}");
                }
            }
        })
    });
    Ok(summary.into_inner().unwrap())
}

fn process_one(
    input: &Input,
    sink: &Sink,
    rules: &Rules,
    params: &Params,
    stdout: &Mutex<std::io::Stdout>,
) -> IndexRow {
    let path_str = input.path.to_string_lossy().into_owned();
    let fail = |sha: Option<String>, e: String| IndexRow {
        path: path_str.clone(),
        sha256: sha,
        status: "failed".into(),
        error: Some(e),
        output: None,
    };
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => return fail(None, format!("cannot read: {e}")),
    };
    let sha = crate::sha256_hex(&bytes);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::process_bytes(&path_str, &bytes, rules, params)
    }));
    let doc = match result {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return fail(Some(sha), e.to_string()),
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return fail(
                Some(sha),
                format!("internal error (a bug in kehoach, please report it): {msg}"),
            );
        }
    };
    match sink {
        Sink::Stdout => {
            let line = serde_json::to_string(&doc).expect("document serialises");
            let mut out = stdout.lock().unwrap();
            if let Err(e) = writeln!(out, "{line}").and_then(|_| out.flush()) {
                return fail(Some(sha), format!("writing standard output: {e}"));
            }
            IndexRow {
                path: path_str,
                sha256: Some(sha),
                status: "ok".into(),
                error: None,
                output: None,
            }
        }
        Sink::Dir(dir) => {
            let out = input.output_in(dir);
            match write_atomic(
                &out,
                &serde_json::to_vec_pretty(&doc).expect("document serialises"),
            ) {
                Ok(()) => IndexRow {
                    path: path_str,
                    sha256: Some(sha),
                    status: "ok".into(),
                    error: None,
                    output: Some(
                        out.strip_prefix(dir)
                            .unwrap_or(&out)
                            .to_string_lossy()
                            .into_owned(),
                    ),
                },
                Err(e) => fail(Some(sha), format!("writing {}: {e}", out.display())),
            }
        }
    }
}

/// Write to a temporary file beside `path`, then rename it into place, so a reader never sees
/// half a document, even if the process is killed mid-write.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".kehoach-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
