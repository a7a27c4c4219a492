//! Every `ioa` command the book shows in a shell block runs, and exits 0 (its scenario's
//! outcome matches its `expect`): the book's examples cannot rot. Output files the commands
//! name (`--diagram`, `--skew-plot`, `--plot`, `--trace`) go to a temporary folder; `explore`
//! serves forever, so only its scenario's existence is checked.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `ioa` arguments of every command in the ```sh and ```console blocks of `text`.
fn commands(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_shell = None;
    let mut pending = String::new();
    for line in text.lines() {
        if let Some(lang) = line.strip_prefix("```") {
            in_shell = match in_shell {
                Some(_) => None,
                None => Some(matches!(lang.trim(), "sh" | "console")),
            };
            continue;
        }
        if in_shell != Some(true) {
            continue;
        }
        let line = line.split(" #").next().unwrap_or("").trim_end();
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        pending.push_str(line);
        let full = std::mem::take(&mut pending);
        let words: Vec<String> = full
            .trim()
            .trim_start_matches("$ ")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let args = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["ioa", ..] => words[1..].to_vec(),
            ["cargo", "run", "--release", "--", ..] => words[4..].to_vec(),
            _ => continue,
        };
        out.push(args);
    }
    out
}

#[test]
fn every_command_in_the_book_runs_as_it_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out_dir = std::env::temp_dir().join(format!("ioa-book-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(root.join("book/src"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    chapters.sort();
    let (mut ran, mut failures) = (0, Vec::new());
    for chapter in &chapters {
        let text = std::fs::read_to_string(chapter).unwrap();
        for mut args in commands(&text) {
            let shown = format!("{}: ioa {}", chapter.display(), args.join(" "));
            if let Some(file) = args.get(1).filter(|f| f.ends_with(".toml")) {
                if !root.join(file).is_file() {
                    failures.push(format!("{shown}\n  no such scenario"));
                    continue;
                }
            }
            if args.first().map(String::as_str) == Some("explore") {
                continue;
            }
            for i in 1..args.len() {
                if ["--diagram", "--skew-plot", "--plot", "--trace"].contains(&args[i - 1].as_str())
                {
                    let name = Path::new(&args[i]).file_name().unwrap().to_owned();
                    args[i] = out_dir.join(name).display().to_string();
                }
            }
            let o = Command::new(env!("CARGO_BIN_EXE_ioa"))
                .args(&args)
                .current_dir(root)
                .output()
                .expect("ioa runs");
            ran += 1;
            if !o.status.success() {
                failures.push(format!(
                    "{shown}\n  exit {:?}\n{}{}",
                    o.status.code(),
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                ));
            }
        }
    }
    std::fs::remove_dir_all(&out_dir).ok();
    assert!(ran >= 50, "only {ran} commands found in the book");
    assert!(
        failures.is_empty(),
        "{} of the book's commands fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
