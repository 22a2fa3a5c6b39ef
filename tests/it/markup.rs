//! Semantic markup measured against hand-made gold annotation: the seed
//! (with its register) per type, and essays the recognisers were not tuned
//! on (default register only) for dates and candidates.

use std::collections::{BTreeMap, BTreeSet};

use teimark::source::Encoding;
use teimark::{Inputs, make_edition};

use crate::support::repo;

/// One gold or predicted span: type, start, end (Unicode scalar values).
type Span = (String, usize, usize);

/// A gold row with its attributes.
#[derive(Debug, Clone)]
struct Gold {
    kind: String,
    start: usize,
    end: usize,
    text: String,
    attrs: BTreeMap<String, String>,
}

fn read_gold(path: &str) -> Vec<Gold> {
    let tsv = std::fs::read_to_string(repo().join(path)).expect("the gold file");
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("type\t") && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let attrs = cols
                .get(4)
                .map(|a| {
                    a.split("; ")
                        .filter_map(|kv| kv.split_once('='))
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            Gold {
                kind: cols[0].to_string(),
                start: cols[1].parse().expect("a start offset"),
                end: cols[2].parse().expect("an end offset"),
                text: cols[3].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"),
                attrs,
            }
        })
        .collect()
}

/// The predicted spans of a made edition, typed like the gold.
fn predicted(json: &str) -> Vec<(Span, serde_json::Value)> {
    let wire: serde_json::Value = serde_json::from_str(json).expect("the JSON parses");
    let mut out = Vec::new();
    for a in wire["annotations"].as_array().expect("annotations") {
        let t = a["type"].as_str().unwrap_or("");
        let adjectival = a["form"].as_str() == Some("adjectival");
        let kind = match t {
            "person" | "date" | "bibl" | "quote" | "title" | "noteref" => t.to_string(),
            "place" if adjectival => "place-adj".to_string(),
            "org" if adjectival => "org-adj".to_string(),
            "place" | "org" => t.to_string(),
            // The gold does not tell a catchword from a scare quote.
            "soCalled" | "term" => "soCalled".to_string(),
            _ => continue,
        };
        let start = a["start"].as_u64().expect("start") as usize;
        let end = a["end"].as_u64().expect("end") as usize;
        out.push(((kind, start, end), a.clone()));
    }
    out
}

/// Precision and recall per type, exact spans; a printed table.
fn score(
    gold: &[Span],
    predicted: &[Span],
    types: &[&str],
) -> (BTreeMap<String, (f64, f64)>, String) {
    let gold_set: BTreeSet<&Span> = gold.iter().collect();
    let pred_set: BTreeSet<&Span> = predicted.iter().collect();
    let mut table = String::from("type        gold  pred  hit   precision recall\n");
    let mut out = BTreeMap::new();
    for &t in types {
        let g: BTreeSet<&&Span> = gold_set.iter().filter(|s| s.0 == t).collect();
        let p: BTreeSet<&&Span> = pred_set.iter().filter(|s| s.0 == t).collect();
        let hit = g.intersection(&p).count();
        let precision = if p.is_empty() { 1.0 } else { hit as f64 / p.len() as f64 };
        let recall = if g.is_empty() { 1.0 } else { hit as f64 / g.len() as f64 };
        table.push_str(&format!(
            "{t:<11} {:>4}  {:>4}  {hit:>4}  {precision:>9.3} {recall:>6.3}\n",
            g.len(),
            p.len()
        ));
        out.insert(t.to_string(), (precision, recall));
    }
    (out, table)
}

fn make(source: &str, register: Option<&str>) -> String {
    let inputs = Inputs { register, fallback_id: "eval", ..Default::default() };
    let (made, _) = make_edition(source.as_bytes(), Encoding::Utf8, &inputs);
    made.json()
}

/// Lists the misses and false alarms of one type (for the failure message).
fn differences(gold: &[Span], predicted: &[Span], text: &str, t: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let show = |s: &Span| chars[s.1..s.2].iter().collect::<String>().replace('\n', "⏎");
    let g: BTreeSet<&Span> = gold.iter().filter(|s| s.0 == t).collect();
    let p: BTreeSet<&Span> = predicted.iter().filter(|s| s.0 == t).collect();
    let mut out = String::new();
    for s in g.difference(&p) {
        out.push_str(&format!("  missed {t} {}..{} {:?}\n", s.1, s.2, show(s)));
    }
    for s in p.difference(&g) {
        out.push_str(&format!("  extra  {t} {}..{} {:?}\n", s.1, s.2, show(s)));
    }
    out
}

#[test]
fn seed_markup_meets_the_gold() {
    let text = std::fs::read_to_string(repo().join("tests/data/gold/bureaucrats-in-crisis.txt"))
        .expect("the seed");
    let register =
        std::fs::read_to_string(repo().join("seeds/bureaucrats-in-crisis/register.toml"))
            .expect("the seed register");
    let gold: Vec<Gold> = read_gold("tests/data/gold/bureaucrats-in-crisis.tsv");
    let gold_spans: Vec<Span> = gold.iter().map(|g| (g.kind.clone(), g.start, g.end)).collect();
    let pred: Vec<Span> =
        predicted(&make(&text, Some(&register))).into_iter().map(|(s, _)| s).collect();
    let types = [
        "person",
        "place",
        "org",
        "date",
        "bibl",
        "quote",
        "place-adj",
        "soCalled",
        "title",
        "noteref",
    ];
    let (scores, table) = score(&gold_spans, &pred, &types);
    println!("{table}");
    let mut failures = String::new();
    for t in ["person", "place", "org", "date", "bibl", "quote"] {
        let (p, r) = scores[t];
        if p < 0.95 || r < 0.95 {
            failures.push_str(&format!(
                "{t}: precision {p:.3}, recall {r:.3}\n{}",
                differences(&gold_spans, &pred, &text, t)
            ));
        }
    }
    assert!(failures.is_empty(), "below 0.95:\n{failures}\n{table}");
}

const UNSEEN: &[&str] = &[
    "june-days-in-berlin",
    "belgrade-against-moscow",
    "the-sit-down-years",
    "from-canton-to-peking",
    "after-the-twentieth-congress",
    "labour-in-office",
];

fn unseen(slug: &str) -> (String, Vec<Gold>) {
    let text = std::fs::read_to_string(repo().join(format!("tests/data/unseen/{slug}.txt")))
        .expect("an unseen essay");
    (text, read_gold(&format!("tests/data/unseen/{slug}.gold.tsv")))
}

#[test]
fn unseen_essays_dates_make_no_false_positive_on_numbers() {
    let mut report = String::new();
    let mut failures = String::new();
    for slug in UNSEEN {
        let (text, gold) = unseen(slug);
        let pred: Vec<Span> = predicted(&make(&text, None)).into_iter().map(|(s, _)| s).collect();
        let dates: Vec<&Span> = pred.iter().filter(|s| s.0 == "date").collect();
        let numbers: Vec<&Gold> =
            gold.iter().filter(|g| g.kind == "number" || g.kind == "noteref").collect();
        for d in &dates {
            for n in &numbers {
                if d.1 < n.end && n.start < d.2 {
                    failures.push_str(&format!(
                        "{slug}: date {}..{} lands on {} {:?}\n",
                        d.1, d.2, n.kind, n.text
                    ));
                }
            }
        }
        let gold_spans: Vec<Span> = gold.iter().map(|g| (g.kind.clone(), g.start, g.end)).collect();
        let (_, table) = score(&gold_spans, &pred, &["date"]);
        report.push_str(&format!("{slug} ({} number spans)\n{table}", numbers.len()));
    }
    println!("{report}");
    assert!(failures.is_empty(), "{failures}\n{report}");
}

#[test]
fn unseen_essays_candidates_list_the_names_the_default_register_lacks() {
    let matcher = teimark::entities::names::Matcher::new(
        &teimark::entities::register::Register::default_register(),
    );
    let (mut listed_all, mut lacking_all) = (0usize, 0usize);
    let mut report = String::new();
    for slug in UNSEEN {
        let (text, gold) = unseen(slug);
        let pred: BTreeSet<Span> =
            predicted(&make(&text, None)).into_iter().map(|(s, _)| s).collect();
        // Entities by canonical name, with every surface form and whether
        // the default register found any of their mentions.
        let mut entities: BTreeMap<(String, String), (BTreeSet<String>, bool)> = BTreeMap::new();
        for g in gold.iter().filter(|g| g.kind == "person" || g.kind == "place") {
            let name = g.attrs.get("name").cloned().unwrap_or_else(|| g.text.clone());
            let entry = entities.entry((g.kind.clone(), name)).or_default();
            entry.0.insert(g.text.split_whitespace().collect::<Vec<_>>().join(" "));
            entry.1 |= pred.contains(&(g.kind.clone(), g.start, g.end));
        }
        let (structure, _) = teimark::structure::parse(&text);
        let candidates = teimark::entities::candidates::find(&text, &structure.blocks, &matcher);
        let names: BTreeSet<String> = candidates
            .iter()
            .map(|c| c.name.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let mut missing = Vec::new();
        let (mut listed, mut lacking) = (0, 0);
        for ((kind, name), (forms, covered)) in &entities {
            if *covered {
                continue;
            }
            lacking += 1;
            if forms.iter().any(|f| names.contains(f)) {
                listed += 1;
            } else {
                missing.push(format!("{kind} {name} {forms:?}"));
            }
        }
        report.push_str(&format!(
            "{slug}: {listed}/{lacking} names the default register lacks are listed ({} candidates)\n  not listed: {}\n",
            candidates.len(),
            missing.join("; ")
        ));
        listed_all += listed;
        lacking_all += lacking;
    }
    let share = listed_all as f64 / lacking_all as f64;
    println!("{report}overall: {listed_all}/{lacking_all} = {share:.3}");
    assert!(share >= 0.9, "candidates list {share:.3} of the missing names (want ≥ 0.9)\n{report}");
}

/// The structure stage on the seed and the unseen essays: headings, block
/// quotations, title, subtitle, dateline and byline, exact spans.
#[test]
fn structure_meets_the_gold() {
    let mut files: Vec<(String, String, Vec<Gold>)> = UNSEEN
        .iter()
        .map(|s| {
            let (text, gold) = unseen(s);
            (s.to_string(), text, gold)
        })
        .collect();
    let seed = std::fs::read_to_string(repo().join("tests/data/gold/bureaucrats-in-crisis.txt"))
        .expect("the seed");
    files.push(("seed".to_string(), seed, read_gold("tests/data/gold/bureaucrats-in-crisis.tsv")));
    let mut report = String::new();
    let mut failures = String::new();
    for (name, text, gold) in &files {
        let wire: serde_json::Value =
            serde_json::from_str(&make(text, None)).expect("the JSON parses");
        let mut pred: Vec<Span> = Vec::new();
        for a in wire["annotations"].as_array().expect("annotations") {
            let (s, e) = (
                a["start"].as_u64().unwrap_or(0) as usize,
                a["end"].as_u64().unwrap_or(0) as usize,
            );
            let kind = match (a["type"].as_str(), a["sub"].as_bool(), a["block"].as_bool()) {
                (Some("head"), ..) => "head",
                (Some("titlePart"), Some(true), _) => "doc-subtitle",
                (Some("titlePart"), ..) => "doc-title",
                (Some("docDate"), ..) => "dateline",
                (Some("byline"), ..) => "byline",
                (Some("quote"), _, Some(true)) => "blockquote",
                _ => continue,
            };
            pred.push((kind.to_string(), s, e));
        }
        let gold_spans: Vec<Span> = gold.iter().map(|g| (g.kind.clone(), g.start, g.end)).collect();
        let types = ["doc-title", "doc-subtitle", "dateline", "byline", "head", "blockquote"];
        let (scores, table) = score(&gold_spans, &pred, &types);
        report.push_str(&format!("{name}\n{table}"));
        for t in types {
            let (p, r) = scores[t];
            if p < 1.0 || r < 1.0 {
                failures.push_str(&format!(
                    "{name} {t}:\n{}",
                    differences(&gold_spans, &pred, text, t)
                ));
            }
        }
    }
    println!("{report}");
    assert!(failures.is_empty(), "{failures}");
}
