//! Time of each restoration stage on one file (a profiling aid, not a test):
//! `cargo run --release --example restore_stages -- FILE`.
use kehoach::restore::{Params, ToneStyle, clean, decode, encoding, into_nfc, syllable};
use kehoach::rules::Rules;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("a text file");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8");
    let rules = Rules::builtin();
    let t = Instant::now();
    let _ = kehoach::restore::decode::Model::get(rules);
    let load = t.elapsed();
    let t = Instant::now();
    let (conv, _) = encoding::repair_mojibake(&text, None);
    let t1 = t.elapsed();
    let t = Instant::now();
    let cleaned = clean::clean(&conv);
    let t2 = t.elapsed();
    let t = Instant::now();
    let nfc = into_nfc(cleaned);
    let t3 = t.elapsed();
    let t = Instant::now();
    let (nfc, _) = syllable::normalize_text_tone_placement(&nfc, ToneStyle::Old);
    let t4 = t.elapsed();
    let t = Instant::now();
    let (out, _, _) = decode::restore(
        &nfc,
        rules,
        &Params {
            text_only: true,
            ..Params::default()
        },
        None,
    );
    let t5 = t.elapsed();
    eprintln!(
        "model {load:?}  mojibake {t1:?}  clean {t2:?}  nfc {t3:?}  tones {t4:?}  decode {t5:?}  ({} bytes out)",
        out.len()
    );
}
