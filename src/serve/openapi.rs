//! The service's OpenAPI 3.1 document, served at `/openapi.json` and committed as
//! `docs/openapi.json` (a test keeps the two equal).
//!
//! The bodies' schemas are derived from the types the service answers with (schemars, as
//! `kehoach schema` derives the document's), so they cannot drift from the code; OpenAPI 3.1
//! takes JSON Schema 2020-12 as it is. The routes are listed here, beside the router.

use super::errors::ErrorBody;
use super::jobs::JobStatus;
use super::types::JobCreated;
use crate::contract::Document;
use serde_json::{Map, Value, json};

/// Move a root schema's `$defs` into `components` and point its references there.
fn add_schema(components: &mut Map<String, Value>, name: &str, mut schema: Value) {
    if let Some(defs) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (k, v) in defs.as_object().cloned().unwrap_or_default() {
            components.insert(k, v);
        }
    }
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    components.insert(name.to_string(), schema);
}

fn retarget(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                if let Some(rest) = r.strip_prefix("#/$defs/") {
                    *r = format!("#/components/schemas/{rest}");
                } else if r == "#" {
                    *r = "#/components/schemas/Document".into();
                }
            }
            o.values_mut().for_each(retarget);
        }
        Value::Array(a) => a.iter_mut().for_each(retarget),
        _ => {}
    }
}

fn json_of(name: &str) -> Value {
    json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}})
}

/// The error answers a route can give, each with the error body.
fn errors(codes: &[(&str, &str)]) -> Map<String, Value> {
    codes
        .iter()
        .map(|(status, why)| {
            (
                status.to_string(),
                json!({"description": why, "content": json_of("ErrorBody")}),
            )
        })
        .collect()
}

/// The whole document.
pub fn document() -> Value {
    let mut components = Map::new();
    add_schema(
        &mut components,
        "Document",
        serde_json::to_value(schemars::schema_for!(Document)).expect("schema"),
    );
    add_schema(
        &mut components,
        "ErrorBody",
        serde_json::to_value(schemars::schema_for!(ErrorBody)).expect("schema"),
    );
    add_schema(
        &mut components,
        "JobStatus",
        serde_json::to_value(schemars::schema_for!(JobStatus)).expect("schema"),
    );
    add_schema(
        &mut components,
        "JobCreated",
        serde_json::to_value(schemars::schema_for!(JobCreated)).expect("schema"),
    );
    let options = json!([
        {"name": "restore", "in": "query", "required": false, "schema": {"type": "boolean", "default": true},
         "description": "false: only encodings, clean-up and NFC; no word is changed"},
        {"name": "lang", "in": "query", "required": false, "schema": {"type": "string", "default": "vie"},
         "description": "Tesseract language(s) for scanned pages, e.g. vie or vie+eng"},
        {"name": "tone_style", "in": "query", "required": false, "schema": {"type": "string", "enum": ["old", "new"], "default": "old"},
         "description": "where tone marks go in oa/oe/uy: old (hòa, thủy) or new (hoà, thuỷ)"},
        {"name": "name", "in": "query", "required": false, "schema": {"type": "string", "default": "request"},
         "description": "the file's name, recorded as the document's source.path"}
    ]);
    let file_body = json!({
        "required": true,
        "description": "The file (PDF, DOCX, DOC, ODT, RTF, image, text, e-mail or archive); its format is read from its content.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}
    });
    let input_errors = [
        ("400", "empty body or a bad option"),
        ("401", "missing or wrong bearer token"),
        ("413", "body or document over a limit"),
        ("415", "not a format kehoach reads"),
        (
            "422",
            "corrupt, encrypted, timed out, or nothing readable inside",
        ),
        (
            "503",
            "busy (see Retry-After) or a part the input needs is missing",
        ),
    ];
    let mut doc_responses = errors(&input_errors);
    doc_responses.insert(
        "200".into(),
        json!({"description": "the document, or JSON Lines (one document or failed part per line) for an e-mail or archive with several",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}},
                           "application/x-ndjson": {"schema": {"type": "string"}}}}),
    );
    let mut job_responses = errors(&[
        ("400", "empty body or a bad option"),
        ("401", "missing or wrong bearer token"),
        ("413", "body over the limit"),
    ]);
    job_responses.insert(
        "202".into(),
        json!({"description": "accepted; ask its status at Location", "content": json_of("JobCreated")}),
    );
    let mut status_responses = errors(&[
        ("401", "missing or wrong bearer token"),
        ("404", "no such job"),
    ]);
    status_responses.insert(
        "200".into(),
        json!({"description": "where the job is", "content": json_of("JobStatus")}),
    );
    let mut result_responses = errors(&[
        ("401", "missing or wrong bearer token"),
        ("404", "no such job"),
        ("409", "not finished yet"),
        ("413", "the input was over a limit"),
        ("415", "the input was not a format kehoach reads"),
        (
            "422",
            "the input was corrupt, encrypted, timed out or held nothing readable",
        ),
    ]);
    result_responses.insert(
        "200".into(),
        json!({"description": "JSON Lines: one document or failed part per line", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}),
    );
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);
    let mut out = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kehoach",
            "version": crate::TOOL_VERSION,
            "description": "Vietnamese administrative plans (kế hoạch) in, verified structured JSON out. The document schema is the CLI's (docs/output.md)."
        },
        "paths": {
            "/v1/documents": {"post": {
                "summary": "Turn one file into its document (or JSON Lines of documents)",
                "parameters": options, "requestBody": file_body, "responses": doc_responses}},
            "/v1/jobs": {"post": {
                "summary": "Start a job for a long input; answers its id at once",
                "parameters": options, "requestBody": file_body, "responses": job_responses}},
            "/v1/jobs/{id}": {"get": {
                "summary": "A job's status and progress", "parameters": id, "responses": status_responses}},
            "/v1/jobs/{id}/result": {"get": {
                "summary": "A finished job's documents", "parameters": id, "responses": result_responses}},
            "/v1/schema": {"get": {"summary": "The document's JSON Schema",
                "responses": {"200": {"description": "JSON Schema 2020-12", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/healthz": {"get": {"summary": "The service is up", "security": [],
                "responses": {"200": {"description": "up"}}}},
            "/readyz": {"get": {"summary": "Tesseract and PDFium are found and work", "security": [],
                "responses": {"200": {"description": "ready"}, "503": {"description": "a part is missing", "content": json_of("ErrorBody")}}}},
            "/openapi.json": {"get": {"summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        },
        "components": {
            "schemas": Value::Object(components),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "only when the service was started with --token-file"}}
        },
        "security": [{"bearer": []}, {}]
    });
    retarget(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed document is what the code generates: regenerate it with
    /// `kehoach openapi > docs/openapi.json` when a type or route changes.
    #[test]
    fn the_committed_openapi_document_is_current() {
        let committed: Value =
            serde_json::from_str(include_str!("../../docs/openapi.json")).expect("valid JSON");
        assert_eq!(
            committed,
            document(),
            "run `kehoach openapi > docs/openapi.json`"
        );
    }

    #[test]
    fn every_reference_points_at_a_component() {
        let doc = document();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut refs = vec![];
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(o) => {
                    if let Some(Value::String(r)) = o.get("$ref") {
                        out.push(r.clone());
                    }
                    o.values().for_each(|v| walk(v, out));
                }
                Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        walk(&doc, &mut refs);
        assert!(refs.len() > 10);
        for r in refs {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{r}"));
            assert!(schemas.contains_key(name), "{r} has no component");
        }
    }
}
