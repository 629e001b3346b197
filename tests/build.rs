//! Fixture sites built into temp folders, asserting on the parsed output.

mod common;

use std::collections::BTreeSet;

use std::path::Path;

use common::*;

const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';
const BASE: &str = "https://example.org/gazette";

fn bilingual() -> TestSite {
    let site = TestSite::fixture("bilingual");
    site.build_ok();
    site
}

#[test]
fn every_page_has_lang_canonical_and_reciprocal_alternates() {
    let site = bilingual();
    for file in site.html_files() {
        let html = site.html(&file);
        let lang = attr(&html, "html", "lang").unwrap_or_default();
        if file.ends_with("email.html") {
            // An email, not a web page: it has a language, but no canonical or alternates.
            assert!(file.starts_with(&format!("{lang}/")), "{file}: <html lang>");
            continue;
        }
        let canonical = attr(&html, "link[rel=canonical]", "href").unwrap_or_default();
        let expected_url = format!("{BASE}/{}", file.trim_end_matches("index.html"));
        assert_eq!(canonical, expected_url, "{file}: canonical");
        let Some(page_lang) = ["fr/", "en/"].iter().find(|p| file.starts_with(*p)) else {
            continue;
        };
        assert_eq!(format!("{lang}/"), *page_lang, "{file}: <html lang>");
        let links = alternates(&html);
        assert_eq!(
            links.get(&lang),
            Some(&canonical),
            "{file}: alternate for itself"
        );
        // x-default: the chooser for the homes, else the default language's (French) version.
        let expected_default = if file == "fr/index.html" || file == "en/index.html" {
            Some(format!("{BASE}/"))
        } else {
            links.get("fr").cloned()
        };
        assert_eq!(
            links.get("x-default"),
            expected_default.as_ref(),
            "{file}: x-default"
        );
        for (other_lang, url) in links
            .iter()
            .filter(|(l, _)| *l != "x-default" && **l != lang)
        {
            assert!(
                url.starts_with("https://"),
                "{file}: relative alternate {url}"
            );
            let other_file = format!(
                "{}index.html",
                url.trim_start_matches(BASE).trim_start_matches('/')
            );
            let other = site.html(&other_file);
            assert_eq!(
                alternates(&other).get(&lang),
                Some(&canonical),
                "{other_file} ({other_lang}) does not point back to {file}"
            );
        }
    }
}

#[test]
fn switcher_leads_to_the_translation_or_the_other_home() {
    let site = bilingual();
    let switch = |file: &str| {
        let html = site.html(file);
        attr(&html, ".languages a[hreflang=en]", "href")
            .or_else(|| attr(&html, ".languages a[hreflang=fr]", "href"))
    };
    assert_eq!(
        switch("fr/news/first/index.html").as_deref(),
        Some(&*format!("{BASE}/en/news/first/"))
    );
    assert_eq!(
        switch("en/news/first/index.html").as_deref(),
        Some(&*format!("{BASE}/fr/news/first/"))
    );
    assert_eq!(
        switch("fr/news/chat/index.html").as_deref(),
        Some(&*format!("{BASE}/en/news/the-cat/")),
        "translation_key pairs"
    );
    assert_eq!(
        switch("fr/news/seulement-fr/index.html").as_deref(),
        Some(&*format!("{BASE}/en/")),
        "no translation: other home"
    );
    assert_eq!(
        switch("fr/a-propos/index.html").as_deref(),
        Some(&*format!("{BASE}/en/about/"))
    );
    assert_eq!(
        switch("fr/tags/index.html").as_deref(),
        Some(&*format!("{BASE}/en/tags/"))
    );
}

/// Dates keep their words together on one line: no-break spaces.
#[test]
fn dates_are_written_in_the_page_language() {
    let site = bilingual();
    assert_eq!(
        text(&site.html("fr/news/first/index.html"), ".byline time"),
        "27\u{a0}novembre\u{a0}2026"
    );
    assert_eq!(
        text(&site.html("en/news/first/index.html"), ".byline time"),
        "November\u{a0}27,\u{a0}2026"
    );
    assert_eq!(
        text(&site.html("fr/news/second/index.html"), ".byline time"),
        "1er\u{a0}décembre\u{a0}2026"
    );
    let list = site.html("en/news/index.html");
    assert!(
        select(&list, ".card time")
            .iter()
            .any(|t| t.text().collect::<String>() == "December\u{a0}1,\u{a0}2026")
    );
}

#[test]
fn french_spacing_in_text_never_in_code_or_urls() {
    let site = bilingual();
    let html = site.html("fr/news/first/index.html");
    let prose = text(&html, ".prose");
    assert!(
        prose.contains(&format!(
            "Le constat{NBSP}: il faut tout revoir{NNBSP}! Vraiment{NNBSP}?"
        )),
        "{prose}"
    );
    assert_eq!(
        text(&html, "h1"),
        format!("Premier article{NBSP}: «{NBSP}bonjour{NBSP}»{NNBSP}!")
    );
    let code = text(&html, "pre code");
    assert!(code.contains("println!(\"Bonjour : monde ?\")"), "{code}");
    assert_eq!(text(&html, "p code"), "code : ici ?");
    for link in select(&html, "a[href]") {
        let href = link.value().attr("href").unwrap_or_default();
        assert!(!href.contains(NBSP) && !href.contains(NNBSP), "{href}");
    }
    assert_eq!(
        attr(&html, "meta[property='og:title']", "content").as_deref(),
        Some("Premier article : « bonjour » !")
    );
    let english = text(&site.html("en/news/first/index.html"), ".prose");
    assert!(
        english.contains("The point: review everything! Really?"),
        "{english}"
    );
}

#[test]
fn titles_are_escaped() {
    let site = bilingual();
    let page = site.read("fr/news/second/index.html");
    assert!(!page.contains("<script>alert(1)</script>"));
    let html = site.html("fr/news/second/index.html");
    assert_eq!(text(&html, "h1"), "<script>alert(1)</script> & co");
    assert!(select(&html, "script").is_empty());
    let list = site.read("fr/news/index.html");
    assert!(
        !list.contains("<script>alert"),
        "list pages escape titles too"
    );
}

#[test]
fn every_internal_link_resolves_to_a_file() {
    let site = bilingual();
    let files: BTreeSet<String> = site
        .snapshot()
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for file in site.html_files() {
        let html = site.html(&file);
        for element in select(&html, "a[href], link[href], img[src]") {
            let url = element
                .value()
                .attr("href")
                .or(element.value().attr("src"))
                .unwrap_or_default();
            let Some(path) = url.strip_prefix(BASE) else {
                continue;
            };
            let path = path
                .split('#')
                .next()
                .unwrap_or_default()
                .trim_start_matches('/');
            let target = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            if target == "sitemap.xml" || target.ends_with(".xml") {
                continue;
            }
            assert!(
                files.contains(&target),
                "{file} links to {url}, which is not in the output"
            );
        }
    }
}

#[test]
fn internal_links_and_anchors() {
    let site = bilingual();
    let html = site.html("fr/news/first/index.html");
    let hrefs: Vec<String> = select(&html, ".prose a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_string)
        .collect();
    assert!(
        hrefs.contains(&format!("{BASE}/fr/news/second/")),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&format!("{BASE}/fr/a-propos/#contact")),
        "{hrefs:?}"
    );
    let ids: Vec<&str> = select(&html, ".prose [id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    assert!(
        ids.contains(&"en-pratique") && ids.contains(&"en-pratique-1"),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"first-fn-a"),
        "footnote ids are prefixed per article: {ids:?}"
    );
    let unique: BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
}

#[test]
fn drafts_only_with_the_flag() {
    let site = bilingual();
    assert!(!site.exists("fr/news/brouillon/index.html"));
    assert!(!site.read("fr/news/index.html").contains("Brouillon"));
    let mut options = site.options();
    options.drafts = true;
    gazette::build(&options).expect("build with drafts");
    assert!(site.exists("fr/news/brouillon/index.html"));
}

#[test]
fn bundles_copy_their_files_beside_each_language() {
    let site = bilingual();
    assert!(site.exists("fr/news/bundle/pic.svg"));
    assert!(site.exists("en/news/bundle/pic.svg"));
    let html = site.html("en/news/bundle/index.html");
    assert_eq!(
        attr(&html, ".prose img", "src").as_deref(),
        Some(&*format!("{BASE}/en/news/bundle/pic.svg"))
    );
    assert_eq!(
        attr(&html, "meta[property='og:image']", "content").as_deref(),
        Some(&*format!("{BASE}/en/news/bundle/pic.svg"))
    );
}

#[test]
fn sections_paginate_and_tags_are_per_language() {
    let site = bilingual();
    // fr/news has 5 published articles; 2 per page.
    assert!(site.exists("fr/news/page/2/index.html"));
    assert!(site.exists("fr/news/page/3/index.html"));
    assert!(!site.exists("fr/news/page/4/index.html"));
    let first = site.html("fr/news/index.html");
    assert_eq!(select(&first, ".card").len(), 2);
    assert_eq!(
        attr(&first, "a[rel=next]", "href").as_deref(),
        Some(&*format!("{BASE}/fr/news/page/2/"))
    );
    assert!(site.exists("fr/tags/securite/index.html"));
    assert!(site.exists("en/tags/security/index.html"));
    assert!(!site.exists("en/tags/securite/index.html"));
    let rust = site.html("fr/tags/rust/index.html");
    assert_eq!(select(&rust, ".card").len(), 2);
}

#[test]
fn issues_are_built_per_language() {
    let site = bilingual();
    let issue = site.html("fr/issues/1/index.html");
    let titles: Vec<String> = select(&issue, ".card-title")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(
        titles,
        [
            "<script>alert(1)</script> & co",
            format!("Premier article{NBSP}: «{NBSP}bonjour{NBSP}»{NNBSP}!").as_str()
        ],
        "weight order"
    );
    assert_eq!(text(&issue, "h1"), format!("Numéro 1{NBSP}: le début"));
    let english = site.html("en/issues/1/index.html");
    assert_eq!(
        text(&english, "h1"),
        "Issue 1",
        "no intro: the theme's label"
    );
    let home = site.html("fr/index.html");
    assert!(text(&home, ".lead-issue").contains("Numéro 1"));
}

#[test]
fn root_chooser_404_robots_and_static() {
    let site = bilingual();
    let root = site.html("index.html");
    let links: Vec<&str> = select(&root, ".chooser-list a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, [format!("{BASE}/fr/"), format!("{BASE}/en/")]);
    assert!(site.read("index.html").contains("navigator.languages"));
    assert!(site.exists("404.html"));
    assert!(
        site.read("robots.txt")
            .contains(&format!("Sitemap: {BASE}/sitemap.xml"))
    );
    assert_eq!(
        site.read("CNAME").trim(),
        "example.org",
        "site static/ is copied, extensionless files too"
    );
    assert!(site.exists("style.css"), "theme static/ is copied");
}

#[test]
fn site_static_overrides_theme_static_and_templates_override_theme() {
    let site = TestSite::fixture("bilingual");
    site.write("static/style.css", "/* mine */");
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">{{ page.title }}</p>{% endblock content %}");
    site.build_ok();
    assert_eq!(site.read("style.css"), "/* mine */");
    assert_eq!(text(&site.html("en/about/index.html"), "#custom"), "About");
}

#[test]
fn output_holds_exactly_this_build_and_keeps_dotfiles() {
    let site = bilingual();
    std::fs::create_dir_all(site.output().join(".git")).unwrap();
    std::fs::write(site.output().join(".git/HEAD"), "ref").unwrap();
    site.remove("content/news/seulement-fr.fr.md");
    site.build_ok();
    assert!(
        !site.exists("fr/news/seulement-fr/index.html"),
        "a deleted article's page is gone"
    );
    assert_eq!(
        site.read(".git/HEAD"),
        "ref",
        "dotfiles at the output root are kept"
    );
}

#[test]
fn nothing_but_the_site_and_its_manifest_is_left() {
    let site = bilingual();
    site.build_ok();
    let ours: Vec<String> = std::fs::read_dir(site.output())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".gazette"))
        .collect();
    assert_eq!(
        ours.len(),
        2,
        "the manifest and the lock, no staging or journal: {ours:?}"
    );
    assert!(site.exists(".gazette-output") && site.exists(".gazette-lock"));
    assert!(site.exists("fr/news/seulement-fr/index.html"));
}

#[test]
fn base_url_override() {
    let site = TestSite::fixture("bilingual");
    let mut options = site.options();
    options.base_url = Some("http://localhost:9000/".into());
    gazette::build(&options).expect("build");
    let html = site.html("fr/index.html");
    assert_eq!(
        attr(&html, "link[rel=canonical]", "href").as_deref(),
        Some("http://localhost:9000/fr/")
    );
}

#[test]
fn missing_translations_are_warnings() {
    let site = TestSite::fixture("bilingual");
    let report = site.build_ok();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/news/seulement-fr.fr.md: warning: no en translation")),
        "{warnings:?}"
    );
}

#[test]
fn the_sample_newsletter_builds() {
    let out = tempfile::tempdir().unwrap();
    let options = gazette::BuildOptions {
        root: REPO.into(),
        output: Some(out.path().join("site")),
        ..Default::default()
    };
    let report = gazette::build(&options).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.pages > 30, "{} pages", report.pages);
    let fr = scraper::Html::parse_document(
        &std::fs::read_to_string(out.path().join("site/fr/index.html")).unwrap(),
    );
    assert_eq!(attr(&fr, "html", "lang").as_deref(), Some("fr"));
    assert!(
        out.path()
            .join("site/en/articles/meta-superintelligence/capex.en.svg")
            .exists()
    );
}

#[test]
fn the_user_guide_builds_and_passes_check() {
    let docs = Path::new(REPO).join("docs");
    let diagnostics = gazette::commands::check::check(&docs, false);
    let said: Vec<String> = diagnostics
        .errors
        .iter()
        .map(|e| e.to_string())
        .chain(diagnostics.warnings.iter().map(|w| w.to_string()))
        .collect();
    assert_eq!(said, Vec::<String>::new(), "docs/: no error and no warning");
    let out = tempfile::tempdir().unwrap();
    let options = gazette::BuildOptions {
        root: docs,
        output: Some(out.path().join("site")),
        ..Default::default()
    };
    let report = gazette::build(&options).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.pages >= 9, "{} pages", report.pages);
    let home = scraper::Html::parse_document(
        &std::fs::read_to_string(out.path().join("site/index.html")).unwrap(),
    );
    assert_eq!(
        attr(&home, "html", "lang").as_deref(),
        Some("en"),
        "English at the root"
    );
}

#[test]
fn relative_build_can_be_browsed_from_disk() {
    let site = TestSite::fixture("bilingual");
    let mut options = site.options();
    options.relative = true;
    gazette::build(&options).expect("relative build");
    let mut checked = 0;
    for file in site
        .html_files()
        .iter()
        .filter(|f| !f.ends_with("email.html") && *f != "404.html")
    {
        let html = site.html(file);
        let dir = std::path::Path::new(file)
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .to_path_buf();
        for element in select(&html, "a[href], link[rel=stylesheet], img[src]") {
            let url = element
                .value()
                .attr("href")
                .or(element.value().attr("src"))
                .unwrap_or_default();
            assert!(!url.starts_with(BASE), "{file}: {url} is still absolute");
            if url.contains("://") || url.starts_with('#') || url.starts_with("mailto:") {
                continue;
            }
            let target = dir.join(url.split('#').next().unwrap_or_default());
            assert!(
                site.output().join(&target).is_file(),
                "{file}: {url} does not lead to a file"
            );
            checked += 1;
        }
        if let Some(canonical) = attr(&html, "link[rel=canonical]", "href") {
            assert!(
                canonical.starts_with(BASE),
                "{file}: the canonical URL stays absolute"
            );
        }
    }
    assert!(checked > 100, "{checked} links checked");
}

/// Inode and modification time of an output file: the same pair means it was not rewritten.
fn identity(site: &TestSite, rel: &str) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(site.output().join(rel)).expect("output file");
    (meta.ino(), meta.modified().expect("mtime"))
}

#[test]
fn a_build_with_nothing_new_writes_nothing_and_says_so() {
    let site = TestSite::fixture("bilingual");
    let first = site.build_ok();
    assert!(first.written > 0);
    let before = site.snapshot();
    let page = identity(&site, "fr/news/first/index.html");
    let again = site.build_ok();
    assert_eq!(
        (again.written, again.deleted),
        (0, 0),
        "nothing changed since the first build"
    );
    assert_eq!((again.pages, again.files), (first.pages, first.files));
    assert_eq!(
        again.warnings, first.warnings,
        "the warnings of the build that made the output are said again"
    );
    assert!(!again.warnings.is_empty(), "the fixture has a warning");
    assert_eq!(identity(&site, "fr/news/first/index.html"), page);
    assert_eq!(site.snapshot(), before);
}

#[test]
fn any_change_of_input_options_or_output_rebuilds() {
    let site = bilingual();
    site.build_ok();
    let rebuilt = |options: &gazette::BuildOptions| {
        let report = gazette::build(options).expect("build");
        report.written + report.deleted > 0
    };
    let options = site.options();

    // An article's text, with the same length.
    let path = site.root().join("content/news/first.fr.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("Premier", "Preumier", 1);
    assert_ne!(text, edited, "the fixture's title is edited");
    site.write("content/news/first.fr.md", &edited);
    assert!(rebuilt(&options));
    assert!(site.read("fr/news/first/index.html").contains("Preumier"));
    assert!(!rebuilt(&options));

    // A template: the built-in one overridden by the site's themes/default/.
    let template = site.root().join("themes/default/templates/base.html");
    let mut html =
        std::fs::read_to_string(Path::new(REPO).join("themes/default/templates/base.html"))
            .unwrap();
    html.push_str("\n<!-- edited -->\n");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::write(&template, html).unwrap();
    assert!(rebuilt(&options));

    // A template edited to the same size, its modification time set back.
    let meta = std::fs::metadata(&template).unwrap();
    let same_size = std::fs::read_to_string(&template)
        .unwrap()
        .replace("<!-- edited -->", "<!-- EDITED -->");
    std::fs::write(&template, same_size).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&template)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    assert_eq!(std::fs::metadata(&template).unwrap().len(), meta.len());
    assert!(rebuilt(&options));

    // A static file, config.toml and options.
    site.write("static/CNAME", "news.example.org\n");
    assert!(rebuilt(&options));
    assert_eq!(site.read("CNAME"), "news.example.org\n");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!("{config}\n# a comment changes no page\n"),
    );
    assert!(!rebuilt(&options));
    site.write(
        "config.toml",
        &config.replace("paginate_by = ", "feed_limit = 1\npaginate_by = "),
    );
    assert!(rebuilt(&options));
    let drafts = gazette::BuildOptions {
        drafts: true,
        ..site.options()
    };
    assert!(rebuilt(&drafts));
    assert!(site.exists("fr/news/brouillon/index.html"));
    assert!(rebuilt(&options), "back without drafts");
    assert!(!site.exists("fr/news/brouillon/index.html"));

    // A file that is not published, but warned about.
    site.write("content/news/notes.txt", "not an article\n");
    let report = gazette::build(&options).expect("build");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.location.path.ends_with("notes.txt")),
        "{:?}",
        report.warnings
    );

    // The output itself: a file deleted, or grown, is written again.
    std::fs::remove_file(site.output().join("en/index.html")).unwrap();
    assert!(rebuilt(&options));
    assert!(site.exists("en/index.html"));
    let home = site.read("fr/index.html");
    std::fs::write(site.output().join("fr/index.html"), format!("{home}!")).unwrap();
    assert!(rebuilt(&options));
    assert_eq!(site.read("fr/index.html"), home);

    // --force renders every file again, and still writes none whose bytes are the same.
    let before = site.snapshot();
    let force = gazette::BuildOptions {
        force: true,
        ..site.options()
    };
    assert!(!rebuilt(&force));
    assert_eq!(site.snapshot(), before);
}

#[test]
fn the_default_language_at_the_root_has_no_prefix_and_no_chooser() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        &MINIMAL_CONFIG.replace(
            "default_language = \"fr\"",
            "default_language = \"fr\"\ndefault_language_at_root = true",
        ),
    );
    site.write(
        "content/articles/a.fr.md",
        &article("Bonjour", "tags = [\"Rust\"]", "Texte."),
    );
    site.write(
        "content/articles/a.en.md",
        &article("Hello", "tags = [\"Rust\"]", "Text."),
    );
    site.build_ok();
    let home = site.html("index.html");
    assert_eq!(
        attr(&home, "html", "lang").as_deref(),
        Some("fr"),
        "/ is the French home"
    );
    assert_eq!(
        attr(&home, "link[rel=canonical]", "href").as_deref(),
        Some("https://example.org/")
    );
    assert!(site.exists("articles/a/index.html") && site.exists("en/articles/a/index.html"));
    assert!(site.exists("tags/rust/index.html") && site.exists("atom.xml"));
    assert!(!site.exists("fr/index.html"), "no /fr/ prefix");
    let article_fr = site.html("articles/a/index.html");
    let links = alternates(&article_fr);
    assert_eq!(links["en"], "https://example.org/en/articles/a/");
    assert_eq!(links["x-default"], "https://example.org/articles/a/");
    assert_eq!(
        attr(
            &site.html("en/index.html"),
            ".languages a[hreflang=fr]",
            "href"
        )
        .as_deref(),
        Some("https://example.org/"),
        "the switcher leads home at /"
    );
}

#[test]
fn a_one_language_site_lives_at_the_root_without_a_switcher() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        "base_url = \"https://docs.example\"\ndefault_language = \"en\"\n[languages.en]\ntitle = \"Docs\"\n",
    );
    site.write(
        "content/guide/start.md",
        &article("Start here", "", "Text."),
    );
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nUs.\n");
    site.build_ok();
    let home = site.html("index.html");
    assert_eq!(attr(&home, "html", "lang").as_deref(), Some("en"));
    assert!(
        select(&home, ".languages").is_empty(),
        "no switcher with one language"
    );
    assert!(site.exists("guide/start/index.html") && site.exists("about/index.html"));
    assert!(!site.exists("en/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://docs.example/guide/start/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn the_built_in_theme_needs_no_theme_folder_and_a_site_overrides_it_file_by_file() {
    let site = TestSite::fixture("bilingual");
    assert!(!site.root().join("themes").exists());
    site.build_ok();
    assert!(
        site.exists("style.css"),
        "the built-in theme's static files"
    );
    assert!(site.read("fr/index.html").contains("class=\"masthead\""));
    site.write("themes/default/static/style.css", "/* the site's own */");
    site.write(
        "themes/default/templates/tag.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"mine\">{{ tag.name }}</p>{% endblock content %}",
    );
    site.build_ok();
    assert_eq!(site.read("style.css"), "/* the site's own */");
    assert_eq!(text(&site.html("en/tags/rust/index.html"), "#mine"), "Rust");
    assert!(
        site.read("fr/index.html").contains("class=\"masthead\""),
        "the other templates stay the built-in ones"
    );
}

#[test]
fn an_output_folder_that_is_a_symbolic_link_receives_the_build() {
    let site = TestSite::fixture("bilingual");
    let www = tempfile::tempdir().unwrap();
    let web_root = www.path().join("site");
    std::fs::create_dir(&web_root).unwrap();
    std::os::unix::fs::symlink(&web_root, site.output()).unwrap();
    site.build_ok();
    assert!(
        web_root.join("fr/index.html").is_file(),
        "the build lands in the link's target"
    );
    site.write(
        "content/news/first.en.md",
        &article("First, again", "", "Again."),
    );
    site.build_ok();
    assert!(
        std::fs::symlink_metadata(site.output())
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert!(
        std::fs::read_to_string(web_root.join("en/news/first/index.html"))
            .unwrap()
            .contains("Again.")
    );
}

#[test]
fn builds_at_once_into_one_output_take_turns() {
    let site = TestSite::fixture("bilingual");
    site.build_ok();
    site.write(
        "content/news/first.en.md",
        &article("First, at once", "", "At once."),
    );
    let builds: Vec<_> = (0..4)
        .map(|_| {
            let options = site.options();
            std::thread::spawn(move || gazette::build(&options).map(|r| r.files))
        })
        .collect();
    for build in builds {
        build
            .join()
            .expect("a build thread")
            .expect("every build succeeds");
    }
    assert!(site.read("en/news/first/index.html").contains("At once."));
    assert_eq!(
        site.records(),
        [".gazette-lock", ".gazette-output"],
        "the manifest and the lock only"
    );
    // The manifest lists exactly the files there: one more build finds nothing to do.
    let again = site.build_ok();
    assert_eq!((again.written, again.deleted), (0, 0));
}

#[test]
fn permalinks_aliases_redirects_and_old_feed_addresses_keep_old_urls_answering() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        &format!(
            "{MINIMAL_CONFIG}\n[permalinks]\nnotes = \"/:year/:month/:day/:slug/\"\n\
             [redirects]\n\"/blog/page/1/\" = \"/fr/notes/\"\n\"/blog-en/\" = \"/en/notes/\"\n\
             [languages.en.feed_aliases]\n\"/index.xml\" = \"rss\"\n"
        )
        .replacen(
            "[languages.en]\ntitle",
            "[languages.en]\nlocale = \"en_GB\"\ntitle",
            1,
        ),
    );
    site.write(
        "content/notes/first.fr.md",
        &article(
            "Premier",
            "aliases = [\"/2019/01/old-title/\", \"/old.html\"]",
            "Texte.",
        ),
    );
    site.write(
        "content/notes/first.en.md",
        &article("First", "aliases = [\"/2019/01/old-english/\"]", "Text."),
    );
    site.build_ok();
    assert!(
        site.exists("fr/2026/11/27/first/index.html"),
        "the pattern, in its language"
    );
    assert!(site.exists("en/2026/11/27/first/index.html"));
    for (old, new) in [
        (
            "2019/01/old-title/index.html",
            "https://example.org/fr/2026/11/27/first/",
        ),
        ("old.html", "https://example.org/fr/2026/11/27/first/"),
        ("blog/page/1/index.html", "https://example.org/fr/notes/"),
        (
            "2019/01/old-english/index.html",
            "https://example.org/en/2026/11/27/first/",
        ),
        ("blog-en/index.html", "https://example.org/en/notes/"),
    ] {
        let page = site.html(old);
        let lang = if new.contains("/en/") { "en" } else { "fr" };
        assert_eq!(
            attr(&page, "html", "lang").as_deref(),
            Some(lang),
            "a redirect page is in the language of the page it leads to: {old}"
        );
        assert_eq!(
            attr(&page, "link[rel=canonical]", "href").as_deref(),
            Some(new),
            "{old}"
        );
        let refresh = attr(&page, "meta[http-equiv=refresh]", "content").unwrap_or_default();
        assert_eq!(refresh, format!("0; url={new}"), "{old}");
    }
    let redirects = site.read("_redirects");
    assert!(
        redirects.contains("/2019/01/old-title/ /fr/2026/11/27/first/ 301\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("/blog/page/1/ /fr/notes/ 301\n"),
        "{redirects}"
    );
    assert_eq!(
        site.read("index.xml"),
        site.read("en/rss.xml"),
        "the old address, same feed"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        !sitemap.contains("old-title"),
        "redirects stay out of the sitemap"
    );
}

#[test]
fn sections_kept_out_of_feeds_and_home_and_a_nav_without_empty_lists() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        &format!("{MINIMAL_CONFIG}\n[sections.projects]\nfeeds = false\nhome = false\n"),
    );
    site.write("content/notes/n.fr.md", &article("Une note", "", "Texte."));
    site.write(
        "content/projects/p.fr.md",
        &article("Un projet", "", "Texte."),
    );
    site.build_ok();
    let home = site.read("fr/index.html");
    assert!(
        home.contains("Une note") && !home.contains("Un projet"),
        "{home}"
    );
    let atom = site.read("fr/atom.xml");
    assert!(atom.contains("Une note") && !atom.contains("Un projet"));
    assert!(
        site.exists("fr/projects/p/index.html"),
        "the page itself is there"
    );
    let html = site.html("fr/notes/index.html");
    let nav: Vec<String> = select(&html, "nav.sections a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert!(
        !nav.iter().any(|t| t == "Numéros"),
        "no issues, no Issues link: {nav:?}"
    );
    let current = attr(&html, "nav.sections a[aria-current=page]", "href");
    assert_eq!(current.as_deref(), Some("https://example.org/fr/notes/"));
}

#[test]
fn a_site_overriding_base_html_with_its_own_blocks_and_every_template_builds() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "templates/base.html",
        "<!doctype html><html lang=\"{{ lang }}\"><head><title>x</title></head><body>{% block main %}{% endblock main %}</body></html>",
    );
    for name in [
        "index.html",
        "article.html",
        "page.html",
        "section.html",
        "tag.html",
        "tags.html",
        "issue.html",
        "issues.html",
        "404.html",
    ] {
        site.write(
            &format!("templates/{name}"),
            "{% extends \"base.html\" %}{% block main %}<p id=\"mine\">mine</p>{% endblock main %}",
        );
    }
    site.build_ok();
    assert_eq!(
        text(&site.html("en/news/first/index.html"), "#mine"),
        "mine"
    );
}

#[test]
fn templates_see_a_pages_bundle_files_and_its_image() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/bundle/index.en.md",
        &article("Bundle", "image = \"pic.svg\"", "Text."),
    );
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<ul>{% for file in page.assets %}<li data-name=\"{{ file.name }}\">{{ file.url }}</li>{% endfor %}</ul>{% endblock content %}",
    );
    site.build_ok();
    let html = site.html("en/news/bundle/index.html");
    assert_eq!(
        text(&html, "li[data-name='pic.svg']"),
        "https://example.org/gazette/en/news/bundle/pic.svg"
    );
    site.remove("templates/article.html");
    site.build_ok();
    let html = site.html("en/news/bundle/index.html");
    assert_eq!(
        attr(&html, "figure.cover img", "src").as_deref(),
        Some("https://example.org/gazette/en/news/bundle/pic.svg"),
        "the default theme shows the image"
    );
}

/// Every `href`, `src` and `srcset` URL of an HTML or XML file, and every `"url"` of a JSON
/// feed.
fn urls_in(text: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attribute in [
        "href=\"",
        "src=\"",
        "<link>",
        "<id>",
        "\"url\": \"",
        "\"id\": \"",
    ] {
        for piece in text.split(attribute).skip(1) {
            let end = piece.find(['"', '<']).unwrap_or(piece.len());
            urls.push(piece[..end].to_string());
        }
    }
    urls
}

#[test]
fn under_a_base_path_every_link_of_pages_feeds_and_email_stays_under_it_and_answers() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/raw.en.md",
        &article(
            "Raw",
            "issue = 1",
            "<a href=\"/en/about/\">About</a> [home](/en/) ![p](/fr/news/bundle/pic.svg)",
        ),
    );
    let base = "https://x.github.io/newsletter";
    let mut options = site.options();
    options.base_url = Some(format!("{base}/"));
    gazette::build(&options).expect("build");
    let mut checked = 0;
    for (path, bytes) in site.snapshot() {
        let name = path.to_string_lossy().replace('\\', "/");
        if name.starts_with(".gazette")
            || !(name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".json"))
        {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for url in urls_in(&text) {
            if url.starts_with('#')
                || url.starts_with("mailto:")
                || !url.contains("x.github.io") && url.starts_with("http")
            {
                continue;
            }
            assert!(
                url.starts_with(&format!("{base}/")),
                "{name}: {url} leaves the base path"
            );
            let local = url[base.len()..]
                .split(['#', '?'])
                .next()
                .unwrap_or_default();
            let file = if local.ends_with('/') {
                format!("{local}index.html")
            } else {
                local.to_string()
            };
            assert!(
                site.output().join(file.trim_start_matches('/')).is_file(),
                "{name}: {url} leads to no file"
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked} links checked");
}
