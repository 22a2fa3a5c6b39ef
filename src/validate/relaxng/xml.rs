//! Streaming XML input: quick-xml events with namespaces, entities and file positions.
//!
//! The reader never builds a tree: it holds the open elements' namespace bindings and the
//! current event only. Positions are counted as bytes pass through ([`Counter`]), so every
//! event knows its byte range, line and column in the file; events that come from expanding an
//! entity carry the position of the outermost reference, so positions always refer to the file.
//!
//! Hostile input is refused: entity expansion is capped (count, size, nesting), an external DTD
//! or external entity is read only when allowed and only from inside the document's folder,
//! and nothing is ever fetched from the network.

use std::io::{BufRead, Cursor};
use std::ops::Range;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event as XmlEvent};
use quick_xml::reader::Reader;

use super::codes;
use super::datatype::{NsContext, XML_NS, lexical};
use super::dtd::{self, Dtd, Entity, Fetch};
use super::names::NameTable;
use super::pattern::NsId;

/// Most entity references expanded in one document (jing's parser stops at 64,000).
const MAX_EXPANSIONS: usize = 100_000;
/// Most characters entity expansion may add to one document.
const MAX_EXPANDED_BYTES: usize = 16 << 20;
/// Deepest nesting of entity references.
const MAX_ENTITY_DEPTH: usize = 32;

/// What went wrong reading the document; reading stops here.
#[derive(Debug, Clone)]
pub(crate) struct XmlError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) span: Range<u64>,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// A place in the file: byte offset, 1-based line, 1-based column in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) offset: u64,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// Counts bytes, lines and characters as quick-xml consumes its input.
struct Counter<R> {
    inner: R,
    pos: Pos,
}

impl<R: BufRead> std::io::Read for Counter<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let bytes = &buf[..amt.min(buf.len())];
            advance(&mut self.pos, bytes);
        }
        self.inner.consume(amt);
    }
}

/// Moves a position over `bytes` (UTF-8; continuation bytes do not count as columns).
fn advance(pos: &mut Pos, bytes: &[u8]) {
    pos.offset += bytes.len() as u64;
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    let tail = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => {
            pos.line += newlines as u32;
            pos.column = 1;
            &bytes[i + 1..]
        }
        None => bytes,
    };
    pos.column += tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32;
}

/// The kind of an [`Event`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Start,
    End,
    Text,
    Eof,
}

/// An attribute of a start tag.
#[derive(Clone, Debug, Default)]
pub(crate) struct Attr {
    pub(crate) qname: String,
    pub(crate) ns: NsId,
    /// Length of `prefix:` in `qname` (0 without a prefix).
    pub(crate) prefix_len: usize,
    /// The value after entity expansion and attribute-value normalisation.
    pub(crate) value: String,
    /// `name="value"` in the file (the start tag's range for defaulted attributes).
    pub(crate) span: Range<u64>,
}

impl Attr {
    pub(crate) fn local(&self) -> &str {
        &self.qname[self.prefix_len..]
    }
}

/// One event, reused from call to call to avoid allocation.
#[derive(Debug)]
pub(crate) struct Event {
    pub(crate) kind: Kind,
    pub(crate) qname: String,
    pub(crate) ns: NsId,
    pub(crate) prefix_len: usize,
    pub(crate) attrs: Vec<Attr>,
    /// Text of a `Text` event (entities expanded, line ends normalised).
    pub(crate) text: String,
    /// The construct in the file: start tag, end tag, text run or entity reference.
    pub(crate) span: Range<u64>,
    pub(crate) start: Pos,
    /// The raw start tag (between `<` and `>`), to place attributes.
    raw: String,
    /// Whether the event comes from an entity's replacement text.
    in_entity: bool,
    /// Whether `raw` holds the file text of a `Text` event (it differs from `text` when line
    /// ends were normalised).
    raw_text: bool,
}

impl Default for Event {
    fn default() -> Event {
        Event {
            kind: Kind::Eof,
            qname: String::new(),
            ns: 0,
            prefix_len: 0,
            attrs: Vec::new(),
            text: String::new(),
            span: 0..0,
            start: Pos { offset: 0, line: 1, column: 1 },
            raw: String::new(),
            in_entity: false,
            raw_text: false,
        }
    }
}

impl Event {
    pub(crate) fn local(&self) -> &str {
        &self.qname[self.prefix_len..]
    }

    /// Line and column of a byte offset inside this event's span.
    pub(crate) fn pos_at(&self, offset: u64) -> Pos {
        if self.in_entity || offset <= self.start.offset {
            return self.start;
        }
        let mut pos = self.start;
        let upto = (offset - self.start.offset) as usize;
        let raw: &[u8] = match self.kind {
            Kind::Start => self.raw.as_bytes(),
            _ if self.raw_text => self.raw.as_bytes(),
            _ => self.text.as_bytes(),
        };
        if self.kind == Kind::Start {
            // The raw text starts after the `<`.
            advance(&mut pos, b"<");
            advance(&mut pos, &raw[..upto.saturating_sub(1).min(raw.len())]);
        } else {
            advance(&mut pos, &raw[..upto.min(raw.len())]);
        }
        pos
    }

    /// Byte offset (in the file) just after the last non-blank character of a `Text` event.
    pub(crate) fn last_non_blank_end(&self) -> u64 {
        if self.in_entity {
            return self.span.end;
        }
        let raw = if self.raw_text { &self.raw } else { &self.text };
        let trailing =
            raw.bytes().rev().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count();
        self.span.end.saturating_sub(trailing as u64).max(self.start.offset)
    }

    /// Byte offset (in the file) of the first non-blank character of a `Text` event.
    pub(crate) fn first_non_blank(&self) -> u64 {
        if self.in_entity {
            return self.start.offset;
        }
        let raw = if self.raw_text { &self.raw } else { &self.text };
        let skip = raw.bytes().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count();
        self.start.offset + skip as u64
    }
}

/// Resolves prefixes in the document's current scope.
pub(crate) struct Scope<'a> {
    bindings: &'a [(Box<str>, NsId)],
    names: &'a NameTable,
}

impl NsContext for Scope<'_> {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        let ns = self.bindings.iter().rev().find(|(p, _)| &**p == prefix)?.1;
        let uri = self.names.uri(ns);
        (!uri.is_empty() || prefix.is_empty()).then_some(uri)
    }
}

/// An entity whose replacement text holds markup and is being read.
struct Frame {
    name: String,
    reader: Reader<Cursor<Vec<u8>>>,
    depth_at_start: usize,
}

/// How external DTD files are found and whether they may be read.
struct Files {
    allowed: bool,
    base_dir: Option<PathBuf>,
}

impl Fetch for Files {
    fn fetch(&mut self, system_id: &str) -> Result<String, String> {
        if !self.allowed {
            return Err(DTD_OFF.into());
        }
        let base = self.base_dir.as_deref().ok_or("the document's folder is unknown")?;
        let path = confined(base, system_id)?;
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }
}

/// Why [`Files::fetch`] read nothing when reading DTDs was not asked for.
const DTD_OFF: &str = "reading DTDs is off";

/// Resolves a system id inside `base`; anything outside it (or remote) is refused.
fn confined(base: &Path, system_id: &str) -> Result<PathBuf, String> {
    let has_scheme = system_id.find(':').is_some_and(|i| {
        i > 1 && system_id[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let local = if let Some(rest) = system_id.strip_prefix("file:") {
        rest.trim_start_matches("//")
    } else if has_scheme {
        return Err(format!(
            "\"{system_id}\" is not a local file; nothing is fetched from the network"
        ));
    } else {
        system_id
    };
    let base = std::fs::canonicalize(base)
        .map_err(|e| format!("cannot resolve {}: {e}", base.display()))?;
    let path = std::fs::canonicalize(base.join(local))
        .map_err(|e| format!("cannot find \"{system_id}\": {e}"))?;
    if !path.starts_with(&base) {
        return Err(format!("\"{system_id}\" is outside the document's folder"));
    }
    Ok(path)
}

/// Reads a document as a stream of [`Event`]s.
pub(crate) struct XmlReader<R: BufRead> {
    main: Reader<Counter<R>>,
    frames: Vec<Frame>,
    buf: Vec<u8>,
    bindings: Vec<(Box<str>, NsId)>,
    marks: Vec<usize>,
    /// Element names opened inside entity frames, to check their end tags.
    frame_open: Vec<String>,
    depth: usize,
    root_seen: bool,
    root_done: bool,
    pending_end: bool,
    pending_pop: bool,
    dtd: Dtd,
    /// The DOCTYPE names an external subset we did not read.
    unread_dtd: bool,
    files: Files,
    expansions: usize,
    expanded_bytes: usize,
    first_event: bool,
    /// Span and position of the outermost entity reference being expanded.
    entity_start: Pos,
    entity_span: Range<u64>,
    scratch: Vec<(String, String, Range<u64>)>,
}

impl<R: BufRead> XmlReader<R> {
    pub(crate) fn new(input: R, dtd: bool, base_dir: Option<&Path>) -> XmlReader<R> {
        let counter = Counter { inner: input, pos: Pos { offset: 0, line: 1, column: 1 } };
        let mut main = Reader::from_reader(counter);
        let config = main.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        config.expand_empty_elements = false;
        XmlReader {
            main,
            frames: Vec::new(),
            buf: Vec::with_capacity(4096),
            bindings: vec![("xml".into(), 0)],
            marks: Vec::new(),
            frame_open: Vec::new(),
            depth: 0,
            root_seen: false,
            root_done: false,
            pending_end: false,
            pending_pop: false,
            dtd: Dtd::default(),
            unread_dtd: false,
            files: Files { allowed: dtd, base_dir: base_dir.map(Path::to_path_buf) },
            expansions: 0,
            expanded_bytes: 0,
            first_event: true,
            entity_start: Pos::default(),
            entity_span: 0..0,
            scratch: Vec::new(),
        }
    }

    /// The namespace scope of the current element, for QName values.
    pub(crate) fn scope<'a>(&'a self, names: &'a NameTable) -> Scope<'a> {
        Scope { bindings: &self.bindings, names }
    }

    /// The prefix bound to a namespace in the current scope (for messages).
    pub(crate) fn prefix_for(&self, ns: NsId) -> Option<&str> {
        let (prefix, _) = self.bindings.iter().rev().find(|(_, n)| *n == ns)?;
        // The binding must not be shadowed by a later binding of the same prefix.
        let current = self.bindings.iter().rev().find(|(p, _)| p == prefix)?.1;
        (current == ns).then_some(&**prefix)
    }

    /// The current byte offset in the file.
    pub(crate) fn position(&self) -> Pos {
        self.main.get_ref().pos
    }

    fn error(&self, code: &'static str, message: impl Into<String>, at: Pos, end: u64) -> XmlError {
        let (at, end) = if self.frames.is_empty() {
            (at, end.max(at.offset))
        } else {
            (self.entity_start, self.entity_span.end)
        };
        XmlError {
            code,
            message: message.into(),
            help: None,
            span: at.offset..end,
            line: at.line,
            column: at.column,
        }
    }

    /// Reads the next event into `ev`.
    pub(crate) fn next(&mut self, ev: &mut Event, names: &mut NameTable) -> Result<(), XmlError> {
        if self.pending_pop {
            self.pending_pop = false;
            if let Some(mark) = self.marks.pop() {
                self.bindings.truncate(mark);
            }
        }
        if self.pending_end {
            self.pending_end = false;
            self.end_element(ev);
            return Ok(());
        }
        if self.first_event {
            self.check_bom()?;
        }
        let mut buf = std::mem::take(&mut self.buf);
        let result = loop {
            buf.clear();
            match self.step(&mut buf, ev, names) {
                Ok(true) => break Ok(()),
                Ok(false) => {}
                Err(e) => break Err(e),
            }
        };
        self.buf = buf;
        result
    }

    /// Reads one event; `Ok(false)` when it produced nothing for the caller.
    fn step(
        &mut self,
        buf: &mut Vec<u8>,
        ev: &mut Event,
        names: &mut NameTable,
    ) -> Result<bool, XmlError> {
        {
            let at = if self.frames.is_empty() { self.position() } else { self.entity_start };
            let in_entity = !self.frames.is_empty();
            let event = match self.frames.last_mut() {
                Some(frame) => frame.reader.read_event_into(buf),
                None => self.main.read_event_into(buf),
            };
            let end = if in_entity { self.entity_span.end } else { self.main.get_ref().pos.offset };
            let event = match event {
                Ok(e) => e,
                Err(quick_xml::Error::Io(e)) => {
                    return Err(self.error(
                        codes::IO,
                        format!("cannot read the document: {e}"),
                        at,
                        at.offset,
                    ));
                }
                Err(quick_xml::Error::Encoding(_)) => {
                    let end = if in_entity { at.offset } else { self.position().offset };
                    let mut err = self.error(
                        codes::NOT_WELL_FORMED,
                        "not well-formed: found bytes that are not UTF-8; expected UTF-8 text",
                        at,
                        end,
                    );
                    err.help = Some(
                        "check that this is an XML document; if it is in another encoding, convert it \
                         (e.g. iconv -f windows-1252 -t utf-8)"
                            .into(),
                    );
                    return Err(err);
                }
                Err(e) => {
                    let end = if in_entity { at.offset } else { self.position().offset };
                    return Err(self.error(codes::NOT_WELL_FORMED, well_formedness(&e), at, end));
                }
            };
            if self.first_event && !in_entity {
                self.first_event = false;
                if let XmlEvent::Decl(d) = &event
                    && let Some(Ok(enc)) = d.encoding()
                {
                    let enc = enc.trim().to_ascii_lowercase();
                    if !matches!(enc.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii") {
                        let mut err = self.error(
                            codes::UNSUPPORTED_ENCODING,
                            format!("encoding \"{enc}\" is not supported; expected UTF-8"),
                            at,
                            end,
                        );
                        err.help = Some("convert the file to UTF-8 (e.g. with iconv) and change the declaration".into());
                        return Err(err);
                    }
                }
            }
            ev.in_entity = in_entity;
            ev.start = at;
            ev.span = at.offset..end;
            match event {
                XmlEvent::Start(e) | XmlEvent::Empty(e) if self.root_done && self.depth == 0 => {
                    let _ = e;
                    return Err(self.error(
                        codes::NOT_WELL_FORMED,
                        "content after the root element; a document has exactly one root element",
                        at,
                        end,
                    ));
                }
                XmlEvent::Start(e) => {
                    self.start_element(&e, ev, names, at, end)?;
                    if in_entity {
                        self.frame_open.push(ev.qname.clone());
                    }
                    return Ok(true);
                }
                XmlEvent::Empty(e) => {
                    self.start_element(&e, ev, names, at, end)?;
                    self.pending_end = true;
                    return Ok(true);
                }
                XmlEvent::End(e) => {
                    if let Some(frame) = self.frames.last() {
                        let qname = e.name();
                        let name: &str = qname.as_ref();
                        if self.depth <= frame.depth_at_start
                            || self.frame_open.last().map(String::as_str) != Some(name)
                        {
                            return Err(self.error(
                                codes::NOT_WELL_FORMED,
                                format!("end tag \"{name}\" in entity \"{}\" does not close an element opened in it", frame.name),
                                at,
                                end,
                            ));
                        }
                        self.frame_open.pop();
                    } else if self.depth == 0 {
                        let qname = e.name();
                        let name: &str = qname.as_ref();
                        return Err(self.error(
                            codes::NOT_WELL_FORMED,
                            format!("end tag \"{name}\" has no start tag"),
                            at,
                            end,
                        ));
                    }
                    ev.qname.clear();
                    ev.qname.push_str(e.name().as_ref());
                    self.end_element(ev);
                    return Ok(true);
                }
                XmlEvent::Text(t) => {
                    if self.depth == 0 {
                        if !t.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                            return Err(self.error(
                                codes::NOT_WELL_FORMED,
                                "text outside the root element",
                                at,
                                end,
                            ));
                        }
                        return Ok(false);
                    }
                    check_chars(&t).map_err(|m| self.error(codes::NOT_WELL_FORMED, m, at, end))?;
                    ev.kind = Kind::Text;
                    ev.text.clear();
                    push_normalized(&mut ev.text, &t);
                    ev.raw_text = t.contains('\r');
                    if ev.raw_text {
                        ev.raw.clear();
                        ev.raw.push_str(&t);
                    }
                    return Ok(true);
                }
                XmlEvent::CData(t) => {
                    if self.depth == 0 {
                        return Err(self.error(
                            codes::NOT_WELL_FORMED,
                            "CDATA outside the root element",
                            at,
                            end,
                        ));
                    }
                    check_chars(&t).map_err(|m| self.error(codes::NOT_WELL_FORMED, m, at, end))?;
                    ev.kind = Kind::Text;
                    ev.text.clear();
                    push_normalized(&mut ev.text, &t);
                    ev.raw_text = t.contains('\r');
                    if ev.raw_text {
                        ev.raw.clear();
                        ev.raw.push_str(&t);
                    }
                    return Ok(true);
                }
                XmlEvent::GeneralRef(r) => {
                    let name = r.to_string();
                    if self.depth == 0 {
                        return Err(self.error(
                            codes::NOT_WELL_FORMED,
                            "a reference outside the root element",
                            at,
                            end,
                        ));
                    }
                    if let Some(text) = self.reference(&name, at, end)? {
                        ev.kind = Kind::Text;
                        ev.raw_text = false;
                        ev.text.clear();
                        ev.text.push_str(&text);
                        return Ok(true);
                    }
                    // The entity holds markup: a frame was pushed; read from it.
                    return Ok(false);
                }
                XmlEvent::DocType(d) => {
                    if in_entity || self.root_seen {
                        return Err(self.error(
                            codes::NOT_WELL_FORMED,
                            "a DOCTYPE must come before the root element",
                            at,
                            end,
                        ));
                    }
                    let text = d.to_string();
                    self.doctype(&text).map_err(|(code, m)| self.error(code, m, at, end))?;
                }
                XmlEvent::Eof => {
                    if let Some(frame) = self.frames.pop() {
                        if self.depth != frame.depth_at_start {
                            return Err(self.error(
                                codes::NOT_WELL_FORMED,
                                format!("entity \"{}\" leaves an element open", frame.name),
                                at,
                                end,
                            ));
                        }
                        return Ok(false);
                    }
                    if self.depth > 0 {
                        return Err(self.error(
                            codes::NOT_WELL_FORMED,
                            "the document ends inside an element; expected its end tag",
                            at,
                            end,
                        ));
                    }
                    if !self.root_seen {
                        return Err(self.error(
                            codes::NOT_WELL_FORMED,
                            "the document has no root element",
                            at,
                            end,
                        ));
                    }
                    ev.kind = Kind::Eof;
                    return Ok(true);
                }
                XmlEvent::Decl(_) | XmlEvent::PI(_) | XmlEvent::Comment(_) => {}
            }
        }
        Ok(false)
    }

    /// UTF-16 and UTF-32 input is refused up front with a clear message.
    fn check_bom(&mut self) -> Result<(), XmlError> {
        let head = match self.main.get_mut().inner.fill_buf() {
            Ok(head) => head,
            Err(e) => {
                return Err(self.error(
                    codes::IO,
                    format!("cannot read the document: {e}"),
                    Pos::default(),
                    0,
                ));
            }
        };
        let utf16 = head.starts_with(&[0xFE, 0xFF])
            || head.starts_with(&[0xFF, 0xFE])
            || head.starts_with(&[0, b'<'])
            || head.starts_with(&[b'<', 0]);
        if utf16 {
            let start = Pos { offset: 0, line: 1, column: 1 };
            let mut err = self.error(
                codes::UNSUPPORTED_ENCODING,
                "the document is UTF-16; expected UTF-8",
                start,
                2,
            );
            err.help = Some("convert the file to UTF-8 (e.g. with iconv)".into());
            return Err(err);
        }
        Ok(())
    }

    fn end_element(&mut self, ev: &mut Event) {
        ev.kind = Kind::End;
        self.depth -= 1;
        // The element's bindings stay in scope until the caller has handled its end tag
        // (QName values in its text are resolved then).
        self.pending_pop = true;
        if self.depth == 0 {
            self.root_done = true;
        }
    }

    fn start_element(
        &mut self,
        e: &BytesStart<'_>,
        ev: &mut Event,
        names: &mut NameTable,
        at: Pos,
        end: u64,
    ) -> Result<(), XmlError> {
        let tag: &str = e;
        ev.kind = Kind::Start;
        ev.raw.clear();
        ev.raw.push_str(tag);
        ev.qname.clear();
        ev.qname.push_str(e.name().as_ref());
        ev.attrs.clear();
        self.scratch.clear();
        self.marks.push(self.bindings.len());
        self.depth += 1;
        self.root_seen = true;
        let base = tag.as_ptr() as usize;
        let mut scratch = std::mem::take(&mut self.scratch);
        for attr in e.attributes() {
            let attr = attr.map_err(|err| {
                self.error(codes::NOT_WELL_FORMED, format!("malformed attribute: {err}"), at, end)
            })?;
            let key: &str = attr.key.as_ref();
            let raw: &str = &attr.value;
            let key_at = key.as_ptr() as usize - base;
            let value_end = match &attr.value {
                std::borrow::Cow::Borrowed(v) => v.as_ptr() as usize - base + v.len() + 1,
                std::borrow::Cow::Owned(_) => key_at + key.len(),
            };
            let span = at.offset + 1 + key_at as u64..at.offset + 1 + value_end as u64;
            if raw.contains('<') {
                return Err(self.error(
                    codes::NOT_WELL_FORMED,
                    format!("attribute \"{key}\" contains \"<\"; write &lt; instead"),
                    at,
                    end,
                ));
            }
            let value = self.attribute_value(raw, at, end)?;
            if key == "xmlns" || key.starts_with("xmlns:") {
                let prefix = key.strip_prefix("xmlns:").unwrap_or("");
                if prefix == "xmlns" || (prefix == "xml") != (value == XML_NS) {
                    return Err(self.error(
                        codes::NOT_WELL_FORMED,
                        format!(
                            "namespace declaration \"{key}\" binds a reserved prefix or namespace"
                        ),
                        at,
                        end,
                    ));
                }
                if !prefix.is_empty() && value.is_empty() {
                    return Err(self.error(
                        codes::NOT_WELL_FORMED,
                        format!("namespace prefix \"{prefix}\" cannot be undeclared in XML 1.0"),
                        at,
                        end,
                    ));
                }
                let ns = names.ns(&value);
                self.bindings.push((prefix.into(), ns));
            } else {
                scratch.push((key.to_string(), value, span));
            }
        }
        // Attributes the DTD defaults but the tag leaves out.
        if let Some(defaults) = self.dtd.defaults.get(&ev.qname).cloned() {
            for d in &defaults {
                if !scratch.iter().any(|(k, _, _)| *k == d.qname) {
                    let value = self.attribute_value(&d.value, at, end)?;
                    scratch.push((d.qname.clone(), value, at.offset..end));
                }
            }
        }
        let tokenized = self.dtd.tokenized.get(&ev.qname);
        let (ns, prefix_len) = self.resolve(&ev.qname, true, at, end)?;
        ev.ns = ns;
        ev.prefix_len = prefix_len;
        for (qname, mut value, span) in scratch.drain(..) {
            let (ns, prefix_len) = self.resolve(&qname, false, at, end)?;
            if tokenized.is_some_and(|t| t.contains(&qname)) {
                value = super::datatype::collapse(&value).into_owned();
            }
            let local = &qname[prefix_len..];
            if ev.attrs.iter().any(|a| a.ns == ns && a.local() == local) {
                return Err(self.error(
                    codes::NOT_WELL_FORMED,
                    format!("attribute \"{qname}\" is given twice on element \"{}\"", ev.qname),
                    at,
                    end,
                ));
            }
            ev.attrs.push(Attr { qname, ns, prefix_len, value, span });
        }
        self.scratch = scratch;
        Ok(())
    }

    /// Resolves a qualified name to (namespace id, prefix length).
    fn resolve(
        &self,
        qname: &str,
        element: bool,
        at: Pos,
        end: u64,
    ) -> Result<(NsId, usize), XmlError> {
        let bad_name = || {
            self.error(
                codes::NOT_WELL_FORMED,
                format!("\"{qname}\" is not a valid XML name"),
                at,
                end,
            )
        };
        match qname.split_once(':') {
            Some((prefix, local)) => {
                if !lexical::is_ncname(prefix) || !lexical::is_ncname(local) {
                    return Err(bad_name());
                }
                if prefix == "xml" {
                    return Ok((self.xml_ns(), prefix.len() + 1));
                }
                let ns =
                    self.bindings.iter().rev().find(|(p, _)| &**p == prefix).map(|(_, ns)| *ns);
                match ns {
                    Some(ns) => Ok((ns, prefix.len() + 1)),
                    None => Err(self.error(
                        codes::NOT_WELL_FORMED,
                        format!("namespace prefix \"{prefix}\" of \"{qname}\" is not declared"),
                        at,
                        end,
                    )),
                }
            }
            None => {
                if !lexical::is_ncname(qname) {
                    return Err(bad_name());
                }
                if element {
                    let ns = self
                        .bindings
                        .iter()
                        .rev()
                        .find(|(p, _)| p.is_empty())
                        .map_or(0, |(_, ns)| *ns);
                    Ok((ns, 0))
                } else {
                    Ok((0, 0))
                }
            }
        }
    }

    /// The id of the XML namespace (registered by the validator before reading).
    fn xml_ns(&self) -> NsId {
        self.bindings[0].1
    }

    /// Registers the XML namespace; call once before reading.
    pub(crate) fn init(&mut self, names: &mut NameTable) {
        self.bindings[0].1 = names.ns(XML_NS);
    }

    /// Expands references in an attribute value and normalises its whitespace.
    fn attribute_value(&mut self, raw: &str, at: Pos, end: u64) -> Result<String, XmlError> {
        check_chars(raw).map_err(|m| self.error(codes::NOT_WELL_FORMED, m, at, end))?;
        if !raw.contains(['&', '\t', '\n', '\r']) {
            return Ok(raw.to_string());
        }
        let mut out = String::with_capacity(raw.len());
        let mut active: Vec<String> = Vec::new();
        self.expand_value(raw, &mut out, &mut active, at, end)?;
        Ok(out)
    }

    fn expand_value(
        &mut self,
        raw: &str,
        out: &mut String,
        active: &mut Vec<String>,
        at: Pos,
        end: u64,
    ) -> Result<(), XmlError> {
        let mut rest = raw;
        while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
            out.push_str(&rest[..i]);
            let c = rest.as_bytes()[i];
            if c != b'&' {
                // \r\n counts as one line end, and line ends and tabs become spaces.
                let skip =
                    if c == b'\r' && rest.as_bytes().get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                out.push(' ');
                rest = &rest[i + skip..];
                continue;
            }
            let close = rest[i..].find(';').ok_or_else(|| {
                self.error(
                    codes::NOT_WELL_FORMED,
                    "an \"&\" in an attribute value is not a reference; write &amp;",
                    at,
                    end,
                )
            })? + i;
            let name = &rest[i + 1..close];
            rest = &rest[close + 1..];
            if let Some(c) = dtd::char_ref(name) {
                out.push(c.map_err(|m| self.error(codes::NOT_WELL_FORMED, m, at, end))?);
                continue;
            }
            if let Some(text) = super::schema::xmltree::predefined(name) {
                out.push_str(text);
                continue;
            }
            if active.iter().any(|a| a == name) || active.len() >= MAX_ENTITY_DEPTH {
                return Err(self.error(
                    codes::ENTITY_LIMIT,
                    format!("entity \"{name}\" refers to itself"),
                    at,
                    end,
                ));
            }
            let replacement = match self.dtd.entities.get(name) {
                Some(Entity::Internal(text)) => text.clone(),
                Some(_) => {
                    return Err(self.error(
                        codes::NOT_WELL_FORMED,
                        format!("attribute values cannot refer to the external entity \"{name}\""),
                        at,
                        end,
                    ));
                }
                None => return Err(self.undefined(name, at, end)),
            };
            self.count_expansion(replacement.len(), at, end)?;
            if replacement.contains('<') {
                return Err(self.error(
                    codes::NOT_WELL_FORMED,
                    format!("entity \"{name}\" puts \"<\" into an attribute value"),
                    at,
                    end,
                ));
            }
            active.push(name.to_string());
            self.expand_value(&replacement, out, active, at, end)?;
            active.pop();
        }
        out.push_str(rest);
        Ok(())
    }

    fn count_expansion(&mut self, bytes: usize, at: Pos, end: u64) -> Result<(), XmlError> {
        self.expansions += 1;
        self.expanded_bytes += bytes;
        if self.expansions > MAX_EXPANSIONS || self.expanded_bytes > MAX_EXPANDED_BYTES {
            let mut err = self.error(
                codes::ENTITY_LIMIT,
                format!(
                    "entity expansion stopped after {} references and {} bytes; expected at most {MAX_EXPANSIONS} references and {MAX_EXPANDED_BYTES} bytes",
                    self.expansions, self.expanded_bytes
                ),
                at,
                end,
            );
            err.help = Some(
                "the DTD nests entities so that they multiply (an entity expansion bomb)".into(),
            );
            return Err(err);
        }
        Ok(())
    }

    fn undefined(&self, name: &str, at: Pos, end: u64) -> XmlError {
        let mut err = self.error(
            codes::UNDEFINED_ENTITY,
            format!("entity \"&{name};\" is not defined; expected a character reference, a predefined entity or one declared in the DTD"),
            at,
            end,
        );
        err.help = Some(if self.unread_dtd || self.dtd.incomplete {
            "the entity may be declared in the external DTD, which was not read; pass the dtd option (`teimark validate --dtd`) to read it".into()
        } else {
            "declare the entity in the DOCTYPE or write the character itself".into()
        });
        err
    }

    /// Resolves a reference in content: text to emit, or `None` after pushing a frame.
    fn reference(&mut self, name: &str, at: Pos, end: u64) -> Result<Option<String>, XmlError> {
        if let Some(c) = dtd::char_ref(name) {
            return c
                .map(|c| Some(c.to_string()))
                .map_err(|m| self.error(codes::NOT_WELL_FORMED, m, at, end));
        }
        if let Some(text) = super::schema::xmltree::predefined(name) {
            return Ok(Some(text.to_string()));
        }
        if self.frames.is_empty() {
            self.entity_start = at;
            self.entity_span = at.offset..end;
        }
        let replacement = match self.dtd.entities.get(name) {
            Some(Entity::Internal(text)) => text.clone(),
            Some(Entity::External(system)) => {
                let system = system.clone();
                match self.files.fetch(&system) {
                    Ok(text) => dtd::strip_text_decl(&text).replace("\r\n", "\n"),
                    Err(why) => {
                        let mut err = self.error(
                            codes::DTD_REFUSED,
                            format!("external entity \"&{name};\" was not read: {why}"),
                            at,
                            end,
                        );
                        err.help = Some(if why == DTD_OFF {
                            "pass the dtd option (`teimark validate --dtd`) to read external entities from the document's folder".into()
                        } else {
                            "only local files in the document's folder or below it are read; put the entity's file there".into()
                        });
                        return Err(err);
                    }
                }
            }
            Some(Entity::Unparsed) => {
                return Err(self.error(
                    codes::NOT_WELL_FORMED,
                    format!("unparsed entity \"&{name};\" cannot be referenced in content"),
                    at,
                    end,
                ));
            }
            None => return Err(self.undefined(name, at, end)),
        };
        self.count_expansion(replacement.len(), at, end)?;
        if self.frames.iter().any(|f| f.name == name) || self.frames.len() >= MAX_ENTITY_DEPTH {
            return Err(self.error(
                codes::ENTITY_LIMIT,
                format!("entity \"{name}\" refers to itself"),
                at,
                end,
            ));
        }
        if !replacement.contains(['<', '&']) {
            return Ok(Some(replacement));
        }
        let mut reader = Reader::from_reader(Cursor::new(replacement.into_bytes()));
        reader.config_mut().check_end_names = true;
        self.frames.push(Frame { name: name.to_string(), reader, depth_at_start: self.depth });
        Ok(None)
    }

    /// Reads the DOCTYPE: internal subset, then the external subset if allowed.
    fn doctype(&mut self, text: &str) -> Result<(), (&'static str, String)> {
        let text = text.trim_start();
        let name_end = text.find(|c: char| c.is_whitespace() || c == '[').unwrap_or(text.len());
        let mut rest = text[name_end..].trim_start();
        let mut system = None;
        if rest.starts_with("SYSTEM") || rest.starts_with("PUBLIC") {
            let (sys, after) = dtd::external_id(rest).map_err(|m| (codes::NOT_WELL_FORMED, m))?;
            system = Some(sys);
            rest = after.trim_start();
        }
        if let Some(subset) = rest.strip_prefix('[') {
            let close = subset.rfind(']').ok_or((
                codes::NOT_WELL_FORMED,
                "the internal DTD subset is not closed".to_string(),
            ))?;
            let mut dtd = std::mem::take(&mut self.dtd);
            let result = dtd.parse_subset(&subset[..close], &mut self.files);
            self.dtd = dtd;
            result.map_err(|m| (codes::NOT_WELL_FORMED, m))?;
        }
        if let Some(sys) = system {
            if !self.files.allowed {
                self.unread_dtd = true;
                return Ok(());
            }
            let text = self
                .files
                .fetch(&sys)
                .map_err(|m| (codes::DTD_REFUSED, format!("external DTD not read: {m}")))?;
            let mut dtd = std::mem::take(&mut self.dtd);
            let result = dtd.parse_subset(dtd::strip_text_decl(&text), &mut self.files);
            self.dtd = dtd;
            result.map_err(|m| (codes::NOT_WELL_FORMED, m))?;
        }
        Ok(())
    }
}

/// Appends text with `\r\n` and lone `\r` turned into `\n`, as XML parsers must.
fn push_normalized(out: &mut String, text: &str) {
    if !text.contains('\r') {
        out.push_str(text);
        return;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
}

/// Rejects the characters XML 1.0 does not allow: control characters
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF
/// (whose UTF-8 begins with the byte EF).
fn check_chars(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    if let Some(b) = bytes.iter().find(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) {
        return Err(format!("character U+{b:04X} is not allowed in XML"));
    }
    if memchr::memchr(0xEF, bytes).is_some() {
        if let Some(c) = text.chars().find(|&c| matches!(c, '\u{FFFE}' | '\u{FFFF}')) {
            return Err(format!("character U+{:04X} is not allowed in XML", c as u32));
        }
    }
    Ok(())
}

fn well_formedness(e: &quick_xml::Error) -> String {
    let text = e.to_string();
    let lower = text.trim_end_matches('.');
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => format!("not well-formed: {}{}", c.to_lowercase(), chars.as_str()),
        None => "not well-formed".into(),
    }
}
