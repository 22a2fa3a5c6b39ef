//! The authority register: persons, places, organisations and works an
//! editor controls, with their variant forms and authority ids.
//!
//! One TOML file per edition (`seeds/<id>/register.toml`) is merged over
//! the default register shipped with teimark (`default_register.toml`):
//! an edition entry with the same id replaces the default one.
//! `schema/register.schema.json` is generated from these types.

use std::collections::HashMap;
use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::edition::{is_iso_date, is_ncname, toml_diagnostic};

/// The default register shipped with teimark.
pub const DEFAULT_REGISTER: &str = include_str!("default_register.toml");

/// A register file: entries by kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "teimark register.toml")]
pub struct Register {
    /// Persons.
    #[serde(default, rename = "person", skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<Entry>,
    /// Places: countries, regions, cities, sites.
    #[serde(default, rename = "place", skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Entry>,
    /// Organisations, institutions, parties, movements.
    #[serde(default, rename = "org", skip_serializing_if = "Vec::is_empty")]
    pub orgs: Vec<Entry>,
    /// Works: books, periodicals, articles, documents.
    #[serde(default, rename = "work", skip_serializing_if = "Vec::is_empty")]
    pub works: Vec<Entry>,
}

/// One authority entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable identifier, an XML name: `ref="#id"` in TEI points here.
    pub id: String,
    /// Canonical name (for works: the title).
    pub name: String,
    /// Other forms found in texts, exactly as printed (case-sensitive).
    /// Possessives and ALL-CAPS forms are derived by the matcher.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// Adjectival or demonym forms (places and organisations): "Soviet".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjectives: Vec<String>,
    /// For places: country, state, city, region, continent, sea, mountain, site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// For works: TEI title level, a (article), m (book), j (periodical), s (series), u (unpublished).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// For works: the author, a person id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Wikidata QID, e.g. "Q33391".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// VIAF id (digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viaf: Option<String>,
    /// GeoNames id (digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames: Option<String>,
    /// For persons: year or date of birth (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<String>,
    /// For persons: year or date of death (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death: Option<String>,
    /// One line saying who or what this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Set when a form of this entry often means something else (Georgia,
    /// Jordan): matches get medium certainty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
}

/// The four kinds of register entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    Person,
    Place,
    Org,
    Work,
}

impl EntryKind {
    /// The TOML table name.
    pub fn table(self) -> &'static str {
        match self {
            EntryKind::Person => "person",
            EntryKind::Place => "place",
            EntryKind::Org => "org",
            EntryKind::Work => "work",
        }
    }
}

impl Register {
    /// Parses a register file; every problem is a diagnostic located in `text`.
    pub fn parse(text: &str) -> (Option<Register>, Vec<Diagnostic>) {
        let register: Register = match toml::from_str(text) {
            Ok(r) => r,
            Err(err) => return (None, vec![toml_diagnostic(&err, text, "register.schema.json")]),
        };
        let diagnostics = register.check(text);
        (Some(register), diagnostics)
    }

    /// The default register shipped with teimark (parsed once per process).
    pub fn default_register() -> Register {
        static PARSED: LazyLock<Register> = LazyLock::new(|| {
            let (register, diagnostics) = Register::parse(DEFAULT_REGISTER);
            debug_assert!(diagnostics.is_empty(), "the default register is clean: {diagnostics:?}");
            register.unwrap_or_default()
        });
        PARSED.clone()
    }

    /// Entries of one kind.
    pub fn entries(&self, kind: EntryKind) -> &[Entry] {
        match kind {
            EntryKind::Person => &self.persons,
            EntryKind::Place => &self.places,
            EntryKind::Org => &self.orgs,
            EntryKind::Work => &self.works,
        }
    }

    fn entries_mut(&mut self, kind: EntryKind) -> &mut Vec<Entry> {
        match kind {
            EntryKind::Person => &mut self.persons,
            EntryKind::Place => &mut self.places,
            EntryKind::Org => &mut self.orgs,
            EntryKind::Work => &mut self.works,
        }
    }

    /// All entries with their kind.
    pub fn all(&self) -> impl Iterator<Item = (EntryKind, &Entry)> {
        [EntryKind::Person, EntryKind::Place, EntryKind::Org, EntryKind::Work]
            .into_iter()
            .flat_map(move |k| self.entries(k).iter().map(move |e| (k, e)))
    }

    /// Finds an entry by id.
    pub fn get(&self, id: &str) -> Option<(EntryKind, &Entry)> {
        self.all().find(|(_, e)| e.id == id)
    }

    /// This register laid over `base`: same id, this one wins; new ids are added.
    pub fn over(self, mut base: Register) -> Register {
        for kind in [EntryKind::Person, EntryKind::Place, EntryKind::Org, EntryKind::Work] {
            for entry in self.entries(kind).iter().cloned() {
                // An id is unique across kinds, so remove it wherever it was.
                for k in [EntryKind::Person, EntryKind::Place, EntryKind::Org, EntryKind::Work] {
                    base.entries_mut(k).retain(|e| e.id != entry.id);
                }
                base.entries_mut(kind).push(entry);
            }
        }
        base
    }

    /// Only the entries whose ids are in `used`, in register order.
    pub fn restricted_to(&self, used: &std::collections::BTreeSet<String>) -> Register {
        let keep =
            |entries: &[Entry]| entries.iter().filter(|e| used.contains(&e.id)).cloned().collect();
        Register {
            persons: keep(&self.persons),
            places: keep(&self.places),
            orgs: keep(&self.orgs),
            works: keep(&self.works),
        }
    }

    /// Checks what the types cannot: ids are names and unique, authority ids
    /// have their shapes, work authors and levels resolve, no form is claimed
    /// by two entries unless both are marked ambiguous.
    fn check(&self, text: &str) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut forms: HashMap<&str, &Entry> = HashMap::new();
        for (kind, entry) in self.all() {
            let mut problem = |what: String, needle: &str| {
                let d = Diagnostic::error("teimark::register::invalid-entry", what)
                    .with_help("fix the entry; schema/register.schema.json describes each key");
                diagnostics.push(match locate(text, needle) {
                    Some(span) => d.with_span(span, "here"),
                    None => d,
                });
            };
            if !is_ncname(&entry.id) {
                problem(
                    format!(
                        "id {:?} is not an XML name (letters, digits, '-', '_', '.')",
                        entry.id
                    ),
                    &entry.id,
                );
            }
            if seen.insert(&entry.id, ()).is_some() {
                problem(format!("id {:?} is used by more than one entry", entry.id), &entry.id);
            }
            if let Some(q) = &entry.wikidata {
                if !(q.len() > 1
                    && q.starts_with('Q')
                    && q[1..].bytes().all(|b| b.is_ascii_digit()))
                {
                    problem(
                        format!("wikidata id {q:?} of {:?} is not a QID like \"Q33391\"", entry.id),
                        q,
                    );
                }
            }
            for (what, value) in [("viaf", &entry.viaf), ("geonames", &entry.geonames)] {
                if let Some(v) = value {
                    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                        problem(format!("{what} id {v:?} of {:?} is not a number", entry.id), v);
                    }
                }
            }
            for (what, value) in [("birth", &entry.birth), ("death", &entry.death)] {
                if let Some(v) = value {
                    if !is_iso_date(v) {
                        problem(
                            format!(
                                "{what} {v:?} of {:?} is not an ISO date (YYYY, YYYY-MM, YYYY-MM-DD)",
                                entry.id
                            ),
                            v,
                        );
                    }
                }
            }
            if kind == EntryKind::Work {
                if let Some(level) = &entry.level {
                    if crate::document::Level::parse(level).is_none() {
                        problem(
                            format!(
                                "level {level:?} of {:?} is not one of a, m, j, s, u",
                                entry.id
                            ),
                            level,
                        );
                    }
                }
            }
            for form in entry.forms() {
                if let Some(other) = forms.insert(form, entry) {
                    if other.id != entry.id && !(other.ambiguous && entry.ambiguous) {
                        let d = Diagnostic::warning(
                            "teimark::register::shared-form",
                            format!(
                                "form {form:?} belongs to both {:?} and {:?}",
                                other.id, entry.id
                            ),
                        )
                        .with_help(
                            "keep the form in one entry, or mark both entries `ambiguous = true`",
                        );
                        // The form in the second entry (the one read after its id).
                        let span = locate(text, &entry.id).and_then(|id| {
                            let after = locate(&text[id.end..], form)?;
                            Some(id.end + after.start..id.end + after.end)
                        });
                        diagnostics.push(match span {
                            Some(span) => {
                                d.with_span(span, format!("also a form of {:?}", other.id))
                            }
                            None => d,
                        });
                    }
                }
            }
        }
        for work in &self.works {
            if let Some(author) = &work.author {
                if !self.persons.iter().any(|p| &p.id == author) {
                    let d = Diagnostic::warning(
                        "teimark::register::unknown-author",
                        format!(
                            "author {author:?} of work {:?} is not a person in this register",
                            work.id
                        ),
                    )
                    .with_help("add the person, or correct the id");
                    diagnostics.push(match locate(text, author) {
                        Some(span) => d.with_span(span, "no such person"),
                        None => d,
                    });
                }
            }
        }
        diagnostics
    }
}

impl Entry {
    /// The name and its variants: the noun forms to look for.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.variants.iter().map(String::as_str))
    }
}

/// The span of the first quoted occurrence of `needle` in the TOML text.
fn locate(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    let quoted = format!("\"{needle}\"");
    text.find(&quoted).map(|at| at..at + quoted.len())
}

/// The JSON Schema of `register.toml`, as committed in `schema/`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Register);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}
