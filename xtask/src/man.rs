//! `cargo xtask man [DIR]`: man pages generated from teimark's clap
//! definitions (clap_mangen): `teimark.1` and one page per subcommand,
//! written to DIR (default target/man/). Not committed.

use std::path::PathBuf;

use clap::CommandFactory;

// The command line lives in the binary crate, not in the library; its
// definitions are compiled in here as they are, so the man pages always
// describe the binary that is built from the same sources.
#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/mod.rs"]
mod cli;

pub fn run(args: &[String]) -> Result<(), String> {
    let dir = match args.first() {
        Some(d) => PathBuf::from(d),
        None => crate::repo().join("target/man"),
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let command = cli::Args::command();
    let mut written = Vec::new();
    let mut page = |name: String, command: clap::Command| -> Result<(), String> {
        let mut out = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut out)
            .map_err(|e| format!("cannot render the man page {name}: {e}"))?;
        let path = dir.join(&name);
        std::fs::write(&path, out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
        Ok(())
    };
    page("teimark.1".to_string(), command.clone())?;
    for sub in command.get_subcommands() {
        // A subcommand's page is titled `teimark-<sub>`; its synopsis reads
        // `teimark <sub> …`.
        let name = format!("teimark-{}", sub.get_name());
        let usage = format!("teimark {}", sub.get_name());
        page(format!("{name}.1"), sub.clone().display_name(name).bin_name(usage))?;
    }
    for path in &written {
        println!("{}", path.display());
    }
    eprintln!("{} man pages; read one with: man -l {}", written.len(), written[0].display());
    Ok(())
}
