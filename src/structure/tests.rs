use super::*;

/// Renders the blocks as `kind: text` lines and the other structural
/// annotations as `name: text` lines, then compares with `expect`.
fn check(text: &str, expect: &str) -> Vec<Diagnostic> {
    let (structure, diagnostics) = parse(text);
    let mut lines: Vec<String> = structure
        .blocks
        .iter()
        .map(|b| format!("{:?}: {}", b.kind, text[b.range.clone()].replace('\n', "⏎")))
        .collect();
    let mut extra: Vec<&Annotation> = structure
        .annotations
        .iter()
        .filter(|a| {
            !matches!(
                a.kind,
                Kind::P | Kind::Head | Kind::TitlePart { .. } | Kind::DocDate | Kind::Byline
            )
        })
        .collect();
    extra.sort_by_key(|a| a.order());
    for a in extra {
        lines.push(format!("  {}: {}", a.kind.name(), text[a.range()].replace('\n', "⏎")));
    }
    assert_eq!(lines.join("\n"), expect.trim(), "\nfor input:\n{text}");
    diagnostics
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn title_subtitle_dateline_heading_paragraphs() {
    let d = check(
        "Bureaucrats in Crisis\n\nBehind the Fall of Malenkov\n\n(Spring 1955)\n\nSOVIET developments are followed.\n\nThe Problem Persists\n\nMuch has changed since then.\n",
        "
DocTitle: Bureaucrats in Crisis
DocSubtitle: Behind the Fall of Malenkov
Dateline: (Spring 1955)
Paragraph: SOVIET developments are followed.
Head: The Problem Persists
Paragraph: Much has changed since then.
  front: Bureaucrats in Crisis⏎⏎Behind the Fall of Malenkov⏎⏎(Spring 1955)
  docTitle: Bureaucrats in Crisis⏎⏎Behind the Fall of Malenkov
  body: SOVIET developments are followed.⏎⏎The Problem Persists⏎⏎Much has changed since then.
  div: The Problem Persists⏎⏎Much has changed since then.",
    );
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn byline_and_stacked_title_lines() {
    check(
        "The Yugoslav Break\nTito Against the Kremlin\nby J. Smith\n\nIn June 1948 the world learned of the break.\n",
        "
DocTitle: The Yugoslav Break
DocSubtitle: Tito Against the Kremlin
Byline: by J. Smith
Paragraph: In June 1948 the world learned of the break.
  front: The Yugoslav Break⏎Tito Against the Kremlin⏎by J. Smith
  docTitle: The Yugoslav Break⏎Tito Against the Kremlin
  body: In June 1948 the world learned of the break.",
    );
}

#[test]
fn hard_wrapped_paragraphs_are_joined_and_glued_headings_split() {
    let text = "Title Line\n\nThe first paragraph runs over several lines that were wrapped by\na program at about seventy columns, as old transcriptions are, and\nends here.\n\nA New Section\nThe heading above was glued to this paragraph, which is wrapped at\nseventy columns as well and ends on this line.\n";
    check(
        text,
        "
DocTitle: Title Line
Paragraph: The first paragraph runs over several lines that were wrapped by⏎a program at about seventy columns, as old transcriptions are, and⏎ends here.
Head: A New Section
Paragraph: The heading above was glued to this paragraph, which is wrapped at⏎seventy columns as well and ends on this line.
  front: Title Line
  docTitle: Title Line
  body: The first paragraph runs over several lines that were wrapped by⏎a program at about seventy columns, as old transcriptions are, and⏎ends here.⏎⏎A New Section⏎The heading above was glued to this paragraph, which is wrapped at⏎seventy columns as well and ends on this line.
  div: A New Section⏎The heading above was glued to this paragraph, which is wrapped at⏎seventy columns as well and ends on this line.",
    );
}

#[test]
fn one_paragraph_per_line_without_blank_lines() {
    let long = "word ".repeat(50);
    let text = format!("{long}one.\n{long}two.\n");
    let (structure, _) = parse(&text);
    assert_eq!(structure.blocks.len(), 2);
    assert!(structure.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
}

#[test]
fn multi_paragraph_quotation_with_citation() {
    let text = "Trotsky summarized it as follows:\n\n“First paragraph of the quotation.\n\n“Second, with ‘inner’ marks.\n\n“Last one.” (Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)\n\nAfter it.\n";
    check(
        text,
        "
Paragraph: Trotsky summarized it as follows:
QuoteParagraph: “First paragraph of the quotation.
QuoteParagraph: “Second, with ‘inner’ marks.
QuoteParagraph: “Last one.” (Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)
Paragraph: After it.
  body: Trotsky summarized it as follows:⏎⏎“First paragraph of the quotation.⏎⏎“Second, with ‘inner’ marks.⏎⏎“Last one.” (Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)⏎⏎After it.
  cit: “First paragraph of the quotation.⏎⏎“Second, with ‘inner’ marks.⏎⏎“Last one.” (Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)
  quote: “First paragraph of the quotation.⏎⏎“Second, with ‘inner’ marks.⏎⏎“Last one.”
  bibl: (Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)",
    );
}

#[test]
fn a_quotation_followed_by_prose_is_an_ordinary_paragraph() {
    check(
        "Intro.\n\n“Realism” was the watchword of the day, and it failed.\n\n“Quoted alone.” (Trotsky).\n",
        "
Paragraph: Intro.
Paragraph: “Realism” was the watchword of the day, and it failed.
QuoteParagraph: “Quoted alone.” (Trotsky).
  body: Intro.⏎⏎“Realism” was the watchword of the day, and it failed.⏎⏎“Quoted alone.” (Trotsky).
  cit: “Quoted alone.” (Trotsky).
  quote: “Quoted alone.”
  bibl: (Trotsky)
  pc: .",
    );
}

#[test]
fn an_unclosed_quotation_is_a_paragraph_with_a_warning() {
    let d = check(
        "An introductory sentence.\n\n“Opened and never closed.\n\nNext paragraph.\n",
        "
Paragraph: An introductory sentence.
Paragraph: “Opened and never closed.
Paragraph: Next paragraph.
  body: An introductory sentence.⏎⏎“Opened and never closed.⏎⏎Next paragraph.",
    );
    assert_eq!(codes(&d), ["teimark::structure::unclosed-quotation"]);
}

#[test]
fn separators_wide_gaps_and_notes() {
    check(
        "Essay Title\n\nFirst.[1]\n\n* * *\n\nSecond.\n\n\n\nThird after a wide gap.\n\nFourth.\n\nNotes\n\n[1] The note.\n\nIts second paragraph.\n",
        "
DocTitle: Essay Title
Paragraph: First.[1]
Separator: * * *
Paragraph: Second.
Paragraph: Third after a wide gap.
Paragraph: Fourth.
NotesHead: Notes
Note: [1] The note.
Note: Its second paragraph.
  front: Essay Title
  docTitle: Essay Title
  body: First.[1]⏎⏎* * *⏎⏎Second.⏎⏎⏎⏎Third after a wide gap.⏎⏎Fourth.
  noteref: [1]
  milestone: 
  separator: * * *
  milestone: 
  back: Notes⏎⏎[1] The note.⏎⏎Its second paragraph.
  div: Notes⏎⏎[1] The note.⏎⏎Its second paragraph.
  note: [1] The note.⏎⏎Its second paragraph.",
    );
}

#[test]
fn trailing_labelled_paragraphs_are_notes_without_a_heading() {
    check(
        "Essay Title\n\nText with a marker.[1]\n\n[1] The note itself.\n",
        "
DocTitle: Essay Title
Paragraph: Text with a marker.[1]
Note: [1] The note itself.
  front: Essay Title
  docTitle: Essay Title
  body: Text with a marker.[1]
  noteref: [1]
  back: [1] The note itself.
  div: [1] The note itself.
  note: [1] The note itself.",
    );
}

#[test]
fn heading_decisions_that_are_unsure_are_warned_about() {
    let d = check(
        "Essay Title\n\nA paragraph.\n\nWhy the bureaucracy fears the masses\n\nAnother paragraph.\n\nThe End.\n\nLast paragraph.\n",
        "
DocTitle: Essay Title
Paragraph: A paragraph.
Head: Why the bureaucracy fears the masses
Paragraph: Another paragraph.
Paragraph: The End.
Paragraph: Last paragraph.
  front: Essay Title
  docTitle: Essay Title
  body: A paragraph.⏎⏎Why the bureaucracy fears the masses⏎⏎Another paragraph.⏎⏎The End.⏎⏎Last paragraph.
  div: Why the bureaucracy fears the masses⏎⏎Another paragraph.⏎⏎The End.⏎⏎Last paragraph.",
    );
    assert_eq!(
        codes(&d),
        ["teimark::structure::unsure-heading", "teimark::structure::unsure-heading"]
    );
}

#[test]
fn crlf_sources_keep_their_offsets() {
    let text = "Title Here\r\n\r\nA paragraph.\r\n\r\nSection Two\r\n\r\nMore text.\r\n";
    let (structure, _) = parse(text);
    let heads: Vec<&str> = structure
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Head)
        .map(|b| &text[b.range.clone()])
        .collect();
    assert_eq!(heads, ["Section Two"]);
    assert!(structure.blocks.iter().all(|b| !text[b.range.clone()].ends_with('\r')));
}

#[test]
fn nothing_but_text_gives_no_front() {
    check(
        "this is only a sentence in lower case, long enough to be a paragraph.\n",
        "
Paragraph: this is only a sentence in lower case, long enough to be a paragraph.
  body: this is only a sentence in lower case, long enough to be a paragraph.",
    );
}

#[test]
fn numbers_glued_to_punctuation_are_markers_only_where_a_note_has_them() {
    check(
        "Essay Title\n\nThe strike lasted 113 days.1 Output fell to 2.5 per cent, 3:1 in 1946.2 \
         The union had 4,000 members.3\n\nNOTES\n\n1. A first note.\n\n2. A second note.\n",
        "
DocTitle: Essay Title
Paragraph: The strike lasted 113 days.1 Output fell to 2.5 per cent, 3:1 in 1946.2 The union had 4,000 members.3
NotesHead: NOTES
Note: 1. A first note.
Note: 2. A second note.
  front: Essay Title
  docTitle: Essay Title
  body: The strike lasted 113 days.1 Output fell to 2.5 per cent, 3:1 in 1946.2 The union had 4,000 members.3
  noteref: 1
  back: NOTES⏎⏎1. A first note.⏎⏎2. A second note.
  div: NOTES⏎⏎1. A first note.⏎⏎2. A second note.
  note: 1. A first note.
  note: 2. A second note.",
    );
}
