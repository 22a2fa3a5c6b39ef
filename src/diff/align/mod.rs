//! The aligner: an optimal (minimum-edit) alignment of two token sequences in near-linear time.
//!
//! Exact Levenshtein alignment is quadratic, which at book length means minutes and gigabytes. The
//! aligner cuts the problem at anchors (long exact matches, see [`anchor`]) and aligns each region
//! between two anchors exactly ([`dp`]). A region that is still large is searched again for anchors,
//! with every `k`-gram instead of a sample, then with shorter ones; what remains is aligned by
//! Hirschberg's method over bit-parallel rows, as long as the cell budget lasts. Beyond the budget a
//! region is aligned piecewise along its diagonal: still a valid alignment, but its cost is only an
//! upper bound, and the script says so ([`Aligned::degraded`]).
//!
//! Cutting at an anchor keeps the result optimal only if some optimal path crosses the anchor. For
//! a long, aperiodic match in clean text that holds, and the regions beside it may still leave the
//! match anywhere within `margin` tokens of its ends. In garbled text it need not hold: where one
//! side has extra tokens (a misplaced running head, a lost line), the optimal path may pay those
//! indels elsewhere and bypass a nearby match. So anchors that would need a detour, or that lie
//! within `2·J + min_run` matched tokens of a gap whose sides differ by `J` tokens, are dropped
//! ([`anchor`]); garbled stretches then become larger regions, aligned exactly as a whole. This is
//! a heuristic, not a proof: the agreement run (`cargo xtask agree diff`) checks the distances
//! against dinglehopper's exact quadratic ones on real OCR pairs, and the tests against the
//! textbook recurrence on synthetic ones.

mod anchor;
mod dp;
pub(crate) mod script;

use anchor::Search;
use script::Script;

/// How one kind of token is aligned.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// Length of the hashed `k`-grams of the first search levels; later levels halve it.
    pub k: usize,
    /// Shortest exact match used as an anchor.
    pub min_run: usize,
    /// How far into an anchor, from either end, the exact alignment of a region may reach.
    pub margin: usize,
    /// Cells of quadratic (Hirschberg) alignment allowed in all, summed over regions.
    pub cell_budget: u64,
}

impl Params {
    /// For grapheme clusters or chars.
    pub fn chars(cell_budget: u64) -> Params {
        Params { k: 16, min_run: 12, margin: 8, cell_budget }
    }

    /// For words.
    pub fn words(cell_budget: u64) -> Params {
        Params { k: 4, min_run: 3, margin: 2, cell_budget }
    }
}

/// An alignment and how it was obtained.
#[derive(Clone, Debug, Default)]
pub(crate) struct Aligned {
    pub script: Script,
    /// When some region exceeded the budget: how many tokens were aligned piecewise.
    pub degraded: Option<Degraded>,
}

/// What the budget could not cover.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Degraded {
    /// Regions aligned piecewise.
    pub regions: usize,
    /// Tokens of A in those regions.
    pub a_tokens: usize,
    /// Tokens of B in those regions.
    pub b_tokens: usize,
}

/// Aligns `a` against `b` with the fewest edits the method can find (see the module docs).
pub(crate) fn align(a: &[u32], b: &[u32], params: Params) -> Aligned {
    let mut aligner = Aligner { params, budget: params.cell_budget, degraded: None };
    let mut script = Script::default();
    aligner.solve(a, b, 0, &mut script);
    Aligned { script, degraded: aligner.degraded }
}

struct Aligner {
    params: Params,
    budget: u64,
    degraded: Option<Degraded>,
}

/// Regions smaller than this (in cells) are not searched for anchors, just aligned.
const SEARCH_CELLS: usize = 1 << 16;

/// Regions with fewer cells than this are aligned quadratically rather than anchored at repeated
/// `k`-grams.
const RANK_CELLS: u64 = 1 << 34;

/// Cells of one piece when a region is aligned piecewise.
const PIECE_CELLS: usize = 1 << 12;

impl Aligner {
    /// The anchor searches, in the order they are tried on a region of `len` tokens (the longer
    /// side), and the level at which the regions between the anchors found are continued.
    ///
    /// Only `k`-grams unique in the region anchor at first: a repeated one (a running head, a
    /// refrain) may pair the wrong copies. Inside a region, a `k`-gram repeated in the whole text is
    /// often unique, so the same searches run again there. Pairing repeated `k`-grams copy by copy
    /// (level 3) is the last resort, for regions too large to align quadratically (a text repeated
    /// many times); the regions it leaves are searched again from level 1.
    fn search(&self, level: usize, len: usize) -> Option<(Search, usize)> {
        let Params { k, min_run, .. } = self.params;
        // Sample so that at most about 2^17 k-grams of a side are kept: memory stays a small
        // fraction of the input, and anchors stay dense enough.
        let bits = (usize::BITS - (len >> 17).leading_zeros()).min(8);
        match level {
            0 => Some((Search { k, sample_bits: bits, min_run, max_count: 1 }, 1)),
            1 => {
                Some((Search { k, sample_bits: bits.saturating_sub(2), min_run, max_count: 1 }, 2))
            }
            2 => {
                let k = (k / 2).max(2).min(min_run);
                Some((Search { k, sample_bits: bits.saturating_sub(4), min_run, max_count: 1 }, 3))
            }
            3 => Some((Search { k, sample_bits: bits, min_run, max_count: 64 }, 1)),
            _ => None,
        }
    }

    fn solve(&mut self, a: &[u32], b: &[u32], level: usize, out: &mut Script) {
        // A common prefix or suffix is always part of some optimal alignment.
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let (a, b) = (&a[prefix..], &b[prefix..]);
        let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
        let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
        out.equal(prefix);
        self.solve_trimmed(a, b, level, out);
        out.equal(suffix);
    }

    fn solve_trimmed(&mut self, a: &[u32], b: &[u32], level: usize, out: &mut Script) {
        let cells = (a.len() + 1).saturating_mul(b.len() + 1);
        if a.is_empty() || b.is_empty() || cells <= SEARCH_CELLS {
            dp::small(a, b, out);
            return;
        }
        let len = a.len().max(b.len());
        // Pairing repeated k-grams is the last resort, but a huge region that has no unique one (a
        // text repeated many times) gets it right after the first search.
        let huge = cells as u64 >= RANK_CELLS || cells as u64 > self.budget;
        let order: &[usize] = if huge { &[0, 3, 1, 2] } else { &[0, 1, 2] };
        let mut tried: Option<Search> = None;
        for &level in order.iter().filter(|&&l| l >= level) {
            let Some((search, next)) = self.search(level, len) else { continue };
            // On a small region the first two levels are the same search.
            if tried == Some(search) {
                continue;
            }
            tried = Some(search);
            let anchors = anchor::find(a, b, search);
            let anchors = anchor::drop_near_imbalance(anchors, a.len(), b.len(), search.min_run);
            if anchors.is_empty() {
                continue;
            }
            let margin = self.params.margin;
            let (mut ci, mut cj) = (0, 0);
            for anchor in anchors {
                // Fix the middle of the anchor; leave up to `margin` tokens at either end to the
                // regions beside it.
                let left = margin.min(anchor.len / 2);
                let right = margin.min(anchor.len - anchor.len / 2);
                let (si, sj) = (anchor.i + left, anchor.j + left);
                let fixed = anchor.len - left - right;
                self.solve(&a[ci..si], &b[cj..sj], next, out);
                out.equal(fixed);
                ci = si + fixed;
                cj = sj + fixed;
            }
            self.solve(&a[ci..], &b[cj..], next, out);
            return;
        }
        let cells = a.len() as u64 * b.len() as u64;
        if cells <= self.budget {
            self.budget -= cells;
            let bound = self.quick_bound(a, b);
            dp::hirschberg(a, b, Some(bound), out);
        } else {
            self.piecewise(a, b, out);
        }
    }

    /// An upper bound of the distance of `a` and `b`, cheaply: the cost of cutting at every anchor
    /// found, the regions between them scored exactly.
    fn quick_bound(&self, a: &[u32], b: &[u32]) -> u64 {
        let Some((search, _)) = self.search(1, a.len().max(b.len())) else {
            return a.len().max(b.len()) as u64;
        };
        let (mut ci, mut cj, mut cost) = (0, 0, 0);
        for anchor in anchor::find(a, b, search) {
            cost += dp::distance(&a[ci..anchor.i], &b[cj..anchor.j]);
            ci = anchor.i + anchor.len;
            cj = anchor.j + anchor.len;
        }
        cost + dp::distance(&a[ci..], &b[cj..])
    }

    /// Aligns `a` against `b` in pieces cut along the diagonal of the region, each aligned exactly.
    fn piecewise(&mut self, a: &[u32], b: &[u32], out: &mut Script) {
        let (n, m) = (a.len(), b.len());
        let d = self.degraded.get_or_insert_with(Degraded::default);
        d.regions += 1;
        d.a_tokens += n;
        d.b_tokens += m;
        let cells = n as f64 * m as f64;
        let pieces = ((cells / PIECE_CELLS as f64).sqrt().ceil() as usize).clamp(1, n.max(m));
        for p in 0..pieces {
            let (a0, a1) = (n * p / pieces, n * (p + 1) / pieces);
            let (b0, b1) = (m * p / pieces, m * (p + 1) / pieces);
            dp::small(&a[a0..a1], &b[b0..b1], out);
        }
    }
}

#[cfg(test)]
mod tests;
