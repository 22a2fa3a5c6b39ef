//! The text an OCR evaluation compares: dinglehopper's normalisation of a plain-text file.
//!
//! dinglehopper (0.11) reads a plain-text file line by line in Python's text mode, so `\r\n` and a lone
//! `\r` end a line like `\n`; it strips every line with `str.strip()`, normalises it to NFC, applies a
//! fixed substitution table (ligatures split, MUFI private-use letters mapped to their standard
//! equivalents, dashes and the apostrophe unified) and joins the lines with one `\n`, which then counts
//! as a character. A final line break ends the last line and adds nothing. The same steps run here so
//! that the numbers agree.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc;

/// dinglehopper's substitutions, applied in this order, each to the whole text, left to right and
/// without overlaps (Python's `str.replace`). First its ligature table, then its equivalence table.
const SUBSTITUTIONS: &[(&str, &str)] = &[
    // Ligatures (`unjoin_ligatures`).
    ("\u{EBA6}", "\u{17F}\u{17F}"),  // MUFI long s long s
    ("\u{EBA7}", "\u{17F}\u{17F}i"), // MUFI long s long s i
    ("\u{F502}", "ch"),              // MUFI c h
    ("\u{EEC4}", "ck"),              // MUFI c k
    ("\u{F4F9}", "ll"),              // MUFI l l
    ("\u{EBA2}", "\u{17F}i"),        // MUFI long s i
    ("\u{EADA}", "\u{17F}t"),        // MUFI long s t
    ("\u{FB01}", "fi"),
    ("\u{FB00}", "ff"),
    ("\u{FB02}", "fl"),
    ("\u{FB03}", "ffi"),
    ("\u{EEC5}", "ct"),       // MUFI c t
    ("\u{EEDC}", "tz"),       // MUFI t z
    ("\u{F532}", "as"),       // eMOP a s
    ("\u{F533}", "is"),       // eMOP i s
    ("\u{F534}", "us"),       // eMOP u s
    ("\u{F535}", "Qu"),       // eMOP Q u
    ("\u{133}", "ij"),        // LATIN SMALL LIGATURE IJ
    ("\u{E8BF}", "q&"),       // MUFI q ligated with final et
    ("\u{EBA5}", "\u{17F}p"), // MUFI long s p
    ("\u{FB06}", "st"),
    // Equivalences (`substitute_equivalences`).
    ("\u{E72B}", "\u{FC}"),   // MUFI u with e above -> ü
    ("\u{E42C}", "\u{E4}"),   // MUFI a with e above -> ä
    ("==", "\u{2013}"),       // double hyphen -> en dash
    ("\u{2014}", "\u{2013}"), // em dash -> en dash
    ("\u{E644}", "\u{F6}"),   // MUFI o with e above -> ö
    ("\u{2019}", "'"),        // right single quotation mark -> apostrophe
    ("\u{2E17}", "-"),        // double oblique hyphen -> hyphen
    ("a\u{364}", "\u{E4}"),   // a + combining e above -> ä
    ("o\u{364}", "\u{F6}"),   // o + combining e above -> ö
    ("u\u{364}", "\u{FC}"),   // u + combining e above -> ü
    ("\u{F50E}", "q\u{301}"), // MUFI q with acute
];

/// The normalised text: lines stripped and joined by `\n`, NFC, substitutions applied.
pub(crate) fn normalize(raw: &str) -> String {
    let text = translate_newlines(raw);
    let mut joined = String::with_capacity(text.len());
    for (k, line) in text.split_terminator('\n').enumerate() {
        if k > 0 {
            joined.push('\n');
        }
        joined.push_str(line.trim_matches(is_python_space));
    }
    // NFC of the joined text equals the join of the NFC lines: `\n` is a starter that nothing
    // composes with, so neither composition nor canonical reordering crosses it.
    let mut text = if is_nfc(&joined) { joined } else { joined.nfc().collect() };
    for (from, to) in SUBSTITUTIONS {
        // No pattern and no replacement contains `\n`, so replacing in the joined text is the same
        // as replacing line by line.
        if text.contains(from) {
            text = text.replace(from, to);
        }
    }
    text
}

/// Python's universal newlines: `\r\n` and a lone `\r` become `\n`.
fn translate_newlines(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\r') {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Python's `str.isspace`, which `str.strip()` uses; unlike Rust's `char::is_whitespace` it also
/// counts the information separators U+001C..U+001F.
pub(crate) fn is_python_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | '\u{1C}'..='\u{1F}' | ' ' | '\u{85}' | '\u{A0}'
            | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}'
            | '\u{205F}' | '\u{3000}'
    )
}
