//! Document model: the exact source text plus typed, stand-off annotations.
//!
//! An [`Annotation`] is a byte range of [`Document::text`] with a [`Kind`]
//! and its provenance (the rule or register entry that made it, and how
//! sure it is). Annotations may overlap in any way: the model is stand-off.
//! Turning them into a tree for XML is [`resolve`]'s job, which splits or
//! drops what would cross and says what it did.

mod resolve;
mod rules;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

pub use resolve::{Part, Piece, Tree, resolve};
pub use rules::{RULES, describe_rule};

use crate::diag::Diagnostic;
use crate::edition::Edition;
use crate::entities::register::Register;

/// A register id, shared by every annotation that points to the entry.
pub type Id = Arc<str>;

/// An annotated text: what every exporter reads.
#[derive(Debug, Clone)]
pub struct Document {
    /// The source text, byte for byte (a UTF-8 byte-order mark removed).
    pub text: String,
    /// Annotations in document order (see [`Annotation::order`]).
    pub annotations: Vec<Annotation>,
    /// Header metadata.
    pub edition: Edition,
    /// The authority register the names were matched against.
    pub register: Register,
}

/// A typed span of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character (`start == end` for milestones).
    pub end: usize,
    pub kind: Kind,
    /// The rule or register entry that made the annotation, e.g.
    /// `structure.heading` or `register`.
    pub rule: Cow<'static, str>,
    /// How sure the rule is.
    pub cert: Cert,
}

/// Certainty of an annotation, as TEI's `@cert` has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cert {
    Low,
    Medium,
    High,
}

impl Cert {
    /// The TEI/JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Cert::Low => "low",
            Cert::Medium => "medium",
            Cert::High => "high",
        }
    }

    /// Parses the TEI/JSON spelling.
    pub fn parse(s: &str) -> Option<Cert> {
        match s {
            "low" => Some(Cert::Low),
            "medium" => Some(Cert::Medium),
            "high" => Some(Cert::High),
            _ => None,
        }
    }
}

/// A normalised date: TEI's `att.datable.w3c` attributes, ISO 8601 values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DateValue {
    pub when: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
}

/// What a `<biblScope>` delimits: `unit` (volume, issue, page) and the
/// range it gives, `from` = `to` for a single number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    pub unit: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// TEI's `@level` of a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// An article or other analytic part.
    A,
    /// A monograph.
    M,
    /// A journal or periodical.
    J,
    /// A series.
    S,
    /// Unpublished material.
    U,
}

impl Level {
    /// The TEI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::A => "a",
            Level::M => "m",
            Level::J => "j",
            Level::S => "s",
            Level::U => "u",
        }
    }

    /// Parses the TEI spelling.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "a" => Level::A,
            "m" => Level::M,
            "j" => Level::J,
            "s" => Level::S,
            "u" => Level::U,
            _ => return None,
        })
    }
}

/// What an annotation is. Names follow the TEI elements they become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    // Divisions: element-only containers.
    /// `<front>`: title, subtitle, dateline, byline.
    Front,
    /// `<body>`.
    Body,
    /// `<back>`: the notes section.
    Back,
    /// `<div>`: a section (`notes` for the notes section).
    Div { notes: bool },
    /// `<docTitle>`: the title parts together.
    DocTitle,
    // Blocks: hold text.
    /// `<titlePart>`; `sub` for a subtitle.
    TitlePart { sub: bool },
    /// `<docDate>`: a dateline such as "(Spring 1955)".
    DocDate,
    /// `<byline>`.
    Byline,
    /// `<head>`: a section heading.
    Head,
    /// `<p>`: a paragraph.
    P,
    /// `<ab type="separator">`: a line such as "* * *".
    Separator,
    /// `<note>`: the text of a note, with its number.
    Note { n: Box<str> },
    // Quotations and citations.
    /// `<quote>`: a quotation; `block` when it is set off as paragraphs;
    /// `speaker` the register id of whose words they are.
    Quote { block: bool, speaker: Option<Id> },
    /// `<cit>`: a quotation with its citation.
    Cit,
    /// `<bibl>`: a bibliographic reference.
    Bibl,
    /// `<biblScope>`: volume, issue or page range in a reference.
    BiblScope(Box<Scope>),
    /// `<pc>`: punctuation between parts of a citation.
    Pc,
    // Phrases.
    /// `<persName>`.
    Person { reference: Option<Id> },
    /// `<placeName>`; `adjectival` for forms like "Soviet".
    Place { reference: Option<Id>, adjectival: bool },
    /// `<orgName>`; `adjectival` for forms like "Bolshevik".
    Org { reference: Option<Id>, adjectival: bool },
    /// `<date>` with normalised attributes.
    Date(Box<DateValue>),
    /// `<title>` of a work.
    Title { reference: Option<Id>, level: Option<Level> },
    /// `<soCalled>`: scare quotes, labels, slogans.
    SoCalled,
    /// `<term>`: a term, repeated catchword.
    Term,
    /// `<ref type="noteAnchor">`: a note marker such as "[1]".
    NoteRef { n: Box<str> },
    /// `<choice><sic>…</sic><corr>…</corr></choice>`: a correction of the
    /// transcription; the span is the corrected reading, `sic` what the
    /// earlier revision had (empty when the correction inserted text).
    Corr { sic: Box<str> },
    // Milestones: zero width.
    /// `<milestone unit="section"/>`: a section break without heading.
    Milestone,
    /// `<pb/>`: a page break (a form feed in the source).
    PageBreak,
}

/// Where an annotation's element may stand in TEI, which decides nesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Holds only elements (and whitespace).
    Container,
    /// Holds text; the leaves of the block structure.
    Block,
    /// Holds text and sits inside a block.
    Phrase,
    /// Zero width.
    Milestone,
}

impl Kind {
    /// The JSON `type` and, for most kinds, the TEI concept.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Front => "front",
            Kind::Body => "body",
            Kind::Back => "back",
            Kind::Div { .. } => "div",
            Kind::DocTitle => "docTitle",
            Kind::TitlePart { .. } => "titlePart",
            Kind::DocDate => "docDate",
            Kind::Byline => "byline",
            Kind::Head => "head",
            Kind::P => "p",
            Kind::Separator => "separator",
            Kind::Note { .. } => "note",
            Kind::Quote { .. } => "quote",
            Kind::Cit => "cit",
            Kind::Bibl => "bibl",
            Kind::BiblScope { .. } => "biblScope",
            Kind::Pc => "pc",
            Kind::Person { .. } => "person",
            Kind::Place { .. } => "place",
            Kind::Org { .. } => "org",
            Kind::Date(_) => "date",
            Kind::Title { .. } => "title",
            Kind::SoCalled => "soCalled",
            Kind::Term => "term",
            Kind::NoteRef { .. } => "noteref",
            Kind::Milestone => "milestone",
            Kind::PageBreak => "pb",
            Kind::Corr { .. } => "corr",
        }
    }

    /// Where the element may stand.
    pub fn tier(&self) -> Tier {
        match self {
            Kind::Front
            | Kind::Body
            | Kind::Back
            | Kind::Div { .. }
            | Kind::DocTitle
            | Kind::Cit => Tier::Container,
            Kind::Quote { block: true, .. } => Tier::Container,
            Kind::TitlePart { .. }
            | Kind::DocDate
            | Kind::Byline
            | Kind::Head
            | Kind::P
            | Kind::Separator
            | Kind::Note { .. } => Tier::Block,
            Kind::Milestone | Kind::PageBreak => Tier::Milestone,
            _ => Tier::Phrase,
        }
    }

    /// Nesting rank for annotations with the same range: lower is outer.
    pub fn rank(&self) -> u8 {
        match self {
            Kind::Front | Kind::Body | Kind::Back => 0,
            Kind::Div { .. } => 1,
            Kind::DocTitle => 2,
            Kind::Quote { block: true, .. } => 4,
            Kind::TitlePart { .. }
            | Kind::DocDate
            | Kind::Byline
            | Kind::Head
            | Kind::P
            | Kind::Separator
            | Kind::Note { .. } => 5,
            // A citation is longer than a block quotation it holds (it takes
            // the reference after it) and never outer to a paragraph of the
            // same extent: inside a paragraph, it is a phrase.
            Kind::Cit | Kind::Bibl => 6,
            Kind::Quote { block: false, .. } => 7,
            Kind::SoCalled | Kind::Term => 8,
            Kind::Title { .. } => 9,
            Kind::BiblScope { .. } => 10,
            Kind::Org { .. } => 11,
            Kind::Place { .. } => 12,
            Kind::Person { .. } => 13,
            Kind::Date(_) => 14,
            Kind::NoteRef { .. } | Kind::Corr { .. } => 15,
            Kind::Pc => 16,
            Kind::Milestone | Kind::PageBreak => 17,
        }
    }

    /// Whether a phrase of this kind may be cut into parts joined by
    /// `@prev`/`@next` when it would cross another element. Names and
    /// dates are atoms: half a name is no name.
    pub fn splittable(&self) -> bool {
        matches!(
            self,
            Kind::Quote { block: false, .. } | Kind::SoCalled | Kind::Term | Kind::Bibl | Kind::Cit
        )
    }
}

impl Annotation {
    /// An annotation with high certainty.
    pub fn new(range: Range<usize>, kind: Kind, rule: &'static str) -> Annotation {
        Annotation {
            start: range.start,
            end: range.end,
            kind,
            rule: Cow::Borrowed(rule),
            cert: Cert::High,
        }
    }

    /// The same annotation with another certainty.
    pub fn with_cert(mut self, cert: Cert) -> Annotation {
        self.cert = cert;
        self
    }

    /// The byte range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Document order: by start, milestones before what starts with them,
    /// longer first, then outer kinds first.
    pub fn order(&self) -> (usize, bool, std::cmp::Reverse<usize>, u8) {
        (self.start, self.start != self.end, std::cmp::Reverse(self.end), self.kind.rank())
    }
}

/// Puts annotations in document order; checks that every range lies inside
/// the text on character boundaries (others are dropped with a warning).
pub fn assemble(
    text: String,
    mut annotations: Vec<Annotation>,
    edition: Edition,
    register: Register,
) -> (Document, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    annotations.retain(|a| {
        let ok = a.start <= a.end
            && a.end <= text.len()
            && text.is_char_boundary(a.start)
            && text.is_char_boundary(a.end);
        if !ok {
            diagnostics.push(Diagnostic::warning(
                "teimark::document::bad-range",
                format!(
                    "{} annotation at {}..{} does not fit the text; dropped",
                    a.kind.name(),
                    a.start,
                    a.end
                ),
            ));
        }
        ok
    });
    if !annotations.is_sorted_by_key(Annotation::order) {
        annotations.sort_by_key(Annotation::order);
    }
    (Document { text, annotations, edition, register }, diagnostics)
}

/// Drops annotations that repeat another with the same range and kind
/// (two rules that found the same thing); keeps the first.
pub fn dedup(annotations: &mut Vec<Annotation>) {
    annotations.sort_by_key(Annotation::order);
    annotations.dedup_by(|b, a| a.start == b.start && a.end == b.end && a.kind == b.kind);
}

#[cfg(test)]
mod tests;
