//! Legacy Vietnamese encodings: TCVN3 (ABC), VNI, VISCII, Windows-1258 and VIQR.
//!
//! Two ways they reach us: as the bytes of a text file that is not UTF-8
//! ([`decode_single_byte`]), and as *mojibake*, legacy bytes already decoded into Unicode as if
//! they were Windows-1252/Latin-1 (PDF text layers set in `.VnTime` or `VNI-Times` fonts, or a
//! TCVN3 file opened as cp1252: `Uû ban nh©n d©n`), or VIQR's ASCII notation (`Vie^.t Nam`)
//! ([`repair_mojibake`]).
//!
//! Nothing in the bytes says which encoding was meant, but Vietnamese has a small closed set of
//! syllables: the right reading turns tokens into valid syllables, the wrong ones into junk. So
//! every candidate is tried and scored by [`super::syllable::is_valid_syllable`]. Mojibake is
//! decided per line, so correct lines of a mixed document stay byte-identical.
//!
//! The byte tables are data in `rules/encodings/*.tsv`, read once.

use super::syllable::{is_valid_syllable, split_letter, words};
use crate::rules::Rules;
// Fx hashing: these tables are probed once per character of every line a legacy encoding
// could have written, keys are chars, and nothing here faces hostile keys.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A legacy Vietnamese font family a PDF text layer was set in. Its text is mojibake that the
/// restore stage converts; OCR would be slower and worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyFont {
    /// `.VnTime`, `.VnArial`…: TCVN3 (ABC).
    Tcvn3,
    /// `VNI-Times`…: VNI.
    Vni,
}

/// A byte-to-text table: every byte's replacement (combining marks for VNI's mark bytes).
struct ByteTable(Vec<String>);

impl ByteTable {
    /// Read `byte<TAB>U+XXXX[ U+XXXX]…` lines; bytes not listed read as Windows-1252.
    fn load(name: &str) -> ByteTable {
        let text = Rules::builtin()
            .text(name)
            .unwrap_or_else(|e| panic!("embedded {name} is readable (tested): {e}"));
        let mut t: Vec<String> = (0..=255u8).map(|b| cp1252_char(b).to_string()).collect();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(b), Some(cps)) = (cols.next(), cols.next()) else {
                panic!("{name}: bad line {line:?}");
            };
            let b = u8::from_str_radix(b, 16)
                .unwrap_or_else(|_| panic!("{name}: bad byte in {line:?}"));
            t[b as usize] = parse_code_points(cps).unwrap_or_else(|| panic!("{name}: {line:?}"));
        }
        ByteTable(t)
    }

    fn decode(&self, bytes: &[u8]) -> String {
        let s: String = bytes.iter().map(|&b| self.0[b as usize].as_str()).collect();
        super::into_nfc(s)
    }
}

fn parse_code_points(s: &str) -> Option<String> {
    s.split_whitespace()
        .map(|cp| {
            u32::from_str_radix(cp.strip_prefix("U+")?, 16)
                .ok()
                .and_then(char::from_u32)
        })
        .collect()
}

fn cp1252_char(b: u8) -> char {
    let byte = [b];
    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    s.chars().next().unwrap_or(char::from(b))
}

/// VIQR: marks typed after a vowel, and spellings of đ.
struct Viqr {
    /// mark → (combining mark, base vowels it may follow; empty = any vowel).
    marks: HashMap<char, (char, Vec<char>)>,
    letters: Vec<(String, char)>,
}

struct Tables {
    tcvn3: ByteTable,
    vni: ByteTable,
    viscii: ByteTable,
    /// The byte each character of a Windows-1252 (or Latin-1, for C1 controls) reading came
    /// from, to undo mojibake.
    from_cp1252: HashMap<char, u8>,
    viqr: Viqr,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut from_cp1252 = HashMap::default();
        for b in 0..=255u8 {
            from_cp1252.insert(cp1252_char(b), b);
        }
        for b in 0x80..=0x9Fu8 {
            from_cp1252.entry(char::from(b)).or_insert(b);
        }
        Tables {
            tcvn3: ByteTable::load("encodings/tcvn3.tsv"),
            vni: ByteTable::load("encodings/vni.tsv"),
            viscii: ByteTable::load("encodings/viscii.tsv"),
            from_cp1252,
            viqr: load_viqr(),
        }
    })
}

fn load_viqr() -> Viqr {
    let text = Rules::builtin()
        .text("encodings/viqr.tsv")
        .expect("embedded encodings/viqr.tsv is readable (tested)");
    let mut marks = HashMap::default();
    let mut letters = vec![];
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let c = parse_code_points(cols.get(1).copied().unwrap_or(""))
            .and_then(|s| s.chars().next())
            .unwrap_or_else(|| panic!("encodings/viqr.tsv: bad line {line:?}"));
        match cols.get(2) {
            Some(after) => {
                let key = cols[0].chars().next().expect("mark column is not empty");
                let bases = after
                    .split_whitespace()
                    .filter(|s| *s != "*")
                    .filter_map(|s| s.chars().next())
                    .collect();
                marks.insert(key, (c, bases));
            }
            None => letters.push((cols[0].to_string(), c)),
        }
    }
    Viqr { marks, letters }
}

/// The encodings a text or file may be in, in the order ties are broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Legacy {
    Tcvn3,
    Vni,
    Viqr,
    Viscii,
    Windows1258,
}

impl Legacy {
    fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::Vni => "vni",
            Legacy::Viqr => "viqr",
            Legacy::Viscii => "viscii",
            Legacy::Windows1258 => "windows-1258",
        }
    }

    fn decode_bytes(self, bytes: &[u8]) -> String {
        let t = tables();
        match self {
            Legacy::Tcvn3 => {
                let s = t.tcvn3.decode(bytes);
                s.split('\n')
                    .map(capitals_of_vntimeh)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Legacy::Vni => t.vni.decode(bytes),
            Legacy::Viscii => t.viscii.decode(bytes),
            Legacy::Windows1258 => {
                let (s, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
                super::into_nfc(s.into_owned())
            }
            Legacy::Viqr => String::from_utf8_lossy(bytes).into_owned(),
        }
    }

    /// The characters of a Windows-1252 reading that this byte encoding reads as something
    /// else: a line without any cannot change, and most lines of most texts have none (curly
    /// quotes and dashes do not count for TCVN3). VIQR is not read by bytes and has none.
    fn active(self) -> &'static HashSet<char> {
        const BYTE_ENCODINGS: [Legacy; 4] = [
            Legacy::Tcvn3,
            Legacy::Vni,
            Legacy::Viscii,
            Legacy::Windows1258,
        ];
        static ACTIVE: OnceLock<[HashSet<char>; 4]> = OnceLock::new();
        let sets = ACTIVE.get_or_init(|| {
            BYTE_ENCODINGS.map(|enc| {
                tables()
                    .from_cp1252
                    .iter()
                    .filter(|&(&c, &b)| enc.decode_bytes(&[b]) != c.to_string())
                    .map(|(&c, _)| c)
                    .collect()
            })
        });
        let i = BYTE_ENCODINGS
            .iter()
            .position(|&e| e == self)
            .expect("asked only of a byte encoding");
        &sets[i]
    }

    /// Read a line of mojibake back as this encoding: characters a Windows-1252 reading can
    /// have produced go back to their bytes and are decoded; any other character is kept.
    /// `strict_viqr`: the text escapes literal `.`/`?` after vowels (see [`viqr_line`]).
    fn repair_line(self, line: &str, strict_viqr: bool) -> String {
        if self == Legacy::Viqr {
            return viqr_line(line, strict_viqr).0;
        }
        let t = tables();
        let mut out = String::with_capacity(line.len() + 8);
        let mut run = vec![];
        for c in line.chars() {
            if c.is_ascii() {
                // Windows-1252 is ASCII below 0x80.
                run.push(c as u8);
                continue;
            }
            match t.from_cp1252.get(&c) {
                Some(&b) => run.push(b),
                None => {
                    out.push_str(&self.decode_bytes(&run));
                    run.clear();
                    out.push(c);
                }
            }
        }
        out.push_str(&self.decode_bytes(&run));
        if self == Legacy::Tcvn3 {
            capitals_of_vntimeh(&out)
        } else {
            super::into_nfc(out)
        }
    }
}

/// TCVN3 has no codes for capital letters with tone marks: they were typed with lower-case
/// codes in an all-capitals font (`.VnTimeH`), so `NH©N` decodes to `NHâN`. A word with two or
/// more capitals and no ASCII lower case is taken as set in such a font and upper-cased; so are
/// words with one capital (`Hà` from `Hµ`) on a line without ASCII lower case that has at least
/// half as many words in capitals (a heading). `Số: 12/KH-UBND` keeps its case.
fn capitals_of_vntimeh(line: &str) -> String {
    let is_candidate = |w: &str| {
        w.chars().any(|c| !c.is_ascii() && c.is_lowercase())
            && !w.chars().any(|c| c.is_ascii_lowercase())
    };
    let is_strong =
        |w: &str| is_candidate(w) && w.chars().filter(|c| c.is_uppercase()).count() >= 2;
    // Capital syllables (`TÂN`, `NHÂN`) also show a heading in capitals; codes (`KH-UBND`) do not.
    let is_caps_syllable = |w: &str| {
        w.chars().count() >= 2 && !w.chars().any(char::is_lowercase) && is_valid_syllable(w)
    };
    let (mut candidates, mut caps) = (0, 0);
    for (w, is_word) in words(line) {
        candidates += usize::from(is_word && is_candidate(w));
        caps += usize::from(is_word && (is_strong(w) || is_caps_syllable(w)));
    }
    if candidates == 0 {
        return line.to_string();
    }
    let whole_line =
        !line.chars().any(|c| c.is_ascii_lowercase()) && caps > 0 && caps * 2 >= candidates;
    let mut out = String::with_capacity(line.len());
    for (w, is_word) in words(line) {
        if is_word && (is_strong(w) || (whole_line && is_candidate(w))) {
            out.push_str(&w.to_uppercase());
        } else {
            out.push_str(w);
        }
    }
    out
}

/// How Vietnamese a line reads: +1 per token that is a valid syllable, −1 per token that is
/// neither a syllable nor plain ASCII (an abbreviation, code or foreign word is neutral).
fn line_score(line: &str) -> i32 {
    line.split_whitespace().map(token_score).sum()
}

/// `line_score(reading) - line_score(line)`, scoring only the words the reading changed when
/// both have as many words (the sums then differ only there); most mojibake candidates change
/// a few characters of a long line, and scoring parses every word.
fn score_gain(line: &str, reading: &str) -> i32 {
    let (mut a, mut b) = (line.split_whitespace(), reading.split_whitespace());
    let mut gain = 0;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x != y => gain += token_score(y) - token_score(x),
            (Some(_), Some(_)) => {}
            (None, None) => return gain,
            _ => return line_score(reading) - line_score(line),
        }
    }
}

/// True when a converted line reads as Vietnamese: at least `min_share` of its words are valid
/// syllables (codes and abbreviations, tokens with a digit or ASCII capitals only, not
/// counted), and at least [`MIN_MARKED`] of those carry a diacritic, as most Vietnamese
/// syllables do. Text that lost its marks (English-engine OCR writes `é` for `ê`, which TCVN3
/// reads as `ộ`) can be improved here and there by a wrong reading but stays mostly unmarked.
///
/// `None` when the line has no word to judge (only codes and numbers).
fn reads_vietnamese(line: &str, min_share: f32) -> Option<bool> {
    let (mut valid, mut marked, mut counted) = (0u32, 0u32, 0u32);
    for tok in line.split_whitespace() {
        let t = tok.trim_matches(|c: char| c.is_ascii_punctuation());
        if !t.chars().any(char::is_alphabetic) {
            continue;
        }
        if is_valid_syllable(t) {
            valid += 1;
            counted += 1;
            marked += u32::from(!t.is_ascii());
        } else if !t.chars().any(|c| c.is_ascii_digit()) && t.chars().any(char::is_lowercase) {
            counted += 1;
        }
    }
    (counted > 0).then_some(
        valid as f32 >= min_share * counted as f32 && marked as f32 >= MIN_MARKED * valid as f32,
    )
}

/// Share of a converted line's valid syllables that must carry a diacritic.
const MIN_MARKED: f32 = 0.4;

/// Share of valid syllables a converted line needs: most of it, less when the PDF's font
/// names the encoding.
const MIN_SHARE: f32 = 0.8;
const MIN_SHARE_HINTED: f32 = 0.6;

fn token_score(token: &str) -> i32 {
    let trim = |c: char| c.is_ascii_punctuation() || ('\u{2010}'..='\u{206F}').contains(&c);
    let t = token.trim_matches(trim);
    if !t.chars().any(char::is_alphabetic) {
        return 0;
    }
    if is_valid_syllable(t) {
        return 1;
    }
    let plain = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '&' | '_' | '@' | ':'));
    if plain { 0 } else { -1 }
}

/// Decode bytes that are not UTF-8, choosing the single-byte encoding under which the text
/// reads as Vietnamese: the one with the best [`line_score`] total. When no candidate yields
/// a single valid syllable with a Vietnamese letter the text is not Vietnamese, and Windows-1252
/// (`windows-1252`) is used. The result is NFC.
pub fn decode_single_byte(bytes: &[u8]) -> (String, &'static str) {
    let mut best: Option<(i64, Legacy, String)> = None;
    for enc in [
        Legacy::Windows1258,
        Legacy::Tcvn3,
        Legacy::Vni,
        Legacy::Viscii,
    ] {
        let text = enc.decode_bytes(bytes);
        let score: i64 = text.lines().map(|l| i64::from(line_score(l))).sum();
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, enc, text));
        }
    }
    let (_, enc, text) = best.expect("there are candidates");
    let vietnamese = text
        .split_whitespace()
        .any(|t| !t.is_ascii() && token_score(t) == 1);
    if vietnamese {
        (text, enc.name())
    } else {
        let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        (s.into_owned(), "windows-1252")
    }
}

/// Convert text that is legacy-encoded mojibake (TCVN3/VNI/VISCII/Windows-1258 read as
/// Windows-1252, or VIQR) to Unicode. Returns the text unchanged and `None` when it is not.
///
/// Each candidate encoding is tried on every line; a line is converted when its score rises by
/// at least 2 (one token turned from junk into a valid syllable) and the result reads as
/// Vietnamese almost throughout ([`reads_vietnamese`]: 80% valid), or by 1 and 60% when `hint` (from
/// the PDF's font names) names that encoding. The document takes the candidate with the largest
/// total gain; lines it does not improve, and so every line of correct text, are kept
/// byte for byte. Line *i* out is line *i* in.
pub fn repair_mojibake(text: &str, hint: Option<LegacyFont>) -> (String, Option<&'static str>) {
    let hinted = hint.map(|h| match h {
        LegacyFont::Tcvn3 => Legacy::Tcvn3,
        LegacyFont::Vni => Legacy::Vni,
    });
    let mut order = vec![];
    order.extend(hinted);
    for enc in [
        Legacy::Tcvn3,
        Legacy::Vni,
        Legacy::Viqr,
        Legacy::Viscii,
        Legacy::Windows1258,
    ] {
        if Some(enc) != hinted {
            order.push(enc);
        }
    }
    let lines: Vec<&str> = text.split('\n').collect();
    // A text with no Vietnamese letter outside Windows-1252 (no ộ, ư, đ…) has no correct
    // Unicode Vietnamese line to protect, so a line whose reading merely stays as valid
    // (`Soá` is a syllable, and so is `Số`) or only touches codes (`HÑND`) converts too.
    let from = &tables().from_cp1252;
    let pure_legacy = !text
        .chars()
        .any(|c| !c.is_ascii() && !from.contains_key(&c) && split_letter(c).is_some());
    let strict_viqr = text.contains("\\.") || text.contains("\\?");
    let viqr_evidence = viqr_evidence(text) >= MIN_VIQR_EVIDENCE;
    let need_of = |enc: Legacy| {
        if Some(enc) == hinted {
            (1, MIN_SHARE_HINTED)
        } else {
            (2, MIN_SHARE)
        }
    };
    // Every encoding's reading of every line, lines in parallel (they are independent; the
    // document's choice below needs them all). Only lines some encoding could change are
    // read and scored (most text has none, and scoring parses words: [`score_gain`]).
    let read_line = |line: &&str| -> Vec<Option<Reading>> {
        // Printable ASCII reads the same in all byte encodings (most lines of most texts).
        let plain = line.bytes().all(|b| (0x20..0x7f).contains(&b));
        order
            .iter()
            .map(|&enc| {
                if (enc == Legacy::Viqr && !viqr_evidence) || !could_be(enc, line, plain) {
                    return None;
                }
                let (c, viqr_syllables) = if enc == Legacy::Viqr {
                    viqr_line(line, strict_viqr)
                } else {
                    (enc.repair_line(line, strict_viqr), 0)
                };
                if c == *line {
                    return None;
                }
                let gain = score_gain(line, &c);
                let g = if enc == Legacy::Viqr {
                    // Scoring trims punctuation, so `Quy'` already scores as `Quy`: count each
                    // token VIQR's marks turned into a syllable as junk made valid.
                    gain.max(2 * viqr_syllables as i32)
                } else {
                    gain
                };
                let (need, share) = need_of(enc);
                let may_be_weak = pure_legacy && enc != Legacy::Viqr;
                let reads = (g >= need || may_be_weak && g >= 0)
                    .then(|| reads_vietnamese(&c, share))
                    .flatten();
                let strong = g >= need && reads.unwrap_or(false);
                let weak = may_be_weak && g >= 0 && reads.unwrap_or(true);
                Some(Reading {
                    text: c,
                    gain: g,
                    strong,
                    weak,
                })
            })
            .collect()
    };
    let mut readings: Vec<Vec<Option<Reading>>> = if lines.len() >= PARALLEL_LINES {
        use rayon::prelude::*;
        lines.par_iter().map(read_line).collect()
    } else {
        lines.iter().map(read_line).collect()
    };
    let mut best: Option<(i32, usize)> = None;
    for e in 0..order.len() {
        let (mut gain, mut strong, mut changed) = (0, 0, 0);
        for r in readings.iter().filter_map(|r| r[e].as_ref()) {
            changed += 1;
            if r.strong || r.weak {
                strong += usize::from(r.strong);
                gain += r.gain;
            }
        }
        // Weakly supported lines ride only on a document that is clearly in this encoding.
        let clear = strong > 0 && strong * 5 >= changed;
        if clear && gain > 0 && best.is_none_or(|(g, _)| gain > g) {
            best = Some((gain, e));
        }
    }
    match best {
        // The lines the chosen encoding reads (as evidence or riding on it), the rest as they are.
        Some((_, e)) => {
            let out: Vec<String> = lines
                .iter()
                .zip(readings.iter_mut())
                .map(|(l, r)| match r[e].take() {
                    Some(r) if r.strong || r.weak => r.text,
                    _ => l.to_string(),
                })
                .collect();
            (out.join("\n"), Some(order[e].name()))
        }
        None => (text.to_string(), None),
    }
}

/// One encoding's reading of one line that changes it.
struct Reading {
    text: String,
    /// Line score of the reading minus that of the line as written.
    gain: i32,
    /// Enough gain, and reads as Vietnamese: evidence for the encoding.
    strong: bool,
    /// Converted too if the document is in this encoding, but no evidence for it.
    weak: bool,
}

/// Fewest lines worth reading on the thread pool.
const PARALLEL_LINES: usize = 256;

/// VIQR marks that ordinary ASCII text hardly has: `^ ( + ` ~` right after a vowel.
fn viqr_evidence(text: &str) -> usize {
    // Vowel and mark are ASCII, so bytes pair as characters do where it matters.
    let vowel = |c: u8| {
        matches!(
            c.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    text.as_bytes()
        .windows(2)
        .filter(|w| vowel(w[0]) && matches!(w[1], b'^' | b'(' | b'+' | b'`' | b'~'))
        .count()
}

/// How many unmistakable VIQR marks a text needs before `.`, `?` and `'` after vowels are read
/// as marks at all.
const MIN_VIQR_EVIDENCE: usize = 3;

/// Cheap filter: a line can be mojibake of a byte encoding only if it has a character above
/// ASCII (`plain`: it has none, nor control characters), and VIQR only if it has a mark
/// character or a spelling of đ.
fn could_be(enc: Legacy, line: &str, plain: bool) -> bool {
    match enc {
        Legacy::Viqr => {
            let v = &tables().viqr;
            line.chars().any(|c| v.marks.contains_key(&c))
                || v.letters.iter().any(|(s, _)| line.contains(s.as_str()))
        }
        // Mojibake is made of Windows-1252 characters: a line with a Vietnamese letter outside
        // that set (ộ, ư, đ…) is correct Unicode, at least in part, and is left alone.
        _ => {
            if plain {
                return false;
            }
            let from = &tables().from_cp1252;
            let active = enc.active();
            // TCVN3 also upper-cases words of a heading in its capitals font (`NHâN`).
            let changes = |c: char| {
                (!c.is_ascii() || c.is_ascii_control())
                    && (active.contains(&c)
                        || enc == Legacy::Tcvn3 && !c.is_ascii() && c.is_lowercase())
            };
            line.chars().any(changes)
                && !line
                    .chars()
                    .any(|c| !c.is_ascii() && !from.contains_key(&c) && split_letter(c).is_some())
        }
    }
}

/// Convert one line of VIQR. Each whitespace-separated token is converted on its own and kept
/// only when the result is a valid syllable, so ASCII punctuation in ordinary text survives.
/// `.` and `?` after a final vowel are a full stop / question mark when the sentence ends there
/// (end of line, or a capital follows a word in lower case), as writers seldom escaped them;
/// when the text does escape them somewhere (`strict`, as RFC 1456 asks), they are always marks.
/// Returns the line and how many tokens its marks made into syllables.
fn viqr_line(line: &str, strict: bool) -> (String, usize) {
    let mut out = String::with_capacity(line.len());
    let mut syllables = 0;
    let mut rest = line;
    while !rest.is_empty() {
        let ws_end = rest
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&rest[..ws_end]);
        rest = &rest[ws_end..];
        let tok_end = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(rest.len(), |(i, _)| i);
        let (tok, tail) = rest.split_at(tok_end);
        // A capital after `.`/`?` starts a sentence, unless the word itself is in capitals
        // (a heading in capitals has a capital after every word).
        // (A one-letter word is a numeral or list label: `I. MỤC TIÊU`.)
        let caps_word = !tok.chars().any(char::is_lowercase)
            && tok.chars().filter(|c| c.is_alphabetic()).count() >= 2;
        let next_lower = tail.trim_start().chars().next().is_some_and(|c| {
            strict || c.is_lowercase() || c.is_ascii_digit() || (caps_word && c.is_uppercase())
        });
        let (conv, marked) = viqr_token(tok, next_lower || strict);
        let core = |s: &str| {
            s.trim_matches(|c: char| c.is_ascii_punctuation())
                .to_string()
        };
        // Keep a conversion that makes a syllable, or that only removed escapes (`II\.`).
        let syllable = marked && is_valid_syllable(&core(&conv));
        if conv != tok && (!marked || syllable) {
            syllables += usize::from(syllable);
            out.push_str(&conv);
        } else {
            out.push_str(tok);
        }
        rest = tail;
    }
    (out, syllables)
}

/// One token of VIQR converted, and whether any mark or đ spelling was used.
fn viqr_token(tok: &str, next_lower: bool) -> (String, bool) {
    let v = &tables().viqr;
    let chars: Vec<char> = tok.chars().collect();
    let mut out = String::with_capacity(tok.len());
    // Base letter of the vowel just written, and whether it already has a quality / tone mark.
    let mut vowel: Option<(char, bool, bool)> = None;
    let mut marked = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(|n| v.marks.contains_key(n)) {
            out.push(chars[i + 1]);
            vowel = None;
            i += 2;
            continue;
        }
        if vowel.is_none()
            && !out.chars().last().is_some_and(char::is_alphabetic)
            && let Some((s, l)) = v.letters.iter().find(|(s, _)| {
                let n = s.chars().count();
                chars
                    .get(i..i + n)
                    .is_some_and(|w| w.iter().copied().eq(s.chars()))
            })
        {
            out.push(*l);
            marked = true;
            i += s.chars().count();
            continue;
        }
        if let (Some((base, has_q, has_t)), Some((mark, bases))) = (vowel, v.marks.get(&c)) {
            let is_tone = bases.is_empty();
            // Only closing quotes or brackets may follow a full stop; `tri.,` is `trị,`.
            let sentence_end = matches!(c, '.' | '?')
                && chars[i + 1..]
                    .iter()
                    .all(|n| matches!(n, ')' | ']' | '"' | '\u{201D}' | '\u{2019}' | '\u{BB}'))
                && !next_lower;
            // RFC 1456 puts the quality mark first (`o^.`), but either order is read.
            let fits = if is_tone {
                !has_t
            } else {
                !has_q && bases.contains(&base)
            };
            if fits && !sentence_end {
                out.push(*mark);
                marked = true;
                vowel = Some((base, has_q || !is_tone, has_t || is_tone));
                i += 1;
                continue;
            }
        }
        out.push(c);
        let lower = c.to_ascii_lowercase();
        vowel = matches!(lower, 'a' | 'e' | 'i' | 'o' | 'u' | 'y').then_some((lower, false, false));
        i += 1;
    }
    (out.nfc().collect(), marked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Scoring only the changed words gives the whole lines' difference, whatever the
        /// two lines hold (a reading may split or join words, or change none).
        #[test]
        fn the_score_gain_is_the_difference_of_the_line_scores(
            line in "[a-zA-Z0-9ôơưăđáàảãạếòờ©¸µ\\-/,.“”  ]{0,40}",
            reading in "[a-zA-Z0-9ôơưăđáàảãạếòờ©¸µ\\-/,.“”  ]{0,40}",
        ) {
            prop_assert_eq!(score_gain(&line, &reading), line_score(&reading) - line_score(&line));
            let swapped: String = line.replace('a', "á").replace('o', "ô");
            prop_assert_eq!(score_gain(&line, &swapped), line_score(&swapped) - line_score(&line));
        }
    }

    #[test]
    fn tables_load_and_cover_vietnamese() {
        let t = tables();
        assert_eq!(t.tcvn3.decode(b"nh\xA9n d\xA9n"), "nhân dân");
        assert_eq!(t.vni.decode(b"Vie\xE4t Nam"), "Việt Nam");
        assert_eq!(t.vni.decode(b"\xD1\xF6\xF4\xF8ng"), "Đường");
        assert_eq!(t.viscii.decode(b"Vi\xAEt"), "Việt");
    }

    #[test]
    fn mojibake_of_tcvn3_and_vni_is_repaired() {
        let (s, e) = repair_mojibake("Uû ban nh©n d©n tØnh", None);
        assert_eq!((s.as_str(), e), ("Uỷ ban nhân dân tỉnh", Some("tcvn3")));
        let (s, e) = repair_mojibake("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", None);
        assert_eq!(
            (s.as_str(), e),
            ("Cộng hòa xã hội chủ nghĩa Việt Nam", Some("vni"))
        );
    }

    #[test]
    fn vntimeh_capitals_are_restored() {
        let (s, _) = repair_mojibake("Uû BAN NH©N D©N", None);
        assert_eq!(s, "UỶ BAN NHÂN DÂN");
    }

    #[test]
    fn viqr_is_converted_with_sentence_ends_kept() {
        let (s, e) = repair_mojibake("Vie^.t Nam la` mo^.t nu+o+'c. DDi ho.c ddi", None);
        assert_eq!(
            (s.as_str(), e),
            ("Việt Nam là một nước. Đi học đi", Some("viqr"))
        );
    }

    #[test]
    fn font_hint_lowers_the_bar_for_its_encoding() {
        // 5 of 7 words become syllables: too few to convert unprompted, enough when the PDF
        // font says VNI.
        let line = "Tröôøng Ñaïi hoïc Bach Khoa Hanoi Tech";
        assert_eq!(repair_mojibake(line, None), (line.to_string(), None));
        let (s, e) = repair_mojibake(line, Some(LegacyFont::Vni));
        assert_eq!(
            (s.as_str(), e),
            ("Trường Đại học Bach Khoa Hanoi Tech", Some("vni"))
        );
    }

    #[test]
    fn english_engine_ocr_is_not_taken_for_mojibake() {
        // Lost marks with é for ê: TCVN3 would read é as ộ here and there, but the result is
        // still mostly unmarked, so it is left to the decoder.
        let t = "Phat dong phong trao thi dua Hoc dé thay déi va thich img véi cong dong";
        assert_eq!(repair_mojibake(t, None), (t.to_string(), None));
    }

    #[test]
    fn bytes_that_read_as_no_vietnamese_fall_back_to_windows_1252() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Grüße aus München, Zürich");
        assert_eq!(
            decode_single_byte(&bytes),
            ("Grüße aus München, Zürich".to_string(), "windows-1252")
        );
    }

    #[test]
    fn correct_text_and_english_are_untouched() {
        for t in [
            "Ủy ban nhân dân tỉnh\nCộng hòa xã hội chủ nghĩa Việt Nam",
            "Các bài học về môi trường: năm 2024.",
            "Don't panic: it's a café in Zürich (e.g. 1.5 km).",
        ] {
            assert_eq!(repair_mojibake(t, None), (t.to_string(), None));
        }
    }
}
