//! The plan's output paths -> every collision among them, each named by the sources that make
//! the two files: two files at one path (ignoring case and Unicode normalization, as static
//! hosts and macOS and Windows file systems do), a file where another's folder must go, and
//! names longer than file systems take. `check` and `build` both plan, so both report all of
//! them in one run.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::plan::{Job, JobKind, Target};
use super::theme_files::FileData;
use crate::config::Config;
use crate::error::{Error, Location};
use crate::site::Site;

/// The longest file or folder name most file systems take, in bytes.
const LONGEST_NAME: usize = 255;

/// Every collision among `targets`.
pub(crate) fn collisions(
    config: &Config,
    site: &Site,
    jobs: &[Job],
    targets: &[(String, Target)],
) -> Vec<Error> {
    let origin = |i: usize| origin(config, site, jobs, &targets[i]);
    let path = |i: usize| targets[i].0.as_str();
    let mut errors = Vec::new();
    let folded: Vec<String> = targets.iter().map(|(path, _)| fold(path)).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, folded_path) in folded.iter().enumerate() {
        match seen.get(folded_path.as_str()) {
            Some(&first) => {
                let at = if path(i) == path(first) {
                    format!("at {}", path(i))
                } else {
                    format!(
                        "at {} and {}, one file where case or Unicode form does not count \
                         (static hosts, macOS, Windows)",
                        path(first),
                        path(i)
                    )
                };
                errors.push(collision(origin(first), origin(i), &at));
            }
            None => {
                seen.insert(folded_path, i);
            }
        }
    }
    // A file where another file's folder goes: `x` and `x/index.html`.
    for (i, folded_path) in folded.iter().enumerate() {
        let mut folder = folded_path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(&file) = seen.get(parent) {
                let at = format!(
                    "at {} and {}: a file where the other needs a folder",
                    path(file),
                    path(i)
                );
                errors.push(collision(origin(file), origin(i), &at));
                break;
            }
            folder = parent;
        }
    }
    for (i, (path, _)) in targets.iter().enumerate() {
        if path.split('/').any(|name| name.len() > LONGEST_NAME) {
            let (location, what) = blame(config, site, jobs, &targets[i]);
            errors.push(Error::Output {
                location,
                message: format!(
                    "{what} would be written at a name longer than file systems take \
                     ({LONGEST_NAME} bytes): shorten its slug or file name"
                ),
            });
        }
    }
    errors
}

/// A path as hosts compare them: case and Unicode normalization (NFC) folded.
fn fold(path: &str) -> String {
    path.nfc().collect::<String>().to_lowercase()
}

/// Two targets at one place: the error is at the file of the one that is a page of content,
/// if either is (a slug or file name to change), else of the second.
fn collision(first: (Origin, String), second: (Origin, String), at: &str) -> Error {
    let location = match (&first.0, &second.0) {
        (Origin::Page(page), Origin::Other(_)) => page.clone(),
        (_, Origin::Page(location) | Origin::Other(location)) => location.clone(),
    };
    Error::Output {
        location,
        message: format!(
            "{} and {} would be written {at}: rename one",
            first.1, second.1
        ),
    }
}

/// The file to blame for a target: a page of content, or another source.
enum Origin {
    Page(Location),
    Other(Location),
}

/// The file to blame for a target, and how to name what it makes.
fn origin(
    config: &Config,
    site: &Site,
    jobs: &[Job],
    target: &(String, Target),
) -> (Origin, String) {
    let (origin, what) = blame(config, site, jobs, target);
    match (&target.1, origin) {
        (Target::Page(job), location) if matches!(jobs[*job].kind, JobKind::Document(_)) => {
            (Origin::Page(location), what)
        }
        (_, location) => (Origin::Other(location), what),
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
