//! Documents saved one image per page: which input files are the pages of one document.
//!
//! The naming rule is data (`rules/page_files.toml`, which says it in full): image files of one
//! folder named `<stem> <marker> <number> <rest>` with the same stem and rest are one
//! document's pages, in the order of their numbers. `--pages-per-folder` makes every folder's
//! images one document, in natural order of their names (`2.png` before `10.png`).

use super::input::Input;
use crate::Rules;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
struct PageFiles {
    markers: Vec<String>,
    extensions: Vec<String>,
}

/// The naming rule, compiled.
pub struct Grouper {
    name: Regex,
    extensions: Vec<String>,
}

impl Grouper {
    pub fn new(rules: &Rules) -> Result<Grouper, crate::rules::Error> {
        const FILE: &str = "page_files.toml";
        let rule: PageFiles = rules.toml(FILE)?;
        let markers: Vec<String> = rule.markers.iter().map(|m| regex::escape(m)).collect();
        // Greedy stem: of two page-like parts of a name, the last one is the page number.
        let pattern = format!(
            r"(?i)^(?P<stem>.*)(?:^|[ _.\-]+)(?:{})[ _.\-]*(?P<n>\d{{1,4}})(?P<rest>[ _.\-].*)?$",
            markers.join("|")
        );
        let name = Regex::new(&pattern).map_err(|e| crate::rules::Error::Invalid {
            file: rules.location(FILE),
            reason: e.to_string(),
        })?;
        Ok(Grouper {
            name,
            extensions: rule.extensions,
        })
    }

    fn is_image(&self, p: &Path) -> bool {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }

    /// The document a page file belongs to (its folder, and its stem and rest without case)
    /// and its page number, when its name names a page.
    fn page_of(&self, p: &Path) -> Option<((PathBuf, String), u32)> {
        if !self.is_image(p) {
            return None;
        }
        let stem = p.file_stem()?.to_str()?;
        let c = self.name.captures(stem)?;
        let n = c["n"].parse().ok()?;
        let key = format!(
            "{}\u{0}{}",
            c["stem"].to_lowercase(),
            c.name("rest")
                .map_or(String::new(), |r| r.as_str().to_lowercase())
        );
        Some(((folder_of(p), key), n))
    }
}

fn folder_of(p: &Path) -> PathBuf {
    p.parent().unwrap_or(Path::new("")).to_path_buf()
}

/// Natural order of file names: runs of digits compare as numbers (`p2` before `p10`).
fn natural_key(name: &str) -> Vec<(u8, u64, String)> {
    let mut out = vec![];
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let digits = c.is_ascii_digit();
        let end = rest
            .find(|x: char| x.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        out.push(match run.parse::<u64>() {
            Ok(n) if digits => (0, n, String::new()),
            _ => (1, 0, run.to_lowercase()),
        });
        rest = tail;
    }
    out
}

/// The inputs with each group of page files made one input, at the place of its first file.
/// With `per_folder`, every folder's image files are one group (named after the folder);
/// otherwise the naming rule decides (named after the first page). A group needs two files or
/// more; a rule group with a repeated page number is left as separate files, since which file
/// is which page cannot be told.
pub fn group(inputs: Vec<Input>, grouper: &Grouper, per_folder: bool) -> Vec<Input> {
    let mut groups: BTreeMap<(PathBuf, String), Vec<(u32, usize)>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let found = if per_folder {
            grouper
                .is_image(&input.path)
                .then(|| ((folder_of(&input.path), String::new()), 0))
        } else {
            grouper.page_of(&input.path)
        };
        if let Some((key, n)) = found {
            groups.entry(key).or_default().push((n, i));
        }
    }
    let mut merged: BTreeMap<usize, Input> = BTreeMap::new();
    let mut taken = vec![false; inputs.len()];
    for mut members in groups.into_values() {
        if members.len() < 2 {
            continue;
        }
        if per_folder {
            members.sort_by_cached_key(|&(_, i)| {
                natural_key(
                    &inputs[i]
                        .path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy(),
                )
            });
        } else {
            members.sort();
            if members.windows(2).any(|w| w[0].0 == w[1].0) {
                continue;
            }
        }
        let first = &inputs[members[0].1];
        let (path, relative) = if per_folder {
            let folder = folder_of(&first.path);
            let relative = match first.relative.parent() {
                Some(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
                _ => PathBuf::from(folder.file_name().unwrap_or(folder.as_os_str())),
            };
            (folder, relative)
        } else {
            (first.path.clone(), first.relative.clone())
        };
        let pages = members
            .iter()
            .map(|&(_, i)| inputs[i].path.clone())
            .collect();
        for &(_, i) in &members {
            taken[i] = true;
        }
        let at = members.iter().map(|&(_, i)| i).min().unwrap_or(0);
        merged.insert(
            at,
            Input {
                path,
                relative,
                pages,
            },
        );
    }
    let mut out = vec![];
    for (i, input) in inputs.into_iter().enumerate() {
        if let Some(m) = merged.remove(&i) {
            out.push(m);
        } else if !taken[i] {
            out.push(input);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(relative: &str) -> Input {
        Input {
            path: PathBuf::from("in").join(relative),
            relative: PathBuf::from(relative),
            pages: vec![],
        }
    }

    /// (relative, page file names) of each input after grouping.
    fn grouped(names: &[&str], per_folder: bool) -> Vec<(String, Vec<String>)> {
        let g = Grouper::new(Rules::builtin()).unwrap();
        group(names.iter().map(|n| input(n)).collect(), &g, per_folder)
            .into_iter()
            .map(|i| {
                let pages = i
                    .pages
                    .iter()
                    .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                    .collect();
                (i.relative.to_string_lossy().into_owned(), pages)
            })
            .collect()
    }

    fn owned(v: Vec<(&str, Vec<&str>)>) -> Vec<(String, Vec<String>)> {
        v.into_iter()
            .map(|(r, p)| (r.into(), p.into_iter().map(String::from).collect()))
            .collect()
    }

    #[test]
    fn page_files_named_as_one_documents_pages_are_one_input_in_page_order() {
        let got = grouped(
            &[
                "bien ban trang 10.JPG",
                "bien ban trang 2.jpg",
                "bien ban trang 1.jpg",
                "cong_van.pdf",
                "hop_p1_goc.png",
                "hop_p2_goc.png",
                "hop_p2_ban_sao.png",
                "kh_page_1.png",
                "kh_page_1.tif",
                "to_trinh_2.png",
                "to_trinh_3.png",
            ],
            false,
        );
        let want = vec![
            (
                "bien ban trang 1.jpg",
                vec![
                    "bien ban trang 1.jpg",
                    "bien ban trang 2.jpg",
                    "bien ban trang 10.JPG",
                ],
            ),
            ("cong_van.pdf", vec![]),
            ("hop_p1_goc.png", vec!["hop_p1_goc.png", "hop_p2_goc.png"]),
            // Another rest (`_ban_sao`): another document; alone, it stays as it is.
            ("hop_p2_ban_sao.png", vec![]),
            // Two files claim page 1: undecided, each its own document.
            ("kh_page_1.png", vec![]),
            ("kh_page_1.tif", vec![]),
            // Bare numbers are not pages by name.
            ("to_trinh_2.png", vec![]),
            ("to_trinh_3.png", vec![]),
        ];
        assert_eq!(got, owned(want));
    }

    #[test]
    fn pages_per_folder_takes_every_image_of_a_folder_in_natural_order() {
        let got = grouped(
            &[
                "hop/10.tif",
                "hop/2.tif",
                "hop/1.tif",
                "hop/phieu.pdf",
                "le/1.png",
            ],
            true,
        );
        let want = vec![
            ("hop", vec!["1.tif", "2.tif", "10.tif"]),
            ("hop/phieu.pdf", vec![]),
            ("le/1.png", vec![]),
        ];
        assert_eq!(got, owned(want));
        let g = Grouper::new(Rules::builtin()).unwrap();
        let one = group(vec![input("a.png"), input("b.png")], &g, true);
        // A folder given itself is named after the folder.
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].path, PathBuf::from("in"));
        assert_eq!(one[0].relative, PathBuf::from("in"));
    }
}
