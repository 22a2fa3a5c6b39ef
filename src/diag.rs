//! Diagnostics: what every stage reports instead of failing.
//!
//! A stage returns its output together with a `Vec<Diagnostic>`. A diagnostic
//! carries a stable code (`teimark::<stage>::<kebab-name>`), a severity, a
//! message that says what was found and what was expected, and optionally the
//! byte range of the text it is about plus a help line. Rendering (colour,
//! terminal width, file names) is the CLI's business: see [`Located`].

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceCode};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A remark that needs no action.
    Advice,
    /// Output was produced, but an editor should look here.
    Warning,
    /// The input could not be processed as given.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Advice => "advice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding of a stage, located in the text the stage read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable identifier, `teimark::<stage>::<kebab-name>`.
    pub code: &'static str,
    pub severity: Severity,
    /// Lowercase, no trailing dot: what was found and what was expected.
    pub message: String,
    /// Byte range in the text the diagnostic is about, if it has a place.
    pub span: Option<Range<usize>>,
    /// Text shown under the span.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with the given code and message and no location yet.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message)
    }

    /// A warning with the given code and message and no location yet.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message)
    }

    /// An advice with the given code and message and no location yet.
    pub fn advice(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Advice, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { code, severity, message: message.into(), span: None, label: None, help: None }
    }

    /// Places the diagnostic on a byte range, with a label shown under it.
    pub fn with_span(mut self, span: Range<usize>, label: impl Into<String>) -> Diagnostic {
        self.span = Some(span);
        self.label = Some(label.into());
        self
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic means the input could not be processed.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The reason of an I/O error in words, without the OS error number
/// ("No such file or directory").
pub fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Whether any of the diagnostics is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// A diagnostic together with the named text it points into, ready for miette.
#[derive(Debug)]
pub struct Located {
    diagnostic: Diagnostic,
    source: NamedSource<Arc<str>>,
}

impl Located {
    /// Attaches the text (and the name it is shown under, usually a path) to a diagnostic.
    ///
    /// A lone carriage return (an old Macintosh line end) is shown as the
    /// line feed miette counts lines by; both are one byte, so spans hold.
    pub fn new(diagnostic: Diagnostic, name: &str, text: Arc<str>) -> Located {
        let bytes = text.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        let text = if lone_cr {
            let mut shown = String::with_capacity(text.len());
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                shown.push(if c == '\r' && chars.peek() != Some(&'\n') { '\n' } else { c });
            }
            Arc::from(shown)
        } else {
            text
        };
        Located { diagnostic, source: NamedSource::new(name, text) }
    }

    /// The diagnostic itself.
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Located {}

impl miette::Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Advice => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.diagnostic.span.as_ref().map(|_| &self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.diagnostic.span.clone()?;
        let label = LabeledSpan::new_primary_with_span(self.diagnostic.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_ended_by_a_lone_carriage_return_are_numbered_and_shown_as_lines() {
        let text = "Title\r\rFirst.\r\rIn March.\r";
        let at = text.find("March").expect("the word");
        let d = Diagnostic::warning("teimark::entities::date-without-year", "a month")
            .with_span(at..at + 5, "here");
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        handler.render_report(&mut out, &Located::new(d, "cr.txt", text.into())).expect("render");
        assert!(out.contains("[cr.txt:5:4]"), "{out}");
        assert!(out.contains(" 5 │ In March."), "{out}");
        assert!(!out.contains('\r'), "{out:?}");
    }
}
