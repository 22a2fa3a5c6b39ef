//! The catalogue against the sources: every code string in `src/` is listed, and every
//! listed code is used.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{STAGES, entries, find, markdown, stage};

/// Every `"teimark::<stage>::<name>"` string literal in the Rust files under `src/`
/// (unit tests and this catalogue left out), with the first file and line it is in.
fn code_strings() -> Vec<(String, String)> {
    let pattern = regex::Regex::new(r#""(teimark::[a-z0-9-]+::[a-z0-9-]+)""#).unwrap();
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "tests.rs" || file.ends_with("src/catalogue.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            for c in pattern.captures_iter(line) {
                if seen.insert(c[1].to_string()) {
                    found.push((c[1].to_string(), format!("{}:{}", file.display(), i + 1)));
                }
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_code_in_the_sources_is_in_the_catalogue() {
    let missing: Vec<String> = code_strings()
        .into_iter()
        .filter(|(code, _)| find(code).is_none())
        .map(|(code, at)| format!("{code} (first at {at})"))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from src/catalogue.rs (add each with its severity and a summary, then run `cargo xtask codegen`):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_catalogued_code_is_used_in_the_sources() {
    let used: BTreeSet<String> = code_strings().into_iter().map(|(c, _)| c).collect();
    let stale: Vec<&str> =
        entries().iter().map(|e| e.code).filter(|c| !used.contains(*c)).collect();
    assert!(stale.is_empty(), "catalogued codes no longer used anywhere in src/: {stale:?}");
}

#[test]
fn codes_are_unique_and_in_known_stages() {
    let all = entries();
    let unique: BTreeSet<&str> = all.iter().map(|e| e.code).collect();
    assert_eq!(unique.len(), all.len(), "a code is listed twice");
    for e in &all {
        assert!(STAGES.iter().any(|(s, _)| *s == stage(e.code)), "{} has no stage", e.code);
        assert!(!e.summary.ends_with('.'), "{}: summaries end without a dot", e.code);
    }
}

#[test]
fn markdown_lists_every_code_and_the_rule_documentation() {
    let md = markdown();
    for e in entries() {
        assert!(md.contains(&format!("| `{}` |", e.code)), "{} is not in the table", e.code);
    }
    assert!(md.contains("### `teimark::rules::dangling-reference`"));
    assert!(md.contains("#### What it does"));
    assert!(md.contains("#### Why"));
    assert!(md.contains("#### Example"));
}
