//! A Zola site (config.toml; content/ with `_index.md` sections, `.LANG.md` suffixes,
//! dated file names, colocated assets; static/) -> `model::Site`, each page with the URL
//! Zola 0.19 gives it: `path` as written (no language prefix added), else the folders as
//! they are and the slug; and the sections, taxonomies and feeds Zola made.

mod config;
mod urls;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::mapping;
use super::model::{Language, Page, Place, Site};
use super::report::Report;
use super::{Engine, front, walk};
use crate::error::{Error, Location, Result};
use config::{Settings, count, settings};
use urls::{list_urls, old_url};

/// A section's `_index` front matter, as far as URLs go.
#[derive(Debug, Clone, Default)]
struct SectionInfo {
    render: bool,
    paginate_by: Option<usize>,
    feeds: bool,
}

/// Reads the Zola site at `root`.
pub(crate) fn read(root: &Path) -> Result<Site> {
    let path = root.join("config.toml");
    let text = walk::read_text(&path).map_err(|message| Error::Config {
        location: Location::file(&path),
        message: format!("{message}: is this a Zola site?"),
    })?;
    let config = front::parse_toml(&text).map_err(|e| Error::Config {
        location: Location::at(&path, e.line, 0),
        message: e.message,
    })?;
    let settings = settings(&config);
    let mut report = Report::default();
    let slugify = config
        .get("slugify")
        .and_then(|s| s.get("paths"))
        .and_then(|p| p.as_str());
    if slugify.is_some_and(|p| p != "on") {
        report.site_note(format!(
            "slugify.paths = \"{}\" is not read: the old URLs are taken slugified; check them",
            slugify.unwrap_or_default()
        ));
    }
    if let Some(theme) = config.get("theme") {
        report.site_note(format!(
            "theme {theme}: its templates, shortcodes and static files are not imported"
        ));
    }
    let walked = walk::files(&root.join("content"), &|_| false);
    note_links(&mut report, "content", &walked.links);
    let (mut pages, sections, mut statics) = read_content(&settings, &walked.files, &mut report);
    let static_files = walk::files(&root.join("static"), &|_| false);
    note_links(&mut report, "static", &static_files.links);
    statics.extend(
        static_files
            .files
            .into_iter()
            .map(|(rel, full)| (full, rel)),
    );
    for page in &mut pages {
        page.old_url = old_url(&settings, page, &sections);
    }
    let old_urls = list_urls(&settings, &pages, &sections);
    Ok(Site {
        base_url: settings.base_url.clone(),
        languages: settings
            .languages
            .iter()
            .map(|l| Language {
                code: l.code.clone(),
                title: l.title.clone(),
                description: l.description.clone(),
            })
            .collect(),
        default_at_root: true,
        paginate_by: sections.values().find_map(|s| s.paginate_by),
        permalinks: BTreeMap::new(),
        heading_ids: "zola",
        pages,
        statics,
        old_urls,
        extra: config
            .get("extra")
            .and_then(|e| e.as_table())
            .cloned()
            .unwrap_or_default(),
        report,
    })
}

// ---- Content

type Sections = BTreeMap<(String, String), SectionInfo>;

/// The pages, the sections' settings by (folder, language), and the other files.
fn read_content(
    settings: &Settings,
    files: &[(String, PathBuf)],
    report: &mut Report,
) -> (Vec<Page>, Sections, Vec<(PathBuf, String)>) {
    let codes: Vec<&str> = settings.languages.iter().map(|l| l.code.as_str()).collect();
    let bundles: Vec<String> = files
        .iter()
        .filter_map(|(rel, _)| {
            let (dir, file) = rel.rsplit_once('/')?;
            let stem = file.strip_suffix(".md")?;
            (stem == "index" || stem.starts_with("index.")).then(|| dir.to_string())
        })
        .collect();
    let mut pages = Vec::new();
    let mut sections = Sections::new();
    let mut statics = Vec::new();
    for (rel, full) in files {
        if !rel.ends_with(".md") {
            if !bundles.iter().any(|b| rel.starts_with(&format!("{b}/"))) {
                // Zola publishes a section's other files beside it, at their path.
                statics.push((full.clone(), rel.clone()));
            }
            continue;
        }
        let Some(page) = page_of(settings, rel, full, &codes, files, report) else {
            continue;
        };
        if let Place::Home | Place::SectionIndex(_) = &page.place {
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            let info = section_info(&page.front.extra);
            let empty = page.front.title.is_none() && page.body.trim().is_empty();
            sections.insert((dir, page.lang.clone()), info.clone());
            if !info.render && empty {
                // `render = false` and nothing to show: gazette would make a list Zola did not.
                continue;
            }
        }
        pages.push(page);
    }
    (pages, sections, statics)
}

fn section_info(extra: &toml::Table) -> SectionInfo {
    SectionInfo {
        render: extra
            .get("render")
            .and_then(|r| r.as_bool())
            .unwrap_or(true),
        paginate_by: count(extra.get("paginate_by")),
        feeds: ["generate_feeds", "generate_feed"]
            .iter()
            .any(|k| extra.get(*k).and_then(|v| v.as_bool()) == Some(true)),
    }
}

fn page_of(
    settings: &Settings,
    rel: &str,
    full: &Path,
    codes: &[&str],
    files: &[(String, PathBuf)],
    report: &mut Report,
) -> Option<Page> {
    let source = walk::shown(&format!("content/{rel}"));
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".md")?;
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((s, l)) if codes.contains(&l) => (s, l.to_string()),
        _ => (stem, settings.default_lang.clone()),
    };
    let parsed = front::read(full, &source, report)?;
    let mut front = mapping::map(Engine::Zola, parsed.fields, &[]);
    let (place, name) = place_of(stem, dir);
    let (date, slug) = dated(&name);
    if front.date.is_none() {
        front.date = date.and_then(|d| mapping::date_text(&d)?.parse().ok());
    }
    let wanted = front.slug.clone().unwrap_or(slug);
    front.slug = Some(slug::slugify(&wanted));
    let is_bundle = stem == "index" && !dir.is_empty();
    let mut page = Page {
        source,
        lang,
        place,
        name,
        front,
        body: parsed.body,
        body_line: parsed.body_line,
        old_url: None,
        bundle: is_bundle,
        files: if is_bundle {
            bundle_files(dir, files)
        } else {
            Vec::new()
        },
        refs: vec![rel.to_string()],
    };
    page.place = standalone_or(page.place.clone(), &page);
    Some(page)
}

/// Where a content file goes in gazette, and its file (or bundle) name.
fn place_of(stem: &str, dir: &str) -> (Place, String) {
    match (stem, dir) {
        ("_index", "") => (Place::Home, "_index".to_string()),
        ("_index", dir) => (Place::SectionIndex(dir.to_string()), "_index".to_string()),
        ("index", dir) if !dir.is_empty() => {
            let (parent, last) = dir.rsplit_once('/').unwrap_or(("", dir));
            (Place::Article(parent.to_string()), last.to_string())
        }
        (stem, dir) => (Place::Article(dir.to_string()), stem.to_string()),
    }
}

/// A page at the top, or set by `path` to one segment (about, privacy), is a standalone page
/// in gazette, at that segment.
fn standalone_or(place: Place, page: &Page) -> Place {
    let one_segment = page.front.url.as_deref().is_some_and(|p| {
        let segments: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
        segments.len() == 1 || (segments.len() == 2 && segments[0] == page.lang)
    });
    match place {
        Place::Article(dir) if dir.is_empty() => Place::Standalone,
        Place::Article(_) if one_segment => Place::Standalone,
        other => other,
    }
}

/// `2024-07-14_first-post` -> (the date, `first-post`), as Zola reads dated file names.
fn dated(name: &str) -> (Option<String>, String) {
    let bytes = name.as_bytes();
    let is_date = name.len() > 11
        && name.is_char_boundary(10)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && name[..10].chars().filter(char::is_ascii_digit).count() == 8;
    if is_date {
        let rest = &name[10..];
        // An optional time (`T10:00:00Z`) is not used in URLs: skip to the separator.
        let rest = rest.trim_start_matches(|c: char| c != '_' && c != '-' || c == ':');
        if let Some(slug) = rest.strip_prefix(['_', '-']).filter(|s| !s.is_empty()) {
            return (Some(name[..10].to_string()), slug.to_string());
        }
    }
    (None, name.to_string())
}

fn bundle_files(dir: &str, files: &[(String, PathBuf)]) -> Vec<(PathBuf, String)> {
    let prefix = format!("{dir}/");
    files
        .iter()
        .filter_map(|(rel, full)| Some((full.clone(), rel.strip_prefix(&prefix)?.to_string())))
        .filter(|(_, inner)| !inner.ends_with(".md"))
        .collect()
}

// ---- URLs

fn note_links(report: &mut Report, dir: &str, links: &[String]) {
    for link in links {
        report.note(
            walk::shown(&format!("{dir}/{link}")),
            None,
            "a symbolic link: not followed, not imported".into(),
        );
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_names() {
        assert_eq!(
            dated("2024-07-14_first-post"),
            (Some("2024-07-14".into()), "first-post".into())
        );
        assert_eq!(
            dated("2024-07-14T10:00:00Z-x"),
            (Some("2024-07-14".into()), "x".into())
        );
        assert_eq!(dated("2024-07-14"), (None, "2024-07-14".into()));
        assert_eq!(dated("about"), (None, "about".into()));
        assert_eq!(dated("2024-07-1é_x"), (None, "2024-07-1é_x".into()));
    }
}
