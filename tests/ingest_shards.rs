//! A provincial archive's folder is split among machines with `--shard K/N`: N runs that never
//! talk give, once `kehoach index merge` has folded their indexes, exactly what one run gives,
//! and a shard killed mid-run and started again loses nothing and duplicates nothing.

mod common;

use common::{email, kill_when, sample_plans, write_numbered_plans};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

fn kehoach() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
}

fn ingest(input: &Path, out: &Path, extra: &[&str]) -> Output {
    kehoach()
        .arg("ingest")
        .args(extra)
        .arg(input)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

fn merge(out: &Path) -> Output {
    let run = kehoach()
        .args(["index", "merge"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

/// The whole rows of an index file (a line cut by a kill is left out).
fn rows(file: &Path) -> Vec<Value> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Every file of `dir` but the index files, by path below it, with its bytes.
fn documents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            !(name.starts_with("index.") && name.ends_with(".jsonl"))
        })
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// An index's rows without their timing, in a fixed order: a run's rows come in the order
/// documents complete, which threads decide.
fn untimed(rows: Vec<Value>) -> Vec<String> {
    let mut v: Vec<String> = rows
        .into_iter()
        .map(|mut r| {
            r.as_object_mut().unwrap().remove("seconds");
            r.to_string()
        })
        .collect();
    v.sort();
    v
}

/// The inputs (not parts) an index file has rows for.
fn inputs_of(file: &Path) -> BTreeSet<String> {
    rows(file)
        .iter()
        .filter(|r| r.get("part").is_none())
        .map(|r| r["input"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn shards_merged_give_exactly_what_one_run_gives() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("kho lưu trữ");
    let plans = sample_plans();
    for (i, plan) in plans.iter().enumerate() {
        for folder in ["1998", "2004/quý 2"] {
            let sub = input.join(folder);
            std::fs::create_dir_all(&sub).unwrap();
            let text = format!("{plan}\nGhi chú: hồ sơ {folder}, số {i}.\n");
            std::fs::write(sub.join(format!("kế hoạch {i}.txt")), text).unwrap();
        }
    }
    // A mailbox (a document per attachment), a failed input, a scan in two page files.
    let mail = email(
        "KH",
        &[
            ("kh-a.txt", "text/plain", plans[0].as_bytes()),
            ("kh-b.txt", "text/plain", plans[1].as_bytes()),
        ],
    );
    std::fs::write(input.join("thư.eml"), mail).unwrap();
    std::fs::write(input.join("rỗng.txt"), b"").unwrap();
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/page_files");
    for page in ["kh_vp_page_1.png", "kh_vp_page_2.png"] {
        std::fs::copy(pages.join(page), input.join("2004").join(page)).unwrap();
    }

    let single = dir.path().join("single");
    let run = ingest(&input, &single, &["--jobs", "2"]);
    assert_eq!(run.status.code(), Some(1), "the empty file fails");

    let n = 3;
    let sharded = dir.path().join("sharded");
    for k in 0..n {
        let run = ingest(
            &input,
            &sharded,
            &["--jobs", "2", "--shard", &format!("{k}/{n}")],
        );
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(matches!(run.status.code(), Some(0 | 1)), "{stderr}");
    }
    assert!(!sharded.join("index.jsonl").exists());
    // Each shard did a share of the work, and no input was done by two.
    let shares: Vec<BTreeSet<String>> = (0..n)
        .map(|k| inputs_of(&sharded.join(format!("index.{k}-of-{n}.jsonl"))))
        .collect();
    assert!(shares.iter().all(|s| !s.is_empty()), "{shares:?}");
    let total: usize = shares.iter().map(|s| s.len()).sum();
    let union: BTreeSet<&String> = shares.iter().flatten().collect();
    assert_eq!(total, union.len(), "an input in two shards: {shares:?}");
    // The scan's two page files are one input, in one shard.
    assert!(
        union.contains(&"2004/kh_vp_page_1.png".to_string()),
        "{union:?}"
    );

    let merged = merge(&sharded);
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(stderr.contains("merged 3 index files"), "{stderr}");

    let want = documents(&single);
    let got = documents(&sharded);
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &want {
        assert!(got[name] == *bytes, "{name} differs");
    }
    assert_eq!(
        untimed(rows(&sharded.join("index.jsonl"))),
        untimed(rows(&single.join("index.jsonl")))
    );
    // 10 plans, 2 attachments, the scan: 13 documents; the empty file failed.
    assert_eq!(want.len(), 13, "{:?}", want.keys());

    // A shard started again with everything done does nothing; merging again changes nothing.
    let before = std::fs::read(sharded.join("index.jsonl")).unwrap();
    let again = ingest(&input, &sharded, &["--shard", "1/3"]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("0 done"), "{stderr}");
    merge(&sharded);
    assert_eq!(std::fs::read(sharded.join("index.jsonl")).unwrap(), before);

    // A folder without an index is refused, naming it.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let none = kehoach()
        .args(["index", "merge"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(stderr.contains("empty: no index.jsonl"), "{stderr}");

    // K counts from 0.
    let bad = ingest(&input, &sharded, &["--shard", "3/3"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("counts from 0"), "{stderr}");
}

#[test]
fn a_shard_killed_mid_run_and_started_again_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let n = 120;
    write_numbered_plans(&input, n);
    let out = dir.path().join("out");
    let index = out.join("index.1-of-2.jsonl");
    // SIGKILL once some documents are done and before all are.
    kill_when(
        kehoach()
            .args(["ingest", "--jobs", "1", "--shard", "1/2", "-o"])
            .arg(&out)
            .arg(&input),
        || rows(&index).len() >= 5,
    );
    let before = rows(&index).len();
    assert!(before >= 5, "the shard wrote no rows before it was killed");

    let again = ingest(&input, &out, &["--shard", "1/2"]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("{before} skipped")), "{stderr}");
    let ours = inputs_of(&index);
    assert!(
        ours.len() > before,
        "the killed shard had not finished: {stderr}"
    );
    // Each of the shard's inputs has one ok row; no other shard's input was touched.
    for name in &ours {
        let ok = rows(&index)
            .iter()
            .filter(|r| r["input"] == name.as_str() && r["status"] == "ok")
            .count();
        assert_eq!(ok, 1, "{name} has {ok} ok rows");
    }
    assert_eq!(documents(&out).len(), ours.len());

    let other = ingest(&input, &out, &["--shard", "0/2"]);
    assert!(other.status.success());
    merge(&out);
    let merged = rows(&out.join("index.jsonl"));
    assert_eq!(merged.len(), n);
    for i in 0..n {
        let name = format!("plan-{i:03}.txt");
        let row: Vec<&Value> = merged
            .iter()
            .filter(|r| r["input"] == name.as_str())
            .collect();
        assert_eq!(row.len(), 1, "{name}");
        assert_eq!(row[0]["status"], "ok", "{name}");
        let doc: Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{name}.json"))).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(doc["text"].as_str().unwrap().contains(&format!("số {i}.")));
    }
    assert!(!documents(&out).keys().any(|k| k.ends_with(".tmp")));
}
