//! Vietnamese syllable structure: onset + (medial) + nucleus + coda, and a tone.
//!
//! Written Vietnamese is one syllable per word, with a small closed set of spellings, so
//! "is this token a possible Vietnamese syllable?" is a strong, cheap signal. The legacy-encoding
//! detector counts such tokens to choose an encoding, and the tone-placement normaliser uses the
//! structure to know where a tone mark belongs (`hòa` vs `hoà`).
//!
//! Letters are split with Unicode decomposition (NFD) into a base letter, a vowel quality mark
//! (circumflex, breve, horn) and a tone mark, so no table of the 134 precomposed letters is
//! needed; the spelling tables (onsets, rhymes) are data in `rules/syllable.toml`.

use crate::rules::Rules;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Where to put the tone mark in `oa`, `oe`, `uy` syllables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToneStyle {
    /// The document's own: the placement most of its `oa`/`oe`/`uy` words use, old when
    /// none or as many of each (default; restoration works it out, `restore/tone.rs`).
    #[default]
    Document,
    /// `hòa`, `thủy`: the style of Vietnamese government documents.
    Old,
    /// `hoà`, `thuỷ`.
    New,
}

impl ToneStyle {
    /// The placement text is read in: the forced one, or the language model's (old) while
    /// the document's is not known yet.
    pub fn or_model(self) -> ToneStyle {
        match self {
            ToneStyle::Document => ToneStyle::Old,
            s => s,
        }
    }
}

/// The six tones of standard Vietnamese, named by their marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Tone {
    /// ngang: no mark.
    #[default]
    Level,
    /// huyền: grave.
    Grave,
    /// sắc: acute.
    Acute,
    /// hỏi: hook above.
    Hook,
    /// ngã: tilde.
    Tilde,
    /// nặng: dot below.
    Dot,
}

impl Tone {
    fn mark(self) -> Option<char> {
        match self {
            Tone::Level => None,
            Tone::Grave => Some('\u{300}'),
            Tone::Acute => Some('\u{301}'),
            Tone::Tilde => Some('\u{303}'),
            Tone::Hook => Some('\u{309}'),
            Tone::Dot => Some('\u{323}'),
        }
    }

    fn from_mark(c: char) -> Option<Tone> {
        Some(match c {
            '\u{300}' => Tone::Grave,
            '\u{301}' => Tone::Acute,
            '\u{303}' => Tone::Tilde,
            '\u{309}' => Tone::Hook,
            '\u{323}' => Tone::Dot,
            _ => return None,
        })
    }
}

/// The vowel quality marks that make â ê ô (circumflex), ă (breve) and ơ ư (horn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Quality {
    #[default]
    None,
    Circumflex,
    Breve,
    Horn,
}

impl Quality {
    fn mark(self) -> Option<char> {
        match self {
            Quality::None => None,
            Quality::Circumflex => Some('\u{302}'),
            Quality::Breve => Some('\u{306}'),
            Quality::Horn => Some('\u{31B}'),
        }
    }

    fn from_mark(c: char) -> Option<Quality> {
        Some(match c {
            '\u{302}' => Quality::Circumflex,
            '\u{306}' => Quality::Breve,
            '\u{31B}' => Quality::Horn,
            _ => return None,
        })
    }
}

/// One letter split into base, quality and tone: `ấ` → (`a`, Circumflex, Acute). The base is
/// lower-case ASCII or `đ`; `None` for anything that is not a letter of Vietnamese writing (or
/// of the ASCII alphabet).
pub fn split_letter(c: char) -> Option<(char, Quality, Tone)> {
    let lower = single_lower(c)?;
    if lower == 'đ' {
        return Some(('đ', Quality::None, Tone::Level));
    }
    let mut parts = std::iter::once(lower).nfd();
    let base = parts.next()?;
    if !base.is_ascii_lowercase() {
        return None;
    }
    let (mut quality, mut tone) = (Quality::None, Tone::Level);
    for m in parts {
        if let Some(q) = Quality::from_mark(m) {
            if quality != Quality::None {
                return None;
            }
            quality = q;
        } else if let Some(t) = Tone::from_mark(m) {
            if tone != Tone::Level {
                return None;
            }
            tone = t;
        } else {
            return None;
        }
    }
    Some((base, quality, tone))
}

/// The precomposed letter for base + quality + tone (`None` when Unicode has none, e.g. `b̂`).
pub fn join_letter(base: char, quality: Quality, tone: Tone) -> Option<char> {
    // Through NFC rather than pairwise composition: `ệ` is `ẹ` + circumflex, so the marks must
    // be applied in canonical order, which NFC takes care of.
    let mut s = std::iter::once(base)
        .chain(quality.mark())
        .chain(tone.mark())
        .nfc();
    let c = s.next()?;
    s.next().is_none().then_some(c)
}

fn single_lower(c: char) -> Option<char> {
    let mut l = c.to_lowercase();
    let first = l.next()?;
    l.next().is_none().then_some(first)
}

/// A letter without its tone mark (quality marks kept): `ấ` → `â`.
fn toneless(c: char) -> Option<(char, Tone)> {
    let (b, q, t) = split_letter(c)?;
    Some((join_letter(b, q, Tone::Level)?, t))
}

/// All diacritics off, `đ` → `d`: the form text typed without accents has. Characters that
/// are not letters pass through; the result is NFC.
pub fn strip_marks(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36F}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            _ => c,
        })
        .nfc()
        .collect()
}

/// The base letters of a syllable: marks removed, `đ` → `d`, lower case. Stripped text and
/// most OCR damage keep this, so it indexes the candidates.
pub fn skeleton(s: &str) -> String {
    // Stripped text is ASCII, and Vietnamese letters decompose one by one into a base letter
    // and marks of U+0300..U+036F; the general path (a stream that reorders marks across
    // characters) is for anything else. The decoder asks for a skeleton per token, and the
    // model load per vocabulary word.
    let latin = |c: char| {
        c.is_ascii()
            || ('\u{c0}'..='\u{24f}').contains(&c)
            || ('\u{1e00}'..='\u{1eff}').contains(&c)
    };
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let base = |c: char| if c == 'đ' { 'd' } else { c };
    if s.chars().all(latin) {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_combining(d) {
                    out.extend(d.to_lowercase().map(base));
                }
            });
        }
        return out;
    }
    s.nfd()
        .filter(|&c| !is_combining(c))
        .flat_map(char::to_lowercase)
        .map(base)
        .collect()
}

/// A combining mark of U+0300..U+036F, as Vietnamese letters decompose to.
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The spelling tables, from `rules/syllable.toml`.
#[derive(Debug, Deserialize)]
struct Tables {
    onsets: Vec<String>,
    front_only: Vec<String>,
    not_front: Vec<String>,
    front_vowels: Vec<String>,
    stop_codas: Vec<String>,
    need_onset: Vec<String>,
    no_onset: Vec<String>,
    rhymes: Vec<String>,
    medials: Vec<String>,
    codas: Vec<String>,
}

struct Spelling {
    /// Longest first, so `ngh` is tried before `ng` and `n`.
    onsets: Vec<String>,
    front_only: HashSet<String>,
    not_front: HashSet<String>,
    front_vowels: HashSet<char>,
    stop_codas: HashSet<String>,
    need_onset: HashSet<String>,
    no_onset: HashSet<String>,
    rhymes: HashSet<String>,
    medials: Vec<char>,
    /// Longest first.
    codas: Vec<String>,
}

fn spelling() -> &'static Spelling {
    static S: OnceLock<Spelling> = OnceLock::new();
    S.get_or_init(|| {
        let t: Tables = Rules::builtin()
            .toml("syllable.toml")
            .expect("embedded rules/syllable.toml is valid (tested)");
        let set = |v: Vec<String>| v.into_iter().collect::<HashSet<_>>();
        let longest_first = |mut v: Vec<String>| {
            v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            v
        };
        Spelling {
            onsets: longest_first(t.onsets),
            front_only: set(t.front_only),
            not_front: set(t.not_front),
            front_vowels: t
                .front_vowels
                .iter()
                .filter_map(|s| s.chars().next())
                .collect(),
            stop_codas: set(t.stop_codas),
            need_onset: set(t.need_onset),
            no_onset: set(t.no_onset),
            rhymes: set(t.rhymes),
            medials: t.medials.iter().filter_map(|s| s.chars().next()).collect(),
            codas: longest_first(t.codas),
        }
    })
}

/// A syllable taken apart. Parts are lower case and toneless; vowel letters keep their quality
/// marks (`nucleus` of `người` is `ươ`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    pub onset: String,
    /// `o` (`hoa`) or `u` (`tuân`); after `qu` the `u` belongs to the onset.
    pub medial: Option<char>,
    pub nucleus: String,
    pub coda: String,
    pub tone: Tone,
    /// Index (in letters) of the letter that carried the tone mark as written, if any.
    written_tone_at: Option<usize>,
}

impl Syllable {
    /// Take a word apart; `None` when it is not a possible Vietnamese syllable.
    pub fn parse(word: &str) -> Option<Syllable> {
        let mut letters = Vec::with_capacity(word.len());
        let mut tone = Tone::Level;
        let mut tone_at = None;
        for (i, c) in word.nfc().enumerate() {
            let (l, t) = toneless(c)?;
            if matches!(l, 'f' | 'j' | 'w' | 'z') {
                return None;
            }
            if t != Tone::Level {
                if tone_at.is_some() {
                    return None;
                }
                tone = t;
                tone_at = Some(i);
            }
            letters.push(l);
        }
        let sp = spelling();
        for onset in sp.onsets.iter().map(String::as_str).chain([""]) {
            let n = onset.chars().count();
            if n > letters.len() || letters[..n].iter().copied().ne(onset.chars()) {
                continue;
            }
            let rhyme: String = letters[n..].iter().collect();
            if let Some(s) = Self::with_rhyme(onset, &rhyme, tone, tone_at) {
                return Some(s);
            }
        }
        None
    }

    fn with_rhyme(onset: &str, rhyme: &str, tone: Tone, tone_at: Option<usize>) -> Option<Self> {
        let sp = spelling();
        let first = rhyme.chars().next()?;
        // After `qu` the medial u is part of the onset: `quy` spells the rhyme `uy`.
        let known = if onset == "qu" {
            !matches!(first, 'u' | 'ư' | 'o')
                && (sp.rhymes.contains(rhyme) || sp.rhymes.contains(&format!("u{rhyme}")))
        } else {
            sp.rhymes.contains(rhyme)
        };
        if !known {
            return None;
        }
        let front = sp.front_vowels.contains(&first);
        if sp.front_only.contains(onset) && !front {
            return None;
        }
        // `g` before `i` is the `gi` onset merged with the rhyme's i (`gì`, `gìn`).
        if sp.not_front.contains(onset) && front && !(onset == "g" && first == 'i') {
            return None;
        }
        if onset.is_empty() && sp.need_onset.contains(rhyme) {
            return None;
        }
        if !onset.is_empty() && onset != "qu" && sp.no_onset.contains(rhyme) {
            return None;
        }
        let (medial, rest) = split_medial(rhyme, &sp.medials);
        let (nucleus, coda) = split_coda(rest, &sp.codas);
        if sp.stop_codas.contains(coda) && !matches!(tone, Tone::Level | Tone::Acute | Tone::Dot) {
            return None;
        }
        let s = Syllable {
            onset: onset.to_string(),
            medial,
            nucleus: nucleus.to_string(),
            coda: coda.to_string(),
            tone,
            written_tone_at: tone_at,
        };
        // The tone mark sits on a vowel of the medial or nucleus, never on the onset or coda.
        if let Some(at) = tone_at {
            let start = s.onset.chars().count();
            let end = start + medial.map_or(0, |_| 1) + s.nucleus.chars().count();
            if !(start..end).contains(&at) {
                return None;
            }
        }
        Some(s)
    }

    /// The quality marks of the medial and nucleus letters, in order: `ươ` → [Horn, Horn].
    pub fn qualities(&self) -> Vec<(char, Quality)> {
        self.medial
            .iter()
            .copied()
            .chain(self.nucleus.chars())
            .filter_map(|c| split_letter(c).map(|(b, q, _)| (b, q)))
            .collect()
    }

    /// Where the tone mark goes, as an index into medial + nucleus letters.
    fn tone_slot(&self, style: ToneStyle) -> usize {
        let m = usize::from(self.medial.is_some());
        let nuc: Vec<char> = self.nucleus.chars().collect();
        if nuc.len() == 1 {
            // oa, oe, uy with no coda: the one place where the two styles differ (uê, uơ
            // carry the mark on their marked vowel in both).
            if m == 1
                && self.coda.is_empty()
                && style.or_model() == ToneStyle::Old
                && self.style_dependent()
            {
                return 0;
            }
            return m;
        }
        // Two-letter nucleus: on the (last) letter with a quality mark (iê, uô, ươ, ưa),
        // else on the first for the falling diphthongs ia, ua, ya and on the second for oo.
        let marked = nuc
            .iter()
            .rposition(|&c| split_letter(c).is_some_and(|(_, q, _)| q != Quality::None));
        m + match marked {
            Some(i) => i,
            None if nuc.first() == nuc.get(1) => nuc.len() - 1,
            None => 0,
        }
    }

    /// `oa`, `oe`, `uy` with no coda: the rhymes whose tone place depends on the style.
    fn style_dependent(&self) -> bool {
        self.medial.is_some()
            && self.coda.is_empty()
            && matches!(self.nucleus.as_str(), "a" | "e" | "y")
    }

    /// The syllable written out, lower case, the tone placed by `style`.
    pub fn compose(&self, style: ToneStyle) -> String {
        let slot = self.onset.chars().count() + self.tone_slot(style);
        self.letters()
            .enumerate()
            .map(|(i, c)| {
                if i == slot && self.tone != Tone::Level {
                    split_letter(c)
                        .and_then(|(b, q, _)| join_letter(b, q, self.tone))
                        .unwrap_or(c)
                } else {
                    c
                }
            })
            .collect()
    }

    fn letters(&self) -> impl Iterator<Item = char> + '_ {
        self.onset
            .chars()
            .chain(self.medial)
            .chain(self.nucleus.chars())
            .chain(self.coda.chars())
    }

    /// True when this is an `oa`/`oe`/`uy` open syllable, whose tone mark old and new style
    /// place differently, and the mark as written follows `style`'s rule, not the other's.
    fn written_in_other_style(&self, style: ToneStyle) -> bool {
        let Some(at) = self.written_tone_at else {
            return false;
        };
        if !self.style_dependent() {
            return false;
        }
        let other = match style.or_model() {
            ToneStyle::New => ToneStyle::Old,
            _ => ToneStyle::New,
        };
        at == self.onset.chars().count() + self.tone_slot(other)
    }
}

fn split_medial<'a>(rhyme: &'a str, medials: &[char]) -> (Option<char>, &'a str) {
    let mut it = rhyme.chars();
    let (Some(a), Some(b)) = (it.next(), it.next()) else {
        return (None, rhyme);
    };
    // o glides into a ă e (hoa, hoặc, khoe); u into â ê y ơ (tuân, thuê, thuy, thuở).
    let glide = match a {
        'o' => matches!(b, 'a' | 'ă' | 'e'),
        'u' => matches!(b, 'â' | 'ê' | 'y' | 'ơ'),
        _ => false,
    };
    if glide && medials.contains(&a) {
        (Some(a), &rhyme[a.len_utf8()..])
    } else {
        (None, rhyme)
    }
}

fn split_coda<'a>(rest: &'a str, codas: &[String]) -> (&'a str, &'a str) {
    for c in codas {
        if rest.len() > c.len() && rest.ends_with(c.as_str()) {
            return rest.split_at(rest.len() - c.len());
        }
    }
    (rest, "")
}

/// True when `word` is a possible Vietnamese syllable (spelling and tone rules), in any case.
pub fn is_valid_syllable(word: &str) -> bool {
    // Encoding detection asks this of every word of every line under every legacy reading;
    // text repeats its words, and parsing one costs a few normalisations, so answers are
    // remembered per thread (the spelling tables are fixed, so an answer never changes).
    const MAX_REMEMBERED: usize = 1 << 16;
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<String, bool>> =
            Default::default();
    }
    if word.is_empty() {
        return false;
    }
    SEEN.with(|seen| {
        if let Some(&v) = seen.borrow().get(word) {
            return v;
        }
        let v = Syllable::parse(word).is_some();
        let mut seen = seen.borrow_mut();
        if seen.len() >= MAX_REMEMBERED {
            seen.clear();
        }
        seen.insert(word.to_string(), v);
        v
    })
}

/// True when `word` is a syllable as correctly written, in any case: [`is_valid_syllable`], and
/// a stop coda (`p t c ch`) carries its sắc or nặng tone. That parser lets a bare `hoc` pass
/// (stripped text must parse); a corpus's `hoc`, `cac` or `truong` is a stripped word.
pub fn is_written_syllable(word: &str) -> bool {
    Syllable::parse(&word.to_lowercase())
        .is_some_and(|s| s.tone != Tone::Level || !spelling().stop_codas.contains(s.coda.as_str()))
}

/// True when some marking of `word`'s bare letters may be a Vietnamese syllable (`hieu`:
/// `hiếu`, `hiểu`, `hiệu`): an onset and a rhyme of the spelling tables with their marks left
/// out. Looser than [`is_valid_syllable`] (tone and onset rules are not asked), for text that
/// lost its marks.
pub fn is_syllable_skeleton(word: &str) -> bool {
    static BARE: OnceLock<(Vec<String>, HashSet<String>)> = OnceLock::new();
    let (onsets, rhymes) = BARE.get_or_init(|| {
        let sp = spelling();
        let mut onsets: Vec<String> = sp.onsets.iter().map(|o| strip_marks(o)).collect();
        onsets.push(String::new());
        (onsets, sp.rhymes.iter().map(|r| strip_marks(r)).collect())
    });
    let bare = strip_marks(&word.to_lowercase());
    !bare.is_empty()
        && onsets.iter().any(|o| {
            bare.strip_prefix(o.as_str())
                .is_some_and(|r| rhymes.contains(r))
        })
}

/// Move the tone mark of an `oa`/`oe`/`uy` open syllable to where `style` puts it (`hoà` →
/// `hòa` for [`ToneStyle::Old`]); any other word comes back unchanged. Case is kept letter by
/// letter.
pub fn normalize_tone_placement(word: &str, style: ToneStyle) -> String {
    match Syllable::parse(word) {
        Some(s) if s.written_in_other_style(style) => {
            let upper: Vec<bool> = word.nfc().map(char::is_uppercase).collect();
            s.compose(style)
                .chars()
                .zip(upper.iter().chain(std::iter::repeat(&false)))
                .flat_map(|(c, &u)| -> Box<dyn Iterator<Item = char>> {
                    if u {
                        Box::new(c.to_uppercase())
                    } else {
                        Box::new(std::iter::once(c))
                    }
                })
                .collect()
        }
        _ => word.to_string(),
    }
}

/// [`normalize_tone_placement`] over every word of an NFC text; other characters (and so line
/// breaks) are kept. Returns the text and how many words moved their mark.
pub fn normalize_text_tone_placement(text: &str, style: ToneStyle) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut changed = 0;
    // Documents repeat their words: each distinct one is parsed once.
    let mut seen: rustc_hash::FxHashMap<&str, Option<String>> = Default::default();
    for line in text.split_inclusive('\n') {
        // Only words with marks can move a mark (stripped and OCR'd lines have few).
        if line.is_ascii() {
            out.push_str(line);
            continue;
        }
        for (word, is_word) in words(line) {
            if is_word && !word.is_ascii() {
                let n = seen.entry(word).or_insert_with(|| {
                    let n = normalize_tone_placement(word, style);
                    (n != word).then_some(n)
                });
                changed += usize::from(n.is_some());
                out.push_str(n.as_deref().unwrap_or(word));
            } else {
                out.push_str(word);
            }
        }
    }
    (out, changed)
}

/// Split text into alternating runs of letters (with combining marks) and other characters.
pub fn words(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let is_letter = |c: char| c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c);
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let kind = is_letter(first);
        let end = rest
            .char_indices()
            .find(|&(_, c)| is_letter(c) != kind)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some((run, kind))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_syllables_of_every_shape() {
        for w in [
            "a",
            "ở",
            "ý",
            "yêu",
            "Việt",
            "NAM",
            "nghiêng",
            "nghĩ",
            "ghế",
            "kỹ",
            "quốc",
            "quyền",
            "quý",
            "quỳnh",
            "gì",
            "gìn",
            "giữ",
            "giường",
            "già",
            "khuya",
            "người",
            "thuở",
            "hòa",
            "hoà",
            "thủy",
            "thuỷ",
            "khỏe",
            "khoẻ",
            "hoặc",
            "xoong",
            "oanh",
            "uống",
            "chuyện",
            "đường",
            "trách",
            "kịp",
            "phát",
            "tuần",
            "huấn",
            "khuếch",
            "ươm",
        ] {
            assert!(is_valid_syllable(w), "{w} should be valid");
        }
    }

    #[test]
    fn invalid_spellings_are_refused() {
        for w in [
            "",
            "ka",
            "ci",
            "ge",
            "nge",
            "ghá",
            "kha1",
            "ngha",
            "qa",
            "quu",
            "fax",
            "zô",
            "nhân̉",
            "táp̀",
            "hàp",
            "mèt",
            "cỏc",
            "nh©n",
            "Vieät",
            "thươngg",
            "uỷy",
            "iên",
            "tyên",
            "bcd",
            "xyz",
            "ăa",
            "hoaa",
        ] {
            assert!(!is_valid_syllable(w), "{w} should be invalid");
        }
    }

    #[test]
    fn decomposes_into_parts() {
        let s = Syllable::parse("Nguyễn").unwrap();
        assert_eq!(
            (
                s.onset.as_str(),
                s.medial,
                s.nucleus.as_str(),
                s.coda.as_str(),
                s.tone
            ),
            ("ng", Some('u'), "yê", "n", Tone::Tilde)
        );
        let s = Syllable::parse("người").unwrap();
        assert_eq!(
            (
                s.onset.as_str(),
                s.medial,
                s.nucleus.as_str(),
                s.coda.as_str(),
                s.tone
            ),
            ("ng", None, "ươ", "i", Tone::Grave)
        );
        assert_eq!(
            s.qualities(),
            vec![('u', Quality::Horn), ('o', Quality::Horn)]
        );
        let s = Syllable::parse("hoạch").unwrap();
        assert_eq!(
            (
                s.onset.as_str(),
                s.medial,
                s.nucleus.as_str(),
                s.coda.as_str(),
                s.tone
            ),
            ("h", Some('o'), "a", "ch", Tone::Dot)
        );
        let s = Syllable::parse("quý").unwrap();
        assert_eq!(
            (s.onset.as_str(), s.medial, s.nucleus.as_str()),
            ("qu", None, "y")
        );
        assert_eq!(split_letter('Ặ'), Some(('a', Quality::Breve, Tone::Dot)));
        assert_eq!(join_letter('o', Quality::Horn, Tone::Hook), Some('ở'));
    }

    #[test]
    fn recomposes_with_canonical_tone_place() {
        for w in [
            "việt", "người", "muối", "khuyến", "hoạch", "thuở", "của", "mía", "quốc",
        ] {
            let s = Syllable::parse(w).unwrap();
            assert_eq!(s.compose(ToneStyle::Old), w);
            assert_eq!(s.compose(ToneStyle::New), w);
        }
    }

    #[test]
    fn tone_placement_both_ways() {
        let pairs = [
            ("hòa", "hoà"),
            ("thủy", "thuỷ"),
            ("khỏe", "khoẻ"),
            ("Hóa", "Hoá"),
            ("THỦY", "THUỶ"),
            ("lòe", "loè"),
            ("Tùy", "Tuỳ"),
        ];
        for (old, new) in pairs {
            assert_eq!(normalize_tone_placement(new, ToneStyle::Old), old);
            assert_eq!(normalize_tone_placement(old, ToneStyle::New), new);
            assert_eq!(normalize_tone_placement(old, ToneStyle::Old), old);
            assert_eq!(normalize_tone_placement(new, ToneStyle::New), new);
        }
        // With a coda, or after qu, both styles agree: nothing moves.
        for w in ["hoàng", "quý", "thuyền", "hoạch", "quà", "khuya", "hoa"] {
            assert_eq!(normalize_tone_placement(w, ToneStyle::Old), w);
            assert_eq!(normalize_tone_placement(w, ToneStyle::New), w);
        }
    }

    #[test]
    fn text_normalisation_touches_only_other_style_words() {
        let (t, n) =
            normalize_text_tone_placement("Hòa bình, hoà hợp\nthuỷ lợi; Thủy sản.", ToneStyle::Old);
        assert_eq!(t, "Hòa bình, hòa hợp\nthủy lợi; Thủy sản.");
        assert_eq!(n, 2);
    }

    #[test]
    fn strips_every_mark() {
        assert_eq!(
            strip_marks("Đường Ngô Quyền, Hà Nội"),
            "Duong Ngo Quyen, Ha Noi"
        );
        assert_eq!(strip_marks("ẶẤỰ đ"), "AAU d");
    }

    fn vietnamese_word() -> impl Strategy<Value = String> {
        "[a-zA-ZđĐàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ]{1,7}"
    }

    proptest! {
        #[test]
        fn strip_marks_is_idempotent(s in "\\PC{0,40}") {
            let once = strip_marks(&s);
            prop_assert_eq!(strip_marks(&once), once.clone());
        }

        #[test]
        fn tone_normalisation_is_idempotent_and_keeps_letters(w in vietnamese_word()) {
            for style in [ToneStyle::Old, ToneStyle::New] {
                let once = normalize_tone_placement(&w, style);
                prop_assert_eq!(normalize_tone_placement(&once, style), once.clone());
                prop_assert_eq!(strip_marks(&once), strip_marks(&w));
                prop_assert_eq!(once.chars().count(), w.nfc().count());
            }
        }
    }

    proptest::proptest! {
        /// The per-letter path gives what full decomposition gives, on Vietnamese letters in
        /// either case and the other Latin letters around them.
        #[test]
        fn a_skeleton_is_the_same_by_either_path(
            s in "[a-zA-ZđĐ0-9\u{c0}-\u{24f}\u{1e00}-\u{1eff}\u{300}-\u{36f}\u{391}-\u{3a9}.-]{0,12}",
        ) {
            let general: String = s
                .nfd()
                .filter(|&c| !is_combining(c))
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'đ' { 'd' } else { c })
                .collect();
            proptest::prop_assert_eq!(skeleton(&s), general);
        }
    }
}
