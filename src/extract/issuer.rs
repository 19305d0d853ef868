//! Completing an issuer the header names without its place.
//!
//! Decree 30/2020/NĐ-CP writes the issuing body over two lines (`ỦY BAN NHÂN DÂN` /
//! `TỈNH BẮC KẠN`), and exports lose or run the second into another line, leaving
//! `ỦY BAN NHÂN DÂN TỈNH` alone: a unit with no name, which is no body. The same decree takes the
//! place line (`Bắc Kạn, ngày …`) from the name of the place where the body sits, so the place
//! completes the unit; failing that, the title's `… tỉnh Bắc Kạn` does. And in the preamble
//! `Chủ tịch Ủy ban nhân dân tỉnh …` is the signer's authority: the body is what follows the
//! position.

use crate::fold::fold;
use crate::rules::Rules;

/// Where a completed issuer's place was found, for the warning.
pub enum From {
    Place,
    Title,
}

/// `Ủy ban nhân dân tỉnh` + the place (`Bắc Kạn`) or the title's `tỉnh Bắc Kạn`, when the name
/// ends with an administrative unit that names nothing.
pub fn complete(
    name: &str,
    place: Option<&str>,
    title: Option<&str>,
    rules: &Rules,
) -> Option<(String, From)> {
    let unit = dangling_unit(name, rules)?;
    if let Some(p) = place.filter(|p| is_place_name(p)) {
        return Some((format!("{name} {}", p.trim()), From::Place));
    }
    let title = title?;
    let words: Vec<&str> = title.split_whitespace().collect();
    let uw: Vec<String> = unit.split(' ').map(fold).collect();
    for i in 0..words.len() {
        let head: Vec<String> = words[i..].iter().take(uw.len()).map(|w| fold(w)).collect();
        if head != uw {
            continue;
        }
        let name_words: Vec<&str> = words[i + uw.len()..]
            .iter()
            .map(|w| w.trim_end_matches([',', ';', '.', ')', '”', '"']))
            .take_while(|w| w.starts_with(char::is_uppercase))
            .take(4)
            .collect();
        if !name_words.is_empty() {
            return Some((format!("{name} {}", name_words.join(" ")), From::Title));
        }
    }
    None
}

/// The unit a name ends with (`tỉnh` of `Ủy ban nhân dân tỉnh`), if nothing follows it.
fn dangling_unit<'r>(name: &str, rules: &'r Rules) -> Option<&'r str> {
    let f = fold(name);
    rules
        .bodies
        .units
        .iter()
        .filter(|u| {
            let u = fold(u);
            f.len() > u.len() + 1 && f.ends_with(&format!(" {u}"))
        })
        .max_by_key(|u| u.len())
        .map(String::as_str)
}

/// A place line's name: one to five capitalised words, no digits.
fn is_place_name(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) && w.chars().all(char::is_alphabetic))
}

/// `Chủ tịch Ủy ban nhân dân tỉnh A` → `Ủy ban nhân dân tỉnh A`: a signer's position before a
/// body is the authority, not part of the issuer.
pub fn without_position<'a>(subject: &'a str, rules: &Rules) -> &'a str {
    let f = fold(subject);
    let Some(p) = rules
        .bodies
        .positions
        .iter()
        .filter(|p| f.starts_with(&(fold(p) + " ")))
        .max_by_key(|p| p.len())
    else {
        return subject;
    };
    let at = subject
        .char_indices()
        .nth(p.chars().count())
        .map_or(subject.len(), |(b, _)| b);
    let rest = subject[at..].trim();
    if rest.split_whitespace().count() >= 2 {
        rest
    } else {
        subject
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dangling_unit_takes_the_place_or_the_titles_name() {
        let r = Rules::builtin();
        let (n, _) = complete("Ủy ban nhân dân tỉnh", Some("Bắc Kạn"), None, r).unwrap();
        assert_eq!(n, "Ủy ban nhân dân tỉnh Bắc Kạn");
        let (n, _) = complete(
            "Ủy ban nhân dân huyện",
            None,
            Some("Trồng cây trên địa bàn huyện Mỹ Đức, năm 2025"),
            r,
        )
        .unwrap();
        assert_eq!(n, "Ủy ban nhân dân huyện Mỹ Đức");
        // A name with its place, or a body named without one, is left alone.
        assert!(complete("Ủy ban nhân dân tỉnh Bắc Kạn", Some("Bắc Kạn"), None, r).is_none());
        assert!(complete("Sở Công Thương", Some("Lào Cai"), None, r).is_none());
        assert_eq!(
            without_position("Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn", r),
            "Ủy ban nhân dân tỉnh Bắc Kạn"
        );
    }
}
