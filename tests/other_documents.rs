//! A district office's inbox holds công văn, giấy mời, quyết định, thông báo and tờ trình with
//! the plans: each gets its type, number, date, issuer and trích yếu as right as a plan's.
//!
//! The documents are written here in the forms Decree 30/2020/NĐ-CP sets out (no text is taken
//! from a real document); the layouts are those exports give: two columns flattened side by
//! side, or one column after the other.

use kehoach::{Params, Rules};

struct Want {
    doc_type: &'static str,
    number: &'static str,
    date: &'static str,
    issuer: &'static str,
    title: &'static str,
}

fn check(text: &str, want: Want) {
    let doc = kehoach::process_bytes("doc.txt", text.as_bytes(), Rules::builtin(), &{
        let mut p = Params::default();
        p.restore.mode = kehoach::restore::Mode::Off;
        p
    })
    .unwrap();
    let m = &doc.document;
    let got = (
        m.doc_type.as_deref(),
        m.number.as_deref(),
        m.date.as_deref(),
        m.issuer.as_deref(),
        m.title.as_deref(),
    );
    assert_eq!(
        got,
        (
            Some(want.doc_type),
            Some(want.number),
            Some(want.date),
            Some(want.issuer),
            Some(want.title)
        ),
        "{text}"
    );
    assert!(doc.review.is_empty(), "{:?}", doc.review);
}

#[test]
fn a_letter_with_a_subject_line_and_no_type_word_is_a_cong_van() {
    check(
        "UBND TỈNH KHÁNH HÒA          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
         SỞ GIAO THÔNG VẬN TẢI          Độc lập - Tự do - Hạnh phúc\n\n\
         Số: 1543/SGTVT-QLCL          Khánh Hòa, ngày 21 tháng 10 năm 2024\n\
         V/v tăng cường kiểm tra tải trọng\nxe trên các tuyến đường tỉnh\n\n\
         Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố.\n\n\
         Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở đề nghị các địa phương phối hợp.\n\n\
         Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nTrần Văn Bình\n",
        Want {
            doc_type: "Công văn",
            number: "1543/SGTVT-QLCL",
            date: "2024-10-21",
            issuer: "Sở Giao thông vận tải",
            title: "tăng cường kiểm tra tải trọng xe trên các tuyến đường tỉnh",
        },
    );
}

#[test]
fn a_letter_flattened_column_after_column_keeps_its_date_and_subject() {
    // The left column (issuer, number, subject), then the right one (Quốc hiệu, place, date).
    check(
        "ỦY BAN NHÂN DÂN\nXÃ HÒA PHONG\nSố: 88/UBND-VP\nV/v rà soát hộ nghèo năm 2025\n\
         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
         Hòa Phong, ngày 03 tháng 6 năm 2025\n\
         Kính gửi: Trưởng các thôn.\n\
         Để có số liệu báo cáo cấp trên, Ủy ban nhân dân xã đề nghị các thôn rà soát.\n",
        Want {
            doc_type: "Công văn",
            number: "88/UBND-VP",
            date: "2025-06-03",
            issuer: "Ủy ban nhân dân xã Hòa Phong",
            title: "rà soát hộ nghèo năm 2025",
        },
    );
}

#[test]
fn a_giay_moi_has_its_type_and_its_issuer_is_the_body_not_the_type_word() {
    check(
        "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
         HUYỆN ĐẠI LỘC          Độc lập - Tự do - Hạnh phúc\n\n\
         Số: 27/GM-UBND          Đại Lộc, ngày 09 tháng 4 năm 2025\n\n\
         GIẤY MỜI\nHọp bàn phương án phòng chống hạn mặn vụ Hè Thu năm 2025\n\n\
         Ủy ban nhân dân huyện trân trọng kính mời:\n- Lãnh đạo các phòng, ban;\n\
         Thời gian: 14 giờ 00, ngày 11/4/2025.\n",
        Want {
            doc_type: "Giấy mời",
            number: "27/GM-UBND",
            date: "2025-04-09",
            issuer: "Ủy ban nhân dân huyện Đại Lộc",
            title: "Họp bàn phương án phòng chống hạn mặn vụ Hè Thu năm 2025",
        },
    );
}

#[test]
fn quyet_dinh_thong_bao_and_to_trinh_read_like_plans() {
    check(
        "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
         THÀNH PHỐ BẢO LỘC | Độc lập - Tự do - Hạnh phúc\n\
         Số: 412/QĐ-UBND | Bảo Lộc, ngày 15 tháng 02 năm 2025\n\n\
         QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác chuyển đổi số\n\n\
         CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ\n\
         Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n\
         QUYẾT ĐỊNH:\nĐiều 1. Thành lập Tổ công tác.\n",
        Want {
            doc_type: "Quyết định",
            number: "412/QĐ-UBND",
            date: "2025-02-15",
            issuer: "Ủy ban nhân dân thành phố Bảo Lộc",
            title: "Về việc thành lập Tổ công tác chuyển đổi số",
        },
    );
    check(
        "UBND HUYỆN CÁI BÈ          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
         VĂN PHÒNG HĐND VÀ UBND          Độc lập - Tự do - Hạnh phúc\n\
         Số: 35/TB-VP          Cái Bè, ngày 7 tháng 8 năm 2024\n\n\
         THÔNG BÁO\nKết luận của Chủ tịch Ủy ban nhân dân huyện tại cuộc họp giao ban tháng 7\n\n\
         Ngày 05/8/2024, Chủ tịch Ủy ban nhân dân huyện chủ trì cuộc họp giao ban.\n",
        Want {
            doc_type: "Thông báo",
            number: "35/TB-VP",
            date: "2024-08-07",
            issuer: "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
            title: "Kết luận của Chủ tịch Ủy ban nhân dân huyện tại cuộc họp giao ban tháng 7",
        },
    );
    check(
        "SỞ NỘI VỤ          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
         Độc lập - Tự do - Hạnh phúc\n\
         Số: 210/TTr-SNV          Đắk Nông, ngày 30 tháng 9 năm 2025\n\n\
         TỜ TRÌNH\nVề việc phê duyệt kế hoạch đào tạo, bồi dưỡng cán bộ năm 2026\n\n\
         Kính gửi: Ủy ban nhân dân tỉnh.\n",
        Want {
            doc_type: "Tờ trình",
            number: "210/TTr-SNV",
            date: "2025-09-30",
            issuer: "Sở Nội vụ",
            title: "Về việc phê duyệt kế hoạch đào tạo, bồi dưỡng cán bộ năm 2026",
        },
    );
}
