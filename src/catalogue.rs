//! The catalogue of every diagnostic code teimark emits, by stage: the registry behind
//! `schema/diagnostics.md`, the SARIF rule descriptions and `teimark validate --explain`.
//!
//! Edition rules come from their own files ([`crate::validate::rules::RULES`], their doc
//! comments harvested by the `rule!` macro); every other code is listed here with its
//! severity and a one-line summary. A unit test reads `src/` and fails when a code
//! string there is missing from the catalogue (or the catalogue lists one no longer
//! used), so the two cannot drift apart.

use crate::diag::Severity;
use crate::validate::rules::{RULES, RuleInfo};

/// One diagnostic code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `teimark::<stage>::<name>`.
    pub code: &'static str,
    /// The severity it is reported with.
    pub severity: Severity,
    /// What it means, in one line.
    pub summary: &'static str,
    /// The full documentation (Markdown), for edition rules.
    pub doc: Option<String>,
}

use Severity::{Error, Warning};

/// The stages in catalogue order, each with a one-line description.
pub const STAGES: &[(&str, &str)] = &[
    ("source", "reading the plain-text source (`teimark edition`, `teimark build`)"),
    ("structure", "finding title, headings, paragraphs and quotations"),
    ("entities", "recognising names, dates, citations and quotations"),
    ("document", "assembling the stand-off document and nesting it for TEI"),
    ("json", "reading a teimark JSON document back"),
    ("config", "reading `edition.toml` and `register.toml`"),
    ("edition", "what `edition.toml` must hold beyond its types"),
    ("register", "the authority register (`register.toml`)"),
    ("io", "reading and writing files (command line)"),
    ("build", "`teimark build`"),
    (
        "validate",
        "`teimark validate`: well-formedness, the RELAX NG engine, schemas and the command",
    ),
    ("rules", "`teimark validate`: the edition rules"),
    ("diff", "`teimark diff`: comparing two revisions or two editions"),
    ("revision", "marking the corrections between an edition's revisions"),
];

/// Every code that is not an edition rule.
const OTHERS: &[(&str, Severity, &str)] = &[
    (
        "teimark::build::threads",
        Error,
        "the worker threads for `teimark build --jobs` cannot be started",
    ),
    (
        "teimark::build::internal-error",
        Error,
        "teimark failed on one source (a bug); the other sources are still built",
    ),
    ("teimark::build::duplicate-id", Error, "two source folders give their editions the same id"),
    ("teimark::diff::input-too-large", Error, "a revision to compare is 4 GiB or larger"),
    ("teimark::diff::invalid-utf8", Error, "a revision to compare is not UTF-8"),
    (
        "teimark::diff::xml-invalid-char",
        Warning,
        "a character XML cannot carry is replaced in a TEI report",
    ),
    (
        "teimark::diff::approximate-alignment",
        Warning,
        "the revisions differ too much to be aligned exactly; numbers are upper bounds",
    ),
    ("teimark::diff::mixed-inputs", Error, "one input is an edition and the other plain text"),
    (
        "teimark::diff::invalid-edition",
        Error,
        "a file given as an edition is neither teimark JSON nor TEI",
    ),
    (
        "teimark::revision::approximate",
        Warning,
        "the edition's revisions differ too much to be aligned exactly; corrections may not be minimal",
    ),
    ("teimark::source::binary", Error, "the source holds NUL bytes: it is binary, not text"),
    (
        "teimark::source::invalid-utf8",
        Error,
        "the source is not valid in the encoding given (UTF-8 by default)",
    ),
    ("teimark::source::empty", Error, "the source is empty or holds only whitespace"),
    (
        "teimark::source::control-character",
        Warning,
        "a control character XML cannot carry is left out of the TEI",
    ),
    (
        "teimark::structure::unsure-subtitle",
        Warning,
        "a line after the title may or may not be a subtitle",
    ),
    (
        "teimark::structure::unclosed-quotation",
        Warning,
        "a quotation opened in a paragraph is not closed",
    ),
    ("teimark::structure::unsure-heading", Warning, "a short line may or may not be a heading"),
    (
        "teimark::entities::date-without-year",
        Warning,
        "a month is named before any year, so its year is left open",
    ),
    ("teimark::document::bad-range", Warning, "an annotation does not fit the text and is dropped"),
    (
        "teimark::document::crossing-split",
        Warning,
        "a phrase crossing another element is split into linked parts (@prev/@next)",
    ),
    (
        "teimark::document::crossing-dropped",
        Warning,
        "a name or date crossing another element is left out of the TEI (the JSON keeps it)",
    ),
    ("teimark::json::invalid", Error, "the JSON is not a teimark document"),
    ("teimark::json::format", Error, "the JSON document has another format or version"),
    ("teimark::json::offset", Error, "an annotation's offsets do not fit the document's text"),
    ("teimark::config::invalid-toml", Error, "the TOML file has a syntax error"),
    ("teimark::config::unknown-key", Error, "a key the file's schema does not know"),
    ("teimark::config::missing-key", Error, "a required key is missing"),
    ("teimark::config::wrong-type", Error, "a value has the wrong type"),
    (
        "teimark::config::invalid-value",
        Error,
        "a value has the right type but cannot be right (an id that is not a name, a bad ISO date)",
    ),
    (
        "teimark::edition::no-revision",
        Error,
        "edition.toml lists no revision, so there is no source file",
    ),
    (
        "teimark::register::invalid-entry",
        Error,
        "a register entry is malformed (id, authority id, level)",
    ),
    ("teimark::register::shared-form", Warning, "two register entries claim the same form"),
    (
        "teimark::register::unknown-author",
        Warning,
        "a work's author is not a person of the register",
    ),
    ("teimark::io::read", Error, "a file cannot be read"),
    ("teimark::io::not-utf8", Error, "a configuration file is not UTF-8"),
    ("teimark::io::write", Error, "a file cannot be written"),
    ("teimark::build::no-seeds", Error, "the project folder holds no `seeds/<id>/` folders"),
    (
        "teimark::validate::not-well-formed",
        Error,
        "the document is not well-formed XML; reading stops there",
    ),
    ("teimark::validate::undefined-entity", Error, "an entity reference names no declared entity"),
    (
        "teimark::validate::entity-limit",
        Error,
        "entity expansion passed its limits (an expansion bomb) or an entity refers to itself",
    ),
    (
        "teimark::validate::dtd-refused",
        Error,
        "an external DTD or entity was not read (not allowed without --dtd, remote, or outside the document's folder)",
    ),
    ("teimark::validate::unsupported-encoding", Error, "the document is not UTF-8"),
    ("teimark::validate::io", Error, "the document could not be read"),
    (
        "teimark::validate::unexpected-element",
        Error,
        "an element is not allowed where it is; the message lists what was allowed",
    ),
    (
        "teimark::validate::unexpected-attribute",
        Error,
        "an attribute is not allowed on its element",
    ),
    ("teimark::validate::missing-attribute", Error, "a required attribute is missing"),
    ("teimark::validate::missing-content", Error, "an element ends before its required content"),
    ("teimark::validate::unexpected-text", Error, "text where the schema allows none"),
    (
        "teimark::validate::invalid-value",
        Error,
        "an attribute value or element text does not match its datatype or the values allowed",
    ),
    ("teimark::validate::duplicate-id", Error, "an ID is defined twice (schema ID types)"),
    ("teimark::validate::unresolved-idref", Error, "an IDREF names no ID of the document"),
    ("teimark::validate::invalid-id", Error, "an ID or IDREF attribute holds no token or several"),
    ("teimark::validate::nothing-allowed", Error, "the schema's start pattern allows nothing"),
    ("teimark::validate::schema-unreadable", Error, "a schema file cannot be read"),
    ("teimark::validate::schema-not-well-formed", Error, "a schema file is not well-formed XML"),
    (
        "teimark::validate::schema-remote-href",
        Error,
        "a schema refers to a remote file; teimark never uses the network",
    ),
    ("teimark::validate::schema-syntax", Error, "a schema breaks the RELAX NG syntax"),
    (
        "teimark::validate::schema-reference",
        Error,
        "a schema refers to a define, file or override that does not exist",
    ),
    (
        "teimark::validate::schema-datatype",
        Error,
        "a schema names an unknown datatype or a bad parameter",
    ),
    (
        "teimark::validate::schema-restriction",
        Error,
        "a schema breaks a restriction of RELAX NG section 7",
    ),
    (
        "teimark::validate::schema-id-type",
        Error,
        "a schema's ID attributes break the DTD-compatibility rules",
    ),
    (
        "teimark::validate::schema-compact-syntax",
        Error,
        "the schema is in RELAX NG compact syntax; teimark reads the XML syntax",
    ),
    ("teimark::validate::no-schema", Error, "no schema was given or found for a document"),
    ("teimark::validate::no-files", Error, "no XML files were found to check"),
    ("teimark::rules::unknown-rule", Error, "--disable or disabled_rules names no edition rule"),
];

/// Every code teimark emits, grouped by stage in [`STAGES`] order; edition rules in
/// their own order, other codes in the order listed.
pub fn entries() -> Vec<Entry> {
    let mut all: Vec<Entry> = OTHERS.iter().map(other_entry).collect();
    all.extend(RULES.iter().map(rule_entry));
    let rank =
        |e: &Entry| STAGES.iter().position(|(s, _)| *s == stage(e.code)).unwrap_or(usize::MAX);
    all.sort_by_key(rank);
    all
}

/// The entry of a code (codes are unique: a test checks it).
pub fn find(code: &str) -> Option<Entry> {
    OTHERS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(other_entry)
        .or_else(|| RULES.iter().find(|r| r.code == code).map(rule_entry))
}

fn other_entry(&(code, severity, summary): &(&'static str, Severity, &'static str)) -> Entry {
    Entry { code, severity, summary, doc: None }
}

fn rule_entry(r: &&RuleInfo) -> Entry {
    Entry { code: r.code, severity: r.severity, summary: r.summary, doc: Some(r.documentation()) }
}

/// The stage of a code: `validate` in `teimark::validate::io`.
pub fn stage(code: &str) -> &str {
    code.split("::").nth(1).unwrap_or("")
}

/// `schema/diagnostics.md`: every code, by stage, with the rules' documentation.
pub fn markdown() -> String {
    let entries = entries();
    let mut out = String::from(
        "<!-- Generated by `cargo xtask codegen` from src/catalogue.rs and the rule files in \
         src/validate/rules/; do not edit. -->\n\n\
         # Diagnostics\n\n\
         Every diagnostic teimark reports has a stable code `teimark::<stage>::<name>`, a \
         severity, a message saying what was found and what was expected, a place (file, line, \
         column) where it has one, and a help line. This is the list of all codes.\n\n\
         Edition rules (`teimark::rules::…`) can be switched off with `teimark validate \
         --disable <code>` or, for one edition, with `disabled_rules = [\"<code>\"]` in its \
         `edition.toml`.\n",
    );
    for (stage_name, about) in STAGES {
        let here: Vec<&Entry> = entries.iter().filter(|e| stage(e.code) == *stage_name).collect();
        if here.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {stage_name}: {about}\n\n"));
        out.push_str("| code | severity | meaning |\n|---|---|---|\n");
        for e in &here {
            out.push_str(&format!("| `{}` | {} | {} |\n", e.code, e.severity, e.summary));
        }
        for e in here.iter().filter(|e| e.doc.is_some()) {
            out.push_str(&format!("\n### `{}`\n\n", e.code));
            out.push_str(&format!("Severity: {}. {}.\n\n", e.severity, capitalised(e.summary)));
            out.push_str(&demoted(e.doc.as_deref().unwrap_or_default()));
        }
    }
    out
}

/// A rule's documentation under a `###` heading: its `##` headings made `####`.
fn demoted(doc: &str) -> String {
    let mut out = String::new();
    for line in doc.lines() {
        match line.strip_prefix("## ") {
            Some(heading) => out.push_str(&format!("#### {heading}\n")),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
