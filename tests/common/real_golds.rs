//! Scoring the tasks of real plans against hand-made golds (`tests/data/real_golds/*.json`),
//! shared by `tests/extract_real_plans.rs` and `examples/extract_scores.rs`.

#![allow(dead_code)]

use kehoach::Document;
use kehoach::contract::Task;
use kehoach::fold::fold;
use serde_json::Value;

/// Task scores of one real plan.
#[derive(Debug, Default, Clone)]
pub struct RealScores {
    pub expected: usize,
    pub found: usize,
    pub matched: usize,
    /// Of the matched tasks whose gold names a lead: (right, counted).
    pub lead: (usize, usize),
    /// Of the matched tasks: deadline right (also right when both have none).
    pub deadline: (usize, usize),
    /// Of the matched tasks whose gold names coordinating bodies: all found.
    pub coordinating: (usize, usize),
    pub misses: Vec<String>,
    pub extra: Vec<String>,
}

impl RealScores {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.found)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.expected)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn lead_accuracy(&self) -> f64 {
        ratio(self.lead.0, self.lead.1)
    }
    pub fn deadline_accuracy(&self) -> f64 {
        ratio(self.deadline.0, self.deadline.1)
    }
    pub fn coordinating_accuracy(&self) -> f64 {
        ratio(self.coordinating.0, self.coordinating.1)
    }
    pub fn add(&mut self, o: &RealScores) {
        self.expected += o.expected;
        self.found += o.found;
        self.matched += o.matched;
        for (a, b) in [
            (&mut self.lead, o.lead),
            (&mut self.deadline, o.deadline),
            (&mut self.coordinating, o.coordinating),
        ] {
            a.0 += b.0;
            a.1 += b.1;
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Folded, with spaces collapsed and trailing punctuation dropped, for comparing wordings.
fn norm(s: &str) -> String {
    let f = fold(s);
    let words: Vec<&str> = f.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(['.', ';', ':', ','])
        .to_string()
}

/// Two names of a body agree when one contains the other (a gold "Sở Nội vụ" and a found
/// "Sở Nội vụ (Cơ quan Thường trực …)"), the shorter of at least six letters.
fn same_body(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.chars().count() >= 6 && long.contains(short.as_str())
}

fn deadline_ok(gold: &Value, task: &Task) -> bool {
    match (gold.as_str(), &task.deadline) {
        (None, None) => true,
        (Some(g), Some(d)) => {
            d.end.as_deref() == Some(g)
                || d.end.is_none() && d.start.as_deref() == Some(g)
                || norm(&d.text).contains(&norm(g))
        }
        _ => false,
    }
}

/// Matches golds to tasks one to one: first whole-text equality (table rows are short and
/// one may begin another), then containment of the gold's fragment.
fn matching(golds: &[Value], tasks: &[Task]) -> Vec<Option<usize>> {
    let texts: Vec<String> = tasks.iter().map(|t| norm(&t.text)).collect();
    let mut used = vec![false; tasks.len()];
    let mut m = vec![None; golds.len()];
    for exact in [true, false] {
        for (g, slot) in golds.iter().zip(m.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let want = norm(g["text"].as_str().unwrap_or(""));
            let hit = (0..tasks.len()).find(|&i| {
                !used[i]
                    && if exact {
                        texts[i] == want
                    } else {
                        texts[i].contains(&want)
                    }
            });
            if let Some(i) = hit {
                used[i] = true;
                *slot = Some(i);
            }
        }
    }
    m
}

pub fn score(doc: &Document, gold: &Value) -> RealScores {
    let golds = gold["tasks"].as_array().cloned().unwrap_or_default();
    let m = matching(&golds, &doc.tasks);
    let mut s = RealScores {
        expected: golds.len(),
        found: doc.tasks.len(),
        matched: m.iter().flatten().count(),
        ..Default::default()
    };
    for (i, t) in doc.tasks.iter().enumerate() {
        if !m.contains(&Some(i)) {
            s.extra.push(format!(
                "task {:?}",
                t.text.chars().take(80).collect::<String>()
            ));
        }
    }
    for (g, m) in golds.iter().zip(&m) {
        let text = g["text"].as_str().unwrap_or("");
        let Some(i) = m else {
            s.misses.push(format!("task {text:?}"));
            continue;
        };
        let t = &doc.tasks[*i];
        if let Some(lead) = g["lead"].as_str() {
            s.lead.1 += 1;
            if t.lead.as_deref().is_some_and(|l| same_body(l, lead)) {
                s.lead.0 += 1;
            } else {
                s.misses
                    .push(format!("lead {lead:?} ≠ {:?} ({text})", t.lead));
            }
        }
        s.deadline.1 += 1;
        if deadline_ok(&g["deadline"], t) {
            s.deadline.0 += 1;
        } else {
            s.misses.push(format!(
                "deadline {} ≠ {:?} ({text})",
                g["deadline"],
                t.deadline.as_ref().map(|d| (&d.text, &d.end))
            ));
        }
        let coord: Vec<&str> = g["coordinating"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if !coord.is_empty() {
            s.coordinating.1 += 1;
            if coord
                .iter()
                .all(|c| t.coordinating.iter().any(|x| same_body(x, c)))
            {
                s.coordinating.0 += 1;
            } else {
                s.misses.push(format!(
                    "coordinating {coord:?} ≠ {:?} ({text})",
                    t.coordinating
                ));
            }
        }
    }
    s
}

/// The gold files, sorted by name.
pub fn gold_files() -> Vec<std::path::PathBuf> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/real_golds"))
        .expect("golds folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Reads a gold, runs the library on its plan and scores it; also says whether it is held out.
pub fn run(gold_path: &std::path::Path) -> (Document, RealScores, bool) {
    let root = env!("CARGO_MANIFEST_DIR");
    let gold: Value = serde_json::from_str(&std::fs::read_to_string(gold_path).expect("gold file"))
        .expect("gold JSON");
    let plan = std::path::Path::new(root).join(gold["file"].as_str().expect("plan path"));
    let bytes = std::fs::read(&plan).expect("plan file");
    let doc = kehoach::process_bytes(
        &plan.to_string_lossy(),
        &bytes,
        kehoach::Rules::builtin(),
        &kehoach::Params::default(),
    )
    .expect("plan processes");
    let s = score(&doc, &gold);
    (doc, s, gold["held_out"].as_bool().unwrap_or(false))
}
