//! SARIF 2.1.0 output (`--format sarif`), for code-scanning UIs such as GitHub's.
//!
//! One run: `tool.driver.rules` lists every edition rule and every other code that
//! occurs, with the catalogue's summary (and a rule's documentation as its help);
//! each finding is a result with `ruleId`, `ruleIndex`, `level`, `message` and one
//! physical location (`artifactLocation.uri` relative to the folder teimark ran in,
//! `region` with 1-based lines and columns counted in Unicode code points, as
//! `run.columnKind` says). Files that could not be read and problems that stopped the
//! run are `toolExecutionNotifications` of the invocation, which then did not succeed.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{FileReport, Placed, RunProblem, path_uri};
use crate::catalogue;
use crate::diag::Severity;
use crate::validate::rules::RULES;

/// The SARIF log of a run, pretty-printed, with a final newline.
pub fn render(files: &[FileReport], problems: &[RunProblem]) -> String {
    let mut codes: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();
    for f in files {
        codes.extend(f.findings.iter().map(|p| p.finding.diagnostic.code));
    }
    codes.extend(problems.iter().map(|p| p.placed.finding.diagnostic.code));
    let codes: Vec<&str> = codes.into_iter().collect();
    let index = |code: &str| codes.iter().position(|c| *c == code);

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for f in files {
        for placed in &f.findings {
            let d = &placed.finding.diagnostic;
            if f.checked {
                let mut result = json!({
                    "ruleId": d.code,
                    "ruleIndex": index(d.code),
                    "level": level(d.severity),
                    "message": { "text": d.message },
                    "locations": [location(&f.path, placed)],
                });
                let mut properties = serde_json::Map::new();
                if let Some(help) = &d.help {
                    properties.insert("help".into(), json!(help));
                }
                if !placed.finding.expected.is_empty() {
                    properties.insert("expected".into(), json!(placed.finding.expected));
                }
                if !properties.is_empty() {
                    result["properties"] = Value::Object(properties);
                }
                results.push(result);
            } else {
                notifications.push(notification(Some(&f.path), placed, index(d.code)));
            }
        }
    }
    for p in problems {
        notifications.push(notification(
            p.path.as_deref(),
            &p.placed,
            index(p.placed.finding.diagnostic.code),
        ));
    }

    let rules: Vec<Value> = codes.iter().map(|code| rule(code)).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "teimark",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A `reportingDescriptor` for a code, from the catalogue.
fn rule(code: &str) -> Value {
    let name = code.rsplit("::").next().unwrap_or(code);
    let Some(entry) = catalogue::find(code) else {
        return json!({ "id": code, "name": name });
    };
    let mut rule = json!({
        "id": code,
        "name": name,
        "shortDescription": { "text": entry.summary },
        "defaultConfiguration": { "level": level(entry.severity) },
    });
    if let Some(doc) = &entry.doc {
        rule["help"] = json!({ "text": doc, "markdown": doc });
    }
    rule
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// The physical location of a finding in the file shown as `path`.
fn location(path: &str, placed: &Placed) -> Value {
    let mut artifact = json!({ "uri": path_uri(path) });
    if !path.starts_with('/') {
        artifact["uriBaseId"] = json!("%SRCROOT%");
    }
    let mut physical = json!({ "artifactLocation": artifact });
    if placed.has_place() {
        let mut region = json!({
            "startLine": placed.finding.line,
            "startColumn": placed.finding.column,
        });
        if let Some((line, column)) = placed.end() {
            region["endLine"] = json!(line);
            region["endColumn"] = json!(column);
        }
        physical["region"] = region;
    }
    json!({ "physicalLocation": physical })
}

/// A tool execution notification: a problem that kept a file (or the run) from being checked.
fn notification(path: Option<&str>, placed: &Placed, index: Option<usize>) -> Value {
    let d = &placed.finding.diagnostic;
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("; help: ");
        text.push_str(help);
    }
    let mut n = json!({
        "level": level(d.severity),
        "message": { "text": text },
        "associatedRule": { "id": d.code, "index": index },
    });
    if let Some(path) = path {
        n["locations"] = json!([location(path, placed)]);
    }
    n
}
