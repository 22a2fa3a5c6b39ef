//! The `teimark` command line: parse -> dispatch -> exit code.

fn main() {
    println!("teimark {}", env!("CARGO_PKG_VERSION"));
}
