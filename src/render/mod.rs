//! `Site` + rendered bodies + `Theme` -> the site's files, in memory: HTML pages through
//! the theme's templates, feeds, sitemap, email editions, and files to copy.
//! Rendering is a function from data to bytes: `build` renders every file and writes them,
//! `serve` renders each file when it is asked for.

mod aside;
pub(crate) mod email;
pub(crate) mod feeds;
mod pages;
pub mod plan;
mod sitemap;
pub mod theme;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::markdown::Rendered;
use crate::site::Site;
pub use plan::{SitePlan, Target};
pub use theme::Theme;

/// Everything rendering reads.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub bodies: &'a [Arc<Rendered>],
    pub theme: &'a Theme,
}

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

/// Renders one target of the plan.
pub fn render_target(inputs: &Inputs, plan: &SitePlan, target: &Target) -> Result<Content> {
    let bytes = match target {
        Target::Copy(source) => return Ok(Content::Copy(source.clone())),
        Target::Page(job) => pages::render_page(inputs, plan, &plan.jobs[*job])?,
        Target::Feed { edition, kind } => {
            feeds::render_feed(inputs, &inputs.site.editions[*edition], *kind)?
        }
        Target::Email {
            edition,
            issue,
            text,
        } => {
            let parts = if *text {
                email::Parts::Text
            } else {
                email::Parts::Html
            };
            let (html, txt) = email::email(inputs, plan, *edition, *issue, parts)?;
            if *text { txt } else { html }
        }
        Target::Sitemap => sitemap::sitemap(inputs.config, &plan.jobs, &plan.routes).into_bytes(),
        Target::Robots => format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            inputs.config.absolute("/sitemap.xml")
        )
        .into_bytes(),
    };
    Ok(Content::Bytes(bytes))
}

/// Renders every file of the site, in parallel, into memory.
pub fn render_all(inputs: &Inputs, plan: &SitePlan) -> Result<Vec<OutputFile>> {
    let files = std::sync::Mutex::new(Vec::with_capacity(plan.targets.len()));
    // A push cannot leave the list half-made: a lock poisoned elsewhere is still good.
    render_each(inputs, plan, |file| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file);
        Ok(())
    })?;
    let mut files = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every output path, in the plan's order (both parts of each email included).
pub fn output_paths(plan: &SitePlan) -> Vec<&str> {
    plan.targets.iter().map(|(path, _)| path.as_str()).collect()
}

/// Renders every file of the site in parallel, handing each to `sink` as soon as it is
/// made (`build` writes it at once, so the site is never held in memory whole).
pub fn render_each(
    inputs: &Inputs,
    plan: &SitePlan,
    sink: impl Fn(OutputFile) -> Result<()> + Sync,
) -> Result<()> {
    let inputs = *inputs;
    let errors: Vec<Error> = plan
        .targets
        .par_iter()
        .filter(|(_, target)| !matches!(target, Target::Email { text: true, .. }))
        .filter_map(|(path, target)| {
            let result = match target {
                // Both parts of an email come from one rendering.
                Target::Email { edition, issue, .. } => {
                    email::email(&inputs, plan, *edition, *issue, email::Parts::Both).and_then(
                        |(html, txt)| {
                            let txt_path = format!("{}txt", path.trim_end_matches("html"));
                            sink(OutputFile {
                                path: path.clone(),
                                content: Content::Bytes(html),
                            })?;
                            sink(OutputFile {
                                path: txt_path,
                                content: Content::Bytes(txt),
                            })
                        },
                    )
                }
                _ => render_target(&inputs, plan, target).and_then(|content| {
                    sink(OutputFile {
                        path: path.clone(),
                        content,
                    })
                }),
            };
            result.err()
        })
        .collect();
    match Error::from_many(merge_repeated(errors)) {
        Some(e) => Err(e),
        None => Ok(()),
    }
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
