//! Names: register forms found in the text with one Aho-Corasick pass.
//!
//! Every form of every entry (name, variants, adjectives; each also in
//! capitals, for opening words such as "SOVIET", and with straight and
//! curly apostrophes) is a pattern. The automaton finds the leftmost-longest
//! forms; one is kept when it stands on word boundaries (a shorter form at
//! the same place is not tried, which costs nothing in practice and keeps
//! the pass linear). A name may
//! be followed by a possessive (’s, 's, ’) and may be joined to another
//! word by a hyphen (Malenkov-Beria-Molotov, post-Stalin), but "Stalin"
//! inside "Stalinist" is no match. Titles (Marshal, Premier) are not part
//! of any form, so they stay outside the span.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, Anchored, MatchKind, StartKind};

use super::register::{EntryKind, Register};
use crate::document::{Annotation, Cert, Id, Kind};

/// What a pattern stands for.
#[derive(Debug, Clone)]
struct Target {
    kind: EntryKind,
    id: Id,
    adjectival: bool,
    level: Option<crate::document::Level>,
    ambiguous: bool,
}

/// A compiled matcher for one register.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    /// The target of each pattern, by pattern index.
    targets: Vec<u32>,
    entries: Vec<Target>,
    /// The bytes some form starts with.
    first: [bool; 256],
}

/// A name found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub kind: EntryKind,
    pub id: Id,
    pub adjectival: bool,
    pub cert: Cert,
}

impl Matcher {
    /// The matcher for a register, compiled once
    /// per process: a corpus whose editions share a register (the default
    /// one, say) builds its automaton once, not once per text.
    pub fn shared(register: &Register) -> Arc<Matcher> {
        static CACHE: Mutex<Vec<(u64, Arc<Matcher>)>> = Mutex::new(Vec::new());
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for (kind, entry) in register.all() {
            (
                kind,
                &entry.id,
                &entry.name,
                &entry.variants,
                &entry.adjectives,
                &entry.level,
                entry.ambiguous,
            )
                .hash(&mut hasher);
        }
        let key = hasher.finish();
        // A poisoned lock only means another thread panicked while holding
        // it; the cache itself is still a valid list.
        let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, m)) = cache.iter().find(|(k, _)| *k == key) {
            return Arc::clone(m);
        }
        let matcher = Arc::new(Matcher::new(register));
        if cache.len() >= 4 {
            cache.remove(0);
        }
        cache.push((key, Arc::clone(&matcher)));
        matcher
    }

    /// Compiles the register's forms.
    pub fn new(register: &Register) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<u32> = Vec::new();
        let mut entries: Vec<Target> = Vec::new();
        for (kind, entry) in register.all() {
            let index = entries.len() as u32;
            let level = entry.level.as_deref().and_then(crate::document::Level::parse);
            let id: Id = Id::from(entry.id.as_str());
            entries.push(Target {
                kind,
                id: id.clone(),
                adjectival: false,
                level,
                ambiguous: entry.ambiguous,
            });
            let adjectival = index + 1;
            entries.push(Target { kind, id, adjectival: true, level, ambiguous: entry.ambiguous });
            let forms = entry
                .forms()
                .map(|f| (f, index))
                .chain(entry.adjectives.iter().map(|a| (a.as_str(), adjectival)));
            for (form, target) in forms {
                for variant in spellings(form) {
                    patterns.push(variant);
                    targets.push(target);
                }
            }
        }
        let mut first = [false; 256];
        for p in &patterns {
            if let Some(&b) = p.as_bytes().first() {
                first[usize::from(b)] = true;
            }
        }
        // Searches start only where a word starts with a byte some form
        // starts with; the automaton is anchored there.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .ok();
        Matcher { automaton, targets, entries, first }
    }

    /// Finds the names in `text[range]`.
    pub fn find_in(&self, text: &str, range: Range<usize>, out: &mut Vec<Found>) {
        let Some(ac) = &self.automaton else { return };
        let hay = &text[range.clone()];
        let bytes = hay.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !self.first[usize::from(bytes[i])] {
                i += 1;
                continue;
            }
            let word_start = match i.checked_sub(1).map(|p| bytes[p]) {
                None => true,
                Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
                Some(_) => starts_word(hay, i),
            };
            if !word_start {
                i += 1;
                continue;
            }
            let input = aho_corasick::Input::new(hay).span(i..hay.len()).anchored(Anchored::Yes);
            let Some(m) = ac.find(input) else {
                i += 1;
                continue;
            };
            let (s, e) = (m.start(), m.end());
            // A form inside a longer word ("Stalinist") is no name.
            if !ends_word(hay, e) {
                i += 1;
                continue;
            }
            i = e;
            let target = self.targets[m.pattern().as_usize()];
            let t = &self.entries[target as usize];
            // An ambiguous organisation's form after a capitalised word or an
            // ordinal is part of a longer name the register lacks: "the
            // Sixteenth Congress", "the Yugoslav Central Committee", "Social
            // Democrats".
            if t.ambiguous && t.kind == EntryKind::Org && after_name_word(hay, s) {
                continue;
            }
            out.push(Found {
                range: range.start + s..range.start + e,
                kind: t.kind,
                id: t.id.clone(),
                adjectival: t.adjectival,
                cert: if t.ambiguous { Cert::Medium } else { Cert::High },
            });
        }
    }

    /// The annotation for a found name.
    pub fn annotate(&self, found: &Found) -> Annotation {
        let reference = Some(found.id.clone());
        let kind = match found.kind {
            EntryKind::Person => Kind::Person { reference },
            EntryKind::Place => Kind::Place { reference, adjectival: found.adjectival },
            EntryKind::Org => Kind::Org { reference, adjectival: found.adjectival },
            EntryKind::Work => {
                let level = self
                    .entries
                    .iter()
                    .find(|t| t.id == found.id && t.kind == EntryKind::Work)
                    .and_then(|t| t.level);
                Kind::Title { reference, level }
            }
        };
        Annotation::new(found.range.clone(), kind, "register").with_cert(found.cert)
    }
}

/// The names (sorted by position, not overlapping each other, as
/// [`Matcher::find_in`] leaves them) that overlap a range.
pub fn overlapping(names: &[Found], range: Range<usize>) -> &[Found] {
    let end = names.partition_point(|n| n.range.start < range.end);
    let start = names[..end].partition_point(|n| n.range.end <= range.start);
    &names[start..end]
}

/// The names wholly inside a range, in document order.
pub fn within(names: &[Found], range: Range<usize>) -> impl DoubleEndedIterator<Item = &Found> {
    overlapping(names, range.clone())
        .iter()
        .filter(move |n| range.start <= n.range.start && n.range.end <= range.end)
}

/// Whether the word just before `at` (separated by whitespace only) is
/// part of a name: capitalised, not a function word and not the first word
/// of a sentence; or an ordinal ("Sixteenth", "20th").
fn after_name_word(hay: &str, at: usize) -> bool {
    let before = hay[..at].trim_end();
    if before.len() == at {
        return false;
    }
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    let lower = word.to_lowercase();
    let last = lower.rsplit('-').next().unwrap_or("");
    let digits = last.trim_end_matches(char::is_alphabetic);
    let ordinal = (!digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(&last[digits.len()..], "st" | "nd" | "rd" | "th"))
        || ORDINALS.contains(&last)
        || (last.len() > 6 && (last.ends_with("teenth") || last.ends_with("tieth")));
    if ordinal {
        return true;
    }
    if !word.starts_with(char::is_uppercase) || FUNCTION_WORDS.contains(&lower.as_str()) {
        return false;
    }
    // The first word of a sentence is capitalised whatever it is.
    let sentence_start = before[..start]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '“' | '"' | '(' | '['));
    !sentence_start
}

const ORDINALS: [&str; 12] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];

/// Capitalised words that do not make a name longer ("In Congress", "and the Senate").
const FUNCTION_WORDS: [&str; 40] = [
    "the", "a", "an", "this", "that", "these", "those", "in", "at", "on", "by", "for", "from",
    "to", "with", "and", "but", "or", "nor", "when", "where", "while", "after", "before", "since",
    "until", "of", "its", "his", "her", "their", "our", "every", "each", "as", "if", "then", "now",
    "both", "all",
];

/// A form as printed, in capitals, and with the other apostrophe.
fn spellings(form: &str) -> Vec<String> {
    let mut out = vec![form.to_string()];
    let upper = form.to_uppercase();
    if upper != form && upper.chars().count() > 1 {
        out.push(upper);
    }
    for s in out.clone() {
        if s.contains('\'') {
            out.push(s.replace('\'', "’"));
        } else if s.contains('’') {
            out.push(s.replace('’', "'"));
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// A name may start at the start of a word (after a hyphen too).
fn starts_word(hay: &str, at: usize) -> bool {
    hay[..at].chars().next_back().is_none_or(|c| !is_word_char(c))
}

/// A name may end where the word ends, before a possessive ’s/'s or ’/',
/// or before a hyphen.
fn ends_word(hay: &str, at: usize) -> bool {
    let mut rest = hay[at..].chars();
    match rest.next() {
        None => true,
        Some('’' | '\'') => match rest.next() {
            Some('s') => rest.next().is_none_or(|c| !is_word_char(c)),
            Some(c) => !is_word_char(c),
            None => true,
        },
        Some(c) => !is_word_char(c),
    }
}

#[cfg(test)]
mod tests;
