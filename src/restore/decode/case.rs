//! The case pattern of an observed token, re-applied to its restoration.

/// The case pattern of an observed token, re-applied to its restoration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Lower,
    Title,
    Upper,
}

pub(crate) fn case_of(s: &str) -> Case {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        Case::Upper
    } else if s.chars().next().is_some_and(char::is_uppercase)
        || letters.first().is_some_and(|c| c.is_uppercase())
    {
        Case::Title
    } else {
        Case::Lower
    }
}

pub(crate) fn apply_case(w: &str, case: Case) -> String {
    match case {
        Case::Lower => w.to_string(),
        Case::Upper => w.to_uppercase(),
        Case::Title => {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}
