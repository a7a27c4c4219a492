//! The scenario file reference, `book/src/scenario-format.md`, documents exactly the keys the
//! parser accepts: no more, no fewer.
//!
//! The parser says what it accepts: every table of the format rejects unknown keys, and serde's
//! error for one lists the keys the table takes ("unknown field `zz_unknown`, expected one of
//! `a`, `b`, ..."). So for each table, a minimal scenario with a bogus key in that table gives
//! the parser's list, which is compared with the first column of the reference's `| key |`
//! tables in the section of that table. The same holds for the values of a string key that the
//! parser reads as a fixed set (`timing`, `failures`, ...): a bogus value lists the accepted
//! ones, compared with the section's `| value of `key` |` table.

use catalogue::spec::parse;
use std::collections::{BTreeMap, BTreeSet};

const REFERENCE: &str = "book/src/scenario-format.md";

/// The smallest scenario the parser accepts.
const BASE: &str = "name = \"reference\"\nalgorithm = \"any\"\nprocesses = 2\n";

const BOGUS: &str = "zz_unknown";

/// The tables of the format: the reference's section title, and the TOML header that opens the
/// table (`None`: the top level).
const TABLES: [(&str, Option<&str>); 12] = [
    ("Top level", None),
    ("[model]", Some("[model]")),
    ("[model.delay]", Some("[model.delay]")),
    ("[model.adversary]", Some("[model.adversary]")),
    ("[model.clocks]", Some("[model.clocks]")),
    ("[model.links]", Some("[model.links]")),
    ("[[model.partitions]]", Some("[[model.partitions]]")),
    ("[[faults]]", Some("[[faults]]")),
    ("[[workload]]", Some("[[workload]]")),
    ("[check]", Some("[check]")),
    ("expect", Some("[check.expect]")),
    ("[explore]", Some("[explore]")),
];

/// Sections of the reference that document no keys of their own.
const KEYLESS: [&str; 1] = ["[params]"];

/// A minimal scenario with `line` (`key = value`) in the table that `header` opens.
fn place(header: Option<&str>, line: &str) -> String {
    let key = line.split('=').next().unwrap_or("").trim();
    let base: String = BASE
        .lines()
        .filter(|l| !l.starts_with(&format!("{key} =")))
        .map(|l| format!("{l}\n"))
        .collect();
    match header {
        None => format!("{line}\n{base}"),
        Some(h) => format!("{base}{h}\n{line}\n"),
    }
}

/// The names between backticks in `text`, quotes stripped, `zz_unknown` left out.
fn ticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.trim_matches('"').to_string())
        .filter(|s| s != BOGUS)
        .collect()
}

/// What the parser accepts in the table `header` opens: `Ok(keys)`, or `Err(why)` when the
/// table does not reject an unknown key the way the test expects.
fn accepted_keys(header: Option<&str>) -> Result<BTreeSet<String>, String> {
    let src = place(header, &format!("{BOGUS} = 1"));
    match parse("probe.toml", &src) {
        Ok(_) => Err(format!(
            "the parser accepts an unknown key in this table (it is not deny_unknown_fields):\n{src}"
        )),
        Err(e) if e.rule.contains(BOGUS) => Ok(ticked(&e.rule).into_iter().collect()),
        Err(e) => Err(format!(
            "a bogus key in this table fails for another reason: {e}\n{src}"
        )),
    }
}

/// The values the parser accepts for string key `key` of the table `header` opens, when it
/// accepts a fixed set of them (an enum); `None` otherwise.
fn accepted_values(header: Option<&str>, key: &str) -> Option<BTreeSet<String>> {
    let src = place(header, &format!("{key} = \"{BOGUS}\""));
    match parse("probe.toml", &src) {
        Err(e) if e.rule.contains("unknown variant") => Some(ticked(&e.rule).into_iter().collect()),
        _ => None,
    }
}

/// One section of the reference: the keys of its `| key |` tables (with the line of each) and
/// the values of its `| value of `k` |` tables.
#[derive(Default, Debug)]
struct Section {
    keys: BTreeMap<String, usize>,
    values: BTreeMap<String, BTreeSet<String>>,
}

/// The reference's sections by title (the heading's text, backticks removed), and its TOML
/// examples.
fn read_reference(text: &str) -> (BTreeMap<String, Section>, Vec<String>) {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut examples = Vec::new();
    let mut title = String::new();
    let mut fence: Option<(bool, String)> = None;
    // The first cell of the current table's header row, and whether the next row separates it.
    let mut table: Option<String> = None;
    let mut header_next = true;
    for (i, line) in text.lines().enumerate() {
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            fence = match fence.take() {
                Some((true, body)) => {
                    examples.push(body);
                    None
                }
                Some((false, _)) => None,
                None => Some((lang.trim() == "toml", String::new())),
            };
            continue;
        }
        if let Some((_, body)) = &mut fence {
            body.push_str(line);
            body.push('\n');
            continue;
        }
        if line.starts_with('#') {
            title = line.trim_start_matches('#').trim().replace('`', "");
            sections.entry(title.clone()).or_default();
            continue;
        }
        let Some(row) = line.trim().strip_prefix('|') else {
            (table, header_next) = (None, true);
            continue;
        };
        let first = row.split('|').next().unwrap_or("").trim().to_string();
        if header_next {
            (table, header_next) = (Some(first), false);
            continue;
        }
        if first.starts_with("---") {
            continue;
        }
        let Some(name) = ticked(&first).into_iter().next() else {
            continue;
        };
        let section = sections.entry(title.clone()).or_default();
        match table.as_deref() {
            Some("key") => {
                section.keys.insert(name, i + 1);
            }
            Some(h) if h.starts_with("value of") => {
                if let Some(key) = ticked(h).into_iter().next() {
                    section.values.entry(key).or_default().insert(name);
                }
            }
            _ => {}
        }
    }
    (sections, examples)
}

fn compare(
    what: &str,
    parser: &BTreeSet<String>,
    doc: &BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    let missing: Vec<_> = parser.difference(doc).collect();
    let extra: Vec<_> = doc.difference(parser).collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{what}: accepted by the parser but not documented: {missing:?}"
        ));
    }
    if !extra.is_empty() {
        problems.push(format!(
            "{what}: documented but not accepted by the parser: {extra:?}"
        ));
    }
}

#[test]
fn the_reference_documents_exactly_the_keys_the_parser_accepts() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(REFERENCE);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (sections, _) = read_reference(&text);
    let mut problems = Vec::new();
    for (title, header) in TABLES {
        let what = format!("{REFERENCE}, section `{title}`");
        let Some(section) = sections.get(title) else {
            problems.push(format!("{what}: no such section (a heading `{title}`)"));
            continue;
        };
        let parser = match accepted_keys(header) {
            Ok(keys) => keys,
            Err(why) => {
                problems.push(format!("{what}: {why}"));
                continue;
            }
        };
        let doc: BTreeSet<String> = section.keys.keys().cloned().collect();
        compare(&format!("{what}, keys"), &parser, &doc, &mut problems);
        for key in parser.intersection(&doc) {
            let parser = accepted_values(header, key);
            let doc = section.values.get(key);
            match (parser, doc) {
                (Some(parser), Some(doc)) => compare(
                    &format!("{what}, values of `{key}`"),
                    &parser,
                    doc,
                    &mut problems,
                ),
                (Some(parser), None) => problems.push(format!(
                    "{what}: `{key}` takes one of {parser:?}, but no `| value of `{key}` |` table lists them"
                )),
                (None, Some(_)) => problems.push(format!(
                    "{what}: a `value of `{key}`` table, but the parser takes no fixed set of values for `{key}`"
                )),
                (None, None) => {}
            }
        }
        for key in section.values.keys().filter(|k| !parser.contains(*k)) {
            problems.push(format!(
                "{what}: values documented for `{key}`, which is no key of this table"
            ));
        }
    }
    for (title, section) in &sections {
        let known = TABLES.iter().any(|(t, _)| t == title) || KEYLESS.contains(&title.as_str());
        if !known && !section.keys.is_empty() {
            let lines: Vec<_> = section.keys.values().collect();
            problems.push(format!(
                "{REFERENCE}, section `{title}` (lines {lines:?}): a key table for a table this test does not know; add it to TABLES"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the scenario file reference and the parser disagree:\n  {}",
        problems.join("\n  ")
    );
}

/// Whether `key` of the table `header` opens holds a table or an array of tables.
fn holds_tables(header: Option<&str>, key: &str) -> bool {
    ["1", "[1]"].iter().any(|value| {
        parse("probe.toml", &place(header, &format!("{key} = {value}")))
            .is_err_and(|e| e.rule.contains("expected struct") || e.rule.contains("expected a map"))
    })
}

#[test]
fn every_table_of_the_format_is_probed() {
    // A table left out of TABLES would go unchecked: every key of the top level and of [model]
    // that holds tables must have its section.
    let probed: BTreeSet<&str> = TABLES
        .iter()
        .map(|(_, h)| h.unwrap_or(""))
        .chain(KEYLESS)
        .collect();
    let mut missing = Vec::new();
    for (prefix, header) in [("", None), ("model.", Some("[model]"))] {
        let keys = accepted_keys(header).unwrap_or_else(|why| panic!("{why}"));
        for key in keys.iter().filter(|k| holds_tables(header, k)) {
            let (single, array) = (format!("[{prefix}{key}]"), format!("[[{prefix}{key}]]"));
            if !probed.contains(single.as_str()) && !probed.contains(array.as_str()) {
                missing.push(single);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "tables of the format that no section of {REFERENCE} covers (add them to TABLES): {missing:?}"
    );
}

#[test]
fn the_reference_example_parses() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(REFERENCE);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (_, examples) = read_reference(&text);
    assert!(!examples.is_empty(), "{REFERENCE} has no ```toml example");
    for (i, src) in examples.iter().enumerate() {
        if let Err(e) = parse(&format!("{REFERENCE}, toml example {}", i + 1), src) {
            panic!("{e}\n{src}");
        }
    }
}
