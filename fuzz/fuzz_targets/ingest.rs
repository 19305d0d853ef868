//! The whole text path on arbitrary bytes: detection, every reader, restore, segment, extract,
//! emit. Any panic is a bug; an `Err` is the expected answer to bad input.
#![no_main]

mod params;

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static PARAMS: OnceLock<kehoach::Params> = OnceLock::new();
    let params = PARAMS.get_or_init(params::params);
    if let Ok(doc) = kehoach::process_bytes("fuzz", data, kehoach::Rules::builtin(), params) {
        check_spans(&doc);
    }
});

fn check_spans(doc: &kehoach::Document) {
    let len = doc.text.chars().count();
    for t in &doc.tasks {
        assert!(
            t.span.start <= t.span.end && t.span.end <= len,
            "task span outside the text"
        );
    }
    for s in &doc.sections {
        assert!(
            s.span.start <= s.span.end && s.span.end <= len,
            "section span outside the text"
        );
    }
}
