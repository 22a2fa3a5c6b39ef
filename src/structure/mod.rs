//! Structure stage: the layout of a plain-text essay.
//!
//! Blocks are runs of non-blank lines (hard-wrapped lines are joined;
//! one-paragraph-per-line files are split). Each block is then classified
//! with general heuristics for essays of this kind: a short first line is
//! the title, a short line after it the subtitle, a parenthesised date the
//! dateline, "by …" the byline, short title-case lines between paragraphs
//! are section headings, paragraphs opening with a quotation mark that
//! closes at the end (only a citation may follow) are block quotations —
//! several paragraphs when each opens with “ and only the last closes —,
//! lines like "* * *" are separators, and a "Notes" heading starts the
//! notes. Decisions that are unsure come with a warning. The stage never
//! fails and does no I/O.

mod blocks;
mod quotes;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diag::Diagnostic;
use crate::document::{Annotation, Cert, Kind};

pub use blocks::RawBlock;

/// What the stage found: the classified blocks and the structural annotations.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub blocks: Vec<Block>,
    pub annotations: Vec<Annotation>,
}

/// A classified block of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte range, from the first to after the last non-whitespace character.
    pub range: Range<usize>,
    pub kind: BlockKind,
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    DocTitle,
    DocSubtitle,
    Dateline,
    Byline,
    Head,
    Paragraph,
    /// A paragraph of a block quotation.
    QuoteParagraph,
    Separator,
    NotesHead,
    Note,
}

/// Finds the structure of `text`.
pub fn parse(text: &str) -> (Structure, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let raw =
        blocks::split(text, |line| is_stacked_title(line) || is_dateline(line) || is_byline(line));
    if raw.is_empty() {
        return (Structure::default(), diagnostics);
    }
    let mut builder = Builder {
        text,
        raw: &raw,
        kinds: vec![BlockKind::Paragraph; raw.len()],
        annotations: Vec::new(),
    };
    let body_start = builder.front(&mut diagnostics);
    let notes_start = builder.notes(body_start);
    builder.body(body_start, notes_start, &mut diagnostics);
    builder.containers(body_start, notes_start);
    builder.note_refs();
    let blocks = raw
        .iter()
        .zip(&builder.kinds)
        .map(|(b, &kind)| Block { range: b.range.clone(), kind })
        .collect();
    (Structure { blocks, annotations: builder.annotations }, diagnostics)
}

struct Builder<'a> {
    text: &'a str,
    raw: &'a [RawBlock],
    kinds: Vec<BlockKind>,
    annotations: Vec<Annotation>,
}

impl Builder<'_> {
    fn block_text(&self, i: usize) -> &str {
        &self.text[self.raw[i].range.clone()]
    }

    fn push(&mut self, range: Range<usize>, kind: Kind, rule: &'static str, cert: Cert) {
        self.annotations.push(Annotation::new(range, kind, rule).with_cert(cert));
    }

    /// Title, subtitle, dateline and byline at the top; returns the index of
    /// the first body block.
    fn front(&mut self, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let n = self.raw.len();
        if n < 2 || self.raw[0].lines > 1 || !is_title_like(self.block_text(0)) {
            return 0;
        }
        self.kinds[0] = BlockKind::DocTitle;
        let mut i = 1;
        let mut subtitle = false;
        while i < n && i <= 4 {
            let t = self.block_text(i);
            if self.raw[i].lines == 1 && is_dateline(t) {
                self.kinds[i] = BlockKind::Dateline;
            } else if self.raw[i].lines == 1 && is_byline(t) {
                self.kinds[i] = BlockKind::Byline;
            } else if !subtitle && i == 1 && self.raw[i].lines == 1 && is_title_like(t) && i + 1 < n
            {
                subtitle = true;
                self.kinds[i] = BlockKind::DocSubtitle;
                let next = self.block_text(i + 1);
                let front_follows =
                    self.raw[i + 1].lines == 1 && (is_dateline(next) || is_byline(next));
                if !front_follows {
                    diagnostics.push(
                        Diagnostic::warning(
                            "teimark::structure::unsure-subtitle",
                            "short line after the title read as a subtitle; it may be the first section heading",
                        )
                        .with_span(self.raw[i].range.clone(), "read as subtitle")
                        .with_help("if it is a heading, add a dateline or byline after the subtitle, or a blank paragraph rule to the source"),
                    );
                }
            } else {
                break;
            }
            i += 1;
        }
        i
    }

    /// Finds where the notes begin: a "Notes" heading, or a trailing run of
    /// blocks that start with note labels. Returns the first notes block.
    fn notes(&mut self, body_start: usize) -> usize {
        let n = self.raw.len();
        if let Some(h) = (body_start..n)
            .rev()
            .find(|&i| self.raw[i].lines == 1 && is_notes_heading(self.block_text(i)))
        {
            // A notes heading follows the body: never the first block of it.
            if h > body_start && h + 1 < n {
                self.kinds[h] = BlockKind::NotesHead;
                for i in h + 1..n {
                    self.kinds[i] = BlockKind::Note;
                }
                return h;
            }
        }
        let mut first = n;
        while first > body_start + 1 && note_label(self.block_text(first - 1)).is_some() {
            first -= 1;
        }
        if first < n && first > body_start {
            for i in first..n {
                self.kinds[i] = BlockKind::Note;
            }
        }
        first
    }

    /// Classifies the body blocks: headings, separators, block quotations, paragraphs.
    fn body(&mut self, start: usize, end: usize, diagnostics: &mut Vec<Diagnostic>) {
        let gap_limit = wide_gap_limit(&self.raw[start..end]);
        let mut i = start;
        while i < end {
            let t = self.block_text(i);
            let range = self.raw[i].range.clone();
            if is_separator(t) {
                self.kinds[i] = BlockKind::Separator;
                self.push(
                    range.start..range.start,
                    Kind::Milestone,
                    "structure.separator",
                    Cert::High,
                );
                self.push(range, Kind::Separator, "structure.separator", Cert::High);
                i += 1;
                continue;
            }
            if quotes::opens(t) {
                if let Some(run) = quotes::block_quote(self.text, &self.raw[i..end]) {
                    let count = run.paragraphs.len();
                    for k in i..i + count {
                        self.kinds[k] = BlockKind::QuoteParagraph;
                    }
                    if i > start && self.raw[i].gap_before > gap_limit {
                        self.push(
                            range.start..range.start,
                            Kind::Milestone,
                            "structure.wide-gap",
                            Cert::Medium,
                        );
                    }
                    self.annotations.extend(run.annotations);
                    i += count;
                    continue;
                }
                if quotes::unclosed(t) {
                    diagnostics.push(
                        Diagnostic::warning(
                            "teimark::structure::unclosed-quotation",
                            "paragraph opens a quotation that no later paragraph closes; read as an ordinary paragraph",
                        )
                        .with_span(range.start..range.start + t.chars().next().map_or(0, char::len_utf8), "opened here")
                        .with_help("check the quotation marks in the source: each paragraph of a long quotation opens with “ and only the last closes with ”"),
                    );
                }
            }
            let last = i + 1 == end;
            let verdict =
                if self.raw[i].lines == 1 && !last { heading_verdict(t) } else { Verdict::No };
            let kind = match verdict {
                Verdict::Yes | Verdict::Likely | Verdict::Maybe => BlockKind::Head,
                Verdict::Unlikely | Verdict::No => BlockKind::Paragraph,
            };
            if matches!(verdict, Verdict::Likely | Verdict::Maybe | Verdict::Unlikely) {
                let (as_what, why) = match verdict {
                    Verdict::Likely => {
                        ("heading", "short line between paragraphs, but not all in title case")
                    }
                    Verdict::Maybe => {
                        ("heading", "short line without final punctuation, but in sentence case")
                    }
                    _ => ("paragraph", "short title-case line, but it ends like a sentence"),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        "teimark::structure::unsure-heading",
                        format!("read as a {as_what}, unsure: {why}"),
                    )
                    .with_span(range.clone(), format!("read as a {as_what}"))
                    .with_help("check the edition; a heading is a short line without final full stop, separated by blank lines"),
                );
            }
            self.kinds[i] = kind;
            if kind == BlockKind::Paragraph && i > start && self.raw[i].gap_before > gap_limit {
                self.push(
                    range.start..range.start,
                    Kind::Milestone,
                    "structure.wide-gap",
                    Cert::Medium,
                );
            }
            let (k, rule, cert) = match (kind, verdict) {
                (BlockKind::Head, Verdict::Yes) => (Kind::Head, "structure.heading", Cert::High),
                (BlockKind::Head, Verdict::Likely) => {
                    (Kind::Head, "structure.heading", Cert::Medium)
                }
                (BlockKind::Head, _) => (Kind::Head, "structure.heading", Cert::Low),
                (_, Verdict::Unlikely) => (Kind::P, "structure.paragraph", Cert::Medium),
                _ => (Kind::P, "structure.paragraph", Cert::High),
            };
            self.push(range, k, rule, cert);
            i += 1;
        }
    }

    /// Front, body, divisions, back and notes around the classified blocks.
    fn containers(&mut self, body_start: usize, notes_start: usize) {
        let raw = self.raw;
        // Front matter.
        if body_start > 0 {
            self.push(
                raw[0].range.start..raw[body_start - 1].range.end,
                Kind::Front,
                "structure.front",
                Cert::High,
            );
            let mut i = 0;
            while i < body_start {
                let range = raw[i].range.clone();
                match self.kinds[i] {
                    BlockKind::DocTitle | BlockKind::DocSubtitle => {
                        let mut j = i;
                        while j + 1 < body_start
                            && matches!(
                                self.kinds[j + 1],
                                BlockKind::DocTitle | BlockKind::DocSubtitle
                            )
                        {
                            j += 1;
                        }
                        self.push(
                            range.start..raw[j].range.end,
                            Kind::DocTitle,
                            "structure.title",
                            Cert::High,
                        );
                        for (block, kind) in raw[i..=j].iter().zip(&self.kinds[i..=j]) {
                            let sub = *kind == BlockKind::DocSubtitle;
                            let rule = if sub { "structure.subtitle" } else { "structure.title" };
                            let part =
                                Annotation::new(block.range.clone(), Kind::TitlePart { sub }, rule);
                            self.annotations.push(part);
                        }
                        i = j + 1;
                        continue;
                    }
                    BlockKind::Dateline => {
                        self.push(range, Kind::DocDate, "structure.dateline", Cert::High)
                    }
                    BlockKind::Byline => {
                        self.push(range, Kind::Byline, "structure.byline", Cert::High)
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        // Body and its divisions: each heading opens a division that runs to the next.
        if body_start < notes_start {
            let body = raw[body_start].range.start..raw[notes_start - 1].range.end;
            self.push(body.clone(), Kind::Body, "structure.body", Cert::High);
            let heads: Vec<usize> =
                (body_start..notes_start).filter(|&i| self.kinds[i] == BlockKind::Head).collect();
            for (k, &h) in heads.iter().enumerate() {
                let last = heads.get(k + 1).map_or(notes_start, |&next| next) - 1;
                self.push(
                    raw[h].range.start..raw[last].range.end,
                    Kind::Div { notes: false },
                    "structure.heading",
                    Cert::High,
                );
            }
        }
        // Notes.
        if notes_start < raw.len() {
            let back = raw[notes_start].range.start..raw[raw.len() - 1].range.end;
            self.push(back.clone(), Kind::Back, "structure.notes", Cert::High);
            self.push(back, Kind::Div { notes: true }, "structure.notes", Cert::High);
            let mut i = notes_start;
            if self.kinds[i] == BlockKind::NotesHead {
                self.push(raw[i].range.clone(), Kind::Head, "structure.notes", Cert::High);
                i += 1;
            }
            let mut current: Option<(Range<usize>, String)> = None;
            for block in &raw[i..] {
                let range = block.range.clone();
                match note_label(&self.text[range.clone()]) {
                    Some(n) => {
                        if let Some((r, n)) = current.take() {
                            self.push(r, Kind::Note { n: n.into() }, "structure.note", Cert::High);
                        }
                        current = Some((range, n));
                    }
                    None => match current.as_mut() {
                        // A paragraph without a label continues the note before it.
                        Some((r, _)) => r.end = range.end,
                        None => self.push(range, Kind::P, "structure.paragraph", Cert::High),
                    },
                }
            }
            if let Some((r, n)) = current {
                self.push(r, Kind::Note { n: n.into() }, "structure.note", Cert::High);
            }
        }
    }

    /// Note markers such as "[1]" in the running text.
    fn note_refs(&mut self) {
        static MARKER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\[(\d{1,3}|\*{1,3})\]").expect("the note-marker pattern is valid")
        });
        // A number set right after punctuation ("lasted 113 days.1") is a
        // marker whose superscript was lost, when a note has that number.
        static GLUED: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"[^\d\s][.,;:”’")]([1-9]\d?)(?:\s|$)"#)
                .expect("the glued-marker pattern is valid")
        });
        let labels: Vec<&str> = self
            .annotations
            .iter()
            .filter_map(|a| match &a.kind {
                Kind::Note { n } => Some(&**n),
                _ => None,
            })
            .collect();
        let mut found = Vec::new();
        for (i, block) in self.raw.iter().enumerate() {
            if matches!(
                self.kinds[i],
                BlockKind::Note | BlockKind::NotesHead | BlockKind::Separator
            ) {
                continue;
            }
            let t = &self.text[block.range.clone()];
            for m in MARKER.captures_iter(t) {
                let whole = m.get(0).expect("group 0 always matches");
                let start = block.range.start + whole.start();
                found.push(Annotation::new(
                    start..start + whole.len(),
                    Kind::NoteRef { n: m[1].into() },
                    "structure.note-marker",
                ));
            }
            if labels.is_empty() {
                continue;
            }
            for m in GLUED.captures_iter(t) {
                let number = m.get(1).expect("group 1 always matches");
                if !labels.contains(&number.as_str()) {
                    continue;
                }
                let start = block.range.start + number.start();
                found.push(
                    Annotation::new(
                        start..start + number.len(),
                        Kind::NoteRef { n: number.as_str().into() },
                        "structure.note-marker-glued",
                    )
                    .with_cert(Cert::Medium),
                );
            }
        }
        self.annotations.extend(found);
    }
}

/// How sure a single short line is a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Title case, capitals, or numbered: a heading.
    Yes,
    /// Mostly title case: a heading, with a warning.
    Likely,
    /// Sentence case, no final stop: a heading, with a warning.
    Maybe,
    /// Title case but ends like a sentence: a paragraph, with a warning.
    Unlikely,
    /// A paragraph.
    No,
}

/// Words that stay lowercase in English title case.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "off", "on", "per", "to", "up", "via", "vs", "vs.", "with", "from", "into", "onto", "upon",
    "over", "than", "is", "are", "was", "be",
];

fn heading_verdict(t: &str) -> Verdict {
    static NOTE_MARK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*\[(?:\d{1,3}|\*{1,3})\]$").expect("the note-mark pattern is valid")
    });
    // A heading has at most 100 characters (400 bytes): no need to look
    // closer at a paragraph.
    let t = t.trim();
    if t.len() > 400 {
        return Verdict::No;
    }
    // A note marker at the end says nothing about the line's shape.
    let t = NOTE_MARK.find(t).map_or(t, |m| &t[..m.start()]);
    if t.chars().count() > 100 || quotes::opens(t) {
        return Verdict::No;
    }
    let mut words: Vec<&str> = Vec::with_capacity(12);
    for w in t.split_whitespace() {
        if words.len() == 12 {
            return Verdict::No;
        }
        words.push(w);
    }
    if words.is_empty() {
        return Verdict::No;
    }
    if t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()) {
        return Verdict::No;
    }
    let last = t.chars().last().unwrap_or(' ');
    if matches!(last, ',' | ';' | ':' | '-' | '—' | '–') {
        return Verdict::No;
    }
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[IVXLC]{1,7}|\d{1,2})(?:[.)]\s+\S.*|\s*\.?)$")
            .expect("the numbered-heading pattern is valid")
    });
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    if NUMBERED.is_match(t) || (letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())) {
        return if last == '.' && words.len() > 4 { Verdict::No } else { Verdict::Yes };
    }
    let ratio = title_case_ratio(&words);
    if matches!(last, '.') && !t.ends_with("..") {
        return if words.len() <= 4 && ratio >= 1.0 { Verdict::Unlikely } else { Verdict::No };
    }
    if ratio >= 0.75 {
        Verdict::Yes
    } else if ratio >= 0.5 {
        Verdict::Likely
    } else if words.len() <= 8 {
        Verdict::Maybe
    } else {
        Verdict::No
    }
}

/// Share of the significant words that begin with a capital letter.
fn title_case_ratio(words: &[&str]) -> f64 {
    let mut significant = 0usize;
    let mut capitalised = 0usize;
    for (k, w) in words.iter().enumerate() {
        let bare: String = w.chars().filter(|c| c.is_alphanumeric() || *c == '.').collect();
        if bare.is_empty() {
            continue;
        }
        if k > 0 && SMALL_WORDS.contains(&bare.to_lowercase().as_str()) {
            continue;
        }
        let Some(first) = w.chars().find(|c| c.is_alphanumeric()) else { continue };
        significant += 1;
        if first.is_uppercase() || first.is_numeric() {
            capitalised += 1;
        }
    }
    if significant == 0 { 0.0 } else { capitalised as f64 / significant as f64 }
}

/// The whitespace of XML (space, tab, line feed, carriage return).
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// A line that can be a title or subtitle: short, mostly in title case (or
/// capitals), no sentence punctuation at the end.
fn is_title_like(t: &str) -> bool {
    matches!(heading_verdict(t), Verdict::Yes | Verdict::Likely)
}

/// A line that may stand on its own inside a run of lines (a title stacked
/// on a subtitle): clearly title case or capitals, no sentence inside, and
/// not ending in a small word the next line would continue.
fn is_stacked_title(line: &str) -> bool {
    let t = line.trim();
    let last = t.split_whitespace().next_back().unwrap_or("").to_lowercase();
    heading_verdict(t) == Verdict::Yes && !t.contains(". ") && !SMALL_WORDS.contains(&last.as_str())
}

/// A dateline: a date, or a short parenthesised line holding a year.
fn is_dateline(t: &str) -> bool {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(1[0-9]{3}|20[0-9]{2})\b").expect("the year pattern is valid")
    });
    static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)^
            (?: (?:spring|summer|autumn|fall|winter) \s+
              | (?:\d{1,2}(?:st|nd|rd|th)?\s+)? (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?
                |aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? \s+ (?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?
            )?
            (?:1[0-9]{3}|20[0-9]{2}) (?:\s*[-–/]\s*\d{2,4})? $",
        )
        .expect("the dateline pattern is valid")
    });
    let t = t.trim();
    if t.chars().count() > 80 || !YEAR.is_match(t) {
        return false;
    }
    let inner = t
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .or_else(|| t.strip_prefix('[').and_then(|s| s.strip_suffix(']')));
    match inner {
        Some(inner) => inner.split_whitespace().count() <= 8,
        None => DATE_ONLY.is_match(t),
    }
}

/// A byline: "by" followed by a few capitalised words.
fn is_byline(t: &str) -> bool {
    let t = t.trim();
    let Some(rest) =
        t.strip_prefix("by ").or_else(|| t.strip_prefix("By ")).or_else(|| t.strip_prefix("BY "))
    else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 12
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(*w, "and" | "&" | "de" | "van" | "von" | "der" | "la" | "le")
        })
}

/// A separator line such as "* * *", "***", "—", "# # #".
fn is_separator(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.len() <= 160
        && t.chars().count() <= 40
        && t.chars().all(|c| {
            matches!(c, '*' | '#' | '•' | '·' | '—' | '–' | '-' | '_' | '=' | '~' | '⁂' | '§')
                || c.is_whitespace()
        })
        && t.chars().any(|c| matches!(c, '*' | '#' | '•' | '—' | '⁂' | '§'))
}

/// A heading that opens the notes section.
fn is_notes_heading(t: &str) -> bool {
    if t.len() > 40 {
        return false;
    }
    let t = t.trim().trim_end_matches(':').trim().to_lowercase();
    matches!(
        t.as_str(),
        "notes"
            | "note"
            | "footnotes"
            | "footnote"
            | "endnotes"
            | "references"
            | "notes and references"
    )
}

/// The label of a note paragraph: "[1] …", "1. …", "1) …", "* …".
fn note_label(t: &str) -> Option<String> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\[(\d{1,3}|\*{1,3})\]|(\d{1,3})[.)]|(\*{1,3}))\s+\S")
            .expect("the note-label pattern is valid")
    });
    let caps = LABEL.captures(t.trim_start())?;
    caps.get(1).or(caps.get(2)).or(caps.get(3)).map(|m| m.as_str().to_string())
}

/// The widest gap (in blank lines) that is still an ordinary paragraph break:
/// anything wider marks a section break without a heading.
fn wide_gap_limit(blocks: &[RawBlock]) -> usize {
    let mut gaps: Vec<usize> = blocks.iter().skip(1).map(|b| b.gap_before).collect();
    if gaps.is_empty() {
        return usize::MAX;
    }
    gaps.sort_unstable();
    let median = gaps[gaps.len() / 2];
    median.max(1)
}

#[cfg(test)]
mod tests;
