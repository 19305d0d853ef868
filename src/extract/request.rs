//! A request's opener ("Đề nghị …") cut from the body it addresses.

use super::vocab::{Vocab, starts_with_any};
use crate::fold::fold;

/// "Đề nghị Ủy ban MTTQ xã" → "Ủy ban MTTQ xã": the body, without the request's opener.
pub fn strip_request(name: &str, v: &Vocab) -> String {
    let f = fold(name);
    match starts_with_any(&f, &v.resp.request_openers) {
        Some(n) => {
            let chars = f[..n].chars().count();
            name.chars()
                .skip(chars)
                .collect::<String>()
                .trim()
                .to_string()
        }
        None => name.to_string(),
    }
}
