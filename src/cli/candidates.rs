//! `teimark candidates`: names in a source that no register entry covers,
//! printed as TOML the editor can paste into the register.

use std::path::PathBuf;
use std::sync::Arc;

use teimark::document::Kind;
use teimark::entities::candidates;
use teimark::entities::names::Matcher;
use teimark::entities::register::Register;
use teimark::source::Encoding;

use super::Exit;
use super::files;
use super::report::Reporter;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    teimark candidates essay.txt                      against the default register\n  \
    teimark candidates essay.txt -r register.toml     against the edition's register too\n  \
    teimark candidates essay.txt >> register.toml     then edit what you keep\n\n\
    Each candidate comes with a guessed type (from words such as Marshal, Premier, in, at,\n\
    Party, Street), how often it occurs, and where; the most likely come first.")]
pub struct CandidatesArgs {
    /// The plain-text source
    pub source: PathBuf,
    /// The edition's register [default: register.toml beside the source, if any]
    #[arg(long, short)]
    pub register: Option<PathBuf>,
    /// Only candidates seen at least this often
    #[arg(long, default_value_t = 1)]
    pub min_count: usize,
    /// How the source bytes are encoded
    #[arg(long, value_enum, default_value_t)]
    pub encoding: Encoding,
}

pub fn run(args: CandidatesArgs) -> Exit {
    let reporter = Reporter::stderr();
    let name = args.source.display().to_string();
    let bytes = match files::read(&args.source) {
        Ok(b) => b,
        Err(d) => {
            reporter.emit_unplaced(&name, d);
            return Exit::Failure;
        }
    };
    let (source, diagnostics) = teimark::source::decode(&bytes, args.encoding);
    let text: Arc<str> = Arc::from(source.text.as_str());
    if reporter.emit(&name, &text, &diagnostics).errors > 0 {
        return Exit::Failure;
    }
    let register_path = args
        .register
        .clone()
        .or_else(|| args.source.parent().map(|p| p.join("register.toml")).filter(|p| p.is_file()));
    let mut register = Register::default_register();
    if let Some(path) = register_path {
        let path_name = path.display().to_string();
        let toml = match files::read_text(&path) {
            Ok(t) => t,
            Err(d) => {
                reporter.emit_unplaced(&path_name, d);
                return Exit::Failure;
            }
        };
        let (own, diagnostics) = Register::parse(&toml);
        if reporter.emit(&path_name, &Arc::from(toml.as_str()), &diagnostics).errors > 0 {
            return Exit::Failure;
        }
        if let Some(own) = own {
            register = own.over(register);
        }
    }
    let (structure, _) = teimark::structure::parse(&source.text);
    let matcher = Matcher::new(&register);
    let mut found = candidates::find(&source.text, &structure.blocks, &matcher);
    // Titles the citation rules found and no register entry covers are works.
    let blocks = structure.blocks.clone();
    let (annotations, _) = teimark::entities::recognize_with(&source.text, structure, &matcher);
    let titles: Vec<_> = annotations
        .iter()
        .filter(|a| matches!(a.kind, Kind::Title { reference: None, .. }))
        .map(|a| a.range())
        .collect();
    candidates::add_cited_titles(&mut found, &source.text, &blocks, &titles);
    let kept: Vec<_> = found.into_iter().filter(|c| c.count >= args.min_count).collect();
    let out = candidates::to_toml(&kept, &name);
    match files::write_output(None, out.as_bytes()) {
        Ok(()) => {
            eprintln!("{} candidate{}", kept.len(), if kept.len() == 1 { "" } else { "s" });
            Exit::Success
        }
        Err(d) => {
            reporter.emit_unplaced("stdout", d);
            Exit::Failure
        }
    }
}
