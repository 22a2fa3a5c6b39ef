use super::*;

fn check(bytes: &[u8], encoding: Encoding) -> (String, Vec<&'static str>) {
    let (source, diagnostics) = decode(bytes, encoding);
    (source.text, diagnostics.iter().map(|d| d.code).collect())
}

#[test]
fn utf8_with_and_without_bom() {
    assert_eq!(check("Crisis\n".as_bytes(), Encoding::Utf8), ("Crisis\n".to_string(), vec![]));
    let (source, _) = decode(b"\xEF\xBB\xBFCrisis\n", Encoding::Utf8);
    assert_eq!(source.text, "Crisis\n");
    assert!(source.bom);
}

#[test]
fn line_endings_are_kept_and_indexed() {
    let (source, diagnostics) = decode(b"one\r\ntwo\rthree\nfour", Encoding::Utf8);
    assert!(diagnostics.is_empty());
    assert_eq!(source.text, "one\r\ntwo\rthree\nfour");
    assert_eq!(line_starts(&source.text), &[0, 5, 9, 15]);
    assert_eq!(source.line_col(5), (2, 1));
    assert_eq!(source.line_col(11), (3, 3));
}

#[test]
fn columns_count_characters_not_bytes() {
    let source = Source::from_text("Stalin’s death".to_string());
    let offset = "Stalin’s ".len();
    assert_eq!(source.line_col(offset), (1, 10));
}

#[test]
fn invalid_utf8_names_line_and_byte() {
    let (source, diagnostics) = decode(b"ok\nB\xFCro \xFF\n", Encoding::Utf8);
    assert_eq!(source.text, "ok\nB\u{FFFD}ro \u{FFFD}\n");
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.code, "teimark::source::invalid-utf8");
    assert!(d.message.contains("line 2, byte offset 4"), "{}", d.message);
    assert!(d.message.contains("1 more"), "{}", d.message);
    assert_eq!(d.span, Some(4..7));
}

#[test]
fn windows_1252_and_latin1() {
    assert_eq!(check(b"\x93quoted\x94 \x80", Encoding::Windows1252).0, "“quoted” €");
    assert_eq!(check(b"B\xFCro \x80", Encoding::Latin1).0, "Büro \u{80}");
}

#[test]
fn empty_whitespace_and_binary_sources_are_errors() {
    assert_eq!(check(b"", Encoding::Utf8).1, vec!["teimark::source::empty"]);
    assert_eq!(check(b" \n\t\n", Encoding::Utf8).1, vec!["teimark::source::empty"]);
    assert_eq!(check(b"GIF89a\x00\x01\x02", Encoding::Utf8).1, vec!["teimark::source::binary"]);
}

#[test]
fn control_characters_are_warned_about() {
    let (_, codes) = check(b"text\x01more\x0cpage", Encoding::Utf8);
    // The form feed is a page break, not a problem; U+0001 is.
    assert_eq!(codes, vec!["teimark::source::control-character"]);
}

#[test]
fn owned_bytes_decode_like_borrowed_ones() {
    for bytes in [&b"\xEF\xBB\xBFok\r\n"[..], b"B\xFCro", b"", b"a\x00b", b"x\x01y"] {
        let (a, da) = decode(bytes, Encoding::Utf8);
        let (b, db) = decode_owned(bytes.to_vec(), Encoding::Utf8);
        assert_eq!(a, b);
        assert_eq!(da, db);
    }
}
