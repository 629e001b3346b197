//! `Site` + rendered bodies + `Theme` -> every output file, in memory: HTML pages through
//! the theme's templates (in parallel), static files and bundle files to copy.
//! Rendering is a function from data to bytes: `build` writes them, `serve` holds them.

pub(crate) mod email;
pub(crate) mod feeds;
mod plan;
mod sitemap;
pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::markdown::Rendered;
use crate::site::Site;
pub use plan::Job;
pub use theme::Theme;

/// What goes into one output file.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copied as-is from this file.
    Copy(PathBuf),
}

/// One file of the built site. `path` is relative to the output folder, with `/`.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub content: Content,
}

/// `/fr/articles/x/` -> `fr/articles/x/index.html`; `/404.html` -> `404.html`.
pub fn file_for(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

#[derive(Serialize)]
struct AlternateView<'a> {
    lang: &'a str,
    url: String,
}

#[derive(Serialize)]
struct SwitchView<'a> {
    lang: &'a str,
    name: &'a str,
    url: String,
    current: bool,
    /// False when the link leads to that language's home for want of a translation.
    translated: bool,
}

/// Renders every page of the site, and lists the files to copy.
pub fn render_site(
    config: &Config,
    site: &Site,
    bodies: &[Rendered],
    theme: &Theme,
) -> Result<Vec<OutputFile>> {
    let summaries: Vec<Value> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| views::page_view(config, site, bodies, id, false))
        .collect();
    let shared = plan::SharedViews::new(config, site, bodies, &summaries, theme);
    let started = std::time::Instant::now();
    let jobs = plan::plan(config, site, bodies, &summaries, theme, &shared);
    let timing = std::env::var_os("GAZETTE_TIMINGS").is_some();
    if timing {
        eprintln!(
            "timing:   plan         {:>7.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    let routes = route_table(&jobs);
    let global = global_context(config);
    let pages: Vec<Result<OutputFile>> = jobs
        .par_iter()
        .map(|job| render_job(config, theme, &global, &shared, &routes, job))
        .collect();
    let mut files = Vec::with_capacity(pages.len() + site.assets.len() * 2);
    let mut errors = Vec::new();
    for page in pages {
        match page {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    if let Some(e) = Error::from_many(merge_repeated(errors)) {
        return Err(e);
    }
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        content: Content::Bytes(sitemap::sitemap(config, &jobs, &routes).into_bytes()),
    });
    if timing {
        eprintln!(
            "timing:   pages        {:>7.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    files.extend(newsletter_files(config, site, bodies, theme, &shared)?);
    if timing {
        eprintln!(
            "timing:   newsletter   {:>7.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    files.extend(copies(config, site));
    files.push(OutputFile {
        path: "robots.txt".into(),
        content: Content::Bytes(
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                config.absolute("/sitemap.xml")
            )
            .into_bytes(),
        ),
    });
    Ok(files)
}

/// Feeds of every language and the email edition of every issue.
fn newsletter_files(
    config: &Config,
    site: &Site,
    bodies: &[Rendered],
    theme: &Theme,
    shared: &plan::SharedViews,
) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    let mut inputs = Vec::new();
    let no_values = Vec::new();
    for edition in &site.editions {
        files.extend(feeds::feeds(config, site, bodies, edition, theme)?);
        let views = shared
            .issues
            .get(&edition.lang)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (issue, view) in edition.issues.iter().zip(views) {
            let others = config
                .languages
                .iter()
                .filter(|l| l.code != edition.lang)
                .filter_map(|l| {
                    let views = shared.issues.get(&l.code)?;
                    views
                        .iter()
                        .find(|v| v.number == issue.number)
                        .map(|v| (l.code.as_str(), v))
                })
                .collect();
            inputs.push(email::EmailInput {
                lang: &edition.lang,
                issue,
                view,
                others,
                shared: shared.per_lang.get(&edition.lang).unwrap_or(&no_values),
            });
        }
    }
    let emails: Vec<Result<Vec<OutputFile>>> = inputs
        .par_iter()
        .map(|input| email::email(config, site, bodies, theme, input))
        .collect();
    for email in emails {
        files.extend(email?);
    }
    Ok(files)
}

/// One template mistake fails every page that uses it: report it once, with a count.
fn merge_repeated(errors: Vec<Error>) -> Vec<Error> {
    let mut merged: Vec<(Error, usize)> = Vec::new();
    for error in errors {
        let key = |e: &Error| match e {
            Error::Template { location, message } => Some((
                location.clone(),
                message
                    .split("\n  (while")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            )),
            _ => None,
        };
        let this = key(&error);
        match merged
            .iter_mut()
            .find(|(e, _)| this.is_some() && key(e) == this)
        {
            Some((_, count)) => *count += 1,
            None => merged.push((error, 0)),
        }
    }
    merged
        .into_iter()
        .map(|(mut error, others)| {
            if let (Error::Template { message, .. }, 1..) = (&mut error, others) {
                message.push_str(&format!(" and {others} other page(s)"));
            }
            error
        })
        .collect()
}

/// route -> (lang, URL path) of every page that has one, for translations of generated pages.
fn route_table(jobs: &[Job]) -> HashMap<&str, Vec<(&str, &str)>> {
    let mut routes: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    for job in jobs {
        if let (Some(route), Some(lang)) = (&job.route, &job.lang) {
            routes.entry(route).or_default().push((lang, &job.path));
        }
    }
    routes
}

#[derive(Serialize)]
struct ConfigView<'a> {
    base_url: &'a str,
    default_language: &'a str,
    languages: &'a [crate::config::Language],
    paginate_by: usize,
    extra: &'a toml::Table,
}

fn global_context(config: &Config) -> Context {
    let mut context = Context::new();
    context.insert(
        "config",
        &ConfigView {
            base_url: &config.base_url,
            default_language: &config.default_language,
            languages: &config.languages,
            paginate_by: config.paginate_by,
            extra: &config.extra,
        },
    );
    context
}

fn render_job(
    config: &Config,
    theme: &Theme,
    global: &Context,
    shared: &plan::SharedViews,
    routes: &HashMap<&str, Vec<(&str, &str)>>,
    job: &Job,
) -> Result<OutputFile> {
    let mut context = global.clone();
    context.insert("current_path", &job.path);
    context.insert("current_url", &config.absolute(&job.path));
    if let Some(lang) = &job.lang {
        context.insert("lang", lang);
        if let Some(values) = shared.per_lang.get(lang) {
            for (key, value) in values {
                context.insert_value(*key, value.clone());
            }
        }
        let versions = job
            .route
            .as_deref()
            .and_then(|r| routes.get(r))
            .cloned()
            .unwrap_or_default();
        let alternates: Vec<AlternateView> = config
            .languages
            .iter()
            .filter_map(|l| versions.iter().find(|(vl, _)| *vl == l.code))
            .map(|(l, p)| AlternateView {
                lang: l,
                url: config.absolute(p),
            })
            .collect();
        context.insert("alternates", &alternates);
        let switcher: Vec<SwitchView> = config
            .languages
            .iter()
            .map(|l| {
                let version = versions.iter().find(|(vl, _)| *vl == l.code);
                SwitchView {
                    lang: &l.code,
                    name: &l.title,
                    url: config.absolute(version.map_or(&format!("/{}/", l.code), |(_, p)| p)),
                    current: &l.code == lang,
                    translated: version.is_some(),
                }
            })
            .collect();
        context.insert("switcher", &switcher);
    } else {
        context.insert("lang", &config.default_language);
        context.insert("alternates", &Vec::<AlternateView>::new());
        if let Some(values) = shared.per_lang.get(&config.default_language) {
            for (key, value) in values {
                context.insert_value(*key, value.clone());
            }
        }
    }
    context.insert_value("translations", job.translations.clone());
    for (key, value) in &job.values {
        context.insert_value(*key, value.clone());
    }
    let html = theme.render(&job.template, &context, &job.path)?;
    Ok(OutputFile {
        path: file_for(&job.path),
        content: Content::Bytes(html.into_bytes()),
    })
}

/// Static files (the site's over the theme's) and each bundle's files beside every
/// language version of its page.
fn copies(config: &Config, site: &Site) -> Vec<OutputFile> {
    let mut by_path: HashMap<String, PathBuf> = HashMap::new();
    for dir in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        for (name, path) in theme::list_static_files(&dir) {
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
    let mut files: Vec<OutputFile> = by_path
        .into_iter()
        .map(|(path, source)| OutputFile {
            path,
            content: Content::Copy(source),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
