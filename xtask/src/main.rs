//! Project chores: code generation, editions, benchmarks, agreement runs.

mod validate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("agree") if args.get(1).map(String::as_str) == Some("validate") => {
            validate::agree(&args[2..])
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("validate") => {
            validate::bench(&args[2..])
        }
        Some("expect") if args.get(1).map(String::as_str) == Some("validate") => {
            validate::expect(&args[2..])
        }
        Some("spectest") if args.get(1).map(String::as_str) == Some("validate") => {
            validate::spectest(&args[2..])
        }
        Some("validate-files") => validate::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <task>");
            eprintln!("  agree validate      teimark and jing side by side on the ELTeC corpus");
            eprintln!("  bench validate      teimark, jing and xmllint: time, MB/s, peak memory");
            eprintln!(
                "  expect validate     rerun jing on tests/data/validate and rewrite expected.toml"
            );
            eprintln!("  spectest validate [spectest.xml]   James Clark's RELAX NG test suite");
            eprintln!("  validate-files SCHEMA FILE...   validate files with teimark's engine");
            2
        }
    };
    std::process::exit(code);
}
