//! Project chores: code generation, editions, benchmarks, agreement runs.

fn main() {
    eprintln!("usage: cargo xtask <task>");
    std::process::exit(2);
}
