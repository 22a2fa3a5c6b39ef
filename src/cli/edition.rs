//! `teimark edition`: one source to one edition on stdout or in a file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use teimark::source::Encoding;
use teimark::{Inputs, Made, Report};

use super::Exit;
use super::files;
use super::report::{Reporter, Tally};

/// Output formats of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// TEI P5 XML
    Tei,
    /// The lossless JSON twin (text + typed spans)
    Json,
    /// The HTML reading edition: one self-contained page
    Html,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    teimark edition essay.txt > essay.tei.xml\n  \
    teimark edition essay.txt --format json -o essay.json\n  \
    teimark edition essay.txt --format html -o essay.html\n  \
    teimark edition scan.txt --encoding windows-1252 --config meta/edition.toml\n\n\
    Without --config, edition.toml beside the source is used if it exists; otherwise the\n\
    header is made from what the text shows (title, subtitle) and a warning says so.")]
pub struct EditionArgs {
    /// The plain-text source (UTF-8 unless --encoding says otherwise)
    pub source: PathBuf,
    /// Edition metadata [default: edition.toml beside the source, if any]
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// The edition's authority register [default: register.toml beside the source, if any]
    #[arg(long, short)]
    pub register: Option<PathBuf>,
    /// What to write
    #[arg(long, short, value_enum, default_value_t = Format::Tei)]
    pub format: Format,
    /// Write to this file (atomically: temp file + rename) instead of stdout
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// How the source bytes are encoded
    #[arg(long, value_enum, default_value_t)]
    pub encoding: Encoding,
}

pub fn run(args: EditionArgs) -> Exit {
    let reporter = Reporter::stderr();
    let beside = |name: &str| args.source.parent().map(|p| p.join(name)).filter(|p| p.is_file());
    let config = args.config.clone().or_else(|| beside("edition.toml"));
    let register = args.register.clone().or_else(|| beside("register.toml"));
    let mut loaded = match Loaded::read(&args.source, config.as_deref(), register.as_deref()) {
        Ok(loaded) => loaded,
        Err((path, d)) => {
            reporter.emit_unplaced(&path, *d);
            return Exit::Failure;
        }
    };
    // Taken before `make`, which moves the source bytes into the document.
    let inputs =
        (args.format == Format::Html).then(|| super::build::fingerprint(&loaded, args.encoding));
    let (made, report) = loaded.make(args.encoding);
    let tally = loaded.emit(&reporter, &made, &report);
    if report.has_errors() {
        eprintln!("error: no edition written: {} error(s) in the input", tally.errors);
        return Exit::Failure;
    }
    let bytes = match args.format {
        Format::Tei => made.tei(),
        Format::Json => made.json(),
        Format::Html => teimark::export::html::to_string(
            &made.document,
            &made.tree,
            &teimark::export::html::Options { inputs: inputs.as_deref(), sibling_files: false },
        ),
    };
    match files::write_output(args.output.as_deref(), bytes.as_bytes()) {
        Ok(()) => Exit::Success,
        Err(d) => {
            let name =
                args.output.as_ref().map_or("stdout".to_string(), |p| p.display().to_string());
            reporter.emit_unplaced(&name, d);
            Exit::Failure
        }
    }
}

/// The files of one edition, read.
pub struct Loaded {
    pub source_path: PathBuf,
    pub source: Vec<u8>,
    pub config: Option<(PathBuf, String)>,
    pub register: Option<(PathBuf, String)>,
    /// The revision before the source, when edition.toml lists one.
    pub previous: Option<(PathBuf, String)>,
}

impl Loaded {
    /// Reads the source and the optional configuration files.
    pub fn read(
        source: &Path,
        config: Option<&Path>,
        register: Option<&Path>,
    ) -> Result<Loaded, (String, Box<teimark::diag::Diagnostic>)> {
        let named = |p: &Path| p.display().to_string();
        let bytes = files::read(source).map_err(|d| (named(source), Box::new(d)))?;
        let config = match config {
            Some(p) => {
                Some((p.to_path_buf(), files::read_text(p).map_err(|d| (named(p), Box::new(d)))?))
            }
            None => None,
        };
        let register = match register {
            Some(p) => {
                Some((p.to_path_buf(), files::read_text(p).map_err(|d| (named(p), Box::new(d)))?))
            }
            None => None,
        };
        let previous =
            match config.as_ref().and_then(|(p, text)| previous_revision(p, text, source)) {
                Some(p) => {
                    Some((p.clone(), files::read_text(&p).map_err(|d| (named(&p), Box::new(d)))?))
                }
                None => None,
            };
        Ok(Loaded { source_path: source.to_path_buf(), source: bytes, config, register, previous })
    }

    /// Runs the pipeline (the source bytes move into the document's text).
    pub fn make(&mut self, encoding: Encoding) -> (Made, Report) {
        let stem = self.source_path.file_stem().and_then(|s| s.to_str()).unwrap_or("edition");
        let fallback_id = fallback_id(stem);
        let inputs = Inputs {
            edition: self.config.as_ref().map(|(_, t)| t.as_str()),
            register: self.register.as_ref().map(|(_, t)| t.as_str()),
            fallback_id: &fallback_id,
            previous: self.previous.as_ref().map(|(_, t)| t.as_str()),
        };
        let bytes = std::mem::take(&mut self.source);
        teimark::make_edition_from(teimark::source::decode_owned(bytes, encoding), &inputs)
    }

    /// Prints the report, each diagnostic with the file it points into.
    pub fn emit(&self, reporter: &Reporter, made: &Made, report: &Report) -> Tally {
        let mut tally = Tally::default();
        let text: Arc<str> = Arc::from(made.document.text.as_str());
        tally += reporter.emit(&self.source_path.display().to_string(), &text, &report.source);
        if let Some((path, text)) = &self.config {
            tally += reporter.emit(
                &path.display().to_string(),
                &Arc::from(text.as_str()),
                &report.edition,
            );
        }
        if let Some((path, text)) = &self.register {
            tally += reporter.emit(
                &path.display().to_string(),
                &Arc::from(text.as_str()),
                &report.register,
            );
        }
        if self.config.is_none() && !report.has_errors() {
            eprintln!(
                "warning: no edition.toml for {}: the header holds only what the text shows",
                self.source_path.display()
            );
            tally.warnings += 1;
        }
        tally
    }
}

/// The file of the revision before `source`, when edition.toml lists
/// `source` as its newest revision and an older one before it.
fn previous_revision(config: &Path, text: &str, source: &Path) -> Option<PathBuf> {
    let edition = teimark::edition::parse(text).0?;
    let dir = config.parent().unwrap_or(Path::new("."));
    let [.., before, last] = edition.revisions.as_slice() else { return None };
    let same = |a: &Path, b: &Path| {
        a == b || a.canonicalize().ok().is_some_and(|a| b.canonicalize().ok() == Some(a))
    };
    same(&dir.join(&last.file), source).then(|| dir.join(&before.file))
}

/// An edition id made from a file name: letters, digits, '-', '_', '.'.
pub(super) fn fallback_id(stem: &str) -> String {
    let id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' })
        .collect();
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) { id } else { format!("e-{id}") }
}
