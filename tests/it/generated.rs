//! Generated artefacts committed to the repository (schema/, editions/) must
//! be what the code generates now; a stale file fails with a diff and the
//! command that regenerates it.

use std::path::Path;

use crate::support::{repo, run_in};

/// Compares a committed file with what was generated; panics with a unified
/// diff (at most 100 lines) and the regenerating command when they differ.
fn ensure(committed: &Path, generated: &str, command: &str) {
    let old = std::fs::read_to_string(committed).unwrap_or_default();
    if old == generated {
        return;
    }
    let diff = similar::TextDiff::from_lines(&old, generated);
    let rendered =
        diff.unified_diff().context_radius(2).header("committed", "generated").to_string();
    let mut lines: Vec<&str> = rendered.lines().take(100).collect();
    if rendered.lines().count() > 100 {
        lines.push("… (diff cut at 100 lines)");
    }
    panic!(
        "{} is stale:\n{}\n\nregenerate it with: {command}",
        committed.display(),
        lines.join("\n")
    );
}

#[test]
fn schemas_are_fresh() {
    for (name, content) in teimark::generated_schemas() {
        ensure(&repo().join("schema").join(name), &content, "cargo xtask codegen");
    }
}

#[test]
fn editions_are_fresh() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = tmp.path().to_str().expect("a UTF-8 temp path");
    let (code, _, stderr) = run_in(&repo(), &["build", "--out", out]);
    assert_eq!(code, 0, "teimark build failed:\n{stderr}");
    let committed = repo().join("editions");
    let mut generated_files = files_under(tmp.path());
    let mut committed_files = files_under(&committed);
    generated_files.sort();
    committed_files.sort();
    assert_eq!(
        committed_files, generated_files,
        "editions/ holds other files than `teimark build` writes; regenerate with: cargo run --release -- build --force"
    );
    for rel in generated_files {
        let generated =
            std::fs::read_to_string(tmp.path().join(&rel)).expect("read a generated file");
        ensure(&committed.join(&rel), &generated, "cargo run --release -- build --force");
    }
}

/// Relative paths of all files under a folder.
fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out
}
