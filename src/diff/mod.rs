//! Text revisions: what changed between two plain texts, measured as OCR evaluation measures it.
//!
//! Steps:
//! 1. `normalize`: both texts as dinglehopper sees them (lines stripped, NFC, its substitutions).
//! 2. `units`: grapheme clusters and words, as integer ids.
//! 3. `align`: minimal alignments of the clusters (CER), of the words (WER), and of the raw chars
//!    ([`align_raw`], the offset map a rebase needs), near-linear at book length.
//! 4. [`compare`] / [`diff`]: metrics, confusions; [`report`] and [`wire`] render them.
//!
//! The CER and WER are dinglehopper's (0.11): the Levenshtein distance over grapheme clusters (words)
//! of the normalised texts divided by the number of clusters (words) of A, 0 when the texts agree, and
//! infinite when A is empty and B is not.

mod align;
mod alignment;
pub mod corrections;
pub mod markup;
mod normalize;
pub mod rebase;
pub mod report;
#[cfg(test)]
mod tests;
mod unicode_tables;
mod units;
pub mod wire;

use std::collections::HashMap;
use std::ops::Range;

pub use alignment::{Alignment, Bias, Kind, Mapped, Segment};

use crate::diag::Diagnostic;
use align::Params;

/// Settings of a comparison.
#[derive(Clone, Debug)]
pub struct Options {
    /// How many of the most frequent confusions to keep.
    pub confusion_limit: usize,
    /// Cells of quadratic alignment allowed per unit (cluster, word, char) of the two texts before
    /// the remaining regions are aligned piecewise and the numbers become upper bounds. The budget
    /// grows with the input, so the time stays linear in it.
    pub cells_per_unit: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options { confusion_limit: 20, cells_per_unit: 20_000 }
    }
}

/// Edit counts of one alignment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EditCounts {
    /// Units of A (the reference): the denominator of the error rate.
    pub reference: usize,
    /// Units of B.
    pub compared: usize,
    /// Levenshtein distance: substitutions + insertions + deletions.
    pub distance: u64,
    pub substitutions: u64,
    pub insertions: u64,
    pub deletions: u64,
}

impl EditCounts {
    /// The error rate as dinglehopper defines it: 0 if nothing differs, infinite if A is empty.
    pub fn rate(&self) -> f64 {
        if self.distance == 0 {
            0.0
        } else if self.reference == 0 {
            f64::INFINITY
        } else {
            self.distance as f64 / self.reference as f64
        }
    }
}

/// A recurring edit: a short stretch of A read as a stretch of B (either may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confusion {
    pub a: String,
    pub b: String,
    pub count: usize,
}

/// Confusions longer than this many clusters on either side are not tallied.
const CONFUSION_MAX_CLUSTERS: u32 = 3;

/// The result of [`compare`].
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Character error rate (over grapheme clusters).
    pub cer: f64,
    /// Word error rate.
    pub wer: f64,
    pub char_counts: EditCounts,
    pub word_counts: EditCounts,
    /// The most frequent confusions, most frequent first.
    pub confusions: Vec<Confusion>,
    /// The cluster alignment of the normalised texts (byte ranges into `normalized`).
    pub alignment: Alignment,
    /// A and B as compared (see the module docs).
    pub normalized: (String, String),
    /// Why the numbers are upper bounds rather than exact, if they are.
    pub degraded: Option<String>,
}

/// Compares revision B against reference A: CER, WER, counts, confusions, alignment.
pub fn compare(a: &str, b: &str, opts: &Options) -> Comparison {
    let na = normalize::normalize(a);
    let nb = normalize::normalize(b);
    let mut interner = units::Interner::default();
    let (ca, cb) = (interner.clusters(&na), interner.clusters(&nb));
    let clusters = align::align(&ca, &cb, Params::chars(budget(opts, &ca, &cb)));
    let char_counts = counts(&clusters.script, ca.len(), cb.len());
    drop((ca, cb));

    // dinglehopper segments words in the NFC of the normalised text; a substitution can in principle
    // leave it unnormalised (dinglehopper itself then rejects the text).
    let (wa, wb) = (nfc(&na), nfc(&nb));
    let (ia, ib) = (interner.words(&wa), interner.words(&wb));
    let words = align::align(&ia, &ib, Params::words(budget(opts, &ia, &ib)));
    let word_counts = counts(&words.script, ia.len(), ib.len());
    drop(interner);

    let alignment = Alignment::from_script(
        &clusters.script,
        units::cluster_bounds(&na),
        units::cluster_bounds(&nb),
        clusters.degraded.is_none(),
    );
    let confusions = confusions(&clusters.script, &alignment, &na, &nb, opts.confusion_limit);
    let degraded = degradation_note(&[("cluster", clusters.degraded), ("word", words.degraded)]);
    Comparison {
        cer: char_counts.rate(),
        wer: word_counts.rate(),
        char_counts,
        word_counts,
        confusions,
        alignment,
        normalized: (na, nb),
        degraded,
    }
}

/// Aligns the raw texts `a` and `b` char by char (no normalisation), with byte ranges: the map a
/// rebase needs. Minimal in chars unless [`Alignment::is_exact`] says otherwise.
pub fn align_raw(a: &str, b: &str) -> Alignment {
    align_raw_with(a, b, &Options::default())
}

/// [`align_raw`] with the budget of `opts`.
pub fn align_raw_with(a: &str, b: &str, opts: &Options) -> Alignment {
    let (ca, cb) = (units::chars(a), units::chars(b));
    let aligned = align::align(&ca, &cb, Params::chars(budget(opts, &ca, &cb)));
    drop((ca, cb));
    Alignment::from_script(
        &aligned.script,
        units::char_bounds(a),
        units::char_bounds(b),
        aligned.degraded.is_none(),
    )
}

/// One revision of a text, with the name reports show for it (usually its path).
#[derive(Clone, Copy, Debug)]
pub struct Revision<'t> {
    pub name: &'t str,
    pub text: &'t str,
}

/// Everything the reports show: two revisions, their comparison and their raw alignment.
#[derive(Clone, Debug)]
pub struct DiffReport<'t> {
    /// The reference (ground truth, or the earlier revision).
    pub a: Revision<'t>,
    /// The revision compared with it.
    pub b: Revision<'t>,
    pub comparison: Comparison,
    /// The char alignment of the raw texts, which the reports display.
    pub raw: Alignment,
    /// When two editions are compared: what changed in their markup and header.
    pub markup: Option<markup::MarkupDiff>,
}

/// Compares revision `b` against reference `a` and aligns their raw texts.
pub fn diff<'t>(a: Revision<'t>, b: Revision<'t>, opts: &Options) -> DiffReport<'t> {
    let (comparison, raw) =
        rayon::join(|| compare(a.text, b.text, opts), || align_raw_with(a.text, b.text, opts));
    DiffReport { a, b, comparison, raw, markup: None }
}

/// [`diff`] with the char alignment of the two texts already made (by
/// [`align_raw_with`] with the same options).
pub fn diff_aligned<'t>(
    a: Revision<'t>,
    b: Revision<'t>,
    raw: Alignment,
    opts: &Options,
) -> DiffReport<'t> {
    let comparison = compare(a.text, b.text, opts);
    DiffReport { a, b, comparison, raw, markup: None }
}

/// Compares two editions: their texts as [`diff`] does, and their markup
/// ([`markup::diff`]) through the same alignment.
pub fn diff_editions<'t>(
    a: Revision<'t>,
    b: Revision<'t>,
    editions: (&markup::Edition, &markup::Edition),
    opts: &Options,
) -> DiffReport<'t> {
    let mut report = diff(a, b, opts);
    report.markup = Some(markup::diff(editions.0, editions.1, &report.raw));
    report
}

/// A change as reports show it: whole whitespace-delimited words on both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Byte range in A.
    pub a: Range<usize>,
    /// Byte range in B.
    pub b: Range<usize>,
}

impl DiffReport<'_> {
    /// The changes of the raw alignment, each widened to whole words (a word here is a maximal run of
    /// non-whitespace), adjacent ones merged. Between two changes the texts agree.
    pub fn changes(&self) -> Vec<Change> {
        word_changes(&self.raw, self.a.text, self.b.text)
    }

    /// Warnings about the comparison itself (an approximated alignment).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Some(note) = &self.comparison.degraded {
            out.push(
                Diagnostic::warning("teimark::diff::approximate-alignment", note.clone())
                    .with_help(
                        "raise the budget (`--cell-budget`) or compare smaller parts of the texts",
                    ),
            );
        }
        if !self.raw.is_exact() {
            out.push(
                Diagnostic::warning(
                    "teimark::diff::approximate-alignment",
                    "the raw texts differ too much to be aligned exactly; the changes shown are not minimal",
                )
                .with_help("raise the budget (`--cell-budget`) or compare smaller parts of the texts"),
            );
        }
        out
    }
}

/// The cell budget of an alignment of `a` against `b`.
fn budget(opts: &Options, a: &[u32], b: &[u32]) -> u64 {
    opts.cells_per_unit.saturating_mul((a.len() + b.len()) as u64)
}

fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if unicode_normalization::is_nfc(text) {
        text.into()
    } else {
        text.nfc().collect::<String>().into()
    }
}

fn counts(script: &align::script::Script, reference: usize, compared: usize) -> EditCounts {
    let (substitutions, insertions, deletions) = script.counts();
    EditCounts {
        reference,
        compared,
        distance: script.distance(),
        substitutions,
        insertions,
        deletions,
    }
}

fn degradation_note(parts: &[(&str, Option<align::Degraded>)]) -> Option<String> {
    let notes: Vec<String> = parts
        .iter()
        .filter_map(|(unit, d)| {
            d.map(|d| {
                format!(
                    "found {} region(s) of the {unit} alignment ({} and {} {unit}s) beyond the exact \
                     budget, aligned piecewise",
                    d.regions, d.a_tokens, d.b_tokens
                )
            })
        })
        .collect();
    if notes.is_empty() {
        None
    } else {
        Some(format!("{}; the error rates are upper bounds, not minima", notes.join("; ")))
    }
}

/// Tallies the change runs of the cluster alignment that span at most
/// [`CONFUSION_MAX_CLUSTERS`] clusters on each side.
fn confusions(
    script: &align::script::Script,
    alignment: &Alignment,
    na: &str,
    nb: &str,
    limit: usize,
) -> Vec<Confusion> {
    let mut tally: HashMap<(&str, &str), usize> = HashMap::new();
    for (run, seg) in script.runs.iter().zip(alignment.ops()) {
        if run.equal || run.a.max(run.b) > CONFUSION_MAX_CLUSTERS {
            continue;
        }
        *tally.entry((&na[seg.a], &nb[seg.b])).or_default() += 1;
    }
    let mut list: Vec<Confusion> = tally
        .into_iter()
        .map(|((a, b), count)| Confusion { a: a.to_owned(), b: b.to_owned(), count })
        .collect();
    list.sort_by(|x, y| {
        y.count.cmp(&x.count).then_with(|| x.a.cmp(&y.a)).then_with(|| x.b.cmp(&y.b))
    });
    list.truncate(limit);
    list
}

/// See [`DiffReport::changes`].
fn word_changes(raw: &Alignment, a: &str, b: &str) -> Vec<Change> {
    let not_space = |c: char| !c.is_whitespace();
    let starts_word = |s: &str| s.chars().next().is_some_and(not_space);
    let ends_word = |s: &str| s.chars().next_back().is_some_and(not_space);
    let mut out: Vec<Change> = Vec::new();
    for k in 0..raw.len() {
        let seg = raw.segment(k);
        if seg.kind == Kind::Equal {
            continue;
        }
        let (sa, sb) = (&a[seg.a.clone()], &b[seg.b.clone()]);
        // Widen into the equal text on either side, which is the same in A and B, so both ranges
        // move by the same number of bytes; stop at whitespace. A change that begins (ends) with
        // whitespace on both sides splits no word there.
        let (mut left, mut whole_left) = (0, false);
        if k > 0 && (starts_word(sa) || starts_word(sb)) {
            let before = &a[raw.segment(k - 1).a];
            left = before.len() - before.trim_end_matches(not_space).len();
            whole_left = left == before.len();
        }
        let mut right = 0;
        if k + 1 < raw.len() && (ends_word(sa) || ends_word(sb)) {
            let after = &a[raw.segment(k + 1).a];
            right = after.len() - after.trim_start_matches(not_space).len();
        }
        let change = Change {
            a: seg.a.start - left..seg.a.end + right,
            b: seg.b.start - left..seg.b.end + right,
        };
        match out.last_mut() {
            // No whitespace between the previous change and this one: one word, one change.
            Some(last) if whole_left || last.a.end > change.a.start => {
                last.a.end = change.a.end;
                last.b.end = change.b.end;
            }
            _ => out.push(change),
        }
    }
    out
}
