//! Unit tests of datatypes and XSD regex translation.

use std::collections::HashMap;
use std::sync::Arc;

use proptest::prelude::*;

use super::value::Decimal;
use super::{DataType, Failure, NoContext, NsContext, RegexCache, XSD_LIBRARY, regex};

struct Cache(HashMap<String, Arc<::regex::Regex>>);

impl RegexCache for Cache {
    fn regex(&mut self, pattern: &str) -> Result<Arc<::regex::Regex>, String> {
        let re = Arc::new(regex::compile(pattern)?);
        self.0.insert(pattern.to_string(), re.clone());
        Ok(re)
    }
}

fn xsd(name: &str, params: &[(&str, &str)]) -> DataType {
    let params: Vec<(String, String)> =
        params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    DataType::new(XSD_LIBRARY, name, &params, &mut Cache(HashMap::new())).unwrap()
}

fn ok(dt: &DataType, text: &str) -> bool {
    dt.check(text, &NoContext).is_ok()
}

#[test]
fn xsd_regexes_are_anchored_and_keep_xsd_meaning() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (r"\d{3}-\d{10}", &["978-0141439518"], &["9780141439518", "x978-0141439518"]),
        ("[a-z-[aeiou]]+", &["bcd", "xyz"], &["bad", "e"]),
        (r"\p{IsBasicLatin}+", &["abc"], &["é"]),
        (r"\i\c*", &["x-1", "_a.b"], &["1x", "-a"]),
        (r"[^\p{C}\p{Z}]+", &["a", "é!"], &["a b", ""]),
        (".", &["a"], &["\r", "\n", "ab"]),
        ("^a$", &["^a$"], &["a"]),
        (r"\s\S", &[" x", "\tx"], &["\u{a0}x", "xx"]),
        ("(ab|c){2,3}", &["abc", "ccc", "ababab"], &["ab", "cccc"]),
        (r"[\-+]?\d+(\.\d+)?(%|cm)", &["-1.5cm", "+2%"], &["1.5"]),
        ("a.b#&~", &["axb#&~"], &["axb"]),
    ];
    for (pattern, matching, other) in cases {
        let re = regex::compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        for m in *matching {
            assert!(re.is_match(m), "{pattern} should match {m:?}");
        }
        for m in *other {
            assert!(!re.is_match(m), "{pattern} should not match {m:?}");
        }
    }
}

#[test]
fn xsd_regex_syntax_errors_are_reported() {
    for bad in [r"\k", "a{2,1}", "[b-a]", "(a", "a)", "*a", "[]", r"\p{IsNoSuchBlock}"] {
        assert!(regex::translate(bad).is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn lexical_spaces_follow_xsd() {
    let cases: &[(&str, &str, bool)] = &[
        ("date", "2024-02-29", true),
        ("date", "2023-02-29", false),
        ("date", "1955-13-01", false),
        ("date", "0000-01-01", false),
        ("date", "-0044-03-15", true),
        ("date", "12024-01-01Z", true),
        ("date", "02024-01-01", false),
        ("gYear", "19555", true),
        ("gYear", "955", false),
        ("gMonthDay", "--02-29", true),
        ("gMonthDay", "--02-30", false),
        ("gDay", "---31", true),
        ("gMonth", "--13", false),
        ("time", "24:00:00", true),
        ("time", "24:00:01", false),
        ("dateTime", "2026-11-27T10:00:00.5+14:00", true),
        ("dateTime", "2026-11-27T10:00:00+14:30", false),
        ("duration", "P1Y2M3DT4H5M6.5S", true),
        ("duration", "-PT0.5S", true),
        ("duration", "P", false),
        ("duration", "P1Y2", false),
        ("duration", "PT", false),
        ("duration", "P1.5Y", false),
        ("duration", "P1é", false),
        ("decimal", "-.5", true),
        ("decimal", "5.", true),
        ("decimal", ".", false),
        ("decimal", "1e3", false),
        ("integer", "+007", true),
        ("unsignedByte", "255", true),
        ("unsignedByte", "256", false),
        ("byte", "-129", false),
        ("double", "-1.5E3", true),
        ("double", "INF", true),
        ("double", "+INF", false),
        ("double", "inf", false),
        ("boolean", "1", true),
        ("boolean", "yes", false),
        ("language", "en-GB", true),
        ("language", "english language", false),
        ("NCName", "a-b.c", true),
        ("NCName", "a:b", false),
        ("Name", "a:b", true),
        ("NMTOKENS", " a  b ", true),
        ("NMTOKENS", " ", false),
        ("base64Binary", "SGVsbG8=", true),
        ("base64Binary", "SGVsbG8", false),
        ("base64Binary", "SGVsbG9=", false),
        ("hexBinary", "0fA9", true),
        ("hexBinary", "ABC", false),
        ("anyURI", "http://example.org/a b", true),
        ("anyURI", "http://x/#a#b", false),
        ("anyURI", "%zz", false),
        ("anyURI", "1http:x", false),
        ("anyURI", "a:b:c", true),
        ("anyURI", "http://[::1]/x", true),
        ("anyURI", "[x]", false),
    ];
    for (ty, text, valid) in cases {
        assert_eq!(ok(&xsd(ty, &[]), text), *valid, "{ty} {text:?}");
    }
}

#[test]
fn facets_restrict_values_and_say_what_they_need() {
    let year = xsd("gYear", &[("minInclusive", "1800"), ("maxExclusive", "2000")]);
    assert!(ok(&year, "1800") && ok(&year, "1999"));
    assert_eq!(
        year.check("2000", &NoContext),
        Err(Failure::Facet("maxExclusive", "a value less than 2000".into()))
    );
    let amount = xsd("decimal", &[("totalDigits", "5"), ("fractionDigits", "2")]);
    assert!(ok(&amount, "123.45") && ok(&amount, "00123.450"));
    assert!(!ok(&amount, "123.456") && !ok(&amount, "123456"));
    let code = xsd("token", &[("pattern", "[A-Z]+"), ("pattern", "A.*"), ("maxLength", "3")]);
    assert!(ok(&code, " ABC "), "patterns apply to the collapsed value");
    assert!(!ok(&code, "BCD"), "every pattern must match");
    assert!(!ok(&code, "ABCD"));
    let list = xsd("NMTOKENS", &[("length", "2")]);
    assert!(ok(&list, "a b") && !ok(&list, "a b c"));
    let bytes = xsd("hexBinary", &[("length", "2")]);
    assert!(ok(&bytes, "0A0B") && !ok(&bytes, "0A"));
}

#[test]
fn parameters_are_checked_when_the_schema_is_compiled() {
    let build = |ty: &str, params: &[(&str, &str)]| {
        let params: Vec<(String, String)> =
            params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        DataType::new(XSD_LIBRARY, ty, &params, &mut Cache(HashMap::new()))
    };
    assert!(build("date", &[("maxLength", "3")]).is_err());
    assert!(build("string", &[("maxLength", "3"), ("maxLength", "4")]).is_err());
    assert!(build("string", &[("enumeration", "a")]).unwrap_err().contains("choice of value"));
    assert!(build("gYear", &[("minInclusive", "soon")]).is_err());
    assert!(build("string", &[("pattern", "(")]).is_err());
    assert!(build("dat", &[]).is_err());
    assert!(
        DataType::new("", "token", &[("pattern".into(), "a".into())], &mut Cache(HashMap::new()))
            .is_err()
    );
    assert!(
        DataType::new("http://example.org/types", "t", &[], &mut Cache(HashMap::new())).is_err()
    );
}

#[test]
fn values_compare_in_the_value_space() {
    let eq = |ty: &str, a: &str, b: &str| {
        let dt = xsd(ty, &[]);
        dt.parse_value(a, &NoContext).unwrap() == dt.parse_value(b, &NoContext).unwrap()
    };
    assert!(eq("token", "  a \n b ", "a b"));
    assert!(!eq("string", "a  b", "a b"));
    assert!(eq("decimal", "1.50", "+01.5"));
    assert!(eq("integer", "-0", "0"));
    assert!(eq("dateTime", "2026-01-01T12:00:00Z", "2026-01-01T13:00:00+01:00"));
    assert!(!eq("dateTime", "2026-01-01T12:00:00Z", "2026-01-01T12:00:00"));
    assert!(eq("boolean", "1", "true"));
    assert!(eq("base64Binary", "SGVs bG8=", "SGVsbG8="));
    assert!(eq("double", "NaN", "NaN"));
}

struct Bound(&'static str, &'static str);

impl NsContext for Bound {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        (prefix == self.0).then_some(self.1)
    }
}

#[test]
fn qnames_resolve_with_the_context() {
    let dt = xsd("QName", &[]);
    let ctx = Bound("x", "urn:x");
    assert!(dt.check("x:a", &ctx).is_ok());
    assert!(dt.check("y:a", &ctx).is_err());
    assert_eq!(
        dt.parse_value("x:a", &ctx).unwrap(),
        dt.parse_value("x:a", &Bound("x", "urn:x")).unwrap()
    );
    assert_ne!(
        dt.parse_value("x:a", &ctx).unwrap(),
        dt.parse_value("x:a", &Bound("x", "urn:y")).unwrap()
    );
}

proptest! {
    /// Decimals order like the integers and fractions they spell, at any size.
    #[test]
    fn decimal_order_matches_numeric_order(a in any::<i64>(), b in any::<i64>(), fa in 0u32..1000, fb in 0u32..1000) {
        let da = Decimal::parse(&format!("{a}.{fa:03}")).unwrap();
        let db = Decimal::parse(&format!("{b}.{fb:03}")).unwrap();
        let key = |n: i64, f: u32| i128::from(n) * 1000 + if n < 0 { -i128::from(f) } else { i128::from(f) };
        // `-0.5` parses as negative, so compare signs the way the text does.
        let sign = |n: i64, f: u32| if n == 0 && f > 0 { 1 } else { 0 };
        prop_assume!(sign(a, fa) == 0 && sign(b, fb) == 0);
        prop_assert_eq!(da.cmp(&db), key(a, fa).cmp(&key(b, fb)));
    }

    /// A literal string escaped for XSD matches itself and nothing longer.
    #[test]
    fn escaped_literals_match_themselves(s in "[ -~é«»]{0,12}") {
        let escaped: String = s.chars().map(|c| {
            if ".\\?*+{}()[]|-^".contains(c) { format!("\\{c}") } else { c.to_string() }
        }).collect();
        let re = regex::compile(&escaped).unwrap();
        prop_assert!(re.is_match(&s));
        let longer = format!("{s}x");
        prop_assert!(!re.is_match(&longer));
    }
}

const XSD_TYPES: &[&str] = &[
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "NMTOKEN",
    "NMTOKENS",
    "ID",
    "IDREF",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "anyURI",
    "QName",
    "NOTATION",
    "boolean",
    "decimal",
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "nonNegativeInteger",
    "positiveInteger",
    "long",
    "int",
    "short",
    "byte",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "float",
    "double",
    "duration",
    "dateTime",
    "time",
    "date",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
    "hexBinary",
    "base64Binary",
];

proptest! {
    /// No string makes a datatype check panic, whatever the type.
    #[test]
    fn datatype_checks_never_panic(text in "[-+0-9.:TZPYMDHSe éa-fA-F=/#%\\[\\] \t\n]{0,24}") {
        for ty in XSD_TYPES {
            let _ = xsd(ty, &[]).check(&text, &Bound("x", "urn:x"));
        }
    }

    /// No pattern text makes the regex translation panic.
    #[test]
    fn regex_translation_never_panics(pattern in "[-a-z\\\\\\[\\]{}(),.|^?*+pPdDsSiIcCwW0-9é]{0,16}") {
        let _ = regex::compile(&pattern);
    }
}
