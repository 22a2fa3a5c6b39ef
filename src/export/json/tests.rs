use super::*;

#[test]
fn offsets_convert_between_bytes_and_characters() {
    let text = "a’b😀c";
    let bytes = [0, 1, 4, 5, 9, 10];
    let chars = to_chars(text, &bytes);
    assert_eq!(chars, [0, 1, 2, 3, 4, 5]);
    let back: Vec<Option<usize>> = to_bytes(text, &chars);
    assert_eq!(back, bytes.iter().map(|&b| Some(b)).collect::<Vec<_>>());
    assert_eq!(to_bytes(text, &[6]), [None]);
}

#[test]
fn documents_read_back_and_bad_ones_are_located() {
    let inputs = crate::Inputs { fallback_id: "t", ..Default::default() };
    let (made, _) =
        crate::make_edition("Title Here\n\nStalin’s text.\n".as_bytes(), Encoding::Utf8, &inputs);
    let json = made.json();
    let (doc, source) = parse(&json).expect("our own JSON reads back");
    assert_eq!(doc.text, made.document.text);
    assert_eq!(doc.annotations, made.document.annotations);
    assert_eq!(source.encoding, "utf-8");

    let err = parse("{\"format\": 3}").expect_err("not a document");
    assert_eq!(err.code, "teimark::json::invalid");
    let err = parse(&json.replace(FORMAT, "teimark-document/9")).expect_err("another format");
    assert_eq!(err.code, "teimark::json::format");
    let err = parse(&json.replace("\"end\": 10", "\"end\": 99")).expect_err("outside the text");
    assert_eq!(err.code, "teimark::json::offset");
}
