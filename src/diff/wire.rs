//! The JSON contract of `teimark diff --format json`: the only diff types that are serialized.
//!
//! Offsets are byte offsets into the texts as read (UTF-8, before any normalisation), always on
//! char boundaries; `end` is exclusive. Error rates are `null` where dinglehopper reports infinity
//! (an empty reference compared with a non-empty text). `schema/diff.schema.json` is generated from
//! these types by [`json_schema`].

use schemars::JsonSchema;
use serde::Serialize;
use serde::ser::SerializeSeq;

use super::{Alignment, DiffReport, EditCounts, Kind};

/// Version of this format; raised on incompatible changes.
pub const VERSION: u32 = 1;

/// A comparison of revision `compared` against reference `reference`.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Report<'t> {
    /// Version of this format.
    pub version: u32,
    pub reference: Revision<'t>,
    pub compared: Revision<'t>,
    /// Character error rate: Levenshtein distance over grapheme clusters of the normalised texts
    /// divided by the clusters of the reference (as dinglehopper 0.11 computes it); `null` if
    /// infinite.
    pub cer: Option<f64>,
    /// Word error rate, likewise over words; `null` if infinite.
    pub wer: Option<f64>,
    /// Edit counts over grapheme clusters.
    pub characters: Counts,
    /// Edit counts over words.
    pub words: Counts,
    /// The most frequent confusions, most frequent first.
    pub confusions: Vec<Confusion<'t>>,
    /// Whether the error rates are exact minima; if not, `note` says why.
    pub exact: bool,
    pub note: Option<String>,
    /// The edits of the char alignment of the raw texts, in order; between two edits the texts
    /// agree.
    #[schemars(with = "Vec<Edit<'static>>")]
    pub edits: Edits<'t>,
    /// When two editions were compared: the changes of their markup and header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup: Option<Markup<'t>>,
}

/// The markup diff of two editions.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Markup<'t> {
    /// Elements found with the same span, type and attributes.
    pub unchanged: usize,
    /// Each change; an element's range is in the reference's text (`reference`) or the compared
    /// text (`compared`).
    pub changes: Vec<MarkupChange<'t>>,
    /// Header values that differ, by path (e.g. `edition.title`, `register.person[id].name`).
    pub header: Vec<HeaderChange<'t>>,
}

/// One change of the markup.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct MarkupChange<'t> {
    pub kind: crate::diff::markup::ChangeKind,
    pub reference: Option<Element<'t>>,
    pub compared: Option<Element<'t>>,
}

/// An element (annotation) of an edition.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Element<'t> {
    /// Its type, as in teimark's JSON (`person`, `date`, …) or the TEI element name.
    #[serde(rename = "type")]
    pub kind: &'t str,
    pub start: usize,
    pub end: usize,
    pub text: &'t str,
    /// The attributes compared (`ref`, `when`, `level`, …).
    pub attrs: &'t std::collections::BTreeMap<String, String>,
}

/// A header value that differs.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct HeaderChange<'t> {
    pub path: &'t str,
    pub reference: Option<&'t str>,
    pub compared: Option<&'t str>,
}

/// One of the two texts.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Revision<'t> {
    /// The name it was given (usually its path).
    pub name: &'t str,
    /// Its length in bytes.
    pub bytes: usize,
}

/// How many edits turn one unit sequence into the other.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Counts {
    /// Units of the reference.
    pub reference: usize,
    /// Units of the compared text.
    pub compared: usize,
    /// Levenshtein distance: substitutions + insertions + deletions.
    pub distance: u64,
    pub substitutions: u64,
    pub insertions: u64,
    pub deletions: u64,
}

/// A recurring edit: `reference` read as `compared` (either may be empty), `count` times.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Confusion<'t> {
    pub reference: &'t str,
    pub compared: &'t str,
    pub count: usize,
}

/// What an edit does.
#[derive(Clone, Copy, Debug, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EditKind {
    Insert,
    Delete,
    Replace,
}

/// An edit: text `reference` of the reference becomes text `compared`.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Edit<'t> {
    pub kind: EditKind,
    pub reference: Span<'t>,
    pub compared: Span<'t>,
}

/// A byte range of a text and the text in it.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Span<'t> {
    pub start: usize,
    pub end: usize,
    pub text: &'t str,
}

/// The edits of an alignment, produced one by one as they are serialized (a list of [`Edit`]):
/// a book has hundreds of thousands.
#[derive(Clone, Debug)]
pub struct Edits<'t> {
    alignment: &'t Alignment,
    a: &'t str,
    b: &'t str,
}

impl<'t> Edits<'t> {
    /// The edits, in order.
    pub fn iter(&self) -> impl Iterator<Item = Edit<'t>> + '_ {
        let (a, b) = (self.a, self.b);
        self.alignment.ops().filter_map(move |seg| {
            let kind = match seg.kind {
                Kind::Equal => return None,
                Kind::Insert => EditKind::Insert,
                Kind::Delete => EditKind::Delete,
                Kind::Replace => EditKind::Replace,
            };
            let span = |text: &'t str, r: std::ops::Range<usize>| Span {
                start: r.start,
                end: r.end,
                text: &text[r],
            };
            Some(Edit { kind, reference: span(a, seg.a), compared: span(b, seg.b) })
        })
    }
}

impl Serialize for Edits<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for edit in self.iter() {
            seq.serialize_element(&edit)?;
        }
        seq.end()
    }
}

impl<'t> Report<'t> {
    /// The wire form of a diff report.
    pub fn new(report: &'t DiffReport<'t>) -> Report<'t> {
        let c = &report.comparison;
        let finite = |r: f64| r.is_finite().then_some(r);
        let (a, b) = (report.a.text, report.b.text);
        let edits = Edits { alignment: &report.raw, a, b };
        let note = match (&c.degraded, report.raw.is_exact()) {
            (Some(n), _) => Some(n.clone()),
            (None, false) => {
                Some("the raw alignment exceeded the exact budget; edits are not minimal".into())
            }
            (None, true) => None,
        };
        Report {
            version: VERSION,
            reference: Revision { name: report.a.name, bytes: a.len() },
            compared: Revision { name: report.b.name, bytes: b.len() },
            cer: finite(c.cer),
            wer: finite(c.wer),
            characters: counts(&c.char_counts),
            words: counts(&c.word_counts),
            confusions: c
                .confusions
                .iter()
                .map(|x| Confusion { reference: &x.a, compared: &x.b, count: x.count })
                .collect(),
            exact: c.degraded.is_none(),
            note,
            edits,
            markup: report.markup.as_ref().map(|m| markup(m, a, b)),
        }
    }
}

fn markup<'t>(m: &'t crate::diff::markup::MarkupDiff, a: &'t str, b: &'t str) -> Markup<'t> {
    let element = |e: &'t crate::diff::markup::Element, text: &'t str| Element {
        kind: &e.kind,
        start: e.range.start,
        end: e.range.end,
        text: text.get(e.range.clone()).unwrap_or(""),
        attrs: &e.attrs,
    };
    Markup {
        unchanged: m.unchanged,
        changes: m
            .changes
            .iter()
            .map(|c| MarkupChange {
                kind: c.kind,
                reference: c.a.as_ref().map(|e| element(e, a)),
                compared: c.b.as_ref().map(|e| element(e, b)),
            })
            .collect(),
        header: m
            .header
            .iter()
            .map(|h| HeaderChange {
                path: &h.path,
                reference: h.a.as_deref(),
                compared: h.b.as_deref(),
            })
            .collect(),
    }
}

fn counts(c: &EditCounts) -> Counts {
    Counts {
        reference: c.reference,
        compared: c.compared,
        distance: c.distance,
        substitutions: c.substitutions,
        insertions: c.insertions,
        deletions: c.deletions,
    }
}

/// Writes the report as pretty JSON, with a final line break.
pub fn write_json<W: std::io::Write + ?Sized>(
    report: &DiffReport<'_>,
    out: &mut W,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Report::new(report))?;
    out.write_all(b"\n")
}

/// The report as pretty JSON, with a final line break.
pub fn to_json(report: &DiffReport<'_>) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if serializing does, and these types always serialize.
    let _ = write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The JSON Schema of [`Report`], as committed in `schema/diff.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut json = serde_json::to_string_pretty(&schema).unwrap_or_default();
    json.push('\n');
    json
}
