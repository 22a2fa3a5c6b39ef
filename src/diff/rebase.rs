//! Rebase: carrying the annotations of an edition onto a revised source text.
//!
//! The old and the revised text are aligned char by char ([`super::align_raw`]);
//! each annotation's start and end move through the alignment (a start after
//! text inserted right before it, an end before text inserted right after
//! it). A span whose text is the same afterwards is kept (`Kept` when it
//! did not move, `Shifted` when it did); a span whose text changed is kept
//! and flagged for review (`Changed`); a span whose text vanished is
//! reported (`Lost`) and left out of the new document — never dropped
//! without a word.

use std::ops::Range;

use super::align_raw;
use crate::document::{Annotation, Document, assemble};

/// What became of one annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fate {
    /// Same text, same place.
    Kept,
    /// Same text, moved by edits before it.
    Shifted,
    /// Its text was edited: kept, to be reviewed.
    Changed,
    /// Its text is gone: reported, left out.
    Lost,
}

/// One annotation's move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// Index of the annotation in the old document.
    pub index: usize,
    pub fate: Fate,
    /// Its byte range in the old text.
    pub old: Range<usize>,
    /// Its byte range in the revised text (none when lost).
    pub new: Option<Range<usize>>,
}

/// The rebased document and what happened to each annotation.
#[derive(Debug, Clone)]
pub struct Rebased {
    pub document: Document,
    /// One move per annotation of the old document, in its order.
    pub moves: Vec<Move>,
    /// Whether the alignment was minimal (else some moves may be coarser).
    pub exact: bool,
}

impl Rebased {
    /// How many annotations met each fate: kept, shifted, changed, lost.
    pub fn summary(&self) -> [usize; 4] {
        let mut out = [0; 4];
        for m in &self.moves {
            out[m.fate as usize] += 1;
        }
        out
    }

    /// Whether anything needs an editor's eye (changed or lost spans).
    pub fn needs_review(&self) -> bool {
        self.moves.iter().any(|m| matches!(m.fate, Fate::Changed | Fate::Lost))
    }
}

/// Moves every annotation of `doc` onto `revised`.
pub fn rebase(doc: &Document, revised: &str) -> Rebased {
    let alignment = align_raw(&doc.text, revised);
    let mut moves = Vec::with_capacity(doc.annotations.len());
    let mut kept: Vec<Annotation> = Vec::with_capacity(doc.annotations.len());
    for (index, a) in doc.annotations.iter().enumerate() {
        let old = a.range();
        let Range { start, end } = alignment.map_span(old.clone());
        let fate = if a.start < a.end && start == end {
            Fate::Lost
        } else if revised[start..end] != doc.text[old.clone()] {
            Fate::Changed
        } else if (start, end) == (a.start, a.end) {
            Fate::Kept
        } else {
            Fate::Shifted
        };
        let new = (fate != Fate::Lost).then_some(start..end);
        if let Some(range) = &new {
            kept.push(Annotation { start: range.start, end: range.end, ..a.clone() });
        }
        moves.push(Move { index, fate, old, new });
    }
    let (document, _) =
        assemble(revised.to_string(), kept, doc.edition.clone(), doc.register.clone());
    Rebased { document, moves, exact: alignment.is_exact() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Kind;
    use crate::edition::Edition;
    use crate::entities::register::Register;

    fn doc(text: &str, spans: &[&str]) -> Document {
        let annotations = spans
            .iter()
            .map(|s| {
                let at = text.find(s).expect("the span's text is in the text");
                Annotation::new(at..at + s.len(), Kind::Person { reference: None }, "test")
            })
            .collect();
        assemble(
            text.to_string(),
            annotations,
            Edition::untitled("t", None, None),
            Register::default(),
        )
        .0
    }

    fn fates(old: &str, spans: &[&str], revised: &str) -> Vec<(String, Fate)> {
        let d = doc(old, spans);
        let r = rebase(&d, revised);
        r.moves.iter().map(|m| (d.text[m.old.clone()].to_string(), m.fate)).collect()
    }

    #[test]
    fn spans_keep_shift_change_or_get_lost() {
        let old = "Stalin met Malenkov in Moscow, and Beria was shot.";
        let revised = "Then Stalin met Malenkow in Moscow, and was shot.";
        assert_eq!(
            fates(old, &["Stalin", "Malenkov", "Beria", "Moscow"], revised),
            [
                ("Stalin".to_string(), Fate::Shifted),
                ("Malenkov".to_string(), Fate::Changed),
                ("Moscow".to_string(), Fate::Shifted),
                ("Beria".to_string(), Fate::Lost),
            ]
        );
        assert_eq!(
            fates("a Stalin b", &["Stalin"], "a Stalin b"),
            [("Stalin".to_string(), Fate::Kept)]
        );
    }

    #[test]
    fn insertions_at_a_boundary_stay_outside_the_span() {
        let d = doc("x Stalin y", &["Stalin"]);
        let r = rebase(&d, "x JStalinK y");
        assert_eq!(&r.document.text[r.document.annotations[0].range()], "Stalin");
        assert_eq!(r.moves[0].fate, Fate::Shifted);
    }
}
