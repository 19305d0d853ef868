//! What counts as a task (docs/output.md, "What counts as a task"), on plans written by hand
//! for these tests (no seed or real document was copied; none of these texts tunes anything):
//! the items of "Nội dung <activity>" describe and are not tasks, a bare "Nội dung" holds the
//! plan's work; a "Kinh phí …:" sub-heading's passive sentence is not a task; a heading that
//! addresses a body ("Đối với …") gives it the duties under it; a sentence that gives work to
//! a body in a section outside the plan's work is still a task, one per sentence; a long
//! group heading over "-" items is their topic; an appendix that is a form to fill in ("Đề
//! cương báo cáo") sets no work; a decision is read article by article ("Điều 2. Giao Sở X …").

mod common;

use common::process_text as run;

fn texts(doc: &kehoach::Document) -> Vec<String> {
    doc.tasks.iter().map(|t| t.text.clone()).collect()
}

fn has(doc: &kehoach::Document, start: &str) -> bool {
    doc.tasks.iter().any(|t| t.text.starts_with(start))
}

const TOPIC: &str = "\
ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
Số: 31/KH-UBND
Phú Yên, ngày 05 tháng 3 năm 2026

KẾ HOẠCH
Tuyên truyền về chuyển đổi số năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ và người dân về chuyển đổi số.
II. ĐỐI TƯỢNG, NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN
1. Đối tượng tuyên truyền
Cán bộ, công chức và người dân trên địa bàn tỉnh.
2. Nội dung tuyên truyền
a) Tuyên truyền về lợi ích của dịch vụ công trực tuyến đối với người dân.
b) Giới thiệu các mô hình chuyển đổi số tiêu biểu ở cơ sở.
3. Hình thức tuyên truyền
a) Thông qua báo chí, hệ thống loa truyền thanh cơ sở.
III. NỘI DUNG THỰC HIỆN
1. Xây dựng chuyên mục chuyển đổi số trên Cổng thông tin điện tử tỉnh.
2. Tổ chức hội nghị tập huấn kỹ năng số cho cán bộ cấp xã.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ
- Chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch.
";

#[test]
fn the_items_of_a_topic_heading_are_not_tasks_but_a_bare_content_heading_holds_work() {
    let doc = run(TOPIC);
    let t = texts(&doc);
    // "Nội dung tuyên truyền" and "Hình thức tuyên truyền" say what is propagated and how.
    assert!(!has(&doc, "Tuyên truyền về lợi ích"), "{t:?}");
    assert!(!has(&doc, "Giới thiệu các mô hình"), "{t:?}");
    assert!(!has(&doc, "Thông qua báo chí"), "{t:?}");
    // "Nội dung thực hiện" is the plan's work.
    assert!(has(&doc, "Xây dựng chuyên mục chuyển đổi số"), "{t:?}");
    assert!(has(&doc, "Tổ chức hội nghị tập huấn"), "{t:?}");
    assert!(has(&doc, "Chủ trì theo dõi, đôn đốc"), "{t:?}");
}

const INSPECTION: &str = "\
SỞ XÂY DỰNG
ĐOÀN KIỂM TRA
Số: 12/KH-ĐKT
Bình Định, ngày 20 tháng 4 năm 2026

KẾ HOẠCH
Kiểm tra an toàn công trình xây dựng năm 2026

1. Mục tiêu
- Đánh giá việc chấp hành quy định về an toàn trong thi công.
2. Nội dung kiểm tra
a) Kiểm tra hồ sơ pháp lý của công trình.
b) Kiểm tra thực địa tại công trường.
3. Phân công nhiệm vụ
3.1. Bà Lê Thị Hoa - Trưởng đoàn: Phụ trách chung, ký biên bản kiểm tra.
4. Nguồn lực cho hoạt động kiểm tra
4.1. Kinh phí cho hoạt động kiểm tra của Đoàn: Được bảo đảm từ nguồn chi thường xuyên của Sở.
4.2. Phương tiện đi lại: Xe ô tô do Văn phòng Sở bố trí.
5. Các vấn đề khác
5.1. Đối với các đơn vị được kiểm tra: Chuẩn bị hồ sơ, tài liệu theo nội dung kiểm tra.
5.2. Đối với cá nhân vi phạm: Bị xử lý theo quy định của pháp luật.
";

#[test]
fn a_funding_label_yields_no_task_and_an_addressed_body_gets_its_duties() {
    let doc = run(INSPECTION);
    let t = texts(&doc);
    assert!(!has(&doc, "Kiểm tra hồ sơ pháp lý"), "{t:?}");
    assert!(!has(&doc, "Được bảo đảm"), "{t:?}");
    assert!(!t.iter().any(|x| x.contains("Được bảo đảm")), "{t:?}");
    // The passive sentence that names its agent is that body's.
    let car = doc
        .tasks
        .iter()
        .find(|x| x.text.contains("Xe ô tô"))
        .unwrap_or_else(|| panic!("{t:?}"));
    assert_eq!(car.lead.as_deref(), Some("Văn phòng Sở"));
    let prepare = doc
        .tasks
        .iter()
        .find(|x| x.text.contains("Chuẩn bị hồ sơ"))
        .unwrap_or_else(|| panic!("{t:?}"));
    assert_eq!(prepare.lead.as_deref(), Some("các đơn vị được kiểm tra"));
    // "Đối với cá nhân vi phạm" addresses no body.
    assert!(!t.iter().any(|x| x.contains("Bị xử lý")), "{t:?}");
}

const OUTSIDE_WORK: &str = "\
ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
Số: 44/KH-UBND
Quảng Trị, ngày 02 tháng 3 năm 2026

KẾ HOẠCH
Phát động thi đua chuyển đổi số năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Phong trào thi đua phải được tổ chức sâu rộng, thiết thực.
II. TIÊU CHUẨN KHEN THƯỞNG
1. Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh
Tập thể dẫn đầu phong trào trong năm.
2. Giấy khen của cấp sở
Căn cứ Kế hoạch này, các sở, ban, ngành chủ động ban hành tiêu chí khen thưởng theo thẩm quyền.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ theo dõi, tổng hợp kết quả phong trào.
";

#[test]
fn a_sentence_giving_work_to_a_body_counts_outside_the_plans_work_sections() {
    let doc = run(OUTSIDE_WORK);
    let t = texts(&doc);
    let set = doc
        .tasks
        .iter()
        .find(|x| x.text.contains("ban hành tiêu chí khen thưởng"))
        .unwrap_or_else(|| panic!("{t:?}"));
    assert!(
        set.lead
            .as_deref()
            .is_some_and(|l| l.starts_with("các sở, ban, ngành")),
        "{:?}",
        set.lead
    );
    // Criteria and a requirement are not work.
    assert!(!t.iter().any(|x| x.contains("Tập thể dẫn đầu")), "{t:?}");
    assert!(
        !t.iter().any(|x| x.contains("Phong trào thi đua phải")),
        "{t:?}"
    );
    assert!(has(&doc, "Sở Nội vụ theo dõi"), "{t:?}");
}

const GROUPS_AND_FORM: &str = "\
SỞ CÔNG THƯƠNG
Số: 77/KH-SCT
Gia Lai, ngày 14 tháng 5 năm 2026

KẾ HOẠCH
Phát triển công nghiệp chế biến giai đoạn 2026 - 2030

I. NHIỆM VỤ TRỌNG TÂM
1. Nâng cao năng lực chế biến sâu nông sản, phát triển công nghiệp hỗ trợ và thu hút đầu tư có chọn lọc
- Tham mưu xây dựng danh mục dự án chế biến ưu tiên thu hút đầu tư.
- Hướng dẫn doanh nghiệp đổi mới thiết bị, công nghệ.
Đơn vị chủ trì: Phòng Quản lý Công nghiệp.
II. CHẾ ĐỘ BÁO CÁO
Các phòng, đơn vị báo cáo kết quả về Phòng Kế hoạch - Tài chính trước ngày 20 hằng tháng. Phòng Kế hoạch - Tài chính tổng hợp, báo cáo Giám đốc Sở.
Định kỳ 6 tháng, hàng năm, Sở Công Thương tổ chức sơ kết việc thực hiện Kế hoạch.

Nơi nhận:
- UBND tỉnh;
- Lưu: VT, CN.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Văn Bình

Phụ lục 01
ĐỀ CƯƠNG BÁO CÁO KẾT QUẢ THỰC HIỆN
I. Kết quả thực hiện
1. Công tác chỉ đạo, điều hành của đơn vị
2. Kết quả thực hiện các nhiệm vụ: Nêu cụ thể từng nhiệm vụ đã hoàn thành.
II. Phương hướng, nhiệm vụ thời gian tới
1. Nhiệm vụ trọng tâm: Các giải pháp để hoàn thành chỉ tiêu còn thấp.
";

#[test]
fn a_group_topic_a_report_paragraph_and_a_form_to_fill_in() {
    let doc = run(GROUPS_AND_FORM);
    let t = texts(&doc);
    // The group's heading is its topic; its items are the tasks.
    assert!(!has(&doc, "Nâng cao năng lực chế biến sâu"), "{t:?}");
    assert!(has(&doc, "Tham mưu xây dựng danh mục"), "{t:?}");
    // Each sentence of the reporting paragraph gives its own body work.
    let lead_of = |part: &str| {
        doc.tasks
            .iter()
            .find(|x| x.text.contains(part))
            .unwrap_or_else(|| panic!("{part:?} in {t:?}"))
            .lead
            .clone()
    };
    assert_eq!(
        lead_of("báo cáo kết quả về Phòng").as_deref(),
        Some("Các phòng, đơn vị")
    );
    assert_eq!(
        lead_of("tổng hợp, báo cáo Giám đốc Sở").as_deref(),
        Some("Phòng Kế hoạch - Tài chính")
    );
    assert_eq!(lead_of("tổ chức sơ kết").as_deref(), Some("Sở Công Thương"));
    // The report outline in the appendix is a form, not work.
    assert!(
        !t.iter().any(|x| x.contains("Nêu cụ thể từng nhiệm vụ")),
        "{t:?}"
    );
    assert!(
        !t.iter().any(|x| x.contains("Các giải pháp để hoàn thành")),
        "{t:?}"
    );
    assert!(!has(&doc, "Công tác chỉ đạo, điều hành"), "{t:?}");
}

const DECISION: &str = "\
ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 415/QĐ-UBND
Hà Giang, ngày 11 tháng 3 năm 2026

QUYẾT ĐỊNH
Ban hành Kế hoạch chuyển đổi số năm 2026

ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/02/2025;
Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.

QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.
Điều 2. Giao Sở Khoa học và Công nghệ chủ trì tổ chức triển khai Kế hoạch; tổng hợp, báo cáo kết quả trước ngày 15/12/2026.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
Chánh Văn phòng UBND tỉnh, Giám đốc các sở, ngành và Chủ tịch UBND các xã chịu trách nhiệm thi hành Quyết định này./.
";

#[test]
fn a_decision_is_read_article_by_article() {
    let doc = run(DECISION);
    let paths: Vec<&str> = doc.sections.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["Điều 1", "Điều 2", "Điều 3"], "{paths:?}");
    let t = texts(&doc);
    assert_eq!(doc.tasks.len(), 1, "{t:?}");
    let task = &doc.tasks[0];
    assert_eq!(task.section.as_deref(), Some("Điều 2"));
    assert_eq!(task.lead.as_deref(), Some("Sở Khoa học và Công nghệ"));
    assert_eq!(
        task.deadline.as_ref().and_then(|d| d.end.as_deref()),
        Some("2026-12-15")
    );
}
