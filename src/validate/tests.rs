//! Engine problems and rule findings together: what the engine reports, a rule does not
//! report again.

use super::relaxng::{Options, Schema, validate};
use super::rules::{self, RuleSet};
use super::{findings, rules_apply};

/// A schema for `<doc>` holding `<item>`s whose `xml:id` and `xml:lang` are typed
/// (`typed`) or plain text.
fn schema(typed: bool) -> (tempfile::TempDir, Schema) {
    let (id, lang) = if typed {
        (r#"<data type="ID"/>"#, r#"<data type="language"/>"#)
    } else {
        ("<text/>", "<text/>")
    };
    let rng = format!(
        r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <zeroOrMore><element name="item">
    <optional><attribute name="xml:id" ns="http://www.w3.org/XML/1998/namespace">{id}</attribute></optional>
    <optional><attribute name="xml:lang" ns="http://www.w3.org/XML/1998/namespace">{lang}</attribute></optional>
    <text/>
  </element></zeroOrMore>
</element>"#
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.rng");
    std::fs::write(&path, rng).unwrap();
    let schema = Schema::load(&path).unwrap();
    (dir, schema)
}

fn codes(typed: bool, doc: &str) -> Vec<&'static str> {
    let (_dir, schema) = schema(typed);
    let outcome = validate(&schema, doc.as_bytes(), None, &Options::default());
    assert!(rules_apply(&outcome));
    let found = findings(&outcome, rules::check(doc.as_bytes(), &RuleSet::all()));
    found.iter().map(|f| f.diagnostic.code).collect()
}

#[test]
fn a_duplicate_id_is_reported_once_by_whoever_sees_it() {
    let doc = r#"<doc><item xml:id="a"/><item xml:id="a"/></doc>"#;
    assert_eq!(codes(true, doc), ["teimark::validate::duplicate-id"]);
    assert_eq!(codes(false, doc), ["teimark::rules::duplicate-id"]);
}

#[test]
fn a_bad_language_tag_is_reported_once_by_whoever_sees_it() {
    // The schema's `language` type refuses `en_US` but takes `en-GB-1`; BCP 47 takes neither.
    let doc = r#"<doc><item xml:lang="en_US"/><item xml:lang="en-GB-1"/></doc>"#;
    assert_eq!(
        codes(true, doc),
        ["teimark::validate::invalid-value", "teimark::rules::invalid-language"]
    );
    assert_eq!(
        codes(false, doc),
        ["teimark::rules::invalid-language", "teimark::rules::invalid-language"]
    );
}

#[test]
fn findings_come_in_document_order() {
    let doc =
        "<doc><item xml:lang=\"en-GB-1\"/><bad/><item xml:id=\"a\"/><item xml:id=\"a\"/></doc>";
    assert_eq!(
        codes(false, doc),
        [
            "teimark::rules::invalid-language",
            "teimark::validate::unexpected-element",
            "teimark::rules::duplicate-id"
        ]
    );
}
