//! Old URLs kept: a page's own as aliases, its bundle's files at their old place, and the
//! lists' and feeds' as `[redirects]` and feed aliases, each claimed once.

use std::collections::{BTreeSet, HashMap};

use super::super::model::{Page, Place, Site, Target};
use super::super::report::Report;
use super::{Plan, section_path};

/// A moved bundle's files where the old site published them, beside the old URL (images
/// are linked from elsewhere too, and a redirect page cannot stand for an image).
pub(super) fn files_at_old_url(page: &Page, new_url: &str) -> Vec<(std::path::PathBuf, String)> {
    let Some(old) = page.old_url.as_deref().and_then(normalize) else {
        return Vec::new();
    };
    if old == new_url || !old.ends_with('/') {
        return Vec::new();
    }
    page.files
        .iter()
        .map(|(from, relative)| (from.clone(), format!("{}{relative}", &old[1..])))
        .collect()
}

/// The page's old URLs that gazette does not give it, each claimed once.
pub(super) fn aliases(
    page: &Page,
    index: usize,
    own: &HashMap<String, usize>,
    taken: &mut BTreeSet<String>,
    report: &mut Report,
) -> Vec<String> {
    let mut kept = Vec::new();
    for old in page.old_url.iter().chain(&page.front.aliases) {
        let Some(path) = normalize(old) else {
            report.note(
                &page.source,
                None,
                format!("alias \"{old}\" is not a URL path: left out"),
            );
            continue;
        };
        let key = path.to_lowercase();
        match own.get(&key) {
            Some(&i) if i == index => continue,
            Some(_) => {
                report.note(
                    &page.source,
                    None,
                    format!("old URL {path} is another page's URL in gazette: not redirected"),
                );
                continue;
            }
            None => {}
        }
        if taken.insert(key) {
            kept.push(path);
        }
    }
    kept
}

/// Keeps one old URL of a list or feed: nothing when gazette has it already, a feed alias
/// for a feed, a redirect for the rest.
pub(super) fn keep_old_url(
    site: &Site,
    plan: &mut Plan,
    taken: &mut BTreeSet<String>,
    old: &str,
    target: &Target,
    report: &mut Report,
) {
    let Some(old) = normalize(old) else {
        return;
    };
    if let Target::Feed { lang, kind } = target {
        if native_feed(site, lang, kind.name()) != old {
            plan.feed_aliases
                .entry(lang.clone())
                .or_default()
                .insert(old, kind.name().to_string());
            report.feed_aliases += 1;
        }
        return;
    }
    if let Target::Tag { term, .. } = target
        && slug::slugify(term).is_empty()
    {
        // The term gives gazette no tag page: said once, with the page that uses it.
        return;
    }
    let Some(new) = target_path(site, plan, target) else {
        report.site_note(format!(
            "old URL {old} leads nowhere in gazette: not redirected"
        ));
        return;
    };
    if new.to_lowercase() == old.to_lowercase() || gazette_has(site, plan, &old) {
        return;
    }
    if taken.insert(old.to_lowercase()) {
        plan.redirects.insert(old, new);
        report.redirects += 1;
    }
}

fn native_feed(site: &Site, lang: &str, kind: &str) -> String {
    let file = match kind {
        "rss" => "rss.xml",
        "json" => "feed.json",
        _ => "atom.xml",
    };
    format!("{}{file}", site.home_path(lang))
}

/// Whether gazette makes this URL itself (a home, a section and its pages, the tags).
fn gazette_has(site: &Site, plan: &Plan, path: &str) -> bool {
    site.languages.iter().any(|l| {
        let home = site.home_path(&l.code);
        path == home || path == format!("{home}tags/")
    }) || plan.pages.iter().any(|p| p.url == path)
}

/// Where an old list URL leads in gazette.
fn target_path(site: &Site, plan: &Plan, target: &Target) -> Option<String> {
    Some(match target {
        Target::Home { lang, .. } => site.home_path(lang),
        Target::Section {
            lang,
            section,
            page,
        } => {
            let base = section_path(site, lang, section);
            let count = articles_in(site, lang, |s| s == section);
            list_page(base, count, site.paginate_by.unwrap_or(10), *page)
        }
        Target::Tags { lang } => format!("{}tags/", site.home_path(lang)),
        Target::Tag { lang, term, page } => {
            let slug = slug::slugify(term);
            if slug.is_empty() {
                return None;
            }
            let base = format!("{}tags/{slug}/", site.home_path(lang));
            let count = plan
                .pages
                .iter()
                .zip(&site.pages)
                .filter(|(p, s)| s.lang == *lang && !p.front.draft && p.front.date.is_some())
                .filter(|(p, _)| p.front.tags.iter().any(|t| slug::slugify(t) == slug))
                .count();
            list_page(base, count, site.paginate_by.unwrap_or(10), *page)
        }
        Target::NotFound => "/404.html".into(),
        Target::Feed { .. } => return None,
    })
}

/// Page `n` of a list of `count` items at `base`, or the list itself when it has fewer.
fn list_page(base: String, count: usize, per: usize, n: usize) -> String {
    let pages = count.div_ceil(per.max(1)).max(1);
    if n >= 2 && n <= pages {
        format!("{base}page/{n}/")
    } else {
        base
    }
}

fn articles_in(site: &Site, lang: &str, section: impl Fn(&str) -> bool) -> usize {
    site.pages
        .iter()
        .filter(|p| p.lang == lang && !p.front.draft)
        .filter(|p| matches!(&p.place, Place::Article(s) if section(s)))
        .count()
}

/// An old URL as a path gazette can write: decoded, starting with `/`, ending with `/`
/// unless it names a file (`x.html`, `index.xml`). None for a full URL to another host or
/// anything that climbs out of the site.
pub(crate) fn normalize(url: &str) -> Option<String> {
    let url = url.trim();
    let path = match url.split_once("://") {
        Some((_, rest)) => &rest[rest.find('/').unwrap_or(rest.len())..],
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path);
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains('\\'))
    {
        return None;
    }
    let joined = segments.join("/");
    let names_file = segments.last().is_some_and(|s| s.contains('.')) && !decoded.ends_with('/');
    Some(match (joined.is_empty(), names_file) {
        (true, _) => "/".to_string(),
        (false, true) => format!("/{joined}"),
        (false, false) => format!("/{joined}/"),
    })
}

/// `%C3%A9` -> `é`; invalid sequences are kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}
#[cfg(test)]
mod tests {
    use super::super::{file_safe, gazette_slug};
    use super::*;

    #[test]
    fn normalized_paths() {
        for (old, new) in [
            ("/fr/about", Some("/fr/about/")),
            ("en/search", Some("/en/search/")),
            (
                "/2018/07/26/Seeing-Music.html",
                Some("/2018/07/26/Seeing-Music.html"),
            ),
            ("/fr/tags/s%C3%A9curit%C3%A9/", Some("/fr/tags/sécurité/")),
            ("https://old.example/a/b?x=1#y", Some("/a/b/")),
            ("/", Some("/")),
            ("/a/../../etc", None),
            ("/node.js/", Some("/node.js/")),
        ] {
            assert_eq!(normalize(old).as_deref(), new, "{old}");
        }
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(
            gazette_slug("2018-05_docker-nodejs"),
            "2018-05_docker-nodejs"
        );
        assert_eq!(gazette_slug("Flexbox illustré"), "flexbox-illustre");
        assert_eq!(gazette_slug("???"), "page");
        assert_eq!(file_safe("notes.js"), "notes-js");
        assert_eq!(file_safe("index"), "page-index");
        assert_eq!(file_safe("v1.2"), "v1.2");
    }

    #[test]
    fn list_pages() {
        assert_eq!(list_page("/s/".into(), 17, 8, 3), "/s/page/3/");
        assert_eq!(list_page("/s/".into(), 17, 8, 4), "/s/");
        assert_eq!(list_page("/s/".into(), 17, 8, 1), "/s/");
    }
}
