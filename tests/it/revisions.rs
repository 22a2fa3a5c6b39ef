//! Revisions of an edition: the proof-read revision's corrections, and
//! `teimark diff` on two editions (the markup diff beside the text diff).

use crate::support::{repo, run_in};

#[test]
fn two_editions_are_compared_text_and_markup() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let seed = repo().join("seeds/bureaucrats-in-crisis");
    // The same edition made from the transcription as received and from
    // the proof-read revision.
    for (name, file) in [("received.json", "source.txt"), ("corrected.json", "corrected.txt")] {
        let source = seed.join(file);
        let out = tmp.path().join(name);
        let (code, _, stderr) = run_in(
            tmp.path(),
            &[
                "edition",
                source.to_str().unwrap_or(""),
                "-f",
                "json",
                "-o",
                out.to_str().unwrap_or(""),
            ],
        );
        assert_eq!(code, 0, "{stderr}");
    }
    let (code, stdout, stderr) = run_in(tmp.path(), &["diff", "received.json", "corrected.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("{+Czarist+}"), "the text diff shows the correction:\n{stdout}");
    // The corrected edition marks its six corrections; the received one has none.
    assert!(stdout.contains("6 added"), "{stdout}");
    assert!(stdout.contains("+ ") && stdout.contains("corr \"Czarist\" [sic=Czarst]"), "{stdout}");
    let (code, json, stderr) =
        run_in(tmp.path(), &["diff", "received.json", "corrected.json", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let changes = report["markup"]["changes"].as_array().expect("markup changes");
    assert_eq!(changes.iter().filter(|c| c["compared"]["type"] == "corr").count(), 6);
    // Both were made with the same edition.toml: the headers agree.
    assert_eq!(report["markup"]["header"].as_array().map(Vec::len), Some(0));
}

#[test]
fn an_edition_and_a_plain_text_are_not_compared() {
    let edition = repo().join("editions/bureaucrats-in-crisis/bureaucrats-in-crisis.json");
    let text = repo().join("seeds/bureaucrats-in-crisis/corrected.txt");
    let (code, _, stderr) =
        run_in(&repo(), &["diff", edition.to_str().unwrap_or(""), text.to_str().unwrap_or("")]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("teimark::diff::mixed-inputs"), "{stderr}");
}

#[test]
fn the_seed_edition_marks_its_corrections() {
    let tei = std::fs::read_to_string(
        repo().join("editions/bureaucrats-in-crisis/bureaucrats-in-crisis.tei.xml"),
    )
    .expect("the TEI edition");
    assert_eq!(tei.matches("<choice><sic>").count(), 6);
    assert!(tei.contains("<choice><sic>Czarst</sic><corr"));
    assert_eq!(tei.matches("<change when=").count(), 2, "revisionDesc records both revisions");
    let report = std::fs::read_to_string(
        repo().join("editions/bureaucrats-in-crisis/bureaucrats-in-crisis.diff.json"),
    )
    .expect("the revisions' diff report");
    let report: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    assert_eq!(report["reference"]["name"], "source.txt");
    assert_eq!(report["compared"]["name"], "corrected.txt");
}
