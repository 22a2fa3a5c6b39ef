//! `teimark::rules::duplicate-id`: no two elements share an `xml:id`.

use super::reader::Element;
use super::{Check, Context, Out, rule};
use crate::validate::relaxng::codes;

rule! {
    /// ## What it does
    /// Checks that no `xml:id` value is defined twice in a document; the second and
    /// every later definition are reported, each with the place of the first.
    ///
    /// ## Why
    /// A pointer `#id` must name exactly one element. With two candidates, tools pick
    /// one silently (usually the first), so references and register look-ups go to the
    /// wrong place. Schemas that type `xml:id` as an ID (tei_all does) make the RELAX NG
    /// engine report this already; the rule then stays quiet, and it still catches the
    /// duplicates under schemas that do not, or when validating without a schema's ID
    /// checks.
    ///
    /// ## Example
    /// ```xml
    /// <person xml:id="malenkov">…</person>
    /// <person xml:id="malenkov">…</person>
    /// ```
    ///
    /// Use instead:
    /// ```xml
    /// <person xml:id="georgy-malenkov">…</person>
    /// <person xml:id="dmitry-malenkov">…</person>
    /// ```
    pub struct DuplicateId {}
    code: "teimark::rules::duplicate-id",
    severity: Error,
    summary: "an xml:id is defined more than once",
    overlaps: [codes::DUPLICATE_ID],
}

impl Check for DuplicateId {
    fn start(&mut self, cx: &Context, element: &Element, out: &mut Out) {
        for attr in element.attrs.iter().filter(|a| a.is_xml("id")) {
            let Some(first) = cx.ids.get(&attr.value) else { continue };
            out.report(
                &DuplicateId::INFO,
                attr.span.clone(),
                attr.pos,
                format!(
                    "xml:id \"{}\" is already defined at line {}, column {}; expected each xml:id once",
                    attr.value, first.line, first.column
                ),
                "defined again here",
                "give one of the elements another xml:id and update the pointers that meant it"
                    .to_string(),
            );
        }
    }
}
