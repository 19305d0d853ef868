//! Precision and recall of targets, tasks, bodies and deadlines on the samples, against the
//! expectations written by reading each plan (`tests/data/expected/*.json`), and the time of
//! extraction on a long plan.
//!
//! `cargo run --release --example extract_scores`

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
