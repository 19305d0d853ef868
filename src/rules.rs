//! Knowledge as data: everything in `rules/` is loaded from there, once, never scattered as
//! literals in code.
//!
//! The files are embedded into the binary at build time (so `kehoach` runs from anywhere) and
//! may be overridden at run time with `--rules DIR` / `KEHOACH_RULES`, which is how a user tries
//! an edited heading list or a language model trained on their own archive without rebuilding.

use include_dir::{Dir, include_dir};
use serde::Deserialize;
use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("rules file {0} is missing")]
    Missing(String),
    #[error("rules file {file}: {reason}")]
    Invalid { file: String, reason: String },
    #[error("reading rules file {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// Where rule files come from.
#[derive(Debug, Clone)]
enum Origin {
    Builtin,
    Dir(PathBuf),
}

/// An abbreviation and what it stands for; `variants` are forms damaged text shows it in
/// (`HDND` for `HĐND`), which restoration repairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abbreviation {
    pub short: String,
    pub expansion: String,
    pub variants: Vec<String>,
}

/// Heading vocabulary: which words make a section of which kind.
#[derive(Debug, Clone, Deserialize)]
pub struct HeadingKind {
    pub kind: String,
    /// Weak keywords decide only top-level headings; a sub-heading keeps its parent's kind.
    #[serde(default)]
    pub weak: bool,
    /// Lower-case keyword phrases; a heading containing one gets this kind. Earlier entries
    /// of the list win over later ones.
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HeadingRules {
    pub kinds: Vec<HeadingKind>,
    /// Words ending the text before a colon that make it a sentence introducing a list
    /// (`… bao gồm:`), not a run-in heading.
    #[serde(default)]
    pub list_introducers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DocTypes {
    /// Document types (`Kế hoạch`, `Quyết định`…) with the code used in numbers (`KH`, `QĐ`).
    pub types: Vec<DocType>,
    /// Openers of a letter's subject line (`V/v`), which is its title (trích yếu).
    #[serde(default)]
    pub subject_markers: Vec<String>,
    /// The type of a document with a subject line and no type word (`Công văn`).
    #[serde(default)]
    pub letter: Option<String>,
    /// Openers of the line naming a letter's addressees (`Kính gửi`), where its body begins.
    #[serde(default)]
    pub addressee_markers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DocType {
    pub name: String,
    #[serde(default)]
    pub codes: Vec<String>,
}

/// Names of bodies, units and positions, and the fixed phrases of the document layout
/// (`bodies.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct BodyRules {
    pub units: Vec<String>,
    pub bodies: Vec<String>,
    pub positions: Vec<String>,
    pub authority: Vec<String>,
    pub basis_openers: Vec<String>,
    pub issuing_verbs: Vec<String>,
    /// Words that end a cited document's issuer and begin its subject.
    #[serde(default)]
    pub citation_subject_words: Vec<String>,
    /// Of those, the verbs that stay in the cited document's title.
    #[serde(default)]
    pub citation_verbs: Vec<String>,
    pub national_title: String,
    pub motto: String,
    pub recipients_label: String,
    /// `Lưu` of the recipients' last line (`Lưu: VT, VP.`), folded.
    #[serde(default)]
    pub archive_label: String,
    #[serde(default)]
    pub not_places: Vec<String>,
}

/// Everything the stages know, loaded once per process.
pub struct Rules {
    origin: Origin,
    pub abbreviations: Vec<Abbreviation>,
    abbreviation_index: HashMap<String, usize>,
    pub headings: HeadingRules,
    pub doc_types: DocTypes,
    pub bodies: BodyRules,
    /// Stage-specific tables that are costly to parse (the restoration model, the extraction
    /// vocabulary), built on first use by the stage that knows them: one slot per type, so
    /// this module knows no stage (see [`Rules::cached`]).
    cache: Mutex<HashMap<TypeId, Arc<Slot>>>,
}

/// One cached table, or why it could not be built.
type Slot = OnceLock<Result<Arc<dyn Any + Send + Sync>, String>>;

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Rules {
    /// The rules embedded at build time.
    pub fn builtin() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            Rules::load(Origin::Builtin).expect("embedded rules are valid (tested)")
        })
    }

    /// Rules from a folder laid out like `rules/`; files it lacks come from the embedded set.
    pub fn from_dir(dir: &Path) -> Result<Rules, Error> {
        Rules::load(Origin::Dir(dir.to_path_buf()))
    }

    fn load(origin: Origin) -> Result<Rules, Error> {
        let mut r = Rules {
            origin,
            abbreviations: vec![],
            abbreviation_index: HashMap::new(),
            headings: HeadingRules {
                kinds: vec![],
                list_introducers: vec![],
            },
            doc_types: DocTypes {
                types: vec![],
                subject_markers: vec![],
                letter: None,
                addressee_markers: vec![],
            },
            bodies: BodyRules {
                units: vec![],
                bodies: vec![],
                positions: vec![],
                authority: vec![],
                basis_openers: vec![],
                issuing_verbs: vec![],
                citation_subject_words: vec![],
                citation_verbs: vec![],
                national_title: String::new(),
                motto: String::new(),
                recipients_label: String::new(),
                archive_label: String::new(),
                not_places: vec![],
            },
            cache: Mutex::new(HashMap::new()),
        };
        const ABBREVIATIONS: &str = "abbreviations.tsv";
        r.abbreviations =
            parse_abbreviations(&r.text(ABBREVIATIONS)?).map_err(|reason| Error::Invalid {
                file: r.location(ABBREVIATIONS),
                reason,
            })?;
        for (i, a) in r.abbreviations.iter().enumerate() {
            r.abbreviation_index.insert(a.short.clone(), i);
        }
        r.headings = r.toml("headings.toml")?;
        r.doc_types = r.toml("doc_types.toml")?;
        r.bodies = r.toml("bodies.toml")?;
        Ok(r)
    }

    /// The bytes of a rules file, from the override folder when it has it.
    pub fn file(&self, name: &str) -> Result<Cow<'static, [u8]>, Error> {
        if let Origin::Dir(d) = &self.origin {
            let p = d.join(name);
            if p.exists() {
                return std::fs::read(&p)
                    .map(Cow::Owned)
                    .map_err(|source| Error::Io {
                        file: self.location(name),
                        source,
                    });
            }
        }
        BUILTIN
            .get_file(name)
            .map(|f| Cow::Borrowed(f.contents()))
            .ok_or_else(|| Error::Missing(name.into()))
    }

    /// Where the rules file `name` is read from, for messages: its path in the `--rules`
    /// folder when it is there, else the built-in copy.
    pub fn location(&self, name: &str) -> String {
        match &self.origin {
            Origin::Dir(d) if d.join(name).exists() => d.join(name).display().to_string(),
            _ => format!("{name} (built in)"),
        }
    }

    /// A rules file as UTF-8 text.
    pub fn text(&self, name: &str) -> Result<String, Error> {
        let b = self.file(name)?;
        String::from_utf8(b.into_owned()).map_err(|e| Error::Invalid {
            file: self.location(name),
            reason: e.to_string(),
        })
    }

    /// A TOML rules file deserialised.
    pub fn toml<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        toml::from_str(&self.text(name)?).map_err(|e| Error::Invalid {
            file: self.location(name),
            reason: e.to_string(),
        })
    }

    pub fn abbreviation(&self, short: &str) -> Option<&Abbreviation> {
        self.abbreviation_index
            .get(short)
            .map(|&i| &self.abbreviations[i])
    }

    /// A table a stage builds from these rules, built once per `Rules` by `build` on first use
    /// and shared after (one per type `T`). Threads asking at the same time wait for the one
    /// build; a failed build is kept too, so the error is the same every time.
    ///
    /// The stage owns both the type and how to build it (`restore::decode::Model::get`,
    /// `extract::vocab::Vocab::get`): `rules` loads files and caches, and knows no stage.
    pub fn cached<T: Any + Send + Sync>(
        &self,
        build: impl FnOnce(&Rules) -> Result<T, String>,
    ) -> Result<Arc<T>, String> {
        // The map's lock is held only to find the slot, not while building, so one build may
        // ask for another table.
        let slot = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(TypeId::of::<T>())
            .or_default()
            .clone();
        slot.get_or_init(|| build(self).map(|t| Arc::new(t) as Arc<dyn Any + Send + Sync>))
            .clone()
            .map(|t| t.downcast::<T>().expect("slot keyed by its type"))
    }
}

/// `abbreviations.tsv`: `SHORT<TAB>expansion[<TAB>variant,variant…]`, `#` comments. The error
/// is the reason; the caller names the file (its folder is known there).
fn parse_abbreviations(text: &str) -> Result<Vec<Abbreviation>, String> {
    let mut out = vec![];
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(short), Some(expansion)) = (cols.next(), cols.next()) else {
            return Err(format!("line {}: needs SHORT<TAB>expansion", n + 1));
        };
        let variants = cols
            .next()
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        out.push(Abbreviation {
            short: short.trim().into(),
            expansion: expansion.trim().into(),
            variants,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load() {
        let r = Rules::builtin();
        assert_eq!(r.abbreviation("UBND").unwrap().expansion, "Ủy ban nhân dân");
        assert!(r.headings.kinds.iter().any(|k| k.kind == "budget"));
    }
}
