//! The plan's period as context (issue 24's year rule, extended): a plan "giai đoạn 2026 -
//! 2030" gives its targets without a year of their own the period's last year, while a
//! target's own year, and a plan of one year that carries out a programme of a period, keep
//! theirs. Plans written by hand for this test.

mod common;

use common::process_text as run;

fn plan(title: &str) -> String {
    format!(
        "\
ỦY BAN NHÂN DÂN
TỈNH NINH THUẬN
Số: 58/KH-UBND
Ninh Thuận, ngày 09 tháng 3 năm 2026

KẾ HOẠCH
{title}

I. MỤC TIÊU
1. Phấn đấu tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến đạt 80%.
2. Năm 2027, tỷ lệ người dân hài lòng đạt trên 90%.
II. NHIỆM VỤ
1. Rà soát, đơn giản hóa thủ tục hành chính.
"
    )
}

fn years(doc: &kehoach::Document) -> Vec<(f64, Option<i32>)> {
    doc.targets.iter().map(|t| (t.value, t.year)).collect()
}

#[test]
fn a_period_plans_targets_are_for_its_last_year() {
    let doc = run(&plan("Cải cách hành chính giai đoạn 2026 - 2030"));
    let y = years(&doc);
    assert!(y.contains(&(80.0, Some(2030))), "{y:?}");
    // A target's own year stays its own.
    assert!(y.contains(&(90.0, Some(2027))), "{y:?}");
}

#[test]
fn a_plan_of_one_year_within_a_programme_keeps_its_year() {
    let doc = run(&plan(
        "Thực hiện Chương trình cải cách hành chính giai đoạn 2021 - 2030 năm 2026",
    ));
    let y = years(&doc);
    assert!(y.contains(&(80.0, Some(2026))), "{y:?}");
}
