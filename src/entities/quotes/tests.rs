use super::*;
use crate::entities::register::Register;

/// The quote, soCalled and term spans the entity stage finds in `text`.
fn marked(text: &str) -> Vec<String> {
    let (structure, _) = crate::structure::parse(text);
    let (annotations, _) =
        crate::entities::recognize(text, structure, &Register::default_register());
    let mut out: Vec<(usize, String)> = annotations
        .iter()
        .filter_map(|a| {
            let label = match &a.kind {
                Kind::Quote { block: false, .. } => "quote",
                Kind::SoCalled => "soCalled",
                Kind::Term => "term",
                _ => return None,
            };
            Some((a.start, format!("{label} {}", &text[a.range()])))
        })
        .collect();
    out.sort();
    out.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn short_exclamations_are_slogans_and_sentences_are_quotations() {
    let text = "The Strike\n\nThe crowd shouted “Bread and work!” and “Away with the bosses!” \
                while the mayor said that “the city has done what it can for the unemployed.”\n";
    assert_eq!(
        marked(text),
        [
            "soCalled “Bread and work!”",
            "soCalled “Away with the bosses!”",
            "quote “the city has done what it can for the unemployed.”",
        ]
    );
}
