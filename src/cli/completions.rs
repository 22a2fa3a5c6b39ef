//! `teimark completions`: a shell completion script, generated from the
//! command-line definitions so it never falls behind them.

use clap::CommandFactory;
use clap_complete::Shell;

use super::report::Reporter;
use super::{Args, Exit, files};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    teimark completions bash > ~/.local/share/bash-completion/completions/teimark\n  \
    teimark completions zsh > ~/.zfunc/_teimark      (with fpath+=~/.zfunc before compinit)\n  \
    teimark completions fish > ~/.config/fish/completions/teimark.fish")]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Exit {
    let mut command = Args::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "teimark", &mut script);
    match files::write_output(None, &script) {
        Ok(()) => Exit::Success,
        Err(d) => {
            Reporter::stderr().emit_unplaced("stdout", d);
            Exit::Failure
        }
    }
}
