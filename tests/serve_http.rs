//! An integrator's document-management system sends the plans it receives to `kehoach serve`
//! over HTTP instead of shelling out to the CLI: it posts a file and gets the document back,
//! posts long scans as jobs and collects them later, and relies on the service to answer every
//! bad input with a clear 4xx and stay up, to say "busy" rather than queue without bound, and
//! to keep its jobs across a restart.
//!
//! Each test starts the real `kehoach serve` on a free loopback port and talks HTTP to it with
//! a real client. Scans are OCR'd by the real Tesseract and PDFs read by the real PDFium (needs
//! `bash scripts/dev.sh`).

mod common;
mod support;

use reqwest::blocking::Client;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running service, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .expect("kehoach serve starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("the service prints where it listens")
                .unwrap();
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.trim().to_string();
            }
        };
        // Keep draining its log so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server { child, url }
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Stop it as systemd would (SIGTERM) and wait for it to exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap()
}

fn sample(i: usize) -> Vec<u8> {
    std::fs::read(&common::sample_paths()[i]).unwrap()
}

/// POST `body` to `path`: status and parsed JSON body.
fn post(server: &Server, path: &str, body: Vec<u8>) -> (u16, Value, reqwest::header::HeaderMap) {
    let r = client().post(server.at(path)).body(body).send().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        headers,
    )
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {v}"))
}

/// A one-page scan of a typed plan, as a PDF of its image.
fn scanned_pdf(pages: usize) -> Vec<u8> {
    let typed = support::text_pdf(&[support::plan_page()], 0.0);
    let scan = support::render(&typed, 0, 300);
    support::image_pdf(&vec![scan; pages])
}

#[test]
fn a_text_plan_comes_back_as_the_document_the_cli_writes() {
    let server = Server::start(&["--jobs", "1"]);
    let bytes = sample(0);
    let (status, doc, headers) = post(&server, "/v1/documents", bytes.clone());
    assert_eq!(status, 200, "{doc}");
    assert!(
        headers[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let cli = kehoach::process_bytes(
        "request",
        &bytes,
        kehoach::Rules::builtin(),
        &Default::default(),
    )
    .unwrap();
    let cli = serde_json::to_value(cli).unwrap();
    for field in [
        "text",
        "document",
        "legal_bases",
        "sections",
        "targets",
        "tasks",
        "deadlines",
    ] {
        assert_eq!(doc[field], cli[field], "{field} differs from the library's");
    }
    // Options travel in the query: no restoration leaves the stripped words as they are.
    let stripped = kehoach::restore::syllable::strip_marks(&String::from_utf8(bytes).unwrap());
    let (_, restored, _) = post(&server, "/v1/documents", stripped.clone().into_bytes());
    let (_, kept, _) = post(
        &server,
        "/v1/documents?restore=false",
        stripped.into_bytes(),
    );
    assert!(
        restored["text"].as_str().unwrap().contains("Kế hoạch")
            || restored["text"].as_str().unwrap().contains("KẾ HOẠCH")
    );
    assert!(!kept["text"].as_str().unwrap().contains("KẾ HOẠCH"));
    let (status, bad, _) = post(&server, "/v1/documents?tone_style=sideways", sample(1));
    assert_eq!((status, error_code(&bad)), (400, "bad_request"));
    // The schema and the OpenAPI document are served.
    let schema: Value = client()
        .get(server.at("/v1/schema"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(schema, kehoach::contract::schema());
    let api: Value = client()
        .get(server.at("/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api["openapi"], "3.1.0");
    assert!(api["paths"]["/v1/documents"]["post"].is_object());
}

#[test]
fn a_scanned_pdf_is_ocrd_and_health_and_readiness_answer() {
    let server = Server::start(&["--jobs", "1"]);
    let health = client().get(server.at("/healthz")).send().unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let ready = client().get(server.at("/readyz")).send().unwrap();
    assert_eq!(ready.status().as_u16(), 200, "{}", ready.text().unwrap());
    let (status, doc, _) = post(&server, "/v1/documents", scanned_pdf(1));
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["source"]["format"], "pdf");
    assert_eq!(doc["source"]["pages"][0]["method"], "ocr");
    let acc = support::word_accuracy(&support::plan_text(), doc["text"].as_str().unwrap());
    assert!(acc > 0.9, "OCR word accuracy {acc:.3}");
}

#[test]
fn an_email_with_two_attachments_answers_json_lines() {
    let server = Server::start(&["--jobs", "1"]);
    let (a, b) = (sample(0), sample(2));
    let mail = common::email(
        "Ke hoach",
        &[
            ("a.txt", "text/plain", &a),
            ("b.txt", "text/plain", &b),
            ("x.bin", "application/octet-stream", &[0, 1, 2, 3][..]),
        ],
    );
    let r = client()
        .post(server.at("/v1/documents"))
        .body(mail)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()[reqwest::header::CONTENT_TYPE],
        "application/x-ndjson"
    );
    let lines: Vec<Value> = r
        .text()
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let docs: Vec<&Value> = lines
        .iter()
        .filter(|l| l.get("schema_version").is_some())
        .collect();
    assert_eq!(docs.len(), 2, "{lines:?}");
    assert!(
        docs.iter()
            .all(|d| !d["tasks"].as_array().unwrap().is_empty())
    );
}

#[test]
fn every_bad_input_is_a_4xx_with_a_reason_and_the_service_stays_up() {
    let server = Server::start(&["--jobs", "1", "--max-body", "1M"]);
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let mut truncated_pdf = support::text_pdf(&[support::plan_page()], 0.0);
    truncated_pdf.truncate(truncated_pdf.len() / 3);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("empty", vec![], 400, "empty"),
        ("noise", noise, 415, "unsupported_format"),
        ("truncated PDF", truncated_pdf, 422, "corrupt"),
        (
            "encrypted ZIP",
            std::fs::read(data.join("encrypted.zip")).unwrap(),
            422,
            "encrypted",
        ),
        ("PNG bomb", support::png_bomb(), 413, "over_limit"),
        ("over --max-body", vec![b'a'; 2 << 20], 413, "over_limit"),
    ];
    for (what, body, status, code) in cases {
        let (s, v, _) = post(&server, "/v1/documents", body);
        assert_eq!((s, error_code(&v)), (status, code), "{what}: {v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    let (s, _, _) = post(&server, "/v1/documents", sample(3));
    assert_eq!(s, 200, "the service still answers after the bad inputs");
}

#[test]
fn a_document_past_its_time_is_a_timeout_and_busy_workers_say_retry_later() {
    let server = Server::start(&["--jobs", "1", "--max-in-flight", "1", "--timeout", "1s"]);
    // Ten scanned pages take seconds to OCR: past the second no further page starts.
    let slow = scanned_pdf(10);
    let first = {
        let url = server.at("/v1/documents");
        std::thread::spawn(move || {
            let r = client().post(url).body(slow).send().unwrap();
            (r.status().as_u16(), r.json::<Value>().unwrap())
        })
    };
    // While it runs, the one place in flight is taken: the next request is refused at once.
    std::thread::sleep(Duration::from_millis(400));
    let asked = Instant::now();
    let (s, v, headers) = post(&server, "/v1/documents", sample(0));
    assert_eq!((s, error_code(&v)), (503, "busy"), "{v}");
    assert!(headers.contains_key(reqwest::header::RETRY_AFTER));
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "refused at once, not queued"
    );
    let (s, v) = first.join().unwrap();
    assert_eq!((s, error_code(&v)), (422, "timeout"), "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("before page"),
        "{v}"
    );
}

#[test]
fn a_bearer_token_guards_everything_but_health() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret-token\n").unwrap();
    let server = Server::start(&["--jobs", "1", "--token-file", token.to_str().unwrap()]);
    let (s, v, _) = post(&server, "/v1/documents", sample(0));
    assert_eq!((s, error_code(&v)), (401, "unauthorized"));
    let r = client()
        .post(server.at("/v1/documents"))
        .bearer_auth("s3cret-token")
        .body(sample(0))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        client()
            .get(server.at("/healthz"))
            .send()
            .unwrap()
            .status()
            .as_u16(),
        200
    );
}

fn job_status(server: &Server, id: &str) -> Value {
    client()
        .get(server.at(&format!("/v1/jobs/{id}")))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

fn wait_done(server: &Server, id: &str) -> Value {
    let start = Instant::now();
    loop {
        let st = job_status(server, id);
        if st["status"] == "done" || st["status"] == "failed" {
            return st;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "job {id} never finished: {st}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn jobs_survive_a_crash_and_a_restart_and_shutdown_finishes_them() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let state_arg = state.to_str().unwrap();
    let server = Server::start(&["--jobs", "1", "--state", state_arg]);
    // Two scans: the first is being OCR'd, the second waits, when the service is killed.
    let mut ids = vec![];
    for _ in 0..2 {
        let (s, v, headers) = post(&server, "/v1/jobs", scanned_pdf(1));
        assert_eq!(s, 202, "{v}");
        let id = v["id"].as_str().unwrap().to_string();
        assert_eq!(
            headers[reqwest::header::LOCATION],
            format!("/v1/jobs/{id}").as_str()
        );
        ids.push(id);
    }
    let (s, v, _) = post(&server, "/v1/jobs", vec![]);
    assert_eq!((s, error_code(&v)), (400, "empty"));
    std::thread::sleep(Duration::from_millis(300));
    let r = client()
        .get(server.at(&format!("/v1/jobs/{}/result", ids[1])))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 409, "not ready yet");
    drop(server); // SIGKILL: nothing is finished or flushed.

    let server = Server::start(&["--jobs", "1", "--state", state_arg]);
    for id in &ids {
        let st = wait_done(&server, id);
        assert_eq!(st["status"], "done", "{st}");
        assert_eq!(st["documents"], 1);
        assert_eq!(st["pages_done"], 1);
        let r = client()
            .get(server.at(&format!("/v1/jobs/{id}/result")))
            .send()
            .unwrap();
        assert_eq!(
            r.headers()[reqwest::header::CONTENT_TYPE],
            "application/x-ndjson"
        );
        let text = r.text().unwrap();
        let doc: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(doc["source"]["pages"][0]["method"], "ocr");
    }
    // A job still running when the service is told to stop is finished before it exits.
    let (_, v, _) = post(&server, "/v1/jobs?name=scan.pdf", scanned_pdf(1));
    let id = v["id"].as_str().unwrap().to_string();
    assert!(server.terminate().success());
    let server = Server::start(&["--jobs", "1", "--state", state_arg]);
    assert_eq!(job_status(&server, &id)["status"], "done");
    let r = client()
        .get(server.at(&format!("/v1/jobs/{id}/result")))
        .send()
        .unwrap();
    let doc: Value = serde_json::from_str(r.text().unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(doc["source"]["path"], "scan.pdf");
    let missing = client().get(server.at("/v1/jobs/nope")).send().unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}
