//! Reads a schema file into a small element tree with namespaces resolved and positions kept.
//!
//! Schema files are small, so a tree is fine here (documents are streamed instead). Only
//! what simplification needs is kept: expanded names, attributes, text, the in-scope prefix
//! bindings (for QNames in `name` and `value`), and the line and column of each start tag.

use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::validate::relaxng::datatype::{NsContext, XML_NS};

/// In-scope prefix bindings; the innermost binding of a prefix comes last.
#[derive(Debug, Default)]
pub(crate) struct Bindings {
    pub(crate) pairs: Vec<(String, String)>,
}

impl NsContext for Bindings {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.pairs.iter().rev().find(|(p, _)| p == prefix).map(|(_, u)| u.as_str()).filter(|u| {
            // An undeclaration (`xmlns=""`) leaves the default namespace empty.
            !u.is_empty() || prefix.is_empty()
        })
    }
}

/// An element of a schema file.
#[derive(Debug)]
pub(crate) struct XElem {
    pub(crate) ns: String,
    pub(crate) local: String,
    /// (namespace, local name, value); namespace declarations are not attributes.
    pub(crate) attrs: Vec<(String, String, String)>,
    pub(crate) children: Vec<XNode>,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) bindings: Rc<Bindings>,
}

#[derive(Debug)]
pub(crate) enum XNode {
    Elem(XElem),
    Text(String),
}

impl XElem {
    /// The value of an unqualified attribute.
    pub(crate) fn attr(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find(|(ns, l, _)| ns.is_empty() && l == local).map(|(_, _, v)| v.as_str())
    }

    /// Child elements in a namespace.
    pub(crate) fn elems_in<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a XElem> + 'a {
        self.children.iter().filter_map(move |c| match c {
            XNode::Elem(e) if e.ns == ns => Some(e),
            _ => None,
        })
    }

    /// All text directly inside the element.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            if let XNode::Text(t) = c {
                out.push_str(t);
            }
        }
        out
    }
}

/// A problem reading a schema file: message and 1-based line and column.
pub(crate) struct ReadError {
    pub(crate) message: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// Byte offset to line and column (columns count characters).
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    fn at(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }
}

/// Deeper schema files are refused rather than risking the stack in later recursive passes.
const MAX_SCHEMA_DEPTH: usize = 1000;

/// Parses a schema document into its root element.
pub(crate) fn parse(text: &str) -> Result<XElem, ReadError> {
    let lines = Lines::new(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<XElem> = Vec::new();
    let mut scopes: Vec<Rc<Bindings>> = vec![Rc::new(Bindings::default())];
    let mut root: Option<XElem> = None;
    loop {
        let start = reader.buffer_position() as usize;
        let fail = |message: String| {
            let (line, column) = lines.at(start);
            ReadError { message, line, column }
        };
        let event = reader.read_event().map_err(|e| {
            let (line, column) = lines.at(reader.error_position() as usize);
            ReadError {
                message: format!(
                    "not well-formed: {}",
                    e.to_string().trim_start_matches("ill-formed document: ")
                ),
                line,
                column,
            }
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err(fail("a schema file must have a single root element".into()));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if stack.len() >= MAX_SCHEMA_DEPTH {
                    return Err(fail(format!(
                        "schema elements nest deeper than {MAX_SCHEMA_DEPTH}"
                    )));
                }
                let parent = scopes.last().cloned().unwrap_or_default();
                let elem = start_element(e, &parent, start, &lines).map_err(fail)?;
                if empty {
                    if let Some(top) = stack.last_mut() {
                        top.children.push(XNode::Elem(elem));
                    } else {
                        root = Some(elem);
                    }
                } else {
                    scopes.push(elem.bindings.clone());
                    stack.push(elem);
                }
            }
            Event::End(_) => {
                scopes.pop();
                let elem = stack.pop().ok_or_else(|| fail("unexpected end tag".into()))?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(XNode::Elem(elem));
                } else {
                    root = Some(elem);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    push_text(top, &normalize_newlines(&t));
                } else if !t.bytes().all(|b| b.is_ascii_whitespace()) {
                    return Err(fail("text outside the root element".into()));
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    push_text(top, &normalize_newlines(&t));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if let Some(c) = r.resolve_char_ref().ok().flatten() {
                    c.to_string()
                } else {
                    let name: &str = &r;
                    predefined(name)
                        .ok_or_else(|| fail(format!("entity \"{name}\" is not defined")))?
                        .to_string()
                };
                if let Some(top) = stack.last_mut() {
                    push_text(top, &resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        let (line, column) = lines.at(text.len());
        return Err(ReadError { message: "the file ends inside an element".into(), line, column });
    }
    root.ok_or(ReadError { message: "the file has no root element".into(), line: 1, column: 1 })
}

fn push_text(elem: &mut XElem, text: &str) {
    if let Some(XNode::Text(last)) = elem.children.last_mut() {
        last.push_str(text);
    } else {
        elem.children.push(XNode::Text(text.to_string()));
    }
}

fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.into() }
}

pub(crate) fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

/// Expands character and predefined references in an attribute value and normalises
/// whitespace as XML requires for CDATA attributes.
pub(crate) fn attribute_value(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..pos]);
        let c = rest.as_bytes()[pos];
        if c != b'&' {
            if c == b'\r' && rest.as_bytes().get(pos + 1) == Some(&b'\n') {
                rest = &rest[pos + 1..];
            }
            out.push(' ');
            rest = &rest[pos + 1..];
            continue;
        }
        let end = rest[pos..].find(';').ok_or("an \"&\" without \";\" in an attribute value")?;
        let name = &rest[pos + 1..pos + end];
        if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16),
                None => num.parse(),
            }
            .map_err(|_| format!("\"&{name};\" is not a character reference"))?;
            out.push(char::from_u32(code).ok_or(format!("\"&{name};\" is not a character"))?);
        } else {
            out.push_str(predefined(name).ok_or(format!("entity \"{name}\" is not defined"))?);
        }
        rest = &rest[pos + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn start_element(
    e: &BytesStart<'_>,
    parent: &Rc<Bindings>,
    offset: usize,
    lines: &Lines<'_>,
) -> Result<XElem, String> {
    let qname = e.name().as_ref().to_string();
    let mut raw_attrs = Vec::new();
    let mut declared: Vec<(String, String)> = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
        let key: &str = attr.key.as_ref();
        let value = attribute_value(&attr.value)?;
        if key == "xmlns" {
            declared.push((String::new(), value));
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            declared.push((prefix.to_string(), value));
        } else {
            raw_attrs.push((key.to_string(), value));
        }
    }
    let bindings = if declared.is_empty() {
        parent.clone()
    } else {
        let mut pairs = parent.pairs.clone();
        pairs.extend(declared);
        Rc::new(Bindings { pairs })
    };
    let (ns, local) = split(&qname, &bindings, true)?;
    let mut attrs = Vec::with_capacity(raw_attrs.len());
    for (key, value) in raw_attrs {
        let (ans, alocal) = split(&key, &bindings, false)?;
        attrs.push((ans, alocal, value));
    }
    let (line, column) = lines.at(offset);
    Ok(XElem { ns, local, attrs, children: Vec::new(), line, column, bindings })
}

/// Resolves a qualified name; unprefixed attributes are in no namespace.
fn split(qname: &str, bindings: &Bindings, element: bool) -> Result<(String, String), String> {
    match qname.split_once(':') {
        Some((prefix, local)) => {
            let uri = bindings
                .resolve(prefix)
                .ok_or_else(|| format!("namespace prefix \"{prefix}\" is not declared"))?;
            Ok((uri.to_string(), local.to_string()))
        }
        None if element => Ok((bindings.resolve("").unwrap_or("").to_string(), qname.to_string())),
        None => Ok((String::new(), qname.to_string())),
    }
}
