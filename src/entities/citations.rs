//! Bibliographic citations: parenthesised references such as
//! "(Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)".
//!
//! A parenthesis in running text is a reference when it names a work of the
//! register, or when it has the shape of one: a title-like first part and a
//! volume, issue or page number. Inside every reference (these, and the
//! citations after quotations) the issue, volume and page numbers become
//! `<biblScope>` with `from`/`to`, and a title-like first part that is not a
//! registered work becomes a `<title>` without a reference.
//!
//! In a notes section a reference needs no parentheses: "Tribüne, No. 138,
//! June 16, 1953, page 1", "Harold R. Isaacs, The Tragedy of the Chinese
//! Revolution (London, 1938)", "L. Trotsky, “Title,” May 7, 1927, in Book
//! (New York, 1932), page 27" are read piece by piece (see [`note_references`]).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::names::{Found, overlapping, within};
use super::register::EntryKind;
use crate::document::{Annotation, Cert, Kind, Level, Scope};
use crate::structure::{Block, BlockKind};

static SCOPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<label>(?i:nos?\.|numbers?|issues?|vols?\.|volumes?|pp?\.|pages?|ch\.|chapters?))
        \s*
        (?P<from>[0-9]+|[IVXLC]+(?-u:\b))
        (?:\s*[-–]\s*(?P<to>[0-9]+|[IVXLC]+(?-u:\b)))?",
    )
    .expect("the scope pattern is valid")
});

/// A date as references give it, anchored: with its day (`day` is set), or
/// month and year (also "March-April 1953" and a season, "Fall 1956"), or a
/// year.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let month = super::dates::month_pattern(false);
    let season = "(?:Spring|Summer|Fall|Autumn|Winter)";
    Regex::new(&format!(
        r"^(?:(?P<day>{month}\s+[0-9]{{1,2}},?\s+[0-9]{{4}}|[0-9]{{1,2}}\s+{month}\s+[0-9]{{4}})|{month}(?:\s*[-–/]\s*{month})?\s+[0-9]{{4}}|{season}\s+[0-9]{{4}}|1[5-9][0-9]{{2}}\b|20[0-9]{{2}}\b)"
    ))
    .expect("the date pattern is valid")
});

/// Finds references in parentheses in paragraphs (those not already
/// found) and annotates the inside of every reference; in notes, also the
/// references without parentheses. Returns the quotation marks that turned
/// out to enclose a title (they make no quotation).
pub fn find(
    text: &str,
    blocks: &[Block],
    known: &[Range<usize>],
    names: &[Found],
    out: &mut Vec<Annotation>,
) -> Vec<Range<usize>> {
    let mut quoted_titles = Vec::new();
    let mut known = known.to_vec();
    known.sort_by_key(|r| r.start);
    let mut bibls: Vec<Range<usize>> = known.clone();
    for block in blocks {
        if !matches!(block.kind, BlockKind::Paragraph | BlockKind::QuoteParagraph | BlockKind::Note)
        {
            continue;
        }
        let b = text[block.range.clone()].as_bytes();
        let mut depth = 0usize;
        let mut open = 0usize;
        for i in memchr::memchr2_iter(b'(', b')', b) {
            if b[i] == b'(' {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            } else if depth > 0 {
                depth -= 1;
                if depth == 0 {
                    let range = block.range.start + open..block.range.start + i + 1;
                    if !within_any(&known, &range) && is_reference(text, range.clone(), names) {
                        out.push(Annotation::new(range.clone(), Kind::Bibl, "citation.reference"));
                        bibls.push(range);
                    }
                }
            }
        }
    }
    for block in blocks.iter().filter(|b| b.kind == BlockKind::Note) {
        for reference in
            note_references(text, block.range.clone(), names, &bibls, out, &mut quoted_titles)
        {
            // Only the reference's own numbers: a title may hold words
            // that read like one ("“Nos. 1-2 of a Bulletin”").
            for scope in reference.scopes {
                scopes(text, scope, out);
            }
            out.push(
                Annotation::new(reference.span, Kind::Bibl, "citation.note")
                    .with_cert(Cert::Medium),
            );
        }
    }
    for range in bibls {
        inside(text, range, names, out);
    }
    quoted_titles
}

/// Whether `range` lies inside one of the sorted, non-nested `ranges`.
fn within_any(ranges: &[Range<usize>], range: &Range<usize>) -> bool {
    let i = ranges.partition_point(|r| r.start <= range.start);
    i > 0 && ranges[i - 1].end >= range.end
}

/// The issue, volume, chapter and page numbers in `body` as `<biblScope>`;
/// returns whether an issue number is among them.
fn scopes(text: &str, body: Range<usize>, out: &mut Vec<Annotation>) -> bool {
    let inner = &text[body.clone()];
    let mut has_issue = false;
    for caps in SCOPE.captures_iter(inner) {
        let (Some(whole), Some(label), Some(from)) =
            (caps.get(0), caps.name("label"), caps.name("from"))
        else {
            continue;
        };
        let label = label.as_str().to_lowercase();
        let unit = if label.starts_with('n') || label.starts_with("issue") {
            has_issue = true;
            "issue"
        } else if label.starts_with('v') {
            "volume"
        } else if label.starts_with("ch") {
            "chapter"
        } else {
            "page"
        };
        let to = caps.name("to").map_or(from.as_str(), |m| m.as_str());
        let scope = Scope {
            unit: unit.to_string(),
            from: Some(from.as_str().to_string()),
            to: Some(to.to_string()),
        };
        let at = body.start + whole.start()..body.start + whole.end();
        out.push(Annotation::new(at, Kind::BiblScope(Box::new(scope)), "citation.scope"));
    }
    has_issue
}

/// Whether a parenthesis names a registered work, or has the shape of a
/// reference: a title-like part, then an issue, volume or page number.
fn is_reference(text: &str, range: Range<usize>, names: &[Found]) -> bool {
    // `range` runs from an opening to its closing parenthesis.
    let inner = &text[range.start + 1..range.end - 1];
    if within(names, range.start + 1..range.end - 1).any(|n| n.kind == EntryKind::Work) {
        return true;
    }
    let Some((first, rest)) = inner.split_once(',') else { return false };
    // "(New York Times, April 2, 1953)": a work cited by the day of its issue.
    let dated = DATE.captures(rest.trim_start()).is_some_and(|c| c.name("day").is_some());
    let first_range = range.start + 1..range.start + 1 + first.len();
    (SCOPE.is_match(inner) || dated && !is_a_name(text, first_range, names))
        && starts_title_like(first)
}

/// A part that reads like a title: begins with a capital, mostly capitalised words.
fn starts_title_like(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    let capitalised =
        words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    !words.is_empty()
        && words.len() <= 12
        && part.trim_start().starts_with(|c: char| c.is_uppercase())
        && capitalised * 2 >= words.len()
}

/// The scopes of a reference, and its title when no registered work is in it.
fn inside(text: &str, range: Range<usize>, names: &[Found], out: &mut Vec<Annotation>) {
    // The reference without its brackets, if it has any ("— Trotsky" has none).
    let whole = &text[range.clone()];
    let bracketed =
        whole.starts_with(['(', '[']) && whole.ends_with([')', ']']) && whole.len() >= 2;
    let body = if bracketed { range.start + 1..range.end - 1 } else { range.clone() };
    let inner = &text[body.clone()];
    let has_issue = scopes(text, body.clone(), out);
    let near = overlapping(names, body.clone());
    if within(names, body.clone()).any(|n| n.kind == EntryKind::Work) {
        return;
    }
    // An unregistered title: the first part, if it reads like one and is no name.
    let first = inner.split(',').next().unwrap_or("");
    let trimmed = first.trim();
    if inner.contains(',')
        && starts_title_like(trimmed)
        && !SCOPE.is_match(trimmed)
        && !trimmed.chars().any(|c| c.is_ascii_digit())
    {
        let title = trim_range(text, body.start..body.start + first.len());
        // A title may hold a name ("New York Times"), but a name alone is no title.
        if !is_a_name(text, title.clone(), near) {
            let rest = inner.split_once(',').map_or("", |(_, r)| r.trim_start());
            let by_day = DATE.captures(rest).is_some_and(|c| c.name("day").is_some());
            let level = (has_issue || by_day).then_some(Level::J);
            out.push(
                Annotation::new(title, Kind::Title { reference: None, level }, "citation.title")
                    .with_cert(Cert::Medium),
            );
        }
    }
}

/// A piece of a reference in a note, between top-level commas.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// A date; `day` when it names the day.
    Date { day: bool },
    /// An issue, volume or page number.
    Scope,
    /// "(London, 1938)": where and when a book appeared.
    Published,
    /// Words in quotation marks (an article's title); `inner` without them
    /// or the punctuation inside them.
    Quoted { inner: Range<usize> },
    /// "in Problems of the Chinese Revolution": the book an article is in.
    In { title: Range<usize> },
    /// Any other words.
    Words,
}

/// The references of a note that are not in parentheses, as byte ranges;
/// their titles go to `out` and the quotation marks around a title to
/// `quoted_titles`. A note is read sentence by sentence and each sentence
/// clause by clause (`;`); a clause is a reference when it opens with one:
/// a title-like part and a date ("Neues Deutschland, June 30, 1953, page
/// 1"), or an author and a title published somewhere ("Harold R. Isaacs,
/// The Tragedy of the Chinese Revolution (London, 1938)"), or an author and
/// an article's title in quotation marks. The reference ends with its last
/// date, number or place of publication.
fn note_references(
    text: &str,
    note: Range<usize>,
    names: &[Found],
    known: &[Range<usize>],
    out: &mut Vec<Annotation>,
    quoted_titles: &mut Vec<Range<usize>>,
) -> Vec<Reference> {
    let mut found = Vec::new();
    let body = note_body(text, note);
    for clause in clauses(text, body) {
        let pieces = pieces(text, clause.clone());
        let Some(reference) = read_reference(text, &pieces, names) else { continue };
        let span = reference.span.clone();
        let overlaps_known = known.iter().any(|k| k.start < span.end && span.start < k.end);
        if overlaps_known {
            continue;
        }
        for (range, level) in reference.titles.iter().cloned() {
            out.push(
                Annotation::new(range, Kind::Title { reference: None, level }, "citation.title")
                    .with_cert(Cert::Medium),
            );
        }
        quoted_titles.extend(reference.quoted.iter().cloned());
        found.push(reference);
    }
    found
}

/// The note without its label ("[1]", "1.") and surrounding space.
fn note_body(text: &str, note: Range<usize>) -> Range<usize> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:\[[0-9]+\]|[0-9]+\.)?\s*").expect("the label pattern is valid")
    });
    let s = &text[note.clone()];
    let skip = LABEL.find(s).map_or(0, |m| m.end());
    note.start + skip..note.end
}

/// The sentences of a note and their clauses (split at `;`), trimmed, with
/// "See", "See also" and "Cf." left out and without a final full stop. A
/// full stop after an initial ("L. Trotsky") or an abbreviation ("No.",
/// "p.") ends no sentence.
fn clauses(text: &str, body: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[body.clone()];
    let bytes = s.as_bytes();
    let mut cuts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    // Straight quotation marks open and close alike.
    let mut straight = false;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '“' => depth += 1,
            ')' | '”' => depth -= 1,
            '"' => {
                straight = !straight;
                depth += if straight { 1 } else { -1 };
            }
            ';' if depth <= 0 => {
                cuts.push(start..i);
                start = i + 1;
            }
            '.' | '!' | '?' if depth <= 0 => {
                let next = bytes.get(i + 1).copied();
                let after = s[i + 1..].trim_start();
                let ends = next.is_none_or(|b| b == b' ' || b == b'\n')
                    && (after.is_empty() || after.starts_with(char::is_uppercase));
                let word = s[..i].rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                let initial = word.chars().count() == 1 && word.starts_with(char::is_uppercase);
                let abbreviation = ABBREVIATIONS.contains(&word.to_lowercase().as_str());
                if ends && !initial && !abbreviation {
                    cuts.push(start..i);
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    cuts.push(start..s.len());
    cuts.into_iter()
        .filter_map(|r| {
            let clause = trim_range(text, body.start + r.start..body.start + r.end);
            let cue = ["See also ", "See ", "Cf. ", "cf. "]
                .iter()
                .find(|cue| text[clause.clone()].starts_with(*cue))
                .map_or(0, |cue| cue.len());
            let from = clause.start + cue;
            (from < clause.end).then_some(from..clause.end)
        })
        .collect()
}

const ABBREVIATIONS: [&str; 14] =
    ["no", "nos", "vol", "vols", "p", "pp", "ch", "ed", "eds", "trans", "cf", "mr", "dr", "st"];

/// Splits a clause into pieces at top-level commas (and around quotation
/// marks and parentheses).
fn pieces(text: &str, clause: Range<usize>) -> Vec<(Range<usize>, Piece)> {
    let s = &text[clause.clone()];
    let mut out = Vec::new();
    let mut at = 0;
    while at < s.len() {
        let rest = &s[at..];
        let skip = rest.len() - rest.trim_start_matches([',', ' ', '\n', '\r', '\t']).len();
        if skip > 0 {
            at += skip;
            continue;
        }
        let here = clause.start + at;
        if let Some(c) = DATE.captures(rest) {
            let len = c.get(0).map_or(0, |m| m.end());
            out.push((here..here + len, Piece::Date { day: c.name("day").is_some() }));
            at += len;
        } else if let Some(m) = SCOPE.find(rest).filter(|m| m.start() == 0) {
            out.push((here..here + m.end(), Piece::Scope));
            at += m.end();
        } else if let Some((open, close)) = [('“', '”'), ('"', '"')]
            .into_iter()
            .find_map(|(o, c)| rest.strip_prefix(o).and_then(|r| r.find(c)).map(|at| ((o, c), at)))
        {
            let (open, close_mark) = open;
            let len = open.len_utf8() + close + close_mark.len_utf8();
            let inner = &rest[open.len_utf8()..open.len_utf8() + close];
            let trimmed = inner.trim_end_matches([',', '.', ';', ':', ' ']);
            let from = here + open.len_utf8();
            out.push((here..here + len, Piece::Quoted { inner: from..from + trimmed.len() }));
            at += len;
        } else if rest.starts_with('(') {
            let close = rest.find(')');
            let len = close.map_or(rest.len(), |i| i + 1);
            let inner = rest[1..close.unwrap_or(rest.len())].trim();
            let published = close.is_some()
                && inner.rsplit_once(',').is_some_and(|(place, year)| {
                    DATE.is_match(year.trim())
                        && !place.chars().any(|c| c.is_ascii_digit())
                        && starts_title_like(place)
                        && place.split_whitespace().count() <= 4
                });
            out.push((here..here + len, if published { Piece::Published } else { Piece::Words }));
            at += len;
        } else {
            let len = rest.find([',', '(', '“', '"']).unwrap_or(rest.len());
            let len = if len == 0 { rest.chars().next().map_or(1, char::len_utf8) } else { len };
            let words = rest[..len].trim_end();
            let piece = match words.strip_prefix("in ") {
                Some(title) if starts_title_like(title) => {
                    let from = here + 3;
                    Piece::In { title: from..from + title.len() }
                }
                _ => Piece::Words,
            };
            out.push((here..here + words.len(), piece));
            at += len;
        }
    }
    // "…, London, 1957": a place of publication and a year, written
    // without parentheses, after a title.
    let mut i = 1;
    while i + 1 < out.len() {
        let (place, year) = (&out[i], &out[i + 1]);
        let year_text = &text[year.0.clone()];
        let words = &text[place.0.clone()];
        if place.1 == Piece::Words
            && year.1 == (Piece::Date { day: false })
            && year_text.len() == 4
            && starts_title_like(words)
            && words.split_whitespace().count() <= 3
            && !words.chars().any(|c| c.is_ascii_digit())
        {
            out[i] = (place.0.start..year.0.end, Piece::Published);
            out.remove(i + 1);
        }
        i += 1;
    }
    out
}

/// A reference read from the pieces of a clause.
struct Reference {
    span: Range<usize>,
    titles: Vec<(Range<usize>, Option<Level>)>,
    quoted: Vec<Range<usize>>,
    /// The issue, volume and page numbers.
    scopes: Vec<Range<usize>>,
}

fn read_reference(
    text: &str,
    pieces: &[(Range<usize>, Piece)],
    names: &[Found],
) -> Option<Reference> {
    let (first, first_kind) = pieces.first()?;
    if *first_kind != Piece::Words {
        return None;
    }
    // A reference may close a sentence: "… see the report in
    // France-Observateur, No. 108, June 12, 1952": then only its title's
    // words begin it, and only a periodical's issue can follow.
    let embedded = !starts_title_like(&text[first.clone()]);
    let first = &if embedded { trailing_title(text, first.clone())? } else { first.clone() };
    // Where the reference proper ends: its last date, number, place of
    // publication, or title in quotation marks, before any other words.
    let citing = |p: &Piece| !matches!(p, Piece::Words);
    let lead = 1 + pieces[1..].iter().take_while(|(r, p)| is_title_piece(text, r, p)).count();
    // The citing pieces after the lead; title-like words between an
    // article's title and an issue or date name the periodical it is in
    // ("“…,” Labor Action, December 17, 1956").
    let mut end = lead;
    let mut periodical = None;
    while let Some((range, piece)) = pieces.get(end) {
        let after_quoted =
            end > 0 && matches!(pieces[end - 1].1, Piece::Quoted { .. }) && periodical.is_none();
        let issue_follows = pieces
            .get(end + 1)
            .is_some_and(|(_, p)| matches!(p, Piece::Scope | Piece::Date { .. }));
        if citing(piece) {
            end += 1;
        } else if after_quoted && issue_follows && starts_title_like(&text[range.clone()]) {
            periodical = Some(range.clone());
            end += 1;
        } else {
            break;
        }
    }
    let tail = end - lead;
    if tail == 0 {
        return None;
    }
    let core = &pieces[..lead + tail];
    let has = |f: fn(&Piece) -> bool| core.iter().any(|(_, p)| f(p));
    let published = has(|p| *p == Piece::Published);
    let quoted = has(|p| matches!(p, Piece::Quoted { .. }));
    let dated = has(|p| matches!(p, Piece::Date { .. }));
    let mut titles = Vec::new();
    let mut quoted_marks = Vec::new();
    let authored = is_author(&text[first.clone()]);
    if published && lead == 1 && !quoted && (embedded || !authored) {
        // A book by its title alone: "see One Way Only, London, 1951, pages 12-15".
        titles.push((trim_range(text, first.clone()), Some(Level::M)));
    } else if (quoted || published) && !embedded {
        // Author, then a title: "L. Trotsky, “…”", "Harold R. Isaacs, The Tragedy … (London, 1938)".
        if lead > 2 || !authored {
            return None;
        }
        if let Some(periodical) = periodical {
            titles.push((periodical, Some(Level::J)));
        }
        for (range, piece) in core {
            match piece {
                Piece::Quoted { inner } => {
                    titles.push((inner.clone(), Some(Level::A)));
                    quoted_marks.push(range.clone());
                }
                Piece::In { title } => titles.push((title.clone(), Some(Level::M))),
                _ => {}
            }
        }
        if lead == 2 && published {
            titles.push((pieces[1].0.clone(), Some(Level::M)));
        }
    } else if dated && lead == 1 {
        // A periodical and its issue: "Tribüne, No. 138, June 16, 1953, page 1".
        let work = overlapping(names, first.clone())
            .iter()
            .any(|n| n.kind == EntryKind::Work && n.range == trim_range(text, first.clone()));
        if is_a_name(text, first.clone(), names) && !work {
            return None;
        }
        let by_day = has(|p| matches!(p, Piece::Date { day: true }));
        let issue = core.iter().any(|(r, p)| {
            *p == Piece::Scope && text[r.clone()].to_lowercase().starts_with(['n', 'i'])
        });
        // A month alone could date anything; with a page it dates an issue.
        let scoped = has(|p| *p == Piece::Scope);
        // Closing a sentence, a name and a day could be a place ("arrested
        // in Lyon, June 12, 1952"): a number must show it is an issue.
        if !(by_day || issue || scoped) || embedded && !scoped {
            return None;
        }
        if !work {
            titles.push((first.clone(), Some(Level::J)));
        }
    } else {
        return None;
    }
    let span = first.start..core.last().map_or(first.end, |(r, _)| r.end);
    let scopes = core.iter().filter(|(_, p)| *p == Piece::Scope).map(|(r, _)| r.clone()).collect();
    Some(Reference { span, titles, quoted: quoted_marks, scopes })
}

/// The capitalised words that end `range` ("France-Observateur", "Cahiers
/// du Communisme"), with the small words that join them; none when a
/// lowercase word ends it.
fn trailing_title(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    const JOINING: [&str; 16] = [
        "of", "the", "and", "de", "du", "des", "la", "le", "les", "der", "die", "das", "für", "di",
        "del", "y",
    ];
    let s = &text[range.clone()];
    let words: Vec<(usize, &str)> =
        s.split_whitespace().map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w)).collect();
    let mut first = words.len();
    while first > 0 {
        let w = words[first - 1].1;
        if w.starts_with(char::is_uppercase) || JOINING.contains(&w) {
            first -= 1;
        } else {
            break;
        }
    }
    // The run begins with a capitalised word.
    while first < words.len() && !words[first].1.starts_with(char::is_uppercase) {
        first += 1;
    }
    let (at, _) = *words.get(first)?;
    let end = words.last().map_or(0, |(i, w)| i + w.len());
    Some(range.start + at..range.start + end)
}

/// Whether a piece after the first can still be part of the author and title
/// (words that read like a title).
fn is_title_piece(text: &str, range: &Range<usize>, piece: &Piece) -> bool {
    *piece == Piece::Words && starts_title_like(&text[range.clone()])
}

/// Whether words read like an author's name: one to four capitalised words
/// or initials ("L. Trotsky", "Harold R. Isaacs").
fn is_author(words: &str) -> bool {
    let tokens: Vec<&str> = words.split_whitespace().collect();
    !tokens.is_empty()
        && tokens.len() <= 4
        && tokens.iter().all(|t| t.starts_with(char::is_uppercase))
        && !tokens.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()))
}

/// Whether the words in `range` are just a name of the register (a person,
/// place or organisation — "(Moscow, June 1, 1953)" cites no work), not a
/// title that holds one ("New York Times").
fn is_a_name(text: &str, range: Range<usize>, names: &[Found]) -> bool {
    let words = trim_range(text, range);
    overlapping(names, words.clone()).iter().any(|n| n.range == words)
}

/// `range` without the whitespace at its ends.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    start..start + s.trim().len()
}

#[cfg(test)]
mod tests;
