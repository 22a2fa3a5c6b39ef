//! `teimark rebase`: moves an edition's annotations onto a revised source text.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use teimark::diff::rebase::{Fate, rebase};
use teimark::source::{Encoding, line_col, line_starts};

use super::Exit;
use super::files;
use super::report::Reporter;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    teimark rebase editions/essay/essay.json seeds/essay/corrected.txt -o essay.rebased.json\n  \
    teimark rebase essay.json ocr-rerun.txt --strict -o /dev/null     fail (exit 1) if anything needs review\n\n\
    Each annotation moves with its text: spans whose text is unchanged move silently (kept or\n\
    shifted), spans whose text was edited are kept and listed for review (changed), spans whose\n\
    text is gone are listed and left out (lost). The summary goes to stderr.")]
pub struct RebaseArgs {
    /// The edition as JSON (teimark-document/1, as `teimark edition -f json` writes it)
    pub edition: PathBuf,
    /// The revised source text
    pub revised: PathBuf,
    /// Write the rebased JSON here (atomically) instead of stdout
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a span changed or was lost (for CI)
    #[arg(long)]
    pub strict: bool,
    /// How the revised text's bytes are encoded
    #[arg(long, value_enum, default_value_t)]
    pub encoding: Encoding,
}

pub fn run(args: RebaseArgs) -> Exit {
    let reporter = Reporter::stderr();
    let edition_name = args.edition.display().to_string();
    let json = match files::read_text(&args.edition) {
        Ok(t) => t,
        Err(d) => {
            reporter.emit_unplaced(&edition_name, d);
            return Exit::Failure;
        }
    };
    let (doc, source_info) = match teimark::export::json::parse(&json) {
        Ok(parsed) => parsed,
        Err(d) => {
            reporter.emit(&edition_name, &Arc::from(json.as_str()), &[d]);
            return Exit::Failure;
        }
    };
    let revised_name = args.revised.display().to_string();
    let bytes = match files::read(&args.revised) {
        Ok(b) => b,
        Err(d) => {
            reporter.emit_unplaced(&revised_name, d);
            return Exit::Failure;
        }
    };
    let (source, diagnostics) = teimark::source::decode_owned(bytes, args.encoding);
    let revised_text: Arc<str> = Arc::from(source.text.as_str());
    if reporter.emit(&revised_name, &revised_text, &diagnostics).errors > 0 {
        return Exit::Failure;
    }

    let rebased = rebase(&doc, &source.text);
    let out = teimark::export::json::to_string(&rebased.document, source_info);
    if let Err(d) = files::write_output(args.output.as_deref(), out.as_bytes()) {
        reporter.emit_unplaced("output", d);
        return Exit::Failure;
    }

    let mut err = std::io::stderr().lock();
    // Line starts once per text: a book can have thousands of changed spans.
    let (old_lines, new_lines) = (line_starts(&doc.text), line_starts(&source.text));
    let mut containers = 0;
    for m in rebased.moves.iter().filter(|m| matches!(m.fate, Fate::Changed | Fate::Lost)) {
        let a = &doc.annotations[m.index];
        if a.kind.tier() == teimark::document::Tier::Container && m.fate == Fate::Changed {
            // A division whose text changed somewhere inside: the changed
            // phrases and blocks are listed themselves.
            containers += 1;
            continue;
        }
        let (line, col) = line_col(&doc.text, &old_lines, m.old.start);
        let before = excerpt(&doc.text[m.old.clone()]);
        let what = match &m.new {
            Some(new) => {
                let (nl, nc) = line_col(&source.text, &new_lines, new.start);
                let after = excerpt(&source.text[new.clone()]);
                format!(
                    "changed  {line}:{col} → {nl}:{nc}  {} {before:?} → {after:?}",
                    a.kind.name()
                )
            }
            None => format!("lost     {line}:{col}  {} {before:?}", a.kind.name()),
        };
        let _ = writeln!(err, "{what}");
    }
    if containers > 0 {
        let _ = writeln!(
            err,
            "changed  {containers} divisions whose text changed inside (the changes are listed above)"
        );
    }
    let [kept, shifted, changed, lost] = rebased.summary();
    let _ = writeln!(
        err,
        "rebased {} annotations onto {revised_name}: {kept} kept, {shifted} shifted, {changed} changed, {lost} lost{}",
        rebased.moves.len(),
        if rebased.exact {
            ""
        } else {
            " (the alignment is approximate: the texts differ too much)"
        }
    );
    if args.strict && rebased.needs_review() { Exit::Problems } else { Exit::Success }
}

/// At most 60 characters of a span's text, for the report.
fn excerpt(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}
