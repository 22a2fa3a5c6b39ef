//! The command line: arguments, dispatch to one module per subcommand, exit codes.
//!
//! Exit codes: 0 success; 1 the command ran and found problems (an invalid
//! file, a source that could not be built among others); 2 the command could
//! not run (bad arguments, unreadable or invalid input).

mod build;
mod candidates;
mod completions;
mod diff;
mod edition;
mod files;
mod rebase;
mod report;
mod validate;

use clap::{Parser, Subcommand};

/// teimark turns plain-text historical sources into archival digital
/// editions: TEI P5 XML, a lossless JSON twin and an HTML reading edition.
#[derive(Debug, Parser)]
#[command(
    name = "teimark",
    version,
    about = "Plain-text historical sources to archival digital editions (TEI P5, JSON, HTML)",
    long_about = "teimark turns a plain-text historical source into an archival digital edition: it finds the \
                  structure (title, headings, paragraphs, block quotations, notes) and the persons, places, \
                  organisations, dates, citations and quotations named in it, against an authority register \
                  the editor controls, and writes TEI P5 XML and a lossless JSON twin.",
    after_help = "Examples:\n  \
                  teimark edition essay.txt                    TEI on stdout (edition.toml beside the source is used)\n  \
                  teimark edition essay.txt -f json -o e.json  the JSON twin, written atomically\n  \
                  teimark build                                every seeds/<id>/ to editions/<id>/\n\n\
                  Exit codes: 0 success, 1 problems found, 2 could not run."
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make one edition from a plain-text source and print it
    Edition(edition::EditionArgs),
    /// Build every edition of a project: seeds/<id>/ to editions/<id>/
    Build(build::BuildArgs),
    /// List likely names no register entry covers, as TOML for the register
    Candidates(candidates::CandidatesArgs),
    /// Validate XML files against a RELAX NG schema and the edition rules
    Validate(validate::ValidateArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(completions::CompletionsArgs),
    /// Compare two revisions: CER/WER, confusions, changes (terminal, JSON, HTML, TEI)
    Diff(diff::DiffArgs),
    /// Move an edition's annotations onto a revised source text
    Rebase(rebase::RebaseArgs),
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything done.
    Success,
    /// The command ran and found problems.
    Problems,
    /// The command could not run.
    Failure,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> std::process::ExitCode {
        std::process::ExitCode::from(match exit {
            Exit::Success => 0,
            Exit::Problems => 1,
            Exit::Failure => 2,
        })
    }
}

/// Runs the chosen subcommand.
pub fn dispatch(args: Args) -> Exit {
    match args.command {
        Command::Edition(a) => edition::run(a),
        Command::Build(a) => build::run(a),
        Command::Candidates(a) => candidates::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Rebase(a) => rebase::run(a),
    }
}
