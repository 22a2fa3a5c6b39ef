//! `teimark validate` as users run it: the seed edition, broken copies of it in the four
//! formats (snapshots), exit codes, how the schema is chosen, rules switched off.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::support::{repo, tei_all, teimark};

/// The fixtures: a cut-down copy of the seed edition and broken copies of it.
fn fixtures() -> PathBuf {
    repo().join("tests/data/validate-cli")
}

/// The folder that holds tei_all.rng.
fn tei_folder() -> PathBuf {
    tei_all().parent().expect("tei_all.rng is in a folder").to_path_buf()
}

/// Runs `teimark` in `dir` with `NO_COLOR`, tei_all on the schema search path, and no
/// schemas from the user's data folder; `env` adds or overrides variables (an empty
/// value removes one). Returns exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> (i32, String, String) {
    let empty = tempfile::tempdir().expect("a temp dir");
    let mut command = teimark();
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TEIMARK_SCHEMA_PATH", tei_folder())
        .env("XDG_DATA_HOME", empty.path())
        .env("HOME", empty.path());
    for (key, value) in env {
        if value.is_empty() {
            command.env_remove(key);
        } else {
            command.env(key, value);
        }
    }
    let out = command.output().expect("the teimark binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Output with the parts that change from run to run or machine to machine replaced:
/// the folder of tei_all.rng, times, teimark's version.
fn stable(text: &str) -> String {
    let text = text.replace(&tei_folder().display().to_string(), "[tei]");
    let time = regex::Regex::new(r"in \d+\.\d\d s").unwrap();
    let text = time.replace_all(&text, "in [time] s").into_owned();
    text.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[teimark version]\"",
    )
}

#[test]
fn the_seed_edition_validates_with_no_errors_under_tei_all_and_its_rules() {
    let edition = "editions/bureaucrats-in-crisis/bureaucrats-in-crisis.tei.xml";
    let (code, stdout, stderr) = run(&repo(), &["validate", edition, "--format", "json"], &[]);
    assert_eq!(code, 0, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(out["summary"]["errors"], 0, "{stdout}");
    assert_eq!(out["files"][0]["status"], "valid");
    assert_eq!(out["files"][0]["schema"].as_str(), Some(tei_all().to_str().unwrap()));
    assert!(stderr.contains("checked 1 file: 1 valid, 0 invalid; 0 errors"), "{stderr}");
}

/// Runs `teimark validate broken/` in the fixtures folder in a format.
fn broken(format: &str) -> (i32, String, String) {
    let (code, stdout, stderr) =
        run(&fixtures(), &["validate", "broken/", "--format", format], &[]);
    assert_eq!(code, 1, "broken copies are invalid: exit code 1\n{stderr}");
    (code, stable(&stdout), stable(&stderr))
}

#[test]
fn broken_copies_human() {
    let (_, stdout, stderr) = broken("human");
    assert!(stdout.is_empty(), "the human format writes to stderr: {stdout}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn broken_copies_json() {
    let (_, stdout, stderr) = broken("json");
    assert!(
        stderr.contains("checked 9 files: 1 valid, 8 invalid; 8 errors, 1 warning"),
        "{stderr}"
    );
    insta::assert_snapshot!(stdout);
}

/// Checks a JSON value against a node of a generated JSON Schema: `$ref`, `type`,
/// `enum`, `const`, `oneOf`/`anyOf`, object `properties` (no others) and `required`,
/// array `items`. Enough for what schemars writes; an error names the JSON path.
fn conforms(
    value: &serde_json::Value,
    node: &serde_json::Value,
    root: &serde_json::Value,
    at: &str,
) -> Result<(), String> {
    use serde_json::Value;
    if let Some(Value::String(r)) = node.get("$ref") {
        let name = r.trim_start_matches("#/$defs/");
        return conforms(value, &root["$defs"][name], root, at);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = node.get(key) {
            return if branches.iter().any(|b| conforms(value, b, root, at).is_ok()) {
                Ok(())
            } else {
                Err(format!("{at}: {value} matches no branch of {key}"))
            };
        }
    }
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !allowed.is_empty() && !allowed.contains(&kind) {
        return Err(format!("{at}: {kind} where the schema has {allowed:?}"));
    }
    if let Some(Value::Array(options)) = node.get("enum") {
        if !options.contains(value) {
            return Err(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let Some(c) = node.get("const") {
        if c != value {
            return Err(format!("{at}: {value} is not {c}"));
        }
    }
    if let Value::Object(map) = value {
        let properties = node.get("properties").and_then(Value::as_object);
        for (key, v) in map {
            let Some(schema) = properties.and_then(|p| p.get(key)) else {
                return Err(format!("{at}: property {key} is not in the schema"));
            };
            conforms(v, schema, root, &format!("{at}.{key}"))?;
        }
        for required in node.get("required").and_then(Value::as_array).into_iter().flatten() {
            let key = required.as_str().unwrap_or_default();
            if !map.contains_key(key) {
                return Err(format!("{at}: required property {key} is missing"));
            }
        }
    }
    if let (Value::Array(items), Some(schema)) = (value, node.get("items")) {
        for (i, item) in items.iter().enumerate() {
            conforms(item, schema, root, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[test]
fn json_output_conforms_to_its_committed_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/validate.schema.json")).unwrap(),
    )
    .unwrap();
    for args in [
        &["validate", "-f", "json", "broken/", "valid.tei.xml", "missing.xml"][..],
        &["validate", "-f", "json", "--disable", "nope", "valid.tei.xml"][..],
    ] {
        let (_, stdout, stderr) = run(&fixtures(), args, &[]);
        let out: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
        conforms(&out, &schema, &schema, "$").unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
    // The checker itself catches what it is meant to.
    let bad = serde_json::json!({"format": "teimark-validate/1", "files": [], "problems": [], "summary": {}});
    assert!(conforms(&bad, &schema, &schema, "$").is_err());
}

#[test]
fn broken_copies_sarif() {
    let (_, stdout, _) = broken("sarif");
    insta::assert_snapshot!(stdout);
}

#[test]
fn broken_copies_github() {
    let (_, stdout, _) = broken("github");
    insta::assert_snapshot!(stdout);
}

#[test]
fn each_broken_copy_gives_the_diagnostic_for_its_defect_and_no_other() {
    let (_, stdout, _) = broken("json");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let expected = [
        ("broken/bad-date.tei.xml", "invalid", "teimark::validate::invalid-value"),
        ("broken/bad-lang.tei.xml", "invalid", "teimark::rules::invalid-language"),
        ("broken/dangling-ref.tei.xml", "invalid", "teimark::rules::dangling-reference"),
        // tei_all types xml:id as ID, so the engine reports it and the rule keeps quiet.
        ("broken/duplicate-id.tei.xml", "invalid", "teimark::validate::duplicate-id"),
        ("broken/empty-persname.tei.xml", "invalid", "teimark::rules::empty-element"),
        ("broken/from-after-to.tei.xml", "invalid", "teimark::rules::date-order"),
        ("broken/not-well-formed.tei.xml", "invalid", "teimark::validate::not-well-formed"),
        ("broken/unknown-element.tei.xml", "invalid", "teimark::validate::unexpected-element"),
        // A warning only: the edition is still valid.
        ("broken/unused-entry.tei.xml", "valid", "teimark::rules::unused-entry"),
    ];
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), expected.len());
    for (file, (path, status, code)) in files.iter().zip(expected) {
        assert_eq!(file["path"], path);
        assert_eq!(file["status"], status, "{path}");
        let codes: Vec<&str> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, [code], "{path}");
        let d = &file["diagnostics"][0];
        assert!(
            d["help"].as_str().is_some_and(|h| !h.is_empty()),
            "{path}: every diagnostic has a help line"
        );
        assert!(d["location"]["line"].as_u64().unwrap() > 0, "{path}");
    }
}

#[test]
fn the_cut_down_copy_is_valid_without_warnings() {
    let (code, _, stderr) = run(&fixtures(), &["validate", "valid.tei.xml"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn warnings_alone_exit_with_zero_and_rules_can_be_switched_off() {
    let (code, _, stderr) = run(&fixtures(), &["validate", "broken/unused-entry.tei.xml"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");
    let (code, _, stderr) = run(
        &fixtures(),
        &[
            "validate",
            "broken/dangling-ref.tei.xml",
            "broken/unused-entry.tei.xml",
            "--disable",
            "teimark::rules::dangling-reference",
            "--disable",
            "unused-entry",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("2 valid, 0 invalid; 0 errors, 0 warnings"), "{stderr}");
    let (code, _, stderr) =
        run(&fixtures(), &["validate", "broken/empty-persname.tei.xml", "--no-rules"], &[]);
    assert_eq!(code, 0, "{stderr}");
}

/// Runs a command that cannot run: exit code 2, the rendered messages.
fn cannot_run(dir: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> String {
    let (code, _, stderr) = run(dir, args, env);
    assert_eq!(code, 2, "{stderr}");
    format!("exit code: {code}\n{}", stable(&stderr))
}

#[test]
fn a_missing_file_cannot_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.xml"), "<x/>").unwrap();
    std::fs::write(dir.path().join("s.rng"), TINY).unwrap();
    insta::assert_snapshot!(cannot_run(
        dir.path(),
        &["validate", "--schema", "s.rng", "ok.xml", "missing.xml"],
        &[]
    ));
}

#[test]
fn a_schema_that_does_not_load() {
    insta::assert_snapshot!(cannot_run(
        &fixtures(),
        &["validate", "--schema", "bad-schema.rng", "valid.tei.xml"],
        &[]
    ));
}

#[test]
fn a_compact_syntax_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.xml"), "<x/>").unwrap();
    std::fs::write(dir.path().join("s.rnc"), "element x { empty }").unwrap();
    insta::assert_snapshot!(cannot_run(dir.path(), &["validate", "-s", "s.rnc", "d.xml"], &[]));
}

#[test]
fn no_schema_found() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.xml"), "<x/>").unwrap();
    let out = cannot_run(
        dir.path(),
        &["validate", "d.xml"],
        &[("TEIMARK_SCHEMA_PATH", OsStr::new("")), ("XDG_DATA_HOME", data.path().as_os_str())],
    );
    // The data folder is a temporary one: show it by its role.
    insta::assert_snapshot!(out.replace(&data.path().display().to_string(), "[XDG_DATA_HOME]"));
}

#[test]
fn an_unknown_rule() {
    insta::assert_snapshot!(cannot_run(
        &fixtures(),
        &["validate", "--disable", "unused-entries", "valid.tei.xml"],
        &[]
    ));
}

#[test]
fn a_folder_without_xml_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let out = cannot_run(dir.path(), &["validate", "empty"], &[]);
    assert!(out.contains("teimark::validate::no-files"), "{out}");
    assert!(out.contains("no XML files in empty"), "{out}");
}

#[test]
fn problems_that_stop_the_run_are_in_the_json_too() {
    let (code, stdout, _) =
        run(&fixtures(), &["validate", "-f", "json", "--disable", "nope", "valid.tei.xml"], &[]);
    assert_eq!(code, 2);
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["problems"][0]["code"], "teimark::rules::unknown-rule");
    assert_eq!(out["summary"]["files"], 0);
}

/// A schema for `<x>` with optional `<y>` children that may carry `xml:id`, `@ref` and
/// `@when` (any text).
const TINY: &str = r#"<element name="x" xmlns="http://relaxng.org/ns/structure/1.0">
  <zeroOrMore><element name="y">
    <optional><attribute name="xml:id" ns="http://www.w3.org/XML/1998/namespace"/></optional>
    <optional><attribute name="ref"/></optional><optional><attribute name="when"/></optional>
    <text/></element></zeroOrMore>
</element>"#;

/// A TINY document in the TEI namespace, so that the rules look at it.
const TINY_TEI: &str = r#"<element name="x" ns="http://www.tei-c.org/ns/1.0" xmlns="http://relaxng.org/ns/structure/1.0">
  <zeroOrMore><element name="y">
    <optional><attribute name="xml:id" ns="http://www.w3.org/XML/1998/namespace"/></optional>
    <optional><attribute name="ref"/></optional><optional><attribute name="when"/></optional>
    <text/></element></zeroOrMore>
</element>"#;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The schema line of the human format, with the temporary folder taken out.
fn schema_line(stderr: &str, root: &Path) -> String {
    let line = stderr.lines().find(|l| l.starts_with("schema: ")).unwrap_or("").to_string();
    let root = std::fs::canonicalize(root).unwrap();
    line.replace(&root.display().to_string(), "[root]")
}

#[test]
fn the_edition_schema_and_disabled_rules_apply_to_the_edition_file() {
    let project = tempfile::tempdir().unwrap();
    let toml = std::fs::read_to_string(repo().join("seeds/bureaucrats-in-crisis/edition.toml"))
        .unwrap()
        .replace("id = \"bureaucrats-in-crisis\"", "id = \"ed\"")
        .replace(
            "disabled_rules = []",
            "disabled_rules = [\"invalid-date\"]\nschema = \"custom.rng\"",
        );
    write(
        project.path(),
        &[
            ("seeds/ed/edition.toml", &toml),
            ("seeds/ed/custom.rng", TINY_TEI),
            (
                "editions/ed/ed.tei.xml",
                r##"<x xmlns="http://www.tei-c.org/ns/1.0"><y when="Spring 1955" ref="#nowhere"/></x>"##,
            ),
        ],
    );
    let (code, stdout, stderr) = run(project.path(), &["validate", "editions/", "-f", "json"], &[]);
    assert_eq!(code, 1, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["files"][0]["schema"], "seeds/ed/custom.rng");
    let codes: Vec<&str> = out["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // The custom schema takes any @when; the edition switched invalid-date off.
    assert_eq!(codes, ["teimark::rules::dangling-reference"]);

    // --config names the edition for any file, and an unknown rule there stops the run.
    let bad = toml.replace("[\"invalid-date\"]", "[\"invalid-dates\"]");
    write(project.path(), &[("other/edition.toml", &bad), ("other/custom.rng", TINY_TEI)]);
    let out = cannot_run(
        project.path(),
        &["validate", "--config", "other/edition.toml", "editions/ed/ed.tei.xml"],
        &[],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn the_schema_search_order() {
    let root = tempfile::tempdir().unwrap();
    let root_path = root.path();
    write(
        root_path,
        &[
            ("shared/reference/tei/tei_all.rng", TINY),
            ("data/teimark/schemas/tei_all.rng", TINY),
            ("path/tei_all.rng", TINY),
            ("work/here/d.xml", "<x><y/></x>"),
            (
                "work/here/modelled.xml",
                "<?xml-model href=\"own.rng\" type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n<x/>",
            ),
            ("work/here/own.rng", TINY),
            (
                "work/here/remote.xml",
                "<?xml-model href=\"https://example.org/tei_all.rng\"?>\n<x/>",
            ),
        ],
    );
    let here = root_path.join("work/here");
    let data = root_path.join("data");
    let path = root_path.join("path");
    let unset = OsStr::new("");
    let line = |file: &str, env: &[(&str, &OsStr)]| {
        let (code, _, stderr) = run(&here, &["validate", file], env);
        assert_eq!(code, 0, "{stderr}");
        schema_line(&stderr, root_path)
    };
    let everything =
        [("TEIMARK_SCHEMA_PATH", path.as_os_str()), ("XDG_DATA_HOME", data.as_os_str())];
    assert_eq!(
        line("d.xml", &everything),
        "schema: [root]/path/tei_all.rng (tei_all.rng from the schema search path)"
    );
    assert_eq!(
        line("d.xml", &[("TEIMARK_SCHEMA_PATH", unset), ("XDG_DATA_HOME", data.as_os_str())]),
        "schema: [root]/data/teimark/schemas/tei_all.rng (tei_all.rng from the schema search path)"
    );
    assert_eq!(
        line("d.xml", &[("TEIMARK_SCHEMA_PATH", unset)]),
        "schema: [root]/shared/reference/tei/tei_all.rng (tei_all.rng from the schema search path)"
    );
    assert_eq!(
        line("modelled.xml", &everything),
        "schema: own.rng (named by the document's xml-model)"
    );
    // A remote xml-model is never fetched: the search path decides.
    assert_eq!(
        line("remote.xml", &everything),
        "schema: [root]/path/tei_all.rng (tei_all.rng from the schema search path)"
    );
    let (code, _, stderr) = run(&here, &["validate", "d.xml", "--schema", "own.rng"], &everything);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(schema_line(&stderr, root_path), "schema: own.rng (--schema)");
}

#[test]
fn folders_are_searched_for_xml_files_in_name_order() {
    let root = tempfile::tempdir().unwrap();
    write(
        root.path(),
        &[
            ("s.rng", TINY),
            ("docs/b.xml", "<x/>"),
            ("docs/a/c.xml", "<x><z/></x>"),
            ("docs/a.XML", "<x/>"),
            ("docs/notes.txt", "not xml"),
            ("docs/.hidden/d.xml", "<broken"),
        ],
    );
    let (code, stdout, stderr) =
        run(root.path(), &["validate", "-s", "s.rng", "-f", "json", "docs"], &[]);
    assert_eq!(code, 1, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let paths: Vec<&str> =
        out["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    // Paths sort component by component: the folder `a` before the file `a.XML`.
    assert_eq!(paths, ["docs/a/c.xml", "docs/a.XML", "docs/b.xml"]);
    assert_eq!(out["files"][0]["status"], "invalid");
}

#[test]
fn a_document_in_another_encoding_is_not_checked() {
    let root = tempfile::tempdir().unwrap();
    write(root.path(), &[("s.rng", TINY)]);
    std::fs::write(
        root.path().join("latin1.xml"),
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<x><y>B\xfcro</y></x>\n",
    )
    .unwrap();
    let (code, stdout, stderr) =
        run(root.path(), &["validate", "-s", "s.rng", "-f", "json", "latin1.xml"], &[]);
    assert_eq!(code, 2, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["files"][0]["status"], "unchecked");
    assert_eq!(
        out["files"][0]["diagnostics"][0]["code"],
        "teimark::validate::unsupported-encoding"
    );
}

#[test]
fn external_dtds_are_read_only_with_dtd() {
    let root = tempfile::tempdir().unwrap();
    write(
        root.path(),
        &[
            ("s.rng", TINY),
            ("local.dtd", "<!ENTITY who \"someone\">\n"),
            ("d.xml", "<!DOCTYPE x SYSTEM \"local.dtd\">\n<x><y>&who;</y></x>\n"),
        ],
    );
    let (code, _, stderr) = run(root.path(), &["validate", "-s", "s.rng", "d.xml"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("teimark::validate::undefined-entity"), "{stderr}");
    let (code, _, stderr) = run(root.path(), &["validate", "-s", "s.rng", "--dtd", "d.xml"], &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn explain_prints_a_rule_s_documentation() {
    let (code, stdout, _) = run(&repo(), &["validate", "--explain", "date-order"], &[]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("teimark::rules::date-order (error)"), "{stdout}");
    assert!(stdout.contains("## Why"), "{stdout}");
    let (code, stdout, _) =
        run(&repo(), &["validate", "--explain", "teimark::validate::not-well-formed"], &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("not well-formed XML"), "{stdout}");
    let (code, _, stderr) = run(&repo(), &["validate", "--explain", "nothing"], &[]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn help_shows_examples_and_the_schema_search() {
    let (code, stdout, _) = run(&repo(), &["validate", "--help"], &[]);
    assert_eq!(code, 0);
    for part in ["Examples:", "TEIMARK_SCHEMA_PATH", "xml-model", "--disable", "Exit codes"] {
        assert!(stdout.contains(part), "--help lacks {part}:\n{stdout}");
    }
}

#[test]
fn bytes_that_are_not_utf8_are_placed_even_where_no_excerpt_can_show_them() {
    let root = tempfile::tempdir().unwrap();
    write(root.path(), &[("s.rng", TINY)]);
    // A binary file (a PNG's signature), and a document whose text was saved as Latin-1
    // without saying so.
    std::fs::write(root.path().join("binary.xml"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(root.path().join("latin1.xml"), b"<x>\n<y>B\xfcro</y></x>\n").unwrap();
    let (code, _, stderr) =
        run(root.path(), &["validate", "-s", "s.rng", "binary.xml", "latin1.xml"], &[]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!(stable(&stderr));
}
