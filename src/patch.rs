//! `serve`'s fast rebuild. An edit that changes only the Markdown text of existing pages,
//! their front matter as it was, leaves every URL, list, tag and issue where it was: the
//! last build is reused with those bodies rendered again, and lists, feeds and emails, which
//! are rendered on demand, show the new text. Anything else (a new, moved or deleted file,
//! a front-matter, template, static or config change) goes through the whole pipeline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::frontmatter::{self, FrontMatter};
use crate::{Caches, Diagnostics, Prepared, bodies, render};

/// `previous` with the new texts of `changed`, or None when the edit is not one of text
/// alone. `root` is the site's root as the watcher reports paths (canonical).
pub fn patch_bodies(
    previous: &Prepared,
    root: &Path,
    changed: &[PathBuf],
    caches: &Caches,
) -> Option<(Option<Prepared>, Diagnostics)> {
    let mut edits = Vec::new();
    for path in changed {
        let shown = path.strip_prefix(root).ok()?;
        if !shown.starts_with("content") || shown.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let id = previous
            .site
            .pages
            .iter()
            .position(|p| p.source.as_os_str() == shown.as_os_str())?;
        if edits.iter().any(|(other, _)| *other == id) {
            continue;
        }
        let page = &previous.site.pages[id];
        let text = caches.sources.read(path, shown).ok()?;
        let doc = frontmatter::parse(&text, shown, page.is_article()).ok()?;
        if !same_front_matter(&doc.front, &page.front) {
            return None;
        }
        if doc.body != page.body || doc.body_line != page.body_line {
            edits.push((id, doc));
        }
    }
    let mut site = (*previous.site).clone();
    for (id, doc) in &edits {
        let page = Arc::make_mut(&mut site.pages[*id]);
        page.front = doc.front.clone();
        page.body = doc.body.clone();
        page.body_line = doc.body_line;
    }
    let config = previous.config.clone();
    let mut bodies = previous.bodies.clone();
    let mut diagnostics = Diagnostics {
        files: site.pages.len(),
        ..Diagnostics::default()
    };
    for (id, _) in &edits {
        let (body, warnings, errors) = bodies::render_one(&config, &site, *id, &caches.bodies);
        bodies[*id] = body;
        diagnostics.warnings.extend(warnings);
        diagnostics.errors.extend(errors);
    }
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
