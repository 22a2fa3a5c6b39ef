//! Unit tests of the RELAX NG engine: patterns, schema compilation, input, derivatives.

use std::sync::Arc;

use super::derive::Engine;
use super::names::NameTable;
use super::pattern::{Arena, EMPTY, NOT_ALLOWED, Node, Patterns, TEXT};
use super::schema::{self, SchemaError};
use super::xml::{Event, Kind, XmlReader};

const RNG: &str = r#"xmlns="http://relaxng.org/ns/structure/1.0""#;

/// Compiles a schema given as `(file name, text)` pairs; the first file is the main one.
fn compile(files: &[(&str, &str)]) -> Result<schema::Compiled, SchemaError> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    schema::compile(&dir.path().join(files[0].0))
}

fn compile_err(files: &[(&str, &str)]) -> SchemaError {
    compile(files).expect_err("the schema should be rejected")
}

#[test]
fn choices_are_normalised_so_equal_patterns_share_an_id() {
    let mut arena = Arena::new();
    let a = arena.intern(Node::Element(0));
    let b = arena.intern(Node::Element(1));
    assert_eq!(arena.choice(&[a, b]), arena.choice(&[b, a]));
    assert_eq!(arena.choice(&[a, NOT_ALLOWED]), a);
    let ab = arena.choice(&[a, b]);
    assert_eq!(arena.choice(&[ab, a]), ab, "nested choices flatten");
    assert_eq!(arena.choice(&[EMPTY, TEXT]), TEXT, "empty is dropped next to a nullable");
    assert_eq!(arena.group(EMPTY, a), a);
    assert_eq!(arena.group(a, NOT_ALLOWED), NOT_ALLOWED);
    let x = arena.after(a, EMPTY);
    let y = arena.after(a, TEXT);
    let merged = arena.choice(&[x, y]);
    assert_eq!(*arena.node(merged), Node::After(a, TEXT), "continuations of one content merge");
}

#[test]
fn include_overrides_and_combine_follow_section_4() {
    let base = format!(
        r#"<grammar {RNG}><start><ref name="doc"/></start>
        <define name="doc"><element name="doc"><ref name="item"/></element></define>
        <define name="item"><element name="a"><empty/></element></define></grammar>"#
    );
    let main = format!(
        r#"<grammar {RNG}><include href="base.rng">
        <define name="item"><element name="b"><empty/></element></define></include>
        <define name="item" combine="choice"><element name="c"><empty/></element></define></grammar>"#
    );
    let compiled = compile(&[("main.rng", &main), ("base.rng", &base)]).unwrap();
    let mut names: Vec<String> = compiled
        .elements
        .iter()
        .filter(|e| e.reachable)
        .filter_map(|e| e.nc.single_name())
        .map(|n| compiled.names.local(n).to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["b", "c", "doc"], "the included `a` is overridden, `c` combined in");
}

#[test]
fn incorrect_schemas_are_rejected_with_their_place() {
    let cases: &[(&str, &str, (u32, u32))] = &[
        (
            "is given more than once without a combine",
            r#"<grammar X><start><ref name="a"/></start>
<define name="a"><element name="a"><empty/></element></define>
<define name="a"><element name="b"><empty/></element></define></grammar>"#,
            (3, 1),
        ),
        (
            "reference to undefined pattern \"b\"",
            "<grammar X><start>\n  <ref name=\"b\"/></start></grammar>",
            (2, 3),
        ),
        (
            "recursive without an element",
            r#"<grammar X><start><ref name="a"/></start>
<define name="a"><choice><ref name="a"/><element name="a"><empty/></element></choice></define></grammar>"#,
            (2, 26),
        ),
        (
            "grouped with elements",
            "<element name=\"a\" X>\n<data type=\"token\"/><element name=\"b\"><empty/></element></element>",
            (1, 1),
        ),
        (
            "same attribute can match two attribute patterns",
            "<element name=\"a\" X><attribute name=\"x\"/><attribute name=\"x\"/></element>",
            (1, 1),
        ),
        (
            "both sides of an interleave",
            "<element name=\"a\" X><interleave><element name=\"b\"><empty/></element><element name=\"b\"><text/></element></interleave></element>",
            (1, 1),
        ),
        (
            "must be inside oneOrMore",
            "<element name=\"a\" X><attribute><anyName/></attribute></element>",
            (1, 1),
        ),
        ("not allowed on element", "<element name=\"a\" X foo=\"1\"><empty/></element>", (1, 1)),
        (
            "grammar has no start",
            "<grammar X><define name=\"a\"><empty/></define></grammar>",
            (1, 1),
        ),
        (
            "conflicting ID-types",
            r#"<element name="r" X datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"><choice>
<element name="a"><attribute name="id"><data type="ID"/></attribute></element>
<element name="a"><attribute name="id"><data type="IDREF"/></attribute></element></choice></element>"#,
            (3, 1),
        ),
    ];
    for (expected, text, (line, column)) in cases {
        let text = text.replace(" X", &format!(" {RNG}"));
        let err = compile_err(&[("s.rng", &text)]);
        let found = format!("{} {}", err.message, err.code);
        assert!(
            found.contains(expected) || err.message.contains(expected),
            "{expected}: got {found}"
        );
        assert_eq!((err.line, err.column), (*line, *column), "{expected}: {}", err.message);
    }
}

#[test]
fn remote_hrefs_are_refused() {
    for href in ["http://example.org/x.rng", "https://example.org/x.rng", "ftp://h/x.rng"] {
        let text = format!("<grammar {RNG}><include href=\"{href}\"/></grammar>");
        assert_eq!(compile_err(&[("s.rng", &text)]).code, "teimark::validate::schema-remote-href");
    }
}

/// Reads all events of a document, with each event's position.
fn events(doc: &str) -> Vec<(Kind, String, u32, u32, u64)> {
    let mut names = NameTable::new();
    let mut reader = XmlReader::new(doc.as_bytes(), false, None);
    reader.init(&mut names);
    let mut ev = Event::default();
    let mut out = Vec::new();
    loop {
        reader.next(&mut ev, &mut names).unwrap();
        let what = match ev.kind {
            Kind::Start => ev.qname.clone(),
            Kind::Text => ev.text.clone(),
            _ => String::new(),
        };
        out.push((ev.kind, what, ev.start.line, ev.start.column, ev.start.offset));
        if ev.kind == Kind::Eof {
            return out;
        }
    }
}

#[test]
fn events_know_their_line_column_and_offset() {
    let got = events("<a>\r\n  <b x=\"1\"/>é<c/></a>");
    let starts: Vec<(String, u32, u32, u64)> =
        got.iter().filter(|e| e.0 == Kind::Start).map(|e| (e.1.clone(), e.2, e.3, e.4)).collect();
    assert_eq!(
        starts,
        [("a".to_string(), 1, 1, 0), ("b".to_string(), 2, 3, 7), ("c".to_string(), 2, 14, 19)]
    );
    let texts: Vec<&str> = got.iter().filter(|e| e.0 == Kind::Text).map(|e| e.1.as_str()).collect();
    assert_eq!(texts, ["\n  ", "é"], "CRLF is normalised in text");
}

#[test]
fn attribute_values_are_expanded_and_normalised() {
    let mut names = NameTable::new();
    // `&#38;#38;` is XML's double escape: the declaration leaves `&#38;`, the use `&`.
    let doc = "<!DOCTYPE a [<!ENTITY e \"x&#38;#38;y\">]><a v=\"&e;\tz&#10;\r\nw&lt;\"/>";
    let mut reader = XmlReader::new(doc.as_bytes(), false, None);
    reader.init(&mut names);
    let mut ev = Event::default();
    reader.next(&mut ev, &mut names).unwrap();
    assert_eq!(ev.attrs[0].value, "x&y z\n w<");
}

#[test]
fn broken_doctypes_are_errors_not_panics() {
    for doc in
        ["<!DOCTYPE d [<!ENTITY e SYSTEM é>]><d/>", "<!DOCTYPE d [<!ATTLIST d n CDATA é>]><d/>"]
    {
        let mut names = NameTable::new();
        let mut reader = XmlReader::new(doc.as_bytes(), false, None);
        reader.init(&mut names);
        let err = reader.next(&mut Event::default(), &mut names).expect_err(doc);
        assert_eq!(err.code, super::codes::NOT_WELL_FORMED);
    }
}

#[test]
fn namespaces_are_resolved_and_scoped() {
    let mut names = NameTable::new();
    let doc = "<a xmlns=\"urn:d\" xmlns:p=\"urn:p\"><p:b p:x=\"1\" y=\"2\"/><c xmlns=\"\"/></a>";
    let mut reader = XmlReader::new(doc.as_bytes(), false, None);
    reader.init(&mut names);
    let mut ev = Event::default();
    let mut seen = Vec::new();
    loop {
        reader.next(&mut ev, &mut names).unwrap();
        match ev.kind {
            Kind::Start => {
                let attrs: Vec<String> =
                    ev.attrs.iter().map(|a| format!("{}|{}", names.uri(a.ns), a.local())).collect();
                seen.push(format!("{}|{} {attrs:?}", names.uri(ev.ns), ev.local()));
            }
            Kind::Eof => break,
            _ => {}
        }
    }
    assert_eq!(seen, ["urn:d|a []", "urn:p|b [\"urn:p|x\", \"|y\"]", "|c []"]);
}

#[test]
fn flushing_the_memo_keeps_the_validation_state() {
    let text = format!(
        r#"<element name="a" {RNG}><oneOrMore><element name="b"><optional><attribute name="n"/></optional><text/></element></oneOrMore></element>"#
    );
    let compiled = Arc::new(compile(&[("s.rng", &text)]).unwrap());
    let a = compiled.names.local(0);
    assert!(!a.is_empty());
    let mut names = compiled.names.clone();
    let ns = names.ns("");
    let (na, nb) = (names.name(ns, "a"), names.name(ns, "b"));
    let mut engine = Engine::new(compiled.clone());
    let step = |engine: &mut Engine, p, name| {
        let p = engine.start_tag_open(p, ns, name);
        engine.end_attributes(p)
    };
    let mut p = engine.start();
    p = step(&mut engine, p, na);
    p = step(&mut engine, p, nb);
    p = engine.mixed_text(p);
    engine.flush(&mut p);
    p = engine.end_tag(p);
    assert!(!engine.is_not_allowed(p));
    p = step(&mut engine, p, nb);
    engine.flush(&mut p);
    p = engine.end_tag(p);
    p = engine.end_tag(p);
    assert!(engine.nullable(p), "after </a> the document is complete");
}

proptest::proptest! {
    /// No internal DTD subset makes the declaration reader panic.
    #[test]
    fn dtd_subsets_never_panic(parts in proptest::collection::vec(proptest::sample::select(vec![
        "<!ENTITY ", "% ", "e ", "\"v\"", "'w'", "SYSTEM ", "PUBLIC ", "é", ">", "<!ATTLIST d n CDATA ",
        "#REQUIRED", "#FIXED ", "%e;", "&#38;", "<![INCLUDE[", "]]>", "<!--", "-->", "(a|b)", "NDATA x",
    ]), 0..16)) {
        let text: String = parts.concat();
        struct NoFiles;
        impl super::dtd::Fetch for NoFiles {
            fn fetch(&mut self, _: &str) -> Result<String, String> {
                Err("no files".into())
            }
        }
        let _ = super::dtd::Dtd::default().parse_subset(&text, &mut NoFiles);
    }
}
