//! A Jekyll site (_config.yml; _posts/ and _drafts/; Markdown pages with front matter
//! anywhere; every other file copied as it is) -> `model::Site`, each page with the URL
//! Jekyll 4 gives it: the `permalink` style (`date` by default:
//! `/:categories/:year/:month/:day/:title.html`), a page's path with `.html`, or its own
//! `permalink`. Languages come from `lang` in the front matter (and polyglot's settings).

mod config;
mod urls;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::mapping;
use super::model::{FeedKind, Language, Page, Place, Site, Target};
use super::report::Report;
use super::{Engine, front, walk};
use crate::error::Result;
use config::{Settings, settings, skipped};
use urls::{list_urls, page_url, post_url};

/// Reads the Jekyll site at `root`.
pub(crate) fn read(root: &Path) -> Result<Site> {
    let settings = settings(root)?;
    let mut report = site_notes(&settings);
    let skip = |rel: &str| skipped(&settings, rel);
    let walked = walk::files(root, &skip);
    for link in &walked.links {
        let message = "a symbolic link: not followed, not imported";
        report.note(link, None, message.into());
    }
    let mut found = Found::default();
    for (rel, full) in &walked.files {
        read_file(&settings, rel, full, &mut found, &mut report);
    }
    let Found {
        mut pages,
        statics,
        mut old_urls,
    } = found;
    let languages = languages(&settings, &pages);
    let default_lang = languages[0].code.clone();
    in_default_language(&mut pages, &mut old_urls, &default_lang);
    place_homes(&mut pages, &default_lang);
    old_urls.extend(list_urls(&settings, &pages, &default_lang));
    Ok(Site {
        base_url: settings.base_url.clone(),
        languages,
        default_at_root: true,
        paginate_by: settings.paginate,
        permalinks: posts_permalink(&settings),
        heading_ids: "jekyll",
        pages,
        statics,
        old_urls,
        extra: toml::Table::new(),
        report,
    })
}

/// What the files of the site give.
#[derive(Default)]
struct Found {
    pages: Vec<Page>,
    statics: Vec<(PathBuf, String)>,
    old_urls: Vec<(String, Target)>,
}

/// What the configuration leaves to do by hand.
fn site_notes(settings: &Settings) -> Report {
    let mut report = Report::default();
    if settings.base_url.starts_with("https://example.org") {
        report.site_note(
            "_config.yml has no url: config.toml says https://example.org, write the site's \
             address there"
                .into(),
        );
    }
    if let Some(collections) = settings
        .config
        .get("collections")
        .and_then(|c| c.as_table())
    {
        let names: Vec<&str> = collections.keys().map(String::as_str).collect();
        report.site_note(format!(
            "collections ({}) are not imported: only posts, drafts and pages are; move their \
             files into a section by hand",
            names.join(", ")
        ));
    }
    if let Some(theme) = settings.config.get("theme") {
        report.site_note(format!(
            "theme {theme}: its layouts and includes are not imported (gazette uses its own theme)"
        ));
    }
    report
}

/// Pages and old URLs with no `lang` are in the default language.
fn in_default_language(pages: &mut [Page], old_urls: &mut [(String, Target)], default: &str) {
    for page in pages.iter_mut().filter(|p| p.lang.is_empty()) {
        page.lang = default.to_string();
    }
    for (_, target) in old_urls.iter_mut() {
        if let Target::Tag { lang, .. } | Target::Feed { lang, .. } | Target::Section { lang, .. } =
            target
            && lang.is_empty()
        {
            *lang = default.to_string();
        }
    }
}

/// Dated post URLs stay dated: gazette's `/:year/:month/:day/:slug/` (the old `.html`
/// address, and categories in front, become aliases).
fn posts_permalink(settings: &Settings) -> BTreeMap<String, String> {
    let dated = ["/:year/", "/:month/", "/:day/"]
        .iter()
        .all(|p| settings.permalink.contains(p));
    let mut permalinks = BTreeMap::new();
    if dated {
        permalinks.insert("posts".to_string(), "/:year/:month/:day/:slug/".to_string());
    }
    permalinks
}

fn is_markdown(rel: &str) -> bool {
    [".md", ".markdown", ".mkd", ".mkdn"]
        .iter()
        .any(|e| rel.ends_with(e))
}

fn read_file(settings: &Settings, rel: &str, full: &Path, found: &mut Found, report: &mut Report) {
    let in_posts = rel.split('/').any(|p| p == "_posts");
    let in_drafts = rel.starts_with("_drafts/");
    // Jekyll processes only files that start with front matter; the rest it copies.
    let starts_with_front = std::fs::read(full).is_ok_and(|b| b.starts_with(b"---"));
    if !starts_with_front && !in_posts && !in_drafts {
        found.statics.push((full.to_path_buf(), rel.to_string()));
        return;
    }
    if !is_markdown(rel) {
        if !(in_posts || in_drafts) {
            template_url(rel, &mut found.old_urls, report);
        }
        return;
    }
    let Some(parsed) = front::read(full, Path::new(rel), report) else {
        return;
    };
    let front = mapping::map(Engine::Jekyll, parsed.fields, &[]);
    let page = if in_posts || in_drafts {
        post(settings, rel, front, in_drafts, report)
    } else {
        page(settings, rel, front, &mut found.old_urls, report)
    };
    let Some(mut page) = page else {
        return;
    };
    if is_post_list(&parsed.body) && page.place == Place::Standalone {
        let message = "a list of posts written in Liquid: its URL now leads to gazette's list \
                       of posts";
        report.note(rel, None, message.into());
        let target = Target::Section {
            lang: page.lang.clone(),
            section: "posts".into(),
            page: 1,
        };
        found.old_urls.extend(page.old_url.map(|url| (url, target)));
        return;
    }
    if let Some(layout) = layout_with_the_content(&page, &parsed.body) {
        let message = format!(
            "the page's text is in its layout `{layout}`, not in the page: write it into the page"
        );
        report.note(rel, None, message);
    }
    page.body = parsed.body;
    page.body_line = parsed.body_line;
    found.pages.push(page);
}

/// The page's own layout when the page has no text of its own (a `research` layout that
/// holds the page's content): gazette's theme will not show it.
fn layout_with_the_content<'a>(page: &'a Page, body: &str) -> Option<&'a str> {
    let layout = page.front.layout.as_deref()?;
    let mut text = body.to_string();
    while let Some(start) = text.find("<!--") {
        let end = text[start..]
            .find("-->")
            .map_or(text.len(), |e| start + e + 3);
        text.replace_range(start..end, "");
    }
    let standard = matches!(
        layout,
        "default" | "page" | "post" | "home" | "none" | "null"
    );
    (!standard && text.trim().is_empty()).then_some(layout)
}

/// A page whose body loops over the posts: the list gazette makes for the section.
fn is_post_list(body: &str) -> bool {
    body.contains("{% for") && (body.contains("site.posts") || body.contains("paginator.posts"))
}

/// A file with front matter that is not Markdown (a Liquid feed or sitemap, Sass, an HTML
/// layout page): not a page gazette can take, but a feed's old address is kept.
fn template_url(rel: &str, old_urls: &mut Vec<(String, Target)>, report: &mut Report) {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let kind = match name {
        "feed.xml" | "rss.xml" => Some(FeedKind::Rss),
        "atom.xml" => Some(FeedKind::Atom),
        _ => None,
    };
    match kind {
        Some(kind) => old_urls.push((
            format!("/{rel}"),
            Target::Feed {
                lang: String::new(),
                kind,
            },
        )),
        None => report.note(
            rel,
            None,
            "a Liquid template (front matter, not Markdown): not imported; gazette's theme \
             makes its own pages, styles, feeds and sitemap"
                .into(),
        ),
    }
}

/// A post: `_posts/YYYY-MM-DD-title.md` (in `CATEGORY/_posts/` too), or a draft.
fn post(
    settings: &Settings,
    rel: &str,
    mut front: mapping::Front,
    draft: bool,
    report: &mut Report,
) -> Option<Page> {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let (date, title) = match stem
        .get(..10)
        .and_then(|d| mapping::date_text(d).map(|_| d))
    {
        Some(date) if stem.len() > 11 => (Some(date.to_string()), stem[11..].to_string()),
        _ if draft => (None, stem.to_string()),
        _ => {
            report.note(
                rel,
                None,
                "a post whose name does not start with a date: Jekyll skips it, so does the import"
                    .into(),
            );
            return None;
        }
    };
    if front.date.is_none() {
        front.date = date.as_deref().and_then(|d| d.parse().ok());
    }
    // Folders above `_posts` are categories too.
    let folders: Vec<String> = rel
        .split("/_posts")
        .next()
        .filter(|p| *p != rel && !p.is_empty())
        .map(|p| p.split('/').map(String::from).collect())
        .unwrap_or_default();
    if !folders.is_empty() {
        let categories = front.taxonomies.entry("categories".into()).or_default();
        let mut all = folders;
        all.append(categories);
        *categories = all;
    }
    front.draft |= draft;
    let old_url = (!front.draft)
        .then(|| post_url(settings, &front, &title))
        .flatten();
    front.slug = Some(front.slug.clone().unwrap_or_else(|| title.clone()));
    Some(Page {
        source: walk::shown(rel),
        lang: front.lang.clone().unwrap_or_default(),
        place: Place::Article("posts".into()),
        name: title,
        refs: vec![rel.to_string(), stem.to_string()],
        front,
        body: String::new(),
        body_line: 1,
        old_url,
        bundle: false,
        files: Vec::new(),
    })
}

/// A Markdown page: a standalone page (a home text for `index.md`), or the old address of a
/// tag page made by hand (`layout: tagpage`, `tag: x`), which gazette makes itself.
fn page(
    settings: &Settings,
    rel: &str,
    front: mapping::Front,
    old_urls: &mut Vec<(String, Target)>,
    report: &mut Report,
) -> Option<Page> {
    let old_url = page_url(settings, rel, &front);
    let lang = front.lang.clone().unwrap_or_default();
    if let Some(term) = tag_page_term(&front) {
        old_urls.push((
            old_url,
            Target::Tag {
                lang,
                term,
                page: 1,
            },
        ));
        return None;
    }
    if old_url == "/404.html" {
        report.note(
            rel,
            None,
            "the 404 page: gazette's theme makes its own".into(),
        );
        return None;
    }
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let name = if stem == "index" {
        dir.rsplit('/').next().unwrap_or("index")
    } else {
        stem
    };
    let mut front = front;
    let slug = old_url.trim_matches('/').rsplit('/').next().unwrap_or(name);
    let slug = slug.strip_suffix(".html").unwrap_or(slug);
    front.slug = Some(if slug.is_empty() {
        name.to_string()
    } else {
        slug.to_string()
    });
    Some(Page {
        source: walk::shown(rel),
        lang,
        place: if stem == "index" {
            Place::Home
        } else {
            Place::Standalone
        },
        name: name.to_string(),
        refs: vec![rel.to_string()],
        front,
        body: String::new(),
        body_line: 1,
        old_url: Some(old_url),
        bundle: false,
        files: Vec::new(),
    })
}

/// A tag page made by hand (Long Qian's pattern): `layout: tagpage` and `tag: name`.
fn tag_page_term(front: &mapping::Front) -> Option<String> {
    let layout = front.layout.as_deref()?;
    if !layout.contains("tag") {
        return None;
    }
    front
        .extra
        .get("tag")
        .and_then(|t| t.as_str())
        .map(String::from)
}

/// The site's languages: the default (config, else English if used, else the most used)
/// first, then every `lang` the pages use.
fn languages(settings: &Settings, pages: &[Page]) -> Vec<Language> {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages.iter().filter(|p| !p.lang.is_empty()) {
        *used.entry(page.lang.clone()).or_default() += 1;
    }
    for lang in &settings.polyglot {
        used.entry(lang.clone()).or_default();
    }
    let default = settings.default_lang.clone().unwrap_or_else(|| {
        let most = used.iter().max_by_key(|(_, n)| **n).map(|(l, _)| l.clone());
        if used.contains_key("en") {
            "en".into()
        } else {
            most.unwrap_or_else(|| "en".into())
        }
    });
    let mut codes: Vec<String> = vec![default.clone()];
    codes.extend(used.into_keys().filter(|l| *l != default));
    codes
        .into_iter()
        .map(|code| Language {
            title: localized(&settings.config, "title", &code),
            description: localized(&settings.config, "description", &code),
            code,
        })
        .collect()
}

/// A config text, or its entry for `lang` when it is written per language.
fn localized(config: &toml::Table, key: &str, lang: &str) -> String {
    match config.get(key) {
        Some(toml::Value::String(s)) => s.clone(),
        Some(toml::Value::Table(t)) => t
            .get(lang)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

/// `index.md` of a language's folder (or the root's) is that language's home text, one per
/// language; another `index.md` stays a standalone page.
fn place_homes(pages: &mut [Page], default: &str) {
    let mut homes = std::collections::BTreeSet::new();
    for page in pages.iter_mut().filter(|p| p.place == Place::Home) {
        let folder = page.old_url.clone().unwrap_or_default();
        let language_root = folder == "/" || folder == format!("/{}/", page.lang);
        if language_root && homes.insert(page.lang.clone()) {
            page.front.slug = None;
            continue;
        }
        page.place = Place::Standalone;
        if page.name == "index" {
            page.name = format!(
                "{}-home",
                if page.lang.is_empty() {
                    default
                } else {
                    &page.lang
                }
            );
        }
    }
}
