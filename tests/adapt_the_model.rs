//! An archive adapts restoration to its own documents: `kehoach train` on correct text it holds,
//! then `--rules` with the folder the model was written to. A broken model file is a warning
//! naming it, and the text passes through unchanged; a broken abbreviation list is an error
//! naming it with its folder.

mod common;

use common::run_with_stdin;
use kehoach::restore::syllable::strip_marks;
use std::path::Path;
use std::process::{Command, Output};

/// Correct text written for this test (general administrative Vietnamese). Skeletons with more
/// than one reading in it (`quận`/`quân`, `phường`/`phương`, `ban`/`bạn`, `dân`/`đản`…) leave
/// the choice to the context the model learned.
const ARCHIVE: &str = "Ủy ban nhân dân quận chỉ đạo các phường triển khai kế hoạch.
Đảng ủy phường lãnh đạo công tác dân vận.
Ban chỉ đạo phường tổ chức hội nghị.
Ủy ban nhân dân phường báo cáo kết quả về Ủy ban nhân dân quận.
Bộ Chỉ huy quân sự quận phối hợp với các phường xây dựng phương án.
Các bạn đoàn viên tham gia công tác dân vận ở phường.
Các phường tổ chức tuyên truyền phương án trong nhân dân.
";

fn kehoach() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
}

fn restore_with_rules(rules: &Path, text: &str) -> Output {
    run_with_stdin(
        kehoach().arg("--rules").arg(rules).arg("restore"),
        text.as_bytes(),
    )
}

#[test]
fn a_model_trained_on_an_archive_restores_the_archive_s_language() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    std::fs::write(archive.join("plans.txt"), ARCHIVE).unwrap();
    let rules = dir.path().join("rules");
    let stderr = common::train_small(&archive, &rules);
    assert!(
        stderr.contains("1 files, 7 Vietnamese lines used"),
        "{stderr}"
    );
    assert!(rules.join("lm/syllables.bin").is_file());

    // The archive's first lines, marks stripped, come back as written.
    let truth: String = ARCHIVE.lines().take(3).map(|l| format!("{l}\n")).collect();
    let stripped = strip_marks(&truth);
    assert_ne!(stripped, truth);
    let out = restore_with_rules(&rules, &stripped);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), truth);
}

#[test]
fn a_broken_model_file_is_named_and_the_text_passes_through() {
    let dir = tempfile::tempdir().unwrap();
    let lm = dir.path().join("lm");
    std::fs::create_dir(&lm).unwrap();
    std::fs::write(lm.join("syllables.bin"), b"KHLM\x02\nnot a model").unwrap();
    let text = "Uy ban nhan dan quan\n\nchi dao cac phuong\n";
    let out = restore_with_rules(dir.path(), text);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), text);
    // Named where it is, so the user finds the file among the folders they keep.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let path = lm.join("syllables.bin").display().to_string();
    assert!(
        stderr.contains(&path) && stderr.contains("corrupt"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("rules file").count(), 1, "{stderr}");
}

#[test]
fn a_broken_abbreviation_list_is_named_with_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("abbreviations.tsv");
    std::fs::write(
        &file,
        "# SHORT\texpansion\nUBND\tỦy ban nhân dân\nHĐND without a tab\n",
    )
    .unwrap();
    let out = restore_with_rules(dir.path(), "Kế hoạch\n");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let path = file.display().to_string();
    assert!(
        stderr.contains(&path) && stderr.contains("line 3"),
        "{stderr}"
    );
}
