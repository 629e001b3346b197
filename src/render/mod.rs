//! `Inputs` (site, bodies, theme, plan) -> the site's files, in memory: HTML pages through the
//! theme's templates, feeds, sitemap, email editions, and files to copy. Rendering is a
//! function from data to bytes: `build` renders the files whose inputs changed and writes
//! them, `serve` renders each file when it is asked for.
//!
//! `keys` says what each file is made from without rendering it: a hash of the values its
//! template sees, computed with each body's key standing in for the body.

mod collisions;
mod email;
mod feeds;
mod html;
mod images;
mod inputs;
mod pages;
mod plan;
mod prose;
mod raster;
mod redirects;
mod relative;
mod sitemap;
mod theme;
mod theme_files;
mod views;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::bodies::BodyKeys;
use crate::error::{Error, Result};
use crate::key::{Key, KeyWriter, key_of};
pub(crate) use email::GMAIL_CLIP;
pub(crate) use inputs::Inputs;
pub(crate) use plan::{SitePlan, Target};
pub(crate) use theme::Theme;
use theme_files::FileData;
pub(crate) use theme_files::{ThemeFiles, builtin_theme};

/// The values a template sees, by name.
pub(crate) type Values = Vec<(&'static str, Value)>;

pub(crate) fn context(values: Values) -> Context {
    let mut context = Context::new();
    for (name, value) in values {
        context.insert_value(name, value);
    }
    context
}

/// What goes into one output file.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    Bytes(Vec<u8>),
    /// Copied as-is from this file.
    Copy(PathBuf),
}

/// One file of the built site. `path` is relative to the output folder, with `/`.
#[derive(Debug, Clone)]
pub(crate) struct OutputFile {
    pub path: String,
    pub content: Content,
}

/// `/fr/articles/x/` -> `fr/articles/x/index.html`; `/404.html` -> `404.html`.
pub(crate) fn file_for(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Renders target `index` of the plan (`serve`: one file at a time).
pub(crate) fn render_one(inputs: &Inputs, index: usize) -> Result<Content> {
    let (path, target) = &inputs.plan.targets[index];
    let bytes = match target {
        Target::Copy(FileData::Disk(source)) => return Ok(Content::Copy(source.clone())),
        Target::Copy(FileData::Builtin(bytes)) => return Ok(Content::Bytes(bytes.to_vec())),
        Target::Image(n) => {
            images::render(&inputs.config.root, &inputs.plan.images.variants[*n].1)?
        }
        Target::Raster(raster) => raster::png(&inputs.config, raster)?,
        Target::Email {
            edition,
            issue,
            text,
        } => {
            let (html, txt) = email::render_email(inputs, *edition, *issue)?;
            if *text { txt } else { html }
        }
        _ => render_bytes(inputs, path, target)?,
    };
    Ok(Content::Bytes(bytes))
}

/// The bytes of a target that is not a copy nor an email.
fn render_bytes(inputs: &Inputs, path: &str, target: &Target) -> Result<Vec<u8>> {
    let bytes = match target {
        Target::Page(job) => {
            let job = &inputs.plan.jobs[*job];
            let lang = pages::page_lang(inputs, job);
            let context = context(inputs.with_shared(lang, pages::values(inputs, job)));
            let html = inputs
                .theme
                .render_bytes(&job.template, &context, &job.path)?;
            if inputs.relative && relative::applies_to(path) {
                relative::relativize_bytes(html, path, &inputs.config.base_url)
            } else {
                html
            }
        }
        Target::Feed { edition, kind } => {
            feeds::render_feed(inputs, &inputs.site.editions[*edition], *kind)?
        }
        Target::Sitemap => sitemap::sitemap(&inputs.config, &inputs.plan).into_bytes(),
        Target::Robots => format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            inputs.config.absolute("/sitemap.xml")
        )
        .into_bytes(),
        Target::Redirect(n) => redirects::page(&inputs.config, &inputs.plan.redirects[*n]),
        Target::Redirects => redirects::file(&inputs.config, &inputs.plan.redirects),
        Target::Copy(_) | Target::Email { .. } | Target::Image(_) | Target::Raster(_) => Vec::new(),
    };
    Ok(bytes)
}

/// Renders targets `which` (indexes into the plan's targets) in parallel, handing each file
/// to `sink` as soon as it is made. Both parts of an email come from one rendering.
pub(crate) fn render_many(
    inputs: &Inputs,
    which: &[usize],
    sink: impl Fn(OutputFile) -> Result<()> + Sync,
) -> Result<()> {
    let targets = &inputs.plan.targets;
    let mut work: Vec<usize> = which
        .iter()
        .map(|&i| match targets[i].1 {
            // An email's text part is rendered with its HTML part, just before it.
            Target::Email { text: true, .. } => i - 1,
            _ => i,
        })
        .collect();
    work.dedup();
    in_issue_order(inputs, &mut work);
    let errors: Vec<Error> = work
        .par_iter()
        .filter_map(|&i| {
            let (path, target) = &targets[i];
            let result = match target {
                Target::Email { edition, issue, .. } => {
                    email::render_email(inputs, *edition, *issue).and_then(|(html, txt)| {
                        sink(OutputFile {
                            path: path.clone(),
                            content: Content::Bytes(html),
                        })?;
                        sink(OutputFile {
                            path: targets[i + 1].0.clone(),
                            content: Content::Bytes(txt),
                        })
                    })
                }
                _ => render_one(inputs, i).and_then(|content| {
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

/// Puts each issue's article pages next to its email edition, the last file to read their
/// bodies: a build lets a body go once every file that shows it is made (`Bodies`), so a
/// large site keeps a few issues' bodies in memory rather than all of them.
fn in_issue_order(inputs: &Inputs, work: &mut [usize]) {
    let mut issue_of = vec![usize::MAX; inputs.site.pages.len()];
    let mut rank = std::collections::HashMap::new();
    for (e, edition) in inputs.site.editions.iter().enumerate() {
        for (i, issue) in edition.issues.iter().enumerate() {
            let order = rank.len();
            rank.insert((e, i), order);
            for &id in issue.articles.iter().chain(&issue.intro) {
                issue_of[id] = order;
            }
        }
    }
    let (targets, jobs) = (&inputs.plan.targets, &inputs.plan.jobs);
    // Stable: within an issue, its pages come before its email, as in the plan.
    work.sort_by_key(|&i| match targets[i].1 {
        Target::Page(job) => match jobs[job].kind {
            plan::JobKind::Document(id) => issue_of[id],
            _ => usize::MAX,
        },
        Target::Email { edition, issue, .. } => {
            rank.get(&(edition, issue)).copied().unwrap_or(usize::MAX)
        }
        _ => usize::MAX,
    });
}

/// Every file of the site: its path, and the key of what it is made from.
pub(crate) struct Files {
    pub paths: Vec<String>,
    pub keys: Vec<Key>,
    /// How many times making every file reads each page's body whole.
    pub body_reads: Vec<u32>,
    index: std::collections::HashMap<String, usize>,
}

impl Files {
    /// The site's files and their keys: for templated files, a hash of `global` (gazette,
    /// the options, the config and the templates) and of the values the template sees, each
    /// body's key standing in for the body (nothing is rendered); for copies, of the source.
    pub(crate) fn of(inputs: &Inputs, global: Key) -> Files {
        let body_keys = Arc::new(BodyKeys::new(&*inputs.bodies));
        let keyed = inputs.keyed(body_keys.clone());
        let paths: Vec<String> = inputs.plan.targets.iter().map(|(p, _)| p.clone()).collect();
        let keys = keys(&keyed, global);
        Files {
            keys,
            body_reads: body_keys.reads(),
            index: paths
                .iter()
                .enumerate()
                .map(|(i, p)| (p.clone(), i))
                .collect(),
            paths,
        }
    }

    /// The key of the file at `path` (one of the site's).
    pub(crate) fn key(&self, path: &str) -> Key {
        self.index.get(path).map_or(0, |&i| self.keys[i])
    }

    /// How many HTML pages the site has.
    pub(crate) fn pages(&self) -> usize {
        self.paths.iter().filter(|p| p.ends_with(".html")).count()
    }
}

/// The key of every target of the plan (see `Files::of`); `keyed` are inputs whose bodies
/// are their keys.
fn keys(keyed: &Inputs, global: Key) -> Vec<Key> {
    let targets = &keyed.plan.targets;
    // Pages show their images' sizes and variants: a change to any image is a change to them.
    let global = key_of(&[
        &global.to_le_bytes(),
        &keyed.plan.images.key().to_le_bytes(),
    ]);
    let global = global.to_le_bytes();
    // What every page of a language shares is hashed once.
    let shared: std::collections::HashMap<&str, [u8; 16]> = keyed
        .config
        .language_codes()
        .map(|lang| (lang, values_key(keyed.shared(lang))))
        .collect();
    let shared_of = |lang: &str| shared.get(lang).copied().unwrap_or_default();
    let email_key = |path: &str, edition: usize, values: &[u8; 16]| {
        let shared = shared_of(&keyed.site.editions[edition].lang);
        key_of(&[&global, path.as_bytes(), &shared, values])
    };
    let mut keys: Vec<(Key, Option<[u8; 16]>)> = targets
        .par_iter()
        .map(|(path, target)| match target {
            Target::Copy(FileData::Disk(source)) => (key_of(&[b"copy", &file_stamp(source)]), None),
            Target::Copy(FileData::Builtin(bytes)) => (key_of(&[b"built in", bytes]), None),
            Target::Image(n) => (keyed.plan.images.variants[*n].1.key(), None),
            // Drawn from its source alone, at the size the plan gave it.
            Target::Raster(raster) => {
                let size = [raster.width.to_le_bytes(), raster.height.to_le_bytes()].concat();
                let source = match &raster.source {
                    FileData::Disk(source) => file_stamp(source),
                    FileData::Builtin(bytes) => bytes.to_vec(),
                };
                (key_of(&[&global, b"raster", &size, &source]), None)
            }
            Target::Page(job) => {
                let job = &keyed.plan.jobs[*job];
                let shared = shared_of(pages::page_lang(keyed, job));
                let values = values_key(&pages::values(keyed, job));
                let template = job.template.as_bytes();
                (
                    key_of(&[&global, path.as_bytes(), template, &shared, &values]),
                    None,
                )
            }
            Target::Feed { edition, kind } => {
                let edition = &keyed.site.editions[*edition];
                let values = values_key(&feeds::values(keyed, edition));
                let kind = format!("{kind:?}");
                (
                    key_of(&[&global, path.as_bytes(), kind.as_bytes(), &values]),
                    None,
                )
            }
            // Its text part, just after it, is made from the same values (see `render_many`).
            Target::Email { text: true, .. } => (0, None),
            Target::Email { edition, issue, .. } => {
                let values = values_key(&email::values(keyed, *edition, *issue));
                (email_key(path, *edition, &values), Some(values))
            }
            // Made by code from the plan alone, in no time: its bytes are its key.
            Target::Sitemap | Target::Robots | Target::Redirect(_) | Target::Redirects => {
                let bytes = render_bytes(keyed, path, target).unwrap_or_default();
                (key_of(&[&global, path.as_bytes(), &bytes]), None)
            }
        })
        .collect();
    for i in 1..targets.len() {
        if let (
            path,
            Target::Email {
                edition,
                text: true,
                ..
            },
        ) = &targets[i]
            && let Some(values) = keys[i - 1].1
        {
            keys[i].0 = email_key(path, *edition, &values);
        }
    }
    keys.into_iter().map(|(key, _)| key).collect()
}

/// A hash of one template value.
pub(crate) fn values_key_of(value: &Value) -> Key {
    let mut hasher = KeyWriter::new();
    // Writing to a hasher cannot fail; a value that does not serialize is left out.
    let _ = serde_json::to_writer(&mut hasher, value);
    hasher.finish()
}

/// A hash of template values, as bytes.
fn values_key(values: &[(&'static str, Value)]) -> [u8; 16] {
    let mut hasher = KeyWriter::new();
    for (name, value) in values {
        hasher.update(name.as_bytes());
        // Writing to a hasher cannot fail; a value that does not serialize is left out.
        let _ = serde_json::to_writer(&mut hasher, value);
    }
    hasher.finish().to_le_bytes()
}

/// Files up to this size are keyed by content (stylesheets, small images); larger ones by
/// size and modification time.
const KEYED_BY_CONTENT: u64 = 256 * 1024;

/// What stands for a source file's content in a key.
pub(crate) fn file_stamp(path: &std::path::Path) -> Vec<u8> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Vec::new();
    };
    let mut stamp = path.as_os_str().as_encoded_bytes().to_vec();
    if meta.len() <= KEYED_BY_CONTENT
        && let Ok(bytes) = std::fs::read(path)
    {
        stamp.extend_from_slice(&key_of(&[&bytes]).to_le_bytes());
        return stamp;
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    stamp.extend_from_slice(&meta.len().to_le_bytes());
    stamp.extend_from_slice(&modified.to_le_bytes());
    stamp
}

/// One template mistake fails every page that uses it, and a full disk every file: each is
/// reported once, with a count.
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
            Error::Io { source, .. } => {
                Some((crate::error::Location::file(""), source.to_string()))
            }
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
        .map(|(mut error, others)| match (&mut error, others) {
            (Error::Template { message, .. }, 1..) => {
                message.push_str(&format!(" and {others} other page(s)"));
                error
            }
            (Error::Io { path, source }, 1..) => Error::Output {
                location: crate::error::Location::file(path.clone()),
                message: format!("{source} (and {others} other files)"),
            },
            _ => error,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_one_error() {
        let full = |n: usize| {
            let path = std::path::PathBuf::from(format!("output/{n}.html"));
            Error::io(&path, std::io::Error::from(std::io::ErrorKind::StorageFull))
        };
        let merged = merge_repeated((0..1900).map(full).collect());
        assert_eq!(merged.len(), 1);
        assert!(
            merged[0].to_string().ends_with("(and 1899 other files)"),
            "{}",
            merged[0]
        );
    }
}
