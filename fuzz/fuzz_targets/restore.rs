//! Restoration of any text (bytes decoded lossily as UTF-8): no panic, the line count kept,
//! NFC out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;

fn line_count(s: &str) -> usize {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .count()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = kehoach::restore::restore_text(&text, kehoach::Rules::builtin(), &Default::default());
    assert_eq!(
        line_count(&out.text),
        line_count(&text),
        "line count changed"
    );
    assert!(is_nfc(&out.text), "output not NFC");
});
