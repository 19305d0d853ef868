//! More layouts real documents use, each written by hand for these tests (no seed or real
//! document was copied; none of these texts tunes anything): a sentence that names its doer
//! after a fronted ground ("Căn cứ …, các sở, ban, ngành xây dựng …"), a time column giving
//! "ngày 23 tháng 1" under a year, a notice whose body is numbered paragraphs with no heading,
//! a letter whose parts are headed by a body's name, and a sentence cut by a page break.

mod common;

use common::process_text as run;

fn leads(doc: &kehoach::Document) -> Vec<(String, Option<String>)> {
    doc.tasks
        .iter()
        .map(|t| (t.text.chars().take(40).collect(), t.lead.clone()))
        .collect()
}

const FRONTED: &str = "\
ỦY BAN NHÂN DÂN
TỈNH ĐẮK NÔNG
Số: 21/KH-UBND
Đắk Nông, ngày 12 tháng 02 năm 2026

KẾ HOẠCH
Phát động phong trào thi đua xây dựng nông thôn mới năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Khơi dậy tinh thần tự lực của người dân.
II. TỔ CHỨC THỰC HIỆN
1. Căn cứ nội dung Kế hoạch này và tình hình thực tế của địa phương, các sở, ban, ngành, Ủy ban nhân dân các xã xây dựng kế hoạch thực hiện trong tháng 3/2026.
2. Trên cơ sở kết quả bình xét của các Hội đồng thi đua cơ sở, Sở Nội vụ tổng hợp, trình khen thưởng.
3. Theo dõi, hướng dẫn các cơ quan, đơn vị thực hiện kế hoạch.
";

#[test]
fn the_doer_after_a_fronted_ground() {
    let doc = run(FRONTED);
    let l = leads(&doc);
    let lead_of = |start: &str| {
        l.iter()
            .find(|(t, _)| t.starts_with(start))
            .unwrap_or_else(|| panic!("a task {start:?} in {l:?}"))
            .1
            .clone()
    };
    let first = lead_of("Căn cứ nội dung Kế hoạch").expect("a lead");
    assert!(first.starts_with("các sở, ban, ngành"), "{first}");
    assert_eq!(lead_of("Trên cơ sở kết quả").as_deref(), Some("Sở Nội vụ"));
    // A sentence that opens with its verb names no doer after its commas.
    assert_ne!(lead_of("Theo dõi, hướng dẫn").as_deref(), Some("đơn vị"));
}

const TIME_COLUMN: &str = "\
ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 15/KH-UBND
Kon Tum, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
Truyền thông về chuyển đổi số năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của người dân.
II. NỘI DUNG
1. Chương trình hỏi đáp về chuyển đổi số trên sóng truyền hình

| STT | Nội dung | Đơn vị thực hiện | Thời gian (Năm 2026) |
| 1 | Trả lời câu hỏi của người dân về dịch vụ công của Sở Xây dựng | Lãnh đạo Sở Xây dựng | Từ 19 giờ 30 phút - 20 giờ 00 phút ngày 16 tháng 2 |
| 2 | Trả lời câu hỏi của người dân về dịch vụ công của Sở Y tế | Lãnh đạo Sở Y tế | 19 giờ 30 phút ngày 20 tháng 3 |

III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ theo dõi việc thực hiện.
";

#[test]
fn a_day_and_month_in_words_take_the_plans_year() {
    let doc = run(TIME_COLUMN);
    let due: Vec<(Option<String>, Option<String>)> = doc
        .tasks
        .iter()
        .filter(|t| t.text.starts_with("Trả lời câu hỏi"))
        .map(|t| {
            (
                t.lead.clone(),
                t.deadline.as_ref().and_then(|d| d.end.clone()),
            )
        })
        .collect();
    assert_eq!(
        due,
        vec![
            (
                Some("Lãnh đạo Sở Xây dựng".into()),
                Some("2026-02-16".into())
            ),
            (Some("Lãnh đạo Sở Y tế".into()), Some("2026-03-20".into())),
        ]
    );
}

/// A notice of conclusions: its body is numbered paragraphs, one line each, no heading.
const NOTICE: &str = "\
ỦY BAN NHÂN DÂN
TỈNH BÌNH PHƯỚC
Số: 31/TB-UBND
Bình Phước, ngày 06 tháng 3 năm 2026

THÔNG BÁO
Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc về tiến độ giải ngân vốn đầu tư công

Ngày 02/3/2026, Chủ tịch Ủy ban nhân dân tỉnh chủ trì buổi làm việc. Sau khi nghe báo cáo, Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau:
1. Giao Sở Tài chính chủ trì, phối hợp với Kho bạc Nhà nước khu vực rà soát các dự án chậm giải ngân, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/3/2026 để xem xét điều chuyển vốn theo quy định về kinh phí và căn cứ pháp lý hiện hành.
2. Ban Quản lý dự án đầu tư xây dựng tỉnh khẩn trương hoàn thiện hồ sơ thanh toán khối lượng đã nghiệm thu, không để tồn đọng hồ sơ đến cuối năm.
3. Các chủ đầu tư tập trung đẩy nhanh công tác giải phóng mặt bằng, bàn giao mặt bằng sạch cho nhà thầu thi công.
Văn phòng Ủy ban nhân dân tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT, KT.
TL. CHỦ TỊCH
CHÁNH VĂN PHÒNG
Lê Văn Nam
";

#[test]
fn numbered_paragraphs_with_no_heading_above_them_are_kept() {
    let doc = run(NOTICE);
    let l = leads(&doc);
    assert_eq!(doc.tasks.len(), 3, "{l:?}");
    assert_eq!(doc.tasks[0].lead.as_deref(), Some("Sở Tài chính"), "{l:?}");
    assert_eq!(
        doc.tasks[0]
            .deadline
            .as_ref()
            .and_then(|d| d.end.as_deref()),
        Some("2026-03-20")
    );
    assert!(doc.tasks[1].text.starts_with("Ban Quản lý dự án"));
    // Words inside a paragraph ("kinh phí", "căn cứ") do not make it a budget or legal part.
    assert!(
        doc.sections
            .iter()
            .all(|s| s.kind == kehoach::contract::SectionKind::Tasks),
        "{:?}",
        doc.sections.iter().map(|s| s.kind).collect::<Vec<_>>()
    );
    assert_eq!(doc.document.recipients, vec!["Như trên", "Lưu: VT, KT"]);
}

/// A letter whose parts are headed by the body addressed; a duty cut by a page break.
const LETTER: &str = "\
ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 402/UBND-KT
Hà Giang, ngày 14 tháng 4 năm 2026
V/v tăng cường quản lý hoạt động khai thác cát, sỏi

Kính gửi: Các sở, ngành; Ủy ban nhân dân các xã.

Để chấn chỉnh hoạt động khai thác cát, sỏi lòng sông, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:
1. Sở Nông nghiệp và Môi trường
a) Rà soát giấy phép khai thác cát, sỏi còn hiệu lực trên địa bàn tỉnh.
b) Kiểm tra đột xuất các mỏ có dấu hiệu khai thác vượt công suất, xử lý nghiêm vi phạm và

báo cáo kết quả về Ủy ban nhân dân tỉnh.
2. Công an tỉnh
a) Tăng cường tuần tra trên các tuyến sông, ngăn chặn khai thác trái phép.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Đức Quý
";

#[test]
fn a_part_headed_by_a_body_assigns_it_duties_and_a_page_break_cuts_no_duty() {
    let doc = run(LETTER);
    let l = leads(&doc);
    let bodies: Vec<Option<&str>> = doc.tasks.iter().map(|t| t.lead.as_deref()).collect();
    assert_eq!(
        bodies,
        vec![
            Some("Sở Nông nghiệp và Môi trường"),
            Some("Sở Nông nghiệp và Môi trường"),
            Some("Công an tỉnh")
        ],
        "{l:?}"
    );
    assert!(
        doc.tasks[1]
            .text
            .ends_with("báo cáo kết quả về Ủy ban nhân dân tỉnh."),
        "{:?}",
        doc.tasks[1].text
    );
}

/// A PDF's hard-wrapped closing: a recipient and a passive duty's agent run onto the next line.
const WRAPPED: &str = "\
SỞ XÂY DỰNG
TỔ KIỂM TRA
Số: 77/KH-TKT
Cao Bằng, ngày 03 tháng 6 năm 2026

KẾ HOẠCH
Kiểm tra an toàn các công trình xây dựng năm 2026

1. Mục đích
- Phát hiện sớm các nguy cơ mất an toàn.
2. Nguồn lực cho hoạt động kiểm tra
2.1. Phương tiện cho đoàn: Xe ô tô 16 chỗ do Trung tâm Kiểm định
Chất lượng tỉnh bố trí.
3. Phân công nhiệm vụ
3.1. Ông Lý Văn Tài - Tổ trưởng: Chủ trì các buổi kiểm tra;
Tổng hợp báo cáo kết quả kiểm tra của Tổ.
Nơi nhận:
- Giám đốc Sở (để báo cáo);
- Trung tâm Kiểm định Xây dựng (bố trí xe,
phục vụ Tổ kiểm tra);
- Lưu: VT.
TỔ TRƯỞNG
Lý Văn Tài
";

#[test]
fn hard_wrapped_names_run_onto_the_next_line() {
    let doc = run(WRAPPED);
    let l = leads(&doc);
    let car = doc
        .tasks
        .iter()
        .find(|t| t.text.starts_with("Xe ô tô"))
        .unwrap_or_else(|| panic!("the car's task in {l:?}"));
    assert_eq!(
        car.lead.as_deref(),
        Some("Trung tâm Kiểm định Chất lượng tỉnh"),
        "{l:?}"
    );
    // (A next line opening with a word that is also a verb, "Xây dựng", is read as a new
    // clause: the name then stops at the line's end.)
    // The duty after the chief's line is the chief's too.
    let report = doc
        .tasks
        .iter()
        .find(|t| t.text.starts_with("Tổng hợp báo cáo"))
        .unwrap_or_else(|| panic!("the report's task in {l:?}"));
    assert_eq!(report.lead.as_deref(), Some("Lý Văn Tài"), "{l:?}");
    assert_eq!(
        doc.document.recipients,
        vec![
            "Giám đốc Sở (để báo cáo)",
            "Trung tâm Kiểm định Xây dựng (bố trí xe, phục vụ Tổ kiểm tra)",
            "Lưu: VT"
        ]
    );
}
