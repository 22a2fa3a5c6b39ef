//! `rebase` under random OCR-like edits: every span that survives lands on
//! its text (or is flagged as changed), every lost one is reported.

use proptest::prelude::*;
use teimark::diff::rebase::{Fate, rebase};
use teimark::document::{Annotation, Kind, assemble};
use teimark::edition::Edition;
use teimark::entities::register::Register;

use crate::support::{repo, run_in};

/// One edit at a position given as a fraction of the text.
#[derive(Debug, Clone)]
enum Edit {
    Insert(f64, String),
    Delete(f64, usize),
    Substitute(f64, usize, String),
}

fn words() -> impl Strategy<Value = Vec<String>> {
    let word = prop::sample::select(vec![
        "Stalin",
        "Malenkov’s",
        "the",
        "Soviet",
        "bureaucracy",
        "rn",
        "m",
        "cl",
        "d",
        "1917",
        "“realism”",
        "é",
        "—",
        "in",
        "of",
        "a",
        "aa",
        "Zhukov",
    ]);
    prop::collection::vec(word.prop_map(str::to_string), 1..60)
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let piece =
        prop::sample::select(vec!["m", "rn", "e", "c", "’", "'", " ", "\n", "ab", "Stalin", "é"])
            .prop_map(str::to_string);
    let edit = prop_oneof![
        (0.0..1.0f64, piece.clone()).prop_map(|(p, s)| Edit::Insert(p, s)),
        (0.0..1.0f64, 1..6usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        (0.0..1.0f64, 1..4usize, piece).prop_map(|(p, n, s)| Edit::Substitute(p, n, s)),
    ];
    prop::collection::vec(edit, 0..8)
}

/// Applies the edits at char positions.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let at = |p: f64, len: usize| ((p * len as f64) as usize).min(len);
        match e {
            Edit::Insert(p, s) => {
                let i = at(*p, chars.len());
                chars.splice(i..i, s.chars());
            }
            Edit::Delete(p, n) => {
                let i = at(*p, chars.len());
                let j = (i + n).min(chars.len());
                chars.drain(i..j);
            }
            Edit::Substitute(p, n, s) => {
                let i = at(*p, chars.len());
                let j = (i + n).min(chars.len());
                chars.splice(i..j, s.chars());
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn surviving_spans_land_on_their_text_and_lost_ones_are_reported(
        words in words(),
        picks in prop::collection::vec((0usize..60, 1usize..4), 0..12),
        edits in edits(),
    ) {
        let text = words.join(" ");
        // Spans over runs of whole words.
        let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices(' ').map(|(i, _)| i + 1)).collect();
        let mut annotations = Vec::new();
        for (first, len) in picks {
            let first = first % starts.len();
            let last = (first + len).min(starts.len());
            let end = starts.get(last).map_or(text.len(), |s| s - 1);
            annotations.push(Annotation::new(starts[first]..end, Kind::Person { reference: None }, "test"));
        }
        let (doc, _) = assemble(text.clone(), annotations, Edition::untitled("p", None, None), Register::default());
        let revised = apply(&text, &edits);
        let rebased = rebase(&doc, &revised);

        prop_assert_eq!(rebased.moves.len(), doc.annotations.len(), "one move per annotation");
        let [kept, shifted, changed, lost] = rebased.summary();
        prop_assert_eq!(rebased.document.annotations.len(), kept + shifted + changed, "lost spans are left out, all others kept");
        for m in &rebased.moves {
            let old_text = &doc.text[m.old.clone()];
            match (m.fate, &m.new) {
                (Fate::Kept, Some(new)) => {
                    prop_assert_eq!(new, &m.old);
                    prop_assert_eq!(&revised[new.clone()], old_text);
                }
                (Fate::Shifted, Some(new)) => prop_assert_eq!(&revised[new.clone()], old_text),
                (Fate::Changed, Some(new)) => {
                    prop_assert!(revised.is_char_boundary(new.start) && revised.is_char_boundary(new.end));
                    prop_assert_ne!(&revised[new.clone()], old_text);
                }
                (Fate::Lost, None) => prop_assert!(!old_text.is_empty()),
                (fate, new) => prop_assert!(false, "inconsistent move {fate:?} {new:?}"),
            }
        }
        if lost > 0 {
            prop_assert!(rebased.needs_review());
        }
        // Unedited text keeps every span where it was.
        if edits.is_empty() {
            prop_assert_eq!(kept, doc.annotations.len());
        }
    }
}

#[test]
fn the_cli_reports_and_fails_under_strict() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let edition = repo().join("editions/bureaucrats-in-crisis/bureaucrats-in-crisis.json");
    let received = repo().join("seeds/bureaucrats-in-crisis/source.txt");
    let out = tmp.path().join("rebased.json");
    let args = [
        "rebase",
        edition.to_str().unwrap_or(""),
        received.to_str().unwrap_or(""),
        "-o",
        out.to_str().unwrap_or(""),
        "--strict",
    ];
    let (code, _, stderr) = run_in(tmp.path(), &args);
    assert_eq!(code, 1, "the corrections changed spans, so --strict fails:\n{stderr}");
    assert!(stderr.contains("0 lost"), "{stderr}");
    assert!(stderr.contains("corr \"Czarist\" → \"Czarst\""), "{stderr}");
    let json = std::fs::read_to_string(&out).expect("the rebased edition");
    let (doc, _) = teimark::export::json::parse(&json).expect("it reads back");
    assert_eq!(doc.text, std::fs::read_to_string(&received).expect("the seed"));
}
