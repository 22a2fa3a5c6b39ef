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
