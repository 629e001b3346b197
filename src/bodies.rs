//! `Site` -> one `Rendered` body per page, in parallel: Markdown to HTML with `@/` links
//! resolved against the site's pages. Broken links are errors at their file line.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

/// Cache keys only live in this process: a fast hash with fixed seeds will do.
static HASH_STATE: ahash::RandomState = ahash::RandomState::with_seeds(1, 2, 3, 4);

use crate::config::Config;
use crate::error::{Error, Location, Warning};
use crate::markdown::{self, RenderOptions, Rendered};
use crate::site::{Page, Site};

/// Rendered bodies kept between builds (`serve`), by a hash of everything a body's HTML
/// depends on: its text, language, URL, the options, and every page's URL (for `@/` links).
#[derive(Default)]
pub struct Cache {
    bodies: Mutex<HashMap<u64, Arc<Rendered>>>,
    code: crate::markdown::CodeCache,
}

impl Cache {
    /// The body kept under `key`, or `render`'s, kept from now on.
    fn get_or_render(&self, key: u64, render: impl FnOnce() -> Rendered) -> Arc<Rendered> {
        if let Some(kept) = self.bodies.lock().ok().and_then(|b| b.get(&key).cloned()) {
            return kept;
        }
        let rendered = Arc::new(render());
        if let Ok(mut bodies) = self.bodies.lock() {
            bodies.insert(key, rendered.clone());
        }
        rendered
    }

    /// Forgets bodies no page uses any more.
    fn keep_only(&self, keys: &HashSet<u64>) {
        if let Ok(mut bodies) = self.bodies.lock() {
            bodies.retain(|k, _| keys.contains(k));
        }
    }
}

/// What every body's HTML depends on beyond its own page: options and all page URLs.
fn site_fingerprint(config: &Config, site: &Site) -> u64 {
    let mut hasher = HASH_STATE.build_hasher();
    (
        &config.base_url,
        config.french_typography,
        config.highlight_code,
        config.words_per_minute,
    )
        .hash(&mut hasher);
    for page in &site.pages {
        (&page.lang, &page.key, &page.path, &page.group).hash(&mut hasher);
    }
    hasher.finish()
}

fn body_key(fingerprint: u64, page: &Page, markdown: &str, with_text: bool) -> u64 {
    HASH_STATE.hash_one((
        fingerprint,
        markdown,
        &page.lang,
        &page.path,
        &page.slug,
        with_text,
    ))
}

/// The pages the email editions show as plain text: each issue's articles and intro. Their
/// text is rendered with their HTML, from the same parse.
fn in_emails(site: &Site) -> HashSet<usize> {
    site.editions
        .iter()
        .flat_map(|edition| &edition.issues)
        .flat_map(|issue| issue.articles.iter().copied().chain(issue.intro))
        .collect()
}

/// Renders every page's body; `bodies[i]` belongs to `site.pages[i]`. Broken links are
/// returned as errors beside the bodies, so a check can go on.
///
/// `markdown`, when given, holds the pages' texts taken out of `site` (a build no longer needs
/// them afterwards): each is freed as soon as its page is rendered, with the links and ids
/// only `check` reads, which keeps a large site's peak memory down. Otherwise the texts are
/// read from the pages.
pub fn render_all(
    config: &Config,
    site: &Site,
    cache: Option<&Cache>,
    markdown: Option<Vec<Arc<str>>>,
) -> (Vec<Arc<Rendered>>, Vec<Warning>, Vec<Error>) {
    let fingerprint = site_fingerprint(config, site);
    let build_code_cache = crate::markdown::CodeCache::default();
    let code_cache = cache.map_or(&build_code_cache, |c| &c.code);
    let in_emails = in_emails(site);
    // A build (it gives the texts) has no use for what only `check` reads.
    let building = markdown.is_some();
    let markdown = markdown.unwrap_or_else(|| site.pages.iter().map(|p| p.body.clone()).collect());
    type Done = (u64, Arc<Rendered>, Vec<Warning>, Vec<Error>);
    let done: Vec<Done> = markdown
        .into_par_iter()
        .zip(site.pages.par_iter())
        .enumerate()
        .map(|(id, (text, page))| {
            let with_text = in_emails.contains(&id);
            let render = || render_page(config, site, page, &text, code_cache, with_text);
            let (key, mut rendered) = match cache {
                None => (0, Arc::new(render())),
                Some(cache) => {
                    let key = body_key(fingerprint, page, &text, with_text);
                    (key, cache.get_or_render(key, render))
                }
            };
            let (mut warnings, mut errors) = (Vec::new(), Vec::new());
            report(page, &text, &rendered, &mut warnings, &mut errors);
            if let Some(body) = Arc::get_mut(&mut rendered).filter(|_| building) {
                body.links = Vec::new();
                body.anchors = Vec::new();
            }
            (key, rendered, warnings, errors)
        })
        .collect();
    if let Some(cache) = cache {
        cache.keep_only(&done.iter().map(|(key, ..)| *key).collect());
    }
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    let mut rendered = Vec::with_capacity(done.len());
    for (_, body, page_warnings, page_errors) in done {
        rendered.push(body);
        warnings.extend(page_warnings);
        errors.extend(page_errors);
    }
    (rendered, warnings, errors)
}

/// Renders the bodies of pages `ids` alone (`serve`, after an edit of those texts): the same
/// as `render_all` gives for them, from the same cache.
pub fn render_some(
    config: &Config,
    site: &Site,
    ids: &[usize],
    cache: &Cache,
) -> (Vec<Arc<Rendered>>, Vec<Warning>, Vec<Error>) {
    let fingerprint = site_fingerprint(config, site);
    let in_emails = in_emails(site);
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    let rendered = ids
        .iter()
        .map(|&id| {
            let page = &site.pages[id];
            let with_text = in_emails.contains(&id);
            let key = body_key(fingerprint, page, &page.body, with_text);
            let rendered = cache.get_or_render(key, || {
                render_page(config, site, page, &page.body, &cache.code, with_text)
            });
            report(page, &page.body, &rendered, &mut warnings, &mut errors);
            rendered
        })
        .collect();
    (rendered, warnings, errors)
}

/// A body's broken links (errors) and images without alt text (warnings), at their lines
/// in `markdown`, the page's text.
fn report(
    page: &Page,
    markdown: &str,
    body: &Rendered,
    warnings: &mut Vec<Warning>,
    errors: &mut Vec<Error>,
) {
    let at = |offset| Location::from_offset(&page.source, markdown, offset, page.body_line);
    for problem in &body.errors {
        errors.push(Error::Link {
            location: at(problem.offset),
            message: problem.message.clone(),
        });
    }
    for &offset in &body.images_without_alt {
        warnings.push(Warning {
            location: at(offset),
            message: "image without alt text: describe it for readers who cannot see it, \
                      ![like this](image.png)"
                .into(),
        });
    }
}

fn render_page(
    config: &Config,
    site: &Site,
    page: &Page,
    body: &str,
    code_cache: &crate::markdown::CodeCache,
    with_text: bool,
) -> Rendered {
    let page_url = config.absolute(&page.path);
    let resolve = |target: &str| resolve_link(config, site, &page.lang, target);
    let id_prefix = format!("{}-", page.slug);
    let options = RenderOptions {
        french: config.french_typography && page.lang == "fr",
        highlight: config.highlight_code,
        id_prefix: &id_prefix,
        page_url: &page_url,
        base_url: &config.base_url,
        words_per_minute: config.words_per_minute,
        code_cache: Some(code_cache),
        resolve: &resolve,
    };
    let text_width = with_text.then_some(crate::render::email::TEXT_WIDTH);
    markdown::render_with_text(body, &options, text_width)
}

/// `articles/x.md#part` (after `@/`) -> the absolute URL of that page in `lang`, or of
/// another language's version when `lang` has none; `articles/x.en.md` picks the language.
pub fn resolve_link(
    config: &Config,
    site: &Site,
    lang: &str,
    target: &str,
) -> Result<String, String> {
    let (file, anchor) = match target.split_once('#') {
        Some((file, anchor)) => (file, format!("#{anchor}")),
        None => (target, String::new()),
    };
    let file = file.trim_start_matches('/');
    let not_found = || {
        format!(
            "broken internal link @/{target}: there is no content/{file} (write the path from content/, e.g. @/articles/my-article.md)"
        )
    };
    let (stem, explicit) = crate::lang::split_suffix(file).ok_or_else(not_found)?;
    let explicit = explicit.filter(|l| config.language(l).is_some());
    let stem = match explicit {
        Some(_) => stem,
        None => file.strip_suffix(".md").unwrap_or(file),
    };
    let wanted = explicit.unwrap_or(lang);
    let lookup = |l: &str| site.by_key.get(&(l.to_string(), stem.to_string())).copied();
    // The file named, in the wanted language; else its translation in that language (names
    // may differ: translation_key); else the file itself in whatever language it exists.
    let any_version = lookup(wanted).or_else(|| {
        std::iter::once(config.default_language.as_str())
            .chain(config.language_codes())
            .find_map(lookup)
    });
    let any_version = any_version
        .filter(|&p| explicit.is_none() || site.pages[p].lang == wanted)
        .ok_or_else(not_found)?;
    let page = if site.pages[any_version].lang == wanted {
        any_version
    } else {
        site.translations_of(any_version)
            .find(|&t| site.pages[t].lang == wanted)
            .unwrap_or(any_version)
    };
    Ok(format!(
        "{}{anchor}",
        config.absolute(&site.pages[page].path)
    ))
}
