//! Placed pages' bodies -> gazette bodies: shortcodes converted (internal references to
//! `@/` links to where the pages went), links relative to the old URL made absolute, `@/`
//! links followed to the files' new places. What is left is reported with its line.

use std::collections::{HashMap, HashSet};

use super::Engine;
use super::links;
use super::model::{Page, Site};
use super::place::Plan;
use super::report::Report;
use super::shortcodes::{self, RefKind};

/// Converts every placed page's body in `plan`.
pub(crate) fn convert_all(engine: Engine, site: &Site, plan: &mut Plan, report: &mut Report) {
    let refs = RefTable::new(site, plan);
    let known = known_paths(site, plan);
    for (i, (page, placed)) in site.pages.iter().zip(plan.pages.iter_mut()).enumerate() {
        let resolve = |_: RefKind, target: &str| refs.link(target, i);
        let done = shortcodes::convert(engine, &placed.body, &resolve);
        for name in &done.converted {
            report.converted(name);
        }
        for (line, text) in &done.unknown {
            report.note(
                &page.source,
                Some(page.body_line + line - 1),
                format!("not converted: {text}"),
            );
        }
        let rewrite = |target: &str| rewrite_link(page, &refs, i, target);
        let (body, _) = links::rewrite(&done.body, &rewrite);
        for dead in dead_links(&body, &site.base_url, &known) {
            let message = format!(
                "links to {dead}, which the old site did not have either: broken before the \
                 import (gazette check reports it)"
            );
            report.note(&page.source, None, message);
        }
        placed.body = body;
    }
}

/// Every path the old site or the new one answers: pages, aliases, lists, static files.
fn known_paths(site: &Site, plan: &Plan) -> HashSet<String> {
    let mut known: HashSet<String> = HashSet::new();
    for (page, placed) in site.pages.iter().zip(&plan.pages) {
        known.extend(page.old_url.iter().chain(&page.front.aliases).cloned());
        known.insert(placed.url.clone());
        for (_, relative) in &page.files {
            known.insert(format!("{}{relative}", placed.url));
        }
    }
    known.extend(site.old_urls.iter().map(|(url, _)| url.clone()));
    known.extend(site.statics.iter().map(|(_, rel)| format!("/{rel}")));
    known.extend(plan.redirects.keys().cloned());
    known
        .iter()
        .filter_map(|url| super::place::normalize(url))
        .collect()
}

/// The site paths `body` links to that neither site has.
fn dead_links(body: &str, base_url: &str, known: &HashSet<String>) -> Vec<String> {
    let base = base_url.trim_end_matches('/');
    let mut dead = Vec::new();
    for target in links::targets_in(body) {
        let path = match target.strip_prefix(base) {
            Some(rest) if rest.starts_with('/') => rest,
            _ if target.starts_with('/') && !target.starts_with("//") => target.as_str(),
            _ => continue,
        };
        let Some(path) = super::place::normalize(path) else {
            continue;
        };
        let with_slash = format!("{}/", path.trim_end_matches('/'));
        if !known.contains(&path) && !known.contains(&with_slash) && !dead.contains(&path) {
            dead.push(path);
        }
    }
    dead
}

/// Where internal references lead: a page's `refs` -> its `@/` path.
struct RefTable<'a> {
    by_ref: HashMap<String, Vec<usize>>,
    site: &'a Site,
    /// Each page's `@/` path: its gazette file without the language suffix.
    at_paths: Vec<String>,
}

impl<'a> RefTable<'a> {
    fn new(site: &'a Site, plan: &Plan) -> Self {
        let mut by_ref: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, page) in site.pages.iter().enumerate() {
            for name in &page.refs {
                by_ref.entry(name.to_lowercase()).or_default().push(i);
            }
        }
        let at_paths = plan
            .pages
            .iter()
            .zip(&site.pages)
            .map(|(p, page)| {
                let suffix = format!(".{}.md", page.lang);
                let stem = p.file.strip_suffix(&suffix).unwrap_or(&p.file);
                format!("@/{stem}.md")
            })
            .collect();
        RefTable {
            by_ref,
            site,
            at_paths,
        }
    }

    /// The `@/` link for `target` (with its `#anchor`) from page `from`: the page in the
    /// same language when there are several.
    fn link(&self, target: &str, from: usize) -> Option<String> {
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, format!("#{anchor}")),
            None => (target, String::new()),
        };
        let key = path.trim().trim_matches('/').to_lowercase();
        let key = key.strip_prefix("content/").unwrap_or(&key);
        // Hugo reads `ref "x/index.md"` from the linking page's folder too.
        let from_folder = self.site.pages[from]
            .refs
            .first()
            .and_then(|own| own.rsplit_once('/'))
            .map(|(folder, _)| format!("{}/{key}", folder.to_lowercase()));
        let found = self
            .by_ref
            .get(key)
            .or_else(|| self.by_ref.get(from_folder.as_deref()?))?;
        let lang = &self.site.pages[from].lang;
        let page = found
            .iter()
            .find(|&&i| self.site.pages[i].lang == *lang)
            .or(found.first())?;
        Some(format!("{}{anchor}", self.at_paths[*page]))
    }
}

/// A link target as it must be written now: moved (below), its `#fragment` decoded.
fn rewrite_link(page: &Page, refs: &RefTable, index: usize, target: &str) -> Option<String> {
    let moved = moved_link(page, refs, index, target);
    decoded_fragment(moved.as_deref().unwrap_or(target)).or(moved)
}

/// `#d%C3%A9but` -> `#début`: browsers match a percent-encoded fragment with the decoded
/// id, gazette's link check compares them as written. Left alone when decoding would give
/// characters a Markdown link cannot hold.
fn decoded_fragment(target: &str) -> Option<String> {
    let (before, fragment) = target.split_once('#')?;
    if !fragment.contains('%') {
        return None;
    }
    let decoded = super::place::percent_decode(fragment);
    let unsafe_char = |c: char| c.is_whitespace() || c.is_control() || "()<>\\%".contains(c);
    (decoded != fragment && !decoded.chars().any(unsafe_char))
        .then(|| format!("{before}#{decoded}"))
}

/// `@/` paths to the files' new places, links relative to the old URL made absolute unless
/// they name a file of the page's bundle.
fn moved_link(page: &Page, refs: &RefTable, index: usize, target: &str) -> Option<String> {
    if let Some(path) = target.strip_prefix("@/") {
        return refs.link(path, index);
    }
    if !links::is_page_relative(target) {
        return None;
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = path.trim_start_matches("./");
    if page.files.iter().any(|(_, relative)| relative == path) {
        return None;
    }
    let old = page.old_url.as_deref()?;
    let folder = match old.ends_with('/') {
        true => old,
        false => old.rsplit_once('/').map_or("/", |(dir, _)| dir),
    };
    let folder = format!("{}/", folder.trim_end_matches('/'));
    links::resolve(&folder, target)
}
