use super::*;
use crate::document::{Annotation, Kind, assemble};
use crate::edition::Edition;
use crate::entities::register::Register;

/// An annotation on the first occurrence of `needle` in `text`.
fn on(text: &str, needle: &str, kind: Kind) -> Annotation {
    let at = text.find(needle).expect("the needle is in the text");
    Annotation::new(at..at + needle.len(), kind, "test")
}

/// Renders the tree as `name:text` with part numbers, in order.
fn check(text: &str, annotations: Vec<Annotation>) -> (String, Vec<&'static str>) {
    let (doc, warnings) = assemble(
        text.to_string(),
        annotations,
        Edition::untitled("t", None, None),
        Register::default(),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let (tree, diagnostics) = resolve(&doc);
    let rendered = tree
        .pieces
        .iter()
        .map(|p| {
            let name = doc.annotations[p.annotation].kind.name();
            let covered = &text[p.start..p.end];
            match &p.part {
                Some(part) => {
                    format!("{name}:{covered}#{}", part.id.rsplit('.').next().unwrap_or(""))
                }
                None => format!("{name}:{covered}"),
            }
        })
        .collect::<Vec<_>>()
        .join(" | ");
    (rendered, diagnostics.iter().map(|d| d.code).collect())
}

#[test]
fn nested_annotations_pass_unchanged() {
    let text = "One Two.\n\nThree.";
    let (tree, diagnostics) = check(
        text,
        vec![
            on(text, text, Kind::Body),
            on(text, "One Two.", Kind::P),
            on(text, "Three.", Kind::P),
            on(text, "Two", Kind::Person { reference: None }),
        ],
    );
    assert_eq!(tree, "body:One Two.\n\nThree. | p:One Two. | person:Two | p:Three.");
    assert!(diagnostics.is_empty());
}

#[test]
fn a_quote_across_paragraphs_is_split_into_linked_parts() {
    let text = "He said “one\n\ntwo” then.";
    let (tree, diagnostics) = check(
        text,
        vec![
            on(text, text, Kind::Body),
            on(text, "He said “one", Kind::P),
            on(text, "two” then.", Kind::P),
            on(text, "“one\n\ntwo”", Kind::Quote { block: false, speaker: None }),
        ],
    );
    assert_eq!(
        tree,
        "body:He said “one\n\ntwo” then. | p:He said “one | quote:“one#1 | p:two” then. | quote:two”#2"
    );
    assert_eq!(diagnostics, ["teimark::document::crossing-split"]);
}

#[test]
fn a_name_that_would_cross_is_left_out() {
    let text = "In 1953 Malenkov fell";
    let (tree, diagnostics) = check(
        text,
        vec![
            on(text, text, Kind::Body),
            on(text, text, Kind::P),
            on(text, "1953 Ma", Kind::Date(Box::default())),
            on(text, "Malenkov", Kind::Person { reference: None }),
        ],
    );
    assert_eq!(tree, "body:In 1953 Malenkov fell | p:In 1953 Malenkov fell | date:1953 Ma");
    assert_eq!(diagnostics, ["teimark::document::crossing-dropped"]);
}

#[test]
fn a_weaker_phrase_is_closed_and_reopened_around_a_name() {
    let text = "the “Kulak Grow” Rich";
    let (tree, diagnostics) = check(
        text,
        vec![
            on(text, text, Kind::Body),
            on(text, text, Kind::P),
            on(text, "“Kulak Grow”", Kind::SoCalled),
            on(text, "Grow” Rich", Kind::Person { reference: None }),
        ],
    );
    assert_eq!(
        tree,
        "body:the “Kulak Grow” Rich | p:the “Kulak Grow” Rich | soCalled:“Kulak #1 | person:Grow” Rich | soCalled:Grow”#2"
    );
    assert_eq!(diagnostics, ["teimark::document::crossing-split"]);
}

#[test]
fn phrases_outside_blocks_are_dropped_and_milestones_kept() {
    let text = "Title\n\nText";
    let mut annotations = vec![
        on(text, text, Kind::Body),
        on(text, "Title", Kind::P),
        on(text, "Text", Kind::P),
        on(text, text, Kind::Person { reference: None }),
    ];
    annotations.push(Annotation::new(7..7, Kind::Milestone, "test"));
    let (tree, diagnostics) = check(text, annotations);
    assert_eq!(tree, "body:Title\n\nText | p:Title | milestone: | p:Text");
    assert_eq!(diagnostics, ["teimark::document::crossing-dropped"]);
}
