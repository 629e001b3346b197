//! The email edition in a real browser: headless Chromium through chromedriver (Debian's
//! `chromium` and `chromium-driver`, installed by .ci/run) opens each issue's `email.html`
//! of the sample newsletter, served by `gazette serve`, at 600, 375 and 320 px, rendered two
//! ways: as Apple Mail shows an email (the whole document, `@media` rules included) and as
//! Gmail may (its `<style>` dropped, as Gmail's apps do for other accounts' mail: only the
//! inline styles left). Nothing may stick out sideways, code wraps under its own
//! indentation, the contents lead within the email, and axe (tests/fixtures/axe) finds
//! nothing serious, light or dark. Screenshots land in target/tmp/email-screenshots/.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::http;
use common::server::{Served, serve};
use common::*;
use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The sample newsletter's emails.
const EMAILS: [&str; 4] = [
    "/fr/issues/1/email.html",
    "/fr/issues/2/email.html",
    "/en/issues/1/email.html",
    "/en/issues/2/email.html",
];

/// The widths an email must read right at: the email's own, a phone, a small phone.
const WIDTHS: [u32; 3] = [600, 375, 320];

/// How a mail client shows the email.
#[derive(Clone, Copy, PartialEq)]
enum Client {
    /// The whole document: WebKit, `<style>` and `@media` kept.
    AppleMail,
    /// Only the inline styles: every `<style>` removed.
    Gmail,
}

impl Client {
    fn name(self) -> &'static str {
        match self {
            Client::AppleMail => "apple-mail",
            Client::Gmail => "gmail",
        }
    }
}

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
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--hide-scrollbars",
        &format!("--user-data-dir={}", profile.path().display()),
    ];
    let capabilities = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "timeouts": { "pageLoad": 30000, "script": 60000 },
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
    fn post(&self, what: &str, body: Value) -> Value {
        let path = format!("/session/{}/{what}", self.session);
        call(self.port, "POST", &path, Some(body)).unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    fn script(&self, script: &str) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": [] }))
    }

    fn script_async(&self, script: &str) -> Value {
        self.post("execute/async", json!({ "script": script, "args": [] }))
    }

    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.post("goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
    }

    /// A window `width` px wide (a phone's below 600), light or dark.
    fn emulate(&self, width: u32, dark: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 800, "deviceScaleFactor": 1,
                    "mobile": width < 600 }),
        );
        let scheme = if dark { "dark" } else { "light" };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// Opens the email as `client` shows it.
    fn open(&self, url: &str, client: Client) {
        self.post("url", json!({ "url": url }));
        if client == Client::Gmail {
            self.script("document.querySelectorAll('style').forEach(s => s.remove()); return 1;");
        }
    }

    /// The whole page (up to 16,000 px tall) as a PNG.
    fn screenshot(&self, file: &Path) {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let width = size["width"].as_f64().unwrap_or(600.0);
        let height = size["height"].as_f64().unwrap_or(800.0).min(16_000.0);
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

/// The repository's sample newsletter, with a `[newsletter]` table (the full footer).
fn sample_site() -> Served {
    let site = TestSite::new();
    copy_dir(
        &Path::new(REPO).join("content"),
        &site.root().join("content"),
    );
    let config = std::fs::read_to_string(Path::new(REPO).join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!(
            "{config}\n[newsletter]\nsubscribe_url = \"https://lists.example.org/subscribe\"\n\
             unsubscribe_url = \"{{{{ unsubscribe_url }}}}\"\n"
        ),
    );
    serve(site)
}

/// Where the screenshots go, for a person to look at.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("email-screenshots");
    std::fs::create_dir_all(&dir).expect("creating the screenshot folder");
    dir
}

/// `path`'s name for a screenshot: `fr-2`.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    format!("{}-{}", parts[0], parts[2])
}

/// What sticks out sideways: the page scrolls, or a visible element reaches past the window.
const OVERFLOW: &str = r#"
var width = document.documentElement.clientWidth;
var found = [];
if (document.documentElement.scrollWidth > width) found.push('the email scrolls sideways by ' + (document.documentElement.scrollWidth - width) + ' px');
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width > 0 && r.right > width + 0.5) found.push(e.tagName + '.' + e.className + ' reaches ' + Math.round(r.right) + ' px');
});
return found.slice(0, 8);
"#;

#[test]
fn emails_fit_the_window_at_600_375_and_320_px_as_apple_mail_and_gmail_show_them() {
    let served = sample_site();
    let browser = start_browser();
    let shots = screenshot_dir();
    let mut problems = Vec::new();
    for client in [Client::AppleMail, Client::Gmail] {
        for width in WIDTHS {
            browser.emulate(width, false);
            for path in EMAILS {
                browser.open(&format!("http://127.0.0.1:{}{path}", served.port), client);
                let label = format!("{path} at {width} px ({})", client.name());
                let found = browser.script(OVERFLOW);
                for finding in found.as_array().into_iter().flatten() {
                    problems.push(format!("{label}: {}", finding.as_str().unwrap_or("?")));
                }
                let name = format!("{}-{width}-{}.png", short(path), client.name());
                browser.screenshot(&shots.join(name));
            }
        }
    }
    eprintln!("screenshots: {}", shots.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each wrapped part of a code line starts right of the line's own indentation: never back
/// at column 0. Gives the lines that break it.
const HANGING: &str = r#"
var found = [], wrapped = 0;
var probe = document.createElement('span');
probe.textContent = '0000000000';
probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;text-indent:0;padding:0';
document.querySelectorAll('pre code > span').forEach(function (line) {
  var style = getComputedStyle(line);
  // One character's width, measured on a line of its own beside the code.
  line.parentNode.appendChild(probe);
  var ch = probe.getBoundingClientRect().width / 10;
  line.parentNode.removeChild(probe);
  var text = line.textContent, indent = text.length - text.replace(/^ +/, '').length;
  var range = document.createRange();
  range.selectNodeContents(line);
  var rows = {};
  Array.prototype.forEach.call(range.getClientRects(), function (r) {
    if (r.width === 0) return;
    var top = Math.round(r.top);
    rows[top] = Math.min(rows[top] === undefined ? Infinity : rows[top], r.left);
  });
  var tops = Object.keys(rows).map(Number).sort(function (a, b) { return a - b; });
  var left = line.getBoundingClientRect().left + parseFloat(style.paddingLeft) + parseFloat(style.textIndent);
  tops.slice(1).forEach(function (top) {
    wrapped++;
    if (rows[top] < left + (indent + 1) * ch - 1) found.push(JSON.stringify(text.slice(0, 40)) + ' goes on at ' + Math.round(rows[top] - left) + ' px, indentation ' + indent);
  });
});
return [wrapped, found.slice(0, 8)];
"#;

#[test]
fn code_wraps_under_its_own_indentation_on_a_phone() {
    let served = sample_site();
    let browser = start_browser();
    let mut wrapped = 0;
    let mut problems = Vec::new();
    for client in [Client::AppleMail, Client::Gmail] {
        for width in [375, 320] {
            browser.emulate(width, false);
            for path in ["/en/issues/2/email.html", "/fr/issues/2/email.html"] {
                browser.open(&format!("http://127.0.0.1:{}{path}", served.port), client);
                let result = browser.script(HANGING);
                wrapped += result[0].as_u64().unwrap_or(0);
                for finding in result[1].as_array().into_iter().flatten() {
                    let label = format!("{path} at {width} px ({})", client.name());
                    problems.push(format!("{label}: {}", finding.as_str().unwrap_or("?")));
                }
            }
        }
    }
    assert!(
        wrapped > 20,
        "long lines wrap on a phone ({wrapped} wrapped parts)"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_contents_lead_to_each_article_within_the_email() {
    let served = sample_site();
    let browser = start_browser();
    browser.emulate(375, false);
    let url = format!("http://127.0.0.1:{}/fr/issues/2/email.html", served.port);
    browser.open(&url, Client::AppleMail);
    let landed = browser.script(
        "var links = document.querySelectorAll('.toc a'); var last = links[links.length - 1];\
         last.click(); var target = document.getElementById(last.getAttribute('href').slice(1));\
         return [location.href, Math.round(target.getBoundingClientRect().top), scrollY > 0];",
    );
    assert!(
        landed[0].as_str().unwrap_or_default().starts_with(&url),
        "still in the email: {landed}"
    );
    assert_eq!(landed[1], json!(0), "the article is at the top: {landed}");
    assert_eq!(landed[2], json!(true), "{landed}");
}

/// What axe finds on the open page (WCAG 2.2's target size included), one line per rule and
/// node, starting with its impact.
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

#[test]
fn axe_finds_nothing_serious_in_the_emails_light_or_dark() {
    let served = sample_site();
    let browser = start_browser();
    let axe = std::fs::read_to_string(Path::new(REPO).join("tests/fixtures/axe/axe.min.js"))
        .expect("tests/fixtures/axe/axe.min.js (see its README)");
    let shots = screenshot_dir();
    let mut problems = Vec::new();
    let cases = [
        (Client::AppleMail, 600, false),
        (Client::AppleMail, 600, true),
        (Client::AppleMail, 375, false),
        (Client::Gmail, 375, false),
    ];
    for (client, width, dark) in cases {
        browser.emulate(width, dark);
        for path in EMAILS {
            browser.open(&format!("http://127.0.0.1:{}{path}", served.port), client);
            let scheme = if dark { "dark" } else { "light" };
            let label = format!("{path} at {width} px, {scheme} ({})", client.name());
            let loaded = browser.script(&format!("{axe}\n;return typeof axe;"));
            assert_eq!(loaded, json!("object"), "axe loaded on {label}");
            for finding in browser
                .script_async(RUN_AXE)
                .as_array()
                .into_iter()
                .flatten()
            {
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
            if dark {
                let name = format!("{}-{width}-{}-dark.png", short(path), client.name());
                browser.screenshot(&shots.join(name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
