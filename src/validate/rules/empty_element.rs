//! `teimark::rules::empty-element`: names, titles and dates have content.

use super::{Check, Context, Open, Out, rule};

/// The TEI elements that must not be empty.
const NAMES: &[&str] = &["persName", "placeName", "orgName", "title", "date"];

/// Attributes that give a `date` its value without text.
const DATE_VALUES: &[&str] = &[
    "when",
    "notBefore",
    "notAfter",
    "from",
    "to",
    "when-iso",
    "notBefore-iso",
    "notAfter-iso",
    "from-iso",
    "to-iso",
    "when-custom",
    "notBefore-custom",
    "notAfter-custom",
    "from-custom",
    "to-custom",
];

rule! {
    /// ## What it does
    /// Checks that `persName`, `placeName`, `orgName`, `title` and `date` (TEI) are not
    /// empty: each holds some text other than whitespace, or a child element. A `date`
    /// without text is accepted when an attribute gives its value (`<date when="1955"/>`
    /// is a common header idiom).
    ///
    /// ## Why
    /// These elements mark a stretch of the text as a name, a title or a date; with
    /// nothing inside they mark nothing. An empty one is typically what is left after an
    /// edit moved the words out, or a template field never filled (`<title/>` in the
    /// header), and indexes built from the markup get a blank entry.
    ///
    /// ## Example
    /// ```xml
    /// <p>the shift from <persName ref="#georgy-malenkov"></persName>Malenkov to …</p>
    /// ```
    ///
    /// Use instead:
    /// ```xml
    /// <p>the shift from <persName ref="#georgy-malenkov">Malenkov</persName> to …</p>
    /// ```
    pub struct EmptyElement {}
    code: "teimark::rules::empty-element",
    severity: Error,
    summary: "a persName, placeName, orgName, title or date has no content",
    overlaps: [],
}

impl Check for EmptyElement {
    fn end(&mut self, _cx: &Context, open: &Open, out: &mut Out) {
        let e = &open.element;
        if !e.tei || !NAMES.contains(&e.local.as_str()) || open.text || open.children {
            return;
        }
        let dated = e.attrs.iter().any(|a| {
            a.ns == super::reader::AttrNs::None && DATE_VALUES.contains(&a.local.as_str())
        });
        if e.local == "date" && dated {
            return;
        }
        out.report(
            &EmptyElement::INFO,
            e.span.clone(),
            e.pos,
            format!("<{}> is empty; expected the words it marks up (or a child element)", e.local),
            "empty",
            format!(
                "put the {} inside the element, or remove the element",
                match e.local.as_str() {
                    "title" => "title",
                    "date" => "date as the source gives it",
                    _ => "name as the source gives it",
                }
            ),
        );
    }
}
