//! `teimark diff`: compares two plain-text revisions and reports what changed and how much.

use super::Exit;
use super::files;
use super::report::Reporter;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use teimark::diag::Diagnostic;
use teimark::diff::{self, Options, Revision, markup, report, wire};

const EXAMPLES: &str = "\
Examples:
  teimark diff page.gt.txt page.ocr.txt
      Changed lines as an inline word diff, then CER, WER and the most frequent confusions.
  teimark diff gt.txt ocr.txt --format json -o report.json
      The metrics and every edit with byte offsets (schema: schema/diff.schema.json).
  teimark diff draft.txt proofread.txt --format html -o changes.html
      One self-contained page with both revisions side by side.
  teimark diff draft.txt proofread.txt --format tei -o corrected.xml
      The proofread text in TEI, each correction as <choice><sic/><corr/></choice>.
  teimark diff first.txt second.txt --format app -o apparatus.xml
      Both revisions as a TEI parallel-segmentation apparatus.
  teimark diff gt.txt ocr.txt --format json -o /dev/null --max-cer 0.05
      Exit code 1 when the CER exceeds 5 % (for CI).
  teimark diff old/essay.json new/essay.json
      Two editions (teimark JSON or TEI, in any pairing): the text diff, then the markup:
      annotations added, removed, retyped, moved, or with other attributes (@ref, @when, …),
      and the header values that changed.

CER and WER are those of dinglehopper 0.11: Levenshtein distance over grapheme clusters (words)
after its normalisation (lines stripped, NFC, ligatures split, some characters unified), divided by
the length of A.

Exit codes: 0 success, 1 CER above --max-cer, 2 unreadable input or unwritable output.";

/// Arguments of `teimark diff`.
#[derive(clap::Args, Debug, Clone)]
#[command(after_long_help = EXAMPLES, after_help = "See `teimark diff --help` for examples.")]
pub struct DiffArgs {
    /// The reference: ground truth, or the earlier revision (UTF-8 text).
    pub a: PathBuf,
    /// The revision compared with it (UTF-8 text).
    pub b: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with code 1 when the CER exceeds this rate (e.g. 0.05).
    #[arg(long, value_name = "X")]
    pub max_cer: Option<f64>,
    /// Colour the terminal report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// How many of the most frequent confusions to list.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub confusions: usize,
    /// Who made the corrections, for `--format tei` (default: the name of B).
    #[arg(long, value_name = "NAME")]
    pub resp: Option<String>,
    /// Table cells of exact alignment allowed per char of the texts; beyond, regions are aligned
    /// piecewise and the numbers become upper bounds.
    #[arg(long, value_name = "CELLS", default_value_t = Options::default().cells_per_unit)]
    pub cell_budget: u64,
}

/// Output formats.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Changed lines as an inline word diff, metrics, confusions.
    Terminal,
    /// Metrics, confusions and edits as JSON.
    Json,
    /// A self-contained HTML page, the revisions side by side.
    Html,
    /// TEI: B as the corrected text of A (<choice><sic/><corr/></choice>).
    Tei,
    /// TEI: a parallel-segmentation apparatus of A and B.
    App,
}

/// When to colour the terminal report.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// When writing to a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

/// Runs `teimark diff`.
pub fn run(args: DiffArgs) -> Exit {
    let reporter = Reporter::stderr();
    let (a, b) = match (read(&args.a), read(&args.b)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            for failed in [a.err(), b.err()].into_iter().flatten() {
                let (name, text, d) = *failed;
                reporter.emit(&name, &text, &[d]);
            }
            return Exit::Failure;
        }
    };
    let opts = Options { confusion_limit: args.confusions, cells_per_unit: args.cell_budget };
    let (a_name, b_name) = (args.a.display().to_string(), args.b.display().to_string());
    // Two editions (teimark JSON or TEI): their texts and their markup.
    let editions = match (markup::is_edition(&a), markup::is_edition(&b)) {
        (true, true) => match (markup::load(&a), markup::load(&b)) {
            (Ok(ea), Ok(eb)) => Some((ea, eb)),
            (ea, eb) => {
                for (name, content, err) in [(&a_name, &a, ea.err()), (&b_name, &b, eb.err())] {
                    if let Some(d) = err {
                        reporter.emit(name, &Arc::from(content.as_str()), &[d]);
                    }
                }
                return Exit::Failure;
            }
        },
        (false, false) => None,
        (a_is_edition, _) => {
            let (edition, text) =
                if a_is_edition { (&a_name, &b_name) } else { (&b_name, &a_name) };
            let d = Diagnostic::error(
                "teimark::diff::mixed-inputs",
                format!(
                    "`{edition}` is an edition (JSON or TEI), `{text}` plain text; expected two of a kind"
                ),
            )
            .with_help("compare two editions, or two plain texts (the edition's source file)");
            reporter.emit_unplaced("", d);
            return Exit::Failure;
        }
    };
    let report = match &editions {
        Some((ea, eb)) => diff::diff_editions(
            Revision { name: &a_name, text: &ea.text },
            Revision { name: &b_name, text: &eb.text },
            (ea, eb),
            &opts,
        ),
        None => diff::diff(
            Revision { name: &a_name, text: &a },
            Revision { name: &b_name, text: &b },
            &opts,
        ),
    };
    let mut diagnostics = report.diagnostics();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let text = match args.format {
        Format::Terminal => Some(report::terminal(&report, color)),
        // Streamed: a book's JSON is ten times its size.
        Format::Json => None,
        Format::Html => Some(collect(report::html(&report), &mut diagnostics)),
        Format::Tei => {
            Some(collect(report::tei_corrections(&report, args.resp.as_deref()), &mut diagnostics))
        }
        Format::App => Some(collect(report::tei_apparatus(&report), &mut diagnostics)),
    };
    reporter.emit("", &Arc::from(""), &diagnostics);
    let written = files::write_output_with(args.output.as_deref(), |out| match &text {
        Some(text) => out.write_all(text.as_bytes()),
        None => wire::write_json(&report, out),
    });
    if let Err(d) = written {
        reporter.emit_unplaced("", d);
        return Exit::Failure;
    }
    let cer = report.comparison.cer;
    match args.max_cer {
        Some(max) if cer > max => {
            eprintln!("teimark: CER {cer:.6} exceeds --max-cer {max}");
            Exit::Problems
        }
        _ => Exit::Success,
    }
}

fn collect(rendered: (String, Vec<Diagnostic>), diagnostics: &mut Vec<Diagnostic>) -> String {
    diagnostics.extend(rendered.1);
    rendered.0
}

/// Reads a revision: UTF-8 text of less than 4 GiB. A failure comes with
/// the name and text to show it in.
fn read(path: &Path) -> Result<String, Box<(String, Arc<str>, Diagnostic)>> {
    let name = path.display().to_string();
    let bytes = files::read(path).map_err(|d| Box::new((name.clone(), Arc::from(""), d)))?;
    if bytes.len() >= u32::MAX as usize {
        let d = Diagnostic::error(
            "teimark::diff::input-too-large",
            format!("found {} bytes in `{name}`; expected less than 4 GiB", bytes.len()),
        )
        .with_help("split the text and compare the parts");
        return Err(Box::new((name, Arc::from(""), d)));
    }
    String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(err.as_bytes()).as_ref());
        let d = Diagnostic::error(
            "teimark::diff::invalid-utf8",
            format!("found bytes that are not UTF-8 at byte {at} of `{name}`; expected UTF-8 text"),
        )
        .with_span(at..at + '\u{FFFD}'.len_utf8(), "not UTF-8")
        .with_help(
            "convert the file to UTF-8, e.g. `iconv -f ISO-8859-1 -t UTF-8 in.txt > out.txt`",
        );
        Box::new((name, lossy, d))
    })
}
