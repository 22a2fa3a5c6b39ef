//! `teimark::rules::date-order`: a range does not end before it begins.

use super::dates::{self, Moment};
use super::invalid_date::dating;
use super::reader::{Attr, Element};
use super::{Check, Context, Out, rule};

rule! {
    /// ## What it does
    /// Checks that `@from` is not later than `@to`, and `@notBefore` not later than
    /// `@notAfter`, on the same TEI element. A value stands for the whole stretch it
    /// names (`1955` is all of 1955), and a range is reported only when it is empty:
    /// when its start begins after its end has ended. Dates without a year (`--12` to
    /// `--02`, a winter) and times of day may run over a year's or a day's end, so they
    /// are not compared; values that are not dates are left to `invalid-date`.
    ///
    /// ## Why
    /// A reversed range is almost always a typing slip (`1923` for `1932`) or the two
    /// attributes swapped, and it makes the date match nothing in a search by period.
    /// XML schemas cannot compare two attributes, so no RELAX NG schema catches it.
    ///
    /// ## Example
    /// ```xml
    /// <date from="1923" to="1917">1917-23</date>
    /// ```
    ///
    /// Use instead:
    /// ```xml
    /// <date from="1917" to="1923">1917-23</date>
    /// ```
    pub struct DateOrder {}
    code: "teimark::rules::date-order",
    severity: Error,
    summary: "@from is later than @to, or @notBefore later than @notAfter",
    overlaps: [],
}

impl Check for DateOrder {
    fn start(&mut self, _cx: &Context, element: &Element, out: &mut Out) {
        let value = |name: &str| -> Option<(&Attr, Moment)> {
            let attr = dating(element).find(|a| a.local == name)?;
            Some((attr, dates::parse(&attr.value).filter(Moment::has_year)?))
        };
        for (first, last) in [("from", "to"), ("notBefore", "notAfter")] {
            let (Some((a, start)), Some((b, end))) = (value(first), value(last)) else {
                continue;
            };
            if start.starts_after(&end) {
                out.report(
                    &DateOrder::INFO,
                    a.span.start.min(b.span.start)..a.span.end.max(b.span.end),
                    if a.span.start <= b.span.start { a.pos } else { b.pos },
                    format!(
                        "@{first}=\"{}\" is later than @{last}=\"{}\"; expected @{first} no later than @{last}",
                        a.value, b.value
                    ),
                    "range ends before it begins",
                    format!("swap the two values or correct the one mistyped (@{first} is the earlier end)"),
                );
            }
        }
    }
}
