//! Rewrite a syllable model of the first file format (`KHLM\x01`, tables converted at every
//! load) in the current one (tables borrowed as they lie), with the same quantised values:
//! `cargo run --release --example lm_convert -- OLD.bin NEW.bin`.
//! A migration aid for a model trained before the format changed, not part of the pipeline.
use kehoach::restore::lm::{Estimate, Lm};
use std::collections::HashMap;

struct Reader<'a>(&'a [u8], usize);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        let s = &self.0[self.1..self.1 + n];
        self.1 += n;
        s
    }
    fn u16(&mut self) -> u16 {
        let b = self.take(2);
        u16::from_le_bytes([b[0], b[1]])
    }
    fn u32(&mut self) -> usize {
        let b = self.take(4);
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
    }
    /// A quantised log10 probability as a probability.
    fn p(&mut self) -> f64 {
        10f64.powf(-f64::from(self.u16()) / 1000.0)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [old, new] = &args[..] else {
        panic!("usage: lm_convert OLD.bin NEW.bin");
    };
    let bytes = std::fs::read(old).expect("the old model reads");
    let mut r = Reader(&bytes, 0);
    assert_eq!(r.take(6), b"KHLM\x01\n", "a model of the first format");
    let (v, n2, n3) = (r.u32(), r.u32(), r.u32());
    let unk = r.p();
    let vocab: Vec<String> = (0..v)
        .map(|_| {
            let n = r.take(1)[0] as usize;
            String::from_utf8(r.take(n).to_vec()).expect("UTF-8 words")
        })
        .collect();
    let (mut p1, mut bow2) = (vec![], vec![]);
    for _ in 0..v {
        p1.push(r.p());
        bow2.push(r.p());
    }
    let off2: Vec<usize> = (0..=v).map(|_| r.u32()).collect();
    let bigrams: Vec<(u16, f64, f64)> = (0..n2).map(|_| (r.u16(), r.p(), r.p())).collect();
    let off3: Vec<usize> = (0..=n2).map(|_| r.u32()).collect();
    let tri: Vec<(u16, f64)> = (0..n3).map(|_| (r.u16(), r.p())).collect();
    assert_eq!(r.1, bytes.len(), "the whole file read");
    let mut rows2 = vec![vec![]; v];
    let mut rows3 = HashMap::new();
    for (vv, row) in rows2.iter_mut().enumerate() {
        for k in off2[vv]..off2[vv + 1] {
            let (w, p, bow) = bigrams[k];
            row.push((w, p));
            rows3.insert((vv as u16, w), (bow, tri[off3[k]..off3[k + 1]].to_vec()));
        }
    }
    let est = Estimate {
        vocab,
        p1,
        bow2,
        unk,
        rows2,
        rows3,
    };
    let out = est.to_bytes();
    Lm::load(&out).expect("the new file loads");
    std::fs::write(new, &out).expect("the new model writes");
    eprintln!(
        "{old} ({} bytes) → {new} ({} bytes)",
        bytes.len(),
        out.len()
    );
}
