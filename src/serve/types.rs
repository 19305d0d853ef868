//! What a request asks for and what a job is, shared by the handlers, the job store and the
//! OpenAPI document.

use super::errors::{ApiError, Code};
use axum::http::StatusCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// A request's options, from its query: `?restore=false&lang=vie+eng&tone_style=new`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Options {
    /// `false`: only encodings, clean-up and NFC (the CLI's `--no-restore`).
    pub restore: Option<bool>,
    /// Tesseract language(s) for scanned pages.
    pub lang: Option<String>,
    /// `old` (hòa, thủy) or `new` (hoà, thuỷ).
    pub tone_style: Option<String>,
    /// The file's name, recorded as the document's `source.path` (default `request`).
    pub name: Option<String>,
}

impl Options {
    /// The pipeline's parameters for this request, or why an option is wrong.
    pub(super) fn params(
        &self,
        base: &crate::Params,
        timeout: Option<Duration>,
    ) -> Result<crate::Params, ApiError> {
        let mut p = base.clone();
        if self.restore == Some(false) {
            p.restore.mode = crate::restore::Mode::Off;
        }
        if let Some(lang) = &self.lang {
            let ok = !lang.is_empty()
                && lang.split('+').all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            if !ok {
                return Err(bad_request(format!(
                    "lang {lang:?} is not a Tesseract language list such as vie or vie+eng"
                )));
            }
            p.acquire.ocr_lang = lang.clone();
        }
        match self.tone_style.as_deref() {
            None => {}
            Some("old") => p.restore.tone_style = crate::restore::ToneStyle::Old,
            Some("new") => p.restore.tone_style = crate::restore::ToneStyle::New,
            Some(other) => {
                return Err(bad_request(format!(
                    "tone_style {other:?} is neither old nor new"
                )));
            }
        }
        p.acquire.deadline = timeout.map(|t| Instant::now() + t);
        Ok(p)
    }
}

fn bad_request(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, Code::BadRequest, message)
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Queued,
    Running,
    /// Finished: the result holds a document (or a failed part) per line.
    Done,
    /// The input as a whole could not become a document: `error` says why.
    Failed,
}

/// `{"id", "status"}`, answered at once by `POST /v1/jobs` (202, with `Location`).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct JobCreated {
    pub id: String,
    pub status: State,
}
