//! RELAX NG validation: agreement with jing on the fixtures, hostile input, positions, API.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use teimark::validate::relaxng::{Options, Outcome, Schema, codes, validate};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    repo().join("tests/data/validate")
}

/// One fixture with jing's verdict, as `cargo xtask expect validate` wrote it.
#[derive(serde::Deserialize)]
struct Case {
    document: String,
    schema: String,
    valid: bool,
    errors: usize,
    jing: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Expected {
    case: Vec<Case>,
}

fn load_schema(path: &Path) -> Schema {
    Schema::load(path).unwrap_or_else(|e| panic!("schema {} does not load: {e}", path.display()))
}

fn validate_file(schema: &Schema, path: &Path) -> Outcome {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = Options { max_errors: 0, ..Options::default() };
    validate(schema, BufReader::new(file), path.parent(), &opts)
}

/// Problems counted the way jing counts errors: it reports a duplicate ID twice.
fn jing_count(outcome: &Outcome) -> usize {
    outcome.problems.len()
        + outcome.problems.iter().filter(|p| p.code == codes::DUPLICATE_ID).count()
}

fn xml_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            xml_files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

#[test]
fn verdicts_and_error_counts_agree_with_jing_on_every_fixture() {
    let text = std::fs::read_to_string(fixtures().join("expected.toml")).unwrap();
    let expected: Expected = toml::from_str(&text).unwrap();
    let mut on_disk = Vec::new();
    xml_files_under(&fixtures(), &mut on_disk);
    assert_eq!(
        on_disk.len(),
        expected.case.len(),
        "fixtures and expected.toml differ; run `cargo xtask expect validate`"
    );
    let mut schemas: HashMap<String, Schema> = HashMap::new();
    let mut disagreements = Vec::new();
    for case in &expected.case {
        let schema = schemas
            .entry(case.schema.clone())
            .or_insert_with(|| load_schema(&repo().join(&case.schema)));
        let outcome = validate_file(schema, &fixtures().join(&case.document));
        let ours = jing_count(&outcome);
        if outcome.is_valid() != case.valid || ours != case.errors {
            let problems: Vec<String> = outcome
                .problems
                .iter()
                .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
                .collect();
            disagreements.push(format!(
                "{}: jing {} error(s) {:?}\n  teimark {ours}: {problems:?}",
                case.document, case.errors, case.jing
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s):\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
