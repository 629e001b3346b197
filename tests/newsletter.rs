//! Issues, feeds, sitemap and the email edition, parsed (strict XML, feed-rs, JSON, HTML).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

const BASE: &str = "https://example.org/gazette";

/// The bilingual fixture plus a French article with a hostile title and a control character.
fn site() -> TestSite {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/hostile.fr.md",
        "+++\ntitle = \"Q&A <b> ]]> \\\"x\\\" 'y'\\u0001\"\ndate = 2026-11-28\nissue = 1\nweight = 3\ndescription = \"<i>d</i> & ]]>\"\n+++\nCorps <b>gras</b> et [lien](#ancre) ; fin.\n",
    );
    site.build_ok();
    site
}

fn strict_xml(site: &TestSite, file: &str) -> String {
    let xml = site.read(file);
    if let Err(e) = roxmltree::Document::parse(&xml) {
        panic!("{file} is not well-formed XML: {e}\n{xml}");
    }
    xml
}

fn parse_feed(site: &TestSite, file: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(site.output().join(file)).unwrap();
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Every href/src in an HTML fragment.
fn urls_in(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    select(&doc, "[href], [src]")
        .iter()
        .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
        .map(str::to_string)
        .collect()
}

#[test]
fn feeds_are_valid_per_language_newest_first_without_drafts() {
    let site = site();
    for lang in ["fr", "en"] {
        for file in [
            format!("{lang}/atom.xml"),
            format!("{lang}/rss.xml"),
            format!("{lang}/feed.json"),
        ] {
            if file.ends_with(".xml") {
                strict_xml(&site, &file);
            }
            let feed = parse_feed(&site, &file);
            assert!(!feed.entries.is_empty(), "{file}");
            let mut previous = None;
            for entry in &feed.entries {
                let link = &entry.links[0].href;
                assert!(
                    link.starts_with(&format!("{BASE}/{lang}/")),
                    "{file}: {link} is not a {lang} page"
                );
                assert!(
                    !link.contains("brouillon"),
                    "{file}: a draft is in the feed"
                );
                let date = entry.published.or(entry.updated).expect("dated entries");
                if let Some(previous) = previous {
                    assert!(date <= previous, "{file}: not newest first");
                }
                previous = Some(date);
                let content = entry
                    .content
                    .as_ref()
                    .and_then(|c| c.body.clone())
                    .unwrap_or_default();
                assert!(!content.is_empty(), "{file}: full content");
                for url in urls_in(&content) {
                    assert!(
                        url.starts_with("https://") || url.starts_with("mailto:"),
                        "{file}: relative URL {url} in content"
                    );
                }
            }
        }
    }
}

#[test]
fn feeds_escape_hostile_titles() {
    let site = site();
    for file in ["fr/atom.xml", "fr/rss.xml", "fr/feed.json"] {
        let feed = parse_feed(&site, file);
        let titles: Vec<String> = feed
            .entries
            .iter()
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .collect();
        assert!(
            titles.iter().any(|t| t.starts_with("Q&A <b> ]]> \"x\"")),
            "{file}: {titles:?}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&site.read("fr/feed.json")).expect("valid JSON");
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    let atom = site.read("fr/atom.xml");
    assert!(!atom.contains('\u{1}'), "control characters are stripped");
    assert!(
        atom.contains("Q&amp;A &lt;b&gt; ]]&gt;"),
        "escaped, not CDATA-wrapped"
    );
    let english = parse_feed(&site, "en/atom.xml");
    assert!(
        english
            .entries
            .iter()
            .all(|e| !e.title.as_ref().unwrap().content.contains("Q&A")),
        "language separation"
    );
}

#[test]
fn feed_titles_follow_french_typography() {
    let site = site();
    let feed = parse_feed(&site, "fr/atom.xml");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert!(
        titles.contains(&"Premier article\u{a0}: «\u{a0}bonjour\u{a0}»\u{202f}!".to_string()),
        "{titles:?}"
    );
}

#[test]
fn feed_length_is_configurable() {
    let site = TestSite::fixture("bilingual");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace("paginate_by = 2", "paginate_by = 2\nfeed_limit = 2"),
    );
    site.build_ok();
    assert_eq!(parse_feed(&site, "fr/rss.xml").entries.len(), 2);
}

#[test]
fn every_page_links_its_language_feeds() {
    let site = site();
    let html = site.html("en/news/first/index.html");
    assert_eq!(
        attr(&html, "link[type='application/atom+xml']", "href").as_deref(),
        Some(&*format!("{BASE}/en/atom.xml"))
    );
    assert_eq!(
        attr(&html, "link[type='application/rss+xml']", "href").as_deref(),
        Some(&*format!("{BASE}/en/rss.xml"))
    );
}

#[test]
fn sitemap_lists_every_page_with_reciprocal_alternates() {
    let site = site();
    let xml = strict_xml(&site, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut listed: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for url in doc.descendants().filter(|n| n.has_tag_name("url")) {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .and_then(|n| n.text())
            .unwrap()
            .to_string();
        assert!(
            url.children().any(|n| n.has_tag_name("lastmod")),
            "{loc} has no lastmod"
        );
        let alternates = url
            .children()
            .filter(|n| n.has_tag_name("link"))
            .map(|n| {
                (
                    n.attribute("hreflang").unwrap().to_string(),
                    n.attribute("href").unwrap().to_string(),
                )
            })
            .collect();
        listed.insert(loc, alternates);
    }
    for file in site
        .html_files()
        .iter()
        .filter(|f| !f.ends_with("404.html") && !f.ends_with("email.html"))
    {
        let url = format!("{BASE}/{}", file.trim_end_matches("index.html"));
        assert!(
            listed.contains_key(&url),
            "{url} is missing from the sitemap"
        );
    }
    let first_fr = &listed[&format!("{BASE}/fr/news/first/")];
    assert_eq!(first_fr.get("en"), Some(&format!("{BASE}/en/news/first/")));
    assert_eq!(
        first_fr.get("x-default"),
        Some(&format!("{BASE}/fr/news/first/")),
        "x-default is the default language's version"
    );
    let root = &listed[&format!("{BASE}/")];
    assert_eq!(
        root.get("fr"),
        Some(&format!("{BASE}/fr/")),
        "the chooser names the homes"
    );
    assert_eq!(root.get("x-default"), Some(&format!("{BASE}/")));
    // Every alternate, x-default included, is listed and points back.
    for (url, alternates) in &listed {
        for (lang, other) in alternates.iter().filter(|(_, other)| *other != url) {
            let back = listed
                .get(other)
                .unwrap_or_else(|| panic!("{other} (alternate of {url}) is not listed"));
            assert!(
                back.values().any(|u| u == url),
                "{other} ({lang}) does not point back to {url}"
            );
        }
    }
    assert!(!listed.keys().any(|u| u.contains("brouillon")));
    // Each page says in its <head> exactly what the sitemap says of it.
    for (url, alternates) in &listed {
        let file = format!(
            "{}index.html",
            url.trim_start_matches(BASE).trim_start_matches('/')
        );
        assert_eq!(&alternates_of(&site.html(&file)), alternates, "{file}");
    }
}

/// hreflang -> href of a page's alternate links.
fn alternates_of(html: &scraper::Html) -> BTreeMap<String, String> {
    select(html, "link[rel=alternate][hreflang]")
        .into_iter()
        .map(|e| {
            let value = |name| e.value().attr(name).unwrap_or_default().to_string();
            (value("hreflang"), value("href"))
        })
        .collect()
}

#[test]
fn issue_pages_list_exactly_their_articles_in_order() {
    let site = site();
    let html = site.html("fr/issues/1/index.html");
    let links: Vec<String> = select(&html, ".card-title a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        links,
        [
            format!("{BASE}/fr/news/second/"),
            format!("{BASE}/fr/news/first/"),
            format!("{BASE}/fr/news/hostile/")
        ]
    );
    let archive = site.html("en/issues/index.html");
    assert_eq!(select(&archive, ".issue-archive > li").len(), 1);
}

#[test]
fn email_html_is_inlined_absolute_and_has_a_preheader() {
    let site = site();
    for lang in ["fr", "en"] {
        let file = format!("{lang}/issues/1/email.html");
        let raw = site.read(&file);
        let html = site.html(&file);
        assert!(
            select(&html, "link[rel=stylesheet]").is_empty(),
            "{file}: stylesheet link"
        );
        assert!(select(&html, "script").is_empty(), "{file}: script");
        assert!(
            select(&html, "[style]").len() > 20,
            "{file}: styles are inlined"
        );
        assert!(
            select(&html, "table[width='600']").len() == 1,
            "{file}: 600 px table"
        );
        // Absolute, but links within the email (contents, footnotes): to an id it has.
        let ids: BTreeSet<&str> = select(&html, "[id]")
            .iter()
            .filter_map(|e| e.value().attr("id"))
            .collect();
        for url in urls_in(&raw) {
            match url.strip_prefix('#') {
                Some(id) => assert!(ids.contains(id), "{file}: {url} leads nowhere"),
                None => assert!(url.starts_with("https://"), "{file}: {url} is not absolute"),
            }
        }
        for img in select(&html, "img") {
            assert!(
                img.value().attr("width").is_some(),
                "{file}: image without width"
            );
        }
        assert!(
            !text(&html, ".preheader").trim().is_empty(),
            "{file}: preheader"
        );
        assert_eq!(
            attr(&html, "meta[name=color-scheme]", "content").as_deref(),
            Some("light dark")
        );
        let web: Vec<&str> = select(&html, ".topbar a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(
            web.contains(&&*format!("{BASE}/{lang}/issues/1/")),
            "{file}: read on the web: {web:?}"
        );
    }
    let french = site.html("fr/issues/1/email.html");
    let other: Vec<&str> = select(&french, ".topbar a[hreflang=en]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        other,
        [format!("{BASE}/en/issues/1/")],
        "link to the same issue in English"
    );
}

#[test]
fn email_text_has_no_markup_and_every_title_and_url() {
    let site = site();
    let text = site.read("fr/issues/1/email.txt");
    for (title, url) in [
        ("<script>alert(1)</script> & co", "/fr/news/second/"),
        (
            "Premier article\u{a0}: «\u{a0}bonjour\u{a0}»\u{202f}!",
            "/fr/news/first/",
        ),
        ("Q&A <b> ]]> \"x\" ’y’", "/fr/news/hostile/"),
    ] {
        assert!(text.contains(title), "missing title {title:?}:\n{text}");
        assert!(text.contains(&format!("{BASE}{url}")), "missing URL {url}");
    }
    assert!(
        text.contains("Corps gras et lien"),
        "inline HTML tags are dropped:\n{text}"
    );
    assert!(
        !text.contains("<b>gras")
            && !text.contains("&amp;")
            && !text.contains("&nbsp;")
            && !text.contains("**"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{BASE}/fr/news/hostile/#ancre")),
        "in-page links become absolute"
    );
    for line in text.lines().filter(|l| !l.contains("https://")) {
        assert!(
            line.chars().count() <= 72,
            "line longer than 72 columns: {line:?}"
        );
    }
    assert!(
        !text.contains('\u{1}'),
        "control characters are stripped from titles"
    );
    let english = site.read("en/issues/1/email.txt");
    assert!(
        english.contains("Read on the web: https://example.org/gazette/en/issues/1/"),
        "{english}"
    );
}

#[test]
fn og_image_on_issue_and_article_pages() {
    let site = TestSite::fixture("bilingual");
    site.write("content/news/bundle/index.fr.md", "+++\ntitle = \"Un paquet\"\ndate = 2026-08-01\nimage = \"pic.svg\"\nissue = 2\n+++\n![Un dessin](pic.svg)\n");
    site.build_ok();
    let issue = site.html("fr/issues/2/index.html");
    assert_eq!(
        attr(&issue, "meta[property='og:image']", "content").as_deref(),
        Some(&*format!("{BASE}/fr/news/bundle/pic.svg"))
    );
    let ids: BTreeSet<String> = site
        .html_files()
        .into_iter()
        .filter(|f| f.contains("/issues/2/"))
        .collect();
    assert!(ids.contains("fr/issues/2/email.html"));
}

#[test]
fn two_articles_of_an_issue_with_the_same_heading_keep_distinct_ids_in_its_email() {
    let site = TestSite::fixture("bilingual");
    for name in ["alpha", "beta"] {
        site.write(
            &format!("content/news/{name}.fr.md"),
            &article(
                name,
                "issue = 1",
                "## Contexte\n\nTexte.\n\n## Main\n\nSuite [^n].\n\n[^n]: Note.",
            ),
        );
    }
    site.build_ok();
    let html = site.html("fr/issues/1/email.html");
    let ids: Vec<String> = select(&html, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "duplicate ids in email.html: {ids:?}"
    );
    assert!(
        ids.iter().filter(|id| id.contains("contexte")).count() == 2,
        "both headings keep an id: {ids:?}"
    );
}
