//! The model file: every table in the layout [`Lm`] reads it in, little-endian, so that loading
//! borrows the bytes instead of converting them (a one-line restore spent 47 of its 83 million
//! instructions turning the 6 MB file into vectors, building the word index and the seen-pair
//! filter).
//!
//! Layout, after the magic: `u32` vocabulary size V, bigrams N2, trigrams N3, bytes of the
//! words B, slots of the word index S (a power of two, at least 2V), `u16` P(unknown); then
//! `u32` × (V+1) word offsets, B bytes of words (UTF-8), `u16` × S word index, `[u16; 2]` × V
//! unigrams, `u32` × (V+1) bigram row offsets, `u16` × N2 bigram words, `u16` × N2 bigram
//! probabilities, `[u32; 2]` × (N2+1) trigram row offsets and backoff weights, `[u16; 2]` × N3
//! trigrams, `u64` × 2^15 seen-pair filter.

use super::{Estimate, Lm, LmError, PAIR_WORDS, Vocab, pair_bits, qz, word_hash};
use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

const MAGIC: &[u8; 6] = b"KHLM\x02\n";

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], LmError> {
        let s = self
            .p
            .checked_add(n)
            .and_then(|end| self.b.get(self.p..end))
            .ok_or(LmError::Corrupt(self.p))?;
        self.p += n;
        Ok(s)
    }

    /// `n` records of `T`, borrowed.
    fn table<T: FromBytes + KnownLayout + Immutable + Unaligned>(
        &mut self,
        n: usize,
    ) -> Result<&'a [T], LmError> {
        let at = self.p;
        let len = n.checked_mul(size_of::<T>()).ok_or(LmError::Corrupt(at))?;
        <[T]>::ref_from_bytes(self.take(len)?).map_err(|_| LmError::Corrupt(at))
    }

    fn u32(&mut self) -> Result<usize, LmError> {
        Ok(self.table::<U32>(1)?[0].get() as usize)
    }
}

/// Whether offsets rise and end at `end`.
fn rows_ok(offsets: &[U32], end: usize) -> bool {
    offsets.windows(2).all(|w| w[0].get() <= w[1].get())
        && offsets.last().is_some_and(|x| x.get() as usize == end)
}

pub(super) fn read(bytes: &[u8]) -> Result<Lm<'_>, LmError> {
    let mut r = Reader { b: bytes, p: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(LmError::BadMagic);
    }
    let (v, n2, n3, b, s) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?);
    let unk = r.table::<U16>(1)?[0].get();
    if !(2..=1 << 16).contains(&v) || !s.is_power_of_two() || s < 2 * v {
        return Err(LmError::Corrupt(r.p));
    }
    let offsets = r.table::<U32>(v + 1)?;
    let at = r.p;
    let text = std::str::from_utf8(r.take(b)?).map_err(|_| LmError::Corrupt(at))?;
    let words_ok = rows_ok(offsets, b)
        && offsets
            .iter()
            .all(|o| text.is_char_boundary(o.get() as usize));
    let slots = r.table::<U16>(s)?;
    let empty = slots.iter().filter(|x| x.get() == u16::MAX).count();
    let slots_ok = empty > 0
        && slots
            .iter()
            .all(|x| x.get() == u16::MAX || (x.get() as usize) < v);
    let uni = r.table(v)?;
    let off2 = r.table::<U32>(v + 1)?;
    let bi_w = r.table(n2)?;
    let bi_p = r.table(n2)?;
    let bi_ctx = r.table::<[U32; 2]>(n2 + 1)?;
    let tri = r.table(n3)?;
    let seen_pairs = r.table(1 << PAIR_WORDS)?;
    // The trigram rows are not checked one by one (a million offsets): a lookup takes a
    // row that does not fit as empty (`Context::score_with`).
    let ends_ok = bi_ctx[0][0].get() == 0 && bi_ctx[n2][0].get() as usize == n3;
    if !(words_ok && slots_ok && rows_ok(off2, n2) && ends_ok && r.p == bytes.len()) {
        return Err(LmError::Corrupt(r.p));
    }
    Ok(Lm {
        vocab: Vocab { offsets, text },
        slots,
        uni,
        off2,
        bi_w,
        bi_p,
        bi_ctx,
        tri,
        seen_pairs,
        unk: super::dq(unk),
    })
}

/// The file of an estimate.
pub(super) fn write(est: &Estimate) -> Vec<u8> {
    let v = est.vocab.len();
    let row3 = |vv: usize, w: u16| est.rows3.get(&(vv as u16, w));
    let n2: usize = est.rows2.iter().map(Vec::len).sum();
    let n3: usize = est
        .rows2
        .iter()
        .enumerate()
        .flat_map(|(vv, row)| row.iter().map(move |&(w, _)| (vv, w)))
        .map(|(vv, w)| row3(vv, w).map_or(0, |r| r.1.len()))
        .sum();
    let words: usize = est.vocab.iter().map(String::len).sum();
    let slots = (2 * v).next_power_of_two();
    let mut out = MAGIC.to_vec();
    for x in [v, n2, n3, words, slots] {
        out.extend((x as u32).to_le_bytes());
    }
    out.extend(qz(est.unk.log10()).to_le_bytes());
    let mut off = 0u32;
    for w in &est.vocab {
        out.extend(off.to_le_bytes());
        off += w.len() as u32;
    }
    out.extend(off.to_le_bytes());
    for w in &est.vocab {
        out.extend(w.as_bytes());
    }
    let mut index = vec![u16::MAX; slots];
    for (id, w) in est.vocab.iter().enumerate() {
        let mut i = word_hash(w) as usize & (slots - 1);
        // A word twice in a vocabulary is known by its first id.
        while index[i] != u16::MAX && est.vocab[index[i] as usize] != *w {
            i = (i + 1) & (slots - 1);
        }
        if index[i] == u16::MAX {
            index[i] = id as u16;
        }
    }
    index.iter().for_each(|x| out.extend(x.to_le_bytes()));
    let q1: Vec<u16> = est.p1.iter().map(|p| qz(p.log10())).collect();
    let qb: Vec<u16> = est.bow2.iter().map(|b| qz(b.log10())).collect();
    for w in 0..v {
        out.extend(q1[w].to_le_bytes());
        out.extend(qb[w].to_le_bytes());
    }
    let mut off = 0u32;
    for row in &est.rows2 {
        out.extend(off.to_le_bytes());
        off += row.len() as u32;
    }
    out.extend(off.to_le_bytes());
    let pairs = || {
        est.rows2
            .iter()
            .enumerate()
            .flat_map(|(vv, row)| row.iter().map(move |&(w, p)| (vv, w, p)))
    };
    pairs().for_each(|(_, w, _)| out.extend(w.to_le_bytes()));
    // A seen pair never scores below its unseen estimate (backoff + prior), counted in the
    // quantised units the decoder adds, with a unit to spare for the rounding of its floats:
    // interpolated smoothing gives this, and the decoder's bigram pass bounds all unseen
    // pairs into a syllable at once on it (`Lm::backoff`).
    for (vv, w, p) in pairs() {
        let unseen = (u32::from(qb[vv]) + u32::from(q1[w as usize])).saturating_sub(1);
        let q = u32::from(qz(p.log10())).min(unseen) as u16;
        out.extend(q.to_le_bytes());
    }
    let mut off = 0u32;
    for (vv, w, _) in pairs() {
        let r = row3(vv, w);
        out.extend(off.to_le_bytes());
        out.extend(u32::from(qz(r.map_or(1.0, |r| r.0).log10())).to_le_bytes());
        off += r.map_or(0, |r| r.1.len()) as u32;
    }
    out.extend(off.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    for (vv, w, _) in pairs() {
        for &(x, p) in row3(vv, w).map_or(&[][..], |r| r.1.as_slice()) {
            out.extend(x.to_le_bytes());
            out.extend(qz(p.log10()).to_le_bytes());
        }
    }
    let mut seen = vec![0u64; 1 << PAIR_WORDS];
    for (vv, w, _) in pairs() {
        let (word, bits) = pair_bits(vv as u16, w);
        seen[word] |= bits;
    }
    seen.iter().for_each(|x| out.extend(x.to_le_bytes()));
    out
}
