//! Shared helpers: build a fixture site (or an inline one) in a temp folder with the repo's
//! default theme, and read its output as parsed HTML.
#![allow(dead_code)]

pub mod browser;
pub mod http;
pub mod server;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A site in a temp folder: `root/` holds config, content and a copy of the default theme.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// Copies `tests/fixtures/NAME` and the default theme.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        copy_dir(
            &Path::new(REPO).join("tests/fixtures").join(name),
            &site.root(),
        );
        site
    }

    /// Just the default theme and a two-language config.
    pub fn new() -> TestSite {
        let site = TestSite::empty();
        site.write("config.toml", MINIMAL_CONFIG);
        site
    }

    /// An empty site folder: the theme is gazette's built-in one.
    fn empty() -> TestSite {
        let dir = tempfile::tempdir().expect("creating a temp dir");
        let site = TestSite { dir };
        fs::create_dir_all(site.root()).expect("mkdir");
        site
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("output")
    }

    /// The names of gazette's own records in the output (`.gazette-*`), sorted.
    pub fn records(&self) -> Vec<String> {
        let mut records: Vec<String> = fs::read_dir(self.output())
            .expect("the output folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".gazette-"))
            .collect();
        records.sort();
        records
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        fs::write(path, bytes).expect("writing a fixture file");
        self
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.root().join(rel)).expect("removing a fixture file");
    }

    pub fn options(&self) -> gazette::BuildOptions {
        gazette::BuildOptions {
            root: self.root(),
            ..Default::default()
        }
    }

    pub fn build(&self) -> gazette::Result<gazette::BuildReport> {
        gazette::build(&self.options())
    }

    pub fn build_ok(&self) -> gazette::BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(e) => panic!("the build failed:\n{e}"),
        }
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.output().join(rel).exists()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.output().join(rel))
            .unwrap_or_else(|e| panic!("reading output/{rel}: {e}"))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// Every file of the output with its bytes, for "nothing changed" checks.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        if self.output().exists() {
            for entry in walkdir::WalkDir::new(self.output()) {
                let entry = entry.expect("walking output");
                if entry.file_type().is_file() {
                    let rel = entry
                        .path()
                        .strip_prefix(self.output())
                        .expect("inside")
                        .to_path_buf();
                    files.insert(rel, fs::read(entry.path()).expect("reading"));
                }
            }
        }
        files
    }

    /// Output files ending in `.html`, relative.
    pub fn html_files(&self) -> Vec<String> {
        self.snapshot()
            .into_keys()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .filter(|p| p.ends_with(".html"))
            .collect()
    }
}

pub const MINIMAL_CONFIG: &str = r#"
base_url = "https://example.org"
default_language = "fr"
[languages.fr]
title = "La Gazette"
description = "L'essentiel"
[languages.en]
title = "The Gazette"
description = "The essentials"
"#;

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walking a fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copying a fixture");
        }
    }
}

pub fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let parsed =
        Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
    html.select(&parsed).collect()
}

pub fn attr(html: &Html, selector: &str, name: &str) -> Option<String> {
    select(html, selector)
        .first()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

pub fn text(html: &Html, selector: &str) -> String {
    select(html, selector)
        .first()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// hreflang -> href of a page's `<link rel="alternate" hreflang>`.
pub fn alternates(html: &Html) -> BTreeMap<String, String> {
    select(html, "link[rel=alternate][hreflang]")
        .into_iter()
        .map(|e| {
            (
                e.value().attr("hreflang").unwrap_or_default().to_string(),
                e.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A page with front matter: `title`, `date` and extra TOML lines, then a body.
pub fn article(title: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = {title:?}\ndate = 2026-11-27\n{extra}\n+++\n{body}\n")
}
