//! Source stage: bytes to text, and a line index over it.
//!
//! The text keeps the source's line endings (LF, CRLF or CR) so that every
//! offset later stages produce refers to the original text; only a UTF-8
//! byte-order mark is removed (and remembered). Bad bytes never stop the
//! stage: they become U+FFFD plus an error diagnostic naming line and byte.

use crate::diag::Diagnostic;

/// How the source bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    #[default]
    Utf8,
    /// Windows code page 1252, as many OCR exports on Windows write.
    #[value(name = "windows-1252")]
    Windows1252,
    /// ISO 8859-1: every byte is the code point of the same number.
    Latin1,
}

/// The decoded text of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The text, exactly as in the file but for a removed byte-order mark.
    pub text: String,
    /// Whether the file began with a UTF-8 byte-order mark.
    pub bom: bool,
    /// The encoding the bytes were read with.
    pub encoding: Encoding,
}

impl Source {
    /// A source made from text that is already decoded.
    pub fn from_text(text: String) -> Source {
        Source { text, bom: false, encoding: Encoding::Utf8 }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = line_starts(&self.text[..offset.min(self.text.len())]);
        line_col(&self.text, &starts, offset)
    }
}

/// Decodes source bytes the caller owns, without copying valid UTF-8.
pub fn decode_owned(mut bytes: Vec<u8>, encoding: Encoding) -> (Source, Vec<Diagnostic>) {
    if encoding != Encoding::Utf8 || bytes.contains(&0) {
        return decode(&bytes, encoding);
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if bom {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let source = Source { text, bom, encoding };
            let mut diagnostics = Vec::new();
            check_content(source.text.as_bytes(), &source, &mut diagnostics);
            (source, diagnostics)
        }
        Err(err) => {
            let mut bytes = err.into_bytes();
            if bom {
                bytes.splice(0..0, *b"\xEF\xBB\xBF");
            }
            decode(&bytes, encoding)
        }
    }
}

/// Decodes source bytes. Never fails: problems are diagnostics.
pub fn decode(bytes: &[u8], encoding: Encoding) -> (Source, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        // Binary data: one clear error instead of a flood of encoding errors.
        let controls = bytes
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
            .count();
        diagnostics.push(
            Diagnostic::error(
                "teimark::source::binary",
                format!("the source looks binary, not text: NUL byte at byte offset {at}, {controls} control bytes in all"),
            )
            .with_help("teimark reads plain text (.txt); export the document as text first"),
        );
        let bom = encoding == Encoding::Utf8 && bytes.starts_with(b"\xEF\xBB\xBF");
        let body = if bom { &bytes[3..] } else { bytes };
        let text = String::from_utf8_lossy(body).into_owned();
        return (Source { text, bom, encoding }, diagnostics);
    }
    let (text, bom) = match encoding {
        Encoding::Utf8 => {
            let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => (rest, true),
                None => (bytes, false),
            };
            (decode_utf8(body, bom, &mut diagnostics), bom)
        }
        Encoding::Windows1252 => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), false)
        }
        Encoding::Latin1 => (bytes.iter().map(|&b| char::from(b)).collect(), false),
    };
    let source = Source { text, bom, encoding };
    check_content(bytes, &source, &mut diagnostics);
    (source, diagnostics)
}

/// Decodes UTF-8, replacing each invalid sequence by U+FFFD and reporting
/// the first one (with a count of the others) as an error.
fn decode_utf8(bytes: &[u8], bom: bool, diagnostics: &mut Vec<Diagnostic>) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut first_bad: Option<(usize, usize, u8)> = None; // (byte offset in file, offset in text, byte)
    let mut bad_count = 0usize;
    let file_offset = |rest: &[u8]| bytes.len() - rest.len() + usize::from(bom) * 3;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(err) => {
                let (valid, after) = rest.split_at(err.valid_up_to());
                // `valid_up_to` marks a prefix that is valid UTF-8.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad_len = err.error_len().unwrap_or(after.len()).max(1);
                if first_bad.is_none() {
                    first_bad = Some((file_offset(after), text.len(), after[0]));
                }
                bad_count += 1;
                text.push(char::REPLACEMENT_CHARACTER);
                rest = &after[bad_len..];
            }
        }
    }
    if let Some((file_at, text_at, byte)) = first_bad {
        let (line, _) = line_col(&text, &line_starts(&text[..text_at]), text_at);
        let others = match bad_count {
            1 => String::new(),
            n => format!(" ({} more invalid sequences follow)", n - 1),
        };
        diagnostics.push(
            Diagnostic::error(
                "teimark::source::invalid-utf8",
                format!("invalid UTF-8 at line {line}, byte offset {file_at}: byte 0x{byte:02X} cannot start or continue a character{others}"),
            )
            .with_span(text_at..text_at + char::REPLACEMENT_CHARACTER.len_utf8(), "not UTF-8")
            .with_help("if the file comes from an older OCR or Windows tool, read it with --encoding windows-1252 (or latin1)"),
        );
    }
    text
}

/// Reports sources that are empty, binary, or carry characters XML cannot hold.
fn check_content(bytes: &[u8], source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    if source.text.trim().is_empty() {
        let what = if bytes.is_empty() {
            "the source file is empty"
        } else {
            "the source holds only whitespace"
        };
        diagnostics.push(
            Diagnostic::error("teimark::source::empty", what)
                .with_help("give teimark a plain-text file with the text of the work"),
        );
        return;
    }
    // XML-forbidden characters are C0 controls (single bytes) or U+FFFE/FFFF
    // (EF BF BE/BF): a byte scan finds the places to look at.
    let bytes = source.text.as_bytes();
    let control = bytes.chunks(4096).any(|chunk| {
        // Without short-circuiting, the compiler vectorises this.
        chunk.iter().fold(false, |seen, &b| {
            seen | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x0C))
        })
    });
    if !control && memchr::memchr(0xEF, bytes).is_none() {
        return;
    }
    let mut reported = 0;
    for (offset, c) in source.text.char_indices() {
        if is_xml_forbidden(c) && c != '\u{C}' {
            if reported < 3 {
                let (line, col) = source.line_col(offset);
                diagnostics.push(
                    Diagnostic::warning(
                        "teimark::source::control-character",
                        format!("control character U+{:04X} at line {line}, column {col} cannot be written in XML", c as u32),
                    )
                    .with_span(offset..offset + c.len_utf8(), "control character")
                    .with_help("it is kept in the JSON twin and left out of the TEI; remove it from the source if it is noise"),
                );
            }
            reported += 1;
        }
    }
}

/// Whether XML 1.0 forbids the character in documents (even as a reference).
pub fn is_xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Byte offsets at which lines start. A line ends at LF, CRLF or a lone CR.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// 1-based line and column (in characters) of a byte offset, given the line starts.
pub fn line_col(text: &str, line_starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = line_starts.partition_point(|&start| start <= offset).max(1);
    let start = line_starts[line - 1];
    let col = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
    (line, col)
}

#[cfg(test)]
mod tests;
