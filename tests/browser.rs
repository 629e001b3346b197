//! End to end in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by .ci/run) opens a page served by `gazette serve --watch`;
//! saving the Markdown reloads the page by itself with the new text.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::http;
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

/// One WebDriver call; returns the reply's `value`, or the error chromedriver gave.
fn call(port: u16, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let headers = [("Content-Type", "application/json")];
    let reply =
        http::request(port, method, path, &headers, body.as_bytes()).map_err(|e| e.to_string())?;
    let value: Value =
        serde_json::from_slice(&reply.body).map_err(|e| format!("{e}: {}", reply.text()))?;
    if reply.status != 200 {
        return Err(format!("{}: {}", reply.status, value["value"]));
    }
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
        // A page that cannot load fails the test in seconds, not in five minutes.
        "timeouts": { "pageLoad": 30000 },
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

    /// Opens a new tab and returns its handle (the current tab stays current).
    fn new_tab(&self) -> String {
        let path = format!("/session/{}/window/new", self.session);
        let tab = call(self.port, "POST", &path, Some(json!({ "type": "tab" })));
        let tab = tab.expect("a new tab");
        tab["handle"].as_str().expect("a tab handle").to_string()
    }

    fn current_tab(&self) -> String {
        let path = format!("/session/{}/window", self.session);
        let tab = call(self.port, "GET", &path, None).expect("the current tab");
        tab.as_str().expect("a tab handle").to_string()
    }

    fn switch_to(&self, tab: &str) {
        let path = format!("/session/{}/window", self.session);
        call(self.port, "POST", &path, Some(json!({ "handle": tab }))).expect("switching tabs");
    }

    /// Waits until the page's `h1` reads `title` and the mark set before the save is gone.
    fn wait_for_reload_with(&self, title: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let state = self.script("return [document.querySelector('h1') && document.querySelector('h1').textContent, window.gazetteMark || null]");
            if state == json!([title, null]) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page did not reload with the new title: {state}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
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
    browser.wait_for_reload_with("Saved from my editor");
}

/// Browsers open six HTTP/1.1 connections to a host at most: with a reload stream held open
/// per tab, the seventh tab would never load, nor would it reload.
#[test]
fn a_save_reloads_every_one_of_eight_open_tabs() {
    let served = serve(TestSite::fixture("bilingual"));
    let browser = start_browser();
    let url = format!("http://127.0.0.1:{}/en/news/first/", served.port);
    let mut tabs = vec![browser.current_tab()];
    tabs.extend((1..8).map(|_| browser.new_tab()));
    for (i, tab) in tabs.iter().enumerate() {
        browser.switch_to(tab);
        browser.open(&url);
        assert_eq!(
            browser.script("return document.querySelector('h1').textContent"),
            json!("First article: hello!"),
            "tab {i} loaded"
        );
        browser.script("window.gazetteMark = 'before'; return true;");
    }
    let file = served.site.root().join("content/news/first.en.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("First article: hello!", "Saved once")).unwrap();
    for tab in &tabs {
        browser.switch_to(tab);
        browser.wait_for_reload_with("Saved once");
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
