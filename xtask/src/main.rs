//! Project chores: code generation, editions, benchmarks, agreement runs.

mod diff;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["gen-diff-tables"] => diff::gen_tables(),
        ["agree", "diff", rest @ ..] if rest.contains(&"--fixtures") => {
            diff::fixtures(rest.contains(&"--fresh"))
        }
        ["agree", "diff", rest @ ..] => diff::agree(rest.contains(&"--fresh")),
        ["gen-diff-schema"] => diff::gen_schema(),
        ["bench", "diff", rest @ ..] => diff::bench(rest.contains(&"--quick")),
        _ => {
            eprintln!("usage: cargo xtask <task>");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
