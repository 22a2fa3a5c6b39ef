use super::*;
use crate::entities::register::Register;

fn names(text: &str) -> Vec<String> {
    let (structure, _) = crate::structure::parse(text);
    let matcher = Matcher::new(&Register::default_register());
    let mut out: Vec<String> =
        find(text, &structure.blocks, &matcher).into_iter().map(|c| c.name).collect();
    out.sort();
    out
}

#[test]
fn runs_split_at_connectors_and_titles_stay_outside() {
    assert_eq!(
        names(
            "The Partisans fought the occupiers and the Chetniks of Draza Mihailovic with little help.\n"
        ),
        ["Chetniks", "Chetniks of Draza Mihailovic", "Draza Mihailovic", "Partisans"]
    );
    // "Troops" only begins the sentence, but the text never has it in
    // lowercase: it stays a (low-ranked) candidate.
    assert_eq!(
        names("Troops called out by High Commissioner Semyonov and General Dibrova arrived.\n"),
        ["Dibrova", "Semyonov", "Troops"]
    );
}

#[test]
fn titles_the_text_cites_are_works() {
    let text = "The Long Winter\n\nThe Evening Courier printed the figures. [1]\n\n\
                Notes\n\n[1] Evening Courier, May 2, 1949; Ruth M. Alder, The Coal Wars of Ohio (Chicago, 1951).\n";
    let (structure, _) = crate::structure::parse(text);
    let register = Register::default_register();
    let matcher = Matcher::new(&register);
    let mut found = find(text, &structure.blocks, &matcher);
    let blocks = structure.blocks.clone();
    let (annotations, _) = crate::entities::recognize_with(text, structure, &matcher);
    let titles: Vec<Range<usize>> = annotations
        .iter()
        .filter(|a| matches!(a.kind, crate::document::Kind::Title { reference: None, .. }))
        .map(|a| a.range())
        .collect();
    add_cited_titles(&mut found, text, &blocks, &titles);
    let works: Vec<(&str, usize)> = found
        .iter()
        .filter(|c| c.guess == Guess::Work)
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(works, [("Evening Courier", 2), ("The Coal Wars of Ohio", 1)]);
    let toml = to_toml(&found, "essay.txt");
    assert!(
        toml.contains("[[work]]\nid = \"evening-courier\"\nname = \"Evening Courier\""),
        "{toml}"
    );
}
