//! JSON export: the lossless twin of the TEI, and the wire format other tools read.
//!
//! Wire format (`schema/document.schema.json` is generated from the types in
//! this module, the only ones that derive `Serialize`/`JsonSchema` for it):
//!
//! ```json
//! { "format": "teimark-document/1",
//!   "text": "<the source text, exactly>",
//!   "annotations": [ { "type": "person", "start": 10, "end": 16, "ref": "leon-trotsky",
//!                      "rule": "register", "cert": "high" }, … ],
//!   "meta": { "generator": "teimark 0.1.0", "source": {…}, "edition": {…}, "register": {…} } }
//! ```
//!
//! `start`/`end` count Unicode scalar values (what Python's `str` indexes),
//! `end` exclusive. Annotation types follow the TEI concepts they become.
//! Unlike the TEI, annotations here are never split or dropped: where the
//! TEI had to cut a crossing span into parts, the JSON keeps it whole.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::document::{Annotation, Cert, DateValue, Document, Id, Kind, Level, Scope};
use crate::edition::Edition;
use crate::entities::register::Register;
use crate::source::Encoding;

/// The format identifier written in every document.
pub const FORMAT: &str = "teimark-document/1";

/// A teimark document: text, annotations, metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "teimark document")]
pub struct WireDocument {
    /// Always "teimark-document/1".
    pub format: String,
    /// The source text, exactly (a UTF-8 byte-order mark removed, see `meta.source.bom`).
    pub text: String,
    /// Typed spans of `text`, in document order.
    pub annotations: Vec<WireAnnotation>,
    pub meta: Meta,
}

/// Where the document came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The program and version that made the document.
    pub generator: String,
    pub source: SourceInfo,
    /// The edition metadata (edition.toml).
    pub edition: Edition,
    /// The register entries the edition uses.
    pub register: Register,
}

/// How the source bytes were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// Encoding: utf-8, windows-1252 or latin1.
    pub encoding: String,
    /// Whether the file began with a UTF-8 byte-order mark (not part of `text`).
    pub bom: bool,
}

/// One annotation: a span of the text with a type and its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WireAnnotation {
    #[serde(flatten)]
    pub kind: WireKind,
    /// First character, counted in Unicode scalar values from 0.
    pub start: usize,
    /// After the last character (exclusive); equals `start` for milestones.
    pub end: usize,
    /// The rule or register lookup that made the annotation.
    pub rule: String,
    pub cert: WireCert,
}

/// Certainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WireCert {
    Low,
    Medium,
    High,
}

/// Form of a place or organisation mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// The name itself: "Soviet Union".
    Name,
    /// An adjectival or demonym form: "Soviet".
    Adjectival,
}

/// The annotation types, named after the TEI concepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum WireKind {
    /// TEI `front`: the title block.
    #[serde(rename = "front")]
    Front,
    /// TEI `body`.
    #[serde(rename = "body")]
    Body,
    /// TEI `back`: the notes.
    #[serde(rename = "back")]
    Back,
    /// TEI `div`: a section; `notes` for the notes section.
    #[serde(rename = "div")]
    Div {
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        notes: bool,
    },
    /// TEI `docTitle`.
    #[serde(rename = "docTitle")]
    DocTitle,
    /// TEI `titlePart`; `sub` for a subtitle.
    #[serde(rename = "titlePart")]
    TitlePart {
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        sub: bool,
    },
    /// TEI `docDate`: the dateline.
    #[serde(rename = "docDate")]
    DocDate,
    /// TEI `byline`.
    #[serde(rename = "byline")]
    Byline,
    /// TEI `head`: a heading.
    #[serde(rename = "head")]
    Head,
    /// TEI `p`: a paragraph.
    #[serde(rename = "p")]
    P,
    /// TEI `ab type="separator"`: a line like "* * *".
    #[serde(rename = "separator")]
    Separator,
    /// TEI `note`: a note's text.
    #[serde(rename = "note")]
    Note { n: String },
    /// TEI `quote`; `block` when set off as paragraphs; `speaker` a person id.
    #[serde(rename = "quote")]
    Quote {
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        block: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        speaker: Option<String>,
    },
    /// TEI `cit`: a quotation with its reference.
    #[serde(rename = "cit")]
    Cit,
    /// TEI `bibl`: a bibliographic reference.
    #[serde(rename = "bibl")]
    Bibl,
    /// TEI `biblScope`: volume, issue or pages.
    #[serde(rename = "biblScope")]
    BiblScope {
        unit: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    /// TEI `pc`: punctuation in a citation.
    #[serde(rename = "pc")]
    Pc,
    /// TEI `persName`.
    #[serde(rename = "person")]
    Person {
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// TEI `placeName`.
    #[serde(rename = "place")]
    Place {
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        form: Form,
    },
    /// TEI `orgName`.
    #[serde(rename = "org")]
    Org {
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        form: Form,
    },
    /// TEI `date`, normalised to ISO 8601.
    #[serde(rename = "date")]
    Date {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        #[serde(default, rename = "notBefore", skip_serializing_if = "Option::is_none")]
        not_before: Option<String>,
        #[serde(default, rename = "notAfter", skip_serializing_if = "Option::is_none")]
        not_after: Option<String>,
    },
    /// TEI `title` of a work; `level` a, m, j, s or u.
    #[serde(rename = "title")]
    Title {
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<String>,
    },
    /// TEI `soCalled`: scare quotes, labels, slogans.
    #[serde(rename = "soCalled")]
    SoCalled,
    /// TEI `term`.
    #[serde(rename = "term")]
    Term,
    /// TEI `ref type="noteAnchor"`: a note marker.
    #[serde(rename = "noteref")]
    NoteRef { n: String },
    /// TEI `milestone unit="section"`: a section break.
    #[serde(rename = "milestone")]
    Milestone,
    /// TEI `pb`: a page break.
    #[serde(rename = "pb")]
    PageBreak,
    /// TEI `choice` with `sic` and `corr`: a corrected transcription slip;
    /// the span is the corrected reading, `sic` the reading before.
    #[serde(rename = "corr")]
    Corr { sic: String },
}

impl From<&Kind> for WireKind {
    fn from(kind: &Kind) -> WireKind {
        let form = |adjectival: bool| if adjectival { Form::Adjectival } else { Form::Name };
        let text = |id: Option<Id>| id.map(|id| id.to_string());
        match kind.clone() {
            Kind::Front => WireKind::Front,
            Kind::Body => WireKind::Body,
            Kind::Back => WireKind::Back,
            Kind::Div { notes } => WireKind::Div { notes },
            Kind::DocTitle => WireKind::DocTitle,
            Kind::TitlePart { sub } => WireKind::TitlePart { sub },
            Kind::DocDate => WireKind::DocDate,
            Kind::Byline => WireKind::Byline,
            Kind::Head => WireKind::Head,
            Kind::P => WireKind::P,
            Kind::Separator => WireKind::Separator,
            Kind::Note { n } => WireKind::Note { n: n.into() },
            Kind::Quote { block, speaker } => {
                WireKind::Quote { block, speaker: speaker.map(|s| s.to_string()) }
            }
            Kind::Cit => WireKind::Cit,
            Kind::Bibl => WireKind::Bibl,
            Kind::BiblScope(scope) => {
                WireKind::BiblScope { unit: scope.unit, from: scope.from, to: scope.to }
            }
            Kind::Pc => WireKind::Pc,
            Kind::Person { reference } => WireKind::Person { reference: text(reference) },
            Kind::Place { reference, adjectival } => {
                WireKind::Place { reference: text(reference), form: form(adjectival) }
            }
            Kind::Org { reference, adjectival } => {
                WireKind::Org { reference: text(reference), form: form(adjectival) }
            }
            Kind::Date(v) => WireKind::Date {
                when: v.when,
                from: v.from,
                to: v.to,
                not_before: v.not_before,
                not_after: v.not_after,
            },
            Kind::Title { reference, level } => WireKind::Title {
                reference: text(reference),
                level: level.map(|l| l.as_str().to_string()),
            },
            Kind::SoCalled => WireKind::SoCalled,
            Kind::Term => WireKind::Term,
            Kind::NoteRef { n } => WireKind::NoteRef { n: n.into() },
            Kind::Milestone => WireKind::Milestone,
            Kind::PageBreak => WireKind::PageBreak,
            Kind::Corr { sic } => WireKind::Corr { sic: sic.into() },
        }
    }
}

impl From<WireKind> for Kind {
    fn from(kind: WireKind) -> Kind {
        let id = |s: Option<String>| s.map(Id::from);
        match kind {
            WireKind::Front => Kind::Front,
            WireKind::Body => Kind::Body,
            WireKind::Back => Kind::Back,
            WireKind::Div { notes } => Kind::Div { notes },
            WireKind::DocTitle => Kind::DocTitle,
            WireKind::TitlePart { sub } => Kind::TitlePart { sub },
            WireKind::DocDate => Kind::DocDate,
            WireKind::Byline => Kind::Byline,
            WireKind::Head => Kind::Head,
            WireKind::P => Kind::P,
            WireKind::Separator => Kind::Separator,
            WireKind::Note { n } => Kind::Note { n: n.into() },
            WireKind::Quote { block, speaker } => Kind::Quote { block, speaker: id(speaker) },
            WireKind::Cit => Kind::Cit,
            WireKind::Bibl => Kind::Bibl,
            WireKind::BiblScope { unit, from, to } => {
                Kind::BiblScope(Box::new(Scope { unit, from, to }))
            }
            WireKind::Pc => Kind::Pc,
            WireKind::Person { reference } => Kind::Person { reference: id(reference) },
            WireKind::Place { reference, form } => {
                Kind::Place { reference: id(reference), adjectival: form == Form::Adjectival }
            }
            WireKind::Org { reference, form } => {
                Kind::Org { reference: id(reference), adjectival: form == Form::Adjectival }
            }
            WireKind::Date { when, from, to, not_before, not_after } => {
                Kind::Date(Box::new(DateValue { when, from, to, not_before, not_after }))
            }
            WireKind::Title { reference, level } => Kind::Title {
                reference: id(reference),
                level: level.as_deref().and_then(Level::parse),
            },
            WireKind::SoCalled => Kind::SoCalled,
            WireKind::Term => Kind::Term,
            WireKind::NoteRef { n } => Kind::NoteRef { n: n.into() },
            WireKind::Milestone => Kind::Milestone,
            WireKind::PageBreak => Kind::PageBreak,
            WireKind::Corr { sic } => Kind::Corr { sic: sic.into() },
        }
    }
}

fn wire_cert(cert: Cert) -> WireCert {
    match cert {
        Cert::Low => WireCert::Low,
        Cert::Medium => WireCert::Medium,
        Cert::High => WireCert::High,
    }
}

/// Byte offsets to character offsets, for many offsets in one pass.
fn to_chars(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let (mut byte, mut chars) = (0usize, 0usize);
    for i in order {
        let target = offsets[i];
        chars += text[byte..target].chars().count();
        byte = target;
        out[i] = chars;
    }
    out
}

/// Character offsets to byte offsets; `None` for an offset past the end.
fn to_bytes(text: &str, offsets: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut out = vec![None; offsets.len()];
    let mut iter =
        text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).enumerate();
    let mut current = iter.next();
    for i in order {
        while let Some((c, _)) = current {
            if c < offsets[i] {
                current = iter.next();
            } else {
                break;
            }
        }
        out[i] = current.filter(|&(c, _)| c == offsets[i]).map(|(_, b)| b);
    }
    out
}

/// The wire form of a document.
pub fn to_wire(doc: &Document, source: SourceInfo) -> WireDocument {
    let offsets: Vec<usize> = doc.annotations.iter().flat_map(|a| [a.start, a.end]).collect();
    let chars = to_chars(&doc.text, &offsets);
    let annotations = doc
        .annotations
        .iter()
        .enumerate()
        .map(|(i, a)| WireAnnotation {
            kind: WireKind::from(&a.kind),
            start: chars[2 * i],
            end: chars[2 * i + 1],
            rule: a.rule.to_string(),
            cert: wire_cert(a.cert),
        })
        .collect();
    WireDocument {
        format: FORMAT.to_string(),
        text: doc.text.clone(),
        annotations,
        meta: Meta {
            generator: format!("teimark {}", env!("CARGO_PKG_VERSION")),
            source,
            edition: doc.edition.clone(),
            register: doc.register.clone(),
        },
    }
}

/// Source information for the wire format.
pub fn source_info(encoding: Encoding, bom: bool) -> SourceInfo {
    let encoding = match encoding {
        Encoding::Utf8 => "utf-8",
        Encoding::Windows1252 => "windows-1252",
        Encoding::Latin1 => "latin1",
    };
    SourceInfo { encoding: encoding.to_string(), bom }
}

/// The JSON text of a document, pretty-printed, ending with a newline.
pub fn to_string(doc: &Document, source: SourceInfo) -> String {
    let wire = to_wire(doc, source);
    // Serialising these plain types to a string cannot fail.
    serde_json::to_string_pretty(&wire).unwrap_or_default() + "\n"
}

/// Reads a teimark JSON document back into the model. Errors are located
/// diagnostics (JSON syntax, wrong shape, offsets outside the text).
pub fn parse(json: &str) -> Result<(Document, SourceInfo), Diagnostic> {
    let wire: WireDocument = serde_json::from_str(json).map_err(|err| {
        let offset = offset_of(json, err.line(), err.column());
        let message = err.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Diagnostic::error("teimark::json::invalid", format!("not a teimark document: {message}"))
            .with_span(offset..offset, "here")
            .with_help("give a JSON document written by `teimark edition --format json` or `teimark build`")
    })?;
    if wire.format != FORMAT {
        return Err(Diagnostic::error(
            "teimark::json::format",
            format!("unsupported document format {:?}; expected {FORMAT:?}", wire.format),
        )
        .with_help("rebuild the edition with this version of teimark"));
    }
    let offsets: Vec<usize> = wire.annotations.iter().flat_map(|a| [a.start, a.end]).collect();
    let bytes = to_bytes(&wire.text, &offsets);
    let mut annotations = Vec::with_capacity(wire.annotations.len());
    for (i, a) in wire.annotations.into_iter().enumerate() {
        let (Some(start), Some(end)) = (bytes[2 * i], bytes[2 * i + 1]) else {
            return Err(Diagnostic::error(
                "teimark::json::offset",
                format!("annotation {i} ({}..{}) lies outside the text", a.start, a.end),
            )
            .with_help("offsets count Unicode scalar values of `text`, end exclusive"));
        };
        if start > end {
            return Err(Diagnostic::error(
                "teimark::json::offset",
                format!("annotation {i} ends ({}) before it starts ({})", a.end, a.start),
            )
            .with_help("`end` is exclusive and not smaller than `start`"));
        }
        let cert = match a.cert {
            WireCert::Low => Cert::Low,
            WireCert::Medium => Cert::Medium,
            WireCert::High => Cert::High,
        };
        annotations.push(Annotation {
            start,
            end,
            kind: Kind::from(a.kind),
            rule: Cow::Owned(a.rule),
            cert,
        });
    }
    let source = wire.meta.source.clone();
    let (doc, _) =
        crate::document::assemble(wire.text, annotations, wire.meta.edition, wire.meta.register);
    Ok((doc, source))
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The JSON Schema of the document format, as committed in `schema/`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(WireDocument);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests;
