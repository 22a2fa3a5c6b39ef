//! Validation: checking TEI documents against their schemas and the edition rules.
//!
//! [`relaxng`] is the RELAX NG engine (schema compilation and streaming validation);
//! [`rules`] are the edition rules, checked in a second streaming pass; [`findings`]
//! puts the two together, one list per document in document order; [`report`] turns
//! the lists into the output formats of `teimark validate` (JSON, SARIF, GitHub
//! annotations, and the excerpts the human format shows).

pub mod relaxng;
pub mod report;
pub mod rules;

use crate::diag::Diagnostic;

/// One problem in a document, from the engine or a rule, placed in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Code, severity, message, byte span, label and help.
    pub diagnostic: Diagnostic,
    /// 1-based line of the span's start.
    pub line: u32,
    /// 1-based column of the span's start, in characters.
    pub column: u32,
    /// What the schema allowed there (element or attribute names, datatypes, values).
    pub expected: Vec<String>,
}

/// The findings of a document: the engine's problems and the rules' findings, in
/// document order, without the rule findings the engine already reported at the same
/// place (a rule's [`rules::RuleInfo::overlaps`]).
pub fn findings(outcome: &relaxng::Outcome, from_rules: Vec<Finding>) -> Vec<Finding> {
    let mut all: Vec<Finding> = outcome
        .problems
        .iter()
        .map(|p| {
            let mut diagnostic = p.to_diagnostic();
            if diagnostic.help.is_none() {
                diagnostic.help = Some(default_help(p.code).to_string());
            }
            Finding { diagnostic, line: p.line, column: p.column, expected: p.expected.clone() }
        })
        .collect();
    let reported = |f: &Finding| {
        let Some(rule) = rules::find(f.diagnostic.code) else { return false };
        let Some(span) = &f.diagnostic.span else { return false };
        // Spans overlap (an empty span counts as its first byte).
        let (start, end) = (span.start as u64, span.end as u64);
        outcome.problems.iter().any(|p| {
            rule.overlaps.contains(&p.code)
                && p.span.start < end.max(start + 1)
                && start < p.span.end.max(p.span.start + 1)
        })
    };
    all.extend(from_rules.into_iter().filter(|f| !reported(f)));
    // Stable: at the same place the engine's problem comes first.
    all.sort_by_key(|f| f.diagnostic.span.as_ref().map_or(0, |s| s.start));
    all
}

/// What to do about an engine problem that came without its own help line.
fn default_help(code: &str) -> &'static str {
    use relaxng::codes;
    match code {
        codes::NOT_WELL_FORMED => {
            "fix the markup at the marked place; nothing after it could be checked"
        }
        codes::UNDEFINED_ENTITY => {
            "declare the entity in the DOCTYPE, or write the character itself or as &#x…;"
        }
        codes::ENTITY_LIMIT => "expand the entities by hand, or simplify their definitions",
        codes::DTD_REFUSED => {
            "put the DTD in the document's folder and pass --dtd, or remove the DOCTYPE"
        }
        codes::UNSUPPORTED_ENCODING => "convert the file to UTF-8 and change its declaration",
        codes::IO => "check that the file is readable and not truncated",
        codes::UNEXPECTED_ELEMENT => {
            "rename or move the element; the message lists what the schema allows here"
        }
        codes::UNEXPECTED_ATTRIBUTE => {
            "remove or rename the attribute; the message lists what the schema allows"
        }
        codes::MISSING_ATTRIBUTE => "add the attribute the message names",
        codes::MISSING_CONTENT => "add the content the message names before the end tag",
        codes::UNEXPECTED_TEXT => "remove the text, or put it inside an element that takes text",
        codes::INVALID_VALUE => {
            "write a value of the datatype, or one of the values, that the message names"
        }
        codes::DUPLICATE_ID => "give one of the elements another ID",
        codes::UNRESOLVED_IDREF => "point to an ID that exists, or add the element it names",
        codes::INVALID_ID => "write exactly one name as the ID or IDREF",
        _ => "correct the document, or validate it against another schema with --schema",
    }
}

/// Whether the engine could read the document far enough for the rules to be worth
/// running: it is UTF-8 and readable (a well-formedness error still leaves the part
/// before it to check).
pub fn rules_apply(outcome: &relaxng::Outcome) -> bool {
    !outcome
        .problems
        .iter()
        .any(|p| matches!(p.code, relaxng::codes::UNSUPPORTED_ENCODING | relaxng::codes::IO))
}

#[cfg(test)]
mod tests;
