//! Anchors: long exact matches that an optimal alignment passes through, found in linear time.
//!
//! Every `k`-gram of tokens is hashed (a rolling hash); with sampling, only the `k`-grams whose hash
//! falls in a fixed fraction are kept, the same ones in both texts since the choice depends on the
//! content only. A `k`-gram that occurs equally often in A and in B is paired occurrence by
//! occurrence (a unique one once; a text repeated ten times pairs copy with copy). The longest chain of
//! pairs increasing in both texts (patience, `O(p log p)`) is kept, each pair grown to a maximal exact
//! match, and matches that are short or periodic are dropped: a run such as `.........` can be
//! crossed on several diagonals, so the alignment need not pass through it where it was found.

/// A maximal exact match: `a[i..i + len] == b[j..j + len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Anchor {
    pub i: usize,
    pub j: usize,
    pub len: usize,
}

/// How anchors are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Search {
    /// Length of the hashed `k`-grams.
    pub k: usize,
    /// Keep one `k`-gram in `2^sample_bits` (0: all).
    pub sample_bits: u32,
    /// Shortest exact match kept as an anchor.
    pub min_run: usize,
    /// A `k`-gram occurring more often than this in either text is ignored.
    pub max_count: usize,
}

/// The anchors of `a` against `b`, increasing in both and not overlapping.
pub(super) fn find(a: &[u32], b: &[u32], search: Search) -> Vec<Anchor> {
    let k = search.k;
    if k == 0 || a.len() < k || b.len() < k {
        return Vec::new();
    }
    let mut ha = sampled_hashes(a, search);
    let mut hb = sampled_hashes(b, search);
    ha.sort_unstable();
    hb.sort_unstable();
    let pairs = pair_equal_counts(&ha, &hb, search.max_count);
    drop((ha, hb));
    let chain = longest_chain(pairs);
    let anchors = grow(a, b, &chain, search);
    drop_detours(anchors, a.len(), b.len())
}

/// Drops the anchors near a gap whose two sides differ in length.
///
/// Where B has `J` more tokens than A (or fewer), the alignment must pay `J` indels, and it may pay
/// them anywhere nearby: moving them across text that matches costs little when that text is garbled,
/// and can even gain when the extra tokens are a misplaced, garbled copy of text nearby (OCR reading
/// a running head in the wrong place). So an anchor can only be trusted once enough matching text
/// separates it from the gap: the anchors closer than `2·J + min_run` matched tokens are dropped, on
/// both sides, in one pass over the gaps.
pub(super) fn drop_near_imbalance(
    mut anchors: Vec<Anchor>,
    n: usize,
    m: usize,
    min_run: usize,
) -> Vec<Anchor> {
    let count = anchors.len();
    let mut keep = vec![true; count];
    for gap in 0..=count {
        let (i0, j0) = if gap == 0 { (0, 0) } else { end(&anchors[gap - 1]) };
        let (i1, j1) = anchors.get(gap).map_or((n, m), |x| (x.i, x.j));
        let imbalance = (i1 - i0).abs_diff(j1 - j0);
        if imbalance <= min_run / 2 {
            continue;
        }
        let need = 2 * imbalance + min_run;
        let mut before = 0;
        for k in (0..gap).rev() {
            if before + anchors[k].len / 2 >= need {
                break;
            }
            keep[k] = false;
            before += anchors[k].len;
        }
        let mut after = 0;
        for (k, anchor) in anchors.iter().enumerate().skip(gap) {
            if after + anchor.len / 2 >= need {
                break;
            }
            keep[k] = false;
            after += anchor.len;
        }
    }
    let mut k = 0;
    anchors.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    anchors
}

fn end(anchor: &Anchor) -> (usize, usize) {
    (anchor.i + anchor.len, anchor.j + anchor.len)
}

/// Drops anchors that the alignment could only pass through by a detour: an anchor on another
/// diagonal than its neighbours forces indels on the way in and out that a path going straight from
/// one neighbour to the other would not pay. When those extra indels outweigh half of what the
/// anchor matches, the anchor is more likely a chance match in garbled text (say, a word of a running
/// head that OCR moved) than a point of the optimal path. Dropping an anchor never makes the result
/// worse, only the region around it larger.
fn drop_detours(anchors: Vec<Anchor>, n: usize, m: usize) -> Vec<Anchor> {
    let diagonal = |a: &Anchor| a.j as i64 - a.i as i64;
    let (start, end) = (0i64, m as i64 - n as i64);
    let mut kept: Vec<Anchor> = Vec::with_capacity(anchors.len());
    for (k, anchor) in anchors.iter().enumerate() {
        let before = kept.last().map_or(start, diagonal);
        let after = anchors.get(k + 1).map_or(end, diagonal);
        let d = diagonal(anchor);
        let detour = (d - before).abs() + (after - d).abs() - (after - before).abs();
        if 2 * detour as usize <= anchor.len {
            kept.push(*anchor);
        }
    }
    kept
}

/// The kept `k`-grams of `s`, each as `hash << 32 | position` (32 bits of hash: a collision only
/// costs an anchor, since matches are checked), so that sorting groups equal hashes with their
/// positions in increasing order.
fn sampled_hashes(s: &[u32], search: Search) -> Vec<u64> {
    let k = search.k;
    // Rolling polynomial hash over mixed tokens; collisions are harmless since matches are checked.
    const BASE: u64 = 0x100_0000_01b3;
    let top = (0..k - 1).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut out = Vec::with_capacity((s.len() >> search.sample_bits) + 16);
    let mut h = 0u64;
    for (pos, &t) in s.iter().enumerate() {
        if pos >= k {
            h = h.wrapping_sub(mix(s[pos - k]).wrapping_mul(top));
        }
        h = h.wrapping_mul(BASE).wrapping_add(mix(t));
        if pos + 1 >= k {
            let f = finish(h);
            if search.sample_bits == 0 || f >> (64 - search.sample_bits) == 0 {
                out.push((f & !0xFFFF_FFFF) | (pos + 1 - k) as u64);
            }
        }
    }
    out
}

fn mix(t: u32) -> u64 {
    (u64::from(t) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn finish(mut h: u64) -> u64 {
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 32)
}

/// Pairs the occurrences of every hash that occurs as often in A as in B, rank by rank; the pairs
/// come out sorted by position in A.
fn pair_equal_counts(ha: &[u64], hb: &[u64], max_count: usize) -> Vec<(u32, u32)> {
    let hash = |e: &u64| e >> 32;
    let pos = |e: &u64| *e as u32;
    let mut pairs = Vec::new();
    let (mut x, mut y) = (0, 0);
    while x < ha.len() && y < hb.len() {
        let (hx, hy) = (hash(&ha[x]), hash(&hb[y]));
        if hx < hy {
            x += 1;
            continue;
        }
        if hy < hx {
            y += 1;
            continue;
        }
        let x_end = x + ha[x..].iter().take_while(|e| hash(e) == hx).count();
        let y_end = y + hb[y..].iter().take_while(|e| hash(e) == hx).count();
        if x_end - x == y_end - y && x_end - x <= max_count {
            pairs.extend(ha[x..x_end].iter().zip(&hb[y..y_end]).map(|(p, q)| (pos(p), pos(q))));
        }
        x = x_end;
        y = y_end;
    }
    pairs.sort_unstable();
    pairs
}

/// The longest subsequence of `pairs` (sorted by `i`, one per `i`) strictly increasing in `j`.
fn longest_chain(pairs: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    // tails[l]: index of the pair ending the best chain of length l + 1 found so far.
    let mut tails: Vec<u32> = Vec::new();
    let mut back: Vec<u32> = vec![u32::MAX; pairs.len()];
    for (idx, &(_, j)) in pairs.iter().enumerate() {
        let l = tails.partition_point(|&t| pairs[t as usize].1 < j);
        if l > 0 {
            back[idx] = tails[l - 1];
        }
        if l == tails.len() {
            tails.push(idx as u32);
        } else {
            tails[l] = idx as u32;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied().unwrap_or(u32::MAX);
    while cur != u32::MAX {
        chain.push(pairs[cur as usize]);
        cur = back[cur as usize];
    }
    chain.reverse();
    chain
}

/// Grows each pair of the chain into a maximal exact match and keeps those fit to anchor.
fn grow(a: &[u32], b: &[u32], chain: &[(u32, u32)], search: Search) -> Vec<Anchor> {
    let mut anchors: Vec<Anchor> = Vec::new();
    // Where the last kept anchor ends: a new one must start at or after it in both texts.
    let (mut ei, mut ej) = (0usize, 0usize);
    for &(i, j) in chain {
        let (mut i, mut j) = (i as usize, j as usize);
        if i < ei || j < ej {
            continue;
        }
        if a[i..i + search.k] != b[j..j + search.k] {
            continue;
        }
        while i > ei && j > ej && a[i - 1] == b[j - 1] {
            i -= 1;
            j -= 1;
        }
        let len = a[i..].iter().zip(&b[j..]).take_while(|(x, y)| x == y).count();
        if len < search.min_run || is_periodic(&a[i..i + len]) {
            continue;
        }
        anchors.push(Anchor { i, j, len });
        ei = i + len;
        ej = j + len;
    }
    anchors
}

/// Whether `run` repeats a pattern of at most 8 tokens all along (at least twice).
fn is_periodic(run: &[u32]) -> bool {
    (1..=8.min(run.len() / 2)).any(|p| run[p..].iter().zip(run).all(|(x, y)| x == y))
}
