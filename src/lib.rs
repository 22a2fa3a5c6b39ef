//! teimark: plain-text historical sources to archival digital editions.
//!
//! Steps, chained by [`make_edition`]; data flows one way:
//!
//! 1. [`source`]: bytes to text, keeping line endings; bad bytes become diagnostics.
//! 2. [`structure`]: title, subtitle, dateline, headings, paragraphs, block
//!    quotations, notes, as annotations over the text.
//! 3. [`entities`]: persons, places, organisations, dates, citations and
//!    quotations, against the authority register.
//! 4. [`document`]: the exact text plus typed stand-off annotations; its
//!    resolver nests them for XML.
//! 5. [`export`]: TEI P5, the lossless JSON twin, the HTML reading edition.
//!
//! Beside the pipeline: `validate` reads TEI back and checks it, `diff`
//! compares revisions. No module here touches the file system or the
//! terminal; that is the command line's business (`src/cli/`).

pub mod catalogue;
pub mod diag;
pub mod diff;
pub mod document;
pub mod edition;
pub mod entities;
pub mod export;
pub mod source;
pub mod structure;
pub mod validate;

use std::collections::BTreeSet;

use diag::Diagnostic;
use document::{Document, Tree};
use edition::Edition;
use entities::register::Register;
use export::json::SourceInfo;
use source::Encoding;

/// What one edition is made from besides its source text: the texts of its
/// configuration files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inputs<'a> {
    /// The text of `edition.toml`, if there is one.
    pub edition: Option<&'a str>,
    /// The text of the edition's `register.toml`, if there is one.
    pub register: Option<&'a str>,
    /// The edition id to use when there is no `edition.toml`.
    pub fallback_id: &'a str,
    /// The text of the revision before the one the edition is built from:
    /// the changes between them are marked as corrections.
    pub previous: Option<&'a str>,
}

/// A made edition, ready for export.
#[derive(Debug, Clone)]
pub struct Made {
    pub document: Document,
    /// The annotations nested for XML.
    pub tree: Tree,
    pub source: SourceInfo,
    /// The alignment of the previous revision (`Inputs::previous`) with this
    /// text, which the corrections were read from.
    pub revision: Option<diff::Alignment>,
}

/// Diagnostics of one make, by the input they point into.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// About the source text (and the document made from it).
    pub source: Vec<Diagnostic>,
    /// About `edition.toml`.
    pub edition: Vec<Diagnostic>,
    /// About `register.toml`.
    pub register: Vec<Diagnostic>,
}

impl Report {
    /// Whether any input had an error: the edition must not be published.
    pub fn has_errors(&self) -> bool {
        [&self.source, &self.edition, &self.register].iter().any(|d| diag::has_errors(d))
    }
}

/// Chains the stages: source, structure, entities, document.
///
/// Never fails: problems are in the report, and an edition is made from
/// whatever could be read (metadata read off the text when `edition.toml`
/// is missing or broken, the default register when `register.toml` is).
pub fn make_edition(bytes: &[u8], encoding: Encoding, inputs: &Inputs) -> (Made, Report) {
    make_edition_from(source::decode(bytes, encoding), inputs)
}

/// [`make_edition`] from a decoded source (see [`source::decode_owned`],
/// which spares a copy of the text when the caller owns the bytes).
pub fn make_edition_from(
    decoded: (source::Source, Vec<Diagnostic>),
    inputs: &Inputs,
) -> (Made, Report) {
    let mut report = Report::default();
    let (source, diagnostics) = decoded;
    report.source.extend(diagnostics);

    let (structure, diagnostics) = structure::parse(&source.text);
    report.source.extend(diagnostics);
    let title = structure_text(&source.text, &structure, false).map(str::to_string);
    let subtitle = structure_text(&source.text, &structure, true).map(str::to_string);

    let edition = inputs.edition.and_then(|text| {
        let (edition, diagnostics) = edition::parse(text);
        report.edition.extend(diagnostics);
        edition
    });
    let edition = edition.unwrap_or_else(|| {
        Edition::untitled(inputs.fallback_id, title.as_deref(), subtitle.as_deref())
    });

    let own = inputs.register.and_then(|text| {
        let (register, diagnostics) = Register::parse(text);
        report.register.extend(diagnostics);
        register
    });
    let register = own.clone().unwrap_or_default().over(Register::default_register());

    let (mut annotations, diagnostics) = entities::recognize(&source.text, structure, &register);
    report.source.extend(diagnostics);
    let revision = inputs.previous.map(|previous| {
        let (found, diagnostics, alignment) =
            diff::corrections::corrections(previous, &source.text);
        annotations.extend(found);
        report.source.extend(diagnostics);
        alignment
    });

    // The document carries the register entries it uses, and all of the
    // edition's own (so that unused ones can be reported).
    let mut used: BTreeSet<String> = annotations
        .iter()
        .filter_map(|a| reference_of(&a.kind))
        .collect::<std::collections::HashSet<&str>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    if let Some(own) = &own {
        used.extend(own.all().map(|(_, e)| e.id.clone()));
    }
    let used_authors: Vec<String> = register
        .works
        .iter()
        .filter(|w| used.contains(&w.id))
        .filter_map(|w| w.author.clone())
        .collect();
    used.extend(used_authors);
    let register = register.restricted_to(&used);

    document::dedup(&mut annotations);
    let bom = source.bom;
    let encoding = source.encoding;
    let (document, diagnostics) = document::assemble(source.text, annotations, edition, register);
    report.source.extend(diagnostics);
    let (tree, diagnostics) = document::resolve(&document);
    report.source.extend(diagnostics);

    (Made { document, tree, source: export::json::source_info(encoding, bom), revision }, report)
}

/// The register id an annotation points to, if any.
fn reference_of(kind: &document::Kind) -> Option<&str> {
    use document::Kind;
    match kind {
        Kind::Person { reference }
        | Kind::Place { reference, .. }
        | Kind::Org { reference, .. }
        | Kind::Title { reference, .. } => reference.as_deref(),
        Kind::Quote { speaker, .. } => speaker.as_deref(),
        _ => None,
    }
}

/// The text of the title (or subtitle) the structure stage found.
fn structure_text<'t>(
    text: &'t str,
    structure: &structure::Structure,
    sub: bool,
) -> Option<&'t str> {
    structure
        .annotations
        .iter()
        .find(|a| a.kind == document::Kind::TitlePart { sub })
        .map(|a| &text[a.range()])
}

impl Made {
    /// The TEI P5 file.
    pub fn tei(&self) -> String {
        export::tei::to_string(&self.document, &self.tree)
    }

    /// The JSON twin.
    pub fn json(&self) -> String {
        export::json::to_string(&self.document, self.source.clone())
    }
}

/// The generated files committed in `schema/` (JSON Schemas and the diagnostics
/// catalogue), by file name.
pub fn generated_schemas() -> Vec<(&'static str, String)> {
    vec![
        ("edition.schema.json", edition::json_schema()),
        ("register.schema.json", entities::register::json_schema()),
        ("document.schema.json", export::json::json_schema()),
        ("validate.schema.json", validate::report::json::json_schema()),
        ("diff.schema.json", diff::wire::json_schema()),
        ("diagnostics.md", catalogue::markdown()),
    ]
}
