//! [`Alignment`]: an alignment of two texts as a monotone list of segments with byte ranges, usable
//! as an offset map from the first text to the second.

use std::ops::Range;

use super::align::script::Script;

/// What a segment of an alignment does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The same text on both sides.
    Equal,
    /// Text only in B.
    Insert,
    /// Text only in A.
    Delete,
    /// Text of A replaced by different text of B (no unit in between matches).
    Replace,
}

/// One segment: byte range `a` of text A corresponds to byte range `b` of text B.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub kind: Kind,
    pub a: Range<usize>,
    pub b: Range<usize>,
}

/// Where an offset of A lands in B.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mapped {
    /// At this offset of B: the offset lies in unchanged text or on a segment boundary.
    Exact(usize),
    /// Somewhere in this range of B: the offset lies inside text that was replaced or deleted.
    Changed(Range<usize>),
}

impl Mapped {
    /// The offset, taking the start of a changed range.
    pub fn start(&self) -> usize {
        match self {
            Mapped::Exact(o) => *o,
            Mapped::Changed(r) => r.start,
        }
    }

    /// The offset, taking the end of a changed range.
    pub fn end(&self) -> usize {
        match self {
            Mapped::Exact(o) => *o,
            Mapped::Changed(r) => r.end,
        }
    }
}

/// Which side of an insertion an offset on its boundary maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bias {
    /// Before text inserted at the offset (suits the end of a span).
    Left,
    /// After text inserted at the offset (suits the start of a span).
    Right,
}

/// An alignment of text A against text B.
///
/// Segments cover both texts completely, in order, and alternate between `Equal` and a change (an
/// `Insert`, `Delete` or `Replace`); their ranges are byte ranges on char (in fact unit) boundaries.
/// The distance is counted in the units the alignment was made of (chars for [`super::align_raw`],
/// grapheme clusters for the CER). Offsets are kept in 32 bits: texts must be shorter than 4 GiB
/// (the command line rejects longer ones with `teimark::diff::input-too-large`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alignment {
    /// Start of each segment in A and in B, and its kind; the end is the next start.
    starts: Vec<(u32, u32, Kind)>,
    a_len: usize,
    b_len: usize,
    distance: u64,
    exact: bool,
}

impl Alignment {
    /// Builds the segments of `script` on texts whose unit boundaries (starting with 0 and ending
    /// with the text length) the two iterators give.
    pub(crate) fn from_script(
        script: &Script,
        mut a_bounds: impl Iterator<Item = usize>,
        mut b_bounds: impl Iterator<Item = usize>,
        exact: bool,
    ) -> Alignment {
        let (mut ia, mut ib) = (a_bounds.next().unwrap_or(0), b_bounds.next().unwrap_or(0));
        let mut starts = Vec::with_capacity(script.runs.len());
        for run in &script.runs {
            let kind = match (run.equal, run.a, run.b) {
                (true, _, _) => Kind::Equal,
                (false, 0, _) => Kind::Insert,
                (false, _, 0) => Kind::Delete,
                _ => Kind::Replace,
            };
            starts.push((ia as u32, ib as u32, kind));
            if run.a > 0 {
                ia = a_bounds.nth(run.a as usize - 1).unwrap_or(ia);
            }
            if run.b > 0 {
                ib = b_bounds.nth(run.b as usize - 1).unwrap_or(ib);
            }
        }
        Alignment { starts, a_len: ia, b_len: ib, distance: script.distance(), exact }
    }

    /// The segments, in order.
    pub fn ops(&self) -> impl ExactSizeIterator<Item = Segment> + '_ {
        (0..self.starts.len()).map(|k| self.segment(k))
    }

    /// The number of segments.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether both texts are empty.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Segment `k`.
    pub(crate) fn segment(&self, k: usize) -> Segment {
        let (a0, b0, kind) = self.starts[k];
        let (a1, b1) = match self.starts.get(k + 1) {
            Some(&(a1, b1, _)) => (a1 as usize, b1 as usize),
            None => (self.a_len, self.b_len),
        };
        Segment { kind, a: a0 as usize..a1, b: b0 as usize..b1 }
    }

    /// The number of edits, in units.
    pub fn distance(&self) -> u64 {
        self.distance
    }

    /// Whether the alignment is minimal; `false` when a region exceeded the exact budget.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// Lengths of A and B in bytes.
    pub fn lens(&self) -> (usize, usize) {
        (self.a_len, self.b_len)
    }

    /// Maps a byte offset of A to B, placing an offset where text was inserted before the insertion
    /// (see [`Alignment::map_with`]); `None` if the offset is beyond A.
    pub fn map(&self, offset_in_a: usize) -> Option<Mapped> {
        self.map_with(offset_in_a, Bias::Left)
    }

    /// Maps a span of A to B: its start after and its end before any text inserted at its
    /// boundaries, so that the span covers what took its place and no more; an empty span maps
    /// before an insertion. Offsets beyond A map to the end of B.
    pub fn map_span(&self, span: Range<usize>) -> Range<usize> {
        if span.is_empty() {
            let at = self.map_with(span.start, Bias::Left).map_or(self.b_len, |m| m.start());
            return at..at;
        }
        let start = self.map_with(span.start, Bias::Right).map_or(self.b_len, |m| m.start());
        let end = self.map_with(span.end, Bias::Left).map_or(self.b_len, |m| m.end());
        start..end.max(start)
    }

    /// Maps a byte offset of A to B. An offset inside unchanged text moves with it; one inside
    /// replaced or deleted text maps to the range of B that took its place; one on the boundary of an
    /// insertion goes before or after the inserted text as `bias` says. The map is monotone.
    pub fn map_with(&self, offset_in_a: usize, bias: Bias) -> Option<Mapped> {
        let o = offset_in_a;
        if o > self.a_len {
            return None;
        }
        if self.starts.is_empty() {
            return Some(Mapped::Exact(0));
        }
        let end_a = |k: usize| self.starts.get(k + 1).map_or(self.a_len, |s| s.0 as usize);
        // Segment starts and ends in A are non-decreasing; those touching `o` are contiguous.
        let k = match bias {
            // The first segment reaching `o`: one ending there comes before any insertion at `o`.
            Bias::Left => self.starts.partition_point(|s| (s.0 as usize) < o).saturating_sub(1),
            // The last segment starting at or before `o`: after any insertion at `o`.
            Bias::Right => self.starts.partition_point(|s| (s.0 as usize) <= o) - 1,
        };
        let k = if bias == Bias::Left && end_a(k) < o { k + 1 } else { k };
        let seg = self.segment(k);
        Some(if seg.a.start < o && o < seg.a.end {
            if seg.kind == Kind::Equal {
                Mapped::Exact(seg.b.start + (o - seg.a.start))
            } else {
                Mapped::Changed(seg.b.clone())
            }
        } else if o == seg.a.start && (bias == Bias::Left || !seg.a.is_empty()) {
            Mapped::Exact(seg.b.start)
        } else {
            Mapped::Exact(seg.b.end)
        })
    }
}
