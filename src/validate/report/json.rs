//! The JSON output of `teimark validate --format json`: the wire contract.
//!
//! One JSON document on stdout per run. Only the types here are serialized, and
//! `schema/validate.schema.json` is generated from them (`cargo xtask codegen`). Positions
//! are 1-based; columns count Unicode scalar values; `end_column` is the column after the
//! last character; `offset` and `length` count bytes of the file. The output holds no
//! times, so two runs over the same files give the same bytes.

use schemars::JsonSchema;
use serde::Serialize;

use super::{FileReport, Placed, RunProblem, Summary as Counts};
use crate::diag;

/// The value of [`Output::format`].
pub const FORMAT: &str = "teimark-validate/1";

/// Everything one run found.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "teimark validate --format json")]
pub struct Output {
    /// Names this format and its version: `teimark-validate/1`.
    pub format: String,
    /// The documents, in the order they were named (folders walked in name order).
    pub files: Vec<File>,
    /// Problems that kept teimark from checking (exit code 2): a schema that does not
    /// load, no schema found, an unknown rule, a broken edition.toml.
    pub problems: Vec<Problem>,
    pub summary: Summary,
}

/// One document.
#[derive(Debug, Serialize, JsonSchema)]
pub struct File {
    /// The path as given (or joined to the folder it was found in).
    pub path: String,
    /// The RELAX NG schema it was validated against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub status: Status,
    pub errors: usize,
    pub warnings: usize,
    /// Reporting stopped at the limit of problems per file; there are more.
    pub truncated: bool,
    /// In document order.
    pub diagnostics: Vec<Diagnostic>,
}

/// The verdict on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Well-formed, valid against the schema, no rule errors (warnings allowed).
    Valid,
    /// At least one error.
    Invalid,
    /// Could not be checked (e.g. unreadable); its diagnostics say why.
    Unchecked,
}

/// One finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Diagnostic {
    /// Stable code, `teimark::<stage>::<name>`; `schema/diagnostics.md` describes each.
    pub code: String,
    pub severity: Severity,
    /// What was found and what was expected.
    pub message: String,
    /// What the span is (shown under it in the human format).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// What the schema allowed there: element or attribute names, datatypes, values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<String>,
    /// Where it is; absent for problems without a place (an unreadable file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Advice,
}

/// A place in a file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Location {
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start, in characters.
    pub column: u32,
    /// Line of the end, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// Column after the last character, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// Byte offset of the start in the file.
    pub offset: u64,
    /// Length in bytes.
    pub length: u64,
}

/// A problem that kept teimark from checking.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Problem {
    /// The file it is about (a schema, an edition.toml), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// Counts over the run.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Summary {
    /// Documents named or found.
    pub files: usize,
    pub valid: usize,
    pub invalid: usize,
    /// Documents that could not be checked.
    pub unchecked: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// The JSON document for a run, pretty-printed, with a final newline.
pub fn render(files: &[FileReport], problems: &[RunProblem]) -> String {
    let counts = Counts::of(files);
    let output = Output {
        format: FORMAT.to_string(),
        files: files.iter().map(file).collect(),
        problems: problems
            .iter()
            .map(|p| Problem { path: p.path.clone(), diagnostic: diagnostic(&p.placed) })
            .collect(),
        summary: Summary {
            files: counts.files,
            valid: counts.valid,
            invalid: counts.invalid,
            unchecked: counts.unchecked,
            errors: counts.errors,
            warnings: counts.warnings,
        },
    };
    // Serializing plain data to a String cannot fail.
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}

fn file(report: &FileReport) -> File {
    File {
        path: report.path.clone(),
        schema: report.schema.clone(),
        status: if !report.checked {
            Status::Unchecked
        } else if report.is_valid() {
            Status::Valid
        } else {
            Status::Invalid
        },
        errors: report.errors(),
        warnings: report.warnings(),
        truncated: report.truncated,
        diagnostics: report.findings.iter().map(diagnostic).collect(),
    }
}

fn diagnostic(placed: &Placed) -> Diagnostic {
    let d = &placed.finding.diagnostic;
    let location = d.span.as_ref().filter(|_| placed.has_place()).map(|span| {
        let end = placed.end();
        Location {
            line: placed.finding.line,
            column: placed.finding.column,
            end_line: end.map(|e| e.0),
            end_column: end.map(|e| e.1),
            offset: span.start as u64,
            length: (span.end - span.start) as u64,
        }
    });
    Diagnostic {
        code: d.code.to_string(),
        severity: match d.severity {
            diag::Severity::Error => Severity::Error,
            diag::Severity::Warning => Severity::Warning,
            diag::Severity::Advice => Severity::Advice,
        },
        message: d.message.clone(),
        label: d.label.clone(),
        help: d.help.clone(),
        expected: placed.finding.expected.clone(),
        location,
    }
}

/// The JSON Schema of [`Output`], pretty-printed (`schema/validate.schema.json`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Output);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
