//! Hostile input never wins: the `hostile` fixture and generated monsters build with
//! everything escaped, or fail with a clear error; never a panic, a hang, or a write
//! outside the output folder. (Invalid-input cases with exact messages are in errors.rs.)

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

const TITLE: &str = "Q&A <b> ]]> \"x\" 'y' </script><script>alert(1)</script>";
/// The same title as English pages, feeds and emails show it: curly quotes.
const TYPESET: &str = "Q&A <b> ]]> “x” ‘y’ </script><script>alert(1)</script>";

fn hostile() -> TestSite {
    let site = TestSite::fixture("hostile");
    site.build_ok();
    site
}

#[test]
fn hostile_titles_are_escaped_in_html() {
    let site = hostile();
    let html = site.html("en/notes/hostile/index.html");
    assert_eq!(
        text(&html, "h1"),
        TYPESET,
        "shown as text, control character dropped"
    );
    assert!(
        select(&html, "script")
            .iter()
            .all(|s| !s.text().collect::<String>().contains("alert(1)")),
        "no script was injected"
    );
    assert!(select(&html, "img[onerror]").is_empty());
    assert_eq!(
        attr(&html, "meta[property='og:title']", "content").as_deref(),
        Some(TITLE)
    );
    for file in site.html_files() {
        let raw = site.read(&file);
        assert!(
            !raw.contains("<script>alert(1)"),
            "{file} carries the raw title"
        );
        assert!(!raw.contains('\u{7}'), "{file} carries a control character");
    }
}

#[test]
fn hostile_titles_are_escaped_in_feeds_sitemap_and_json() {
    let site = hostile();
    for file in ["en/atom.xml", "en/rss.xml", "fr/atom.xml", "sitemap.xml"] {
        let xml = site.read(file);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let feed = feed_rs::parser::parse(site.read("en/rss.xml").as_bytes()).expect("RSS parses");
    assert_eq!(
        feed.entries[0].title.as_ref().map(|t| t.content.as_str()),
        Some(TYPESET)
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("en/feed.json")).expect("JSON feed parses");
    assert_eq!(json["items"][0]["title"], TYPESET);
    assert_eq!(json["title"], "Hostile </script> site");
}

#[test]
fn hostile_titles_are_escaped_in_the_email_edition() {
    let site = hostile();
    let html = site.html("en/issues/1/email.html");
    assert!(select(&html, "script").is_empty());
    assert!(
        select(&html, ".article h2")
            .iter()
            .any(|h| h.text().collect::<String>() == TYPESET)
    );
    let txt = site.read("en/issues/1/email.txt");
    assert!(
        txt.contains(TYPESET),
        "plain text carries the title as typeset:\n{txt}"
    );
}

#[test]
fn bom_and_crlf_files_build() {
    let site = hostile();
    assert_eq!(
        text(&site.html("fr/notes/bom/index.html"), "h1"),
        "Avec BOM\u{a0}: oui"
    );
    assert!(
        text(&site.html("fr/notes/crlf/index.html"), ".prose").contains("Ligne deux\u{a0}: fin.")
    );
}

#[test]
fn a_five_megabyte_article_builds() {
    let site = TestSite::fixture("hostile");
    let paragraph =
        "Un paragraphe assez long : il parle de Rust, de « typographie » et de performances ! "
            .repeat(40);
    let body: String = (0..1500)
        .map(|i| format!("## Partie {i}\n\n{paragraph}\n\n"))
        .collect();
    assert!(body.len() > 5_000_000);
    site.write("content/notes/huge.fr.md", &article("Énorme", "", &body));
    site.build_ok();
    assert!(site.read("fr/notes/huge/index.html").len() > 5_000_000);
}

#[test]
fn pathological_markdown_builds() {
    let site = TestSite::fixture("hostile");
    let nested_quotes = format!("{}fond", "> ".repeat(10_000));
    let nested_lists: String = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let brackets = "[".repeat(50_000);
    let emphasis = "*a **b ".repeat(20_000);
    let links = "[a](".repeat(20_000);
    site.write(
        "content/notes/monster.fr.md",
        &article(
            "Monstre",
            "",
            &format!("{nested_quotes}\n\n{nested_lists}\n\n{brackets}\n\n{emphasis}\n\n{links}\n"),
        ),
    );
    site.build_ok();
    assert!(site.exists("fr/notes/monster/index.html"));
}

#[test]
fn a_page_and_its_translation_at_the_same_url() {
    let site = TestSite::fixture("hostile");
    // No suffix means the default language: both files are the French version.
    site.write("content/notes/twice.md", &article("Une fois", "", ""));
    site.write("content/notes/twice.fr.md", &article("Deux fois", "", ""));
    let error = site.build().expect_err("same URL");
    let message = error.to_string();
    assert!(
        message.contains("content/notes/twice.md") && message.contains("content/notes/twice.fr.md"),
        "{message}"
    );
}

/// The output's files, without gazette's own records (`.gazette-*` at the root).
fn site_files(site: &TestSite) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    site.snapshot()
        .into_iter()
        .filter(|(path, _)| !path.to_string_lossy().starts_with(".gazette-"))
        .collect()
}

/// Runs `gazette build` on `site` until it stops at `step` of writing the output, as a kill
/// there would (no cleanup runs).
fn build_killed_at(site: &TestSite, step: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("GAZETTE_TEST_KILL_AT", step)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("running a build");
    assert_eq!(status.code(), Some(137), "the build stopped at {step}");
}

#[test]
fn a_build_killed_at_any_step_of_the_commit_loses_nothing() {
    let steps = [
        "stage-0",
        "stage-3",
        "staged",
        "journal-written",
        "journal-committed",
        "delete-0",
        "put-0",
        "put-2",
        "manifest",
    ];
    for step in steps {
        let site = TestSite::fixture("bilingual");
        site.build_ok();
        // A gh-pages checkout in the output, with work not pushed yet.
        std::fs::create_dir_all(site.output().join(".git/refs")).unwrap();
        std::fs::write(site.output().join(".git/HEAD"), "ref: refs/heads/gh-pages").unwrap();
        let before = site_files(&site);
        // One article edited, one deleted, one added: files to write and to delete.
        site.write(
            "content/news/first.en.md",
            &article("First, edited", "", "Edited."),
        );
        site.remove("content/news/second.en.md");
        site.write("content/news/third.en.md", &article("Third", "", "New."));
        build_killed_at(&site, step);
        let killed = site_files(&site);
        let committed = killed != before;
        if committed {
            assert!(
                matches!(
                    step,
                    "journal-committed" | "delete-0" | "put-0" | "put-2" | "manifest"
                ),
                "{step}: the output changed before the journal was written"
            );
        }
        assert_eq!(
            site.read(".git/HEAD"),
            "ref: refs/heads/gh-pages",
            "{step}: the output's .git is untouched"
        );
        // The next build finishes (or undoes) the killed one, and builds the site.
        site.build_ok();
        assert!(
            site.read("en/news/first/index.html").contains("Edited."),
            "{step}"
        );
        assert!(site.exists("en/news/third/index.html"), "{step}");
        assert!(!site.exists("en/news/second/index.html"), "{step}");
        assert!(site.exists(".git/HEAD"), "{step}");
        assert_eq!(
            site.records(),
            [".gazette-lock", ".gazette-output"],
            "{step}: nothing left over"
        );
    }
}

#[test]
fn a_first_build_killed_half_way_is_undone_by_the_next() {
    let site = TestSite::fixture("bilingual");
    build_killed_at(&site, "stage-5");
    assert!(site.exists("index.html") || site.output().exists());
    site.build_ok();
    let fresh = TestSite::fixture("bilingual");
    fresh.build_ok();
    let same =
        |site: &TestSite| -> Vec<std::path::PathBuf> { site_files(site).into_keys().collect() };
    assert_eq!(
        same(&site),
        same(&fresh),
        "the same files as a build that was never killed"
    );
}

#[test]
fn a_build_killed_at_random_moments_leaves_the_old_output_or_the_new_one() {
    let site = TestSite::fixture("hostile");
    for i in 0..600 {
        site.write(
            &format!("content/bulk/a{i}.fr.md"),
            &article(
                &format!("Article {i}"),
                "tags = [\"x\"]",
                &"Du texte : assez. ".repeat(200),
            ),
        );
    }
    site.build_ok();
    for delay in [5, 20, 60, 150] {
        let before = site_files(&site);
        site.write(
            "content/bulk/a0.fr.md",
            &article(&format!("Changed {delay}"), "", "x"),
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "--force", "--root"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting a build");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let after = site_files(&site);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "killed after {delay} ms: no file missing or left over"
        );
        // Every file is whole: the old version or the new one.
        site.build_ok();
        assert!(
            site.read("fr/bulk/a0/index.html")
                .contains(&format!("Changed {delay}")),
            "the next build completes the site"
        );
    }
}

/// Bodies that nest thousands of levels deep: lists, raw HTML and quotes.
fn deep_bodies() -> [(&'static str, String); 3] {
    [
        (
            "lists",
            (0..2000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "divs",
            format!("{}x{}", "<div>".repeat(3000), "</div>".repeat(3000)),
        ),
        ("quotes", format!("{} x", ">".repeat(4000))),
    ]
}

#[test]
fn deep_nesting_builds_as_pages_and_is_refused_with_its_place_in_an_email() {
    for (name, body) in deep_bodies() {
        let site = TestSite::new();
        site.write(
            &format!("content/news/{name}.fr.md"),
            &article(name, "", &format!("Intro.\n\n{body}")),
        );
        site.build_ok();
        assert!(site.exists(&format!("fr/news/{name}/index.html")), "{name}");
        // In an issue, the email edition refuses it, naming the file and line.
        site.write(
            &format!("content/news/{name}.fr.md"),
            &article(name, "issue = 1", &format!("Intro.\n\n{body}")),
        );
        let error = site.build().expect_err(name);
        let message = error.to_string();
        let file = format!("content/news/{name}.fr.md:");
        let line: usize = message
            .strip_prefix(&file)
            .and_then(|rest| rest.split(':').next()?.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no file and line in {message}"));
        assert!(line >= 7, "{name}: a line of the body, {message}");
        assert!(
            message.contains("the email edition of issue 1 takes at most 500"),
            "{message}"
        );
        // `check` says the same, and exits as a command that found an error does.
        let output = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["check", "--root"])
            .arg(site.root())
            .output()
            .expect("running check");
        assert_eq!(output.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{file}{line}:")), "{stderr}");
    }
}

#[test]
fn a_deep_but_reasonable_nest_makes_its_email() {
    let site = TestSite::new();
    let body: String = (0..120)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    site.write(
        "content/news/deep.fr.md",
        &article("Deep", "issue = 1", &body),
    );
    site.build_ok();
    assert!(site.read("fr/issues/1/email.html").contains("<ul"));
}
