//! The `teimark` command line: parse -> dispatch -> exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli {
    pub mod diff;
}

/// Plain-text historical sources to archival digital editions.
#[derive(Parser)]
#[command(name = "teimark", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare two plain-text revisions: CER/WER, confusions, changes (terminal, JSON, HTML, TEI).
    Diff(cli::diff::DiffArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Diff(args) => cli::diff::run(args),
    }
}
