use super::*;

/// Renders each date found in `text` as `span => attributes`.
fn check(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut last_year = None;
    find_in(text, 0..text.len(), &mut last_year, &mut out);
    out.iter()
        .map(|a| {
            let Kind::Date(v) = &a.kind else { unreachable!("only dates are found") };
            let attrs: Vec<String> = [
                ("when", &v.when),
                ("from", &v.from),
                ("to", &v.to),
                ("notBefore", &v.not_before),
                ("notAfter", &v.not_after),
            ]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
            .collect();
            format!("{} => {}", &text[a.range()], attrs.join(" "))
        })
        .collect()
}

#[test]
fn years_ranges_and_calendar_dates() {
    assert_eq!(
        check(
            "the 1917 Revolution; their 1917-23 failure; from 1925 to 1927; in 1931–36; 1899-1901"
        ),
        [
            "1917 => when=1917",
            "1917-23 => from=1917 to=1923",
            "from 1925 to 1927 => from=1925 to=1927",
            "1931–36 => from=1931 to=1936",
            "1899-1901 => from=1899 to=1901",
        ]
    );
    assert_eq!(
        check(
            "July 1929, March 5, 1953, 5 March 1953, the 17th of June, 1953 and July-September 1953"
        ),
        [
            "July 1929 => when=1929-07",
            "March 5, 1953 => when=1953-03-05",
            "5 March 1953 => when=1953-03-05",
            "17th of June, 1953 => when=1953-06-17",
            "July-September 1953 => from=1953-07 to=1953-09",
        ]
    );
}

#[test]
fn seasons_decades_centuries_and_approximations() {
    assert_eq!(
        check(
            "(Spring 1955) the winter of 1955-56, Winter 1953, the Twenties, the early Thirties, the 1920s, the nineteenth century"
        ),
        [
            "Spring 1955 => from=1955-03 to=1955-05",
            "winter of 1955-56 => from=1955-12 to=1956-02",
            "Winter 1953 => from=1952-12 to=1953-02",
            "Twenties => from=1920 to=1929",
            "early Thirties => from=1930 to=1933",
            "1920s => from=1920 to=1929",
            "nineteenth century => from=1801 to=1900",
        ]
    );
    assert_eq!(
        check("by the end of 1929, early 1930, mid-1952, late 1949, early in 1936"),
        [
            "end of 1929 => notBefore=1929-10 notAfter=1929-12",
            "early 1930 => notBefore=1930-01 notAfter=1930-04",
            "mid-1952 => notBefore=1952-05 notAfter=1952-08",
            "late 1949 => notBefore=1949-09 notAfter=1949-12",
            "early in 1936 => notBefore=1936-01 notAfter=1936-04",
        ]
    );
}

#[test]
fn months_without_a_year_take_the_last_one() {
    assert_eq!(
        check(
            "In 1953 the strike began on June 17 and spread in July. May we add that in May it ended?"
        ),
        [
            "1953 => when=1953",
            "June 17 => when=1953-06-17",
            "July => when=1953-07",
            "May => when=1953-05"
        ]
    );
    assert_eq!(check("in June"), ["June => when=--06"]);
}

#[test]
fn plain_numbers_are_not_dates() {
    let traps = "25 months, 94,000 collectives, 17 millions, page 22, Nos.1-2, 2000 tanks, some 1200 workers, \
                 1,500 delegates, 3,500 villages, $1955, 1955%, No. 1917, Local 1918, 18384, 1850 delegates, \
                 pages 1920-25, about 1400 men";
    assert_eq!(check(traps), Vec::<String>::new());
}

#[test]
fn a_year_before_an_ordinary_plural_is_still_a_year() {
    assert_eq!(
        check("the 1955 elections and the 1905 events"),
        ["1955 => when=1955", "1905 => when=1905"]
    );
}

#[test]
fn centuries_in_words_and_digits_and_their_edges() {
    assert_eq!(
        check(
            "in the 19th century; the early twentieth century; by the end of the 19th century; \
             at the beginning of the twentieth century; the second half of the 18th century"
        ),
        [
            "19th century => from=1801 to=1900",
            "early twentieth century => from=1901 to=1933",
            "end of the 19th century => notBefore=1891 notAfter=1900",
            "beginning of the twentieth century => notBefore=1901 notAfter=1910",
            "second half of the 18th century => notBefore=1751 notAfter=1800",
        ]
    );
}
