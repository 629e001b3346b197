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
        "--lang=de-DE",
        "--hide-scrollbars",
        &format!("--user-data-dir={}", profile.path().display()),
    ];
    let capabilities = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        // A page that cannot load fails the test in seconds, not in five minutes.
        "timeouts": { "pageLoad": 30000, "script": 120000 },
        // A reader whose browser asks for neither language: the chooser stays on screen.
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args,
                                "prefs": { "intl": { "accept_languages": "de-DE,de" } } }
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

/// The repo's own sample newsletter, with a subscribe form, in a temp folder.
fn sample_site() -> TestSite {
    let site = TestSite::new();
    copy_dir(
        &std::path::Path::new(REPO).join("content"),
        &site.root().join("content"),
    );
    let config = std::fs::read_to_string(std::path::Path::new(REPO).join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!(
            "{config}\n[newsletter]\nsubscribe_url = \"https://lists.example.org/subscribe\"\nemail_field = \"email\"\n"
        ),
    );
    site
}

/// One page of each kind a reader meets: (name for the screenshots, URL path).
const PAGE_KINDS: &[(&str, &str)] = &[
    ("chooser", "/"),
    ("home-fr", "/fr/"),
    ("home-en", "/en/"),
    ("article-code-en", "/en/articles/self-hosted-newsletter/"),
    ("article-table-fr", "/fr/articles/http3/"),
    ("article-figure-fr", "/fr/articles/meta-superintelligence/"),
    ("article-figure-en", "/en/articles/meta-superintelligence/"),
    (
        "article-untranslated-fr",
        "/fr/articles/indice-de-durabilite/",
    ),
    ("page-fr", "/fr/a-propos/"),
    ("issue-fr", "/fr/issues/2/"),
    ("issue-en", "/en/issues/1/"),
    ("archive-en", "/en/issues/"),
    ("section-fr", "/fr/articles/"),
    ("tag-fr", "/fr/tags/web/"),
    ("tags-en", "/en/tags/"),
    ("404", "/no/such/page/"),
];

impl Driver {
    /// A Chrome DevTools command, through chromedriver.
    fn cdp(&self, cmd: &str, params: Value) -> Value {
        call(
            self.port,
            "POST",
            &format!("/session/{}/goog/cdp/execute", self.session),
            Some(json!({ "cmd": cmd, "params": params })),
        )
        .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    fn script_async(&self, script: &str) -> Value {
        call(
            self.port,
            "POST",
            &format!("/session/{}/execute/async", self.session),
            Some(json!({ "script": script, "args": [] })),
        )
        .unwrap_or_else(|e| panic!("script: {e}"))
    }

    /// A phone or a desktop window, in the light or the dark colour scheme.
    fn emulate(&self, width: u32, dark: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": if width < 600 { 812 } else { 900 },
                    "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
        let scheme = if dark { "dark" } else { "light" };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// The whole page (up to 6,000 px tall) as a PNG.
    fn screenshot(&self, file: &std::path::Path) {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let width = size["width"].as_f64().unwrap_or(375.0);
        let height = size["height"].as_f64().unwrap_or(812.0).min(6000.0);
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 } }),
        );
        let data = shot["data"].as_str().expect("screenshot data");
        std::fs::write(file, base64_decode(data)).expect("writing a screenshot");
    }
}

/// Standard base64 (the screenshots chromedriver sends).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | (u32::from(value(c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Where the screenshots go, for a person to look at: target/tmp/screenshots/.
fn screenshot_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("creating the screenshot folder");
    dir
}

/// What axe finds on the open page (every rule, WCAG 2.2's target size included), one line
/// per rule and node, starting with its impact.
const RUN_AXE: &str = r#"
var done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } }).then(function (r) {
  var found = [];
  r.violations.forEach(function (v) {
    v.nodes.forEach(function (n) {
      found.push(v.id + ' (' + v.impact + '): ' + n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' '));
    });
  });
  done(found);
}, function (e) { done(['axe failed: ' + e]); });
"#;

/// What sticks out sideways: the page scrolls horizontally, or an element reaches past the
/// window without a scrolling box of its own around it.
const OVERFLOW: &str = r#"
var width = document.documentElement.clientWidth;
var found = [];
if (document.documentElement.scrollWidth > width) found.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
return found;
"#;

/// Every kind of page, on a phone (375 px) and a desktop (1280 px), light and dark: no
/// serious or critical axe finding, nothing wider than the window, and on a phone the
/// article's first paragraph on the first screen. Screenshots land in
/// target/tmp/screenshots/ for review.
#[test]
fn every_page_kind_passes_axe_at_both_widths_in_both_schemes() {
    let served = serve(sample_site());
    let browser = start_browser();
    let axe =
        std::fs::read_to_string(std::path::Path::new(REPO).join("tests/fixtures/axe/axe.min.js"))
            .expect("tests/fixtures/axe/axe.min.js (see its README)");
    let shots = screenshot_dir();
    let mut problems = Vec::new();
    for &(width, dark) in &[(375, false), (375, true), (1280, false), (1280, true)] {
        browser.emulate(width, dark);
        for (name, path) in PAGE_KINDS {
            browser.open(&format!("http://127.0.0.1:{}{path}", served.port));
            let scheme = if dark { "dark" } else { "light" };
            let label = format!("{name} at {width} px, {scheme}");
            let injected = browser.script(&format!("{axe}\n;return typeof axe;"));
            assert_eq!(injected, json!("object"), "axe loaded on {label}");
            let findings = browser.script_async(RUN_AXE);
            for finding in findings.as_array().into_iter().flatten() {
                let finding = finding.as_str().unwrap_or("?");
                if finding.contains("(serious)")
                    || finding.contains("(critical)")
                    || finding.starts_with("axe failed")
                {
                    problems.push(format!("{label}: {finding}"));
                } else {
                    // Moderate and minor findings are shown, not failed.
                    eprintln!("{label}: {finding}");
                }
            }
            for finding in browser.script(OVERFLOW).as_array().into_iter().flatten() {
                problems.push(format!("{label}: {}", finding.as_str().unwrap_or("?")));
            }
            if width < 600 && name.starts_with("article") {
                let top = browser.script(
                    "var p = document.querySelector('.prose > p'); return p ? p.getBoundingClientRect().top + window.scrollY : null;",
                );
                let top = top.as_f64().unwrap_or(f64::MAX);
                let sizes = browser.script(
                    "var pre = document.querySelector('pre.code'), m = document.querySelector('.masthead');\
                     return [m.getBoundingClientRect().height, pre ? getComputedStyle(pre).fontSize : null, getComputedStyle(document.body).fontSize];",
                );
                eprintln!(
                    "{label}: first paragraph at y = {top}; masthead, code and body text: {sizes}"
                );
                if top > 812.0 - 60.0 {
                    problems.push(format!(
                        "{label}: the first paragraph starts at y = {top}, below the first screen"
                    ));
                }
            }
            browser.screenshot(&shots.join(format!("{name}-{width}-{scheme}.png")));
        }
    }
    eprintln!("screenshots: {}", shots.display());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
