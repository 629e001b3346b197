//! `Site` + `Plan` -> a gazette site on disk: config.toml, content/ (pages and bundle files)
//! and static/. Writes only into a folder that is new or empty, so an import never mixes
//! with, or overwrites, anything.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::model::Site;
use super::place::Plan;
use super::report::Report;
use crate::error::{Error, Location, Result};

/// Refuses a destination that holds anything: the import would mix with it.
pub(crate) fn check_destination(into: &Path) -> Result<()> {
    match std::fs::read_dir(into) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(Error::Output {
                location: Location::file(into),
                message: "is not empty: import into a new or empty folder".into(),
            }),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(into, e)),
    }
}

/// Writes everything; counts copied files in `report`.
pub(crate) fn write(site: &Site, plan: &Plan, into: &Path, report: &mut Report) -> Result<()> {
    std::fs::create_dir_all(into).map_err(|e| Error::io(into, e))?;
    write_file(into, "config.toml", config_text(site, plan)?.as_bytes())?;
    let mut copied = std::collections::BTreeSet::new();
    for (placed, page) in plan.pages.iter().zip(&site.pages) {
        let front = toml::to_string(&placed.front).map_err(|e| Error::Content {
            location: Location::file(&page.source),
            message: format!("could not write its front matter: {e}"),
        })?;
        let text = format!("+++\n{front}+++\n{}", placed.body);
        write_file(into, &format!("content/{}", placed.file), text.as_bytes())?;
        *report.pages.entry(page.lang.clone()).or_default() += 1;
        report.drafts += usize::from(placed.front.draft);
        if let Some(bundle) = &placed.bundle {
            for (from, relative) in &page.files {
                // A bundle's translations share its folder: each file is copied once.
                let target = format!("content/{bundle}/{relative}");
                if copied.insert(target.clone()) {
                    copy(from, into, &target)?;
                    report.bundle_files += 1;
                }
            }
        }
    }
    for (from, relative) in &site.statics {
        copy(from, into, &format!("static/{relative}"))?;
        report.static_files += 1;
    }
    for (from, relative) in &plan.old_files {
        copy(from, into, &format!("static/{relative}"))?;
        report.old_files += 1;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct Config<'a> {
    base_url: &'a str,
    default_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_language_at_root: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paginate_by: Option<usize>,
    heading_ids: &'a str,
    languages: BTreeMap<&'a str, Language<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    permalinks: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    redirects: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    extra: &'a toml::Table,
}

#[derive(serde::Serialize)]
struct Language<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_aliases: Option<&'a BTreeMap<String, String>>,
}

fn config_text(site: &Site, plan: &Plan) -> Result<String> {
    let languages = site
        .languages
        .iter()
        .map(|l| {
            let language = Language {
                title: &l.title,
                description: &l.description,
                feed_aliases: plan.feed_aliases.get(&l.code),
            };
            (l.code.as_str(), language)
        })
        .collect();
    let config = Config {
        base_url: &site.base_url,
        default_language: site.default_language(),
        // One language is at the root anyway.
        default_language_at_root: (site.languages.len() > 1).then_some(site.default_at_root),
        paginate_by: site.paginate_by,
        heading_ids: site.heading_ids,
        languages,
        permalinks: &site.permalinks,
        redirects: &plan.redirects,
        extra: &site.extra,
    };
    let text = toml::to_string(&config).map_err(|e| Error::Config {
        location: Location::file("config.toml"),
        message: format!("could not write the configuration: {e}"),
    })?;
    Ok(format!(
        "# Written by `gazette import`: see SPEC.md for every key.\n{text}"
    ))
}

/// `relative` under `into`, refusing any path that would leave it.
fn target(into: &Path, relative: &str) -> Result<PathBuf> {
    let path = Path::new(relative);
    let inside = path.components().all(|c| matches!(c, Component::Normal(_)));
    if !inside {
        return Err(Error::Output {
            location: Location::file(relative),
            message: "would be written outside the new site: left out".into(),
        });
    }
    Ok(into.join(path))
}

fn write_file(into: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    let path = target(into, relative)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
}

fn copy(from: &Path, into: &Path, relative: &str) -> Result<()> {
    let path = target(into, relative)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::copy(from, &path)
        .map(|_| ())
        .map_err(|e| Error::io(from, e))
}
