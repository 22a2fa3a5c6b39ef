//! The `teimark` command line: parse -> dispatch -> exit code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::Args::parse();
    cli::dispatch(args).into()
}
