//! RELAX NG validation without Java: compile a schema once, stream documents through it.
//!
//! ```no_run
//! use std::io::BufReader;
//! use std::path::Path;
//! use teimark::validate::relaxng::{Options, Schema, validate};
//!
//! let schema = Schema::load(Path::new("tei_all.rng"))?;
//! let file = std::fs::File::open("edition.xml")?;
//! let outcome = validate(&schema, BufReader::new(file), Some(Path::new(".")), &Options::default());
//! for p in &outcome.problems {
//!     eprintln!("{}:{}: {} [{}]", p.line, p.column, p.message, p.code);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! How it works: `schema` compiles the RELAX NG XML syntax into hash-consed patterns
//! (`pattern`); `validator` reads the document as a stream (`xml`) and follows James
//! Clark's derivative algorithm (`derive`), recovering from errors as jing does so that every
//! problem of a file is reported in one run. Datatypes (XSD and the built-in library, facets,
//! XSD regexes translated once) are in `datatype`. `README.md` next to this file says why
//! this is our own engine rather than the `relax-ng` crate.

pub(crate) mod datatype;
mod derive;
mod dtd;
mod names;
mod pattern;
mod schema;
mod validator;
mod xml;

#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::io::BufRead;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

pub use schema::SchemaError;

use crate::diag::Diagnostic;

/// Stable codes of validation problems, `teimark::validate::<name>`.
pub mod codes {
    /// The document is not well-formed XML (reading stops there).
    pub const NOT_WELL_FORMED: &str = "teimark::validate::not-well-formed";
    /// An entity reference names no declared entity.
    pub const UNDEFINED_ENTITY: &str = "teimark::validate::undefined-entity";
    /// Entity expansion passed its limits (an expansion bomb) or an entity refers to itself.
    pub const ENTITY_LIMIT: &str = "teimark::validate::entity-limit";
    /// An external DTD or entity was not read (not allowed, remote, or outside the folder).
    pub const DTD_REFUSED: &str = "teimark::validate::dtd-refused";
    /// The document is not UTF-8.
    pub const UNSUPPORTED_ENCODING: &str = "teimark::validate::unsupported-encoding";
    /// The document could not be read.
    pub const IO: &str = "teimark::validate::io";
    /// An element is not allowed where it is.
    pub const UNEXPECTED_ELEMENT: &str = "teimark::validate::unexpected-element";
    /// An attribute is not allowed on its element.
    pub const UNEXPECTED_ATTRIBUTE: &str = "teimark::validate::unexpected-attribute";
    /// A required attribute is missing.
    pub const MISSING_ATTRIBUTE: &str = "teimark::validate::missing-attribute";
    /// An element ends before its required content.
    pub const MISSING_CONTENT: &str = "teimark::validate::missing-content";
    /// Text where the schema allows none.
    pub const UNEXPECTED_TEXT: &str = "teimark::validate::unexpected-text";
    /// An attribute value or element text does not match its datatype or value.
    pub const INVALID_VALUE: &str = "teimark::validate::invalid-value";
    /// An ID is defined twice.
    pub const DUPLICATE_ID: &str = "teimark::validate::duplicate-id";
    /// An IDREF names no ID of the document.
    pub const UNRESOLVED_IDREF: &str = "teimark::validate::unresolved-idref";
    /// An ID or IDREF attribute holds no token or several.
    pub const INVALID_ID: &str = "teimark::validate::invalid-id";
    /// The schema's start pattern allows nothing.
    pub const NOTHING_ALLOWED: &str = "teimark::validate::nothing-allowed";
}

/// A compiled RELAX NG schema; cheap to clone, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Schema {
    inner: Arc<schema::Compiled>,
}

impl Schema {
    /// Loads and compiles the schema whose main file is `path` (RELAX NG XML syntax).
    pub fn load(path: &Path) -> Result<Schema, SchemaError> {
        Ok(Schema { inner: Arc::new(schema::compile(path)?) })
    }
}

/// What a validation run may do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Read an external DTD (and external entities), only from inside the document's folder.
    pub dtd: bool,
    /// Stop after this many problems (0: no limit).
    pub max_errors: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { dtd: false, max_errors: 10_000 }
    }
}

/// The result of validating one document.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Every problem found, in document order.
    pub problems: Vec<Problem>,
    /// Whether reporting stopped at [`Options::max_errors`].
    pub truncated: bool,
    /// Elements read.
    pub elements: u64,
    /// Bytes read.
    pub bytes: u64,
}

impl Outcome {
    /// Whether the document is well-formed and valid.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One problem in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Stable code, one of [`codes`].
    pub code: &'static str,
    /// Lowercase, no trailing dot: what was found and what was expected.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Byte range in the document: the start tag, attribute, text or end tag concerned.
    pub span: Range<u64>,
    /// 1-based line of `span.start`.
    pub line: u32,
    /// 1-based column of `span.start`, in characters.
    pub column: u32,
    /// What the schema allowed there: element or attribute names, datatypes or values.
    pub expected: Vec<String>,
}

impl Problem {
    /// The problem as a project diagnostic (byte span, error severity).
    pub fn to_diagnostic(&self) -> Diagnostic {
        let start = usize::try_from(self.span.start).unwrap_or(usize::MAX);
        let end = usize::try_from(self.span.end).unwrap_or(usize::MAX);
        let label = match self.code {
            codes::UNEXPECTED_ELEMENT => "not allowed here",
            codes::UNEXPECTED_ATTRIBUTE => "attribute not allowed",
            codes::MISSING_ATTRIBUTE => "attribute missing",
            codes::MISSING_CONTENT => "content missing",
            codes::UNEXPECTED_TEXT => "text not allowed",
            codes::INVALID_VALUE => "invalid value",
            codes::DUPLICATE_ID => "duplicate ID",
            codes::UNRESOLVED_IDREF => "no such ID",
            _ => "here",
        };
        let mut d = Diagnostic::error(self.code, self.message.clone()).with_span(start..end, label);
        if let Some(help) = &self.help {
            d = d.with_help(help.clone());
        }
        d
    }
}

thread_local! {
    /// Engines with their memo tables, kept per thread so a run over many files with one
    /// schema (e.g. on rayon's threads) reuses derivatives.
    static SESSIONS: RefCell<Vec<derive::Session>> = const { RefCell::new(Vec::new()) };
}

/// Sessions kept per thread (one per recently used schema).
const KEPT_SESSIONS: usize = 2;

/// Validates a document read from `input` against `schema`.
///
/// `base_dir` is the document's folder: external DTDs and entities are read only from inside
/// it, and only when [`Options::dtd`] is set. Problems come in document order; reading stops at
/// the first well-formedness error.
///
/// Derivatives computed for a schema are kept per thread (for the two schemas used last), so
/// validating many files on a few threads reuses them; those caches hold the compiled schema.
pub fn validate<R: BufRead>(
    schema: &Schema,
    input: R,
    base_dir: Option<&Path>,
    opts: &Options,
) -> Outcome {
    let serial = schema.inner.serial;
    let cached = SESSIONS.with(|s| {
        let mut sessions = s.borrow_mut();
        let i = sessions.iter().position(|x| x.engine.schema.serial == serial)?;
        Some(sessions.swap_remove(i))
    });
    let mut session = cached.unwrap_or_else(|| derive::Session::new(schema.inner.clone()));
    let outcome = validator::validate(&mut session, input, base_dir, opts);
    let names_grew =
        session.names.name_count() > schema.inner.names.name_count() + derive::Engine::LIMIT;
    if !session.engine.is_large() && !names_grew {
        SESSIONS.with(|s| {
            let mut sessions = s.borrow_mut();
            if sessions.len() >= KEPT_SESSIONS {
                sessions.remove(0);
            }
            sessions.push(session);
        });
    }
    outcome
}
