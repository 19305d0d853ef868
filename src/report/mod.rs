//! `kehoach review OUT_DIR`: a static HTML report of a batch for the person who checks it
//! against the paper, written to `OUT_DIR/review/`.
//!
//! `index.html` lists every input of the batch (failures with their reasons, then documents
//! with fields to check or weak OCR pages, then the rest; every column sortable), and one page
//! per document shows its page images beside the restored text, its fields as a person reads
//! them, its section tree and its tables of targets, tasks, deadlines and legal bases, each
//! linked to its span. The pages need no server and no network: style and script are inline,
//! images sit in `img/`, fonts are the system's (see `assets/report.css`). A reviewer's
//! corrections of words are exported from the page as a text file of corrected lines, which
//! `kehoach train` takes with the rest of its corpus.
//!
//! The report sits above assembly: it reads what `ingest` wrote (`index.jsonl` and the
//! documents) and imports the contract, the batch's index rows and PDFium's page rendering.

mod document;
mod html;
mod images;
mod index;
mod text;
mod types;

use crate::batch::IndexRow;
use crate::contract::Document;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use types::Entry;

/// Why the report could not be written (a document that cannot be read is not one: it is a
/// failure row of the report).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source} (is it the -o folder of `kehoach ingest`?)")]
    Index {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: line {line}: {source}")]
    Row {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// How pages are drawn.
#[derive(Debug, Clone)]
pub struct Options {
    /// Resolution PDF pages are rendered at (a laptop shows an A4 page at 110 dpi about 900
    /// pixels wide; a click shows it at full size).
    pub dpi: u32,
    /// A page over this many pixels is not rendered.
    pub max_pixels: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dpi: 110,
            max_pixels: 50_000_000,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// `OUT_DIR/review/index.html`.
    pub index: PathBuf,
    pub documents: usize,
    pub failed: usize,
    pub page_images: usize,
}

/// Write the report of the batch in `out_dir` to `out_dir/review/`.
pub fn write(out_dir: &Path, opts: &Options) -> Result<Written, Error> {
    let dir = out_dir.join("review");
    let wrote = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    std::fs::create_dir_all(dir.join("img")).map_err(wrote(&dir))?;
    let mut entries = read_index(out_dir)?;
    let mut used = HashMap::new();
    let mut page_images = 0;
    for e in entries.iter_mut() {
        let Some(doc) = &e.doc else { continue };
        let stem = unique_stem(&e.row, &mut used);
        let shown = images::write(
            doc,
            &images::Target {
                dir: &dir,
                outputs: out_dir,
                stem: &stem,
                dpi: opts.dpi,
                max_pixels: opts.max_pixels,
            },
        );
        page_images += shown.files.iter().flatten().count();
        let name = format!("{stem}.html");
        let html = document::page(e, doc, &shown);
        let path = dir.join(&name);
        std::fs::write(&path, html).map_err(wrote(&path))?;
        e.page = Some(name);
    }
    let index = dir.join("index.html");
    std::fs::write(&index, index::page(&entries, out_dir)).map_err(wrote(&index))?;
    Ok(Written {
        index,
        documents: entries.iter().filter(|e| e.doc.is_some()).count(),
        failed: entries.iter().filter(|e| e.doc.is_none()).count(),
        page_images,
    })
}

/// The batch's rows, the last of each input (and part) winning, with their documents; an
/// e-mail's closing row, which has no document of its own, is left out unless it failed.
fn read_index(out_dir: &Path) -> Result<Vec<Entry>, Error> {
    let path = out_dir.join("index.jsonl");
    let raw = std::fs::read_to_string(&path).map_err(|source| Error::Index {
        path: path.clone(),
        source,
    })?;
    // Rows in the order of their last occurrence; `last` finds an earlier row of the same
    // input and part in one step (an archive's index has a row per document, many thousands).
    let mut rows: Vec<Option<IndexRow>> = vec![];
    let mut last: HashMap<(String, Option<String>), usize> = HashMap::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: IndexRow = serde_json::from_str(line).map_err(|source| Error::Row {
            path: path.clone(),
            line: i + 1,
            source,
        })?;
        if let Some(earlier) = last.insert((row.path.clone(), row.part.clone()), rows.len()) {
            rows[earlier] = None;
        }
        rows.push(Some(row));
    }
    Ok(rows
        .into_iter()
        .flatten()
        .filter(|r| r.status != "ok" || r.output.is_some())
        .map(|row| {
            let (doc, unreadable) = match &row.output {
                Some(o) if row.status == "ok" => match read_document(&out_dir.join(o)) {
                    Ok(d) => (Some(d), None),
                    Err(e) => (None, Some(e)),
                },
                _ => (None, None),
            };
            Entry {
                row,
                doc,
                unreadable,
                page: None,
            }
        })
        .collect())
}

fn read_document(path: &Path) -> Result<Document, String> {
    let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&raw).map_err(|e| format!("{}: {e}", path.display()))
}

/// A file name for the document's page and images: its output path with separators and
/// anything unsafe in a URL made `_`, numbered when two come out the same.
fn unique_stem(row: &IndexRow, used: &mut HashMap<String, usize>) -> String {
    let base = row.output.as_deref().unwrap_or(&row.input);
    let base = base.strip_suffix(".json").unwrap_or(base);
    let mut stem: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() || stem == "index" {
        stem.insert_str(0, "doc_");
    }
    let n = used.entry(stem.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        stem = format!("{stem}_{n}");
    }
    stem
}
