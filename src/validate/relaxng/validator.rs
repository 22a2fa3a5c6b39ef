//! Drives the derivative engine over a document's events and reports problems.
//!
//! The state is one pattern (`memo`): its `After` chain holds what each open element still
//! needs, so an explicit element stack is not needed for validation and depth costs no
//! recursion. After an error the validator recovers the way jing does, so both report the same
//! problems: an unexpected element is validated against its definition elsewhere in the schema
//! (or skipped, if it is defined nowhere) and the parent carries on; missing content or
//! attributes are reported once and then taken as present; a bad value is reported and taken
//! as matched. While the state is "not allowed" (inside an element defined nowhere), further
//! errors would only repeat the first one and are suppressed.

use std::collections::hash_map::Entry;
use std::io::BufRead;
use std::ops::Range;
use std::path::Path;

use super::datatype::{IdType, NsContext, is_blank};
use super::derive::{DataFailure, Engine, Session};
use super::names::NameTable;
use super::pattern::{ContentType, FastMap, NOT_ALLOWED, NameClass, NameId, NsId, P, Patterns};
use super::xml::{self, Event, Kind, Pos, XmlReader};
use super::{Options, Outcome, Problem, codes};

/// How many names an "expected" list shows before "… and N more".
const EXPECTED_SHOWN: usize = 12;

/// Where an ID was defined or referenced.
#[derive(Clone)]
struct Place {
    span: Range<u64>,
    pos: Pos,
}

#[derive(Default)]
struct IdEntry {
    defined: Option<Place>,
    refs: Vec<Place>,
}

/// Text of a data-typed element, buffered until its end tag.
#[derive(Default)]
struct Buffered {
    active: bool,
    text: String,
    span: Option<Range<u64>>,
    pos: Pos,
}

pub(crate) struct Validator<'e, R: BufRead> {
    engine: &'e mut Engine,
    names: &'e mut NameTable,
    reader: XmlReader<R>,
    memo: P,
    had_error: bool,
    ignore_next_end_tag: bool,
    text_typed: bool,
    buffered: Buffered,
    ids: FastMap<String, IdEntry>,
    problems: Vec<Problem>,
    max_errors: usize,
    truncated: bool,
    fails: Vec<DataFailure>,
    elements: u64,
    /// Whether the current run of text (since the last tag) was already checked: a run split
    /// by entities, CDATA or comments is one text node and gets one verdict.
    text_checked: bool,
}

/// Validates a document with an engine for its schema.
pub(crate) fn validate<R: BufRead>(
    session: &mut Session,
    input: R,
    base_dir: Option<&Path>,
    opts: &Options,
) -> Outcome {
    let Session { engine, names } = session;
    let mut reader = XmlReader::new(input, opts.dtd, base_dir);
    reader.init(names);
    let memo = engine.start();
    let mut v = Validator {
        engine,
        names,
        reader,
        memo,
        had_error: false,
        ignore_next_end_tag: false,
        text_typed: false,
        buffered: Buffered::default(),
        ids: FastMap::default(),
        problems: Vec::new(),
        max_errors: if opts.max_errors == 0 { usize::MAX } else { opts.max_errors },
        truncated: false,
        fails: Vec::new(),
        elements: 0,
        text_checked: false,
    };
    let mut ev = Event::default();
    if v.engine.is_not_allowed(v.memo) {
        v.problem(Problem {
            code: codes::NOTHING_ALLOWED,
            message: "the schema allows no document at all".into(),
            help: Some("check the schema's start pattern".into()),
            span: 0..0,
            line: 1,
            column: 1,
            expected: Vec::new(),
        });
    }
    loop {
        if let Err(e) = v.reader.next(&mut ev, v.names) {
            v.problems.push(Problem {
                code: e.code,
                message: e.message,
                help: e.help,
                span: e.span,
                line: e.line,
                column: e.column,
                expected: Vec::new(),
            });
            break;
        }
        if ev.kind != Kind::Text {
            v.text_checked = false;
        }
        match ev.kind {
            Kind::Start => v.start_element(&ev),
            Kind::End => v.end_element(&ev),
            Kind::Text => v.text(&ev),
            Kind::Eof => {
                v.end_document();
                break;
            }
        }
        if v.truncated {
            break;
        }
        if v.engine.is_large() {
            v.engine.flush(&mut v.memo);
        }
        if v.names.name_count() > v.engine.schema.names.name_count() + Engine::LIMIT {
            // Element and attribute names only live in memo keys, which the flush drops;
            // namespaces stay, the reader's bindings refer to them.
            v.engine.flush(&mut v.memo);
            let (uris, names) = (v.names.ns_count(), v.engine.schema.names.name_count());
            v.names.truncate(uris, names);
        }
    }
    let mut problems = v.problems;
    problems.sort_by_key(|p| p.span.start);
    let bytes = v.reader.position().offset;
    Outcome { problems, truncated: v.truncated, elements: v.elements, bytes }
}

impl<R: BufRead> Validator<'_, R> {
    fn is_na(&self, p: P) -> bool {
        self.engine.is_not_allowed(p)
    }

    /// jing's rule: once in error, a not-allowed state only repeats earlier errors.
    fn ignoring(&self) -> bool {
        self.had_error && self.is_na(self.memo)
    }

    fn problem(&mut self, problem: Problem) {
        if self.problems.len() >= self.max_errors {
            self.truncated = true;
            return;
        }
        self.problems.push(problem);
    }

    /// Reports a validity error unless errors are being ignored.
    fn error(&mut self, problem: Problem) {
        if self.ignoring() {
            return;
        }
        self.had_error = true;
        self.problem(problem);
    }

    fn start_element(&mut self, ev: &Event) {
        self.elements += 1;
        if self.buffered.active {
            self.buffered.active = false;
            let text = std::mem::take(&mut self.buffered.text);
            if !is_blank(&text) {
                self.untyped_text(ev, self.buffered.span.clone(), self.buffered.pos);
            }
            self.buffered.text = text;
        }
        let name = self.names.name(ev.ns, ev.local());
        self.start_tag_open(ev, name);
        for attr in &ev.attrs {
            let attr_name = self.names.name(attr.ns, attr.local());
            self.attribute(ev, attr, attr_name);
            self.check_id(ev, name, attr, attr_name);
        }
        self.start_tag_close(ev);
        if self.text_typed {
            self.buffered.active = true;
            self.buffered.text.clear();
            self.buffered.span = None;
        }
    }

    fn start_tag_open(&mut self, ev: &Event, name: NameId) {
        let next = self.engine.start_tag_open(self.memo, ev.ns, name);
        if !self.is_na(next) {
            self.memo = next;
            return;
        }
        let recovered = self.engine.start_tag_open_recover(self.memo, ev.ns, name);
        let at = self.place(ev, ev.span.clone());
        if !self.is_na(recovered) {
            if !self.ignoring() {
                let missing = self.engine.required_elements(self.memo);
                let expected = self.expected_elements(self.memo);
                let message = if missing.is_empty() {
                    format!(
                        "element \"{}\" not allowed here; {}",
                        ev.qname,
                        expected_phrase(&expected)
                    )
                } else {
                    format!(
                        "element \"{}\" not allowed yet; missing required element {}",
                        ev.qname,
                        self.name_list(&missing, false)
                    )
                };
                let help = (!missing.is_empty()).then(|| {
                    let elements: Vec<String> = missing
                        .iter()
                        .map(|&n| format!("<{}>", self.format_name(n, false)))
                        .collect();
                    format!("add {} before <{}>", join_or(&elements, "and"), ev.qname)
                });
                self.error(self.build(codes::UNEXPECTED_ELEMENT, message, help, at, expected));
            }
            self.memo = recovered;
        } else {
            let found = self.engine.find_element(ev.ns, name);
            let next = self.engine.after(found, self.memo);
            if !self.ignoring() {
                let expected = self.expected_elements(self.memo);
                let (message, help) = if found == NOT_ALLOWED {
                    (
                        format!("element \"{}\" not allowed anywhere; {}", ev.qname, expected_phrase(&expected)),
                        Some("the schema defines no element of this name in this namespace; check the spelling and the namespace".to_string()),
                    )
                } else {
                    (
                        format!(
                            "element \"{}\" not allowed here; {}",
                            ev.qname,
                            expected_phrase(&expected)
                        ),
                        None,
                    )
                };
                self.error(self.build(codes::UNEXPECTED_ELEMENT, message, help, at, expected));
            }
            self.memo = next;
        }
    }

    fn attribute(&mut self, ev: &Event, attr: &xml::Attr, name: NameId) {
        let next = self.engine.start_attribute(self.memo, attr.ns, name);
        if self.is_na(next) {
            if !self.ignoring() {
                let at = self.place(ev, attr.span.clone());
                let mut classes = Vec::new();
                self.engine.possible_attributes(self.memo, &mut classes);
                let expected = self.describe_classes(&classes, true);
                let message = if expected.is_empty() {
                    format!(
                        "attribute \"{}\" not allowed on element \"{}\"; it takes no attributes",
                        attr.qname, ev.qname
                    )
                } else {
                    format!(
                        "attribute \"{}\" not allowed on element \"{}\"; expected {}",
                        attr.qname,
                        ev.qname,
                        one_of(&expected)
                    )
                };
                let help =
                    Some("remove the attribute or check its spelling and namespace".to_string());
                self.error(self.build(codes::UNEXPECTED_ATTRIBUTE, message, help, at, expected));
            }
            return;
        }
        self.memo = next;
        let mut fails = std::mem::take(&mut self.fails);
        fails.clear();
        let ctx = self.reader.scope(self.names);
        let derived = self.engine.data_deriv(self.memo, &attr.value, &ctx, Some(&mut fails));
        if !self.is_na(derived) {
            self.memo = derived;
            self.fails = fails;
            return;
        }
        if !self.ignoring() {
            let at = self.place(ev, attr.span.clone());
            let (what, expected) = describe_failures(&fails);
            let message =
                format!("value \"{}\" of attribute \"{}\" is {what}", attr.value, attr.qname);
            self.error(self.build(codes::INVALID_VALUE, message, None, at, expected));
        }
        self.fails = fails;
        self.memo = self.engine.recover_after(self.memo);
    }

    fn start_tag_close(&mut self, ev: &Event) {
        let next = self.engine.end_attributes(self.memo);
        if !self.is_na(next) {
            self.memo = next;
        } else {
            if !self.ignoring() {
                let at = self.place(ev, ev.span.clone());
                let missing = self.engine.required_attributes(self.memo);
                let help = (!missing.is_empty()).then(|| {
                    let attrs: Vec<String> = missing
                        .iter()
                        .map(|&n| format!("{}=\"…\"", self.format_name(n, true)))
                        .collect();
                    format!("add {} to <{}>", attrs.join(" "), ev.qname)
                });
                let (message, expected) = if missing.is_empty() {
                    let mut classes = Vec::new();
                    self.engine.possible_attributes(self.memo, &mut classes);
                    let expected = self.describe_classes(&classes, true);
                    (
                        format!(
                            "element \"{}\" is missing required attributes; expected {}",
                            ev.qname,
                            one_of(&expected)
                        ),
                        expected,
                    )
                } else {
                    let expected: Vec<String> =
                        missing.iter().map(|&n| self.format_name(n, true)).collect();
                    let plural = if missing.len() == 1 { "" } else { "s" };
                    (
                        format!(
                            "element \"{}\" is missing required attribute{plural} {}",
                            ev.qname,
                            self.name_list(&missing, true)
                        ),
                        expected,
                    )
                };
                self.error(self.build(codes::MISSING_ATTRIBUTE, message, help, at, expected));
            }
            self.memo = self.engine.ignore_missing_attributes(self.memo);
        }
        self.text_typed = self.engine.info(self.memo).content == ContentType::Data;
    }

    fn text(&mut self, ev: &Event) {
        if self.buffered.active {
            if !is_blank(&ev.text) {
                match self.buffered.span.as_mut() {
                    None => {
                        let offset = ev.first_non_blank();
                        self.buffered.pos = ev.pos_at(offset);
                        self.buffered.span = Some(offset..ev.last_non_blank_end());
                    }
                    Some(span) => span.end = ev.last_non_blank_end(),
                }
            }
            self.buffered.text.push_str(&ev.text);
            return;
        }
        if self.text_checked || is_blank(&ev.text) {
            return;
        }
        self.text_checked = true;
        let offset = ev.first_non_blank();
        let pos = ev.pos_at(offset);
        self.untyped_text(ev, Some(offset..ev.last_non_blank_end()), pos);
    }

    /// Text whose value does not matter (mixed content); only non-blank text gets here.
    fn untyped_text(&mut self, ev: &Event, span: Option<Range<u64>>, pos: Pos) {
        let next = self.engine.mixed_text(self.memo);
        if !self.is_na(next) {
            self.memo = next;
            return;
        }
        if self.ignoring() {
            return;
        }
        let span = span.unwrap_or_else(|| ev.span.clone());
        let expected = self.expected_elements(self.memo);
        let message = format!("text not allowed here; {}", expected_phrase(&expected));
        let help = Some("remove the text or wrap it in an element that allows text".to_string());
        self.error(self.build(
            codes::UNEXPECTED_TEXT,
            message,
            help,
            Place { span, pos },
            expected,
        ));
    }

    fn end_element(&mut self, ev: &Event) {
        if self.buffered.active {
            self.buffered.active = false;
            let text = std::mem::take(&mut self.buffered.text);
            if self.text_typed {
                self.ignore_next_end_tag = true;
                self.data_text(ev, &text);
            } else if !is_blank(&text) {
                self.untyped_text(ev, self.buffered.span.clone(), self.buffered.pos);
            }
            self.buffered.text = text;
        }
        if self.ignore_next_end_tag {
            self.ignore_next_end_tag = false;
            return;
        }
        if self.text_typed {
            self.data_text(ev, "");
            return;
        }
        let next = self.engine.end_tag(self.memo);
        if !self.is_na(next) {
            self.memo = next;
            return;
        }
        let ignoring = self.ignoring();
        let recovered = self.engine.recover_after(self.memo);
        let own_fault = !self.is_na(recovered) || {
            let alone = self.engine.empty_after(self.memo);
            let ended = self.engine.end_tag(alone);
            self.is_na(ended)
        };
        if !ignoring && own_fault {
            let at = self.place(ev, ev.span.clone());
            let missing = self.engine.required_elements(self.memo);
            let expected = self.expected_elements(self.memo);
            let help = (!missing.is_empty()).then(|| {
                let elements: Vec<String> =
                    missing.iter().map(|&n| format!("<{}>", self.format_name(n, false))).collect();
                format!("add {} inside <{}>", join_or(&elements, "and"), ev.qname)
            });
            let message = if missing.is_empty() {
                format!("element \"{}\" is incomplete; {}", ev.qname, expected_phrase(&expected))
            } else {
                let plural = if missing.len() == 1 { "" } else { "s" };
                format!(
                    "element \"{}\" is incomplete; missing required element{plural} {}",
                    ev.qname,
                    self.name_list(&missing, false)
                )
            };
            self.error(self.build(codes::MISSING_CONTENT, message, help, at, expected));
        }
        self.memo = recovered;
    }

    /// The whole text of a data-typed element, checked at its end tag.
    fn data_text(&mut self, ev: &Event, text: &str) {
        self.text_typed = false;
        let text_only = self.engine.text_only(self.memo);
        let mut fails = std::mem::take(&mut self.fails);
        fails.clear();
        let ctx = self.reader.scope(self.names);
        let derived = self.engine.data_deriv(text_only, text, &ctx, Some(&mut fails));
        if !self.is_na(derived) {
            self.memo = derived;
            self.fails = fails;
            return;
        }
        let recovered = self.engine.recover_after(self.memo);
        let own_fault = !self.is_na(recovered) || {
            let alone = self.engine.empty_after(text_only);
            let d = self.engine.data_deriv(alone, text, &ctx, None);
            self.is_na(d)
        };
        if !self.ignoring() && own_fault {
            let (span, pos) = match &self.buffered.span {
                Some(span) if !text.is_empty() => (span.clone(), self.buffered.pos),
                _ => (ev.span.clone(), ev.start),
            };
            let at = Place { span, pos };
            let mut starts = Vec::new();
            self.engine.possible_elements(self.memo, &mut starts);
            let problem = if !starts.is_empty() && is_blank(text) {
                let expected = self.describe_classes(&starts, false);
                let message = format!(
                    "element \"{}\" is incomplete; {}",
                    ev.qname,
                    expected_phrase(&expected)
                );
                self.build(codes::MISSING_CONTENT, message, None, at, expected)
            } else {
                let (what, expected) = describe_failures(&fails);
                let shown = shorten(text.trim());
                let message = format!("text \"{shown}\" of element \"{}\" is {what}", ev.qname);
                self.build(codes::INVALID_VALUE, message, None, at, expected)
            };
            self.error(problem);
        }
        self.fails = fails;
        self.memo = recovered;
    }

    fn end_document(&mut self) {
        let mut unresolved: Vec<(String, Place)> = Vec::new();
        for (token, entry) in self.ids.drain() {
            if entry.defined.is_none() {
                for place in entry.refs {
                    unresolved.push((token.clone(), place));
                }
            }
        }
        unresolved.sort_by_key(|(_, p)| p.span.start);
        for (token, place) in unresolved {
            let message = format!("reference \"{token}\" has no matching ID in this document");
            let help = Some(format!(
                "add xml:id=\"{token}\" to the element meant, or correct the reference"
            ));
            let problem = self.build(codes::UNRESOLVED_IDREF, message, help, place, Vec::new());
            self.problem(problem);
        }
    }

    /// DTD-compatibility ID checks, independent of validity (as jing's ID checker is).
    fn check_id(&mut self, ev: &Event, element: NameId, attr: &xml::Attr, name: NameId) {
        let Some(&id_type) = self.engine.schema.id_types.get(&(element, name)) else {
            return;
        };
        let tokens: Vec<&str> =
            attr.value.split([' ', '\t', '\n', '\r']).filter(|t| !t.is_empty()).collect();
        let place = self.place(ev, attr.span.clone());
        let bad_count = |this: &mut Self, what: &str| {
            let message =
                format!("attribute \"{}\" must hold {what}, found \"{}\"", attr.qname, attr.value);
            let problem = this.build(codes::INVALID_ID, message, None, place.clone(), Vec::new());
            this.problem(problem);
        };
        match id_type {
            IdType::Id | IdType::IdRef if tokens.len() != 1 => {
                bad_count(
                    self,
                    if id_type == IdType::Id { "exactly one ID" } else { "exactly one reference" },
                );
            }
            IdType::IdRefs if tokens.is_empty() => bad_count(self, "at least one reference"),
            IdType::Id => match self.ids.entry(tokens[0].to_string()) {
                Entry::Occupied(mut e) => {
                    if let Some(first) = &e.get().defined {
                        let (line, column) = (first.pos.line, first.pos.column);
                        let message = format!(
                            "ID \"{}\" is already defined at line {line}, column {column}",
                            tokens[0]
                        );
                        let help = Some(
                            "IDs must be unique within a document; rename one of them".to_string(),
                        );
                        let problem =
                            self.build(codes::DUPLICATE_ID, message, help, place, Vec::new());
                        self.problem(problem);
                    } else {
                        let entry = e.get_mut();
                        entry.defined = Some(place);
                        entry.refs = Vec::new();
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(IdEntry { defined: Some(place), refs: Vec::new() });
                }
            },
            IdType::IdRef | IdType::IdRefs => {
                for token in tokens {
                    let entry = self.ids.entry(token.to_string()).or_default();
                    if entry.defined.is_none() {
                        entry.refs.push(place.clone());
                    }
                }
            }
            IdType::Null => {}
        }
    }

    fn place(&self, ev: &Event, span: Range<u64>) -> Place {
        let pos = ev.pos_at(span.start);
        Place { span, pos }
    }

    fn build(
        &self,
        code: &'static str,
        message: String,
        help: Option<String>,
        at: Place,
        expected: Vec<String>,
    ) -> Problem {
        Problem {
            code,
            message,
            help,
            span: at.span,
            line: at.pos.line,
            column: at.pos.column,
            expected,
        }
    }

    /// Element names allowed in state `p`, as the document would write them.
    fn expected_elements(&mut self, p: P) -> Vec<String> {
        let mut classes = Vec::new();
        self.engine.possible_elements(p, &mut classes);
        let mut names = self.describe_classes(&classes, false);
        if self.engine.allows_text(p) {
            names.push("text".to_string());
        }
        names
    }

    fn describe_classes(&self, classes: &[NameClass], attribute: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for nc in classes {
            self.describe_class(nc, attribute, &mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    fn describe_class(&self, nc: &NameClass, attribute: bool, out: &mut Vec<String>) {
        let what = if attribute { "attribute" } else { "element" };
        match nc {
            NameClass::Name(n) => out.push(self.format_name(*n, attribute)),
            NameClass::AnyName(_) => out.push(format!("any {what}")),
            NameClass::NsName(ns, _) => {
                let uri = self.names.uri(*ns).to_string();
                out.push(format!("any {what} in namespace \"{uri}\""))
            }
            NameClass::Choice(a, b) => {
                self.describe_class(a, attribute, out);
                self.describe_class(b, attribute, out);
            }
        }
    }

    /// A name as the document would write it: prefixed if a prefix is bound, else Clark.
    fn format_name(&self, name: NameId, attribute: bool) -> String {
        let names = &self.names;
        let ns = names.name_ns(name);
        let local = names.local(name);
        let uri = names.uri(ns);
        if uri.is_empty() {
            return local.to_string();
        }
        if uri == super::datatype::XML_NS {
            return format!("xml:{local}");
        }
        let default_ns = self.reader.scope(names).resolve("").map(str::to_string);
        if !attribute && default_ns.as_deref() == Some(uri) {
            return local.to_string();
        }
        match self.prefix_for(ns) {
            Some(prefix) if !prefix.is_empty() => format!("{prefix}:{local}"),
            _ => format!("{{{uri}}}{local}"),
        }
    }

    fn prefix_for(&self, ns: NsId) -> Option<&str> {
        self.reader.prefix_for(ns)
    }

    fn name_list(&self, names: &[NameId], attribute: bool) -> String {
        let mut shown: Vec<String> =
            names.iter().map(|&n| format!("\"{}\"", self.format_name(n, attribute))).collect();
        shown.sort();
        shown.dedup();
        join_or(&shown, "and")
    }
}

/// `expected one of: a, b, c` (capped), or what to say when nothing is expected.
fn expected_phrase(expected: &[String]) -> String {
    if expected.is_empty() {
        "expected the end of the element".to_string()
    } else {
        format!("expected {}", one_of(expected))
    }
}

/// `a`, or `one of: a, b, c … and N more`. Names in Clark notation (`{uri}local`, used when
/// the document binds no prefix to the namespace) are shown by local name with their namespace
/// said once at the end, when no other name is shown bare (so nothing is ambiguous).
fn one_of(items: &[String]) -> String {
    let uri_of =
        |i: &str| i.strip_prefix('{').and_then(|r| r.split_once('}')).map(|(u, _)| u.to_string());
    let mut counts: Vec<(String, usize)> = Vec::new();
    for uri in items.iter().filter_map(|i| uri_of(i)) {
        match counts.iter_mut().find(|(u, _)| *u == uri) {
            Some((_, n)) => *n += 1,
            None => counts.push((uri, 1)),
        }
    }
    let bare = items.iter().any(|i| !i.starts_with('{') && i != "text");
    let common =
        if bare { None } else { counts.iter().max_by_key(|(_, n)| *n).map(|(u, _)| u.clone()) };
    let mut names: Vec<String> = items
        .iter()
        .map(|i| match (&common, uri_of(i)) {
            (Some(c), Some(u)) if *c == u => {
                i.split_once('}').map_or(i.clone(), |(_, l)| l.to_string())
            }
            _ => i.clone(),
        })
        .collect();
    names.sort();
    let shown: Vec<&str> = names.iter().take(EXPECTED_SHOWN).map(String::as_str).collect();
    let mut text = if names.len() == 1 {
        shown[0].to_string()
    } else {
        format!("one of: {}", shown.join(", "))
    };
    if names.len() > EXPECTED_SHOWN {
        text.push_str(&format!(" … and {} more", names.len() - EXPECTED_SHOWN));
    }
    if let Some(uri) = common {
        text.push_str(&format!(" (in namespace \"{uri}\")"));
    }
    text
}

fn join_or(items: &[String], word: &str) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} {word} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() { format!("{short}…") } else { short }
}

/// Turns data failures into "not a valid date, gYear or dateTime" and the expected list.
fn describe_failures(fails: &[DataFailure]) -> (String, Vec<String>) {
    use super::datatype::Failure;
    let mut types: Vec<(String, String)> = Vec::new();
    let mut facets: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut token: Option<&str> = None;
    for f in fails {
        match f {
            DataFailure::Token(t) => token = Some(t),
            DataFailure::Datatype { name, failure: Failure::Lexical(form) } => {
                if !types.iter().any(|(n, _)| n == name) {
                    types.push((name.clone(), form.clone()));
                }
            }
            DataFailure::Datatype { name, failure: Failure::Facet(_, need) } => {
                let text = format!("not a valid {name} (expected {need})");
                if !facets.contains(&text) {
                    facets.push(text);
                }
            }
            DataFailure::Value { text, .. } => {
                let quoted = format!("\"{text}\"");
                if !values.contains(&quoted) {
                    values.push(quoted);
                }
            }
            DataFailure::Excluded { name } => {
                let text = format!("an excluded {name} value");
                if !parts.contains(&text) {
                    parts.push(text);
                }
            }
            DataFailure::ExtraToken(t) => {
                parts.push(format!("one token too many (\"{t}\" is extra)"))
            }
            DataFailure::MissingToken => parts.push("missing a token at the end".to_string()),
        }
    }
    let mut expected: Vec<String> = types.iter().map(|(n, _)| n.clone()).collect();
    expected.extend(values.iter().cloned());
    let mut all = Vec::new();
    match types.len() {
        0 => {}
        1 => all.push(format!("not a valid {}: expected {}", types[0].0, types[0].1)),
        _ => {
            let names: Vec<String> = types.iter().map(|(n, _)| n.clone()).collect();
            all.push(format!("not a valid {}", join_or(&names, "or")));
        }
    }
    all.extend(facets);
    if !values.is_empty() {
        values.sort();
        let shown: Vec<String> = values.iter().take(EXPECTED_SHOWN).cloned().collect();
        let mut text = if values.len() == 1 {
            format!("not {}", shown[0])
        } else {
            format!("not one of {}", join_or(&shown, "or"))
        };
        if values.len() > EXPECTED_SHOWN {
            text.push_str(&format!(" … and {} more", values.len() - EXPECTED_SHOWN));
        }
        all.push(text);
    }
    all.extend(parts);
    if all.is_empty() {
        all.push("not allowed here".to_string());
    }
    let mut text = all.join(", and ");
    if let Some(t) = token {
        text = format!("{text} (at token \"{t}\")");
    }
    (text, expected)
}
