//! `teimark validate`: XML files against a RELAX NG schema and the edition rules, many
//! files in parallel with one compiled schema, reported for people or for CI.
//!
//! The steps: collect the files (folders searched for `*.xml`); choose each file's
//! schema and rules (`--schema`, the edition's `edition.toml`, the document's
//! `<?xml-model?>`, `tei_all.rng` on the schema search path); compile each schema once;
//! check the files on rayon's threads (the engine's stream, then the rules' stream, each
//! finding with an excerpt cut while the bytes are at hand); report each file as soon as
//! the files before it are reported, so the output order is the files' order.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, IsTerminal, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use teimark::diag::Diagnostic;
use teimark::edition::Edition;
use teimark::validate::relaxng::{self, Options, Schema, SchemaError};
use teimark::validate::report::excerpt::{Excerpt, Shown};
use teimark::validate::report::{self, FileReport, Placed, RunProblem, Summary};
use teimark::validate::rules::{self, RuleSet};
use teimark::validate::{Finding, findings, rules_apply};

use super::Exit;
use super::files;
use super::report::Reporter;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Messages with the source lines, on stderr (colour on a terminal)
    Human,
    /// One JSON document on stdout (schema/validate.schema.json)
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning UIs
    Sarif,
    /// GitHub Actions annotations on stdout (::error file=…,line=…::…)
    Github,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    teimark validate editions/                      every *.xml below editions/\n  \
    teimark validate -s eltec-1.rng corpus/         against a project schema\n  \
    teimark validate -f sarif . > teimark.sarif     for GitHub code scanning\n  \
    teimark validate -f github editions/            annotations in a GitHub Actions log\n  \
    teimark validate --disable unused-entry ed.xml  without one edition rule\n  \
    teimark validate --explain date-order           what a rule checks\n\n\
    Which schema (the first that applies):\n  \
    1. --schema FILE.rng;\n  \
    2. the edition's: `schema` in the edition.toml given by --config, or in the one that\n     \
       belongs to an edition file (editions/<id>/<id>.tei.xml -> seeds/<id>/edition.toml),\n     \
       relative to that edition.toml;\n  \
    3. the document's <?xml-model href=\"…\"?> when it names a local file (relative to the\n     \
       document; remote schemas are never fetched);\n  \
    4. tei_all.rng on the schema search path: the folders in $TEIMARK_SCHEMA_PATH\n     \
       (colon-separated), then $XDG_DATA_HOME/teimark/schemas (default\n     \
       ~/.local/share/teimark/schemas), then the nearest shared/reference/tei/ beside a\n     \
       folder above the current one.\n\n\
    The edition rules (teimark::rules::…) run unless --no-rules; --disable and an edition's\n\
    disabled_rules switch single rules off. schema/diagnostics.md lists every code.\n\n\
    Exit codes: 0 all files valid (warnings allowed), 1 a file has errors, 2 could not\n\
    run (unreadable or non-UTF-8 file, schema that does not load, no schema, unknown rule).")]
pub struct ValidateArgs {
    /// XML files, or folders searched for *.xml
    #[arg(required_unless_present = "explain")]
    pub paths: Vec<PathBuf>,
    /// The RELAX NG schema (XML syntax) for every file [default: see below]
    #[arg(long, short)]
    pub schema: Option<PathBuf>,
    /// How to report
    #[arg(long, short, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Read external DTDs and entities (only from inside the document's folder)
    #[arg(long)]
    pub dtd: bool,
    /// An edition.toml whose `schema` and `disabled_rules` apply to every file
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Switch an edition rule off, by code or name (repeatable)
    #[arg(long, value_name = "CODE")]
    pub disable: Vec<String>,
    /// Run no edition rules: RELAX NG validation only
    #[arg(long)]
    pub no_rules: bool,
    /// Print the documentation of a diagnostic code, and nothing else
    #[arg(long, value_name = "CODE", conflicts_with_all = ["paths", "schema"])]
    pub explain: Option<String>,
}

/// Documents at most this big are read into memory once for both passes and the
/// excerpts; bigger ones are streamed twice and excerpts read back from the file.
const IN_MEMORY: u64 = 64 << 20;

pub fn run(args: ValidateArgs) -> Exit {
    let started = Instant::now();
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let mut out = Output::new(args.format);
    let mut problems = Vec::new();

    let mut base_rules = if args.no_rules { RuleSet::none() } else { RuleSet::all() };
    for code in &args.disable {
        if let Err(d) = base_rules.disable(code) {
            problems.push(RunProblem { path: None, placed: Placed::unplaced(d) });
        }
    }
    let config = match &args.config {
        Some(path) => match EditionFile::load(path) {
            Ok(e) => Some(e),
            Err(mut p) => {
                problems.append(&mut p);
                None
            }
        },
        None => None,
    };

    let mut reports: Vec<FileReport> = Vec::new();
    let mut documents = Vec::new();
    for path in &args.paths {
        if let Err(d) = collect(path, &mut documents) {
            let report = unchecked(path, d);
            out.file(&report);
            reports.push(report);
        }
    }
    if documents.is_empty() && reports.is_empty() && problems.is_empty() {
        let shown: Vec<String> = args.paths.iter().map(|p| shown(p)).collect();
        let d = Diagnostic::error(
            "teimark::validate::no-files",
            format!("no XML files in {}; expected files named *.xml", shown.join(", ")),
        )
        .with_help("name the files, or folders that hold *.xml files (hidden folders are skipped)");
        problems.push(RunProblem { path: None, placed: Placed::unplaced(d) });
    }

    let plans = plan(&args, config.as_ref(), &base_rules, &documents, &mut problems);
    if !problems.is_empty() {
        return finish(&out, started, reports, &problems);
    }
    out.schemas(&plans);
    let opts = Options { dtd: args.dtd, ..Options::default() };
    out.start_progress(plans.len());
    // Unreadable command-line paths first, then the documents in order.
    reports.extend(check_all(&out, &plans, &opts));
    finish(&out, started, reports, &problems)
}

/// `--explain CODE`: the catalogue entry on stdout.
fn explain(code: &str) -> Exit {
    let full = if code.starts_with("teimark::") {
        code.to_string()
    } else {
        format!("teimark::rules::{code}")
    };
    let Some(entry) = teimark::catalogue::find(&full) else {
        let d = Diagnostic::error(
            "teimark::rules::unknown-rule",
            format!("unknown code \"{code}\"; expected a code such as teimark::rules::date-order"),
        )
        .with_help("schema/diagnostics.md lists every code");
        let reporter = Reporter::stderr();
        eprintln!("{}", reporter.render(code, &Arc::from(""), &d));
        return Exit::Failure;
    };
    let mut text = format!("{} ({})\n\n{}\n", entry.code, entry.severity, entry.summary);
    if let Some(doc) = &entry.doc {
        text.push('\n');
        text.push_str(doc);
    }
    match files::write_output(None, text.as_bytes()) {
        Ok(()) => Exit::Success,
        Err(_) => Exit::Failure,
    }
}

/// Writes the summary and, for JSON and SARIF, the document; the exit code.
fn finish(
    out: &Output,
    started: Instant,
    reports: Vec<FileReport>,
    problems: &[RunProblem],
) -> Exit {
    for p in problems {
        out.problem(p);
    }
    let summary = Summary::of(&reports);
    let written = match out.format {
        Format::Json => {
            files::write_output(None, report::json::render(&reports, problems).as_bytes())
        }
        Format::Sarif => {
            files::write_output(None, report::sarif::render(&reports, problems).as_bytes())
        }
        Format::Human | Format::Github => Ok(()),
    };
    if !problems.is_empty() {
        eprintln!("error: nothing checked: {} problem(s) above", problems.len());
        return Exit::Failure;
    }
    eprintln!("{} in {:.2} s", summary.line(), started.elapsed().as_secs_f64());
    if let Err(d) = written {
        out.problem(&RunProblem { path: None, placed: Placed::unplaced(d) });
        return Exit::Failure;
    }
    if summary.unchecked > 0 || out.failed.get() {
        Exit::Failure
    } else if summary.invalid > 0 {
        Exit::Problems
    } else {
        Exit::Success
    }
}

/// Where reports go, as they are ready.
struct Output {
    format: Format,
    reporter: Reporter,
    progress: ProgressBar,
    /// Writing to stdout failed.
    failed: Cell<bool>,
}

impl Output {
    fn new(format: Format) -> Output {
        Output {
            format,
            reporter: Reporter::stderr(),
            progress: ProgressBar::hidden(),
            failed: Cell::new(false),
        }
    }

    /// A progress bar on stderr for `n` files, only when stderr is a terminal.
    fn start_progress(&mut self, n: usize) {
        if n < 2 || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("checking {pos}/{len} files {wide_bar} {eta}")
        {
            bar.set_style(style);
        }
        self.progress = bar;
    }

    /// In the human format, which schema each group of files is validated against.
    fn schemas(&self, plans: &[Plan]) {
        if self.format != Format::Human {
            return;
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for p in plans {
            let entry = (p.schema.shown.as_str(), p.schema.why);
            if !seen.contains(&entry) {
                seen.push(entry);
            }
        }
        for (shown, why) in seen {
            eprintln!("schema: {shown} ({why})");
        }
    }

    /// Reports one document (human and GitHub formats; the others write at the end).
    fn file(&self, report: &FileReport) {
        match self.format {
            Format::Human => {
                let mut text = String::new();
                for placed in &report.findings {
                    let shown = Shown::new(&report.path, &placed.finding, placed.excerpt.as_ref());
                    text.push_str(&self.reporter.render_report(&shown));
                    text.push('\n');
                }
                if report.truncated {
                    text.push_str(&format!(
                        "note: {}: reporting stopped after {} problems\n",
                        report.path,
                        report.findings.len()
                    ));
                }
                if !text.is_empty() {
                    self.progress.suspend(|| eprint!("{text}"));
                }
            }
            Format::Github => self.stdout(&report::github::render_file(report)),
            Format::Json | Format::Sarif => {}
        }
    }

    /// Reports a problem that kept teimark from checking.
    fn problem(&self, problem: &RunProblem) {
        match self.format {
            Format::Github => self.stdout(&report::github::render_problem(problem)),
            // JSON and SARIF carry the problem; people read it on stderr in every format.
            _ => {
                let name = problem.path.as_deref().unwrap_or("");
                let placed = &problem.placed;
                let shown = Shown::new(name, &placed.finding, placed.excerpt.as_ref());
                eprintln!("{}", self.reporter.render_report(&shown));
            }
        }
    }

    fn stdout(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        if files::write_output(None, text.as_bytes()).is_err() {
            self.failed.set(true);
        }
    }
}

/// A document and how to check it.
struct Plan {
    path: PathBuf,
    schema: Arc<Chosen>,
    rules: RuleSet,
}

/// A compiled schema and how it was chosen.
struct Chosen {
    schema: Schema,
    /// The path as shown.
    shown: String,
    /// Why this schema: "--schema", "schema in seeds/x/edition.toml", …
    why: &'static str,
}

/// Chooses and compiles each document's schema and sets its rules; what cannot be
/// resolved goes to `problems`.
fn plan(
    args: &ValidateArgs,
    config: Option<&EditionFile>,
    base_rules: &RuleSet,
    documents: &[PathBuf],
    problems: &mut Vec<RunProblem>,
) -> Vec<Plan> {
    let mut editions: HashMap<PathBuf, Option<EditionFile>> = HashMap::new();
    let mut compiled: HashMap<PathBuf, Option<Arc<Chosen>>> = HashMap::new();
    let mut search: Option<Option<PathBuf>> = None;
    let mut plans = Vec::new();
    let mut no_schema = Vec::new();
    for path in documents {
        let edition = match config {
            Some(c) => Some(c),
            None => match edition_of(path) {
                Some(toml) => editions
                    .entry(toml.clone())
                    .or_insert_with(|| match EditionFile::load(&toml) {
                        Ok(e) => Some(e),
                        Err(mut p) => {
                            problems.append(&mut p);
                            None
                        }
                    })
                    .as_ref(),
                None => None,
            },
        };
        let mut rules = base_rules.clone();
        if let Some(e) = edition {
            e.apply(&mut rules, problems);
        }
        let choice = if let Some(s) = &args.schema {
            Some((s.clone(), "--schema"))
        } else if let Some(s) = edition.and_then(EditionFile::schema) {
            Some((s, "the edition's schema in edition.toml"))
        } else {
            match xml_model(path) {
                Ok(Some(s)) => Some((s, "named by the document's xml-model")),
                Ok(None) => search
                    .get_or_insert_with(|| search_path().into_iter().find(|p| p.is_file()))
                    .clone()
                    .map(|s| (s, "tei_all.rng from the schema search path")),
                Err(d) => {
                    problems
                        .push(RunProblem { path: Some(shown(path)), placed: Placed::unplaced(d) });
                    continue;
                }
            }
        };
        let Some((schema_path, why)) = choice else {
            no_schema.push(shown(path));
            continue;
        };
        let key = std::path::absolute(&schema_path).unwrap_or_else(|_| schema_path.clone());
        let chosen = compiled
            .entry(key)
            .or_insert_with(|| match load_schema(&schema_path) {
                Ok(schema) => Some(Arc::new(Chosen { schema, shown: shown(&schema_path), why })),
                Err(p) => {
                    problems.push(*p);
                    None
                }
            })
            .clone();
        if let Some(schema) = chosen {
            plans.push(Plan { path: path.clone(), schema, rules });
        }
    }
    if !no_schema.is_empty() {
        let searched: Vec<String> = search_path()
            .iter()
            .filter_map(|p| p.parent())
            .map(|p| p.display().to_string())
            .collect();
        let first = &no_schema[0];
        let more = if no_schema.len() > 1 {
            format!(" and {} more", no_schema.len() - 1)
        } else {
            String::new()
        };
        let d = Diagnostic::error(
            "teimark::validate::no-schema",
            format!(
                "no schema for {first}{more}: no --schema, no edition schema, no local xml-model, and no tei_all.rng in {}",
                if searched.is_empty() { "any folder of the search path".to_string() } else { searched.join(", ") }
            ),
        )
        .with_help("pass --schema FILE.rng, or put tei_all.rng in a folder named by $TEIMARK_SCHEMA_PATH or in ~/.local/share/teimark/schemas");
        problems.push(RunProblem { path: None, placed: Placed::unplaced(d) });
    }
    plans
}

/// Compiles a schema; a failure is a problem placed in the schema file.
fn load_schema(path: &Path) -> Result<Schema, Box<RunProblem>> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("rnc")) {
        let d = Diagnostic::error(
            "teimark::validate::schema-compact-syntax",
            format!(
                "{} is in RELAX NG compact syntax; expected the XML syntax (.rng)",
                shown(path)
            ),
        )
        .with_help(format!("convert it once with trang: trang {} schema.rng", shown(path)));
        return Err(Box::new(RunProblem { path: Some(shown(path)), placed: Placed::unplaced(d) }));
    }
    Schema::load(path).map_err(|e| Box::new(schema_problem(&e)))
}

/// A schema error as a problem with an excerpt of the schema file at its place.
fn schema_problem(e: &SchemaError) -> RunProblem {
    let mut d = Diagnostic::error(e.code, e.message.clone());
    if let Some(help) = &e.help {
        d = d.with_help(help.clone());
    } else {
        d = d.with_help("fix the schema, or choose another with --schema");
    }
    let path = shown(&e.path);
    if e.line == 0 {
        return RunProblem { path: Some(path), placed: Placed::unplaced(d) };
    }
    let text = std::fs::read(&e.path).unwrap_or_default();
    let Some(offset) = offset_of(&text, e.line, e.column) else {
        return RunProblem { path: Some(path), placed: Placed::unplaced(d) };
    };
    // The tag (or token) that starts there, up to its `>` when that is near.
    let len = text[offset..].iter().take(200).position(|&b| b == b'>').map_or(1, |i| i + 1);
    let finding = Finding {
        diagnostic: d.with_span(offset..offset + len, "here"),
        line: e.line,
        column: e.column,
        expected: Vec::new(),
    };
    let excerpt = Excerpt::cut(&text, 0, &finding);
    RunProblem { path: Some(path), placed: Placed { finding, excerpt } }
}

/// The byte offset of a 1-based line and column (characters).
fn offset_of(text: &[u8], line: u32, column: u32) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += memchr::memchr(b'\n', &text[start..])? + 1;
    }
    let mut at = start;
    for _ in 1..column {
        at += 1;
        while at < text.len() && (text[at] & 0xC0) == 0x80 {
            at += 1;
        }
    }
    (at <= text.len()).then_some(at)
}

/// A finding placed in a small text held in memory (a configuration file).
fn place_in(text: &str, diagnostic: Diagnostic) -> Placed {
    let Some(span) = diagnostic.span.clone() else { return Placed::unplaced(diagnostic) };
    let before = &text.as_bytes()[..span.start.min(text.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = text[line_start..span.start.min(text.len())].chars().count() + 1;
    let finding = Finding {
        diagnostic,
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        expected: Vec::new(),
    };
    let excerpt = Excerpt::cut(text.as_bytes(), 0, &finding);
    Placed { finding, excerpt }
}

/// An `edition.toml`, read and checked.
struct EditionFile {
    path: PathBuf,
    text: String,
    edition: Edition,
}

impl EditionFile {
    /// Reads and checks an edition.toml; its problems (errors only) otherwise.
    fn load(path: &Path) -> Result<EditionFile, Vec<RunProblem>> {
        let name = shown(path);
        let text = files::read_text(path).map_err(|d| {
            vec![RunProblem { path: Some(name.clone()), placed: Placed::unplaced(d) }]
        })?;
        let (edition, diagnostics) = teimark::edition::parse(&text);
        let errors: Vec<RunProblem> = diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|d| RunProblem { path: Some(name.clone()), placed: place_in(&text, d) })
            .collect();
        match edition {
            Some(edition) if errors.is_empty() => {
                Ok(EditionFile { path: path.to_path_buf(), text, edition })
            }
            _ => Err(errors),
        }
    }

    /// The edition's schema, relative to the edition.toml.
    fn schema(&self) -> Option<PathBuf> {
        let schema = self.edition.schema.as_ref()?;
        Some(self.path.parent().unwrap_or(Path::new("")).join(schema))
    }

    /// Switches off the edition's disabled rules; unknown ones are problems.
    fn apply(&self, rules: &mut RuleSet, problems: &mut Vec<RunProblem>) {
        for code in &self.edition.disabled_rules {
            if let Err(d) = rules.disable(code) {
                let quoted = format!("\"{code}\"");
                let d = match self.text.find(&quoted) {
                    Some(at) => d.with_span(at..at + quoted.len(), "not an edition rule"),
                    None => d,
                };
                let problem =
                    RunProblem { path: Some(shown(&self.path)), placed: place_in(&self.text, d) };
                // An edition shared by several files is reported once.
                if !problems
                    .iter()
                    .any(|p| p.path == problem.path && p.placed.finding == problem.placed.finding)
                {
                    problems.push(problem);
                }
            }
        }
    }
}

/// The edition.toml an edition file belongs to: `editions/<id>/<id>.tei.xml` ->
/// `seeds/<id>/edition.toml` (as `teimark build` lays a project out), if it exists.
fn edition_of(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let folder = absolute.parent()?;
    let id = folder.file_name()?.to_str()?;
    if absolute.file_name()?.to_str()? != format!("{id}.tei.xml") {
        return None;
    }
    let toml = folder.parent()?.parent()?.join("seeds").join(id).join("edition.toml");
    toml.is_file().then_some(toml)
}

/// A pseudo-attribute of a processing instruction: `name="value"` or `name='value'`.
static PSEUDO_ATTRIBUTE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"([A-Za-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("a valid regex")
});

/// The local RELAX NG schema named by the document's `<?xml-model?>`, if any.
///
/// Only the prolog is read. A model whose `schematypens` is not RELAX NG (e.g.
/// Schematron) is passed over; so is a remote `href`: teimark never fetches anything.
fn xml_model(path: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    use quick_xml::events::Event;
    let Ok(file) = File::open(path) else { return Ok(None) };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file.take(1 << 20)));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::PI(pi)) if pi.target() == "xml-model" => {
                let content = pi.content().to_string();
                let mut values: HashMap<String, String> = HashMap::new();
                for c in PSEUDO_ATTRIBUTE.captures_iter(&content) {
                    let value = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
                    values.insert(c[1].to_string(), value.to_string());
                }
                let Some(href) = values.get("href") else { continue };
                let relax_ng = match values.get("schematypens") {
                    Some(ns) => ns == "http://relaxng.org/ns/structure/1.0",
                    None => href.ends_with(".rng") || href.ends_with(".rnc"),
                };
                if !relax_ng {
                    continue;
                }
                let local = match href.split_once("://") {
                    Some(("file", rest)) => rest.to_string(),
                    Some(_) => continue,
                    None => href.strip_prefix("file:").unwrap_or(href).to_string(),
                };
                let folder = path.parent().unwrap_or(Path::new(""));
                let schema = folder.join(local);
                if !schema.is_file() {
                    return Err(Diagnostic::error(
                        "teimark::validate::no-schema",
                        format!(
                            "the document's xml-model names {}, which is not a file",
                            schema.display()
                        ),
                    )
                    .with_help("correct the xml-model's href, or pass --schema FILE.rng"));
                }
                return Ok(Some(schema));
            }
            Ok(Event::Start(_) | Event::Empty(_) | Event::Eof) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
    }
}

/// Where `tei_all.rng` is looked for, in order.
fn search_path() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = Vec::new();
    if let Some(dirs) = std::env::var_os("TEIMARK_SCHEMA_PATH") {
        folders.extend(std::env::split_paths(&dirs).filter(|p| !p.as_os_str().is_empty()));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    if let Some(data) = data {
        folders.push(data.join("teimark/schemas"));
    }
    if let Ok(here) = std::env::current_dir()
        && let Some(shared) =
            here.ancestors().map(|a| a.join("shared/reference/tei")).find(|p| p.is_dir())
    {
        folders.push(shared);
    }
    folders.into_iter().map(|f| f.join("tei_all.rng")).collect()
}

/// Adds a file, or the `*.xml` files below a folder in name order (hidden entries and
/// symbolic links to folders are skipped).
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|err| {
        Diagnostic::error(
            "teimark::io::read",
            format!("cannot read {}: {}", shown(path), teimark::diag::io_reason(&err)),
        )
        .with_help("check the path; teimark validate takes XML files and folders")
    })?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut stack = vec![path.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let p = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(_)
                    if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                        && p.is_file() =>
                {
                    found.push(p);
                }
                _ => {}
            }
        }
    }
    found.sort();
    out.extend(found);
    Ok(())
}

/// A document that could not be read.
fn unchecked(path: &Path, d: Diagnostic) -> FileReport {
    FileReport {
        path: shown(path),
        schema: None,
        checked: false,
        truncated: false,
        findings: vec![Placed::unplaced(d)],
    }
}

/// Checks the documents on rayon's threads; reports each as soon as those before it are.
fn check_all(out: &Output, plans: &[Plan], opts: &Options) -> Vec<FileReport> {
    let (tx, rx) = std::sync::mpsc::channel::<(usize, FileReport)>();
    let mut reports = Vec::with_capacity(plans.len());
    std::thread::scope(|scope| {
        scope.spawn(move || {
            plans.par_iter().enumerate().for_each_with(tx, |tx, (i, plan)| {
                let _ = tx.send((i, check_file(plan, opts, IN_MEMORY)));
            });
        });
        let mut waiting: BTreeMap<usize, FileReport> = BTreeMap::new();
        for (i, report) in rx {
            out.progress.inc(1);
            waiting.insert(i, report);
            while let Some(report) = waiting.remove(&reports.len()) {
                out.file(&report);
                reports.push(report);
            }
        }
    });
    out.progress.finish_and_clear();
    reports
}

/// Checks one document: the engine's pass, then the rules' pass, then the excerpts. A
/// document of at most `in_memory` bytes is read once; a bigger one is streamed.
fn check_file(plan: &Plan, opts: &Options, in_memory: u64) -> FileReport {
    let path = &plan.path;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let read_error = |err: std::io::Error| {
        unchecked(
            path,
            Diagnostic::error(
                "teimark::io::read",
                format!("cannot read {}: {}", shown(path), teimark::diag::io_reason(&err)),
            )
            .with_help("check that the file exists and is readable"),
        )
    };
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(err) => return read_error(err),
    };
    let (outcome, found, excerpts) = if size <= in_memory {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(err) => return read_error(err),
        };
        let outcome = relaxng::validate(&plan.schema.schema, &bytes[..], Some(folder), opts);
        let from_rules =
            if rules_apply(&outcome) { rules::check(&bytes[..], &plan.rules) } else { Vec::new() };
        let found = findings(&outcome, from_rules);
        let excerpts: Vec<Option<Excerpt>> =
            found.iter().map(|f| Excerpt::cut(&bytes, 0, f)).collect();
        (outcome, found, excerpts)
    } else {
        let open = || File::open(path).map(|f| BufReader::with_capacity(1 << 16, f));
        let outcome = match open() {
            Ok(input) => relaxng::validate(&plan.schema.schema, input, Some(folder), opts),
            Err(err) => return read_error(err),
        };
        let from_rules = match open() {
            Ok(input) if rules_apply(&outcome) => rules::check(input, &plan.rules),
            _ => Vec::new(),
        };
        let found = findings(&outcome, from_rules);
        let excerpts = match File::open(path) {
            Ok(mut file) => found.iter().map(|f| excerpt_from_file(&mut file, f)).collect(),
            Err(_) => vec![None; found.len()],
        };
        (outcome, found, excerpts)
    };
    FileReport {
        path: shown(path),
        schema: Some(plan.schema.shown.clone()),
        // A file the engine could not read (not UTF-8, an I/O error) was not checked: the
        // run could not do its job there, which is exit code 2, not a verdict.
        checked: rules_apply(&outcome),
        truncated: outcome.truncated,
        findings: found
            .into_iter()
            .zip(excerpts)
            .map(|(finding, excerpt)| Placed { finding, excerpt })
            .collect(),
    }
}

/// Reads the bytes an excerpt needs back from a (large) file.
fn excerpt_from_file(file: &mut File, finding: &Finding) -> Option<Excerpt> {
    let span = finding.diagnostic.span.as_ref()?;
    let needs = Excerpt::needs(&(span.start as u64..span.end as u64));
    file.seek(SeekFrom::Start(needs.start)).ok()?;
    let mut chunk = Vec::new();
    file.take(needs.end - needs.start).read_to_end(&mut chunk).ok()?;
    Excerpt::cut(&chunk, needs.start, finding)
}

/// A path as shown: relative to the current folder when it is below it.
fn shown(path: &Path) -> String {
    if path.is_absolute()
        && let Ok(here) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&here)
    {
        return rel.display().to_string();
    }
    path.display().to_string()
}

#[cfg(test)]
mod tests;
