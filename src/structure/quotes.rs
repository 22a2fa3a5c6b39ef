//! Block quotations: paragraphs that consist of quoted text.
//!
//! A block quotation is a paragraph that opens with a quotation mark whose
//! closing mark ends the paragraph — only a citation in parentheses (or
//! after a dash) and punctuation may follow — or a run of paragraphs that
//! each open with a mark, of which only the last closes (the printers'
//! convention for long quotations).

use std::ops::Range;

use super::{RawBlock, is_xml_space};
use crate::document::{Annotation, Kind};

/// A block quotation found at the start of a slice of blocks.
#[derive(Debug, Clone)]
pub struct Run {
    /// The paragraphs' byte ranges.
    pub paragraphs: Vec<Range<usize>>,
    pub annotations: Vec<Annotation>,
}

/// Whether the block begins with an opening double quotation mark.
pub fn opens(t: &str) -> bool {
    t.starts_with(['“', '"', '«', '„'])
}

/// Whether the block opens a quotation it does not close.
pub fn unclosed(t: &str) -> bool {
    opens(t) && close_of_first(t).is_none()
}

/// Byte offset just after the mark that closes the quotation opened by the
/// first character of `t`, if it closes in `t`.
pub fn close_of_first(t: &str) -> Option<usize> {
    let first = t.chars().next()?;
    let (open, close): (&[char], char) = match first {
        '“' | '„' => (&['“', '„'], '”'),
        '«' => (&['«'], '»'),
        '"' => {
            // Straight marks cannot nest: the next one closes.
            let at = t[1..].find('"')?;
            return Some(1 + at + 1);
        }
        _ => return None,
    };
    let mut depth = 0usize;
    for (i, c) in t.char_indices() {
        if open.contains(&c) {
            depth += 1;
        } else if c == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(i + c.len_utf8());
            }
        }
    }
    None
}

/// Recognises a block quotation starting at `blocks[0]`.
pub fn block_quote(text: &str, blocks: &[RawBlock]) -> Option<Run> {
    let mut k = 0;
    loop {
        let block = blocks.get(k)?;
        let t = &text[block.range.clone()];
        if !opens(t) {
            return None;
        }
        if let Some(close) = close_of_first(t) {
            let tail = parse_tail(&t[close..])?;
            return Some(build(
                blocks[..=k].iter().map(|b| b.range.clone()).collect(),
                block.range.start + close,
                tail,
            ));
        }
        k += 1;
    }
}

/// What may follow the closing mark of a block quotation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Tail {
    /// The citation, relative to the tail's start.
    bibl: Option<Range<usize>>,
    /// Punctuation before or after the citation.
    pcs: Vec<Range<usize>>,
    /// A note marker ("[4]") stands where a citation could.
    marker: bool,
    len: usize,
}

fn is_pc(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '…')
}

/// Parses `ws* pc* ws* ( "(" … ")" | "[" … "]" | dash words )? ws* pc* ws*`.
fn parse_tail(s: &str) -> Option<Tail> {
    let mut tail = Tail { len: s.len(), ..Tail::default() };
    let mut i = skip(s, 0, is_xml_space);
    let j = skip(s, i, is_pc);
    if j > i {
        tail.pcs.push(i..j);
    }
    i = skip(s, j, is_xml_space);
    let rest = &s[i..];
    if rest.starts_with(['(', '[']) {
        let end = matching_bracket(rest)?;
        // A note marker ("[4]") after the closing mark is no citation.
        let marker = rest.starts_with('[') && rest[1..end - 1].bytes().all(|b| b.is_ascii_digit());
        if marker {
            tail.marker = true;
        } else {
            tail.bibl = Some(i..i + end);
        }
        i += end;
    } else if let Some(dash) = ["—", "–", "--"].iter().find(|d| rest.starts_with(**d)) {
        // "— Trotsky": words up to trailing punctuation.
        let body = rest.trim_end_matches(|c: char| is_pc(c) || is_xml_space(c));
        let words = body[dash.len()..].split_whitespace().count();
        if words == 0 || words > 15 {
            return None;
        }
        tail.bibl = Some(i..i + body.len());
        i += body.len();
    }
    i = skip(s, i, is_xml_space);
    let j = skip(s, i, is_pc);
    if j > i {
        tail.pcs.push(i..j);
    }
    i = skip(s, j, is_xml_space);
    (i == s.len()).then_some(tail)
}

fn skip(s: &str, from: usize, pred: impl Fn(char) -> bool) -> usize {
    s[from..].char_indices().find(|&(_, c)| !pred(c)).map_or(s.len(), |(k, _)| from + k)
}

/// Byte length of a bracketed group at the start of `s`, brackets included.
fn matching_bracket(s: &str) -> Option<usize> {
    let open = s.chars().next()?;
    let close = if open == '(' { ')' } else { ']' };
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i + 1);
            }
        }
    }
    None
}

fn build(paragraphs: Vec<Range<usize>>, quote_end: usize, tail: Tail) -> Run {
    let start = paragraphs[0].start;
    let last = paragraphs.len() - 1;
    let block_end = paragraphs[last].end;
    let mut annotations = Vec::new();
    // Whatever follows the closing mark (a citation, punctuation, a note
    // marker) goes with the quotation into a `<cit>`.
    let cited = tail.bibl.is_some() || !tail.pcs.is_empty() || tail.marker;
    if cited {
        annotations.push(Annotation::new(start..block_end, Kind::Cit, "structure.block-quote"));
    }
    annotations.push(Annotation::new(
        start..quote_end,
        Kind::Quote { block: true, speaker: None },
        "structure.block-quote",
    ));
    for (k, p) in paragraphs.iter().enumerate() {
        let end = if k == last { quote_end } else { p.end };
        annotations.push(Annotation::new(p.start..end, Kind::P, "structure.block-quote"));
    }
    let at = |r: &Range<usize>| quote_end + r.start..quote_end + r.end;
    if let Some(bibl) = &tail.bibl {
        annotations.push(Annotation::new(at(bibl), Kind::Bibl, "structure.quote-citation"));
    }
    for pc in &tail.pcs {
        annotations.push(Annotation::new(at(pc), Kind::Pc, "structure.quote-citation"));
    }
    debug_assert_eq!(quote_end + tail.len, block_end);
    Run { paragraphs, annotations }
}
