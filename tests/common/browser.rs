//! A headless Chromium driven through chromedriver (WebDriver over `http`), for the tests
//! that look at pages and emails as a reader's browser shows them.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{REPO, http};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A browser session; the browser and chromedriver stop when it is dropped.
pub struct Driver {
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

/// What a browser is started with besides the headless basics.
#[derive(Default)]
pub struct Options<'a> {
    /// More Chromium flags (`--lang=de-DE`).
    pub args: &'a [&'a str],
    /// Chromium preferences (`{"intl": {"accept_languages": "de-DE,de"}}`).
    pub prefs: Option<Value>,
}

/// Starts chromedriver and a headless Chromium with a fresh profile.
pub fn start_browser(options: Options) -> Driver {
    assert!(
        Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
        "this test needs Debian's chromium and chromium-driver: apt-get install chromium \
         chromium-driver (.ci/run does)"
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
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--hide-scrollbars",
    ]
    .iter()
    .chain(options.args)
    .map(|a| a.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    let mut chrome = json!({ "binary": CHROMIUM, "args": args });
    if let Some(prefs) = options.prefs {
        chrome["prefs"] = prefs;
    }
    let capabilities = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        // A page that cannot load fails the test in seconds, not in five minutes.
        "timeouts": { "pageLoad": 30000, "script": 120000 },
        "goog:chromeOptions": chrome
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
    /// A WebDriver command of this session; panics with chromedriver's error.
    pub fn post(&self, what: &str, body: Value) -> Value {
        self.try_post(what, body)
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    pub fn try_post(&self, what: &str, body: Value) -> Result<Value, String> {
        let path = format!("/session/{}/{what}", self.session);
        call(self.port, "POST", &path, Some(body))
    }

    pub fn get(&self, what: &str) -> Value {
        let path = format!("/session/{}/{what}", self.session);
        call(self.port, "GET", &path, None).unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// Opens a new tab and returns its handle (the current tab stays current).
    pub fn new_tab(&self) -> String {
        let tab = self.post("window/new", json!({ "type": "tab" }));
        tab["handle"].as_str().expect("a tab handle").to_string()
    }

    pub fn current_tab(&self) -> String {
        let tab = self.get("window");
        tab.as_str().expect("a tab handle").to_string()
    }

    pub fn switch_to(&self, tab: &str) {
        self.post("window", json!({ "handle": tab }));
    }

    pub fn open(&self, url: &str) {
        self.post("url", json!({ "url": url }));
    }

    /// Runs `script` in the page and returns its value; panics when it throws.
    pub fn run(&self, script: &str) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Runs `script` in the page; Null when it throws (while the page reloads, say).
    pub fn script(&self, script: &str) -> Value {
        self.try_post("execute/sync", json!({ "script": script, "args": [] }))
            .unwrap_or(Value::Null)
    }

    pub fn script_async(&self, script: &str) -> Value {
        self.post("execute/async", json!({ "script": script, "args": [] }))
    }

    /// A Chrome DevTools command, through chromedriver.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.post("goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
    }

    /// A window `width` × `height` px (a phone's below 600 px), light or dark.
    pub fn emulate(&self, width: u32, height: u32, dark: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1,
                    "mobile": width < 600 }),
        );
        let scheme = if dark { "dark" } else { "light" };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// The whole page, up to `max_height` px tall, as a PNG.
    pub fn screenshot(&self, file: &Path, max_height: f64) {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let width = size["width"].as_f64().unwrap_or(375.0);
        let height = size["height"].as_f64().unwrap_or(800.0).min(max_height);
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 } }),
        );
        let data = shot["data"].as_str().expect("screenshot data");
        std::fs::write(file, base64_decode(data)).expect("writing a screenshot");
    }

    /// What axe finds on the open page (every rule, WCAG 2.2's target size included):
    /// serious and critical findings are returned, each after `label`; the others are
    /// printed, not failed.
    pub fn axe_problems(&self, label: &str) -> Vec<String> {
        let injected = self.run(&format!("{}\n;return typeof axe;", axe_source()));
        assert_eq!(injected, json!("object"), "axe loaded on {label}");
        let mut problems = Vec::new();
        for finding in self.script_async(RUN_AXE).as_array().into_iter().flatten() {
            let finding = finding.as_str().unwrap_or("?");
            if finding.contains("(serious)")
                || finding.contains("(critical)")
                || finding.starts_with("axe failed")
            {
                problems.push(format!("{label}: {finding}"));
            } else {
                eprintln!("{label}: {finding}");
            }
        }
        problems
    }
}

/// axe-core, kept in the repository (no network in tests).
fn axe_source() -> &'static str {
    static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    AXE.get_or_init(|| {
        std::fs::read_to_string(Path::new(REPO).join("tests/fixtures/axe/axe.min.js"))
            .expect("tests/fixtures/axe/axe.min.js (see its README)")
    })
}

/// Runs axe on the open page: one line per rule and node, starting with its impact.
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

/// Where screenshots go, for a person to look at: `target/tmp/NAME/`.
pub fn screenshot_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("creating the screenshot folder");
    dir
}
