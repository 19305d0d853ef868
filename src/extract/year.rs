//! The plan's own year: the context a target or a deadline without a year takes.
//!
//! A plan "năm 2025" is often signed in December 2024, so its title's year comes before its
//! date's. Only a year the title gives as the plan's own counts (`… năm 2025`); a horizon
//! (`đến năm 2030`, `giai đoạn 2021 - 2025`) names a period, not the year the plan runs in, and
//! a title year far from the date (a plan citing another year's programme) is not taken.

use crate::fold::fold;
use regex::Regex;
use std::sync::LazyLock;

/// `năm 2025`, with the word before it (to tell `đến năm 2030` apart).
static TITLE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:(\S+)\s+)?nam\s+(\d{4})\b").unwrap());

/// Words before `năm YYYY` that make it a horizon or a period.
const HORIZON: &[&str] = &["den", "toi", "doan", "tu", "het", "truoc", "sau"];

/// The plan's year from its title and the year of its date.
pub fn plan_year(title: Option<&str>, date_year: Option<i32>) -> Option<i32> {
    let from_title = title.and_then(|t| {
        let f = fold(t);
        let years: Vec<i32> = TITLE_YEAR
            .captures_iter(&f)
            .filter(|c| !c.get(1).is_some_and(|w| HORIZON.contains(&w.as_str())))
            .filter_map(|c| c[2].parse().ok())
            .collect();
        // One year only: `năm 2024 và năm 2025` is no single year.
        match years.as_slice() {
            [y] => Some(*y),
            _ => None,
        }
    });
    match (from_title, date_year) {
        (Some(t), Some(d)) if (t - d).abs() <= 1 => Some(t),
        (Some(t), None) => Some(t),
        _ => date_year,
    }
}

#[cfg(test)]
mod tests {
    use super::plan_year;

    #[test]
    fn the_titles_year_before_the_dates() {
        assert_eq!(plan_year(Some("Tập huấn năm 2025"), Some(2024)), Some(2025));
        assert_eq!(plan_year(Some("Tập huấn năm 2025"), None), Some(2025));
        // Horizons and periods are not the plan's year.
        assert_eq!(
            plan_year(
                Some("Chương trình phòng, chống ma túy đến năm 2030"),
                Some(2025)
            ),
            Some(2025)
        );
        assert_eq!(
            plan_year(Some("giai đoạn 2026 - 2030"), Some(2026)),
            Some(2026)
        );
        // A year far from the date is another document's.
        assert_eq!(plan_year(Some("Tổng kết năm 2019"), Some(2025)), Some(2025));
        assert_eq!(plan_year(None, None), None);
    }
}
