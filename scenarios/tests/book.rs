//! Every `ioa` command the book shows runs, exits 0 (its scenario's outcome matches its
//! `expect`), and prints what the book says it prints: the book's examples cannot rot, and a
//! change in behaviour fails the build.
//!
//! The convention (book/src/contributing.md states it for writers):
//!
//! - In a ```` ```sh ```` block every `ioa ...` (or `cargo run --release -- ...`) line is a
//!   command; it runs and must exit 0. Nothing else is checked.
//! - In a ```` ```console ```` block a line starting with `$ ` is a command (a line ending in `\`
//!   continues on the next). The lines after it, up to the next `$ ` line or the end of the
//!   block, are its shown standard output. The command runs, must exit 0, and its real standard
//!   output must equal the shown lines, line by line, trailing whitespace ignored. A shown line
//!   `...` alone matches any run of zero or more lines (to elide long output). A command with
//!   no shown lines is only run.
//! - A ` #` on a command line starts a comment (not part of the command).
//!
//! Output files the commands name (`--diagram`, `--skew-plot`, `--plot`, `--trace`) go to a
//! temporary folder; `explore` serves forever, so only its scenario's existence is checked.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A command the book shows: its `ioa` arguments, the line it starts on, and (in a console
/// block, when lines follow it) the standard output the book shows for it.
#[derive(Debug, PartialEq)]
struct Shown {
    args: Vec<String>,
    line: usize,
    output: Option<Vec<String>>,
}

/// The `ioa` arguments of a command line (`ioa ...` or `cargo run --release -- ...`), if it is one.
fn ioa_args(command: &str) -> Option<Vec<String>> {
    let command = command.split(" #").next().unwrap_or("");
    let words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["ioa", ..] => Some(words[1..].to_vec()),
        ["cargo", "run", "--release", "--", ..] => Some(words[4..].to_vec()),
        _ => None,
    }
}

/// Every command of the ```sh and ```console blocks of `text`, with its shown output.
fn commands(text: &str) -> Vec<Shown> {
    let mut out = Vec::new();
    // The open block's language, if any.
    let mut block: Option<String> = None;
    // The command being read (a console block's `$ ` line and its continuations; a sh block's
    // line and its continuations), with the line it started on.
    let mut pending: Option<(String, usize)> = None;
    // The console command whose output lines are being collected (None: not an ioa command).
    let mut current: Option<Shown> = None;
    let mut in_console_command = false;
    let finish = |current: &mut Option<Shown>, out: &mut Vec<Shown>| {
        if let Some(mut c) = current.take() {
            if c.output.as_ref().is_some_and(Vec::is_empty) {
                c.output = None;
            }
            out.push(c);
        }
    };
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if let Some(lang) = line.strip_prefix("```") {
            if block.is_some() {
                finish(&mut current, &mut out);
                block = None;
                pending = None;
                in_console_command = false;
            } else {
                block = Some(lang.trim().to_string());
            }
            continue;
        }
        match block.as_deref() {
            Some("sh") => {
                let (mut acc, start) = pending.take().unwrap_or((String::new(), number));
                let line = line.split(" #").next().unwrap_or("").trim_end();
                if let Some(head) = line.strip_suffix('\\') {
                    acc.push_str(head);
                    pending = Some((acc, start));
                    continue;
                }
                acc.push_str(line);
                if let Some(args) = ioa_args(acc.trim()) {
                    out.push(Shown {
                        args,
                        line: start,
                        output: None,
                    });
                }
            }
            Some("console") => {
                let continuing = pending.is_some();
                if let Some(command) = line.strip_prefix("$ ").filter(|_| !continuing) {
                    finish(&mut current, &mut out);
                    pending = Some((String::new(), number));
                    in_console_command = true;
                    return_line(command, &mut pending, &mut current);
                } else if continuing {
                    return_line(line, &mut pending, &mut current);
                } else if in_console_command {
                    if let Some(c) = current.as_mut() {
                        c.output.get_or_insert_with(Vec::new).push(line.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    finish(&mut current, &mut out);
    out
}

/// Adds one line of a console command to `pending`; when the command is complete, makes it
/// `current` (its output lines follow).
fn return_line(line: &str, pending: &mut Option<(String, usize)>, current: &mut Option<Shown>) {
    let Some((acc, start)) = pending.as_mut() else {
        return;
    };
    let code = line.split(" #").next().unwrap_or("").trim_end();
    if let Some(head) = code.strip_suffix('\\') {
        acc.push_str(head);
        return;
    }
    acc.push_str(code);
    let (acc, start) = (std::mem::take(acc), *start);
    *pending = None;
    *current = ioa_args(acc.trim()).map(|args| Shown {
        args,
        line: start,
        output: Some(Vec::new()),
    });
}

/// Whether `actual` matches the `shown` lines (`...` matches any run of lines). On a mismatch,
/// the furthest point the match reached: (shown index, actual index).
fn matches(shown: &[String], actual: &[&str]) -> Result<(), (usize, usize)> {
    // reach[i][j]: shown[..i] can match actual[..j]. Small tables: outputs are short.
    let (n, m) = (shown.len(), actual.len());
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    let mut furthest = (0, 0);
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            if (i, j) > furthest {
                furthest = (i, j);
            }
            if i == n {
                continue;
            }
            if shown[i].trim() == "..." {
                reach[i + 1][j] = true;
                if j < m {
                    reach[i][j + 1] = true;
                }
            } else if j < m && shown[i].trim_end() == actual[j].trim_end() {
                reach[i + 1][j + 1] = true;
            }
        }
    }
    if reach[n][m] {
        Ok(())
    } else {
        Err(furthest)
    }
}

/// A unified-style diff of where `shown` and `actual` part: a few lines of context, then the
/// book's lines (`-`) and ioa's (`+`) from there.
fn diff(shown: &[String], actual: &[&str], at: (usize, usize)) -> String {
    let (i, j) = at;
    let mut s = format!(
        "  --- the book (its shown output, from line {})\n  +++ ioa\n",
        i + 1
    );
    for line in &shown[i.saturating_sub(3)..i] {
        s.push_str(&format!("   {line}\n"));
    }
    for line in shown.iter().skip(i).take(6) {
        s.push_str(&format!("  -{line}\n"));
    }
    for line in actual.iter().skip(j).take(6) {
        s.push_str(&format!("  +{line}\n"));
    }
    s
}

#[test]
fn every_command_in_the_book_runs_and_prints_what_it_shows() {
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
    let (mut ran, mut compared, mut failures) = (0, 0, Vec::new());
    for chapter in &chapters {
        let text = std::fs::read_to_string(chapter).unwrap();
        let page = chapter.strip_prefix(root).unwrap_or(chapter).display();
        for Shown {
            mut args,
            line,
            output,
        } in commands(&text)
        {
            let shown = format!("{page}:{line}: ioa {}", args.join(" "));
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
                    && args[i] != "-"
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
            let stdout = String::from_utf8_lossy(&o.stdout);
            if !o.status.success() {
                failures.push(format!(
                    "{shown}\n  exit {:?}\n{stdout}{}",
                    o.status.code(),
                    String::from_utf8_lossy(&o.stderr)
                ));
                continue;
            }
            if let Some(want) = output {
                compared += 1;
                let actual: Vec<&str> = stdout.lines().collect();
                if let Err(at) = matches(&want, &actual) {
                    failures.push(format!(
                        "{shown}\n  prints other than the book shows:\n{}",
                        diff(&want, &actual, at)
                    ));
                }
            }
        }
    }
    std::fs::remove_dir_all(&out_dir).ok();
    eprintln!("{ran} commands ran, {compared} outputs compared");
    assert!(ran >= 50, "only {ran} commands found in the book");
    assert!(
        compared >= 20,
        "only {compared} shown outputs found in the book"
    );
    assert!(
        failures.is_empty(),
        "{} of the book's commands fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn lines(s: &[&str]) -> Vec<String> {
    s.iter().map(|l| l.to_string()).collect()
}

#[test]
fn console_blocks_pair_each_command_with_its_shown_output() {
    let page = "text\n```console\n$ ioa run a.toml --seed 2 \\\n    --json   # a comment\nline 1\n\n...\n$ ioa list\n$ ls\nnot ioa's\n```\n```sh\nioa check b.toml \\\n  --max-states 9\ncargo run --release -- run c.toml\n```\n```text\n$ ioa run d.toml\n```\n";
    let got = commands(page);
    assert_eq!(
        got,
        vec![
            Shown {
                args: lines(&["run", "a.toml", "--seed", "2", "--json"]),
                line: 3,
                output: Some(lines(&["line 1", "", "..."])),
            },
            Shown {
                args: lines(&["list"]),
                line: 8,
                output: None,
            },
            Shown {
                args: lines(&["check", "b.toml", "--max-states", "9"]),
                line: 13,
                output: None,
            },
            Shown {
                args: lines(&["run", "c.toml"]),
                line: 15,
                output: None,
            },
        ]
    );
}

#[test]
fn an_ellipsis_matches_any_run_of_lines_and_a_mismatch_is_located() {
    let shown = lines(&["a", "...", "d", "..."]);
    assert_eq!(matches(&shown, &["a  ", "b", "c", "d"]), Ok(()));
    assert_eq!(matches(&shown, &["a", "d", "e"]), Ok(()));
    assert_eq!(matches(&lines(&["a", "..."]), &["a"]), Ok(()));
    assert_eq!(matches(&lines(&["a", "b"]), &["a", "c"]), Err((1, 1)));
    assert_eq!(matches(&lines(&["a"]), &["a", "b"]), Err((1, 1)));
    assert!(matches(&shown, &["x", "d"]).is_err());
    let d = diff(&lines(&["a", "b"]), &["a", "c"], (1, 1));
    assert!(d.contains("  -b\n") && d.contains("  +c\n"), "{d}");
}
