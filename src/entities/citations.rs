//! Bibliographic citations: parenthesised references such as
//! "(Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)".
//!
//! A parenthesis in running text is a reference when it names a work of the
//! register, or when it has the shape of one: a title-like first part and a
//! volume, issue or page number. Inside every reference (these, and the
//! citations after quotations) the issue, volume and page numbers become
//! `<biblScope>` with `from`/`to`, and a title-like first part that is not a
//! registered work becomes a `<title>` without a reference.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::names::{Found, overlapping};
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

/// Finds references in parentheses in paragraphs (those not already
/// found) and annotates the inside of every reference.
pub fn find(
    text: &str,
    blocks: &[Block],
    known: &[Range<usize>],
    names: &[Found],
    out: &mut Vec<Annotation>,
) {
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
    for range in bibls {
        inside(text, range, names, out);
    }
}

/// Whether `range` lies inside one of the sorted, non-nested `ranges`.
fn within_any(ranges: &[Range<usize>], range: &Range<usize>) -> bool {
    let i = ranges.partition_point(|r| r.start <= range.start);
    i > 0 && ranges[i - 1].end >= range.end
}

/// Whether a parenthesis names a registered work, or has the shape of a
/// reference: a title-like part, then an issue, volume or page number.
fn is_reference(text: &str, range: Range<usize>, names: &[Found]) -> bool {
    // `range` runs from an opening to its closing parenthesis.
    let inner = &text[range.start + 1..range.end - 1];
    if overlapping(names, range.clone()).iter().any(|n| {
        n.kind == EntryKind::Work && range.start < n.range.start && n.range.end < range.end
    }) {
        return true;
    }
    let Some(first) = inner.split(',').next() else { return false };
    SCOPE.is_match(inner) && inner.contains(',') && starts_title_like(first)
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
    let near = overlapping(names, body.clone());
    let has_work = near.iter().any(|n| {
        n.kind == EntryKind::Work && body.start <= n.range.start && n.range.end <= body.end
    });
    let covered = |r: &Range<usize>| !overlapping(near, r.clone()).is_empty();
    if has_work {
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
        let start = body.start + (first.len() - first.trim_start().len());
        let title = start..start + trimmed.len();
        if !covered(&title) {
            let level = has_issue.then_some(Level::J);
            out.push(
                Annotation::new(title, Kind::Title { reference: None, level }, "citation.title")
                    .with_cert(Cert::Medium),
            );
        }
    }
}
