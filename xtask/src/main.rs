//! Project chores: code generation, benchmarks, agreement runs.
//!
//! `cargo xtask codegen` rewrites the generated files in `schema/`;
//! `man` writes man pages; `bench`, `agree`, `expect` and `spectest`
//! measure teimark against its targets and against the peer tools.

mod bench;
mod build_bench;
mod codegen;
mod diff;
mod man;
mod validate;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  codegen                     regenerate schema/*.json from the Rust types
  man [DIR]                   man pages from the command-line definitions (default target/man/)
  bench markup [--mb N]       markup throughput and peak memory on the seed repeated to 50 MB
  bench validate              teimark, jing and xmllint: time, MB/s, peak memory
  bench build [--sources N]   teimark build over N sources varied from the seed (default 1000), 1 and 2 threads
  agree validate              teimark and jing side by side on the ELTeC corpus
  expect validate             rerun jing on tests/data/validate and rewrite expected.toml
  spectest validate [FILE]    James Clark's RELAX NG test suite
  validate-files SCHEMA FILE… validate files with teimark's engine (used by bench validate)
  bench diff [--quick]        teimark, dinglehopper and difflib on OCR pairs: time, memory, ratios
  agree diff [--fresh]        CER/WER beside dinglehopper's on ../shared/corpus/ocr
  agree diff --fixtures       the same on tests/data/diff (rewrites the expected numbers with --fresh)
  gen-diff-tables             regenerate the Unicode tables of the diff normaliser
  gen-diff-schema             regenerate schema/diff.schema.json";

/// The shared reference data and corpora: `$TEIMARK_SHARED`, else the first
/// `shared/` folder beside the repository or one of its ancestors (a checkout
/// normally sits next to it, as `../shared`).
pub fn shared() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("TEIMARK_SHARED") {
        return dir.into();
    }
    let repo = repo();
    repo.ancestors()
        .map(|at| at.join("shared"))
        .find(|candidate| candidate.join("reference/tei/tei_all.rng").is_file())
        .unwrap_or_else(|| repo.join("../shared"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str);
    let what = args.get(1).map(String::as_str);
    let code = |c: i32| ExitCode::from(u8::try_from(c).unwrap_or(1));
    match (task, what) {
        (Some("codegen"), _) => finish(codegen::run()),
        (Some("bench"), Some("validate")) => code(validate::bench(&args[2..])),
        (Some("bench"), Some("build")) => finish(build_bench::run(&args[2..])),
        (Some("man"), _) => finish(man::run(&args[1..])),
        (Some("bench"), Some("diff")) => finish(diff::bench(args.iter().any(|a| a == "--quick"))),
        (Some("agree"), Some("diff")) if args.iter().any(|a| a == "--fixtures") => {
            finish(diff::fixtures(args.iter().any(|a| a == "--fresh")))
        }
        (Some("agree"), Some("diff")) => finish(diff::agree(args.iter().any(|a| a == "--fresh"))),
        (Some("gen-diff-tables"), _) => finish(diff::gen_tables()),
        (Some("gen-diff-schema"), _) => finish(diff::gen_schema()),
        (Some("bench"), _) => finish(bench::run(&args[1..])),
        (Some("agree"), Some("validate")) => code(validate::agree(&args[2..])),
        (Some("expect"), Some("validate")) => code(validate::expect(&args[2..])),
        (Some("spectest"), Some("validate")) => code(validate::spectest(&args[2..])),
        (Some("validate-files"), _) => code(validate::run(&args[1..])),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of the xtask crate).
pub fn repo() -> std::path::PathBuf {
    let here = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(std::path::Path::to_path_buf).unwrap_or(here)
}

/// Builds the release binary and returns its path.
pub fn release_binary() -> Result<std::path::PathBuf, String> {
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
            .args(["build", "--quiet", "--release", "--package", "teimark", "--bin", "teimark"])
            .current_dir(repo())
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".to_string());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    Ok(target.join("release/teimark"))
}
