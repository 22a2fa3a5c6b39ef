//! Files: reading inputs with located errors, writing outputs atomically.

use std::io::Write;
use std::path::Path;

use teimark::diag::Diagnostic;

/// Reads a file; a failure is a diagnostic naming the path and the reason.
pub fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|err| {
        Diagnostic::error(
            "teimark::io::read",
            format!("cannot read {}: {}", path.display(), reason(&err)),
        )
        .with_help("check the path; teimark reads plain-text sources and TOML configuration files")
    })
}

/// Reads a UTF-8 text file (configuration); invalid UTF-8 is a diagnostic.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|err| {
        Diagnostic::error(
            "teimark::io::not-utf8",
            format!(
                "{} is not UTF-8 (invalid byte at offset {})",
                path.display(),
                err.utf8_error().valid_up_to()
            ),
        )
        .with_help("save the file as UTF-8")
    })
}

/// Writes a file atomically: a temporary file in the same folder, then a
/// rename, so an interrupted run leaves the previous file intact.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |what: &str, err: &std::io::Error| {
        Diagnostic::error(
            "teimark::io::write",
            format!("cannot {what} {}: {}", path.display(), reason(err)),
        )
        .with_help("check that the folder exists and is writable")
    };
    std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", &e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".teimark-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail("create a temporary file for", &e))?;
    tmp.write_all(bytes).map_err(|e| fail("write", &e))?;
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
    match path {
        Some(p) => write_atomic(p, bytes),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).map_err(|err| {
                Diagnostic::error(
                    "teimark::io::write",
                    format!("cannot write to stdout: {}", reason(&err)),
                )
                .with_help("the receiving program may have closed the pipe")
            })
        }
    }
}

/// The reason of an I/O error in words, without the OS error number.
pub(super) fn reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
