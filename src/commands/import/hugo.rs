//! A Hugo site (config in TOML, YAML or JSON; content/ with language suffixes or one
//! content folder per language; page bundles; static/) -> `model::Site`, each page with
//! the URL Hugo gave it: `url`, `[permalinks]` (`:title` is Hugo's `urlize`, accents and `/`
//! kept), or its path; and the lists, taxonomies and feeds Hugo made.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::mapping::{self, Front};
use super::model::{FeedKind, Language, Page, Place, Site, Target};
use super::report::Report;
use super::{Engine, front, walk};
use crate::error::{Error, Location, Result};

/// What the importer needs of Hugo's configuration.
#[derive(Debug, Clone)]
struct Settings {
    base_url: String,
    default_lang: String,
    in_subdir: bool,
    /// By weight, then code.
    languages: Vec<HugoLanguage>,
    content_dir: String,
    static_dirs: Vec<String>,
    paginate: usize,
    permalinks: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
struct HugoLanguage {
    code: String,
    title: String,
    description: String,
    content_dir: Option<String>,
    /// (singular, plural).
    taxonomies: Vec<(String, String)>,
}

/// Reads the Hugo site at `root`.
pub(crate) fn read(root: &Path) -> Result<Site> {
    let config = load_config(root)?;
    let settings = settings(&config);
    let mut report = Report::default();
    if let Some(theme) = config.get("theme") {
        report.site_note(format!(
            "theme {theme}: its layouts, shortcodes and static files are not imported (gazette \
             uses its own theme)"
        ));
    }
    let mut pages = Vec::new();
    let mut statics = Vec::new();
    for (dir, lang) in content_dirs(&settings) {
        read_content(
            root,
            &settings,
            &dir,
            lang.as_deref(),
            &mut pages,
            &mut statics,
            &mut report,
        );
    }
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

// ---- Configuration

/// `hugo.*` or `config.*` at the root, merged with `config/_default/*` (each file a key).
fn load_config(root: &Path) -> Result<toml::Table> {
    let mut config = toml::Table::new();
    let mut found = false;
    for name in ["hugo", "config"] {
        for ext in ["toml", "yaml", "yml", "json"] {
            let path = root.join(format!("{name}.{ext}"));
            if path.is_file() {
                merge(&mut config, read_table(&path)?);
                found = true;
            }
        }
    }
    let dir = root.join("config/_default");
    for (rel, path) in walk::files(&dir, &|_| false).files {
        let Some((stem, _)) = rel.rsplit_once('.').filter(|(s, _)| !s.contains('/')) else {
            continue;
        };
        let table = read_table(&path)?;
        match stem {
            "hugo" | "config" => merge(&mut config, table),
            key => merge(
                &mut config,
                toml::Table::from_iter([(key.into(), table.into())]),
            ),
        }
        found = true;
    }
    if !found {
        return Err(Error::Config {
            location: Location::file(root.join("hugo.toml")),
            message: "no Hugo configuration here (hugo.toml, config.toml, config.yaml or \
                      config/_default/): is this a Hugo site?"
                .into(),
        });
    }
    Ok(lowercase_keys(config))
}

fn read_table(path: &Path) -> Result<toml::Table> {
    let text = walk::read_text(path).map_err(|message| Error::Config {
        location: Location::file(path),
        message,
    })?;
    let parsed = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => front::parse_toml(&text).map(|fields| front::Parsed {
            fields,
            body: String::new(),
            body_line: 1,
            has_front: true,
        }),
        Some("json") => front::parse(&text),
        _ => front::yaml_table(&text).map(|fields| front::Parsed {
            fields,
            body: String::new(),
            body_line: 1,
            has_front: true,
        }),
    };
    parsed.map(|p| p.fields).map_err(|e| Error::Config {
        location: Location::at(path, e.line, 0),
        message: e.message,
    })
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(old)), toml::Value::Table(new)) => merge(old, new),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// Hugo reads configuration keys without regard to case (`baseURL`, `defaultContentLanguage`).
fn lowercase_keys(table: toml::Table) -> toml::Table {
    table
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                toml::Value::Table(t) => toml::Value::Table(lowercase_keys(t)),
                other => other,
            };
            (k.to_lowercase(), v)
        })
        .collect()
}

fn text(table: &toml::Table, key: &str) -> Option<String> {
    match table.get(key)? {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

fn settings(config: &toml::Table) -> Settings {
    let default_lang = text(config, "defaultcontentlanguage").unwrap_or_else(|| "en".into());
    let number = |v: Option<&toml::Value>| match v? {
        toml::Value::Integer(i) => usize::try_from(*i).ok(),
        toml::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let paginate = number(config.get("paginate"))
        .or_else(|| number(table(config, "pagination")?.get("pagersize")))
        .filter(|n| *n > 0)
        .unwrap_or(10);
    let static_dirs = match config.get("staticdir") {
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => vec!["static".into()],
    };
    Settings {
        base_url: text(config, "baseurl").unwrap_or_else(|| "https://example.org".into()),
        languages: languages(config, &default_lang),
        in_subdir: config
            .get("defaultcontentlanguageinsubdir")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false),
        default_lang,
        content_dir: text(config, "contentdir").unwrap_or_else(|| "content".into()),
        static_dirs,
        paginate,
        permalinks: permalinks(config),
    }
}

fn table<'a>(config: &'a toml::Table, key: &str) -> Option<&'a toml::Table> {
    config.get(key)?.as_table()
}

/// `[permalinks]`, or (Hugo ≥ 0.120) `[permalinks.page]`: section -> pattern.
fn permalinks(config: &toml::Table) -> BTreeMap<String, String> {
    let Some(all) = table(config, "permalinks") else {
        return BTreeMap::new();
    };
    let source = table(all, "page").unwrap_or(all);
    source
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// The languages, default first then by weight; one (the default) when none is configured.
fn languages(config: &toml::Table, default_lang: &str) -> Vec<HugoLanguage> {
    let site_title = text(config, "title").unwrap_or_default();
    let site_description = table(config, "params")
        .and_then(|p| text(p, "description"))
        .unwrap_or_default();
    let site_taxonomies = taxonomies(config.get("taxonomies"));
    let mut languages: Vec<(i64, HugoLanguage)> = table(config, "languages")
        .into_iter()
        .flatten()
        .filter_map(|(code, value)| {
            let l = value.as_table()?;
            let description = table(l, "params")
                .and_then(|p| text(p, "description"))
                .or_else(|| text(l, "description"));
            let language = HugoLanguage {
                code: code.clone(),
                title: text(l, "title").unwrap_or_else(|| site_title.clone()),
                description: description.unwrap_or_else(|| site_description.clone()),
                content_dir: text(l, "contentdir"),
                taxonomies: match l.get("taxonomies") {
                    Some(t) => taxonomies(Some(t)),
                    None => site_taxonomies.clone(),
                },
            };
            Some((
                l.get("weight")
                    .and_then(toml::Value::as_integer)
                    .unwrap_or(0),
                language,
            ))
        })
        .collect();
    if !languages.iter().any(|(_, l)| l.code == default_lang) {
        let language = HugoLanguage {
            code: default_lang.to_string(),
            title: site_title,
            description: site_description,
            content_dir: None,
            taxonomies: site_taxonomies,
        };
        languages.push((i64::MIN, language));
    }
    languages.sort_by(|(wa, a), (wb, b)| {
        (a.code != default_lang, *wa, &a.code).cmp(&(b.code != default_lang, *wb, &b.code))
    });
    languages.into_iter().map(|(_, l)| l).collect()
}

/// `[taxonomies]` singular -> plural; Hugo's default is tags and categories.
fn taxonomies(value: Option<&toml::Value>) -> Vec<(String, String)> {
    match value.and_then(toml::Value::as_table) {
        Some(t) => t
            .iter()
            .filter_map(|(s, p)| Some((s.clone(), p.as_str()?.to_lowercase())))
            .collect(),
        None => vec![
            ("tag".into(), "tags".into()),
            ("category".into(), "categories".into()),
        ],
    }
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
struct Entry {
    rel: String,
    full: PathBuf,
    /// The folder, relative to the content folder (`posts/x` for a bundle's index).
    dir: String,
    stem: String,
    lang: String,
}

#[allow(clippy::too_many_arguments)]
fn read_content(
    root: &Path,
    settings: &Settings,
    dir: &str,
    dir_lang: Option<&str>,
    pages: &mut Vec<Page>,
    statics: &mut Vec<(PathBuf, String)>,
    report: &mut Report,
) {
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
    for entry in &entries {
        if let Some(page) = page_of(settings, dir, entry, &walked.files, &leaf_bundles, report) {
            pages.push(page);
        }
    }
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
    let text = walk::read_text(&entry.full)
        .map_err(|m| report.note(&source, None, m))
        .ok()?;
    let parsed = front::parse(&text)
        .map_err(|e| {
            report.note(
                &source,
                Some(e.line),
                format!("{}: not imported", e.message),
            )
        })
        .ok()?;
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

/// The path prefix of a language in Hugo: `/` for the default one (unless in a subfolder).
fn prefix(settings: &Settings, lang: &str) -> String {
    if lang == settings.default_lang && !settings.in_subdir {
        "/".into()
    } else {
        format!("/{lang}/")
    }
}

/// The URL Hugo published the page at, if it published it.
fn old_url(settings: &Settings, entry: &Entry, page: &Page) -> Option<String> {
    let front = &page.front;
    if front.draft || is_headless(front) {
        return None;
    }
    if let Some(url) = &front.url {
        // Hugo takes `url` as given: the language prefix is the author's to write.
        return Some(format!("/{}", url.trim_start_matches('/')));
    }
    let prefix = prefix(settings, &page.lang);
    match &page.place {
        Place::Home => Some(prefix),
        Place::SectionIndex(dir) => Some(format!("{prefix}{}/", path_of(dir))),
        Place::Article(_) | Place::Standalone => {
            let top = section_of(&page.place);
            let section = match &page.place {
                Place::Article(section) => section.as_str(),
                _ => "",
            };
            if let Some(pattern) = settings.permalinks.get(&top) {
                let path = expand(pattern, entry, page, section)?;
                return Some(format!("{prefix}{}", path.trim_start_matches('/')));
            }
            let dir = match &page.place {
                Place::Article(section) => format!("{}/", path_of(section)),
                _ => String::new(),
            };
            let name = front
                .slug
                .as_deref()
                .map_or_else(|| path_of(&page.name), urlize);
            Some(format!("{prefix}{dir}{name}/"))
        }
    }
}

/// Hugo's `headless` and `_build.render = never` pages have no URL.
fn is_headless(front: &Front) -> bool {
    let build = front.extra.get("_build").or(front.extra.get("build"));
    front.extra.get("headless").and_then(toml::Value::as_bool) == Some(true)
        || build.and_then(|b| b.get("render")).is_some_and(|r| {
            matches!(r.as_str(), Some("never" | "false")) || r.as_bool() == Some(false)
        })
}

/// The top-level section (Hugo's `.Section`), `""` for pages at the top.
fn section_of(place: &Place) -> String {
    match place {
        Place::Article(section) | Place::SectionIndex(section) => {
            section.split('/').next().unwrap_or("").to_string()
        }
        _ => String::new(),
    }
}

/// A folder path as Hugo writes it in URLs: lowercased, spaces as hyphens.
fn path_of(dir: &str) -> String {
    dir.split('/').map(urlize).collect::<Vec<_>>().join("/")
}

/// Hugo's `urlize`: letters (any script), digits, marks and `. / _ - # + ~ @ \` kept, spaces
/// (and hyphen runs) as one hyphen, the rest dropped; lowercased.
pub(crate) fn urlize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.chars() {
        let kept = c.is_alphanumeric()
            || matches!(c, '.' | '/' | '\\' | '_' | '#' | '+' | '~' | '@')
            || is_mark(c);
        if kept {
            if hyphen {
                out.push('-');
                hyphen = false;
            }
            out.extend(c.to_lowercase());
        } else if (c == '-' || c.is_whitespace()) && !out.is_empty() {
            hyphen = true;
        }
    }
    out
}

/// Combining marks (a decomposed accent stays with its letter).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{20d0}'..='\u{20ff}')
}

/// A permalink pattern with the page's values; None for a token gazette cannot place.
fn expand(pattern: &str, entry: &Entry, page: &Page, section: &str) -> Option<String> {
    let date = page.front.date.and_then(|d| d.date);
    let title = page.front.title.clone().unwrap_or_default();
    let filename = if entry.stem == "index" {
        page.name.clone()
    } else {
        entry.stem.clone()
    };
    let slug = page.front.slug.clone();
    let two = |n: Option<u8>| format!("{:02}", n.unwrap_or(1));
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let token_end = rest[at + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map_or(rest.len(), |i| at + 1 + i);
        let value = match &rest[at + 1..token_end] {
            "year" => format!("{:04}", date.map_or(1, |d| d.year)),
            "month" => two(date.map(|d| d.month)),
            "day" => two(date.map(|d| d.day)),
            "section" => section.split('/').next().unwrap_or("").to_string(),
            "sections" => section.to_string(),
            "title" => urlize(&title),
            "slug" => urlize(slug.as_deref().unwrap_or(&title)),
            "filename" | "contentbasename" => urlize(&filename),
            "slugorfilename" | "slugorcontentbasename" => {
                urlize(slug.as_deref().unwrap_or(&filename))
            }
            _ => return None,
        };
        out.push_str(&value);
        rest = &rest[token_end..];
    }
    out.push_str(rest);
    Some(if out.ends_with('/') || out.contains('.') {
        out
    } else {
        format!("{out}/")
    })
}

/// What the page's gazette slug is made from: what the permalink's last token used, else
/// Hugo's slug or the file name.
fn gazette_slug_source(settings: &Settings, entry: &Entry, page: &Page) -> String {
    let title = page.front.title.clone().unwrap_or_default();
    let filename = if entry.stem == "index" {
        page.name.clone()
    } else {
        entry.stem.clone()
    };
    let slug = page.front.slug.clone();
    let pattern = settings.permalinks.get(&section_of(&page.place));
    let last = pattern.and_then(|p| p.trim_end_matches('/').rsplit('/').next().map(String::from));
    match last.as_deref() {
        Some(":title") => urlize(&title),
        Some(":slug") => urlize(slug.as_deref().unwrap_or(&title)),
        _ => slug.map_or(filename, |s| urlize(&s)),
    }
}

/// gazette `[permalinks]` for the sections whose Hugo pattern it can say: dates, then the
/// slug last.
fn gazette_permalinks(settings: &Settings, pages: &[Page]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for page in pages {
        let Place::Article(section) = &page.place else {
            continue;
        };
        let Some(pattern) = settings.permalinks.get(&section_of(&page.place)) else {
            continue;
        };
        if let Some(gazette) = gazette_pattern(pattern) {
            out.insert(section.clone(), gazette);
        }
    }
    out
}

/// `/:year/:month/:title/` -> `/:year/:month/:slug/`; None when a token has no gazette
/// equivalent or the slug is not last (the pages then keep their URLs through aliases).
fn gazette_pattern(pattern: &str) -> Option<String> {
    let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let (last, before) = segments.split_last()?;
    let slug_like = [
        ":title",
        ":slug",
        ":filename",
        ":slugorfilename",
        ":contentbasename",
    ];
    if !slug_like.contains(last) {
        return None;
    }
    let fine = before
        .iter()
        .all(|s| matches!(*s, ":year" | ":month" | ":day" | ":section") || !s.contains(':'));
    fine.then(|| {
        let mut out: Vec<&str> = before.to_vec();
        out.push(":slug");
        format!("/{}/", out.join("/"))
    })
}

/// The old URLs of lists: homes and sections with their pages, taxonomies, feeds.
fn list_urls(settings: &Settings, pages: &[Page]) -> Vec<(String, Target)> {
    let mut urls = Vec::new();
    let several = settings.languages.len() > 1;
    for language in &settings.languages {
        let lang = language.code.clone();
        let prefix = prefix(settings, &lang);
        let published: Vec<&Page> = pages
            .iter()
            .filter(|p| p.lang == lang && p.old_url.is_some())
            .collect();
        if prefix != "/" {
            // Hugo writes a 404 page per language; gazette one for the site.
            urls.push((format!("{prefix}404.html"), Target::NotFound));
        }
        if several && prefix == "/" {
            urls.push((
                format!("/{lang}/"),
                Target::Home {
                    lang: lang.clone(),
                    page: 1,
                },
            ));
        }
        let regular = published
            .iter()
            .filter(|p| matches!(p.place, Place::Article(_) | Place::Standalone))
            .count();
        for n in 1..=pages_for(regular, settings.paginate) {
            urls.push((
                format!("{prefix}page/{n}/"),
                Target::Home {
                    lang: lang.clone(),
                    page: n,
                },
            ));
        }
        urls.push((format!("{prefix}index.xml"), feed(&lang)));
        section_urls(settings, &lang, &prefix, &published, &mut urls);
        taxonomy_urls(settings, language, &prefix, &published, &mut urls);
    }
    urls
}

fn feed(lang: &str) -> Target {
    Target::Feed {
        lang: lang.to_string(),
        kind: FeedKind::Rss,
    }
}

fn pages_for(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

/// Each section's list (at its `url` when its `_index` sets one), pages and feed.
fn section_urls(
    settings: &Settings,
    lang: &str,
    prefix: &str,
    published: &[&Page],
    urls: &mut Vec<(String, Target)>,
) {
    let mut sections: BTreeMap<String, String> = BTreeMap::new();
    for page in published {
        if let Place::Article(section) = &page.place {
            sections
                .entry(section.clone())
                .or_insert_with(|| format!("{prefix}{}/", path_of(section)));
        }
    }
    for page in published {
        if let (Place::SectionIndex(section), Some(url)) = (&page.place, &page.old_url) {
            let url = super::place::normalize(url).unwrap_or_else(|| url.clone());
            sections.insert(section.clone(), url);
        }
    }
    for (section, base) in sections {
        let count = published
            .iter()
            .filter(|p| matches!(&p.place, Place::Article(s) if *s == section || s.starts_with(&format!("{section}/"))))
            .count();
        let target = |page| Target::Section {
            lang: lang.to_string(),
            section: section.clone(),
            page,
        };
        urls.push((base.clone(), target(1)));
        for n in 1..=pages_for(count, settings.paginate) {
            urls.push((format!("{base}page/{n}/"), target(n)));
        }
        urls.push((format!("{base}index.xml"), feed(lang)));
    }
}

/// Each taxonomy's list and terms, their pages and feeds.
fn taxonomy_urls(
    settings: &Settings,
    language: &HugoLanguage,
    prefix: &str,
    published: &[&Page],
    urls: &mut Vec<(String, Target)>,
) {
    let lang = &language.code;
    for (_, plural) in &language.taxonomies {
        let mut terms: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for page in published
            .iter()
            .filter(|p| matches!(p.place, Place::Article(_) | Place::Standalone))
        {
            let written = match plural.as_str() {
                "tags" => page.front.tags.clone(),
                other => page
                    .front
                    .taxonomies
                    .get(other)
                    .cloned()
                    .unwrap_or_default(),
            };
            for term in written {
                terms
                    .entry(urlize(&term))
                    .or_insert_with(|| (term.clone(), 0))
                    .1 += 1;
            }
        }
        let base = format!("{prefix}{plural}/");
        urls.push((base.clone(), Target::Tags { lang: lang.clone() }));
        for n in 1..=pages_for(terms.len(), settings.paginate) {
            urls.push((
                format!("{base}page/{n}/"),
                Target::Tags { lang: lang.clone() },
            ));
        }
        urls.push((format!("{base}index.xml"), feed(lang)));
        for (url_term, (term, count)) in terms {
            let term_base = format!("{base}{url_term}/");
            let target = |page| Target::Tag {
                lang: lang.clone(),
                term: term.clone(),
                page,
            };
            urls.push((term_base.clone(), target(1)));
            for n in 1..=pages_for(count, settings.paginate) {
                urls.push((format!("{term_base}page/{n}/"), target(n)));
            }
            urls.push((format!("{term_base}index.xml"), feed(lang)));
        }
    }
}

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
    fn urlize_as_hugo() {
        assert_eq!(urlize("Flexbox illustré"), "flexbox-illustré");
        assert_eq!(
            urlize("VS Code: using regular expressions in find/replace"),
            "vs-code-using-regular-expressions-in-find/replace"
        );
        assert_eq!(
            urlize("Configuration d'un serveur"),
            "configuration-dun-serveur"
        );
        assert_eq!(urlize("Base de données, SQL"), "base-de-données-sql");
        assert_eq!(urlize("  Node.js -- tips "), "node.js-tips");
    }

    #[test]
    fn patterns_gazette_can_say() {
        assert_eq!(
            gazette_pattern("/:year/:month/:day/:title/").as_deref(),
            Some("/:year/:month/:day/:slug/")
        );
        assert_eq!(
            gazette_pattern("/posts/:year/:month/:title/").as_deref(),
            Some("/posts/:year/:month/:slug/")
        );
        assert_eq!(gazette_pattern("/:year/:monthname/:title/"), None);
        assert_eq!(gazette_pattern("/:title/:year/"), None);
    }
}
