use super::*;

fn ann(range: Range<usize>, kind: Kind) -> Annotation {
    Annotation::new(range, kind, "test")
}

fn doc(text: &str, annotations: Vec<Annotation>) -> (Document, Vec<Diagnostic>) {
    let edition = Edition::untitled("t", None, None);
    assemble(text.to_string(), annotations, edition, Register::default())
}

#[test]
fn assemble_orders_outer_first_and_dedup_drops_duplicates() {
    let mut annotations = vec![
        ann(0..2, Kind::Person { reference: None }),
        ann(0..5, Kind::P),
        ann(0..5, Kind::Body),
        ann(3..3, Kind::Milestone),
        ann(0..2, Kind::Person { reference: None }),
    ];
    let (d, diagnostics) = doc("ab cd", annotations.clone());
    assert!(diagnostics.is_empty());
    let kinds: Vec<&str> = d.annotations.iter().map(|a| a.kind.name()).collect();
    assert_eq!(kinds, ["body", "p", "person", "person", "milestone"]);
    dedup(&mut annotations);
    let kinds: Vec<&str> = annotations.iter().map(|a| a.kind.name()).collect();
    assert_eq!(kinds, ["body", "p", "person", "milestone"]);
}

#[test]
fn ranges_outside_the_text_or_inside_a_character_are_dropped() {
    let (d, diagnostics) =
        doc("’x", vec![ann(1..2, Kind::P), ann(0..9, Kind::P), ann(0..3, Kind::P)]);
    assert_eq!(d.annotations.len(), 1);
    assert_eq!(diagnostics.len(), 2);
    assert!(diagnostics.iter().all(|d| d.code == "teimark::document::bad-range"));
}
