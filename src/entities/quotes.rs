//! Quotations in running text: real quotations (`<quote>`, joined with an
//! attribution in `<cit>`) told apart from scare quotes, labels, slogans and
//! catchwords (`<soCalled>`, `<term>`).
//!
//! The marks are paired per block (curly “ ” and ‘ ’, straight " and ', «
//! »). A quoted passage is a quotation when it is attributed — followed by
//! a parenthesised name or reference — or when it reproduces wording: three
//! words or more, not in title case, not announced as a slogan ("the call
//! to", "slogan of", "theory of"), and not a phrase the text quotes again
//! and again (a catchword: `<term>`). Quotes inside quotations are
//! mentions unless they are whole sentences. Shorter passages are scare
//! quotes or labels. The speaker is the person named in the attribution,
//! or — for a block quotation — the person named in the sentence that
//! introduces it with a colon, or in the same sentence before an inline
//! quotation with a verb of saying.

use std::collections::HashMap;
use std::ops::Range;

use super::names::{Found, within};
use super::register::EntryKind;
use crate::document::{Annotation, Cert, Id, Kind};
use crate::structure::{Block, BlockKind};

/// A pair of quotation marks found in a block.
#[derive(Debug, Clone)]
struct Quoted {
    /// From the opening to after the closing mark (absolute).
    range: Range<usize>,
    /// The words between the marks.
    inner: Range<usize>,
    /// How many quotations enclose it (a block quotation counts).
    depth: usize,
}

/// Finds the quotations and scare quotes of every block; gives block
/// quotations their speaker. `names` are the register matches.
pub fn find(
    text: &str,
    blocks: &[Block],
    structural: &mut [Annotation],
    names: &[Found],
    out: &mut Vec<Annotation>,
) {
    let mut all: Vec<(usize, Quoted)> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Separator) {
            continue;
        }
        for q in pair_marks(text, block) {
            all.push((i, q));
        }
    }
    // Catchwords: wordings the text puts in quotation marks more than once.
    // Wordings are compared as lowercase words, padded with spaces so that
    // containment is whole words.
    let norms: Vec<String> =
        all.iter().map(|(_, q)| format!(" {} ", normalise(&text[q.inner.clone()]))).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in &norms {
        *counts.entry(n.as_str()).or_default() += 1;
    }
    let catchwords: Vec<&str> = counts
        .into_iter()
        .filter(|(k, n)| *n >= 2 && k.trim().contains(' '))
        .map(|(k, _)| k)
        .collect();

    for ((i, q), norm) in all.iter().zip(&norms) {
        let block = &blocks[*i];
        let inner = &text[q.inner.clone()];
        let words = inner.split_whitespace().count();
        let before = &text[block.range.start..q.range.start];
        let attribution = attribution_after(text, q.range.end, block.range.end);
        let repeated = catchwords.iter().any(|c| norm.contains(c));
        let sentence =
            inner.trim_end_matches(['’', '\'', '"']).ends_with(['.', '!', '?']) && words >= 6;
        let (kind, rule, cert) = if attribution.is_some() {
            (Kind::Quote { block: false, speaker: None }, "quote.attributed", Cert::High)
        } else if repeated {
            (Kind::Term, "quote.catchword", Cert::Medium)
        } else if announces_label(before) || exclamation(inner, words) {
            (Kind::SoCalled, "quote.slogan", Cert::Medium)
        } else if q.depth > 0 && !sentence {
            (Kind::SoCalled, "quote.nested-mention", Cert::Medium)
        } else if title_case(inner) && words <= 6 {
            (Kind::SoCalled, "quote.label", Cert::Medium)
        } else if words >= 3 {
            (Kind::Quote { block: false, speaker: None }, "quote.wording", Cert::Medium)
        } else {
            (Kind::SoCalled, "quote.scare", Cert::Medium)
        };
        let is_quote = matches!(kind, Kind::Quote { .. });
        let speaker = if is_quote {
            attribution
                .as_ref()
                .and_then(|a| person_in(names, a.clone()))
                .or_else(|| speaker_before(text, block.range.start, q.range.start, names))
        } else {
            None
        };
        let kind = match kind {
            Kind::Quote { .. } => Kind::Quote { block: false, speaker },
            other => other,
        };
        out.push(Annotation::new(q.range.clone(), kind, rule).with_cert(cert));
        if let Some(bibl) = attribution {
            let between = &text[q.range.end..bibl.start];
            if is_quote && between.chars().all(crate::structure::is_xml_space) {
                out.push(Annotation::new(q.range.start..bibl.end, Kind::Cit, "quote.attributed"));
            }
            out.push(Annotation::new(bibl, Kind::Bibl, "quote.attributed"));
        }
    }

    // Block quotations: the speaker named in the attribution after them, or
    // in the sentence that introduces them with a colon.
    let mut bibls: Vec<Range<usize>> =
        structural.iter().filter(|a| a.kind == Kind::Bibl).map(Annotation::range).collect();
    bibls.sort_by_key(|b| b.start);
    for a in structural.iter_mut() {
        let Kind::Quote { block: true, speaker } = &mut a.kind else { continue };
        let next = bibls.partition_point(|b| b.start < a.end);
        let after = bibls.get(next).filter(|b| text[a.end..b.start].trim().is_empty());
        let found = after.and_then(|b| person_in(names, b.clone())).or_else(|| {
            let i = blocks.binary_search_by_key(&a.start, |b| b.range.start).ok()?;
            let intro = blocks.get(i.checked_sub(1)?)?;
            let intro_text = text[intro.range.clone()].trim_end();
            if !intro_text.ends_with(':') {
                return None;
            }
            let sentence_start = last_sentence_start(text, intro.range.clone());
            last_person_in(names, sentence_start..intro.range.end)
        });
        if let Some(id) = found {
            *speaker = Some(id);
        }
    }
}

/// Pairs the quotation marks of one block.
fn pair_marks(text: &str, block: &Block) -> Vec<Quoted> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Double,
        Single,
        Guillemet,
        Straight,
        StraightSingle,
    }
    let b = &text[block.range.clone()];
    let base = block.range.start;
    // Most paragraphs hold no quotation mark at all: look before pairing.
    let bytes = b.as_bytes();
    let marked = memchr::memchr2(b'"', b'\'', bytes).is_some()
        || ["“", "‘", "«"].iter().any(|m| memchr::memmem::find(bytes, m.as_bytes()).is_some());
    if !marked {
        return Vec::new();
    }
    let mut open: Vec<(usize, usize, Mark)> = Vec::new(); // (offset, mark length, kind)
    let mut out = Vec::new();
    // Every mark starts with one of these bytes: '"', '\'', 0xE2 (“ ” ‘ ’),
    // 0xC2 (« »). Only those places are looked at.
    let places: Box<dyn Iterator<Item = usize>> = if memchr::memchr(0xC2, bytes).is_some() {
        let mut all: Vec<usize> = memchr::memchr3_iter(b'"', b'\'', 0xE2, bytes)
            .chain(memchr::memchr_iter(0xC2, bytes))
            .collect();
        all.sort_unstable();
        Box::new(all.into_iter())
    } else {
        Box::new(memchr::memchr3_iter(b'"', b'\'', 0xE2, bytes))
    };
    for i in places {
        let Some(c) = b[i..].chars().next() else { continue };
        if !matches!(c, '“' | '”' | '‘' | '’' | '«' | '»' | '"' | '\'') {
            continue;
        }
        let prev = b[..i].chars().next_back();
        let next = b[i + c.len_utf8()..].chars().next();
        let opening_context = prev.is_none_or(|p| {
            p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-' | '/' | '“' | '‘' | '«')
        });
        let closing_context = prev.is_some_and(|p| !p.is_whitespace());
        let letter_next = next.is_some_and(char::is_alphanumeric);
        let mut close = |mark: Mark, open: &mut Vec<(usize, usize, Mark)>| {
            if let Some(pos) = open.iter().rposition(|&(_, _, m)| m == mark) {
                let (start, len, _) = open[pos];
                open.truncate(pos);
                let end = i + c.len_utf8();
                out.push(Quoted {
                    range: base + start..base + end,
                    inner: base + start + len..base + i,
                    depth: open.len(),
                });
            }
        };
        match c {
            '“' => open.push((i, c.len_utf8(), Mark::Double)),
            '”' => close(Mark::Double, &mut open),
            '«' => open.push((i, c.len_utf8(), Mark::Guillemet)),
            '»' => close(Mark::Guillemet, &mut open),
            '‘' if letter_next || next.is_some_and(|n| matches!(n, '“' | '"')) => {
                open.push((i, c.len_utf8(), Mark::Single))
            }
            '’' if !letter_next
                && closing_context
                && open.iter().any(|&(_, _, m)| m == Mark::Single) =>
            {
                close(Mark::Single, &mut open)
            }
            '"' => {
                let has_open = open.iter().any(|&(_, _, m)| m == Mark::Straight);
                if has_open && closing_context && !letter_next {
                    close(Mark::Straight, &mut open);
                } else if opening_context {
                    open.push((i, 1, Mark::Straight));
                }
            }
            '\'' => {
                let has_open = open.iter().any(|&(_, _, m)| m == Mark::StraightSingle);
                if has_open && closing_context && !letter_next {
                    close(Mark::StraightSingle, &mut open);
                } else if opening_context && letter_next {
                    open.push((i, 1, Mark::StraightSingle));
                }
            }
            _ => {}
        }
    }
    if block.kind == BlockKind::QuoteParagraph {
        // The marks of the block quotation itself belong to the structure.
        out.retain(|q| q.range.start != block.range.start);
        for q in &mut out {
            q.depth += 1;
        }
    }
    out.sort_by_key(|q| q.range.start);
    out
}

/// Lowercase words without surrounding punctuation, single-spaced.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Whether the words before an opening mark announce a label or slogan.
fn announces_label(before: &str) -> bool {
    let words: Vec<String> = before
        .split_whitespace()
        .rev()
        .take(3)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-').to_lowercase())
        .collect();
    let last = words.first().map(String::as_str).unwrap_or("");
    let second = words.get(1).map(String::as_str).unwrap_or("");
    matches!(
        last,
        "slogan"
            | "slogans"
            | "watchword"
            | "motto"
            | "catchword"
            | "catch-phrase"
            | "catchphrase"
            | "formula"
            | "so-called"
            | "label"
            | "labelled"
            | "labeled"
            | "dubbed"
            | "called"
            | "cry"
            | "term"
            | "epithet"
    ) || matches!(last, "of" | "to" | "for" | "as")
        && matches!(
            second,
            "slogan"
                | "slogans"
                | "watchword"
                | "call"
                | "calls"
                | "formula"
                | "theory"
                | "doctrine"
                | "cry"
                | "banner"
                | "label"
                | "labelled"
                | "labeled"
                | "known"
                | "motto"
        )
}

/// A short exclamation is a slogan or a cry ("Down with the norms!").
fn exclamation(inner: &str, words: usize) -> bool {
    let inner = inner.trim_end_matches(['’', '\'', '"', ' ']);
    words <= 8 && inner.ends_with('!') && !inner[..inner.len() - 1].contains(['.', '?', '!'])
}

/// Whether every word that has letters begins with a capital (two or more words).
fn title_case(s: &str) -> bool {
    let words: Vec<&str> =
        s.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase))
}

/// A parenthesised attribution right after a closing mark: one to six
/// capitalised words, or a reference with a number in it.
fn attribution_after(text: &str, at: usize, block_end: usize) -> Option<Range<usize>> {
    let rest = &text[at..block_end];
    let skipped =
        rest.len() - rest.trim_start_matches([',', '.', ';', ':', ' ', '\t', '\n', '\r']).len();
    let open = at + skipped;
    let tail = &text[open..block_end];
    if !tail.starts_with('(') {
        return None;
    }
    let close = tail.find(')')?;
    let inside = &tail[1..close];
    let words: Vec<&str> = inside.split_whitespace().collect();
    let name_like = !words.is_empty()
        && words.len() <= 6
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(*w, "and" | "de" | "von" | "van" | "of" | "the")
        });
    let reference =
        inside.contains(',') && inside.chars().any(|c| c.is_ascii_digit()) && words.len() <= 30;
    (name_like || reference).then(|| open..open + close + 1)
}

/// The first person named inside a range.
fn person_in(names: &[Found], range: Range<usize>) -> Option<Id> {
    within(names, range).find(|n| n.kind == EntryKind::Person).map(|n| n.id.clone())
}

/// The last person named inside a range.
fn last_person_in(names: &[Found], range: Range<usize>) -> Option<Id> {
    within(names, range).rfind(|n| n.kind == EntryKind::Person).map(|n| n.id.clone())
}

/// Where the last sentence of a range begins.
fn last_sentence_start(text: &str, range: Range<usize>) -> usize {
    let s = text[range.clone()].trim_end();
    let body = s.trim_end_matches([':', '.', '!', '?']);
    body.rfind(". ")
        .or_else(|| body.rfind("? "))
        .or_else(|| body.rfind("! "))
        .map_or(range.start, |i| range.start + i + 2)
}

/// Verbs that introduce someone's words.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "wrote",
    "writes",
    "declared",
    "declares",
    "stated",
    "states",
    "summarized",
    "summarised",
    "explained",
    "explains",
    "added",
    "replied",
    "insisted",
    "argued",
    "argues",
    "proclaimed",
    "promised",
    "warned",
    "told",
    "asked",
    "answered",
    "put",
    "characterized",
    "characterizes",
    "called",
    "complained",
    "admitted",
    "boasted",
    "announced",
    "conceded",
    "noted",
    "observed",
    "remarked",
    "predicted",
    "prognosticated",
];

/// The person who speaks an inline quotation: named in the same sentence
/// before it, with a verb of saying between the name and the mark.
fn speaker_before(text: &str, block_start: usize, at: usize, names: &[Found]) -> Option<Id> {
    let sentence = last_sentence_start(text, block_start..at);
    let person = within(names, sentence..at).rfind(|n| n.kind == EntryKind::Person)?;
    let between = text[person.range.end..at].to_lowercase();
    between
        .split(|c: char| !c.is_alphabetic())
        .any(|w| SPEECH_VERBS.contains(&w))
        .then(|| person.id.clone())
}

#[cfg(test)]
mod tests;
