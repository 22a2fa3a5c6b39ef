//! Files: reading inputs with located errors, writing outputs atomically.

use std::io::Write;
use std::path::Path;

use teimark::diag::{Diagnostic, io_reason};

/// Reads a file; a failure is a diagnostic naming the path and the reason.
pub fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|err| {
        Diagnostic::error(
            "teimark::io::read",
            format!("cannot read {}: {}", path.display(), io_reason(&err)),
        )
        .with_help("check the path; teimark reads plain-text sources and TOML configuration files")
    })
}

/// Reads a UTF-8 text file (configuration); invalid UTF-8 is a diagnostic.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        let before = &err.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Columns count characters; everything before `at` is valid UTF-8.
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Diagnostic::error(
            "teimark::io::not-utf8",
            format!(
                "{}:{line}:{column}: found a byte that is not UTF-8 (0x{:02X}, byte {at}); expected UTF-8 text",
                path.display(),
                err.as_bytes()[at],
            ),
        )
        .with_help("save the file as UTF-8, e.g. `iconv -f ISO-8859-1 -t UTF-8 in > out`")
    })
}

/// Writes a file atomically: a temporary file in the same folder, then a
/// rename, so an interrupted run leaves the previous file intact.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] for output written piece by piece (a streamed report).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |what: &str, err: &std::io::Error| {
        Diagnostic::error(
            "teimark::io::write",
            format!("cannot {what} {}: {}", path.display(), io_reason(err)),
        )
        .with_help("check that the folder exists and is writable")
    };
    // A file where a folder of the path should be ("essay.txt/out.xml").
    if let Some(file) = dir.ancestors().find(|a| a.exists()).filter(|a| !a.is_dir()) {
        return Err(Diagnostic::error(
            "teimark::io::write",
            format!("cannot write {}: {} is a file, not a folder", path.display(), file.display()),
        )
        .with_help("choose an output path in a folder"));
    }
    std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", &e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".teimark-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail("create a temporary file for", &e))?;
    let mut out = std::io::BufWriter::new(tmp);
    write(&mut out).and_then(|()| out.flush()).map_err(|e| fail("write", &e))?;
    let tmp = out.into_inner().map_err(|e| fail("write", e.error()))?;
    // A temporary file is private (0600); a published edition is readable by all.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let readable = std::fs::Permissions::from_mode(0o644);
        tmp.as_file().set_permissions(readable).map_err(|e| fail("set the permissions of", &e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail("flush", &e))?;
    tmp.persist(path).map_err(|e| fail("replace", &e.error))?;
    Ok(())
}

/// Writes to a file (atomically) or, without a path, to stdout.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_output_with(path, |out| out.write_all(bytes))
}

/// [`write_output`] for output written piece by piece. A closed pipe on
/// stdout (`| head`) is no error: the reader has what it wanted.
pub fn write_output_with(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    match path {
        Some(p) => write_atomic_with(p, write),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(Diagnostic::error(
                    "teimark::io::write",
                    format!("cannot write to stdout: {}", io_reason(&err)),
                )
                .with_help("the receiving program may have closed the pipe")),
                _ => Ok(()),
            }
        }
    }
}
