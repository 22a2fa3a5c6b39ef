//! The command line on bad input: every case gets a clear diagnostic and
//! exit code 2; the rendered messages are snapshots (what users see).

use crate::support::{repo, run_in};

/// Runs `teimark` in tests/data/bad and renders exit code and stderr.
fn check(args: &[&str]) -> String {
    let dir = repo().join("tests/data/bad");
    let (code, stdout, stderr) = run_in(&dir, args);
    assert_eq!(code, 2, "bad input must exit with 2; stderr:\n{stderr}");
    assert!(stdout.is_empty(), "no output may be written for bad input, got:\n{stdout}");
    format!("exit code: {code}\n{stderr}")
}

#[test]
fn empty_file() {
    insta::assert_snapshot!(check(&["edition", "empty.txt"]));
}

#[test]
fn binary_file() {
    insta::assert_snapshot!(check(&["edition", "binary.txt"]));
}

#[test]
fn invalid_utf8() {
    insta::assert_snapshot!(check(&["edition", "latin1.txt"]));
}

#[test]
fn invalid_utf8_reads_with_an_encoding() {
    let dir = repo().join("tests/data/bad");
    let (code, stdout, stderr) =
        run_in(&dir, &["edition", "latin1.txt", "--encoding", "latin1", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Bürokratie"), "latin1 bytes decode to ü: {stdout}");
}

#[test]
fn missing_file() {
    insta::assert_snapshot!(check(&["edition", "no-such-file.txt"]));
}

#[test]
fn edition_toml_missing_key() {
    insta::assert_snapshot!(check(&["edition", "missing-key/source.txt"]));
}

#[test]
fn edition_toml_unknown_key() {
    insta::assert_snapshot!(check(&["edition", "unknown-key/source.txt"]));
}

#[test]
fn edition_toml_wrong_type() {
    insta::assert_snapshot!(check(&["edition", "wrong-type/source.txt"]));
}

#[test]
fn edition_toml_syntax_error() {
    insta::assert_snapshot!(check(&["edition", "toml-syntax/source.txt"]));
}

#[test]
fn register_toml_bad_ids() {
    insta::assert_snapshot!(check(&["edition", "bad-register/source.txt"]));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let (code, _, stderr) = run_in(&repo(), &["frobnicate"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unrecognized subcommand"), "{stderr}");
}

#[test]
fn output_is_written_atomically_and_replaces_the_old_file() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = tmp.path().join("out.json");
    std::fs::write(&out, "old").expect("write");
    let src = repo().join("tests/data/good/short-essay/source.txt");
    let (code, _, stderr) = run_in(
        tmp.path(),
        &["edition", src.to_str().unwrap_or_default(), "-f", "json", "-o", "out.json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let written = std::fs::read_to_string(&out).expect("read");
    assert!(written.starts_with('{') && written.contains("\"format\": \"teimark-document/1\""));
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files are left behind");
}

#[test]
fn candidates_are_printed_as_toml_for_the_register() {
    let dir = repo().join("tests/data/good/candidates");
    let (code, stdout, stderr) = run_in(&dir, &["candidates", "essay.txt"]);
    assert_eq!(code, 0, "{stderr}");
    let parsed: toml::Table = toml::from_str(&stdout).expect("the candidates are valid TOML");
    assert!(parsed.contains_key("person"), "{stdout}");
    insta::assert_snapshot!(stdout);
}
