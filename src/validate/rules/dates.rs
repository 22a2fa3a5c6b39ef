//! W3C (XML Schema) dates as TEI's `att.datable.w3c` takes them, and the stretch of time
//! each one names, so that two can be put in order.
//!
//! The forms are those of `teidata.temporal.w3c`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
//! `--MM`, `--MM-DD`, `---DD`, `hh:mm:ss` and `YYYY-MM-DDThh:mm:ss`, each with an optional
//! time zone (`Z`, `+hh:mm`, `-hh:mm`). Years have four or more digits, may be negative,
//! and 0000 is not a year (XML Schema 1.0, as jing and the RELAX NG engine read it).

/// The form of a date value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Year,
    YearMonth,
    Date,
    DateTime,
    Month,
    MonthDay,
    Day,
    Time,
}

/// A date value read from an attribute: the first and last second it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    pub form: Form,
    /// First second covered, in seconds from an arbitrary epoch, local to its zone.
    pub first: i128,
    /// Last second covered.
    pub last: i128,
    /// The time zone in minutes east of UTC, if one was given.
    pub zone: Option<i32>,
}

impl Moment {
    /// Whether the value names a stretch of a particular year (so that two can be ordered;
    /// `--05` to `--02` may well run over a new year, so year-less forms are not compared).
    pub fn has_year(&self) -> bool {
        matches!(self.form, Form::Year | Form::YearMonth | Form::Date | Form::DateTime)
    }

    /// Whether `self` begins after `other` has ended: the range `self`..`other` is empty.
    /// Zones count only when both values have one.
    pub fn starts_after(&self, other: &Moment) -> bool {
        let (mut a, mut b) = (self.first, other.last);
        if let (Some(za), Some(zb)) = (self.zone, other.zone) {
            a -= i128::from(za) * 60;
            b -= i128::from(zb) * 60;
        }
        a > b
    }
}

/// What the forms look like, for messages.
pub const FORMS: &str =
    "YYYY, YYYY-MM, YYYY-MM-DD, --MM, --MM-DD, ---DD, hh:mm:ss or YYYY-MM-DDThh:mm:ss";

/// Reads a W3C date value; `None` when it is none of the forms. Space
/// around the value is no error: the datatypes collapse white space.
pub fn parse(text: &str) -> Option<Moment> {
    let text = text.trim_matches([' ', '\t', '\n', '\r']);
    let mut c = Cursor { s: text.as_bytes(), at: 0 };
    let moment = if text.starts_with("--") {
        c.at = 2;
        if c.eat(b'-') {
            let day = c.digits(2)?;
            check_day(None, 1, day, true)?;
            span(Form::Day, 2000, 1, day, day, None)
        } else {
            let month = c.digits(2)?;
            if !c.zone_follows() && c.eat(b'-') {
                let day = c.digits(2)?;
                check_day(None, month, day, false)?;
                span(Form::MonthDay, 2000, month, day, day, None)
            } else {
                check_day(None, month, 1, false)?;
                span(Form::Month, 2000, month, 1, days_in_month(None, month), None)
            }
        }
    } else if text.as_bytes().get(2) == Some(&b':') {
        let (seconds, last) = c.time()?;
        Moment { form: Form::Time, first: seconds, last, zone: None }
    } else {
        let year = c.year()?;
        if c.zone_follows() || !c.eat(b'-') {
            span(Form::Year, year, 1, 1, 31, Some(12))
        } else {
            let month = c.digits(2)?;
            if c.zone_follows() || !c.eat(b'-') {
                check_day(Some(year), month, 1, false)?;
                span(Form::YearMonth, year, month, 1, days_in_month(Some(year), month), None)
            } else {
                let day = c.digits(2)?;
                check_day(Some(year), month, day, false)?;
                if c.eat(b'T') {
                    let (seconds, last) = c.time()?;
                    let day_start = days_from_civil(year, month, day) * 86_400;
                    Moment {
                        form: Form::DateTime,
                        first: day_start + seconds,
                        last: day_start + last,
                        zone: None,
                    }
                } else {
                    span(Form::Date, year, month, day, day, None)
                }
            }
        }
    };
    let zone = c.zone()?;
    c.at_end().then_some(Moment { zone, ..moment })
}

/// The stretch from `day` of `month` to `last_day` of `last_month` (the same month
/// without it), whole days.
fn span(
    form: Form,
    year: i64,
    month: u32,
    day: u32,
    last_day: u32,
    last_month: Option<u32>,
) -> Moment {
    let first = days_from_civil(year, month, day) * 86_400;
    let last = (days_from_civil(year, last_month.unwrap_or(month), last_day) + 1) * 86_400 - 1;
    Moment { form, first, last, zone: None }
}

fn check_day(year: Option<i64>, month: u32, day: u32, any_month: bool) -> Option<()> {
    let max = if any_month { 31 } else { days_in_month(year, month) };
    ((1..=12).contains(&month) && (1..=max).contains(&day)).then_some(())
}

fn days_in_month(year: Option<i64>, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            // Without a year, February may have its leap day.
            None => 29,
            Some(y) if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            Some(_) => 28,
        },
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i128 {
    let y = i128::from(year) - i128::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i128::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i128::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A cursor over the ASCII of a date value.
struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn eat(&mut self, b: u8) -> bool {
        let hit = self.s.get(self.at) == Some(&b);
        self.at += usize::from(hit);
        hit
    }

    fn digits(&mut self, n: usize) -> Option<u32> {
        let part = self.s.get(self.at..self.at + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += n;
        Some(part.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
    }

    /// An optionally negative year of four or more digits, no leading zero beyond four,
    /// not 0000, and small enough to compute with.
    fn year(&mut self) -> Option<i64> {
        let negative = self.eat(b'-');
        let start = self.at;
        while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let digits = &self.s[start..self.at];
        if digits.len() < 4 || digits.len() > 12 || (digits.len() > 4 && digits[0] == b'0') {
            return None;
        }
        let year = digits.iter().fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
        if year == 0 {
            return None;
        }
        Some(if negative { -year } else { year })
    }

    /// `hh:mm:ss` with optional fraction; the first and last second it covers.
    fn time(&mut self) -> Option<(i128, i128)> {
        let hour = self.digits(2)?;
        self.eat(b':').then_some(())?;
        let minute = self.digits(2)?;
        self.eat(b':').then_some(())?;
        let second = self.digits(2)?;
        let mut fraction_zero = true;
        if self.eat(b'.') {
            let start = self.at;
            while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
                fraction_zero &= self.s[self.at] == b'0';
                self.at += 1;
            }
            if self.at == start {
                return None;
            }
        }
        let end_of_day = hour == 24 && minute == 0 && second == 0 && fraction_zero;
        if (hour > 23 && !end_of_day) || minute > 59 || second > 59 {
            return None;
        }
        let s = i128::from(hour * 3600 + minute * 60 + second);
        Some((s, s))
    }

    /// An optional zone: `Z` or `±hh:mm` up to 14:00; `Some(None)` without one.
    fn zone(&mut self) -> Option<Option<i32>> {
        if self.eat(b'Z') {
            return Some(Some(0));
        }
        let sign = match self.s.get(self.at) {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Some(None),
        };
        self.at += 1;
        let hours = self.digits(2)?;
        self.eat(b':').then_some(())?;
        let minutes = self.digits(2)?;
        if minutes > 59 || hours > 14 || (hours == 14 && minutes > 0) {
            return None;
        }
        let total = i32::try_from(hours * 60 + minutes).ok()?;
        Some(Some(sign * total))
    }

    fn at_end(&self) -> bool {
        self.at == self.s.len()
    }

    /// Whether a `-hh:mm` zone, and nothing after it, comes next ("1955-05:00"
    /// is a year in a zone, not a month).
    fn zone_follows(&self) -> bool {
        let rest = &self.s[self.at..];
        let digit = |i: usize| rest[i].is_ascii_digit();
        rest.len() == 6
            && rest[0] == b'-'
            && digit(1)
            && digit(2)
            && rest[3] == b':'
            && digit(4)
            && digit(5)
    }
}
