//! Rendering diagnostics for people: miette's graphical report on stderr,
//! in colour on a terminal and plain (80 columns, Unicode) otherwise.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme};
use teimark::diag::{Diagnostic, Located, Severity};

/// Writes diagnostics to stderr.
pub struct Reporter {
    handler: GraphicalReportHandler,
}

impl Reporter {
    /// A reporter for stderr: colour only on a terminal without NO_COLOR.
    pub fn stderr() -> Reporter {
        let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let theme =
            if colour { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        Reporter { handler: GraphicalReportHandler::new_themed(theme).with_width(80) }
    }

    /// Renders one diagnostic located in the named text.
    pub fn render(&self, name: &str, text: &Arc<str>, diagnostic: &Diagnostic) -> String {
        let located = Located::new(diagnostic.clone(), name, Arc::clone(text));
        let mut out = String::new();
        // Formatting into a String cannot fail.
        let _ = self.handler.render_report(&mut out, &located);
        out
    }

    /// Renders any miette diagnostic, e.g. one that carries its own excerpt of a file
    /// (`teimark validate` shows findings without keeping whole documents in memory).
    pub fn render_report(&self, diagnostic: &dyn miette::Diagnostic) -> String {
        let mut out = String::new();
        // Formatting into a String cannot fail.
        let _ = self.handler.render_report(&mut out, diagnostic);
        out
    }

    /// Prints one diagnostic that has no text to show (about a file as a
    /// whole, or about no file); returns whether it was an error or a warning.
    pub fn emit_unplaced(&self, name: &str, diagnostic: Diagnostic) -> Tally {
        self.emit(name, &Arc::from(""), &[diagnostic])
    }

    /// Prints diagnostics about the named text to stderr; returns how many
    /// were errors and how many warnings.
    pub fn emit(&self, name: &str, text: &Arc<str>, diagnostics: &[Diagnostic]) -> Tally {
        let mut tally = Tally::default();
        let mut err = std::io::stderr().lock();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Advice => {}
            }
            let _ = writeln!(err, "{}", self.render(name, text, d));
        }
        tally
    }
}

/// Counts of what was reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.errors += other.errors;
        self.warnings += other.warnings;
    }
}
