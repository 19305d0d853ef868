//! How the service says no: every failure is a status and a JSON body
//! `{"error": {"code", "message"}}`, the code one of a closed list ([`Code`]) that clients
//! branch on, the message for people (it names the reason as the batch's index would).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The codes an error body can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The body was empty.
    Empty,
    /// Not a format kehoach reads.
    UnsupportedFormat,
    /// Damaged, truncated or unreadable content.
    Corrupt,
    /// A PDF or Office file or archive that needs a password.
    Encrypted,
    /// The body, or the document (pages, pixels, archive members), is over a limit.
    OverLimit,
    /// The document's time (`--timeout`) ran out, or the request's.
    Timeout,
    /// An e-mail or archive with nothing kehoach reads in it.
    NoDocuments,
    /// A query parameter has a value the service does not know.
    BadRequest,
    /// The bearer token is missing or wrong.
    Unauthorized,
    /// No such job.
    NotFound,
    /// The job has not finished.
    NotReady,
    /// Every worker is busy and the waiting line is full: retry after `Retry-After` seconds.
    Busy,
    /// This service lacks a part the input needs (PDFium, Tesseract, LibreOffice).
    NotAvailable,
    /// A fault of the service, not of the input.
    Internal,
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ErrorDetail {
    pub code: Code,
    pub message: String,
}

/// An error answer: status, code and message.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Code,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message.clone(),
            },
        }
    }

    /// What a failed input answers: the status and code its reason calls for.
    pub fn of_input(e: &crate::Error) -> ApiError {
        use crate::Error as E;
        match e {
            E::Acquire(a) | E::PageFile { source: a, .. } => ApiError::of_acquire(a, e),
            E::NoAttachments { .. } | E::NoMembers { .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                Code::NoDocuments,
                e.to_string(),
            ),
            E::Io(_) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                Code::Internal,
                e.to_string(),
            ),
        }
    }

    fn of_acquire(a: &crate::acquire::Error, whole: &crate::Error) -> ApiError {
        use crate::acquire::Error as A;
        use crate::acquire::convert::Error as C;
        let (status, code) = match a {
            A::Empty => (StatusCode::BAD_REQUEST, Code::Empty),
            A::Unsupported(_) | A::Binary => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, Code::UnsupportedFormat)
            }
            A::NotAvailable { .. } | A::Convert(C::Missing { .. }) => {
                (StatusCode::SERVICE_UNAVAILABLE, Code::NotAvailable)
            }
            A::Corrupt(_) | A::Convert(C::Failed { .. }) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Code::Corrupt)
            }
            A::Limit(_) => (StatusCode::PAYLOAD_TOO_LARGE, Code::OverLimit),
            A::Timeout { .. } | A::Convert(C::Timeout { .. }) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Code::Timeout)
            }
            A::Password | A::Encrypted(_) => (StatusCode::UNPROCESSABLE_ENTITY, Code::Encrypted),
            A::Ocr(_) | A::Convert(C::Io { .. }) => {
                (StatusCode::INTERNAL_SERVER_ERROR, Code::Internal)
            }
        };
        ApiError::new(status, code, whole.to_string())
    }

    pub fn busy(retry_after: u64) -> Response {
        let mut r = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            Code::Busy,
            "every worker is busy and the waiting line is full; retry later",
        )
        .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        r
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}
