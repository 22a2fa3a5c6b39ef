//! `teimark::rules::invalid-date`: normalised dates are W3C dates.

use super::dates;
use super::reader::{Attr, Element};
use super::{Check, Context, Out, rule};
use crate::validate::relaxng::codes;

/// The attributes of `att.datable.w3c`.
const DATING: &[&str] = &["when", "notBefore", "notAfter", "from", "to"];

/// TEI elements whose `@from`/`@to` are not dates: pages and other units of a citation
/// (`att.citing`), manuscript folios, pointers of `span` and `arc`, `app` and `rt`.
const FROM_TO_NOT_DATES: &[&str] =
    &["biblScope", "citedRange", "locus", "span", "arc", "app", "rt"];

rule! {
    /// ## What it does
    /// Checks that `@when`, `@notBefore`, `@notAfter`, `@from` and `@to` of TEI elements
    /// hold dates in one of the W3C forms TEI takes: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
    /// `--MM`, `--MM-DD`, `---DD`, `hh:mm:ss` or `YYYY-MM-DDThh:mm:ss`, with an optional
    /// time zone, for a day that exists (no 1955-02-29). `@from`/`@to` of elements where
    /// they mean something else (`biblScope`, `citedRange`, `locus`, `span`, `arc`, `app`,
    /// `rt`) are left alone.
    ///
    /// ## Why
    /// These attributes are the machine-readable date: timelines, sorting and search use
    /// them, not the text. A value like `1955-13` or `Spring 1955` is silently dropped by
    /// those tools. Where the schema types the attribute (tei_all does), the RELAX NG
    /// engine reports the value and the rule stays quiet; with looser project schemas the
    /// rule is what catches it.
    ///
    /// ## Example
    /// ```xml
    /// <date when="1955-13">Spring 1955</date>
    /// ```
    ///
    /// Use instead:
    /// ```xml
    /// <date from="1955-03" to="1955-05">Spring 1955</date>
    /// ```
    pub struct InvalidDate {}
    code: "teimark::rules::invalid-date",
    severity: Error,
    summary: "a date attribute (@when, @from, @to, @notBefore, @notAfter) is not a W3C date",
    overlaps: [codes::INVALID_VALUE],
}

impl Check for InvalidDate {
    fn start(&mut self, _cx: &Context, element: &Element, out: &mut Out) {
        for attr in dating(element) {
            if dates::parse(&attr.value).is_none() {
                out.report(
                    &InvalidDate::INFO,
                    attr.span.clone(),
                    attr.pos,
                    format!(
                        "@{} is \"{}\", which is not a date; expected {}",
                        attr.qname,
                        attr.value,
                        dates::FORMS
                    ),
                    "not a date",
                    "write the date in ISO 8601 as TEI takes it (e.g. 1955, 1955-03, 1955-03-21); keep the wording of the source in the element's text".to_string(),
                );
            }
        }
    }
}

/// The date attributes of a TEI element.
pub(super) fn dating(element: &Element) -> impl Iterator<Item = &Attr> {
    let from_to_are_dates = !FROM_TO_NOT_DATES.contains(&element.local.as_str());
    element.attrs.iter().filter(move |a| {
        element.tei
            && a.ns == super::reader::AttrNs::None
            && DATING.contains(&a.local.as_str())
            && (from_to_are_dates || !matches!(a.local.as_str(), "from" | "to"))
    })
}
