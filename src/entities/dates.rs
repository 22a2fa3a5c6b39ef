//! Dates: found with one regular expression, normalised to ISO 8601 by a
//! small parser of the matched words.
//!
//! Forms: years, ranges (1917-23, from 1925 to 1927), full dates (March 5,
//! 1953; 5 March 1953), month and year (July 1929), seasons (Spring 1955,
//! Winter 1955-56), approximations (the end of 1929, early 1930, mid-1952),
//! decades (the Twenties, the 1920s, the early Thirties), centuries, and
//! months without a year after a preposition (in June) or with a day
//! (June 17), which take the year last mentioned. A bare four-digit number
//! is a year only if its neighbours do not make it a count: page and issue
//! numbers, money, percentages, quantities ("some 1200 workers", "2000
//! tanks") are not dates.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Annotation, Cert, DateValue, Kind};
use crate::edition::days_in_month;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A regular expression group that matches a month's name or abbreviation
/// ("March", "Sept."), and its name in capitals too when `capitals` is set.
pub(super) fn month_pattern(capitals: bool) -> String {
    let mut month_forms: Vec<String> = Vec::new();
    for m in MONTHS {
        month_forms.push(m.to_string());
        if capitals {
            month_forms.push(m.to_uppercase());
        }
    }
    for abbr in ["Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"] {
        month_forms.push(format!(r"{abbr}\."));
    }
    format!("(?:{})", month_forms.join("|"))
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let month = month_pattern(true);
    let season =
        "(?:[Ss]pring|SPRING|[Ss]ummer|SUMMER|[Aa]utumn|AUTUMN|[Ff]all|FALL|[Ww]inter|WINTER)";
    let year = r"(?:1[0-9]{3}|20[0-9]{2})";
    let day = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?";
    let decade_word = "(?:[Tt]wenties|[Tt]hirties|[Ff]orties|[Ff]ifties|[Ss]ixties|[Ss]eventies|[Ee]ighties|[Nn]ineties|[Tt]eens)";
    let decade = format!(r"(?:{decade_word}|(?:1[0-9]|20)[0-9]0['’]?s|['’][0-9]0s)");
    let century = "(?:[Ee]ighteenth|[Nn]ineteenth|[Tt]wentieth|[Tt]wenty-first|[Ss]eventeenth|1[6-9]th|2[01](?:st|th))";
    let qual = r"(?:[Ee]arly|[Ll]ate|[Mm]id-?|[Mm]iddle)";
    let sp = r"\s+";
    let pattern = format!(
        r"(?x)
        (?-u:\b)(?:
          (?:[Ff]rom|[Bb]etween){sp}(?:{month}{sp}(?:{day},?{sp})?)?{year}{sp}(?:to|and|until|till){sp}(?:{month}{sp}(?:{day},?{sp})?)?{year}
        | (?:[Ff]rom|[Bb]etween){sp}{month}(?:{sp}{day})?{sp}(?:to|and|until|till){sp}{month}(?:{sp}{day})?,?{sp}{year}
        | (?:[Ff]rom|[Bb]etween){sp}{month}{sp}{day}\s*(?:to|and|until|till|-|–)\s*{day},?{sp}{year}
        | {month}{sp}{day}\s*[-–]\s*{day},?{sp}{year}
        | {month}{sp}{day},?{sp}{year}
        | (?:the{sp})?{day}{sp}(?:of{sp})?{month},?{sp}{year}
        | {month}\s*(?:and|to|[-–])\s*{month},?{sp}{year}
        | {month},?{sp}(?:of{sp})?{year}
        | (?:(?:the{sp})?{qual}{sp})?{season}{sp}(?:of{sp})?{year}(?:\s*[-–/]\s*(?:[0-9]{{4}}|[0-9]{{2}}))?
        | (?:the{sp})?(?:[Ee]nd|[Bb]eginning|[Ss]tart|[Cc]lose|[Mm]iddle|[Tt]urn|[Ff]irst{sp}half|[Ss]econd{sp}half){sp}of{sp}(?:{year}|the{sp}{century}{sp}century)
        | {qual}(?:{sp}in)?\s*{year}
        | the{sp}(?:{qual}\s*)?{decade}
        | the{sp}(?:{qual}\s*)?{century}{sp}century
        | {month}{sp}{day}
        | {day}{sp}(?:of{sp})?{month}
        | {year}\s*[-–]\s*(?:[0-9]{{4}}|[0-9]{{2}})
        | {year}
        | {month}
        )(?-u:\b)"
    );
    // A larger cache keeps the lazy DFA from being rebuilt on long texts.
    regex::RegexBuilder::new(&pattern)
        .dfa_size_limit(32 << 20)
        .build()
        .expect("the date pattern is valid")
});

/// Finds and normalises the dates in `text[range]`. `last_year` carries the
/// year last mentioned (for "in June", "June 17") from block to block.
pub fn find_in(
    text: &str,
    range: Range<usize>,
    last_year: &mut Option<i32>,
    out: &mut Vec<Annotation>,
) {
    let block = &text[range.clone()];
    for m in DATE.find_iter(block) {
        let e = m.end();
        // A leading article is outside the span.
        let matched =
            match m.as_str().strip_prefix("the").or_else(|| m.as_str().strip_prefix("The")) {
                Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim_start(),
                _ => m.as_str(),
            };
        let s = e - matched.len();
        let before = &block[..s];
        let after = &block[e..];
        let toks = tokens(matched);
        let Some((value, cert, year)) = interpret(matched, &toks, before, after, *last_year) else {
            continue;
        };
        if let Some(y) = year {
            *last_year = Some(y);
        }
        out.push(
            Annotation::new(
                range.start + s..range.start + e,
                Kind::Date(Box::new(value)),
                rule_of(&toks),
            )
            .with_cert(cert),
        );
    }
}

/// The rule name for a matched date.
fn rule_of(words: &[Tok]) -> &'static str {
    let has_year = words.iter().any(|t| matches!(t, Tok::Year(_)));
    if words.iter().any(|t| matches!(t, Tok::Decade(_) | Tok::Century(_))) {
        "date.period"
    } else if words.iter().any(|t| matches!(t, Tok::Season(_))) {
        "date.season"
    } else if words.iter().any(|t| matches!(t, Tok::Qualifier(_))) {
        "date.approximate"
    } else if !has_year {
        "date.context-year"
    } else if words.iter().filter(|t| matches!(t, Tok::Year(_) | Tok::Short(_))).count() > 1 {
        "date.range"
    } else if words.iter().any(|t| matches!(t, Tok::Month(_))) {
        "date.calendar"
    } else {
        "date.year"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Year(i32),
    /// A two-digit year ending a range.
    Short(i32),
    Day(u32),
    Month(u32),
    Season(u32),
    Decade(i32),
    Century(i32),
    /// early = 0, mid = 1, late = 2, end = 3, beginning = 4, first half = 5, second half = 6
    Qualifier(u8),
    Word,
}

fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    // "the 19th century": the ordinal is the century, not a day.
    let of_century = s.contains("century");
    let mut prev_year = false;
    for raw in s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '–' | '/')) {
        if raw.is_empty() {
            continue;
        }
        let w = raw.trim_end_matches('.');
        let tok = if let Ok(n) = w.parse::<i32>() {
            match w.len() {
                4 => Tok::Year(n),
                2 if prev_year => Tok::Short(n),
                _ => Tok::Day(n as u32),
            }
        } else if let Some(d) = w.strip_suffix(['s']).filter(|d| d.len() >= 3) {
            let d = d.trim_end_matches(['\'', '’']).trim_start_matches(['\'', '’']);
            match d.parse::<i32>() {
                Ok(n) if d.len() == 4 => Tok::Decade(n),
                Ok(n) if d.len() == 2 => Tok::Decade(1900 + n),
                _ => word_token(&w.to_lowercase()),
            }
        } else if let Some(n) = ordinal(w) {
            if of_century { Tok::Century(n as i32) } else { Tok::Day(n) }
        } else {
            word_token(&w.to_lowercase())
        };
        prev_year = matches!(tok, Tok::Year(_));
        out.push(tok);
    }
    out
}

fn ordinal(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !digits.is_empty() && matches!(suffix, "st" | "nd" | "rd" | "th") {
        digits.parse().ok()
    } else {
        None
    }
}

fn word_token(lower: &str) -> Tok {
    // A month by name, or by an abbreviation of three letters or more.
    let month = MONTHS.iter().position(|m| {
        m.len() >= lower.len()
            && m.is_char_boundary(lower.len())
            && m[..lower.len()].eq_ignore_ascii_case(lower)
            && (lower.len() >= 3)
    });
    if let Some(m) = month {
        return Tok::Month(m as u32 + 1);
    }
    match lower {
        "spring" => Tok::Season(1),
        "summer" => Tok::Season(2),
        "autumn" | "fall" => Tok::Season(3),
        "winter" => Tok::Season(4),
        "teens" => Tok::Decade(1910),
        "twenties" => Tok::Decade(1920),
        "thirties" => Tok::Decade(1930),
        "forties" => Tok::Decade(1940),
        "fifties" => Tok::Decade(1950),
        "sixties" => Tok::Decade(1960),
        "seventies" => Tok::Decade(1970),
        "eighties" => Tok::Decade(1980),
        "nineties" => Tok::Decade(1990),
        "seventeenth" | "17th" => Tok::Century(17),
        "eighteenth" | "18th" => Tok::Century(18),
        "nineteenth" | "19th" => Tok::Century(19),
        "twentieth" | "20th" => Tok::Century(20),
        "first" => Tok::Word,
        "early" | "beginning" | "start" => Tok::Qualifier(if lower == "early" { 0 } else { 4 }),
        "mid" | "middle" => Tok::Qualifier(1),
        "late" => Tok::Qualifier(2),
        "end" | "close" | "turn" => Tok::Qualifier(3),
        "half" => Tok::Qualifier(5),
        _ => Tok::Word,
    }
}

/// Words before a number that make it a reference: page, issue, local.
const REFERENCE_WORDS: &[&str] = &[
    "no",
    "nos",
    "no.",
    "nos.",
    "number",
    "numbers",
    "page",
    "pages",
    "p.",
    "pp.",
    "vol",
    "vol.",
    "volume",
    "local",
    "article",
    "section",
    "point",
    "paragraph",
    "chapter",
    "room",
    "block",
    "plant",
    "division",
    "route",
    "item",
    "line",
    "col.",
    "column",
];

/// Words before a number that make it an amount.
const QUANTITY_WORDS: &[&str] = &[
    "some",
    "about",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "over",
    "under",
    "only",
    "just",
    "exactly",
    "fully",
    "another",
    "additional",
    "than",
];

/// Words before a number that make it a year.
const YEAR_CUES: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "from",
    "after",
    "before",
    "during",
    "of",
    "to",
    "through",
    "year",
    "early",
    "late",
    "mid",
    "summer",
    "winter",
    "spring",
    "autumn",
    "fall",
    "throughout",
    "around",
    "circa",
    "c.",
];

/// Plural and mass nouns that count things or people.
const COUNTED: &[&str] = &[
    "men",
    "women",
    "people",
    "persons",
    "workers",
    "members",
    "delegates",
    "soldiers",
    "troops",
    "tanks",
    "planes",
    "aircraft",
    "guns",
    "rifles",
    "tons",
    "tonnes",
    "miles",
    "kilometres",
    "kilometers",
    "km",
    "feet",
    "yards",
    "acres",
    "hectares",
    "rubles",
    "roubles",
    "dollars",
    "marks",
    "francs",
    "pounds",
    "yen",
    "lire",
    "dinars",
    "families",
    "peasants",
    "students",
    "votes",
    "copies",
    "pages",
    "words",
    "villages",
    "factories",
    "plants",
    "shops",
    "strikers",
    "prisoners",
    "dead",
    "killed",
    "wounded",
    "arrested",
    "deaths",
    "cars",
    "trucks",
    "vehicles",
    "units",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "strong",
    "more",
    "others",
    "of",
    "percent",
    "per",
    "%",
    "head",
    "cattle",
    "houses",
    "homes",
    "schools",
    "cadres",
    "officers",
    "police",
    "policemen",
    "pickets",
    "unionists",
    "locals",
    "branches",
    "cells",
    "divisions",
    "ships",
    "men,",
];

fn prev_word(before: &str) -> String {
    before
        .trim_end()
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .trim_start_matches(['“', '"', '‘', '\''])
        .to_lowercase()
}

fn next_word(after: &str) -> String {
    after
        .trim_start()
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', ',', ';', ':', ')', '”', '"'])
        .to_string()
}

/// Whether a bare four-digit number in its context is a year.
fn bare_year_is_date(n: i32, before: &str, after: &str) -> bool {
    let last = before.chars().next_back();
    if matches!(last, Some('$' | '£' | '€' | '#' | '¥')) || last.is_some_and(|c| c.is_ascii_digit())
    {
        return false;
    }
    if before.ends_with(['.', ','])
        && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    let mut after_chars = after.chars();
    match after_chars.next() {
        Some('%') => return false,
        Some('.' | ',') if after_chars.next().is_some_and(|c| c.is_ascii_digit()) => return false,
        _ => {}
    }
    let prev = prev_word(before);
    let next = next_word(after);
    let next_lower = next.to_lowercase();
    if matches!(next_lower.as_str(), "per" | "percent" | "%") {
        return false;
    }
    if REFERENCE_WORDS.contains(&prev.as_str()) || QUANTITY_WORDS.contains(&prev.as_str()) {
        return false;
    }
    if YEAR_CUES.contains(&prev.as_str()) && !matches!(prev.as_str(), "of" | "to" | "around") {
        return !COUNTED.contains(&next_lower.as_str());
    }
    if COUNTED.contains(&next_lower.as_str()) {
        return false;
    }
    // A round number before a plural noun is a count ("2000 tanks").
    let plural_noun =
        next.len() > 3 && next.ends_with('s') && next.chars().all(|c| c.is_lowercase());
    !(n % 100 == 0 && plural_noun)
}

fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// The value, certainty and the year it establishes, of a matched date.
fn interpret(
    matched: &str,
    toks: &[Tok],
    before: &str,
    after: &str,
    last_year: Option<i32>,
) -> Option<(DateValue, Cert, Option<i32>)> {
    let mut v = DateValue::default();
    let years: Vec<i32> =
        toks.iter().filter_map(|t| if let Tok::Year(y) = t { Some(*y) } else { None }).collect();
    let short: Option<i32> =
        toks.iter().find_map(|t| if let Tok::Short(y) = t { Some(*y) } else { None });
    let months: Vec<u32> =
        toks.iter().filter_map(|t| if let Tok::Month(m) = t { Some(*m) } else { None }).collect();
    let days: Vec<u32> =
        toks.iter().filter_map(|t| if let Tok::Day(d) = t { Some(*d) } else { None }).collect();
    let season = toks.iter().find_map(|t| if let Tok::Season(s) = t { Some(*s) } else { None });
    let decade = toks.iter().find_map(|t| if let Tok::Decade(d) = t { Some(*d) } else { None });
    let century = toks.iter().find_map(|t| if let Tok::Century(c) = t { Some(*c) } else { None });
    let qualifier =
        toks.iter().find_map(|t| if let Tok::Qualifier(q) = t { Some(*q) } else { None });
    let half = toks.iter().any(|t| matches!(t, Tok::Qualifier(5)));
    let first_word = matched.split_whitespace().next().unwrap_or("").to_lowercase();
    let ranged = matches!(first_word.as_str(), "from" | "between");
    let mut cert = Cert::High;

    if let Some(c) = century {
        let (from, to) = ((c - 1) * 100 + 1, c * 100);
        // Its end or its beginning: about its last or first decade.
        let edge = match (qualifier, half) {
            (_, true) if matched.to_lowercase().contains("second") => Some((from + 50, to)),
            (_, true) => Some((from, from + 49)),
            (Some(3), _) => Some((to - 9, to)),
            (Some(4), _) => Some((from, from + 9)),
            _ => None,
        };
        if let Some((nb, na)) = edge {
            v.not_before = Some(format!("{nb:04}"));
            v.not_after = Some(format!("{na:04}"));
            return Some((v, cert, None));
        }
        let (from, to) = split_period(from, to, qualifier);
        v.from = Some(format!("{from:04}"));
        v.to = Some(format!("{to:04}"));
        return Some((v, cert, None));
    }
    if let Some(d) = decade {
        let (from, to) = split_period(d, d + 9, qualifier);
        v.from = Some(format!("{from:04}"));
        v.to = Some(format!("{to:04}"));
        return Some((v, cert, None));
    }
    if let Some(s) = season {
        let y = *years.first()?;
        let (from, to) = match s {
            1 => (ym(y, 3), ym(y, 5)),
            2 => (ym(y, 6), ym(y, 8)),
            3 => (ym(y, 9), ym(y, 11)),
            _ => match range_end(y, years.get(1).copied(), short) {
                Some(next) => (ym(y, 12), ym(next, 2)),
                None => (ym(y - 1, 12), ym(y, 2)),
            },
        };
        v.from = Some(from);
        v.to = Some(to);
        return Some((v, cert, Some(y)));
    }
    if let Some(q) = qualifier {
        let y = *years.first()?;
        let (nb, na) = match (q, half) {
            (_, true) if first_word == "second" || matched.to_lowercase().contains("second") => {
                (7, 12)
            }
            (_, true) => (1, 6),
            (0, _) => (1, 4),
            (1, _) => (5, 8),
            (2, _) => (9, 12),
            (3, _) => (10, 12),
            _ => (1, 3),
        };
        v.not_before = Some(ym(y, nb));
        v.not_after = Some(ym(y, na));
        return Some((v, cert, Some(y)));
    }
    if ranged
        || years.len() == 2
        || (months.len() == 2 && !years.is_empty())
        || short.is_some()
        || days.len() == 2 && months.len() == 1
    {
        // Ranges: from/to.
        if years.is_empty() {
            return None;
        }
        let y1 = years[0];
        let y2 = if years.len() > 1 { years[1] } else { range_end(y1, None, short).unwrap_or(y1) };
        if months.is_empty() {
            if y2 <= y1 && !ranged || y2 < y1 {
                return None;
            }
            if REFERENCE_WORDS.contains(&prev_word(before).as_str()) {
                return None;
            }
            v.from = Some(format!("{y1:04}"));
            v.to = Some(format!("{y2:04}"));
            return Some((v, cert, Some(y2)));
        }
        let (m1, m2) = (months[0], *months.last()?);
        let (d1, d2) =
            (days.first().copied(), if days.len() > 1 { days.last().copied() } else { None });
        // "from July to September 1953": the one year serves both ends.
        let y_to = if years.len() > 1 { y2 } else { y1 };
        v.from = Some(match d1 {
            Some(d) if valid_day(y1, m1, d) => format!("{}-{d:02}", ym(y1, m1)),
            _ => ym(y1, m1),
        });
        v.to = Some(match d2 {
            Some(d) if valid_day(y_to, m2, d) => format!("{}-{d:02}", ym(y_to, m2)),
            _ => ym(y_to, m2),
        });
        return Some((v, cert, Some(y_to)));
    }
    match (years.first(), months.first(), days.first()) {
        (Some(&y), Some(&m), Some(&d)) => {
            if !valid_day(y, m, d) {
                return None;
            }
            v.when = Some(format!("{}-{d:02}", ym(y, m)));
            Some((v, cert, Some(y)))
        }
        (Some(&y), Some(&m), None) => {
            v.when = Some(ym(y, m));
            Some((v, cert, Some(y)))
        }
        (Some(&y), None, None) => {
            if !bare_year_is_date(y, before, after) {
                return None;
            }
            v.when = Some(format!("{y:04}"));
            Some((v, cert, Some(y)))
        }
        (None, Some(&m), day) => {
            let day = day.copied();
            // No year in the expression: a lone month needs a preposition,
            // and both take the year last mentioned.
            if day.is_none() {
                let prev = prev_word(before);
                let cue = matches!(
                    prev.as_str(),
                    "in" | "of"
                        | "by"
                        | "until"
                        | "till"
                        | "since"
                        | "during"
                        | "early"
                        | "late"
                        | "mid"
                        | "last"
                        | "next"
                        | "from"
                        | "through"
                        | "before"
                        | "after"
                        | "throughout"
                        | "that"
                        | "this"
                );
                if !cue {
                    return None;
                }
            }
            cert = Cert::Medium;
            match (last_year, day) {
                (Some(y), Some(d)) if valid_day(y, m, d) => {
                    v.when = Some(format!("{}-{d:02}", ym(y, m)))
                }
                (Some(y), None) => v.when = Some(ym(y, m)),
                (None, Some(d)) if d <= days_in_month(2000, m) => {
                    v.when = Some(format!("--{m:02}-{d:02}"));
                    cert = Cert::Low;
                }
                (None, None) => {
                    v.when = Some(format!("--{m:02}"));
                    cert = Cert::Low;
                }
                _ => return None,
            }
            Some((v, cert, None))
        }
        _ => None,
    }
}

/// The end year of a range whose end is written with two digits or four.
fn range_end(start: i32, full: Option<i32>, short: Option<i32>) -> Option<i32> {
    match (full, short) {
        (Some(y), _) if y > start && y - start <= 100 => Some(y),
        (None, Some(s)) => {
            let century = start - start % 100;
            let end = if century + s > start { century + s } else { century + 100 + s };
            (end - start < 100).then_some(end)
        }
        _ => None,
    }
}

/// Narrows a decade (early: years 0-3, mid: 4-6, late: 7-9) or a century
/// (by thirds) by a qualifier.
fn split_period(from: i32, to: i32, qualifier: Option<u8>) -> (i32, i32) {
    let (early, late) = if to - from == 9 { (3, 7) } else { (32, 66) };
    match qualifier {
        Some(0) => (from, from + early),
        Some(1) => (from + early + 1, from + late - 1),
        Some(2) => (from + late, to),
        _ => (from, to),
    }
}

fn valid_day(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y as u32, m)
}

#[cfg(test)]
mod tests;
