//! Reports of a [`DiffReport`]: an inline word diff for the terminal, a side-by-side HTML page, and
//! two TEI documents (corrections as `<choice>`, variants as a parallel-segmentation apparatus).
//! The JSON report is [`super::wire`].

mod html;
mod tei;
mod terminal;
mod xml;

pub use html::html;
pub use tei::{tei_apparatus, tei_corrections};
pub use terminal::terminal;

use super::{DiffReport, EditCounts};

/// A stretch of the two texts as reports show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'t> {
    /// Text both revisions share.
    Same(&'t str),
    /// Text of A that B replaces (either may be empty).
    Changed { a: &'t str, b: &'t str },
}

/// The two texts as shared and changed stretches, changes widened to whole words.
fn pieces<'t>(report: &DiffReport<'t>) -> Vec<Piece<'t>> {
    let (a, b) = (report.a.text, report.b.text);
    let mut out = Vec::new();
    let mut at = 0;
    for change in report.changes() {
        if change.a.start > at {
            out.push(Piece::Same(&a[at..change.a.start]));
        }
        out.push(Piece::Changed { a: &a[change.a.clone()], b: &b[change.b] });
        at = change.a.end;
    }
    if at < a.len() {
        out.push(Piece::Same(&a[at..]));
    }
    out
}

/// One line of the merged display: the pieces on it and where it starts in A and B (1-based).
struct Line<'t> {
    pieces: Vec<Piece<'t>>,
    a_line: usize,
    b_line: usize,
    changed: bool,
}

/// Splits the pieces into display lines at the line breaks of shared text; a change spanning line
/// breaks stays on one display line.
fn lines<'t>(pieces: &[Piece<'t>]) -> Vec<Line<'t>> {
    let mut out = Vec::new();
    let mut cur = Line { pieces: Vec::new(), a_line: 1, b_line: 1, changed: false };
    let (mut a_line, mut b_line) = (1, 1);
    for piece in pieces {
        match *piece {
            Piece::Same(text) => {
                let mut parts = text.split('\n');
                if let Some(first) = parts.next().filter(|p| !p.is_empty()) {
                    cur.pieces.push(Piece::Same(first));
                }
                for part in parts {
                    a_line += 1;
                    b_line += 1;
                    let next = Line { pieces: Vec::new(), a_line, b_line, changed: false };
                    out.push(std::mem::replace(&mut cur, next));
                    if !part.is_empty() {
                        cur.pieces.push(Piece::Same(part));
                    }
                }
            }
            Piece::Changed { a, b } => {
                cur.pieces.push(*piece);
                cur.changed = true;
                a_line += a.matches('\n').count();
                b_line += b.matches('\n').count();
            }
        }
    }
    if !cur.pieces.is_empty() || cur.changed {
        out.push(cur);
    }
    out
}

/// `0.062031`, or `inf` for an empty reference.
fn rate(counts: &EditCounts) -> String {
    let r = counts.rate();
    if r.is_infinite() { "inf".to_owned() } else { format!("{r:.6}") }
}

/// A confusion side as a reader can see it: blanks and line breaks made visible, empty as `∅`.
fn visible(s: &str) -> String {
    if s.is_empty() {
        return "∅".to_owned();
    }
    s.chars()
        .map(|c| match c {
            ' ' => '␣',
            '\n' => '⏎',
            '\t' => '⇥',
            c if c.is_control() => '�',
            c => c,
        })
        .collect()
}
