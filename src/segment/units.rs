//! Administrative units (`tỉnh`, `huyện`, `xã` …) in a run of words: the header finds the
//! issuing body's place with them, and extract splits bodies' names at them, so they live in
//! the earlier stage (issue 28: no stage imports a later one).

use crate::fold::{fold, is_upper};
use crate::rules::Rules;

/// The word index where the first administrative unit of `s` begins (followed by a name).
///
/// Words are compared with their diacritics, so `ban` (in `Ủy ban`) is not the unit `bản`;
/// only text that has no diacritics at all is compared folded.
pub fn unit_at(s: &str, rules: &Rules) -> Option<usize> {
    unit_at_from(s, rules, 0).map(|(i, _)| i)
}

pub(crate) fn unit_at_from(s: &str, rules: &Rules, from: usize) -> Option<(usize, usize)> {
    let lower = s.to_lowercase();
    let unmarked = fold(s) == lower;
    let key = |w: &str| if unmarked { fold(w) } else { w.to_lowercase() };
    let words: Vec<String> = lower.split_whitespace().map(key).collect();
    let written: Vec<&str> = s.split_whitespace().collect();
    let mixed_case = !is_upper(s);
    let not_places: Vec<Vec<String>> = rules
        .bodies
        .not_places
        .iter()
        .map(|p| p.split(' ').map(key).collect())
        .collect();
    for i in from..words.len() {
        // In mixed case a unit is written in lower case (`huyện Tháp Mười`); `Xã hội` is not one.
        if mixed_case && written[i].starts_with(char::is_uppercase) {
            continue;
        }
        if not_places.iter().any(|p| words[i..].starts_with(p)) {
            continue;
        }
        for u in &rules.bodies.units {
            let uw: Vec<String> = u.split(' ').map(key).collect();
            if words[i..].starts_with(&uw) && i + uw.len() < words.len() {
                return Some((i, uw.len()));
            }
        }
    }
    None
}
