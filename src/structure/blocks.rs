//! Blocks: runs of non-blank lines, with hard wrapping undone.

use super::is_xml_space;
use std::ops::Range;

/// A block before classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBlock {
    /// From the first to after the last non-whitespace byte.
    pub range: Range<usize>,
    /// How many source lines it spans.
    pub lines: usize,
    /// Blank lines between this block and the one before (or the start).
    pub gap_before: usize,
}

/// A line: its content range (without the line ending) and whether it is blank.
#[derive(Debug, Clone)]
struct Line {
    range: Range<usize>,
    blank: bool,
    chars: usize,
}

/// XML whitespace: what may stand between blocks in TEI.
fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut push = |start: usize, end: usize| {
        let content = &text[start..end];
        out.push(Line {
            range: start..end,
            blank: content.chars().all(is_xml_space),
            chars: content.chars().count(),
        });
    };
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            // The LF of a CRLF, already taken with its CR.
            continue;
        }
        push(start, i);
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
    }
    if start < bytes.len() {
        push(start, bytes.len());
    }
    out
}

/// Splits the text into blocks.
///
/// Blank lines separate blocks. Inside a run of non-blank lines, a line
/// break is kept as a block boundary when the lines are too long to be
/// hard-wrapped (one paragraph per line), or when the next line starts a
/// new sentence and either its first word would have fitted on the line
/// before (so no wrapping program broke the line there) or both lines look
/// like titles (a title stacked on a subtitle).
pub fn split(text: &str, title_like: impl Fn(&str) -> bool) -> Vec<RawBlock> {
    let lines = lines(text);
    let mut groups: Vec<(Vec<&Line>, usize)> = Vec::new();
    let mut gap = 0;
    let mut current: Vec<&Line> = Vec::new();
    for line in &lines {
        if line.blank {
            if !current.is_empty() {
                groups.push((std::mem::take(&mut current), gap));
                gap = 0;
            }
            gap += 1;
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        groups.push((current, gap));
    }

    let width = wrap_width(&groups);
    let mut blocks = Vec::new();
    for (group, gap) in groups {
        let long = group.iter().any(|l| l.chars > 200);
        let mut first = 0;
        let mut gap_before = gap;
        for k in 0..group.len() {
            let cut = match group.get(k + 1) {
                None => true,
                Some(next) => {
                    long || (starts_new_line(text, next) && fits(text, group[k], next, width))
                        || (title_like(&text[group[k].range.clone()])
                            && title_like(&text[next.range.clone()]))
                }
            };
            if cut {
                let start = group[first].range.start;
                let end = group[k].range.end;
                let trimmed = trim(text, start..end);
                blocks.push(RawBlock { range: trimmed, lines: k + 1 - first, gap_before });
                gap_before = 0;
                first = k + 1;
            }
        }
    }
    blocks
}

/// Whether the first word of `next` would have fitted at the end of `line`.
fn fits(text: &str, line: &Line, next: &Line, width: usize) -> bool {
    let word = text[next.range.clone()].split_whitespace().next().map_or(0, |w| w.chars().count());
    width > 0 && line.chars + 1 + word <= width
}

/// The typical width of hard-wrapped lines: the 90th percentile of line
/// lengths in multi-line groups (0 when no group has several lines).
fn wrap_width(groups: &[(Vec<&Line>, usize)]) -> usize {
    let mut lengths: Vec<usize> = groups
        .iter()
        .filter(|(g, _)| g.len() > 1)
        .flat_map(|(g, _)| g.iter().map(|l| l.chars))
        .collect();
    if lengths.is_empty() {
        return 0;
    }
    lengths.sort_unstable();
    lengths[(lengths.len() * 9 / 10).min(lengths.len() - 1)]
}

/// Whether a line begins like a new sentence, title or quotation.
fn starts_new_line(text: &str, line: &Line) -> bool {
    let t = text[line.range.clone()].trim_start();
    t.chars().next().is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"' | '(' | '[' | '«'))
}

fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start_matches(is_xml_space).len();
    let tail = s.len() - s.trim_end_matches(is_xml_space).len();
    range.start + lead..range.end - tail
}
