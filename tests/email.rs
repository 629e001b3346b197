//! The email edition, parsed: both parts' footers with and without `[newsletter]`, links that
//! stay within the email, ids unique per article, code lines, the PNGs made of SVG and WebP
//! images, `check`'s warnings, and golden files of `email.txt`
//! (`GAZETTE_BLESS=1 cargo test --test email` rewrites them: review the diff).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;

const BASE: &str = "https://gazette.example";

/// The `email` fixture, built.
fn built() -> TestSite {
    let site = TestSite::fixture("email");
    site.build_ok();
    site
}

/// The fixture's config.toml without its `[newsletter]` tables.
fn without_newsletter(site: &TestSite) {
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let kept = config.split("\n[newsletter]").next().unwrap().to_string();
    assert!(!kept.contains("newsletter"), "{kept}");
    site.write("config.toml", &kept);
}

/// The footer's links: class -> (href, text).
fn footer_links(html: &scraper::Html) -> BTreeMap<String, (String, String)> {
    select(html, ".footer a[class]")
        .iter()
        .map(|a| {
            let value = a.value();
            let href = value.attr("href").unwrap_or_default().to_string();
            let class = value.attr("class").unwrap_or_default().to_string();
            (class, (href, a.text().collect()))
        })
        .collect()
}

/// The lines of the text part after its last rule (its footer).
fn text_footer(text: &str) -> Vec<String> {
    let rule = "-".repeat(72);
    let footer = text.rsplit(&rule).next().unwrap_or_default();
    footer.lines().map(str::to_string).collect()
}

#[test]
fn with_a_newsletter_both_footers_have_subscribe_view_in_browser_and_unsubscribe() {
    let site = built();
    let cases = [
        ("fr", "Abonnez-vous", "{{ unsubscribe_url }}"),
        ("en", "Subscribe", "*|UNSUB|*"),
    ];
    for (lang, subscribe, unsubscribe) in cases {
        let file = format!("{lang}/issues/1/email.html");
        let links = footer_links(&site.html(&file));
        let home = format!("{BASE}/{lang}/");
        let issue = format!("{BASE}/{lang}/issues/1/");
        assert_eq!(
            links["subscribe"],
            (home.clone(), subscribe.into()),
            "{file}"
        );
        assert_eq!(links["view-in-browser"].0, issue, "{file}");
        // The merge tag as written, for the mailing tool to replace.
        assert_eq!(links["unsubscribe"].0, unsubscribe, "{file}");
        let raw = site.read(&file);
        assert!(raw.contains(&format!("href=\"{unsubscribe}\"")), "{file}");
        let text = site.read(&format!("{lang}/issues/1/email.txt"));
        let footer = text_footer(&text);
        let colon = if lang == "fr" { "\u{a0}:" } else { ":" };
        for line in [
            format!("{subscribe}{colon} {home}"),
            issue.clone(),
            format!("{colon} {unsubscribe}"),
        ] {
            assert!(
                footer.iter().any(|l| l.ends_with(&line)),
                "{lang}: {line:?} in {footer:#?}"
            );
        }
        for part in [&raw, &text] {
            assert!(
                !part.contains("répondez") && !part.contains("reply"),
                "{lang}"
            );
        }
    }
    let french = site.read("fr/issues/1/email.txt");
    assert!(
        french.contains("Cette lettre vous a été transférée\u{202f}? Abonnez-vous\u{a0}: "),
        "French spacing in the footer: {french}"
    );
}

#[test]
fn without_a_newsletter_there_is_no_subscribe_line_nor_a_dead_link() {
    let site = TestSite::fixture("email");
    without_newsletter(&site);
    site.build_ok();
    for lang in ["fr", "en"] {
        let html = site.html(&format!("{lang}/issues/1/email.html"));
        let links = footer_links(&html);
        assert_eq!(
            links.keys().collect::<Vec<_>>(),
            ["view-in-browser"],
            "{lang}: {links:?}"
        );
        assert!(select(&html, ".subscribe-line").is_empty(), "{lang}");
        for a in select(&html, ".footer a") {
            let href = a.value().attr("href").unwrap_or_default();
            assert!(
                href.starts_with(&format!("{BASE}/{lang}/")),
                "{lang}: {href}"
            );
        }
        let text = site.read(&format!("{lang}/issues/1/email.txt"));
        let footer = text_footer(&text).join("\n");
        for absent in ["Abonnez", "Subscribe", "désabonner", "Unsubscribe", "{{"] {
            assert!(!footer.contains(absent), "{lang}: {absent} in {footer}");
        }
        assert!(
            footer.contains(&format!("{BASE}/{lang}/issues/1/")),
            "{footer}"
        );
    }
    let diagnostics = gazette::commands::check::check(&site.root(), false);
    let warned: Vec<String> = diagnostics.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warned.iter().any(|w| w.starts_with(
            "config.toml: warning: the email editions (fr, en) have no unsubscribe link"
        )),
        "{warned:#?}"
    );
}

#[test]
fn the_subscribe_link_leads_to_the_subscribe_page_when_the_site_has_one() {
    let site = TestSite::fixture("email");
    site.write(
        "content/subscribe.fr.md",
        "+++\ntitle = \"S'abonner\"\n+++\nLe formulaire.\n",
    );
    site.build_ok();
    let links = footer_links(&site.html("fr/issues/1/email.html"));
    assert_eq!(links["subscribe"].0, format!("{BASE}/fr/subscribe/"));
    let english = footer_links(&site.html("en/issues/1/email.html"));
    assert_eq!(
        english["subscribe"].0,
        format!("{BASE}/en/"),
        "no English page"
    );
}

#[test]
fn ids_are_unique_and_links_within_the_email_lead_somewhere() {
    let site = built();
    for lang in ["fr", "en"] {
        let file = format!("{lang}/issues/1/email.html");
        let html = site.html(&file);
        let ids: Vec<&str> = select(&html, "[id]")
            .iter()
            .filter_map(|e| e.value().attr("id"))
            .collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len(), "{file}: repeated ids in {ids:?}");
        // The contents lead to the articles in the email.
        let contents: Vec<&str> = select(&html, ".toc a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(contents, ["#a1", "#a2", "#a3"], "{file}");
        for a in select(&html, "a[href^='#']") {
            let target = &a.value().attr("href").unwrap()[1..];
            assert!(unique.contains(target), "{file}: #{target} leads nowhere");
        }
        // The heading both articles have is each article's own.
        let heading = if lang == "fr" { "pourquoi" } else { "why" };
        for id in [format!("a1-{heading}"), format!("a2-{heading}")] {
            assert!(unique.contains(id.as_str()), "{file}: {id} in {ids:?}");
        }
        // A link to another page's heading still leads to that page.
        let code = format!("{BASE}/{lang}/articles/code/#{heading}");
        assert!(
            select(&html, &format!("a[href='{code}']")).len() == 1,
            "{file}"
        );
        // Footnotes: the number leads to the note, the arrow back, and the arrow ends the
        // note's paragraph (not a line of its own).
        let refs = select(&html, "#a1 sup.footnote-ref a");
        let note = refs[0].value().attr("href").unwrap();
        assert!(note.starts_with("#a1-"), "{file}: {note}");
        let back = select(&html, &format!("li{note} p a.footnote-back"));
        assert_eq!(
            back[0].value().attr("href").map(|h| &h[1..]),
            refs[0].value().attr("id"),
            "{file}"
        );
        let paragraph = back[0]
            .parent()
            .and_then(scraper::ElementRef::wrap)
            .unwrap();
        let words: String = paragraph.text().collect();
        assert!(words.ends_with("\u{a0}↩"), "{file}: {words:?}");
    }
}

#[test]
fn code_lines_wrap_under_their_own_indentation_in_readable_colours() {
    let site = built();
    let html = site.html("fr/issues/1/email.html");
    let lines = select(&html, "#a2 pre code > span");
    let texts: Vec<String> = lines.iter().map(|l| l.text().collect()).collect();
    assert_eq!(texts.len(), 5, "{texts:#?}");
    assert!(
        texts[3].starts_with("        raise ValueError("),
        "{texts:#?}"
    );
    let hangs: Vec<String> = lines
        .iter()
        .map(|l| {
            let style = l.value().attr("style").unwrap_or_default();
            let at = style.find("padding-left:").expect("a hanging indent") + 13;
            style[at..]
                .split(';')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    // Two characters deeper than each line's own indentation (0.6 em a character).
    assert_eq!(hangs, ["1.2em", "3.6em", "3.6em", "6.0em", "3.6em"]);
    for span in select(&html, "pre span[style*='color:#']") {
        let style = span.value().attr("style").unwrap();
        let at = style.find("color:#").unwrap() + 7;
        let rgb = [0, 2, 4].map(|i| u8::from_str_radix(&style[at + i..at + i + 2], 16).unwrap());
        let ratio = contrast(rgb, [0xf6, 0xf8, 0xfa]);
        assert!(
            ratio >= 4.5,
            "{style}: {ratio:.2}:1 on the code's background"
        );
    }
}

/// WCAG 2's contrast ratio of two sRGB colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |rgb: [u8; 3]| {
        let [r, g, b] = rgb.map(|c| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * r + 0.7152 * g + 0.0722 * b
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A `width` × `height` lossless WebP.
fn webp(width: u32, height: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| [(i % 251) as u8, 90, 200])
        .collect();
    let mut bytes = Vec::new();
    image_webp::WebPEncoder::new(&mut bytes)
        .encode(&pixels, width, height, image_webp::ColorType::Rgb8)
        .expect("encoding a WebP");
    bytes
}

/// The pixel size of a PNG file, decoding it whole.
fn png_size(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut pixels).expect("the image decodes");
    (frame.width, frame.height)
}

#[test]
fn svg_and_webp_images_become_pngs_of_the_size_the_email_declares() {
    let site = TestSite::fixture("email");
    site.write_bytes("content/articles/chart/photo.webp", &webp(40, 30));
    let wide = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"600\"><rect width=\"1200\" height=\"600\" fill=\"#29335c\"/></svg>";
    site.write("content/articles/chart/wide.svg", wide);
    site.write(
        "content/articles/chart/index.fr.md",
        "+++\ntitle = \"Un graphique\"\ndate = 2026-12-03\nissue = 1\nweight = 3\n+++\n\
         ![Barres](bars.svg) ![Photo](photo.webp) ![Large](wide.svg)\n",
    );
    site.build_ok();
    let html = site.html("fr/issues/1/email.html");
    let images: Vec<(String, String, String)> = select(&html, "#a3 img")
        .iter()
        .map(|img| {
            let value = |name| img.value().attr(name).unwrap_or_default().to_string();
            (value("src"), value("width"), value("height"))
        })
        .collect();
    let at = |name: &str| format!("{BASE}/fr/articles/chart/{name}");
    assert_eq!(
        images,
        [
            (at("bars.svg.png"), "300".into(), "150".into()),
            (at("photo.webp.png"), "40".into(), "30".into()),
            (at("wide.svg.png"), "552".into(), "276".into()),
        ]
    );
    // SVG drawn at twice the size shown, WebP pixel for pixel.
    let chart = site.output().join("fr/articles/chart");
    assert_eq!(png_size(&chart.join("bars.svg.png")), (600, 300));
    assert_eq!(png_size(&chart.join("photo.webp.png")), (40, 30));
    assert_eq!(png_size(&chart.join("wide.svg.png")), (1104, 552));
    // The web page keeps the originals.
    let page = site.html("fr/articles/chart/index.html");
    let sources: Vec<&str> = select(&page, "img")
        .iter()
        .filter_map(|img| img.value().attr("src"))
        .collect();
    assert!(sources.iter().all(|s| !s.ends_with(".png")), "{sources:?}");
    // A page outside any issue gets no PNG.
    assert!(
        !site.exists("en/articles/chart/photo.webp.png"),
        "not mentioned in English"
    );
}

#[test]
fn the_preheader_is_typeset_and_followed_by_filler() {
    let site = built();
    let html = site.html("fr/issues/1/email.html");
    let preheader = text(&html, ".preheader");
    assert!(
        preheader.starts_with("Ce que l’e-mail doit bien rendre\u{a0}: tableaux"),
        "{preheader:?}"
    );
    let filler = preheader.split("liens.").nth(1).unwrap_or_default();
    assert!(
        filler.chars().filter(|&c| c == '\u{34f}').count() > 40,
        "{filler:?}"
    );
    assert!(
        filler
            .chars()
            .all(|c| matches!(c, '\u{34f}' | '\u{200c}' | '\u{a0}'))
    );
}

#[test]
fn the_text_part_numbers_each_link_once_across_the_message() {
    let site = built();
    let text = site.read("fr/issues/1/email.txt");
    let listed: Vec<(usize, String)> = text
        .lines()
        .filter_map(|line| {
            let (number, url) = line.strip_prefix('[')?.split_once("] ")?;
            Some((number.parse().ok()?, url.to_string()))
        })
        .collect();
    let numbers: Vec<usize> = listed.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (1..=listed.len()).collect::<Vec<_>>(), "{text}");
    let urls: BTreeSet<&String> = listed.iter().map(|(_, u)| u).collect();
    assert_eq!(
        urls.len(),
        listed.len(),
        "each URL listed once: {listed:#?}"
    );
    let rfc = listed
        .iter()
        .find(|(_, u)| u.ends_with("rfc9114"))
        .map(|(n, _)| format!("[{n}]"))
        .unwrap();
    assert_eq!(
        text.matches(&rfc).count(),
        3,
        "used twice, listed once: {text}"
    );
    assert!(
        text.contains("la RFC 9114 [4], la même RFC [4]"),
        "numbers go on from the intro's: {text}"
    );
    assert!(text.contains("`parse_header()`"), "inline code is marked");
    assert!(
        text.contains("[Le graphique d’aujourd’hui\u{a0}: trois barres]"),
        "an image's description is typeset: {text}"
    );
    let english = site.read("en/issues/1/email.txt");
    assert!(
        english.contains("[Today’s chart: three bars]"),
        "in English too: {english}"
    );
}

/// `GAZETTE_BLESS=1` rewrites the golden files instead of comparing.
#[test]
fn the_text_part_matches_its_golden_files() {
    let site = built();
    for lang in ["fr", "en"] {
        let text = site.read(&format!("{lang}/issues/1/email.txt"));
        let golden = Path::new(REPO).join(format!("tests/golden/email-{lang}.txt"));
        if std::env::var_os("GAZETTE_BLESS").is_some() {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        assert!(
            text == expected,
            "{lang}/issues/1/email.txt differs from {}: run GAZETTE_BLESS=1 cargo test --test \
             email and review the diff\n{text}",
            golden.display()
        );
    }
}

#[test]
fn check_warns_of_an_email_gmail_would_clip_and_of_images_mail_clients_do_not_show() {
    let site = TestSite::fixture("email");
    let clean = gazette::commands::check::check(&site.root(), false);
    assert!(
        clean.errors.is_empty() && clean.warnings.is_empty(),
        "{:?}",
        clean.warnings
    );
    let long = "Une phrase assez longue pour remplir la lettre, encore et encore. ".repeat(1800);
    site.write(
        "content/articles/long.fr.md",
        &article(
            "Long",
            "issue = 1",
            &format!("{long}\n\n![Un logo](https://cdn.example/logo.svg?v=2)"),
        ),
    );
    let diagnostics = gazette::commands::check::check(&site.root(), false);
    let warned: Vec<String> = diagnostics.warnings.iter().map(|w| w.to_string()).collect();
    let about = |text: &str| warned.iter().filter(|w| w.contains(text)).count();
    assert_eq!(
        about("content/issues/1.fr.md: warning: the email of issue 1 (fr/issues/1/email.html) is "),
        1,
        "{warned:#?}"
    );
    assert_eq!(
        about("KB: Gmail clips an email past about 102 KB"),
        1,
        "{warned:#?}"
    );
    assert_eq!(
        about("shows https://cdn.example/logo.svg?v=2: some mail clients do not show SVG"),
        1,
        "{warned:#?}"
    );
    assert_eq!(
        about("email"),
        2,
        "nothing about the English email: {warned:#?}"
    );
}
