//! A Jekyll site (_config.yml; _posts/ and _drafts/; Markdown pages with front matter
//! anywhere; every other file copied as it is) -> `model::Site`, each page with the URL
//! Jekyll 4 gives it: the `permalink` style (`date` by default:
//! `/:categories/:year/:month/:day/:title.html`), a page's path with `.html`, or its own
//! `permalink`. Languages come from `lang` in the front matter (and polyglot's settings).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::mapping;
use super::model::{FeedKind, Language, Page, Place, Site, Target};
use super::report::Report;
use super::{Engine, front, walk};
use crate::error::{Error, Location, Result};

/// What the importer needs of _config.yml.
#[derive(Debug, Clone)]
struct Settings {
    base_url: String,
    /// The posts' permalink pattern (a style name expanded).
    permalink: String,
    /// Pages get `/x/` rather than `/x.html` (a permalink style ending with `/`).
    pretty_pages: bool,
    /// polyglot's languages: each but the default is published under `/LANG/`.
    polyglot: Vec<String>,
    default_lang: Option<String>,
    plugins: Vec<String>,
    paginate: Option<usize>,
    paginate_path: String,
    exclude: Vec<String>,
    config: toml::Table,
}

/// Reads the Jekyll site at `root`.
pub(crate) fn read(root: &Path) -> Result<Site> {
    let settings = settings(root)?;
    let mut report = Report::default();
    if settings.base_url.starts_with("https://example.org") {
        report.site_note(
            "_config.yml has no url: config.toml says https://example.org, write the site's \
             address there"
                .into(),
        );
    }
    if let Some(theme) = settings.config.get("theme") {
        report.site_note(format!(
            "theme {theme}: its layouts and includes are not imported (gazette uses its own theme)"
        ));
    }
    let skip = |rel: &str| skipped(&settings, rel);
    let walked = walk::files(root, &skip);
    for link in &walked.links {
        report.note(
            link,
            None,
            "a symbolic link: not followed, not imported".into(),
        );
    }
    let mut pages = Vec::new();
    let mut statics = Vec::new();
    let mut old_urls = Vec::new();
    for (rel, full) in &walked.files {
        read_file(
            &settings,
            rel,
            full,
            &mut pages,
            &mut statics,
            &mut old_urls,
            &mut report,
        );
    }
    let languages = languages(&settings, &pages);
    let default_lang = languages[0].code.clone();
    for page in &mut pages {
        if page.lang.is_empty() {
            page.lang = default_lang.clone();
        }
    }
    for (_, target) in &mut old_urls {
        if let Target::Tag { lang, .. } | Target::Feed { lang, .. } | Target::Section { lang, .. } =
            target
            && lang.is_empty()
        {
            *lang = default_lang.clone();
        }
    }
    place_homes(&mut pages, &default_lang);
    old_urls.extend(list_urls(&settings, &pages, &default_lang));
    let mut permalinks = BTreeMap::new();
    if ["/:year/", "/:month/", "/:day/"]
        .iter()
        .all(|p| settings.permalink.contains(p))
    {
        permalinks.insert("posts".to_string(), "/:year/:month/:day/:slug/".to_string());
    }
    Ok(Site {
        base_url: settings.base_url.clone(),
        languages,
        default_at_root: true,
        paginate_by: settings.paginate,
        permalinks,
        heading_ids: "jekyll",
        pages,
        statics,
        old_urls,
        extra: toml::Table::new(),
        report,
    })
}

fn settings(root: &Path) -> Result<Settings> {
    let path = root.join("_config.yml");
    let config = match walk::read_text(&path) {
        Ok(text) => front::yaml_table(&text).map_err(|e| Error::Config {
            location: Location::at(&path, e.line, 0),
            message: e.message,
        })?,
        Err(_) if root.join("_posts").is_dir() => toml::Table::new(),
        Err(message) => {
            return Err(Error::Config {
                location: Location::file(&path),
                message: format!("{message}: is this a Jekyll site?"),
            });
        }
    };
    let text = |k: &str| config.get(k).and_then(|v| v.as_str()).map(String::from);
    let list = |k: &str| -> Vec<String> {
        match config.get(k) {
            Some(toml::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            Some(toml::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let permalink = permalink_style(&text("permalink").unwrap_or_else(|| "date".into()));
    let mut plugins = list("plugins");
    plugins.extend(list("gems"));
    // Plugins a Gemfile's `:jekyll_plugins` group loads without a word in _config.yml.
    if let Ok(gemfile) = walk::read_text(&root.join("Gemfile")) {
        for name in ["jekyll-feed", "jekyll-redirect-from", "jekyll-paginate"] {
            if gemfile.contains(&format!("\"{name}\"")) || gemfile.contains(&format!("'{name}'")) {
                plugins.push(name.to_string());
            }
        }
    }
    let url = text("url")
        .filter(|u| u.starts_with("http"))
        .unwrap_or_else(|| "https://example.org".into());
    Ok(Settings {
        base_url: format!("{url}{}", text("baseurl").unwrap_or_default()),
        pretty_pages: permalink.ends_with('/'),
        permalink,
        polyglot: list("languages"),
        default_lang: text("default_lang").or_else(|| text("lang")),
        plugins,
        paginate: config
            .get("paginate")
            .and_then(|p| p.as_integer())
            .and_then(|p| usize::try_from(p).ok())
            .filter(|p| *p > 0),
        paginate_path: text("paginate_path").unwrap_or_else(|| "/page:num/".into()),
        exclude: list("exclude"),
        config,
    })
}

/// Jekyll's named permalink styles.
fn permalink_style(style: &str) -> String {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    }
    .to_string()
}

/// What Jekyll leaves out: `_` entries but `_posts` and the top `_drafts` (so
/// `_posts/_drafts/` is left out), its own files, `exclude`.
fn skipped(settings: &Settings, rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let underscore = name.starts_with('_') && !(name == "_posts" || rel == "_drafts");
    let own = matches!(
        name,
        "Gemfile" | "Gemfile.lock" | "node_modules" | "vendor" | "_site"
    );
    let excluded = settings.exclude.iter().any(|e| {
        let e = e.trim_matches('/');
        rel == e || rel.starts_with(&format!("{e}/"))
    });
    underscore || own || excluded
}

fn is_markdown(rel: &str) -> bool {
    [".md", ".markdown", ".mkd", ".mkdn"]
        .iter()
        .any(|e| rel.ends_with(e))
}

#[allow(clippy::too_many_arguments)]
fn read_file(
    settings: &Settings,
    rel: &str,
    full: &Path,
    pages: &mut Vec<Page>,
    statics: &mut Vec<(PathBuf, String)>,
    old_urls: &mut Vec<(String, Target)>,
    report: &mut Report,
) {
    let in_posts = rel.split('/').any(|p| p == "_posts");
    let in_drafts = rel.starts_with("_drafts/");
    // Jekyll processes only files that start with front matter; the rest it copies.
    let starts_with_front = std::fs::read(full).is_ok_and(|b| b.starts_with(b"---"));
    if !starts_with_front && !in_posts && !in_drafts {
        statics.push((full.to_path_buf(), rel.to_string()));
        return;
    }
    if !is_markdown(rel) {
        if !(in_posts || in_drafts) {
            template_url(rel, old_urls, report);
        }
        return;
    }
    let Ok(text) = walk::read_text(full).map_err(|m| report.note(rel, None, m)) else {
        return;
    };
    let parsed = match front::parse(&text) {
        Ok(parsed) => parsed,
        Err(e) => return report.note(rel, Some(e.line), format!("{}: not imported", e.message)),
    };
    let front = mapping::map(Engine::Jekyll, parsed.fields, &[]);
    let page = if in_posts || in_drafts {
        post(settings, rel, front, in_drafts, report)
    } else {
        page(settings, rel, front, old_urls, report)
    };
    let Some(mut page) = page else {
        return;
    };
    if is_post_list(&parsed.body) && page.place == Place::Standalone {
        report.note(
            rel,
            None,
            "a list of posts written in Liquid: its URL now leads to gazette's list of posts"
                .into(),
        );
        let target = Target::Section {
            lang: page.lang.clone(),
            section: "posts".into(),
            page: 1,
        };
        old_urls.extend(page.old_url.map(|url| (url, target)));
        return;
    }
    page.body = parsed.body;
    page.body_line = parsed.body_line;
    pages.push(page);
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

/// A post's URL by its permalink (its own, or the site's).
fn post_url(settings: &Settings, front: &mapping::Front, title: &str) -> Option<String> {
    let pattern = front
        .url
        .clone()
        .unwrap_or_else(|| settings.permalink.clone());
    let date = front.date?;
    let day = date.date?;
    let time = date.time;
    let categories: Vec<String> = front
        .taxonomies
        .get("categories")
        .into_iter()
        .flatten()
        .map(|c| c.to_lowercase())
        .collect();
    let slug_source = front.slug.as_deref().unwrap_or(title);
    let values = [
        (":categories", categories.join("/")),
        (":year", format!("{:04}", day.year)),
        (":short_year", format!("{:02}", day.year % 100)),
        (":i_month", day.month.to_string()),
        (":month", format!("{:02}", day.month)),
        (":i_day", day.day.to_string()),
        (":day", format!("{:02}", day.day)),
        (":hour", format!("{:02}", time.map_or(0, |t| t.hour))),
        (":minute", format!("{:02}", time.map_or(0, |t| t.minute))),
        (
            ":second",
            format!("{:02}", time.and_then(|t| t.second).unwrap_or(0)),
        ),
        (":title", jekyll_slug(slug_source, true)),
        (":slug", jekyll_slug(slug_source, false)),
        (":output_ext", ".html".into()),
    ];
    let mut url = pattern;
    for (token, value) in values {
        url = url.replace(token, &value);
    }
    let clean: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = if url.ends_with('/') { "/" } else { "" };
    Some(format!("/{}{trailing}", clean.join("/")))
}

/// Jekyll's `slugify` in `pretty` mode (`cased` keeps capitals, as `:title` does) or
/// `default` mode: what it does not keep becomes a hyphen, runs of hyphens one.
fn jekyll_slug(text: &str, pretty_cased: bool) -> String {
    let kept = |c: char| {
        c.is_ascii_alphanumeric()
            || (pretty_cased && "._~!$&'()+,;=@".contains(c))
            || (!pretty_cased && c.is_alphanumeric())
    };
    let mut out = String::new();
    for c in text.chars() {
        if kept(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if pretty_cased {
        out
    } else {
        out.to_lowercase()
    }
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

/// A page's URL: its `permalink`, else its path with `.html` (`x/index.md` is `/x/`).
fn page_url(settings: &Settings, rel: &str, front: &mapping::Front) -> String {
    if let Some(url) = &front.url {
        return url.clone();
    }
    let without_ext = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    let prefix = match (&front.lang, settings.default_lang.as_deref()) {
        (Some(lang), Some(default)) if settings.polyglot.contains(lang) && lang != default => {
            format!("/{lang}")
        }
        _ => String::new(),
    };
    match without_ext.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{prefix}/{dir}"),
        _ if settings.pretty_pages => format!("{prefix}/{without_ext}/"),
        _ => format!("{prefix}/{without_ext}.html"),
    }
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

/// Old list URLs: the feed jekyll-feed makes, and jekyll-paginate's pages of the home.
fn list_urls(settings: &Settings, pages: &[Page], default: &str) -> Vec<(String, Target)> {
    let mut urls = Vec::new();
    let has = |name: &str| settings.plugins.iter().any(|p| p == name);
    if has("jekyll-feed") {
        let path = settings
            .config
            .get("feed")
            .and_then(|f| f.get("path"))
            .and_then(|p| p.as_str())
            .unwrap_or("/feed.xml");
        let kind = FeedKind::Atom;
        urls.push((
            format!("/{}", path.trim_start_matches('/')),
            Target::Feed {
                lang: default.into(),
                kind,
            },
        ));
    }
    if let (Some(per), true) = (settings.paginate, has("jekyll-paginate")) {
        let posts = pages
            .iter()
            .filter(|p| p.old_url.is_some() && matches!(p.place, Place::Article(_)))
            .count();
        for n in 2..=posts.div_ceil(per).max(1) {
            let path = settings.paginate_path.replace(":num", &n.to_string());
            urls.push((
                path,
                Target::Home {
                    lang: default.into(),
                    page: n,
                },
            ));
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_as_jekyll_makes_them() {
        assert_eq!(jekyll_slug("Seeing-Music", true), "Seeing-Music");
        assert_eq!(jekyll_slug("Seeing Music!", true), "Seeing-Music!");
        assert_eq!(jekyll_slug("Seeing Music!", false), "seeing-music");
        assert_eq!(jekyll_slug("  a  b ", false), "a-b");
    }

    #[test]
    fn styles() {
        assert_eq!(
            permalink_style("date"),
            "/:categories/:year/:month/:day/:title:output_ext"
        );
        assert_eq!(permalink_style("/blog/:title/"), "/blog/:title/");
    }
}
