//! `gazette check`: the whole pipeline in memory, nothing written, every problem reported.
//! Adds to the build's own errors the links that lead nowhere: a root-relative or absolute
//! link to a page the site does not have, or to an `#anchor` its target does not define.

use std::collections::{HashMap, HashSet};

use crate::error::{Error, Location};
use crate::render::{Content, file_for};
use crate::{Built, Config, Diagnostics, analyse};

/// Checks the site; `drafts` checks draft pages too.
pub fn check(config: Config, drafts: bool) -> Diagnostics {
    let (built, mut diagnostics) = analyse(config, drafts);
    if let Some(built) = &built {
        diagnostics.errors.extend(broken_links(built));
    }
    let mut errors: Vec<Error> = diagnostics
        .errors
        .drain(..)
        .flat_map(flatten_owned)
        .collect();
    errors.sort_by(|a, b| a.location().cmp(&b.location()));
    diagnostics.errors = errors;
    diagnostics
}

fn flatten_owned(error: Error) -> Vec<Error> {
    match error {
        Error::Many(errors) => errors.into_iter().flat_map(flatten_owned).collect(),
        other => vec![other],
    }
}

/// Every `id="…"` in an HTML document.
pub fn ids_in(html: &str) -> HashSet<&str> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(start) = rest.find(" id=\"") {
        rest = &rest[start + 5..];
        if let Some(end) = rest.find('"') {
            ids.insert(&rest[..end]);
            rest = &rest[end..];
        }
    }
    ids
}

fn broken_links(built: &Built) -> Vec<Error> {
    let files: HashSet<&str> = built.files.iter().map(|f| f.path.as_str()).collect();
    let ids: HashMap<&str, HashSet<&str>> = built
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| match &f.content {
            Content::Bytes(bytes) => std::str::from_utf8(bytes)
                .ok()
                .map(|html| (f.path.as_str(), ids_in(html))),
            Content::Copy(_) => None,
        })
        .collect();
    let base = &built.config.base_url;
    let mut errors = Vec::new();
    for (page, body) in built.site.pages.iter().zip(&built.bodies) {
        let own = file_for(&page.path);
        for (offset, url) in &body.links {
            let (path, fragment) = match url.split_once('#') {
                Some((path, fragment)) => (path, fragment),
                None => (url.as_str(), ""),
            };
            let target = if path.is_empty() {
                own.clone()
            } else {
                match path.strip_prefix(base.as_str()) {
                    Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                        let rest = rest.split('?').next().unwrap_or_default();
                        match target_file(&files, rest) {
                            Some(file) => file,
                            None => {
                                errors.push(broken(
                                    page,
                                    *offset,
                                    format!("broken link {url}: the site has nothing at {rest}"),
                                ));
                                continue;
                            }
                        }
                    }
                    _ => continue,
                }
            };
            let known = ids
                .get(target.as_str())
                .is_none_or(|ids| fragment.is_empty() || ids.contains(fragment));
            if !known {
                errors.push(broken(
                    page,
                    *offset,
                    format!("broken link {url}: {target} has no element with id \"{fragment}\""),
                ));
            }
        }
    }
    errors
}

/// The output file a site path leads to, as a static host would serve it.
fn target_file(files: &HashSet<&str>, path: &str) -> Option<String> {
    let trimmed = path.trim_start_matches('/');
    [
        file_for(path),
        trimmed.to_string(),
        format!("{trimmed}/index.html"),
    ]
    .into_iter()
    .find(|candidate| files.contains(candidate.as_str()))
}

fn broken(page: &crate::site::Page, offset: usize, message: String) -> Error {
    Error::Link {
        location: Location::from_offset(&page.source, &page.body, offset, page.body_line),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids() {
        let ids = ids_in("<h2 id=\"a\">x</h2><p id=\"b-c\" class=\"x\">");
        assert_eq!(ids, HashSet::from(["a", "b-c"]));
    }
}
