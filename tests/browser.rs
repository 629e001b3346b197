//! End to end in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by .ci/run) opens a page served by `gazette serve --watch`;
//! saving the Markdown reloads the page by itself with the new text.

mod common;

use std::time::{Duration, Instant};

use common::browser::{Driver, Options, screenshot_dir};
use common::server::serve;
use common::*;
use serde_json::{Value, json};

/// A browser whose reader asks for neither language: the chooser stays on screen.
fn start_browser() -> Driver {
    common::browser::start_browser(Options {
        args: &["--lang=de-DE"],
        prefs: Some(json!({ "intl": { "accept_languages": "de-DE,de" } })),
    })
}

/// Waits until the page's `h1` reads `title` and the mark set before the save is gone.
fn wait_for_reload_with(browser: &Driver, title: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let state = browser.script("return [document.querySelector('h1') && document.querySelector('h1').textContent, window.gazetteMark || null]");
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
    wait_for_reload_with(&browser, "Saved from my editor");
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
        wait_for_reload_with(&browser, "Saved once");
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
    let shots = screenshot_dir("screenshots");
    let mut problems = Vec::new();
    for &(width, dark) in &[(375, false), (375, true), (1280, false), (1280, true)] {
        browser.emulate(width, if width < 600 { 812 } else { 900 }, dark);
        for (name, path) in PAGE_KINDS {
            browser.open(&format!("http://127.0.0.1:{}{path}", served.port));
            let scheme = if dark { "dark" } else { "light" };
            let label = format!("{name} at {width} px, {scheme}");
            problems.extend(browser.axe_problems(&label));
            for finding in browser.run(OVERFLOW).as_array().into_iter().flatten() {
                problems.push(format!("{label}: {}", finding.as_str().unwrap_or("?")));
            }
            if width < 600 && name.starts_with("article") {
                let top = browser.run(
                    "var p = document.querySelector('.prose > p'); return p ? p.getBoundingClientRect().top + window.scrollY : null;",
                );
                let top = top.as_f64().unwrap_or(f64::MAX);
                let sizes = browser.run(
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
            browser.screenshot(&shots.join(format!("{name}-{width}-{scheme}.png")), 6000.0);
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
