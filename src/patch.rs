//! `serve`'s fast rebuild. An edit of existing pages that changes their text, or what their
//! front matter only shows (title, description, authors, image, `extra`), leaves every URL,
//! list, tag and issue where it was: the last build is reused with those pages updated and
//! their bodies rendered again, and lists, feeds and emails, rendered on demand, show the
//! change. Anything else (a new, moved or deleted file; a change of date, slug, tags, issue,
//! weight, draft, template or translation key; a template, static or config change) goes
//! through the whole pipeline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::frontmatter::{self, FrontMatter};
use crate::{Caches, Diagnostics, Prepared, bodies, render, site};

/// `previous` with the new versions of `changed`, or None when the edit may move a page. `root` is the site's root as the watcher reports paths (canonical).
pub fn patch_bodies(
    previous: &Prepared,
    root: &Path,
    changed: &[PathBuf],
    caches: &Caches,
) -> Option<(Option<Prepared>, Diagnostics)> {
    let mut edits = Vec::new();
    for path in changed {
        let shown = path.strip_prefix(root).ok()?;
        if !shown.starts_with("content") {
            return None;
        }
        let page = previous
            .site
            .pages
            .iter()
            .position(|p| p.source.as_os_str() == shown.as_os_str());
        let Some(id) = page else {
            if is_transient(previous, path, shown) {
                continue;
            }
            return None;
        };
        if edits.iter().any(|(other, _)| *other == id) {
            continue;
        }
        let page = &previous.site.pages[id];
        let text = caches.sources.read(path, shown).ok()?;
        let doc = frontmatter::parse(&text, shown, page.is_article()).ok()?;
        if !same_place(&doc.front, &page.front) {
            return None;
        }
        if !same_front_matter(&doc.front, &page.front)
            || doc.body != page.body
            || doc.body_line != page.body_line
        {
            edits.push((id, doc));
        }
    }
    let config = previous.config.clone();
    let mut site = (*previous.site).clone();
    let mut retitled = false;
    for (id, doc) in &edits {
        let page = Arc::make_mut(&mut site.pages[*id]);
        retitled |= doc.front.title != page.front.title;
        page.title = site::shown_text(&config, &page.lang, &doc.front.title);
        page.description = doc
            .front
            .description
            .as_deref()
            .map(|d| site::shown_text(&config, &page.lang, d));
        page.front = doc.front.clone();
        page.body = doc.body.clone();
        page.body_line = doc.body_line;
    }
    if retitled {
        // Titles order pages of the same date, and standalone pages; a tag is named after
        // its newest article's spelling, so the tags' order may change too, and with it the
        // files the plan gave each tag: then only a full rebuild will do.
        let editions = site::editions_of(&config, &site.pages)?;
        if shape(&editions) != shape(&site.editions) {
            return None;
        }
        site.editions = Arc::new(editions);
    }
    let mut bodies = previous.bodies.clone();
    let mut diagnostics = Diagnostics {
        files: site.pages.len(),
        ..Diagnostics::default()
    };
    let ids: Vec<usize> = edits.iter().map(|(id, _)| *id).collect();
    let (rendered, warnings, errors) = bodies::render_some(&config, &site, &ids, &caches.bodies);
    for (id, body) in ids.into_iter().zip(rendered) {
        bodies[id] = body;
    }
    diagnostics.warnings = warnings;
    diagnostics.errors = errors;
    if !diagnostics.errors.is_empty() {
        return Some((None, diagnostics));
    }
    let plan = previous.plan.renewed(&render::Inputs {
        config: &config,
        site: &site,
        bodies: &bodies,
        theme: &previous.theme,
    });
    let prepared = Prepared {
        config,
        site: Arc::new(site),
        bodies,
        theme: previous.theme.clone(),
        plan,
    };
    Some((Some(prepared), diagnostics))
}

/// A file that came and went between two rebuilds (a tool's temporary file, such as sed's):
/// gone now, and neither a page, a bundle file, nor a folder holding one.
fn is_transient(previous: &Prepared, path: &Path, shown: &Path) -> bool {
    path.symlink_metadata().is_err()
        && !previous
            .site
            .pages
            .iter()
            .any(|p| p.source.starts_with(shown))
        && !previous.site.assets.iter().any(|a| {
            a.source
                .strip_prefix(&previous.config.root)
                .unwrap_or(&a.source)
                .starts_with(shown)
        })
}

/// What the plan's files depend on in the editions: every list's URL and length, in order.
fn shape(editions: &[site::Edition]) -> Vec<(String, usize)> {
    let mut shape = Vec::new();
    for edition in editions {
        shape.push((edition.lang.clone(), edition.articles.len()));
        shape.push((String::new(), edition.standalone.len()));
        shape.extend(
            edition
                .sections
                .iter()
                .map(|s| (s.path.clone(), s.articles.len())),
        );
        shape.extend(
            edition
                .tags
                .iter()
                .map(|t| (t.path.clone(), t.articles.len())),
        );
        shape.extend(
            edition
                .issues
                .iter()
                .map(|i| (i.path.clone(), i.articles.len())),
        );
    }
    shape
}

/// Whether the page keeps its URL, its place in every list, tag and issue, and its template:
/// all front matter but the title, description, authors, image and `extra` is the same.
fn same_place(a: &FrontMatter, b: &FrontMatter) -> bool {
    let shown = |f: &FrontMatter| FrontMatter {
        title: String::new(),
        description: None,
        authors: Vec::new(),
        image: None,
        extra: toml::Table::new(),
        ..f.clone()
    };
    same_front_matter(&shown(a), &shown(b))
}

/// Equal values, and dates in the same offsets (`==` on dates compares instants alone, and
/// pages show the offset's local date).
fn same_front_matter(a: &FrontMatter, b: &FrontMatter) -> bool {
    let offsets = |f: &FrontMatter| {
        (
            f.date.map(|d| d.offset().local_minus_utc()),
            f.updated.map(|d| d.offset().local_minus_utc()),
        )
    };
    a == b && offsets(a) == offsets(b)
}
