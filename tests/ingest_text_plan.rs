//! An office ingests text plans: the real binary on the samples and on plans written here in
//! other layouts, checked field by field against what the plans say.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn kehoach() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Ingest one text with `--stdout` and return its document.
fn ingest_text(name: &str, text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    let out = kehoach()
        .args(["ingest", "--stdout"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn s<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    path.split('.')
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
}

/// `text[span]`, in chars, as the contract defines spans.
fn at(doc: &Value, span: &Value) -> String {
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    doc["text"]
        .as_str()
        .unwrap()
        .chars()
        .skip(a)
        .take(b - a)
        .collect()
}

fn top_sections(doc: &Value) -> Vec<(String, String, String)> {
    doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["label"].as_str().unwrap().into(),
                x["heading"].as_str().unwrap().into(),
                x["kind"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn the_samples_become_documents_that_validate_against_the_schema() {
    let out_dir = tempfile::tempdir().unwrap();
    let run = kehoach()
        .arg("ingest")
        .arg(samples())
        .arg("-o")
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let schema: Value =
        serde_json::from_slice(&kehoach().arg("schema").output().unwrap().stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let index = std::fs::read_to_string(out_dir.path().join("index.jsonl")).unwrap();
    let rows: Vec<Value> = index
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 5);
    for row in &rows {
        assert_eq!(row["status"], "ok", "{row}");
        assert_eq!(row["sha256"].as_str().unwrap().len(), 64);
        let doc: Value = serde_json::from_slice(
            &std::fs::read(out_dir.path().join(row["output"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", row["path"]);
        assert_eq!(doc["schema_version"], "1");
        // Spans of sections start at their label.
        fn walk(doc: &Value, secs: &Value) {
            for sec in secs.as_array().unwrap() {
                let text = at(doc, &sec["span"])
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    text.contains(sec["heading"].as_str().unwrap()),
                    "{text:?} lacks {}",
                    sec["heading"]
                );
                walk(doc, &sec["children"]);
            }
        }
        walk(&doc, &doc["sections"]);
        // No export artefact leaks into the text.
        assert!(!doc["text"].as_str().unwrap().contains("**"));
    }
}

#[test]
fn sample_metadata_read_from_the_plans() {
    let read = |name: &str| {
        let out = kehoach()
            .args(["ingest", "--stdout"])
            .arg(samples().join(name))
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let d = read("000_732835b40a51f2bd.txt");
    assert_eq!(s(&d, "document.type"), Some("Kế hoạch"));
    assert_eq!(s(&d, "document.number"), Some("01/KH-HKH"));
    assert_eq!(s(&d, "document.number_suffix"), Some("KH-HKH"));
    assert_eq!(s(&d, "document.date"), Some("2023-02-06"));
    assert_eq!(s(&d, "document.place"), Some("Tân Văn"));
    assert_eq!(
        s(&d, "document.parent_issuer"),
        Some("Ủy ban nhân dân xã Tân Văn")
    );
    assert_eq!(s(&d, "document.issuer"), Some("Hội Khuyến học xã Tân Văn"));
    assert_eq!(
        s(&d, "document.title"),
        Some("Thực hiện nhiệm vụ khuyến học, khuyến tài, xây dựng xã hội học tập năm 2023")
    );
    assert_eq!(s(&d, "document.signer.position"), Some("Chủ tịch"));
    let kinds: Vec<String> = top_sections(&d).into_iter().map(|t| t.2).collect();
    assert_eq!(kinds, ["objectives", "tasks", "tasks", "implementation"]);
    assert_eq!(d["legal_bases"][0]["number"], "10/KH-HKH");
    assert_eq!(d["legal_bases"][0]["date"], "2023-01-29");
    assert_eq!(
        d["legal_bases"][0]["issuer"],
        "Hội Khuyến học huyện Bình Gia"
    );

    // Number left blank, day left blank, no issuer in the header: the preamble names it.
    let d = read("001_b2e56a1b177cb02b.txt");
    assert_eq!(d["document"]["number"], Value::Null);
    assert_eq!(s(&d, "document.number_suffix"), Some("KH-UBND"));
    assert_eq!(s(&d, "document.date"), Some("2022-06"));
    assert_eq!(s(&d, "document.issuer"), Some("Ủy ban nhân dân xã Y Tịch"));
    assert_eq!(s(&d, "document.signer.name"), Some("Mai Việt Lào"));
    assert_eq!(s(&d, "document.signer.position"), Some("Phó Chủ tịch"));
    let top = top_sections(&d);
    assert_eq!(
        top[2],
        ("III".into(), "KINH PHÍ THỰC HIỆN".into(), "budget".into())
    );
    assert!(
        d["document"]["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "Lãnh đạo HĐND xã")
    );
    // The archive line (`- Lưu: VT, …`) is the recipients' last (issue 24).
    assert!(
        d["document"]["recipients"]
            .as_array()
            .unwrap()
            .last()
            .is_some_and(|r| r.as_str().unwrap().starts_with("Lưu"))
    );

    // Markdown bold around header and title; lettered sections.
    let d = read("002_f68a9bf2efd8d56f.txt");
    assert_eq!(
        s(&d, "document.issuer"),
        Some("Hội Khuyến học quận Long Biên")
    );
    assert_eq!(s(&d, "document.date"), Some("2021-01-19"));
    assert_eq!(
        s(&d, "document.title"),
        Some("Hoạt động của Hội Khuyến học quận Long Biên năm 2021")
    );
    assert_eq!(s(&d, "document.signer.name"), Some("Đinh Thị Thu Hương"));
    let top = top_sections(&d);
    assert_eq!(
        top,
        [
            ("A".into(), "MỤC ĐÍCH, YÊU CẦU".into(), "purpose".into()),
            (
                "B".into(),
                "CÁC CHỈ TIÊU CƠ BẢN".into(),
                "objectives".into()
            ),
            ("C".into(), "NỘI DUNG VÀ BIỆN PHÁP".into(), "tasks".into()),
            (
                "D".into(),
                "TỔ CHỨC THỰC HIỆN".into(),
                "implementation".into()
            ),
        ]
    );
    let bases: Vec<&str> = d["legal_bases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["number"].as_str())
        .collect();
    assert!(
        bases.contains(&"11/CT-TW") && bases.contains(&"489/QĐ-TTg"),
        "{bases:?}"
    );

    let d = read("003_bf4465922405889e.txt");
    assert_eq!(
        s(&d, "document.issuer"),
        Some("Ủy ban nhân dân huyện Vĩnh Bảo")
    );
    assert_eq!(s(&d, "document.signer.name"), Some("Lê Ngọc Lân"));
    let b = d["legal_bases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["number"] == "1373/QĐ-TTg")
        .unwrap();
    assert_eq!(b["type"], "Quyết định");
    assert_eq!(b["date"], "2021-07-30");
    assert_eq!(b["issuer"], "Thủ tướng Chính phủ");
    assert!(at(&d, &b["span"]).starts_with("Quyết định số 1373/QĐ-TTg"));
}

#[test]
fn lettered_sections_under_a_header_flattened_into_one_line() {
    let plan = "\
SỞ Y TẾ TỈNH AN GIANG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM    Độc lập - Tự do - Hạnh phúc    Số: 88/KH-SYT    An Giang, ngày 15 tháng 3 năm 2025
KẾ HOẠCH
Phòng, chống dịch bệnh mùa mưa năm 2025
Căn cứ Quyết định số 1234/QĐ-BYT ngày 02/01/2025 của Bộ Y tế về việc ban hành hướng dẫn phòng bệnh;
A. MỤC ĐÍCH
1. Chủ động phòng bệnh
- Giảm số ca mắc so với năm trước.
B. NỘI DUNG HOẠT ĐỘNG
I. Truyền thông
- In tờ rơi.
II. Giám sát
- Giám sát tại cộng đồng.
C. NGUỒN KINH PHÍ
Ngân sách tỉnh.
D. PHÂN CÔNG THỰC HIỆN
1. Trung tâm Kiểm soát bệnh tật
- Chủ trì giám sát.
Nơi nhận:
- Bộ Y tế;
- Lưu: VT.
GIÁM ĐỐC
Trần Văn Bình
";
    let d = ingest_text("kh.txt", plan);
    assert_eq!(s(&d, "document.number"), Some("88/KH-SYT"));
    assert_eq!(s(&d, "document.date"), Some("2025-03-15"));
    assert_eq!(s(&d, "document.place"), Some("An Giang"));
    assert_eq!(s(&d, "document.issuer"), Some("Sở Y tế tỉnh An Giang"));
    assert_eq!(
        s(&d, "document.title"),
        Some("Phòng, chống dịch bệnh mùa mưa năm 2025")
    );
    assert_eq!(s(&d, "document.signer.name"), Some("Trần Văn Bình"));
    assert_eq!(s(&d, "document.signer.position"), Some("Giám đốc"));
    assert_eq!(
        d["document"]["recipients"],
        serde_json::json!(["Bộ Y tế", "Lưu: VT"])
    );
    let top = top_sections(&d);
    let kinds: Vec<&str> = top.iter().map(|t| t.2.as_str()).collect();
    assert_eq!(kinds, ["purpose", "tasks", "budget", "implementation"]);
    // Roman numerals under a letter nest below it.
    let b = &d["sections"][1];
    let children: Vec<&str> = b["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["B.I", "B.II"]);
    let basis = &d["legal_bases"][0];
    assert_eq!(basis["type"], "Quyết định");
    assert_eq!(basis["number"], "1234/QĐ-BYT");
    assert_eq!(basis["date"], "2025-01-02");
    assert_eq!(basis["issuer"], "Bộ Y tế");
}

#[test]
fn a_pipe_separated_header_table() {
    let plan = "\
| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
| PHƯỜNG BẾN THÀNH | Độc lập - Tự do - Hạnh phúc |
| Số: 12/KH-UBND | Quận 1, ngày 9 tháng 10 năm 2023 |

KẾ HOẠCH
Tổ chức Ngày hội đọc sách
năm 2023

I. MỤC ĐÍCH, YÊU CẦU
Nâng cao văn hóa đọc.
II. THỜI GIAN, ĐỊA ĐIỂM
Ngày 20/10/2023 tại nhà văn hóa.
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng UBND phường: chuẩn bị hội trường.
";
    let d = ingest_text("bt.txt", plan);
    assert_eq!(
        s(&d, "document.issuer"),
        Some("Ủy ban nhân dân phường Bến Thành")
    );
    assert_eq!(s(&d, "document.number"), Some("12/KH-UBND"));
    assert_eq!(s(&d, "document.place"), Some("Quận 1"));
    assert_eq!(s(&d, "document.date"), Some("2023-10-09"));
    assert_eq!(
        s(&d, "document.title"),
        Some("Tổ chức Ngày hội đọc sách năm 2023")
    );
    let kinds: Vec<String> = top_sections(&d).into_iter().map(|t| t.2).collect();
    assert_eq!(kinds, ["purpose", "schedule", "implementation"]);
    // A run-in heading: the heading is the part before the colon.
    assert_eq!(
        d["sections"][2]["children"][0]["heading"],
        "Văn phòng UBND phường"
    );
}

#[test]
fn a_plan_with_no_number_and_parts_in_words() {
    let plan = "\
HỘI NÔNG DÂN XÃ PHÚ AN
KẾ HOẠCH
Về việc hỗ trợ hội viên chuyển đổi số
PHẦN I. MỤC TIÊU
1. Mục tiêu chung: Hội viên biết dùng điện thoại thông minh.
PHẦN II. NHIỆM VỤ TRỌNG TÂM
1. Mở lớp tập huấn.
PHẦN III. KINH PHÍ THỰC HIỆN
Từ quỹ hội.
";
    let d = ingest_text("hnd.txt", plan);
    assert_eq!(d["document"]["number"], Value::Null);
    assert_eq!(d["document"]["date"], Value::Null);
    assert_eq!(s(&d, "document.issuer"), Some("Hội Nông dân xã Phú An"));
    assert_eq!(
        s(&d, "document.title"),
        Some("Về việc hỗ trợ hội viên chuyển đổi số")
    );
    let top = top_sections(&d);
    assert_eq!(
        top.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        ["I", "II", "III"]
    );
    assert_eq!(
        top.iter().map(|t| t.2.as_str()).collect::<Vec<_>>(),
        ["objectives", "tasks", "budget"]
    );
    assert_eq!(d["sections"][0]["children"][0]["heading"], "Mục tiêu chung");
}

#[test]
fn utf16_and_windows_1258_files_read_like_utf8() {
    let plan = "UBND HUYỆN A\nSố: 3/KH-UBND\nA, ngày 1 tháng 2 năm 2024\nKẾ HOẠCH\nThử nghiệm\nI. MỤC TIÊU\n- Đạt chuẩn.\n";
    let dir = tempfile::tempdir().unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in plan.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.path().join("a.txt"), &utf16).unwrap();
    let out = kehoach()
        .args(["ingest", "--stdout"])
        .arg(dir.path().join("a.txt"))
        .output()
        .unwrap();
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s(&d, "source.encoding"), Some("utf-16"));
    assert_eq!(s(&d, "document.number"), Some("3/KH-UBND"));
    assert_eq!(s(&d, "document.date"), Some("2024-02-01"));
}

#[test]
fn bad_inputs_fail_alone_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    std::fs::write(
        input.join("noise.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 255, 0, 7].repeat(50),
    )
    .unwrap();
    std::fs::copy(
        samples().join("003_bf4465922405889e.txt"),
        input.join("good.txt"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = kehoach()
        .arg("ingest")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("empty.txt") && stderr.contains("noise.txt"),
        "{stderr}"
    );
    let rows: Vec<Value> = std::fs::read_to_string(out.join("index.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    assert_eq!(row("empty.txt")["status"], "failed");
    assert!(
        row("empty.txt")["error"]
            .as_str()
            .unwrap()
            .contains("empty")
    );
    assert_eq!(row("noise.txt")["status"], "failed");
    assert_eq!(row("good.txt")["status"], "ok");
    let good: Value =
        serde_json::from_slice(&std::fs::read(out.join("good.txt.json")).unwrap()).unwrap();
    assert_eq!(
        s(&good, "document.issuer"),
        Some("Ủy ban nhân dân huyện Vĩnh Bảo")
    );
}

#[test]
fn command_line_mistakes_exit_2() {
    // A path that does not exist is that input's failure (exit 1, tests/batch_survives.rs);
    // a command that says nowhere to write is wrong as a whole.
    assert_eq!(
        kehoach()
            .args(["ingest", "/no/such/path"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        kehoach()
            .args(["ingest", "--bogus"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
}
