//! Values of XSD datatypes: what `value` patterns compare and what range facets order.
//!
//! Only what equality and the ordering facets need is kept: decimals as normalised digit
//! strings (arbitrary precision, no floating point), date/time values as a second count on a
//! common time line plus their time-zone flag, durations as months and seconds.

use std::cmp::Ordering;

/// A parsed value of some datatype.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// String-like types after whitespace processing.
    Str(String),
    /// List types (NMTOKENS, IDREFS, ENTITIES).
    List(Vec<String>),
    Bool(bool),
    Dec(Decimal),
    /// float and double (the lexical check already restricted the range).
    Float(f64),
    Duration(Duration),
    Moment(Moment),
    Bytes(Vec<u8>),
    /// Namespace URI and local name.
    QName(String, String),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Dec(a), Value::Dec(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => (a.is_nan() && b.is_nan()) || a == b,
            (Value::Duration(a), Value::Duration(b)) => {
                a.months == b.months && a.seconds == b.seconds
            }
            (Value::Moment(a), Value::Moment(b)) => a.partial_cmp(b) == Some(Ordering::Equal),
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::QName(a, b), Value::QName(c, d)) => a == c && b == d,
            _ => false,
        }
    }
}

impl Value {
    /// The XSD order between two values of one ordered type; `None` when incomparable.
    pub(crate) fn compare(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Dec(a), Value::Dec(b)) => Some(a.cmp(b)),
            (Value::Float(a), Value::Float(b)) => a.partial_cmp(b),
            (Value::Moment(a), Value::Moment(b)) => a.partial_cmp(b),
            (Value::Duration(a), Value::Duration(b)) => a.compare(b),
            _ => None,
        }
    }
}

/// An exact decimal number: sign, integer digits without leading zeros, fraction digits
/// without trailing zeros. Zero is never negative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    pub(crate) negative: bool,
    pub(crate) int: String,
    pub(crate) frac: String,
}

impl Decimal {
    /// Parses `[+-]?(digits(.digits?)?|.digits)`; `None` when the text is not a decimal.
    pub(crate) fn parse(s: &str) -> Option<Decimal> {
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = match body.find('.') {
            Some(dot) => (&body[..dot], &body[dot + 1..]),
            None => (body, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if body.ends_with('.') && int.is_empty() {
            return None;
        }
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Some(Decimal { negative, int, frac })
    }

    pub(crate) fn from_i128(n: i128) -> Decimal {
        let int = n.unsigned_abs().to_string();
        let int = if int == "0" { String::new() } else { int };
        Decimal { negative: n < 0, int, frac: String::new() }
    }

    /// Number of significant digits (totalDigits counts them this way).
    pub(crate) fn total_digits(&self) -> usize {
        let digits = self.int.len() + self.frac.len();
        digits.max(1)
    }

    pub(crate) fn fraction_digits(&self) -> usize {
        self.frac.len()
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }

    /// Converts to a float for approximate arithmetic (durations only).
    fn to_f64(&self) -> f64 {
        let text = format!("{}{}.{}0", if self.negative { "-" } else { "" }, self.int, self.frac);
        text.parse().unwrap_or(0.0)
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A duration as XSD sees it: a signed month count and a signed second count.
#[derive(Clone, Debug)]
pub(crate) struct Duration {
    pub(crate) months: i64,
    pub(crate) seconds: Decimal,
}

impl Duration {
    /// XSD orders durations by adding them to four reference dates; months of 28 to 31 days
    /// give the same verdict whenever those four agree, which is what we check.
    fn compare(&self, other: &Duration) -> Option<Ordering> {
        if self.months == other.months {
            return Some(self.seconds.cmp(&other.seconds));
        }
        let lo = |d: &Duration| d.months as f64 * if d.months >= 0 { 28.0 } else { 31.0 } * 86400.0;
        let hi = |d: &Duration| d.months as f64 * if d.months >= 0 { 31.0 } else { 28.0 } * 86400.0;
        let (a_lo, a_hi) = (lo(self) + self.seconds.to_f64(), hi(self) + self.seconds.to_f64());
        let (b_lo, b_hi) = (lo(other) + other.seconds.to_f64(), hi(other) + other.seconds.to_f64());
        if a_hi < b_lo {
            Some(Ordering::Less)
        } else if a_lo > b_hi {
            Some(Ordering::Greater)
        } else {
            None
        }
    }
}

/// A point (or recurring point) in time: seconds on a common time line, the fraction of the
/// second as digits, and whether a time zone was given (then the seconds are in UTC).
#[derive(Clone, Debug)]
pub(crate) struct Moment {
    pub(crate) seconds: i128,
    pub(crate) frac: String,
    pub(crate) zoned: bool,
}

impl Moment {
    fn shifted(&self, by: i128) -> Moment {
        Moment { seconds: self.seconds + by, frac: self.frac.clone(), zoned: self.zoned }
    }

    fn cmp_exact(&self, other: &Moment) -> Ordering {
        self.seconds.cmp(&other.seconds).then_with(|| self.frac.cmp(&other.frac))
    }
}

impl PartialEq for Moment {
    fn eq(&self, other: &Moment) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Moment {
    /// XSD's partial order: a value without a time zone may lie anywhere within ±14 hours.
    fn partial_cmp(&self, other: &Moment) -> Option<Ordering> {
        if self.zoned == other.zoned {
            return Some(self.cmp_exact(other));
        }
        const FOURTEEN_HOURS: i128 = 14 * 3600;
        let (zoned, local, flip) =
            if self.zoned { (self, other, false) } else { (other, self, true) };
        let result = if zoned.cmp_exact(&local.shifted(-FOURTEEN_HOURS)) == Ordering::Less {
            Some(Ordering::Less)
        } else if zoned.cmp_exact(&local.shifted(FOURTEEN_HOURS)) == Ordering::Greater {
            Some(Ordering::Greater)
        } else {
            None
        };
        if flip { result.map(Ordering::reverse) } else { result }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (any year, including negative ones).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i128 {
    let y = i128::from(year) - i128::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i128::from(month);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i128::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
