//! Every diagnostic code has a rendered-output snapshot (what users see).
//!
//! Each folder of tests/data/diagnostics/ is named after a code
//! (`validate.schema-syntax` is `teimark::validate::schema-syntax`) and holds
//! the input that brings it about plus an `args` file: the command line, one
//! argument per line. The test runs teimark on a copy of the folder and
//! snapshots exit code, stdout and stderr. Codes that only a caller of the
//! library can meet are rendered from the library below. A further test
//! fails when a code of the catalogue has no snapshot anywhere.
//!
//! Add a case: make the folder, run `INSTA_UPDATE=always cargo test --test it
//! diagnostics` (`TEIMARK_DIAGNOSTICS=validate.` runs only the folders whose
//! names start so), read the new `.snap` file and commit both.

use std::path::{Path, PathBuf};

use crate::support::{repo, run_in};

/// Codes no test can bring about, and why.
const UNREACHABLE: &[(&str, &str)] = &[
    ("teimark::build::threads", "only when the operating system refuses to start a thread"),
    ("teimark::build::internal-error", "only on a bug: a panic caught while building one source"),
    ("teimark::diff::input-too-large", "only for a revision of 4 GiB or more"),
    (
        "teimark::validate::io",
        "only when reading a document of over 64 MiB fails halfway (a failing disk or mount)",
    ),
];

fn cases() -> Vec<PathBuf> {
    let dir = repo().join("tests/data/diagnostics");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a fixture folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

/// The code a fixture folder is named after.
fn code_of(case: &Path) -> String {
    let name = case.file_name().expect("a folder name").to_string_lossy();
    let (stage, rest) = name.split_once('.').expect("folder names are `stage.name`");
    format!("teimark::{stage}::{rest}")
}

#[test]
fn each_case_renders_its_code() {
    let only = std::env::var("TEIMARK_DIAGNOSTICS").unwrap_or_default();
    let cases: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|c| c.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&only)))
        .collect();
    assert!(!cases.is_empty(), "no case in tests/data/diagnostics matches {only:?}");
    // `validate` ends with the time it took.
    let time = regex::Regex::new(r"in [0-9]+\.[0-9]+ s").expect("a valid pattern");
    for case in cases {
        let tmp = tempfile::tempdir().expect("a temp dir");
        copy_dir(&case, tmp.path());
        let args_file = tmp.path().join("args");
        let args = std::fs::read_to_string(&args_file)
            .unwrap_or_else(|e| panic!("{}: {e}", case.join("args").display()));
        std::fs::remove_file(&args_file).expect("the copy of args");
        let args: Vec<&str> = args.lines().filter(|l| !l.is_empty()).collect();
        let (code, stdout, stderr) = run_in(tmp.path(), &args);
        let place = tmp.path().to_string_lossy().into_owned();
        let rendered = format!(
            "$ teimark {}\nexit code: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            args.join(" ")
        )
        .replace(&place, "<dir>");
        let rendered = time.replace_all(&rendered, "in [time] s");
        let expected = code_of(&case);
        assert!(
            rendered.contains(&expected),
            "{}: the output does not show {expected}:\n{rendered}",
            case.display()
        );
        let name = case.file_name().expect("a folder name").to_string_lossy().into_owned();
        insta::assert_snapshot!(name, rendered);
    }
}

fn render(diagnostics: Vec<teimark::diag::Diagnostic>, text: &str) -> String {
    crate::support::render_plain(
        diagnostics.into_iter().map(|d| teimark::diag::Located::new(d, "text", text.into())),
    )
}

/// Codes only a caller of the library meets (or the command line only with
/// inputs too large for a fixture).
#[test]
fn library_only_codes() {
    use teimark::document::{Annotation, Kind, Level, Scope, assemble};
    let edition = || teimark::edition::Edition::untitled("t", None, None);
    let register = teimark::entities::register::Register::default;

    // Annotations that do not fit the text.
    let text = "’x";
    let (_, diagnostics) = assemble(
        text.to_string(),
        vec![Annotation::new(1..2, Kind::P, "caller"), Annotation::new(0..9, Kind::P, "caller")],
        edition(),
        register(),
    );
    insta::assert_snapshot!("document.bad-range", render(diagnostics, text));

    // An element TEI does not allow where it stands: a page number inside
    // a title.
    let text = "See Coal Age page 7 for the figures.";
    let scope = Scope { unit: "page".into(), from: Some("7".into()), to: Some("7".into()) };
    let (document, _) = assemble(
        text.to_string(),
        vec![
            Annotation::new(0..text.len(), Kind::Body, "caller"),
            Annotation::new(0..text.len(), Kind::P, "caller"),
            Annotation::new(
                4..19,
                Kind::Title { reference: None, level: Some(Level::J) },
                "caller",
            ),
            Annotation::new(13..19, Kind::BiblScope(Box::new(scope)), "caller"),
        ],
        edition(),
        register(),
    );
    let (_, diagnostics) = teimark::document::resolve(&document);
    insta::assert_snapshot!("document.crossing-dropped", render(diagnostics, text));

    // Two revisions too far apart for an exact alignment within the budget
    // (20,000 cells per character: texts of some 100,000 characters that
    // share nothing).
    let earlier: String = (0..60_000u32).map(|i| ['a', 'b', 'c'][(i * 7 % 3) as usize]).collect();
    let later: String = (0..60_000u32).map(|i| ['x', 'y', 'z'][(i * i % 3) as usize]).collect();
    let (_, diagnostics, _) = teimark::diff::corrections::corrections(&earlier, &later);
    insta::assert_snapshot!("revision.approximate", render(diagnostics, ""));
}

#[test]
fn every_code_has_a_rendered_snapshot() {
    let dir = repo().join("tests/it/snapshots");
    let snapshots: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/it/snapshots")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "snap"))
        .map(|p| std::fs::read_to_string(p).expect("a snapshot"))
        .collect();
    let missing: Vec<String> = teimark::catalogue::entries()
        .into_iter()
        .map(|e| e.code)
        .filter(|code| !UNREACHABLE.iter().any(|(c, _)| c == code))
        .filter(|code| !snapshots.iter().any(|s| s.contains(code)))
        .map(str::to_string)
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a rendered snapshot (add a folder to tests/data/diagnostics/):\n{}",
        missing.join("\n")
    );
    for (code, _) in UNREACHABLE {
        assert!(teimark::catalogue::find(code).is_some(), "{code} is no longer in the catalogue");
    }
}
