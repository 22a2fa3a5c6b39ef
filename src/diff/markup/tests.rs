use super::*;
use crate::source::Encoding;
use crate::{Inputs, make_edition};

fn made(text: &str, register: Option<&str>) -> crate::Made {
    let inputs = Inputs { register, fallback_id: "m", ..Default::default() };
    make_edition(text.as_bytes(), Encoding::Utf8, &inputs).0
}

const ESSAY: &str = "A Test Essay\n\n(Spring 1955)\n\nIn 1917 Stalin met Malenkov in Moscow.\n\nHe said “the kulak would grow over peacefully” (Bukharin).\n";
const REGISTER: &str = "[[person]]\nid = \"stalin\"\nname = \"Joseph Stalin\"\nvariants = [\"Stalin\"]\n\n[[person]]\nid = \"malenkov\"\nname = \"Georgy Malenkov\"\nvariants = [\"Malenkov\"]\n\n[[person]]\nid = \"bukharin\"\nname = \"Nikolai Bukharin\"\nvariants = [\"Bukharin\"]\n";

#[test]
fn a_tei_file_and_its_json_twin_have_the_same_markup() {
    let m = made(ESSAY, Some(REGISTER));
    let json = load(&m.json()).expect("the JSON loads");
    let tei = load(&m.tei()).expect("the TEI loads");
    assert_eq!(json.text, tei.text);
    let alignment = crate::diff::align_raw(&json.text, &tei.text);
    let d = diff(&json, &tei, &alignment);
    assert_eq!(d.changes, Vec::<Change>::new(), "the TEI reads back as its twin");
    assert!(d.unchanged > 10);
}

#[test]
fn added_removed_retyped_moved_and_attribute_changes() {
    let a = load(&made(ESSAY, Some(REGISTER)).json()).expect("A");
    // Malenkov becomes an unknown name (removed), a new year appears (added),
    // the text before Stalin changes (he moves, and stays).
    let register_b = REGISTER
        .replace("variants = [\"Malenkov\"]", "variants = []")
        .replace("id = \"stalin\"", "id = \"j-stalin\"");
    let b = load(&made(&ESSAY.replace("In 1917", "In 1917 and 1918"), Some(&register_b)).json())
        .expect("B");
    let alignment = crate::diff::align_raw(&a.text, &b.text);
    let d = diff(&a, &b, &alignment);
    let kinds: Vec<(ChangeKind, String)> = d
        .changes
        .iter()
        .map(|c| (c.kind, c.a.as_ref().or(c.b.as_ref()).map_or(String::new(), |e| e.kind.clone())))
        .collect();
    assert!(kinds.contains(&(ChangeKind::Removed, "person".into())), "{kinds:?}");
    assert!(kinds.contains(&(ChangeKind::Added, "date".into())), "{kinds:?}");
    assert!(
        kinds.contains(&(ChangeKind::Attributes, "person".into())),
        "Stalin's ref changed: {kinds:?}"
    );
    assert!(
        d.header.iter().any(|h| h.path.contains("register.person[j-stalin]")),
        "{:?}",
        d.header
    );
}
