//! `Site` -> `SitePlan`: every file of the site as a `Target` at its output path, with the
//! HTML pages as lightweight `Job`s (template, route, what to show). Nothing is rendered
//! here: `build` renders the targets whose inputs changed, `serve` the one a browser asks for.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use tera::Value;

use super::collisions::{Origin, collisions};
use super::file_for;
use super::raster::Raster;
use super::theme_files::{FileData, ThemeFiles};
use crate::config::{Config, FeedFormat};
use crate::error::{Error, Location, Result};
use crate::site::{Edition, PageKind, Site};

/// What an HTML page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobKind {
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
pub(crate) struct Job {
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
pub(crate) enum FeedKind {
    Atom,
    Rss,
    Json,
}

/// What produces one output file.
#[derive(Debug, Clone)]
pub(crate) enum Target {
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
    /// A file copied as it is (static files, bundle files).
    Copy(FileData),
    /// An image drawn to PNG for the email editions (see `raster`).
    Raster(Raster),
    /// A page that sends readers on to redirect `n` of the plan's (an old URL).
    Redirect(usize),
    /// `_redirects`: every redirect as `OLD NEW 301` (Netlify, Cloudflare Pages).
    Redirects,
    /// Variant `n` of the plan's images (a resized copy of an image: `images`).
    Image(usize),
}

/// An old URL path that leads on to another page.
#[derive(Debug, Clone)]
pub(crate) struct Redirect {
    pub from: String,
    /// A URL path of the site, or an absolute URL.
    pub to: String,
    /// The page whose alias it is; none for `[redirects]` in config.toml.
    pub page: Option<usize>,
    /// The language of the page it leads to, for the redirect page's `lang`.
    pub lang: String,
}

/// Every file of the site, and what it takes to render each.
pub(crate) struct SitePlan {
    pub jobs: Vec<Job>,
    /// route -> (lang, URL path) of each version.
    pub routes: HashMap<String, Vec<(String, String)>>,
    /// Output path -> target, in a stable order.
    pub targets: Vec<(String, Target)>,
    pub index: HashMap<String, usize>,
    pub redirects: Vec<Redirect>,
    /// Where the `Raster` targets are among `targets` (each email looks for its own).
    pub rasters: std::ops::Range<usize>,
    /// The sizes of the site's images, and their resized variants (targets `Image(n)`).
    pub images: super::images::Images,
    /// What every template sees of the configuration, converted once.
    pub config: Value,
}

impl SitePlan {
    pub(crate) fn new(config: &Config, site: &Site, theme_files: &ThemeFiles) -> Result<SitePlan> {
        let mut jobs = vec![generated(
            None,
            "/404.html".into(),
            None,
            "404.html",
            JobKind::NotFound,
        )];
        // The language chooser, unless a language's home is at `/`.
        if config.has_chooser() {
            let route = Some("home".to_string());
            jobs.push(generated(
                None,
                "/".into(),
                route,
                "root.html",
                JobKind::Root,
            ));
        }
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
            targets.extend(edition_files(config, e, edition));
        }
        targets.push(("sitemap.xml".into(), Target::Sitemap));
        targets.push(("robots.txt".into(), Target::Robots));
        let redirects = redirects(config, site);
        for (n, redirect) in redirects.iter().enumerate() {
            targets.push((redirect_file(&redirect.from), Target::Redirect(n)));
        }
        if !redirects.is_empty() {
            targets.push(("_redirects".into(), Target::Redirects));
        }
        let copies = copies(config, site, theme_files)?;
        let on_disk: Vec<(String, std::path::PathBuf)> = copies
            .iter()
            .filter_map(|(path, source)| match source {
                FileData::Disk(file) => Some((path.clone(), file.clone())),
                FileData::Builtin(_) => None,
            })
            .collect();
        let images = super::images::plan(config, &on_disk);
        let first_raster = targets.len();
        for (path, raster) in super::raster::targets(config, site, &copies) {
            targets.push((path, Target::Raster(raster)));
        }
        let rasters = first_raster..targets.len();
        for (path, source) in copies {
            targets.push((path, Target::Copy(source)));
        }
        for (n, (path, _)) in images.variants.iter().enumerate() {
            targets.push((path.clone(), Target::Image(n)));
        }
        let paths: Vec<&str> = targets.iter().map(|(p, _)| p.as_str()).collect();
        let sources = Sources {
            config,
            site,
            jobs: &jobs,
            redirects: &redirects,
        };
        let collisions = collisions(&paths, |i| sources.origin(&targets[i]));
        if let Some(error) = Error::from_many(collisions) {
            return Err(error);
        }
        let index = targets
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i))
            .collect();
        Ok(SitePlan {
            jobs,
            routes,
            targets,
            index,
            redirects,
            rasters,
            images,
            config: super::views::config_value(config),
        })
    }
}

impl SitePlan {
    /// The versions of `job`'s page as `hreflang` alternates, (code, URL path): one per
    /// language that has it, in the config's order, then `x-default`: the language chooser
    /// for the homes when the site has one, else the default language's version. Pages and
    /// the sitemap both say this, so that every alternate is reciprocal.
    pub(crate) fn alternates(&self, config: &Config, job: &Job) -> Vec<(String, String)> {
        let Some(route) = &job.route else {
            return Vec::new();
        };
        let versions = self.routes.get(route).map_or(&[][..], Vec::as_slice);
        let mut alternates: Vec<(String, String)> = config
            .languages
            .iter()
            .filter_map(|l| versions.iter().find(|(code, _)| *code == l.code))
            .cloned()
            .collect();
        let default = if route == "home" && config.has_chooser() {
            Some("/".to_string())
        } else {
            versions
                .iter()
                .find(|(code, _)| *code == config.default_language)
                .map(|(_, path)| path.clone())
        };
        if let Some(path) = default {
            alternates.push(("x-default".to_string(), path));
        }
        alternates
    }
}

/// A language's feeds (at their old addresses too) and the email edition of each of its
/// issues.
fn edition_files(config: &Config, e: usize, edition: &Edition) -> Vec<(String, Target)> {
    let home = config.home_path(&edition.lang);
    let home = home.trim_start_matches('/');
    let feed = |name: &str, kind| (format!("{home}{name}"), Target::Feed { edition: e, kind });
    let mut files = vec![
        feed("atom.xml", FeedKind::Atom),
        feed("rss.xml", FeedKind::Rss),
        feed("feed.json", FeedKind::Json),
    ];
    let aliases = config
        .language(&edition.lang)
        .map(|l| &l.feed_aliases)
        .into_iter()
        .flatten();
    for (path, format) in aliases {
        let kind = match format {
            FeedFormat::Atom => FeedKind::Atom,
            FeedFormat::Rss => FeedKind::Rss,
            FeedFormat::Json => FeedKind::Json,
        };
        files.push((
            path.trim_start_matches('/').to_string(),
            Target::Feed { edition: e, kind },
        ));
    }
    for (i, issue) in edition.issues.iter().enumerate() {
        let dir = issue.path.trim_start_matches('/');
        for (name, text) in [("email.html", false), ("email.txt", true)] {
            let target = Target::Email {
                edition: e,
                issue: i,
                text,
            };
            files.push((format!("{dir}{name}"), target));
        }
    }
    files
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
pub(crate) fn page_paths(base: &str, items: usize, per: usize) -> Vec<(String, usize)> {
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
        config.home_path(l),
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
        config.lang_path(l, "tags/"),
        "tags".into(),
        "tags.html",
        JobKind::Tags { edition: e },
        all,
    ));
    jobs.push(list(
        config.lang_path(l, "issues/"),
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
/// language version of its page: (output path, source).
fn copies(
    config: &Config,
    site: &Site,
    theme_files: &ThemeFiles,
) -> Result<Vec<(String, FileData)>> {
    let mut by_path: BTreeMap<String, FileData> = BTreeMap::new();
    for (name, file) in theme_files.under("static") {
        by_path.insert(name.to_string(), file.clone());
    }
    for (name, path) in crate::source::list_static_files(&config.root, &config.root.join("static"))?
    {
        by_path.insert(name, FileData::Disk(path));
    }
    for page in &site.pages {
        let Some(bundle) = &page.bundle else { continue };
        for asset in site.assets.iter().filter(|a| &a.bundle == bundle) {
            let path = format!("{}{}", page.path.trim_start_matches('/'), asset.relative);
            by_path.insert(path, FileData::Disk(asset.source.clone()));
        }
    }
    Ok(by_path.into_iter().collect())
}

/// What the plan's targets are made from, to name them in collisions.
struct Sources<'a> {
    config: &'a Config,
    site: &'a Site,
    jobs: &'a [Job],
    redirects: &'a [Redirect],
}

impl Sources<'_> {
    /// The file to blame for a target, and how to name what it makes.
    fn origin(&self, target: &(String, Target)) -> Origin {
        let (config, site, jobs) = (self.config, self.site, self.jobs);
        let (location, what) = match &target.1 {
            Target::Redirect(n) => {
                let redirect = &self.redirects[*n];
                match redirect.page {
                    Some(id) => (
                        Location::file(&site.pages[id].source),
                        format!(
                            "the alias {} of {}",
                            redirect.from,
                            site.pages[id].source.display()
                        ),
                    ),
                    None => (
                        Location::file("config.toml"),
                        format!("the redirect {} of config.toml", redirect.from),
                    ),
                }
            }
            _ => blame(config, site, jobs, target),
        };
        let is_page = match target.1 {
            Target::Page(job) => matches!(jobs[job].kind, JobKind::Document(_)),
            Target::Redirect(n) => self.redirects[n].page.is_some(),
            _ => false,
        };
        Origin {
            location,
            what,
            is_page,
        }
    }
}

fn blame(
    config: &Config,
    site: &Site,
    jobs: &[Job],
    target: &(String, Target),
) -> (Location, String) {
    let page = |id: usize| Location::file(&site.pages[id].source);
    let own = |what: String| (Location::file("config.toml"), what);
    match &target.1 {
        Target::Page(job) => match jobs[*job].kind {
            JobKind::Document(id) => (
                page(id),
                format!("the page of {}", site.pages[id].source.display()),
            ),
            JobKind::Section {
                edition, section, ..
            } => {
                let section = &site.editions[edition].sections[section];
                let blamed = section.index.or(section.articles.first().copied());
                let what = format!("the list of the section content/{}/", section.name);
                (blamed.map_or_else(|| Location::file("content"), page), what)
            }
            JobKind::Tag { edition, tag, .. } => {
                let tag = &site.editions[edition].tags[tag];
                let what = format!("the page of the tag \"{}\"", tag.name);
                (
                    tag.articles
                        .first()
                        .map_or_else(|| Location::file("content"), |&i| page(i)),
                    what,
                )
            }
            JobKind::Issue { edition, issue } => {
                let issue = &site.editions[edition].issues[issue];
                let blamed = issue.intro.or(issue.articles.first().copied());
                let what = format!("the page of issue {}", issue.number);
                (blamed.map_or_else(|| Location::file("content"), page), what)
            }
            _ => own(format!("gazette's page {}", jobs[*job].path)),
        },
        Target::Copy(FileData::Disk(source)) => {
            let shown = source.strip_prefix(&config.root).unwrap_or(source);
            (
                Location::file(shown),
                format!("the file {}", shown.display()),
            )
        }
        Target::Copy(FileData::Builtin(_)) => own(format!("the theme's file {}", target.0)),
        _ => own(format!("gazette's file {}", target.0)),
    }
}

/// Every page's aliases and the config's `[redirects]`, in that order.
fn redirects(config: &Config, site: &Site) -> Vec<Redirect> {
    let mut redirects: Vec<Redirect> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(id, page)| {
            page.front.aliases.iter().map(move |from| Redirect {
                from: from.clone(),
                to: page.path.clone(),
                page: Some(id),
                lang: page.lang.clone(),
            })
        })
        .collect();
    redirects.extend(config.redirects.iter().map(|(from, to)| Redirect {
        from: from.clone(),
        to: to.clone(),
        page: None,
        lang: language_of_path(config, to),
    }));
    redirects
}

/// The language whose part of the site `path` is in: `/en/…` is English; anything else, an
/// absolute URL included, the default language.
fn language_of_path(config: &Config, path: &str) -> String {
    config
        .language_codes()
        .find(|code| *code != config.default_language && path.starts_with(&config.home_path(code)))
        .unwrap_or(&config.default_language)
        .to_string()
}

/// Where the page of a redirect from `from` goes: `/old/` and `/old` -> `old/index.html`,
/// `/old.html` -> `old.html`.
fn redirect_file(from: &str) -> String {
    let path = from.trim_start_matches('/');
    let last = path.rsplit('/').next().unwrap_or(path);
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else if last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/index.html")
    }
}
