//! Datatypes for `data` and `value` patterns: RELAX NG's built-in library, XSD, and DTD
//! compatibility (ID, IDREF, IDREFS), with XSD facets given as `param`s.
//!
//! A [`DataType`] is built once at schema compile time (facet values parsed, `pattern`
//! regexes translated and compiled) and then checks strings without allocating for the
//! common string-like types.

pub(crate) mod lexical;
pub(crate) mod regex;
pub(crate) mod value;

#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::sync::Arc;

pub(crate) use value::Value;

/// The namespace of the XSD datatype library.
pub(crate) const XSD_LIBRARY: &str = "http://www.w3.org/2001/XMLSchema-datatypes";
/// The namespace of the DTD compatibility datatype library.
pub(crate) const COMPAT_LIBRARY: &str = "http://relaxng.org/ns/compatibility/datatypes/1.0";

/// Resolves namespace prefixes of the place a value was found (for QName values).
pub(crate) trait NsContext {
    /// The namespace bound to `prefix` (`""` is the default namespace), if any.
    fn resolve(&self, prefix: &str) -> Option<&str>;
}

/// A context with no bindings beyond `xml`.
pub(crate) struct NoContext;

impl NsContext for NoContext {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        (prefix == "xml").then_some(XML_NS)
    }
}

/// The namespace bound to the `xml` prefix.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// What a type is, independent of its facets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    BuiltinString,
    BuiltinToken,
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NCName,
    NmToken,
    NmTokens,
    Id,
    IdRef,
    IdRefs,
    Entity,
    Entities,
    AnyUri,
    QName,
    Notation,
    Boolean,
    Decimal,
    Integer(IntKind),
    Float,
    Double,
    Duration,
    DateTime,
    Time,
    Date,
    GYearMonth,
    GYear,
    GMonthDay,
    GDay,
    GMonth,
    HexBinary,
    Base64Binary,
}

/// The integer types, which differ only in their bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntKind {
    Integer,
    NonPositive,
    Negative,
    NonNegative,
    Positive,
    Long,
    Int,
    Short,
    Byte,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
}

impl IntKind {
    fn bounds(self) -> (Option<i128>, Option<i128>) {
        match self {
            IntKind::Integer => (None, None),
            IntKind::NonPositive => (None, Some(0)),
            IntKind::Negative => (None, Some(-1)),
            IntKind::NonNegative => (Some(0), None),
            IntKind::Positive => (Some(1), None),
            IntKind::Long => (Some(i64::MIN.into()), Some(i64::MAX.into())),
            IntKind::Int => (Some(i32::MIN.into()), Some(i32::MAX.into())),
            IntKind::Short => (Some(i16::MIN.into()), Some(i16::MAX.into())),
            IntKind::Byte => (Some(i8::MIN.into()), Some(i8::MAX.into())),
            IntKind::UnsignedLong => (Some(0), Some(u64::MAX.into())),
            IntKind::UnsignedInt => (Some(0), Some(u32::MAX.into())),
            IntKind::UnsignedShort => (Some(0), Some(u16::MAX.into())),
            IntKind::UnsignedByte => (Some(0), Some(u8::MAX.into())),
        }
    }
}

/// How a type treats whitespace before anything else (XSD `whiteSpace`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Whitespace {
    Preserve,
    Replace,
    Collapse,
}

/// The DTD-compatibility role of a type: ID values must be unique, IDREFs must resolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum IdType {
    Null,
    Id,
    IdRef,
    IdRefs,
}

impl Kind {
    /// Looks a type name up in a datatype library.
    fn lookup(library: &str, name: &str) -> Result<Kind, String> {
        if library.is_empty() {
            return match name {
                "string" => Ok(Kind::BuiltinString),
                "token" => Ok(Kind::BuiltinToken),
                _ => Err(format!(
                    "datatype \"{name}\" is not in the built-in library; expected string or token"
                )),
            };
        }
        if library == COMPAT_LIBRARY {
            return match name {
                "ID" => Ok(Kind::Id),
                "IDREF" => Ok(Kind::IdRef),
                "IDREFS" => Ok(Kind::IdRefs),
                _ => Err(format!(
                    "datatype \"{name}\" is not in the DTD compatibility library; expected ID, IDREF or IDREFS"
                )),
            };
        }
        if library != XSD_LIBRARY {
            return Err(format!(
                "datatype library \"{library}\" is not supported; expected the XSD library \"{XSD_LIBRARY}\" or the built-in one"
            ));
        }
        Ok(match name {
            "string" => Kind::String,
            "normalizedString" => Kind::NormalizedString,
            "token" => Kind::Token,
            "language" => Kind::Language,
            "Name" => Kind::Name,
            "NCName" => Kind::NCName,
            "NMTOKEN" => Kind::NmToken,
            "NMTOKENS" => Kind::NmTokens,
            "ID" => Kind::Id,
            "IDREF" => Kind::IdRef,
            "IDREFS" => Kind::IdRefs,
            "ENTITY" => Kind::Entity,
            "ENTITIES" => Kind::Entities,
            "anyURI" => Kind::AnyUri,
            "QName" => Kind::QName,
            "NOTATION" => Kind::Notation,
            "boolean" => Kind::Boolean,
            "decimal" => Kind::Decimal,
            "integer" => Kind::Integer(IntKind::Integer),
            "nonPositiveInteger" => Kind::Integer(IntKind::NonPositive),
            "negativeInteger" => Kind::Integer(IntKind::Negative),
            "nonNegativeInteger" => Kind::Integer(IntKind::NonNegative),
            "positiveInteger" => Kind::Integer(IntKind::Positive),
            "long" => Kind::Integer(IntKind::Long),
            "int" => Kind::Integer(IntKind::Int),
            "short" => Kind::Integer(IntKind::Short),
            "byte" => Kind::Integer(IntKind::Byte),
            "unsignedLong" => Kind::Integer(IntKind::UnsignedLong),
            "unsignedInt" => Kind::Integer(IntKind::UnsignedInt),
            "unsignedShort" => Kind::Integer(IntKind::UnsignedShort),
            "unsignedByte" => Kind::Integer(IntKind::UnsignedByte),
            "float" => Kind::Float,
            "double" => Kind::Double,
            "duration" => Kind::Duration,
            "dateTime" => Kind::DateTime,
            "time" => Kind::Time,
            "date" => Kind::Date,
            "gYearMonth" => Kind::GYearMonth,
            "gYear" => Kind::GYear,
            "gMonthDay" => Kind::GMonthDay,
            "gDay" => Kind::GDay,
            "gMonth" => Kind::GMonth,
            "hexBinary" => Kind::HexBinary,
            "base64Binary" => Kind::Base64Binary,
            _ => {
                return Err(format!(
                    "datatype \"{name}\" is not an XSD datatype this validator knows"
                ));
            }
        })
    }

    fn whitespace(self) -> Whitespace {
        match self {
            Kind::BuiltinString | Kind::String => Whitespace::Preserve,
            Kind::NormalizedString => Whitespace::Replace,
            _ => Whitespace::Collapse,
        }
    }

    fn id_type(self) -> IdType {
        match self {
            Kind::Id => IdType::Id,
            Kind::IdRef => IdType::IdRef,
            Kind::IdRefs => IdType::IdRefs,
            _ => IdType::Null,
        }
    }

    /// Which facet family the type belongs to.
    fn facet_family(self) -> FacetFamily {
        match self {
            Kind::BuiltinString | Kind::BuiltinToken => FacetFamily::None,
            Kind::Boolean => FacetFamily::PatternOnly,
            Kind::Decimal | Kind::Integer(_) => FacetFamily::Decimal,
            Kind::Float
            | Kind::Double
            | Kind::Duration
            | Kind::DateTime
            | Kind::Time
            | Kind::Date
            | Kind::GYearMonth
            | Kind::GYear
            | Kind::GMonthDay
            | Kind::GDay
            | Kind::GMonth => FacetFamily::Ordered,
            _ => FacetFamily::Length,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FacetFamily {
    None,
    PatternOnly,
    Length,
    Decimal,
    Ordered,
}

/// Why a string is not a value of a datatype.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Failure {
    /// Not in the lexical space; the text says what was expected.
    Lexical(String),
    /// In the lexical space but a facet rejects it: the facet name and what it requires.
    Facet(&'static str, String),
}

/// The facets given as `param`s.
#[derive(Clone, Debug, Default)]
struct Facets {
    patterns: Vec<(String, Arc<::regex::Regex>)>,
    length: Option<usize>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    /// Range bounds: the value and its text as written in the schema.
    min_inclusive: Option<(Value, String)>,
    max_inclusive: Option<(Value, String)>,
    min_exclusive: Option<(Value, String)>,
    max_exclusive: Option<(Value, String)>,
    total_digits: Option<usize>,
    fraction_digits: Option<usize>,
}

impl Facets {
    fn is_empty(&self) -> bool {
        self.patterns.is_empty()
            && self.length.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.min_inclusive.is_none()
            && self.max_inclusive.is_none()
            && self.min_exclusive.is_none()
            && self.max_exclusive.is_none()
            && self.total_digits.is_none()
            && self.fraction_digits.is_none()
    }
}

/// A compiled datatype: a kind plus facets.
#[derive(Clone, Debug)]
pub(crate) struct DataType {
    kind: Kind,
    /// The type's local name as written in the schema (for messages).
    name: Arc<str>,
    facets: Facets,
}

/// Compiles `pattern` facets, sharing one regex per distinct pattern text.
pub(crate) trait RegexCache {
    fn regex(&mut self, pattern: &str) -> Result<Arc<::regex::Regex>, String>;
}

impl DataType {
    /// Builds a datatype from its library, name and `param`s.
    pub(crate) fn new(
        library: &str,
        name: &str,
        params: &[(String, String)],
        regexes: &mut dyn RegexCache,
    ) -> Result<DataType, String> {
        let kind = Kind::lookup(library, name)?;
        let mut dt = DataType { kind, name: name.into(), facets: Facets::default() };
        let family = kind.facet_family();
        let mut seen: Vec<&str> = Vec::new();
        for (param, value) in params {
            let param = param.as_str();
            if param != "pattern" && seen.contains(&param) {
                return Err(format!(
                    "parameter \"{param}\" is given twice for datatype \"{name}\""
                ));
            }
            seen.push(param);
            let allowed = match param {
                "pattern" => family != FacetFamily::None,
                "length" | "minLength" | "maxLength" => family == FacetFamily::Length,
                "minInclusive" | "maxInclusive" | "minExclusive" | "maxExclusive" => {
                    matches!(family, FacetFamily::Decimal | FacetFamily::Ordered)
                }
                "totalDigits" | "fractionDigits" => family == FacetFamily::Decimal,
                "enumeration" | "whiteSpace" => {
                    return Err(format!(
                        "parameter \"{param}\" is not allowed in RELAX NG; use a choice of value patterns instead"
                    ));
                }
                _ => false,
            };
            if !allowed {
                return Err(format!(
                    "parameter \"{param}\" is not allowed for datatype \"{name}\""
                ));
            }
            match param {
                "pattern" => {
                    let re = regexes
                        .regex(value)
                        .map_err(|e| format!("invalid pattern \"{value}\": {e}"))?;
                    dt.facets.patterns.push((value.clone(), re));
                }
                "length" | "minLength" | "maxLength" | "totalDigits" | "fractionDigits" => {
                    let n: usize = value.trim().parse().map_err(|_| {
                        format!(
                            "parameter \"{param}\" needs a non-negative integer, found \"{value}\""
                        )
                    })?;
                    if param == "totalDigits" && n == 0 {
                        return Err("parameter \"totalDigits\" must be positive".into());
                    }
                    *match param {
                        "length" => &mut dt.facets.length,
                        "minLength" => &mut dt.facets.min_length,
                        "maxLength" => &mut dt.facets.max_length,
                        "totalDigits" => &mut dt.facets.total_digits,
                        _ => &mut dt.facets.fraction_digits,
                    } = Some(n);
                }
                _ => {
                    let bound = dt.parse_value(value, &NoContext).map_err(|_| {
                        format!("parameter \"{param}\" value \"{value}\" is not a valid {name}")
                    })?;
                    *match param {
                        "minInclusive" => &mut dt.facets.min_inclusive,
                        "maxInclusive" => &mut dt.facets.max_inclusive,
                        "minExclusive" => &mut dt.facets.min_exclusive,
                        _ => &mut dt.facets.max_exclusive,
                    } = Some((bound, value.trim().to_string()));
                }
            }
        }
        Ok(dt)
    }

    /// The type's name as written in the schema.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn id_type(&self) -> IdType {
        self.kind.id_type()
    }

    /// Whether every string is a value (string/token without facets).
    pub(crate) fn allows_any_string(&self) -> bool {
        matches!(
            self.kind,
            Kind::BuiltinString
                | Kind::BuiltinToken
                | Kind::String
                | Kind::NormalizedString
                | Kind::Token
        ) && self.facets.is_empty()
    }

    /// Checks a string against the type and its facets.
    pub(crate) fn check(&self, text: &str, ctx: &dyn NsContext) -> Result<(), Failure> {
        if self.allows_any_string() {
            return Ok(());
        }
        let value = self.parse_value(text, ctx)?;
        self.check_facets(text, &value)
    }

    /// Parses a string into the type's value space (no facets).
    pub(crate) fn parse_value(&self, text: &str, ctx: &dyn NsContext) -> Result<Value, Failure> {
        let normalized = normalize(text, self.kind.whitespace());
        lexical::parse(self.kind, &normalized, ctx).map_err(Failure::Lexical)
    }

    fn check_facets(&self, text: &str, value: &Value) -> Result<(), Failure> {
        let f = &self.facets;
        if f.is_empty() {
            return Ok(());
        }
        let normalized = normalize(text, self.kind.whitespace());
        if f.length.is_some() || f.min_length.is_some() || f.max_length.is_some() {
            let len = match value {
                Value::List(items) => items.len(),
                Value::Bytes(bytes) => bytes.len(),
                _ => normalized.chars().count(),
            };
            if let Some(n) = f.length
                && len != n
            {
                return Err(Failure::Facet("length", format!("a length of {n}")));
            }
            if let Some(n) = f.min_length
                && len < n
            {
                return Err(Failure::Facet("minLength", format!("a length of at least {n}")));
            }
            if let Some(n) = f.max_length
                && len > n
            {
                return Err(Failure::Facet("maxLength", format!("a length of at most {n}")));
            }
        }
        for (source, re) in &f.patterns {
            if !re.is_match(&normalized) {
                return Err(Failure::Facet(
                    "pattern",
                    format!("a match for the pattern \"{source}\""),
                ));
            }
        }
        type Bound<'a> =
            (&'a Option<(Value, String)>, &'static str, fn(Ordering) -> bool, &'static str);
        let bounds: [Bound<'_>; 4] = [
            (&f.min_inclusive, "minInclusive", |o| o != Ordering::Less, "at least"),
            (&f.max_inclusive, "maxInclusive", |o| o != Ordering::Greater, "at most"),
            (&f.min_exclusive, "minExclusive", |o| o == Ordering::Greater, "greater than"),
            (&f.max_exclusive, "maxExclusive", |o| o == Ordering::Less, "less than"),
        ];
        for (bound, facet, ok, words) in bounds {
            if let Some((bound, text)) = bound {
                let fine = value.compare(bound).is_some_and(ok);
                if !fine {
                    return Err(Failure::Facet(facet, format!("a value {words} {text}")));
                }
            }
        }
        if let Value::Dec(d) = value {
            if let Some(n) = f.total_digits
                && d.total_digits() > n
            {
                return Err(Failure::Facet("totalDigits", format!("at most {n} digits")));
            }
            if let Some(n) = f.fraction_digits
                && d.fraction_digits() > n
            {
                return Err(Failure::Facet(
                    "fractionDigits",
                    format!("at most {n} fraction digits"),
                ));
            }
        }
        Ok(())
    }
}

/// Applies XSD whitespace processing; borrows when nothing changes.
fn normalize(text: &str, ws: Whitespace) -> std::borrow::Cow<'_, str> {
    match ws {
        Whitespace::Preserve => text.into(),
        Whitespace::Replace => {
            if text.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
                text.replace(['\t', '\n', '\r'], " ").into()
            } else {
                text.into()
            }
        }
        Whitespace::Collapse => collapse(text),
    }
}

/// Collapses XML whitespace runs to one space and trims; borrows when already collapsed.
pub(crate) fn collapse(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let clean = !bytes.first().is_some_and(|&b| is_ws(b))
        && !bytes.last().is_some_and(|&b| is_ws(b))
        && !bytes.windows(2).any(|w| is_ws(w[0]) && (is_ws(w[1]) || w[0] != b' '))
        && !bytes.iter().any(|&b| matches!(b, b'\t' | b'\n' | b'\r'));
    if clean {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.into()
}

/// Whether a string is only XML whitespace.
pub(crate) fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}
