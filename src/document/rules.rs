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
];

/// What a rule does, for the TEI header; unknown rules get a generic line.
pub fn describe_rule(rule: &str) -> &'static str {
    RULES.iter().find(|(name, _)| *name == rule).map_or("a teimark markup rule", |(_, what)| what)
}
