//! Long inputs as jobs: `POST /v1/jobs` answers an id at once and the document is made in the
//! background; `GET /v1/jobs/{id}` tells how far it is, `GET /v1/jobs/{id}/result` gives it.
//!
//! With a state folder (`--state DIR`) every job is a folder `DIR/jobs/<id>/` holding its input,
//! its options, its status and, once done, its result, each written atomically as the batch
//! writes its documents ([`crate::batch::write_atomic`]). A service started again on the same
//! folder serves the finished jobs and runs again those it had not finished: a restart loses
//! none. Without a state folder jobs live in memory only.

use super::errors::ErrorDetail;
use super::types::Options;
pub use super::types::State;
use crate::batch::write_atomic;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// What `GET /v1/jobs/{id}` answers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct JobStatus {
    pub id: String,
    pub status: State,
    /// Documents finished so far (an e-mail or archive gives one per attachment or member).
    pub documents: usize,
    /// Parts of the input that failed so far.
    pub failed: usize,
    /// Pages of the finished documents.
    pub pages_done: usize,
    /// Why the input failed (`status: failed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
    /// HTTP status the input's failure calls for, so a restarted service answers the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub http_status: Option<u16>,
}

/// One job in memory: its status and, once done, its result (JSON Lines).
struct Job {
    status: JobStatus,
    result: Option<Vec<u8>>,
}

/// Every job the service knows.
pub struct Jobs {
    dir: Option<PathBuf>,
    jobs: Mutex<HashMap<String, Job>>,
    counter: AtomicU64,
}

/// A job to run: its id, input and options.
pub struct Pending {
    pub id: String,
    pub bytes: Vec<u8>,
    pub options: Options,
}

impl Jobs {
    /// The jobs of a state folder (created if missing), and those it had not finished, to run
    /// again.
    pub fn open(dir: Option<PathBuf>) -> std::io::Result<(Jobs, Vec<Pending>)> {
        let jobs = Jobs {
            dir: dir.map(|d| d.join("jobs")),
            jobs: Mutex::new(HashMap::new()),
            counter: AtomicU64::new(0),
        };
        let mut again = vec![];
        if let Some(root) = &jobs.dir {
            std::fs::create_dir_all(root)?;
            let mut map = jobs.lock();
            for entry in std::fs::read_dir(root)? {
                let dir = entry?.path();
                let Some(id) = dir.file_name().and_then(|n| n.to_str()).map(String::from) else {
                    continue;
                };
                let status: Option<JobStatus> = std::fs::read(dir.join("status.json"))
                    .ok()
                    .and_then(|b| serde_json::from_slice(&b).ok());
                let result = std::fs::read(dir.join("result.ndjson")).ok();
                match status {
                    Some(s) if matches!(s.status, State::Done | State::Failed) => {
                        map.insert(id, Job { status: s, result });
                    }
                    _ => {
                        // Queued or running when the service stopped: run it again from its
                        // input. A job whose input never reached the disk was never answered
                        // with an id, so nothing is lost by dropping its folder.
                        let (Ok(bytes), Ok(opts)) = (
                            std::fs::read(dir.join("input")),
                            std::fs::read(dir.join("options.json")),
                        ) else {
                            let _ = std::fs::remove_dir_all(&dir);
                            continue;
                        };
                        let options = serde_json::from_slice(&opts).unwrap_or_default();
                        map.insert(id.clone(), Job::queued(&id));
                        again.push(Pending { id, bytes, options });
                    }
                }
            }
        }
        Ok((jobs, again))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Job>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new job, saved (with a state folder) before its id is answered.
    pub fn create(&self, bytes: Vec<u8>, options: Options) -> std::io::Result<Pending> {
        let id = self.new_id(&bytes);
        if let Some(root) = &self.dir {
            let dir = root.join(&id);
            std::fs::create_dir_all(&dir)?;
            write_atomic(&dir.join("input"), &bytes)?;
            let opts = serde_json::to_vec(&options).expect("options serialise");
            write_atomic(&dir.join("options.json"), &opts)?;
            let status = serde_json::to_vec(&Job::queued(&id).status).expect("status serialises");
            write_atomic(&dir.join("status.json"), &status)?;
        }
        self.lock().insert(id.clone(), Job::queued(&id));
        Ok(Pending { id, bytes, options })
    }

    /// Ids that are unique in this folder and not guessable from one another.
    fn new_id(&self, bytes: &[u8]) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let seed = format!(
            "{now}-{n}-{}-{}",
            std::process::id(),
            crate::sha256_hex(bytes)
        );
        crate::sha256_hex(seed.as_bytes())[..20].to_string()
    }

    pub fn status(&self, id: &str) -> Option<JobStatus> {
        self.lock().get(id).map(|j| j.status.clone())
    }

    /// The result of a finished job: its status and JSON Lines.
    pub fn result(&self, id: &str) -> Option<(JobStatus, Option<Vec<u8>>)> {
        let map = self.lock();
        let job = map.get(id)?;
        let result = job.result.clone().or_else(|| {
            let dir = self.dir.as_ref()?.join(id);
            std::fs::read(dir.join("result.ndjson")).ok()
        });
        Some((job.status.clone(), result))
    }

    /// Change a job's status in memory (progress is not written to disk: a restart redoes an
    /// unfinished job from its start).
    pub fn update(&self, id: &str, f: impl FnOnce(&mut JobStatus)) {
        if let Some(j) = self.lock().get_mut(id) {
            f(&mut j.status);
        }
    }

    /// A job finished: its result, then its status, written; memory keeps the result only
    /// without a state folder.
    pub fn finish(&self, id: &str, result: Vec<u8>) -> std::io::Result<()> {
        let status = self.status(id);
        if let (Some(root), Some(status)) = (&self.dir, &status) {
            let dir = root.join(id);
            write_atomic(&dir.join("result.ndjson"), &result)?;
            let s = serde_json::to_vec(status).expect("status serialises");
            write_atomic(&dir.join("status.json"), &s)?;
            // The input is no longer needed once the result is safe.
            let _ = std::fs::remove_file(dir.join("input"));
        }
        let keep = self.dir.is_none();
        if let Some(j) = self.lock().get_mut(id) {
            j.result = keep.then_some(result);
        }
        Ok(())
    }
}

impl Job {
    fn queued(id: &str) -> Job {
        Job {
            status: JobStatus {
                id: id.to_string(),
                status: State::Queued,
                documents: 0,
                failed: 0,
                pages_done: 0,
                error: None,
                http_status: None,
            },
            result: None,
        }
    }
}
