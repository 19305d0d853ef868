//! `kehoach serve`: the pipeline as an HTTP service, for the systems that consume plans
//! (document-management and e-office systems, dashboards) and would otherwise shell out to the
//! CLI and read files.
//!
//! axum on tokio answers; the pipeline's CPU work runs on a rayon pool of `--jobs` threads
//! (as the batch's does), never on the async executor, so a scan being OCR'd never stalls
//! another request's answer. At most `--max-in-flight` documents are being made or waiting at
//! once; past that a request is answered 503 with `Retry-After` at once rather than queued
//! without bound. Every failure is a status and a JSON body ([`errors`]); the service stays up
//! whatever the input (a panic in the pipeline fails that request only).
//!
//! Routes (`/openapi.json` describes them, [`openapi`]):
//! - `POST /v1/documents`: the file as the body; the document as the CLI writes it, or JSON
//!   Lines for an e-mail or archive with several documents;
//! - `POST /v1/jobs`, `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/result`: the same in the
//!   background ([`jobs`]), surviving a restart with `--state DIR`;
//! - `GET /v1/schema`, `GET /healthz`, `GET /readyz`, `GET /openapi.json`.

pub mod errors;
pub mod jobs;
pub mod openapi;
mod types;

use crate::contract::Document;
use crate::rules::Rules;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use errors::{ApiError, Code};
use jobs::{JobStatus, Jobs, Pending};
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
pub use types::{JobCreated, Options};

/// How the service runs; every limit has a default and a flag.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// Worker threads for the pipeline.
    pub jobs: usize,
    /// Documents being made or waiting for a worker, at most; past it, 503.
    pub max_in_flight: usize,
    /// Larger request bodies are answered 413 before they are read whole.
    pub max_body: usize,
    /// Time per document, as the batch's `--timeout`; past it, 422 `timeout`.
    pub timeout: Option<Duration>,
    /// Where jobs are kept across restarts.
    pub state: Option<PathBuf>,
    /// A bearer token every route but the health checks requires.
    pub token: Option<String>,
    /// The pipeline's parameters, before a request's own options.
    pub params: crate::Params,
}

/// What the handlers share.
struct Service {
    config: Config,
    rules: &'static Rules,
    pool: rayon::ThreadPool,
    permits: Arc<Semaphore>,
    jobs: Jobs,
    /// Background jobs still running, awaited at shutdown.
    running: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// The last readiness check and when it ran (checking starts a Tesseract and PDFium).
    ready: Mutex<Option<(Instant, Result<(), String>)>>,
}

type Shared = Arc<Service>;

/// Seconds a busy client is told to wait.
const RETRY_AFTER: u64 = 2;
/// How long a readiness answer is reused.
const READY_FOR: Duration = Duration::from_secs(30);

/// Bind, serve until SIGINT or SIGTERM, then finish the requests and jobs in flight.
/// `on_listen` is told the address bound (a port of 0 picks a free one).
pub fn run(
    config: Config,
    rules: &'static Rules,
    on_listen: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
        let (jobs, again) =
            Jobs::open(config.state.clone()).map_err(|e| anyhow::anyhow!("state folder: {e}"))?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.jobs.max(1))
            .thread_name(|i| format!("kehoach-worker-{i}"))
            .build()?;
        let service = Arc::new(Service {
            permits: Arc::new(Semaphore::new(config.max_in_flight.max(1))),
            config,
            rules,
            pool,
            jobs,
            running: Mutex::new(vec![]),
            ready: Mutex::new(None),
        });
        for p in again {
            tracing::info!(job = %p.id, "running again a job the last service did not finish");
            spawn_job(&service, p);
        }
        on_listen(listener.local_addr()?);
        axum::serve(listener, router(service.clone()))
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        // New requests have stopped; let the background jobs finish (their results are saved).
        let handles: Vec<_> =
            std::mem::take(&mut *service.running.lock().unwrap_or_else(|p| p.into_inner()));
        for h in handles {
            let _ = h.await;
        }
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing the requests and jobs in flight");
}

fn router(service: Shared) -> Router {
    let max_body = service.config.max_body;
    Router::new()
        .route("/v1/documents", post(post_document))
        .route("/v1/jobs", post(post_job))
        .route("/v1/jobs/{id}", get(get_job))
        .route("/v1/jobs/{id}/result", get(get_job_result))
        .route("/v1/schema", get(get_schema))
        .route("/openapi.json", get(get_openapi))
        .route(
            "/healthz",
            get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .route("/readyz", get(get_ready))
        .layer(axum::middleware::from_fn_with_state(
            service.clone(),
            authorise,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(service)
}

/// With `--token-file`, every route but the health checks needs `Authorization: Bearer …`.
async fn authorise(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let open = matches!(req.uri().path(), "/healthz" | "/readyz");
    if let (Some(token), false) = (&s.config.token, open) {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if given != Some(token.as_str()) {
            let mut r = ApiError::new(
                StatusCode::UNAUTHORIZED,
                Code::Unauthorized,
                "a valid bearer token is required",
            )
            .into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            return r;
        }
    }
    next.run(req).await
}

/// The body, or a JSON 413 when it is over `--max-body` (axum's own answer is plain text).
fn body_of(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
    max: usize,
) -> Result<Bytes, ApiError> {
    match body {
        Ok(b) if b.is_empty() => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            Code::Empty,
            "the request body is empty: send the file as the body",
        )),
        Ok(b) => Ok(b),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::OverLimit,
            format!("the body is larger than the limit of {max} bytes (see --max-body)"),
        )),
        Err(e) => Err(ApiError::new(e.status(), Code::BadRequest, e.body_text())),
    }
}

/// One input through the pipeline on the worker pool: every document (or failed part) it
/// gave, in order. A panic is that input's internal error.
async fn process(
    s: &Shared,
    bytes: Bytes,
    options: &Options,
    params: crate::Params,
    job: Option<String>,
) -> Result<Vec<crate::Part>, ApiError> {
    let path = options.name.clone().unwrap_or_else(|| "request".into());
    let (tx, rx) = tokio::sync::oneshot::channel();
    let rules = s.rules;
    let service = s.clone();
    s.pool.spawn(move || {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut parts = vec![];
            crate::process_input(&path, &bytes, rules, &params, |part| {
                if let Some(id) = &job {
                    service.jobs.update(id, |st| match &part.result {
                        Ok(d) => {
                            st.documents += 1;
                            st.pages_done += d.source.pages.len();
                        }
                        Err(_) => st.failed += 1,
                    });
                }
                parts.push(part);
            });
            parts
        }));
        let _ = tx.send(run);
    });
    match rx.await {
        Ok(Ok(parts)) => Ok(parts),
        Ok(Err(panic)) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            tracing::error!(%what, "the pipeline panicked on a request");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                Code::Internal,
                format!("the pipeline failed on this input: {what}"),
            ))
        }
        Err(_) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Code::Internal,
            "the worker was lost",
        )),
    }
}

/// A line of a JSON Lines answer for a part that failed.
#[derive(Serialize)]
struct FailedPart<'a> {
    part: Option<&'a str>,
    error: errors::ErrorDetail,
}

/// The parts as JSON Lines: each document, or `{"part", "error"}` for one that failed.
fn ndjson(parts: &[crate::Part]) -> Vec<u8> {
    let mut out = vec![];
    for p in parts {
        match &p.result {
            Ok(doc) => serde_json::to_writer(&mut out, doc).expect("document serialises"),
            Err(e) => serde_json::to_writer(
                &mut out,
                &FailedPart {
                    part: p.name.as_deref(),
                    error: ApiError::of_input(e).body().error,
                },
            )
            .expect("error serialises"),
        }
        out.push(b'\n');
    }
    out
}

/// What one input answers: its document, its error, or JSON Lines for several documents.
enum Answer {
    One(Box<Document>),
    Failed(ApiError),
    Lines(Vec<u8>),
}

fn answer(mut parts: Vec<crate::Part>) -> Answer {
    if parts.len() == 1 && parts[0].name.is_none() {
        return match parts.pop().expect("one part").result {
            Ok(doc) => Answer::One(Box::new(doc)),
            Err(e) => Answer::Failed(ApiError::of_input(&e)),
        };
    }
    Answer::Lines(ndjson(&parts))
}

fn lines_response(bytes: Vec<u8>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from(bytes),
    )
        .into_response()
}

/// A request's body and pipeline parameters, or the error that answers it.
fn accept(
    s: &Service,
    options: &Options,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
    timeout: Option<Duration>,
) -> Result<(Bytes, crate::Params), ApiError> {
    let bytes = body_of(body, s.config.max_body)?;
    Ok((bytes, options.params(&s.config.params, timeout)?))
}

async fn post_document(
    State(s): State<Shared>,
    Query(options): Query<Options>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let (bytes, params) = match accept(&s, &options, body, s.config.timeout) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Ok(_permit) = s.permits.clone().try_acquire_owned() else {
        return ApiError::busy(RETRY_AFTER);
    };
    match process(&s, bytes, &options, params, None).await {
        Ok(parts) => match answer(parts) {
            Answer::One(doc) => axum::Json(doc).into_response(),
            Answer::Failed(e) => e.into_response(),
            Answer::Lines(b) => lines_response(b),
        },
        Err(e) => e.into_response(),
    }
}

async fn post_job(
    State(s): State<Shared>,
    Query(options): Query<Options>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    // A job's time starts when it runs, not now: its parameters are made again then.
    let bytes = match accept(&s, &options, body, None) {
        Ok((bytes, _)) => bytes,
        Err(e) => return e.into_response(),
    };
    let pending = match s.jobs.create(bytes.to_vec(), options) {
        Ok(p) => p,
        Err(e) => {
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                Code::Internal,
                format!("saving the job: {e}"),
            )
            .into_response();
        }
    };
    let id = pending.id.clone();
    spawn_job(&s, pending);
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/v1/jobs/{id}"))],
        axum::Json(JobCreated {
            id,
            status: jobs::State::Queued,
        }),
    )
        .into_response()
}

/// Run a job in the background: it waits for a place among the documents in flight (jobs
/// queue rather than being refused), runs on the pool, and saves its result.
fn spawn_job(s: &Shared, p: Pending) {
    let service = s.clone();
    let handle = tokio::spawn(async move {
        let Ok(_permit) = service.permits.clone().acquire_owned().await else {
            return;
        };
        let id = p.id.clone();
        let params = p
            .options
            .params(&service.config.params, service.config.timeout);
        service
            .jobs
            .update(&id, |st| st.status = jobs::State::Running);
        let outcome = match params {
            Ok(params) => {
                process(
                    &service,
                    Bytes::from(p.bytes),
                    &p.options,
                    params,
                    Some(id.clone()),
                )
                .await
            }
            Err(e) => Err(e),
        };
        let result = match outcome.map(answer) {
            Ok(Answer::One(doc)) => {
                service.jobs.update(&id, |st| st.status = jobs::State::Done);
                let mut b = serde_json::to_vec(&doc).expect("document serialises");
                b.push(b'\n');
                b
            }
            Ok(Answer::Lines(b)) => {
                service.jobs.update(&id, |st| st.status = jobs::State::Done);
                b
            }
            Ok(Answer::Failed(e)) | Err(e) => {
                service.jobs.update(&id, |st| {
                    st.status = jobs::State::Failed;
                    st.http_status = Some(e.status.as_u16());
                    st.error = Some(e.body().error);
                });
                vec![]
            }
        };
        if let Err(e) = service.jobs.finish(&id, result) {
            tracing::error!(job = %id, "saving the job's result: {e}");
        }
    });
    let mut running = s.running.lock().unwrap_or_else(|p| p.into_inner());
    running.retain(|h| !h.is_finished());
    running.push(handle);
}

fn no_job(id: &str) -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        Code::NotFound,
        format!("no job {id}"),
    )
    .into_response()
}

async fn get_job(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    match s.jobs.status(&id) {
        Some(st) => axum::Json(st).into_response(),
        None => no_job(&id),
    }
}

async fn get_job_result(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let Some((st, result)) = s.jobs.result(&id) else {
        return no_job(&id);
    };
    match st.status {
        jobs::State::Done => lines_response(result.unwrap_or_default()),
        jobs::State::Failed => failed_job(&st).into_response(),
        _ => ApiError::new(
            StatusCode::CONFLICT,
            Code::NotReady,
            format!(
                "job {id} is {}; ask GET /v1/jobs/{id} until it is done",
                serde_json::to_value(st.status)
                    .expect("state")
                    .as_str()
                    .unwrap_or("")
            ),
        )
        .into_response(),
    }
}

fn failed_job(st: &JobStatus) -> ApiError {
    let status = st
        .http_status
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let (code, message) = st
        .error
        .as_ref()
        .map(|e| (e.code, e.message.clone()))
        .unwrap_or((Code::Internal, "the job failed".into()));
    ApiError::new(status, code, message)
}

async fn get_schema() -> Response {
    axum::Json(crate::contract::schema()).into_response()
}

async fn get_openapi() -> Response {
    axum::Json(openapi::document()).into_response()
}

/// Ready when a page can be OCR'd (the `kehoach-ocr` helper, Tesseract and its language data)
/// and PDFium is bound; checked on the pool, the answer reused for [`READY_FOR`].
async fn get_ready(State(s): State<Shared>) -> Response {
    let cached = s
        .ready
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .filter(|(at, _)| at.elapsed() < READY_FOR)
        .map(|(_, r)| r.clone());
    let result = match cached {
        Some(r) => r,
        None => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let lang = s.config.params.acquire.ocr_lang.clone();
            s.pool.spawn(move || {
                let _ = tx.send(check_ready(&lang));
            });
            let r = rx
                .await
                .unwrap_or_else(|_| Err("the check was lost".into()));
            *s.ready.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), r.clone()));
            r
        }
    };
    match result {
        Ok(()) => axum::Json(serde_json::json!({"status": "ready"})).into_response(),
        Err(why) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, Code::NotAvailable, why).into_response()
        }
    }
}

fn check_ready(lang: &str) -> Result<(), String> {
    use crate::acquire::ocr::{PageImage, recognise};
    let blank = PageImage::Gray {
        width: 64,
        height: 32,
        pixels: vec![255; 64 * 32],
    };
    recognise(blank, Some(300), lang).map_err(|e| format!("OCR is not ready: {e}"))?;
    crate::acquire::pdf::with_pdfium(|_| ()).map_err(|e| format!("PDF is not ready: {e}"))?;
    Ok(())
}
