//! GitHub Actions workflow annotations (`--format github`): one line per finding,
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<code>::<message>`
//! (`::warning` for warnings, `::notice` for advice). The help line follows the message
//! on a second line of the annotation. Escaping follows the runner's rules: `%`, CR and
//! LF in the message; also `:` and `,` in property values.

use std::fmt::Write;

use super::{FileReport, Placed, RunProblem};
use crate::diag::Severity;

/// The annotations for one document.
pub fn render_file(report: &FileReport) -> String {
    let mut out = String::new();
    for placed in &report.findings {
        annotation(&mut out, Some(&report.path), placed);
    }
    out
}

/// The annotation for a problem that kept teimark from checking.
pub fn render_problem(problem: &RunProblem) -> String {
    let mut out = String::new();
    annotation(&mut out, problem.path.as_deref(), &problem.placed);
    out
}

fn annotation(out: &mut String, path: Option<&str>, placed: &Placed) {
    let d = &placed.finding.diagnostic;
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "notice",
    };
    let mut properties = Vec::new();
    if let Some(path) = path {
        properties.push(format!("file={}", property(path)));
        if placed.has_place() {
            properties.push(format!("line={}", placed.finding.line));
            properties.push(format!("col={}", placed.finding.column));
            if let Some((line, column)) = placed.end() {
                properties.push(format!("endLine={line}"));
                properties.push(format!("endColumn={column}"));
            }
        }
    }
    properties.push(format!("title={}", property(d.code)));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let _ = writeln!(out, "::{command} {}::{}", properties.join(","), data(&message));
}

/// Escapes a message.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
