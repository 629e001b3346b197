//! The URLs Hugo gave a site: each page's (`url`, `[permalinks]` with Hugo's `urlize`, or
//! its path) and each list's (homes, sections, taxonomies, their pages and RSS feeds); and
//! the gazette `[permalinks]` that keep article URLs where gazette can say them.

use std::collections::BTreeMap;

use super::super::mapping::Front;
use super::super::model::{FeedKind, Page, Place, Target};
use super::Entry;
use super::config::{HugoLanguage, Settings};

/// The path prefix of a language in Hugo: `/` for the default one (unless in a subfolder).
fn prefix(settings: &Settings, lang: &str) -> String {
    if lang == settings.default_lang && !settings.in_subdir {
        "/".into()
    } else {
        format!("/{lang}/")
    }
}

/// The URL Hugo published the page at, if it published it.
pub(super) fn old_url(settings: &Settings, entry: &Entry, page: &Page) -> Option<String> {
    let front = &page.front;
    if front.draft || is_headless(front) {
        return None;
    }
    if let Some(url) = &front.url {
        // Hugo takes `url` as given: the language prefix is the author's to write.
        return Some(format!("/{}", url.trim_start_matches('/')));
    }
    let prefix = prefix(settings, &page.lang);
    match &page.place {
        Place::Home => Some(prefix),
        Place::SectionIndex(dir) => Some(format!("{prefix}{}/", path_of(dir))),
        Place::Article(_) | Place::Standalone => {
            let top = section_of(&page.place);
            let section = match &page.place {
                Place::Article(section) => section.as_str(),
                _ => "",
            };
            if let Some(pattern) = settings.permalinks.get(&top) {
                let path = expand(pattern, entry, page, section)?;
                return Some(format!("{prefix}{}", path.trim_start_matches('/')));
            }
            let dir = match &page.place {
                Place::Article(section) => format!("{}/", path_of(section)),
                _ => String::new(),
            };
            let name = front
                .slug
                .as_deref()
                .map_or_else(|| path_of(&page.name), urlize);
            Some(format!("{prefix}{dir}{name}/"))
        }
    }
}

/// Hugo's calendar tokens gazette has no placeholder for (the page keeps its URL as an
/// alias): `:monthname` (`january`), `:weekday` (0 is Sunday), `:weekdayname`, `:yearday`.
fn calendar(token: &str, date: Option<toml::value::Date>) -> Option<String> {
    use chrono::Datelike;
    let date = date?;
    let day = chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?;
    Some(match token {
        "monthname" => day.format("%B").to_string().to_lowercase(),
        "weekday" => day.weekday().num_days_from_sunday().to_string(),
        "weekdayname" => day.format("%A").to_string().to_lowercase(),
        "yearday" => day.ordinal().to_string(),
        _ => return None,
    })
}

/// Hugo's `headless` and `_build.render = never` pages have no URL.
fn is_headless(front: &Front) -> bool {
    let build = front.extra.get("_build").or(front.extra.get("build"));
    front.extra.get("headless").and_then(toml::Value::as_bool) == Some(true)
        || build.and_then(|b| b.get("render")).is_some_and(|r| {
            matches!(r.as_str(), Some("never" | "false")) || r.as_bool() == Some(false)
        })
}

/// The top-level section (Hugo's `.Section`), `""` for pages at the top.
fn section_of(place: &Place) -> String {
    match place {
        Place::Article(section) | Place::SectionIndex(section) => {
            section.split('/').next().unwrap_or("").to_string()
        }
        _ => String::new(),
    }
}

/// A folder path as Hugo writes it in URLs: lowercased, spaces as hyphens.
fn path_of(dir: &str) -> String {
    dir.split('/').map(urlize).collect::<Vec<_>>().join("/")
}

/// Hugo's `urlize`: letters (any script), digits, marks and `. / _ - # + ~ @ \` kept, spaces
/// (and hyphen runs) as one hyphen, the rest dropped; lowercased.
pub(super) fn urlize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.chars() {
        let kept = c.is_alphanumeric()
            || matches!(c, '.' | '/' | '\\' | '_' | '#' | '+' | '~' | '@')
            || is_mark(c);
        if kept {
            if hyphen {
                out.push('-');
                hyphen = false;
            }
            out.extend(c.to_lowercase());
        } else if (c == '-' || c.is_whitespace()) && !out.is_empty() {
            hyphen = true;
        }
    }
    out
}

/// Combining marks (a decomposed accent stays with its letter).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{20d0}'..='\u{20ff}')
}

/// Hugo's `:contentbasename`: the file's name, or its folder's for a bundle's `index.md`.
fn content_base_name(entry: &Entry, page: &Page) -> String {
    if entry.stem == "index" {
        page.name.clone()
    } else {
        entry.stem.clone()
    }
}

/// A permalink pattern with the page's values; None for a token gazette cannot place.
fn expand(pattern: &str, entry: &Entry, page: &Page, section: &str) -> Option<String> {
    let date = page.front.date.and_then(|d| d.date);
    let title = page.front.title.clone().unwrap_or_default();
    let filename = content_base_name(entry, page);
    let slug = page.front.slug.clone();
    let two = |n: Option<u8>| format!("{:02}", n.unwrap_or(1));
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let token_end = rest[at + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map_or(rest.len(), |i| at + 1 + i);
        let value = match &rest[at + 1..token_end] {
            "year" => format!("{:04}", date.map_or(1, |d| d.year)),
            "month" => two(date.map(|d| d.month)),
            "day" => two(date.map(|d| d.day)),
            "section" => section.split('/').next().unwrap_or("").to_string(),
            "sections" => section.to_string(),
            "title" => urlize(&title),
            "slug" => urlize(slug.as_deref().unwrap_or(&title)),
            "filename" | "contentbasename" => urlize(&filename),
            "slugorfilename" | "slugorcontentbasename" => {
                urlize(slug.as_deref().unwrap_or(&filename))
            }
            other => calendar(other, date)?,
        };
        out.push_str(&value);
        rest = &rest[token_end..];
    }
    out.push_str(rest);
    Some(if out.ends_with('/') || out.contains('.') {
        out
    } else {
        format!("{out}/")
    })
}

/// What the page's gazette slug is made from: what the permalink's last token used, else
/// Hugo's slug or the file name.
pub(super) fn gazette_slug_source(settings: &Settings, entry: &Entry, page: &Page) -> String {
    let title = page.front.title.clone().unwrap_or_default();
    let filename = content_base_name(entry, page);
    let slug = page.front.slug.clone();
    let pattern = settings.permalinks.get(&section_of(&page.place));
    let last = pattern.and_then(|p| p.trim_end_matches('/').rsplit('/').next().map(String::from));
    match last.as_deref() {
        Some(":title") => urlize(&title),
        Some(":slug") => urlize(slug.as_deref().unwrap_or(&title)),
        _ => slug.map_or(filename, |s| urlize(&s)),
    }
}

/// gazette `[permalinks]` for the sections whose Hugo pattern it can say: dates, then the
/// slug last.
pub(super) fn gazette_permalinks(settings: &Settings, pages: &[Page]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for page in pages {
        let Place::Article(section) = &page.place else {
            continue;
        };
        let Some(pattern) = settings.permalinks.get(&section_of(&page.place)) else {
            continue;
        };
        if let Some(gazette) = gazette_pattern(pattern) {
            out.insert(section.clone(), gazette);
        }
    }
    out
}

/// `/:year/:month/:title/` -> `/:year/:month/:slug/`; None when a token has no gazette
/// equivalent or the slug is not last (the pages then keep their URLs through aliases).
fn gazette_pattern(pattern: &str) -> Option<String> {
    let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let (last, before) = segments.split_last()?;
    let slug_like = [
        ":title",
        ":slug",
        ":filename",
        ":slugorfilename",
        ":contentbasename",
    ];
    if !slug_like.contains(last) {
        return None;
    }
    let fine = before
        .iter()
        .all(|s| matches!(*s, ":year" | ":month" | ":day" | ":section") || !s.contains(':'));
    fine.then(|| {
        let mut out: Vec<&str> = before.to_vec();
        out.push(":slug");
        format!("/{}/", out.join("/"))
    })
}

/// The old URLs of lists: homes and sections with their pages, taxonomies, feeds.
pub(super) fn list_urls(settings: &Settings, pages: &[Page]) -> Vec<(String, Target)> {
    let mut urls = Vec::new();
    let several = settings.languages.len() > 1;
    for language in &settings.languages {
        let lang = language.code.clone();
        let prefix = prefix(settings, &lang);
        let published: Vec<&Page> = pages
            .iter()
            .filter(|p| p.lang == lang && p.old_url.is_some())
            .collect();
        if prefix != "/" {
            // Hugo writes a 404 page per language; gazette one for the site.
            urls.push((format!("{prefix}404.html"), Target::NotFound));
        }
        if several && prefix == "/" {
            urls.push((
                format!("/{lang}/"),
                Target::Home {
                    lang: lang.clone(),
                    page: 1,
                },
            ));
        }
        let regular = published
            .iter()
            .filter(|p| matches!(p.place, Place::Article(_) | Place::Standalone))
            .count();
        let home = |page| Target::Home {
            lang: lang.clone(),
            page,
        };
        pages_and_feed(
            &mut urls,
            &prefix,
            pages_for(regular, settings.paginate),
            &lang,
            home,
        );
        section_urls(settings, &lang, &prefix, &published, &mut urls);
        taxonomy_urls(settings, language, &prefix, &published, &mut urls);
    }
    urls
}

fn feed(lang: &str) -> Target {
    Target::Feed {
        lang: lang.to_string(),
        kind: FeedKind::Rss,
    }
}

/// A Hugo list's `base/page/N/` for each of its `pages` (Hugo writes `page/1/` too, as a
/// redirect), and its RSS feed `base/index.xml`.
fn pages_and_feed(
    urls: &mut Vec<(String, Target)>,
    base: &str,
    pages: usize,
    lang: &str,
    target: impl Fn(usize) -> Target,
) {
    for n in 1..=pages {
        urls.push((format!("{base}page/{n}/"), target(n)));
    }
    urls.push((format!("{base}index.xml"), feed(lang)));
}

/// A Hugo list at `base`, with its pages and its feed (see `pages_and_feed`).
fn list_with_pages(
    urls: &mut Vec<(String, Target)>,
    base: &str,
    pages: usize,
    lang: &str,
    target: impl Fn(usize) -> Target,
) {
    urls.push((base.to_string(), target(1)));
    pages_and_feed(urls, base, pages, lang, target);
}

fn pages_for(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

/// Each section's list (at its `url` when its `_index` sets one), pages and feed.
fn section_urls(
    settings: &Settings,
    lang: &str,
    prefix: &str,
    published: &[&Page],
    urls: &mut Vec<(String, Target)>,
) {
    let mut sections: BTreeMap<String, String> = BTreeMap::new();
    for page in published {
        if let Place::Article(section) = &page.place {
            sections
                .entry(section.clone())
                .or_insert_with(|| format!("{prefix}{}/", path_of(section)));
        }
    }
    for page in published {
        if let (Place::SectionIndex(section), Some(url)) = (&page.place, &page.old_url) {
            let url = super::super::place::normalize(url).unwrap_or_else(|| url.clone());
            sections.insert(section.clone(), url);
        }
    }
    for (section, base) in sections {
        let count = published
            .iter()
            .filter(|p| matches!(&p.place, Place::Article(s) if *s == section || s.starts_with(&format!("{section}/"))))
            .count();
        let target = |page| Target::Section {
            lang: lang.to_string(),
            section: section.clone(),
            page,
        };
        let pages = pages_for(count, settings.paginate);
        list_with_pages(urls, &base, pages, lang, target);
    }
}

/// Each taxonomy's list and terms, their pages and feeds.
fn taxonomy_urls(
    settings: &Settings,
    language: &HugoLanguage,
    prefix: &str,
    published: &[&Page],
    urls: &mut Vec<(String, Target)>,
) {
    let lang = &language.code;
    for (_, plural) in &language.taxonomies {
        let mut terms: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for page in published
            .iter()
            .filter(|p| matches!(p.place, Place::Article(_) | Place::Standalone))
        {
            let written = match plural.as_str() {
                "tags" => page.front.tags.clone(),
                other => page
                    .front
                    .taxonomies
                    .get(other)
                    .cloned()
                    .unwrap_or_default(),
            };
            for term in written {
                terms
                    .entry(urlize(&term))
                    .or_insert_with(|| (term.clone(), 0))
                    .1 += 1;
            }
        }
        let base = format!("{prefix}{plural}/");
        let tags = |_| Target::Tags { lang: lang.clone() };
        let pages = pages_for(terms.len(), settings.paginate);
        list_with_pages(urls, &base, pages, lang, tags);
        for (url_term, (term, count)) in terms {
            let term_base = format!("{base}{url_term}/");
            let target = |page| Target::Tag {
                lang: lang.clone(),
                term: term.clone(),
                page,
            };
            let pages = pages_for(count, settings.paginate);
            list_with_pages(urls, &term_base, pages, lang, target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlize_as_hugo() {
        assert_eq!(urlize("Flexbox illustré"), "flexbox-illustré");
        assert_eq!(
            urlize("VS Code: using regular expressions in find/replace"),
            "vs-code-using-regular-expressions-in-find/replace"
        );
        assert_eq!(
            urlize("Configuration d'un serveur"),
            "configuration-dun-serveur"
        );
        assert_eq!(urlize("Base de données, SQL"), "base-de-données-sql");
        assert_eq!(urlize("  Node.js -- tips "), "node.js-tips");
    }

    #[test]
    fn patterns_gazette_can_say() {
        assert_eq!(
            gazette_pattern("/:year/:month/:day/:title/").as_deref(),
            Some("/:year/:month/:day/:slug/")
        );
        assert_eq!(
            gazette_pattern("/posts/:year/:month/:title/").as_deref(),
            Some("/posts/:year/:month/:slug/")
        );
        assert_eq!(gazette_pattern("/:year/:monthname/:title/"), None);
        assert_eq!(gazette_pattern("/:title/:year/"), None);
        let date = "2024-03-05"
            .parse::<toml::value::Datetime>()
            .ok()
            .and_then(|d| d.date);
        assert_eq!(calendar("monthname", date).as_deref(), Some("march"));
        assert_eq!(calendar("weekday", date).as_deref(), Some("2"));
        assert_eq!(calendar("yearday", date).as_deref(), Some("65"));
        assert_eq!(calendar("unknown", date), None);
    }
}
