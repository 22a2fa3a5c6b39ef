//! `teimark::rules::unused-entry`: every register entry is referred to.

use std::collections::HashSet;
use std::ops::Range;

use super::reader::{Element, Pos};
use super::{Check, Context, Out, local_pointers, rule};

/// The register entries: TEI elements that stand for a person, place, organisation or work.
const ENTRIES: &[&str] = &["person", "place", "org", "bibl"];

rule! {
    /// ## What it does
    /// Checks that every register entry — a `person`, `place`, `org` or `bibl` with an
    /// `xml:id` inside `standOff` — is pointed to by some `#id` in an attribute of the
    /// document (`@ref`, `@corresp`, `@who`, `@source` and so on, anywhere, the register
    /// included). It is a warning: the edition is still valid.
    ///
    /// ## Why
    /// An entry nobody points to is usually left over from a name the markup no longer
    /// finds (a changed variant, a removed passage) or a reference misspelt elsewhere,
    /// and the index printed from the register then lists a person the text never
    /// mentions. Either the reference is missing or the entry can go.
    ///
    /// ## Example
    /// ```xml
    /// <standOff>
    ///   <listPerson>
    ///     <person xml:id="lazar-kaganovich"><persName>Lazar Kaganovich</persName></person>
    ///   </listPerson>
    /// </standOff>
    /// <!-- and no ref="#lazar-kaganovich" anywhere -->
    /// ```
    ///
    /// Use instead: mark up the mention (`<persName ref="#lazar-kaganovich">Kaganovich</persName>`),
    /// or remove the entry.
    pub struct UnusedEntry {
        entries: Vec<Entry>,
        referenced: HashSet<String>,
    }
    code: "teimark::rules::unused-entry",
    severity: Warning,
    summary: "a register entry in standOff is never referred to",
    overlaps: [],
}

#[derive(Debug)]
struct Entry {
    element: String,
    id: String,
    span: Range<u64>,
    pos: Pos,
}

impl Check for UnusedEntry {
    fn start(&mut self, cx: &Context, element: &Element, _out: &mut Out) {
        for attr in &element.attrs {
            self.referenced.extend(local_pointers(&attr.value).map(str::to_string));
        }
        if cx.in_stand_off() && element.tei && ENTRIES.contains(&element.local.as_str()) {
            for attr in element.attrs.iter().filter(|a| a.is_xml("id")) {
                self.entries.push(Entry {
                    element: element.local.clone(),
                    id: attr.value.clone(),
                    span: attr.span.clone(),
                    pos: attr.pos,
                });
            }
        }
    }

    fn finish(&mut self, cx: &Context, out: &mut Out) {
        if !cx.complete {
            return;
        }
        for entry in self.entries.drain(..).filter(|e| !self.referenced.contains(&e.id)) {
            out.report(
                &UnusedEntry::INFO,
                entry.span,
                entry.pos,
                format!(
                    "{} \"{}\" in standOff is never referred to; expected a pointer \"#{}\" somewhere in the document",
                    entry.element, entry.id, entry.id
                ),
                "unused entry",
                format!(
                    "mark up a mention with ref=\"#{}\", or remove the entry if the text does not need it",
                    entry.id
                ),
            );
        }
    }
}
