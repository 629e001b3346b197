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
