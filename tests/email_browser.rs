//! The email edition in a real browser: headless Chromium through chromedriver (Debian's
//! `chromium` and `chromium-driver`, installed by .ci/run) opens each issue's `email.html`
//! of the sample newsletter, served by `gazette serve`, at 600, 375 and 320 px, rendered two
//! ways: as Apple Mail shows an email (the whole document, `@media` rules included) and as
//! Gmail may (its `<style>` dropped, as Gmail's apps do for other accounts' mail: only the
//! inline styles left). Nothing may stick out sideways, code wraps under its own
//! indentation, the contents lead within the email, and axe (tests/fixtures/axe) finds
//! nothing serious, light or dark. Screenshots land in target/tmp/email-screenshots/.

mod common;

use std::path::Path;

use common::browser::{Driver, Options, screenshot_dir};
use common::server::{Served, serve};
use common::*;
use serde_json::json;

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

fn start_browser() -> Driver {
    common::browser::start_browser(Options::default())
}

/// Opens the email as `client` shows it.
fn open_as(browser: &Driver, url: &str, client: Client) {
    browser.open(url);
    if client == Client::Gmail {
        browser.run("document.querySelectorAll('style').forEach(s => s.remove()); return 1;");
    }
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
    let shots = screenshot_dir("email-screenshots");
    let mut problems = Vec::new();
    for client in [Client::AppleMail, Client::Gmail] {
        for width in WIDTHS {
            browser.emulate(width, 800, false);
            for path in EMAILS {
                open_as(
                    &browser,
                    &format!("http://127.0.0.1:{}{path}", served.port),
                    client,
                );
                let label = format!("{path} at {width} px ({})", client.name());
                let found = browser.run(OVERFLOW);
                for finding in found.as_array().into_iter().flatten() {
                    problems.push(format!("{label}: {}", finding.as_str().unwrap_or("?")));
                }
                let name = format!("{}-{width}-{}.png", short(path), client.name());
                browser.screenshot(&shots.join(name), 16_000.0);
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
            browser.emulate(width, 800, false);
            for path in ["/en/issues/2/email.html", "/fr/issues/2/email.html"] {
                open_as(
                    &browser,
                    &format!("http://127.0.0.1:{}{path}", served.port),
                    client,
                );
                let result = browser.run(HANGING);
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
    browser.emulate(375, 800, false);
    let url = format!("http://127.0.0.1:{}/fr/issues/2/email.html", served.port);
    open_as(&browser, &url, Client::AppleMail);
    let landed = browser.run(
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

#[test]
fn axe_finds_nothing_serious_in_the_emails_light_or_dark() {
    let served = sample_site();
    let browser = start_browser();
    let shots = screenshot_dir("email-screenshots");
    let mut problems = Vec::new();
    let cases = [
        (Client::AppleMail, 600, false),
        (Client::AppleMail, 600, true),
        (Client::AppleMail, 375, false),
        (Client::Gmail, 375, false),
    ];
    for (client, width, dark) in cases {
        browser.emulate(width, 800, dark);
        for path in EMAILS {
            open_as(
                &browser,
                &format!("http://127.0.0.1:{}{path}", served.port),
                client,
            );
            let scheme = if dark { "dark" } else { "light" };
            let label = format!("{path} at {width} px, {scheme} ({})", client.name());
            problems.extend(browser.axe_problems(&label));
            if dark {
                let name = format!("{}-{width}-{}-dark.png", short(path), client.name());
                browser.screenshot(&shots.join(name), 16_000.0);
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
