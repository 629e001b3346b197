//! The binary: exit codes and the first line of stderr.

mod common;

use std::process::{Command, Output};

use common::*;

fn gazette(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .output()
        .expect("running gazette")
}

fn first_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn build_succeeds_with_exit_0() {
    let site = TestSite::fixture("bilingual");
    let root = site.root();
    let output = gazette(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("built "));
    assert!(site.exists("fr/index.html"));
}

#[test]
fn site_error_exits_1_with_the_location_first() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/bad.fr.md",
        "+++\ntitle = \"T\"\ndate = \"2026-13-01\"\n+++\n",
    );
    let output = gazette(&["build", "--root", site.root().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        first_line(&output).starts_with("content/news/bad.fr.md:3:8: invalid date \"2026-13-01\""),
        "{}",
        first_line(&output)
    );
    assert!(!site.output().exists(), "nothing written");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(gazette(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(gazette(&[]).status.code(), Some(2));
    assert_eq!(gazette(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn missing_site_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let output = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        first_line(&output).starts_with("config.toml: no config.toml here"),
        "{}",
        first_line(&output)
    );
}

#[test]
fn output_and_base_url_flags() {
    let site = TestSite::fixture("bilingual");
    let out = site.dir.path().join("public");
    let output = gazette(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://preview.example/x/",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("en/index.html")).unwrap());
    assert_eq!(
        attr(&html, "link[rel=canonical]", "href").as_deref(),
        Some("https://preview.example/x/en/")
    );
}

#[test]
fn check_reports_every_problem_and_a_summary() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/bad.fr.md",
        "+++\ntitle = \"T\"\ndate = \"2026-13-01\"\n+++\n",
    );
    site.write("content/news/links.fr.md", "+++\ntitle = \"L\"\ndate = 2026-11-01\n+++\n[x](/fr/nope/) [y](@/news/first.md#nope) ![](pic.png)\n");
    let output = gazette(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("content/news/bad.fr.md:3:8: invalid date"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/news/links.fr.md:5:1: broken link"),
        "{stderr}"
    );
    assert!(
        stderr.contains("has no element with id \"nope\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: image without alt text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 | date = \"2026-13-01\"\n  |        ^"),
        "the line and a caret: {stderr}"
    );
    // The fourth warning: the fixture's issues have an email edition, and its config.toml
    // no unsubscribe link for it.
    assert!(
        stderr
            .contains("config.toml: warning: the email editions (fr, en) have no unsubscribe link"),
        "{stderr}"
    );
    assert!(
        stderr
            .trim_end()
            .ends_with("4 errors, 4 warnings in 17 files"),
        "{stderr}"
    );
    assert!(!site.output().exists(), "check writes nothing");
}

#[test]
fn check_passes_a_good_site() {
    let site = TestSite::fixture("bilingual");
    let output = gazette(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn new_writes_paired_drafts_and_never_overwrites() {
    let site = TestSite::fixture("bilingual");
    let root = site.root();
    let output = gazette(&[
        "new",
        "news/Numéro spécial",
        "--title",
        "Numéro spécial : Noël",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fr = std::fs::read_to_string(root.join("content/news/numero-special.fr.md")).unwrap();
    assert!(
        fr.contains("title = \"Numéro spécial : Noël\"") && fr.contains("draft = true"),
        "{fr}"
    );
    assert!(root.join("content/news/numero-special.en.md").exists());
    let mut options = site.options();
    options.drafts = true;
    gazette::build(&options).expect("the stubs build");
    assert!(site.exists("fr/news/numero-special/index.html"));
    assert!(site.exists("en/news/numero-special/index.html"));
    let again = gazette(&[
        "new",
        "news/numero-special",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        first_line(&again).starts_with("content/news/numero-special.fr.md: already exists"),
        "{}",
        first_line(&again)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("content/news/numero-special.fr.md")).unwrap(),
        fr,
        "untouched"
    );
}

#[test]
fn a_rebuild_changes_the_output_in_place_and_leaves_nothing_beside_it() {
    let site = TestSite::fixture("bilingual");
    let root = site.root();
    let build = || {
        let output = gazette(&["build", "--root", root.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        stderr.lines().last().unwrap_or_default().to_string()
    };
    build();
    site.write(
        "content/news/second.en.md",
        &article("Second, again", "", "New text."),
    );
    let said = build();
    assert!(
        site.read("en/news/second/index.html").contains("New text."),
        "the new output is complete when the build returns"
    );
    assert!(said.contains("written"), "{said}");
    let beside: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gazette"))
        .collect();
    assert_eq!(beside, Vec::<String>::new(), "no folder beside the output");
}

#[test]
fn escape_sequences_in_file_names_and_lines_are_shown_not_run() {
    let site = TestSite::new();
    site.write(
        "content/news/\u{1b}[2J\u{1b}[Hx.fr.md",
        "+++\ntitle = \"T\u{1b}[31m\"\ndate = \"nope\"\n+++\n",
    );
    let root = site.root();
    for command in ["build", "check"] {
        let output = gazette(&[command, "--root", root.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{command}");
        assert!(
            !output.stderr.contains(&0x1b),
            "{command}: a raw escape byte reached the terminal: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("\\u{1b}[2J"),
            "{command}"
        );
    }
}

#[test]
fn new_refuses_targets_that_would_break_the_build_and_writes_nothing() {
    let site = TestSite::fixture("bilingual");
    let root = site.root();
    let before = std::fs::read_dir(root.join("content")).unwrap().count();
    for target in ["tags/x", "news/", "issues/2", "../x", "news/!!!"] {
        let output = gazette(&["new", target, "--root", root.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{target}");
        assert!(
            !root.join("content/tags").exists(),
            "{target}: no folder left behind"
        );
        assert!(!root.join("content/news.fr.md").exists(), "{target}");
    }
    assert_eq!(
        std::fs::read_dir(root.join("content")).unwrap().count(),
        before
    );
    // A title of TOML-looking text is quoted: the stubs parse and the site checks.
    let output = gazette(&[
        "new",
        "news/plus",
        "--title",
        "+++\n+++",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let check = gazette(&["check", "--drafts", "--root", root.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn init_makes_a_working_site_with_no_theme_folder_then_refuses_to_write_again() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("ma-gazette");
    let site_arg = site.to_str().unwrap();
    let output = gazette(&["init", site_arg]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!site.join("themes").exists(), "the theme is built in");
    let check = gazette(&["check", "--root", site_arg]);
    assert_eq!(check.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("0 errors, 0 warnings"),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let build = gazette(&["build", "--root", site_arg]);
    assert_eq!(build.status.code(), Some(0));
    for page in [
        "fr/index.html",
        "en/index.html",
        "fr/issues/1/email.html",
        "en/about/index.html",
    ] {
        assert!(site.join("output").join(page).is_file(), "{page}");
    }
    let again = gazette(&["init", site_arg]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        first_line(&again).contains("not empty"),
        "{}",
        first_line(&again)
    );
}

#[test]
fn theme_copies_the_built_in_theme_out_and_never_overwrites() {
    let site = TestSite::fixture("bilingual");
    let root = site.root();
    site.write("themes/default/static/style.css", "/* mine */");
    let output = gazette(&["theme", "--root", root.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(root.join("themes/default/templates/base.html").is_file());
    assert_eq!(
        std::fs::read_to_string(root.join("themes/default/static/style.css")).unwrap(),
        "/* mine */",
        "a file already there is kept"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim_end(),
        "1 file was there already, left as it is"
    );
    assert!(
        gazette(&["build", "--root", root.to_str().unwrap()])
            .status
            .success()
    );
}

#[test]
fn a_reader_that_stops_early_is_no_crash() {
    // `gazette theme | head -1`: the pipe closes before gazette has said every file.
    let site = TestSite::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["theme", "--root", site.root().to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running gazette");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("gazette ends");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        site.root()
            .join("themes/default/templates/base.html")
            .is_file()
    );
}
