//! Schema compilation: RELAX NG XML syntax -> simplified, hash-consed patterns.
//!
//! Steps, in the order of the specification's section 4:
//! 1. [`xmltree`] reads each file (the main one, `include`d and `externalRef`ed ones);
//! 2. [`load`] applies the syntactic simplifications while reading: annotations dropped,
//!    `ns`/`datatypeLibrary` inherited, `name` attributes turned into name classes, `div`
//!    flattened, `include` merged with its overrides, `optional`/`zeroOrMore`/`mixed`
//!    rewritten, defines combined per grammar;
//! 3. [`build`] turns the result into arena patterns reachable from `start`, one element table
//!    entry per `element`, datatypes compiled (regexes once per distinct pattern);
//! 4. [`restrict`] checks section 7 (prohibited paths, string sequences, attribute and
//!    interleave overlap) and [`idtypes`] the DTD-compatibility ID rules, as jing does.
//!
//! Everything here runs once per schema; nothing is recursive over document data.

mod build;
mod idtypes;
mod load;
mod restrict;
pub(crate) mod xmltree;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::datatype::{DataType, IdType, Value};
use super::names::NameTable;
use super::pattern::{Arena, FastMap, NameClass, NameId, P};

/// One `element` pattern of the schema.
#[derive(Clone, Debug)]
pub(crate) struct ElemDef {
    pub(crate) nc: NameClass,
    pub(crate) content: P,
    /// Whether the element is reachable from the start pattern (others are never matched).
    pub(crate) reachable: bool,
}

/// A `data` pattern: its datatype and the `except` pattern (if any).
#[derive(Clone, Debug)]
pub(crate) struct DataDef {
    pub(crate) dt: DataType,
    pub(crate) except: Option<P>,
}

/// A `value` pattern: datatype, parsed value, and the text as written (for messages).
#[derive(Clone, Debug)]
pub(crate) struct ValueDef {
    pub(crate) dt: DataType,
    pub(crate) value: Value,
    pub(crate) text: String,
}

/// A compiled schema: everything validation reads, immutable and shareable across threads.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) arena: Arena,
    pub(crate) elements: Vec<ElemDef>,
    pub(crate) name_classes: Vec<NameClass>,
    pub(crate) datas: Vec<DataDef>,
    pub(crate) values: Vec<ValueDef>,
    pub(crate) names: NameTable,
    pub(crate) start: P,
    /// DTD-compatibility ID types by (element name, attribute name).
    pub(crate) id_types: FastMap<(NameId, NameId), IdType>,
    /// Distinguishes schemas for per-thread caches.
    pub(crate) serial: u64,
}

/// Why a schema could not be compiled: the file, the place in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// Stable code, `teimark::validate::schema-…`.
    pub code: &'static str,
    /// Lowercase, no trailing dot: what was found and what was expected.
    pub message: String,
    /// The schema file the problem is in.
    pub path: PathBuf,
    /// 1-based line, 0 when the problem has no place (e.g. an unreadable file).
    pub line: u32,
    /// 1-based column in characters, 0 when the problem has no place.
    pub column: u32,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: {}", self.path.display(), self.line, self.column, self.message)
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)
        }
    }
}

impl std::error::Error for SchemaError {}

impl miette::Diagnostic for SchemaError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

/// Codes of schema errors.
pub(crate) mod codes {
    pub(crate) const UNREADABLE: &str = "teimark::validate::schema-unreadable";
    pub(crate) const NOT_WELL_FORMED: &str = "teimark::validate::schema-not-well-formed";
    pub(crate) const REMOTE: &str = "teimark::validate::schema-remote-href";
    pub(crate) const SYNTAX: &str = "teimark::validate::schema-syntax";
    pub(crate) const REFERENCE: &str = "teimark::validate::schema-reference";
    pub(crate) const DATATYPE: &str = "teimark::validate::schema-datatype";
    pub(crate) const RESTRICTION: &str = "teimark::validate::schema-restriction";
    pub(crate) const ID_TYPE: &str = "teimark::validate::schema-id-type";
}

/// A place in a schema file.
#[derive(Clone, Debug)]
pub(crate) struct Pos {
    pub(crate) file: Arc<Path>,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl Pos {
    pub(crate) fn error(&self, code: &'static str, message: impl Into<String>) -> SchemaError {
        SchemaError {
            code,
            message: message.into(),
            path: self.file.to_path_buf(),
            line: self.line,
            column: self.column,
            help: None,
        }
    }
}

/// Compiles the schema at `path`.
pub(crate) fn compile(path: &Path) -> Result<Compiled, SchemaError> {
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let loaded = load::load(path)?;
    let built = build::build(loaded)?;
    restrict::check(&built)?;
    let id_types = idtypes::build(&built)?;
    Ok(Compiled {
        arena: built.arena,
        elements: built.elements,
        name_classes: built.name_classes,
        datas: built.datas,
        values: built.values,
        names: built.names,
        start: built.start,
        id_types,
        serial: SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
    })
}
