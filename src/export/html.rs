//! HTML export: the reading edition, one self-contained page (inline CSS and
//! script, no network) that opens from a file, on a phone and in print.
//!
//! The text is written by the same walk over the resolved [`Tree`] as the
//! TEI, so the nesting is the TEI's; every piece of text goes through one
//! escaping function. Names, places, organisations, titles and dates are
//! links to their index entries, each with an id the index links back to.
//! A register card (canonical name, note, authority links) is the index
//! entry itself, shown beside a name on hover, focus or tap by the script.
//! Toggles are checkboxes read by CSS (`:has`), so they need no script.
//! Corrections keep the earlier reading in `<del class="sic">`, hidden until
//! its toggle is on.
//!
//! Text rule (checked by the unit tests): with tags removed, entities
//! unescaped, `<del>` (the earlier readings) and the masthead (a heading
//! made from `edition.toml` for a text without a title) left out, the
//! `<article>` holds the source text, less the characters HTML cannot carry
//! (C0 and C1 controls other than tab, LF, CR; noncharacters), a form feed
//! written as a page-break mark.
//! The output is deterministic: the same document gives the same bytes.

use std::collections::HashMap;

use super::NoteIds;
use crate::document::{Cert, DateValue, Document, Kind, Tree};
use crate::edition::is_iso_date;
use crate::entities::register::{Entry, EntryKind};

/// The `<meta name>` under which the content hash of the inputs is recorded.
pub const INPUTS_META: &str = "teimark-inputs";

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// What the page says beyond the document itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// A content hash of the inputs the page was made from, recorded in
    /// `<meta name="teimark-inputs">` so a later build can skip unchanged
    /// sources.
    pub inputs: Option<&'a str>,
    /// Whether `<id>.tei.xml` and `<id>.json` sit beside the page (as
    /// `teimark build` writes them), so the colophon may link to them.
    pub sibling_files: bool,
}

/// The reading edition as one HTML page.
pub fn to_string(doc: &Document, tree: &Tree, options: &Options) -> String {
    let apparatus = Apparatus::new(doc, tree);
    let mut walk = Walk::new(doc, tree, &apparatus);
    walk.text();
    let Walk { out: article, headings, corrections, has_title, .. } = walk;

    let mut out = Out::with_capacity(doc.text.len() * 3 + STYLE.len() + 16_384);
    out.raw("<!DOCTYPE html>\n");
    // The interface is in English; the article carries the text's language.
    out.raw("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.void("meta", &[("name", "generator"), ("content", &generator())]);
    out.raw("\n");
    if let Some(inputs) = options.inputs {
        out.void("meta", &[("name", INPUTS_META), ("content", inputs)]);
        out.raw("\n");
    }
    out.element("title", &[], &full_title(doc));
    out.raw("\n<style>\n");
    out.raw(STYLE);
    out.raw("</style>\n</head>\n<body>\n");
    out.raw("<a class=\"skip\" href=\"#text\">Skip to the text</a>\n");
    if !apparatus.by_type.is_empty() {
        // Every name is a stop for Tab: the index is far down without this.
        out.raw("<a class=\"skip\" href=\"#index\">Skip to the index</a>\n");
    }
    aids(&mut out, &apparatus, corrections, &headings);
    out.raw("<main id=\"main\">\n");
    out.start("article", &[("id", "text"), ("lang", &doc.edition.language)]);
    if !has_title {
        // A text without a title of its own still needs a first heading.
        out.raw("<header class=\"masthead\">");
        out.element("h1", &[], &doc.edition.title);
        out.raw("</header>");
    }
    // Nothing but the source text between the tags of the article.
    out.raw(&article.s);
    out.raw("</article>\n");
    index(&mut out, &apparatus);
    out.raw("<div id=\"card\" role=\"tooltip\" hidden></div>\n</main>\n");
    colophon(&mut out, doc, options);
    out.raw("<script>\n");
    out.raw(SCRIPT);
    out.raw("</script>\n</body>\n</html>\n");
    out.s
}

/// The inputs hash recorded in a page written with [`Options::inputs`].
/// Reads only the start of the head (the hash comes before the style), so
/// the first kilobytes of a page are enough.
pub fn recorded_inputs(html: &str) -> Option<&str> {
    let head = &html[..html.find("<style").or_else(|| html.find("</head>")).unwrap_or(html.len())];
    let marker = format!("<meta name=\"{INPUTS_META}\" content=\"");
    let start = head.find(&marker)? + marker.len();
    let len = head[start..].find('"')?;
    Some(&head[start..start + len])
}

fn generator() -> String {
    format!("teimark {}", env!("CARGO_PKG_VERSION"))
}

fn full_title(doc: &Document) -> String {
    match &doc.edition.subtitle {
        Some(sub) => format!("{}: {sub}", doc.edition.title),
        None => doc.edition.title.clone(),
    }
}

// ---------------------------------------------------------------------------
// Writing markup

/// An HTML buffer. Tag and attribute names are fixed strings of this module;
/// every value and every piece of text is escaped on the way in.
struct Out {
    s: String,
}

impl Out {
    fn with_capacity(n: usize) -> Out {
        Out { s: String::with_capacity(n) }
    }

    /// Markup this module wrote itself: never data.
    fn raw(&mut self, markup: &str) {
        self.s.push_str(markup);
    }

    fn start(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.s.push('<');
        self.s.push_str(tag);
        for &(name, value) in attrs {
            self.s.push(' ');
            self.s.push_str(name);
            self.s.push_str("=\"");
            escape_attr(&mut self.s, value);
            self.s.push('"');
        }
        self.s.push('>');
    }

    fn void(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.start(tag, attrs);
    }

    fn end(&mut self, tag: &'static str) {
        self.s.push_str("</");
        self.s.push_str(tag);
        self.s.push('>');
    }

    fn element(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) {
        self.start(tag, attrs);
        self.text(text);
        self.end(tag);
    }

    /// Text, escaped; characters HTML cannot carry are left out and a form
    /// feed (a page break in a plain-text source) becomes a page-break mark.
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '&' => self.s.push_str("&amp;"),
                '<' => self.s.push_str("&lt;"),
                '>' => self.s.push_str("&gt;"),
                '\u{C}' => self.s.push_str("<span class=\"pb\"></span>"),
                c if html_forbidden(c) => {}
                c => self.s.push(c),
            }
        }
    }

    /// A link to an address from the metadata; only http(s) addresses
    /// become links, anything else stays text.
    fn external(&mut self, url: &str, text: &str) {
        if url.starts_with("https://") || url.starts_with("http://") {
            self.element("a", &[("href", url)], text);
        } else {
            self.text(text);
        }
    }
}

fn escape_attr(s: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '"' => s.push_str("&quot;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            c if html_forbidden(c) || c == '\u{C}' => {}
            c => s.push(c),
        }
    }
}

/// Characters an HTML document must not contain as text: controls other
/// than tab, LF, FF and CR (C0, DEL, C1) and noncharacters.
fn html_forbidden(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && !matches!(c, '\t' | '\n' | '\u{C}' | '\r'))
        || (0x7F..=0x9F).contains(&n)
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

/// Runs of whitespace as one space, trimmed: a name or heading that
/// spans a line break, shown on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// The apparatus: highlighted types, occurrences and index entries

/// The kinds of phrase that are highlighted and indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Type {
    Person,
    Place,
    Org,
    Title,
    Date,
}

impl Type {
    const ALL: [Type; 5] = [Type::Person, Type::Place, Type::Org, Type::Title, Type::Date];

    fn of(kind: &Kind) -> Option<Type> {
        Some(match kind {
            Kind::Person { .. } => Type::Person,
            Kind::Place { .. } => Type::Place,
            Kind::Org { .. } => Type::Org,
            Kind::Title { .. } => Type::Title,
            Kind::Date(_) => Type::Date,
            _ => return None,
        })
    }

    /// The CSS class, the toggle's name and the prefix of occurrence ids.
    fn class(self) -> &'static str {
        match self {
            Type::Person => "person",
            Type::Place => "place",
            Type::Org => "org",
            Type::Title => "title",
            Type::Date => "date",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Type::Person => "Persons",
            Type::Place => "Places",
            Type::Org => "Organisations",
            Type::Title => "Works",
            Type::Date => "Dates",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Type::Person => "person",
            Type::Place => "place",
            Type::Org => "organisation",
            Type::Title => "work",
            Type::Date => "date",
        }
    }
}

/// One entry of an index: a register entry, a name no entry covers, or a
/// normalised date.
struct IndexEntry<'d> {
    ty: Type,
    /// The HTML id of the entry (`reg-<register id>`, `idx-<type>-<n>`).
    id: String,
    /// What the entry is listed as.
    label: String,
    sort: String,
    register: Option<(EntryKind, &'d Entry)>,
    date: Option<&'d DateValue>,
    /// Ids of the occurrences, in document order.
    occurrences: Vec<String>,
    /// The distinct forms in the text, in order of appearance.
    forms: Vec<String>,
}

/// Occurrences and index entries of one document.
struct Apparatus<'d> {
    /// By tree piece: the occurrence id and the index entry.
    occurrence: HashMap<usize, (String, usize)>,
    entries: Vec<IndexEntry<'d>>,
    /// Entries of each type, in index order.
    by_type: Vec<(Type, Vec<usize>)>,
    counts: HashMap<Type, usize>,
}

impl<'d> Apparatus<'d> {
    fn new(doc: &'d Document, tree: &Tree) -> Apparatus<'d> {
        let mut occurrence = HashMap::new();
        let mut entries: Vec<IndexEntry<'d>> = Vec::new();
        let mut by_key: HashMap<(Type, String), usize> = HashMap::new();
        let mut counts: HashMap<Type, usize> = HashMap::new();
        for (i, piece) in tree.pieces.iter().enumerate() {
            let kind = &doc.annotations[piece.annotation].kind;
            let Some(ty) = Type::of(kind) else { continue };
            let form = one_line(&doc.text[piece.start..piece.end]);
            let (key, label, sort, register, date) = match kind {
                Kind::Person { reference: r }
                | Kind::Place { reference: r, .. }
                | Kind::Org { reference: r, .. }
                | Kind::Title { reference: r, .. } => match r {
                    Some(id) => {
                        let found = doc.register.get(id);
                        let label = found.map_or_else(|| id.to_string(), |(_, e)| e.name.clone());
                        (format!("ref:{id}"), label.clone(), label.to_lowercase(), found, None)
                    }
                    None => (format!("form:{form}"), form.clone(), form.to_lowercase(), None, None),
                },
                Kind::Date(value) => {
                    let label = date_label(value).unwrap_or_else(|| form.clone());
                    let start = [&value.when, &value.from, &value.not_before, &value.not_after]
                        .into_iter()
                        .flatten()
                        .next()
                        .cloned()
                        .unwrap_or_else(|| "~".to_string());
                    (format!("date:{label}"), label.clone(), start, None, Some(&**value))
                }
                _ => continue,
            };
            let n = counts.entry(ty).or_insert(0);
            *n += 1;
            let id = format!("{}-{n}", ty.class());
            let entry = *by_key.entry((ty, key)).or_insert_with(|| {
                entries.push(IndexEntry {
                    ty,
                    id: String::new(),
                    label,
                    sort,
                    register,
                    date,
                    occurrences: Vec::new(),
                    forms: Vec::new(),
                });
                entries.len() - 1
            });
            let e = &mut entries[entry];
            e.occurrences.push(id.clone());
            if !e.forms.contains(&form) {
                e.forms.push(form);
            }
            occurrence.insert(i, (id, entry));
        }
        let mut by_type = Vec::new();
        let mut taken = std::collections::HashSet::new();
        for ty in Type::ALL {
            let mut list: Vec<usize> =
                (0..entries.len()).filter(|&i| entries[i].ty == ty).collect();
            list.sort_by(|&a, &b| {
                (&entries[a].sort, &entries[a].label).cmp(&(&entries[b].sort, &entries[b].label))
            });
            let mut unregistered = 0;
            for (k, &i) in list.iter().enumerate() {
                let mut id = match (entries[i].register, ty) {
                    (Some((_, e)), _) => format!("reg-{}", e.id),
                    (None, Type::Date) => format!("idx-date-{}", k + 1),
                    (None, _) => {
                        unregistered += 1;
                        format!("idx-{}-{unregistered}", ty.class())
                    }
                };
                // One register entry named by phrases of two types (a
                // register mixing kinds) still gets two distinct ids.
                if !taken.insert(id.clone()) {
                    id = format!("{id}-{}", ty.class());
                    taken.insert(id.clone());
                }
                entries[i].id = id;
            }
            if !list.is_empty() {
                by_type.push((ty, list));
            }
        }
        Apparatus { occurrence, entries, by_type, counts }
    }
}

/// A normalised date in words: "1917", "1955-03 to 1955-05", "not before 1929-10".
fn date_label(v: &DateValue) -> Option<String> {
    if let Some(when) = &v.when {
        return Some(when.clone());
    }
    let range = match (&v.from, &v.to) {
        (Some(f), Some(t)) => Some(format!("{f} to {t}")),
        (Some(f), None) => Some(format!("from {f}")),
        (None, Some(t)) => Some(format!("until {t}")),
        (None, None) => None,
    };
    let bounds = match (&v.not_before, &v.not_after) {
        (Some(a), Some(b)) => Some(format!("between {a} and {b}")),
        (Some(a), None) => Some(format!("not before {a}")),
        (None, Some(b)) => Some(format!("not after {b}")),
        (None, None) => None,
    };
    match (range, bounds) {
        (Some(r), Some(b)) => Some(format!("{r}, {b}")),
        (r, b) => r.or(b),
    }
}

// ---------------------------------------------------------------------------
// The text

/// An element the walk has open.
struct Open {
    end: usize,
    /// The markup that closes it.
    close: &'static str,
    kind: Frame,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// An element that holds only blocks.
    Container,
    /// A section (`titled` once its heading was seen).
    Div {
        titled: bool,
    },
    BlockQuote,
    /// A block or phrase: holds text.
    Text,
    /// A link: nothing interactive may go inside.
    Link,
}

/// The walk over the tree that writes the article.
struct Walk<'a, 'd> {
    doc: &'d Document,
    tree: &'a Tree,
    apparatus: &'a Apparatus<'d>,
    out: Out,
    stack: Vec<Open>,
    pos: usize,
    notes: NoteIds<'d>,
    /// Level, id and text of each heading, for the contents.
    headings: Vec<(usize, String, String)>,
    corrections: usize,
    has_title: bool,
}

impl<'a, 'd> Walk<'a, 'd> {
    fn new(doc: &'d Document, tree: &'a Tree, apparatus: &'a Apparatus<'d>) -> Walk<'a, 'd> {
        Walk {
            doc,
            tree,
            apparatus,
            out: Out::with_capacity(doc.text.len() * 2),
            stack: Vec::new(),
            pos: 0,
            notes: NoteIds::new(doc),
            headings: Vec::new(),
            corrections: 0,
            has_title: false,
        }
    }

    fn text(&mut self) {
        let tree = self.tree;
        for (i, piece) in tree.pieces.iter().enumerate() {
            self.close_until(piece.start);
            self.source(piece.start);
            self.open(i);
        }
        self.close_until(usize::MAX);
        self.source(self.doc.text.len());
    }

    /// Writes the source text up to `end`.
    fn source(&mut self, end: usize) {
        if self.pos < end {
            let text = &self.doc.text[self.pos..end];
            self.out.text(text);
            self.pos = end;
        }
    }

    fn close_until(&mut self, at: usize) {
        while let Some(top) = self.stack.last() {
            if top.end > at {
                break;
            }
            let (end, close) = (top.end, top.close);
            self.source(end);
            self.out.raw(close);
            self.stack.pop();
        }
    }

    fn push(&mut self, end: usize, close: &'static str, kind: Frame) {
        self.stack.push(Open { end, close, kind });
    }

    fn in_text(&self) -> bool {
        self.stack.last().is_some_and(|o| matches!(o.kind, Frame::Text | Frame::Link))
    }

    fn in_link(&self) -> bool {
        self.stack.iter().any(|o| o.kind == Frame::Link)
    }

    fn in_blockquote(&self) -> bool {
        self.stack.iter().any(|o| o.kind == Frame::BlockQuote)
    }

    /// The level of a heading that opens the innermost section: one below
    /// each enclosing section that has a heading, so levels never skip.
    fn heading_level(&mut self) -> usize {
        if let Some(Open { kind: Frame::Div { titled }, .. }) =
            self.stack.iter_mut().rev().find(|o| matches!(o.kind, Frame::Div { .. }))
        {
            *titled = true;
        }
        let titled =
            self.stack.iter().filter(|o| matches!(o.kind, Frame::Div { titled: true })).count();
        (titled + 1).clamp(2, 6)
    }

    fn open(&mut self, i: usize) {
        let piece = &self.tree.pieces[i];
        let (start, end) = (piece.start, piece.end);
        let annotation = &self.doc.annotations[piece.annotation];
        let kind = &annotation.kind;
        if let Some(ty) = Type::of(kind) {
            self.entity(i, ty, annotation.cert, kind);
            return;
        }
        match kind {
            Kind::Front => {
                self.out.raw("<header class=\"front\">");
                self.push(end, "</header>", Frame::Container);
            }
            Kind::Body => {
                self.out.raw("<div class=\"body\">");
                self.push(end, "</div>", Frame::Container);
            }
            Kind::Back => {
                self.out.raw("<div class=\"back\">");
                self.push(end, "</div>", Frame::Container);
            }
            Kind::Div { notes } => {
                // A section with a heading is a <section>; one without stays
                // a <div>, as HTML wants sections to be titled.
                let titled = self.tree.pieces.get(i + 1).is_some_and(|next| {
                    next.start < end && self.doc.annotations[next.annotation].kind == Kind::Head
                });
                let class = if *notes { " class=\"notes\"" } else { "" };
                if titled {
                    self.out.raw("<section");
                    self.out.raw(class);
                    self.out.raw(">");
                    self.push(end, "</section>", Frame::Div { titled: false });
                } else {
                    self.out.raw("<div");
                    self.out.raw(class);
                    self.out.raw(">");
                    self.push(end, "</div>", Frame::Div { titled: false });
                }
            }
            Kind::DocTitle => {
                self.has_title = true;
                self.out.raw("<h1>");
                self.push(end, "</h1>", Frame::Text);
            }
            Kind::TitlePart { sub } => {
                self.out.raw(if *sub {
                    "<span class=\"title-sub\">"
                } else {
                    "<span class=\"title-main\">"
                });
                self.push(end, "</span>", Frame::Text);
            }
            Kind::DocDate => self.block("<p class=\"docdate\">", "</p>", end),
            Kind::Byline => self.block("<p class=\"byline\">", "</p>", end),
            Kind::Head if self.in_blockquote() => {
                self.block("<p class=\"head\">", "</p>", end);
            }
            Kind::Head => {
                let level = self.heading_level();
                let id = format!("sec-{}", self.headings.len() + 1);
                let text = one_line(&self.doc.text[start..end]);
                let (open, close) = HEADINGS[level - 1];
                self.out.raw(open);
                self.out.raw(" id=\"");
                escape_attr(&mut self.out.s, &id);
                self.out.raw("\">");
                self.headings.push((level, id, text));
                self.push(end, close, Frame::Text);
            }
            Kind::P => self.block("<p>", "</p>", end),
            Kind::Separator => self.block("<p class=\"separator\">", "</p>", end),
            Kind::Note { .. } => {
                let id = self.notes.by_annotation.get(&piece.annotation).cloned();
                match id {
                    Some(id) => {
                        self.out.start("p", &[("class", "note"), ("id", &id)]);
                        self.push(end, "</p>", Frame::Text);
                    }
                    None => self.block("<p class=\"note\">", "</p>", end),
                }
            }
            Kind::Quote { block: true, .. } => {
                self.out.raw("<blockquote>");
                self.push(end, "</blockquote>", Frame::BlockQuote);
            }
            Kind::Quote { block: false, .. } => {
                self.out.raw("<q>");
                self.push(end, "</q>", Frame::Text);
            }
            Kind::Cit if self.in_text() => {
                self.out.raw("<span class=\"cit\">");
                self.push(end, "</span>", Frame::Text);
            }
            Kind::Cit => {
                self.out.raw("<div class=\"cit\">");
                self.push(end, "</div>", Frame::Container);
            }
            Kind::Bibl => self.phrase("bibl", end),
            Kind::BiblScope(_) => self.phrase("biblscope", end),
            Kind::Pc => self.phrase("pc", end),
            Kind::SoCalled => self.phrase("socalled", end),
            Kind::Term => self.phrase("term", end),
            Kind::NoteRef { n } => {
                let target = self.notes.by_label.get(&**n).cloned();
                match target {
                    Some(target) if !self.in_link() => {
                        let href = format!("#{target}");
                        self.out.start("a", &[("class", "noteref"), ("href", &href)]);
                        self.push(end, "</a>", Frame::Link);
                    }
                    _ => self.phrase("noteref", end),
                }
            }
            Kind::Corr { sic } => {
                self.corrections += 1;
                self.out.raw("<span class=\"choice\">");
                if !sic.is_empty() {
                    self.out.raw("<del class=\"sic\">");
                    // Only text inside <del>: a page break is no reading.
                    self.out.text(&sic.replace('\u{C}', ""));
                    self.out.raw("</del>");
                }
                if start == end {
                    self.out.raw("</span>");
                } else {
                    self.out.raw("<ins class=\"corr\">");
                    self.push(end, "</ins></span>", Frame::Text);
                }
            }
            Kind::Milestone | Kind::PageBreak => {
                let class = if *kind == Kind::Milestone { "milestone" } else { "pb" };
                if self.in_text() {
                    self.out.start("span", &[("class", class)]);
                    self.out.end("span");
                } else {
                    self.out.void("hr", &[("class", class)]);
                }
            }
            // Handled above as entities.
            Kind::Person { .. }
            | Kind::Place { .. }
            | Kind::Org { .. }
            | Kind::Title { .. }
            | Kind::Date(_) => {}
        }
    }

    fn block(&mut self, open: &'static str, close: &'static str, end: usize) {
        self.out.raw(open);
        self.push(end, close, Frame::Text);
    }

    fn phrase(&mut self, class: &'static str, end: usize) {
        self.out.start("span", &[("class", class)]);
        self.push(end, "</span>", Frame::Text);
    }

    /// A name, title or date: a link to its index entry with an id the
    /// index links back to. Inside another link (a name in a title) it is a
    /// highlighted span, as links must not nest.
    fn entity(&mut self, i: usize, ty: Type, cert: Cert, kind: &Kind) {
        let end = self.tree.pieces[i].end;
        let Some((id, entry)) = self.apparatus.occurrence.get(&i) else {
            self.phrase(ty.class(), end);
            return;
        };
        let entry = &self.apparatus.entries[*entry];
        let class = match kind {
            Kind::Place { adjectival: true, .. } | Kind::Org { adjectival: true, .. } => {
                format!("ent {} adjectival", ty.class())
            }
            _ => format!("ent {}", ty.class()),
        };
        let href = format!("#{}", entry.id);
        let mut attrs: Vec<(&'static str, &str)> =
            vec![("class", &class), ("id", id), ("data-entry", &entry.id)];
        if cert != Cert::High {
            attrs.push(("data-cert", cert.as_str()));
        }
        let link = !self.in_link();
        if link {
            attrs.insert(1, ("href", &href));
        }
        self.out.start(if link { "a" } else { "span" }, &attrs);
        // A single ISO date is machine-readable as <time>.
        let when = match kind {
            Kind::Date(value) => value.when.as_deref().filter(|w| is_iso_date(w)),
            _ => None,
        };
        if let Some(when) = when {
            self.out.start("time", &[("datetime", when)]);
        }
        let close = match (link, when.is_some()) {
            (true, false) => "</a>",
            (true, true) => "</time></a>",
            (false, false) => "</span>",
            (false, true) => "</time></span>",
        };
        self.push(end, close, if link { Frame::Link } else { Frame::Text });
    }
}

const HEADINGS: [(&str, &str); 6] = [
    ("<h1", "</h1>"),
    ("<h2", "</h2>"),
    ("<h3", "</h3>"),
    ("<h4", "</h4>"),
    ("<h5", "</h5>"),
    ("<h6", "</h6>"),
];

// ---------------------------------------------------------------------------
// Around the text: reading aids, index, colophon

/// The legend with a toggle per highlighted type, the corrections toggle,
/// and the contents.
fn aids(
    out: &mut Out,
    apparatus: &Apparatus,
    corrections: usize,
    headings: &[(usize, String, String)],
) {
    out.raw("<nav class=\"aids\" aria-label=\"Reading aids\">\n");
    if !apparatus.by_type.is_empty() || corrections > 0 {
        out.raw("<div class=\"toggles\">\n");
    }
    if !apparatus.by_type.is_empty() {
        out.raw("<fieldset><legend>Highlight</legend>\n");
        for (ty, _) in &apparatus.by_type {
            let count = apparatus.counts.get(ty).copied().unwrap_or(0);
            let id = format!("show-{}", ty.class());
            out.start("label", &[("class", "toggle")]);
            out.void("input", &[("type", "checkbox"), ("id", &id), ("checked", "")]);
            out.start(
                "span",
                &[("class", &format!("swatch {}", ty.class())), ("aria-hidden", "true")],
            );
            out.end("span");
            out.text(&format!("{} ({count})", ty.label()));
            out.end("label");
            out.raw("\n");
        }
        out.raw("</fieldset>\n");
    }
    if corrections > 0 {
        out.raw("<fieldset><legend>Corrections</legend>\n<label class=\"toggle\">");
        out.void("input", &[("type", "checkbox"), ("id", "show-sic")]);
        out.text(&format!(
            "Show the earlier reading ({corrections} correction{})",
            if corrections == 1 { "" } else { "s" }
        ));
        out.raw("</label>\n</fieldset>\n");
    }
    if !apparatus.by_type.is_empty() || corrections > 0 {
        out.raw("</div>\n");
    }
    out.raw("<details class=\"contents\"><summary>Contents</summary>\n<ol>\n");
    out.raw("<li><a href=\"#text\">Text</a></li>\n");
    for (level, id, text) in headings {
        // One flat list; CSS indents by level.
        out.start("li", &[("class", &format!("l{level}"))]);
        out.element("a", &[("href", &format!("#{id}"))], text);
        out.raw("</li>\n");
    }
    if !apparatus.by_type.is_empty() {
        out.raw("<li><a href=\"#index\">Index</a></li>\n");
    }
    out.raw("<li><a href=\"#colophon\">About this edition</a></li>\n</ol>\n</details>\n</nav>\n");
}

/// The indexes: one per type, each entry with its card and back-links to
/// every occurrence.
fn index(out: &mut Out, apparatus: &Apparatus) {
    if apparatus.by_type.is_empty() {
        return;
    }
    out.raw("<section id=\"index\" class=\"index\" aria-labelledby=\"index-h\">\n");
    out.raw("<h2 id=\"index-h\">Index</h2>\n");
    for (ty, list) in &apparatus.by_type {
        let id = format!("index-{}", ty.class());
        out.start("details", &[("id", &id), ("open", "")]);
        out.raw("<summary>");
        out.start("h3", &[]);
        out.text(ty.label());
        out.raw(" <span class=\"count\">(");
        out.text(&list.len().to_string());
        out.raw(")</span></h3></summary>\n<ul>\n");
        for &i in list {
            entry(out, &apparatus.entries[i]);
        }
        out.raw("</ul>\n</details>\n");
    }
    out.raw("</section>\n");
}

fn entry(out: &mut Out, e: &IndexEntry) {
    out.start("li", &[("id", &e.id), ("class", &format!("entry {}", e.ty.class()))]);
    out.raw("<div class=\"card\"><p class=\"name\"><strong>");
    if e.ty == Type::Title {
        out.element("cite", &[], &e.label);
    } else {
        out.text(&e.label);
    }
    out.raw("</strong>");
    match (e.register, e.date) {
        (Some((kind, r)), _) => {
            let life = match (&r.birth, &r.death) {
                (Some(b), Some(d)) => Some(format!("{b}–{d}")),
                (Some(b), None) => Some(format!("born {b}")),
                (None, Some(d)) => Some(format!("died {d}")),
                (None, None) => None,
            };
            if let Some(life) = life {
                out.raw(" <span class=\"life\">(");
                out.text(&life);
                out.raw(")</span>");
            }
            out.raw("</p>");
            let what = match (kind, &r.kind, &r.level) {
                (EntryKind::Place, Some(k), _) => Some(k.clone()),
                (EntryKind::Work, _, Some(level)) => level_name(level).map(str::to_string),
                _ => None,
            };
            if let Some(what) = what {
                out.element("p", &[("class", "kind")], &what);
            }
            if let Some(note) = &r.note {
                out.element("p", &[("class", "about")], note);
            }
            authority_links(out, r);
        }
        (None, Some(date)) => {
            out.raw("</p>");
            let mut parts = Vec::new();
            for (name, value) in [
                ("when", &date.when),
                ("from", &date.from),
                ("to", &date.to),
                ("not before", &date.not_before),
                ("not after", &date.not_after),
            ] {
                if let Some(v) = value {
                    parts.push(format!("{name} {v}"));
                }
            }
            let text = if parts.is_empty() {
                "Not normalised".to_string()
            } else {
                format!("ISO 8601: {}", parts.join(", "))
            };
            out.element("p", &[("class", "kind")], &text);
        }
        (None, None) => {
            out.raw("</p>");
            out.element(
                "p",
                &[("class", "kind")],
                &format!("A {} not in the edition's register", e.ty.singular()),
            );
        }
    }
    out.raw("</div>\n");
    if e.forms.len() > 1 || e.forms.first().is_some_and(|f| *f != e.label) {
        out.raw("<p class=\"forms\">In the text: ");
        out.text(&e.forms.join(", "));
        out.raw("</p>\n");
    }
    let n = e.occurrences.len();
    let label = format!("{n} occurrence{} of {}", if n == 1 { "" } else { "s" }, e.label);
    out.start("p", &[("class", "occ")]);
    out.text(&format!("{n} occurrence{}: ", if n == 1 { "" } else { "s" }));
    out.start("span", &[("role", "list"), ("aria-label", &label)]);
    for (k, id) in e.occurrences.iter().enumerate() {
        out.raw("<span role=\"listitem\">");
        out.element("a", &[("href", &format!("#{id}"))], &(k + 1).to_string());
        out.raw("</span> ");
    }
    out.raw("</span></p>\n</li>\n");
}

fn level_name(level: &str) -> Option<&'static str> {
    Some(match level {
        "a" => "article",
        "m" => "book",
        "j" => "periodical",
        "s" => "series",
        "u" => "unpublished",
        _ => return None,
    })
}

fn authority_links(out: &mut Out, r: &Entry) {
    let mut links = Vec::new();
    if let Some(q) = &r.wikidata {
        links.push(("Wikidata", format!("https://www.wikidata.org/wiki/{q}"), q));
    }
    if let Some(v) = &r.viaf {
        links.push(("VIAF", format!("https://viaf.org/viaf/{v}"), v));
    }
    if let Some(g) = &r.geonames {
        links.push(("GeoNames", format!("https://www.geonames.org/{g}"), g));
    }
    if links.is_empty() {
        return;
    }
    out.raw("<p class=\"ids\">");
    for (k, (name, url, id)) in links.iter().enumerate() {
        if k > 0 {
            out.raw(" · ");
        }
        out.external(url, &format!("{name} {id}"));
    }
    out.raw("</p>");
}

/// The header metadata: what was edited, from where, by whom, under which
/// licence, in which revisions.
fn colophon(out: &mut Out, doc: &Document, options: &Options) {
    let e = &doc.edition;
    out.raw("<footer id=\"colophon\" class=\"colophon\">\n<h2>About this edition</h2>\n<dl>\n");
    out.element("dt", &[], "Title");
    out.element("dd", &[], &full_title(doc));
    if !e.authors.is_empty() {
        out.element("dt", &[], if e.authors.len() == 1 { "Author" } else { "Authors" });
        out.raw("<dd>");
        for (k, a) in e.authors.iter().enumerate() {
            if k > 0 {
                out.raw(", ");
            }
            match &a.wikidata {
                Some(q) => out.external(&format!("https://www.wikidata.org/wiki/{q}"), &a.name),
                None => out.text(&a.name),
            }
        }
        out.raw("</dd>\n");
    }
    let o = &e.original;
    out.element("dt", &[], "First published");
    out.raw("<dd>");
    out.element("cite", &[], &o.periodical);
    let mut details = Vec::new();
    if let Some(v) = &o.volume {
        details.push(format!("vol. {v}"));
    }
    if let Some(i) = &o.issue {
        details.push(format!("no. {i}"));
    }
    details.push(o.date.clone());
    if let Some(p) = &o.pages {
        details.push(format!("pp. {p}"));
    }
    out.text(&format!(", {}", details.join(", ")));
    out.raw("</dd>\n");
    if let Some(d) = &e.digital_source {
        out.element("dt", &[], "Digital source");
        out.raw("<dd>");
        out.text(&d.title);
        if let Some(p) = &d.publisher {
            out.text(&format!(", {p}"));
        }
        out.raw(": ");
        out.external(&d.url, &d.url);
        if let Some(by) = &d.byline {
            out.text(&format!("; byline there: {by}"));
        }
        if let Some(acc) = &d.accessed {
            out.text(&format!("; accessed {acc}"));
        }
        out.raw("</dd>\n");
    }
    if !e.editors.is_empty() {
        out.element("dt", &[], if e.editors.len() == 1 { "Editor" } else { "Editors" });
        let names: Vec<String> = e
            .editors
            .iter()
            .map(|p| match &p.role {
                Some(role) => format!("{} ({role})", p.name),
                None => p.name.clone(),
            })
            .collect();
        out.element("dd", &[], &names.join("; "));
    }
    out.element("dt", &[], "Publisher");
    out.element("dd", &[], &e.publisher);
    out.element("dt", &[], "Licence");
    out.raw("<dd>");
    out.text(&e.licence.text);
    if let Some(url) = &e.licence.url {
        out.raw(" ");
        out.external(url, url);
    }
    out.raw("</dd>\n");
    out.element("dt", &[], "Language of the text");
    out.element("dd", &[], &e.language);
    if !e.revisions.is_empty() {
        out.element("dt", &[], "Revisions");
        out.raw("<dd><ol>\n");
        for r in &e.revisions {
            out.raw("<li>");
            if is_iso_date(&r.when) {
                out.element("time", &[("datetime", &r.when)], &r.when);
            } else {
                out.text(&r.when);
            }
            out.text(&format!(": {} ({}; file {})", r.description, r.who, r.file));
            out.raw("</li>\n");
        }
        out.raw("</ol></dd>\n");
    }
    if options.sibling_files {
        out.element("dt", &[], "Files");
        out.raw("<dd>");
        out.element("a", &[("href", &format!("{}.tei.xml", e.id))], "TEI P5 XML");
        out.raw(", ");
        out.element("a", &[("href", &format!("{}.json", e.id))], "JSON (text and annotations)");
        out.raw("</dd>\n");
    }
    out.element("dt", &[], "Made with");
    out.element(
        "dd",
        &[],
        &format!(
            "{}. Structure, names, dates, quotations and citations were marked up by rule against \
             the edition's register; uncertain identifications are marked with a dotted line.",
            generator()
        ),
    );
    out.raw("</dl>\n</footer>\n");
}

#[cfg(test)]
mod tests;
