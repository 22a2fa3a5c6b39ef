//! `teimark::rules::dangling-reference`: every local pointer names an `xml:id`.

use std::collections::HashMap;

use super::reader::{Attr, Element, Pos};
use super::{Check, Context, Out, local_pointers, rule};

/// The TEI attributes whose values are pointers (`teidata.pointer`) to check.
const POINTING: &[&str] = &[
    "ref",
    "target",
    "corresp",
    "source",
    "prev",
    "next",
    "ana",
    "resp",
    "who",
    "sameAs",
    "copyOf",
    "decls",
    "exclude",
    "facs",
    "hand",
    "rendition",
    "synch",
    "active",
    "passive",
    "mutual",
];

/// How many id comparisons the "did you mean" suggestions may cost per document.
const SUGGESTION_BUDGET: usize = 5_000_000;

rule! {
    /// ## What it does
    /// Checks that every local pointer — a `#name` in `@ref`, `@target`, `@corresp`,
    /// `@source`, `@prev`, `@next`, `@ana`, `@resp`, `@who` or `@sameAs` (and the other
    /// TEI pointer attributes `@copyOf`, `@decls`, `@exclude`, `@facs`, `@hand`,
    /// `@rendition`, `@synch`, `@active`, `@passive`, `@mutual`) of a TEI element — names
    /// an `xml:id` defined somewhere in the same document.
    ///
    /// ## Why
    /// TEI types these attributes as URIs, so a schema accepts any pointer, also one to
    /// an entry that was renamed or never written. A reader following the link lands
    /// nowhere, and an index built from the references loses the occurrence. Pointers to
    /// other documents (`other.xml#id`), to the web, prefixed pointers (`wd:Q8016`) and
    /// XPointer fragments are not checked.
    ///
    /// ## Example
    /// ```xml
    /// <persName ref="#georgi-malenkov">Malenkov</persName>
    /// <!-- the register says <person xml:id="georgy-malenkov"> -->
    /// ```
    ///
    /// Use instead:
    /// ```xml
    /// <persName ref="#georgy-malenkov">Malenkov</persName>
    /// ```
    pub struct DanglingReference {
        /// Pointers to ids not seen yet, checked at the end (forward references).
        pending: Vec<Pending>,
    }
    code: "teimark::rules::dangling-reference",
    severity: Error,
    summary: "a local pointer (#id) names no xml:id of the document",
    overlaps: [],
}

/// A pointer whose target was not defined before it.
#[derive(Debug)]
struct Pending {
    id: String,
    attr: String,
    span: std::ops::Range<u64>,
    pos: Pos,
}

impl Check for DanglingReference {
    fn start(&mut self, cx: &Context, element: &Element, _out: &mut Out) {
        if !element.tei {
            return;
        }
        for attr in element.attrs.iter().filter(|a| is_pointing(a)) {
            for id in local_pointers(&attr.value) {
                if !cx.ids.contains_key(id) {
                    self.pending.push(Pending {
                        id: id.to_string(),
                        attr: attr.qname.clone(),
                        span: attr.span.clone(),
                        pos: attr.pos,
                    });
                }
            }
        }
    }

    fn finish(&mut self, cx: &Context, out: &mut Out) {
        if !cx.complete {
            return;
        }
        // Suggestions cost a comparison with every id: computed once per missing id, and
        // only while the comparisons stay few.
        let mut suggestions: HashMap<String, Option<String>> = HashMap::new();
        for p in self.pending.drain(..).filter(|p| !cx.ids.contains_key(&p.id)) {
            let affordable = (suggestions.len() + 1) * cx.ids.len() <= SUGGESTION_BUDGET;
            let near = suggestions
                .entry(p.id.clone())
                .or_insert_with(|| {
                    if affordable {
                        nearest(&p.id, cx.ids.keys()).map(str::to_string)
                    } else {
                        None
                    }
                })
                .clone();
            let help = match near {
                Some(near) => format!(
                    "did you mean \"#{near}\"? otherwise add an element with xml:id=\"{}\" or correct the pointer",
                    p.id
                ),
                None => format!(
                    "add an element with xml:id=\"{}\" (e.g. a register entry in standOff) or correct the pointer",
                    p.id
                ),
            };
            out.report(
                &DanglingReference::INFO,
                p.span,
                p.pos,
                format!(
                    "@{}=\"#{}\" names no xml:id in this document; expected a pointer to an element's xml:id",
                    p.attr, p.id
                ),
                "no such xml:id",
                help,
            );
        }
    }
}

fn is_pointing(attr: &Attr) -> bool {
    attr.ns == super::reader::AttrNs::None && POINTING.contains(&attr.local.as_str())
}

/// The id closest to `id` by edit distance, if it is close enough to be a likely typo.
fn nearest<'a>(id: &str, ids: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    let limit = (id.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in ids {
        let d = distance(id, candidate, limit);
        if d <= limit && best.is_none_or(|(bd, bc)| (d, candidate.as_str()) < (bd, bc)) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters, or `limit + 1` once it exceeds `limit`.
fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
            smallest = smallest.min(row[j + 1]);
        }
        if smallest > limit {
            return limit + 1;
        }
    }
    row[b.len()]
}
