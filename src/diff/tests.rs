use super::normalize::normalize;
use super::*;

fn check_normalize(raw: &str, expect: &str) {
    assert_eq!(normalize(raw), expect, "normalising {raw:?}");
}

#[test]
fn lines_are_stripped_and_joined_as_dinglehopper_reads_them() {
    check_normalize("", "");
    check_normalize("\n", "");
    check_normalize("\n\n", "\n");
    check_normalize("a\nb", "a\nb");
    check_normalize("a\nb\n", "a\nb");
    check_normalize("  a \t\n\u{A0}b\u{2003}\n", "a\nb");
    check_normalize("a\r\nb\rc\n", "a\nb\nc");
    // Python's `str.strip` also removes the information separators; U+FEFF it keeps.
    check_normalize("\u{1F}a\u{1C}\n\u{FEFF}b", "a\n\u{FEFF}b");
}

#[test]
fn normalisation_is_nfc_then_the_substitution_table() {
    check_normalize("Cafe\u{301}", "Caf\u{E9}");
    check_normalize("\u{FB01}nden \u{FB00}", "finden ff");
    check_normalize("a\u{364}rger \u{E72B}ber", "\u{E4}rger \u{FC}ber");
    check_normalize("don\u{2019}t \u{2014} ===", "don't \u{2013} \u{2013}=");
    check_normalize("\u{EBA7}", "\u{17F}\u{17F}i");
}

#[test]
fn words_drop_what_dinglehopper_drops() {
    let text = "Die „Zeile“ 6, 3.5 — Zürcher-Kreuzer ſ\u{E8A0}x can't 🇨🇭 a\u{301}!";
    let words: Vec<&str> = units::word_spans(text).into_iter().map(|s| &text[s]).collect();
    assert_eq!(
        words,
        [
            "Die", "Zeile", "6", "3.5", "Zürcher", "Kreuzer", "ſ", "\u{E8A0}", "x", "can't",
            "a\u{301}"
        ]
    );
    assert!(
        units::is_unwanted('\u{301}') && units::is_unwanted('🇨') && !units::is_unwanted('\u{E8A0}')
    );
}

#[test]
fn error_rates_follow_dinglehopper_at_the_edges() {
    let opts = Options::default();
    let both_empty = compare("", "", &opts);
    assert_eq!((both_empty.cer, both_empty.wer), (0.0, 0.0));
    let empty_reference = compare("", "abc", &opts);
    assert!(empty_reference.cer.is_infinite() && empty_reference.wer.is_infinite());
    let empty_compared = compare("abc def", "", &opts);
    assert_eq!((empty_compared.cer, empty_compared.wer), (1.0, 1.0));
    let whitespace_only = compare("  \n", "\n\n", &opts);
    assert_eq!(whitespace_only.char_counts.reference, 0);
    assert_eq!(whitespace_only.cer, f64::INFINITY);
}

#[test]
fn counts_and_confusions_come_from_one_alignment() {
    let c = compare("modern corn\n", "modem com\n", &Options::default());
    assert_eq!(c.char_counts.distance, 4);
    assert_eq!((c.char_counts.substitutions, c.char_counts.deletions), (2, 2));
    assert_eq!(c.confusions[0], Confusion { a: "rn".into(), b: "m".into(), count: 2 });
}

#[test]
fn raw_alignment_maps_offsets_monotonically() {
    let a = "Die Zeile kostet 6 Kreuzer.";
    let b = "Dic Zeile kostet nur 6 Krenzer.";
    let al = align_raw(a, b);
    let kinds: Vec<Kind> = al.ops().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::Equal,
            Kind::Replace,
            Kind::Equal,
            Kind::Insert,
            Kind::Equal,
            Kind::Replace,
            Kind::Equal
        ]
    );
    // "Zeile" moves with the text; "6" is found after the inserted "nur" (wherever the alignment put
    // it, the inserted text is "nur " or " nur").
    assert_eq!(al.map(4), Some(Mapped::Exact(4)));
    let six = a.find('6').unwrap_or_default();
    assert_eq!(al.map_with(six, Bias::Right), Some(Mapped::Exact(b.find('6').unwrap_or_default())));
    assert_eq!(al.map(a.len()), Some(Mapped::Exact(b.len())));
    assert_eq!(al.map(a.len() + 1), None);
    // An insertion at an offset: left bias before it, right bias after it; inside a replacement: the
    // replacing range.
    let al = align_raw("ab", "aXYb");
    assert_eq!(al.map_with(1, Bias::Left), Some(Mapped::Exact(1)));
    assert_eq!(al.map_with(1, Bias::Right), Some(Mapped::Exact(3)));
    let al = align_raw("abcd", "aXYd");
    assert_eq!(al.map(2), Some(Mapped::Changed(1..3)));
}
