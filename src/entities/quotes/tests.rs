use super::*;

/// The quote, soCalled and term spans the entity stage finds in `text`.
fn marked(text: &str) -> Vec<String> {
    crate::entities::labelled(text, |kind| match kind {
        Kind::Quote { block: false, .. } => Some("quote".to_string()),
        Kind::SoCalled => Some("soCalled".to_string()),
        Kind::Term => Some("term".to_string()),
        _ => None,
    })
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
