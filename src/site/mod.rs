//! Parsed documents -> `Site`: pure assembly. Gives every page its URL, pairs translations,
//! and builds each language's edition (articles, sections, tags, issues). Duplicate URLs
//! and bad pairings are errors here, naming both files.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::error::{Error, Location, Result, Warning};
use crate::frontmatter::{Document, FrontMatter};
use crate::source::{Asset, SourceFile, SourceKind};

mod edition;
mod links;

use edition::edition;
pub(crate) use links::{LinkTable, link_table, resolve_link};

/// What a page is, and so where it goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum PageKind {
    Article {
        section: String,
    },
    Standalone,
    /// A language home's text (`_index.LANG.md`).
    Home,
    /// A section's title and text (`SECTION/_index.LANG.md`).
    SectionIndex {
        section: String,
    },
    /// An issue's title and editorial (`issues/N.LANG.md`).
    IssueIntro {
        number: u32,
    },
}

/// One Markdown file, placed.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Path shown in messages: `content/articles/x.fr.md`.
    pub source: PathBuf,
    pub key: String,
    pub lang: String,
    pub kind: PageKind,
    pub front: std::sync::Arc<FrontMatter>,
    /// The title as shown in text: French typography applied on French pages.
    pub title: String,
    pub description: Option<String>,
    pub body: std::sync::Arc<str>,
    pub body_line: usize,
    pub slug: String,
    /// URL path, starting and ending with `/`: `/fr/articles/x/`.
    pub path: String,
    /// Pages sharing this are translations of each other.
    pub group: String,
    /// The bundle folder under content/, if the page has files beside it.
    pub bundle: Option<String>,
}

impl Page {
    pub(crate) fn is_article(&self) -> bool {
        matches!(self.kind, PageKind::Article { .. })
    }

    /// The section folder of an article.
    pub(crate) fn section(&self) -> Option<&str> {
        match &self.kind {
            PageKind::Article { section } => Some(section),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Folder path under content/: `articles`.
    pub name: String,
    /// URL path: `/fr/articles/`.
    pub path: String,
    /// Its `_index` page, if written.
    pub index: Option<usize>,
    /// Newest first.
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Tag {
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Newest first.
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub number: u32,
    pub path: String,
    /// Its `issues/N.LANG.md` page, if written.
    pub intro: Option<usize>,
    /// By weight, then newest first.
    pub articles: Vec<usize>,
}

/// Everything in one language.
#[derive(Debug, Clone)]
pub(crate) struct Edition {
    pub lang: String,
    pub home: Option<usize>,
    /// Every article, newest first.
    pub articles: Vec<usize>,
    pub standalone: Vec<usize>,
    pub sections: Vec<Section>,
    pub tags: Vec<Tag>,
    /// Newest (highest number) first.
    pub issues: Vec<Issue>,
}

/// Pages are shared, and the indexes behind `Arc`s, so that `serve` can clone a site to
/// change the texts of a few pages without copying the rest.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub pages: Vec<Arc<Page>>,
    /// In the config's language order.
    pub editions: Arc<Vec<Edition>>,
    pub translations: Arc<HashMap<String, Vec<usize>>>,
    /// (lang, key) -> page, for `@/` links.
    pub by_key: Arc<HashMap<(String, String), usize>>,
    pub assets: Arc<Vec<Asset>>,
}

impl Site {
    /// Takes every page's Markdown out (`pages[i]`'s at `i`), leaving the pages' bodies
    /// empty: a build renders each and frees it (see `bodies::render_all`).
    pub(crate) fn take_markdown(&mut self) -> Vec<Arc<str>> {
        self.pages
            .iter_mut()
            .map(|page| std::mem::take(&mut Arc::make_mut(page).body))
            .collect()
    }

    /// The other language versions of a page, in config order.
    pub(crate) fn translations_of(&self, page: usize) -> impl Iterator<Item = usize> + '_ {
        let group = &self.pages[page].group;
        self.translations
            .get(group)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |p| *p != page)
    }
}

/// Places every document and builds the editions. `include_drafts` keeps `draft = true` pages.
pub(crate) fn assemble(
    config: &Config,
    docs: Vec<(SourceFile, Document)>,
    assets: Vec<Asset>,
    include_drafts: bool,
) -> (Site, Vec<Warning>, Vec<Error>) {
    let mut errors = Vec::new();
    let mut pages = Vec::new();
    for (file, doc) in docs {
        if doc.front.draft && !include_drafts {
            continue;
        }
        match place(config, file, doc) {
            Ok(page) => pages.push(page),
            Err(e) => errors.push(e),
        }
    }
    // Byte order of the paths: deterministic, and far cheaper than comparing components.
    pages.sort_by(|a, b| a.source.as_os_str().cmp(b.source.as_os_str()));
    let pages = without_duplicate_urls(config, pages, &mut errors);
    let translations = pair_translations(&pages, &mut errors);
    let by_key = pages
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.lang.clone(), p.key.clone()), i))
        .collect();
    let refs: Vec<&Page> = pages.iter().collect();
    let editions = config
        .languages
        .iter()
        .map(|l| edition(config, &l.code, &refs, &mut errors))
        .collect();
    let warnings = missing_translations(config, &pages, &translations);
    let assets = assets
        .into_iter()
        .filter(|a| {
            pages
                .iter()
                .any(|p| p.bundle.as_deref() == Some(a.bundle.as_str()))
        })
        .collect();
    let site = Site {
        pages: pages.into_iter().map(Arc::new).collect(),
        editions: Arc::new(editions),
        translations: Arc::new(translations),
        by_key: Arc::new(by_key),
        assets: Arc::new(assets),
    };
    (site, warnings, errors)
}

/// An article's URL path from its section's `[permalinks]` pattern, in its language:
/// `/:year/:month/:day/:slug/` with the article's date (of publication) and slug.
fn permalink(
    config: &Config,
    lang: &str,
    pattern: &str,
    section: &str,
    slug: &str,
    front: &FrontMatter,
) -> String {
    let date = front.date.map(|d| d.date_naive());
    let part = |format: &str| date.map_or_else(String::new, |d| d.format(format).to_string());
    let section: Vec<String> = section.split('/').map(slug::slugify).collect();
    let path = pattern
        .replace(":year", &part("%Y"))
        .replace(":month", &part("%m"))
        .replace(":day", &part("%d"))
        .replace(":section", &section.join("/"))
        .replace(":slug", slug);
    let path = path.trim_start_matches('/');
    let path = if path.ends_with('/') || path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}/")
    };
    config.lang_path(lang, &path)
}

/// URL path of a section folder: each segment slugified (`Mes notes` -> `mes-notes`).
pub(crate) fn section_path(config: &Config, lang: &str, section: &str) -> String {
    let segments: Vec<String> = section.split('/').map(slug::slugify).collect();
    config.lang_path(lang, &format!("{}/", segments.join("/")))
}

fn place(config: &Config, file: SourceFile, doc: Document) -> Result<Page> {
    let front = doc.front;
    let lang = file.lang.clone();
    let slug = match &front.slug {
        Some(slug) => slug.clone(),
        None => slug::slugify(&file.name),
    };
    if slug.is_empty() {
        return Err(Error::Content {
            location: Location::file(&file.path),
            message: format!(
                "the file name \"{}\" gives an empty slug: add slug = \"…\" to the front matter",
                file.name
            ),
        });
    }
    let (kind, path) = match file.kind {
        SourceKind::Article { section } => {
            if section_path(config, &lang, &section) == config.lang_path(&lang, "tags/") {
                return Err(Error::DuplicateUrl {
                    location: Location::file(&file.path),
                    message: "a section named tags would share its URL with the tag pages \
                              (/LANG/tags/): rename the folder"
                        .into(),
                });
            }
            let path = match config.permalinks.get(&section) {
                Some(pattern) => permalink(config, &lang, pattern, &section, &slug, &front),
                None => format!("{}{slug}/", section_path(config, &lang, &section)),
            };
            (PageKind::Article { section }, path)
        }
        SourceKind::Page => {
            if ["tags", "issues"].contains(&slug.as_str()) {
                return Err(Error::DuplicateUrl {
                    location: Location::file(&file.path),
                    message: format!(
                        "the slug \"{slug}\" is reserved for gazette's own pages ({}): \
                         choose another slug",
                        config.lang_path(&lang, &format!("{slug}/"))
                    ),
                });
            }
            (
                PageKind::Standalone,
                config.lang_path(&lang, &format!("{slug}/")),
            )
        }
        SourceKind::Home => (PageKind::Home, config.home_path(&lang)),
        SourceKind::SectionIndex { section } => {
            let path = section_path(config, &lang, &section);
            (PageKind::SectionIndex { section }, path)
        }
        SourceKind::IssueIntro { number } => (
            PageKind::IssueIntro { number },
            config.lang_path(&lang, &format!("issues/{number}/")),
        ),
    };
    let title = config.typeset(&lang, &front.title);
    let description = front
        .description
        .as_deref()
        .map(|d| config.typeset(&lang, d));
    let group = match &front.translation_key {
        Some(k) => format!("key:{k}"),
        None => format!("path:{}", file.key),
    };
    Ok(Page {
        source: file.path,
        key: file.key,
        lang,
        kind,
        title,
        description,
        front,
        body: doc.body,
        body_line: doc.body_line,
        slug,
        path,
        group,
        bundle: file.bundle,
    })
}

/// The editions of a site whose pages kept their places but may show other titles (`serve`,
/// after an edit of presentational front matter): lists are sorted again, since titles break
/// ties of dates. None if that gives an error, which the whole pipeline will report.
pub(crate) fn editions_of(config: &Config, pages: &[Arc<Page>]) -> Option<Vec<Edition>> {
    let mut errors = Vec::new();
    let editions = config
        .languages
        .iter()
        .map(|l| edition(config, &l.code, pages, &mut errors))
        .collect();
    errors.is_empty().then_some(editions)
}

/// Two pages at one URL (equal ignoring case, as on case-insensitive hosts) is an error;
/// the second one is left out so the rest of the site can still be checked.
fn without_duplicate_urls(config: &Config, pages: Vec<Page>, errors: &mut Vec<Error>) -> Vec<Page> {
    let sections: HashMap<String, String> = pages
        .iter()
        .filter_map(|page| match &page.kind {
            PageKind::Article { section } => Some((
                section_path(config, &page.lang, section).to_lowercase(),
                section.clone(),
            )),
            _ => None,
        })
        .collect();
    let mut kept: Vec<Page> = Vec::with_capacity(pages.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let url = page.path.to_lowercase();
        if let Some(&first) = seen.get(&url) {
            errors.push(Error::DuplicateUrl {
                location: Location::file(&page.source),
                message: format!(
                    "{} is also the URL of {}: give one of them another slug",
                    page.path,
                    kept[first].source.display()
                ),
            });
            continue;
        }
        if page.kind == PageKind::Standalone
            && let Some(section) = sections.get(&url)
        {
            errors.push(Error::DuplicateUrl {
                    location: Location::file(&page.source),
                    message: format!(
                        "{} is also the URL of the section content/{section}/: give this page another slug",
                        page.path
                    ),
                });
            continue;
        }
        seen.insert(url, kept.len());
        kept.push(page);
    }
    kept
}

fn pair_translations(pages: &[Page], errors: &mut Vec<Error>) -> HashMap<String, Vec<usize>> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        let group = groups.entry(page.group.clone()).or_default();
        if let Some(&other) = group.iter().find(|&&o| pages[o].lang == page.lang) {
            errors.push(Error::Content {
                location: Location::file(&page.source),
                message: format!(
                    "{} also claims to be the \"{}\" version of this page{}: \
                     give one of them another translation_key",
                    pages[other].source.display(),
                    page.lang,
                    page.front
                        .translation_key
                        .as_ref()
                        .map(|k| format!(" (translation_key = \"{k}\")"))
                        .unwrap_or_default()
                ),
            });
            continue;
        }
        group.push(i);
    }
    groups
}

fn missing_translations(
    config: &Config,
    pages: &[Page],
    translations: &HashMap<String, Vec<usize>>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for page in pages
        .iter()
        .filter(|p| p.is_article() || p.kind == PageKind::Standalone)
    {
        let present: Vec<&str> = translations[&page.group]
            .iter()
            .map(|&i| pages[i].lang.as_str())
            .collect();
        for language in config
            .languages
            .iter()
            .filter(|l| !present.contains(&l.code.as_str()))
        {
            warnings.push(Warning {
                location: Location::file(&page.source),
                message: format!(
                    "no {} translation (the language switcher will lead to the {} home)",
                    language.code, language.code
                ),
            });
        }
    }
    warnings
}
