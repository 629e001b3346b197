//! The old site (`model::Site`) -> `Plan`: every page's gazette file, front matter and URL,
//! and every old URL kept: a page's own as an alias where gazette's URL differs, the lists'
//! and feeds' as `[redirects]` and feed aliases. The URL rules are gazette's (SPEC.md):
//! `/LANG/SECTION/SLUG/`, `[permalinks]`, the default language at the root.

use std::collections::{BTreeMap, BTreeSet, HashMap};

mod old_urls;

use super::model::{Page, Place, Site};
use super::report::Report;
use old_urls::{aliases, files_at_old_url, keep_old_url};
pub(crate) use old_urls::{normalize, percent_decode};

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
