//! Markup diff: what changed in the annotations and the header of two
//! editions (teimark JSON or TEI), beside the change of their texts.
//!
//! Both editions are read into the same shape — the text, a list of
//! elements (type, byte range, attributes) and the header as path/value
//! pairs — so a JSON twin can be compared with a TEI file, and TEI written
//! by others is compared element by element. The annotations of A move to
//! B's text through the char alignment; then each is matched: same range
//! and type (unchanged, or attributes such as @ref or @when changed), same
//! range and another type (retyped), same type on an overlapping range
//! (moved); what is left is removed (A) or added (B).

use std::collections::BTreeMap;
use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Alignment;
use crate::diag::Diagnostic;

/// One element of an edition, as the markup diff sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The annotation type (JSON) or element name (TEI), in the JSON's names
    /// where teimark knows the element (persName is `person`).
    pub kind: String,
    /// Byte range in the edition's text.
    pub range: Range<usize>,
    /// The attributes that carry meaning (`ref`, `when`, `level`, …).
    pub attrs: BTreeMap<String, String>,
}

/// An edition read for comparison.
#[derive(Debug, Clone, Default)]
pub struct Edition {
    /// The edited text (the TEI `<text>`'s string value without `<sic>`).
    pub text: String,
    /// Its elements, in document order.
    pub elements: Vec<Element>,
    /// The header as path/value pairs, in order.
    pub header: Vec<(String, String)>,
    /// Whether it was read from TEI (else from teimark's JSON): headers
    /// are compared only between editions of the same format.
    pub tei: bool,
}

/// What happened to one element.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in B.
    Added,
    /// Only in A.
    Removed,
    /// Same span, another type.
    Retyped,
    /// Same type, another span.
    Moved,
    /// Same type and span, other attributes (@ref, @when, …).
    Attributes,
}

/// One change of the markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The element in A (its range in A's text).
    pub a: Option<Element>,
    /// The element in B (its range in B's text).
    pub b: Option<Element>,
}

/// One change of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderChange {
    pub path: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

/// The markup diff of two editions.
#[derive(Debug, Clone, Default)]
pub struct MarkupDiff {
    pub changes: Vec<Change>,
    pub header: Vec<HeaderChange>,
    /// Elements found unchanged.
    pub unchanged: usize,
    /// Whether the headers were compared (they are when both editions have
    /// the same format: JSON metadata and a TEI header are not alike).
    pub header_compared: bool,
}

/// Whether a file's content is an edition (JSON twin or XML) rather than plain text.
pub fn is_edition(content: &str) -> bool {
    let t = content.trim_start_matches('\u{FEFF}').trim_start();
    (t.starts_with('{') && t.contains("\"teimark-document/"))
        || t.starts_with("<?xml")
        || t.starts_with("<TEI")
}

/// Reads an edition: a teimark JSON document or a TEI file.
pub fn load(content: &str) -> Result<Edition, Diagnostic> {
    let t = content.trim_start_matches('\u{FEFF}').trim_start();
    if t.starts_with('{') { load_json(content) } else { load_tei(content) }
}

fn load_json(content: &str) -> Result<Edition, Diagnostic> {
    let (doc, source) = crate::export::json::parse(content)?;
    // The attributes as the JSON names them, from the document read back
    // (in its order: `parse` sorts what a hand-edited file may not).
    let wire = serde_json::to_value(crate::export::json::to_wire(&doc, source))
        .expect("a wire document serialises");
    let elements = doc
        .annotations
        .iter()
        .zip(wire["annotations"].as_array().into_iter().flatten())
        .map(|(a, w)| {
            let attrs = w
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| !matches!(k.as_str(), "type" | "start" | "end" | "rule" | "cert"))
                .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                .collect();
            Element { kind: a.kind.name().to_string(), range: a.range(), attrs }
        })
        .collect();
    let mut header = Vec::new();
    flatten("edition", &wire["meta"]["edition"], &mut header);
    flatten("register", &wire["meta"]["register"], &mut header);
    Ok(Edition { text: doc.text, elements, header, tei: false })
}

/// Path/value pairs of a JSON value; arrays of objects with an `id` are keyed by it.
fn flatten(path: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                flatten(&format!("{path}.{k}"), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = item
                    .get("id")
                    .and_then(|id| id.as_str())
                    .map_or_else(|| i.to_string(), str::to_string);
                flatten(&format!("{path}[{key}]"), item, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => out.push((path.to_string(), s.clone())),
        other => out.push((path.to_string(), other.to_string())),
    }
}

/// teimark's JSON type for a TEI element, and the attributes that matter.
fn tei_kind(e: &BytesStart<'_>, attrs: &BTreeMap<String, String>) -> String {
    let name = e.local_name().as_ref().to_string();
    let typed = |t: &str| attrs.get("type").map(String::as_str) == Some(t);
    match name.as_str() {
        "persName" => "person".into(),
        "placeName" => "place".into(),
        "orgName" => "org".into(),
        "ref" if typed("noteAnchor") => "noteref".into(),
        "ab" if typed("separator") => "separator".into(),
        "pb" => "pb".into(),
        _ => name,
    }
}

/// An element of the TEI's `<text>` opening at `at`, in the JSON's terms; a
/// `corr` takes the `sic` read before it.
fn element(e: &BytesStart<'_>, sic: &mut Option<String>, at: usize) -> Element {
    let attrs = meaningful(e);
    let kind = tei_kind(e, &attrs);
    let mut attrs = as_json_attrs(&kind, attrs);
    if kind == "corr" {
        attrs.insert("sic".into(), sic.take().unwrap_or_default());
    }
    Element { kind, range: at..at, attrs }
}

/// TEI attributes in the JSON's terms, for the elements teimark writes, so
/// that a TEI file and its JSON twin compare equal.
fn as_json_attrs(kind: &str, mut attrs: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let ty = attrs.remove("type");
    match kind {
        "place" | "org" => {
            let form = if ty.as_deref() == Some("adjectival") { "adjectival" } else { "name" };
            attrs.insert("form".into(), form.into());
        }
        "quote" => {
            if let Some(s) = attrs.remove("source") {
                attrs.insert("speaker".into(), s);
            }
        }
        "titlePart" if ty.as_deref() == Some("sub") => {
            attrs.insert("sub".into(), "true".into());
        }
        "div" if ty.as_deref() == Some("notes") => {
            attrs.insert("notes".into(), "true".into());
        }
        "noteref" => {
            attrs.remove("target");
        }
        "milestone" => {
            attrs.remove("unit");
        }
        "titlePart" | "div" | "separator" | "note" | "pb" | "corr" => {}
        _ => {
            if let Some(t) = ty {
                attrs.insert("type".into(), t);
            }
        }
    }
    attrs
}

/// Attributes compared by the markup diff (pointers without their '#').
fn meaningful(e: &BytesStart<'_>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for a in e.attributes().flatten() {
        let key = a.key.as_ref().to_string();
        if matches!(key.as_str(), "xml:id" | "resp" | "cert" | "ana" | "prev" | "next" | "xmlns") {
            continue;
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_default();
        let value = if matches!(key.as_str(), "ref" | "source" | "target") {
            value.trim_start_matches('#').to_string()
        } else {
            value
        };
        out.insert(key, value);
    }
    out
}

fn load_tei(content: &str) -> Result<Edition, Diagnostic> {
    let mut reader = Reader::from_str(content);
    let mut edition = Edition { tei: true, ..Edition::default() };
    // Open elements of <text>: index into `elements`, or None for <sic>/<choice>.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut in_text = false;
    let mut sic: Option<String> = None;
    let mut header_path: Vec<String> = Vec::new();
    let mut in_header = false;
    let mut header_text = String::new();
    let fail = |e: quick_xml::Error, at: u64| {
        let at = usize::try_from(at).unwrap_or(usize::MAX).min(content.len());
        Diagnostic::error("teimark::diff::invalid-edition", format!("not well-formed XML: {e}"))
            .with_span(at..at, "here")
            .with_help("check the file with `teimark validate`")
    };
    let mut seen_text = false;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| fail(e, at))?;
        match event {
            Event::Start(e) | Event::Empty(e)
                if !in_text && e.local_name().as_ref() == "teiHeader" =>
            {
                in_header = true;
            }
            Event::End(e) if in_header && e.local_name().as_ref() == "teiHeader" => {
                in_header = false
            }
            Event::Start(e) if in_header => {
                header_path.push(header_step(&e));
                header_text.clear();
            }
            Event::Empty(e) if in_header => {
                header_path.push(header_step(&e));
                edition.header.push((header_path.join("/"), String::new()));
                header_path.pop();
            }
            Event::Text(t) if in_header => header_text.push_str(&t.xml10_content()),
            Event::End(_) if in_header => {
                let text = header_text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    edition.header.push((header_path.join("/"), text));
                }
                header_text.clear();
                header_path.pop();
            }
            Event::Start(e) if !in_text && e.local_name().as_ref() == "text" => {
                in_text = true;
                seen_text = true;
            }
            Event::Start(e) if in_text => {
                let name = e.local_name();
                if name.as_ref() == "sic" {
                    sic = Some(String::new());
                    open.push(None);
                } else if name.as_ref() == "choice" {
                    open.push(None);
                } else {
                    edition.elements.push(element(&e, &mut sic, edition.text.len()));
                    open.push(Some(edition.elements.len() - 1));
                }
            }
            Event::Empty(e) if in_text => {
                let name = e.local_name();
                if name.as_ref() == "sic" {
                    sic = Some(String::new());
                    continue;
                }
                edition.elements.push(element(&e, &mut sic, edition.text.len()));
            }
            Event::End(e) if in_text => {
                if e.local_name().as_ref() == "text" && open.is_empty() {
                    in_text = false;
                    continue;
                }
                if let Some(Some(i)) = open.pop() {
                    edition.elements[i].range.end = edition.text.len();
                    // Elements after it opened inside it: a quote that holds a p is a block.
                    if edition.elements[i].kind == "quote"
                        && edition.elements.iter().skip(i + 1).any(|c| c.kind == "p")
                    {
                        edition.elements[i].attrs.insert("block".into(), "true".into());
                    }
                }
            }
            Event::Text(t) if in_text => {
                let s = t.xml10_content();
                match sic.as_mut() {
                    Some(sic_text) if open.last() == Some(&None) => sic_text.push_str(&s),
                    _ => edition.text.push_str(&s),
                }
            }
            Event::GeneralRef(r) if in_text => {
                let at = usize::try_from(at).unwrap_or(usize::MAX).min(content.len());
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    _ => match r.xml10_content().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => {
                            return Err(Diagnostic::error(
                                "teimark::diff::invalid-edition",
                                format!("undefined entity &{other}; in the TEI text"),
                            )
                            .with_span(at..at + other.len() + 2, "not defined")
                            .with_help("expand the entity, or validate the file with `teimark validate --dtd`"));
                        }
                    },
                };
                match sic.as_mut() {
                    Some(sic_text) if open.last() == Some(&None) => sic_text.push(c),
                    _ => edition.text.push(c),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_text {
        return Err(Diagnostic::error(
            "teimark::diff::invalid-edition",
            "no TEI <text> element; expected a TEI document or a teimark JSON document",
        )
        .with_span(0..content.find('>').map_or(0, |i| i + 1), "this XML is no TEI edition")
        .with_help("give two editions written by teimark (JSON or TEI), or two plain texts"));
    }
    edition.elements.sort_by_key(|e| (e.range.start, std::cmp::Reverse(e.range.end)));
    Ok(edition)
}

/// One step of a header path: the element name and its attributes.
fn header_step(e: &BytesStart<'_>) -> String {
    let mut step = e.local_name().as_ref().to_string();
    let attrs: Vec<String> = meaningful(e).into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !attrs.is_empty() {
        step.push_str(&format!("[{}]", attrs.join(" ")));
    }
    step
}

/// Compares the markup of two editions whose texts `alignment` aligns (A to B).
pub fn diff(a: &Edition, b: &Edition, alignment: &Alignment) -> MarkupDiff {
    let mut out = MarkupDiff::default();
    // A's elements on B's text.
    let mapped: Vec<Range<usize>> =
        a.elements.iter().map(|e| alignment.map_span(e.range.clone())).collect();
    // B's elements by range.
    let mut by_range: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, e) in b.elements.iter().enumerate() {
        by_range.entry((e.range.start, e.range.end)).or_default().push(i);
    }
    let mut used_b = vec![false; b.elements.len()];
    let mut matched_a = vec![false; a.elements.len()];

    // Same range, same type.
    for (i, e) in a.elements.iter().enumerate() {
        let r = &mapped[i];
        let Some(candidates) = by_range.get(&(r.start, r.end)) else { continue };
        if let Some(&j) = candidates.iter().find(|&&j| !used_b[j] && b.elements[j].kind == e.kind) {
            used_b[j] = true;
            matched_a[i] = true;
            if b.elements[j].attrs == e.attrs {
                out.unchanged += 1;
            } else {
                out.changes.push(Change {
                    kind: ChangeKind::Attributes,
                    a: Some(e.clone()),
                    b: Some(b.elements[j].clone()),
                });
            }
        }
    }
    // Same range, another type.
    for (i, e) in a.elements.iter().enumerate() {
        if matched_a[i] {
            continue;
        }
        let r = &mapped[i];
        let Some(candidates) = by_range.get(&(r.start, r.end)) else { continue };
        if let Some(&j) = candidates.iter().find(|&&j| !used_b[j]) {
            used_b[j] = true;
            matched_a[i] = true;
            out.changes.push(Change {
                kind: ChangeKind::Retyped,
                a: Some(e.clone()),
                b: Some(b.elements[j].clone()),
            });
        }
    }
    // Same type, overlapping range.
    let mut b_sorted: Vec<usize> = (0..b.elements.len()).collect();
    b_sorted.sort_by_key(|&j| b.elements[j].range.start);
    let starts: Vec<usize> = b_sorted.iter().map(|&j| b.elements[j].range.start).collect();
    for (i, e) in a.elements.iter().enumerate() {
        if matched_a[i] || mapped[i].is_empty() {
            continue;
        }
        let r = &mapped[i];
        // Candidates start before r ends; look back a bounded way for ones that reach into r.
        let upto = starts.partition_point(|&s| s < r.end);
        let from = upto.saturating_sub(64);
        let found = b_sorted[from..upto].iter().copied().find(|&j| {
            let o = &b.elements[j].range;
            !used_b[j] && b.elements[j].kind == e.kind && o.start < r.end && r.start < o.end
        });
        if let Some(j) = found {
            used_b[j] = true;
            matched_a[i] = true;
            out.changes.push(Change {
                kind: ChangeKind::Moved,
                a: Some(e.clone()),
                b: Some(b.elements[j].clone()),
            });
        }
    }
    for (i, e) in a.elements.iter().enumerate() {
        if !matched_a[i] {
            out.changes.push(Change { kind: ChangeKind::Removed, a: Some(e.clone()), b: None });
        }
    }
    for (j, e) in b.elements.iter().enumerate() {
        if !used_b[j] {
            out.changes.push(Change { kind: ChangeKind::Added, a: None, b: Some(e.clone()) });
        }
    }
    out.changes.sort_by_key(|c| {
        let at =
            c.b.as_ref()
                .map(|e| e.range.start)
                .or(c.a.as_ref().map(|e| e.range.start))
                .unwrap_or(0);
        (at, c.kind)
    });
    out.header_compared = a.tei == b.tei;
    if out.header_compared {
        out.header = header_changes(&a.header, &b.header);
    }
    out
}

/// Paths whose values differ, in the order of A then the new ones of B.
fn header_changes(a: &[(String, String)], b: &[(String, String)]) -> Vec<HeaderChange> {
    let group = |pairs: &[(String, String)]| {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            m.entry(k.clone()).or_default().push(v.clone());
        }
        m
    };
    let (ga, gb) = (group(a), group(b));
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (k, _) in a.iter().chain(b) {
        if !seen.insert(k.clone()) {
            continue;
        }
        let (va, vb) = (ga.get(k), gb.get(k));
        if va == vb {
            continue;
        }
        let n = va.map_or(0, Vec::len).max(vb.map_or(0, Vec::len));
        for i in 0..n {
            let x = va.and_then(|v| v.get(i)).cloned();
            let y = vb.and_then(|v| v.get(i)).cloned();
            if x != y {
                out.push(HeaderChange { path: k.clone(), a: x, b: y });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
