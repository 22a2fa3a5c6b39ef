//! Lexical spaces of the XSD types: checks a whitespace-processed string and returns its value.
//!
//! Each error says what form was expected, for messages such as
//! `value "1955-13-01" ... is not a valid date`.

use super::regex::{NAME_EXTRA_RANGES, NAME_START_RANGES};
use super::value::{Decimal, Duration, Moment, Value, days_from_civil};
use super::{IntKind, Kind, NsContext};

/// Parses `text` (already whitespace-processed for `kind`) into a value.
pub(super) fn parse(kind: Kind, text: &str, ctx: &dyn NsContext) -> Result<Value, String> {
    match kind {
        Kind::BuiltinString
        | Kind::BuiltinToken
        | Kind::String
        | Kind::NormalizedString
        | Kind::Token => Ok(Value::Str(text.to_string())),
        Kind::Language => {
            if is_language(text) {
                Ok(Value::Str(text.to_string()))
            } else {
                Err("a language tag such as \"en\" or \"en-GB\"".into())
            }
        }
        Kind::Name => name_value(text, is_name(text), "an XML name"),
        Kind::NCName | Kind::Id | Kind::IdRef | Kind::Entity => {
            name_value(text, is_ncname(text), "an XML name without a colon")
        }
        Kind::NmToken => name_value(text, is_nmtoken(text), "a name token"),
        Kind::NmTokens => list(text, is_nmtoken, "one or more name tokens"),
        Kind::IdRefs | Kind::Entities => {
            list(text, is_ncname, "one or more XML names without a colon")
        }
        Kind::AnyUri => {
            if is_any_uri(text) {
                Ok(Value::Str(text.to_string()))
            } else {
                Err("a URI".into())
            }
        }
        Kind::QName | Kind::Notation => qname(text, ctx),
        Kind::Boolean => match text {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err("true, false, 1 or 0".into()),
        },
        Kind::Decimal => {
            Decimal::parse(text).map(Value::Dec).ok_or_else(|| "a decimal number".to_string())
        }
        Kind::Integer(int) => integer(text, int),
        Kind::Float | Kind::Double => float(text, kind == Kind::Float),
        Kind::Duration => duration(text),
        Kind::DateTime => date_time(text, DateForm::DateTime),
        Kind::Time => date_time(text, DateForm::Time),
        Kind::Date => date_time(text, DateForm::Date),
        Kind::GYearMonth => date_time(text, DateForm::GYearMonth),
        Kind::GYear => date_time(text, DateForm::GYear),
        Kind::GMonthDay => date_time(text, DateForm::GMonthDay),
        Kind::GDay => date_time(text, DateForm::GDay),
        Kind::GMonth => date_time(text, DateForm::GMonth),
        Kind::HexBinary => hex_binary(text),
        Kind::Base64Binary => base64_binary(text),
    }
}

fn name_value(text: &str, ok: bool, expected: &str) -> Result<Value, String> {
    if ok { Ok(Value::Str(text.to_string())) } else { Err(expected.to_string()) }
}

fn list(text: &str, item: fn(&str) -> bool, expected: &str) -> Result<Value, String> {
    let items: Vec<String> =
        text.split(' ').filter(|t| !t.is_empty()).map(str::to_string).collect();
    if items.is_empty() || !items.iter().all(|t| item(t)) {
        return Err(expected.to_string());
    }
    Ok(Value::List(items))
}

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

pub(crate) fn is_name_start_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_' || c == ':';
    }
    in_ranges(c, NAME_START_RANGES)
}

pub(crate) fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '-' | '.');
    }
    in_ranges(c, NAME_START_RANGES) || in_ranges(c, NAME_EXTRA_RANGES)
}

pub(crate) fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

pub(crate) fn is_ncname(text: &str) -> bool {
    is_name(text) && !text.contains(':')
}

fn is_nmtoken(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_name_char)
}

fn is_language(text: &str) -> bool {
    let mut parts = text.split('-');
    let first = parts.next().unwrap_or("");
    let first_ok = (1..=8).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic());
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A lenient URI reference check: characters a URI cannot hold are taken as if escaped,
/// then `%` escapes, the fragment and the scheme are checked.
fn is_any_uri(text: &str) -> bool {
    if text.matches('#').count() > 1 {
        return false;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_hexdigit());
            if !hex(bytes.get(i + 1)) || !hex(bytes.get(i + 2)) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    let end_of_scheme = text.find([':', '/', '?', '#']);
    if let Some(end) = end_of_scheme
        && bytes[end] == b':'
    {
        let scheme = &text[..end];
        let mut chars = scheme.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid {
            return false;
        }
    }
    // Square brackets belong only around an IP literal in the authority.
    let authority_end =
        text.strip_prefix("//").map(|_| 0).or_else(|| text.find("://").map(|p| p + 1)).map(
            |start| {
                let rest = &text[start + 2..];
                start + 2 + rest.find(['/', '?', '#']).unwrap_or(rest.len())
            },
        );
    for (pos, c) in text.char_indices() {
        if (c == '[' || c == ']') && authority_end.is_none_or(|end| pos >= end) {
            return false;
        }
    }
    true
}

fn qname(text: &str, ctx: &dyn NsContext) -> Result<Value, String> {
    let expected = "a qualified name whose prefix is declared";
    let (prefix, local) = match text.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", text),
    };
    if !is_ncname(local) || (!prefix.is_empty() && !is_ncname(prefix)) {
        return Err(expected.into());
    }
    let ns = match ctx.resolve(prefix) {
        Some(ns) => ns.to_string(),
        None if prefix.is_empty() => String::new(),
        None => return Err(expected.into()),
    };
    Ok(Value::QName(ns, local.to_string()))
}

fn integer(text: &str, int: IntKind) -> Result<Value, String> {
    let expected = match int {
        IntKind::Integer => "an integer",
        IntKind::NonNegative => "a non-negative integer",
        IntKind::Positive => "a positive integer",
        IntKind::NonPositive => "a non-positive integer",
        IntKind::Negative => "a negative integer",
        IntKind::Long => "an integer that fits in 64 bits",
        IntKind::Int => "an integer that fits in 32 bits",
        IntKind::Short => "an integer that fits in 16 bits",
        IntKind::Byte => "an integer from -128 to 127",
        IntKind::UnsignedLong => "a non-negative integer that fits in 64 bits",
        IntKind::UnsignedInt => "a non-negative integer that fits in 32 bits",
        IntKind::UnsignedShort => "a non-negative integer that fits in 16 bits",
        IntKind::UnsignedByte => "an integer from 0 to 255",
    };
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(expected.into());
    }
    let value = Decimal::parse(text).ok_or(expected)?;
    let (lo, hi) = int.bounds();
    if let Some(lo) = lo
        && value < Decimal::from_i128(lo)
    {
        return Err(expected.into());
    }
    if let Some(hi) = hi
        && value > Decimal::from_i128(hi)
    {
        return Err(expected.into());
    }
    Ok(Value::Dec(value))
}

fn float(text: &str, single: bool) -> Result<Value, String> {
    let expected = if single { "a floating-point number" } else { "a double-precision number" };
    match text {
        "INF" => return Ok(Value::Float(f64::INFINITY)),
        "-INF" => return Ok(Value::Float(f64::NEG_INFINITY)),
        "NaN" => return Ok(Value::Float(f64::NAN)),
        _ => {}
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(p) => (&text[..p], Some(&text[p + 1..])),
        None => (text, None),
    };
    if Decimal::parse(mantissa).is_none() {
        return Err(expected.into());
    }
    if let Some(exp) = exponent {
        let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(expected.into());
        }
    }
    let x: f64 = text.parse().map_err(|_| expected.to_string())?;
    let x = if single { f64::from(x as f32) } else { x };
    Ok(Value::Float(x))
}

fn duration(text: &str) -> Result<Value, String> {
    let expected = "a duration such as P1Y2M3DT4H5M6S";
    let err = || expected.to_string();
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P').ok_or_else(err)?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return Err(err());
            }
            (d, Some(t))
        }
        None => (rest, None),
    };
    let mut months: i64 = 0;
    let mut seconds = Decimal::parse("0").ok_or_else(err)?;
    let mut any = false;
    let mut fraction = String::new();
    let mut add_seconds = |n: &Decimal, factor: i128| -> Option<()> {
        // Whole units only before seconds, so integer arithmetic on the digits is exact.
        let whole: i128 = if n.int.is_empty() { 0 } else { n.int.parse().ok()? };
        let total = seconds_to_i128(&seconds)? + whole * factor;
        seconds = Decimal::from_i128(total);
        Some(())
    };
    for (designators, part) in [("YMD", date_part), ("HMS", time_part.unwrap_or(""))] {
        let mut remaining = part;
        let mut last = None;
        while !remaining.is_empty() {
            let end =
                remaining.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(err)?;
            let number = &remaining[..end];
            let unit = remaining[end..].chars().next().ok_or_else(err)?;
            remaining = &remaining[end + unit.len_utf8()..];
            let index = designators.find(unit).ok_or_else(err)?;
            if last.is_some_and(|l| index <= l) || number.is_empty() {
                return Err(err());
            }
            last = Some(index);
            any = true;
            let is_seconds = designators == "HMS" && unit == 'S';
            if number.contains('.') && !is_seconds {
                return Err(err());
            }
            let value = Decimal::parse(number).ok_or_else(err)?;
            match (designators, unit) {
                ("YMD", 'Y') => months += parse_i64(&value).ok_or_else(err)? * 12,
                ("YMD", 'M') => months += parse_i64(&value).ok_or_else(err)?,
                ("YMD", 'D') => add_seconds(&value, 86_400).ok_or_else(err)?,
                ("HMS", 'H') => add_seconds(&value, 3_600).ok_or_else(err)?,
                ("HMS", 'M') => add_seconds(&value, 60).ok_or_else(err)?,
                _ => {
                    let whole =
                        Decimal { negative: false, int: value.int.clone(), frac: String::new() };
                    add_seconds(&whole, 1).ok_or_else(err)?;
                    fraction = value.frac.clone();
                }
            }
        }
    }
    if !any {
        return Err(err());
    }
    seconds.frac = fraction;
    if negative {
        months = -months;
        if !(seconds.int.is_empty() && seconds.frac.is_empty()) {
            seconds.negative = true;
        }
    }
    Ok(Value::Duration(Duration { months, seconds }))
}

fn parse_i64(d: &Decimal) -> Option<i64> {
    if d.int.is_empty() { Some(0) } else { d.int.parse().ok() }
}

fn seconds_to_i128(d: &Decimal) -> Option<i128> {
    let n: i128 = if d.int.is_empty() { 0 } else { d.int.parse().ok()? };
    Some(if d.negative { -n } else { n })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DateForm {
    DateTime,
    Time,
    Date,
    GYearMonth,
    GYear,
    GMonthDay,
    GDay,
    GMonth,
}

impl DateForm {
    fn expected(self) -> &'static str {
        match self {
            DateForm::DateTime => "a date and time (YYYY-MM-DDThh:mm:ss)",
            DateForm::Time => "a time (hh:mm:ss)",
            DateForm::Date => "a date (YYYY-MM-DD)",
            DateForm::GYearMonth => "a year and month (YYYY-MM)",
            DateForm::GYear => "a year (YYYY)",
            DateForm::GMonthDay => "a month and day (--MM-DD)",
            DateForm::GDay => "a day of the month (---DD)",
            DateForm::GMonth => "a month (--MM)",
        }
    }
}

/// A cursor over the ASCII text of a date/time literal.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn eat(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.pos) == Some(&b)).then(|| self.pos += 1)
    }

    fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.s.get(self.pos..self.pos + n)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(slice.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
    }

    /// A year: optional minus, four or more digits, no leading zero beyond four, not 0000.
    fn year(&mut self) -> Option<i64> {
        let negative = self.eat(b'-').is_some();
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(&self.s[start..self.pos]).ok()?;
        if digits.len() < 4 || (digits.len() > 4 && digits.starts_with('0')) {
            return None;
        }
        let year: i64 = digits.parse().ok()?;
        if year == 0 {
            return None;
        }
        Some(if negative { -year } else { year })
    }

    fn at_end(&self) -> bool {
        self.pos == self.s.len()
    }
}

fn days_in_month(year: Option<i64>, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => match year {
            // Without a year (gMonthDay) February may have its leap day.
            None => 29,
            Some(y) => {
                let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                if leap { 29 } else { 28 }
            }
        },
    }
}

fn date_time(text: &str, form: DateForm) -> Result<Value, String> {
    parse_moment(text, form).map(Value::Moment).ok_or_else(|| form.expected().to_string())
}

fn parse_moment(text: &str, form: DateForm) -> Option<Moment> {
    let mut c = Cursor { s: text.as_bytes(), pos: 0 };
    let (mut year, mut month, mut day) = (None, 1u32, 1u32);
    let (mut hour, mut minute, mut second, mut frac) = (0u32, 0u32, 0u32, String::new());
    let has_date = !matches!(form, DateForm::Time);
    if has_date {
        match form {
            DateForm::GMonthDay | DateForm::GDay | DateForm::GMonth => {
                c.eat(b'-')?;
                c.eat(b'-')?;
                if form == DateForm::GDay {
                    c.eat(b'-')?;
                    day = c.digits(2)?;
                } else {
                    month = c.digits(2)?;
                    if form == DateForm::GMonthDay {
                        c.eat(b'-')?;
                        day = c.digits(2)?;
                    }
                }
            }
            _ => {
                year = Some(c.year()?);
                if form != DateForm::GYear {
                    c.eat(b'-')?;
                    month = c.digits(2)?;
                    if matches!(form, DateForm::Date | DateForm::DateTime) {
                        c.eat(b'-')?;
                        day = c.digits(2)?;
                    }
                }
            }
        }
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        if form == DateForm::GDay && day > 31 {
            return None;
        }
    }
    if matches!(form, DateForm::DateTime | DateForm::Time) {
        if form == DateForm::DateTime {
            c.eat(b'T')?;
        }
        hour = c.digits(2)?;
        c.eat(b':')?;
        minute = c.digits(2)?;
        c.eat(b':')?;
        second = c.digits(2)?;
        if c.eat(b'.').is_some() {
            let start = c.pos;
            while c.s.get(c.pos).is_some_and(u8::is_ascii_digit) {
                c.pos += 1;
            }
            if c.pos == start {
                return None;
            }
            frac = text[start..c.pos].trim_end_matches('0').to_string();
        }
        let end_of_day = hour == 24 && minute == 0 && second == 0 && frac.is_empty();
        if (hour > 23 && !end_of_day) || minute > 59 || second > 59 {
            return None;
        }
    }
    let mut zone_minutes: Option<i64> = None;
    if c.eat(b'Z').is_some() {
        zone_minutes = Some(0);
    } else if let Some(&sign @ (b'+' | b'-')) = c.s.get(c.pos) {
        c.pos += 1;
        let h = c.digits(2)?;
        c.eat(b':')?;
        let m = c.digits(2)?;
        if m > 59 || h > 14 || (h == 14 && m != 0) {
            return None;
        }
        let total = i64::from(h * 60 + m);
        zone_minutes = Some(if sign == b'-' { -total } else { total });
    }
    if !c.at_end() {
        return None;
    }
    // Missing parts take fixed reference values so that values of one type compare.
    let days = days_from_civil(year.unwrap_or(1972), month, day);
    let mut seconds =
        days * 86_400 + i128::from(hour) * 3_600 + i128::from(minute) * 60 + i128::from(second);
    if let Some(z) = zone_minutes {
        seconds -= i128::from(z) * 60;
    }
    Some(Moment { seconds, frac, zoned: zone_minutes.is_some() })
}

fn hex_binary(text: &str) -> Result<Value, String> {
    let expected = "hexadecimal digits in pairs";
    if text.len() % 2 != 0 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(expected.into());
    }
    let bytes = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| expected.to_string()))
        .collect::<Result<Vec<u8>, String>>()?;
    Ok(Value::Bytes(bytes))
}

fn base64_binary(text: &str) -> Result<Value, String> {
    let expected = "base64 data";
    let symbols: Vec<u8> = text.bytes().filter(|&b| b != b' ').collect();
    if symbols.len() % 4 != 0 {
        return Err(expected.into());
    }
    let decode = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => u32::from(b - b'A'),
            b'a'..=b'z' => u32::from(b - b'a') + 26,
            b'0'..=b'9' => u32::from(b - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3);
    let quads = symbols.len() / 4;
    for (i, quad) in symbols.chunks(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != quads) {
            return Err(expected.into());
        }
        let mut acc = 0u32;
        for &b in &quad[..4 - pad] {
            acc = (acc << 6) | decode(b).ok_or(expected)?;
        }
        // Padding requires the unused low bits of the last symbol to be zero.
        match pad {
            0 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            1 => {
                if acc & 0b11 != 0 {
                    return Err(expected.into());
                }
                let acc = acc >> 2;
                out.extend_from_slice(&[(acc >> 8) as u8, acc as u8]);
            }
            _ => {
                if acc & 0b1111 != 0 {
                    return Err(expected.into());
                }
                out.push((acc >> 4) as u8);
            }
        }
    }
    Ok(Value::Bytes(out))
}
