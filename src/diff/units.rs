//! The units that are counted: grapheme clusters for the CER, words for the WER, chars for the raw
//! alignment; each unit becomes a `u32` id so that the aligner compares integers.

use std::collections::HashMap;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::unicode_tables::UNWANTED;

/// Ids of grapheme clusters and words, shared by the two texts of a comparison.
///
/// A cluster of one char gets the char's scalar value as id, so the common case needs no hashing;
/// longer clusters and all words get ids from a table.
#[derive(Default)]
pub(crate) struct Interner<'t> {
    table: HashMap<&'t str, u32>,
}

/// First id handed out by the table: above every scalar value.
const FIRST_TABLE_ID: u32 = 0x11_0000;

impl<'t> Interner<'t> {
    fn id(&mut self, unit: &'t str) -> u32 {
        let next = FIRST_TABLE_ID + self.table.len() as u32;
        *self.table.entry(unit).or_insert(next)
    }

    /// The extended grapheme clusters of `text`, as ids.
    pub(crate) fn clusters(&mut self, text: &'t str) -> Vec<u32> {
        let mut ids = Vec::with_capacity(text.len());
        for cluster in text.graphemes(true) {
            let mut chars = cluster.chars();
            let id = match (chars.next(), chars.next()) {
                (Some(c), None) => c as u32,
                _ => self.id(cluster),
            };
            ids.push(id);
        }
        ids.shrink_to_fit();
        ids
    }

    /// The counted words of `text` (see [`word_spans`]), as ids.
    pub(crate) fn words(&mut self, text: &'t str) -> Vec<u32> {
        word_spans(text).into_iter().map(|span| self.id(&text[span])).collect()
    }
}

/// The chars of `text` as ids (their scalar values).
pub(crate) fn chars(text: &str) -> Vec<u32> {
    text.chars().map(|c| c as u32).collect()
}

/// Byte offsets where the extended grapheme clusters of `text` start, then `text.len()`.
pub(crate) fn cluster_bounds(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.grapheme_indices(true).map(|(i, _)| i).chain(std::iter::once(text.len()))
}

/// Byte offsets where the chars of `text` start, then `text.len()`.
pub(crate) fn char_bounds(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()))
}

/// The byte ranges of the words dinglehopper counts: the segments between UAX #29 word boundaries,
/// except those made only of whitespace, punctuation, symbols, marks and control or format chars.
///
/// dinglehopper segments with the Python package `uniseg` (Unicode 16) and means to treat private-use
/// chars (U+E000..U+F8FF, where MUFI puts its letters) as letters: it patches
/// `uniseg.wordbreak.word_break`. The patch does not reach the segmentation, though (uniseg's
/// `words` took the original function as a default argument), so a private-use char is
/// `Word_Break=Other` there and splits `ſ\u{E8A0}x` into three segments — as here.
pub(crate) fn word_spans(text: &str) -> Vec<Range<usize>> {
    text.split_word_bound_indices()
        .map(|(i, w)| i..i + w.len())
        .filter(|span| !text[span.clone()].chars().all(is_unwanted))
        .collect()
}

/// Whether a char alone cannot make a word count (see [`UNWANTED`]).
pub(crate) fn is_unwanted(c: char) -> bool {
    let c = c as u32;
    UNWANTED
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}
