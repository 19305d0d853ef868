//! Score phrases under the shipped syllable model, one per line of standard input, word by
//! word (a diagnostic aid for whoever adapts the model, not a test):
//! `echo "ủy ban nhân dân quận" | cargo run --release --example lm_score` (with
//! `KEHOACH_RULES=DIR`, the model of that rules folder).
//!
//! Each line prints its total log10 probability, then each word with the log10 probability
//! of it after the two before it. `<num>` is the model's word for any number.
use kehoach::restore::lm::{BOS, EOS};
use kehoach::rules::Rules;
use std::io::BufRead;

fn main() {
    let folder = std::env::var_os("KEHOACH_RULES")
        .map(|d| Rules::from_dir(std::path::Path::new(&d)).expect("the rules folder loads"));
    let rules = folder.as_ref().unwrap_or_else(|| Rules::builtin());
    let model = kehoach::restore::decode::Model::get(rules).expect("the model loads");
    let lm = &model.lm;
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("readable standard input");
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut ids = vec![None, Some(BOS)];
        ids.extend(words.iter().map(|w| lm.id(&w.to_lowercase())));
        ids.push(Some(EOS));
        let mut total = 0.0;
        let mut parts = String::new();
        for (k, word) in words.iter().copied().chain(["</s>"]).enumerate() {
            let p = lm.score(ids[k], ids[k + 1], ids[k + 2]);
            total += p;
            parts.push_str(&format!(" {word}:{p:.2}"));
        }
        println!("{total:.2} |{parts}");
    }
}
