//! Shards: N processes, anywhere, split one batch's inputs without overlap and without talking.
//!
//! Every input has a stable key, the path below the folder given (`1998/kh-12.pdf`, components
//! joined by `/`: the key `index.jsonl` rows carry as `input`). Shard `K` of `N` takes the
//! inputs whose key's 64-bit FNV-1a hash (of its UTF-8 bytes) is `K` modulo `N`. FNV-1a is
//! fixed by its definition (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`), so the
//! split is the same on every machine, build and run, unlike Rust's randomised `HashMap`
//! hasher. `K` counts from 0 (`0/4` … `3/4`), as Kubernetes' `JOB_COMPLETION_INDEX` and Ray's
//! task indexes do. Page files grouped into one document are one input, keyed by the group's
//! key, so a document's pages never straddle two shards.

use super::atomic::PREFIX;
use super::input::Input;
use std::path::Path;

/// Shard `index` of `count` (`--shard K/N`, `0 <= K < N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// Why a `--shard` value is refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    #[error("{0:?} is not a shard: give K/N, e.g. 0/4 (K counts from 0)")]
    Format(String),
    #[error("--shard {index}/{count}: K counts from 0, so it must be less than N ({count})")]
    OutOfRange { index: u64, count: u64 },
    #[error("--shard …/0: N must be at least 1")]
    NoShards,
}

impl std::str::FromStr for Shard {
    type Err = Error;

    fn from_str(s: &str) -> Result<Shard, Error> {
        let (k, n) = s
            .trim()
            .split_once('/')
            .ok_or_else(|| Error::Format(s.into()))?;
        let number = |x: &str| x.trim().parse::<u64>().map_err(|_| Error::Format(s.into()));
        let (index, count) = (number(k)?, number(n)?);
        if count == 0 {
            return Err(Error::NoShards);
        }
        if index >= count {
            return Err(Error::OutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// `index.K-of-N.jsonl`: the shard's own index beside the documents.
    pub fn index_name(&self) -> String {
        format!("index.{}-of-{}.jsonl", self.index, self.count)
    }

    /// Whether the input falls in this shard.
    pub fn holds(&self, input: &Input) -> bool {
        fnv1a64(key(&input.relative).as_bytes()) % self.count == self.index
    }
}

/// How a run's temporary files start: `.kehoach-`, and for a shard `.kehoach-shard-K-of-N-`,
/// so that a shard starting again removes what it left when killed, never the file another
/// shard is writing at that moment into the same folder.
pub fn temporary_prefix(shard: Option<Shard>) -> String {
    match shard {
        None => PREFIX.into(),
        Some(s) => format!("{PREFIX}shard-{}-of-{}-", s.index, s.count),
    }
}

/// Whether `name` is a temporary file that a run of `shard` (or an unsharded run) wrote.
pub fn is_own_temporary(name: &str, shard: Option<Shard>) -> bool {
    name.ends_with(".tmp")
        && name.starts_with(&temporary_prefix(shard))
        && (shard.is_some() || !name[PREFIX.len()..].starts_with("shard-"))
}

/// The input's stable key: its path below the folder given, components joined by `/` whatever
/// the system's separator.
pub fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// 64-bit FNV-1a (Fowler–Noll–Vo), written out: the split must never depend on a library's or
/// a release's choice of hasher.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn fnv1a_gives_the_published_values() {
        // The reference implementation's test vectors (FNV-1a, 64 bits).
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn a_shard_is_k_of_n_counting_from_zero() {
        assert_eq!("0/4".parse(), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(" 3 / 4 ".parse(), Ok(Shard { index: 3, count: 4 }));
        assert_eq!(
            "4/4".parse::<Shard>(),
            Err(Error::OutOfRange { index: 4, count: 4 })
        );
        assert_eq!("0/0".parse::<Shard>(), Err(Error::NoShards));
        assert!(matches!("1".parse::<Shard>(), Err(Error::Format(_))));
        assert!(matches!("-1/4".parse::<Shard>(), Err(Error::Format(_))));
        assert_eq!(
            Shard { index: 2, count: 8 }.index_name(),
            "index.2-of-8.jsonl"
        );
    }

    #[test]
    fn a_shard_removes_only_its_own_temporaries() {
        let s1 = Some(Shard { index: 1, count: 4 });
        let s2 = Some(Shard { index: 2, count: 4 });
        let of1 = format!("{}a1B2c3.tmp", temporary_prefix(s1));
        let plain = format!("{}a1B2c3.tmp", temporary_prefix(None));
        assert!(is_own_temporary(&of1, s1));
        assert!(!is_own_temporary(&of1, s2));
        assert!(!is_own_temporary(&of1, None));
        assert!(is_own_temporary(&plain, None));
        assert!(!is_own_temporary(&plain, s1));
        assert!(!is_own_temporary("kh.txt.json", None));
    }

    #[test]
    fn every_input_falls_in_exactly_one_shard_and_they_share_the_work() {
        let inputs: Vec<Input> = (0..400)
            .map(|i| Input {
                path: PathBuf::from(format!("in/{}/kh-{i}.pdf", i % 7)),
                relative: PathBuf::from(format!("{}/kh-{i}.pdf", i % 7)),
                pages: vec![],
            })
            .collect();
        let shards: Vec<Shard> = (0..4).map(|k| Shard { index: k, count: 4 }).collect();
        let mut sizes = [0usize; 4];
        for input in &inputs {
            let holders: Vec<u64> = shards
                .iter()
                .filter(|s| s.holds(input))
                .map(|s| s.index)
                .collect();
            assert_eq!(holders.len(), 1, "{input:?} in {holders:?}");
            sizes[holders[0] as usize] += 1;
        }
        // A hash that spreads keys: no shard far from a quarter of 400.
        assert!(sizes.iter().all(|&n| (70..=130).contains(&n)), "{sizes:?}");
        // One shard takes everything.
        let one = Shard { index: 0, count: 1 };
        assert!(inputs.iter().all(|i| one.holds(i)));
    }
}
