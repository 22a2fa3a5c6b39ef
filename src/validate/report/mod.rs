//! What `teimark validate` reports, and the machine formats it writes: [`json`] (the wire
//! contract, `schema/validate.schema.json`), [`sarif`] (SARIF 2.1.0 for code-scanning
//! UIs) and [`github`] (workflow annotations). The human format is miette's, fed with
//! [`excerpt::Shown`]. Nothing here reads files: the command line cuts the excerpts.

pub mod excerpt;
pub mod github;
pub mod json;
pub mod sarif;

#[cfg(test)]
mod tests;

use crate::diag::Severity;
use crate::validate::Finding;
use excerpt::Excerpt;

/// A finding with the excerpt of the document it is shown with.
#[derive(Clone, Debug)]
pub struct Placed {
    pub finding: Finding,
    pub excerpt: Option<Excerpt>,
}

impl Placed {
    /// A finding without a place in a file (e.g. a file that could not be read).
    pub fn unplaced(diagnostic: crate::diag::Diagnostic) -> Placed {
        Placed {
            finding: Finding { diagnostic, line: 0, column: 0, expected: Vec::new() },
            excerpt: None,
        }
    }

    /// Whether the finding has a line and column.
    pub fn has_place(&self) -> bool {
        self.finding.line > 0
    }

    /// Where the span ends (line, column after it), when the excerpt shows all of it.
    pub fn end(&self) -> Option<(u32, u32)> {
        self.excerpt.as_ref()?.end_of(&self.finding)
    }
}

/// What was found in one document.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as shown: as given, or joined to the folder it was found in.
    pub path: String,
    /// The schema it was validated against, as shown.
    pub schema: Option<String>,
    /// Whether it was checked; when it could not be read, `findings` says why.
    pub checked: bool,
    /// Whether reporting stopped at the limit of problems per file.
    pub truncated: bool,
    /// In document order.
    pub findings: Vec<Placed>,
}

impl FileReport {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Checked and without errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.checked && self.errors() == 0
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|p| p.finding.diagnostic.severity == severity).count()
    }
}

/// A problem that kept teimark from checking (exit code 2): a schema that does not
/// load, no schema found, an unknown rule, a broken `edition.toml`.
#[derive(Clone, Debug)]
pub struct RunProblem {
    /// The file it is about, as shown, if any.
    pub path: Option<String>,
    pub placed: Placed,
}

/// Counts over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub valid: usize,
    pub invalid: usize,
    /// Files that could not be checked.
    pub unchecked: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    /// Counts the reports.
    pub fn of(files: &[FileReport]) -> Summary {
        let mut s = Summary { files: files.len(), ..Summary::default() };
        for f in files {
            if !f.checked {
                s.unchecked += 1;
            } else if f.is_valid() {
                s.valid += 1;
            } else {
                s.invalid += 1;
            }
            s.errors += f.errors();
            s.warnings += f.warnings();
        }
        s
    }

    /// The summary line, e.g. `checked 99 files: 98 valid, 1 invalid; 4 errors, 0 warnings`
    /// (the caller adds the time).
    pub fn line(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let unchecked = if self.unchecked > 0 {
            format!(", {} not checked", self.unchecked)
        } else {
            String::new()
        };
        format!(
            "checked {}: {} valid, {} invalid{unchecked}; {}, {}",
            plural(self.files - self.unchecked, "file"),
            self.valid,
            self.invalid,
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        )
    }
}

/// A path as a relative URI reference (`/` separators, reserved bytes percent-encoded),
/// or a `file://` URI for an absolute path.
pub fn path_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut out = String::with_capacity(slashed.len());
    if slashed.starts_with('/') {
        out.push_str("file://");
    }
    for b in slashed.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
