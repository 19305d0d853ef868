//! The task reader that follows a plan's structure (issue 23), on plans written for these
//! tests: describing lines under a list, headings that describe rather than assign, an
//! introducing sentence, duties after a person's name, a PDF line wrapped into the next
//! paragraph, activity and duty tables with a month column and merged rows.

mod common;

use common::process_text as run;
use kehoach::Document;
use kehoach::contract::{DeadlineKind, Task};

fn task<'d>(doc: &'d Document, start: &str) -> &'d Task {
    doc.tasks
        .iter()
        .find(|t| t.text.starts_with(start))
        .unwrap_or_else(|| panic!("no task {start:?} in {:#?}", doc.tasks))
}

/// Every task's span slices the document's text to the task's text.
fn spans_hold(doc: &Document) {
    for t in &doc.tasks {
        let s: String = doc
            .text
            .chars()
            .skip(t.span.start)
            .take(t.span.end - t.span.start)
            .collect();
        assert_eq!(s, t.text, "span of {:?}", t.text);
    }
}

const GROUPS: &str = "UBND HUYỆN AN BÌNH
PHÒNG NỘI VỤ
Số: 12/KH-PNV
An Bình, ngày 5 tháng 2 năm 2025
KẾ HOẠCH
Kiểm tra công tác văn thư năm 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao chất lượng công tác văn thư, lưu trữ.
II. NỘI DUNG
1. Thời gian, địa điểm:
1.1. Đợt 1: Từ 8h00 ngày 10/3/2025 tại hội trường.
Đối tượng: Công chức làm công tác văn thư của các xã.
2. Rà soát hồ sơ
- Rà soát danh mục hồ sơ của các cơ quan.
- Phối hợp với Trung tâm Lưu trữ tổng hợp số liệu.
Lãnh đạo phụ trách: Phó Trưởng phòng Lê Văn Bình.
Đơn vị chủ trì: Phòng Quản lý Văn thư; Đơn vị phối hợp: Văn phòng Huyện, Trung tâm Lưu trữ.
Thời gian thực hiện: trước ngày 30/4/2025.
3. Tồn tại, hạn chế
- Hồ sơ lưu trữ còn thiếu, chưa được số hóa đầy đủ.
4. Nguyên nhân
- Cán bộ kiêm nhiệm nhiều việc, chưa được tập huấn.
III. TỔ CHỨC THỰC HIỆN
Giao Phòng Quản lý Văn thư triển khai, thực hiện các công việc sau:
1. Xây dựng bộ câu hỏi kiểm tra nghiệp vụ văn thư.
2. Tổng hợp kết quả kiểm tra, báo cáo Chủ tịch UBND huyện.
";

#[test]
fn describing_lines_give_lead_partners_and_time_to_the_tasks_above() {
    let doc = run(GROUPS);
    for start in ["Rà soát danh mục hồ sơ", "Phối hợp với Trung tâm Lưu trữ"] {
        let t = task(&doc, start);
        assert_eq!(t.lead.as_deref(), Some("Phòng Quản lý Văn thư"), "{start}");
        assert!(
            t.coordinating.iter().any(|c| c == "Văn phòng Huyện"),
            "{start}: {:?}",
            t.coordinating
        );
        let d = t.deadline.as_ref().expect("the group's time");
        assert_eq!(d.end.as_deref(), Some("2025-04-30"));
        // The describing lines are not part of the task.
        assert!(!t.text.contains("Đơn vị chủ trì"), "{:?}", t.text);
    }
    assert!(
        !doc.tasks.iter().any(|t| t.text.contains("chủ trì:")
            || t.text.starts_with("Lãnh đạo phụ trách")
            || t.text.starts_with("Thời gian thực hiện")),
        "{:#?}",
        doc.tasks
    );
    spans_hold(&doc);
}

#[test]
fn headings_that_describe_hold_no_task() {
    let doc = run(GROUPS);
    for not in [
        "Từ 8h00",
        "Đối tượng",
        "Hồ sơ lưu trữ còn thiếu",
        "Cán bộ kiêm nhiệm",
    ] {
        assert!(
            !doc.tasks.iter().any(|t| t.text.starts_with(not)),
            "{not:?} read as a task: {:#?}",
            doc.tasks
        );
    }
}

#[test]
fn an_introducing_sentence_leads_its_list() {
    let doc = run(GROUPS);
    for start in ["Xây dựng bộ câu hỏi", "Tổng hợp kết quả kiểm tra"] {
        assert_eq!(
            task(&doc, start).lead.as_deref(),
            Some("Phòng Quản lý Văn thư"),
            "{start}"
        );
    }
    assert!(!doc.tasks.iter().any(|t| t.text.starts_with("Giao Phòng")));
}

const DUTIES: &str = "UBND HUYỆN AN BÌNH
PHÒNG KINH TẾ
Số: 15/KH-PKT
An Bình, ngày 5 tháng 2 năm 2025
KẾ HOẠCH
Kiểm tra an toàn thực phẩm năm 2025
1. Mục tiêu
Đánh giá tình hình chấp hành quy định.
2. Phân công nhiệm vụ
2.1. Ông. Trần Văn Minh - Trưởng đoàn: Phụ trách chung; ký các văn bản của Đoàn.
2.2. Bà Lê Thị Hoa - Thư ký đoàn: Chủ trì, phụ trách việc kiểm

tra hồ sơ pháp lý của các cơ sở; lập biên bản kiểm tra.
2.3. Văn phòng Ủy ban nhân dân huyện: Bố trí xe ô tô phục vụ Đoàn.
2.4. Kinh phí của Đoàn: Theo quy định hiện hành.
3. Tổ chức thực hiện
Các thành viên Đoàn thực hiện nhiệm vụ được phân công; hồ sơ do Văn phòng Ủy ban nhân dân huyện lưu giữ sau khi kết thúc.
";

#[test]
fn a_duty_after_a_name_has_that_doer() {
    let doc = run(DUTIES);
    assert_eq!(
        task(&doc, "Ông. Trần Văn Minh").lead.as_deref(),
        Some("Trần Văn Minh")
    );
    let hoa = task(&doc, "Chủ trì, phụ trách việc kiểm");
    assert_eq!(hoa.lead.as_deref(), Some("Lê Thị Hoa"));
    // The line the layout broke goes on in the same task.
    assert!(hoa.text.contains("tra hồ sơ pháp lý"), "{:?}", hoa.text);
    assert!(!doc.tasks.iter().any(|t| t.text.starts_with("tra hồ sơ")));
    assert!(
        !doc.tasks
            .iter()
            .any(|t| t.text.contains("Theo quy định hiện hành"))
    );
    spans_hold(&doc);
}

const TABLES: &str = "UBND XÃ HÒA BÌNH
Số: 20/KH-UBND
Hòa Bình, ngày 12 tháng 1 năm 2025
KẾ HOẠCH
Tổ chức các hoạt động văn hóa năm 2025
I. MỤC ĐÍCH
Phát huy phong trào văn hóa, văn nghệ ở thôn, xóm.
II. NỘI DUNG HOẠT ĐỘNG
| TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian |
| 1 | Tổ chức hội thi văn nghệ quần chúng | Công chức Văn hóa - Xã hội | Đoàn Thanh niên, Hội Phụ nữ | Tháng 3 |
| 2 | Tổ chức giải bóng chuyền hơi | Đoàn Thanh niên | Hội Cựu chiến binh | Tháng 9 |

III. TỔ CHỨC THỰC HIỆN
Giao Công chức Văn hóa - Xã hội theo dõi, tổng hợp kết quả.

PHÂN CÔNG NHIỆM VỤ CỦA TỔ GIÚP VIỆC
| TT | Nhiệm vụ thực hiện | Người thực hiện | Ghi chú |
| 1 | Chuẩn bị hội trường và âm thanh | Phạm Văn Nam |  |
|  |  | Đinh Thị Lan |  |
| 2 | Tổng hợp danh sách đội tham gia | Đinh Thị Lan |  |
";

#[test]
fn an_activity_table_gives_one_task_per_row_and_a_month_of_the_plans_year() {
    let doc = run(TABLES);
    let t = task(&doc, "Tổ chức hội thi văn nghệ");
    assert_eq!(t.lead.as_deref(), Some("Công chức Văn hóa - Xã hội"));
    assert_eq!(t.coordinating, ["Đoàn Thanh niên", "Hội Phụ nữ"]);
    let d = t.deadline.as_ref().expect("month column");
    assert_eq!(d.kind, DeadlineKind::Month);
    assert_eq!(
        (d.start.as_deref(), d.end.as_deref()),
        (Some("2025-03-01"), Some("2025-03-31"))
    );
    let d = task(&doc, "Tổ chức giải bóng chuyền")
        .deadline
        .as_ref()
        .unwrap();
    assert_eq!(d.end.as_deref(), Some("2025-09-30"));
    spans_hold(&doc);
}

#[test]
fn a_duty_table_reads_doers_and_merged_rows() {
    let doc = run(TABLES);
    let t = task(&doc, "Chuẩn bị hội trường");
    assert_eq!(t.lead.as_deref(), Some("Phạm Văn Nam"));
    assert_eq!(t.coordinating, ["Đinh Thị Lan"]);
    assert_eq!(
        task(&doc, "Tổng hợp danh sách").lead.as_deref(),
        Some("Đinh Thị Lan")
    );
    // The caption over the table is no task.
    assert!(!doc.tasks.iter().any(|t| t.text.contains("PHÂN CÔNG")));
}
