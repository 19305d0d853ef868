//! Plans laid out in ways the samples are not, each written by hand for these tests (no seed or
//! real document was copied, and none of these texts is used to tune anything): headings in
//! capitals without labels, a section of legal bases, the plan's year as the context of its
//! targets and deadlines, an issuer whose place is missing from the header, and the signer block
//! of a committee.

mod common;

use common::process_text as run;
use kehoach::Document;
use kehoach::contract::{DeadlineKind, SectionKind};

fn codes(doc: &Document) -> Vec<&str> {
    doc.warnings.iter().map(|w| w.code.as_str()).collect()
}

/// Headings in capitals on their own lines, no labels; a table of targets by year under one;
/// a plan "năm 2025" dated in December 2024; a committee's signer block.
const UNLABELLED: &str = "\
HỘI CỰU CHIẾN BINH HUYỆN YÊN LẠC
Số: 21-KH/CCB
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Yên Lạc, ngày 18 tháng 12 năm 2024

KẾ HOẠCH
Phát triển hội viên và xây dựng quỹ hội năm 2025

Thực hiện Nghị quyết số 07-NQ/CCB ngày 02/11/2024 của Ban Chấp hành Hội Cựu chiến binh tỉnh, Ban Thường vụ Hội Cựu chiến binh huyện xây dựng kế hoạch như sau:

MỤC ĐÍCH, YÊU CẦU

Nâng cao chất lượng sinh hoạt của các chi hội, bảo đảm mọi hoạt động của Hội đúng Điều lệ.

CHỈ TIÊU PHẤN ĐẤU

Phấn đấu 95% chi hội đạt danh hiệu vững mạnh.

| Chỉ tiêu | 2025 | 2026 |
| Số hội viên kết nạp mới | 120 | 150 |

NHIỆM VỤ VÀ GIẢI PHÁP

1. Ban Thường vụ Hội huyện chỉ đạo các chi hội rà soát danh sách hội viên, hoàn thành trước ngày 30/6.

2. Các chi hội vận động hội viên đóng góp quỹ hội từ ngày 15/5 đến ngày 15/7/2025.

TỔ CHỨC THỰC HIỆN

Văn phòng Hội huyện theo dõi, tổng hợp kết quả, báo cáo Ban Thường vụ.

Nơi nhận:
- Thường trực Hội Cựu chiến binh tỉnh;
- Thường trực Huyện ủy;
Lưu: VT, VP.

TM. BAN THƯỜNG VỤ
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH THƯỜNG TRỰC



Trần Minh Khôi
";

#[test]
fn headings_in_capitals_without_labels_make_the_section_tree() {
    let doc = run(UNLABELLED);
    let top: Vec<(&str, SectionKind)> = doc
        .sections
        .iter()
        .map(|s| (s.heading.as_str(), s.kind))
        .collect();
    assert_eq!(
        top,
        vec![
            ("MỤC ĐÍCH, YÊU CẦU", SectionKind::Purpose),
            ("CHỈ TIÊU PHẤN ĐẤU", SectionKind::Objectives),
            ("NHIỆM VỤ VÀ GIẢI PHÁP", SectionKind::Tasks),
            ("TỔ CHỨC THỰC HIỆN", SectionKind::Implementation),
        ]
    );
    // Paths are distinct, so targets and tasks can name their section.
    let paths: std::collections::HashSet<&str> =
        doc.sections.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths.len(), 4);
    // The title stops before the first heading.
    assert_eq!(
        doc.document.title.as_deref(),
        Some("Phát triển hội viên và xây dựng quỹ hội năm 2025")
    );
    // The table of targets by year sits in the objectives section, one target per year.
    let objectives = &doc.sections[1].path;
    let by_year: Vec<(f64, Option<i32>)> = doc
        .targets
        .iter()
        .filter(|t| t.indicator.contains("hội viên kết nạp"))
        .map(|t| (t.value, t.year))
        .collect();
    assert_eq!(by_year, vec![(120.0, Some(2025)), (150.0, Some(2026))]);
    assert!(
        doc.targets
            .iter()
            .filter(|t| t.indicator.contains("hội viên kết nạp"))
            .all(|t| t.section.as_ref() == Some(objectives))
    );
    // Tasks come from the task section, not from the purpose section.
    assert_eq!(doc.tasks.len(), 3, "{:#?}", doc.tasks);
}

#[test]
fn the_plans_year_is_the_context_of_targets_and_deadlines() {
    let doc = run(UNLABELLED);
    // Dated December 2024, the plan is for 2025: its title says so.
    let share = doc
        .targets
        .iter()
        .find(|t| t.value == 95.0)
        .expect("the 95% target");
    assert_eq!(share.year, Some(2025));
    let before = doc
        .deadlines
        .iter()
        .find(|d| d.text.contains("30/6"))
        .expect("trước ngày 30/6");
    assert_eq!(before.kind, DeadlineKind::Before);
    assert_eq!(before.end.as_deref(), Some("2025-06-30"));
    let range = doc
        .deadlines
        .iter()
        .find(|d| d.kind == DeadlineKind::Range)
        .expect("từ ngày 15/5 đến ngày 15/7/2025");
    assert_eq!(
        (range.start.as_deref(), range.end.as_deref()),
        (Some("2025-05-15"), Some("2025-07-15"))
    );
}

#[test]
fn a_committees_signer_block_and_a_storage_line() {
    let doc = run(UNLABELLED);
    let signer = doc.document.signer.as_ref().expect("a signer");
    assert_eq!(signer.authority, vec!["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH"]);
    assert_eq!(signer.position.as_deref(), Some("Phó Chủ tịch Thường trực"));
    assert_eq!(signer.name.as_deref(), Some("Trần Minh Khôi"));
    // `Lưu: VT, VP.` belongs to the recipients block (it is not sent to anyone).
    assert_eq!(
        doc.document.recipients,
        vec![
            "Thường trực Hội Cựu chiến binh tỉnh",
            "Thường trực Huyện ủy"
        ]
    );
}

/// A section of legal bases, one basis cited without `số`, one inside a `Thực hiện …` sentence.
const LEGAL_SECTION: &str = "\
SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                   Độc lập - Tự do - Hạnh phúc
Số: 88/KH-SNNMT                    Kỳ Sơn, ngày 05 tháng 3 năm 2025

KẾ HOẠCH
Phòng, chống dịch bệnh trên đàn gia súc năm 2025

I. CĂN CỨ XÂY DỰNG KẾ HOẠCH
1. Luật Thú y ngày 19 tháng 6 năm 2015.
2. Thông tư 05/2022/TT-BNNPTNT ngày 25/7/2022 của Bộ Nông nghiệp và Phát triển nông thôn hướng dẫn phòng, chống dịch bệnh động vật.
3. Quyết định số 312/QĐ-UBND ngày 14/02/2025 của Ủy ban nhân dân tỉnh về kinh phí phòng, chống dịch năm 2025.
II. MỤC ĐÍCH, YÊU CẦU
Thực hiện Chỉ thị 16/CT-TTg ngày 18/4/2024 của Thủ tướng Chính phủ, chủ động phòng dịch, không để dịch lây lan diện rộng.
III. NHIỆM VỤ
1. Chi cục Chăn nuôi và Thú y tổ chức tiêm phòng vắc xin lở mồm long móng đợt 1, hoàn thành trước ngày 30/4/2025.
2. Các phòng chuyên môn hướng dẫn các xã giám sát dịch bệnh.
";

#[test]
fn a_section_of_legal_bases_is_read_as_legal_bases() {
    let doc = run(LEGAL_SECTION);
    assert_eq!(doc.sections[0].kind, SectionKind::LegalBases);
    assert_eq!(doc.sections[1].kind, SectionKind::Purpose);
    assert_eq!(doc.sections[2].kind, SectionKind::Tasks);
    let bases: Vec<(Option<&str>, Option<&str>, Option<&str>)> = doc
        .legal_bases
        .iter()
        .map(|b| {
            (
                b.doc_type.as_deref(),
                b.number.as_deref(),
                b.date.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        bases,
        vec![
            (Some("Luật"), None, Some("2015-06-19")),
            (
                Some("Thông tư"),
                Some("05/2022/TT-BNNPTNT"),
                Some("2022-07-25")
            ),
            (Some("Quyết định"), Some("312/QĐ-UBND"), Some("2025-02-14")),
            (Some("Chỉ thị"), Some("16/CT-TTg"), Some("2024-04-18")),
        ]
    );
    assert_eq!(
        doc.legal_bases[1].issuer.as_deref(),
        Some("Bộ Nông nghiệp và Phát triển nông thôn")
    );
    // The bases are no tasks; the two tasks are.
    assert_eq!(doc.tasks.len(), 2, "{:#?}", doc.tasks);
}

/// The header's second line (the province) is missing.
const NO_PROVINCE: &str = "\
ỦY BAN NHÂN DÂN TỈNH                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                     Độc lập - Tự do - Hạnh phúc
Số: 140/KH-UBND                      Bắc Kạn, ngày 12 tháng 5 năm 2025

KẾ HOẠCH
Tổ chức Ngày hội đọc sách năm 2025

I. MỤC ĐÍCH
Khơi dậy phong trào đọc sách trong thanh thiếu niên.
II. NHIỆM VỤ
1. Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức Ngày hội đọc sách tại thư viện tỉnh.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hoàng Thị Lan
";

#[test]
fn an_issuer_without_its_place_is_completed_from_the_place_line() {
    let doc = run(NO_PROVINCE);
    assert_eq!(
        doc.document.issuer.as_deref(),
        Some("Ủy ban nhân dân tỉnh Bắc Kạn")
    );
    assert!(
        codes(&doc).contains(&"issuer_from_place"),
        "{:?}",
        codes(&doc)
    );
    assert!(
        doc.review
            .iter()
            .any(|r| r.field == "document.issuer" && r.reason == "issuer_completed")
    );
}

#[test]
fn without_a_place_line_the_title_completes_the_issuer() {
    let text = NO_PROVINCE.replace("Bắc Kạn, ngày", "ngày").replace(
        "năm 2025\n\nI.",
        "năm 2025 trên địa bàn tỉnh Cao Bằng\n\nI.",
    );
    let doc = run(&text);
    assert_eq!(
        doc.document.issuer.as_deref(),
        Some("Ủy ban nhân dân tỉnh Cao Bằng")
    );
    assert!(codes(&doc).contains(&"issuer_from_place"));
}

#[test]
fn the_chairmans_authority_is_not_the_issuer() {
    // No issuer in the header; the preamble names the chairman, whose body issues the plan.
    let text = NO_PROVINCE.replace("ỦY BAN NHÂN DÂN TỈNH ", "").replace(
        "năm 2025\n\nI.",
        "năm 2025\n\nThực hiện Kết luận số 14-KL/TU ngày 03/3/2025 của Ban Thường vụ Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn ban hành Kế hoạch như sau:\n\nI.",
    );
    let doc = run(&text);
    assert_eq!(
        doc.document.issuer.as_deref(),
        Some("Ủy ban nhân dân tỉnh Bắc Kạn")
    );
    // A header whose issuer names its place needs no completion.
    let full = run(&NO_PROVINCE.replace(
        "ỦY BAN NHÂN DÂN TỈNH                 CỘNG",
        "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN         CỘNG",
    ));
    assert_eq!(
        full.document.issuer.as_deref(),
        Some("Ủy ban nhân dân tỉnh Bắc Kạn")
    );
    assert!(!codes(&full).contains(&"issuer_from_place"));
}

#[test]
fn a_law_cited_by_name_then_number() {
    let text = LEGAL_SECTION.replace(
        "1. Luật Thú y ngày 19 tháng 6 năm 2015.",
        "1. Luật Chăn nuôi số 32/2018/QH14 ngày 19/11/2018.",
    );
    let doc = run(&text);
    let law = &doc.legal_bases[0];
    assert_eq!(
        (
            law.doc_type.as_deref(),
            law.number.as_deref(),
            law.date.as_deref(),
            law.title.as_deref()
        ),
        (
            Some("Luật"),
            Some("32/2018/QH14"),
            Some("2018-11-19"),
            Some("Chăn nuôi")
        )
    );
}

#[test]
fn a_signer_block_before_the_recipients() {
    // The right column (signer) flattened before the left one (recipients).
    let closing = "Nơi nhận:\n- Thường trực Hội Cựu chiến binh tỉnh;\n- Thường trực Huyện ủy;\nLưu: VT, VP.\n\nTM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH THƯỜNG TRỰC\n\n\n\nTrần Minh Khôi\n";
    let moved = "TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH THƯỜNG TRỰC\n\n\n\nTrần Minh Khôi\n\nNơi nhận:\n- Thường trực Hội Cựu chiến binh tỉnh;\n- Thường trực Huyện ủy;\n- Lưu: VT, VP.\n";
    assert!(UNLABELLED.ends_with(closing));
    let doc = run(&UNLABELLED.replace(closing, moved));
    let signer = doc.document.signer.as_ref().expect("a signer");
    assert_eq!(signer.authority, vec!["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH"]);
    assert_eq!(signer.name.as_deref(), Some("Trần Minh Khôi"));
    assert_eq!(
        doc.document.recipients,
        vec![
            "Thường trực Hội Cựu chiến binh tỉnh",
            "Thường trực Huyện ủy"
        ]
    );
}
