//! Resolver: stand-off annotations to a properly nested tree for XML.
//!
//! Annotations are taken in document order and kept on a stack of open
//! elements. Where one would cross the element it starts in, a splittable
//! one (quote, soCalled, term, bibl, cit) is cut into parts joined by
//! `@prev`/`@next`; an atom (a name, a date) that would cross is left out of
//! the tree with a warning — it stays in the JSON twin. Phrases never stand
//! directly in element-only containers and blocks never nest in blocks, so
//! the tree is well-formed and keeps TEI's content models for these kinds.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use super::{Document, Kind, Tier};
use crate::diag::Diagnostic;

/// A properly nested arrangement of (parts of) annotations, in document order.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub pieces: Vec<Piece>,
}

/// One element of the tree: an annotation, or a part of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    /// Index into [`Document::annotations`].
    pub annotation: usize,
    /// Set when the annotation was split: this part's id and its neighbours.
    pub part: Option<Box<Part>>,
}

/// Links between the parts of a split annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub id: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// An annotation, or the remainder of a split one, waiting to be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Item {
    start: usize,
    /// Milestones (zero width) come first among items that start together.
    wide: bool,
    end: Reverse<usize>,
    rank: u8,
    annotation: usize,
}

/// Nests the document's annotations; reports every split and drop.
pub fn resolve(doc: &Document) -> (Tree, Vec<Diagnostic>) {
    let text = doc.text.as_str();
    let mut diagnostics = Vec::new();
    let mut pieces: Vec<Piece> = Vec::with_capacity(doc.annotations.len());
    let mut removed: Vec<bool> = Vec::with_capacity(doc.annotations.len());
    let mut stack: Vec<usize> = Vec::new();
    let mut split: BTreeSet<usize> = BTreeSet::new();
    let mut pending: BinaryHeap<Reverse<Item>> = BinaryHeap::new();
    let mut next_original = 0;

    let item_of = |i: usize, start: usize, end: usize| Item {
        start,
        wide: start != end,
        end: Reverse(end),
        rank: doc.annotations[i].kind.rank(),
        annotation: i,
    };

    loop {
        // Take the smaller of the next annotation and the next remainder.
        let from_list =
            doc.annotations.get(next_original).map(|a| item_of(next_original, a.start, a.end));
        let item = match (from_list, pending.peek()) {
            (Some(a), Some(Reverse(b))) if *b < a => pending.pop().map(|r| r.0),
            (Some(a), _) => {
                next_original += 1;
                Some(a)
            }
            (None, Some(_)) => pending.pop().map(|r| r.0),
            (None, None) => None,
        };
        let Some(item) = item else { break };
        let (start, mut end, index) = (item.start, item.end.0, item.annotation);
        let annotation = &doc.annotations[index];
        let kind = &annotation.kind;

        while let Some(&top) = stack.last() {
            if pieces[top].end <= start {
                stack.pop();
            } else {
                break;
            }
        }

        let parent = stack.last().map(|&p| &doc.annotations[pieces[p].annotation].kind);
        let misplaced = !accepts(parent, kind);
        if kind.tier() == Tier::Milestone || start == end {
            if misplaced {
                // An empty phrase (a correction that deleted text) between blocks.
                diagnostics.push(dropped(doc, index, start..end, &misplaced_why(parent, kind)));
            } else {
                pieces.push(Piece { start, end: start, annotation: index, part: None });
                removed.push(false);
            }
            continue;
        }
        if misplaced {
            // A phrase that begins in the whitespace between blocks (the
            // remainder of a split, usually) moves to where text begins.
            let skip = text[start..end].len() - text[start..end].trim_start().len();
            if kind.tier() == Tier::Phrase && skip > 0 && start + skip < end {
                pending.push(Reverse(item_of(index, start + skip, end)));
            } else if !text[start..end].trim().is_empty() {
                diagnostics.push(dropped(doc, index, start..end, &misplaced_why(parent, kind)));
            }
            continue;
        }

        if let Some(&top) = stack.last() {
            if end > pieces[top].end {
                let outer = pieces[top].annotation;
                let outer_kind = &doc.annotations[outer].kind;
                if kind.splittable() {
                    let cut = pieces[top].end;
                    pending.push(Reverse(item_of(index, cut, end)));
                    if split.insert(index) {
                        diagnostics.push(split_note(doc, index, outer));
                    }
                    end = cut;
                } else if outer_kind.splittable() && outer_kind.tier() == Tier::Phrase {
                    // Close the weaker phrase here and reopen it inside this one.
                    let outer_end = pieces[top].end;
                    pieces[top].end = start;
                    if pieces[top].start == start {
                        removed[top] = true;
                    }
                    stack.pop();
                    pending.push(Reverse(item_of(outer, start, outer_end)));
                    pending.push(Reverse(item));
                    if split.insert(outer) {
                        diagnostics.push(split_note(doc, outer, index));
                    }
                    continue;
                } else {
                    let why = format!("it would cross the {} it starts in", outer_kind.name());
                    diagnostics.push(dropped(doc, index, start..end, &why));
                    continue;
                }
            }
        }

        stack.push(pieces.len());
        pieces.push(Piece { start, end, annotation: index, part: None });
        removed.push(false);
    }

    let mut pieces: Vec<Piece> =
        pieces.into_iter().zip(removed).filter(|(_, gone)| !gone).map(|(piece, _)| piece).collect();
    link_parts(&mut pieces, &split);
    (Tree { pieces }, diagnostics)
}

/// Whether an element of kind `child` may stand directly in `parent`
/// (`None`: directly in `<text>`), following TEI's content models (checked
/// against tei_all.rng: `document/tests.rs`).
fn accepts(parent: Option<&Kind>, child: &Kind) -> bool {
    // `<pc>` holds characters only.
    let holds_text = |k: &Kind| matches!(k.tier(), Tier::Block | Tier::Phrase) && *k != Kind::Pc;
    // Names, dates, terms and mentions hold phrases only (macro.phraseSeq):
    // no `<bibl>` and no `<cit>`; a `<date>` no quotation either.
    let phrases_only = |k: &Kind| {
        matches!(
            k,
            Kind::Person { .. }
                | Kind::Place { .. }
                | Kind::Org { .. }
                | Kind::Date(_)
                | Kind::SoCalled
                | Kind::Term
        )
    };
    match child {
        Kind::Milestone | Kind::PageBreak => true,
        Kind::Front | Kind::Body | Kind::Back => parent.is_none(),
        Kind::Div { .. } => matches!(parent, Some(Kind::Body | Kind::Back | Kind::Div { .. })),
        Kind::DocTitle | Kind::DocDate | Kind::Byline => matches!(parent, Some(Kind::Front)),
        Kind::TitlePart { .. } => matches!(parent, Some(Kind::DocTitle)),
        Kind::Head | Kind::P | Kind::Separator | Kind::Note { .. } => matches!(
            parent,
            Some(
                Kind::Front
                    | Kind::Body
                    | Kind::Back
                    | Kind::Div { .. }
                    | Kind::Quote { block: true, .. }
            )
        ),
        Kind::Quote { block: true, .. } => {
            matches!(parent, Some(Kind::Body | Kind::Back | Kind::Div { .. } | Kind::Cit))
        }
        // Issue, volume and page numbers belong to a reference only.
        Kind::BiblScope(_) => matches!(parent, Some(Kind::Bibl)),
        Kind::Cit => {
            matches!(parent, Some(k) if holds_text(k) && !phrases_only(k) && *k != Kind::Bibl
            || matches!(k, Kind::Body | Kind::Back | Kind::Div { .. }))
        }
        Kind::Bibl => {
            matches!(parent, Some(k) if holds_text(k) && !phrases_only(k) || *k == Kind::Cit)
        }
        Kind::Quote { block: false, .. } => {
            matches!(parent, Some(k) if holds_text(k) && !matches!(k, Kind::Date(_)) || *k == Kind::Cit)
        }
        // A note marker after a block quotation sits in its `<cit>` (a `<ref>` may).
        Kind::Pc | Kind::NoteRef { .. } => {
            matches!(parent, Some(k) if holds_text(k) || *k == Kind::Cit)
        }
        _ => matches!(parent, Some(k) if holds_text(k)),
    }
}

/// Gives the parts of each split annotation ids and `prev`/`next` links.
fn link_parts(pieces: &mut [Piece], split: &BTreeSet<usize>) {
    let mut parts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, piece) in pieces.iter().enumerate() {
        if split.contains(&piece.annotation) {
            parts.entry(piece.annotation).or_default().push(i);
        }
    }
    for (annotation, indices) in parts {
        if indices.len() < 2 {
            continue;
        }
        let id = |k: usize| format!("part.{annotation}.{}", k + 1);
        for (k, &i) in indices.iter().enumerate() {
            pieces[i].part = Some(Box::new(Part {
                id: id(k),
                prev: (k > 0).then(|| format!("#{}", id(k - 1))),
                next: (k + 1 < indices.len()).then(|| format!("#{}", id(k + 1))),
            }));
        }
    }
}

fn split_note(doc: &Document, index: usize, other: usize) -> Diagnostic {
    let a = &doc.annotations[index];
    let b = &doc.annotations[other];
    Diagnostic::warning(
        "teimark::document::crossing-split",
        format!(
            "{} crosses {}: written as parts joined by @next/@prev",
            a.kind.name(),
            b.kind.name()
        ),
    )
    .with_span(a.range(), format!("this {} is split", a.kind.name()))
    .with_help("nothing is lost; if the boundary is wrong, correct the annotation or the source")
}

/// Why `kind` cannot stand in `parent`.
fn misplaced_why(parent: Option<&Kind>, kind: &Kind) -> String {
    match parent {
        Some(p) if matches!(p.tier(), Tier::Block | Tier::Phrase) => {
            format!("TEI allows no {} inside a {}", kind.name(), p.name())
        }
        _ => "it does not lie inside a block of text".to_string(),
    }
}

fn dropped(doc: &Document, index: usize, range: std::ops::Range<usize>, why: &str) -> Diagnostic {
    let a = &doc.annotations[index];
    Diagnostic::warning(
        "teimark::document::crossing-dropped",
        format!("{} left out of the TEI: {why}", a.kind.name()),
    )
    .with_span(range, format!("this {} is kept in the JSON only", a.kind.name()))
    .with_help("the JSON twin keeps every annotation; adjust the register or the source if the span is wrong")
}

#[cfg(test)]
mod tests;
