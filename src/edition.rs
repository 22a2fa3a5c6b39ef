//! Edition metadata: the `edition.toml` an editor writes beside a source.
//!
//! The types here are the contract of that file: `schema/edition.schema.json`
//! is generated from them, unknown keys are refused, and every error points
//! at its line. Nothing here reads files; [`parse`] takes the text.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

/// The metadata of one edition, as written in `edition.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "teimark edition.toml")]
pub struct Edition {
    /// Stable identifier of the edition: names the output folder and files
    /// (`editions/<id>/<id>.tei.xml`). Letters, digits, `-`, `_`, `.`.
    pub id: String,
    /// Main title of the work.
    pub title: String,
    /// Subtitle, if the work has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Authors as credited by the source used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Person>,
    /// Main language of the text, a BCP 47 tag such as `en` or `de-CH`.
    pub language: String,
    /// Where and when the work was first published.
    pub original: Original,
    /// The digital text this edition was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digital_source: Option<DigitalSource>,
    /// Who is responsible for this digital edition.
    pub editors: Vec<Person>,
    /// Publisher of the digital edition (a person, project or institution).
    pub publisher: String,
    /// Licence of the digital edition.
    pub licence: Licence,
    /// Revisions of the source text, oldest first; the last one is the text
    /// the edition is built from.
    pub revisions: Vec<Revision>,
    /// Edition rules switched off for this edition, by code
    /// (`teimark::rules::<name>`, or the name alone); `schema/diagnostics.md` lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disabled_rules: Vec<String>,
    /// The RELAX NG schema (XML syntax) that `teimark validate` checks this edition's TEI
    /// against, as a path relative to this file. Without it, `tei_all.rng` from the
    /// schema search path is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

/// A person credited in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The name as it should be printed.
    pub name: String,
    /// What they did (for editors), e.g. "markup and proof-reading".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Wikidata QID (`Q` followed by digits), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
}

/// The first publication of the work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Original {
    /// Title of the periodical (or book) it appeared in.
    pub periodical: String,
    /// Volume, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Issue number, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// The issue date as printed, e.g. "Spring 1955".
    pub date: String,
    /// The same date in ISO 8601 (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub when: String,
    /// Pages, as printed, e.g. "33-40".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
}

/// The digital text the edition was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DigitalSource {
    /// Title of the digital collection, e.g. "Encyclopedia of Trotskyism On-Line".
    pub title: String,
    /// Who publishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Address of the page the text was taken from.
    pub url: String,
    /// Byline given by the digital source, if it differs from the authors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// When the text was taken (ISO 8601 date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<String>,
}

/// A licence statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// Human-readable licence statement.
    pub text: String,
    /// Address of the licence text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One revision of the source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// The file holding this revision, relative to `edition.toml`.
    pub file: String,
    /// When it was made (ISO 8601 date).
    pub when: String,
    /// Who made it.
    pub who: String,
    /// What changed.
    pub description: String,
}

impl Edition {
    /// The file of the newest revision: the text the edition is built from.
    pub fn source_file(&self) -> Option<&str> {
        self.revisions.last().map(|r| r.file.as_str())
    }

    /// Metadata for a text that came without `edition.toml`: what can be
    /// read off the text itself, the rest left blank for the editor.
    pub fn untitled(id: &str, title: Option<&str>, subtitle: Option<&str>) -> Edition {
        Edition {
            id: id.to_string(),
            title: title.unwrap_or(id).to_string(),
            subtitle: subtitle.map(str::to_string),
            authors: Vec::new(),
            language: "en".to_string(),
            original: Original {
                periodical: "unknown".to_string(),
                volume: None,
                issue: None,
                date: "unknown".to_string(),
                when: String::new(),
                pages: None,
            },
            digital_source: None,
            editors: Vec::new(),
            publisher: "unpublished".to_string(),
            licence: Licence { text: "No licence stated.".to_string(), url: None },
            revisions: Vec::new(),
            disabled_rules: Vec::new(),
            schema: None,
        }
    }
}

/// Reads `edition.toml` text. Syntax and type errors, unknown keys and
/// missing fields come back as diagnostics located in `text`, as do values
/// that parse but cannot be right (an id that is not a name, a bad ISO date).
pub fn parse(text: &str) -> (Option<Edition>, Vec<Diagnostic>) {
    let edition: Edition = match toml::from_str(text) {
        Ok(edition) => edition,
        Err(err) => return (None, vec![toml_diagnostic(&err, text, "edition.schema.json")]),
    };
    let mut diagnostics = Vec::new();
    let mut check = |ok: bool, key: &str, value: &str, expected: &str| {
        if !ok {
            diagnostics.push(value_diagnostic(text, key, value, expected));
        }
    };
    check(is_ncname(&edition.id), "id", &edition.id, "a name of letters, digits, '-', '_' or '.'");
    check(
        is_language_tag(&edition.language),
        "language",
        &edition.language,
        "a BCP 47 tag like 'en'",
    );
    check(
        is_iso_date(&edition.original.when),
        "when",
        &edition.original.when,
        "YYYY, YYYY-MM or YYYY-MM-DD",
    );
    for revision in &edition.revisions {
        check(is_iso_date(&revision.when), "when", &revision.when, "YYYY, YYYY-MM or YYYY-MM-DD");
    }
    if edition.revisions.is_empty() {
        let d =
            Diagnostic::error("teimark::edition::no-revision", "edition.toml lists no revision")
                .with_help(
                    "add a [[revisions]] table naming the source file, e.g. file = \"source.txt\"",
                );
        // `revisions = []` (an empty table array written inline).
        let key = key_lines(text, "revisions").next().map(|(offset, line)| {
            let at = offset + line.len() - line.trim_start().len();
            at..at + "revisions".len()
        });
        diagnostics.push(match key {
            Some(span) => d.with_span(span, "no revision listed"),
            None => d,
        });
    }
    (Some(edition), diagnostics)
}

/// Turns a TOML deserialisation error into a located diagnostic.
/// `schema` names the file in `schema/` that documents the format.
pub(crate) fn toml_diagnostic(err: &toml::de::Error, text: &str, schema: &str) -> Diagnostic {
    let message = err.message().trim_end_matches('.').to_string();
    let code = if message.starts_with("unknown field") {
        "teimark::config::unknown-key"
    } else if message.starts_with("missing field") {
        "teimark::config::missing-key"
    } else if message.starts_with("invalid type") {
        "teimark::config::wrong-type"
    } else {
        "teimark::config::invalid-toml"
    };
    let help = match code {
        "teimark::config::unknown-key" => {
            format!("remove the key or correct its spelling; schema/{schema} lists every key")
        }
        "teimark::config::missing-key" => {
            format!("add the key; schema/{schema} says what it holds")
        }
        "teimark::config::wrong-type" => {
            "write the value with the type the key expects".to_string()
        }
        _ => "fix the TOML syntax at the marked place".to_string(),
    };
    let diagnostic = Diagnostic::error(code, message).with_help(help);
    match err.span() {
        Some(span) => {
            let span = clamp_span(span, text);
            diagnostic.with_span(span, label_for(code))
        }
        None => diagnostic,
    }
}

fn label_for(code: &str) -> &'static str {
    match code {
        "teimark::config::unknown-key" => "not a known key",
        "teimark::config::missing-key" => "this table lacks a required key",
        "teimark::config::wrong-type" => "wrong type",
        _ => "here",
    }
}

/// Keeps a span inside the text and on character boundaries.
fn clamp_span(span: std::ops::Range<usize>, text: &str) -> std::ops::Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// A diagnostic for a value that parsed but is not acceptable, placed on
/// the first `key = "value"` occurrence in the text.
fn value_diagnostic(text: &str, key: &str, value: &str, expected: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "teimark::config::invalid-value",
        format!("value {value:?} of key `{key}` is not valid; expected {expected}"),
    )
    .with_help(format!("change `{key}` to {expected}"));
    match find_value(text, key, value) {
        Some(span) => diagnostic.with_span(span, format!("expected {expected}")),
        None => diagnostic,
    }
}

fn find_value(text: &str, key: &str, value: &str) -> Option<std::ops::Range<usize>> {
    let quoted = format!("\"{value}\"");
    key_lines(text, key).find_map(|(offset, line)| {
        let at = line.find(&quoted)?;
        Some(offset + at..offset + at + quoted.len())
    })
}

/// The lines that set `key` (`key = …`), with the offsets they start at.
fn key_lines<'t>(text: &'t str, key: &'t str) -> impl Iterator<Item = (usize, &'t str)> {
    text.split_inclusive('\n')
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
        .filter(move |(_, line)| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
}

/// Whether `s` is an XML NCName restricted to ASCII (what ids should be).
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether `s` is a well-formed BCP 47 language tag (syntax only).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `s` is an ISO 8601 calendar date of the forms TEI's @when takes
/// for a day, month or year: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (with real
/// month lengths and leap years).
pub fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str, len: usize| {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse::<u32>().ok()
        } else {
            None
        }
    };
    match parts.as_slice() {
        [y] => number(y, 4).is_some(),
        [y, m] => number(y, 4).is_some() && number(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => match (number(y, 4), number(m, 2), number(d, 2)) {
            (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) => {
                d >= 1 && d <= days_in_month(y, m)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The JSON Schema of `edition.toml`, as committed in `schema/`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Edition);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

#[cfg(test)]
mod tests;
