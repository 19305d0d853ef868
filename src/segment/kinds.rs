//! A heading's kind (`rules/headings.toml`), for labelled headings (`outline.rs`) and
//! unlabelled ones (`bare.rs`) alike.

use crate::contract::SectionKind;
use crate::fold::fold;
use crate::rules::Rules;

/// A heading's kind from the vocabulary in `rules/headings.toml`.
pub fn section_kind(heading: &str, parent: Option<SectionKind>, rules: &Rules) -> SectionKind {
    // Sub-sections of the implementation section name bodies (`Phòng Tài chính - Kế hoạch`):
    // they stay implementation whatever words their names contain.
    if parent == Some(SectionKind::Implementation) {
        return SectionKind::Implementation;
    }
    // The items of a section of legal bases are cited documents, whatever their titles say.
    if parent == Some(SectionKind::LegalBases) {
        return SectionKind::LegalBases;
    }
    let h = heading.to_lowercase();
    let hf = fold(heading);
    for k in &rules.headings.kinds {
        if k.weak && parent.is_some() {
            continue;
        }
        // Match with diacritics; fall back to folded text for damaged headings.
        if k.keywords
            .iter()
            .any(|w| contains_phrase(&h, w) || contains_phrase(&hf, &fold(w)))
        {
            return kind_from_name(&k.kind);
        }
    }
    parent.unwrap_or(SectionKind::Other)
}

/// A heading's kind from the strong section words only (`Other` when none matches).
pub fn section_kind_strong(heading: &str, rules: &Rules) -> SectionKind {
    let h = heading.to_lowercase();
    let hf = fold(heading);
    rules
        .headings
        .kinds
        .iter()
        .filter(|k| !k.weak)
        .find(|k| {
            k.keywords
                .iter()
                .any(|w| contains_phrase(&h, w) || contains_phrase(&hf, &fold(w)))
        })
        .map_or(SectionKind::Other, |k| kind_from_name(&k.kind))
}

fn contains_phrase(hay: &str, phrase: &str) -> bool {
    hay.match_indices(phrase).any(|(i, m)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn kind_from_name(s: &str) -> SectionKind {
    match s {
        "legal_bases" => SectionKind::LegalBases,
        "purpose" => SectionKind::Purpose,
        "objectives" => SectionKind::Objectives,
        "tasks" => SectionKind::Tasks,
        "schedule" => SectionKind::Schedule,
        "budget" => SectionKind::Budget,
        "implementation" => SectionKind::Implementation,
        _ => SectionKind::Other,
    }
}
