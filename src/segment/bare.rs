//! Headings without labels: `MỤC ĐÍCH, YÊU CẦU`, `TỔ CHỨC THỰC HIỆN` set on a line of their own
//! in capitals, with no `I.`/`A.` before them.
//!
//! Decree 30/2020/NĐ-CP (Appendix I) sets a plan's parts in bold capitals on their own lines;
//! many plans drop the numbering and keep only that form. So a heading is recognised by form
//! alone: capitals, a line of its own (after a blank line or a finished sentence), short, not
//! a table row, and naming a part of a plan with one of the *strong* section words of
//! `rules/headings.toml` (`mục đích`, `chỉ tiêu`, `nhiệm vụ`, `tổ chức thực hiện`, …). The weak
//! words (`tuyên truyền`, `tăng cường`) are left out: a line of capitals with only those is as
//! often an emphasised sentence or a caption as a heading.

use super::types::Line;
use crate::contract::SectionKind;
use crate::fold::{fold, is_upper};
use crate::rules::Rules;

/// Longest unlabelled heading, in words: a plan part's name is a few words.
const MAX_WORDS: usize = 12;

/// The kind a heading names with a strong section word, if any.
pub fn strong_kind(heading: &str, rules: &Rules) -> Option<SectionKind> {
    let kind = super::kinds::section_kind_strong(heading, rules);
    (kind != SectionKind::Other).then_some(kind)
}

/// Whether line `i` of `lines` is a heading in capitals without a label.
pub fn is_bare_heading(text: &str, lines: &[Line], i: usize, rules: &Rules) -> bool {
    let line = &lines[i];
    if line.range.is_empty() || line.tabs > 0 {
        return false;
    }
    let s = &text[line.range.clone()];
    // The caller has found no label on the line (`I.`, `1.`): only then is this asked.
    if s.contains('|') {
        return false;
    }
    let s = s.trim_matches(['*', '_', '#', ' ']);
    let words = s.split_whitespace().count();
    // Every letter a capital: `Biểu 01: BÁO CÁO TIẾN ĐỘ …` over a table is a caption.
    if !is_upper(s)
        || s.chars().any(char::is_lowercase)
        || s.chars().filter(|c| c.is_alphabetic()).count() < 4
        || words > MAX_WORDS
        || s.ends_with([',', ';', ':'])
        // `KẾ HOẠCH HOẠT ĐỘNG NĂM 2025` over a table is a caption.
        || fold(s).starts_with("ke hoach")
    {
        return false;
    }
    // On a line of its own: the line before is blank or ends a sentence (or there is none).
    let before = lines[..i].iter().rev().find(|l| !l.range.is_empty());
    let prev_ok = i == 0
        || lines[i - 1].range.is_empty()
        || before.is_none_or(|b| text[b.range.clone()].trim_end().ends_with(['.', ';', ':']));
    prev_ok && strong_kind(s, rules).is_some()
}
