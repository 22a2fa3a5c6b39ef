//! Corrections: what changed from an earlier revision of a source to the
//! one an edition is built from, as `Kind::Corr` annotations on the newer
//! text (TEI: `<choice><sic>…</sic><corr>…</corr></choice>`).

use super::{Alignment, align_raw, word_changes};
use crate::diag::Diagnostic;
use crate::document::{Annotation, Kind};

/// The corrections that turn `previous` into `current`: each change of the
/// char alignment, widened to whole words, with the earlier reading as `sic`.
/// The alignment is returned too, for a report of the same two revisions.
pub fn corrections(previous: &str, current: &str) -> (Vec<Annotation>, Vec<Diagnostic>, Alignment) {
    let raw = align_raw(previous, current);
    let mut diagnostics = Vec::new();
    if !raw.is_exact() {
        diagnostics.push(
            Diagnostic::warning(
                "teimark::revision::approximate",
                "the two revisions differ too much to be aligned exactly; the corrections marked may not be minimal",
            )
            .with_help("check the corrections in the edition, or build it from a revision closer to the earlier one"),
        );
    }
    let out = word_changes(&raw, previous, current)
        .into_iter()
        .map(|change| {
            let sic: Box<str> = previous[change.a].into();
            Annotation::new(change.b, Kind::Corr { sic }, "revision.correction")
        })
        .collect();
    (out, diagnostics, raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(previous: &str, current: &str) -> Vec<String> {
        let (found, _, _) = corrections(previous, current);
        found
            .iter()
            .map(|a| {
                let Kind::Corr { sic } = &a.kind else { unreachable!("only corrections") };
                format!("{sic} -> {}", &current[a.range()])
            })
            .collect()
    }

    #[test]
    fn changes_are_widened_to_words() {
        assert_eq!(
            check(
                "a backward Czarst industry, live million",
                "a backward Czarist industry, five million"
            ),
            ["Czarst -> Czarist", "live -> five"]
        );
        assert_eq!(
            check("to .their layer; the USA.; fuse", "to their layer; the USA; fuse"),
            [".their -> their", "USA.; -> USA;"]
        );
        assert_eq!(check("same text", "same text"), Vec::<String>::new());
    }
}
