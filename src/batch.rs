//! Batches: walking inputs, one worker pool, atomic outputs and `index.jsonl`.
//!
//! One broken file never stops a batch: every input ends as an `index.jsonl` row, `ok` with
//! its document written in full, or `failed` with a one-line reason (an e-mail also has one row
//! per attachment). Documents are renamed into place whole and the index is flushed per
//! document, so a run killed at any point and started again skips what is finished (same
//! content hash and tool version) and redoes only the rest, without duplicates.

mod atomic;
mod input;
mod merge;
mod pages;
mod shard;

pub use atomic::write_atomic;
pub use input::Input;
pub use merge::{Error as MergeError, Merged, merge};
pub use shard::Shard;

use crate::{Params, Rules};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum Error {
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
///
/// A path that does not exist (or cannot be looked at) is kept as an input of its own: it
/// fails in [`run`] with its reason and an `index.jsonl` row like any other broken input, and
/// the rest of the batch goes on.
pub fn collect_inputs(paths: &[PathBuf], exclude: Option<&Path>) -> Result<Vec<Input>, Error> {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut out = vec![];
    for p in paths {
        if !std::fs::metadata(p).is_ok_and(|m| m.is_dir()) {
            let relative = PathBuf::from(p.file_name().unwrap_or(p.as_os_str()));
            out.push(Input {
                path: p.clone(),
                relative,
                pages: vec![],
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
                    pages: vec![],
                });
            }
        }
    }
    Ok(out)
}

/// Make the page files of one document one input: those named as one document's pages
/// (`rules/page_files.toml`), or, with `per_folder`, every folder's images.
pub fn group_pages(
    inputs: Vec<Input>,
    rules: &Rules,
    per_folder: bool,
) -> Result<Vec<Input>, crate::rules::Error> {
    let grouper = pages::Grouper::new(rules)?;
    Ok(pages::group(inputs, &grouper, per_folder))
}

/// One row of `index.jsonl`: one per document written or failed, plus, for an e-mail, one
/// closing row for the whole input. Rows are appended and flushed as documents complete; when a
/// path has several rows (a re-run), the last one holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexRow {
    /// The input as given on the command line (or found under a folder given).
    pub path: String,
    /// The input relative to what was given: the key a re-run matches on.
    #[serde(default)]
    pub input: String,
    /// For an e-mail attachment, its part name (`m1-kehoach.pdf`); absent for the input itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    pub sha256: Option<String>,
    /// `ok` or `failed`.
    pub status: String,
    pub error: Option<String>,
    /// The document written, relative to the output folder.
    pub output: Option<String>,
    #[serde(default)]
    pub tool_version: String,
    #[serde(default)]
    pub pages: usize,
    #[serde(default)]
    pub seconds: f64,
    /// The fields of the document a person should check (its `review[]`, each field once);
    /// absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<String>,
}

/// Where documents go.
pub enum Sink {
    /// `DIR/<relative>.json` (an e-mail's attachments: `DIR/<relative>.d/<part>.json`) and
    /// `DIR/index.jsonl`.
    Dir(PathBuf),
    /// JSON Lines on standard output.
    Stdout,
}

/// How a batch runs; every limit has a default and a flag.
#[derive(Debug, Clone)]
pub struct Options {
    pub jobs: usize,
    /// Redo inputs an earlier run already finished.
    pub force: bool,
    /// A larger file is that file's error, found before it is read.
    pub max_file_size: u64,
    /// Time per document; past it no further page is OCR'd and the document fails.
    pub timeout: Option<Duration>,
    /// Draw a progress bar on standard error.
    pub progress: bool,
    /// Print nothing per file (the index has it); the summary is still printed by the CLI.
    pub quiet: bool,
    /// Take only this shard's inputs and write `index.K-of-N.jsonl` instead of `index.jsonl`.
    pub shard: Option<Shard>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            force: false,
            max_file_size: 512 << 20,
            timeout: Some(Duration::from_secs(30 * 60)),
            progress: false,
            quiet: false,
            shard: None,
        }
    }
}

/// What a batch did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    /// Inputs done in full (an e-mail counts once).
    pub ok: usize,
    /// Inputs an earlier run had finished with the same content and tool version.
    pub skipped: usize,
    /// Inputs that failed, or e-mails with an attachment that failed.
    pub failed: usize,
    /// Documents written (an e-mail gives one per attachment).
    pub documents: usize,
    /// Documents written with fields a person should check (a non-empty `review`).
    pub to_review: usize,
    pub pages: usize,
    pub elapsed: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        write!(
            f,
            "{} done, {} skipped, {} failed, {} to review; {} documents, {} pages in ",
            self.ok, self.skipped, self.failed, self.to_review, self.documents, self.pages,
        )?;
        if secs < 90.0 {
            write!(f, "{secs:.1} s")?;
        } else {
            write!(f, "{}", indicatif::HumanDuration(self.elapsed))?;
        }
        if secs > 0.0 && self.documents > 0 {
            write!(
                f,
                " ({:.1} documents/s, {:.2} pages/s)",
                self.documents as f64 / secs,
                self.pages as f64 / secs
            )?;
        }
        Ok(())
    }
}

/// Inputs an earlier run finished: `input` → sha256, from every index of the folder (its
/// `index.jsonl` and the shard indexes, in the order [`merge::index_files`] gives), so that a
/// shard skips what a single run or another N did. Later rows win.
fn finished_inputs(dir: &Path) -> HashMap<String, String> {
    let mut done = HashMap::new();
    let rows = merge::read_lines(&merge::index_files(dir));
    for row in rows
        .iter()
        .filter_map(|l| serde_json::from_str::<IndexRow>(l).ok())
    {
        if row.part.is_some() {
            continue;
        }
        let complete = row.status == "ok"
            && row.tool_version == crate::TOOL_VERSION
            && row.output.as_ref().is_some_and(|o| dir.join(o).exists());
        match (complete, row.sha256) {
            (true, Some(sha)) => done.insert(row.input, sha),
            _ => done.remove(&row.input),
        };
    }
    done
}

/// Temporary files a killed run of the same shard (or unsharded run) left behind
/// ([`write_atomic`] names them `.kehoach-*.tmp`): another shard writing into the same folder
/// at the same time keeps its own.
fn remove_stale_temporaries(dir: &Path, shard: Option<Shard>) {
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && shard::is_own_temporary(&name, shard) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Open `index.jsonl` for appending, first ending a line a killed run left unfinished.
fn open_index(p: &Path) -> std::io::Result<std::fs::File> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(p)?;
    let len = f.metadata()?.len();
    if len > 0 {
        let mut last = [0u8];
        f.seek(SeekFrom::Start(len - 1))?;
        f.read_exact(&mut last)?;
        if last[0] != b'\n' {
            f.write_all(b"\n")?;
        }
    }
    Ok(f)
}

struct Shared<'a> {
    sink: &'a Sink,
    rules: &'a Rules,
    params: &'a Params,
    opts: &'a Options,
    index: Option<Mutex<std::fs::File>>,
    finished: HashMap<String, String>,
    summary: Mutex<Summary>,
    stdout: Mutex<std::io::Stdout>,
    bar: ProgressBar,
    started: Instant,
}

impl Shared<'_> {
    fn record(&self, row: &IndexRow) {
        if let Some(err) = &row.error
            && !self.opts.quiet
        {
            let part = row
                .part
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            self.bar
                .suspend(|| eprintln!("kehoach: {}{part}: {err}", row.path));
        }
        if let Some(index) = &self.index {
            let mut f = index.lock().unwrap_or_else(|p| p.into_inner());
            let line = serde_json::to_string(row).expect("row serialises");
            if let Err(e) = writeln!(f, "{line}").and_then(|_| f.flush()) {
                self.bar
                    .suspend(|| eprintln!("kehoach: writing index.jsonl: {e}"));
            }
        }
    }

    fn count(&self, f: impl FnOnce(&mut Summary)) {
        let mut s = self.summary.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut s);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} pages, {:.2} pages/s, {} to review",
            s.pages,
            s.pages as f64 / secs,
            s.to_review
        ));
    }
}

/// Run the pipeline over `inputs` on `opts.jobs` threads, writing as documents complete.
pub fn run(
    inputs: &[Input],
    sink: &Sink,
    rules: &Rules,
    params: &Params,
    opts: &Options,
) -> Result<Summary, Error> {
    let inputs: Vec<&Input> = inputs
        .iter()
        .filter(|i| opts.shard.is_none_or(|s| s.holds(i)))
        .collect();
    let (index, finished) = match sink {
        Sink::Dir(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| Error::Output {
                path: dir.clone(),
                source,
            })?;
            remove_stale_temporaries(dir, opts.shard);
            let finished = if opts.force {
                HashMap::new()
            } else {
                finished_inputs(dir)
            };
            let p = dir.join(opts.shard.map_or(merge::INDEX.into(), |s| s.index_name()));
            let f = open_index(&p).map_err(|source| Error::Output { path: p, source })?;
            (Some(Mutex::new(f)), finished)
        }
        Sink::Stdout => (None, HashMap::new()),
    };
    let bar = if opts.progress {
        let bar = ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} documents · {msg} · {eta} left",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let shared = Shared {
        sink,
        rules,
        params,
        opts,
        index,
        finished,
        summary: Mutex::new(Summary::default()),
        stdout: Mutex::new(std::io::stdout()),
        bar,
        started: Instant::now(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .expect("thread pool");
    pool.install(|| {
        inputs.par_iter().for_each(|&input| {
            process_one(input, &shared);
            shared.bar.inc(1);
        })
    });
    shared.bar.finish_and_clear();
    let mut summary = shared
        .summary
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    summary.elapsed = shared.started.elapsed();
    Ok(summary)
}

fn process_one(input: &Input, sh: &Shared) {
    let started = Instant::now();
    let path_str = input.path.to_string_lossy().into_owned();
    let key = input.relative.to_string_lossy().into_owned();
    let row = |part: Option<String>, sha: Option<String>| IndexRow {
        path: path_str.clone(),
        input: key.clone(),
        part,
        sha256: sha,
        status: "ok".into(),
        error: None,
        output: None,
        tool_version: crate::TOOL_VERSION.into(),
        pages: 0,
        seconds: 0.0,
        review: vec![],
    };
    let fail_input = |sha: Option<String>, e: String| {
        sh.record(&IndexRow {
            status: "failed".into(),
            error: Some(e),
            seconds: started.elapsed().as_secs_f64(),
            ..row(None, sha)
        });
        sh.count(|s| s.failed += 1);
    };
    // A document in page files: each file's bytes, named; its hash is that of them all in order.
    let page_files = input
        .pages
        .iter()
        .map(|p| {
            read_input(p, sh.opts.max_file_size)
                .map(|b| (p.to_string_lossy().into_owned(), b))
                .map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect::<Result<Vec<_>, _>>();
    let page_files = match page_files {
        Ok(files) => files,
        Err(e) => return fail_input(None, e),
    };
    let bytes = if page_files.is_empty() {
        match read_input(&input.path, sh.opts.max_file_size) {
            Ok(b) => b,
            Err(e) => return fail_input(None, e),
        }
    } else {
        page_files
            .iter()
            .flat_map(|f| f.1.iter().copied())
            .collect()
    };
    let sha = crate::sha256_hex(&bytes);
    if sh.finished.get(&key) == Some(&sha) {
        sh.count(|s| s.skipped += 1);
        return;
    }
    let mut parts = 0usize;
    let mut failed_parts = 0usize;
    let mut input_failed: Option<String> = None;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut params = sh.params.clone();
        params.acquire.deadline = sh.opts.timeout.map(|t| Instant::now() + t);
        let mut each = |part: crate::Part| {
            let part_started = Instant::now();
            let outcome = part.result.map_err(|e| e.to_string()).and_then(|doc| {
                write_document(input, part.name.as_deref(), &doc, sh).map(|out| (doc, out))
            });
            let Some(name) = part.name else {
                // The input itself: a plain file, or an e-mail that could not be read.
                match outcome {
                    Ok((doc, output)) => {
                        let pages = doc.source.pages.len();
                        let review = review_fields(&doc);
                        sh.count(|s| {
                            s.ok += 1;
                            s.documents += 1;
                            s.pages += pages;
                            s.to_review += usize::from(!review.is_empty());
                        });
                        sh.record(&IndexRow {
                            output,
                            pages,
                            seconds: started.elapsed().as_secs_f64(),
                            review,
                            ..row(None, Some(sha.clone()))
                        });
                    }
                    Err(e) => input_failed = Some(e),
                }
                return;
            };
            parts += 1;
            let part_row = row(Some(name), None);
            match outcome {
                Ok((doc, output)) => {
                    let pages = doc.source.pages.len();
                    let review = review_fields(&doc);
                    sh.count(|s| {
                        s.documents += 1;
                        s.pages += pages;
                        s.to_review += usize::from(!review.is_empty());
                    });
                    sh.record(&IndexRow {
                        sha256: Some(doc.source.sha256.clone()),
                        output,
                        pages,
                        seconds: part_started.elapsed().as_secs_f64(),
                        review,
                        ..part_row
                    });
                }
                Err(e) => {
                    failed_parts += 1;
                    sh.record(&IndexRow {
                        sha256: None,
                        status: "failed".into(),
                        error: Some(e),
                        seconds: part_started.elapsed().as_secs_f64(),
                        ..part_row
                    });
                }
            }
        };
        if page_files.is_empty() {
            crate::process_input(&path_str, &bytes, sh.rules, &params, &mut each);
        } else {
            each(crate::Part {
                name: None,
                result: crate::process_pages(&path_str, &page_files, sh.rules, &params),
            });
        }
    }));
    if let Err(p) = result {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        input_failed = Some(format!(
            "internal error (a bug in kehoach, please report it): {msg}"
        ));
    }
    if let Some(e) = input_failed {
        return fail_input(Some(sha), e);
    }
    if parts == 0 {
        return;
    }
    // An e-mail: one closing row for the whole input, so a re-run knows it is finished.
    let closing = row(None, Some(sha));
    if failed_parts == 0 {
        let output = match sh.sink {
            Sink::Dir(_) => Some(parts_folder(&input.relative).to_string_lossy().into_owned()),
            Sink::Stdout => None,
        };
        sh.record(&IndexRow {
            output,
            seconds: started.elapsed().as_secs_f64(),
            ..closing
        });
        sh.count(|s| s.ok += 1);
    } else {
        fail_input(
            closing.sha256,
            format!("{failed_parts} of {parts} documents in it failed (see their rows)"),
        );
    }
}

/// The fields a document's `review[]` names, each once, in its order.
fn review_fields(doc: &crate::Document) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for r in &doc.review {
        if !out.contains(&r.field) {
            out.push(r.field.clone());
        }
    }
    out
}

/// One file's bytes, or why they cannot be had (too big, missing, unreadable).
fn read_input(path: &Path, max_file_size: u64) -> Result<Vec<u8>, String> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > max_file_size => {
            return Err(format!(
                "limit exceeded: the file has {} bytes, more than --max-file-size {max_file_size}",
                m.len(),
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("no such file or folder".into());
        }
        Err(e) => return Err(format!("cannot read: {e}")),
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

/// `<relative>.d`: the folder an e-mail's documents go in.
fn parts_folder(relative: &Path) -> PathBuf {
    let mut name = relative.as_os_str().to_owned();
    name.push(".d");
    PathBuf::from(name)
}

/// A part name made safe as a relative path: each `/`-separated component without separators
/// or control characters and at most 120 bytes; empty, `.` and `..` components dropped, so an
/// archive member's path stays inside the output folder.
fn part_path(part: &str) -> PathBuf {
    part.split('/')
        .filter(|c| !c.is_empty() && *c != "." && *c != "..")
        .map(file_name_of)
        .collect()
}

/// A name made safe as one file name: no separators or control characters, at most 120 bytes.
fn file_name_of(part: &str) -> String {
    let mut s: String = part
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.starts_with('.') {
        s.insert(0, '_');
    }
    while s.len() > 120 {
        s.pop();
    }
    s
}

/// Write one document where the sink says; the output's path relative to the folder.
fn write_document(
    input: &Input,
    part: Option<&str>,
    doc: &crate::Document,
    sh: &Shared,
) -> Result<Option<String>, String> {
    match sh.sink {
        Sink::Stdout => {
            let line = serde_json::to_string(doc).expect("document serialises");
            let mut out = sh.stdout.lock().unwrap_or_else(|p| p.into_inner());
            writeln!(out, "{line}")
                .and_then(|_| out.flush())
                .map_err(|e| format!("writing standard output: {e}"))?;
            Ok(None)
        }
        Sink::Dir(dir) => {
            let relative = match part {
                None => input.output_in(Path::new("")),
                Some(p) => {
                    let mut name = part_path(p).into_os_string();
                    name.push(".json");
                    parts_folder(&input.relative).join(name)
                }
            };
            let out = dir.join(&relative);
            let bytes = serde_json::to_vec_pretty(doc).expect("document serialises");
            let prefix = shard::temporary_prefix(sh.opts.shard);
            atomic::write_atomic_as(&out, &bytes, &prefix)
                .map_err(|e| format!("writing {}: {e}", out.display()))?;
            Ok(Some(relative.to_string_lossy().into_owned()))
        }
    }
}
