//! The edition rules, each through `check(document body, expected findings)`.

use super::{RULES, RuleSet, check as run, dates, find, invalid_language};

/// Runs every rule on `body` inside a TEI root (whose start tag is line 1) and compares
/// `name line:column` of the findings with `expected`.
fn check(body: &str, expected: &[&str]) {
    let doc = format!("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n{body}\n</TEI>");
    assert_eq!(findings(&doc, &RuleSet::all()), expected, "in:\n{doc}");
}

fn findings(doc: &str, rules: &RuleSet) -> Vec<String> {
    run(doc.as_bytes(), rules)
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f.diagnostic.code.trim_start_matches("teimark::rules::"),
                f.line,
                f.column
            )
        })
        .collect()
}

#[test]
fn pointers_resolve_backwards_and_forwards() {
    check(
        r##"<p xml:id="a" corresp="#b"/><p ana="#a #b" resp="#a"/>
<p xml:id="b" prev="#a"/>"##,
        &[],
    );
}

#[test]
fn a_dangling_pointer_is_reported_at_its_attribute() {
    check(
        r##"<person xml:id="georgy-malenkov"/>
<p>the fall of <persName ref="#georgi-malenkov">Malenkov</persName></p>"##,
        &["dangling-reference 3:26"],
    );
    let doc = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="georgy-malenkov"/><persName ref="#georgi-malenkov">M</persName></TEI>"##;
    let found = run(doc.as_bytes(), &RuleSet::all());
    let d = &found[0].diagnostic;
    assert_eq!(&doc[d.span.clone().unwrap()], r##"ref="#georgi-malenkov""##);
    assert!(d.help.as_deref().unwrap().contains("did you mean \"#georgy-malenkov\""), "{d:?}");
}

#[test]
fn every_token_of_a_pointer_list_is_checked() {
    check(r##"<p xml:id="a" ana="#a #nope #a"/>"##, &["dangling-reference 2:15"]);
}

#[test]
fn other_pointers_are_not_checked() {
    check(
        r##"<ref target="https://example.org/#x">w</ref><ref target="other.xml#x">o</ref>
<persName ref="wd:Q8016">C</persName><ptr target="#xpointer(id('x'))"/><p n="#notapointer"/>"##,
        &[],
    );
    // Pointers on elements of other vocabularies mean what those say.
    check(
        r##"<egXML xmlns="http://www.tei-c.org/ns/Examples"><ref target="#x">x</ref></egXML>"##,
        &[],
    );
}

#[test]
fn duplicate_ids_are_reported_at_the_second_with_the_first_place() {
    let doc = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<p xml:id=\"a\"/>\n<q xml:id=\"a\"/><r xml:id=\"a\"/>\n</TEI>";
    let found = run(doc.as_bytes(), &RuleSet::all());
    let codes: Vec<(&str, u32, u32)> =
        found.iter().map(|f| (f.diagnostic.code, f.line, f.column)).collect();
    assert_eq!(
        codes,
        [("teimark::rules::duplicate-id", 3, 4), ("teimark::rules::duplicate-id", 3, 19)]
    );
    assert!(found[0].diagnostic.message.contains("already defined at line 2, column 4"));
}

#[test]
fn dates_in_every_w3c_form_pass() {
    for value in [
        "1955",
        "1955-03",
        "1955-03-21",
        "--03",
        "--02-29",
        "---31",
        "12:30:00",
        "24:00:00",
        "12:30:00.250",
        "1955-03-21T12:30:00",
        "1955-03-21T12:30:00Z",
        "1955-03-21T12:30:00+14:00",
        "1955Z",
        "-0044-03-15",
        "12345",
        "2000-02-29",
    ] {
        check(&format!("<date when=\"{value}\">d</date>"), &[]);
    }
}

#[test]
fn dates_that_are_not_w3c_dates_are_reported() {
    for value in [
        "1955-13",
        "1955-02-29",
        "1900-02-29",
        "0000",
        "955",
        "01955",
        "1955-3",
        "1955/03",
        "Spring 1955",
        "--13",
        "---32",
        "24:00:01",
        "12:30",
        "1955-03-21T25:00:00",
        "1955+15:00",
        "",
    ] {
        check(&format!("<date when=\"{value}\">d</date>"), &["invalid-date 2:7"]);
    }
}

#[test]
fn every_dating_attribute_is_checked_but_citation_ranges_are_not_dates() {
    check(
        r#"<date notBefore="1955-3" notAfter="x" from="1955" to="late">d</date>"#,
        &["invalid-date 2:7", "invalid-date 2:26", "invalid-date 2:51"],
    );
    check(
        r#"<biblScope unit="page" from="22" to="24">22-24</biblScope><citedRange from="i" to="iv">i-iv</citedRange>"#,
        &[],
    );
}

#[test]
fn reversed_ranges_are_reported_once_over_both_attributes() {
    check(r#"<date from="1923" to="1917">1917-23</date>"#, &["date-order 2:7"]);
    check(r#"<date notBefore="1956" notAfter="1955-12-31">d</date>"#, &["date-order 2:7"]);
    check(r#"<date to="1917" from="1923">d</date>"#, &["date-order 2:7"]);
}

#[test]
fn ranges_compare_the_stretches_their_values_name() {
    for (from, to) in [
        ("1955", "1955-03"),
        ("1955-05", "1955"),
        ("1955-03-21", "1955-03-21"),
        ("1955-03-21T12:00:00+02:00", "1955-03-21T11:00:00Z"),
        ("--12", "--02"),
        ("22:00:00", "02:00:00"),
        ("1955-13", "1917"),
    ] {
        let found = findings(
            &format!(
                "<date xmlns=\"http://www.tei-c.org/ns/1.0\" from=\"{from}\" to=\"{to}\">d</date>"
            ),
            &RuleSet::all(),
        );
        assert!(found.iter().all(|f| !f.starts_with("date-order")), "{from}..{to}: {found:?}");
    }
    let found = findings(
        "<date xmlns=\"http://www.tei-c.org/ns/1.0\" from=\"1955-03-21T12:00:00Z\" to=\"1955-03-21T13:00:00+02:00\">d</date>",
        &RuleSet::all(),
    );
    assert_eq!(found, ["date-order 1:43"], "13:00+02:00 is 11:00Z");
}

#[test]
fn unused_register_entries_are_warnings_and_references_from_anywhere_count() {
    check(
        r##"<standOff><listPerson>
<person xml:id="used"/><person xml:id="unused"/><person xml:id="related"/>
<relation active="#related" passive="#used"/>
</listPerson><listPlace><place xml:id="nowhere"/></listPlace></standOff>
<text><persName ref="#used">U</persName></text>"##,
        &["unused-entry 3:32", "unused-entry 5:32"],
    );
    let doc = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><standOff><person xml:id=\"x\"/></standOff></TEI>";
    let found = run(doc.as_bytes(), &RuleSet::all());
    assert_eq!(found[0].diagnostic.severity, crate::diag::Severity::Warning);
}

#[test]
fn ids_outside_stand_off_are_not_register_entries() {
    check(r#"<teiHeader><person xml:id="p"/></teiHeader><text><p xml:id="q">x</p></text>"#, &[]);
}

#[test]
fn empty_names_titles_and_dates_are_reported() {
    check(
        r#"<p><persName/><placeName> </placeName><orgName><!-- x --></orgName><title></title><date/></p>"#,
        &[
            "empty-element 2:4",
            "empty-element 2:15",
            "empty-element 2:39",
            "empty-element 2:68",
            "empty-element 2:83",
        ],
    );
}

#[test]
fn names_with_text_children_or_references_and_dates_with_values_are_not_empty() {
    check(
        r#"<p><persName><forename>Nikita</forename></persName><orgName>&amp;</orgName>
<title><![CDATA[x]]></title><date when="1955"/><date notBefore-iso="1955"/><name/></p>"#,
        &[],
    );
}

#[test]
fn language_tags_follow_bcp_47() {
    for tag in [
        "en",
        "EN",
        "en-GB",
        "de-CH-1996",
        "sr-Latn-RS",
        "zh-yue-HK",
        "es-419",
        "ru-Latn",
        "en-a-bbb-x-private",
        "x-whatever",
        "i-klingon",
        "en-GB-oed",
        "sgn-BE-FR",
        "tlh",
        "english",
        "de-1901",
    ] {
        assert!(invalid_language::is_well_formed(tag), "{tag} is well-formed");
    }
    for tag in [
        "en_US",
        "e",
        "en-",
        "-en",
        "en--GB",
        "en-GB-1",
        "de-a",
        "en-x",
        "x",
        "123",
        "en-abcdefghi",
        "en-Latn-Latn-GB",
        "verylongxyz",
        "de-a-b-c",
        "ñe",
    ] {
        assert!(!invalid_language::is_well_formed(tag), "{tag} is not well-formed");
    }
    check(
        r#"<p xml:lang="en-GB-1">x</p><p xml:lang="">y</p><p lang="nonsense-1">z</p>"#,
        &["invalid-language 2:4"],
    );
}

#[test]
fn columns_count_characters_and_lines_count_line_feeds() {
    check("<p>«ä»</p>\r\n<p>é <persName/></p>", &["empty-element 3:6"]);
}

#[test]
fn a_document_that_is_not_well_formed_keeps_the_findings_before_the_error() {
    let doc = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><persName/><ref target="#later"/><p></q></TEI>"##;
    // The empty name is reported; the pointer is not, since its target might follow the error.
    assert_eq!(findings(doc, &RuleSet::all()), ["empty-element 1:42"]);
}

#[test]
fn rules_can_be_switched_off_by_code_or_name() {
    let doc = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><persName ref="#x"/></TEI>"##;
    let mut rules = RuleSet::all();
    rules.disable("teimark::rules::dangling-reference").unwrap();
    rules.disable("empty-element").unwrap();
    assert!(findings(doc, &rules).is_empty());
    assert!(!rules.is_enabled("teimark::rules::empty-element"));
    assert!(rules.is_enabled("teimark::rules::date-order"));
    let err = rules.disable("no-such-rule").unwrap_err();
    assert_eq!(err.code, "teimark::rules::unknown-rule");
    assert!(
        err.message.contains("expected one of dangling-reference, duplicate-id"),
        "{}",
        err.message
    );
    assert!(findings(doc, &RuleSet::none()).is_empty());
    assert!(RuleSet::none().is_empty() && !RuleSet::all().is_empty());
}

#[test]
fn every_rule_is_documented_in_the_catalogue_style() {
    for rule in RULES {
        assert!(rule.code.starts_with("teimark::rules::"), "{}", rule.code);
        assert_eq!(find(rule.name()).map(|r| r.code), Some(rule.code));
        for heading in ["## What it does", "## Why", "## Example"] {
            assert!(rule.doc.contains(heading), "{} lacks {heading}", rule.code);
        }
        assert!(!rule.summary.ends_with('.'), "{}", rule.code);
    }
}

#[test]
fn date_values_name_the_stretch_they_cover() {
    let year = dates::parse("1955").unwrap();
    let march = dates::parse("1955-03").unwrap();
    let day = dates::parse("1955-12-31").unwrap();
    assert!(year.first <= march.first && march.last <= year.last);
    assert_eq!(day.last, year.last);
    assert!(dates::parse("1956").unwrap().starts_after(&year));
    assert!(!year.starts_after(&day));
    assert_eq!(dates::parse("--05").map(|m| m.has_year()), Some(false));
    // Long runs of digits are refused, not overflowed.
    assert!(dates::parse("99999999999999999999999").is_none());
}

mod properties {
    use proptest::prelude::*;

    use super::super::{RuleSet, check, dates};

    proptest! {
        /// Any bytes: the rules read what they can and never panic; findings are placed
        /// inside the input.
        #[test]
        fn arbitrary_input_never_panics(input in proptest::collection::vec(any::<u8>(), 0..400)) {
            for f in check(&input[..], &RuleSet::all()) {
                let span = f.diagnostic.span.clone().unwrap();
                prop_assert!(span.start <= span.end && span.end <= input.len());
                prop_assert!(f.line >= 1 && f.column >= 1);
            }
        }

        /// Markup-shaped input with dates, pointers and names in any combination.
        #[test]
        fn generated_tei_never_panics(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("<persName>".to_string()), Just("</persName>".to_string()),
                    Just("<date/>".to_string()), Just("<p xml:id=\"a\">".to_string()), Just("</p>".to_string()),
                    "[ -~]{0,12}".prop_map(|v| format!("<date from=\"{}\" to=\"1900\">x</date>", v.replace(['"', '<', '&'], ""))),
                    "[a-z#-]{0,10}".prop_map(|v| format!("<ref target=\"{v}\"/>")),
                    "[A-Za-z0-9-]{0,12}".prop_map(|v| format!("<p xml:lang=\"{v}\"/>")),
                    "[^<&]{0,8}",
                ],
                0..30,
            )
        ) {
            let doc = format!("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">{}</TEI>", parts.concat());
            let _ = check(doc.as_bytes(), &RuleSet::all());
        }

        /// The rule reads dates exactly as the schema's W3C datatypes do
        /// (`teidata.temporal.w3c` is their union): the two readers cannot
        /// drift apart.
        #[test]
        fn dates_agree_with_the_schema_datatypes(
            text in " ?(-?[0-9]{4,5}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?)?)?)?|--[0-9]{2}(-[0-9]{2})?|---[0-9]{2}|[0-9]{2}:[0-9]{2}:[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?[ \n]?|[-0-9:TZ+. ]{0,30}"
        ) {
            use crate::validate::relaxng::datatype::{DataType, NoContext, RegexCache, XSD_LIBRARY};
            struct NoRegex;
            impl RegexCache for NoRegex {
                fn regex(&mut self, _: &str) -> Result<std::sync::Arc<::regex::Regex>, String> {
                    Err("no pattern here".into())
                }
            }
            let w3c: Vec<DataType> =
                ["gYear", "gYearMonth", "date", "gMonth", "gMonthDay", "gDay", "time", "dateTime"]
                    .iter()
                    .map(|name| DataType::new(XSD_LIBRARY, name, &[], &mut NoRegex).expect("an XSD type"))
                    .collect();
            let schema_accepts = w3c.iter().any(|dt| dt.check(&text, &NoContext).is_ok());
            prop_assert_eq!(dates::parse(&text).is_some(), schema_accepts, "{:?}", text);
        }

        /// The date reader never panics, and every value it accepts covers some time.
        #[test]
        fn dates_never_panic(text in "[-0-9:TZ+.]{0,30}") {
            if let Some(m) = dates::parse(&text) {
                prop_assert!(m.first <= m.last);
            }
        }
    }
}
