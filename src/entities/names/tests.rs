use super::*;
use crate::entities::register::Entry;

fn register() -> Register {
    let entry = |id: &str, name: &str, variants: &[&str], adjectives: &[&str]| Entry {
        id: id.to_string(),
        name: name.to_string(),
        variants: variants.iter().map(|s| s.to_string()).collect(),
        adjectives: adjectives.iter().map(|s| s.to_string()).collect(),
        ..Entry::default()
    };
    Register {
        persons: vec![
            entry("stalin", "Joseph Stalin", &["Stalin"], &[]),
            entry("malenkov", "Georgy Malenkov", &["Malenkov"], &[]),
            entry("beria", "Lavrentiy Beria", &["Beria"], &[]),
            entry("zhukov", "Georgy Zhukov", &["Zhukov"], &[]),
            entry("obrien", "Pat O'Brien", &[], &[]),
        ],
        places: vec![entry("ussr", "Soviet Union", &["USSR"], &["Soviet"])],
        orgs: vec![Entry {
            ambiguous: true,
            ..entry("congress", "United States Congress", &["Congress"], &[])
        }],
        works: vec![],
    }
}

fn check(text: &str) -> Vec<String> {
    let matcher = Matcher::new(&register());
    let mut found = Vec::new();
    matcher.find_in(text, 0..text.len(), &mut found);
    found
        .iter()
        .map(|f| format!("{}{}", &text[f.range.clone()], if f.adjectival { "(adj)" } else { "" }))
        .collect()
}

#[test]
fn possessives_hyphens_and_capitals() {
    assert_eq!(
        check("Stalin’s death, Stalin's heirs, Malenkov-Beria"),
        ["Stalin", "Stalin", "Malenkov", "Beria"]
    );
    assert_eq!(check("post-Stalin days; SOVIET developments"), ["Stalin", "SOVIET(adj)"]);
    assert_eq!(check("Marshal Zhukov and Pat O’Brien"), ["Zhukov", "Pat O’Brien"]);
}

#[test]
fn words_that_merely_begin_with_a_name_are_not_names() {
    assert_eq!(check("Stalinist, Stalinism, the rural Soviets, Malenkovite"), Vec::<String>::new());
}

#[test]
fn the_longest_form_wins() {
    assert_eq!(check("the Soviet Union and Soviet economy"), ["Soviet Union", "Soviet(adj)"]);
}

#[test]
fn an_ambiguous_organisation_inside_a_longer_name_is_left_alone() {
    assert_eq!(
        check("the Sixteenth Congress, the 20th Congress, the Party Congress, Baku Congress"),
        Vec::<String>::new()
    );
    assert_eq!(
        check("Congress voted. In Congress, and the Congress; Later, Congress. “Congress"),
        ["Congress", "Congress", "Congress", "Congress", "Congress"]
    );
}
