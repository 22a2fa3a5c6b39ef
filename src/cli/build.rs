//! `teimark build`: every source of a project to its edition files.
//!
//! A project folder holds `seeds/<id>/` (a source text, `edition.toml`,
//! optionally `register.toml`); each becomes `editions/<id>/<id>.tei.xml`,
//! `<id>.json` and `index.html`, written atomically. Sources are built in
//! parallel (rayon; `--jobs` sets the threads), with a progress bar when
//! stderr is a terminal. A broken source is reported and the others are
//! still built (exit code 1 at the end). A source whose inputs did not
//! change since the last build is skipped: `index.html`, written last,
//! records a content hash of the inputs (see [`fingerprint`]).

use std::io::{IsTerminal, Read};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use teimark::diag::Diagnostic;
use teimark::export::html;
use teimark::source::Encoding;

use super::Exit;
use super::edition::{Loaded, fallback_id};
use super::files;
use super::report::{Reporter, Tally};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    teimark build                  build ./seeds/* into ./editions/\n  \
    teimark build ~/my-edition     build ~/my-edition/seeds/* into ~/my-edition/editions/\n  \
    teimark build --out /tmp/ed    write the editions elsewhere\n  \
    teimark build --jobs 1         one source at a time\n  \
    teimark build --force          rebuild sources whose inputs did not change\n\n\
    Each seeds/<id>/ holds edition.toml (its last [[revisions]] entry names the source\n\
    file; source.txt when there is no edition.toml) and optionally register.toml.\n\
    A source is skipped when its index.html records the same inputs (source bytes,\n\
    edition.toml, register.toml, default register, teimark version) and the TEI and\n\
    JSON files are there.")]
pub struct BuildArgs {
    /// The project folder that holds seeds/
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where the editions go [default: DIR/editions]
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// How many sources to build at once [default: the number of cores, or RAYON_NUM_THREADS]
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Build every source, even those whose inputs did not change
    #[arg(long)]
    pub force: bool,
}

/// What became of one source.
enum Outcome {
    Built(Tally),
    Skipped,
    Failed(Tally),
}

/// What every job shares.
struct Context<'a> {
    reporter: Reporter,
    out: &'a Path,
    force: bool,
    bar: ProgressBar,
    /// Held while one source prints, so its messages stay together.
    print: Mutex<()>,
}

impl Context<'_> {
    /// Prints through the progress bar, one source at a time.
    fn print<T>(&self, f: impl FnOnce() -> T) -> T {
        let _turn = self.print.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.bar.suspend(f)
    }
}

pub fn run(args: BuildArgs) -> Exit {
    let reporter = Reporter::stderr();
    let seeds = args.dir.join("seeds");
    let dirs = match seed_dirs(&seeds) {
        Ok(dirs) if !dirs.is_empty() => dirs,
        Ok(_) => {
            let d = Diagnostic::error(
                "teimark::build::no-seeds",
                format!("{} holds no source folders", seeds.display()),
            )
            .with_help("make a folder seeds/<id>/ with the source text and an edition.toml");
            reporter.emit_unplaced(&seeds.display().to_string(), d);
            return Exit::Failure;
        }
        Err(d) => {
            reporter.emit_unplaced(&seeds.display().to_string(), d);
            return Exit::Failure;
        }
    };
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build() {
        Ok(pool) => pool,
        Err(err) => {
            let d = Diagnostic::error(
                "teimark::build::threads",
                format!("cannot start the worker threads: {err}"),
            )
            .with_help("try fewer --jobs");
            reporter.emit_unplaced("teimark build", d);
            return Exit::Failure;
        }
    };
    let out = args.out.clone().unwrap_or_else(|| args.dir.join("editions"));
    let bar = if std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template(
            "{spinner} {bar:32} {pos}/{len} sources  eta {eta}  {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(dirs.len() as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let ctx = Context { reporter, out: &out, force: args.force, bar, print: Mutex::new(()) };
    let plans = plans(&dirs);
    let outcomes: Vec<Outcome> = pool.install(|| {
        plans
            .par_iter()
            .map(|plan| {
                let outcome = guarded(&ctx, plan);
                ctx.bar.inc(1);
                outcome
            })
            .collect()
    });
    ctx.bar.finish_and_clear();

    let mut tally = Tally::default();
    let (mut built, mut skipped, mut failed) = (0usize, 0usize, 0usize);
    for outcome in outcomes {
        match outcome {
            Outcome::Built(t) => {
                built += 1;
                tally += t;
            }
            Outcome::Skipped => skipped += 1,
            Outcome::Failed(t) => {
                failed += 1;
                tally += t;
            }
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    // The inputs hash names the teimark version, not the build: a changed
    // teimark of the same version skips what it would write differently.
    let why = if skipped > 0 { " (inputs unchanged; --force rebuilds them)" } else { "" };
    eprintln!(
        "{built} built, {skipped} skipped{why}, {failed} failed; {}, {} -> {}",
        plural(tally.warnings, "warning"),
        plural(tally.errors, "error"),
        out.display(),
    );
    if failed > 0 { Exit::Problems } else { Exit::Success }
}

/// The subfolders of `seeds/`, sorted by name.
fn seed_dirs(seeds: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(seeds).map_err(|err| {
        Diagnostic::error(
            "teimark::build::no-seeds",
            format!("cannot read {}: {err}", seeds.display()),
        )
        .with_help("run teimark build in a project folder that holds seeds/, or pass the folder")
    })?;
    let mut dirs: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    Ok(dirs)
}

/// One source folder, read far enough to know where its edition goes.
struct Plan {
    dir: PathBuf,
    config: Option<PathBuf>,
    register: Option<PathBuf>,
    source: PathBuf,
    /// The edition id: edition.toml's, or made from the source's file name.
    id: String,
    /// An earlier folder (in name order) whose edition has the same id.
    duplicate_of: Option<PathBuf>,
}

/// Plans every folder before any is built, so that two folders claiming
/// one output folder are found the same way whatever the thread count.
fn plans(dirs: &[PathBuf]) -> Vec<Plan> {
    let mut plans: Vec<Plan> = dirs.iter().map(|dir| plan(dir)).collect();
    let mut first: std::collections::HashMap<String, PathBuf> = Default::default();
    for plan in &mut plans {
        match first.get(&plan.id) {
            Some(other) => plan.duplicate_of = Some(other.clone()),
            None => {
                first.insert(plan.id.clone(), plan.dir.clone());
            }
        }
    }
    plans
}

fn plan(dir: &Path) -> Plan {
    let config = Some(dir.join("edition.toml")).filter(|p| p.is_file());
    let register = Some(dir.join("register.toml")).filter(|p| p.is_file());
    let edition = config
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| teimark::edition::parse(&text).0);
    let source_name = edition
        .as_ref()
        .and_then(|e| e.source_file().map(str::to_string))
        .unwrap_or_else(|| "source.txt".to_string());
    let source = dir.join(&source_name);
    let id = match &edition {
        Some(e) => e.id.clone(),
        None => fallback_id(source.file_stem().and_then(|s| s.to_str()).unwrap_or("edition")),
    };
    Plan { dir: dir.to_path_buf(), config, register, source, id, duplicate_of: None }
}

/// Builds one source; a panic (a bug in teimark) fails this source only,
/// so one bad text does not stop a corpus build.
fn guarded(ctx: &Context, plan: &Plan) -> Outcome {
    let dir = &plan.dir;
    match std::panic::catch_unwind(AssertUnwindSafe(|| build_one(ctx, plan))) {
        Ok(outcome) => outcome,
        Err(_) => {
            let d = Diagnostic::error(
                "teimark::build::internal-error",
                format!("teimark failed on {}", dir.display()),
            )
            .with_help("this is a bug in teimark: please report it with the source that caused it");
            Outcome::Failed(ctx.print(|| ctx.reporter.emit_unplaced(&dir.display().to_string(), d)))
        }
    }
}

/// Builds one seed folder, or skips it when its outputs are up to date.
fn build_one(ctx: &Context, plan: &Plan) -> Outcome {
    let dir = &plan.dir;
    if let Some(other) = &plan.duplicate_of {
        let d = Diagnostic::error(
            "teimark::build::duplicate-id",
            format!(
                "edition id {:?} of {} is also the id of {}; expected one source folder per id",
                plan.id,
                dir.display(),
                other.display()
            ),
        )
        .with_help("give each edition.toml its own id: the id names the output folder");
        return Outcome::Failed(
            ctx.print(|| ctx.reporter.emit_unplaced(&dir.display().to_string(), d)),
        );
    }
    let mut loaded =
        match Loaded::read(&plan.source, plan.config.as_deref(), plan.register.as_deref()) {
            Ok(l) => l,
            Err((path, d)) => {
                return Outcome::Failed(ctx.print(|| ctx.reporter.emit_unplaced(&path, *d)));
            }
        };
    let inputs = fingerprint(&loaded, Encoding::Utf8);
    let revised = loaded.previous.is_some();
    if !ctx.force && up_to_date(&ctx.out.join(&plan.id), &plan.id, &inputs, revised) {
        return Outcome::Skipped;
    }

    let (made, report) = loaded.make(Encoding::Utf8);
    let tally = ctx.print(|| {
        let tally = loaded.emit(&ctx.reporter, &made, &report);
        if report.has_errors() {
            eprintln!("error: {} not built: {} error(s)", dir.display(), tally.errors);
        }
        tally
    });
    if report.has_errors() {
        return Outcome::Failed(tally);
    }
    let id = &made.document.edition.id;
    let target = ctx.out.join(id);
    let page = html::to_string(
        &made.document,
        &made.tree,
        &html::Options { inputs: Some(&inputs), sibling_files: true },
    );
    let mut files =
        vec![(format!("{id}.tei.xml"), made.tei()), (format!("{id}.json"), made.json())];
    if let Some((previous_path, previous)) = &loaded.previous {
        // The revisions side by side: what the proof-reading changed.
        let name =
            |p: &Path| p.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let (a_name, b_name) = (name(previous_path), name(&loaded.source_path));
        let a = teimark::diff::Revision { name: &a_name, text: previous };
        let b = teimark::diff::Revision { name: &b_name, text: &made.document.text };
        let opts = teimark::diff::Options::default();
        // The corrections were read from the same alignment (made with the
        // default options): the report does not align the texts again.
        let diff = match made.revision.clone() {
            Some(raw) => teimark::diff::diff_aligned(a, b, raw, &opts),
            None => teimark::diff::diff(a, b, &opts),
        };
        files.push((format!("{id}.diff.html"), teimark::diff::report::html(&diff).0));
        files.push((format!("{id}.diff.json"), teimark::diff::wire::to_json(&diff)));
    }
    // index.html goes last: its hash says the other files are complete.
    files.push(("index.html".to_string(), page));
    for (name, content) in files {
        let path = target.join(name);
        if let Err(d) = files::write_atomic(&path, content.as_bytes()) {
            let mut t = tally;
            t += ctx.print(|| ctx.reporter.emit_unplaced(&path.display().to_string(), d));
            return Outcome::Failed(t);
        }
    }
    Outcome::Built(tally)
}

/// A content hash of everything an edition is made from: the source bytes
/// and how they are decoded, the revision before it (its corrections are
/// marked), `edition.toml`, `register.toml`, the default register and the
/// teimark version. Written as `sha256:<hex>`.
pub(super) fn fingerprint(loaded: &Loaded, encoding: Encoding) -> String {
    let mut hash = Sha256::new();
    let mut part = |name: &str, bytes: Option<&[u8]>| {
        // Each part is named and length-prefixed, so no two different
        // sets of inputs give the same stream.
        hash.update(name.as_bytes());
        match bytes {
            Some(b) => {
                hash.update((b.len() as u64).to_le_bytes());
                hash.update(b);
            }
            None => hash.update(u64::MAX.to_le_bytes()),
        }
    };
    part("teimark", Some(env!("CARGO_PKG_VERSION").as_bytes()));
    part("encoding", Some(format!("{encoding:?}").as_bytes()));
    part("source", Some(&loaded.source));
    part("edition.toml", loaded.config.as_ref().map(|(_, t)| t.as_bytes()));
    part("register.toml", loaded.register.as_ref().map(|(_, t)| t.as_bytes()));
    part("previous revision", loaded.previous.as_ref().map(|(_, t)| t.as_bytes()));
    part("default register", Some(teimark::entities::register::DEFAULT_REGISTER.as_bytes()));
    let digest = hash.finalize();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest.iter() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Whether the edition in `target` was built from these inputs: its
/// index.html records them and the TEI and JSON files are there.
fn up_to_date(target: &Path, id: &str, inputs: &str, revised: bool) -> bool {
    let mut expected = vec![format!("{id}.tei.xml"), format!("{id}.json")];
    if revised {
        expected.extend([format!("{id}.diff.html"), format!("{id}.diff.json")]);
    }
    let complete = expected.iter().all(|name| target.join(name).is_file());
    if !complete {
        return false;
    }
    // The hash sits at the top of the page's head: the first few
    // kilobytes are enough.
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(target.join("index.html"))
        .and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    html::recorded_inputs(&String::from_utf8_lossy(&head)) == Some(inputs)
}
