//! Offices send folders of documents as `.zip` or `.7z`, sometimes attached to an e-mail:
//! every readable member becomes a document of its own under `DIR/<archive>.d/<member>.json`,
//! archives inside archives are opened in turn, and what an archive must not do (too many
//! files, too many bytes, too deep, a password, RAR) fails the archive with a reason that
//! names it, while the batch goes on.

mod common;

use common::{index_rows as rows, input_row as row};
use serde_json::Value;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(i: usize) -> Vec<u8> {
    std::fs::read(&common::sample_paths()[i]).unwrap()
}

/// The metadata the pipeline reads from a sample given as a plain file (every sample has a
/// title, so a member read as nothing cannot match).
fn document_of(bytes: &[u8]) -> Value {
    let doc = kehoach::process_bytes(
        "x.txt",
        bytes,
        kehoach::Rules::builtin(),
        &kehoach::Params::default(),
    )
    .unwrap();
    assert!(doc.document.title.is_some());
    serde_json::to_value(doc.document).unwrap()
}

/// A ZIP of `(name, bytes)`; a name ending in `/` is a folder entry.
fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in members {
        if name.ends_with('/') {
            w.add_directory(*name, opts).unwrap();
        } else {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
    }
    w.finish().unwrap();
    buf.into_inner()
}

fn seven_zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = sevenz_rust2::ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
    for (name, bytes) in members {
        w.push_archive_entry(sevenz_rust2::ArchiveEntry::new_file(name), Some(*bytes))
            .unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn ingest(input: &Path, out: &Path, extra: &[&str]) -> Output {
    common::ingest(&[input], out, extra, &[])
}

fn read(path: PathBuf) -> Value {
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn every_member_of_a_zip_and_a_7z_becomes_a_document_nested_archives_too() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let (a, b, c, d) = (sample(0), sample(1), sample(2), sample(3));
    let inner = zip(&[("03.txt", &c)]);
    let noise: Vec<u8> = (0..512u32).map(|i| (i * 7919 % 251) as u8 ^ 0x80).collect();
    std::fs::write(
        input.join("gửi xã.zip"),
        zip(&[
            ("kế hoạch/", b""),
            ("kế hoạch/01.txt", &a),
            ("../02.txt", &b),
            ("lồng.zip", &inner),
            ("logo.bin", &noise),
        ]),
    )
    .unwrap();
    std::fs::write(input.join("nén.7z"), seven_zip(&[("a/04.txt", &d)])).unwrap();
    let out = dir.path().join("out");
    let run = ingest(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("2 done, 0 skipped, 0 failed,") && stderr.contains("; 4 documents"),
        "{stderr}"
    );

    let first = read(out.join("gửi xã.zip.d/kế hoạch/01.txt.json"));
    assert_eq!(first["source"]["format"], "text");
    assert_eq!(first["source"]["archive"]["format"], "zip");
    assert_eq!(first["source"]["archive"]["member"], "kế hoạch/01.txt");
    assert_eq!(first["document"], document_of(&a));
    // A member named `../02.txt` is written inside the archive's folder, never beside it.
    let escaped = read(out.join("gửi xã.zip.d/02.txt.json"));
    assert_eq!(escaped["document"], document_of(&b));
    let nested = read(out.join("gửi xã.zip.d/lồng.zip.d/03.txt.json"));
    assert_eq!(nested["source"]["archive"]["member"], "lồng.zip/03.txt");
    assert_eq!(nested["document"], document_of(&c));
    let seven = read(out.join("nén.7z.d/a/04.txt.json"));
    assert_eq!(seven["source"]["archive"]["format"], "7z");
    assert_eq!(seven["document"], document_of(&d));

    let zipped = row(&out, "gửi xã.zip");
    assert_eq!(zipped["status"], "ok", "{zipped}");
    assert_eq!(zipped["output"], "gửi xã.zip.d");
    let parts: Vec<String> = rows(&out)
        .iter()
        .filter(|r| r["input"] == "gửi xã.zip")
        .filter_map(|r| r["part"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        parts,
        ["kế hoạch/01.txt", "../02.txt", "lồng.zip.d/03.txt"],
        "the noise member is skipped"
    );
    // Started again, the finished archives are skipped whole.
    let again = ingest(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("0 done, 2 skipped, 0 failed"), "{stderr}");
}

#[test]
fn archives_that_are_too_big_too_deep_encrypted_or_rar_fail_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let plan = sample(4);
    let five: Vec<(String, &[u8])> = (1..=5)
        .map(|i| (format!("{i}.txt"), plan.as_slice()))
        .collect();
    let five: Vec<(&str, &[u8])> = five.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let deep = zip(&[("2.zip", &zip(&[("3.zip", &zip(&[("kh.txt", &plan)]))]))]);
    let zeros = vec![0u8; 3 << 20];
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("many.zip", zip(&five)),
        ("deep.zip", deep),
        ("bomb.zip", zip(&[("zeros.txt", &zeros)])),
        (
            "encrypted.zip",
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/encrypted.zip"))
                .unwrap(),
        ),
        (
            "old.rar",
            b"Rar!\x1a\x07\x01\x00\x33\x92\xb5\xe5\x0a\x01\x05\x06\x00".to_vec(),
        ),
        ("budget.xlsx", zip(&[("xl/workbook.xml", b"<workbook/>")])),
        (
            "budget.ods",
            zip(&[(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            )]),
        ),
        (
            "only noise.zip",
            zip(&[("a.bin", &[0u8, 1, 2, 3, 0, 0, 9, 200])]),
        ),
        ("fine.zip", zip(&[("kh.txt", &plan)])),
    ];
    for (name, bytes) in &files {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let out = dir.path().join("out");
    let run = ingest(
        &input,
        &out,
        &[
            "--max-members",
            "3",
            "--max-nesting",
            "2",
            "--max-unpacked",
            "1M",
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let failed = |name: &str, reasons: &[&str]| {
        let r = row(&out, name);
        assert_eq!(r["status"], "failed", "{name}: {r}");
        let e = r["error"].as_str().unwrap();
        for reason in reasons {
            assert!(e.contains(reason), "{name}: {e:?} lacks {reason:?}");
        }
    };
    failed("many.zip", &["more than 3 files", "--max-members"]);
    failed("deep.zip", &["more than 2 deep", "--max-nesting"]);
    failed("bomb.zip", &["more than 1 MB", "--max-unpacked"]);
    failed("encrypted.zip", &["password required", "encrypted"]);
    failed("old.rar", &["RAR archives are not read; extract it first"]);
    failed("budget.xlsx", &["spreadsheets are not read"]);
    failed("budget.ods", &["spreadsheets are not read"]);
    failed(
        "only noise.zip",
        &["no member kehoach reads", "a.bin (binary)"],
    );
    assert_eq!(row(&out, "fine.zip")["status"], "ok");
    // Nothing of a refused archive is written.
    assert!(!out.join("many.zip.d").exists());
}

#[test]
fn an_archive_attached_to_an_email_is_opened_and_keeps_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample(2);
    let attachment = zip(&[("kh/ke-hoach.txt", &plan)]);
    let b64 = common::run_with_stdin(&mut Command::new("base64"), &attachment).stdout;
    let b64 = String::from_utf8(b64).unwrap();
    let eml = format!(
        "From: Van thu <vanthu@example.vn>\r\nSubject: Gui ho so\r\n\
         Date: Mon, 10 Mar 2025 09:15:00 +0700\r\nMessage-ID: <z1@example.vn>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGửi hồ sơ.\r\n\
         --b1\r\nContent-Type: application/zip\r\n\
         Content-Disposition: attachment; filename=\"hồ sơ.zip\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--b1--\r\n"
    );
    let input = dir.path().join("thư.eml");
    std::fs::write(&input, eml).unwrap();
    let out = dir.path().join("out");
    let run = ingest(&input, &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc = read(out.join("thư.eml.d/m1-hồ sơ.zip.d/kh/ke-hoach.txt.json"));
    assert_eq!(doc["source"]["format"], "eml");
    assert_eq!(doc["source"]["message"]["subject"], "Gui ho so");
    assert_eq!(doc["source"]["message"]["attachment_format"], "text");
    assert_eq!(doc["source"]["archive"]["member"], "kh/ke-hoach.txt");
    assert_eq!(doc["document"], document_of(&plan));
}
