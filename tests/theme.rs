//! The default theme's web pages, parsed: the subscribe form on every page that carries it,
//! tables, images (sizes, variants and their cache), headings in order, typography, the
//! language switcher's names, the 404 page and the favicon. What a browser shows of them
//! (axe, overflow, screenshots) is `browser.rs`'s.

mod common;

use std::path::Path;

use common::*;
use scraper::Html;

const SUBSCRIBE: &str = "https://lists.example.org/subscribe/gazette";

/// The bilingual fixture with a newsletter: hidden fields, and English's own list address.
fn with_newsletter() -> TestSite {
    let site = TestSite::fixture("bilingual");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let config = config.replace(
        "[languages.en]\n",
        "[languages.en.newsletter]\nsubscribe_url = \"https://lists.example.org/subscribe/gazette-en\"\n\n[languages.en]\n",
    );
    site.write(
        "config.toml",
        &format!(
            "{config}\n[newsletter]\nsubscribe_url = \"{SUBSCRIBE}\"\nemail_field = \"EMAIL\"\nfields = {{ list = \"gazette\", source = \"web\" }}\n"
        ),
    );
    site.build_ok();
    site
}

/// The one subscribe form of a page: where it posts, the email input's name, the hidden
/// fields; and that it is a plain form (label, required email, a submit button).
fn form_of(html: &Html, page: &str) -> (String, String, Vec<(String, String)>) {
    let forms = select(html, "form");
    assert_eq!(forms.len(), 1, "{page}: one form");
    let form = forms[0].value();
    assert_eq!(form.attr("method"), Some("post"), "{page}");
    let email = select(html, "form input[type=email]");
    assert_eq!(email.len(), 1, "{page}");
    let email = email[0].value();
    assert!(email.attr("required").is_some(), "{page}");
    assert_eq!(email.attr("autocomplete"), Some("email"), "{page}");
    let id = email.attr("id").expect("the email input has an id");
    assert_eq!(
        select(html, &format!("form label[for={id}]")).len(),
        1,
        "{page}: the input has its label"
    );
    assert_eq!(select(html, "form button[type=submit]").len(), 1, "{page}");
    let hidden = select(html, "form input[type=hidden]")
        .iter()
        .map(|i| {
            let v = i.value();
            (
                v.attr("name").unwrap_or_default().to_string(),
                v.attr("value").unwrap_or_default().to_string(),
            )
        })
        .collect();
    (
        form.attr("action").unwrap_or_default().to_string(),
        email.attr("name").unwrap_or_default().to_string(),
        hidden,
    )
}

#[test]
fn the_subscribe_form_posts_to_the_newsletter_on_every_page_that_has_it() {
    let site = with_newsletter();
    let fields = vec![
        ("list".to_string(), "gazette".to_string()),
        ("source".to_string(), "web".to_string()),
    ];
    for page in [
        "fr/index.html",
        "fr/news/first/index.html",
        "fr/issues/1/index.html",
        "fr/issues/index.html",
    ] {
        let html = site.html(page);
        let (action, name, hidden) = form_of(&html, page);
        assert_eq!(action, SUBSCRIBE, "{page}");
        assert_eq!(name, "EMAIL", "{page}");
        assert_eq!(hidden, fields, "{page}");
        assert_eq!(
            attr(&html, "form", "lang").or(attr(&html, "html", "lang")),
            Some("fr".into())
        );
    }
    for page in [
        "en/index.html",
        "en/news/first/index.html",
        "en/issues/index.html",
    ] {
        let (action, _, _) = form_of(&site.html(page), page);
        assert_eq!(
            action, "https://lists.example.org/subscribe/gazette-en",
            "{page}: the language's own address"
        );
    }
    // The form is after the article's text.
    let article = site.read("fr/news/first/index.html");
    assert!(article.find("class=\"prose\"") < article.find("<form"));
    // Nothing is asked of the list's server before the reader sends the form: no script,
    // no image, no style from it.
    for page in site.html_files() {
        let text = site.read(&page);
        let html = Html::parse_document(&text);
        for (selector, attribute) in [
            ("script", "src"),
            ("img", "src"),
            ("link", "href"),
            ("iframe", "src"),
        ] {
            for element in select(&html, selector) {
                let url = element.value().attr(attribute).unwrap_or_default();
                assert!(!url.contains("lists.example.org"), "{page}: {url}");
            }
        }
    }
}

#[test]
fn without_a_subscribe_url_there_is_no_form_and_no_dead_link() {
    let site = TestSite::fixture("bilingual");
    site.build_ok();
    for page in site.html_files() {
        let html = site.html(&page);
        assert!(select(&html, "form").is_empty(), "{page}");
        for link in select(&html, "a[href]") {
            let href = link.value().attr("href").unwrap_or_default();
            assert!(!href.contains("subscribe"), "{page}: {href}");
        }
    }
}

/// The repo's own sample newsletter, built once for the checks below.
fn sample() -> TestSite {
    let site = TestSite::new();
    copy_dir(
        &Path::new(REPO).join("content"),
        &site.root().join("content"),
    );
    std::fs::copy(
        Path::new(REPO).join("config.toml"),
        site.root().join("config.toml"),
    )
    .unwrap();
    site.build_ok();
    site
}

#[test]
fn sample_pages_meet_the_theme_s_rules() {
    let site = sample();
    for page in site.html_files() {
        if page.ends_with("email.html") {
            continue;
        }
        let html = site.html(&page);
        // Every image has its size (no jump when it loads).
        for img in select(&html, "img") {
            let v = img.value();
            assert!(
                v.attr("width").is_some() && v.attr("height").is_some(),
                "{page}: {:?}",
                v.attr("src")
            );
        }
        // Headings go down one level at a time.
        let mut previous = 0;
        for heading in select(
            &html,
            "main h1, main h2, main h3, main h4, main h5, main h6",
        ) {
            let level: usize = heading.value().name()[1..].parse().unwrap();
            assert!(
                level <= previous + 1,
                "{page}: h{previous} then h{level} ({})",
                heading.text().collect::<String>()
            );
            previous = level;
        }
        assert_eq!(select(&html, "h1").len(), 1, "{page}: one h1");
        // Tables scroll in a region the keyboard reaches, with a name.
        for table in select(&html, "table") {
            let parent = table
                .parent()
                .and_then(scraper::ElementRef::wrap)
                .expect("a table's parent is an element");
            let p = parent.value();
            assert_eq!(p.attr("class"), Some("table-scroll"), "{page}");
            assert_eq!(p.attr("tabindex"), Some("0"), "{page}");
            assert_eq!(p.attr("role"), Some("region"), "{page}");
            assert!(
                p.attr("aria-label").is_some_and(|l| !l.is_empty()),
                "{page}"
            );
        }
        for th in select(&html, "th") {
            assert!(
                !th.text().collect::<String>().trim().is_empty(),
                "{page}: an empty header"
            );
        }
        // Code blocks scroll from the keyboard too.
        for pre in select(&html, "pre") {
            assert_eq!(pre.value().attr("tabindex"), Some("0"), "{page}");
        }
        // Every page has the favicon.
        if !page.contains("/email") {
            assert!(
                attr(&html, "link[rel=icon][type='image/svg+xml']", "href").is_some(),
                "{page}"
            );
        }
    }
    assert!(site.exists("favicon.svg") && site.exists("favicon.ico"));
}

#[test]
fn tables_name_their_rows_on_the_sample() {
    let site = sample();
    let html = site.html("en/articles/http3/index.html");
    let rows: Vec<String> = select(&html, "tbody th[scope=row]")
        .iter()
        .map(|th| th.text().collect())
        .collect();
    assert_eq!(rows[0], "Transport");
    assert_eq!(
        select(&html, "thead td").len(),
        1,
        "the empty corner is a cell"
    );
    assert_eq!(select(&html, "thead th[scope=col]").len(), 3);
}

#[test]
fn english_pages_get_curly_quotes_and_numbers_keep_their_word() {
    let site = sample();
    let en = site.html("en/articles/meta-superintelligence/index.html");
    let title = text(&en, "h1");
    assert!(title.contains("“personal superintelligence”"), "{title}");
    assert!(!title.contains('"'), "{title}");
    let body = text(&en, ".prose");
    assert!(body.contains("$17\u{a0}billion"), "numbers keep their word");
    assert!(!body.contains(" 's "));
    let code = site.html("en/articles/self-hosted-newsletter/index.html");
    for block in select(&code, "pre, code") {
        let text: String = block.text().collect();
        assert!(
            !text.contains(['“', '”', '‘', '’']),
            "code as written: {text}"
        );
    }
    let fr = site.html("fr/articles/meta-superintelligence/index.html");
    assert!(text(&fr, ".prose").contains("17\u{a0}milliards"));
    assert!(text(&fr, ".byline").contains("20\u{a0}novembre\u{a0}2026"));
    assert!(
        text(&fr, ".byline").contains("min\u{a0}de lecture")
            || text(&fr, ".byline").contains("3\u{a0}min")
    );
    assert!(text(&fr, ".kicker").contains("Numéro\u{a0}2"));
    // The chooser's descriptions, in each language's typography.
    let root = site.html("index.html");
    assert!(text(&root, ".chooser-list").contains("L’actualité tech"));
}

#[test]
fn the_issue_is_announced_once_and_the_home_lists_each_article_once() {
    let site = sample();
    let home = site.html("fr/index.html");
    let hrefs: Vec<String> = select(&home, "main a[href*='/articles/']")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .filter(|h| !h.ends_with("/articles/"))
        .collect();
    let mut unique = hrefs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(hrefs.len(), unique.len(), "each article once: {hrefs:?}");
    // The masthead no longer repeats the issue; the title says its number, the kicker not.
    assert!(select(&home, ".masthead a[href*='/issues/2/']").is_empty());
    assert!(!text(&home, ".lead-issue .kicker").contains("Numéro"));
    // An issue's page names no dates of its own articles, nor links to itself from them.
    let issue = site.html("fr/issues/2/index.html");
    assert!(select(&issue, ".card time").is_empty());
    assert!(select(&issue, ".card a[href$='/issues/2/']").is_empty());
}

#[test]
fn the_language_switcher_names_languages_and_says_what_is_not_translated() {
    let site = sample();
    let fr = site.html("fr/articles/indice-de-durabilite/index.html");
    let link = select(&fr, ".languages a[hreflang=en]");
    let name: String = link[0].text().collect();
    assert!(name.contains("English"), "{name}");
    assert!(name.contains("Not translated yet"), "{name}");
    assert!(link[0].value().attr("title").is_none());
    assert!(
        text(&fr, ".translation-note").contains("Not translated yet"),
        "visible"
    );
    let translated = site.html("fr/articles/http3/index.html");
    assert!(select(&translated, ".translation-note").is_empty());
}

#[test]
fn the_404_page_has_the_masthead_one_h1_and_both_languages() {
    let site = sample();
    let html = site.html("404.html");
    assert_eq!(select(&html, "h1").len(), 1);
    assert!(select(&html, ".masthead nav.sections a").len() > 2);
    assert!(select(&html, "section[lang=en] h2").len() == 1);
    assert!(
        select(&html, "main style, head style").len() == 1,
        "styles of its own"
    );
    assert!(attr(&html, "meta[name=robots]", "content").is_some_and(|c| c == "noindex"));
}

/// A PNG of `width` × `height` pixels, a gradient (something to resize).
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding a PNG");
    out.into_inner()
}

#[test]
fn raster_images_get_resized_variants_cached_across_builds() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/photos/index.fr.md",
        &article(
            "Photos",
            "",
            "![Un dégradé](wide.png)\n\n![Petit](small.png)\n",
        ),
    );
    site.write_bytes("content/news/photos/wide.png", &png(2000, 1000));
    site.write_bytes("content/news/photos/small.png", &png(300, 200));
    site.build_ok();
    let html = site.html("fr/news/photos/index.html");
    let imgs = select(&html, ".prose img");
    let wide = imgs[0].value();
    assert_eq!(wide.attr("width"), Some("2000"));
    assert_eq!(wide.attr("height"), Some("1000"));
    assert!(
        wide.attr("src")
            .unwrap()
            .ends_with("/fr/news/photos/wide.1200w.png")
    );
    let srcset = wide.attr("srcset").unwrap();
    for w in [480, 800, 1200, 1600] {
        assert!(srcset.contains(&format!("wide.{w}w.png {w}w")), "{srcset}");
    }
    assert!(
        !srcset.contains("wide.png "),
        "the 2000 px original is not offered: {srcset}"
    );
    assert!(wide.attr("sizes").is_some());
    let small = imgs[1].value();
    assert_eq!(
        (small.attr("width"), small.attr("height")),
        (Some("300"), Some("200"))
    );
    assert!(small.attr("srcset").is_none());
    for w in [480u32, 800, 1200, 1600] {
        let file = site.output().join(format!("fr/news/photos/wide.{w}w.png"));
        let (width, height) = image::image_dimensions(&file).expect("a variant");
        assert_eq!((width, height), (w, w / 2));
    }
    // Made once: kept under .gazette-cache/ by the original's content, and taken from there
    // by the next build (a marked cache file comes out as it is).
    let cache = site.root().join(".gazette-cache/images");
    let cached: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(cached.len(), 4, "{cached:?}");
    let marked = cached
        .iter()
        .find(|e| e.file_name().to_string_lossy().ends_with("-480.png"))
        .unwrap()
        .path();
    std::fs::write(&marked, b"from the cache").unwrap();
    std::fs::remove_dir_all(site.output()).unwrap();
    site.build_ok();
    assert_eq!(
        std::fs::read(site.output().join("fr/news/photos/wide.480w.png")).unwrap(),
        b"from the cache"
    );
    // A new picture under the same name: new variants.
    site.write_bytes("content/news/photos/wide.png", &png(1000, 1000));
    site.build_ok();
    let html = site.html("fr/news/photos/index.html");
    let wide = select(&html, ".prose img")[0].value().clone();
    assert_eq!(wide.attr("height"), Some("1000"));
    assert!(
        wide.attr("srcset").unwrap().contains("wide.png 1000w"),
        "small enough to offer"
    );
    assert!(
        !site.exists("fr/news/photos/wide.1200w.png"),
        "no stale variant"
    );
    let (width, height) =
        image::image_dimensions(site.output().join("fr/news/photos/wide.480w.png")).unwrap();
    assert_eq!((width, height), (480, 480));
}
