//! The edition rules, each through `check(document, expected findings)`.

use super::{RuleSet, check as run};

/// Runs every rule on `doc` (wrapped in a TEI root) and compares `code line:column` of
/// the findings with `expected`.
fn check(body: &str, expected: &[&str]) {
    let doc = format!("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n{body}\n</TEI>");
    let found: Vec<String> = run(doc.as_bytes(), &RuleSet::all())
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f.diagnostic.code.trim_start_matches("teimark::rules::"),
                f.line,
                f.column
            )
        })
        .collect();
    assert_eq!(found, expected, "in:\n{doc}");
}

#[test]
fn placeholder() {
    check("<p/>", &[]);
}
