//! Word 97–2003, OpenDocument text and RTF, read end to end through real LibreOffice (Debian's
//! `libreoffice-writer-nogui`, which `scripts/dev.sh` installs): a real `.doc` of a provincial
//! People's Committee, and an `.odt` and an `.rtf` of plans written for these tests
//! (`scripts/make_office_fixtures.py` made them). Where the converter is missing or hangs, the
//! file fails with a reason that names it, and the batch goes on.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

const DOC: &str = "vbai__Du_thao_ke_hoach_phat_dong_thi_dua_CCHC_nam_2026_tinh_Lam_Dong_10.02s.doc";

fn ingest(inputs: &[PathBuf], out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    common::ingest(&inputs, out, extra, env)
}

/// The last row of `input`.
fn row(out: &Path, input: &str) -> Value {
    common::input_row(out, input)
}

fn document(out: &Path, input: &str) -> Value {
    let r = row(out, input);
    assert_eq!(r["status"], "ok", "{r}");
    serde_json::from_slice(&std::fs::read(out.join(r["output"].as_str().unwrap())).unwrap())
        .unwrap()
}

#[test]
fn doc_odt_and_rtf_are_read_through_libreoffice_tables_included() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let inputs = [data(DOC), data("plan_phu_loc.odt"), data("plan_tan_an.rtf")];
    let run = ingest(&inputs, &out, &["-j", "2"], &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");

    // A real draft plan in Word 97-2003: its header is a two-column table, the number and the
    // day left blank for the signing office to fill in.
    let doc = document(&out, DOC);
    assert_eq!(doc["source"]["format"], "doc");
    let text = doc["text"].as_str().unwrap();
    assert!(
        text.contains("| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |"),
        "the header table is read as a table: {text:.300}"
    );
    assert_eq!(doc["document"]["type"], "Kế hoạch");
    assert_eq!(doc["document"]["issuer"], "Ủy ban nhân dân tỉnh Lâm Đồng");
    assert!(doc["document"]["number"].is_null(), "{}", doc["document"]);
    assert!(
        doc["document"]["title"]
            .as_str()
            .unwrap()
            .starts_with("Phát động Phong trào thi đua"),
        "{}",
        doc["document"]
    );
    assert!(
        doc["legal_bases"].as_array().unwrap().len() >= 3,
        "{}",
        doc["legal_bases"]
    );

    // Plans written for the tests, as ODT and RTF: number, date, issuer, title and body.
    let expected = [
        (
            "plan_phu_loc.odt",
            "odt",
            "18/KH-UBND",
            "2025-08-12",
            "Ủy ban nhân dân xã Phú Lộc",
            "Tổ chức Ngày hội đọc sách cho thiếu nhi năm 2025",
            "| Số: 18/KH-UBND | Phú Lộc, ngày 12 tháng 8 năm 2025 |",
        ),
        (
            "plan_tan_an.rtf",
            "rtf",
            "07/KH-UBND",
            "2026-02-03",
            "Ủy ban nhân dân phường Tân An",
            "Ra quân làm sạch đường phố đầu xuân năm 2026",
            "Thu gom 100% rác thải tồn đọng trước ngày 28/2/2026.",
        ),
    ];
    for (name, format, number, date, issuer, title, line) in expected {
        let d = document(&out, name);
        assert_eq!(d["source"]["format"], format, "{name}");
        let meta = &d["document"];
        assert_eq!(meta["number"], number, "{name}: {meta}");
        assert_eq!(meta["date"], date, "{name}: {meta}");
        assert_eq!(meta["issuer"], issuer, "{name}: {meta}");
        assert_eq!(meta["title"], title, "{name}: {meta}");
        let text = d["text"].as_str().unwrap();
        assert!(text.contains(line), "{name}: {text}");
        assert!(!d["targets"].as_array().unwrap().is_empty(), "{name}");
    }
}

#[test]
fn a_missing_converter_fails_each_such_file_by_name_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let plain = dir.path().join("kh.txt");
    std::fs::write(&plain, "UBND XÃ A\nSố: 3/KH-UBND\nKẾ HOẠCH\nVề việc thử\n").unwrap();
    let missing = dir.path().join("no-such-soffice");
    let run = ingest(
        &[data("plan_tan_an.rtf"), plain],
        &out,
        &[],
        &[("KEHOACH_SOFFICE", missing.to_str().unwrap())],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let failed = row(&out, "plan_tan_an.rtf");
    assert_eq!(failed["status"], "failed");
    let e = failed["error"].as_str().unwrap();
    for needed in [
        "needs LibreOffice",
        "no-such-soffice",
        "libreoffice-writer-nogui",
        "KEHOACH_SOFFICE",
    ] {
        assert!(e.contains(needed), "{e:?} lacks {needed:?}");
    }
    assert_eq!(row(&out, "kh.txt")["status"], "ok");
}

#[test]
fn a_hung_converter_is_killed_with_everything_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A converter that starts a child and never finishes: both must be gone after the limit.
    let pids = dir.path().join("pids");
    let hung = dir.path().join("hung-soffice");
    std::fs::write(
        &hung,
        format!(
            "#!/bin/sh\nsleep 300 &\necho $! > {0}\necho $$ >> {0}\nwait\n",
            pids.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hung, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = ingest(
        &[data("plan_phu_loc.odt")],
        &out,
        &["--convert-timeout", "1s"],
        &[("KEHOACH_SOFFICE", hung.to_str().unwrap())],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let e = row(&out, "plan_phu_loc.odt")["error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(e.contains("was stopped"), "{e}");
    assert!(e.contains("--convert-timeout"), "{e}");
    let pids = std::fs::read_to_string(&pids).unwrap();
    // SIGKILL is delivered asynchronously and the orphans are reaped by init: allow it a moment.
    let alive = |pid: &str| {
        Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z ")
    };
    for pid in pids.split_whitespace() {
        let mut tries = 0;
        while alive(pid) && tries < 100 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            tries += 1;
        }
        assert!(!alive(pid), "process {pid} of the converter outlived it");
    }
}
