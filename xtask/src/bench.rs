//! `cargo xtask bench <what>`: speed and memory, measured in release builds.
//!
//! `markup`: the seed repeated to at least 50 MB, marked up (source,
//! structure, entities, document, resolve) on one thread in a child process
//! that reports its time and peak resident memory (VmHWM).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::repo;

pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("markup") => markup(&args[1..]),
        Some("markup-child") => markup_child(&args[1..]),
        _ => Err("usage: cargo xtask bench markup [--mb N]".to_string()),
    }
}

/// Peak resident set size of this process in bytes (Linux VmHWM).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn mb_arg(args: &[String], default: usize) -> Result<usize, String> {
    match args.iter().position(|a| a == "--mb") {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| "--mb needs a number".to_string()),
        None => Ok(default),
    }
}

fn markup(args: &[String]) -> Result<(), String> {
    let mb = mb_arg(args, 50)?;
    let seed_dir = repo().join("seeds/bureaucrats-in-crisis");
    let seed = std::fs::read_to_string(seed_dir.join("source.txt"))
        .map_err(|e| format!("cannot read the seed: {e}"))?;
    let register = seed_dir.join("register.toml");
    let input = std::env::temp_dir().join(format!("teimark-bench-markup-{mb}mb.txt"));
    let target = mb * 1_000_000;
    if std::fs::metadata(&input).map(|m| m.len() as usize).unwrap_or(0) < target {
        let mut big = String::with_capacity(target + seed.len());
        // The seed over and over, each copy a new section so the text stays an essay.
        while big.len() < target {
            big.push_str(&seed);
            big.push_str("\n\n");
        }
        std::fs::write(&input, &big)
            .map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    }
    let size = std::fs::metadata(&input).map_err(|e| e.to_string())?.len();
    eprintln!("input: {} ({:.1} MB, the seed repeated)", input.display(), size as f64 / 1e6);
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut runs = Vec::new();
    for _ in 0..5 {
        let out = Command::new(&exe)
            .args(["bench", "markup-child"])
            .arg(&input)
            .arg(&register)
            .output()
            .map_err(|e| format!("cannot run the child: {e}"))?;
        if !out.status.success() {
            return Err(format!("the child failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<f64> = line.split_whitespace().filter_map(|f| f.parse().ok()).collect();
        if fields.len() < 3 {
            return Err(format!("unexpected child output: {line}"));
        }
        runs.push((fields[0], fields[1], fields[2]));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (secs, peak, annotations) = runs[0];
    let mbps = size as f64 / 1e6 / secs;
    println!("teimark markup, one thread, best of 5");
    println!("  input            {:>10.1} MB", size as f64 / 1e6);
    println!("  time             {secs:>10.3} s");
    println!("  throughput       {mbps:>10.1} MB/s   (target ≥ 50 MB/s)");
    println!(
        "  peak memory      {:>10.1} MB    = {:.2} × the input (target ≤ 5×)",
        peak / 1e6,
        peak / size as f64
    );
    println!("  annotations      {annotations:>10.0}");
    println!(
        "  spaCy en_core_web_sm, for scale (reported in the issue): about 0.03 MB/s here → {:.0}× slower",
        mbps / 0.03
    );
    Ok(())
}

/// Runs one markup in this process: prints seconds, peak RSS bytes, annotation count.
fn markup_child(args: &[String]) -> Result<(), String> {
    let input = PathBuf::from(args.first().ok_or("markup-child needs an input")?);
    let register = args.get(1).map(PathBuf::from);
    let register_text = match register.as_deref() {
        Some(p) if Path::new(p).is_file() => {
            Some(std::fs::read_to_string(p).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    let bytes =
        std::fs::read(&input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let start = Instant::now();
    let inputs = teimark::Inputs {
        register: register_text.as_deref(),
        fallback_id: "bench",
        ..Default::default()
    };
    let decoded = teimark::source::decode_owned(bytes, teimark::source::Encoding::Utf8);
    let (made, _report) = teimark::make_edition_from(decoded, &inputs);
    let secs = start.elapsed().as_secs_f64();
    let count = made.document.annotations.len();
    drop(made);
    println!("{secs} {} {count}", peak_rss().unwrap_or(0));
    Ok(())
}
