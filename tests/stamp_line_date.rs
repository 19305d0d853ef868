//! A document issued through an e-office system may carry its date only in the line the signing
//! system stamps ("Số: 7/KH-UBND; 03/02/2026; 09:15:00; +07:00"): that date is the document's
//! when the header leaves its own blank (`stamp_line` in `rules/signatures.toml`). The real
//! annex that has nothing else is in `tests/ingest_esigned_pdf.rs`.

fn date_of(text: &str) -> Option<String> {
    let params = kehoach::Params::default();
    kehoach::process_bytes("t.txt", text.as_bytes(), kehoach::Rules::builtin(), &params)
        .unwrap()
        .document
        .date
}

fn plan(stamp: &str, date: &str) -> String {
    format!(
        "{stamp}\nỦY BAN NHÂN DÂN\nXÃ BÌNH AN\nSố: 7/KH-UBND\nBình An, {date}\nKẾ HOẠCH\n\
         Tổ chức ngày hội đọc sách\nI. MỤC ĐÍCH\n- Khuyến khích đọc sách.\n"
    )
}

#[test]
fn the_stamp_line_dates_a_document_whose_header_does_not() {
    let stamp = "Số: 7/KH-UBND; 03/02/2026; 09:15:00; +07:00";
    assert_eq!(
        date_of(&plan(stamp, "ngày    tháng    năm 2026")).as_deref(),
        Some("2026-02-03")
    );
    assert_eq!(
        date_of(&plan(stamp, "ngày 05 tháng 02 năm 2026")).as_deref(),
        Some("2026-02-05"),
        "the header's own full date stands"
    );
    assert_eq!(
        date_of(&plan(stamp, "ngày    tháng    năm 2027")).as_deref(),
        Some("2027"),
        "a stamp from another year is not this document's"
    );
    // A date and a time without the number before them is not a stamp line.
    assert_eq!(
        date_of(&plan("03/02/2026; 09:15:00", "ngày    tháng    năm 2026")).as_deref(),
        Some("2026")
    );
}
