//! RELAX NG validation: agreement with jing on the fixtures, hostile input, positions, API.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use teimark::validate::relaxng::{Options, Outcome, Schema, codes, validate};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    repo().join("tests/data/validate")
}

/// One fixture with jing's verdict, as `cargo xtask expect validate` wrote it.
#[derive(serde::Deserialize)]
struct Case {
    document: String,
    schema: String,
    valid: bool,
    errors: usize,
    jing: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Expected {
    case: Vec<Case>,
}

/// A schema named in expected.toml: relative to the repository, where
/// `../shared/` stands for the shared reference data wherever it is.
fn schema_path(name: &str) -> PathBuf {
    match name.strip_prefix("../shared/") {
        Some(rest) => crate::support::shared().join(rest),
        None => repo().join(name),
    }
}

fn load_schema(path: &Path) -> Schema {
    Schema::load(path).unwrap_or_else(|e| panic!("schema {} does not load: {e}", path.display()))
}

fn validate_file(schema: &Schema, path: &Path) -> Outcome {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = Options { max_errors: 0, ..Options::default() };
    validate(schema, BufReader::new(file), path.parent(), &opts)
}

/// Problems counted the way jing counts errors: it reports a duplicate ID twice.
fn jing_count(outcome: &Outcome) -> usize {
    outcome.problems.len()
        + outcome.problems.iter().filter(|p| p.code == codes::DUPLICATE_ID).count()
}

fn xml_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            xml_files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

#[test]
fn verdicts_and_error_counts_agree_with_jing_on_every_fixture() {
    let text = std::fs::read_to_string(fixtures().join("expected.toml")).unwrap();
    let expected: Expected = toml::from_str(&text).unwrap();
    let mut on_disk = Vec::new();
    xml_files_under(&fixtures(), &mut on_disk);
    assert_eq!(
        on_disk.len(),
        expected.case.len(),
        "fixtures and expected.toml differ; run `cargo xtask expect validate`"
    );
    let mut schemas: HashMap<String, Schema> = HashMap::new();
    let mut disagreements = Vec::new();
    for case in &expected.case {
        let schema = schemas
            .entry(case.schema.clone())
            .or_insert_with(|| load_schema(&schema_path(&case.schema)));
        let outcome = validate_file(schema, &fixtures().join(&case.document));
        let ours = jing_count(&outcome);
        if outcome.is_valid() != case.valid || ours != case.errors {
            let problems: Vec<String> = outcome
                .problems
                .iter()
                .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
                .collect();
            disagreements.push(format!(
                "{}: jing {} error(s) {:?}\n  teimark {ours}: {problems:?}",
                case.document, case.errors, case.jing
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s):\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

fn shared_schema(name: &str) -> PathBuf {
    crate::support::shared().join("reference").join(name)
}

/// Writes files into a fresh temporary folder.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn check_str(schema: &Schema, doc: &str, base: Option<&Path>, opts: &Options) -> Outcome {
    validate(schema, doc.as_bytes(), base, opts)
}

const TINY: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="d"/></start>
  <define name="d">
    <element name="d">
      <optional><attribute name="n"><data type="integer"/></attribute></optional>
      <optional><ref name="d"/></optional>
    </element>
  </define>
</grammar>"#;

fn tiny() -> (tempfile::TempDir, Schema) {
    let dir = folder(&[("tiny.rng", TINY)]);
    let schema = load_schema(&dir.path().join("tiny.rng"));
    (dir, schema)
}

#[test]
fn shared_tei_and_eltec_schemas_load() {
    for name in [
        "tei/tei_all.rng",
        "tei/tei_lite.rng",
        "eltec/eltec-0.rng",
        "eltec/eltec-1.rng",
        "eltec/eltec-2.rng",
        "eltec/eltec-2_strict.rng",
    ] {
        load_schema(&shared_schema(name));
    }
}

#[test]
fn one_schema_validates_many_documents_in_parallel() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Schema>();
    let schema = load_schema(&shared_schema("tei/tei_all.rng"));
    let dir = fixtures().join("tei_all");
    let mut docs: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    docs.sort();
    let sequential: Vec<usize> =
        docs.iter().map(|d| validate_file(&schema, d).problems.len()).collect();
    use rayon::prelude::*;
    let parallel: Vec<usize> =
        docs.par_iter().map(|d| validate_file(&schema, d).problems.len()).collect();
    assert_eq!(sequential, parallel);
    assert!(sequential.iter().any(|&n| n > 0) && sequential.contains(&0));
}

#[test]
fn hundred_thousand_nested_elements_stream_without_recursion() {
    // Test threads have small stacks, so this fails if depth ever becomes recursion.
    let (_dir, schema) = tiny();
    let depth = 100_000;
    let mut doc = "<d>".repeat(depth);
    doc.push_str(&"</d>".repeat(depth));
    let outcome = check_str(&schema, &doc, None, &Options::default());
    assert!(outcome.is_valid(), "{:?}", outcome.problems.first());
    assert_eq!(outcome.elements, depth as u64);

    // An error at the bottom is reported once and the 100,000 end tags recover.
    let mut bad = "<d>".repeat(depth);
    bad.push_str("<e/>");
    bad.push_str(&"</d>".repeat(depth));
    let outcome = check_str(&schema, &bad, None, &Options::default());
    let codes: Vec<&str> = outcome.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, [codes::UNEXPECTED_ELEMENT]);
    assert_eq!(outcome.problems[0].column as usize, 3 * depth + 1);
}

#[test]
fn entity_expansion_bomb_stops_with_a_clear_error() {
    let (_dir, schema) = tiny();
    let mut doc = String::from("<!DOCTYPE d [\n<!ENTITY lol \"lol\">\n");
    let mut prev = "lol".to_string();
    for i in 1..=9 {
        let name = format!("lol{i}");
        doc.push_str(&format!("<!ENTITY {name} \"{}\">\n", format!("&{prev};").repeat(10)));
        prev = name;
    }
    doc.push_str("]>\n<d n=\"1\">&lol9;</d>\n");
    let outcome = check_str(&schema, &doc, None, &Options::default());
    // The schema allows no text in `d`: one problem for the text, then reading stops.
    let codes: Vec<&str> = outcome.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, [codes::UNEXPECTED_TEXT, codes::ENTITY_LIMIT]);
    let p = &outcome.problems[1];
    assert_eq!(p.code, codes::ENTITY_LIMIT);
    assert!(p.message.contains("entity expansion stopped"), "{}", p.message);
    assert_eq!((p.line, p.column), (13, 10));
}

#[test]
fn entities_that_refer_to_themselves_are_refused() {
    let (_dir, schema) = tiny();
    let doc = "<!DOCTYPE d [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><d>&a;</d>";
    let outcome = check_str(&schema, doc, None, &Options::default());
    assert_eq!(outcome.problems[0].code, codes::ENTITY_LIMIT);
    assert!(outcome.problems[0].message.contains("refers to itself"));
}

#[test]
fn external_dtd_is_read_only_when_asked_and_only_from_the_document_folder() {
    let dir = folder(&[
        ("tiny.rng", TINY),
        ("local.dtd", "<!ENTITY num \"42\">\n<!ATTLIST d n CDATA \"7\">\n"),
        ("doc.xml", "<!DOCTYPE d SYSTEM \"local.dtd\">\n<d n=\"&num;\"><d/></d>\n"),
        ("escape.xml", "<!DOCTYPE d SYSTEM \"../outside.dtd\">\n<d/>\n"),
        ("remote.xml", "<!DOCTYPE d SYSTEM \"http://example.org/evil.dtd\">\n<d/>\n"),
    ]);
    let schema = load_schema(&dir.path().join("tiny.rng"));
    let read = |name: &str, dtd: bool| {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        check_str(&schema, &text, Some(dir.path()), &Options { dtd, ..Options::default() })
    };
    let without = read("doc.xml", false);
    assert_eq!(without.problems[0].code, codes::UNDEFINED_ENTITY);
    assert!(without.problems[0].help.as_deref().unwrap_or("").contains("dtd option"));
    let with = read("doc.xml", true);
    assert!(with.is_valid(), "{:?}", with.problems);
    for name in ["escape.xml", "remote.xml"] {
        let outcome = read(name, true);
        assert_eq!(outcome.problems[0].code, codes::DTD_REFUSED, "{name}: {:?}", outcome.problems);
    }
}

#[test]
fn dtd_attribute_defaults_are_validated_like_written_ones() {
    let (_dir, schema) = tiny();
    let doc = "<!DOCTYPE d [<!ATTLIST d n CDATA \"seven\">]>\n<d n=\"1\"><d/></d>";
    let outcome = check_str(&schema, doc, None, &Options::default());
    let codes: Vec<&str> = outcome.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, [codes::INVALID_VALUE], "{:?}", outcome.problems);
    assert_eq!(outcome.problems[0].line, 2);
}

#[test]
fn positions_after_entity_expansion_refer_to_the_file() {
    let (_dir, schema) = tiny();
    // The entity holds markup; the bad element inside it is reported at the reference.
    let doc = "<!DOCTYPE d [<!ENTITY inner \"<d><x/></d>\">]>\n<d>\n  &inner;</d>\n";
    let outcome = check_str(&schema, doc, None, &Options::default());
    assert_eq!(outcome.problems.len(), 1);
    let p = &outcome.problems[0];
    assert_eq!((p.line, p.column), (3, 3));
    assert_eq!(&doc[p.span.start as usize..p.span.end as usize], "&inner;");
}

#[test]
fn spans_cover_the_construct_and_columns_count_characters() {
    let (_dir, schema) = tiny();
    let doc = "<d>\n<d n=\"é\"/></d>";
    let outcome = check_str(&schema, doc, None, &Options::default());
    let p = &outcome.problems[0];
    assert_eq!(p.code, codes::INVALID_VALUE);
    assert_eq!(&doc[p.span.start as usize..p.span.end as usize], "n=\"é\"");
    assert_eq!((p.line, p.column), (2, 4));
    assert!(p.expected.contains(&"integer".to_string()), "{:?}", p.expected);

    let doc = "<d>«é»<d/></d>";
    let outcome = check_str(&schema, doc, None, &Options::default());
    let p = &outcome.problems[0];
    assert_eq!(p.code, codes::UNEXPECTED_TEXT);
    assert_eq!((p.line, p.column), (1, 4));
    let doc = "<d>«é»<x>\n</x></d>";
    let p = &check_str(&schema, doc, None, &Options::default()).problems[1];
    assert_eq!((p.line, p.column), (1, 7));
    assert_eq!(&doc[p.span.start as usize..p.span.end as usize], "<x>");
}

#[test]
fn every_problem_of_a_file_is_reported_in_document_order() {
    let outcome = validate_file(
        &load_schema(&fixtures().join("features/recovery/schema.rng")),
        &fixtures().join("features/recovery/many-errors.xml"),
    );
    let lines: Vec<u32> = outcome.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 7, 8, 9]);
    let codes: Vec<&str> = outcome.problems.iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        [
            codes::UNEXPECTED_ELEMENT,
            codes::MISSING_ATTRIBUTE,
            codes::MISSING_CONTENT,
            codes::UNEXPECTED_ELEMENT,
            codes::MISSING_ATTRIBUTE,
            codes::UNEXPECTED_ATTRIBUTE,
            codes::UNEXPECTED_TEXT
        ]
    );
}

#[test]
fn max_errors_stops_reporting() {
    let (_dir, schema) = tiny();
    let doc = format!("<d>{}</d>", "<x/>".repeat(50));
    let all = check_str(&schema, &doc, None, &Options { max_errors: 0, ..Options::default() });
    let some = check_str(&schema, &doc, None, &Options { max_errors: 3, ..Options::default() });
    assert!(all.problems.len() > 3 && !all.truncated);
    assert_eq!(some.problems.len(), 3);
    assert!(some.truncated);
}

#[test]
fn malformed_and_unsupported_input_is_reported_not_obeyed() {
    let (_dir, schema) = tiny();
    let cases: &[(&[u8], &str, (u32, u32))] = &[
        (b"<d><d></x></d>", codes::NOT_WELL_FORMED, (1, 7)),
        (b"<d>\n<d>", codes::NOT_WELL_FORMED, (2, 4)),
        (b"<d/><d/>", codes::NOT_WELL_FORMED, (1, 5)),
        (b"<d a='1' a='2'/>", codes::NOT_WELL_FORMED, (1, 1)),
        (b"<p:d/>", codes::NOT_WELL_FORMED, (1, 1)),
        (b"<d>&nope;</d>", codes::UNDEFINED_ENTITY, (1, 4)),
        (b"<?xml version='1.0' encoding='ISO-8859-1'?><d/>", codes::UNSUPPORTED_ENCODING, (1, 1)),
        (b"\xff\xfe<\x00d\x00/\x00>\x00", codes::UNSUPPORTED_ENCODING, (1, 1)),
    ];
    for (doc, code, (line, column)) in cases {
        let outcome = validate(&schema, *doc, None, &Options::default());
        let p = outcome
            .problems
            .last()
            .unwrap_or_else(|| panic!("{:?} accepted", String::from_utf8_lossy(doc)));
        assert_eq!(
            (p.code, p.line, p.column),
            (*code, *line, *column),
            "{:?}: {}",
            String::from_utf8_lossy(doc),
            p.message
        );
    }
}

#[test]
fn schema_errors_name_the_file_line_and_column() {
    let dir = folder(&[
        (
            "bad.rng",
            "<element name=\"a\" xmlns=\"http://relaxng.org/ns/structure/1.0\">\n  <oneOrMore/>\n</element>",
        ),
        (
            "remote.rng",
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n<include href=\"https://example.org/x.rng\"/>\n</grammar>",
        ),
        (
            "type.rng",
            "<element name=\"a\" xmlns=\"http://relaxng.org/ns/structure/1.0\" datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n<data type=\"dat\"/></element>",
        ),
        (
            "override.rng",
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n<include href=\"base.rng\"><define name=\"missing\"><empty/></define></include>\n</grammar>",
        ),
        (
            "base.rng",
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"><start><element name=\"a\"><empty/></element></start></grammar>",
        ),
    ]);
    let err = |name: &str| Schema::load(&dir.path().join(name)).expect_err(name);
    let e = err("bad.rng");
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(e.path, dir.path().join("bad.rng"));
    assert!(e.message.contains("oneOrMore needs at least one pattern"), "{}", e.message);
    let e = err("remote.rng");
    assert_eq!(e.code, "teimark::validate::schema-remote-href");
    assert_eq!(e.line, 2);
    let e = err("type.rng");
    assert_eq!(e.code, "teimark::validate::schema-datatype");
    assert!(e.message.contains("\"dat\""), "{}", e.message);
    let e = err("override.rng");
    assert!(e.message.contains("no such define"), "{}", e.message);
    assert!(err("nonexistent.rng").message.contains("cannot read"));
}

/// Renders a fixture's problems as users see them (miette, unicode, no colour, width 80).
fn render(schema: &Path, document: &str) -> String {
    use teimark::diag::Located;
    let schema = load_schema(schema);
    let path = fixtures().join(document);
    let text: std::sync::Arc<str> = std::fs::read_to_string(&path).unwrap().into();
    let outcome = validate_file(&schema, &path);
    crate::support::render_plain(
        outcome.problems.iter().map(|p| Located::new(p.to_diagnostic(), document, text.clone())),
    )
}

#[test]
fn rendered_diagnostics_of_a_tei_document_with_several_errors() {
    insta::assert_snapshot!(render(
        &shared_schema("tei/tei_all.rng"),
        "tei_all/several-errors.xml"
    ));
}

#[test]
fn rendered_diagnostics_after_recovery() {
    insta::assert_snapshot!(render(
        &fixtures().join("features/recovery/schema.rng"),
        "features/recovery/many-errors.xml"
    ));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Whatever the bytes, validation returns problems whose spans lie in the input and whose
    /// positions are 1-based; it never panics.
    #[test]
    fn arbitrary_input_gives_problems_inside_the_input(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<d>", "</d>", "<d/>", "<d n=\"1\">", "<d n='x'>", "<e>", "</e>", "text", " ", "\n",
                "&amp;", "&x;", "<!-- c -->", "<?pi x?>", "<![CDATA[c]]>", "é", "<", ">", "&", "\"",
                "<!DOCTYPE d [<!ENTITY x \"<d/>\">]>", "\r\n", "xmlns:p=\"u\"", "<p:d>",
            ]),
            0..24,
        )
    ) {
        let (_dir, schema) = tiny();
        let doc: String = parts.concat();
        let outcome = check_str(&schema, &doc, None, &Options::default());
        for p in &outcome.problems {
            proptest::prop_assert!(p.span.start <= p.span.end && p.span.end <= doc.len() as u64, "{:?} in {:?}", p, doc);
            proptest::prop_assert!(p.line >= 1 && p.column >= 1);
            proptest::prop_assert!(!p.message.is_empty() && !p.message.ends_with('.'));
        }
    }
}
