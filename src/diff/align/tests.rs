use proptest::prelude::*;

use super::script::Script;
use super::*;

/// The Levenshtein distance by the textbook recurrence, the reference for everything here.
fn reference(a: &[u32], b: &[u32]) -> u64 {
    let mut prev: Vec<u64> = (0..=b.len() as u64).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i as u64 + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + u64::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Checks that `script` turns `a` into `b`: equal runs match, lengths add up.
fn check_script(a: &[u32], b: &[u32], script: &Script) {
    let (mut i, mut j) = (0, 0);
    for run in &script.runs {
        if run.equal {
            assert_eq!(run.a, run.b);
            assert_eq!(a[i..i + run.a as usize], b[j..j + run.b as usize]);
        } else {
            assert!(run.subs <= run.a.min(run.b));
        }
        i += run.a as usize;
        j += run.b as usize;
    }
    assert_eq!((i, j), (a.len(), b.len()));
}

/// A text-like sequence over a small alphabet, and a noisy copy of it.
fn noisy_pair(seed: u64, len: usize, alphabet: u32, error_per_mille: u64) -> (Vec<u32>, Vec<u32>) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let a: Vec<u32> = (0..len).map(|_| (next() % u64::from(alphabet)) as u32).collect();
    let mut b = Vec::with_capacity(len);
    for &t in &a {
        match next() % 1000 {
            r if r < error_per_mille / 3 => {}
            r if r < 2 * error_per_mille / 3 => b.push((next() % u64::from(alphabet)) as u32),
            r if r < error_per_mille => {
                b.push(t);
                b.push((next() % u64::from(alphabet)) as u32);
            }
            _ => b.push(t),
        }
    }
    (a, b)
}

#[test]
fn small_regions_are_optimal() {
    let cases: &[(&[u32], &[u32])] =
        &[(&[], &[]), (&[1], &[]), (&[], &[1, 2]), (&[1, 2, 3], &[1, 3]), (&[1, 2], &[2, 1])];
    for (a, b) in cases {
        let mut s = Script::default();
        dp::small(a, b, &mut s);
        check_script(a, b, &s);
        assert_eq!(s.distance(), reference(a, b));
    }
}

#[test]
fn anchored_alignment_is_optimal_on_noisy_text() {
    for seed in 0..3 {
        let (a, b) = noisy_pair(seed, 3000, 30, 120);
        let aligned = align(&a, &b, Params::chars(u64::MAX));
        check_script(&a, &b, &aligned.script);
        assert_eq!(aligned.script.distance(), reference(&a, &b), "seed {seed}");
        assert!(aligned.degraded.is_none());
    }
}

#[test]
fn hirschberg_is_optimal_on_a_large_region() {
    let (a, b) = noisy_pair(7, 1500, 4, 300);
    let mut s = Script::default();
    dp::hirschberg(&a, &b, None, &mut s);
    check_script(&a, &b, &s);
    assert_eq!(s.distance(), reference(&a, &b));
}

#[test]
fn repeated_text_is_anchored_copy_by_copy() {
    let (a, b) = noisy_pair(3, 2000, 40, 100);
    let (a10, b10): (Vec<u32>, Vec<u32>) = (a.repeat(10), b.repeat(10));
    // Budget for less than one full quadratic pass: the anchors must do the work.
    let aligned = align(&a10, &b10, Params::chars(10_000_000));
    check_script(&a10, &b10, &aligned.script);
    assert!(aligned.degraded.is_none());
    assert_eq!(aligned.script.distance(), 10 * reference(&a, &b));
}

#[test]
fn over_budget_degrades_to_a_valid_upper_bound() {
    let (a, b) = noisy_pair(11, 3000, 3, 600);
    let aligned = align(&a, &b, Params::chars(1000));
    check_script(&a, &b, &aligned.script);
    let d = aligned.degraded.expect("the budget is far too small");
    assert!(d.regions >= 1 && d.a_tokens > 0);
    assert!(aligned.script.distance() >= reference(&a, &b));
}

proptest! {
    #[test]
    fn narrow_regions_are_optimal(
        a in proptest::collection::vec(0u32..5, 0..150),
        b in proptest::collection::vec(0u32..5, 0..70),
    ) {
        for (x, y) in [(&a, &b), (&b, &a)] {
            let mut s = Script::default();
            dp::small(x, y, &mut s);
            check_script(x, y, &s);
            prop_assert_eq!(s.distance(), reference(x, y));
        }
    }

    #[test]
    fn bit_parallel_distance_equals_the_recurrence(
        a in proptest::collection::vec(0u32..5, 0..200),
        b in proptest::collection::vec(0u32..5, 0..200),
    ) {
        prop_assert_eq!(dp::distance(&a, &b), reference(&a, &b));
    }

    #[test]
    fn hirschberg_equals_the_recurrence(
        a in proptest::collection::vec(0u32..6, 0..400),
        b in proptest::collection::vec(0u32..6, 200..400),
    ) {
        let mut s = Script::default();
        dp::hirschberg(&a, &b, None, &mut s);
        check_script(&a, &b, &s);
        prop_assert_eq!(s.distance(), reference(&a, &b));
    }
}
