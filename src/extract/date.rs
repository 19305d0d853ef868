//! Vietnamese dates: `ngày 31 tháng 01 năm 2024`, `ngày tháng 6 năm 2022` (day left blank for
//! the signer to fill in), `31/01/2024`, `05/9` (the plan's year), read on folded text so lost
//! diacritics do not matter.

use regex::Regex;
use std::sync::LazyLock;

/// A date whose day, or day and month, may be blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    pub fn ymd(year: i32, month: u32, day: u32) -> Self {
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// ISO 8601: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// True when the date exists in the calendar (a blank part is always fine).
    pub fn is_valid(&self) -> bool {
        match (self.month, self.day) {
            (Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(self.year, m, d).is_some(),
            (Some(m), None) => (1..=12).contains(&m),
            (None, _) => true,
        }
    }

    /// The last day of the month (for periods ending with a month).
    pub fn month_end(year: i32, month: u32) -> PartialDate {
        let first_next = if month == 12 {
            chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        let last = first_next
            .and_then(|d| d.pred_opt())
            .map(|d| chrono::Datelike::day(&d))
            .unwrap_or(28);
        PartialDate::ymd(year, month, last)
    }
}

/// `ngày 31 tháng 01 năm 2024` with each number optional but the year.
static LONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:ngay\s*(\d{1,2})?\s*)?thang\s*(\d{1,2})?\s*(?:/\s*)?nam\s*(\d{4})").unwrap()
});
/// `ngày 23 tháng 1` with no year after it (a time column's "ngày 23 tháng 1" under "Năm 2026").
static DAY_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\b").unwrap());
/// `31/01/2024`, `31-01-2024`, `31.01.2024`, and `31/01` (no year).
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?\b").unwrap()
});

/// One date found in text: where (byte range of the *folded* input, which equals the original
/// for folding is char-for-char), and the date.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub range: std::ops::Range<usize>,
    pub date: PartialDate,
    /// The year was taken from the plan, not the text.
    pub year_assumed: bool,
}

/// Parse the first date in `folded` (text passed through [`crate::fold::fold`]).
pub fn parse_first(folded: &str, default_year: Option<i32>) -> Option<Found> {
    find_all(folded, default_year).into_iter().next()
}

/// Whether a match at `r` overlaps a date already found (the stronger pattern read it first).
fn overlaps_any(found: &[Found], r: &std::ops::Range<usize>) -> bool {
    found
        .iter()
        .any(|f| f.range.start < r.end && r.start < f.range.end)
}

/// Every date in `folded`, in order.
pub fn find_all(folded: &str, default_year: Option<i32>) -> Vec<Found> {
    let mut out = vec![];
    for c in LONG.captures_iter(folded) {
        let year: i32 = c[3].parse().unwrap_or(0);
        let month = c.get(2).and_then(|m| m.as_str().parse().ok());
        let day = c
            .get(1)
            .and_then(|m| m.as_str().parse().ok())
            .filter(|_| month.is_some());
        out.push(Found {
            range: c.get(0).unwrap().range(),
            date: PartialDate { year, month, day },
            year_assumed: false,
        });
    }
    // A day and month in words without a year take the plan's, as `31/01` does.
    if let Some(year) = default_year {
        for c in DAY_MONTH.captures_iter(folded) {
            let r = c.get(0).unwrap().range();
            if overlaps_any(&out, &r) {
                continue;
            }
            let day: u32 = c[1].parse().unwrap_or(0);
            let month: u32 = c[2].parse().unwrap_or(0);
            if (1..=31).contains(&day) && (1..=12).contains(&month) {
                out.push(Found {
                    range: r,
                    date: PartialDate::ymd(year, month, day),
                    year_assumed: true,
                });
            }
        }
    }
    for c in NUMERIC.captures_iter(folded) {
        let r = c.get(0).unwrap().range();
        if overlaps_any(&out, &r) {
            continue;
        }
        // `2021-2030`-like ranges of years, document numbers (`49-KL/TW`), versions: skip.
        let before = folded[..r.start].chars().next_back();
        let after = folded[r.end..].chars().next();
        if before.is_some_and(|c| c == '/' || c.is_alphanumeric())
            || after.is_some_and(|c| c == '/' || c.is_alphanumeric() || c == '%')
        {
            continue;
        }
        let day: u32 = c[1].parse().unwrap_or(0);
        let month: u32 = c[2].parse().unwrap_or(0);
        if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
            continue;
        }
        let (year, assumed) = match c.get(3) {
            Some(y) => (y.as_str().parse().unwrap_or(0), false),
            None => match default_year {
                Some(y) => (y, true),
                None => continue,
            },
        };
        out.push(Found {
            range: r,
            date: PartialDate::ymd(year, month, day),
            year_assumed: assumed,
        });
    }
    out.sort_by_key(|f| f.range.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    #[test]
    fn reads_the_forms_plans_use() {
        let d = |s: &str| parse_first(&fold(s), Some(2024)).map(|f| f.date.iso());
        assert_eq!(
            d("Tháp Mười, ngày 31 tháng 01 năm 2024").as_deref(),
            Some("2024-01-31")
        );
        assert_eq!(
            d("Y Tịch, ngày   tháng 6 năm 2022").as_deref(),
            Some("2022-06")
        );
        assert_eq!(d("ngày tháng năm 2022").as_deref(), Some("2022"));
        assert_eq!(d("ngày 09/6/2022 của").as_deref(), Some("2022-06-09"));
        assert_eq!(d("từ ngày 05/9 đến").as_deref(), Some("2024-09-05"));
        // A day and month in words, no year: the plan's year, as for `05/9`.
        assert_eq!(
            d("20 giờ 15 phút ngày 13 tháng 3").as_deref(),
            Some("2024-03-13")
        );
        assert_eq!(parse_first(&fold("ngày 13 tháng 3"), None), None);
        assert_eq!(d("giai đoạn 2021-2030"), None);
        assert_eq!(d("Số 49-KL/TW"), None);
    }

    #[test]
    fn impossible_dates_are_invalid_not_panics() {
        assert!(!PartialDate::ymd(2024, 2, 31).is_valid());
        assert_eq!(PartialDate::month_end(2024, 2).iso(), "2024-02-29");
    }
}
