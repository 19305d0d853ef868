//! Extraction on plans written for these tests in wordings the samples do not use: other
//! comparators, money in tỷ/triệu đồng, Markdown and pipe tables with a ragged row, a heading
//! naming two bodies, a plan without sections, and bad input.

mod common;

use common::process_text as run;
use kehoach::Document;
use kehoach::contract::DeadlineKind;

/// The real binary on the written plan, as an integrator runs it.
fn ingest_file(rel: &str) -> Document {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["ingest", &path, "--stdout"])
        .output()
        .expect("kehoach runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn other_comparators_and_money_in_ty_and_trieu() {
    let doc = ingest_file("tests/data/plan_other_wordings.txt");
    let t = |v: f64| {
        doc.targets
            .iter()
            .find(|t| t.value == v)
            .unwrap_or_else(|| panic!("{v}"))
    };
    let households = t(90.0);
    assert_eq!(households.comparator.as_deref(), Some("at_least"));
    assert_eq!(
        households.year,
        Some(2026),
        "from the heading “Chỉ tiêu đến năm 2026”"
    );
    assert_eq!(households.indicator, "hộ gia đình");
    let books = t(2.0);
    assert_eq!(
        (books.unit.as_str(), books.comparator.as_deref()),
        ("cuốn/người/năm", Some("at_least"))
    );
    let budget = t(2_500_000_000.0);
    assert_eq!(
        (budget.unit.as_str(), budget.comparator.as_deref()),
        ("đồng", Some("at_most"))
    );
    assert!(budget.indicator.contains("kinh phí"));
    assert_eq!(t(150_000_000.0).comparator.as_deref(), Some("about"));
    assert_eq!(t(1.0).comparator.as_deref(), Some("less_than"));
    // "dòng họ" folds like "đồng" but counts lineages.
    let lineages = t(50.0);
    assert_eq!(
        (lineages.unit.as_str(), lineages.indicator.as_str()),
        ("dòng họ", "Dòng họ học tập")
    );
}

#[test]
fn markdown_year_columns_give_one_target_per_cell() {
    let doc = ingest_file("tests/data/plan_other_wordings.txt");
    let cells: Vec<(f64, &str, Option<i32>)> = doc
        .targets
        .iter()
        .filter(|t| t.section.as_deref() == Some("I.2"))
        .map(|t| (t.value, t.unit.as_str(), t.year))
        .collect();
    assert_eq!(
        cells,
        vec![
            (60.0, "%", Some(2025)),
            (75.0, "%", Some(2026)),
            (12.0, "câu lạc bộ", Some(2025)),
            (15.0, "câu lạc bộ", Some(2026)),
        ]
    );
    assert!(
        doc.targets
            .iter()
            .any(|t| t.indicator == "Tủ sách thôn đạt chuẩn")
    );
}

#[test]
fn pipe_activity_table_with_a_ragged_row_and_an_impossible_date() {
    let doc = ingest_file("tests/data/plan_other_wordings.txt");
    let row = |p: &str| doc.tasks.iter().find(|t| t.text.starts_with(p)).unwrap();
    let rules = row("Ban hành quy chế");
    assert_eq!(rules.lead.as_deref(), Some("Văn phòng UBND phường"));
    assert_eq!(rules.coordinating, vec!["Công an phường"]);
    let d = rules.deadline.as_ref().unwrap();
    assert_eq!(
        (d.kind, d.end.as_deref()),
        (DeadlineKind::On, Some("2025-05-15"))
    );
    // The ragged row lacks its unit columns: still a task, with its quarter.
    let fair = row("Tổ chức Ngày hội đọc sách");
    assert_eq!(fair.lead, None);
    let d = fair.deadline.as_ref().unwrap();
    assert_eq!(
        (d.kind, d.start.as_deref(), d.end.as_deref()),
        (
            DeadlineKind::Quarter,
            Some("2025-04-01"),
            Some("2025-06-30")
        )
    );
    // 31/02 does not exist: a warning, no deadline.
    assert_eq!(row("Tổng kết, báo cáo").deadline, None);
    assert_eq!(
        doc.warnings
            .iter()
            .filter(|w| w.code == "invalid_date")
            .count(),
        1
    );
}

#[test]
fn lead_coordination_and_bodies_in_new_wordings() {
    let doc = ingest_file("tests/data/plan_other_wordings.txt");
    let survey = doc
        .tasks
        .iter()
        .find(|t| t.section.as_deref() == Some("II.1"))
        .unwrap();
    assert_eq!(survey.lead.as_deref(), Some("Phòng Văn hóa và Thông tin"));
    assert_eq!(
        survey.coordinating,
        vec!["Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ phường"]
    );
    let d = survey.deadline.as_ref().unwrap();
    assert_eq!(
        (d.kind, d.end.as_deref()),
        (DeadlineKind::Before, Some("2025-04-20"))
    );
    // A section heading with no items is itself the task.
    assert!(
        doc.tasks
            .iter()
            .any(|t| t.text == "Vận động quyên góp sách cho các thư viện thôn")
    );
    // A heading naming two bodies: both are responsible; the first leads.
    let names: Vec<&str> = doc
        .responsible_bodies
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert!(names.contains(&"Phòng Văn hóa và Thông tin"));
    assert!(names.contains(&"Trung tâm Văn hóa - Thể thao"));
    assert!(
        names.contains(&"Hội Liên hiệp Phụ nữ phường"),
        "“Đề nghị” left out: {names:?}"
    );
    let yearly = doc
        .tasks
        .iter()
        .find(|t| t.text.starts_with("Hằng năm"))
        .unwrap();
    assert_eq!(yearly.coordinating, vec!["Trung tâm Văn hóa - Thể thao"]);
    let d = yearly.deadline.as_ref().unwrap();
    assert_eq!(
        (d.kind, d.end.as_deref()),
        (DeadlineKind::Recurring, Some("2025-12-31"))
    );
    let office = doc
        .responsible_bodies
        .iter()
        .find(|b| b.name == "Văn phòng UBND phường")
        .unwrap();
    assert_eq!(
        office.expanded.as_deref(),
        Some("Văn phòng Ủy ban nhân dân phường")
    );
}

#[test]
fn a_plan_without_sections() {
    let doc = run(
        "UBND XÃ BÌNH MINH\nSố: 05/KH-UBND\nBình Minh, ngày 02 tháng 01 năm 2024\n\nKẾ HOẠCH\nTổ chức Tuần lễ học tập suốt đời\n\nỦy ban nhân dân xã phấn đấu 95% hộ gia đình tham gia Tuần lễ học tập suốt đời, huy động 1.000.000 đồng cho Quỹ khuyến học.\nCác thôn báo cáo kết quả chậm nhất ngày 15/10.\n",
    );
    assert!(doc.sections.is_empty());
    let pct = doc.targets.iter().find(|t| t.unit == "%").unwrap();
    assert_eq!((pct.value, pct.year), (95.0, Some(2024)));
    let money = doc.targets.iter().find(|t| t.unit == "đồng").unwrap();
    assert_eq!(money.value, 1_000_000.0);
    let d = &doc.deadlines[0];
    assert_eq!(
        (d.kind, d.end.as_deref()),
        (DeadlineKind::Before, Some("2024-10-15")),
        "the plan's year"
    );
}

#[test]
fn written_dates_and_periods() {
    let doc = run(
        "KẾ HOẠCH\nThử\n\nI. TIẾN ĐỘ\n\n- Nộp hồ sơ trước ngày 20 tháng 11 năm 2024.\n- Sơ kết 6 tháng đầu năm 2025.\n- Hoàn thành trong quý IV năm 2024.\n- Tổ chức vào ngày 02/10/2024.\n",
    );
    let got: Vec<(DeadlineKind, Option<&str>, Option<&str>)> = doc
        .deadlines
        .iter()
        .map(|d| (d.kind, d.start.as_deref(), d.end.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (DeadlineKind::Before, None, Some("2024-11-20")),
            (DeadlineKind::Range, Some("2025-01-01"), Some("2025-06-30")),
            (
                DeadlineKind::Quarter,
                Some("2024-10-01"),
                Some("2024-12-31")
            ),
            (DeadlineKind::On, Some("2024-10-02"), Some("2024-10-02")),
        ]
    );
}

#[test]
fn bad_input_never_panics() {
    // An empty file is refused by acquisition with a reason, not a panic.
    assert!(
        kehoach::process_bytes("e.txt", b"", kehoach::Rules::builtin(), &Default::default())
            .is_err()
    );
    for text in [
        "1.000.000",
        "50.000đ",
        "7.000 đến 9.000",
        "|||\n\t\t\n| | |\n|---|\n",
        "I. MỤC TIÊU\n",
        "I. MỤC TIÊU\n- 100%\n- trên %\n- 99999999999999999999999%\n",
        "II. NHIỆM VỤ\n| Nội dung | Thời gian |\n| a |\n| b | 31/02 | x | y |\n",
        "\tNăm\n\t2023\n\n\t2024\n\t50%\n",
        "trước ngày 99/99/2024, từ ngày 31/4 đến ngày 31/6/2024, Quý V/2024",
    ] {
        let doc = run(text);
        for t in &doc.targets {
            assert!(t.value.is_finite(), "{text:?}");
        }
    }
}
