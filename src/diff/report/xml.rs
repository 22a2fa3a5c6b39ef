//! A small layer over quick-xml's `Writer` for the XML and HTML reports: text goes through one
//! escaping function that also keeps the output well-formed whatever the input holds.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML document being written into memory.
pub(super) struct Xml {
    writer: Writer<Vec<u8>>,
    /// Chars that XML 1.0 cannot carry (most C0 controls), written as U+FFFD.
    pub invalid_chars: usize,
}

impl Xml {
    pub fn new() -> Xml {
        Xml { writer: Writer::new(Vec::new()), invalid_chars: 0 }
    }

    fn emit(&mut self, event: Event<'_>) {
        // The sink is a `Vec<u8>`, whose writes cannot fail.
        self.writer.write_event(event).expect("writing to memory cannot fail");
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>` and a line break.
    pub fn declaration(&mut self) {
        self.emit(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        self.layout("\n");
    }

    /// `<!DOCTYPE html>` and a line break.
    pub fn html_doctype(&mut self) {
        self.emit(Event::DocType(BytesText::from_escaped("html")));
        self.layout("\n");
    }

    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let element = self.element(name, attrs);
        self.emit(Event::Start(element));
    }

    pub fn end(&mut self, name: &str) {
        self.emit(Event::End(BytesEnd::new(name)));
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let element = self.element(name, attrs);
        self.emit(Event::Empty(element));
    }

    /// `<name attrs>text</name>`.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end(name);
    }

    fn element<'a>(&mut self, name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut element = BytesStart::new(name);
        for &(key, value) in attrs {
            let value = self.sanitize(value);
            element.push_attribute((key, value.as_ref()));
        }
        element
    }

    /// Character data, escaped; a carriage return is written as a reference so that it survives
    /// the line-end normalisation of XML parsers.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let clean = self.sanitize(text);
        let mut escaped = String::with_capacity(clean.len() + 16);
        for c in clean.chars() {
            match c {
                '&' => escaped.push_str("&amp;"),
                '<' => escaped.push_str("&lt;"),
                '>' => escaped.push_str("&gt;"),
                '\r' => escaped.push_str("&#13;"),
                c => escaped.push(c),
            }
        }
        self.emit(Event::Text(BytesText::from_escaped(escaped)));
    }

    /// Whitespace between elements, where the schema allows no text.
    pub fn layout(&mut self, whitespace: &str) {
        debug_assert!(whitespace.chars().all(|c| c == ' ' || c == '\n'));
        self.emit(Event::Text(BytesText::from_escaped(whitespace)));
    }

    /// `text` with every char XML 1.0 forbids replaced by U+FFFD.
    fn sanitize<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let bad = text.chars().filter(|&c| !allowed(c)).count();
        if bad == 0 {
            return Cow::Borrowed(text);
        }
        self.invalid_chars += bad;
        Cow::Owned(text.chars().map(|c| if allowed(c) { c } else { '\u{FFFD}' }).collect())
    }

    pub fn finish(self) -> String {
        // Only `str` data and ASCII markup went in.
        String::from_utf8(self.writer.into_inner()).expect("the writer was fed UTF-8 only")
    }
}

/// Whether XML 1.0 allows the char (`Char` production; Rust strings hold no surrogates).
fn allowed(c: char) -> bool {
    !crate::source::is_xml_forbidden(c)
}
