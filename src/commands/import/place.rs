//! The old site (`model::Site`) -> `Plan`: every page's gazette file, front matter and URL,
//! and every old URL kept: a page's own as an alias where gazette's URL differs, the lists'
//! and feeds' as `[redirects]` and feed aliases. The URL rules are gazette's (SPEC.md):
//! `/LANG/SECTION/SLUG/`, `[permalinks]`, the default language at the root.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::{Page, Place, Site, Target};
use super::report::Report;

/// A page as gazette will read it.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct GazetteFront {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    pub extra: toml::Table,
}

/// One page, placed.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// Under content/: `posts/x/index.fr.md`.
    pub file: String,
    /// The bundle folder under content/ when the page has files beside it.
    pub bundle: Option<String>,
    pub front: GazetteFront,
    pub body: String,
    /// Its gazette URL path.
    pub url: String,
}

/// What `write` puts on disk.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub pages: Vec<Placed>,
    /// `[redirects]`: old path -> new path.
    pub redirects: BTreeMap<String, String>,
    /// `[languages.LANG.feed_aliases]`: lang -> old path -> feed kind.
    pub feed_aliases: BTreeMap<String, BTreeMap<String, String>>,
    /// Bundle files copied into static/ at their old URL too: (file, path under static/).
    pub old_files: Vec<(std::path::PathBuf, String)>,
}

/// Places every page and keeps every old URL. Pages are already converted (bodies final).
pub(crate) fn place(site: &Site, report: &mut Report) -> Plan {
    let names = file_names(site);
    let dates = fallback_dates(site, report);
    let mut pages: Vec<Placed> = site
        .pages
        .iter()
        .zip(&names)
        .zip(&dates)
        .map(|((page, name), date)| placed(site, page, name, *date, report))
        .collect();
    let own: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.to_lowercase(), i))
        .collect();
    let mut taken: BTreeSet<String> = own.keys().cloned().collect();
    let mut plan = Plan::default();
    for (i, (page, placed)) in site.pages.iter().zip(pages.iter_mut()).enumerate() {
        let old = aliases(page, i, &own, &mut taken, report);
        if matches!(page.place, Place::Home | Place::SectionIndex(_)) {
            // A list's old URLs are the site's redirects: a list is no page with aliases.
            report.redirects += old.len();
            plan.redirects
                .extend(old.into_iter().map(|o| (o, placed.url.clone())));
        } else {
            report.aliases += old.len();
            placed.front.aliases = old;
        }
        plan.old_files.extend(files_at_old_url(page, &placed.url));
    }
    plan.pages = pages;
    for (old, target) in &site.old_urls {
        keep_old_url(site, &mut plan, &mut taken, old, target, report);
    }
    plan
}

/// A moved bundle's files where the old site published them, beside the old URL (images
/// are linked from elsewhere too, and a redirect page cannot stand for an image).
fn files_at_old_url(page: &Page, new_url: &str) -> Vec<(std::path::PathBuf, String)> {
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

/// Each page's file name: the engine's, made unique among the pages of one language at one
/// place (two Jekyll pages may both be `blog` in English, in different folders).
fn file_names(site: &Site) -> Vec<String> {
    let mut used: BTreeSet<(String, String, String)> = BTreeSet::new();
    site.pages
        .iter()
        .map(|page| {
            let folder = match &page.place {
                Place::Article(section) | Place::SectionIndex(section) => section.clone(),
                Place::Home | Place::Standalone => String::new(),
            };
            let base = file_safe(&page.name);
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert((folder.clone(), name.clone(), page.lang.clone())) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// A file name gazette reads as a name, not a language suffix (`notes.js` would be).
fn file_safe(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || c == '/' || c == '\\' {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('.').to_string();
    match crate::lang::split_suffix(&format!("{cleaned}.md")) {
        Some((_, Some(_))) => cleaned.replace('.', "-"),
        _ if cleaned.is_empty() || cleaned == "_index" || cleaned == "index" => {
            format!("page-{cleaned}").trim_end_matches('-').to_string()
        }
        _ => cleaned,
    }
}

/// A date for every article that has none: its translation's, else the epoch, said in the
/// report (gazette needs one to list and date the article).
fn fallback_dates(site: &Site, report: &mut Report) -> Vec<Option<toml::value::Datetime>> {
    let by_group: HashMap<String, toml::value::Datetime> = site
        .pages
        .iter()
        .filter_map(|p| Some((group_of(p), p.front.date?)))
        .collect();
    site.pages
        .iter()
        .map(|page| {
            if page.front.date.is_some() || !matches!(page.place, Place::Article(_)) {
                return page.front.date;
            }
            let date = by_group.get(&group_of(page)).copied();
            let message = match date {
                Some(_) => "no date: took its translation's",
                None => "no date: set to 1970-01-01, which lists it last; write the real one",
            };
            report.note(&page.source, None, message.into());
            date.or_else(|| "1970-01-01".parse().ok())
        })
        .collect()
}

/// What makes pages translations of each other before placing: the key, else the name.
fn group_of(page: &Page) -> String {
    match &page.front.translation_key {
        Some(key) => format!("key:{key}"),
        None => format!("name:{:?}:{}", page.place, page.name),
    }
}

fn placed(
    site: &Site,
    page: &Page,
    name: &str,
    date: Option<toml::value::Datetime>,
    report: &mut Report,
) -> Placed {
    let slug = gazette_slug(page.front.slug.as_deref().unwrap_or(name));
    let (file, bundle, url) = match &page.place {
        Place::Home => (
            format!("_index.{}.md", page.lang),
            None,
            site.home_path(&page.lang),
        ),
        Place::SectionIndex(section) => (
            format!("{section}/_index.{}.md", page.lang),
            None,
            section_path(site, &page.lang, section),
        ),
        Place::Article(section) => {
            let folder = format!("{section}/");
            let url = article_url(site, page, section, &slug, date);
            let (file, bundle) = file_of(&folder, name, &page.lang, page.bundle);
            (file, bundle, url)
        }
        Place::Standalone => {
            let (file, bundle) = file_of("", name, &page.lang, page.bundle);
            (
                file,
                bundle,
                format!("{}{slug}/", site.home_path(&page.lang)),
            )
        }
    };
    let front = gazette_front(page, &slug, date, report);
    Placed {
        file,
        bundle,
        front,
        body: page.body.clone(),
        url,
    }
}

/// `folder/name.lang.md`, or `folder/name/index.lang.md` with its bundle folder.
fn file_of(folder: &str, name: &str, lang: &str, bundle: bool) -> (String, Option<String>) {
    if bundle {
        (
            format!("{folder}{name}/index.{lang}.md"),
            Some(format!("{folder}{name}")),
        )
    } else {
        (format!("{folder}{name}.{lang}.md"), None)
    }
}

/// A slug gazette accepts: the engine's when it is one already, else slugified.
pub(crate) fn gazette_slug(wanted: &str) -> String {
    match crate::frontmatter::check_slug(wanted) {
        Ok(slug) => slug,
        Err(_) => match slug::slugify(wanted) {
            empty if empty.is_empty() => "page".into(),
            slug => slug,
        },
    }
}

/// gazette's section URL: each folder slugified, under the language's home.
pub(crate) fn section_path(site: &Site, lang: &str, section: &str) -> String {
    let segments: Vec<String> = section.split('/').map(slug::slugify).collect();
    format!("{}{}/", site.home_path(lang), segments.join("/"))
}

/// An article's gazette URL: its section's permalink pattern, or `SECTION/SLUG/`.
fn article_url(
    site: &Site,
    page: &Page,
    section: &str,
    slug: &str,
    date: Option<toml::value::Datetime>,
) -> String {
    let Some(pattern) = site.permalinks.get(section) else {
        return format!("{}{slug}/", section_path(site, &page.lang, section));
    };
    let day = date.and_then(|d| d.date);
    let two = |n: Option<u8>| format!("{:02}", n.unwrap_or(1));
    let section_slug: Vec<String> = section.split('/').map(slug::slugify).collect();
    let path = pattern
        .replace(":year", &format!("{:04}", day.map_or(1970, |d| d.year)))
        .replace(":month", &two(day.map(|d| d.month)))
        .replace(":day", &two(day.map(|d| d.day)))
        .replace(":slug", slug)
        .replace(":section", &section_slug.join("/"));
    format!(
        "{}{}",
        site.home_path(&page.lang),
        path.trim_start_matches('/')
    )
}

fn gazette_front(
    page: &Page,
    slug: &str,
    date: Option<toml::value::Datetime>,
    report: &mut Report,
) -> GazetteFront {
    let front = &page.front;
    let mut extra = front.extra.clone();
    for (name, terms) in &front.taxonomies {
        extra
            .entry(name.clone())
            .or_insert_with(|| toml::Value::Array(terms.iter().cloned().map(Into::into).collect()));
    }
    let title = front.title.clone().unwrap_or_else(|| {
        report.note(
            &page.source,
            None,
            format!("no title: used \"{}\"", page.name),
        );
        page.name.clone()
    });
    let is_page = matches!(page.place, Place::Article(_) | Place::Standalone);
    GazetteFront {
        title,
        date,
        updated: front.updated,
        description: front.description.clone(),
        slug: is_page.then(|| slug.to_string()),
        tags: tags(page, report),
        draft: front.draft,
        authors: front.authors.clone(),
        translation_key: front.translation_key.clone(),
        weight: front.weight,
        image: front.image.clone(),
        aliases: Vec::new(),
        extra,
    }
}

/// Tags and every other taxonomy's terms, as gazette's tags: one per slug, the first
/// spelling kept; terms with no letter or digit left out (they give no URL).
fn tags(page: &Page, report: &mut Report) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut tags = Vec::new();
    let all = page
        .front
        .tags
        .iter()
        .chain(page.front.taxonomies.values().flatten());
    for term in all {
        let slug = slug::slugify(term);
        if slug.is_empty() {
            report.note(
                &page.source,
                None,
                format!("the term \"{term}\" has no letter or digit for a URL: left out of tags"),
            );
        } else if seen.insert(slug) {
            tags.push(term.trim().to_string());
        }
    }
    tags
}

/// The page's old URLs that gazette does not give it, each claimed once.
fn aliases(
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
fn keep_old_url(
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
