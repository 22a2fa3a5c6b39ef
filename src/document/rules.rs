//! The catalogue of markup rules: every annotation names the rule that made
//! it, and TEI's `classDecl` describes each rule used.

/// Every rule name teimark's stages use, with what it does.
pub const RULES: &[(&str, &str)] = &[
    ("structure.front", "the title block at the top of the text"),
    ("structure.title", "the first line, short and without final punctuation, is the title"),
    ("structure.subtitle", "a short title-like line right after the title is the subtitle"),
    (
        "structure.dateline",
        "a short line holding a date, or a parenthesised line with a year, in the title block",
    ),
    ("structure.byline", "a line starting with 'by' followed by names, in the title block"),
    ("structure.body", "the text after the title block"),
    (
        "structure.heading",
        "a short single line between paragraphs, in title case and without final full stop, is a section heading that opens a division",
    ),
    ("structure.paragraph", "a block of lines separated from the next by a blank line"),
    (
        "structure.block-quote",
        "paragraphs that open with a quotation mark closed only at the end of the last one form a block quotation",
    ),
    (
        "structure.quote-citation",
        "a parenthesised reference after the closing mark of a block quotation is its citation",
    ),
    ("structure.separator", "a line of asterisks or dashes is a section break"),
    ("structure.wide-gap", "a gap wider than the usual paragraph break is a section break"),
    ("structure.notes", "a heading such as 'Notes' opens the notes section"),
    (
        "structure.note",
        "a paragraph with a label such as '[1]' or '1.' in the notes section is a note",
    ),
    ("structure.note-marker", "a bracketed number such as '[1]' in the text is a note marker"),
    (
        "structure.note-marker-glued",
        "a number right after punctuation ('days.1') is a note marker that lost its superscript, when a note has that number",
    ),
    (
        "register",
        "a form (name, variant or adjective) of an entry of the authority register, on word boundaries; the entry is in @ref",
    ),
    (
        "date.year",
        "a four-digit year whose neighbours do not make it a count, page, issue or amount",
    ),
    ("date.range", "two years, or two dates, joined by a dash or by from/to, between/and"),
    ("date.calendar", "a month with a year, or a full date, in either order"),
    (
        "date.season",
        "a season with a year: spring is March to May, summer June to August, autumn September to November, winter December to February",
    ),
    (
        "date.approximate",
        "early, mid or late in a year, or its beginning or end: notBefore/notAfter",
    ),
    ("date.period", "a decade (the Twenties, the 1920s) or a century, possibly early, mid or late"),
    (
        "date.context-year",
        "a month (after a preposition) or a month and day without a year: the year last mentioned before it",
    ),
    (
        "quote.attributed",
        "words in quotation marks followed by a parenthesised name or reference: a quotation, joined with its reference in cit",
    ),
    (
        "quote.wording",
        "three or more words in quotation marks, not a label, slogan or catchword: a quotation",
    ),
    ("quote.catchword", "a wording the text puts in quotation marks more than once: a term"),
    (
        "quote.slogan",
        "words in quotation marks announced as a slogan, call, formula or label, or a short exclamation",
    ),
    (
        "quote.nested-mention",
        "a phrase in quotation marks inside a quotation that is no whole sentence: a mention",
    ),
    ("quote.label", "a short title-case phrase in quotation marks: a label"),
    ("quote.scare", "one or two words in quotation marks: scare quotes"),
    (
        "citation.reference",
        "a parenthesis that names a registered work, or reads like a reference (title, then issue, volume or page, or the day of an issue)",
    ),
    (
        "citation.note",
        "a reference in a note without parentheses: a periodical and its issue, or an author and a title in quotation marks or published at a place and year",
    ),
    ("citation.scope", "an issue, volume, chapter or page number in a reference"),
    ("citation.title", "a title in a reference that names no registered work"),
    (
        "revision.correction",
        "a change from the earlier revision of the source (edition.toml's revisions) to this one, widened to whole words; the earlier reading stands in sic",
    ),
];

/// What a rule does, for the TEI header; unknown rules get a generic line.
pub fn describe_rule(rule: &str) -> &'static str {
    RULES.iter().find(|(name, _)| *name == rule).map_or("a teimark markup rule", |(_, what)| what)
}
