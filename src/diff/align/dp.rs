//! Exact Levenshtein alignment of one region, bit-parallel (Myers' vectors in Hyyrö's formulation):
//! directly when one side has at most 64 tokens, else by Hirschberg's divide and conquer, whose rows
//! are computed only in the band of diagonals a path within a known cost can reach.

use std::collections::HashMap;

use super::script::Script;

/// One step of a traceback, in the order of the texts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Equal,
    Sub,
    Del,
    Ins,
}

/// Appends an optimal alignment of a region to `out`: directly when one side has at most 64
/// tokens, else by Hirschberg's split down to such regions.
pub(super) fn small(a: &[u32], b: &[u32], out: &mut Script) {
    if a.is_empty() || b.is_empty() {
        out.change(a.len(), b.len(), 0);
    } else if b.len() <= 64 {
        narrow(a, b, false, out);
    } else if a.len() <= 64 {
        narrow(b, a, true, out);
    } else {
        hirschberg(a, b, None, out);
    }
}

/// Optimal alignment of `long` against `short` (1 to 64 tokens): one word of Myers' vectors per
/// token of `long`, all kept, and a traceback that reads the table's values off them with popcounts.
/// With `swapped`, `long` is B and `short` is A.
fn narrow(long: &[u32], short: &[u32], swapped: bool, out: &mut Script) {
    let m = short.len();
    debug_assert!((1..=64).contains(&m));
    // Match masks of the (at most 64) distinct tokens of `short`, sorted for binary search.
    let mut masks: Vec<(u32, u64)> = Vec::with_capacity(m);
    for (pos, &t) in short.iter().enumerate() {
        match masks.iter_mut().find(|e| e.0 == t) {
            Some(e) => e.1 |= 1 << pos,
            None => masks.push((t, 1 << pos)),
        }
    }
    masks.sort_unstable_by_key(|e| e.0);
    let eq = |t: u32| masks.binary_search_by_key(&t, |e| e.0).map_or(0, |k| masks[k].1);
    let mut rows: Vec<(u64, u64)> = Vec::with_capacity(long.len() + 1);
    let (mut pv, mut mv) = (!0u64, 0u64);
    rows.push((pv, mv));
    for &t in long {
        advance_block(&mut pv, &mut mv, eq(t), (1, 0));
        rows.push((pv, mv));
    }
    // D(i, j) = i + (vertical deltas of row i over the first j tokens of `short`).
    let score = |i: usize, j: usize| {
        let low = if j == 64 { !0 } else { (1u64 << j) - 1 };
        let (p, q) = rows[i];
        i as i64 + i64::from((p & low).count_ones()) - i64::from((q & low).count_ones())
    };
    let mut steps = Vec::with_capacity(long.len() + m);
    let (mut i, mut j) = (long.len(), m);
    let mut here = score(i, j);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 {
            let diag = score(i - 1, j - 1);
            let same = long[i - 1] == short[j - 1];
            if diag + i64::from(!same) == here {
                steps.push(if same { Step::Equal } else { Step::Sub });
                i -= 1;
                j -= 1;
                here = diag;
                continue;
            }
        }
        if i > 0 && score(i - 1, j) + 1 == here {
            steps.push(Step::Del);
            i -= 1;
        } else {
            steps.push(Step::Ins);
            j -= 1;
        }
        here = score(i, j);
    }
    for step in steps.into_iter().rev() {
        match (step, swapped) {
            (Step::Equal, _) => out.equal(1),
            (Step::Sub, _) => out.change(1, 1, 1),
            (Step::Del, false) | (Step::Ins, true) => out.change(1, 0, 0),
            (Step::Ins, false) | (Step::Del, true) => out.change(0, 1, 0),
        }
    }
}

/// Appends an optimal alignment of `a` against `b` to `out` in memory linear in `|a| + |b|`
/// (Hirschberg's split, each half scored bit-parallel). `bound`, if known, is an upper bound of the
/// distance: only the band of diagonals a path that cheap can reach is computed.
pub(super) fn hirschberg(a: &[u32], b: &[u32], bound: Option<u64>, out: &mut Script) {
    let (a, b, sigma) = dense_ids(a, b);
    let mut work = Work::new(sigma + 1);
    // No alignment costs more than the longer side.
    let trivial = a.len().max(b.len()) as u64;
    let bound = bound.map_or(trivial, |x| x.min(trivial));
    split(&a, &b, bound, &mut work, out);
}

/// Dense ids for the bit-parallel tables: the tokens of B number `0..sigma`, every other token
/// of A is `sigma`. Returns A, B and sigma.
fn dense_ids(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>, usize) {
    let mut ids: HashMap<u32, u32> = HashMap::new();
    let b: Vec<u32> = b
        .iter()
        .map(|t| {
            let next = ids.len() as u32;
            *ids.entry(*t).or_insert(next)
        })
        .collect();
    let sigma = ids.len();
    let a = a.iter().map(|t| ids.get(t).map_or(sigma as u32, |&id| id)).collect();
    (a, b, sigma)
}

/// The Levenshtein distance of `a` and `b`, bit-parallel (`|a|·|b|/64` word operations).
pub(super) fn distance(a: &[u32], b: &[u32]) -> u64 {
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()) as u64;
    }
    let (a, b, sigma) = dense_ids(a, b);
    let mut work = Work::new(sigma + 1);
    let peq = work.peq(b.iter().copied(), b.len());
    let band = Band::for_bound(a.len(), b.len(), a.len().max(b.len()) as u64);
    u64::from(work.last_row(a.iter().copied(), &peq, band)[b.len()])
}

/// A stretch of diagonals `j - i` (`i` counting tokens of A, `j` of B) outside which nothing of
/// interest lies.
#[derive(Clone, Copy, Debug)]
struct Band {
    lo: i64,
    hi: i64,
}

impl Band {
    /// The diagonals that a path from `(0, 0)` to `(n, m)` costing at most `bound` can touch: a path
    /// through diagonal `d` costs at least `|d| + |m - n - d|`.
    fn for_bound(n: usize, m: usize, bound: u64) -> Band {
        let delta = m as i64 - n as i64;
        let slack = (bound as i64 - delta.abs()).max(0) / 2 + 1;
        Band { lo: delta.min(0) - slack, hi: delta.max(0) + slack }
    }

    /// The same band seen from `(n, m)` with both texts read backwards.
    fn reversed(self, n: usize, m: usize) -> Band {
        let delta = m as i64 - n as i64;
        Band { lo: delta - self.hi, hi: delta - self.lo }
    }
}

/// Score of cells outside the band: larger than any distance.
const OUTSIDE: u32 = u32::MAX / 4;

fn split(a: &[u32], b: &[u32], bound: u64, work: &mut Work, out: &mut Script) {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        out.change(n, m, 0);
        return;
    }
    if n.min(m) <= 64 {
        small(a, b, out);
        return;
    }
    let band = Band::for_bound(n, m, bound);
    let mid = n / 2;
    let peq = work.peq(b.iter().copied(), m);
    let forward = work.last_row(a[..mid].iter().copied(), &peq, band);
    work.recycle(peq);
    let peq = work.peq(b.iter().rev().copied(), m);
    let backward = work.last_row(a[mid..].iter().rev().copied(), &peq, band.reversed(n, m));
    work.recycle(peq);
    // Every optimal path crosses row `mid` somewhere; where both halves are exact (inside the band,
    // which holds every path within the bound) their sum is the distance, elsewhere it is larger.
    let at = (0..=m).min_by_key(|&j| forward[j].saturating_add(backward[m - j])).unwrap_or(0);
    let (left, right) = (u64::from(forward[at]), u64::from(backward[m - at]));
    drop((forward, backward));
    split(&a[..mid], &b[..at], left, work, out);
    split(&a[mid..], &b[at..], right, work, out);
}

/// For the pattern B, where each token (a dense id) occurs: a bit mask per 64 positions. Positions
/// past the end of B match nothing, as if B were padded with a token of its own.
///
/// Tokens that occur often get a dense row of masks; rare ones (most words, in a large region) keep
/// their positions and have their masks set and cleared per use, so that memory stays linear in
/// `|B|` whatever the alphabet.
struct Peq {
    len: usize,
    words: usize,
    /// Tokens with a row, to reset `Work::rows` afterwards.
    tokens: Vec<u32>,
    dense: Vec<u64>,
    sparse: Vec<u32>,
}

#[derive(Clone, Copy)]
enum Row {
    None,
    Dense(u32),
    Sparse(u32, u32),
}

/// Buffers reused across the calls of one Hirschberg run, indexed by dense token id.
struct Work {
    counts: Vec<u32>,
    rows: Vec<Row>,
    scratch: [Vec<u64>; 2],
}

impl Work {
    fn new(sigma: usize) -> Work {
        Work {
            counts: vec![0; sigma],
            rows: vec![Row::None; sigma],
            scratch: [Vec::new(), Vec::new()],
        }
    }

    fn peq(&mut self, b: impl Iterator<Item = u32> + Clone, len: usize) -> Peq {
        let words = len.div_ceil(64);
        let mut tokens = Vec::new();
        for t in b.clone() {
            if self.counts[t as usize] == 0 {
                tokens.push(t);
            }
            self.counts[t as usize] += 1;
        }
        // A token with fewer than `words / 8` occurrences costs less set and cleared per use than a
        // dense row costs to scan.
        let threshold = (words as u32 / 8).max(1);
        let (mut n_dense, mut n_sparse) = (0u32, 0u32);
        for &t in &tokens {
            let c = self.counts[t as usize];
            self.rows[t as usize] = if c >= threshold {
                n_dense += 1;
                Row::Dense((n_dense - 1) * words as u32)
            } else {
                n_sparse += c;
                Row::Sparse(n_sparse - c, n_sparse - c)
            };
            self.counts[t as usize] = 0;
        }
        let mut dense = vec![0u64; n_dense as usize * words];
        let mut sparse = vec![0u32; n_sparse as usize];
        for (pos, t) in b.enumerate() {
            match &mut self.rows[t as usize] {
                Row::Dense(off) => dense[*off as usize + pos / 64] |= 1 << (pos % 64),
                Row::Sparse(_, end) => {
                    sparse[*end as usize] = pos as u32;
                    *end += 1;
                }
                Row::None => unreachable!("every token of B has a row"),
            }
        }
        for s in &mut self.scratch {
            s.clear();
            s.resize(words, 0);
        }
        Peq { len, words, tokens, dense, sparse }
    }

    fn recycle(&mut self, peq: Peq) {
        for t in peq.tokens {
            self.rows[t as usize] = Row::None;
        }
    }

    /// `D(n, j)` for every `j` in `0..=|B|`, `n` being the number of tokens of `a`: the last row of
    /// the Levenshtein table of `a` against the pattern of `peq`, exact for the paths inside `band`
    /// and never below the truth elsewhere (`OUTSIDE` where nothing was computed).
    ///
    /// Only the blocks of 64 columns that meet the band are computed, as in edlib: a block entering
    /// the band on the right starts from the upper bound "one more per column", and the block at the
    /// left edge of the band assumes the largest delta entering it; both can only overestimate cells
    /// that no path inside the band depends on.
    fn last_row(&mut self, a: impl Iterator<Item = u32>, peq: &Peq, band: Band) -> Vec<u32> {
        let words = peq.words;
        // Vertical deltas of the current row of the table, D(i, j) - D(i, j-1): +1 in `pv`, -1 in
        // `mv`, bit k of block w for column 64w + k + 1. Row 0 is D(0, j) = j. `bottom` is
        // D(i, 64w + 64) for the last block `w` computed.
        let mut pv = vec![!0u64; words];
        let mut mv = vec![0u64; words];
        let first = |i: i64| (((i + band.lo - 1).max(0)) / 64) as usize;
        let last = |i: i64| ((((i + band.hi - 1).max(0)) / 64) as usize).min(words - 1);
        // The blocks of row 1 start from row 0, exact.
        let mut ready = last(1);
        let mut bottom = 64 * (ready as i64 + 1);
        let [s0, s1] = &mut self.scratch;
        let rows = &self.rows;
        let mut a = a.peekable();
        let mut i = 0i64;
        while let Some(t0) = a.next() {
            let r0 = rows[t0 as usize];
            let eq0 = eq_row(peq, r0, s0);
            i += 1;
            let (f0, l0) = (first(i), last(i));
            if l0 > ready {
                // The block entering the band starts from "one more per column" below the block
                // before it: an upper bound of the previous row there.
                pv[l0] = !0;
                mv[l0] = 0;
                bottom += 64;
                ready = l0;
            }
            if let Some(t1) = a.next() {
                // Two rows at once, the second one block behind, so that their two chains of
                // carries run side by side. A block the second row adds is set up from the first
                // row's value of the block before it, right after the first row computed that.
                let r1 = rows[t1 as usize];
                let eq1 = eq_row(peq, r1, s1);
                let (f1, l1) = (first(i + 1), last(i + 1));
                let (h0, h1) = if (f0, l0) == (f1, l1) {
                    two_rows(&mut pv[f0..=l0], &mut mv[f0..=l0], &eq0[f0..=l0], &eq1[f0..=l0])
                } else {
                    let mut h0 = (1, 0);
                    for w in f0..=l0 {
                        h0 = advance_block(&mut pv[w], &mut mv[w], eq0[w], h0);
                    }
                    if l1 > l0 {
                        pv[l1] = !0;
                        mv[l1] = 0;
                    }
                    let mut h1 = (1, 0);
                    for w in f1..=l1 {
                        h1 = advance_block(&mut pv[w], &mut mv[w], eq1[w], h1);
                    }
                    (h0, h1)
                };
                // Bottom of the last block: row i, then row i + 1 (64 more if it added a block).
                bottom += delta(h0);
                if l1 > l0 {
                    bottom += 64;
                }
                bottom += delta(h1);
                ready = l1;
                i += 1;
                clear_row(peq, r1, s1);
            } else {
                let mut h0 = (1, 0);
                for w in f0..=l0 {
                    h0 = advance_block(&mut pv[w], &mut mv[w], eq0[w], h0);
                }
                bottom += delta(h0);
            }
            clear_row(peq, r0, s0);
        }
        let mut out = vec![OUTSIDE; peq.len + 1];
        if i == 0 {
            for (j, o) in out.iter_mut().enumerate() {
                *o = j as u32;
            }
            return out;
        }
        let (f, l) = (first(i), last(i));
        // Walk the blocks of the band backwards from the bottom of the last one.
        let mut block_bottom = bottom;
        for w in (f..=l).rev() {
            let total = i64::from(pv[w].count_ones()) - i64::from(mv[w].count_ones());
            let top = block_bottom - total;
            let mut score = top;
            if w == 0 {
                out[0] = top as u32;
            }
            for k in 0..64 {
                let j = 64 * w + k + 1;
                if j > peq.len {
                    break;
                }
                score += ((pv[w] >> k) & 1) as i64 - ((mv[w] >> k) & 1) as i64;
                out[j] = score as u32;
            }
            block_bottom = top;
        }
        out
    }
}

/// The match masks of a token: its dense row, or its positions set in `scratch`.
fn eq_row<'p>(peq: &'p Peq, row: Row, scratch: &'p mut [u64]) -> &'p [u64] {
    match row {
        Row::Dense(off) => &peq.dense[off as usize..off as usize + peq.words],
        Row::Sparse(start, end) => {
            for &p in &peq.sparse[start as usize..end as usize] {
                scratch[p as usize / 64] |= 1 << (p % 64);
            }
            scratch
        }
        Row::None => scratch,
    }
}

fn clear_row(peq: &Peq, row: Row, scratch: &mut [u64]) {
    if let Row::Sparse(start, end) = row {
        for &p in &peq.sparse[start as usize..end as usize] {
            scratch[p as usize / 64] = 0;
        }
    }
}

/// Two consecutive rows over the same blocks, the second one block behind the first, so that the
/// two chains of carries run side by side; returns the deltas leaving both rows at the bottom.
fn two_rows(pv: &mut [u64], mv: &mut [u64], eq0: &[u64], eq1: &[u64]) -> ((u64, u64), (u64, u64)) {
    let n = pv.len();
    let mut h0 = advance_block(&mut pv[0], &mut mv[0], eq0[0], (1, 0));
    let mut h1 = (1, 0);
    for w in 1..n {
        h0 = advance_block(&mut pv[w], &mut mv[w], eq0[w], h0);
        h1 = advance_block(&mut pv[w - 1], &mut mv[w - 1], eq1[w - 1], h1);
    }
    h1 = advance_block(&mut pv[n - 1], &mut mv[n - 1], eq1[n - 1], h1);
    (h0, h1)
}

/// The score change a horizontal delta `(plus, minus)` stands for.
fn delta((plus, minus): (u64, u64)) -> i64 {
    plus as i64 - minus as i64
}

/// Myers' step for one block of 64 pattern positions (Hyyrö's formulation): `(plus, minus)`, each
/// 0 or 1, is the horizontal delta entering at the top; returns the one leaving at the bottom.
#[inline(always)]
fn advance_block(pv: &mut u64, mv: &mut u64, eq: u64, (hp, hn): (u64, u64)) -> (u64, u64) {
    let xv = eq | *mv;
    // A delta of -1 entering acts as a match at the top.
    let eq = eq | hn;
    let xh = (((eq & *pv).wrapping_add(*pv)) ^ *pv) | eq;
    let ph = *mv | !(xh | *pv);
    let mh = *pv & xh;
    let out = (ph >> 63, mh >> 63);
    let ph = (ph << 1) | hp;
    let mh = (mh << 1) | hn;
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    out
}
