//! The extraction vocabulary of `rules/` (`deadlines.toml`, `units.toml`, `comparators.toml`,
//! `responsibility.toml`), loaded once per [`Rules`] and compiled into the regexes the
//! extractors run. Phrases are stored folded so they match text whose marks were lost.

use crate::fold::fold;
use crate::rules::Rules;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct DeadlineWords {
    pub before: Vec<String>,
    pub on: Vec<String>,
    pub recurring: Vec<String>,
    pub year_until: Vec<String>,
    pub year_within: Vec<String>,
    pub first_half: Vec<String>,
    pub second_half: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UnitWords {
    pub money: BTreeMap<String, f64>,
    pub counts: Vec<String>,
    pub target_verbs: Vec<String>,
    pub indicator_stops: Vec<String>,
    pub title_markers: Vec<String>,
    pub indicator_openers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Comparator {
    pub phrase: String,
    pub comparator: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ComparatorWords {
    pub before: Vec<Comparator>,
    pub after: Vec<Comparator>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ResponsibilityWords {
    pub heads: Vec<String>,
    pub not_heads: Vec<String>,
    pub request_openers: Vec<String>,
    pub lead_markers: Vec<String>,
    pub coordinating_markers: Vec<String>,
    pub verbs: Vec<String>,
    pub col_content: Vec<String>,
    pub col_time: Vec<String>,
    pub col_lead: Vec<String>,
    pub col_coordinating: Vec<String>,
    pub col_supervisor: Vec<String>,
    pub not_task: Vec<String>,
    pub fronted_openers: Vec<String>,
    pub opening_max_words: usize,
    #[serde(default)]
    pub structure: StructureWords,
}

/// The `[structure]` table of `responsibility.toml`, phrases folded on load.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StructureWords {
    pub lead_labels: Vec<String>,
    pub coordinating_labels: Vec<String>,
    pub time_labels: Vec<String>,
    pub supervisor_labels: Vec<String>,
    pub not_task_labels: Vec<String>,
    pub label_max_words: usize,
    pub label_colon_max_words: usize,
    pub topic_heads: Vec<String>,
    pub topic_activities: Vec<String>,
    pub addressing_openers: Vec<String>,
    pub passive_openers: Vec<String>,
    pub not_actions: Vec<String>,
    pub appendix_openers: Vec<String>,
    pub template_titles: Vec<String>,
    pub person_titles: Vec<String>,
    pub intro_endings: Vec<String>,
    pub passive_markers: Vec<String>,
}

/// Everything the extractors know, with the regexes built from it.
#[derive(Debug)]
pub struct Vocab {
    pub deadlines: DeadlineWords,
    pub units: UnitWords,
    pub comparators: ComparatorWords,
    pub resp: ResponsibilityWords,
    /// Count nouns, folded, longest first.
    pub counts_folded: Vec<String>,
    /// Deadline patterns on folded text, in priority order.
    pub recurring_re: Regex,
    pub recurring_after_re: Regex,
    pub range_re: Regex,
    pub before_re: Regex,
    pub quarter_re: Regex,
    pub month_re: Regex,
    pub half_re: Regex,
    pub year_re: Regex,
    pub on_re: Regex,
    pub bare_date_re: Regex,
    /// A Vietnamese number with an optional unit right after it (folded text).
    pub number_re: Regex,
}

/// Alternation of folded phrases, longest first, spaces matching any white space.
pub fn alt(phrases: &[String]) -> String {
    let mut v: Vec<String> = phrases.iter().map(|p| fold(p)).collect();
    v.sort_by_key(|p| std::cmp::Reverse(p.len()));
    v.dedup();
    v.iter()
        .map(|p| {
            p.split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A date on folded text: day, month, optional year (`15/11`, `20 tháng 11 năm 2024`).
const DATE: &str = r"(?:ngay\s*)?(\d{1,2})\s*(?:/|-|\.|\s+thang\s+)\s*(\d{1,2})(?:\s*(?:/|-|\.|\s+nam\s+)\s*(\d{4}))?\b";
/// The same with non-capturing groups, for building longer patterns.
fn date_named(n: &str) -> String {
    format!(
        r"(?:ngay\s*)?(?P<{n}d>\d{{1,2}})\s*(?:/|-|\.|\s*thang\s+)\s*(?P<{n}m>\d{{1,2}})(?:\s*(?:/|-|\.|\s+nam\s+)\s*(?P<{n}y>\d{{4}}))?\b"
    )
}

impl Vocab {
    /// The vocabulary of these rules, compiled on first use and shared after.
    pub fn get(rules: &Rules) -> Result<std::sync::Arc<Vocab>, String> {
        rules.cached(Vocab::load)
    }

    pub fn load(rules: &Rules) -> Result<Vocab, String> {
        let deadlines: DeadlineWords = rules.toml("deadlines.toml").map_err(|e| e.to_string())?;
        let units: UnitWords = rules.toml("units.toml").map_err(|e| e.to_string())?;
        let comparators: ComparatorWords =
            rules.toml("comparators.toml").map_err(|e| e.to_string())?;
        let resp: ResponsibilityWords = rules
            .toml("responsibility.toml")
            .map_err(|e| e.to_string())?;
        // Every phrase is compared on folded text: fold them once here.
        let f = |v: &mut Vec<String>| v.iter_mut().for_each(|p| *p = fold(p));
        let mut units = units;
        let mut comparators = comparators;
        let mut resp = resp;
        for v in [
            &mut units.target_verbs,
            &mut units.indicator_stops,
            &mut units.title_markers,
            &mut units.indicator_openers,
            &mut resp.heads,
            &mut resp.not_heads,
            &mut resp.request_openers,
            &mut resp.lead_markers,
            &mut resp.coordinating_markers,
            &mut resp.verbs,
            &mut resp.structure.lead_labels,
            &mut resp.structure.coordinating_labels,
            &mut resp.structure.time_labels,
            &mut resp.structure.supervisor_labels,
            &mut resp.structure.not_task_labels,
            &mut resp.structure.topic_heads,
            &mut resp.structure.topic_activities,
            &mut resp.structure.addressing_openers,
            &mut resp.structure.passive_openers,
            &mut resp.structure.not_actions,
            &mut resp.structure.appendix_openers,
            &mut resp.structure.template_titles,
            &mut resp.structure.person_titles,
            &mut resp.structure.passive_markers,
            &mut resp.col_content,
            &mut resp.col_time,
            &mut resp.col_lead,
            &mut resp.col_coordinating,
            &mut resp.col_supervisor,
            &mut resp.not_task,
            &mut resp.fronted_openers,
        ] {
            f(v);
        }
        for c in comparators
            .before
            .iter_mut()
            .chain(comparators.after.iter_mut())
        {
            c.phrase = fold(&c.phrase);
        }
        let re = |s: &str| Regex::new(s).map_err(|e| e.to_string());
        let before = alt(&deadlines.before);
        let rec = alt(&deadlines.recurring);
        let d1 = date_named("a");
        let d2 = date_named("b");
        let recurring_re = re(&format!(
            r"\b(?:dinh\s+ky\s+)?(?:(?:{before})\s+)?{d1}\s*,?\s*(?:{rec})\b"
        ))?;
        let recurring_after_re = re(&format!(r"\b(?:{rec})\s*,?\s*(?:{before})\s+{d1}"))?;
        let range_re = re(&format!(r"\btu\s+{d1}\s*(?:den|toi|-|–)\s*(?:het\s+)?{d2}"))?;
        let before_re = re(&format!(
            r"\b(?:{before})\s+(?:{d1}|thang\s+(?P<mm>\d{{1,2}})\s*(?:/|\s+nam\s+)\s*(?P<my>\d{{4}}))"
        ))?;
        let quarter_re = re(
            r"\bquy\s+(?P<q>iv|i{1,3}|[1-4])\b(?:\s*(?:/|-|nam)\s*(?P<y>\d{4}))?(?:\s*\(\s*thang\s+(?P<m>\d{1,2})\s*\))?",
        )?;
        let month_re = re(r"\bthang\s+(?P<m>\d{1,2})\s*(?:/|-|\s+nam\s+)\s*(?P<y>\d{4})\b")?;
        let half_re = re(&format!(
            r"\b(?:(?P<first>{})|(?P<second>{}))(?:\s+(?P<y>\d{{4}}))?",
            alt(&deadlines.first_half),
            alt(&deadlines.second_half)
        ))?;
        let year_re = re(&format!(
            r"\b(?:(?P<until>{})|(?P<within>{}))\s+nam\s+(?P<y>\d{{4}})\b",
            alt(&deadlines.year_until),
            alt(&deadlines.year_within)
        ))?;
        let on_re = re(&format!(r"\b(?:{})\s+ngay\s+{d1}", alt(&deadlines.on)))?;
        let bare_date_re = re(DATE)?;
        let number_re = re(r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)")?;
        let mut counts_folded: Vec<String> = units.counts.iter().map(|c| fold(c)).collect();
        counts_folded.sort_by_key(|c| std::cmp::Reverse(c.len()));
        Ok(Vocab {
            deadlines,
            units,
            comparators,
            resp,
            counts_folded,
            recurring_re,
            recurring_after_re,
            range_re,
            before_re,
            quarter_re,
            month_re,
            half_re,
            year_re,
            on_re,
            bare_date_re,
            number_re,
        })
    }
}

/// Folded `s` starts with one of `phrases` (folded at load) at a word boundary; the phrase's
/// length.
pub fn starts_with_any(folded: &str, phrases: &[String]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for p in phrases {
        if folded.starts_with(p.as_str())
            && folded[p.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
            && best.is_none_or(|b| p.len() > b)
        {
            best = Some(p.len());
        }
    }
    best
}

impl ResponsibilityWords {
    /// The length of the body's first word `folded` starts with, unless it is an ordinary
    /// word that merely looks like one ("đoàn thể", "hội nghị").
    pub fn head(&self, folded: &str) -> Option<usize> {
        if starts_with_any(folded, &self.not_heads).is_some() {
            return None;
        }
        starts_with_any(folded, &self.heads)
    }
}

/// Read a Vietnamese number: `.` groups thousands, `,` is the decimal mark (`1.000.000`,
/// `2,5`). A lone `.` followed by other than three digits is a decimal mark too (`2.5`).
pub fn read_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let groups: Vec<&str> = t.split(',').collect();
    let (int, frac) = match groups.as_slice() {
        [i] => (*i, None),
        [i, f] => (*i, Some(*f)),
        _ => return None,
    };
    let int_digits: String = if int.contains('.') {
        let parts: Vec<&str> = int.split('.').collect();
        if parts[1..].iter().all(|p| p.len() == 3) {
            parts.concat()
        } else if parts.len() == 2 && frac.is_none() {
            return format!("{}.{}", parts[0], parts[1]).parse().ok();
        } else {
            return None;
        }
    } else {
        int.to_string()
    };
    let s = match frac {
        Some(f) => format!("{int_digits}.{f}"),
        None => int_digits,
    };
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_loads_and_numbers_read_the_vietnamese_way() {
        Vocab::load(Rules::builtin()).unwrap();
        assert_eq!(read_number("1.000.000"), Some(1_000_000.0));
        assert_eq!(read_number("2,5"), Some(2.5));
        assert_eq!(read_number("50.000"), Some(50_000.0));
        assert_eq!(read_number("7.000"), Some(7000.0));
        assert_eq!(read_number("1.234,75"), Some(1234.75));
        assert_eq!(read_number("85"), Some(85.0));
    }
}
