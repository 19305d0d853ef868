//! The `kehoach` command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use kehoach::{Params, Rules, batch};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kehoach",
    version,
    about = "Turn Vietnamese administrative plans (kế hoạch) into structured JSON"
)]
struct Cli {
    /// Load rules from this folder instead of the built-in ones (files it lacks stay built-in).
    #[arg(long, global = true, env = "KEHOACH_RULES")]
    rules: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Turn plans (files, or every file under folders) into JSON documents.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write DIR/<path>.json per input and DIR/index.jsonl (or give --stdout).
        #[arg(short, long, value_name = "DIR", conflicts_with = "stdout")]
        output: Option<PathBuf>,
        /// Write the documents as JSON Lines on standard output instead.
        #[arg(long)]
        stdout: bool,
        /// Worker threads (default: every core).
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        /// Do not restore words (only encodings, clean-up and NFC).
        #[arg(long)]
        no_restore: bool,
        /// Where tone marks go in oa/oe/uy: old (hòa, thủy) or new (hoà, thuỷ); by default
        /// the document's own (the placement most of its words use).
        #[arg(long, value_enum)]
        tone_style: Option<ToneStyle>,
        /// Tesseract language(s) for scanned pages, e.g. `vie` or `vie+eng`.
        #[arg(long, value_name = "LANGS", default_value = "vie")]
        lang: String,
        /// Read every folder's image files as the pages of one document, in natural order of
        /// their names (`0001.tif`, `0002.tif`…). Without it, only image files named as one
        /// document's pages (`scan_page_1.png`, `scan_page_2.png`; rules/page_files.toml) are.
        #[arg(long)]
        pages_per_folder: bool,
        /// Redo inputs an earlier run into the same folder already finished (by default they
        /// are skipped when their content and the kehoach version are unchanged).
        #[arg(long)]
        force: bool,
        /// No progress bar and no per-file messages (they are in index.jsonl); the summary
        /// line is still printed.
        #[arg(short, long)]
        quiet: bool,
        /// Exit 1 also when a document has fields to check (`review` in its JSON and in
        /// index.jsonl), not only when an input failed.
        #[arg(long)]
        strict: bool,
        /// Larger files fail without being read (bytes; K, M, G suffixes).
        #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = parse_size)]
        max_file_size: u64,
        /// Documents with more pages fail.
        #[arg(long, value_name = "N", default_value_t = 500)]
        max_pages: usize,
        /// Images (and rendered pages) with more pixels fail before decoding (K, M suffixes).
        #[arg(long, value_name = "N", default_value = "200M", value_parser = parse_size)]
        max_pixels: u64,
        /// Time per document (s, m, h suffixes; 0 for none): past it no further page is OCR'd
        /// and the document fails.
        #[arg(long, value_name = "TIME", default_value = "30m", value_parser = parse_duration)]
        timeout: std::time::Duration,
        /// Time a LibreOffice conversion (.doc, .odt, .rtf) may take before the converter is
        /// killed and the file fails (s, m, h suffixes).
        #[arg(long, value_name = "TIME", default_value = "2m", value_parser = parse_duration)]
        convert_timeout: std::time::Duration,
        /// An archive (.zip, .7z; the archives inside it counted) with more files fails.
        #[arg(long, value_name = "N", default_value_t = 1000)]
        max_members: usize,
        /// An archive that unpacks to more bytes fails (K, M, G suffixes).
        #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = parse_size)]
        max_unpacked: u64,
        /// Archives inside archives deeper than this fail (1: an archive's own members only).
        #[arg(long, value_name = "N", default_value_t = 3)]
        max_nesting: usize,
        /// Take only shard K of N of the inputs (K from 0; by a stable hash of each input's path
        /// below the folder given) and write DIR/index.K-of-N.jsonl; see `index merge`.
        #[arg(long, value_name = "K/N")]
        shard: Option<batch::Shard>,
    },
    /// Work on an output folder's index files.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Restore Vietnamese text (a file, or standard input) to standard output, line by line.
    Restore {
        file: Option<PathBuf>,
        /// Where tone marks go in oa/oe/uy: old (hòa, thủy) or new (hoà, thuỷ); by default
        /// the document's own (the placement most of its words use).
        #[arg(long, value_enum)]
        tone_style: Option<ToneStyle>,
        /// Treat the text as damaged this way instead of detecting it: none, stripped,
        /// ocr_eng, ocr_vie.
        #[arg(long, value_name = "KIND", value_parser = parse_channel)]
        channel: Option<kehoach::restore::Channel>,
    },
    /// Print the JSON Schema of one output document.
    Schema,
    /// Print the OpenAPI 3.1 document of `kehoach serve` (docs/openapi.json).
    Openapi,
    /// Serve the pipeline over HTTP (POST /v1/documents, /v1/jobs; see docs/openapi.json).
    Serve {
        /// Address and port to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// Worker threads for the pipeline (default: every core).
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        /// Documents being made or waiting for a worker, at most (default: 4 per worker); past
        /// it requests are answered 503 with Retry-After.
        #[arg(long, value_name = "N")]
        max_in_flight: Option<usize>,
        /// Larger request bodies are answered 413 (bytes; K, M, G suffixes).
        #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = parse_size)]
        max_body: u64,
        /// Time per document (s, m, h suffixes; 0 for none): past it the request is answered
        /// 422 `timeout`.
        #[arg(long, value_name = "TIME", default_value = "10m", value_parser = parse_duration)]
        timeout: std::time::Duration,
        /// Keep jobs in this folder, so that they survive a restart.
        #[arg(long, value_name = "DIR")]
        state: Option<PathBuf>,
        /// Require `Authorization: Bearer <token>` (the file's first line) on every route but
        /// /healthz and /readyz.
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// Tesseract language(s) for scanned pages, unless a request names its own.
        #[arg(long, value_name = "LANGS", default_value = "vie")]
        lang: String,
    },
    /// Write a static HTML report of an `ingest -o DIR` batch to DIR/review/index.html: every
    /// input with failures and fields to check first, and per document its page images, the
    /// restored text and every value linked to where it was read.
    Review {
        /// The folder `kehoach ingest -o` wrote.
        dir: PathBuf,
        /// Resolution of the PDF pages drawn beside the text.
        #[arg(long, default_value_t = 110)]
        dpi: u32,
    },
    /// Train the restoration language model from correctly written Vietnamese text (files, or
    /// every file under folders); use it with `--rules` on a folder holding `lm/`.
    Train {
        #[arg(required = true)]
        corpus: Vec<PathBuf>,
        /// Folder to write `syllables.bin` into.
        #[arg(short, long, value_name = "DIR", default_value = "rules/lm")]
        output: PathBuf,
        /// Drop trigrams seen fewer times (smaller tables).
        #[arg(long, default_value_t = 2)]
        min_trigram_count: u32,
        /// `PREFIX=N`: files whose name starts with PREFIX count N times (weighing a domain
        /// against another; the longest matching prefix wins, other files count once).
        #[arg(long = "weight", value_name = "PREFIX=N", value_parser = parse_weight)]
        weights: Vec<(String, u32)>,
        /// `NAME=PREFIX[,PREFIX…]`: the files whose name starts with one of the prefixes form
        /// a domain, smoothed on its own; other files form one more. The domains' models are
        /// mixed with the weights that make `--dev` most likely.
        #[arg(long = "domain", value_name = "NAME=PREFIXES", value_parser = parse_domain, requires = "dev")]
        domains: Vec<(String, Vec<String>)>,
        /// Development text that the domain weights are fitted on (correct text of the kind
        /// to restore). When it is also a training file, the weights are fitted without it.
        #[arg(long, value_name = "FILE", requires = "domains")]
        dev: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Fold the shard indexes (index.K-of-N.jsonl) of DIR into DIR/index.jsonl, the last row
    /// of each input winning; run it once every shard has finished.
    Merge {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// A `--weight PREFIX=N` of `kehoach train`.
fn parse_weight(s: &str) -> Result<(String, u32), String> {
    let (prefix, n) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("{s}: expected PREFIX=N"))?;
    let n: u32 = n
        .parse()
        .map_err(|e| format!("{s}: the weight is no whole number ({e})"))?;
    if n == 0 {
        return Err(format!(
            "{s}: a weight of 0 would drop the files; leave them out instead"
        ));
    }
    Ok((prefix.to_string(), n))
}

/// A `--domain NAME=PREFIX[,PREFIX…]` of `kehoach train`.
fn parse_domain(s: &str) -> Result<(String, Vec<String>), String> {
    let (name, prefixes) = s
        .split_once('=')
        .ok_or_else(|| format!("{s}: expected NAME=PREFIX[,PREFIX…]"))?;
    Ok((
        name.to_string(),
        prefixes.split(',').map(str::to_string).collect(),
    ))
}

/// `--tone-style`: kept here so the library does not depend on clap's traits.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ToneStyle {
    Old,
    New,
}

/// The style asked for, or the document's own when none is.
fn chosen_tone_style(s: Option<ToneStyle>) -> kehoach::restore::ToneStyle {
    match s {
        None => kehoach::restore::ToneStyle::Document,
        Some(ToneStyle::Old) => kehoach::restore::ToneStyle::Old,
        Some(ToneStyle::New) => kehoach::restore::ToneStyle::New,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KEHOACH_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kehoach: {}", describe(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, each cause said once.
///
/// Stage errors name the file and put their reason in their own message (so a library user
/// printing `{e}` sees both), and the reason is also their `source`: anyhow's `{e:#}` would
/// then print it twice ("out/index.jsonl: Permission denied: Permission denied"). A cause
/// whose text the line already holds is left out.
fn describe(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text;
        } else if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}

/// A whole number with an optional one-letter unit from `units` (none means a factor of 1).
fn parse_suffixed(s: &str, units: &[(char, u64)]) -> Option<u64> {
    let s = s.trim();
    let (digits, mult) = match s.char_indices().last() {
        Some((i, c)) => match units.iter().find(|(u, _)| *u == c) {
            Some(&(_, m)) => (&s[..i], m),
            None => (s, 1),
        },
        None => (s, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(mult)
}

/// `512M`, `2G`, `100000`: powers of 1024 for K/M/G.
fn parse_size(s: &str) -> Result<u64, String> {
    const UNITS: [(char, u64); 6] = [
        ('k', 1 << 10),
        ('K', 1 << 10),
        ('m', 1 << 20),
        ('M', 1 << 20),
        ('g', 1 << 30),
        ('G', 1 << 30),
    ];
    parse_suffixed(s, &UNITS).ok_or_else(|| format!("{s:?} is not a size (e.g. 200M)"))
}

/// `90`, `90s`, `30m`, `2h`.
fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    parse_suffixed(s, &[('s', 1), ('m', 60), ('h', 3600)])
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| format!("{s:?} is not a time (e.g. 30m)"))
}

fn parse_channel(s: &str) -> Result<kehoach::restore::Channel, String> {
    kehoach::restore::Channel::from_name(s)
        .ok_or_else(|| format!("unknown channel {s:?} (none, stripped, ocr_eng, ocr_vie)"))
}

fn load_rules(dir: &Option<PathBuf>) -> anyhow::Result<&'static Rules> {
    Ok(match dir {
        Some(d) => Box::leak(Box::new(Rules::from_dir(d)?)),
        None => Rules::builtin(),
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let rules = load_rules(&cli.rules)?;
    match cli.command {
        Command::Index(IndexCommand::Merge { dir }) => {
            let m = batch::merge(&dir)?;
            eprintln!(
                "kehoach: merged {} index files into {}: {} inputs ok, {} failed ({} rows{})",
                m.files,
                dir.join("index.jsonl").display(),
                m.ok,
                m.failed,
                m.rows,
                match m.damaged {
                    0 => String::new(),
                    n => format!(", {n} damaged lines skipped"),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&kehoach::contract::schema())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&kehoach::serve::openapi::document())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            bind,
            jobs,
            max_in_flight,
            max_body,
            timeout,
            state,
            token_file,
            lang,
        } => {
            let token = match token_file {
                Some(f) => {
                    let t = std::fs::read_to_string(&f)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
                    let t = t.lines().next().unwrap_or("").trim().to_string();
                    anyhow::ensure!(!t.is_empty(), "{}: the token file is empty", f.display());
                    Some(t)
                }
                None => None,
            };
            let jobs = jobs.unwrap_or_else(|| batch::Options::default().jobs);
            let mut params = Params::default();
            params.acquire.ocr_lang = lang;
            let config = kehoach::serve::Config {
                bind,
                jobs,
                max_in_flight: max_in_flight.unwrap_or(4 * jobs),
                max_body: usize::try_from(max_body).unwrap_or(usize::MAX),
                timeout: (!timeout.is_zero()).then_some(timeout),
                state,
                token,
                params,
            };
            kehoach::serve::run(config, rules, |addr| {
                eprintln!("kehoach serve: listening on http://{addr}");
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore {
            file,
            tone_style,
            channel,
        } => {
            let bytes = match &file {
                Some(f) => std::fs::read(f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?,
                None => {
                    let mut b = vec![];
                    std::io::stdin().read_to_end(&mut b)?;
                    b
                }
            };
            let name = file
                .as_ref()
                .map(|f| f.display().to_string())
                .unwrap_or_else(|| "standard input".into());
            if bytes.is_empty() {
                eprintln!("kehoach: {name}: empty input");
                return Ok(ExitCode::SUCCESS);
            }
            let (text, _) = kehoach::acquire::text::decode(&bytes)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            let params = kehoach::restore::Params {
                tone_style: chosen_tone_style(tone_style),
                channel,
                text_only: true,
                ..Default::default()
            };
            let restored = kehoach::restore::restore_text(&text, rules, &params);
            // Text-only restoring records no word decisions to count.
            tracing::info!(
                "channel {}, text {}",
                restored.channel.name(),
                if restored.applied {
                    "changed"
                } else {
                    "unchanged"
                }
            );
            let mut out = std::io::stdout().lock();
            out.write_all(restored.text.as_bytes())?;
            if !restored.text.ends_with('\n') && text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Review { dir, dpi } => {
            let opts = kehoach::report::Options {
                dpi,
                ..Default::default()
            };
            let w = kehoach::report::write(&dir, &opts)?;
            eprintln!(
                "kehoach: wrote {} ({} documents, {} failed, {} page images)",
                w.index.display(),
                w.documents,
                w.failed,
                w.page_images
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Train {
            corpus,
            output,
            min_trigram_count,
            weights,
            domains,
            dev,
        } => {
            use kehoach::restore::lm::{Counts, Routing, TrainOptions, build_mixture};
            let routing = Routing { weights, domains };
            let opts = TrainOptions {
                min_trigram_count,
                ..TrainOptions::default()
            };
            let read = |p: &std::path::Path| -> anyhow::Result<String> {
                let bytes =
                    std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
                let (text, _) = kehoach::acquire::text::decode(&bytes)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
                Ok(text)
            };
            let dev_path = dev.as_ref().map(std::fs::canonicalize).transpose()?;
            // One counts per domain, the files of no domain last.
            let mut counts: Vec<Counts> = (0..=routing.domains.len())
                .map(|_| Counts::default())
                .collect();
            let (mut dev_counts, mut dev_domain) = (Counts::default(), None);
            let mut files = 0;
            for root in &corpus {
                for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
                    let entry = entry.map_err(|e| anyhow::anyhow!("{}: {e}", root.display()))?;
                    if !entry.file_type().is_file() {
                        continue;
                    }
                    let p = entry.path();
                    let text = read(p)?;
                    let name = entry.file_name().to_string_lossy();
                    let (weight, domain) = (routing.weight(&name), routing.domain(&name));
                    if dev_path.is_some() && std::fs::canonicalize(p).ok() == dev_path {
                        dev_domain = Some(domain);
                        dev_counts.add_weighted(&text, &opts, weight);
                    } else {
                        counts[domain].add_weighted(&text, &opts, weight);
                    }
                    files += 1;
                }
            }
            let lines = counts
                .iter()
                .chain([&dev_counts])
                .fold((0, 0), |a, c| (a.0 + c.lines().0, a.1 + c.lines().1));
            let model = if let Some(dev) = &dev {
                if dev_domain.is_none() {
                    dev_counts.add_text(&read(dev)?, &opts);
                }
                let (model, fit) = build_mixture(counts, dev_counts, dev_domain, &opts);
                for ((name, w), alone) in routing.names().zip(&fit.weights).zip(&fit.alone) {
                    eprintln!(
                        "kehoach: domain {name}: weight {w:.4} (perplexity alone {alone:.1})"
                    );
                }
                eprintln!(
                    "kehoach: development text {}: {} words, perplexity {:.1} mixed",
                    dev.display(),
                    fit.words,
                    fit.perplexity
                );
                model.to_bytes()
            } else {
                counts.pop().unwrap_or_default().build(&opts)
            };
            std::fs::create_dir_all(&output)
                .map_err(|e| anyhow::anyhow!("{}: {e}", output.display()))?;
            let dest = output.join("syllables.bin");
            std::fs::write(&dest, &model)
                .map_err(|e| anyhow::anyhow!("{}: {e}", dest.display()))?;
            let (used, skipped) = lines;
            eprintln!(
                "kehoach: {files} files, {used} Vietnamese lines used, {skipped} others skipped; \
                 wrote {} ({} bytes)",
                dest.display(),
                model.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest {
            paths,
            output,
            stdout,
            jobs,
            no_restore,
            tone_style,
            lang,
            force,
            pages_per_folder,
            quiet,
            strict,
            max_file_size,
            max_pages,
            max_pixels,
            timeout,
            convert_timeout,
            max_members,
            max_unpacked,
            max_nesting,
            shard,
        } => {
            use std::io::IsTerminal;
            let mut params = Params::default();
            params.restore.tone_style = chosen_tone_style(tone_style);
            params.acquire.ocr_lang = lang;
            params.acquire.max_pages = max_pages;
            params.acquire.max_pixels = max_pixels;
            params.acquire.convert_timeout = convert_timeout;
            params.acquire.archive = kehoach::acquire::archive::Limits {
                max_members,
                max_total_bytes: max_unpacked,
                max_depth: max_nesting,
            };
            if no_restore {
                params.restore.mode = kehoach::restore::Mode::Off;
            }
            if output.is_none() && !stdout {
                anyhow::bail!(
                    "ingest needs where to write: -o DIR (a JSON file per document and \
                     DIR/index.jsonl), or --stdout (the documents as JSON Lines on standard \
                     output)"
                );
            }
            let inputs = batch::group_pages(
                batch::collect_inputs(&paths, output.as_deref())?,
                rules,
                pages_per_folder,
            )?;
            let sink = if stdout {
                batch::Sink::Stdout
            } else {
                batch::Sink::Dir(output.expect("clap requires -o or --stdout"))
            };
            let defaults = batch::Options::default();
            let opts = batch::Options {
                jobs: jobs.unwrap_or(defaults.jobs),
                force,
                max_file_size,
                timeout: (!timeout.is_zero()).then_some(timeout),
                progress: !quiet && std::io::stderr().is_terminal(),
                quiet,
                shard,
            };
            let summary = batch::run(&inputs, &sink, rules, &params, &opts)?;
            eprintln!("kehoach: {summary}");
            Ok(if summary.failed > 0 || (strict && summary.to_review > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
