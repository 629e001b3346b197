//! `gazette check`: the whole pipeline in memory, nothing written, every problem reported.
//! Adds to the build's own errors the links that lead nowhere: a root-relative or absolute
//! link to a page the site does not have, or to an `#anchor` its target does not define.
//! And warns of what would spoil the email editions once sent: no unsubscribe link, an
//! email Gmail would clip, an image some mail clients would not show.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use crate::error::{Diagnostics, Error, Location, Warning};
use crate::render::{Content, GMAIL_CLIP, OutputFile, Target, file_for};
use crate::{How, Prepared, load_config, plan, read_site};

/// Checks the site at `root`; `drafts` checks draft pages too. Nothing is written.
pub fn check(root: &Path, drafts: bool) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let config = match load_config(root, None) {
        Ok(config) => config,
        Err(e) => {
            diagnostics.error(e);
            return diagnostics;
        }
    };
    let site = read_site(&config, drafts, None, &mut diagnostics);
    if let Some(prepared) = plan(config, site, How::default(), None, &mut diagnostics) {
        check_prepared(&prepared, &mut diagnostics);
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

/// Renders every body and every file in memory: their errors, then the links that lead
/// nowhere among what did render.
fn check_prepared(prepared: &Prepared, diagnostics: &mut Diagnostics) {
    prepared.bodies.render_all();
    let bodies = prepared.bodies.diagnostics();
    diagnostics.errors.extend(bodies.errors);
    diagnostics.warnings.extend(bodies.warnings);
    let files = Mutex::new(Vec::new());
    let all: Vec<usize> = (0..prepared.inputs.plan.targets.len()).collect();
    let rendered = crate::render::render_many(&prepared.inputs, &all, |file| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file);
        Ok(())
    });
    if let Err(e) = rendered {
        diagnostics.error(e);
    }
    let files = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    diagnostics.errors.extend(broken_links(prepared, &files));
    diagnostics.errors.extend(broken_redirects(prepared));
    diagnostics
        .warnings
        .extend(sections_config_names_in_vain(prepared));
    diagnostics.warnings.extend(no_unsubscribe_link(prepared));
    diagnostics
        .warnings
        .extend(email_warnings(prepared, &files));
    let paths: Vec<String> = prepared
        .inputs
        .plan
        .targets
        .iter()
        .map(|(p, _)| p.clone())
        .collect();
    if let Err(e) = crate::output::check_paths(&paths) {
        diagnostics.error(e);
    }
    diagnostics.warnings.sort();
    diagnostics.warnings.dedup();
}

fn flatten_owned(error: Error) -> Vec<Error> {
    match error {
        Error::Many(errors) => errors.into_iter().flat_map(flatten_owned).collect(),
        other => vec![other],
    }
}

/// Every `id="…"` in an HTML document.
pub(crate) fn ids_in(html: &str) -> HashSet<&str> {
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

fn broken_links(prepared: &Prepared, rendered: &[OutputFile]) -> Vec<Error> {
    let files = site_files(prepared);
    let ids: HashMap<&str, HashSet<&str>> = rendered
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| match &f.content {
            Content::Bytes(bytes) => std::str::from_utf8(bytes)
                .ok()
                .map(|html| (f.path.as_str(), ids_in(html))),
            Content::Copy(_) => None,
        })
        .collect();
    let base = &prepared.inputs.config.base_url;
    let mut errors = Vec::new();
    for (id, page) in prepared.inputs.site.pages.iter().enumerate() {
        let body = crate::bodies::BodySource::body(&*prepared.bodies, id);
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

/// Each `[redirects]` entry that leads to a path the site has nothing at.
fn broken_redirects(prepared: &Prepared) -> Vec<Error> {
    let config = &prepared.inputs.config;
    let files = site_files(prepared);
    config
        .redirects
        .iter()
        .filter(|(_, to)| to.starts_with('/'))
        .filter(|(_, to)| {
            let path = to.split(['#', '?']).next().unwrap_or_default();
            target_file(&files, path).is_none()
        })
        .map(|(from, to)| Error::Link {
            location: config.location_of(&["redirects", from]),
            message: format!("redirect \"{from}\" leads nowhere: the site has nothing at {to}"),
        })
        .collect()
}

/// A warning for each section named in `[permalinks]` or `[sections.NAME]` that has no
/// articles: a misspelt folder name would otherwise change nothing, silently.
fn sections_config_names_in_vain(prepared: &Prepared) -> Vec<Warning> {
    let config = &prepared.inputs.config;
    // Sorted, for the message.
    let with_articles: std::collections::BTreeSet<&str> = prepared
        .inputs
        .site
        .pages
        .iter()
        .filter_map(|page| page.section())
        .collect();
    let known = match with_articles.is_empty() {
        true => "none".to_string(),
        false => Vec::from_iter(with_articles.iter().copied()).join(", "),
    };
    let named = config
        .permalinks
        .keys()
        .map(|name| ("permalinks", name))
        .chain(config.sections.keys().map(|name| ("sections", name)));
    named
        .filter(|(_, name)| !with_articles.contains(name.as_str()))
        .map(|(table, name)| Warning {
            location: config.location_of(&[table, name]),
            message: format!(
                "[{table}] names section \"{name}\", which has no articles (content/{name}/): it \
                 changes nothing; the sections with articles are {known}"
            ),
        })
        .collect()
}

/// Every file the site's output has.
fn site_files(prepared: &Prepared) -> HashSet<&str> {
    let targets = &prepared.inputs.plan.targets;
    targets.iter().map(|(path, _)| path.as_str()).collect()
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

/// A warning when the issues of some languages go out by email with no unsubscribe link:
/// the email's footer has one only when `[newsletter]` gives `unsubscribe_url`.
fn no_unsubscribe_link(prepared: &Prepared) -> Option<Warning> {
    let (config, site) = (&prepared.inputs.config, &prepared.inputs.site);
    let without: Vec<&str> = config
        .languages
        .iter()
        .filter(|language| language.newsletter.unsubscribe_url.is_none())
        .filter(|language| {
            site.editions
                .iter()
                .any(|e| e.lang == language.code && !e.issues.is_empty())
        })
        .map(|language| language.code.as_str())
        .collect();
    if without.is_empty() {
        return None;
    }
    Some(Warning {
        location: Location::file("config.toml"),
        message: format!(
            "the email editions ({}) have no unsubscribe link: set unsubscribe_url in \
             [newsletter] (or in [languages.LANG.newsletter]) to your mailing tool's merge tag, \
             e.g. \"{{{{ unsubscribe_url }}}}\" for Buttondown or \"*|UNSUB|*\" for Mailchimp",
            without.join(", ")
        ),
    })
}

/// Each email edition Gmail would clip (past about 102 KB it shows only the start, behind
/// a link), and each image in one that some mail clients do not show.
fn email_warnings(prepared: &Prepared, rendered: &[OutputFile]) -> Vec<Warning> {
    let plan = &prepared.inputs.plan;
    let mut warnings = Vec::new();
    for file in rendered.iter().filter(|f| f.path.ends_with("email.html")) {
        let (Some(&index), Content::Bytes(bytes)) = (plan.index.get(&file.path), &file.content)
        else {
            continue;
        };
        let Target::Email { edition, issue, .. } = plan.targets[index].1 else {
            continue;
        };
        let issue = &prepared.inputs.site.editions[edition].issues[issue];
        let source = issue.intro.or(issue.articles.first().copied());
        let location = source.map_or_else(
            || Location::file(&file.path),
            |id| Location::file(&prepared.inputs.site.pages[id].source),
        );
        let mut warn = |message: String| {
            warnings.push(Warning {
                location: location.clone(),
                message: format!(
                    "the email of issue {} ({}) {message}",
                    issue.number, file.path
                ),
            })
        };
        if bytes.len() > GMAIL_CLIP {
            warn(format!(
                "is {} KB: Gmail clips an email past about 102 KB and hides the rest behind a \
                 link; move an article to another issue, or shorten the longest",
                bytes.len() / 1000
            ));
        }
        for src in image_sources(&String::from_utf8_lossy(bytes)) {
            if let Some(format) = unshown_format(&src) {
                warn(format!(
                    "shows {src}: some mail clients do not show {format} images (gazette makes \
                     PNGs of the site's own SVG and WebP files only); use a PNG or JPEG"
                ));
            }
        }
    }
    warnings
}

/// The `src` of every `<img>` of an HTML document.
fn image_sources(html: &str) -> Vec<String> {
    let sources = std::cell::RefCell::new(Vec::new());
    let settings = lol_html::RewriteStrSettings::new().append_element_content_handler(
        lol_html::element!("img[src]", |el| {
            sources.borrow_mut().extend(el.get_attribute("src"));
            Ok(())
        }),
    );
    // What lol_html cannot read has no images it could report.
    let _ = lol_html::rewrite_str(html, settings);
    sources.into_inner()
}

/// The format of an image URL's file, if not one every mail client shows (PNG, JPEG, GIF).
fn unshown_format(src: &str) -> Option<String> {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let shown = ["png", "jpg", "jpeg", "gif"];
    (!shown.contains(&extension.as_str()) && !extension.is_empty())
        .then(|| extension.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids() {
        let ids = ids_in("<h2 id=\"a\">x</h2><p id=\"b-c\" class=\"x\">");
        assert_eq!(ids, HashSet::from(["a", "b-c"]));
    }

    #[test]
    fn images_mail_clients_do_not_all_show() {
        let html = "<p><img alt=x src=\"https://x.io/a.svg?v=1\"><img src='b.PNG'><img src=\"c\"><img src=\"d.webp#x\"></p>";
        let found: Vec<Option<String>> = image_sources(html)
            .iter()
            .map(|s| unshown_format(s))
            .collect();
        assert_eq!(found, [Some("SVG".into()), None, None, Some("WEBP".into())]);
    }
}
