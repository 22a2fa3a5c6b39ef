//! The TEI and JSON exports: valid against the official tei_all.rng under
//! jing, and lossless — the JSON text is the source, the string value of
//! TEI `<text>` is the source under the documented whitespace rule.

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use teimark::source::{Encoding, is_xml_forbidden};
use teimark::{Inputs, make_edition};

use crate::support::{jing, repo, tei_all, tei_text_content};

fn make(text: &str) -> teimark::Made {
    let (made, _) = make_edition(
        text.as_bytes(),
        Encoding::Utf8,
        &Inputs { fallback_id: "prop", ..Default::default() },
    );
    made
}

/// The documented rule: a leading BOM removed, XML-forbidden characters left out.
fn expected_tei_text(source: &str) -> String {
    source
        .strip_prefix('\u{FEFF}')
        .unwrap_or(source)
        .chars()
        .filter(|&c| !is_xml_forbidden(c))
        .collect()
}

#[test]
fn seed_edition_is_valid_tei_all() {
    let edition = repo().join("editions/bureaucrats-in-crisis/bureaucrats-in-crisis.tei.xml");
    let errors = jing(&tei_all(), &[edition]);
    assert!(errors.is_empty(), "jing found errors:\n{}", errors.join("\n"));
}

/// The seed's first revision is the transcription as received, byte for
/// byte; the edition is built from its newest revision (edition.toml).
#[test]
fn seed_edition_round_trips() {
    let dir = repo().join("seeds/bureaucrats-in-crisis");
    let received = std::fs::read(dir.join("source.txt")).expect("the seed source");
    let shared = crate::support::shared().join("seeds/000_9958a0c124341cd1.txt");
    assert_eq!(
        received,
        std::fs::read(shared).expect("the shared seed"),
        "source.txt is the seed, byte for byte"
    );
    let config = std::fs::read_to_string(dir.join("edition.toml")).expect("edition.toml");
    let (edition, _) = teimark::edition::parse(&config);
    let newest = edition.and_then(|e| e.source_file().map(str::to_string)).expect("a revision");
    let source = String::from_utf8(std::fs::read(dir.join(newest)).expect("the newest revision"))
        .expect("UTF-8");
    let id = "bureaucrats-in-crisis";
    let json = std::fs::read_to_string(repo().join(format!("editions/{id}/{id}.json")))
        .expect("the JSON edition");
    let (doc, _) = teimark::export::json::parse(&json).expect("the JSON edition parses");
    assert_eq!(doc.text, source, "the JSON text is the source, byte for byte");
    let tei = std::fs::read_to_string(repo().join(format!("editions/{id}/{id}.tei.xml")))
        .expect("the TEI edition");
    assert_eq!(tei_text_content(&tei), expected_tei_text(&source));
}

/// Text built from the pieces essays are made of: titles, datelines,
/// headings, paragraphs with quotes and brackets, multi-paragraph
/// quotations, separators, notes — joined by assorted line breaks.
fn essay_like() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "Stalin",
        "the",
        "workers",
        "1917",
        "“socialism",
        "in",
        "one",
        "country”",
        "(Trotsky)",
        "[1]",
        "‘peaceful’",
        "of",
        "and",
        "Revolution",
        "—",
        "“",
        "”",
        "\"",
        "(",
        ")",
        "[",
        "]",
        "Nos.1-2,",
        "page",
        "22.",
        "1923.",
        "Soviet",
        "* * *",
        "é",
        "😀",
        "\u{a0}",
        "\t",
        "\u{c}",
        "\u{1}",
        "&",
        "<",
        ">",
    ]);
    let line = prop::collection::vec(word, 0..14).prop_map(|w| w.join(" "));
    let fixed = prop::sample::select(vec![
        "Bureaucrats in Crisis".to_string(),
        "(Spring 1955)".to_string(),
        "Stalinism vs. Trotskyism".to_string(),
        "“Between industry and agriculture there is interaction.".to_string(),
        "“The platform excludes the line of an isolated economy.” (Bulletin, Nos.1-2, July 1929, page 22.)".to_string(),
        "“A whole paragraph of quoted words ends here” (Trotsky).".to_string(),
        "* * *".to_string(),
        "Notes".to_string(),
        "[1] A note on the sources.".to_string(),
        "[2] L. Trotsky, “The Third Period,” May 7, 1930, in Writings (New York, 1973), page 27.".to_string(),
        "[3] Coal Age, No. 14, March 3, 1949, page 7; See Ruth M. Alder, The Coal Wars (Chicago, 1951).".to_string(),
        "“The quoted paragraph closes here.” [2]".to_string(),
        "The strike ended (Evening Courier, May 2, 1949).".to_string(),
        "by J. G. Wright".to_string(),
    ]);
    let sep = prop::sample::select(vec![
        "\n", "\n\n", "\r\n\r\n", "\r\r", "\n\n\n\n", " \n \n", "\n\t\n",
    ]);
    prop::collection::vec((prop_oneof![line, fixed], sep), 0..16)
        .prop_map(|parts| parts.into_iter().map(|(l, s)| format!("{l}{s}")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn json_and_tei_keep_any_text(text in "\\PC*|[\\s\\S]{0,300}") {
        let made = make(&text);
        let source = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        prop_assert_eq!(&made.document.text, source);
        let wire: serde_json::Value = serde_json::from_str(&made.json()).expect("the JSON parses");
        prop_assert_eq!(wire["text"].as_str(), Some(source));
        prop_assert_eq!(tei_text_content(&made.tei()), expected_tei_text(&text));
    }

    #[test]
    fn essay_like_texts_round_trip(text in essay_like()) {
        let made = make(&text);
        prop_assert_eq!(&made.document.text, &text);
        prop_assert_eq!(tei_text_content(&made.tei()), expected_tei_text(&text));
        let (doc, _) = teimark::export::json::parse(&made.json()).expect("the JSON reads back");
        prop_assert_eq!(doc.annotations, made.document.annotations);
    }
}

/// Random essay-like texts give TEI that jing accepts (one jing run for all).
/// The texts are drawn from a fixed seed, so CI sees the same 2,000 every
/// run; about one text in 8,000 found a nesting TEI forbids before the
/// resolver learnt the content models (`nested_phrases_…` below). To explore
/// beyond them, `TEIMARK_RANDOM_CASES=20000` draws that many unseeded texts
/// instead (jing takes about a second per thousand).
#[test]
fn random_editions_are_valid_tei_all() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let explore: Option<u32> =
        std::env::var("TEIMARK_RANDOM_CASES").ok().and_then(|v| v.parse().ok());
    let cases = explore.unwrap_or(2000);
    let config = Config { cases, ..Config::default() };
    let mut runner = match explore {
        Some(_) => TestRunner::new(config),
        None => TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha)),
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for i in 0..cases {
        let text = essay_like().new_tree(&mut runner).expect("a value").current();
        let path = tmp.path().join(format!("random-{i}.tei.xml"));
        std::fs::write(&path, make(&text).tei()).expect("write");
        std::fs::write(tmp.path().join(format!("random-{i}.txt")), &text).expect("write");
        files.push(path);
    }
    let errors = jing(&tei_all(), &files);
    assert!(
        errors.is_empty(),
        "jing found errors (sources beside the files in {}):\n{}",
        tmp.keep().display(),
        errors.join("\n")
    );
}

/// The essays the recognisers were not tuned on (tests/data/unseen/) give TEI that jing accepts.
#[test]
fn unseen_essays_are_valid_tei_all() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let mut files: Vec<PathBuf> = Vec::new();
    let dir = repo().join("tests/data/unseen");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data/unseen")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    sources.sort();
    assert!(sources.len() >= 4, "the unseen essays are missing from {}", dir.display());
    for source in sources {
        let text = std::fs::read_to_string(&source).expect("an unseen essay");
        let stem = source.file_stem().expect("a file name").to_string_lossy().into_owned();
        let path = tmp.path().join(format!("{stem}.tei.xml"));
        std::fs::write(&path, make(&text).tei()).expect("write");
        files.push(path);
    }
    let errors = jing(&tei_all(), &files);
    assert!(errors.is_empty(), "jing found errors:\n{}", errors.join("\n"));
}

/// Every phrase-level element teimark writes, nested in every other: what
/// TEI allows is written, what it does not is left out of the TEI (and
/// reported), so jing accepts all of them.
#[test]
fn nested_phrases_follow_the_tei_content_models() {
    use teimark::document::{Annotation, DateValue, Kind, Level, Scope, assemble};
    use teimark::edition::Edition;
    use teimark::entities::register::Register;

    let date =
        || Kind::Date(Box::new(DateValue { when: Some("1929".into()), ..DateValue::default() }));
    let scope = || {
        Kind::BiblScope(Box::new(Scope {
            unit: "page".into(),
            from: Some("2".into()),
            to: Some("2".into()),
        }))
    };
    let phrases: Vec<(&str, Kind)> = vec![
        ("bibl", Kind::Bibl),
        ("title", Kind::Title { reference: None, level: Some(Level::J) }),
        ("persName", Kind::Person { reference: None }),
        ("placeName", Kind::Place { reference: None, adjectival: false }),
        ("orgName", Kind::Org { reference: None, adjectival: false }),
        ("date", date()),
        ("soCalled", Kind::SoCalled),
        ("term", Kind::Term),
        ("quote", Kind::Quote { block: false, speaker: None }),
        ("pc", Kind::Pc),
        ("corr", Kind::Corr { sic: "x".into() }),
        ("biblScope", scope()),
        ("ref", Kind::NoteRef { n: "1".into() }),
    ];
    let text = "aa bb cc dd.";
    let tmp = tempfile::tempdir().expect("a temp dir");
    let mut files = Vec::new();
    let mut dropped = Vec::new();
    for (outer_name, outer) in &phrases {
        for (inner_name, inner) in &phrases {
            let annotations = vec![
                Annotation::new(0..text.len(), Kind::Body, "test"),
                Annotation::new(0..text.len(), Kind::P, "test"),
                Annotation::new(3..8, outer.clone(), "test"),
                Annotation::new(3..5, inner.clone(), "test"),
            ];
            let edition = Edition::untitled("nest", None, None);
            let (document, _) =
                assemble(text.to_string(), annotations, edition, Register::default());
            let (tree, diagnostics) = teimark::document::resolve(&document);
            if diagnostics.iter().any(|d| d.code == "teimark::document::crossing-dropped") {
                dropped.push(format!("{inner_name} in {outer_name}"));
            }
            let path = tmp.path().join(format!("{inner_name}-in-{outer_name}.tei.xml"));
            std::fs::write(&path, teimark::export::tei::to_string(&document, &tree))
                .expect("write");
            files.push(path);
        }
    }
    // What TEI allows is kept.
    for kept in ["persName in bibl", "title in bibl", "biblScope in bibl", "date in bibl"] {
        assert!(!dropped.iter().any(|d| d == kept), "{kept} was left out");
    }
    for left_out in ["biblScope in title", "biblScope in quote", "bibl in persName"] {
        assert!(dropped.iter().any(|d| d == left_out), "{left_out} was written");
    }
    let errors = jing(&tei_all(), &files);
    assert!(
        errors.is_empty(),
        "jing found errors (in {}):\n{}",
        tmp.keep().display(),
        errors.join("\n")
    );
}
