//! Regression tests, one per bug found, named after the bug.

mod common;

use common::*;

const BASE: &str = "https://example.org/gazette";

#[test]
fn at_link_to_a_file_named_in_another_language_leads_to_its_translation() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/cats.en.md",
        &article("Cats", "", "See [the cat](@/news/chat.md)."),
    );
    site.build_ok();
    let html = site.html("en/news/cats/index.html");
    assert_eq!(
        attr(&html, ".prose a", "href").as_deref(),
        Some(&*format!("{BASE}/en/news/the-cat/"))
    );
}

#[test]
fn base_url_flag_must_be_absolute() {
    let site = TestSite::fixture("bilingual");
    let mut options = site.options();
    options.base_url = Some("example.com".into());
    let error = gazette::build(&options).expect_err("a relative base URL breaks every link");
    assert!(
        error
            .to_string()
            .starts_with("--base-url: \"example.com\" must be an absolute http(s) URL"),
        "{error}"
    );
}

#[test]
fn dotfiles_in_static_are_published_but_editor_files_are_not() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:x@example.org",
    );
    site.write("static/.nojekyll", "");
    site.write("static/notes.txt.swp", "swap");
    site.write("static/draft.css~", "backup");
    site.build_ok();
    assert!(site.exists(".well-known/security.txt"));
    assert!(site.exists(".nojekyll"));
    assert!(!site.exists("notes.txt.swp"));
    assert!(!site.exists("draft.css~"));
}

#[test]
fn a_section_named_tags_is_refused_at_its_source() {
    let site = TestSite::fixture("bilingual");
    site.write("content/tags/x.fr.md", &article("X", "", ""));
    let error = site.build().expect_err("clashes with the tag pages");
    assert!(
        error
            .to_string()
            .contains("content/tags/x.fr.md: a section named tags"),
        "{error}"
    );
}

#[test]
fn a_three_letter_suffix_that_is_not_a_language_is_part_of_the_name() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/notes.old.md",
        &article("Vieilles notes", "", ""),
    );
    site.build_ok();
    assert!(site.exists("fr/news/notes-old/index.html"));
    site.write("content/news/x.de.md", &article("X", "", ""));
    assert!(
        site.build().is_err(),
        "a two-letter suffix is still a language, and de is not configured"
    );
}

#[test]
fn french_home_title_is_typeset_once_in_the_title_element() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        &MINIMAL_CONFIG.replace(
            "title = \"La Gazette\"",
            "title = \"La Gazette : l'essai !\"",
        ),
    );
    site.build_ok();
    let title = text(&site.html("fr/index.html"), "title");
    assert_eq!(title, "La Gazette\u{a0}: l’essai\u{202f}!");
}

#[test]
fn footnote_links_in_summaries_lead_to_the_article() {
    let site = TestSite::new();
    site.write(
        "content/notes/a.fr.md",
        &article(
            "A",
            "",
            "Un fait[^1].\n\n<!-- more -->\n\nSuite.\n\n[^1]: Source.",
        ),
    );
    site.build_ok();
    let list = site.html("fr/notes/index.html");
    assert_eq!(
        attr(&list, ".card-summary a", "href").as_deref(),
        Some("https://example.org/fr/notes/a/#a-fn-1")
    );
}

#[test]
fn drafts_built_with_the_flag_stay_out_of_feeds_and_sitemap() {
    let site = TestSite::fixture("bilingual");
    let mut options = site.options();
    options.drafts = true;
    gazette::build(&options).expect("build with drafts");
    assert!(
        site.exists("fr/news/brouillon/index.html"),
        "the draft is previewable"
    );
    assert!(!site.read("fr/atom.xml").contains("brouillon"));
    assert!(!site.read("fr/rss.xml").contains("brouillon"));
    assert!(!site.read("sitemap.xml").contains("brouillon"));
}

#[test]
fn issue_lastmod_in_the_sitemap_counts_the_intro_date() {
    let site = TestSite::fixture("bilingual");
    site.build_ok();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let issue = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .find(|n| {
            n.children().any(|c| {
                c.has_tag_name("loc") && c.text() == Some(&*format!("{BASE}/fr/issues/1/"))
            })
        })
        .expect("issue 1 is listed");
    let lastmod = issue
        .children()
        .find(|c| c.has_tag_name("lastmod"))
        .and_then(|c| c.text());
    assert_eq!(
        lastmod,
        Some("2026-12-02"),
        "the intro is dated after the articles"
    );
}

#[test]
fn a_changed_static_dotfile_replaces_the_published_one() {
    let site = TestSite::fixture("bilingual");
    site.write("static/.well-known/security.txt", "Contact: old");
    site.build_ok();
    site.write("static/.well-known/security.txt", "Contact: new");
    site.build_ok();
    assert_eq!(site.read(".well-known/security.txt"), "Contact: new");
}

#[test]
fn json_feed_summaries_are_plain_text() {
    let site = TestSite::fixture("bilingual");
    site.build_ok();
    let json: serde_json::Value = serde_json::from_str(&site.read("fr/feed.json")).unwrap();
    for item in json["items"].as_array().unwrap() {
        let summary = item["summary"].as_str().unwrap_or_default();
        assert!(!summary.contains('<'), "{summary}");
    }
}

#[test]
fn url_function_resolves_like_markdown_links() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<a id=\"cat\" href=\"{{ url(path='@/news/chat.md') }}\">c</a><a id=\"fr-only\" href=\"{{ url(path='@/news/seulement-fr.md#x') }}\">f</a>{% endblock content %}",
    );
    site.build_ok();
    let html = site.html("en/about/index.html");
    assert_eq!(
        attr(&html, "#cat", "href").as_deref(),
        Some(&*format!("{BASE}/en/news/the-cat/")),
        "follows translation_key"
    );
    assert_eq!(
        attr(&html, "#fr-only", "href").as_deref(),
        Some(&*format!("{BASE}/fr/news/seulement-fr/#x")),
        "falls back, keeps the anchor"
    );
}

#[test]
fn script_and_data_links_in_markdown_are_left_out_with_a_warning_raw_html_is_kept() {
    let site = TestSite::new();
    site.write(
        "content/news/x.fr.md",
        &article(
            "X",
            "issue = 1",
            "[a](javascript:alert(1)) [b](JavaScript:alert(2)) [c]( vbscript:x) [d](data:text/html,x)\n\n\
             ![e](data:image/png;base64,AAAA)\n\n<a href=\"javascript:void(0)\">raw</a>\n",
        ),
    );
    let report = site.build_ok();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.starts_with("content/news/x.fr.md:6:"))
            .count(),
        4,
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/news/x.fr.md:8:")),
        "{warnings:?}"
    );
    let html = site.html("fr/news/x/index.html");
    let hrefs: Vec<String> = select(&html, ".prose a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(hrefs[..4], ["#", "#", "#", "#"], "{hrefs:?}");
    assert_eq!(
        hrefs[4], "javascript:void(0)",
        "raw HTML is left as written"
    );
    assert_eq!(attr(&html, ".prose img", "src").as_deref(), Some("#"));
    for file in [
        "fr/atom.xml",
        "fr/issues/1/email.html",
        "fr/issues/1/email.txt",
    ] {
        let text = site.read(file);
        assert!(!text.contains("alert("), "{file}");
        assert!(!text.contains("vbscript"), "{file}");
    }
}

#[test]
fn headings_named_like_the_themes_own_ids_do_not_take_them() {
    let site = TestSite::new();
    let body = "## Main\n\nx\n\n## Toc title\n\nx\n\n## Three\n\nx\n\n## Main\n";
    site.write("content/news/ids.fr.md", &article("Ids", "", body));
    site.build_ok();
    let html = site.html("fr/news/ids/index.html");
    let mut ids: Vec<String> = select(&html, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "every id once: {ids:?}");
    // The contents box's links lead to the headings, not to the theme's elements.
    let toc: Vec<String> = select(&html, ".toc a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(
        toc,
        ["#main-1", "#toc-title-1", "#three", "#main-2"],
        "{toc:?}"
    );
}

#[test]
fn raw_html_links_and_images_are_resolved_like_markdown_ones() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/bundle/index.en.md",
        &article(
            "Bundle",
            "issue = 1",
            "<img src=\"pic.svg\" alt=\"A picture\">\n\n<a href=\"/en/about/\">About</a> and <a href=\"@/news/first.md\">first</a>.\n",
        ),
    );
    let mut options = site.options();
    options.base_url = Some("https://x.github.io/newsletter/".into());
    gazette::build(&options).expect("build");
    let base = "https://x.github.io/newsletter";
    let page = site.html("en/news/bundle/index.html");
    assert_eq!(
        attr(&page, ".prose img", "src").unwrap(),
        format!("{base}/en/news/bundle/pic.svg")
    );
    let hrefs: Vec<String> = select(&page, ".prose a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(
        hrefs,
        [
            format!("{base}/en/about/"),
            format!("{base}/en/news/first/")
        ]
    );
    for file in ["en/issues/1/email.html", "en/rss.xml", "en/feed.json"] {
        assert!(
            site.read(file)
                .contains(&format!("{base}/en/news/bundle/pic.svg")),
            "{file}: the image is absolute"
        );
    }
    // With --relative, the same links lead to files on disk, not to file:///en/…
    options.relative = true;
    gazette::build(&options).expect("build");
    let page = site.read("en/news/bundle/index.html");
    assert!(
        page.contains("href=\"../../../en/about/index.html\""),
        "{page}"
    );
    assert!(!page.contains("file://"));
}

#[test]
fn check_sees_broken_links_in_raw_html() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/raw.en.md",
        &article(
            "Raw",
            "",
            "<a href=\"/en/nowhere/\">x</a>\n\n<img src=\"/missing.png\" alt=\"m\">\n",
        ),
    );
    let diagnostics = gazette::commands::check::check(&site.root(), false);
    let messages: Vec<String> = diagnostics.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("content/news/raw.en.md:6:") && m.contains("/en/nowhere/")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("/missing.png")),
        "{messages:?}"
    );
}

#[test]
fn control_characters_never_reach_the_html_and_empty_json_summaries_are_left_out() {
    let site = TestSite::new();
    site.write(
        "content/news/c.fr.md",
        &article(
            "C",
            "",
            "Un\u{1}texte\u{b} avec `co\u{2}de` et <b>gr\u{7f}as</b>.\n\n```\nx\u{1b}y\n```\n",
        ),
    );
    site.build_ok();
    for file in ["fr/news/c/index.html", "fr/atom.xml", "fr/feed.json"] {
        let text = site.read(file);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{file}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&site.read("fr/feed.json")).unwrap();
    let item = &json["items"][0];
    assert!(
        item.get("summary").is_none(),
        "no summary rather than an empty one: {item}"
    );
}

#[test]
fn check_finds_redirects_to_nowhere_and_config_naming_sections_that_do_not_exist() {
    let site = TestSite::fixture("bilingual");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!(
            "{config}\n[permalinks]\nnew = \"/:year/:slug/\"\nnews = \"/:year/:slug/\"\n\
             [redirects]\n\"/old/\" = \"/fr/nowhere/\"\n\"/older/\" = \"/fr/\"\n\
             [sections.artciles]\nhome = false\n"
        ),
    );
    let diagnostics = gazette::commands::check::check(&site.root(), false);
    let errors: Vec<String> = diagnostics.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "config.toml:17:1: redirect \"/old/\" leads nowhere: the site has nothing at /fr/nowhere/"
        ]
    );
    let warnings: Vec<String> = diagnostics.warnings.iter().map(|w| w.to_string()).collect();
    let in_vain: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("which has no articles"))
        .collect();
    assert_eq!(in_vain.len(), 2, "{warnings:#?}");
    assert!(
        in_vain[0].starts_with("config.toml:14:1: warning: [permalinks] names section \"new\"")
            && in_vain[0].ends_with("the sections with articles are news"),
        "{in_vain:#?}"
    );
    assert!(
        in_vain[1].starts_with("config.toml:19:11: warning: [sections] names section \"artciles\""),
        "{in_vain:#?}"
    );
}
