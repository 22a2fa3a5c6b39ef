//! Candidates: likely names that no register entry covers, for the editor
//! to review and paste into the register.
//!
//! A candidate is a run of capitalised words (with initials and the
//! particles of names: "J. G. Wright", "Chiang Kai-shek", "Leipziger
//! Strasse") in running text that no register form matched. A word that
//! only begins a sentence and appears in lowercase elsewhere is a common
//! word, not a name; words derived from names (-ism, -ist, -ite) and month
//! or day names are left out. Each candidate gets a guessed type from the
//! words around it (Marshal, Premier, in, at, Party, Street …), a count and
//! contexts, and the list is ranked by how much evidence there is.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::ops::Range;

use super::names::{Found, Matcher, overlapping};
use crate::structure::{Block, BlockKind};

/// What a candidate probably is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Guess {
    Person,
    Place,
    Org,
    /// A title the text cites (a periodical, a book, an article).
    Work,
    Unknown,
}

impl Guess {
    fn table(self) -> &'static str {
        match self {
            Guess::Person => "person",
            Guess::Place => "place",
            Guess::Org => "org",
            Guess::Work => "work",
            Guess::Unknown => "person",
        }
    }
}

/// A likely name with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The name as printed.
    pub name: String,
    pub guess: Guess,
    /// How often it occurs.
    pub count: usize,
    /// Ranking score: occurrences plus cue evidence.
    pub score: f64,
    /// Up to three short contexts, "…words around it…".
    pub contexts: Vec<String>,
    /// The cue words seen next to it.
    pub cues: Vec<String>,
}

const PERSON_CUES: &[&str] = &[
    "marshal",
    "general",
    "premier",
    "president",
    "comrade",
    "mr.",
    "mrs.",
    "miss",
    "dr.",
    "prof.",
    "professor",
    "chairman",
    "secretary",
    "minister",
    "senator",
    "governor",
    "mayor",
    "king",
    "queen",
    "emperor",
    "tsar",
    "czar",
    "prince",
    "princess",
    "lord",
    "sir",
    "bishop",
    "pope",
    "father",
    "colonel",
    "captain",
    "lieutenant",
    "admiral",
    "sergeant",
    "judge",
    "leader",
    "deputy",
    "ambassador",
    "commissar",
    "chancellor",
    "tsarina",
    "dictator",
    "organizer",
    "organiser",
    "editor",
    "comrades",
    "brother",
    "sister",
    "saint",
];
/// Verbs after a name that make it a person.
const SPEECH: &[&str] =
    &["said", "wrote", "declared", "argued", "replied", "told", "asked", "announced", "insisted"];
const PLACE_CUES: &[&str] = &[
    "in",
    "at",
    "from",
    "to",
    "near",
    "across",
    "into",
    "through",
    "outside",
    "inside",
    "toward",
    "towards",
    "around",
    "throughout",
    "via",
    "between",
    "reached",
    "entered",
    "occupied",
];
const PLACE_WORDS: &[&str] = &[
    "city",
    "river",
    "province",
    "valley",
    "mountains",
    "sea",
    "island",
    "islands",
    "street",
    "strasse",
    "straße",
    "square",
    "platz",
    "zone",
    "bay",
    "lake",
    "gate",
    "bridge",
    "district",
    "county",
    "plain",
    "peninsula",
    "avenue",
    "road",
    "harbour",
    "harbor",
    "port",
    "canal",
    "camp",
    "oblast",
    "region",
];
const ORG_WORDS: &[&str] = &[
    "party",
    "union",
    "committee",
    "league",
    "federation",
    "congress",
    "council",
    "army",
    "international",
    "association",
    "corporation",
    "company",
    "ministry",
    "bureau",
    "front",
    "movement",
    "confederation",
    "organization",
    "organisation",
    "society",
    "group",
    "trust",
    "bank",
    "institute",
    "guard",
    "guards",
    "navy",
    "government",
    "commission",
    "presidium",
    "politburo",
    "cominform",
    "brigade",
    "brigades",
    "corps",
    "works",
    "motors",
    "steel",
    "tribunal",
    "court",
    "assembly",
    "parliament",
    "cabinet",
    "police",
    "militia",
    "press",
    "agency",
    "office",
    "department",
    "youth",
    "soviet",
    "junta",
    "club",
    "syndicate",
];
/// Capitalised words that are never names by themselves.
const COMMON: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "but",
    "and",
    "or",
    "nor",
    "for",
    "so",
    "yet",
    "if",
    "when",
    "while",
    "as",
    "at",
    "in",
    "on",
    "of",
    "to",
    "by",
    "from",
    "with",
    "after",
    "before",
    "since",
    "until",
    "during",
    "thus",
    "then",
    "there",
    "here",
    "what",
    "which",
    "who",
    "whom",
    "why",
    "how",
    "where",
    "no",
    "not",
    "all",
    "every",
    "each",
    "one",
    "two",
    "three",
    "some",
    "many",
    "much",
    "more",
    "most",
    "such",
    "even",
    "only",
    "also",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "moreover",
    "however",
    "meanwhile",
    "finally",
    "first",
    "second",
    "third",
    "last",
    "next",
    "within",
    "without",
    "among",
    "against",
    "under",
    "over",
    "between",
    "through",
    "into",
    "upon",
    "both",
    "either",
    "neither",
    "other",
    "another",
    "any",
    "instead",
    "nevertheless",
    "indeed",
    "still",
    "again",
    "once",
    "whatever",
    "mr",
    "mrs",
    "dr",
    "st",
    "vol",
    "no",
    "nos",
    "p",
    "pp",
    "ibid",
    "op",
    "cit",
    "see",
    "cf",
    "note",
    "notes",
    "chapter",
    "part",
    "section",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "god",
    "yes",
    "let",
    "do",
    "did",
    "does",
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "has",
    "had",
    "have",
    "can",
    "could",
    "would",
    "should",
    "will",
    "shall",
    "might",
    "must",
    "let's",
    "why",
    "nor",
    "like",
    "unlike",
    "despite",
    "although",
    "though",
    "because",
    "whether",
    "already",
    "above",
    "below",
    "just",
    "perhaps",
    "behind",
    "beyond",
    "near",
    "toward",
    "towards",
];

/// One token of running text.
#[derive(Debug, Clone)]
struct Token {
    range: Range<usize>,
    sentence_start: bool,
}

/// Words that end an event's name: "Kapp Putsch", "Danube Conference".
const EVENT_WORDS: &[&str] = &[
    "putsch",
    "revolution",
    "conference",
    "trial",
    "trials",
    "affair",
    "uprising",
    "rising",
    "risings",
    "strike",
    "war",
    "incident",
    "commune",
    "pact",
    "treaty",
    "plan",
    "doctrine",
    "program",
    "programme",
    "massacre",
    "expedition",
    "offensive",
    "campaign",
    "crisis",
    "declaration",
    "agreement",
    "accord",
    "resolution",
    "line",
];

/// Finds the candidates in the text blocks of a text.
pub fn find(text: &str, blocks: &[Block], matcher: &Matcher) -> Vec<Candidate> {
    let mut found: Vec<Found> = Vec::new();
    let blocks: Vec<&Block> = blocks.iter().filter(|b| b.kind != BlockKind::Separator).collect();
    for block in &blocks {
        matcher.find_in(text, block.range.clone(), &mut found);
    }
    let lowercase: HashSet<String> = lowercase_words(text);
    let mut by_name: BTreeMap<String, Candidate> = BTreeMap::new();
    for block in &blocks {
        // Headings and title lines capitalise every word: names there are
        // found in the prose too, so only the prose and bylines are read.
        if matches!(
            block.kind,
            BlockKind::Head | BlockKind::DocTitle | BlockKind::DocSubtitle | BlockKind::NotesHead
        ) {
            continue;
        }
        let mut tokens = tokenize(text, block.range.clone());
        if block.kind == BlockKind::Byline
            && tokens.first().is_some_and(|t| text[t.range.clone()].eq_ignore_ascii_case("by"))
        {
            tokens.remove(0);
        }
        let mut i = 0;
        while i < tokens.len() {
            let Some((mut first, last)) = name_run(text, &tokens, i, &lowercase) else {
                i += 1;
                continue;
            };
            i = last + 1;
            // Titles stay outside the name ("General Dibrova", "High Commissioner Semyonov").
            let mut titles = Vec::new();
            while first < last
                && is_title_word(&text[tokens[first].range.clone()])
                && !ends_in_org_word(text, &tokens[first + 1..=last])
            {
                titles.push(text[tokens[first].range.clone()].to_lowercase());
                first += 1;
            }
            let range = tokens[first].range.start..tokens[last].range.end;
            let inside: Vec<Range<usize>> =
                overlapping(&found, range.clone()).iter().map(|f| f.range.clone()).collect();
            let mut pieces: Vec<Range<usize>> = Vec::new();
            if inside.is_empty() {
                pieces.push(range.clone());
            } else {
                // A register name inside a longer capitalised run ("Atlantic
                // City", "South Chicago") may be part of an unknown name.
                if inside.iter().all(|r| *r != range) && last > first {
                    pieces.push(range.clone());
                }
                let mut at = range.start;
                for r in &inside {
                    if r.start > at {
                        pieces.push(at..r.start);
                    }
                    at = at.max(r.end);
                }
                if at < range.end {
                    pieces.push(at..range.end);
                }
            }
            for piece in pieces {
                for part in parts(text, piece) {
                    if let Some(clean) =
                        clean_name(text, part, &lowercase, tokens[first].sentence_start)
                    {
                        record(text, clean, &titles, block, &mut by_name);
                    }
                }
            }
        }
    }
    // Hyphenated compounds: the parts are the names when they also occur alone.
    let registered: HashSet<&str> = found.iter().map(|f| &text[f.range.clone()]).collect();
    let names: Vec<String> = by_name.keys().cloned().collect();
    for name in names {
        let parts: Vec<&str> =
            name.split('-').filter(|p| is_capitalised(p) && !p.contains(' ')).collect();
        if parts.len() < 2 || name.contains(' ') {
            continue;
        }
        let alone = parts.iter().any(|p| by_name.contains_key(*p) || registered.contains(p));
        let Some(compound) = by_name.get(&name).cloned() else { continue };
        for part in parts {
            if registered.contains(part) {
                continue;
            }
            let entry = by_name.entry(part.to_string()).or_insert_with(|| Candidate {
                name: part.to_string(),
                count: 0,
                score: 0.0,
                contexts: Vec::new(),
                cues: Vec::new(),
                ..compound.clone()
            });
            entry.count += compound.count;
            entry.score += compound.score;
            for c in &compound.contexts {
                if entry.contexts.len() < 3 && !entry.contexts.contains(c) {
                    entry.contexts.push(c.clone());
                }
            }
        }
        if alone {
            by_name.remove(&name);
        }
    }
    let mut out: Vec<Candidate> = by_name.into_values().collect();
    for c in &mut out {
        c.guess = guess(c);
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    out
}

/// A run and, where it holds a connector ("Chetniks of Draza Mihailovic")
/// or ends in an event word ("Kapp Putsch"), its parts as well.
fn parts(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = vec![range.clone()];
    let s = &text[range.clone()];
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    for w in s.split_whitespace() {
        let start = s[at..].find(w).map_or(at, |k| at + k);
        words.push(range.start + start..range.start + start + w.len());
        at = start + w.len();
    }
    let mut current: Option<Range<usize>> = None;
    let mut split = Vec::new();
    for w in &words {
        if is_connector(&text[w.clone()]) {
            split.extend(current.take());
        } else {
            current = Some(current.map_or(w.clone(), |c| c.start..w.end));
        }
    }
    split.extend(current);
    if split.len() > 1 {
        out.extend(split);
    }
    if let Some(last) = words.last() {
        if words.len() > 1 && EVENT_WORDS.contains(&text[last.clone()].to_lowercase().as_str()) {
            out.push(range.start..words[words.len() - 2].end);
        }
    }
    out
}

/// Trims a piece to a name: no leading or trailing connectors, hyphens,
/// punctuation; None when nothing name-like is left.
fn clean_name(
    text: &str,
    range: Range<usize>,
    lowercase: &HashSet<String>,
    sentence_start: bool,
) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let mut r = range.start + lead..range.end;
    loop {
        let t = &text[r.clone()];
        let trimmed = t.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
        r.end = r.start + trimmed.len();
        let Some((head, tail)) = trimmed.rsplit_once(char::is_whitespace) else { break };
        if is_connector(tail) {
            r.end = r.start + head.len();
        } else {
            break;
        }
    }
    while let Some((head, tail)) = text[r.clone()].split_once(char::is_whitespace) {
        if is_connector(head) {
            r.start += head.len() + (text[r.clone()].len() - head.len() - tail.len());
        } else {
            break;
        }
    }
    let t = &text[r.clone()];
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || !is_capitalised(t) {
        return None;
    }
    if words.len() == 1 {
        let w = words[0].to_lowercase();
        let generic = PERSON_CUES.contains(&w.as_str())
            || ORG_WORDS.contains(&w.as_str())
            || PLACE_WORDS.contains(&w.as_str())
            || EVENT_WORDS.contains(&w.as_str());
        if generic || is_common(words[0], sentence_start && range.start == r.start, lowercase) {
            return None;
        }
    }
    Some(r)
}

fn is_title_word(w: &str) -> bool {
    let lower = w.to_lowercase();
    PERSON_CUES.contains(&lower.as_str())
        || matches!(
            lower.as_str(),
            "high"
                | "commissioner"
                | "chief"
                | "vice"
                | "acting"
                | "former"
                | "field"
                | "grand"
                | "supreme"
        )
}

fn ends_in_org_word(text: &str, tokens: &[Token]) -> bool {
    tokens
        .last()
        .is_some_and(|t| ORG_WORDS.contains(&text[t.range.clone()].to_lowercase().as_str()))
}

/// Words that occur in lowercase in the text (so capitalised, they are common words).
fn lowercase_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .map(str::to_string)
        .collect()
}

fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let mut out = Vec::new();
    let s = &text[range.clone()];
    let mut sentence_start = true;
    let mut start: Option<usize> = None;
    let flush = |start: &mut Option<usize>,
                 end: usize,
                 out: &mut Vec<Token>,
                 sentence_start: &mut bool| {
        if let Some(st) = start.take() {
            let word = &s[st..end];
            let core = word
                .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '”', '"', '’', '\'', ']']);
            let lead = core.len() - core.trim_start_matches(['(', '“', '"', '‘', '\'', '[']).len();
            let core_start = st + lead;
            let mut core_end = st + core.len();
            // Keep the full stop of an initial ("J.") or an abbreviation ("St.").
            let abbreviated = word[core.len()..].starts_with('.') && is_abbreviation(core);
            if abbreviated {
                core_end += 1;
            }
            // A possessive stays outside the name.
            let mut text_end = core_end;
            for suffix in ["’s", "'s"] {
                if s[core_start..text_end].ends_with(suffix) {
                    text_end -= suffix.len();
                }
            }
            if core_start < text_end {
                out.push(Token {
                    range: range.start + core_start..range.start + text_end,
                    sentence_start: *sentence_start,
                });
            }
            let ends_sentence =
                word.trim_end_matches(['”', '"', '’', '\'', ')']).ends_with(['.', '!', '?'])
                    && !abbreviated;
            *sentence_start = ends_sentence || word.ends_with(':');
        }
    };
    for (i, c) in s.char_indices() {
        if c.is_whitespace() || c == '—' || c == '–' {
            flush(&mut start, i, &mut out, &mut sentence_start);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    flush(&mut start, s.len(), &mut out, &mut sentence_start);
    out
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Small words that may stand inside a name: "Bank of England", "de Gaulle".
fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "de"
            | "du"
            | "des"
            | "van"
            | "von"
            | "der"
            | "den"
            | "la"
            | "le"
            | "del"
            | "della"
            | "di"
            | "da"
            | "bin"
            | "ibn"
            | "al"
            | "y"
            | "the"
            | "and"
    )
}

/// A capitalised word that is no name: a function word, a word that only
/// begins the sentence (it occurs in lowercase too), a derived word.
fn is_common(w: &str, sentence_start: bool, lowercase: &HashSet<String>) -> bool {
    // An initial ("A.", "J.") is part of a name.
    if w.len() == 2 && w.ends_with('.') && w.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    let lower = w.to_lowercase();
    let bare = lower.trim_end_matches('.');
    if COMMON.contains(&bare) || w.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return true;
    }
    let derived = ["ism", "isms", "ist", "ists", "ite", "ites", "istic"]
        .iter()
        .any(|s| bare.ends_with(s) && bare.len() > s.len() + 3);
    if derived {
        return true;
    }
    let upper_word =
        w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) && w.chars().count() > 1;
    let roman = w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'));
    if roman {
        return true;
    }
    (sentence_start || upper_word) && lowercase.contains(&lower)
}

/// The run of name tokens starting at `i`, if token `i` can start a name.
fn name_run(
    text: &str,
    tokens: &[Token],
    i: usize,
    lowercase: &HashSet<String>,
) -> Option<(usize, usize)> {
    let w = &text[tokens[i].range.clone()];
    if !is_capitalised(w) || is_common(w, tokens[i].sentence_start, lowercase) {
        return None;
    }
    let mut last = i;
    let mut j = i + 1;
    while j < tokens.len() {
        // Punctuation after a word (a comma, a closing mark, a possessive)
        // or a sentence break ends the name.
        let after = &text[tokens[j - 1].range.end..tokens[j].range.start];
        if after
            .trim_start()
            .starts_with([',', ';', ':', ')', '(', '”', '"', '’', '\'', '!', '?', '“', '‘'])
            || tokens[j].sentence_start && !initial(&text[tokens[j - 1].range.clone()])
        {
            break;
        }
        let t = &text[tokens[j].range.clone()];
        if is_capitalised(t) && !is_common(t, false, lowercase) {
            last = j;
            j += 1;
        } else if is_connector(t)
            && !matches!(t, "and" | "the")
            && tokens.get(j + 1).is_some_and(|n| is_capitalised(&text[n.range.clone()]))
        {
            j += 1;
        } else {
            break;
        }
    }
    Some((i, last))
}

/// An initial or a short title written with a full stop: "J.", "St.", "Gen.".
fn initial(w: &str) -> bool {
    w.strip_suffix('.').is_some_and(is_abbreviation)
}

/// A word whose full stop does not end a sentence: one capital letter (an
/// initial) or a usual abbreviation before names.
fn is_abbreviation(core: &str) -> bool {
    let mut chars = core.chars();
    let single = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
    single
        || matches!(
            core,
            "St" | "Mt"
                | "Ft"
                | "Dr"
                | "Mr"
                | "Mrs"
                | "Ms"
                | "Gen"
                | "Col"
                | "Capt"
                | "Lt"
                | "Sgt"
                | "Prof"
                | "Rev"
                | "Sen"
                | "Gov"
                | "Jr"
                | "Sr"
                | "Bros"
                | "Co"
                | "Corp"
                | "Inc"
                | "Ltd"
                | "No"
                | "Nos"
                | "Vol"
        )
}

fn record(
    text: &str,
    range: Range<usize>,
    titles: &[String],
    block: &Block,
    by_name: &mut BTreeMap<String, Candidate>,
) {
    let name = text[range.clone()].split_whitespace().collect::<Vec<_>>().join(" ");
    let before = text[block.range.start..range.start]
        .split_whitespace()
        .next_back()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.').to_lowercase());
    let after = text[range.end..block.range.end]
        .split_whitespace()
        .next()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase());
    let mut cues: Vec<String> = titles.to_vec();
    if let Some(b) = before {
        if PERSON_CUES.contains(&b.as_str()) || PLACE_CUES.contains(&b.as_str()) {
            cues.push(b);
        }
    }
    if let Some(a) = after {
        if SPEECH.contains(&a.as_str()) {
            cues.push(a);
        }
    }
    let ctx_start = floor(text, range.start.saturating_sub(40).max(block.range.start));
    let ctx_end = ceil(text, (range.end + 40).min(block.range.end));
    let context =
        format!("…{}…", text[ctx_start..ctx_end].split_whitespace().collect::<Vec<_>>().join(" "));
    let entry = by_name.entry(name.clone()).or_insert_with(|| Candidate {
        name,
        guess: Guess::Unknown,
        count: 0,
        score: 0.0,
        contexts: Vec::new(),
        cues: Vec::new(),
    });
    entry.count += 1;
    entry.score += 1.0 + 0.5 * cues.len() as f64;
    if entry.contexts.len() < 3 && !entry.contexts.contains(&context) {
        entry.contexts.push(context);
    }
    for c in cues {
        if !entry.cues.contains(&c) {
            entry.cues.push(c);
        }
    }
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The type suggested by the candidate's words and cues.
fn guess(c: &Candidate) -> Guess {
    let words: Vec<String> = c.name.split_whitespace().map(|w| w.to_lowercase()).collect();
    if words.iter().any(|w| ORG_WORDS.contains(&w.as_str())) {
        return Guess::Org;
    }
    if words.iter().any(|w| PLACE_WORDS.contains(&w.as_str())) {
        return Guess::Place;
    }
    let person = c
        .cues
        .iter()
        .filter(|k| PERSON_CUES.contains(&k.as_str()) || SPEECH.contains(&k.as_str()))
        .count();
    let place = c.cues.iter().filter(|k| PLACE_CUES.contains(&k.as_str())).count();
    if c.name.split_whitespace().any(initial) || person > place {
        Guess::Person
    } else if place > 0 {
        Guess::Place
    } else if words.len() >= 2 {
        Guess::Person
    } else {
        Guess::Unknown
    }
}

/// Marks the candidates that the text cites as titles (`titles`: the spans
/// of titles no register entry covers, from the citation rules) as works,
/// and adds the titles that are no candidate yet ("The Tragedy of the
/// Chinese Revolution" is no run of capitalised words).
pub fn add_cited_titles(
    candidates: &mut Vec<Candidate>,
    text: &str,
    blocks: &[Block],
    titles: &[Range<usize>],
) {
    let name_of =
        |r: &Range<usize>| text[r.clone()].split_whitespace().collect::<Vec<_>>().join(" ");
    let cited: HashSet<String> = titles.iter().map(name_of).collect();
    for c in candidates.iter_mut() {
        if cited.contains(&c.name) {
            c.guess = Guess::Work;
        }
    }
    let mut added: BTreeMap<String, Candidate> = BTreeMap::new();
    for range in titles {
        let name = name_of(range);
        if name.is_empty() || candidates.iter().any(|c| c.name == name) {
            continue;
        }
        let Some(block) =
            blocks.iter().find(|b| b.range.start <= range.start && range.end <= b.range.end)
        else {
            continue;
        };
        record(text, range.clone(), &[], block, &mut added);
    }
    for mut c in added.into_values() {
        c.guess = Guess::Work;
        candidates.push(c);
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
}

/// The candidates as TOML the editor can paste into `register.toml`.
pub fn to_toml(candidates: &[Candidate], source_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# teimark candidates for {source_name}: names that no register entry covers, most likely first."
    );
    let _ = writeln!(
        out,
        "# Review each entry, correct the type and id, add variants and authority ids, and paste"
    );
    let _ = writeln!(
        out,
        "# the ones you accept into register.toml. Types are guesses from the words around them."
    );
    for c in candidates {
        let _ = writeln!(out);
        let guess = match c.guess {
            Guess::Unknown => "type unsure",
            Guess::Person => "person?",
            Guess::Place => "place?",
            Guess::Org => "organisation?",
            Guess::Work => "work (cited as a title)",
        };
        let cues = if c.cues.is_empty() {
            String::new()
        } else {
            format!("; next to: {}", c.cues.join(", "))
        };
        let _ = writeln!(
            out,
            "# {guess} seen {} time{}{cues}",
            c.count,
            if c.count == 1 { "" } else { "s" }
        );
        for ctx in &c.contexts {
            let _ = writeln!(out, "#   {ctx}");
        }
        let _ = writeln!(out, "[[{}]]", c.guess.table());
        let _ = writeln!(out, "id = {}", toml_string(&slug(&c.name)));
        let _ = writeln!(out, "name = {}", toml_string(&c.name));
    }
    out
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An id suggestion: lowercase ASCII letters and digits joined by '-'.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ő' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'ű' => 'u',
            'ç' | 'č' | 'ć' => 'c',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ñ' | 'ń' => 'n',
            'ł' => 'l',
            'ß' => 's',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.starts_with(|c: char| c.is_ascii_alphabetic()) { out } else { format!("x-{out}") }
}

#[cfg(test)]
mod tests;
