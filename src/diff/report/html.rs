//! The HTML report: one self-contained page (inline CSS, no script, nothing fetched) with the
//! metrics, the most frequent confusions and the two revisions side by side, line by line.

use super::tei::invalid_chars;
use super::xml::Xml;
use super::{Piece, lines, pieces, rate, visible};
use crate::diag::Diagnostic;
use crate::diff::{DiffReport, EditCounts};

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 90em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
table { border-collapse: collapse; }
table.metrics td, table.metrics th, table.confusions td, table.confusions th {
  padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
table.metrics th:first-child, table.confusions td.s { text-align: left; }
table.confusions td.s { font-family: ui-monospace, monospace; }
table.texts { width: 100%; table-layout: fixed; }
table.texts col.n { width: 3.5em; }
table.texts th { text-align: left; border-bottom: 2px solid #888; padding: 0.3em; }
table.texts td { vertical-align: top; padding: 0.1em 0.4em; font-family: ui-serif, Georgia, serif;
  white-space: pre-wrap; overflow-wrap: anywhere; }
table.texts td.n { color: #999; text-align: right; font-family: ui-monospace, monospace;
  font-size: 0.8em; user-select: none; }
table.texts tr.changed td.t { background: #fafaf0; }
del { background: #fcc; text-decoration: none; }
ins { background: #cfc; text-decoration: none; }
p.note { background: #ffe; border-left: 4px solid #cc4; padding: 0.5em; }
";

/// Renders the report as one HTML page; warns about chars HTML cannot carry.
pub fn html(report: &DiffReport<'_>) -> (String, Vec<Diagnostic>) {
    let (a, b) = (report.a.name, report.b.name);
    let c = &report.comparison;
    let mut x = Xml::new();
    x.html_doctype();
    x.start("html", &[("lang", "en")]);
    x.layout("\n");
    x.start("head", &[]);
    x.empty("meta", &[("charset", "utf-8")]);
    x.leaf("title", &[], &format!("{a} → {b}"));
    x.leaf("style", &[], STYLE);
    x.end("head");
    x.layout("\n");
    x.start("body", &[]);
    x.layout("\n");
    x.leaf("h1", &[], &format!("{a} (reference) → {b}"));
    x.layout("\n");

    x.start("table", &[("class", "metrics")]);
    x.start("tr", &[]);
    for h in
        ["", "rate", "edits", "substitutions", "deletions", "insertions", "reference", "compared"]
    {
        x.leaf("th", &[], h);
    }
    x.end("tr");
    metric_row(&mut x, "CER (grapheme clusters)", &c.char_counts);
    metric_row(&mut x, "WER (words)", &c.word_counts);
    x.end("table");
    x.layout("\n");
    if let Some(note) = &c.degraded {
        x.leaf("p", &[("class", "note")], note);
    }

    if !c.confusions.is_empty() {
        x.leaf("h2", &[], "Most frequent confusions");
        x.start("table", &[("class", "confusions")]);
        x.start("tr", &[]);
        x.leaf("th", &[], "count");
        x.leaf("th", &[], "reference");
        x.leaf("th", &[], "compared");
        x.end("tr");
        for conf in &c.confusions {
            x.start("tr", &[]);
            x.leaf("td", &[], &conf.count.to_string());
            x.leaf("td", &[("class", "s")], &visible(&conf.a));
            x.leaf("td", &[("class", "s")], &visible(&conf.b));
            x.end("tr");
        }
        x.end("table");
        x.layout("\n");
    }

    if let Some(m) = &report.markup {
        markup(&mut x, m, report);
    }

    x.leaf("h2", &[], "Texts");
    x.start("table", &[("class", "texts")]);
    for class in ["n", "t", "n", "t"] {
        x.empty("col", &[("class", class)]);
    }
    x.start("tr", &[]);
    x.leaf("th", &[], "");
    x.leaf("th", &[], a);
    x.leaf("th", &[], "");
    x.leaf("th", &[], b);
    x.end("tr");
    x.layout("\n");
    for line in lines(&pieces(report)) {
        x.start("tr", if line.changed { &[("class", "changed")] } else { &[] });
        x.leaf("td", &[("class", "n")], &line.a_line.to_string());
        x.start("td", &[("class", "t")]);
        for piece in &line.pieces {
            match *piece {
                Piece::Same(text) => x.text(text),
                Piece::Changed { a, .. } if !a.is_empty() => x.leaf("del", &[], a),
                Piece::Changed { .. } => {}
            }
        }
        x.end("td");
        x.leaf("td", &[("class", "n")], &line.b_line.to_string());
        x.start("td", &[("class", "t")]);
        for piece in &line.pieces {
            match *piece {
                Piece::Same(text) => x.text(text),
                Piece::Changed { b, .. } if !b.is_empty() => x.leaf("ins", &[], b),
                Piece::Changed { .. } => {}
            }
        }
        x.end("td");
        x.end("tr");
        x.layout("\n");
    }
    x.end("table");
    x.layout("\n");
    x.end("body");
    x.layout("\n");
    x.end("html");
    x.layout("\n");
    let diagnostics =
        if x.invalid_chars > 0 { vec![invalid_chars(x.invalid_chars)] } else { Vec::new() };
    (x.finish(), diagnostics)
}

/// The markup changes as a table: what, in the reference, in the compared edition.
fn markup(x: &mut Xml, m: &crate::diff::markup::MarkupDiff, report: &DiffReport<'_>) {
    use crate::diff::markup::{ChangeKind, Element};
    x.leaf("h2", &[], "Markup");
    x.leaf(
        "p",
        &[],
        &format!(
            "{} elements unchanged, {} changes, {} header changes.",
            m.unchanged,
            m.changes.len(),
            m.header.len()
        ),
    );
    let cell = |x: &mut Xml, e: Option<&Element>, text: &str| {
        x.start("td", &[("class", "s")]);
        if let Some(e) = e {
            let attrs: Vec<String> = e.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            x.text(&format!("{} ", e.kind));
            x.leaf("q", &[], text.get(e.range.clone()).unwrap_or(""));
            if !attrs.is_empty() {
                x.text(&format!(" [{}]", attrs.join(" ")));
            }
        }
        x.end("td");
    };
    if !m.changes.is_empty() {
        x.start("table", &[("class", "confusions")]);
        x.start("tr", &[]);
        for h in ["change", report.a.name, report.b.name] {
            x.leaf("th", &[], h);
        }
        x.end("tr");
        for c in &m.changes {
            x.start("tr", &[]);
            let what = match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Retyped => "retyped",
                ChangeKind::Moved => "moved",
                ChangeKind::Attributes => "attributes",
            };
            x.leaf("td", &[("class", "s")], what);
            cell(x, c.a.as_ref(), report.a.text);
            cell(x, c.b.as_ref(), report.b.text);
            x.end("tr");
            x.layout("\n");
        }
        x.end("table");
    }
    if !m.header.is_empty() {
        x.leaf("h2", &[], "Header");
        x.start("table", &[("class", "confusions")]);
        for h in &m.header {
            x.start("tr", &[]);
            x.leaf("td", &[("class", "s")], &h.path);
            x.leaf("td", &[("class", "s")], h.a.as_deref().unwrap_or(""));
            x.leaf("td", &[("class", "s")], h.b.as_deref().unwrap_or(""));
            x.end("tr");
        }
        x.end("table");
    }
    x.layout("\n");
}

fn metric_row(x: &mut Xml, label: &str, counts: &EditCounts) {
    x.start("tr", &[]);
    x.leaf("th", &[], label);
    for cell in [
        rate(counts),
        counts.distance.to_string(),
        counts.substitutions.to_string(),
        counts.deletions.to_string(),
        counts.insertions.to_string(),
        counts.reference.to_string(),
        counts.compared.to_string(),
    ] {
        x.leaf("td", &[], &cell);
    }
    x.end("tr");
}
