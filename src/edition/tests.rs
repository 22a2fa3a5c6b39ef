use super::*;

#[test]
fn iso_dates() {
    for ok in ["1955", "1955-03", "1955-03-05", "1956-02-29", "2000-02-29"] {
        assert!(is_iso_date(ok), "{ok}");
    }
    for bad in
        ["", "55", "1955-13", "1955-02-30", "1900-02-29", "1955-3-5", "1955/03", "Spring 1955"]
    {
        assert!(!is_iso_date(bad), "{bad}");
    }
}

#[test]
fn names_and_language_tags() {
    assert!(is_ncname("bureaucrats-in-crisis") && is_ncname("_x.1"));
    assert!(!is_ncname("1st") && !is_ncname("a b") && !is_ncname(""));
    assert!(is_language_tag("en") && is_language_tag("de-CH") && is_language_tag("sr-Latn-RS"));
    assert!(!is_language_tag("e") && !is_language_tag("en_GB") && !is_language_tag(""));
}

#[test]
fn the_seed_edition_toml_is_clean() {
    let text = include_str!("../../seeds/bureaucrats-in-crisis/edition.toml");
    let (edition, diagnostics) = parse(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let edition = edition.expect("it parses");
    assert_eq!(edition.id, "bureaucrats-in-crisis");
    assert_eq!(
        edition.source_file(),
        Some(edition.revisions.last().map_or("", |r| r.file.as_str()))
    );
}

#[test]
fn values_that_parse_but_are_wrong_are_located() {
    let text = include_str!("../../seeds/bureaucrats-in-crisis/edition.toml")
        .replace("when = \"1955\"", "when = \"Spring 1955\"");
    let (_, diagnostics) = parse(&text);
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.code, "teimark::config::invalid-value");
    let span = d.span.clone().expect("located");
    assert_eq!(&text[span], "\"Spring 1955\"");
}
