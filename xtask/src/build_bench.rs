//! `cargo xtask bench build [--sources N] [--keep]`: `teimark build` at
//! corpus scale.
//!
//! Makes N sources (default 1,000) by varying the seed — a different subset
//! and order of its paragraphs (in both of its revisions), names swapped
//! for others of the register — in a temporary project, then times the release binary building them on
//! 1 and on 2 threads (fresh output each time), and once more with nothing
//! changed, which must skip every source. Prints editions per second.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::repo;

/// Names of the seed's register that trade places in the variants.
const SWAPS: [(&str, &str); 6] = [
    ("Stalin", "Trotsky"),
    ("Malenkov", "Khrushchev"),
    ("Lenin", "Bukharin"),
    ("China", "India"),
    ("Kremlin", "Comintern"),
    ("Moscow", "Leningrad"),
];

pub fn run(args: &[String]) -> Result<(), String> {
    let sources = match args.iter().position(|a| a == "--sources") {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .ok_or("--sources needs a positive number")?,
        None => 1000,
    };
    let keep = args.iter().any(|a| a == "--keep");
    let teimark = crate::release_binary()?;
    let tmp = tempfile::Builder::new()
        .prefix("teimark-bench-build-")
        .tempdir()
        .map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let project = tmp.path();
    let bytes = generate(project, sources)?;
    eprintln!("{sources} sources ({:.1} MB of text) in {}", bytes as f64 / 1e6, project.display());

    let one = timed_build(&teimark, project, "out-1", 1, sources)?;
    let two = timed_build(&teimark, project, "out-2", 2, sources)?;
    let again = timed_build(&teimark, project, "out-2", 2, sources)?;
    if again.built != 0 || again.skipped != sources {
        return Err(format!(
            "the second run with nothing changed built {} and skipped {} of {sources}",
            again.built, again.skipped
        ));
    }
    let differing = compare_trees(&project.join("out-1"), &project.join("out-2"))?;

    let rate = |secs: f64| sources as f64 / secs;
    println!(
        "teimark build, {sources} sources varied from the seed ({:.1} MB of text)",
        bytes as f64 / 1e6
    );
    println!("               wall         rate            cpu (user+sys)");
    println!(
        "  1 thread     {:>8.2} s   {:>7.1} editions/s   {:>6.2} s",
        one.secs,
        rate(one.secs),
        one.cpu
    );
    println!(
        "  2 threads    {:>8.2} s   {:>7.1} editions/s   {:>6.2} s   ({:.2}× one thread)",
        two.secs,
        rate(two.secs),
        two.cpu,
        one.secs / two.secs
    );
    println!(
        "  no change    {:>8.3} s   {} skipped, {} built (content hash of the inputs)",
        again.secs, again.skipped, again.built
    );
    println!(
        "  outputs of 1 and 2 threads: {}",
        if differing == 0 { "identical".to_string() } else { format!("{differing} files differ") }
    );
    println!(
        "  wall time above cpu time is waiting, mostly for the fsync of each written file (3 per edition)"
    );
    if keep {
        let kept = tmp.keep();
        println!("  kept: {}", kept.display());
    }
    if differing > 0 {
        return Err("the outputs depend on the number of threads".to_string());
    }
    Ok(())
}

/// A small deterministic generator (SplitMix64): the same variants every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Writes `seeds/sNNNN/` folders; returns the bytes of source text written.
fn generate(project: &Path, count: usize) -> Result<u64, String> {
    let seed_dir = repo().join("seeds/bureaucrats-in-crisis");
    let read = |name: &str| {
        std::fs::read_to_string(seed_dir.join(name))
            .map_err(|e| format!("cannot read the seed's {name}: {e}"))
    };
    let source = read("source.txt")?;
    let corrected = read("corrected.txt")?;
    let edition = read("edition.toml")?;
    let register = read("register.toml")?;
    // Each variant has the seed's two revisions, varied alike, so the build
    // also finds and marks the corrections between them.
    let split = |text: &str| -> Vec<String> {
        text.split("\n\n").filter(|b| !b.trim().is_empty()).map(str::to_owned).collect()
    };
    let (received, revised) = (split(&source), split(&corrected));
    if received.len() != revised.len() {
        return Err("the seed's source.txt and corrected.txt differ in their paragraphs".into());
    }
    // Title, subtitle and dateline stay in front.
    let front = 3.min(received.len());
    let body = received.len() - front;
    let mut total = 0u64;
    for i in 0..count {
        let mut rng = Rng(i as u64 + 1);
        // A subset of half to all of the paragraphs, in document order,
        // then a few of them moved.
        let mut chosen: Vec<usize> =
            (front..received.len()).filter(|_| rng.below(100) < 50 + (i % 50)).collect();
        if chosen.is_empty() {
            chosen.push(front + rng.below(body));
        }
        for _ in 0..chosen.len() / 8 {
            let (a, b) = (rng.below(chosen.len()), rng.below(chosen.len()));
            chosen.swap(a, b);
        }
        let variant = |blocks: &[String]| {
            let mut text = blocks[..front].join("\n\n");
            for &k in &chosen {
                text.push_str("\n\n");
                text.push_str(&blocks[k]);
            }
            text.push('\n');
            for (k, (a, b)) in SWAPS.iter().enumerate() {
                if i >> k & 1 == 1 {
                    text = text.replace(a, "\u{E000}").replace(b, a).replace('\u{E000}', b);
                }
            }
            text
        };
        let (text, fixed) = (variant(&received), variant(&revised));
        let id = format!("s{i:04}");
        let dir = project.join("seeds").join(&id);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let toml = edition.replace("id = \"bureaucrats-in-crisis\"", &format!("id = \"{id}\""));
        for (name, content) in [
            ("source.txt", text.as_str()),
            ("corrected.txt", fixed.as_str()),
            ("edition.toml", &toml),
            ("register.toml", &register),
        ] {
            std::fs::write(dir.join(name), content)
                .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))?;
        }
        total += text.len() as u64;
    }
    Ok(total)
}

struct Run {
    secs: f64,
    /// CPU time of the build process, user and system.
    cpu: f64,
    built: usize,
    skipped: usize,
}

fn timed_build(
    teimark: &Path,
    project: &Path,
    out: &str,
    jobs: usize,
    sources: usize,
) -> Result<Run, String> {
    let cpu_before = children_cpu();
    let start = Instant::now();
    let output = Command::new(teimark)
        .arg("build")
        .arg(project)
        .arg("--out")
        .arg(project.join(out))
        .arg("--jobs")
        .arg(jobs.to_string())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", teimark.display()))?;
    let secs = start.elapsed().as_secs_f64();
    let cpu = children_cpu() - cpu_before;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("teimark build failed:\n{stderr}"));
    }
    let summary = stderr.lines().last().unwrap_or_default();
    let number = |word: &str| -> Option<usize> {
        let at = summary.find(word)?;
        summary[..at].split_whitespace().last()?.parse().ok()
    };
    let (built, skipped) = match (number(" built"), number(" skipped")) {
        (Some(b), Some(s)) => (b, s),
        _ => return Err(format!("unexpected summary line: {summary}")),
    };
    if built + skipped != sources {
        return Err(format!("{built} built and {skipped} skipped of {sources}: {summary}"));
    }
    Ok(Run { secs, cpu, built, skipped })
}

/// CPU seconds (user + system) used by the finished child processes.
fn children_cpu() -> f64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// How many files differ between two output trees (missing ones count).
fn compare_trees(a: &Path, b: &Path) -> Result<usize, String> {
    let mut differing = 0;
    let mut dirs = vec![PathBuf::new()];
    while let Some(rel) = dirs.pop() {
        let entries = std::fs::read_dir(a.join(&rel))
            .map_err(|e| format!("cannot list {}: {e}", a.join(&rel).display()))?;
        for entry in entries.flatten() {
            let rel = rel.join(entry.file_name());
            if entry.path().is_dir() {
                dirs.push(rel);
            } else if std::fs::read(a.join(&rel)).ok() != std::fs::read(b.join(&rel)).ok() {
                differing += 1;
            }
        }
    }
    Ok(differing)
}
