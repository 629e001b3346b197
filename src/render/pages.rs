//! One `Job` -> the values its template sees (computed when the page is rendered, not at
//! plan time, so `serve` pays only for the page asked for): the head, the alternates, the
//! language switcher and what the page shows.

use serde::Serialize;
use tera::Value;

use super::Values;
use super::inputs::{Inputs, section_title};
use super::plan::{Job, JobKind, page_paths};
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
struct AlternateView<'a> {
    lang: &'a str,
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

/// Everything page `job`'s template sees.
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
    context.extend(inputs.shared(lang).iter().cloned());
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
    let alternates: Vec<AlternateView> = config
        .languages
        .iter()
        .filter_map(|l| {
            version_of(&l.code).map(|p| AlternateView {
                lang: &l.code,
                url: config.absolute(p),
            })
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
                url: config.absolute(version_of(&l.code).unwrap_or(&format!("/{}/", l.code))),
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

fn default_head(config: &Config) -> Value {
    let language = config.language(&config.default_language);
    let title = language.map_or("", |l| l.title.as_str());
    let description = language.map_or("", |l| l.description.as_str());
    head(title, title, description, None, "website")
}

#[derive(Serialize)]
struct LanguageLink<'a> {
    code: &'a str,
    title: &'a str,
    description: &'a str,
    url: String,
}

fn languages_view(config: &Config) -> Value {
    let links: Vec<LanguageLink> = config
        .languages
        .iter()
        .map(|l| LanguageLink {
            code: &l.code,
            title: &l.title,
            description: &l.description,
            url: config.absolute(&format!("/{}/", l.code)),
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

/// The values particular to one page.
fn own_values(inputs: &Inputs, job: &Job) -> Values {
    let (config, site, theme) = (&*inputs.config, &*inputs.site, &*inputs.theme);
    let lang = job.lang.as_deref().unwrap_or(&config.default_language);
    match job.kind {
        JobKind::Root | JobKind::NotFound => vec![
            ("head", default_head(config)),
            ("languages", languages_view(config)),
        ],
        JobKind::Document(id) => {
            let page = &site.pages[id];
            let body = inputs.bodies.body(id);
            let view = views::page_view(config, site, id, &body, true);
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
            vec![
                (
                    "head",
                    head(
                        &page.title,
                        &page.front.title,
                        description,
                        image.as_deref(),
                        kind,
                    ),
                ),
                ("page", view),
            ]
        }
        JobKind::Home { edition } => {
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
                url: config.absolute(&job.path),
                path: &job.path,
            };
            let latest: Vec<usize> = edition
                .articles
                .iter()
                .take(config.paginate_by)
                .copied()
                .collect();
            vec![
                (
                    "head",
                    head(
                        &config.typeset(lang, &language.title),
                        &language.title,
                        &language.description,
                        None,
                        "website",
                    ),
                ),
                ("section", Value::from_serializable(&section)),
                ("pages", inputs.summaries(&latest)),
            ]
        }
        JobKind::Section {
            edition,
            section,
            page,
        } => {
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
            vec![
                (
                    "head",
                    head(&title, &plain_title, &plain_description, None, "website"),
                ),
                ("section", Value::from_serializable(&view)),
                (
                    "paginator",
                    paginator(inputs, &section.path, &section.articles, page),
                ),
            ]
        }
        JobKind::Tags { edition } => {
            let title = theme.string(lang, "tags").unwrap_or("Tags");
            let tags: Vec<Value> = site.editions[edition]
                .tags
                .iter()
                .map(|t| views::tag_view(config, t))
                .collect();
            vec![
                ("head", head(title, title, "", None, "website")),
                ("tags", Value::from(tags)),
            ]
        }
        JobKind::Tag { edition, tag, page } => {
            let tag = &site.editions[edition].tags[tag];
            let title = format!(
                "{} · {}",
                theme.string(lang, "tags").unwrap_or("Tags"),
                tag.name
            );
            vec![
                ("head", head(&title, &title, "", None, "website")),
                ("tag", views::tag_view(config, tag)),
                (
                    "paginator",
                    paginator(inputs, &tag.path, &tag.articles, page),
                ),
            ]
        }
        JobKind::Issues { edition } => {
            let title = theme.string(lang, "issues").unwrap_or("Issues");
            let issues: Vec<_> = (0..site.editions[edition].issues.len())
                .map(|i| inputs.issue_view(edition, i))
                .collect();
            vec![
                ("head", head(title, title, "", None, "website")),
                ("issues", Value::from_serializable(&issues)),
            ]
        }
        JobKind::Issue { edition, issue } => {
            let view = inputs.issue_view(edition, issue);
            let issues = &site.editions[edition].issues;
            // Issues are newest first: the previous issue is the next one in the list.
            let link = |i: Option<usize>| {
                i.and_then(|i| issues.get(i))
                    .map_or_else(Value::none, |other| {
                        let title = match other.intro {
                            Some(p) => site.pages[p].title.clone(),
                            None => inputs.issue_title(lang, other.number),
                        };
                        Value::from_serializable(&IssueLink {
                            number: other.number,
                            title: &title,
                            url: &config.absolute(&other.path),
                        })
                    })
            };
            let description = view.plain_description.clone().unwrap_or_default();
            vec![
                (
                    "head",
                    head(
                        &view.title,
                        &view.plain_title,
                        &description,
                        view.image.as_deref(),
                        "article",
                    ),
                ),
                ("previous_issue", link(Some(issue + 1))),
                ("next_issue", link(issue.checked_sub(1))),
                ("issue", Value::from_serializable(&view)),
            ]
        }
    }
}

/// The HTML of a page's body (a home's or a section's text), empty without one.
fn body_html(inputs: &Inputs, page: Option<usize>) -> Value {
    match page {
        Some(id) => Value::safe_string(&inputs.bodies.body(id).html),
        None => Value::safe_string(""),
    }
}
