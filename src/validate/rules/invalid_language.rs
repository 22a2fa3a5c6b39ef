//! `teimark::rules::invalid-language`: `xml:lang` holds a well-formed BCP 47 tag.

use super::reader::Element;
use super::{Check, Context, Out, rule};
use crate::validate::relaxng::codes;

rule! {
    /// ## What it does
    /// Checks that every `xml:lang` value is a well-formed BCP 47 language tag (RFC 5646,
    /// section 2.1): a language subtag of 2–3 letters (with up to three 3-letter extended
    /// subtags) or of 4–8 letters, then optionally a 4-letter script, a region of 2
    /// letters or 3 digits, variants (5–8 letters or digits, or a digit and 3 more),
    /// extensions (a singleton other than `x` and subtags of 2–8), and a private use part
    /// (`x-` and subtags of 1–8); or a private use tag alone, or one of the grandfathered
    /// tags. Case does not matter. The empty value (`xml:lang=""`, "no language") is
    /// allowed. Whether a subtag is registered is not checked.
    ///
    /// ## Why
    /// `xml:lang` drives hyphenation, fonts, spell-checking, search and text-to-speech.
    /// XML Schema's `language` type (used by tei_all) accepts any `[a-zA-Z]{1,8}` groups
    /// joined by hyphens, so `en-GB-1` or `de-a` pass the schema but no BCP 47 tool reads
    /// them. Values the schema already rejects (`en_US`) are reported by the RELAX NG
    /// engine, not twice.
    ///
    /// ## Example
    /// ```xml
    /// <foreign xml:lang="ru-latin">nomenklatura</foreign>
    /// ```
    ///
    /// Use instead:
    /// ```xml
    /// <foreign xml:lang="ru-Latn">nomenklatura</foreign>
    /// ```
    pub struct InvalidLanguage {}
    code: "teimark::rules::invalid-language",
    severity: Error,
    summary: "an xml:lang value is not a well-formed BCP 47 language tag",
    overlaps: [codes::INVALID_VALUE],
}

impl Check for InvalidLanguage {
    fn start(&mut self, _cx: &Context, element: &Element, out: &mut Out) {
        for attr in element.attrs.iter().filter(|a| a.is_xml("lang")) {
            if attr.value.is_empty() || is_well_formed(&attr.value) {
                continue;
            }
            out.report(
                &InvalidLanguage::INFO,
                attr.span.clone(),
                attr.pos,
                format!(
                    "xml:lang=\"{}\" is not a well-formed BCP 47 language tag; expected a tag such as \"en\", \"de-CH\" or \"sr-Latn\"",
                    attr.value
                ),
                "not a language tag",
                "write language[-script][-region][-variant], e.g. \"ru-Latn\" for Russian in Latin letters; see RFC 5646".to_string(),
            );
        }
    }
}

/// The irregular grandfathered tags, which the general syntax does not cover.
const IRREGULAR: &[&str] = &[
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
];

/// Whether `tag` is well-formed under RFC 5646's grammar (`Language-Tag`).
pub fn is_well_formed(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    if IRREGULAR.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    if subtags.iter().any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(alnum)) {
        return false;
    }
    if subtags[0] == "x" {
        return subtags.len() > 1;
    }
    lang_tag(&subtags)
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `language ["-" script] ["-" region] *("-" variant) *("-" extension) ["-" privateuse]`.
fn lang_tag(subtags: &[&str]) -> bool {
    let mut rest = subtags;
    let Some((language, after)) = rest.split_first() else { return false };
    if !alpha(language) || language.len() < 2 {
        return false;
    }
    rest = after;
    // Up to three extended language subtags follow a 2–3 letter language.
    if language.len() <= 3 {
        let mut extlangs = 0;
        while let Some((s, after)) = rest.split_first() {
            if extlangs == 3 || s.len() != 3 || !alpha(s) {
                break;
            }
            extlangs += 1;
            rest = after;
        }
    }
    if let Some((s, after)) = rest.split_first()
        && s.len() == 4
        && alpha(s)
    {
        rest = after;
    }
    if let Some((s, after)) = rest.split_first()
        && ((s.len() == 2 && alpha(s)) || (s.len() == 3 && digits(s)))
    {
        rest = after;
    }
    while let Some((s, after)) = rest.split_first() {
        let variant =
            (5..=8).contains(&s.len()) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit());
        if !variant {
            break;
        }
        rest = after;
    }
    while let Some((s, after)) = rest.split_first() {
        if s.len() != 1 || *s == "x" {
            break;
        }
        let n = after.iter().take_while(|t| (2..=8).contains(&t.len())).count();
        if n == 0 {
            return false;
        }
        rest = &after[n..];
    }
    match rest.split_first() {
        None => true,
        Some((&"x", after)) => !after.is_empty(),
        Some(_) => false,
    }
}
