//! One `Job` -> the values its template sees (computed when the page is rendered, not at
//! plan time, so `serve` pays only for the page asked for): the head, the alternates, the
//! language switcher and what the page shows.

use serde::Serialize;
use tera::Value;

use super::Values;
use super::inputs::{Inputs, section_title};
use super::plan::{Job, JobKind, page_paths};
use super::prose::for_web;
use super::views;
use crate::config::Config;

#[derive(Serialize)]
struct Head<'a> {
    /// For text (`<title>`): French typography applied on French pages.
    title: &'a str,
    /// For attributes (`og:title`): as written.
    plain_title: &'a str,
    description: &'a str,
    image: Option<&'a str>,
    kind: &'a str,
}

fn head(
    title: &str,
    plain_title: &str,
    description: &str,
    image: Option<&str>,
    kind: &str,
) -> Value {
    Value::from_serializable(&Head {
        title,
        plain_title,
        description,
        image,
        kind,
    })
}

#[derive(Serialize)]
struct AlternateView {
    lang: String,
    url: String,
}

#[derive(Serialize)]
struct SwitchView<'a> {
    lang: &'a str,
    name: &'a str,
    url: String,
    current: bool,
    /// False when the link leads to that language's home for want of a translation.
    translated: bool,
}

/// What page `job`'s template sees besides the values every page of its language shares
/// (`Inputs::shared`, for the language `page_lang` gives).
pub(crate) fn values(inputs: &Inputs, job: &Job) -> Values {
    let config = &*inputs.config;
    let plan = &*inputs.plan;
    let lang = job.lang.as_deref().unwrap_or(&config.default_language);
    let mut context: Values = vec![
        ("config", plan.config.clone()),
        ("current_path", Value::from(job.path.as_str())),
        ("current_url", Value::from(config.absolute(&job.path))),
        ("lang", Value::from(lang)),
    ];
    let versions: &[(String, String)] = job
        .route
        .as_deref()
        .and_then(|r| plan.routes.get(r))
        .map_or(&[], Vec::as_slice);
    let version_of = |code: &str| {
        versions
            .iter()
            .find(|(l, _)| l == code)
            .map(|(_, p)| p.as_str())
    };
    let alternates: Vec<AlternateView> = plan
        .alternates(config, job)
        .into_iter()
        .map(|(lang, path)| AlternateView {
            lang,
            url: config.absolute(&path),
        })
        .collect();
    context.push(("alternates", Value::from_serializable(&alternates)));
    if job.lang.is_some() {
        let switcher: Vec<SwitchView> = config
            .languages
            .iter()
            .map(|l| SwitchView {
                lang: &l.code,
                name: &l.title,
                url: config.absolute(version_of(&l.code).unwrap_or(&config.home_path(&l.code))),
                current: l.code == lang,
                translated: version_of(&l.code).is_some(),
            })
            .collect();
        context.push(("switcher", Value::from_serializable(&switcher)));
    }
    let translations = match job.kind {
        JobKind::Document(id) => views::translations(config, &inputs.site, id),
        _ => config
            .languages
            .iter()
            .filter(|l| l.code != lang)
            .filter_map(|l| {
                version_of(&l.code).map(|p| views::Link {
                    lang: l.code.clone(),
                    url: config.absolute(p),
                    title: l.title.clone(),
                })
            })
            .collect(),
    };
    context.push(("translations", Value::from_serializable(&translations)));
    context.extend(own_values(inputs, job));
    context
}

/// The language whose shared values page `job` sees.
pub(crate) fn page_lang<'a>(inputs: &'a Inputs, job: &'a Job) -> &'a str {
    job.lang
        .as_deref()
        .unwrap_or(&inputs.config.default_language)
}

fn default_head(config: &Config) -> Value {
    let language = config.language(&config.default_language);
    let title = language.map_or("", |l| l.title.as_str());
    let description = language.map_or("", |l| l.description.as_str());
    head(title, title, description, None, "website")
}

#[derive(Serialize)]
struct LanguageLink<'a> {
    code: &'a str,
    /// Typeset in its own language (the chooser shows every language's).
    title: String,
    description: String,
    url: String,
}

fn languages_view(config: &Config) -> Value {
    let links: Vec<LanguageLink> = config
        .languages
        .iter()
        .map(|l| LanguageLink {
            code: &l.code,
            title: config.typeset(&l.code, &l.title),
            description: config.typeset(&l.code, &l.description),
            url: config.absolute(&config.home_path(&l.code)),
        })
        .collect();
    Value::from_serializable(&links)
}

#[derive(Serialize)]
struct IndexView<'a> {
    title: &'a str,
    plain_title: &'a str,
    description: &'a str,
    content: Value,
    url: String,
    path: &'a str,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    total_items: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
    pages: Value,
}

fn paginator(inputs: &Inputs, base: &str, items: &[usize], page: usize) -> Value {
    let config = &*inputs.config;
    let per = config.paginate_by;
    let paths = page_paths(base, items.len(), per);
    let url_of = |n: usize| config.absolute(&paths[n - 1].0);
    let total = paths.len();
    let chunk: Vec<usize> = items
        .iter()
        .skip((page - 1) * per)
        .take(per)
        .copied()
        .collect();
    Value::from_serializable(&Paginator {
        current: page,
        total,
        total_items: items.len(),
        first: url_of(1),
        last: url_of(total),
        previous: (page > 1).then(|| url_of(page - 1)),
        next: (page < total).then(|| url_of(page + 1)),
        pages: inputs.summaries(&chunk),
    })
}

#[derive(Serialize)]
struct IssueLink<'a> {
    number: u32,
    title: &'a str,
    url: &'a str,
}

/// The values particular to one page, by what it shows.
fn own_values(inputs: &Inputs, job: &Job) -> Values {
    let lang = job
        .lang
        .as_deref()
        .unwrap_or(&inputs.config.default_language);
    match job.kind {
        JobKind::Root | JobKind::NotFound => vec![
            ("head", default_head(&inputs.config)),
            ("languages", languages_view(&inputs.config)),
        ],
        JobKind::Document(id) => document_values(inputs, id),
        JobKind::Home { edition } => home_values(inputs, edition, lang, &job.path),
        JobKind::Section {
            edition,
            section,
            page,
        } => section_values(inputs, edition, section, page),
        JobKind::Tags { edition } => tags_values(inputs, edition, lang),
        JobKind::Tag { edition, tag, page } => tag_values(inputs, edition, tag, page, lang),
        JobKind::Issues { edition } => issues_values(inputs, edition, lang),
        JobKind::Issue { edition, issue } => issue_values(inputs, edition, issue, lang),
    }
}

/// An article or a standalone page.
fn document_values(inputs: &Inputs, id: usize) -> Values {
    let (config, site) = (&*inputs.config, &*inputs.site);
    let page = &site.pages[id];
    let body = inputs.bodies.body(id);
    let view = views::page_view(config, site, id, &body, true, &inputs.web(&page.lang));
    let description = page.front.description.as_deref().unwrap_or_else(|| {
        config
            .language(&page.lang)
            .map_or("", |l| l.description.as_str())
    });
    let image = view
        .get_from_path("image")
        .and_then(|v| v.as_str().map(str::to_string));
    let kind = if page.is_article() {
        "article"
    } else {
        "website"
    };
    let head = head(
        &page.title,
        &page.front.title,
        description,
        image.as_deref(),
        kind,
    );
    vec![("head", head), ("page", view)]
}

/// A language's home: its text and the latest articles.
fn home_values(inputs: &Inputs, edition: usize, lang: &str, path: &str) -> Values {
    let (config, site) = (&*inputs.config, &*inputs.site);
    let edition = &site.editions[edition];
    let Some(language) = config.language(lang) else {
        return Vec::new();
    };
    let home = edition.home.map(|i| &site.pages[i]);
    let section = IndexView {
        title: home.map_or(&language.title, |h| &h.title),
        plain_title: home.map_or(&language.title, |h| &h.front.title),
        description: home
            .and_then(|h| h.description.as_deref())
            .unwrap_or(&language.description),
        content: body_html(inputs, edition.home),
        url: config.absolute(path),
        path,
    };
    let latest: Vec<usize> = edition
        .articles
        .iter()
        .filter(|&&id| {
            let section = site.pages[id].section();
            section.is_none_or(|s| config.section(s).home)
        })
        .take(config.paginate_by)
        .copied()
        .collect();
    let title = config.typeset(lang, &language.title);
    let head = head(
        &title,
        &language.title,
        &language.description,
        None,
        "website",
    );
    vec![
        ("head", head),
        ("section", Value::from_serializable(&section)),
        ("pages", inputs.summaries(&latest)),
    ]
}

/// One page of a section's list.
fn section_values(inputs: &Inputs, edition: usize, section: usize, page: usize) -> Values {
    let (config, site) = (&*inputs.config, &*inputs.site);
    let section = &site.editions[edition].sections[section];
    let title = section_title(site, section);
    let index = section.index.map(|i| &site.pages[i]);
    let plain_title = index.map_or(title.clone(), |p| p.front.title.clone());
    let description = index
        .and_then(|p| p.description.clone())
        .unwrap_or_default();
    let plain_description = index
        .and_then(|p| p.front.description.clone())
        .unwrap_or_default();
    let view = IndexView {
        title: &title,
        plain_title: &plain_title,
        description: &description,
        content: body_html(inputs, section.index),
        url: config.absolute(&section.path),
        path: &section.path,
    };
    let paginator = paginator(inputs, &section.path, &section.articles, page);
    vec![
        (
            "head",
            head(&title, &plain_title, &plain_description, None, "website"),
        ),
        ("section", Value::from_serializable(&view)),
        ("paginator", paginator),
    ]
}

/// A language's list of tags.
fn tags_values(inputs: &Inputs, edition: usize, lang: &str) -> Values {
    let title = inputs.theme.string(lang, "tags").unwrap_or("Tags");
    let tags: Vec<Value> = inputs.site.editions[edition]
        .tags
        .iter()
        .map(|t| views::tag_view(&inputs.config, t))
        .collect();
    vec![
        ("head", head(title, title, "", None, "website")),
        ("tags", Value::from(tags)),
    ]
}

/// One page of a tag's list.
fn tag_values(inputs: &Inputs, edition: usize, tag: usize, page: usize, lang: &str) -> Values {
    let tag = &inputs.site.editions[edition].tags[tag];
    let label = inputs.theme.string(lang, "tags").unwrap_or("Tags");
    let title = format!("{label} · {}", tag.name);
    vec![
        ("head", head(&title, &title, "", None, "website")),
        ("tag", views::tag_view(&inputs.config, tag)),
        (
            "paginator",
            paginator(inputs, &tag.path, &tag.articles, page),
        ),
    ]
}

/// The archive of a language's issues, as outlines.
fn issues_values(inputs: &Inputs, edition: usize, lang: &str) -> Values {
    let title = inputs.theme.string(lang, "issues").unwrap_or("Issues");
    let issues: Vec<_> = (0..inputs.site.editions[edition].issues.len())
        .map(|i| inputs.issue_outline(edition, i))
        .collect();
    vec![
        ("head", head(title, title, "", None, "website")),
        ("issues", Value::from_serializable(&issues)),
    ]
}

/// One issue, with links to the issues before and after it.
fn issue_values(inputs: &Inputs, edition: usize, issue: usize, lang: &str) -> Values {
    let mut view = inputs.issue_view(edition, issue);
    let web = inputs.web(lang);
    view.content = view
        .content
        .map(|html| Value::safe_string(&for_web(html.as_str().unwrap_or_default(), &web)));
    let issues = &inputs.site.editions[edition].issues;
    let link = |i: Option<usize>| match i.and_then(|i| issues.get(i)) {
        Some(other) => {
            let title = match other.intro {
                Some(p) => inputs.site.pages[p].title.clone(),
                None => inputs.issue_title(lang, other.number),
            };
            Value::from_serializable(&IssueLink {
                number: other.number,
                title: &title,
                url: &inputs.config.absolute(&other.path),
            })
        }
        None => Value::none(),
    };
    let description = view.plain_description.clone().unwrap_or_default();
    let head = head(
        &view.title,
        &view.plain_title,
        &description,
        view.image.as_deref(),
        "article",
    );
    // Issues are newest first: the previous issue is the next one in the list.
    vec![
        ("head", head),
        ("previous_issue", link(Some(issue + 1))),
        ("next_issue", link(issue.checked_sub(1))),
        ("issue", Value::from_serializable(&view)),
    ]
}

/// The HTML of a page's body (a home's or a section's text), empty without one.
fn body_html(inputs: &Inputs, page: Option<usize>) -> Value {
    match page {
        Some(id) => {
            let web = inputs.web(&inputs.site.pages[id].lang);
            Value::safe_string(&for_web(&inputs.bodies.body(id).html, &web))
        }
        None => Value::safe_string(""),
    }
}
