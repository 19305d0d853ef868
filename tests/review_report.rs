//! An archivist checks a batch in a browser before trusting its JSON: `kehoach review OUT`
//! writes a static report, and a real headless browser (Debian's `chromium`, installed by
//! `bash scripts/dev.sh`) opens it from `file://` like the archivist would. The assertions are
//! on the DOM the page's own script leaves: the span a link names is highlighted and is the
//! task's text, uncertain words are marked, the broken input's failure row is there, and a
//! word corrected in the page comes out as a corrected line that `kehoach train` learns from.

mod common;

use common::{index_rows, ingest};
use kehoach::vietnamese::syllable::strip_marks;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn kehoach() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// A batch of a scan, a text with its diacritics stripped, a PDF with a text layer and a
/// broken PDF, ingested, and its report written.
struct Batch {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Batch {
    fn new() -> Batch {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        std::fs::copy(
            data("tests/data/page_files/kh_vp_page_1.png"),
            input.join("scan.png"),
        )
        .unwrap();
        std::fs::copy(
            data("tests/data/text_layer_plan.pdf"),
            input.join("plan.pdf"),
        )
        .unwrap();
        let sample = std::fs::read_to_string(data("samples/001_b2e56a1b177cb02b.txt")).unwrap();
        std::fs::write(input.join("stripped.txt"), strip_marks(&sample)).unwrap();
        std::fs::write(input.join("broken.pdf"), b"%PDF-1.7\n1 0 obj\n<<").unwrap();
        let out = dir.path().join("out");
        let run = ingest(&[&input], &out, &["-q"], &[]);
        assert_eq!(run.status.code(), Some(1), "{run:?}");
        let review = kehoach().arg("review").arg(&out).output().unwrap();
        let stderr = String::from_utf8_lossy(&review.stderr);
        assert!(review.status.success(), "{stderr}");
        assert!(
            stderr.contains("3 documents, 1 failed, 2 page images"),
            "{stderr}"
        );
        Batch { _dir: dir, out }
    }

    fn document(&self, input: &str) -> Value {
        let row = index_rows(&self.out)
            .into_iter()
            .find(|r| r["input"] == input)
            .unwrap();
        let path = self.out.join(row["output"].as_str().unwrap());
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    /// The DOM of a report page once its script has run, `fragment` in its URL.
    fn dom(&self, page: &str, fragment: &str) -> String {
        let path = self.out.join("review").join(page);
        assert!(path.is_file(), "{} missing", path.display());
        let url = format!("file://{}#{fragment}", path.display());
        dump_dom(&url)
    }
}

/// `chromium --headless --dump-dom URL`, with a profile of its own (tests run in parallel) and
/// no sandbox (CI runs as root in a container, where Chromium's sandbox cannot start).
fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!("chromium does not run ({e}); `bash scripts/dev.sh` installs Debian's chromium")
        });
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `&amp;` and the other entities a DOM dump writes in text.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The pieces of the text column: (attributes, text), in order.
fn pieces(dom: &str) -> Vec<(String, String)> {
    let start = dom.find("id=\"text\"").expect("the text column");
    let body = &dom[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</div>").unwrap()];
    let re = regex::Regex::new(r#"(?s)<(span|mark) ([^>]*)>(.*?)</(?:span|mark)>"#).unwrap();
    re.captures_iter(body)
        .filter(|c| c[2].contains("data-s="))
        .map(|c| (c[2].to_string(), unescape(&c[3])))
        .collect()
}

fn has_class(attrs: &str, class: &str) -> bool {
    regex::Regex::new(r#"class="([^"]*)""#)
        .unwrap()
        .captures(attrs)
        .is_some_and(|c| c[1].split_whitespace().any(|k| k == class))
}

/// The text of the pieces the page's script highlighted.
fn highlighted(dom: &str) -> String {
    pieces(dom)
        .into_iter()
        .filter(|(a, _)| has_class(a, "hl"))
        .map(|(_, t)| t)
        .collect()
}

fn chars(text: &str, span: &Value) -> String {
    let (s, e) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
    text.chars()
        .skip(s as usize)
        .take((e - s) as usize)
        .collect()
}

#[test]
fn the_report_shows_failures_highlights_tasks_and_marks_uncertain_words() {
    let batch = Batch::new();

    // The index: the broken input's failure row first, with its reason; links to the rest.
    let index = batch.dom("index.html", "");
    let rows: Vec<&str> = index.split("<tr class=\"row ").skip(1).collect();
    assert_eq!(rows.len(), 4, "{index}");
    assert!(
        rows[0].starts_with("failed\" data-input=\"broken.pdf\""),
        "{}",
        rows[0]
    );
    assert!(rows[0].contains("damaged or truncated PDF"), "{}", rows[0]);
    for page in ["scan.png.html", "stripped.txt.html", "plan.pdf.html"] {
        assert!(
            index.contains(&format!("href=\"{page}\"")),
            "no link to {page}"
        );
    }

    // The PDF: `#task-2` highlights the second task's span, which is its text, and outlines
    // the image of its page, rendered through PDFium.
    let pdf = batch.document("plan.pdf");
    let task = &pdf["tasks"][1];
    let dom = batch.dom("plan.pdf.html", "task-2");
    let text = pdf["text"].as_str().unwrap();
    assert_eq!(highlighted(&dom), chars(text, &task["span"]));
    assert_eq!(highlighted(&dom), task["text"].as_str().unwrap());
    assert!(
        dom.contains("class=\"page hl-page\" id=\"page-1\""),
        "page 1 not outlined"
    );
    let image = image::open(batch.out.join("review/img/plan.pdf-p1.png")).unwrap();
    assert!(
        image.width() > 800 && image.height() > image.width(),
        "{image:?}"
    );
    // The same by the form of the issue's link, `#task=2`.
    assert_eq!(
        highlighted(&batch.dom("plan.pdf.html", "task=2")),
        task["text"].as_str().unwrap()
    );

    // The scan: its image as it is, a task highlighted, and the note that the JSON has no
    // word boxes to outline.
    let scan = batch.document("scan.png");
    let dom = batch.dom("scan.png.html", "task-1");
    assert_eq!(
        highlighted(&dom),
        chars(scan["text"].as_str().unwrap(), &scan["tasks"][0]["span"])
    );
    assert!(dom.contains("src=\"img/scan.png-p1.png\""));
    assert!(dom.contains("id=\"no-boxes\""));
    assert_eq!(
        std::fs::read(batch.out.join("review/img/scan.png-p1.png")).unwrap(),
        std::fs::read(data("tests/data/page_files/kh_vp_page_1.png")).unwrap()
    );

    // The stripped text: every word restored with doubt is marked, with what it was.
    let stripped = batch.document("stripped.txt");
    let uncertain = stripped["restoration"]["uncertain"].as_array().unwrap();
    assert!(!uncertain.is_empty());
    let dom = batch.dom("stripped.txt.html", "");
    let marks: Vec<(String, String)> = pieces(&dom)
        .into_iter()
        .filter(|(a, _)| has_class(a, "unc"))
        .collect();
    for u in uncertain {
        let w = format!("data-w=\"{},{}\"", u["span"][0], u["span"][1]);
        let (attrs, word) = marks
            .iter()
            .find(|(a, _)| a.contains(&w))
            .unwrap_or_else(|| panic!("{u} is not marked"));
        assert_eq!(word, u["restored"].as_str().unwrap());
        let original = format!("data-original=\"{}\"", u["original"].as_str().unwrap());
        assert!(attrs.contains(&original), "{attrs}");
    }
}

#[test]
fn a_word_corrected_in_the_page_is_a_line_kehoach_train_learns() {
    let batch = Batch::new();
    let doc = batch.document("stripped.txt");
    let text = doc["text"].as_str().unwrap();
    // A word restoration was unsure of, in a sentence, corrected to another of its readings.
    let line_of = |u: &Value| -> String {
        let s = u["span"][0].as_u64().unwrap() as usize;
        let before: String = text.chars().take(s).collect();
        let from = before.rfind('\n').map_or(0, |i| i + 1);
        text[from..].lines().next().unwrap_or("").to_string()
    };
    let u = doc["restoration"]["uncertain"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| {
            u["alternatives"].as_array().is_some_and(|a| !a.is_empty())
                && line_of(u).split_whitespace().count() >= 8
        })
        .expect("an uncertain word with alternatives in a sentence")
        .clone();
    let reading = u["alternatives"][0].as_str().unwrap();
    let (s, e) = (
        u["span"][0].as_u64().unwrap(),
        u["span"][1].as_u64().unwrap(),
    );
    let fragment = format!("fix={s}-{e}:{}", percent(reading));
    let dom = batch.dom("stripped.txt.html", &fragment);

    // The line, with the word's right reading in its place, is the file to export.
    let chars: Vec<char> = text.chars().collect();
    let (mut a, mut b) = (s as usize, e as usize);
    while a > 0 && chars[a - 1] != '\n' {
        a -= 1;
    }
    while b < chars.len() && chars[b] != '\n' {
        b += 1;
    }
    let line: String = chars[a..s as usize].iter().collect::<String>()
        + reading
        + &chars[e as usize..b].iter().collect::<String>();
    let start = dom
        .find("id=\"corrections-out\">")
        .expect("the export preview")
        + 21;
    let exported = unescape(&dom[start..start + dom[start..].find("</pre>").unwrap()]);
    assert_eq!(exported, format!("{}\n", line.trim()));
    assert!(dom.contains("<span id=\"fix-count\">1</span>"));

    // `kehoach train` takes the exported file as text: its line is used, and the model it
    // writes restores that line, stripped, as the reviewer corrected it.
    let dir = tempfile::tempdir().unwrap();
    let corrections = dir.path().join("corrections.txt");
    std::fs::write(&corrections, &exported).unwrap();
    let rules = dir.path().join("rules");
    let stderr = common::train_small(&corrections, &rules);
    assert!(
        stderr.contains("1 files, 1 Vietnamese lines used"),
        "{stderr}"
    );
    let restored = common::run_with_stdin(
        kehoach().arg("--rules").arg(&rules).arg("restore"),
        strip_marks(&exported).as_bytes(),
    );
    assert_eq!(String::from_utf8_lossy(&restored.stdout), exported);
}

/// `s` with every byte outside ASCII letters and digits percent-encoded, for a URL fragment.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
