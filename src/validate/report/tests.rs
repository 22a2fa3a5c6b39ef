//! Excerpts (what the human format shows) and the machine formats' escaping and shape.

use proptest::prelude::*;

use super::excerpt::Excerpt;
use super::{FileReport, Placed, RunProblem, Summary, github, json, path_uri, sarif};
use crate::diag::Diagnostic;
use crate::validate::Finding;

/// A finding at `span` of `text`, with line and column computed the engine's way.
fn finding_at(text: &str, span: std::ops::Range<usize>) -> Finding {
    let before = &text[..span.start];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    Finding {
        diagnostic: Diagnostic::error("teimark::rules::date-order", "m").with_span(span, "here"),
        line,
        column,
        expected: Vec::new(),
    }
}

/// The excerpt's text with the span in brackets, and where it starts.
fn shown(text: &str, span: std::ops::Range<usize>) -> (String, u32, u32) {
    let f = finding_at(text, span);
    let e = Excerpt::cut(text.as_bytes(), 0, &f).expect("an excerpt");
    let local = |o: u64| (o - e.offset) as usize;
    let marked = format!(
        "{}[{}]{}",
        &e.text[..local(e.span.start)],
        &e.text[local(e.span.start)..local(e.span.end)],
        &e.text[local(e.span.end)..]
    );
    (marked, e.line, e.column)
}

#[test]
fn short_lines_show_the_line_before_and_after() {
    let text = "one\ntwo\nthree <x/> four\nfive\nsix";
    let at = text.find("<x/>").unwrap();
    assert_eq!(shown(text, at..at + 4), ("two\nthree [<x/>] four\nfive".to_string(), 2, 1));
}

#[test]
fn at_the_start_and_end_of_a_file() {
    assert_eq!(shown("<x/>", 0..4), ("[<x/>]".to_string(), 1, 1));
    assert_eq!(shown("a\n<x/>", 2..6), ("a\n[<x/>]".to_string(), 1, 1));
    assert_eq!(shown("a\n<x/>", 6..6), ("a\n<x/>[]".to_string(), 1, 1));
}

#[test]
fn long_lines_are_cut_around_the_span_with_ellipses() {
    let text = format!("{}<x a=\"1\"/>{}", "é".repeat(300), "b".repeat(300));
    let at = text.find("<x").unwrap();
    let (marked, line, column) = shown(&text, at..at + 10);
    assert_eq!(marked, format!("…{}[<x a=\"1\"/>]{}…", "é".repeat(20), "b".repeat(40)));
    // The ellipsis stands in the column before the first character shown.
    assert_eq!((line, column), (1, 280));
}

#[test]
fn long_spans_are_cut() {
    let text = format!("<p>{}</p>", "x".repeat(1000));
    let f = finding_at(&text, 0..text.len());
    let e = Excerpt::cut(text.as_bytes(), 0, &f).unwrap();
    assert_eq!(e.span, 0..super::excerpt::MAX_SPAN);
    assert_eq!(e.end_of(&f), None, "the end of a cut span is not known");
    let short = finding_at(&text, 0..3);
    let e = Excerpt::cut(text.as_bytes(), 0, &short).unwrap();
    assert_eq!(e.end_of(&short), Some((1, 4)));
}

#[test]
fn a_chunk_of_a_file_gives_the_same_excerpt_as_the_whole_file() {
    let text: String = (0..200).map(|i| format!("line {i} <e n=\"{i}\"/>\n")).collect();
    let at = text.find("<e n=\"150\"/>").unwrap();
    let f = finding_at(&text, at..at + 12);
    let whole = Excerpt::cut(text.as_bytes(), 0, &f).unwrap();
    let needs = Excerpt::needs(&(at as u64..at as u64 + 12));
    let chunk = &text.as_bytes()[needs.start as usize..(needs.end as usize).min(text.len())];
    let part = Excerpt::cut(chunk, needs.start, &f).unwrap();
    assert_eq!(whole, part);
    assert_eq!(whole.line, 150);
    assert_eq!(
        whole.text,
        "line 149 <e n=\"149\"/>\nline 150 <e n=\"150\"/>\nline 151 <e n=\"151\"/>"
    );
}

#[test]
fn no_excerpt_for_text_that_is_not_utf8_or_a_span_outside_the_chunk() {
    let bytes = b"ab\xff<x/>";
    let f = Finding {
        diagnostic: Diagnostic::error("teimark::validate::io", "m").with_span(3..7, "here"),
        line: 1,
        column: 4,
        expected: Vec::new(),
    };
    assert_eq!(Excerpt::cut(bytes, 0, &f), None);
    assert_eq!(Excerpt::cut(b"<x/>", 100, &f), None);
}

fn sample() -> (Vec<FileReport>, Vec<RunProblem>) {
    let text = "<TEI>\n<date from=\"1923\" to=\"1917\">x</date>\n</TEI>";
    let at = text.find("from").unwrap();
    let mut finding = finding_at(text, at..at + 21);
    finding.diagnostic = finding.diagnostic.with_help("swap them, 100% sure: really");
    let excerpt = Excerpt::cut(text.as_bytes(), 0, &finding);
    let file = FileReport {
        path: "dir/a, b.xml".to_string(),
        schema: Some("tei_all.rng".to_string()),
        checked: true,
        truncated: false,
        findings: vec![Placed { finding, excerpt }],
    };
    let unreadable = FileReport {
        path: "gone.xml".to_string(),
        schema: None,
        checked: false,
        truncated: false,
        findings: vec![Placed::unplaced(Diagnostic::error(
            "teimark::io::read",
            "cannot read gone.xml",
        ))],
    };
    let problem = RunProblem {
        path: None,
        placed: Placed::unplaced(
            Diagnostic::error("teimark::rules::unknown-rule", "unknown rule \"x\"").with_help("h"),
        ),
    };
    (vec![file, unreadable], vec![problem])
}

#[test]
fn github_annotations_escape_messages_and_properties() {
    let (files, problems) = sample();
    assert_eq!(
        github::render_file(&files[0]),
        "::error file=dir/a%2C b.xml,line=2,col=7,endLine=2,endColumn=28,title=teimark%3A%3Arules%3A%3Adate-order::m%0Ahelp: swap them, 100%25 sure: really\n"
    );
    assert_eq!(
        github::render_problem(&problems[0]),
        "::error title=teimark%3A%3Arules%3A%3Aunknown-rule::unknown rule \"x\"%0Ahelp: h\n"
    );
}

#[test]
fn json_output_counts_and_places() {
    let (files, problems) = sample();
    let out: serde_json::Value = serde_json::from_str(&json::render(&files, &problems)).unwrap();
    assert_eq!(out["format"], "teimark-validate/1");
    assert_eq!(out["summary"]["files"], 2);
    assert_eq!(out["summary"]["invalid"], 1);
    assert_eq!(out["summary"]["unchecked"], 1);
    assert_eq!(out["files"][0]["status"], "invalid");
    assert_eq!(out["files"][1]["status"], "unchecked");
    let location = &out["files"][0]["diagnostics"][0]["location"];
    assert_eq!((location["line"].as_u64(), location["column"].as_u64()), (Some(2), Some(7)));
    assert_eq!(location["offset"], 12);
    assert_eq!(location["length"], 21);
    assert!(out["files"][1]["diagnostics"][0].get("location").is_none());
    assert_eq!(out["problems"][0]["code"], "teimark::rules::unknown-rule");
}

#[test]
fn sarif_has_rules_results_and_notifications() {
    let (files, problems) = sample();
    let log: serde_json::Value = serde_json::from_str(&sarif::render(&files, &problems)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let result = &run["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "teimark::rules::date-order");
    assert_eq!(result["ruleId"], "teimark::rules::date-order");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "dir/a%2C%20b.xml");
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 7);
    assert_eq!(location["region"]["endColumn"], 28);
    assert!(rules[index]["help"]["markdown"].as_str().unwrap().contains("## Why"));
    assert_eq!(run["results"].as_array().unwrap().len(), 1, "the unreadable file is no result");
    let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    // Every edition rule is described, and every code used.
    for r in crate::validate::rules::RULES {
        assert!(rules.iter().any(|x| x["id"] == r.code), "{}", r.code);
    }
    assert!(rules.iter().any(|x| x["id"] == "teimark::io::read"));
}

#[test]
fn paths_become_uris() {
    assert_eq!(path_uri("a/b c/ä.xml"), "a/b%20c/%C3%A4.xml");
    assert_eq!(path_uri("/abs/x#1.xml"), "file:///abs/x%231.xml");
    assert_eq!(path_uri("win\\dir\\x.xml"), "win/dir/x.xml");
}

#[test]
fn the_summary_line_counts_files_and_findings() {
    let (files, _) = sample();
    assert_eq!(
        Summary::of(&files).line(),
        "checked 1 file: 0 valid, 1 invalid, 1 not checked; 2 errors, 0 warnings"
    );
    assert_eq!(
        Summary::default().line(),
        "checked 0 files: 0 valid, 0 invalid; 0 errors, 0 warnings"
    );
}

proptest! {
    /// Any text and span: an excerpt holds the span's start, its text is the file's
    /// (apart from ellipses), and lines and columns agree with the file.
    #[test]
    fn excerpts_are_faithful(text in "(?s)[a-z é\u{1F600}\n<>]{0,600}", a in 0usize..700, len in 0usize..400) {
        let mut start = a.min(text.len());
        while !text.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let f = finding_at(&text, start..end);
        let e = Excerpt::cut(text.as_bytes(), 0, &f).expect("UTF-8 text always has an excerpt");
        let body = e.text.trim_start_matches('…').trim_end_matches('…');
        prop_assert!(text.contains(body));
        prop_assert!(e.span.start == start as u64 && e.span.end <= end as u64);
        let lead = e.text.len() - e.text.trim_start_matches('…').len();
        let body_start = e.offset as usize + lead;
        prop_assert_eq!(&text[body_start..body_start + body.len()], body);
        let expect = finding_at(&text, body_start..body_start);
        prop_assert_eq!(e.line, expect.line);
        prop_assert_eq!(e.column as usize + usize::from(lead > 0), expect.column as usize);
        if let Some((line, column)) = e.end_of(&f) {
            let after = finding_at(&text, end..end);
            prop_assert_eq!((line, column), (after.line, after.column));
        }
    }
}
