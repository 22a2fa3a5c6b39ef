//! Entities stage: persons, places, organisations, works, dates,
//! citations and quotations, recognised against the edition's authority
//! register with deterministic, explainable rules.
//!
//! Every annotation names its rule (`register`, `date.season`,
//! `quote.attributed`, …; see `document::RULES`) and a certainty. The
//! stage reads the text and the blocks the structure stage found; it never
//! fails and does no I/O.

pub mod candidates;
mod citations;
mod dates;
pub mod names;
mod quotes;
pub mod register;

use std::ops::Range;

use crate::diag::Diagnostic;
use crate::document::{Annotation, Kind};
use crate::structure::{Block, BlockKind, Structure};
use names::{Found, Matcher};
use register::Register;

/// Recognises the entities of a text. Takes the structure stage's
/// annotations and returns them together with the new ones (block
/// quotations get their speaker here).
pub fn recognize(
    text: &str,
    structure: Structure,
    register: &Register,
) -> (Vec<Annotation>, Vec<Diagnostic>) {
    let matcher = Matcher::shared(register);
    recognize_with(text, structure, &matcher)
}

/// [`recognize`] with a compiled matcher (to share one across many texts).
pub fn recognize_with(
    text: &str,
    structure: Structure,
    matcher: &Matcher,
) -> (Vec<Annotation>, Vec<Diagnostic>) {
    let Structure { blocks, annotations: mut structural } = structure;
    let mut diagnostics = Vec::new();
    let mut out: Vec<Annotation> = Vec::new();

    // Names, block by block (the notes' labels and separators hold none).
    let mut names: Vec<Found> = Vec::new();
    for block in prose_blocks(&blocks) {
        matcher.find_in(text, block.range.clone(), &mut names);
    }

    // Dates, in document order so a year carries over to "in June".
    let mut last_year = None;
    let mut found_dates = Vec::new();
    for block in prose_blocks(&blocks) {
        dates::find_in(text, block.range.clone(), &mut last_year, &mut found_dates);
    }
    for d in found_dates.iter().filter(|d| d.cert == crate::document::Cert::Low) {
        diagnostics.push(
            Diagnostic::warning("teimark::entities::date-without-year", "a month is named before any year; its year is left open")
                .with_span(d.range(), "no year known here")
                .with_help("the date is kept with @when=\"--MM\"; add the year in the source or correct the markup by hand"),
        );
    }
    // A date that overlaps a name in any way is no date ("Fall River").
    out.extend(
        found_dates.into_iter().filter(|d| names::overlapping(&names, d.range()).is_empty()),
    );

    // Quotations and scare quotes; block quotations get their speaker.
    let mut quoted = Vec::new();
    quotes::find(text, &blocks, &mut structural, &names, &mut quoted);

    // References: the block quotations' citations, the attributions after
    // quotations, and parenthesised references in running text.
    let known: Vec<Range<usize>> = structural
        .iter()
        .chain(quoted.iter())
        .filter(|a| a.kind == Kind::Bibl)
        .map(Annotation::range)
        .collect();
    let quoted_titles = citations::find(text, &blocks, &known, &names, &mut out);
    // Quotation marks around a cited title make no quotation, nor a `cit`
    // with an attribution after them.
    quoted.retain(|q| {
        !quoted_titles.iter().any(|t| q.range() == *t || q.kind == Kind::Cit && q.start == t.start)
    });
    out.extend(quoted);
    out.extend(names.iter().map(|n| matcher.annotate(n)));

    let mut all = structural;
    all.extend(out);
    (all, diagnostics)
}

/// The blocks that hold text (where names and dates are sought).
fn prose_blocks(blocks: &[Block]) -> impl Iterator<Item = &Block> {
    blocks.iter().filter(|b| b.kind != BlockKind::Separator)
}

/// For the recognisers' tests: the annotations of `text` with the default
/// register, as `label text` lines in document order, for the kinds
/// `label` names.
#[cfg(test)]
pub(crate) fn labelled(text: &str, label: impl Fn(&Kind) -> Option<String>) -> Vec<String> {
    let (structure, _) = crate::structure::parse(text);
    let (annotations, _) = recognize(text, structure, &Register::default_register());
    let mut out: Vec<(usize, String)> = annotations
        .iter()
        .filter_map(|a| Some((a.start, format!("{} {}", label(&a.kind)?, &text[a.range()]))))
        .collect();
    out.sort();
    out.into_iter().map(|(_, s)| s).collect()
}
