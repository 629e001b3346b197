//! End to end in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by .ci/run) opens a page served by `gazette serve --watch`;
//! saving the Markdown reloads the page by itself with the new text.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::serve;
use common::*;
use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver {
    child: Child,
    port: u16,
    session: String,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = call(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.profile;
    }
}

/// One WebDriver call over plain HTTP; returns the reply's `value`.
fn call(port: u16, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open: read the head, then Content-Length bytes.
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let (head_end, length) = loop {
        let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed".into());
        }
        bytes.extend_from_slice(&buffer[..n]);
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while bytes.len() < head_end + length {
        let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
    }
    let json = String::from_utf8_lossy(&bytes[head_end..]);
    let value: Value = serde_json::from_str(&json).map_err(|e| format!("{e}: {json}"))?;
    Ok(value["value"].clone())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_browser() -> Driver {
    assert!(
        std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists(),
        "this test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver (.ci/run does)"
    );
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting chromedriver");
    let deadline = Instant::now() + Duration::from_secs(30);
    while call(port, "GET", "/status", None).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = tempfile::tempdir().unwrap();
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        &format!("--user-data-dir={}", profile.path().display()),
    ];
    let capabilities = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args }
    }}});
    let session = call(port, "POST", "/session", Some(capabilities)).expect("a browser session");
    let session = session["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {session}"))
        .to_string();
    Driver {
        child,
        port,
        session,
        profile,
    }
}

impl Driver {
    fn open(&self, url: &str) {
        call(
            self.port,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(json!({ "url": url })),
        )
        .expect("navigating");
    }

    fn script(&self, script: &str) -> Value {
        call(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(json!({ "script": script, "args": [] })),
        )
        .unwrap_or(Value::Null)
    }
}

#[test]
fn saving_markdown_reloads_the_open_page_with_the_new_text() {
    let served = serve(TestSite::fixture("bilingual"));
    let browser = start_browser();
    browser.open(&format!("http://127.0.0.1:{}/en/news/first/", served.port));
    assert_eq!(
        browser.script("return document.querySelector('h1').textContent"),
        json!("First article: hello!")
    );
    // A mark that only survives as long as the page is not reloaded.
    browser.script("window.gazetteMark = 'before'; return true;");
    let file = served.site.root().join("content/news/first.en.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("First article: hello!", "Saved from my editor"),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let state = browser.script("return [document.querySelector('h1') && document.querySelector('h1').textContent, window.gazetteMark || null]");
        if state == json!(["Saved from my editor", null]) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the page did not reload with the new title: {state}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_broken_save_shows_the_error_overlay_then_the_fix_clears_it() {
    let served = serve(TestSite::fixture("bilingual"));
    let browser = start_browser();
    browser.open(&format!("http://127.0.0.1:{}/fr/news/first/", served.port));
    let file = served.site.root().join("content/news/first.fr.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, "+++\ntitle = \"<b>oops\n+++\n").unwrap();
    let overlay =
        "var o = document.getElementById('gazette-error'); return o ? o.textContent : null";
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = browser.script(overlay);
        if text
            .as_str()
            .is_some_and(|t| t.contains("content/news/first.fr.md:2:"))
        {
            break;
        }
        assert!(Instant::now() < deadline, "no error overlay: {text}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        browser.script("return document.querySelectorAll('#gazette-error b').length"),
        json!(0),
        "the message is text, not HTML"
    );
    std::fs::write(&file, good).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while browser.script(overlay) != Value::Null {
        assert!(
            Instant::now() < deadline,
            "the overlay stayed after the fix"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
