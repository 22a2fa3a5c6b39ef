use super::*;

/// The bibl and title spans the whole entity stage finds in `text`.
fn cited(text: &str) -> Vec<String> {
    crate::entities::labelled(text, |kind| match kind {
        Kind::Bibl => Some("bibl".to_string()),
        Kind::Title { level, .. } => Some(format!("title/{}", level.map_or("-", |l| l.as_str()))),
        Kind::Quote { .. } => Some("quote".to_string()),
        _ => None,
    })
}

const ESSAY: &str = "The Long Winter\n\nAn essay on the coal strikes.\n\n\
The miners stayed out for eleven weeks. [1] Their leaders were arrested. [2] \
Nobody expected it. [3]\n\nNotes\n\n";

#[test]
fn a_periodical_and_its_issue_in_a_note() {
    let text = format!(
        "{ESSAY}[1] Coal Age, No. 14, March 3, 1949, page 7.\n\n\
         [2] Miners Voice, February 1949; Labor Action, March 12, 1949; Steel Labor, May 1948, page 3.\n\n\
         [3] The figures are those of the union.\n"
    );
    assert_eq!(
        cited(&text),
        [
            "bibl Coal Age, No. 14, March 3, 1949, page 7",
            "title/j Coal Age",
            "bibl Labor Action, March 12, 1949",
            "title/j Labor Action",
            "bibl Steel Labor, May 1948, page 3",
            "title/j Steel Labor",
        ],
        "a month without a day, an issue or a page number is not enough: \"Miners Voice, February 1949\""
    );
}

#[test]
fn a_book_and_an_article_in_a_note() {
    let text = format!(
        "{ESSAY}[1] See Ruth M. Alder, The Coal Wars (Chicago, 1951), chiefly the last chapter.\n\n\
         [2] J. Keller, “The Strike and the State,” April 4, 1950, in Essays on Labor (Boston, 1952), pp. 40-52.\n\n\
         [3] Alder was there. She wrote about it in 1951.\n"
    );
    assert_eq!(
        cited(&text),
        [
            "bibl Ruth M. Alder, The Coal Wars (Chicago, 1951)",
            "title/m The Coal Wars",
            "bibl J. Keller, “The Strike and the State,” April 4, 1950, in Essays on Labor (Boston, 1952), pp. 40-52",
            "title/a The Strike and the State",
            "title/m Essays on Labor",
        ]
    );
}

#[test]
fn a_parenthesis_naming_a_work_by_the_day_of_its_issue() {
    let text = "Strikes\n\nThe strike was called off (Evening Courier, May 2, 1949). \
                They met in the capital (Chicago, May 2, 1949) and agreed.\n";
    assert_eq!(
        cited(text),
        ["bibl (Evening Courier, May 2, 1949)", "title/j Evening Courier"],
        "a place and a date in parentheses cite no work"
    );
}

#[test]
fn prose_notes_and_unclosed_marks_are_left_alone() {
    let text = format!(
        "{ESSAY}[1] Keller told the story differently, in a letter dated May 1, 1950.\n\n\
         [2] Ruth Alder, (Chicago, 1951\n\n\
         [3] A. B., “unfinished, 1950\n"
    );
    assert_eq!(cited(&text), Vec::<String>::new());
}

#[test]
fn a_reference_that_closes_a_sentence_of_a_note() {
    let text = format!(
        "{ESSAY}[1] On the strike see the report in Coal Age Weekly, No. 108, June 12, 1952, pages 3-4.\n\n\
         [2] He was arrested in Lyon, June 12, 1952, and moved to Montreuil, June 20, 1952.\n\n\
         [3] It was reprinted in Cahiers du Travail, No. 7, 1953.\n"
    );
    assert_eq!(
        cited(&text),
        [
            "bibl Coal Age Weekly, No. 108, June 12, 1952, pages 3-4",
            "title/j Coal Age Weekly",
            "bibl Cahiers du Travail, No. 7, 1953",
            "title/j Cahiers du Travail",
        ]
    );
}

/// Numbers in an article's title are no issue or page of the reference,
/// and an attribution after a quoted title makes no quotation of it.
#[test]
fn a_quoted_title_keeps_its_words() {
    let text = format!(
        "{ESSAY}[1] J. Keller, “Nos. 1-2 of the Miners Voice,” April 4, 1950, page 3.\n\n\
         [2] J. Keller, “The Strike and the State” (Alder), a reply.\n\n\
         [3] The figures are those of the union.\n"
    );
    let found = crate::entities::labelled(&text, |kind| match kind {
        Kind::BiblScope(s) => Some(s.unit.clone()),
        Kind::Bibl => Some("bibl".to_string()),
        Kind::Cit => Some("cit".to_string()),
        Kind::Quote { .. } => Some("quote".to_string()),
        Kind::Title { .. } => Some("title".to_string()),
        _ => None,
    });
    assert_eq!(
        found,
        [
            "bibl J. Keller, “Nos. 1-2 of the Miners Voice,” April 4, 1950, page 3",
            "title Nos. 1-2 of the Miners Voice",
            "page page 3",
            "bibl J. Keller, “The Strike and the State”",
            "title The Strike and the State",
            "bibl (Alder)",
        ]
    );
}

/// An article in a periodical, a book with its place and year written
/// without parentheses, and straight quotation marks.
#[test]
fn articles_in_periodicals_and_books_without_parentheses() {
    let text = format!(
        "{ESSAY}[1] R. Doyle, “The Pit Committees,” Coal Review, No. 9, Winter 1950, page 14.\n\n\
         [2] Mary Ashe, \"A Year of Strikes,\" Miners Monthly, Vol.\n3, No. 2, March-April 1951, page 7.\n\n\
         [3] Hugh Bell, The Valley Years, Cardiff, 1953; the figures are in Pit and Union, Leeds, 1952, pages 3-9.\n"
    );
    assert_eq!(
        cited(&text),
        [
            "bibl R. Doyle, “The Pit Committees,” Coal Review, No. 9, Winter 1950, page 14",
            "title/a The Pit Committees",
            "title/j Coal Review",
            "bibl Mary Ashe, \"A Year of Strikes,\" Miners Monthly, Vol.\n3, No. 2, March-April 1951, page 7",
            "title/a A Year of Strikes",
            "title/j Miners Monthly",
            "bibl Hugh Bell, The Valley Years, Cardiff, 1953",
            "title/m The Valley Years",
            "bibl Pit and Union, Leeds, 1952, pages 3-9",
            "title/m Pit and Union",
        ]
    );
}
