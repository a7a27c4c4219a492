//! `ioa explore`: stateright's Explorer serves the scenario's model on localhost, and a real
//! browser (Debian's chromium, headless) renders its initial state and the state one step on.
//!
//! Chromium is required: without it this test fails and says how to install it (`.ci/run`
//! installs it when it is missing).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The `ioa explore` server, stopped when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `GET path` on the server, once; `None` while it does not answer.
fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.starts_with("HTTP/1").then_some(out)
}

fn start(file: &Path, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_ioa"))
        .arg("explore")
        .arg(file)
        .args(["--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("ioa explore starts");
    let mut server = Server(child);
    // Wait (a bounded number of tries) until it answers.
    for _ in 0..600 {
        if let Some(status) = get(port, "/.status") {
            assert!(status.contains("unique_state_count"), "{status}");
            return server;
        }
        if let Ok(Some(exit)) = server.0.try_wait() {
            panic!("ioa explore exited early: {exit}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("ioa explore did not answer on port {port}");
}

/// The page at `url` after its scripts ran, as headless chromium sees it.
fn dom(url: &str) -> String {
    assert!(
        Path::new(CHROMIUM).exists(),
        "this test drives Debian's chromium ({CHROMIUM}), which is not installed: \
         run `apt-get update && apt-get install -y chromium` (.ci/run does it when it is missing)"
    );
    let profile = tempdir();
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    std::fs::remove_dir_all(&profile).ok();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tempdir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "chromium-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("profile dir");
    dir
}

/// The texts of the links in the list whose `<ol>`/`<ul>` follows the heading `h2`.
fn list_after(dom: &str, h2: &str) -> Vec<String> {
    let Some(start) = dom.find(&format!("<h2>{h2}</h2>")) else {
        return Vec::new();
    };
    let rest = &dom[start..];
    let end = rest[5..].find("<h2").map_or(rest.len(), |e| e + 5);
    rest[..end]
        .split("<a ")
        .skip(1)
        .filter_map(|a| {
            let text = a.split_once('>')?.1;
            Some(text.split_once("</a>")?.0.to_string())
        })
        .collect()
}

#[test]
fn the_explorer_renders_the_initial_state_and_one_step() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("links/perfect-links-no-dedup.toml");
    let port = free_port();
    let _server = start(&file, port);
    let base = format!("http://127.0.0.1:{port}/");

    let init = dom(&format!("{base}#/steps/0"));
    assert!(
        init.contains("Stateright Explorer"),
        "not the Explorer: {init}"
    );
    // The Explorer's path starts at a "Pre-init" link, then the one initial state.
    assert_eq!(
        list_after(&init, "Path of Actions"),
        vec!["Pre-init", "Init 0"]
    );
    // The state, rendered: the world of two processes and the empty network.
    assert!(init.contains("world: World"), "no state shown: {init}");
    let next = list_after(&init, "Next Action Choices");
    assert!(!next.is_empty(), "no action enabled in the initial state");
    // The workload's first request (p0 sends at t=10) is the first choice.
    assert!(
        next[0].starts_with("request") && next[0].contains("at p0"),
        "{next:?}"
    );
    // And the path's space-time diagram, one lane a process.
    let flat = init.replace('\n', "");
    for lane in ["p0", "p1"] {
        assert!(flat.contains(&format!(">{lane}</text>")), "no lane {lane}");
    }

    let step = dom(&format!("{base}#/steps/0/0"));
    let path = list_after(&step, "Path of Actions");
    assert_eq!(path.len(), 3, "{path:?}");
    assert_eq!(path[1], "Init 0");
    assert_eq!(path[2], next[0], "the step taken is the first choice");
    // After the request p0 has a packet in flight to p1: the network may act on it (this
    // model's links duplicate; the delivery waits for the packet's delay window).
    let after = list_after(&step, "Next Action Choices");
    assert!(after.iter().any(|a| a.contains("p0→p1")), "{after:?}");
    assert!(step.contains("now: 10"), "the state one step on is at t=10");
}
