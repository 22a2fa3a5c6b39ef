//! `teimark build`: every source of a project to its edition files.
//!
//! A project folder holds `seeds/<id>/` (a source text, `edition.toml`,
//! optionally `register.toml`); each becomes `editions/<id>/<id>.tei.xml`
//! and `<id>.json`, written atomically. A broken source is reported and
//! skipped; the others are still built (exit code 1 at the end).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use teimark::diag::Diagnostic;
use teimark::source::Encoding;

use super::Exit;
use super::edition::Loaded;
use super::files;
use super::report::{Reporter, Tally};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    teimark build                  build ./seeds/* into ./editions/\n  \
    teimark build ~/my-edition     build ~/my-edition/seeds/* into ~/my-edition/editions/\n  \
    teimark build --out /tmp/ed    write the editions elsewhere\n\n\
    Each seeds/<id>/ holds edition.toml (its last [[revisions]] entry names the source\n\
    file; source.txt when there is no edition.toml) and optionally register.toml.")]
pub struct BuildArgs {
    /// The project folder that holds seeds/
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where the editions go [default: DIR/editions]
    #[arg(long, short)]
    pub out: Option<PathBuf>,
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
            reporter.emit(&seeds.display().to_string(), &Arc::from(""), &[d]);
            return Exit::Failure;
        }
        Err(d) => {
            reporter.emit(&seeds.display().to_string(), &Arc::from(""), &[d]);
            return Exit::Failure;
        }
    };
    let out = args.out.clone().unwrap_or_else(|| args.dir.join("editions"));
    let mut tally = Tally::default();
    let (mut built, mut failed) = (0usize, 0usize);
    for dir in &dirs {
        match build_one(&reporter, dir, &out) {
            Ok(t) => {
                built += 1;
                tally += t;
            }
            Err(t) => {
                failed += 1;
                tally += t;
            }
        }
    }
    eprintln!(
        "built {built} edition{} into {} ({} warning{}, {failed} failed)",
        if built == 1 { "" } else { "s" },
        out.display(),
        tally.warnings,
        if tally.warnings == 1 { "" } else { "s" },
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

/// Builds one seed folder; Err when it could not be built.
fn build_one(reporter: &Reporter, dir: &Path, out: &Path) -> Result<Tally, Tally> {
    let config = Some(dir.join("edition.toml")).filter(|p| p.is_file());
    let register = Some(dir.join("register.toml")).filter(|p| p.is_file());
    let source_name = config
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| teimark::edition::parse(&text).0)
        .and_then(|e| e.source_file().map(str::to_string))
        .unwrap_or_else(|| "source.txt".to_string());
    let mut loaded =
        match Loaded::read(&dir.join(&source_name), config.as_deref(), register.as_deref()) {
            Ok(l) => l,
            Err((path, d)) => return Err(reporter.emit(&path, &Arc::from(""), &[*d])),
        };
    let (made, report) = loaded.make(Encoding::Utf8);
    let tally = loaded.emit(reporter, &made, &report);
    if report.has_errors() {
        eprintln!("error: {} not built: {} error(s)", dir.display(), tally.errors);
        return Err(tally);
    }
    let id = &made.document.edition.id;
    let target = out.join(id);
    for (name, content) in
        [(format!("{id}.tei.xml"), made.tei()), (format!("{id}.json"), made.json())]
    {
        let path = target.join(name);
        if let Err(d) = files::write_atomic(&path, content.as_bytes()) {
            let mut t = tally;
            t += reporter.emit(&path.display().to_string(), &Arc::from(""), &[d]);
            return Err(t);
        }
    }
    Ok(tally)
}
