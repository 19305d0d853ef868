//! The house's imports run one way (issue 28): no source file of `src/` over 1,000 lines, no
//! import cycle among the files of `src/`, and no stage importing a later one. A file depends on another when it names it by a `crate::`, `super::` or
//! `self::` path, or (in a `mod.rs`/`lib.rs`) by one of its child modules' names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

fn files() -> BTreeMap<Module, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(&root) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !rel.ends_with(".rs") || rel.starts_with("bin/") || rel == "main.rs" {
            continue;
        }
        let mut parts: Module = rel[..rel.len() - 3].split('/').map(String::from).collect();
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        out.insert(parts, rel);
    }
    out
}

fn strip(src: &str) -> String {
    let block = regex::Regex::new(r"(?s)/\*.*?\*/").unwrap();
    let line = regex::Regex::new(r"//[^\n]*").unwrap();
    let string = regex::Regex::new(r#""(\\.|[^"\\])*""#).unwrap();
    let s = block.replace_all(src, "");
    let s = line.replace_all(&s, "");
    string.replace_all(&s, "\"\"").into_owned()
}

/// Every path a `use` tree names, braces expanded.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(i) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap().trim().to_string()];
    };
    let prefix = &tree[..i];
    let inner = &tree[i + 1..tree.rfind('}').unwrap()];
    let (mut parts, mut depth, mut cur) = (vec![], 0, String::new());
    for c in inner.chars() {
        match c {
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p).into_iter().map(|e| format!("{prefix}{e}")))
        .collect()
}

fn graph() -> (BTreeMap<Module, String>, BTreeMap<Module, BTreeSet<Module>>) {
    let files = files();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let child_re = regex::Regex::new(r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;").unwrap();
    let inline_re = regex::Regex::new(r"\bmod\s+\w+\s*\{").unwrap();
    let use_re = regex::Regex::new(r"\buse\s+([^;]+);").unwrap();
    let path_re =
        regex::Regex::new(r"(?:^|[^\w:])((?:crate|super|self|[a-z_][a-z0-9_]*)(?:::\w+)+)")
            .unwrap();
    let mut edges = BTreeMap::new();
    for (m, rel) in &files {
        let src = strip(&std::fs::read_to_string(root.join(rel)).unwrap());
        let children: BTreeSet<&str> = child_re
            .captures_iter(&src)
            .map(|c| c.get(1).unwrap().as_str())
            .collect();
        // Inline modules (`mod tests { … }`): `super` inside one is the file itself.
        let mut regions = vec![];
        for mm in inline_re.find_iter(&src) {
            let (start, mut depth, mut j) = (mm.end(), 1, mm.end());
            let b = src.as_bytes();
            while j < b.len() && depth > 0 {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            regions.push(start..j);
        }
        let level = |pos: usize| regions.iter().filter(|r| r.contains(&pos)).count();
        let mut paths = vec![];
        for c in use_re.captures_iter(&src) {
            let pos = c.get(0).unwrap().start();
            for p in expand(c.get(1).unwrap().as_str()) {
                paths.push((pos, p.split_whitespace().collect::<String>()));
            }
        }
        for c in path_re.captures_iter(&src) {
            let g = c.get(1).unwrap();
            paths.push((g.start(), g.as_str().to_string()));
        }
        let mut deps = BTreeSet::new();
        for (pos, p) in paths {
            let mut segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            if segs.is_empty() {
                continue;
            }
            let base: Module = match segs[0] {
                "crate" => {
                    segs.remove(0);
                    vec![]
                }
                "super" | "self" => {
                    let mut base: Vec<Option<&str>> = m.iter().map(|s| Some(s.as_str())).collect();
                    base.extend(std::iter::repeat_n(None, level(pos)));
                    while let Some(&s) = segs.first().filter(|s| **s == "super" || **s == "self") {
                        if s == "super" {
                            base.pop();
                        }
                        segs.remove(0);
                    }
                    base.into_iter().flatten().map(String::from).collect()
                }
                s if children.contains(s) && level(pos) == 0 => m.clone(),
                _ => continue,
            };
            let mut full = base;
            full.extend(segs.iter().map(|s| s.to_string()));
            let best = (0..=full.len())
                .rev()
                .map(|k| full[..k].to_vec())
                .find(|k| files.contains_key(k));
            if let Some(b) = best.filter(|b| b != m) {
                deps.insert(b);
            }
        }
        edges.insert(m.clone(), deps);
    }
    (files, edges)
}

/// Strongly connected components of more than one file (Tarjan).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Module) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        for w in &t.edges[v] {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.stack.contains(&w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = vec![];
            loop {
                let w = t.stack.pop().unwrap();
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        out: vec![],
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[test]
fn no_import_cycle() {
    let (files, edges) = graph();
    let found: Vec<Vec<&str>> = cycles(&edges)
        .iter()
        .map(|comp| {
            let mut names: Vec<&str> = comp.iter().map(|m| files[m].as_str()).collect();
            names.sort();
            names
        })
        .collect();
    assert!(found.is_empty(), "import cycles: {found:#?}");
}

#[test]
fn the_contract_and_rules_import_no_stage() {
    let (files, edges) = graph();
    for bottom in ["contract.rs", "rules.rs", "span.rs", "fold.rs"] {
        let m = files.iter().find(|(_, f)| *f == bottom).unwrap().0;
        let deps: Vec<&str> = edges[m].iter().map(|d| files[d].as_str()).collect();
        assert!(
            deps.iter().all(|d| ["span.rs", "fold.rs"].contains(d)),
            "{bottom} imports {deps:?}"
        );
    }
    // The language's knowledge (syllables, legacy encodings) sits on the rules and no stage.
    for (m, f) in files.iter().filter(|(_, f)| f.starts_with("vietnamese/")) {
        for d in &edges[m] {
            assert_eq!(level(&files[d]), 0, "{f} imports {}", files[d]);
        }
    }
}

#[test]
fn no_source_file_over_a_thousand_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for rel in files().values() {
        let n = std::fs::read_to_string(root.join(rel))
            .unwrap()
            .lines()
            .count();
        assert!(n <= 1000, "src/{rel} has {n} lines");
    }
}

/// Where a file sits in the pipeline: the bottom modules, then the stages in order, then the
/// top (`lib.rs`, `batch`, `review`, `archive`), which may use everything.
fn level(file: &str) -> usize {
    let stage = file.split('/').next().unwrap().trim_end_matches(".rs");
    match stage {
        "contract" | "rules" | "span" | "fold" | "vietnamese" => 0,
        "acquire" => 1,
        "restore" => 2,
        "segment" => 3,
        "extract" => 4,
        _ => 5,
    }
}

#[test]
fn no_stage_imports_a_later_one() {
    let (files, edges) = graph();
    for (m, deps) in &edges {
        let from = files[m].as_str();
        for d in deps {
            let to = files[d].as_str();
            assert!(
                level(to) <= level(from),
                "{from} imports {to}, a later stage"
            );
        }
    }
}
