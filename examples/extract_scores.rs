//! Precision and recall of targets, tasks, bodies and deadlines on the samples, against the
//! expectations written by reading each plan (`tests/data/expected/*.json`), and the time of
//! extraction on a long plan; then the tasks of real plans against their golds
//! (`tests/data/real_golds/`), held-out plans first.
//!
//! `cargo run --release --example extract_scores`

#[path = "../tests/common/real_golds.rs"]
mod real_golds;
#[path = "../tests/common/score.rs"]
mod score;

use std::time::Instant;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/expected"))
        .expect("expectations folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut total = score::Scores::default();
    println!(
        "{:<10} {:>18} {:>18} {:>18} {:>18}",
        "sample", "targets P/R", "tasks P/R", "bodies P/R", "deadlines P/R"
    );
    for f in &files {
        let (_, s) = score::run(f);
        let pr = |p: &score::Pr| {
            format!(
                "{:.2}/{:.2} ({}/{}/{})",
                p.precision(),
                p.recall(),
                p.matched,
                p.found,
                p.expected
            )
        };
        println!(
            "{:<10} {:>18} {:>18} {:>18} {:>18}  lead {}/{} deadline {}/{}",
            f.file_stem().unwrap().to_string_lossy(),
            pr(&s.targets),
            pr(&s.tasks),
            pr(&s.bodies),
            pr(&s.deadlines),
            s.task_lead.0,
            s.task_lead.1,
            s.task_deadline.0,
            s.task_deadline.1
        );
        if std::env::var_os("VERBOSE").is_some() {
            for m in &s.misses {
                println!("    miss: {m}");
            }
            for m in &s.extra {
                println!("    extra: {m}");
            }
        }
        total.targets.add(s.targets);
        total.tasks.add(s.tasks);
        total.bodies.add(s.bodies);
        total.deadlines.add(s.deadlines);
        total.task_lead.0 += s.task_lead.0;
        total.task_lead.1 += s.task_lead.1;
        total.task_deadline.0 += s.task_deadline.0;
        total.task_deadline.1 += s.task_deadline.1;
    }
    for (name, p) in [
        ("targets", total.targets),
        ("tasks", total.tasks),
        ("bodies", total.bodies),
        ("deadlines", total.deadlines),
    ] {
        println!(
            "{name:<10} precision {:.3} recall {:.3} (matched {}, found {}, expected {})",
            p.precision(),
            p.recall(),
            p.matched,
            p.found,
            p.expected
        );
    }
    println!(
        "task lead agreement {}/{}, task deadline agreement {}/{}",
        total.task_lead.0, total.task_lead.1, total.task_deadline.0, total.task_deadline.1
    );

    real_plans();

    // Timing: the samples concatenated into one plan of about 20 pages, extraction alone.
    let mut text = String::new();
    for f in [
        "000_732835b40a51f2bd",
        "001_b2e56a1b177cb02b",
        "002_f68a9bf2efd8d56f",
        "003_bf4465922405889e",
    ] {
        text.push_str(&std::fs::read_to_string(format!("{root}/samples/{f}.txt")).unwrap());
        text.push('\n');
    }
    let text = format!("{text}{text}");
    let rules = kehoach::Rules::builtin();
    let params = kehoach::restore::Params {
        mode: kehoach::restore::Mode::Off,
        ..Default::default()
    };
    let restored = kehoach::restore::restore_text(&text, rules, &params);
    let outline = kehoach::segment::segment(&restored, rules);
    let _ = kehoach::extract::extract(&restored, &outline, rules); // warm the vocabulary
    let n = 20;
    let t = Instant::now();
    let mut items = 0;
    for _ in 0..n {
        let p = kehoach::extract::extract(&restored, &outline, rules);
        items += p.targets.len() + p.tasks.len() + p.deadlines.len() + p.responsible_bodies.len();
    }
    let per = t.elapsed().as_secs_f64() / n as f64;
    println!(
        "extraction of a {}-line, {} KB plan (~{} pages): {:.2} ms per run ({} items per run)",
        text.lines().count(),
        text.len() / 1024,
        text.lines().count() / 55,
        per * 1000.0,
        items / n
    );
}

/// Task precision, recall, F1, lead, deadline and coordinating accuracy per real plan: the
/// held-out plans and their total first, then the others, then all. Misses are listed
/// (`VERBOSE=1`) only for plans that are not held out, so building never looks at the others.
fn real_plans() {
    let runs: Vec<_> = real_golds::gold_files()
        .iter()
        .map(|f| {
            let (_, s, held) = real_golds::run(f);
            (
                f.file_stem().unwrap().to_string_lossy().into_owned(),
                s,
                held,
            )
        })
        .collect();
    let head = || {
        println!(
            "{:<24} {:>5} {:>5} {:>5} {:>5} {:>5} {:>11} {:>11} {:>11}",
            "real plan", "gold", "found", "P", "R", "F1", "lead", "deadline", "coord"
        )
    };
    let row = |name: &str, s: &real_golds::RealScores| {
        println!(
            "{name:<24} {:>5} {:>5} {:>5.2} {:>5.2} {:>5.2} {:>4.2} {:>2}/{:<3} {:>4.2} {:>2}/{:<3} {:>4.2} {:>2}/{:<3}",
            s.expected,
            s.found,
            s.precision(),
            s.recall(),
            s.f1(),
            s.lead_accuracy(),
            s.lead.0,
            s.lead.1,
            s.deadline_accuracy(),
            s.deadline.0,
            s.deadline.1,
            s.coordinating_accuracy(),
            s.coordinating.0,
            s.coordinating.1
        )
    };
    let mut all = real_golds::RealScores::default();
    for held in [true, false] {
        println!();
        head();
        let mut total = real_golds::RealScores::default();
        for (name, s, _) in runs.iter().filter(|r| r.2 == held) {
            row(name, s);
            total.add(s);
            if !held && std::env::var_os("VERBOSE").is_some() {
                for m in s.misses.iter().chain(&s.extra) {
                    println!("    {m}");
                }
            }
        }
        row(if held { "HELD OUT" } else { "BUILT ON" }, &total);
        all.add(&total);
    }
    row("ALL", &all);
}
