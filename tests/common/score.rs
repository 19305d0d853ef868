//! Scoring extraction against hand-written expectations (`tests/data/expected/*.json`), shared
//! by `tests/extract_samples.rs` and `examples/extract_scores.rs`.

#![allow(dead_code)]

use kehoach::Document;
use kehoach::fold::fold;
use serde_json::Value;

/// Precision and recall of one field on one document.
#[derive(Debug, Default, Clone, Copy)]
pub struct Pr {
    pub expected: usize,
    pub found: usize,
    pub matched: usize,
}

impl Pr {
    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.matched as f64 / self.found as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.matched as f64 / self.expected as f64
        }
    }
    pub fn add(&mut self, o: Pr) {
        self.expected += o.expected;
        self.found += o.found;
        self.matched += o.matched;
    }
}

#[derive(Debug, Default, Clone)]
pub struct Scores {
    pub targets: Pr,
    pub tasks: Pr,
    pub bodies: Pr,
    pub deadlines: Pr,
    /// Of the matched tasks whose lead / deadline the expectation states: how many agree.
    pub task_lead: (usize, usize),
    pub task_deadline: (usize, usize),
    pub misses: Vec<String>,
    /// Extracted items no expectation matched.
    pub extra: Vec<String>,
}

fn close(a: f64, b: &Value) -> bool {
    b.as_f64().is_some_and(|b| (a - b).abs() < 1e-6)
}

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().map(String::from)
}

/// One-to-one greedy matching: for each expectation, the first unused actual that fits.
fn matching<E, A>(exp: &[E], act: &[A], fits: impl Fn(&E, &A) -> bool) -> Vec<Option<usize>> {
    let mut used = vec![false; act.len()];
    exp.iter()
        .map(|e| {
            let i = (0..act.len()).find(|&i| !used[i] && fits(e, &act[i]))?;
            used[i] = true;
            Some(i)
        })
        .collect()
}

pub fn score(doc: &Document, expected: &Value) -> Scores {
    let mut s = Scores::default();
    let arr = |k: &str| expected[k].as_array().cloned().unwrap_or_default();

    let et = arr("targets");
    let m = matching(&et, &doc.targets, |e, a| {
        close(a.value, &e[0])
            && (a.value_max.is_none() && e[1].is_null()
                || a.value_max.is_some_and(|x| close(x, &e[1])))
            && Some(a.unit.clone()) == opt_str(&e[2])
            && a.comparator == opt_str(&e[3])
            && a.year.map(i64::from) == e[4].as_i64()
            && fold(&a.indicator).contains(&fold(e[5].as_str().unwrap_or("")))
    });
    for (i, a) in doc.targets.iter().enumerate() {
        if !m.contains(&Some(i)) {
            s.extra
                .push(format!("target {} {} {:?}", a.value, a.unit, a.text));
        }
    }
    s.targets = Pr {
        expected: et.len(),
        found: doc.targets.len(),
        matched: m.iter().flatten().count(),
    };
    for (e, m) in et.iter().zip(&m) {
        if m.is_none() {
            s.misses.push(format!("target {e}"));
        }
    }

    let ed = arr("deadlines");
    let m = matching(&ed, &doc.deadlines, |e, a| {
        Some(a.text.trim().to_string()) == opt_str(&e[0])
            && serde_json::to_value(a.kind).unwrap() == e[1]
            && a.start == opt_str(&e[2])
            && a.end == opt_str(&e[3])
    });
    for (i, a) in doc.deadlines.iter().enumerate() {
        if !m.contains(&Some(i)) {
            s.extra.push(format!("deadline {:?}", a.text));
        }
    }
    s.deadlines = Pr {
        expected: ed.len(),
        found: doc.deadlines.len(),
        matched: m.iter().flatten().count(),
    };
    for (e, m) in ed.iter().zip(&m) {
        if m.is_none() {
            s.misses.push(format!("deadline {e}"));
        }
    }

    let eb = arr("bodies");
    let m = matching(&eb, &doc.responsible_bodies, |e, a| {
        fold(&a.name) == fold(e.as_str().unwrap_or(""))
    });
    s.bodies = Pr {
        expected: eb.len(),
        found: doc.responsible_bodies.len(),
        matched: m.iter().flatten().count(),
    };
    for (e, m) in eb.iter().zip(&m) {
        if m.is_none() {
            s.misses.push(format!("body {e}"));
        }
    }

    let ek = arr("tasks");
    let m = matching(&ek, &doc.tasks, |e, a| {
        fold(&a.text).starts_with(&fold(e[0].as_str().unwrap_or("")))
    });
    for (i, a) in doc.tasks.iter().enumerate() {
        if !m.contains(&Some(i)) {
            s.extra.push(format!(
                "task {:?}",
                a.text.chars().take(70).collect::<String>()
            ));
        }
    }
    s.tasks = Pr {
        expected: ek.len(),
        found: doc.tasks.len(),
        matched: m.iter().flatten().count(),
    };
    for (e, m) in ek.iter().zip(&m) {
        let Some(i) = m else {
            s.misses.push(format!("task {e}"));
            continue;
        };
        let a = &doc.tasks[*i];
        if e[1] != "*" {
            s.task_lead.1 += 1;
            let ok = a.lead.as_deref().map(fold) == e[1].as_str().map(fold);
            if ok {
                s.task_lead.0 += 1;
            } else {
                s.misses.push(format!("task lead {} ≠ {:?}", e[1], a.lead));
            }
        }
        s.task_deadline.1 += 1;
        let ok = a.deadline.as_ref().map(|d| d.text.trim().to_string()) == opt_str(&e[2]);
        if ok {
            s.task_deadline.0 += 1;
        } else {
            s.misses.push(format!(
                "task deadline {} ≠ {:?} ({})",
                e[2],
                a.deadline.as_ref().map(|d| &d.text),
                e[0]
            ));
        }
    }
    s
}

/// Run the library on a sample and score it against its expectation file.
pub fn run(expected_path: &std::path::Path) -> (Document, Scores) {
    let root = env!("CARGO_MANIFEST_DIR");
    let exp: Value =
        serde_json::from_str(&std::fs::read_to_string(expected_path).expect("expectation file"))
            .expect("expectation JSON");
    let sample = std::path::Path::new(root).join(exp["sample"].as_str().expect("sample path"));
    let bytes = std::fs::read(&sample).expect("sample file");
    let doc = kehoach::process_bytes(
        &sample.to_string_lossy(),
        &bytes,
        kehoach::Rules::builtin(),
        &kehoach::Params::default(),
    )
    .expect("sample processes");
    let s = score(&doc, &exp);
    (doc, s)
}
