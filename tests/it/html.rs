//! The HTML reading edition in a real browser (headless Chromium driven by
//! tests/browser/check.mjs), under the Nu Html Checker, and `teimark build`
//! at corpus scale: parallel, skipping unchanged sources, going on past a
//! broken one; shell completions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;
use teimark::document::{Annotation, Kind, assemble, resolve};
use teimark::entities::register::Register;
use teimark::export::html;
use teimark::source::Encoding;
use teimark::{Inputs, make_edition};

use crate::support::{repo, run_in};

const SEED: &str = "bureaucrats-in-crisis";

/// Where screenshots are kept: target/test-artefacts/.
fn artefacts() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("test-artefacts");
    std::fs::create_dir_all(&dir).expect("create target/test-artefacts");
    dir
}

/// Whether the browser tools are here. Missing ones fail the test under CI
/// (where .ci/run installs them) and skip it loudly elsewhere.
fn tools_present(what: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "{what} needs {}; install them with: apt-get install -y chromium chromium-driver \
         default-jre-headless && npm ci --prefix tests/browser (see .ci/run)",
        missing.join(", ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    eprintln!("\n{}\nSKIPPED: {message}\n{}\n", "!".repeat(78), "!".repeat(78));
    false
}

fn browser_tools() -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).is_file() {
        missing.push(format!("Chromium ({chromium})"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("Node.js".to_string());
    }
    if !repo().join("tests/browser/node_modules/playwright-core").is_dir() {
        missing.push("playwright-core and axe-core (npm ci --prefix tests/browser)".to_string());
    }
    missing
}

fn vnu_jar() -> PathBuf {
    repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar")
}

fn checker_tools() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("java").arg("-version").output().is_err() {
        missing.push("Java".to_string());
    }
    if !vnu_jar().is_file() {
        missing.push("vnu.jar (npm ci --prefix tests/browser)".to_string());
    }
    missing
}

/// Builds the seed project into a temporary folder; returns it.
fn built_seed() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = tmp.path().to_str().expect("a UTF-8 path");
    let (code, _, stderr) = run_in(&repo(), &["build", "--out", out]);
    assert_eq!(code, 0, "teimark build failed:\n{stderr}");
    tmp
}

/// A short edition with corrections of every shape: a replaced word, a
/// deleted phrase and an inserted one.
fn corrections_page() -> (String, Vec<&'static str>) {
    let text = "A Short Essay\n\n(Winter 1956)\n\nThe Czarist empire fell when Trotsky spoke in Moscow. \
                It was late.\n";
    let (made, _) = make_edition(
        text.as_bytes(),
        Encoding::Utf8,
        &Inputs { fallback_id: "corrections", ..Default::default() },
    );
    let mut doc = made.document;
    let at = |s: &str| text.find(s).expect("in the text");
    let mut annotations = doc.annotations.clone();
    let sics = vec!["Czarst", " indeed", "fel"];
    annotations.push(Annotation::new(
        at("Czarist")..at("Czarist") + 7,
        Kind::Corr { sic: sics[0].into() },
        "test",
    ));
    annotations.push(Annotation::new(
        at(" It")..at(" It"),
        Kind::Corr { sic: sics[1].into() },
        "test",
    ));
    annotations.push(Annotation::new(
        at("fell")..at("fell") + 4,
        Kind::Corr { sic: sics[2].into() },
        "test",
    ));
    let (assembled, _) =
        assemble(std::mem::take(&mut doc.text), annotations, doc.edition, doc.register);
    let (tree, _) = resolve(&assembled);
    (html::to_string(&assembled, &tree, &html::Options::default()), sics)
}

/// How often each element occurs in the TEI `<text>` (not in the header).
fn tei_counts(xml: &str) -> BTreeMap<String, usize> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    let mut counts = BTreeMap::new();
    loop {
        match reader.read_event().expect("the TEI is well-formed") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if name == "text" {
                    inside = true;
                } else if inside {
                    *counts.entry(name).or_insert(0) += 1;
                }
            }
            Event::End(e) if e.name().as_ref() == "text" => inside = false,
            Event::Eof => break,
            _ => {}
        }
    }
    counts
}

fn number(v: &Value) -> usize {
    v.as_u64().unwrap_or_else(|| panic!("a number, got {v}")) as usize
}

#[test]
fn seed_edition_in_a_real_browser() {
    if !tools_present("the browser test", &browser_tools()) {
        return;
    }
    let built = built_seed();
    let dir = built.path().join(SEED);
    let page = dir.join("index.html");
    let (corrections, sics) = corrections_page();
    let corrections_file = built.path().join("corrections.html");
    std::fs::write(&corrections_file, &corrections).expect("write the corrections page");
    let screenshot = artefacts().join("seed-edition.png");
    let _ = std::fs::remove_file(&screenshot);

    let out = Command::new("node")
        .arg(repo().join("tests/browser/check.mjs"))
        .arg("--page")
        .arg(&page)
        .arg("--corrections")
        .arg(&corrections_file)
        .arg("--screenshot")
        .arg(&screenshot)
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the browser script failed:\n{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    let seed = &report["seed"];

    assert_eq!(report["pageErrors"], Value::Array(vec![]), "script errors in the page");
    assert_eq!(
        report["requests"],
        Value::Array(vec![]),
        "the page asked for something off the file"
    );
    assert_eq!(seed["lang"], "en");

    // As many highlighted names of each type as the TEI has elements.
    let tei = std::fs::read_to_string(dir.join(format!("{SEED}.tei.xml"))).expect("the TEI");
    let counts = tei_counts(&tei);
    let mut highlighted = 0;
    for (class, element) in [
        ("person", "persName"),
        ("place", "placeName"),
        ("org", "orgName"),
        ("title", "title"),
        ("date", "date"),
    ] {
        let in_tei = counts.get(element).copied().unwrap_or(0);
        assert_eq!(number(&seed["counts"][class]), in_tei, "highlighted {class} vs TEI {element}");
        highlighted += in_tei;
    }
    assert!(counts["persName"] > 40, "the seed names many persons: {counts:?}");
    let ids = &seed["ids"];
    assert_eq!(number(&ids["highlighted"]), highlighted);
    assert_eq!(number(&ids["withId"]), highlighted, "every occurrence has an id");
    assert_eq!(number(&ids["unique"]), highlighted, "ids are unique");

    // Every occurrence is linked from the index, and every link lands.
    let back = &seed["backLinks"];
    assert_eq!(number(&back["total"]), highlighted, "{back}");
    assert_eq!(number(&back["landed"]), highlighted, "links that did not land: {back}");
    assert_eq!(number(&back["occurrencesLinked"]), highlighted);
    let clicks = seed["clicks"].as_array().expect("clicks");
    assert_eq!(clicks.len(), 2, "{clicks:?}");
    for click in clicks {
        assert_eq!(click["hash"], click["href"], "{click}");
        assert_eq!(click["isTarget"], true, "{click}");
        assert_eq!(click["inView"], true, "{click}");
    }

    // The register card, on hover and on keyboard focus.
    let register = std::fs::read_to_string(repo().join(format!("seeds/{SEED}/register.toml")))
        .expect("the seed register");
    let (register, _) = Register::parse(&register);
    let register = register.expect("the seed register parses").over(Register::default_register());
    for card in [&seed["hover"], &seed["keyboard"]["card"]] {
        assert_eq!(card["visible"], true, "{card}");
        assert_eq!(card["describedBy"], "card", "{card}");
        let entry = card["entry"].as_str().expect("an entry").trim_start_matches("reg-");
        let (_, entry) = register.get(entry).expect("the card's entry is in the register");
        let text = card["text"].as_str().expect("card text");
        assert!(text.contains(&entry.name), "card shows {:?}: {text}", entry.name);
        if let Some(q) = &entry.wikidata {
            let links = card["links"].to_string();
            assert!(links.contains(&format!("https://www.wikidata.org/wiki/{q}")), "{links}");
        }
    }
    assert!(
        seed["hover"]["links"].to_string().contains("wikidata"),
        "a card with an authority link"
    );
    assert_eq!(seed["hoverHidden"], true, "Escape closes the card");
    let tap = &seed["tap"];
    assert_eq!(tap["first"]["visible"], true, "a tap shows the card: {tap}");
    assert_eq!(tap["first"]["hash"], "", "the first tap stays in the text: {tap}");
    assert_eq!(
        tap["second"].as_str(),
        Some(format!("#{}", tap["first"]["entry"].as_str().unwrap_or_default()).as_str()),
        "the second tap goes to the entry: {tap}"
    );
    assert!(
        number(&seed["keyboard"]["tabs"]) < 20,
        "names are reached by Tab: {}",
        seed["keyboard"]
    );
    assert_eq!(seed["keyboard"]["hiddenAfterEscape"], true);

    // Each toggle hides its highlighting and shows it again.
    let toggles = seed["toggles"].as_object().expect("toggles");
    assert_eq!(toggles.len(), 5, "{toggles:?}");
    for (class, t) in toggles {
        assert_eq!(t["off"], "rgba(0, 0, 0, 0)", "{class} off: {t}");
        assert_ne!(t["on"], t["off"], "{class}: {t}");
        assert_eq!(t["again"], t["on"], "{class}: {t}");
        assert_eq!(t["checkedOff"], false, "{class}: {t}");
    }

    // Corrections: the earlier readings only on demand.
    let c = &report["corrections"];
    assert_eq!(number(&c["before"]["count"]), sics.len(), "{c}");
    assert_eq!(number(&c["before"]["displayed"]), 0, "{c}");
    assert_eq!(number(&c["shown"]["displayed"]), sics.len(), "{c}");
    let shown = c["shown"]["visibleText"].as_str().expect("text");
    for sic in &sics {
        assert!(shown.contains(sic.trim()), "{sic:?} shown: {shown}");
        assert!(!c["before"]["visibleText"].as_str().expect("text").contains("Czarst"));
    }
    assert_eq!(number(&c["hiddenAgain"]["displayed"]), 0, "{c}");

    // axe-core: no WCAG 2.x A/AA or best-practice violation.
    for (page, axe) in [("seed", &seed["axe"]), ("corrections", &c["axe"])] {
        assert!(number(&axe["passes"]) > 20, "axe ran on the {page} page: {axe}");
        assert_eq!(axe["violations"], Value::Array(vec![]), "axe on the {page} page: {axe:#}");
    }

    let png = std::fs::read(&screenshot).expect("the screenshot was saved");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real screenshot");
    eprintln!("screenshot: {}", screenshot.display());
}

/// Essay-like texts with what an HTML writer can get wrong: markup
/// characters, controls, quotations, notes, sections.
fn essay_like() -> impl Strategy<Value = String> {
    let block = proptest::sample::select(vec![
        "Stalin spoke in Moscow in 1917 & 1923 <to> the Kremlin.",
        "“Quoted words of Trotsky,” he said (Trotsky).",
        "“A long quotation begins here.\n\n“And it ends here.” (Bulletin of the Russian Opposition, Nos.1-2, July 1929, page 22.)",
        "The Problem Persists",
        "* * *",
        "Notes",
        "[1] A note about Lenin.",
        "In Spring 1955 and the Twenties, “socialism in one country” [1].",
        "Control \u{1} and \u{85} and \u{C} and \u{FFFE} characters.",
        "China, India and the USA; Khrushchev and Malenkov.",
    ]);
    proptest::collection::vec(block, 1..14)
        .prop_map(|b| format!("A Title\n\nA Subtitle\n\n(Spring 1955)\n\n{}\n", b.join("\n\n")))
}

#[test]
fn pages_pass_the_nu_html_checker() {
    if !tools_present("the HTML checker test", &checker_tools()) {
        return;
    }
    let built = built_seed();
    let mut files = vec![built.path().join(SEED).join("index.html")];
    let corrections = built.path().join("corrections.html");
    std::fs::write(&corrections, corrections_page().0).expect("write");
    files.push(corrections);
    // Random texts too, checked in the same run (the checker starts slowly);
    // drawn from a fixed seed, so every CI run checks the same pages.
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    for i in 0..12 {
        let text = essay_like().new_tree(&mut runner).expect("a value").current();
        let (made, _) = make_edition(
            text.as_bytes(),
            Encoding::Utf8,
            &Inputs { fallback_id: "random", ..Default::default() },
        );
        let path = built.path().join(format!("random-{i}.html"));
        std::fs::write(&path, html::to_string(&made.document, &made.tree, &Default::default()))
            .expect("write");
        std::fs::write(built.path().join(format!("random-{i}.txt")), &text).expect("write");
        files.push(path);
    }
    let out = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--format", "json", "--also-check-css"])
        .args(&files)
        .output()
        .expect("java runs");
    let report: Value = serde_json::from_slice(&out.stderr)
        .or_else(|_| serde_json::from_slice(&out.stdout))
        .unwrap_or_else(|e| {
            panic!("the checker printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr))
        });
    let messages = report["messages"].as_array().expect("messages");
    let problems: Vec<String> = messages
        .iter()
        .filter(|m| m["type"] != "info" || m["subType"] == "warning")
        .map(|m| format!("{}: {} {}: {}", m["url"], m["type"], m["lastLine"], m["message"]))
        .collect();
    if !problems.is_empty() {
        let kept = built.keep();
        panic!(
            "the Nu Html Checker found problems (pages and sources in {}):\n{}",
            kept.display(),
            problems.join("\n")
        );
    }
}

/// A project with three sources: the seed, a short essay, and one whose
/// edition.toml is broken.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let seeds = tmp.path().join("seeds");
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("list").flatten() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    };
    copy(&repo().join("seeds").join(SEED), &seeds.join(SEED));
    copy(&repo().join("tests/data/good/short-essay"), &seeds.join("short-essay"));
    copy(&repo().join("tests/data/bad/unknown-key"), &seeds.join("zz-broken"));
    tmp
}

fn summary(stderr: &str) -> &str {
    stderr.lines().last().unwrap_or_default()
}

#[test]
fn build_skips_unchanged_sources_and_goes_on_past_a_broken_one() {
    let project = project();
    let dir = project.path();
    let run = |extra: &[&str]| {
        let mut args = vec!["build", "."];
        args.extend_from_slice(extra);
        run_in(dir, &args)
    };

    let (code, stdout, stderr) = run(&["--jobs", "2"]);
    assert_eq!(code, 1, "a broken source makes exit code 1:\n{stderr}");
    assert!(stdout.is_empty());
    assert!(summary(&stderr).starts_with("2 built, 0 skipped, 1 failed;"), "{stderr}");
    assert!(stderr.contains("teimark::config::unknown-key"), "the broken source is reported");
    assert!(!stderr.contains('\r') && !stderr.contains('\u{1b}'), "no progress bar off a terminal");
    let page = std::fs::read_to_string(dir.join(format!("editions/{SEED}/index.html")))
        .expect("index.html is written");
    let hash = html::recorded_inputs(&page).expect("the inputs hash is recorded");
    assert!(hash.starts_with("sha256:") && hash.len() == 7 + 64, "{hash}");
    let short = dir.join("editions/short-essay");
    let names: Vec<String> = std::fs::read_dir(&short)
        .expect("the short essay was built")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "TEI, JSON and HTML, no temporary files: {names:?}");

    let (code, _, stderr) = run(&[]);
    assert_eq!(code, 1);
    assert!(
        summary(&stderr)
            .starts_with("0 built, 2 skipped (inputs unchanged; --force rebuilds them), 1 failed;"),
        "{stderr}"
    );

    // A changed source, a changed register, a missing output: rebuilt.
    let source = dir.join("seeds/short-essay/source.txt");
    let text = std::fs::read_to_string(&source).expect("read");
    std::fs::write(&source, text + "\nOne more paragraph.\n").expect("write");
    let (_, _, stderr) = run(&[]);
    assert!(summary(&stderr).starts_with("1 built, 1 skipped"), "{stderr}");
    std::fs::remove_file(dir.join(format!("editions/{SEED}/{SEED}.json"))).expect("remove");
    let (_, _, stderr) = run(&[]);
    assert!(summary(&stderr).starts_with("1 built, 1 skipped"), "{stderr}");
    let register = dir.join(format!("seeds/{SEED}/register.toml"));
    let text = std::fs::read_to_string(&register).expect("read");
    std::fs::write(&register, text + "\n# a comment changes the bytes\n").expect("write");
    let (_, _, stderr) = run(&[]);
    assert!(summary(&stderr).starts_with("1 built, 1 skipped"), "{stderr}");

    let (_, _, stderr) = run(&["--force", "--jobs", "1"]);
    assert!(summary(&stderr).starts_with("2 built, 0 skipped"), "{stderr}");
}

#[test]
fn one_and_two_threads_write_the_same_files() {
    let project = project();
    let dir = project.path();
    run_in(dir, &["build", ".", "--jobs", "1", "--out", "one"]);
    run_in(dir, &["build", ".", "--jobs", "2", "--out", "two"]);
    for id in [SEED, "short-essay"] {
        for name in [format!("{id}.tei.xml"), format!("{id}.json"), "index.html".to_string()] {
            let one = std::fs::read(dir.join("one").join(id).join(&name)).expect("built on one");
            let two = std::fs::read(dir.join("two").join(id).join(&name)).expect("built on two");
            assert!(one == two, "{id}/{name} differs between 1 and 2 threads");
        }
    }
}

#[test]
fn edition_writes_the_html_page() {
    // The newest revision, which the edition is built from.
    let source = repo().join(format!("seeds/{SEED}/corrected.txt"));
    let (code, stdout, stderr) =
        run_in(&repo(), &["edition", source.to_str().expect("UTF-8"), "--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(stdout.contains("<article id=\"text\" lang=\"en\">"));
    // The same inputs as `teimark build`: the same hash, so a build skips it.
    let committed = std::fs::read_to_string(repo().join(format!("editions/{SEED}/index.html")))
        .expect("the committed page");
    assert_eq!(html::recorded_inputs(&stdout), html::recorded_inputs(&committed));
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in
        [("bash", "complete -F"), ("zsh", "#compdef teimark"), ("fish", "complete -c teimark")]
    {
        let (code, stdout, stderr) = run_in(&repo(), &["completions", shell]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains(marker), "{shell}: {marker:?} missing");
        for sub in ["edition", "build", "candidates", "completions"] {
            assert!(stdout.contains(sub), "{shell} completes {sub}");
        }
        assert!(stdout.contains("jobs") && stdout.contains("force"), "{shell} completes options");
    }
    let (code, _, stderr) = run_in(&repo(), &["completions", "tcsh"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("possible values"), "{stderr}");
}

#[test]
fn two_sources_with_one_id_are_an_error_for_the_second() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for name in ["a", "b"] {
        let dir = tmp.path().join("seeds").join(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for file in ["edition.toml", "source.txt"] {
            std::fs::copy(repo().join("tests/data/good/short-essay").join(file), dir.join(file))
                .expect("copy");
        }
    }
    for jobs in ["1", "2"] {
        let (code, _, stderr) = run_in(tmp.path(), &["build", ".", "--force", "--jobs", jobs]);
        assert_eq!(code, 1, "{stderr}");
        assert!(summary(&stderr).starts_with("1 built, 0 skipped, 1 failed;"), "{stderr}");
        assert!(stderr.contains("teimark::build::duplicate-id"), "{stderr}");
        assert!(stderr.contains("seeds/b"), "the second folder is the one refused: {stderr}");
    }
}
