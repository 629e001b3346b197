//! A Hugo site (config in TOML, YAML or JSON; content/ with language suffixes or one
//! content folder per language; page bundles; static/) -> `model::Site`, each page with
//! the URL Hugo gave it: `url`, `[permalinks]` (`:title` is Hugo's `urlize`, accents and `/`
//! kept), or its path; and the lists, taxonomies and feeds Hugo made.

mod config;
mod urls;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::mapping;
use super::model::{Language, Page, Place, Site};
use super::report::Report;
use super::{Engine, front, walk};
use crate::error::Result;
use config::{HugoLanguage, Settings, load_config, settings};
use urls::{gazette_permalinks, gazette_slug_source, list_urls, old_url};

/// Reads the Hugo site at `root`.
pub(crate) fn read(root: &Path) -> Result<Site> {
    let config = load_config(root)?;
    let settings = settings(&config);
    let mut report = Report::default();
    for (key, what) in [
        (
            "uglyurls",
            "uglyURLs (pages as x.html) is not read: the old URLs are taken as folders; check them",
        ),
        (
            "disablepathtolower",
            "disablePathToLower is not read: the old URLs are taken lowercased; check them",
        ),
        (
            "menu",
            "the menus are not imported: gazette's navigation is `nav` in config.toml",
        ),
        (
            "menus",
            "the menus are not imported: gazette's navigation is `nav` in config.toml",
        ),
    ] {
        if config.get(key).is_some_and(|v| v.as_bool() != Some(false)) {
            report.site_note(what.to_string());
        }
    }
    if let Some(theme) = config.get("theme") {
        report.site_note(format!(
            "theme {theme}: its layouts, shortcodes and static files are not imported (gazette \
             uses its own theme)"
        ));
    }
    let mut pages = Vec::new();
    let mut statics = Vec::new();
    for (dir, lang) in content_dirs(&settings) {
        let (found, files) = read_content(root, &settings, &dir, lang.as_deref(), &mut report);
        pages.extend(found);
        statics.extend(files);
    }
    share_bundle_files(&mut pages);
    for dir in &settings.static_dirs {
        let walked = walk::files(&root.join(dir), &|_| false);
        note_links(&mut report, dir, &walked.links);
        statics.extend(walked.files.into_iter().map(|(rel, full)| (full, rel)));
    }
    let old_urls = list_urls(&settings, &pages);
    let languages = settings
        .languages
        .iter()
        .map(|l| Language {
            code: l.code.clone(),
            title: l.title.clone(),
            description: l.description.clone(),
        })
        .collect();
    Ok(Site {
        base_url: settings.base_url.clone(),
        languages,
        default_at_root: !settings.in_subdir,
        paginate_by: Some(settings.paginate),
        permalinks: gazette_permalinks(&settings, &pages),
        heading_ids: "hugo",
        pages,
        statics,
        old_urls,
        extra: toml::Table::new(),
        report,
    })
}

// ---- Content

/// The content folders to read: one per language that has its own, else the site's one.
fn content_dirs(settings: &Settings) -> Vec<(String, Option<String>)> {
    let own: Vec<(String, Option<String>)> = settings
        .languages
        .iter()
        .filter_map(|l| Some((l.content_dir.clone()?, Some(l.code.clone()))))
        .collect();
    if own.is_empty() {
        vec![(settings.content_dir.clone(), None)]
    } else {
        own
    }
}

/// A content file's place in Hugo's tree.
pub(super) struct Entry {
    rel: String,
    full: PathBuf,
    /// The folder, relative to the content folder (`posts/x` for a bundle's index).
    dir: String,
    stem: String,
    lang: String,
}

/// The pages of one content folder (in `dir_lang`, or by suffix), and its other files,
/// which Hugo publishes at their path.
fn read_content(
    root: &Path,
    settings: &Settings,
    dir: &str,
    dir_lang: Option<&str>,
    report: &mut Report,
) -> (Vec<Page>, Vec<(PathBuf, String)>) {
    let walked = walk::files(&root.join(dir), &|_| false);
    note_links(report, dir, &walked.links);
    let codes: Vec<&str> = settings.languages.iter().map(|l| l.code.as_str()).collect();
    let default = dir_lang.unwrap_or(&settings.default_lang);
    let entries: Vec<Entry> = walked
        .files
        .iter()
        .filter_map(|(rel, full)| entry(rel, full, &codes, default))
        .collect();
    let leaf_bundles: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.stem == "index" && !e.dir.is_empty())
        .map(|e| e.dir.as_str())
        .collect();
    let pages = entries
        .iter()
        .filter_map(|entry| page_of(settings, dir, entry, &walked.files, &leaf_bundles, report))
        .collect();
    let mut statics = Vec::new();
    for (rel, full) in &walked.files {
        let in_bundle = leaf_bundles
            .iter()
            .any(|b| rel.starts_with(&format!("{b}/")));
        if !is_markdown(rel) && !in_bundle {
            // Hugo publishes a content folder's other files at their path.
            statics.push((full.clone(), rel.clone()));
        } else if is_markdown(rel)
            && in_bundle
            && !entries.iter().any(|e| e.rel == *rel && e.stem == "index")
        {
            report.note(
                walk::shown(&format!("{dir}/{rel}")),
                None,
                "a Markdown file inside a page bundle is a resource in Hugo, not a page: not imported".into(),
            );
        }
    }
    (pages, statics)
}

fn is_markdown(rel: &str) -> bool {
    rel.ends_with(".md") || rel.ends_with(".markdown")
}

fn entry(rel: &str, full: &Path, codes: &[&str], default: &str) -> Option<Entry> {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file
        .strip_suffix(".md")
        .or_else(|| file.strip_suffix(".markdown"))?;
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((s, l)) if codes.contains(&l) => (s, l),
        _ => (stem, default),
    };
    Some(Entry {
        rel: rel.to_string(),
        full: full.to_path_buf(),
        dir: dir.to_string(),
        stem: stem.to_string(),
        lang: lang.to_string(),
    })
}

fn page_of(
    settings: &Settings,
    dir: &str,
    entry: &Entry,
    files: &[(String, PathBuf)],
    leaf_bundles: &BTreeSet<&str>,
    report: &mut Report,
) -> Option<Page> {
    let source = walk::shown(&format!("{dir}/{}", entry.rel));
    // A Markdown file inside a leaf bundle (not its index) is a resource, reported above.
    if entry.stem != "index"
        && leaf_bundles
            .iter()
            .any(|b| entry.dir == *b || entry.dir.starts_with(&format!("{b}/")))
    {
        return None;
    }
    let parsed = front::read(&entry.full, &source, report)?;
    let taxonomy_names: Vec<String> = language(settings, &entry.lang)
        .taxonomies
        .iter()
        .map(|(_, plural)| plural.clone())
        .filter(|p| p != "tags")
        .collect();
    let front = mapping::map(Engine::Hugo, parsed.fields, &taxonomy_names);
    let (place, name) = place_of(entry);
    let bundle_files = match place {
        Place::Article(_) | Place::Standalone if entry.stem == "index" => {
            bundle_files(&entry.dir, files)
        }
        _ => Vec::new(),
    };
    let mut page = Page {
        source,
        lang: entry.lang.clone(),
        place,
        name,
        front,
        body: parsed.body,
        body_line: parsed.body_line,
        old_url: None,
        bundle: !bundle_files.is_empty() || (entry.stem == "index" && !entry.dir.is_empty()),
        files: bundle_files,
        refs: refs(entry),
    };
    page.old_url = old_url(settings, entry, &page);
    page.front.slug = Some(gazette_slug_source(settings, entry, &page));
    Some(page)
}

fn language<'a>(settings: &'a Settings, code: &str) -> &'a HugoLanguage {
    settings
        .languages
        .iter()
        .find(|l| l.code == code)
        .unwrap_or(&settings.languages[0])
}

/// Where a content file goes in gazette, and its file (or bundle) name.
fn place_of(entry: &Entry) -> (Place, String) {
    let (parent, last) = entry.dir.rsplit_once('/').unwrap_or(("", &entry.dir));
    match (entry.stem.as_str(), entry.dir.as_str()) {
        ("_index", "") => (Place::Home, "_index".into()),
        ("_index", dir) => (Place::SectionIndex(dir.to_string()), "_index".into()),
        ("index", "") => (Place::Standalone, "index".into()),
        ("index", _) if parent.is_empty() => (Place::Standalone, last.to_string()),
        ("index", _) => (Place::Article(parent.to_string()), last.to_string()),
        (stem, "") => (Place::Standalone, stem.to_string()),
        (stem, dir) => (Place::Article(dir.to_string()), stem.to_string()),
    }
}

/// A bundle's files serve each of its languages (Hugo shares them between the languages'
/// content folders): every version of a bundle gets them all.
fn share_bundle_files(pages: &mut [Page]) {
    let mut shared: std::collections::BTreeMap<(String, String), Vec<(PathBuf, String)>> =
        Default::default();
    for page in pages.iter().filter(|p| p.bundle) {
        let files = shared
            .entry((format!("{:?}", page.place), page.name.clone()))
            .or_default();
        for file in &page.files {
            if !files.iter().any(|(_, relative)| *relative == file.1) {
                files.push(file.clone());
            }
        }
    }
    for page in pages.iter_mut().filter(|p| p.bundle) {
        if let Some(files) = shared.get(&(format!("{:?}", page.place), page.name.clone())) {
            page.files = files.clone();
        }
    }
}

/// The files beside a bundle's index, except the index files themselves.
fn bundle_files(dir: &str, files: &[(String, PathBuf)]) -> Vec<(PathBuf, String)> {
    let prefix = format!("{dir}/");
    files
        .iter()
        .filter_map(|(rel, full)| Some((full, rel.strip_prefix(&prefix)?)))
        .filter(|(_, inner)| !is_markdown(inner))
        .map(|(full, inner)| (full.clone(), inner.to_string()))
        .collect()
}

/// What `ref "…"` may call the page: its path with and without extension, its bundle
/// folder, its file name.
fn refs(entry: &Entry) -> Vec<String> {
    let mut refs = vec![entry.rel.clone()];
    let without_ext = entry
        .rel
        .rsplit_once('.')
        .map_or(entry.rel.as_str(), |(s, _)| s);
    refs.push(without_ext.to_string());
    if entry.stem == "index" || entry.stem == "_index" {
        refs.push(entry.dir.clone());
        refs.push(format!("{}/{}.md", entry.dir, entry.stem));
        // `ref "bundle"`: Hugo finds a page by its bundle's name too.
        let name = entry.dir.rsplit('/').next().unwrap_or(&entry.dir);
        refs.push(name.to_string());
    } else {
        let name = entry.rel.rsplit('/').next().unwrap_or(&entry.rel);
        refs.push(name.to_string());
        refs.push(entry.stem.clone());
        let dir = if entry.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", entry.dir)
        };
        refs.push(format!("{dir}{}.md", entry.stem));
    }
    refs
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
