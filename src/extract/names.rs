//! Naming bodies and positions the way an integrator wants them: abbreviations expanded and
//! capitals recased (`UBND XÃ TÂN VĂN` → `Ủy ban nhân dân xã Tân Văn`), using the vocabulary of
//! `rules/bodies.toml` and `rules/abbreviations.tsv`.

use crate::fold::{fold, is_upper};
use crate::rules::Rules;
/// Moved to segment (the header finds units too, and an earlier stage must not import a later
/// one); re-exported so `extract::names::unit_at` still names it.
pub use crate::segment::units::unit_at;
use crate::segment::units::unit_at_from;

/// Expand the abbreviations `rules` knows, word by word (`UBND` → `Ủy ban nhân dân`).
pub fn expand_abbreviations(s: &str, rules: &Rules) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut first = true;
    for word in s.split(' ') {
        if !first {
            out.push(' ');
        }
        first = false;
        let core = word.trim_end_matches([',', ';', '.', ':']);
        // Only abbreviations that name bodies are expanded: capitals of 3+ letters.
        match rules.abbreviation(core) {
            Some(a)
                if core.chars().count() >= 3
                    && core
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase) =>
            {
                out.push_str(&a.expansion);
                out.push_str(&word[core.len()..]);
            }
            _ => out.push_str(word),
        }
    }
    out
}

/// A body's name, recased and expanded.
pub fn body_name(raw: &str, rules: &Rules) -> String {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s.trim_matches([',', ';', '.', ':', ' ']).to_string();
    let upper = is_upper(&s);
    let s = expand_abbreviations(&s, rules);
    let lower = if upper { s.to_lowercase() } else { s.clone() };
    let words: Vec<&str> = lower.split(' ').collect();
    // The first administrative unit word (after the body's own first word) starts the place.
    let place_at = unit_at_from(&lower, rules, 1);
    let (body, place) = match place_at {
        Some((i, n)) => {
            let unit = words[i..i + n].join(" ").to_lowercase();
            let name: Vec<String> = words[i + n..]
                .iter()
                .map(|w| if upper { title_case(w) } else { w.to_string() })
                .collect();
            (words[..i].join(" "), format!("{unit} {}", name.join(" ")))
        }
        None => (words.join(" "), String::new()),
    };
    let body = canonical_body(&body, rules);
    if place.is_empty() {
        body
    } else {
        format!("{body} {place}")
    }
}

/// Replace known body names in `s` (compared without case) by their canonical casing, and
/// capitalise the first letter.
fn canonical_body(s: &str, rules: &Rules) -> String {
    let mut out = s.to_string();
    let mut names: Vec<&String> = rules.bodies.bodies.iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        let lower = out.to_lowercase();
        let nl = name.to_lowercase();
        if let Some(p) = lower.find(&nl) {
            // Lower-casing keeps byte lengths for Vietnamese letters, so `p` indexes `out`.
            if out.is_char_boundary(p)
                && out.is_char_boundary(p + nl.len())
                && lower.len() == out.len()
            {
                out.replace_range(p..p + nl.len(), name);
            }
        }
    }
    sentence_case(&out)
}

/// A position (`PHÓ CHỦ TỊCH` → `Phó Chủ tịch`).
pub fn position(raw: &str, rules: &Rules) -> String {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let f = fold(&s);
    if let Some(p) = rules.bodies.positions.iter().find(|p| fold(p) == f) {
        return p.clone();
    }
    // `CHỦ TỊCH HỘI KHUYẾN HỌC`: a known position followed by a body.
    if let Some(p) = rules
        .bodies
        .positions
        .iter()
        .filter(|p| f.starts_with(&(fold(p) + " ")))
        .max_by_key(|p| p.len())
    {
        let rest = &s[s
            .char_indices()
            .nth(p.chars().count())
            .map_or(s.len(), |(b, _)| b)..];
        return format!("{p} {}", body_name(rest.trim(), rules));
    }
    if is_upper(&s) {
        sentence_case(&s.to_lowercase())
    } else {
        s
    }
}

/// A person's name written in capitals gets each word capitalised.
pub fn person(raw: &str) -> String {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if is_upper(&s) {
        s.to_lowercase()
            .split(' ')
            .map(title_case)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s
    }
}

fn title_case(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn sentence_case(s: &str) -> String {
    title_case(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recases_header_names() {
        let r = Rules::builtin();
        assert_eq!(
            body_name("ỦY BAN NHÂN DÂN HUYỆN THÁP MƯỜI", r),
            "Ủy ban nhân dân huyện Tháp Mười"
        );
        assert_eq!(
            body_name("UBND XÃ TÂN VĂN", r),
            "Ủy ban nhân dân xã Tân Văn"
        );
        assert_eq!(
            body_name("HỘI KHUYẾN HỌC QUẬN LONG BIÊN", r),
            "Hội Khuyến học quận Long Biên"
        );
        assert_eq!(
            body_name("Hội khuyến học quận Long Biên", r),
            "Hội Khuyến học quận Long Biên"
        );
        assert_eq!(
            body_name("SỞ GIÁO DỤC VÀ ĐÀO TẠO", r),
            "Sở Giáo dục và Đào tạo"
        );
        assert_eq!(position("PHÓ CHỦ TỊCH", r), "Phó Chủ tịch");
        assert_eq!(person("NGUYỄN VĂN AN"), "Nguyễn Văn An");
    }
}
