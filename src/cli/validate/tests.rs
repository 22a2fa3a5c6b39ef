//! The parts of `teimark validate` the integration tests cannot reach: the streamed path
//! for big files (the same report as in memory) and placing schema errors.

use std::sync::Arc;

use teimark::validate::relaxng::{Options, Schema};
use teimark::validate::rules::RuleSet;

use super::{Chosen, Plan, check_file, offset_of};

#[test]
fn a_streamed_file_gives_the_same_report_as_one_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let schema_path = dir.path().join("s.rng");
    std::fs::write(
        &schema_path,
        r#"<element name="TEI" ns="http://www.tei-c.org/ns/1.0" xmlns="http://relaxng.org/ns/structure/1.0">
  <zeroOrMore><element name="persName"><optional><attribute name="ref"/></optional><text/></element></zeroOrMore>
</element>"#,
    )
    .unwrap();
    let mut doc = String::from("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n");
    for i in 0..2000 {
        doc.push_str(&format!("<persName ref=\"#p{i}\">é{i}</persName>"));
        if i % 7 == 0 {
            doc.push('\n');
        }
    }
    doc.push_str("<bad/></TEI>\n");
    let path = dir.path().join("doc.xml");
    std::fs::write(&path, &doc).unwrap();
    let plan = Plan {
        path,
        schema: Arc::new(Chosen {
            schema: Schema::load(&schema_path).unwrap(),
            shown: "s.rng".into(),
            why: "--schema",
        }),
        rules: RuleSet::all(),
    };
    let opts = Options::default();
    let memory = check_file(&plan, &opts, u64::MAX);
    let streamed = check_file(&plan, &opts, 0);
    assert_eq!(memory.findings.len(), 2001, "2000 dangling pointers and one bad element");
    for (a, b) in memory.findings.iter().zip(&streamed.findings) {
        assert_eq!(a.finding, b.finding);
        assert_eq!(a.excerpt, b.excerpt);
        assert!(a.excerpt.is_some());
    }
}

#[test]
fn lines_and_columns_become_byte_offsets() {
    let text = "ab\nçd\n\nx".as_bytes();
    assert_eq!(offset_of(text, 1, 1), Some(0));
    assert_eq!(offset_of(text, 2, 2), Some(5));
    assert_eq!(offset_of(text, 4, 1), Some(8));
    assert_eq!(offset_of(text, 9, 1), None);
}
