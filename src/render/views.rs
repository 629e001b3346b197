//! Site data -> template views (plain serde data, converted to Tera values once per build):
//! what a theme sees of a page, a list entry, a tag, an issue, a language.

use serde::Serialize;
use tera::Value;

use super::html::absolute_fragments;
use super::images::Images;
use super::prose::{Web, for_web};
use crate::config::Config;
use crate::markdown::{Heading, Rendered};
use crate::site::{Issue, Page, PageKind, Site, Tag};

#[derive(Serialize)]
pub(crate) struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct Link {
    pub lang: String,
    pub url: String,
    pub title: String,
}

/// A page as templates see it. `summary_view` leaves out `content` and `toc`.
#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    /// The title as written, for attributes (`<meta content>`), where typography stays out.
    pub plain_title: &'a str,
    pub description: Option<&'a str>,
    pub plain_description: Option<&'a str>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub lang: &'a str,
    pub url: String,
    pub path: &'a str,
    pub slug: &'a str,
    pub section: Option<&'a str>,
    pub tags: Vec<TagRef>,
    pub issue: Option<u32>,
    pub issue_url: Option<String>,
    pub authors: &'a [String],
    pub weight: Option<i64>,
    pub image: Option<String>,
    /// `image` as an `<img>` shows it: its size and variants, when it is one of the site's.
    pub cover: Option<Cover>,
    /// The files beside the page (its bundle), for galleries and downloads.
    pub assets: Vec<Asset>,
    pub draft: bool,
    pub word_count: usize,
    pub reading_time: usize,
    pub summary: Option<Value>,
    pub content: Option<Value>,
    pub toc: Option<&'a [Heading]>,
    pub translations: Vec<Link>,
    pub extra: &'a toml::Table,
}

fn kind_name(kind: &PageKind) -> &'static str {
    match kind {
        PageKind::Article { .. } => "article",
        PageKind::Standalone => "page",
        PageKind::Home => "home",
        PageKind::SectionIndex { .. } => "section",
        PageKind::IssueIntro { .. } => "issue",
    }
}

/// An image as pages show it: `src`, and `width`, `height` and `srcset` when the site has
/// the file (`srcset` is empty for an image without variants).
#[derive(Serialize)]
pub(crate) struct Cover {
    pub src: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub srcset: String,
}

fn cover(images: &Images, url: &str) -> Cover {
    let info = images.by_url.get(url);
    Cover {
        src: info.map_or(url, |i| i.src(url)).to_string(),
        width: info.map(|i| i.width),
        height: info.map(|i| i.height),
        srcset: info.and_then(|i| i.srcset()).unwrap_or_default(),
    }
}

/// The view of page `id`, whose rendered body is `body`; `full` adds its content and table
/// of contents. Its HTML is as web pages show it (`web`).
pub(crate) fn page_view(
    config: &Config,
    site: &Site,
    id: usize,
    body: &Rendered,
    full: bool,
    web: &Web,
) -> Value {
    let page = &site.pages[id];
    let image = image_url(config, page);
    let view = PageView {
        kind: kind_name(&page.kind),
        title: &page.title,
        plain_title: &page.front.title,
        description: page.description.as_deref(),
        plain_description: page.front.description.as_deref(),
        date: page.front.date.map(|d| d.to_rfc3339()),
        updated: page.front.updated.map(|d| d.to_rfc3339()),
        lang: &page.lang,
        url: config.absolute(&page.path),
        path: &page.path,
        slug: &page.slug,
        section: match &page.kind {
            PageKind::Article { section } => Some(section),
            _ => None,
        },
        tags: tag_refs(config, page),
        issue: page.front.issue,
        issue_url: page
            .front
            .issue
            .map(|n| config.absolute(&config.lang_path(&page.lang, &format!("issues/{n}/")))),
        authors: &page.front.authors,
        weight: page.front.weight,
        cover: image.as_deref().map(|url| cover(web.images, url)),
        image,
        assets: assets(config, site, id),
        draft: page.front.draft,
        word_count: body.words,
        reading_time: body.reading_minutes,
        // A summary is shown on other pages: its in-page links (footnotes) must lead here.
        summary: body.summary.as_deref().map(|s| {
            let html = absolute_fragments(s, &config.absolute(&page.path));
            Value::safe_string(&for_web(&html, web))
        }),
        content: full.then(|| Value::safe_string(&for_web(&body.html, web))),
        toc: full.then_some(body.toc.as_slice()),
        translations: translations(config, site, id),
        extra: &page.front.extra,
    };
    Value::from_serializable(&view)
}

/// A file of a page's bundle.
#[derive(Serialize)]
pub(crate) struct Asset {
    /// Its path inside the bundle: `chart.svg`, `img/a.png`.
    pub name: String,
    pub url: String,
}

fn assets(config: &Config, site: &Site, id: usize) -> Vec<Asset> {
    let page = &site.pages[id];
    let Some(bundle) = &page.bundle else {
        return Vec::new();
    };
    site.assets
        .iter()
        .filter(|a| &a.bundle == bundle)
        .map(|a| Asset {
            name: a.relative.clone(),
            url: config.absolute(&format!("{}{}", page.path, a.relative)),
        })
        .collect()
}

fn tag_refs(config: &Config, page: &Page) -> Vec<TagRef> {
    let mut seen = Vec::new();
    page.front
        .tags
        .iter()
        .filter_map(|name| {
            let slug = slug::slugify(name);
            if seen.contains(&slug) {
                return None;
            }
            seen.push(slug.clone());
            Some(TagRef {
                name: name.clone(),
                url: config.absolute(&config.lang_path(&page.lang, &format!("tags/{slug}/"))),
                slug,
            })
        })
        .collect()
}

/// `image` from the front matter, absolute: relative to the page (bundle files sit beside it).
pub(crate) fn image_url(config: &Config, page: &Page) -> Option<String> {
    let image = page.front.image.as_deref()?;
    Some(crate::markdown::urls::absolutize(
        image,
        &config.absolute(&page.path),
        &config.base_url,
    ))
}

pub(crate) fn translations(config: &Config, site: &Site, id: usize) -> Vec<Link> {
    let mut links: Vec<Link> = site
        .translations_of(id)
        .map(|t| Link {
            lang: site.pages[t].lang.clone(),
            url: config.absolute(&site.pages[t].path),
            title: site.pages[t].title.clone(),
        })
        .collect();
    links.sort_by_key(|l| config.languages.iter().position(|c| c.code == l.lang));
    links
}

#[derive(Serialize)]
pub(crate) struct TagView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

pub(crate) fn tag_view(config: &Config, tag: &Tag) -> Value {
    Value::from_serializable(&TagView {
        name: &tag.name,
        slug: &tag.slug,
        url: config.absolute(&tag.path),
        count: tag.articles.len(),
    })
}

#[derive(Serialize)]
pub(crate) struct IssueView {
    pub number: u32,
    pub title: String,
    pub plain_title: String,
    pub description: Option<String>,
    pub plain_description: Option<String>,
    pub date: Option<String>,
    pub url: String,
    pub path: String,
    /// The intro's HTML; None in the light view every page sees (`latest_issue`).
    pub content: Option<Value>,
    /// Its articles: list entries, or links (`article_link`) in the light view.
    pub pages: Vec<Value>,
    pub image: Option<String>,
}

/// An article as a link: what a page shows of an article it only names.
#[derive(Serialize)]
pub(crate) struct ArticleLink<'a> {
    pub title: &'a str,
    pub plain_title: &'a str,
    pub description: Option<&'a str>,
    pub date: Option<String>,
    pub lang: &'a str,
    pub url: String,
}

pub(crate) fn article_link(config: &Config, page: &Page) -> Value {
    Value::from_serializable(&ArticleLink {
        title: &page.title,
        plain_title: &page.front.title,
        description: page.description.as_deref(),
        date: page.front.date.map(|d| d.to_rfc3339()),
        lang: &page.lang,
        url: config.absolute(&page.path),
    })
}

/// An issue: its intro's HTML (`intro`, if written) and its articles (`pages`, in issue
/// order). `fallback_title` is the theme's "Issue N" for issues without an intro.
pub(crate) fn issue_view(
    config: &Config,
    site: &Site,
    issue: &Issue,
    intro: Option<Value>,
    pages: Vec<Value>,
    fallback_title: String,
) -> IssueView {
    let intro_page = issue.intro.map(|i| &site.pages[i]);
    let newest = issue
        .articles
        .iter()
        .filter_map(|&a| site.pages[a].front.date)
        .max();
    let date = intro_page.and_then(|p| p.front.date).or(newest);
    let first = issue.articles.first().map(|&a| &site.pages[a]);
    IssueView {
        number: issue.number,
        title: intro_page.map_or_else(|| fallback_title.clone(), |p| p.title.clone()),
        plain_title: intro_page.map_or(fallback_title, |p| p.front.title.clone()),
        description: intro_page
            .and_then(|p| p.description.clone())
            .or_else(|| first.and_then(|p| p.description.clone())),
        plain_description: intro_page
            .and_then(|p| p.front.description.clone())
            .or_else(|| first.and_then(|p| p.front.description.clone())),
        date: date.map(|d| d.to_rfc3339()),
        url: config.absolute(&issue.path),
        path: issue.path.clone(),
        content: intro,
        pages,
        image: issue
            .articles
            .iter()
            .find_map(|&a| image_url(config, &site.pages[a])),
    }
}

#[derive(Serialize)]
struct ConfigView<'a> {
    base_url: &'a str,
    default_language: &'a str,
    languages: &'a [crate::config::Language],
    paginate_by: usize,
    extra: &'a toml::Table,
}

/// What every template sees of the configuration.
pub(crate) fn config_value(config: &Config) -> Value {
    Value::from_serializable(&ConfigView {
        base_url: &config.base_url,
        default_language: &config.default_language,
        languages: &config.languages,
        paginate_by: config.paginate_by,
        extra: &config.extra,
    })
}
