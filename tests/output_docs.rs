//! `docs/output.md` is the output contract in words; `kehoach schema` is the same contract
//! generated from the Rust types. They must name the same fields, so that neither a field added
//! to the types nor one documented but never written goes unnoticed.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The definition a property points to (through `$ref`, an `anyOf` with null, or an array's
/// items), and whether it is a list.
fn target<'a>(prop: &'a Value, defs: &'a Value) -> (Option<(&'a str, &'a Value)>, bool) {
    let mut p = prop;
    if let Some(any) = p.get("anyOf").and_then(Value::as_array)
        && let Some(r) = any.iter().find(|x| x.get("$ref").is_some())
    {
        p = r;
    }
    let mut list = false;
    if let Some(items) = p.get("items")
        && items.is_object()
    {
        p = items;
        list = true;
    }
    let def = p.get("$ref").and_then(Value::as_str).and_then(|r| {
        let name = r.rsplit('/').next()?;
        Some((name, defs.get(name)?))
    });
    (def, list)
}

/// Every field path of the schema (`source.pages[].number`) with its enum values, if any.
/// A type met again inside itself (`sections[].children`) is not walked again.
fn schema_fields(
    obj: &Value,
    defs: &Value,
    prefix: &str,
    stack: &mut Vec<String>,
    out: &mut BTreeMap<String, Vec<String>>,
) {
    let Some(props) = obj.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, prop) in props {
        let path = format!("{prefix}{name}");
        let (def, list) = target(prop, defs);
        let values = def
            .and_then(|(_, d)| d.get("enum"))
            .and_then(Value::as_array)
            .map(|v| {
                v.iter()
                    .filter_map(|x| Some(x.as_str()?.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        out.insert(path.clone(), values);
        if let Some((def_name, d)) = def
            && !stack.iter().any(|s| s == def_name)
        {
            stack.push(def_name.to_string());
            let inner = format!("{path}{}.", if list { "[]" } else { "" });
            schema_fields(d, defs, &inner, stack, out);
            stack.pop();
        }
    }
}

/// Rows of the document's field tables (headed `| field | type | meaning |`): first cell a
/// backquoted path; the whole row.
fn documented_fields(md: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut in_fields = false;
    for l in md.lines() {
        if !l.starts_with('|') {
            in_fields = false;
        } else if l.starts_with("| field | type | meaning |") {
            in_fields = true;
        } else if in_fields
            && let Some(cell) = l.strip_prefix("| `")
            && let Some(end) = cell.find("` |")
        {
            out.insert(cell[..end].to_string(), l.to_string());
        }
    }
    out
}

#[test]
fn schema_and_docs_name_the_same_fields() {
    let schema = kehoach::contract::schema();
    let mut fields = BTreeMap::new();
    schema_fields(&schema, &schema["$defs"], "", &mut vec![], &mut fields);
    let md = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/output.md"))
        .expect("docs/output.md exists");
    let documented = documented_fields(&md);
    // The walk itself: a field of the top, a nested one, and one of a recursive type.
    for known in ["text", "source.pages[].start", "sections[].children"] {
        assert!(fields.contains_key(known), "schema walk missed {known}");
    }
    let in_schema: BTreeSet<_> = fields.keys().collect();
    let in_docs: BTreeSet<_> = documented.keys().collect();
    let undocumented: Vec<_> = in_schema.difference(&in_docs).collect();
    let stale: Vec<_> = in_docs.difference(&in_schema).collect();
    assert!(
        undocumented.is_empty(),
        "fields of `kehoach schema` missing from docs/output.md: {undocumented:?}"
    );
    assert!(
        stale.is_empty(),
        "fields in docs/output.md that `kehoach schema` does not have: {stale:?}"
    );
    for (path, values) in &fields {
        let row = &documented[path];
        for v in values {
            assert!(
                row.contains(&format!("`{v}`")),
                "docs/output.md's row for {path} does not name the value `{v}`"
            );
        }
    }
}

/// The README points into the repository only: a clone has no `../shared` next to it.
#[test]
fn readme_and_docs_stay_inside_the_repository() {
    for file in ["README.md", "docs/output.md"] {
        let text = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.contains("](../") && !line.contains("shared/spec"),
                "{file}:{}: points outside the repository: {line}",
                n + 1
            );
        }
    }
}
