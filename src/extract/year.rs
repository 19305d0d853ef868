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
    let from_title = title.and_then(own_year);
    match (from_title, date_year) {
        (Some(t), Some(d)) if (t - d).abs() <= 1 => Some(t),
        (Some(t), None) => Some(t),
        _ => date_year,
    }
}

/// The year a title gives as the plan's own (`… năm 2025`), horizons and periods aside.
fn own_year(title: &str) -> Option<i32> {
    let f = fold(title);
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
}

/// `giai đoạn 2026 - 2030`, `đến năm 2030`: a period or a horizon, its last year second.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bgiai\s+doan\s+(?:tu\s+nam\s+)?(\d{4})\s*(?:-|–|den)\s*(?:nam\s+)?(\d{4})\b|\b(?:den|toi)\s+(?:het\s+)?nam\s+(\d{4})\b")
        .unwrap()
});

/// The last year of the period the title gives the plan ("Kế hoạch … giai đoạn 2026 - 2030",
/// "… đến năm 2030"): the year its targets are for when they name none, as a plan "năm
/// 2025" gives its targets 2025. A plan of one year has no period, even when it carries out
/// a programme of one ("Kế hoạch thực hiện Chương trình … giai đoạn 2021 - 2030 năm 2022").
pub fn plan_period_end(title: Option<&str>) -> Option<i32> {
    let title = title?;
    if own_year(title).is_some() {
        return None;
    }
    let f = fold(title);
    let c = PERIOD.captures(&f)?;
    let end: i32 = c.get(2).or(c.get(3))?.as_str().parse().ok()?;
    let start: Option<i32> = c.get(1).and_then(|m| m.as_str().parse().ok());
    (start.is_none_or(|s| s < end) && (2000..=2100).contains(&end)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::{plan_period_end, plan_year};

    #[test]
    fn a_period_or_a_horizon_in_the_title_gives_its_last_year() {
        assert_eq!(
            plan_period_end(Some(
                "Kế hoạch phát triển công nghiệp giai đoạn 2026 - 2030"
            )),
            Some(2030)
        );
        assert_eq!(
            plan_period_end(Some(
                "Thực hiện Chương trình phòng, chống ma túy đến năm 2030"
            )),
            Some(2030)
        );
        assert_eq!(plan_period_end(Some("giai đoạn 2026–2030")), Some(2030));
        assert_eq!(plan_period_end(Some("Tuyên truyền năm 2026")), None);
        assert_eq!(
            plan_period_end(Some(
                "Thực hiện Chương trình giai đoạn 2021 - 2030 năm 2022"
            )),
            None
        );
        assert_eq!(plan_period_end(None), None);
    }

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
