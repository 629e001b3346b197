//! `Site` -> `SitePlan`: every file of the site as a `Target` at its output path, with the
//! HTML pages as lightweight `Job`s (template, route, what to show). Nothing is rendered
//! here: `build` renders every target, `serve` renders the one a browser asks for.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use tera::Value;

use super::views::{self, IssueView};
use super::{Inputs, file_for};
use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::site::{Edition, PageKind, Site};

/// What an HTML page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Root,
    NotFound,
    Document(usize),
    Home {
        edition: usize,
    },
    Section {
        edition: usize,
        section: usize,
        page: usize,
    },
    Tags {
        edition: usize,
    },
    Tag {
        edition: usize,
        tag: usize,
        page: usize,
    },
    Issues {
        edition: usize,
    },
    Issue {
        edition: usize,
        issue: usize,
    },
}

/// One HTML page to render.
#[derive(Debug, Clone)]
pub struct Job {
    /// None for the language chooser and the 404 page.
    pub lang: Option<String>,
    /// URL path: `/fr/articles/x/`.
    pub path: String,
    /// Pages of different languages with the same route are versions of each other.
    pub route: Option<String>,
    pub template: String,
    pub kind: JobKind,
    /// When the page last changed (for the sitemap): its date, or its newest article's.
    pub lastmod: Option<DateTime<FixedOffset>>,
    /// False for drafts (built with --drafts): they stay out of the sitemap.
    pub listed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Atom,
    Rss,
    Json,
}

/// What produces one output file.
#[derive(Debug, Clone)]
pub enum Target {
    Page(usize),
    Feed {
        edition: usize,
        kind: FeedKind,
    },
    Email {
        edition: usize,
        issue: usize,
        text: bool,
    },
    Sitemap,
    Robots,
    Copy(PathBuf),
}

/// Every file of the site, and what it takes to render each.
pub struct SitePlan {
    /// What depends on the site's structure only, shared by a plan and its renewals.
    layout: Arc<Layout>,
    /// Per language: what every page sees (site, navigation, latest issue).
    pub shared: HashMap<String, Vec<(&'static str, Value)>>,
    /// List entries by page, made when first needed: they depend on the bodies.
    summaries: Vec<OnceLock<Value>>,
}

/// The site's files and pages: what stays when only article texts change.
pub struct Layout {
    pub jobs: Vec<Job>,
    /// route -> (lang, URL path) of each version.
    pub routes: HashMap<String, Vec<(String, String)>>,
    /// Output path -> target, in a stable order.
    pub targets: Vec<(String, Target)>,
    pub index: HashMap<String, usize>,
    /// What every template sees of the configuration, converted once.
    pub config: Value,
}

impl std::ops::Deref for SitePlan {
    type Target = Layout;

    fn deref(&self) -> &Layout {
        &self.layout
    }
}

impl SitePlan {
    pub fn new(inputs: &Inputs) -> Result<SitePlan> {
        let Inputs { config, site, .. } = *inputs;
        let mut jobs = vec![
            generated(None, "/".into(), None, "root.html", JobKind::Root),
            generated(
                None,
                "/404.html".into(),
                None,
                "404.html",
                JobKind::NotFound,
            ),
        ];
        for (e, edition) in site.editions.iter().enumerate() {
            plan_documents(site, edition, &mut jobs);
            plan_lists(config, site, e, edition, &mut jobs);
        }
        let mut routes: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for job in &jobs {
            if let (Some(route), Some(lang)) = (&job.route, &job.lang) {
                routes
                    .entry(route.clone())
                    .or_default()
                    .push((lang.clone(), job.path.clone()));
            }
        }
        let mut targets: Vec<(String, Target)> = jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (file_for(&j.path), Target::Page(i)))
            .collect();
        for (e, edition) in site.editions.iter().enumerate() {
            let lang = &edition.lang;
            targets.push((
                format!("{lang}/atom.xml"),
                Target::Feed {
                    edition: e,
                    kind: FeedKind::Atom,
                },
            ));
            targets.push((
                format!("{lang}/rss.xml"),
                Target::Feed {
                    edition: e,
                    kind: FeedKind::Rss,
                },
            ));
            targets.push((
                format!("{lang}/feed.json"),
                Target::Feed {
                    edition: e,
                    kind: FeedKind::Json,
                },
            ));
            for (i, issue) in edition.issues.iter().enumerate() {
                let dir = issue.path.trim_start_matches('/');
                targets.push((
                    format!("{dir}email.html"),
                    Target::Email {
                        edition: e,
                        issue: i,
                        text: false,
                    },
                ));
                targets.push((
                    format!("{dir}email.txt"),
                    Target::Email {
                        edition: e,
                        issue: i,
                        text: true,
                    },
                ));
            }
        }
        targets.push(("sitemap.xml".into(), Target::Sitemap));
        targets.push(("robots.txt".into(), Target::Robots));
        let mut index: HashMap<String, usize> = targets
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i))
            .collect();
        for (path, source) in copies(config, site) {
            if let Some(&existing) = index.get(&path) {
                return Err(Error::Output {
                    location: Location::file(source.strip_prefix(&config.root).unwrap_or(&source)),
                    message: format!(
                        "this file would be published at {path}, where gazette writes {}: rename or move it",
                        targets[existing].0
                    ),
                });
            }
            index.insert(path.clone(), targets.len());
            targets.push((path, Target::Copy(source)));
        }
        let layout = Layout {
            jobs,
            routes,
            targets,
            index,
            config: super::pages::config_value(config),
        };
        Ok(SitePlan::with_layout(inputs, Arc::new(layout)))
    }

    fn with_layout(inputs: &Inputs, layout: Arc<Layout>) -> SitePlan {
        let mut plan = SitePlan {
            layout,
            shared: HashMap::new(),
            summaries: (0..inputs.site.pages.len())
                .map(|_| OnceLock::new())
                .collect(),
        };
        plan.shared = shared_views(inputs, &plan);
        plan
    }

    /// This plan for the same site with other bodies (an edit of article texts alone): the
    /// same pages and files, with summaries made again from the new bodies.
    pub fn renewed(&self, inputs: &Inputs) -> SitePlan {
        SitePlan::with_layout(inputs, self.layout.clone())
    }

    /// The list entry of page `id`, computed once.
    pub fn summary(&self, inputs: &Inputs, id: usize) -> Value {
        self.summaries[id]
            .get_or_init(|| views::page_view(inputs.config, inputs.site, inputs.bodies, id, false))
            .clone()
    }

    pub fn summaries(&self, inputs: &Inputs, ids: &[usize]) -> Value {
        Value::from(
            ids.iter()
                .map(|&i| self.summary(inputs, i))
                .collect::<Vec<_>>(),
        )
    }

    /// Issue `issue` of edition `edition`, with its articles' summaries.
    pub fn issue_view(&self, inputs: &Inputs, edition: usize, issue: usize) -> IssueView {
        let edition = &inputs.site.editions[edition];
        let issue = &edition.issues[issue];
        let fallback = issue_title(inputs, &edition.lang, issue.number);
        let pages = issue
            .articles
            .iter()
            .map(|&a| self.summary(inputs, a))
            .collect();
        views::issue_view(
            inputs.config,
            inputs.site,
            inputs.bodies,
            issue,
            pages,
            fallback,
        )
    }

    /// The same issue number in the other languages: (lang, its view).
    pub fn other_issues(
        &self,
        inputs: &Inputs,
        edition: usize,
        number: u32,
    ) -> Vec<(String, IssueView)> {
        let site = inputs.site;
        inputs
            .config
            .languages
            .iter()
            .filter_map(|l| site.editions.iter().position(|e| e.lang == l.code))
            .filter(|&e| e != edition)
            .filter_map(|e| {
                let i = site.editions[e]
                    .issues
                    .iter()
                    .position(|i| i.number == number)?;
                Some((site.editions[e].lang.clone(), self.issue_view(inputs, e, i)))
            })
            .collect()
    }
}

fn generated(
    lang: Option<&str>,
    path: String,
    route: Option<String>,
    template: &str,
    kind: JobKind,
) -> Job {
    Job {
        lang: lang.map(str::to_string),
        path,
        route,
        template: template.into(),
        kind,
        lastmod: None,
        listed: true,
    }
}

/// French typography for text gazette composes itself (titles from config).
pub fn typeset(config: &Config, lang: &str, text: &str) -> String {
    if config.french_typography && lang == "fr" {
        crate::typography::french(text)
    } else {
        text.to_string()
    }
}

pub fn issue_title(inputs: &Inputs, lang: &str, number: u32) -> String {
    let label = inputs.theme.string(lang, "issue").unwrap_or("Issue");
    format!("{label} {number}")
}

/// The newest date (updated, else published) of these pages.
fn newest(site: &Site, ids: &[usize]) -> Option<DateTime<FixedOffset>> {
    ids.iter()
        .filter_map(|&i| site.pages[i].front.updated.or(site.pages[i].front.date))
        .max()
}

fn plan_documents(site: &Site, edition: &Edition, jobs: &mut Vec<Job>) {
    for (id, page) in site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang == edition.lang)
    {
        let template = match page.kind {
            PageKind::Article { .. } => "article.html",
            PageKind::Standalone => "page.html",
            _ => continue,
        };
        jobs.push(Job {
            lang: Some(page.lang.clone()),
            path: page.path.clone(),
            route: Some(format!("doc:{}", page.group)),
            template: page
                .front
                .template
                .clone()
                .unwrap_or_else(|| template.to_string()),
            kind: JobKind::Document(id),
            lastmod: page.front.updated.or(page.front.date),
            listed: !page.front.draft,
        });
    }
}

/// Pages of `per` items at `base`, `base/page/2/`…: (path, page number). Always one page.
pub fn page_paths(base: &str, items: usize, per: usize) -> Vec<(String, usize)> {
    let total = items.div_ceil(per).max(1);
    (1..=total)
        .map(|n| {
            (
                if n == 1 {
                    base.to_string()
                } else {
                    format!("{base}page/{n}/")
                },
                n,
            )
        })
        .collect()
}

fn plan_lists(config: &Config, site: &Site, e: usize, edition: &Edition, jobs: &mut Vec<Job>) {
    let lang = Some(edition.lang.as_str());
    let l = &edition.lang;
    let all = newest(site, &edition.articles);
    let list = |path: String, route: String, template: &str, kind: JobKind, lastmod| Job {
        lastmod,
        ..generated(lang, path, Some(route), template, kind)
    };
    jobs.push(list(
        format!("/{l}/"),
        "home".into(),
        "index.html",
        JobKind::Home { edition: e },
        all,
    ));
    for (s, section) in edition.sections.iter().enumerate() {
        let lastmod = newest(site, &section.articles);
        for (path, page) in page_paths(&section.path, section.articles.len(), config.paginate_by) {
            let kind = JobKind::Section {
                edition: e,
                section: s,
                page,
            };
            jobs.push(list(
                path,
                format!("section:{}:{page}", section.name),
                "section.html",
                kind,
                lastmod,
            ));
        }
    }
    for (t, tag) in edition.tags.iter().enumerate() {
        let lastmod = newest(site, &tag.articles);
        for (path, page) in page_paths(&tag.path, tag.articles.len(), config.paginate_by) {
            let kind = JobKind::Tag {
                edition: e,
                tag: t,
                page,
            };
            jobs.push(list(
                path,
                format!("tag:{}:{page}", tag.slug),
                "tag.html",
                kind,
                lastmod,
            ));
        }
    }
    jobs.push(list(
        format!("/{l}/tags/"),
        "tags".into(),
        "tags.html",
        JobKind::Tags { edition: e },
        all,
    ));
    jobs.push(list(
        format!("/{l}/issues/"),
        "issues".into(),
        "issues.html",
        JobKind::Issues { edition: e },
        all,
    ));
    for (i, issue) in edition.issues.iter().enumerate() {
        let intro = issue
            .intro
            .and_then(|p| site.pages[p].front.updated.or(site.pages[p].front.date));
        let lastmod = newest(site, &issue.articles).max(intro);
        let kind = JobKind::Issue {
            edition: e,
            issue: i,
        };
        jobs.push(list(
            issue.path.clone(),
            format!("issue:{}", issue.number),
            "issue.html",
            kind,
            lastmod,
        ));
    }
}

/// Static files (the site's over the theme's) and each bundle's files beside every
/// language version of its page: (output path, source file).
fn copies(config: &Config, site: &Site) -> Vec<(String, PathBuf)> {
    let mut by_path: HashMap<String, PathBuf> = HashMap::new();
    for dir in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        for (name, path) in super::theme::list_static_files(&dir) {
            by_path.insert(name, path);
        }
    }
    for page in &site.pages {
        let Some(bundle) = &page.bundle else { continue };
        for asset in site.assets.iter().filter(|a| &a.bundle == bundle) {
            let path = format!("{}{}", page.path.trim_start_matches('/'), asset.relative);
            by_path.insert(path, asset.source.clone());
        }
    }
    let mut files: Vec<(String, PathBuf)> = by_path.into_iter().collect();
    files.sort();
    files
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

pub fn section_title(site: &Site, section: &crate::site::Section) -> String {
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

fn shared_views(inputs: &Inputs, plan: &SitePlan) -> HashMap<String, Vec<(&'static str, Value)>> {
    let Inputs { config, site, .. } = *inputs;
    let mut per_lang = HashMap::new();
    for (e, edition) in site.editions.iter().enumerate() {
        let lang = edition.lang.as_str();
        let Some(language) = config.language(lang) else {
            continue;
        };
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
        let latest = if edition.issues.is_empty() {
            Value::none()
        } else {
            Value::from_serializable(&plan.issue_view(inputs, e, 0))
        };
        let values = vec![
            ("site", Value::from_serializable(&site_view)),
            ("nav_sections", Value::from_serializable(&nav_sections)),
            ("nav_pages", Value::from_serializable(&nav_pages)),
            ("latest_issue", latest),
        ];
        per_lang.insert(lang.to_string(), values);
    }
    per_lang
}
