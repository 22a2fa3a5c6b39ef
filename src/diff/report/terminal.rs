//! The terminal report: the changed lines as an inline word diff, then the metrics and the most
//! frequent confusions.

use std::fmt::Write as _;

use super::{Piece, lines, pieces, rate, visible};
use crate::diff::{DiffReport, EditCounts};

/// Unchanged lines shown around a changed one.
const CONTEXT: usize = 1;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Renders the report for a terminal; with `color`, changes are red (A) and green (B), otherwise
/// they are marked `[-A-]{+B+}` as `git diff --word-diff` does.
pub fn terminal(report: &DiffReport<'_>, color: bool) -> String {
    let mut out = String::new();
    let (a, b) = (&report.a, &report.b);
    let _ = writeln!(out, "--- {} (reference)", a.name);
    let _ = writeln!(out, "+++ {}", b.name);
    let lines = lines(&pieces(report));
    let show: Vec<bool> = (0..lines.len())
        .map(|k| {
            let lo = k.saturating_sub(CONTEXT);
            let hi = (k + CONTEXT).min(lines.len().saturating_sub(1));
            lines[lo..=hi].iter().any(|l| l.changed)
        })
        .collect();
    for (k, line) in lines.iter().enumerate() {
        if !show[k] {
            continue;
        }
        if k == 0 || !show[k - 1] {
            let header = format!("@@ -{} +{} @@", line.a_line, line.b_line);
            if color {
                let _ = writeln!(out, "{DIM}{header}{RESET}");
            } else {
                let _ = writeln!(out, "{header}");
            }
        }
        for piece in &line.pieces {
            match *piece {
                Piece::Same(text) => push_shown(&mut out, text.strip_suffix('\r').unwrap_or(text)),
                Piece::Changed { a, b } => mark(&mut out, &shown(a), &shown(b), color),
            }
        }
        out.push('\n');
    }
    if lines.iter().all(|l| !l.changed) {
        out.push_str("(no differences)\n");
    }
    out.push('\n');
    summary(&mut out, report);
    if let Some(m) = &report.markup {
        markup(&mut out, m, report, color);
    }
    out
}

/// The markup section: counts, each change with its place, header changes.
fn markup(
    out: &mut String,
    m: &crate::diff::markup::MarkupDiff,
    report: &DiffReport<'_>,
    color: bool,
) {
    use crate::diff::markup::ChangeKind;
    let count = |k: ChangeKind| m.changes.iter().filter(|c| c.kind == k).count();
    let _ = writeln!(
        out,
        "\nmarkup: {} unchanged, {} added, {} removed, {} retyped, {} moved, {} with other attributes; {} header changes",
        m.unchanged,
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Retyped),
        count(ChangeKind::Moved),
        count(ChangeKind::Attributes),
        m.header.len()
    );
    let (a_lines, b_lines) =
        (crate::source::line_starts(report.a.text), crate::source::line_starts(report.b.text));
    let place = |text: &str, lines: &[usize], at: usize| {
        let (l, c) = crate::source::line_col(text, lines, at);
        format!("{l}:{c}")
    };
    let describe = |e: &crate::diff::markup::Element, text: &str| {
        let attrs: Vec<String> = e.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let words = excerpt(&text[e.range.clone()]);
        if attrs.is_empty() {
            format!("{} {words:?}", e.kind)
        } else {
            format!("{} {words:?} [{}]", e.kind, attrs.join(" "))
        }
    };
    for c in &m.changes {
        let (sign, line) = match (c.kind, &c.a, &c.b) {
            (ChangeKind::Added, _, Some(b)) => (
                '+',
                format!(
                    "{}  {}",
                    place(report.b.text, &b_lines, b.range.start),
                    describe(b, report.b.text)
                ),
            ),
            (ChangeKind::Removed, Some(a), _) => (
                '-',
                format!(
                    "{}  {}",
                    place(report.a.text, &a_lines, a.range.start),
                    describe(a, report.a.text)
                ),
            ),
            (kind, Some(a), Some(b)) => {
                let what = match kind {
                    ChangeKind::Retyped => "retyped",
                    ChangeKind::Moved => "moved",
                    _ => "attributes",
                };
                (
                    '~',
                    format!(
                        "{} → {}  {what}: {} → {}",
                        place(report.a.text, &a_lines, a.range.start),
                        place(report.b.text, &b_lines, b.range.start),
                        describe(a, report.a.text),
                        describe(b, report.b.text)
                    ),
                )
            }
            _ => continue,
        };
        let colour = match sign {
            '+' => GREEN,
            '-' => RED,
            _ => DIM,
        };
        if color {
            let _ = writeln!(out, "{colour}{sign} {line}{RESET}");
        } else {
            let _ = writeln!(out, "{sign} {line}");
        }
    }
    if !m.header_compared {
        let _ = writeln!(
            out,
            "header: not compared (a JSON edition and a TEI file describe it differently)"
        );
    }
    for h in &m.header {
        let show = |v: &Option<String>| {
            v.as_deref().map_or("(none)".to_string(), |v| format!("{:?}", excerpt(v)))
        };
        let _ = writeln!(out, "header {}: {} → {}", h.path, show(&h.a), show(&h.b));
    }
}

/// At most 50 characters of a text, whitespace collapsed.
fn excerpt(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(50) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// Text safe to print: control chars other than tab and line feed (a carriage return, an escape
/// that would drive the terminal) become their Unicode control pictures.
fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_shown(&mut out, text);
    out
}

fn push_shown(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\u{7F}' => out.push('\u{2421}'),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

fn mark(out: &mut String, a: &str, b: &str, color: bool) {
    match (a.is_empty(), b.is_empty(), color) {
        (false, _, true) => {
            let _ = write!(out, "{RED}{a}{RESET}");
        }
        (false, _, false) => {
            let _ = write!(out, "[-{a}-]");
        }
        _ => {}
    }
    match (b.is_empty(), color) {
        (false, true) => {
            let _ = write!(out, "{GREEN}{b}{RESET}");
        }
        (false, false) => {
            let _ = write!(out, "{{+{b}+}}");
        }
        _ => {}
    }
}

fn summary(out: &mut String, report: &DiffReport<'_>) {
    let c = &report.comparison;
    let _ = writeln!(
        out,
        "reference  {}: {} clusters, {} words",
        report.a.name, c.char_counts.reference, c.word_counts.reference
    );
    let _ = writeln!(
        out,
        "compared   {}: {} clusters, {} words",
        report.b.name, c.char_counts.compared, c.word_counts.compared
    );
    let _ = writeln!(out, "CER {}  {}", rate(&c.char_counts), edits(&c.char_counts));
    let _ = writeln!(out, "WER {}  {}", rate(&c.word_counts), edits(&c.word_counts));
    if let Some(note) = &c.degraded {
        let _ = writeln!(out, "note: {note}");
    }
    if !c.confusions.is_empty() {
        let _ = writeln!(out, "most frequent confusions (reference → compared):");
        for conf in &c.confusions {
            let _ = writeln!(out, "{:>7}  {} → {}", conf.count, visible(&conf.a), visible(&conf.b));
        }
    }
}

fn edits(counts: &EditCounts) -> String {
    format!(
        "{} edits: {} substitutions, {} deletions, {} insertions",
        counts.distance, counts.substitutions, counts.deletions, counts.insertions
    )
}
