//! `Site` -> the list of HTML pages to render (`Job`s): which template, at which URL, with
//! which values, and which "route" pairs it with its versions in other languages.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use tera::Value;

use super::theme::Theme;
use super::views::{self, IssueView};
use crate::config::Config;
use crate::markdown::Rendered;
use crate::site::{Edition, PageKind, Site};

/// One HTML page to render.
pub struct Job {
    /// None for the language chooser and the 404 page.
    pub lang: Option<String>,
    /// URL path: `/fr/articles/x/`.
    pub path: String,
    /// Pages of different languages with the same route are versions of each other.
    pub route: Option<String>,
    pub template: String,
    pub translations: Value,
    pub values: Vec<(&'static str, Value)>,
    /// When the page last changed (for the sitemap): its date, or its newest article's.
    pub lastmod: Option<DateTime<FixedOffset>>,
    /// False for drafts (built with --drafts): they stay out of the sitemap.
    pub listed: bool,
}

/// Values every page of a language sees: the site's name, navigation, latest issue.
pub struct SharedViews {
    pub per_lang: HashMap<String, Vec<(&'static str, Value)>>,
    pub issues: HashMap<String, Vec<IssueView>>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    lang: &'a str,
    /// For text: French typography applied on French pages.
    title: String,
    description: String,
    /// For attributes: as written in config.toml.
    plain_title: &'a str,
    plain_description: &'a str,
    locale: &'a str,
    url: String,
}

#[derive(Serialize)]
struct NavLink {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Head<'a> {
    /// For text (`<title>`): French typography applied on French pages.
    title: &'a str,
    /// For attributes (`og:title`): as written.
    plain_title: &'a str,
    description: &'a str,
    image: Option<&'a str>,
    kind: &'a str,
}

/// French typography for text gazette composes itself (titles from config, "Numéro 3").
fn typeset(config: &Config, lang: &str, text: &str) -> String {
    if config.french_typography && lang == "fr" {
        crate::typography::french(text)
    } else {
        text.to_string()
    }
}

fn issue_title(theme: &Theme, lang: &str, number: u32) -> String {
    let label = theme.string(lang, "issue").unwrap_or("Issue");
    format!("{label} {number}")
}

impl SharedViews {
    pub fn new(
        config: &Config,
        site: &Site,
        bodies: &[Rendered],
        summaries: &[Value],
        theme: &Theme,
    ) -> Self {
        let mut per_lang = HashMap::new();
        let mut issues = HashMap::new();
        for edition in &site.editions {
            let lang = edition.lang.as_str();
            let Some(language) = config.language(lang) else {
                continue;
            };
            let issue_views: Vec<IssueView> = edition
                .issues
                .iter()
                .map(|i| {
                    views::issue_view(
                        config,
                        site,
                        bodies,
                        summaries,
                        i,
                        issue_title(theme, lang, i.number),
                    )
                })
                .collect();
            let nav_sections: Vec<NavLink> = edition
                .sections
                .iter()
                .map(|s| NavLink {
                    title: section_title(site, s),
                    url: config.absolute(&s.path),
                })
                .collect();
            let nav_pages: Vec<NavLink> = edition
                .standalone
                .iter()
                .map(|&p| NavLink {
                    title: site.pages[p].title.clone(),
                    url: config.absolute(&site.pages[p].path),
                })
                .collect();
            let site_view = SiteView {
                lang,
                title: typeset(config, lang, &language.title),
                description: typeset(config, lang, &language.description),
                plain_title: &language.title,
                plain_description: &language.description,
                locale: &language.locale,
                url: config.absolute(&format!("/{lang}/")),
            };
            let values = vec![
                ("site", Value::from_serializable(&site_view)),
                ("nav_sections", Value::from_serializable(&nav_sections)),
                ("nav_pages", Value::from_serializable(&nav_pages)),
                (
                    "latest_issue",
                    issue_views
                        .first()
                        .map_or_else(Value::none, Value::from_serializable),
                ),
            ];
            per_lang.insert(lang.to_string(), values);
            issues.insert(lang.to_string(), issue_views);
        }
        SharedViews { per_lang, issues }
    }
}

fn section_title(site: &Site, section: &crate::site::Section) -> String {
    match section.index {
        Some(i) => site.pages[i].title.clone(),
        None => {
            let name = section.name.rsplit('/').next().unwrap_or(&section.name);
            let mut chars = name.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
    }
}

/// The newest date (updated, else published) of these pages.
fn newest(site: &Site, ids: &[usize]) -> Option<DateTime<FixedOffset>> {
    ids.iter()
        .filter_map(|&i| site.pages[i].front.updated.or(site.pages[i].front.date))
        .max()
}

fn head(
    title: &str,
    plain_title: &str,
    description: &str,
    image: Option<&str>,
    kind: &str,
) -> Value {
    Value::from_serializable(&Head {
        title,
        plain_title,
        description,
        image,
        kind,
    })
}

fn default_head(config: &Config) -> Value {
    let language = config.language(&config.default_language);
    let title = language.map_or("", |l| l.title.as_str());
    let description = language.map_or("", |l| l.description.as_str());
    head(title, title, description, None, "website")
}

fn no_translations() -> Value {
    Value::from(Vec::<Value>::new())
}

/// Every HTML page of the site.
pub fn plan(
    config: &Config,
    site: &Site,
    bodies: &[Rendered],
    summaries: &[Value],
    theme: &Theme,
    shared: &SharedViews,
) -> Vec<Job> {
    let mut jobs = vec![
        Job {
            lang: None,
            path: "/".into(),
            route: None,
            template: "root.html".into(),
            translations: no_translations(),
            lastmod: None,
            listed: true,
            values: vec![
                ("head", default_head(config)),
                ("languages", languages_view(config)),
            ],
        },
        Job {
            lang: None,
            path: "/404.html".into(),
            route: None,
            template: "404.html".into(),
            translations: no_translations(),
            lastmod: None,
            listed: true,
            values: vec![
                ("head", default_head(config)),
                ("languages", languages_view(config)),
            ],
        },
    ];
    for edition in &site.editions {
        let issues = shared
            .issues
            .get(&edition.lang)
            .map(Vec::as_slice)
            .unwrap_or_default();
        plan_documents(config, site, bodies, edition, &mut jobs);
        plan_home(config, site, bodies, summaries, edition, &mut jobs);
        plan_sections(config, site, bodies, summaries, edition, &mut jobs);
        plan_tags(config, site, summaries, edition, theme, &mut jobs);
        plan_issues(site, issues, edition, theme, &mut jobs);
    }
    jobs
}

#[derive(Serialize)]
struct LanguageLink<'a> {
    code: &'a str,
    title: &'a str,
    description: &'a str,
    url: String,
}

fn languages_view(config: &Config) -> Value {
    let links: Vec<LanguageLink> = config
        .languages
        .iter()
        .map(|l| LanguageLink {
            code: &l.code,
            title: &l.title,
            description: &l.description,
            url: config.absolute(&format!("/{}/", l.code)),
        })
        .collect();
    Value::from_serializable(&links)
}

fn plan_documents(
    config: &Config,
    site: &Site,
    bodies: &[Rendered],
    edition: &Edition,
    jobs: &mut Vec<Job>,
) {
    for (id, page) in site.pages.iter().enumerate() {
        let default_template = match page.kind {
            PageKind::Article { .. } if page.lang == edition.lang => "article.html",
            PageKind::Standalone if page.lang == edition.lang => "page.html",
            _ => continue,
        };
        let view = views::page_view(config, site, bodies, id, true);
        let description = page.front.description.as_deref().unwrap_or_else(|| {
            config
                .language(&page.lang)
                .map_or("", |l| l.description.as_str())
        });
        let image = view
            .get_from_path("image")
            .and_then(|v| v.as_str().map(str::to_string));
        let kind = if page.is_article() {
            "article"
        } else {
            "website"
        };
        jobs.push(Job {
            lang: Some(page.lang.clone()),
            path: page.path.clone(),
            route: Some(format!("doc:{}", page.group)),
            template: page
                .front
                .template
                .clone()
                .unwrap_or_else(|| default_template.to_string()),
            translations: Value::from_serializable(&views::translations(config, site, id)),
            lastmod: page.front.updated.or(page.front.date),
            listed: !page.front.draft,
            values: vec![
                (
                    "head",
                    head(
                        &page.title,
                        &page.front.title,
                        description,
                        image.as_deref(),
                        kind,
                    ),
                ),
                ("page", view),
            ],
        });
    }
}

#[derive(Serialize)]
struct IndexView<'a> {
    title: &'a str,
    plain_title: &'a str,
    description: &'a str,
    content: Value,
    url: String,
    path: &'a str,
}

fn plan_home(
    config: &Config,
    site: &Site,
    bodies: &[Rendered],
    summaries: &[Value],
    edition: &Edition,
    jobs: &mut Vec<Job>,
) {
    let lang = edition.lang.as_str();
    let Some(language) = config.language(lang) else {
        return;
    };
    let home = edition.home.map(|i| &site.pages[i]);
    let path = format!("/{lang}/");
    let section = IndexView {
        title: home.map_or(&language.title, |h| &h.title),
        plain_title: home.map_or(&language.title, |h| &h.front.title),
        description: home
            .and_then(|h| h.description.as_deref())
            .unwrap_or(&language.description),
        content: edition.home.map_or_else(
            || Value::safe_string(""),
            |i| Value::safe_string(&bodies[i].html),
        ),
        url: config.absolute(&path),
        path: &path,
    };
    let latest: Vec<Value> = edition
        .articles
        .iter()
        .take(config.paginate_by)
        .map(|&i| summaries[i].clone())
        .collect();
    jobs.push(Job {
        lang: Some(lang.to_string()),
        path: path.clone(),
        route: Some("home".into()),
        template: "index.html".into(),
        translations: no_translations(),
        lastmod: newest(site, &edition.articles),
        listed: true,
        values: vec![
            (
                "head",
                head(
                    &typeset(config, lang, &language.title),
                    &language.title,
                    &language.description,
                    None,
                    "website",
                ),
            ),
            ("section", Value::from_serializable(&section)),
            ("pages", Value::from(latest)),
        ],
    });
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    total_items: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<Value>,
}

/// Splits `items` into pages at `base` (`/fr/articles/`), `base/page/2/`…; always one page.
fn paginate(
    config: &Config,
    base: &str,
    items: &[usize],
    summaries: &[Value],
) -> Vec<(String, Paginator)> {
    let per = config.paginate_by;
    let total = items.len().div_ceil(per).max(1);
    let url_of = |n: usize| {
        if n == 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        }
    };
    (1..=total)
        .map(|n| {
            let chunk = items.iter().skip((n - 1) * per).take(per);
            let paginator = Paginator {
                current: n,
                total,
                total_items: items.len(),
                first: config.absolute(&url_of(1)),
                last: config.absolute(&url_of(total)),
                previous: (n > 1).then(|| config.absolute(&url_of(n - 1))),
                next: (n < total).then(|| config.absolute(&url_of(n + 1))),
                pages: chunk.map(|&i| summaries[i].clone()).collect(),
            };
            (url_of(n), paginator)
        })
        .collect()
}

fn plan_sections(
    config: &Config,
    site: &Site,
    bodies: &[Rendered],
    summaries: &[Value],
    edition: &Edition,
    jobs: &mut Vec<Job>,
) {
    let lang = edition.lang.as_str();
    for section in &edition.sections {
        let title = section_title(site, section);
        let index = section.index.map(|i| &site.pages[i]);
        let plain_title = index.map_or(title.clone(), |p| p.front.title.clone());
        let description = index
            .and_then(|p| p.description.clone())
            .unwrap_or_default();
        let plain_description = index
            .and_then(|p| p.front.description.clone())
            .unwrap_or_default();
        let view = IndexView {
            title: &title,
            plain_title: &plain_title,
            description: &description,
            content: section.index.map_or_else(
                || Value::safe_string(""),
                |i| Value::safe_string(&bodies[i].html),
            ),
            url: config.absolute(&section.path),
            path: &section.path,
        };
        let view = Value::from_serializable(&view);
        for (path, paginator) in paginate(config, &section.path, &section.articles, summaries) {
            jobs.push(Job {
                lang: Some(lang.to_string()),
                route: Some(format!("section:{}:{}", section.name, paginator.current)),
                template: "section.html".into(),
                translations: no_translations(),
                lastmod: newest(site, &section.articles),
                listed: true,
                values: vec![
                    (
                        "head",
                        head(&title, &plain_title, &plain_description, None, "website"),
                    ),
                    ("section", view.clone()),
                    ("paginator", Value::from_serializable(&paginator)),
                ],
                path,
            });
        }
    }
}

fn plan_tags(
    config: &Config,
    site: &Site,
    summaries: &[Value],
    edition: &Edition,
    theme: &Theme,
    jobs: &mut Vec<Job>,
) {
    let lang = edition.lang.as_str();
    let tags_title = theme.string(lang, "tags").unwrap_or("Tags").to_string();
    let tags: Vec<Value> = edition
        .tags
        .iter()
        .map(|t| views::tag_view(config, t))
        .collect();
    jobs.push(Job {
        lang: Some(lang.to_string()),
        path: format!("/{lang}/tags/"),
        route: Some("tags".into()),
        template: "tags.html".into(),
        translations: no_translations(),
        lastmod: newest(site, &edition.articles),
        listed: true,
        values: vec![
            ("head", head(&tags_title, &tags_title, "", None, "website")),
            ("tags", Value::from(tags.clone())),
        ],
    });
    for (tag, view) in edition.tags.iter().zip(tags) {
        for (path, paginator) in paginate(config, &tag.path, &tag.articles, summaries) {
            jobs.push(Job {
                lang: Some(lang.to_string()),
                route: Some(format!("tag:{}:{}", tag.slug, paginator.current)),
                template: "tag.html".into(),
                translations: no_translations(),
                lastmod: newest(site, &tag.articles),
                listed: true,
                values: vec![
                    (
                        "head",
                        head(
                            &format!("{tags_title} · {}", tag.name),
                            &format!("{tags_title} · {}", tag.name),
                            "",
                            None,
                            "website",
                        ),
                    ),
                    ("tag", view.clone()),
                    ("paginator", Value::from_serializable(&paginator)),
                ],
                path,
            });
        }
    }
}

#[derive(Serialize)]
struct IssueLink<'a> {
    number: u32,
    title: &'a str,
    url: &'a str,
}

fn plan_issues(
    site: &Site,
    issues: &[IssueView],
    edition: &Edition,
    theme: &Theme,
    jobs: &mut Vec<Job>,
) {
    let lang = edition.lang.as_str();
    let archive_title = theme.string(lang, "issues").unwrap_or("Issues").to_string();
    jobs.push(Job {
        lang: Some(lang.to_string()),
        path: format!("/{lang}/issues/"),
        route: Some("issues".into()),
        template: "issues.html".into(),
        translations: no_translations(),
        lastmod: newest(site, &edition.articles),
        listed: true,
        values: vec![
            (
                "head",
                head(&archive_title, &archive_title, "", None, "website"),
            ),
            ("issues", Value::from_serializable(&issues)),
        ],
    });
    // `issues` is newest first: the previous issue is the next one in the list.
    for (i, issue) in issues.iter().enumerate() {
        let link = |other: Option<&IssueView>| {
            other.map_or_else(Value::none, |o| {
                Value::from_serializable(&IssueLink {
                    number: o.number,
                    title: &o.title,
                    url: &o.url,
                })
            })
        };
        let description = issue.plain_description.clone().unwrap_or_default();
        jobs.push(Job {
            lang: Some(lang.to_string()),
            path: issue.path.clone(),
            route: Some(format!("issue:{}", issue.number)),
            template: "issue.html".into(),
            translations: no_translations(),
            lastmod: edition.issues.get(i).and_then(|issue| {
                let intro = issue
                    .intro
                    .and_then(|p| site.pages[p].front.updated.or(site.pages[p].front.date));
                newest(site, &issue.articles).max(intro)
            }),
            listed: true,
            values: vec![
                (
                    "head",
                    head(
                        &issue.title,
                        &issue.plain_title,
                        &description,
                        issue.image.as_deref(),
                        "article",
                    ),
                ),
                ("issue", Value::from_serializable(issue)),
                ("previous_issue", link(issues.get(i + 1))),
                (
                    "next_issue",
                    link(i.checked_sub(1).and_then(|p| issues.get(p))),
                ),
            ],
        });
    }
}
