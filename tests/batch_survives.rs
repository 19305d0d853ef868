//! An archivist starts `kehoach ingest` on a big folder and goes home; a district office
//! points it at a mailbox export. Whatever single files hold, the batch finishes, every file
//! gets its outcome in `index.jsonl`, a killed run started again finishes without redoing or
//! duplicating work, and the limits make a bad file that file's error.

mod common;

use common::{email, iconv, kill_when, write_numbered_plans};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kehoach() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
}

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn sample_text(i: usize) -> String {
    std::fs::read_to_string(&samples()[i]).unwrap()
}

fn ingest(args: &[&str], input: &Path, out: &Path) -> Output {
    kehoach()
        .arg("ingest")
        .args(args)
        .arg(input)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

fn rows(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("index.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The last row of the input named `name` (the input itself, not an attachment).
fn row(out: &Path, name: &str) -> Value {
    rows(out)
        .into_iter()
        .rev()
        .find(|r| r["input"] == name && r.get("part").is_none())
        .unwrap_or_else(|| panic!("no index row for {name}"))
}

/// A minimal DOCX: the two-column header as a Word table, then paragraphs.
fn docx(header: [(&str, &str); 3], body: &[&str]) -> Vec<u8> {
    let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let left: String = header.iter().map(|h| p(h.0)).collect();
    let right: String = header.iter().map(|h| p(h.1)).collect();
    let paras: String = body.iter().map(|t| p(t)).collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\
         <w:tbl><w:tr><w:tc>{left}</w:tc><w:tc>{right}</w:tc></w:tr></w:tbl>{paras}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

fn plan_docx() -> Vec<u8> {
    docx(
        [
            ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("XÃ AN BÌNH", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 31/KH-UBND", "An Bình, ngày 05 tháng 3 năm 2025"),
        ],
        &[
            "KẾ HOẠCH",
            "Phòng, chống dịch bệnh trên đàn gia súc năm 2025",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Chủ động phòng, chống dịch bệnh.",
            "II. NHIỆM VỤ",
            "1. Tiêm phòng cho 95% tổng đàn trước ngày 30/6/2025.",
        ],
    )
}

#[test]
fn a_folder_of_bad_and_odd_files_gives_each_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("thư mục có dấu cách");
    std::fs::create_dir(&input).unwrap();
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    // TCVN3 has Vietnamese letters only (no curly quotes or dashes), and capitals with tones
    // were typed in a separate font: a lower-cased plan, its other symbols blanked.
    let typed: String = sample_text(3)
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii() || c.is_alphabetic() {
                c
            } else {
                ' '
            }
        })
        .collect();
    let tcvn3 = iconv(&typed, "TCVN5712-1");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("rỗng.txt", vec![]),
        ("noise.pdf", noise.clone()),
        ("noise.png", noise.clone()),
        ("noise.txt", noise.clone()),
        ("cũ.doc", {
            let mut d = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
            d.extend_from_slice(&noise[..512]);
            d
        }),
        ("tcvn3 kế hoạch.txt", tcvn3),
        ("kế hoạch xã An Bình.docx", plan_docx()),
        ("broken.docx", plan_docx()[..200].to_vec()),
    ];
    for (name, bytes) in &files {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let out = dir.path().join("out");
    let run = ingest(&["--jobs", "2"], &input, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("2 done, 0 skipped, 6 failed"),
        "summary line: {stderr}"
    );

    let failed = |name: &str, reason: &str| {
        let r = row(&out, name);
        assert_eq!(r["status"], "failed", "{name}: {r}");
        let e = r["error"].as_str().unwrap();
        assert!(e.contains(reason), "{name}: {e:?} lacks {reason:?}");
        assert!(stderr.contains(name), "stderr names {name}: {stderr}");
    };
    failed("rỗng.txt", "empty");
    failed("noise.pdf", "binary");
    failed("noise.png", "binary");
    failed("noise.txt", "binary");
    failed("cũ.doc", "OLE compound file");
    failed("broken.docx", "ZIP");

    let read = |name: &str| -> Value {
        let r = row(&out, name);
        assert_eq!(r["status"], "ok", "{name}: {r}");
        let p = out.join(r["output"].as_str().unwrap());
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let legacy = read("tcvn3 kế hoạch.txt");
    assert_eq!(legacy["source"]["encoding"], "tcvn3");
    assert!(legacy["text"].as_str().unwrap().contains("kế hoạch"));
    let word = read("kế hoạch xã An Bình.docx");
    assert_eq!(word["source"]["format"], "docx");
    assert_eq!(word["document"]["number"], "31/KH-UBND");
    assert_eq!(word["document"]["date"], "2025-03-05");
    assert_eq!(word["document"]["issuer"], "Ủy ban nhân dân xã An Bình");
    assert_eq!(word["targets"][0]["value"], 95.0);
    // No temporary file is left beside the documents.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn every_readable_attachment_of_a_mailbox_becomes_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let plan = sample_text(2);
    let one = email(
        "KH so 31",
        &[
            ("kế hoạch 31.docx", "application/octet-stream", &plan_docx()),
            (
                "chữ ký.p7s",
                "application/pkcs7-signature",
                &[0, 1, 2, 0, 9, 0],
            ),
        ],
    );
    let two = email("KH", &[("kh.txt", "text/plain", plan.as_bytes())]);
    let mut mbox = b"From vanthu@example.vn Mon Mar 10 09:15:00 2025\n".to_vec();
    mbox.extend_from_slice(&one);
    mbox.extend_from_slice(b"\nFrom vanthu@example.vn Mon Mar 10 09:16:00 2025\n");
    mbox.extend_from_slice(&two);
    std::fs::write(input.join("hộp thư.mbox"), &mbox).unwrap();
    std::fs::write(input.join("no-attachment.eml"), email("Hỏi", &[])).unwrap();

    let out = dir.path().join("out");
    let run = ingest(&[], &input, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");

    let docx: Value = serde_json::from_slice(
        &std::fs::read(out.join("hộp thư.mbox.d/m1-kế hoạch 31.docx.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(docx["source"]["format"], "eml");
    let msg = &docx["source"]["message"];
    assert_eq!(msg["attachment"], "kế hoạch 31.docx");
    assert_eq!(msg["attachment_format"], "docx");
    assert_eq!(msg["subject"], "KH so 31");
    assert_eq!(msg["from"], "Van thu <vanthu@example.vn>");
    assert_eq!(msg["date"], "2025-03-10T09:15:00+07:00");
    assert_eq!(docx["document"]["number"], "31/KH-UBND");

    let txt: Value =
        serde_json::from_slice(&std::fs::read(out.join("hộp thư.mbox.d/m2-kh.txt.json")).unwrap())
            .unwrap();
    assert_eq!(txt["source"]["message"]["attachment_format"], "text");
    assert!(txt["document"]["number"].is_string());
    assert_eq!(row(&out, "hộp thư.mbox")["status"], "ok");

    let none = row(&out, "no-attachment.eml");
    assert_eq!(none["status"], "failed");
    assert!(
        none["error"].as_str().unwrap().contains("no attachment"),
        "{none}"
    );
}

#[test]
fn a_killed_batch_started_again_finishes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // Distinct plans: each sample with a different number, many times over.
    let n = 150;
    write_numbered_plans(&input, n);
    let out = dir.path().join("out");
    // Kill it (SIGKILL) once some documents are done and before all are.
    kill_when(
        kehoach()
            .args(["ingest", "--jobs", "1", "-o"])
            .arg(&out)
            .arg(&input),
        || rows(&out).len() >= 10,
    );
    let before = rows(&out).len();
    assert!(before < n, "the batch finished before it could be killed");

    let again = ingest(&[], &input, &out);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{stderr}");
    // Every document the killed run recorded is skipped, the rest are done now.
    assert!(
        stderr.contains(&format!("{} done, {before} skipped", n - before)),
        "{stderr}"
    );
    let all = rows(&out);
    for i in 0..n {
        let name = format!("plan-{i:03}.txt");
        let ok: Vec<&Value> = all
            .iter()
            .filter(|r| r["input"] == name.as_str() && r["status"] == "ok")
            .collect();
        assert_eq!(ok.len(), 1, "{name} has {} ok rows", ok.len());
        let doc: Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{name}.json"))).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(doc["text"].as_str().unwrap().contains(&format!("số {i}.")));
    }
    // A third run has nothing to do; --force redoes everything.
    let idle = ingest(&[], &input, &out);
    let stderr = String::from_utf8_lossy(&idle.stderr);
    assert!(stderr.contains(&format!("0 done, {n} skipped")), "{stderr}");
    let forced = ingest(&["--force"], &input, &out);
    let stderr = String::from_utf8_lossy(&forced.stderr);
    assert!(stderr.contains(&format!("{n} done, 0 skipped")), "{stderr}");
}

#[test]
fn limits_fail_the_file_not_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("big.txt"), sample_text(0)).unwrap();
    std::fs::write(input.join("small.txt"), "KẾ HOẠCH\nI. MỤC ĐÍCH\nThử.\n").unwrap();
    let out = dir.path().join("out");
    let run = ingest(&["--max-file-size", "1K"], &input, &out);
    assert_eq!(run.status.code(), Some(1));
    let big = row(&out, "big.txt");
    assert_eq!(big["status"], "failed");
    assert!(
        big["error"].as_str().unwrap().contains("--max-file-size"),
        "{big}"
    );
    assert_eq!(row(&out, "small.txt")["status"], "ok");

    let bad = kehoach()
        .args(["ingest", "--stdout", "--timeout", "soon"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a time"));
}

#[test]
fn an_ocr_helper_that_dies_fails_its_scan_not_the_batch() {
    // Tesseract runs in the `kehoach-ocr` helper so that a crash on a damaged scan costs that
    // scan only. A helper that exits at once stands for one that crashed.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let page = image::GrayImage::from_pixel(300, 200, image::Luma([255u8]));
    let mut png = std::io::Cursor::new(vec![]);
    page.write_to(&mut png, image::ImageFormat::Png).unwrap();
    std::fs::write(input.join("scan 1.png"), png.get_ref()).unwrap();
    std::fs::write(input.join("scan 2.png"), png.get_ref()).unwrap();
    std::fs::write(input.join("plan.txt"), sample_text(0)).unwrap();
    let out = dir.path().join("out");
    let run = kehoach()
        .env("KEHOACH_OCR_HELPER", "/bin/false")
        .args(["ingest", "--jobs", "2"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("1 done, 0 skipped, 2 failed"), "{stderr}");
    for scan in ["scan 1.png", "scan 2.png"] {
        let r = row(&out, scan);
        assert_eq!(r["status"], "failed", "{r}");
        let e = r["error"].as_str().unwrap();
        assert!(e.contains("OCR helper stopped"), "{scan}: {e}");
    }
    assert_eq!(row(&out, "plan.txt")["status"], "ok");
}

#[test]
fn a_path_that_does_not_exist_is_that_inputs_failure() {
    let dir = tempfile::tempdir().unwrap();
    let docx_path = dir.path().join("a.docx");
    std::fs::write(&docx_path, plan_docx()).unwrap();
    let missing = dir.path().join("khongco.pdf");
    let out = dir.path().join("out");
    let run = ingest(&[docx_path.to_str().unwrap()], &missing, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let ok = row(&out, "a.docx");
    assert_eq!(ok["status"], "ok", "{ok}");
    let doc: Value =
        serde_json::from_slice(&std::fs::read(out.join("a.docx.json")).unwrap()).unwrap();
    assert_eq!(doc["document"]["number"], "31/KH-UBND");
    let failed = row(&out, "khongco.pdf");
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(
        failed["error"].as_str().unwrap().contains("no such file"),
        "{failed}"
    );
    assert!(stderr.contains("khongco.pdf: no such file"), "{stderr}");

    // A wrong command line is still refused as a whole.
    let bad = kehoach()
        .args(["ingest", "--no-such-option"])
        .arg(&docx_path)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn an_output_folder_that_cannot_be_made_is_named_with_its_reason_once() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.txt");
    std::fs::write(&plan, sample_text(0)).unwrap();
    // A file where the output folder should be: the folder cannot be made.
    let out = dir.path().join("out");
    std::fs::write(&out, "not a folder").unwrap();
    let run = ingest(&[], &plan, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("kehoach: "))
        .unwrap_or_else(|| panic!("no error line in {stderr}"));
    assert!(line.contains(out.to_str().unwrap()), "{line}");
    // "File exists (os error 17)" on Linux: the reason, said once.
    assert_eq!(line.matches("os error").count(), 1, "{line}");
}
