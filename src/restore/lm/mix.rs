//! One model from several domains' models: linear interpolation with weights fitted on a
//! development text (Jelinek & Mercer's held-out interpolation, as SRILM's `-mix-lm` and
//! `compute-best-mix` do it).
//!
//! Why not pool the counts: Kneser-Ney's lower orders count *types* (how many distinct
//! words precede a pair), so a domain's weight cannot be set by repeating its text, and 21
//! million words of legislation decided every backoff (`thu hồi`, revoke, over `thứ hai`,
//! second, where plans and help pages say the latter). Each domain smoothed on its own and
//! mixed as P(w | h) = Σ λ_d P_d(w | h) keeps each domain's own distribution, and the λ that
//! make the development text most likely say how much each domain is worth to it.

use super::train::{Counts, Estimate, TrainOptions};
use std::collections::HashMap;

/// What [`fit_weights`] found.
#[derive(Debug, Clone)]
pub struct Fit {
    /// One weight per model, summing to 1.
    pub weights: Vec<f64>,
    /// Perplexity of the development text under the mixture with these weights, and under
    /// each model alone.
    pub perplexity: f64,
    pub alone: Vec<f64>,
    /// Words of the development text scored (those inside the vocabulary).
    pub words: usize,
}

/// The weights of a mixture of `models` (one shared vocabulary) that maximise the likelihood
/// of `dev` (runs of ids as [`super::Counts::id_runs`] gives them), by expectation-maximisation.
/// Words outside the vocabulary are not scored (every model gives them the same share).
pub fn fit_weights(models: &[&Estimate], dev: &[(Vec<Option<u16>>, u32)]) -> Fit {
    let d = models.len();
    // Each scored position's probability under each model, computed once.
    let mut probs: Vec<Vec<f64>> = vec![];
    for (ids, _) in dev {
        for k in 1..ids.len() {
            if ids[k].is_none() {
                continue;
            }
            let u = if k >= 2 { ids[k - 2] } else { None };
            probs.push(models.iter().map(|m| m.p(u, ids[k - 1], ids[k])).collect());
        }
    }
    let n = probs.len().max(1) as f64;
    let mut weights = vec![1.0 / d as f64; d];
    for _ in 0..500 {
        let mut next = vec![0.0; d];
        for p in &probs {
            let total: f64 = p.iter().zip(&weights).map(|(p, l)| p * l).sum();
            for (j, (p, l)) in p.iter().zip(&weights).enumerate() {
                next[j] += p * l / total;
            }
        }
        let change: f64 = next
            .iter()
            .zip(&weights)
            .map(|(a, b)| (a / n - b).abs())
            .sum();
        weights = next.into_iter().map(|x| x / n).collect();
        if change < 1e-7 {
            break;
        }
    }
    let perplexity = |w: &[f64]| {
        let log: f64 = probs
            .iter()
            .map(|p| p.iter().zip(w).map(|(p, l)| p * l).sum::<f64>().ln())
            .sum();
        (-log / n).exp()
    };
    let alone = (0..d)
        .map(|j| perplexity(&(0..d).map(|i| f64::from(i == j)).collect::<Vec<_>>()))
        .collect();
    Fit {
        perplexity: perplexity(&weights),
        weights,
        alone,
        words: probs.len(),
    }
}

/// The mixture Σ λ_d P_d of models over one vocabulary, as one backoff model: every n-gram
/// any model holds gets the mixed probability, and each context's backoff weight gives the
/// words it does not hold the mass the models give them together (exact when the models'
/// lower orders are proportional there, SRILM's static interpolation).
pub fn mix(models: &[(&Estimate, f64)]) -> Estimate {
    let first = models[0].0;
    assert!(
        models.iter().all(|(m, _)| m.vocab == first.vocab),
        "models mixed share one vocabulary"
    );
    let v = first.vocab.len();
    let sum = |f: &dyn Fn(&Estimate) -> f64| -> f64 { models.iter().map(|(m, l)| l * f(m)).sum() };
    let p1: Vec<f64> = (0..v).map(|w| sum(&|m| m.p1[w])).collect();
    let unk = sum(&|m| m.unk);
    // Bigrams: the union of each context's rows.
    let mut rows2 = vec![vec![]; v];
    let mut bow2 = vec![1.0; v];
    for vv in 0..v {
        let mut ws: Vec<u16> = models
            .iter()
            .flat_map(|(m, _)| m.rows2[vv].iter().map(|e| e.0))
            .collect();
        ws.sort_unstable();
        ws.dedup();
        if ws.is_empty() {
            continue;
        }
        let row: Vec<(u16, f64)> = ws
            .iter()
            .map(|&w| (w, sum(&|m| m.p2(vv as u16, w))))
            .collect();
        let lower_held: f64 = ws.iter().map(|&w| p1[w as usize]).sum();
        let backed_off = sum(&|m| {
            let held: f64 = ws.iter().map(|&w| m.p1[w as usize]).sum();
            m.bow2[vv] * (1.0 - held).max(0.0)
        });
        bow2[vv] = backed_off / (1.0 - lower_held).max(1e-12);
        rows2[vv] = row;
    }
    let mut out = Estimate {
        vocab: first.vocab.clone(),
        p1,
        bow2,
        unk,
        rows2,
        rows3: HashMap::new(),
    };
    // Trigrams: the union of the contexts, and of each context's kept rows.
    let mut contexts: Vec<(u16, u16)> = models
        .iter()
        .flat_map(|(m, _)| m.rows3.keys().copied())
        .collect();
    contexts.sort_unstable();
    contexts.dedup();
    let mut rows3 = HashMap::with_capacity(contexts.len());
    for (u, vv) in contexts {
        let mut ws: Vec<u16> = models
            .iter()
            .filter_map(|(m, _)| m.rows3.get(&(u, vv)))
            .flat_map(|r| r.1.iter().map(|e| e.0))
            .collect();
        ws.sort_unstable();
        ws.dedup();
        let row: Vec<(u16, f64)> = ws.iter().map(|&w| (w, sum(&|m| m.p3(u, vv, w)))).collect();
        let lower_held: f64 = ws.iter().map(|&w| out.p2(vv, w)).sum();
        let backed_off = sum(&|m| {
            let bow = m.rows3.get(&(u, vv)).map_or(1.0, |r| r.0);
            let held: f64 = ws.iter().map(|&w| m.p2(vv, w)).sum();
            bow * (1.0 - held).max(0.0)
        });
        let bow = backed_off / (1.0 - lower_held).max(1e-12);
        rows3.insert((u, vv), (bow, row));
    }
    out.rows3 = rows3;
    out
}

/// The model of several domains' counts mixed ([`super::mix`]) with the weights that make
/// `dev` most likely ([`fit_weights`]). When the development text is one of the
/// training texts (`dev_domain`, its domain), the weights are fitted without it and the model
/// then estimated with it (held-out interpolation: each domain's text is used in full, and
/// the weights are still chosen on text their model has not seen).
pub fn build_mixture(
    mut domains: Vec<Counts>,
    dev: Counts,
    dev_domain: Option<usize>,
    opts: &TrainOptions,
) -> (Estimate, Fit) {
    let mut all: Vec<&Counts> = domains.iter().collect();
    if dev_domain.is_some() {
        all.push(&dev);
    }
    let vocab = Counts::vocabulary(&all, opts);
    let mut models: Vec<Estimate> = domains.iter().map(|c| c.estimate(&vocab, opts)).collect();
    let fit = fit_weights(&models.iter().collect::<Vec<_>>(), &dev.id_runs(&vocab));
    if let Some(d) = dev_domain {
        domains[d].absorb(dev);
        models[d] = domains[d].estimate(&vocab, opts);
    }
    let parts: Vec<(&Estimate, f64)> = models.iter().zip(fit.weights.iter().copied()).collect();
    (mix(&parts), fit)
}

/// How a training run weighs and groups its files by name (`kehoach train --weight`,
/// `--domain`): kept beside the mixture so the CLI only walks folders and reads files.
#[derive(Debug, Clone, Default)]
pub struct Routing {
    /// `PREFIX=N`: files whose name starts with PREFIX count N times.
    pub weights: Vec<(String, u32)>,
    /// `NAME=PREFIXES`: files whose name starts with one of the prefixes form a domain.
    pub domains: Vec<(String, Vec<String>)>,
}

impl Routing {
    /// The weight of a file: that of the longest matching prefix, else 1.
    pub fn weight(&self, name: &str) -> u32 {
        self.weights
            .iter()
            .filter(|(prefix, _)| name.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map_or(1, |&(_, n)| n)
    }

    /// The index of a file's domain: the first whose prefixes match, else the last, the
    /// domain of the files named by none (`domains.len()`).
    pub fn domain(&self, name: &str) -> usize {
        self.domains
            .iter()
            .position(|(_, ps)| ps.iter().any(|q| name.starts_with(q.as_str())))
            .unwrap_or(self.domains.len())
    }

    /// The domains' names in index order, `other` last.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.domains.iter().map(|d| d.0.as_str()).chain(["other"])
    }
}

#[cfg(test)]
mod routing_tests {
    use super::Routing;

    #[test]
    fn the_longest_prefix_weighs_and_the_first_domain_takes_a_file() {
        let r = Routing {
            weights: vec![("plan".into(), 2), ("plan_00".into(), 5)],
            domains: vec![
                ("law".into(), vec!["luat".into(), "bo".into()]),
                ("plans".into(), vec!["plan".into()]),
            ],
        };
        assert_eq!(r.weight("plan_001.txt"), 5);
        assert_eq!(r.weight("plan_1.txt"), 2);
        assert_eq!(r.weight("luat.txt"), 1);
        assert_eq!(r.domain("bo_luat.txt"), 0);
        assert_eq!(r.domain("plan_1.txt"), 1);
        assert_eq!(r.domain("help.txt"), 2);
        assert_eq!(r.names().collect::<Vec<_>>(), ["law", "plans", "other"]);
    }
}
