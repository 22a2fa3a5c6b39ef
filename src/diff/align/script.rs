//! An edit script in runs: what an alignment of two token sequences says, kept compact.

/// A stretch of the alignment: `a` tokens of A against `b` tokens of B.
///
/// In an equal run `a == b` and the tokens match one by one. In a change run no token is matched;
/// `subs` of them are substitutions, the other `a - subs` deletions and `b - subs` insertions, so the
/// run costs `a + b - subs` edits. (An optimal change run has `subs == min(a, b)`; runs built by the
/// coarse fallback need not.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub a: u32,
    pub b: u32,
    pub subs: u32,
    pub equal: bool,
}

impl Run {
    /// The number of edits the run stands for.
    pub fn cost(&self) -> u64 {
        if self.equal { 0 } else { u64::from(self.a) + u64::from(self.b) - u64::from(self.subs) }
    }
}

/// A whole alignment of A against B as runs, adjacent runs of the same kind merged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Script {
    pub runs: Vec<Run>,
}

impl Script {
    /// `n` matching tokens.
    pub fn equal(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        let n = n as u32;
        match self.runs.last_mut() {
            Some(last) if last.equal => {
                last.a += n;
                last.b += n;
            }
            _ => self.runs.push(Run { a: n, b: n, subs: 0, equal: true }),
        }
    }

    /// `a` tokens of A replaced by `b` tokens of B, `subs` of them as substitutions.
    pub fn change(&mut self, a: usize, b: usize, subs: usize) {
        if a == 0 && b == 0 {
            return;
        }
        debug_assert!(subs <= a.min(b));
        let (a, b, subs) = (a as u32, b as u32, subs as u32);
        match self.runs.last_mut() {
            Some(last) if !last.equal => {
                last.a += a;
                last.b += b;
                last.subs += subs;
            }
            _ => self.runs.push(Run { a, b, subs, equal: false }),
        }
    }

    /// The number of edits: the Levenshtein distance if the script is optimal.
    pub fn distance(&self) -> u64 {
        self.runs.iter().map(Run::cost).sum()
    }

    /// Substitutions, insertions and deletions.
    pub fn counts(&self) -> (u64, u64, u64) {
        let (mut s, mut i, mut d) = (0, 0, 0);
        for run in self.runs.iter().filter(|r| !r.equal) {
            s += u64::from(run.subs);
            i += u64::from(run.b - run.subs);
            d += u64::from(run.a - run.subs);
        }
        (s, i, d)
    }
}
