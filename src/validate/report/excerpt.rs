//! Excerpts: the few lines of a document around a finding, cut while the bytes are at
//! hand, so that a finding can be shown with its source without keeping the document in
//! memory and without miette scanning a large file from its start for every finding.

use std::fmt;
use std::ops::Range;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::diag::Severity;
use crate::validate::Finding;

/// How many bytes before a span's start an excerpt may reach: the start of the span's
/// line and the line before it, when they are that near.
pub const BEFORE: u64 = 320;

/// How many bytes of a span are shown at most; a longer span is cut.
pub const MAX_SPAN: u64 = 240;

/// How many bytes after the shown span an excerpt may reach.
pub const AFTER: u64 = 320;

/// A line is shown from its start (or to its end) when that is at most this many bytes
/// from the span.
const NEAR: usize = 80;

/// How much of a long line is shown on either side of the span, in bytes; the rest is
/// left out and marked with `…`.
const AROUND: usize = 40;

/// How long, in bytes, a line before or after the span's lines may be to be shown as
/// context; longer ones are left out.
const CONTEXT: usize = 120;

/// Marks a line cut short.
const ELLIPSIS: &str = "…";

/// A stretch of a document's text, placed in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// Byte offset in the document that `text[0]` stands for. When the text begins with
    /// `…` (a long line cut), the ellipsis stands for the bytes just before the cut.
    pub offset: u64,
    /// 1-based line where `text` starts.
    pub line: u32,
    /// 1-based column (in characters) of `text`'s first character.
    pub column: u32,
    pub text: String,
    /// The finding's span as shown: cut to [`MAX_SPAN`] and to the excerpt.
    pub span: Range<u64>,
}

impl Excerpt {
    /// The bytes of the document an excerpt around `span` needs: read them (fewer at the
    /// end of the file) and pass them to [`Excerpt::cut`].
    pub fn needs(span: &Range<u64>) -> Range<u64> {
        span.start.saturating_sub(BEFORE)..span.start.saturating_add(MAX_SPAN + AFTER)
    }

    /// Cuts the excerpt for a finding out of `chunk`, the document's bytes from offset
    /// `chunk_offset` (the whole document, or at least [`Excerpt::needs`]): the line
    /// before the span's line, the span (at most [`MAX_SPAN`] bytes of it) and the line
    /// after; a long line is cut to 40 bytes either side of the span. `None` when
    /// the chunk does not hold the span's start or the text there is not UTF-8.
    pub fn cut(chunk: &[u8], chunk_offset: u64, finding: &Finding) -> Option<Excerpt> {
        let span = finding.diagnostic.span.as_ref()?;
        let (span_start, span_end) = (span.start as u64, span.end as u64);
        // Only the bytes an excerpt may use.
        let needs = Excerpt::needs(&(span_start..span_end));
        let lo = needs.start.max(chunk_offset);
        let hi = needs.end.min(chunk_offset + chunk.len() as u64);
        if span_start < lo || span_start > hi {
            return None;
        }
        let chunk = &chunk
            [usize::try_from(lo - chunk_offset).ok()?..usize::try_from(hi - chunk_offset).ok()?];
        let chunk_offset = lo;
        let start = usize::try_from(span_start - chunk_offset).ok()?;
        let wanted_end = span_end.min(span_start + MAX_SPAN).max(span_start) - chunk_offset;
        let mut end = usize::try_from(wanted_end).unwrap_or(usize::MAX).clamp(start, chunk.len());
        while end > start && !is_boundary(chunk, end) {
            end -= 1;
        }
        let at_line_start =
            |at: usize| if at == 0 { chunk_offset == 0 } else { chunk[at - 1] == b'\n' };

        // Left: the span's line from its start (and the line before, if short) when
        // the start is NEAR; else the span's line from AROUND bytes before the span.
        let own_line = memchr::memrchr(b'\n', &chunk[..start]).map(|i| i + 1);
        let mut from = match own_line {
            Some(s) if start - s <= NEAR => match s.checked_sub(1) {
                // The line before, when it is short and wholly in the chunk.
                Some(prev_end) => {
                    let p = memchr::memrchr(b'\n', &chunk[..prev_end]).map_or(0, |i| i + 1);
                    let whole = p > 0 || chunk_offset == 0;
                    if whole && prev_end - p <= CONTEXT { p } else { s }
                }
                None => s,
            },
            None if chunk_offset == 0 && start <= NEAR => 0,
            _ => start.saturating_sub(AROUND),
        };
        while from < start && !is_boundary(chunk, from) {
            from += 1;
        }
        let cut_left = !at_line_start(from);

        // Right: to the end of the span's last line (and the line after, if short)
        // when the end is NEAR; else AROUND bytes after the span.
        let line_end = |at: usize| memchr::memchr(b'\n', &chunk[at..]).map(|i| at + i);
        let mut to = match line_end(end) {
            Some(e) if e - end <= NEAR => match line_end(e + 1) {
                Some(next) if next - e <= CONTEXT => next,
                _ => e,
            },
            Some(_) => end + AROUND,
            None if chunk.len() - end <= NEAR => chunk.len(),
            None => end + AROUND,
        }
        .min(chunk.len());
        while to > end && !is_boundary(chunk, to) {
            to -= 1;
        }
        let cut_right = to < chunk.len() && chunk[to] != b'\n';

        let body = std::str::from_utf8(&chunk[from..to]).ok()?;
        let before = &chunk[from..start];
        let newlines = memchr::memchr_iter(b'\n', before).count();
        let (line, mut column) = if newlines > 0 {
            (finding.line.saturating_sub(u32::try_from(newlines).ok()?), 1)
        } else {
            let chars = before.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
            (finding.line, finding.column.saturating_sub(u32::try_from(chars).ok()?).max(1))
        };
        let mut offset = chunk_offset + from as u64;
        let mut text = String::with_capacity(body.len() + 2 * ELLIPSIS.len());
        if cut_left && column > 1 && offset >= ELLIPSIS.len() as u64 {
            text.push_str(ELLIPSIS);
            offset -= ELLIPSIS.len() as u64;
            column -= 1;
        }
        text.push_str(body);
        if cut_right {
            text.push_str(ELLIPSIS);
        }
        let span = chunk_offset + start as u64..chunk_offset + end as u64;
        Some(Excerpt { offset, line, column, text, span })
    }

    /// Line and column (1-based, characters; the column after the last character) where
    /// the span ends, when the excerpt shows all of it.
    pub fn end_of(&self, finding: &Finding) -> Option<(u32, u32)> {
        let span = finding.diagnostic.span.as_ref()?;
        if self.span.end != span.end as u64 {
            return None;
        }
        let shown = self.text.get(self.local(self.span.start)?..self.local(self.span.end)?)?;
        let newlines = shown.matches('\n').count();
        let tail = shown.rsplit('\n').next().unwrap_or(shown);
        let line = finding.line.checked_add(u32::try_from(newlines).ok()?)?;
        let column = u32::try_from(tail.chars().count()).ok()?
            + if newlines > 0 { 1 } else { finding.column };
        Some((line, column))
    }

    /// The position in `text` of a document offset.
    fn local(&self, offset: u64) -> Option<usize> {
        usize::try_from(offset.checked_sub(self.offset)?).ok().filter(|&i| i <= self.text.len())
    }
}

fn is_boundary(bytes: &[u8], at: usize) -> bool {
    at >= bytes.len() || (bytes[at] & 0xC0) != 0x80
}

/// A finding ready for miette: the diagnostic, its excerpt, and the name of the file.
pub struct Shown<'a> {
    name: &'a str,
    finding: &'a Finding,
    excerpt: Option<&'a Excerpt>,
}

impl<'a> Shown<'a> {
    /// A finding of the file shown as `name`, with its excerpt if there is one.
    pub fn new(name: &'a str, finding: &'a Finding, excerpt: Option<&'a Excerpt>) -> Shown<'a> {
        Shown { name, finding, excerpt }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown").field("name", &self.name).field("finding", self.finding).finish()
    }
}

impl fmt::Display for Shown<'_> {
    /// The message; where the finding has a place that no excerpt can show
    /// (bytes that are not UTF-8), the file, line and column lead it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = &self.finding.diagnostic.message;
        let placed = self.finding.diagnostic.span.is_some() && self.finding.line > 0;
        if self.excerpt.is_none() && placed {
            write!(f, "{}:{}:{}: {message}", self.name, self.finding.line, self.finding.column)
        } else {
            f.write_str(message)
        }
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.diagnostic.severity {
            Severity::Advice => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.finding.diagnostic.help.as_ref()?;
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.map(|_| self as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = self.excerpt?;
        let start = usize::try_from(excerpt.span.start).ok()?;
        let len = usize::try_from(excerpt.span.end - excerpt.span.start).ok()?;
        let label = self.finding.diagnostic.label.clone();
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(label, (start, len)))))
    }
}

impl SourceCode for Shown<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let excerpt = self.excerpt.ok_or(MietteError::OutOfBounds)?;
        let local = excerpt.local(span.offset() as u64).ok_or(MietteError::OutOfBounds)?;
        let inner = SourceSpan::new(local.into(), span.len());
        let contents = excerpt.text.as_bytes().read_span(&inner, before, after)?;
        let data_start = contents.span().offset();
        let lead = &excerpt.text.as_bytes()[..data_start];
        // Lines and columns counted as the engine counts them (lines at `\n`, columns
        // in characters), from the excerpt's own place in the file.
        let newlines = memchr::memchr_iter(b'\n', lead).count();
        let column = match memchr::memrchr(b'\n', lead) {
            Some(i) => chars(&lead[i + 1..]),
            None => (excerpt.column as usize).saturating_sub(1) + chars(lead),
        };
        let line = (excerpt.line as usize).saturating_sub(1) + newlines;
        let absolute =
            SourceSpan::new((excerpt.offset as usize + data_start).into(), contents.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            contents.data(),
            absolute,
            line,
            column,
            contents.line_count(),
        )))
    }
}

fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}
