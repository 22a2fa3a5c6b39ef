//! Edition rules: what an archival edition must get right beyond its schema (pointers
//! that resolve, unique ids, real dates in order, used register entries, names with
//! content, well-formed language tags), checked in one streaming pass.
//!
//! One rule per file; its doc comment ("What it does", "Why", "Example") is the entry
//! in the catalogue `schema/diagnostics.md`, and its code `teimark::rules::<name>` is
//! what `--disable` and `edition.toml`'s `disabled_rules` take. A rule never repeats
//! what the RELAX NG engine reports at the same place (see [`RuleInfo::overlaps`]).
//!
//! ```
//! use teimark::validate::rules::{self, RuleSet};
//!
//! let doc = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><persName ref="#nobody">X</persName></TEI>"##;
//! let found = rules::check(doc.as_bytes(), &RuleSet::all());
//! assert_eq!(found[0].diagnostic.code, "teimark::rules::dangling-reference");
//! assert_eq!((found[0].line, found[0].column), (1, 52));
//! ```

mod dates;
mod reader;

mod dangling_reference;
mod date_order;
mod duplicate_id;
mod empty_element;
mod invalid_date;
mod invalid_language;
mod unused_entry;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::BufRead;
use std::ops::Range;

use crate::diag::{Diagnostic, Severity};

use super::Finding;
use reader::{Element, Item, Pos, Reader};

/// What the catalogue, the CLI and the output formats know about a rule.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable code, `teimark::rules::<name>`.
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The rule's doc comment as written (each line with the space after `///`); see
    /// [`RuleInfo::documentation`].
    pub doc: &'static str,
    /// Codes of the RELAX NG engine that report the same problem at the same place
    /// (when the schema types the attribute); the rule then keeps quiet there.
    pub overlaps: &'static [&'static str],
}

impl RuleInfo {
    /// The name after `teimark::rules::`.
    pub fn name(&self) -> &'static str {
        self.code.rsplit("::").next().unwrap_or(self.code)
    }

    /// The rule's documentation as Markdown ("What it does", "Why", "Example").
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Declares a rule: its struct (whose doc comment is the catalogue entry) and its
/// [`RuleInfo`], with the doc comment captured as text.
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident { $($fields:tt)* }
        code: $code:literal,
        severity: $severity:ident,
        summary: $summary:literal,
        overlaps: [$($overlap:expr),* $(,)?] $(,)?
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default)]
        $vis struct $name { $($fields)* }

        impl $name {
            /// What the catalogue knows about this rule.
            pub const INFO: $crate::validate::rules::RuleInfo = $crate::validate::rules::RuleInfo {
                code: $code,
                severity: $crate::diag::Severity::$severity,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
                overlaps: &[$($overlap),*],
            };
        }
    };
}
use rule;

/// Every rule, in catalogue order.
pub const RULES: [&RuleInfo; 7] = [
    &dangling_reference::DanglingReference::INFO,
    &duplicate_id::DuplicateId::INFO,
    &invalid_date::InvalidDate::INFO,
    &date_order::DateOrder::INFO,
    &unused_entry::UnusedEntry::INFO,
    &empty_element::EmptyElement::INFO,
    &invalid_language::InvalidLanguage::INFO,
];

/// A fresh checker for each rule, in the order of [`RULES`].
fn checkers() -> [Box<dyn Check>; 7] {
    [
        Box::new(dangling_reference::DanglingReference::default()),
        Box::new(duplicate_id::DuplicateId::default()),
        Box::new(invalid_date::InvalidDate::default()),
        Box::new(date_order::DateOrder::default()),
        Box::new(unused_entry::UnusedEntry::default()),
        Box::new(empty_element::EmptyElement::default()),
        Box::new(invalid_language::InvalidLanguage::default()),
    ]
}

/// The rule with this code, or with this name (the part after `teimark::rules::`).
pub fn find(code: &str) -> Option<&'static RuleInfo> {
    RULES.into_iter().find(|r| r.code == code || r.name() == code)
}

/// Which rules run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    enabled: [bool; RULES.len()],
}

impl RuleSet {
    /// Every rule.
    pub fn all() -> RuleSet {
        RuleSet { enabled: [true; RULES.len()] }
    }

    /// No rule.
    pub fn none() -> RuleSet {
        RuleSet { enabled: [false; RULES.len()] }
    }

    /// Switches off the rule with this code or name; a diagnostic when there is none.
    pub fn disable(&mut self, code: &str) -> Result<(), Diagnostic> {
        let Some(i) = RULES.iter().position(|r| r.code == code || r.name() == code) else {
            let known: Vec<&str> = RULES.iter().map(|r| r.name()).collect();
            return Err(Diagnostic::error(
                "teimark::rules::unknown-rule",
                format!("unknown rule \"{code}\"; expected one of {}", known.join(", ")),
            )
            .with_help("name a rule by its code (teimark::rules::<name>) or by its name alone"));
        };
        self.enabled[i] = false;
        Ok(())
    }

    /// Whether the rule with this code runs.
    pub fn is_enabled(&self, code: &str) -> bool {
        RULES.iter().zip(self.enabled).any(|(r, on)| on && r.code == code)
    }

    /// Whether no rule runs.
    pub fn is_empty(&self) -> bool {
        !self.enabled.contains(&true)
    }
}

/// Runs the enabled rules over a document read from `input`, in one pass.
///
/// Findings come in document order. A document that is not well-formed is read up to
/// the error (the RELAX NG engine reports it); the checks that need the whole document
/// (pointers to later ids, unused entries) are then left out rather than guessed.
pub fn check<R: BufRead>(input: R, rules: &RuleSet) -> Vec<Finding> {
    let mut active: Vec<Box<dyn Check>> =
        checkers().into_iter().zip(rules.enabled).filter_map(|(c, on)| on.then_some(c)).collect();
    let mut cx = Context::default();
    let mut out = Out::default();
    if active.is_empty() {
        return out.findings;
    }
    let mut reader = Reader::new(input);
    loop {
        match reader.next() {
            Item::Start(element) => {
                if let Some(parent) = cx.open.last_mut() {
                    parent.children = true;
                }
                for rule in &mut active {
                    rule.start(&cx, &element, &mut out);
                }
                for attr in element.attrs.iter().filter(|a| a.is_xml("id")) {
                    cx.ids.entry(attr.value.clone()).or_insert(attr.pos);
                }
                if element.is_tei("standOff") {
                    cx.stand_off += 1;
                }
                cx.open.push(Open { element, text: false, children: false });
            }
            Item::Content => {
                if let Some(open) = cx.open.last_mut() {
                    open.text = true;
                }
            }
            Item::End => {
                let Some(open) = cx.open.pop() else { continue };
                if open.element.is_tei("standOff") {
                    cx.stand_off -= 1;
                }
                for rule in &mut active {
                    rule.end(&cx, &open, &mut out);
                }
            }
            Item::Eof => {
                cx.complete = true;
                break;
            }
            Item::Stopped => break,
        }
    }
    for rule in &mut active {
        rule.finish(&cx, &mut out);
    }
    out.findings.sort_by_key(|f| f.diagnostic.span.as_ref().map_or(0, |s| s.start));
    out.findings
}

/// One rule at work on one document.
trait Check {
    /// A start tag; the ids it defines are not yet in [`Context::ids`].
    fn start(&mut self, _cx: &Context, _element: &Element, _out: &mut Out) {}
    /// The end of an element (right after the start for `<x/>`).
    fn end(&mut self, _cx: &Context, _open: &Open, _out: &mut Out) {}
    /// The end of the document (or of what could be read of it).
    fn finish(&mut self, _cx: &Context, _out: &mut Out) {}
}

/// What the pass knows at a point of the document.
#[derive(Default)]
struct Context {
    /// Each `xml:id` seen so far and where it was first defined.
    ids: HashMap<String, Pos>,
    /// The open elements, outermost first.
    open: Vec<Open>,
    /// How many `standOff` elements are open.
    stand_off: usize,
    /// Whether the whole document was read (set before [`Check::finish`]).
    complete: bool,
}

impl Context {
    /// Whether the current element is inside `standOff`.
    fn in_stand_off(&self) -> bool {
        self.stand_off > 0
    }
}

/// An open element and what it has held so far.
struct Open {
    element: Element,
    /// Text, CDATA or entity references other than whitespace.
    text: bool,
    /// Child elements.
    children: bool,
}

/// Where rules put their findings.
#[derive(Default)]
struct Out {
    findings: Vec<Finding>,
}

impl Out {
    /// Reports a finding of `rule` at `span`, which starts at `pos`.
    fn report(
        &mut self,
        rule: &RuleInfo,
        span: Range<u64>,
        pos: Pos,
        message: String,
        label: &str,
        help: String,
    ) {
        let start = usize::try_from(span.start).unwrap_or(usize::MAX);
        let end = usize::try_from(span.end).unwrap_or(usize::MAX);
        let diagnostic = match rule.severity {
            Severity::Error => Diagnostic::error(rule.code, message),
            Severity::Warning => Diagnostic::warning(rule.code, message),
            Severity::Advice => Diagnostic::advice(rule.code, message),
        }
        .with_span(start..end, label)
        .with_help(help);
        self.findings.push(Finding {
            diagnostic,
            line: pos.line,
            column: pos.column,
            expected: Vec::new(),
        });
    }
}

/// The local ids a pointer value names: its `#name` tokens (other URIs, and fragments
/// that are not plain names such as `#xpointer(...)`, point elsewhere).
fn local_pointers(value: &str) -> impl Iterator<Item = &str> {
    value
        .split_ascii_whitespace()
        .filter_map(|token| token.strip_prefix('#'))
        .filter(|id| is_ncname(id))
}

/// Whether `s` is an XML name without colons (what `xml:id` holds).
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}
