use proptest::prelude::*;

use super::*;
use crate::document::{Annotation, assemble, resolve};
use crate::edition::Edition;
use crate::entities::register::Register;
use crate::source::Encoding;
use crate::{Inputs, make_edition};

fn page(text: &str) -> String {
    let (made, _) = make_edition(
        text.as_bytes(),
        Encoding::Utf8,
        &Inputs { fallback_id: "t", ..Default::default() },
    );
    to_string(&made.document, &made.tree, &Options::default())
}

/// A page from hand-made annotations.
fn page_of(text: &str, annotations: Vec<Annotation>, register: Register) -> String {
    let edition = Edition::untitled("t", None, None);
    let (doc, _) = assemble(text.to_string(), annotations, edition, register);
    let (tree, _) = resolve(&doc);
    to_string(&doc, &tree, &Options::default())
}

fn ann(range: std::ops::Range<usize>, kind: Kind) -> Annotation {
    Annotation::new(range, kind, "test")
}

fn register(toml: &str) -> Register {
    let (register, diagnostics) = Register::parse(toml);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    register.expect("a register")
}

/// The text of the article as the text rule reads it: earlier readings
/// and masthead left out, tags removed, entities unescaped.
fn article_text(html: &str) -> String {
    let open = html.find("<article").expect("an article");
    let start = open + html[open..].find('>').expect("the article tag ends") + 1;
    let end = html.rfind("</article>").expect("the article ends");
    let inner = &html[start..end];
    let inner = regex::Regex::new(
        r#"(?s)<del class="sic">.*?</del>|<header class="masthead">.*?</header>"#,
    )
    .expect("a regex")
    .replace_all(inner, "");
    let bare = regex::Regex::new("<[^>]*>").expect("a regex").replace_all(&inner, "");
    bare.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

fn expected_text(source: &str) -> String {
    let source = source.strip_prefix('\u{FEFF}').unwrap_or(source);
    source.chars().filter(|&c| !html_forbidden(c) && c != '\u{C}').collect()
}

#[test]
fn text_is_escaped_and_only_our_script_runs() {
    let html = page("Title\n\nA <script>alert(1)</script> & <b>bold</b> \"quoted\" text.\n");
    assert_eq!(html.matches("<script>").count(), 1, "only the page's own script");
    assert!(html.contains("A &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold"));
    assert_eq!(
        article_text(&html),
        "Title\n\nA <script>alert(1)</script> & <b>bold</b> \"quoted\" text.\n"
    );
}

#[test]
fn metadata_is_escaped_and_only_web_addresses_become_links() {
    let (made, _) = make_edition(b"Some text.\n", Encoding::Utf8, &Inputs::default());
    let mut doc = made.document.clone();
    doc.edition.title = "A <i>title</i> & \"more\"".to_string();
    doc.edition.licence.url = Some("javascript:alert(1)".to_string());
    let html = to_string(&doc, &made.tree, &Options::default());
    assert!(html.contains("<title>A &lt;i&gt;title&lt;/i&gt; &amp; \"more\"</title>"));
    assert!(!html.contains("href=\"javascript:"), "a non-web address is no link");
    assert!(html.contains("javascript:alert(1)"), "it stays as text");
}

#[test]
fn characters_html_cannot_carry_are_left_out() {
    let text = "Head\u{1}line\n\nA\u{85}b\u{FFFF}c\u{FDD0}d\u{C}e\u{7F}f\r\ng\n";
    let html = page(text);
    for bad in ['\u{1}', '\u{85}', '\u{FFFF}', '\u{FDD0}', '\u{7F}', '\u{C}'] {
        assert!(!html.contains(bad), "{bad:?} left in the page");
    }
    assert!(html.contains("<span class=\"pb\"></span>"), "a form feed is a page-break mark");
    assert_eq!(article_text(&html), expected_text(text));
}

#[test]
fn names_link_to_their_entries_and_the_index_links_back() {
    let reg = register(
        "[[person]]\nid = \"leon-trotsky\"\nname = \"Leon Trotsky\"\nvariants = [\"Trotsky\"]\n\
         wikidata = \"Q33391\"\nnote = \"revolutionary\"\n",
    );
    let text = "Trotsky wrote, and Trotsky spoke.";
    let html = page_of(
        text,
        vec![
            ann(0..text.len(), Kind::Body),
            ann(0..text.len(), Kind::P),
            ann(0..7, Kind::Person { reference: Some("leon-trotsky".into()) }),
            ann(19..26, Kind::Person { reference: Some("leon-trotsky".into()) }),
        ],
        reg,
    );
    assert!(html.contains(
        "<a class=\"ent person\" href=\"#reg-leon-trotsky\" id=\"person-1\" data-entry=\"reg-leon-trotsky\">Trotsky</a>"
    ));
    assert!(html.contains("id=\"person-2\""));
    assert!(html.contains("<li id=\"reg-leon-trotsky\" class=\"entry person\">"));
    assert!(html.contains("<strong>Leon Trotsky</strong>"));
    assert!(html.contains("<a href=\"https://www.wikidata.org/wiki/Q33391\">Wikidata Q33391</a>"));
    assert!(
        html.contains("<a href=\"#person-1\">1</a>")
            && html.contains("<a href=\"#person-2\">2</a>")
    );
    assert!(html.contains("Persons (2)"), "the legend counts occurrences");
}

#[test]
fn a_name_inside_a_title_is_highlighted_but_not_a_nested_link() {
    let text = "Read The Life of Lenin today.";
    let html = page_of(
        text,
        vec![
            ann(0..text.len(), Kind::Body),
            ann(0..text.len(), Kind::P),
            ann(5..22, Kind::Title { reference: None, level: None }),
            ann(17..22, Kind::Person { reference: None }),
        ],
        Register::default(),
    );
    let open = html.find("<a class=\"ent title\"").expect("the title is a link");
    let close = open + html[open..].find("</a>").expect("it closes");
    let inside = &html[open + 2..close];
    assert!(!inside.contains("<a "), "no link inside a link: {inside}");
    assert!(inside.contains("<span class=\"ent person\""), "{inside}");
    assert!(inside.contains("id=\"person-1\""), "the inner name still has its id");
    assert!(
        html.contains("<li id=\"idx-person-1\""),
        "a name without entry is indexed by its form"
    );
}

#[test]
fn corrections_keep_the_earlier_reading_in_del() {
    let text = "The Czarist empire fell. It was late.";
    let html = page_of(
        text,
        vec![
            ann(0..text.len(), Kind::Body),
            ann(0..text.len(), Kind::P),
            ann(4..11, Kind::Corr { sic: "Czarst".into() }),
            ann(24..24, Kind::Corr { sic: " indeed".into() }),
            ann(28..32, Kind::Corr { sic: "".into() }),
        ],
        Register::default(),
    );
    assert!(html.contains(
        "<span class=\"choice\"><del class=\"sic\">Czarst</del><ins class=\"corr\">Czarist</ins></span>"
    ));
    assert!(html.contains("<span class=\"choice\"><del class=\"sic\"> indeed</del></span>"));
    assert!(html.contains("<span class=\"choice\"><ins class=\"corr\">was </ins></span>"));
    assert!(html.contains("id=\"show-sic\""), "a toggle for the earlier readings");
    assert!(html.contains("(3 corrections)"));
    assert_eq!(article_text(&html), text);
}

#[test]
fn headings_never_skip_a_level() {
    // body > div (no heading) > div (heading) > div (heading)
    let text = "Intro.\n\nOne\n\nText.\n\nTwo\n\nMore.";
    let at = |s: &str| text.find(s).expect("in the text");
    let html = page_of(
        text,
        vec![
            ann(0..text.len(), Kind::Body),
            ann(0..text.len(), Kind::Div { notes: false }),
            ann(0..6, Kind::P),
            ann(at("One")..text.len(), Kind::Div { notes: false }),
            ann(at("One")..at("One") + 3, Kind::Head),
            ann(at("Text.")..at("Text.") + 5, Kind::P),
            ann(at("Two")..text.len(), Kind::Div { notes: false }),
            ann(at("Two")..at("Two") + 3, Kind::Head),
            ann(at("More.")..text.len(), Kind::P),
        ],
        Register::default(),
    );
    assert!(html.contains("<h2 id=\"sec-1\">One</h2>"), "{html}");
    assert!(html.contains("<h3 id=\"sec-2\">Two</h3>"));
    assert!(
        html.contains("<header class=\"masthead\"><h1>t</h1></header>"),
        "a text without title gets one"
    );
    assert!(html.contains("<li class=\"l3\"><a href=\"#sec-2\">Two</a></li>"), "in the contents");
    assert!(html.contains("<div><p>Intro.</p>"), "a section without heading is a div");
}

#[test]
fn block_quotations_and_citations_keep_their_shape() {
    let text = "“Quoted words.” (Trotsky)\n\nHe said “a phrase” (Lenin).";
    let at = |s: &str| text.find(s).expect("in the text");
    let first = at(" (Trotsky)") + " (Trotsky)".len();
    let html = page_of(
        text,
        vec![
            ann(0..text.len(), Kind::Body),
            ann(0..first, Kind::Cit),
            ann(0..at(" (Trotsky)"), Kind::Quote { block: true, speaker: None }),
            ann(0..at(" (Trotsky)"), Kind::P),
            ann(at("(Trotsky)")..first, Kind::Bibl),
            ann(at("He")..text.len(), Kind::P),
            ann(at("“a")..at(" (Lenin)") + 8, Kind::Cit),
            ann(at("“a")..at(" (Lenin)"), Kind::Quote { block: false, speaker: None }),
            ann(at("(Lenin)")..at("(Lenin)") + 7, Kind::Bibl),
        ],
        Register::default(),
    );
    assert!(html.contains(
        "<div class=\"cit\"><blockquote><p>“Quoted words.”</p></blockquote> <span class=\"bibl\">(Trotsky)</span></div>"
    ), "{html}");
    assert!(html.contains(
        "<span class=\"cit\"><q>“a phrase”</q> <span class=\"bibl\">(Lenin)</span></span>"
    ));
}

#[test]
fn dates_are_indexed_by_their_normalised_value() {
    let text = "In 1917 and in Spring 1955 and again in 1917.";
    let when =
        |w: &str| Kind::Date(Box::new(DateValue { when: Some(w.into()), ..Default::default() }));
    let season = Kind::Date(Box::new(DateValue {
        from: Some("1955-03".into()),
        to: Some("1955-05".into()),
        ..Default::default()
    }));
    let html = page_of(
        text,
        vec![
            ann(0..text.len(), Kind::Body),
            ann(0..text.len(), Kind::P),
            ann(3..7, when("1917")),
            ann(15..26, season),
            ann(40..44, when("1917")),
        ],
        Register::default(),
    );
    assert!(html.contains("<time datetime=\"1917\">1917</time></a>"));
    let first = html.find("<li id=\"idx-date-1\"").expect("a first date entry");
    let second = html.find("<li id=\"idx-date-2\"").expect("a second date entry");
    assert!(html[first..second].contains("<strong>1917</strong>"), "sorted by date");
    assert!(html[first..second].contains("2 occurrences"));
    assert!(html[second..].contains("<strong>1955-03 to 1955-05</strong>"));
}

#[test]
fn the_inputs_hash_is_recorded_and_read_back() {
    let (made, _) = make_edition(b"Text.\n", Encoding::Utf8, &Inputs::default());
    let html = to_string(
        &made.document,
        &made.tree,
        &Options { inputs: Some("sha256:abc"), sibling_files: true },
    );
    assert_eq!(recorded_inputs(&html), Some("sha256:abc"));
    assert_eq!(recorded_inputs(&html[..html.find("<style").expect("a style")]), Some("sha256:abc"));
    assert!(
        html.contains("<a href=\"untitled.tei.xml\">")
            || html.contains(".tei.xml\">TEI P5 XML</a>")
    );
    assert_eq!(recorded_inputs(&page("Text.\n")), None);
}

#[test]
fn the_seed_page_is_the_same_every_time() {
    let source = include_str!("../../../seeds/bureaucrats-in-crisis/source.txt");
    let inputs = Inputs {
        edition: Some(include_str!("../../../seeds/bureaucrats-in-crisis/edition.toml")),
        register: Some(include_str!("../../../seeds/bureaucrats-in-crisis/register.toml")),
        fallback_id: "seed",
        previous: None,
    };
    let (made, _) = make_edition(source.as_bytes(), Encoding::Utf8, &inputs);
    let once = to_string(&made.document, &made.tree, &Options::default());
    let again = to_string(&made.document, &made.tree, &Options::default());
    assert_eq!(once, again);
    assert_eq!(article_text(&once), expected_text(source));
}

/// Text made of the things the markup reacts to, and of what HTML must escape.
fn essay_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "Stalin",
        "Moscow",
        "the",
        "1917",
        "Spring 1955",
        "“quoted words,”",
        "(Trotsky)",
        "[1]",
        "‘so-called’",
        "<",
        ">",
        "&",
        "&amp;",
        "\"",
        "é",
        "😀",
        "\u{1}",
        "\u{85}",
        "\u{C}",
        "\u{FFFE}",
        "\u{FDD0}",
        "\u{FEFF}",
        " ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "* * *",
        "Notes\n\n[1] A note.",
        "Title\n\nSubtitle\n\n(Spring 1955)\n\n",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn the_article_holds_the_source_text(text in essay_like()) {
        prop_assert_eq!(article_text(&page(&text)), expected_text(&text));
    }

    #[test]
    fn any_text_gives_a_page(text in "\\PC{0,200}|[\\s\\S]{0,200}") {
        let html = page(&text);
        prop_assert!(html.ends_with("</html>\n"));
        prop_assert_eq!(article_text(&html), expected_text(&text));
    }
}

#[test]
fn one_entry_named_by_two_types_gets_two_ids() {
    let reg = register("[[place]]\nid = \"soviet-union\"\nname = \"Soviet Union\"\n");
    let text = "Soviet Union and Soviet.";
    let id = || Some("soviet-union".into());
    let html = page_of(
        text,
        vec![
            ann(0..text.len(), Kind::Body),
            ann(0..text.len(), Kind::P),
            ann(0..12, Kind::Place { reference: id(), adjectival: false }),
            ann(17..23, Kind::Org { reference: id(), adjectival: true }),
        ],
        reg,
    );
    assert_eq!(html.matches("id=\"reg-soviet-union\"").count(), 1, "{html}");
    assert_eq!(html.matches("id=\"reg-soviet-union-org\"").count(), 1);
    assert!(
        html.contains("href=\"#reg-soviet-union-org\""),
        "the org occurrence links to its own entry"
    );
}
