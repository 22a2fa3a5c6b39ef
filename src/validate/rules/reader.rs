//! The streaming reader the edition rules run on: quick-xml events with namespaces
//! resolved and every start tag and attribute placed by byte offset, line and column.
//!
//! Positions follow the RELAX NG engine's conventions (1-based lines counted at `\n`,
//! 1-based columns counted in characters) so that a rule and the engine name the same
//! place the same way. Entity references are left unexpanded: the rules look at
//! attribute values and at whether an element has content, which does not need them.

use std::io::BufRead;
use std::ops::Range;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

/// The TEI namespace.
use crate::export::tei::TEI_NS;

/// The namespace of `xml:id` and `xml:lang`.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A place in the document: byte offset, 1-based line, 1-based column in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub offset: u64,
    pub line: u32,
    pub column: u32,
}

impl Pos {
    /// The start of a document.
    pub const START: Pos = Pos { offset: 0, line: 1, column: 1 };

    /// This position moved over `bytes` (UTF-8; continuation bytes are no column).
    pub fn advanced(mut self, bytes: &[u8]) -> Pos {
        self.offset += bytes.len() as u64;
        let tail = match memchr::memrchr(b'\n', bytes) {
            Some(i) => {
                let newlines = memchr::memchr_iter(b'\n', bytes).count();
                self.line = self.line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                self.column = 1;
                &bytes[i + 1..]
            }
            None => bytes,
        };
        let chars = tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        self.column = self.column.saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
        self
    }
}

/// Which namespace an attribute name is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrNs {
    /// No prefix: the attribute belongs to its element.
    None,
    /// The `xml:` namespace (`xml:id`, `xml:lang`).
    Xml,
    /// Any other namespace.
    Other,
}

/// An attribute of a start tag, with its place in the file.
#[derive(Clone, Debug)]
pub struct Attr {
    pub ns: AttrNs,
    /// The local name (`id` for `xml:id`).
    pub local: String,
    /// The name as written (`xml:id`).
    pub qname: String,
    /// The value normalised as XML does (entity and character references replaced, line
    /// breaks and tabs made spaces); the raw value when it refers to undeclared entities.
    pub value: String,
    /// `name="value"` in the file.
    pub span: Range<u64>,
    pub pos: Pos,
}

impl Attr {
    /// Whether this is `xml:<local>`.
    pub fn is_xml(&self, local: &str) -> bool {
        self.ns == AttrNs::Xml && self.local == local
    }
}

/// A start tag (or empty-element tag), with the attributes some rule reads (see
/// `wanted`).
#[derive(Clone, Debug)]
pub struct Element {
    /// Whether the element is in the TEI namespace.
    pub tei: bool,
    pub local: String,
    pub attrs: Vec<Attr>,
    /// The start tag in the file.
    pub span: Range<u64>,
    pub pos: Pos,
}

impl Element {
    /// Whether this is the TEI element `local`.
    pub fn is_tei(&self, local: &str) -> bool {
        self.tei && self.local == local
    }
}

/// What the reader passes on.
#[derive(Debug)]
pub enum Item {
    /// A start tag; for an empty-element tag an [`Item::End`] follows at once.
    Start(Element),
    /// Text, CDATA or an entity reference that is not just whitespace.
    Content,
    /// The end of the element opened by the matching start.
    End,
    /// The end of the document, read completely.
    Eof,
    /// Reading stopped: the document is not well-formed (or not UTF-8, or unreadable);
    /// the RELAX NG engine reports why.
    Stopped,
}

/// A [`BufRead`] that counts lines and columns of the bytes consumed.
struct Counter<R> {
    inner: R,
    pos: Pos,
}

impl<R: std::io::Read> std::io::Read for Counter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos = self.pos.advanced(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let amt = amt.min(buf.len());
            self.pos = self.pos.advanced(&buf[..amt]);
        }
        self.inner.consume(amt);
    }
}

/// Reads a document as [`Item`]s.
pub struct Reader<R> {
    xml: NsReader<Counter<R>>,
    buf: Vec<u8>,
    /// An empty-element tag was passed on as a start; its end comes next.
    pending_end: bool,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Reader<R> {
        let mut xml = NsReader::from_reader(Counter { inner: input, pos: Pos::START });
        let config = xml.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Reader { xml, buf: Vec::with_capacity(4096), pending_end: false, done: false }
    }

    /// The next item; after [`Item::Eof`] or [`Item::Stopped`] the same again.
    pub fn next(&mut self) -> Item {
        if self.pending_end {
            self.pending_end = false;
            return Item::End;
        }
        loop {
            if self.done {
                return Item::Stopped;
            }
            self.buf.clear();
            let at = self.xml.get_ref().pos;
            let (resolved, event) = match self.xml.read_resolved_event_into(&mut self.buf) {
                Ok((ns, event)) => (tei_or_not(&ns), event),
                Err(_) => {
                    self.done = true;
                    return Item::Stopped;
                }
            };
            match event {
                Event::Start(ref tag) | Event::Empty(ref tag) => {
                    let empty = matches!(event, Event::Empty(_));
                    let span = at.offset..self.xml.get_ref().pos.offset;
                    let element = element(&self.xml, tag, resolved, at, span);
                    self.pending_end = empty;
                    return Item::Start(element);
                }
                Event::End(_) => return Item::End,
                Event::Text(t) if !is_space(&t) => return Item::Content,
                Event::CData(t) if !is_space(&t) => return Item::Content,
                Event::GeneralRef(_) => return Item::Content,
                Event::Eof => {
                    self.done = true;
                    return Item::Eof;
                }
                _ => {}
            }
        }
    }
}

fn tei_or_not(ns: &ResolveResult<'_>) -> bool {
    matches!(ns, ResolveResult::Bound(Namespace(n)) if *n == TEI_NS)
}

/// XML whitespace only (space, tab, line feed, carriage return).
fn is_space(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// A start tag with its attributes placed in the file.
fn element<R>(
    xml: &NsReader<R>,
    tag: &BytesStart<'_>,
    tei: bool,
    at: Pos,
    span: Range<u64>,
) -> Element {
    let content: &str = tag;
    // The tag's content starts after its `<`.
    let inner = at.advanced(b"<");
    let mut attrs = Vec::new();
    for attr in tag.attributes().with_checks(false).flatten() {
        let qname = attr.key.0;
        let key_at = offset_in(content, qname);
        let pos = inner.advanced(&content.as_bytes()[..key_at]);
        let len = attribute_len(&content[key_at..]);
        let (resolved, local) = xml.resolver().resolve_attribute(attr.key);
        let ns = match (resolved, qname.contains(':')) {
            (_, false) => AttrNs::None,
            (ResolveResult::Bound(Namespace(XML_NS)), true) => AttrNs::Xml,
            _ => AttrNs::Other,
        };
        // Most attributes (`@rend`, `@type`, …) concern no rule: they are not copied.
        if !wanted(ns, local.as_ref(), &attr.value) {
            continue;
        }
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| attr.value.clone().into_owned());
        attrs.push(Attr {
            ns,
            local: local.as_ref().to_string(),
            qname: qname.to_string(),
            value,
            span: pos.offset..pos.offset + len as u64,
            pos,
        });
    }
    let local = tag.local_name().as_ref().to_string();
    Element { tei, local, attrs, span, pos: at }
}

/// Whether a rule reads this attribute: `xml:` attributes, values holding a pointer
/// (`#`), and the attributes that date an element.
fn wanted(ns: AttrNs, local: &str, value: &str) -> bool {
    /// `att.datable` and its `-iso` and `-custom` variants (`empty-element` accepts a
    /// `date` that has one; `invalid-date` and `date-order` read the W3C ones).
    const DATING: &[&str] = &["when", "notBefore", "notAfter", "from", "to"];
    let base =
        local.strip_suffix("-iso").or_else(|| local.strip_suffix("-custom")).unwrap_or(local);
    ns == AttrNs::Xml || value.contains('#') || (ns == AttrNs::None && DATING.contains(&base))
}

/// Where `part` (a slice of `whole`) starts in `whole`; 0 if it is not a slice of it.
fn offset_in(whole: &str, part: &str) -> usize {
    let start = whole.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    if at >= start && at + part.len() <= start + whole.len() { at - start } else { 0 }
}

/// The length of `name = "value"` at the start of `text` (the whole text if the value
/// is not closed, which a well-formed tag rules out).
fn attribute_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let Some(eq) = memchr::memchr(b'=', bytes) else { return text.len() };
    let Some(open) = bytes[eq + 1..].iter().position(|b| matches!(b, b'"' | b'\'')) else {
        return text.len();
    };
    let open = eq + 1 + open;
    match memchr::memchr(bytes[open], &bytes[open + 1..]) {
        Some(close) => open + 1 + close + 1,
        None => text.len(),
    }
}
