//! TEI P5 export: header from the edition metadata, the register as
//! `standOff`, and the annotated text as `<text>`.
//!
//! Everything is written through quick-xml's `Writer`. The header is
//! indented; `<text>` is not: its string value is the source text itself.
//! The whitespace rule (documented in `editorialDecl` and ARCHITECTURE.md):
//! the string value of `<text>` equals the source text with a byte-order
//! mark removed and the characters XML 1.0 cannot carry (C0 controls other
//! than tab, LF and CR; U+FFFE; U+FFFF) left out — a form feed becomes
//! `<pb/>` — once the content of `<sic>` (the uncorrected reading beside a
//! correction) is set aside. Carriage returns are kept, written as `&#13;`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesPI, BytesStart, BytesText, Event};

use super::NoteIds;
use crate::document::{Annotation, Cert, Document, Kind, Piece, Tier, Tree};
use crate::entities::register::{Entry, EntryKind};
use crate::source::is_xml_forbidden;

/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// Writes the document as a TEI P5 file.
pub fn write<W: Write>(doc: &Document, tree: &Tree, out: W) -> io::Result<()> {
    let mut w = Writer::new(out);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    nl(&mut w, 0)?;
    w.write_event(Event::PI(BytesPI::new(
        r#"xml-model href="https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0""#,
    )))?;
    nl(&mut w, 0)?;
    let mut root = BytesStart::new("TEI");
    root.push_attribute(("xmlns", TEI_NS));
    root.push_attribute(("xml:lang", xml_chars(&doc.edition.language).as_ref()));
    w.write_event(Event::Start(root))?;
    header(&mut w, doc, tree)?;
    stand_off(&mut w, doc)?;
    nl(&mut w, 1)?;
    text(&mut w, doc, tree)?;
    nl(&mut w, 0)?;
    w.write_event(Event::End(BytesEnd::new("TEI")))?;
    nl(&mut w, 0)?;
    Ok(())
}

/// The TEI file as a string.
pub fn to_string(doc: &Document, tree: &Tree) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(doc, tree, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

type W<O> = Writer<O>;

fn nl<O: Write>(w: &mut W<O>, depth: usize) -> io::Result<()> {
    let mut s = String::from("\n");
    s.extend(std::iter::repeat_n("  ", depth));
    w.write_event(Event::Text(BytesText::from_escaped(s)))
}

fn open<O: Write>(
    w: &mut W<O>,
    depth: usize,
    name: &str,
    attrs: &[(&str, &str)],
) -> io::Result<()> {
    nl(w, depth)?;
    let mut start = BytesStart::new(name);
    for &(k, v) in attrs {
        start.push_attribute((k, xml_chars(v).as_ref()));
    }
    w.write_event(Event::Start(start))
}

fn close<O: Write>(w: &mut W<O>, depth: usize, name: &str) -> io::Result<()> {
    nl(w, depth)?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// `<name attrs>text</name>` on a line of its own.
fn leaf<O: Write>(
    w: &mut W<O>,
    depth: usize,
    name: &str,
    attrs: &[(&str, &str)],
    text: &str,
) -> io::Result<()> {
    nl(w, depth)?;
    inline(w, name, attrs, text)
}

/// `<name attrs>text</name>` where the writer stands.
fn inline<O: Write>(
    w: &mut W<O>,
    name: &str,
    attrs: &[(&str, &str)],
    text: &str,
) -> io::Result<()> {
    let mut el = w.create_element(name);
    for &(k, v) in attrs {
        el = el.with_attribute((k, xml_chars(v).as_ref()));
    }
    let text = xml_chars(text);
    if text.is_empty() {
        el.write_empty()?;
    } else {
        el.write_text_content(BytesText::from_escaped(partial_escape(text)))?;
    }
    Ok(())
}

/// Text that holds no character XML forbids ([`source_text`] cuts them out).
fn plain<O: Write>(w: &mut W<O>, text: &str) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::from_escaped(partial_escape(text))))
}

/// The text without the characters XML cannot carry (metadata and register
/// entries may hold them as TOML escapes, a derived title as source text).
fn xml_chars(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_xml_forbidden) {
        Cow::Owned(text.chars().filter(|&c| !is_xml_forbidden(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

fn header<O: Write>(w: &mut W<O>, doc: &Document, tree: &Tree) -> io::Result<()> {
    let e = &doc.edition;
    open(w, 1, "teiHeader", &[])?;
    open(w, 2, "fileDesc", &[])?;
    open(w, 3, "titleStmt", &[])?;
    leaf(w, 4, "title", &[("type", "main")], &e.title)?;
    if let Some(sub) = &e.subtitle {
        leaf(w, 4, "title", &[("type", "sub")], sub)?;
    }
    for author in &e.authors {
        leaf(w, 4, "author", &[], &author.name)?;
    }
    for editor in &e.editors {
        let role = editor.role.as_deref().unwrap_or("editor");
        leaf(w, 4, "editor", &[("role", role)], &editor.name)?;
    }
    close(w, 3, "titleStmt")?;
    open(w, 3, "publicationStmt", &[])?;
    leaf(w, 4, "publisher", &[], &e.publisher)?;
    open(w, 4, "availability", &[])?;
    match &e.licence.url {
        Some(url) => leaf(w, 5, "licence", &[("target", url)], &e.licence.text)?,
        None => leaf(w, 5, "licence", &[], &e.licence.text)?,
    }
    close(w, 4, "availability")?;
    close(w, 3, "publicationStmt")?;
    open(w, 3, "sourceDesc", &[])?;
    original_bibl(w, doc)?;
    if let Some(d) = &e.digital_source {
        open(w, 4, "bibl", &[("type", "digital")])?;
        leaf(w, 5, "title", &[], &d.title)?;
        if let Some(p) = &d.publisher {
            leaf(w, 5, "publisher", &[], p)?;
        }
        if let Some(by) = &d.byline {
            open(w, 5, "respStmt", &[])?;
            leaf(w, 6, "resp", &[], "byline in the digital source")?;
            leaf(w, 6, "name", &[], by)?;
            close(w, 5, "respStmt")?;
        }
        leaf(w, 5, "ref", &[("target", &d.url)], &d.url)?;
        if let Some(acc) = &d.accessed {
            leaf(w, 5, "date", &[("type", "accessed"), ("when", acc)], acc)?;
        }
        close(w, 4, "bibl")?;
    }
    close(w, 3, "sourceDesc")?;
    close(w, 2, "fileDesc")?;

    open(w, 2, "encodingDesc", &[])?;
    open(w, 3, "appInfo", &[])?;
    open(
        w,
        4,
        "application",
        &[("xml:id", "teimark"), ("ident", "teimark"), ("version", env!("CARGO_PKG_VERSION"))],
    )?;
    leaf(w, 5, "label", &[], "teimark")?;
    leaf(
        w,
        5,
        "p",
        &[],
        "Structure and semantic markup made by teimark from the plain-text source. Each element teimark made \
         carries @resp=\"#teimark\", its certainty in @cert, and in @ana the rule that made it (see classDecl).",
    )?;
    close(w, 4, "application")?;
    close(w, 3, "appInfo")?;
    open(w, 3, "editorialDecl", &[])?;
    open(w, 4, "normalization", &[])?;
    leaf(
        w,
        5,
        "p",
        &[],
        "The string value of text equals the source text character for character: line breaks and blank lines \
         are kept as they are (a carriage return as a character reference), nothing is normalised. Left out are \
         only a byte-order mark and the characters XML cannot carry (C0 controls other than tab, line feed and \
         carriage return, U+FFFE, U+FFFF); a form feed is written as pb. Where the transcription was \
         corrected, choice holds the reading of the earlier revision in sic beside the corrected one in corr; \
         the text is the corrected one, so sic stands outside this rule.",
    )?;
    close(w, 4, "normalization")?;
    close(w, 3, "editorialDecl")?;
    let rules = rules_used(doc, tree);
    if !rules.is_empty() {
        open(w, 3, "classDecl", &[])?;
        open(w, 4, "taxonomy", &[("xml:id", "teimark.rules")])?;
        leaf(w, 5, "desc", &[], "The rules by which teimark made its markup.")?;
        for rule in rules {
            let id = rule_id(rule);
            open(w, 5, "category", &[("xml:id", &id)])?;
            leaf(
                w,
                6,
                "catDesc",
                &[],
                &format!("{rule}: {}", crate::document::describe_rule(rule)),
            )?;
            close(w, 5, "category")?;
        }
        close(w, 4, "taxonomy")?;
        close(w, 3, "classDecl")?;
    }
    close(w, 2, "encodingDesc")?;

    open(w, 2, "profileDesc", &[])?;
    open(w, 3, "langUsage", &[])?;
    leaf(w, 4, "language", &[("ident", &e.language)], language_name(&e.language))?;
    close(w, 3, "langUsage")?;
    close(w, 2, "profileDesc")?;

    if !e.revisions.is_empty() {
        open(w, 2, "revisionDesc", &[])?;
        for r in &e.revisions {
            leaf(
                w,
                3,
                "change",
                &[("when", &r.when)],
                &format!("{} ({}; file {})", r.description, r.who, r.file),
            )?;
        }
        close(w, 2, "revisionDesc")?;
    }
    close(w, 1, "teiHeader")
}

fn original_bibl<O: Write>(w: &mut W<O>, doc: &Document) -> io::Result<()> {
    let e = &doc.edition;
    let o = &e.original;
    open(w, 4, "bibl", &[("type", "original")])?;
    for author in &e.authors {
        leaf(w, 5, "author", &[], &author.name)?;
    }
    let title = match &e.subtitle {
        Some(sub) => format!("{}: {}", e.title, sub),
        None => e.title.clone(),
    };
    leaf(w, 5, "title", &[("level", "a")], &title)?;
    leaf(w, 5, "title", &[("level", "j")], &o.periodical)?;
    if let Some(v) = &o.volume {
        leaf(w, 5, "biblScope", &[("unit", "volume")], v)?;
    }
    if let Some(i) = &o.issue {
        leaf(w, 5, "biblScope", &[("unit", "issue")], i)?;
    }
    if o.when.is_empty() {
        leaf(w, 5, "date", &[], &o.date)?;
    } else {
        leaf(w, 5, "date", &[("when", &o.when)], &o.date)?;
    }
    if let Some(p) = &o.pages {
        leaf(w, 5, "biblScope", &[("unit", "page")], p)?;
    }
    close(w, 4, "bibl")
}

fn language_name(code: &str) -> &'static str {
    match code.split('-').next().unwrap_or("") {
        "en" => "English",
        "de" => "German",
        "fr" => "French",
        "ru" => "Russian",
        "es" => "Spanish",
        "it" => "Italian",
        "nl" => "Dutch",
        "pt" => "Portuguese",
        "pl" => "Polish",
        "la" => "Latin",
        _ => "",
    }
}

/// The rules that made the elements in the tree, sorted.
fn rules_used<'a>(doc: &'a Document, tree: &Tree) -> BTreeSet<&'a str> {
    tree.pieces.iter().map(|p| doc.annotations[p.annotation].rule.as_ref()).collect()
}

/// The xml:id of a rule's category: `rule.` + the rule name.
pub fn rule_id(rule: &str) -> String {
    let clean: String = rule
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') { c } else { '-' })
        .collect();
    format!("rule.{clean}")
}

fn stand_off<O: Write>(w: &mut W<O>, doc: &Document) -> io::Result<()> {
    let r = &doc.register;
    if r.persons.is_empty() && r.places.is_empty() && r.orgs.is_empty() && r.works.is_empty() {
        return Ok(());
    }
    open(w, 1, "standOff", &[])?;
    for (kind, list, item, name) in [
        (EntryKind::Person, "listPerson", "person", "persName"),
        (EntryKind::Place, "listPlace", "place", "placeName"),
        (EntryKind::Org, "listOrg", "org", "orgName"),
    ] {
        let entries = r.entries(kind);
        if entries.is_empty() {
            continue;
        }
        open(w, 2, list, &[])?;
        for entry in entries {
            open(w, 3, item, &[("xml:id", &entry.id)])?;
            leaf(w, 4, name, &[("type", "canonical")], &entry.name)?;
            for v in &entry.variants {
                leaf(w, 4, name, &[("type", "variant")], v)?;
            }
            for a in &entry.adjectives {
                leaf(w, 4, name, &[("type", "adjectival")], a)?;
            }
            if kind == EntryKind::Person {
                if let Some(b) = &entry.birth {
                    leaf(w, 4, "birth", &[("when", b)], "")?;
                }
                if let Some(d) = &entry.death {
                    leaf(w, 4, "death", &[("when", d)], "")?;
                }
            }
            idnos(w, entry)?;
            if let Some(note) = &entry.note {
                leaf(w, 4, "note", &[], note)?;
            }
            close(w, 3, item)?;
        }
        close(w, 2, list)?;
    }
    if !r.works.is_empty() {
        open(w, 2, "listBibl", &[])?;
        for work in &r.works {
            open(w, 3, "bibl", &[("xml:id", &work.id)])?;
            if let Some(author) = &work.author {
                let target = format!("#{author}");
                let name = r.get(author).map_or(author.as_str(), |(_, e)| e.name.as_str());
                leaf(w, 4, "author", &[("ref", &target)], name)?;
            }
            match work.level.as_deref() {
                Some(level) => leaf(w, 4, "title", &[("level", level)], &work.name)?,
                None => leaf(w, 4, "title", &[], &work.name)?,
            }
            for v in &work.variants {
                leaf(w, 4, "title", &[("type", "variant")], v)?;
            }
            idnos(w, work)?;
            if let Some(note) = &work.note {
                leaf(w, 4, "note", &[], note)?;
            }
            close(w, 3, "bibl")?;
        }
        close(w, 2, "listBibl")?;
    }
    close(w, 1, "standOff")
}

fn idnos<O: Write>(w: &mut W<O>, entry: &Entry) -> io::Result<()> {
    if let Some(q) = &entry.wikidata {
        leaf(w, 4, "idno", &[("type", "wikidata")], q)?;
    }
    if let Some(v) = &entry.viaf {
        leaf(w, 4, "idno", &[("type", "VIAF")], v)?;
    }
    if let Some(g) = &entry.geonames {
        leaf(w, 4, "idno", &[("type", "geonames")], g)?;
    }
    Ok(())
}

/// `<text>`: the source text with the tree's elements around it.
fn text<O: Write>(w: &mut W<O>, doc: &Document, tree: &Tree) -> io::Result<()> {
    let src = doc.text.as_str();
    w.write_event(Event::Start(BytesStart::new("text")))?;
    let notes = NoteIds::new(doc);
    let mut body_written =
        tree.pieces.iter().any(|p| doc.annotations[p.annotation].kind == Kind::Body);
    let mut pos = 0;
    let mut stack: Vec<(usize, &'static str)> = Vec::new();
    for piece in &tree.pieces {
        while let Some(&(end, name)) = stack.last() {
            if end > piece.start {
                break;
            }
            source_text(w, &src[pos..end])?;
            pos = end;
            w.write_event(Event::End(BytesEnd::new(name)))?;
            stack.pop();
        }
        source_text(w, &src[pos..piece.start])?;
        pos = piece.start;
        let annotation = &doc.annotations[piece.annotation];
        if annotation.kind == Kind::Back && !body_written {
            empty_body(w)?;
            body_written = true;
        }
        let (name, attrs) = element(annotation, piece, &notes);
        let mut start = BytesStart::new(name);
        for (k, v) in &attrs {
            start.push_attribute((k.as_str(), xml_chars(v).as_ref()));
        }
        if let Kind::Corr { sic } = &annotation.kind {
            // The uncorrected reading stands beside the corrected one.
            w.write_event(Event::Start(BytesStart::new("choice")))?;
            if sic.is_empty() {
                w.write_event(Event::Empty(BytesStart::new("sic")))?;
            } else {
                w.write_event(Event::Start(BytesStart::new("sic")))?;
                source_text(w, sic)?;
                w.write_event(Event::End(BytesEnd::new("sic")))?;
            }
            if piece.start == piece.end {
                w.write_event(Event::Empty(start))?;
                w.write_event(Event::End(BytesEnd::new("choice")))?;
            } else {
                w.write_event(Event::Start(start))?;
                stack.push((piece.end, "choice"));
                stack.push((piece.end, name));
            }
        } else if piece.start == piece.end {
            w.write_event(Event::Empty(start))?;
        } else {
            w.write_event(Event::Start(start))?;
            stack.push((piece.end, name));
        }
    }
    while let Some((end, name)) = stack.pop() {
        source_text(w, &src[pos..end])?;
        pos = end;
        w.write_event(Event::End(BytesEnd::new(name)))?;
    }
    if !body_written {
        empty_body(w)?;
    }
    source_text(w, &src[pos..])?;
    w.write_event(Event::End(BytesEnd::new("text")))
}

/// `<body><p/></body>` for a text without body (TEI requires one, before
/// any `<back>`); the empty paragraph adds no text.
fn empty_body<O: Write>(w: &mut W<O>) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("body")))?;
    w.write_event(Event::Empty(BytesStart::new("p")))?;
    w.write_event(Event::End(BytesEnd::new("body")))
}

/// Source text, escaped; characters XML cannot carry are left out, a form
/// feed becomes `<pb/>`.
fn source_text<O: Write>(w: &mut W<O>, s: &str) -> io::Result<()> {
    let mut run_start = 0;
    for (i, c) in s.char_indices() {
        if is_xml_forbidden(c) {
            if run_start < i {
                plain(w, &s[run_start..i])?;
            }
            if c == '\u{C}' {
                w.write_event(Event::Empty(BytesStart::new("pb")))?;
            }
            run_start = i + c.len_utf8();
        }
    }
    if run_start < s.len() {
        plain(w, &s[run_start..])?;
    }
    Ok(())
}

/// The element name and attributes of an annotation (or part of one).
fn element(
    a: &Annotation,
    piece: &Piece,
    notes: &NoteIds,
) -> (&'static str, Vec<(String, String)>) {
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: &str| attrs.push((k.to_string(), v.to_string()));
    let reference = |id: &Option<crate::document::Id>| id.as_ref().map(|id| format!("#{id}"));
    let name = match &a.kind {
        Kind::Front => "front",
        Kind::Body => "body",
        Kind::Back => "back",
        Kind::Div { notes } => {
            if *notes {
                set("type", "notes");
            }
            "div"
        }
        Kind::DocTitle => "docTitle",
        Kind::TitlePart { sub } => {
            set("type", if *sub { "sub" } else { "main" });
            "titlePart"
        }
        Kind::DocDate => "docDate",
        Kind::Byline => "byline",
        Kind::Head => "head",
        Kind::P => "p",
        Kind::Separator => {
            set("type", "separator");
            "ab"
        }
        Kind::Note { n } => {
            if let Some(id) = notes.by_annotation.get(&piece.annotation) {
                set("xml:id", id);
            }
            set("n", n);
            "note"
        }
        Kind::Quote { speaker, .. } => {
            if let Some(s) = reference(speaker) {
                set("source", &s);
            }
            "quote"
        }
        Kind::Cit => "cit",
        Kind::Bibl => "bibl",
        Kind::BiblScope(scope) => {
            set("unit", &scope.unit);
            if let Some(f) = &scope.from {
                set("from", f);
            }
            if let Some(t) = &scope.to {
                set("to", t);
            }
            "biblScope"
        }
        Kind::Pc => "pc",
        Kind::Person { reference: r } => {
            if let Some(r) = reference(r) {
                set("ref", &r);
            }
            "persName"
        }
        Kind::Place { reference: r, adjectival } => {
            if *adjectival {
                set("type", "adjectival");
            }
            if let Some(r) = reference(r) {
                set("ref", &r);
            }
            "placeName"
        }
        Kind::Org { reference: r, adjectival } => {
            if *adjectival {
                set("type", "adjectival");
            }
            if let Some(r) = reference(r) {
                set("ref", &r);
            }
            "orgName"
        }
        Kind::Date(v) => {
            for (k, val) in [
                ("when", &v.when),
                ("from", &v.from),
                ("to", &v.to),
                ("notBefore", &v.not_before),
                ("notAfter", &v.not_after),
            ] {
                if let Some(val) = val {
                    set(k, val);
                }
            }
            "date"
        }
        Kind::Title { reference: r, level } => {
            if let Some(l) = level {
                set("level", l.as_str());
            }
            if let Some(r) = reference(r) {
                set("ref", &r);
            }
            "title"
        }
        Kind::SoCalled => "soCalled",
        Kind::Term => "term",
        Kind::NoteRef { n } => {
            set("type", "noteAnchor");
            set("n", n);
            if let Some(id) = notes.by_label.get(&**n) {
                set("target", &format!("#{id}"));
            }
            "ref"
        }
        Kind::Milestone => {
            set("unit", "section");
            "milestone"
        }
        Kind::PageBreak => "pb",
        Kind::Corr { .. } => "corr",
    };
    if let Some(part) = &piece.part {
        set("xml:id", &part.id);
        if let Some(p) = &part.prev {
            set("prev", p);
        }
        if let Some(n) = &part.next {
            set("next", n);
        }
    }
    if carries_provenance(a) {
        set("resp", "#teimark");
        set("cert", a.cert.as_str());
        set("ana", &format!("#{}", rule_id(&a.rule)));
    }
    (name, attrs)
}

/// Whether an element records who made it and how sure: every semantic
/// decision (names, dates, titles, quotations, citations) and every
/// structural one that is not certain. Plain layout (a sure paragraph, a
/// division) does not repeat it on every element.
fn carries_provenance(a: &Annotation) -> bool {
    match a.kind {
        Kind::Front | Kind::Body | Kind::Back | Kind::Pc | Kind::Div { .. } | Kind::DocTitle => {
            false
        }
        Kind::Quote { .. } | Kind::Cit | Kind::Bibl => true,
        _ => a.kind.tier() == Tier::Phrase || a.cert != Cert::High,
    }
}
