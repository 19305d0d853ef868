//! Roman numerals, and the characters OCR reads in their place (`l`, `1`, `|` for `I`).

/// `w` read as a Roman number with its look-alikes (`1V`, `IIl`) taken for the letters, when
/// that changes it.
pub(super) fn roman_from_look_alikes(w: &str) -> Option<String> {
    let roman: String = w
        .chars()
        .map(|c| match c {
            'I' | 'i' | 'l' | '1' | '|' | '!' | '¡' => Some('I'),
            'V' | 'v' => Some('V'),
            'X' | 'x' => Some('X'),
            _ => None,
        })
        .collect::<Option<String>>()?;
    (roman != w && is_roman_number(&roman)).then_some(roman)
}

/// A part of an OCR'd code that is a Roman number read with look-alikes (`Quý 1V/2021`,
/// `IIl/2021`, `¡/2021`): it must hold a capital `I`, `V` or `X` itself, or a look-alike no
/// number or word has, so that a month (`11/2021`) stays a number.
pub(super) fn misread_roman_part(part: &str) -> Option<String> {
    if !part
        .chars()
        .any(|c| matches!(c, 'I' | 'V' | 'X' | '¡' | '|' | '!'))
    {
        return None;
    }
    roman_from_look_alikes(part)
}

/// Whether `s` is a Roman number from I to XXXIX written the standard way.
pub(super) fn is_roman_number(s: &str) -> bool {
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let tens = s.chars().take_while(|&c| c == 'X').count();
    tens <= 3 && !s.is_empty() && ONES.contains(&&s[tens..])
}
