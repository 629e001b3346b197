//! One language's newest articles -> `/LANG/atom.xml`, `/LANG/rss.xml` (theme templates,
//! overridable) and `/LANG/feed.json` (JSON Feed 1.1, built with serde_json).
//! Full content with every URL absolute; drafts never reach here.

use serde::Serialize;
use tera::Value;

use super::Values;
use super::html::{absolute_fragments, strip_invalid_xml};
use super::inputs::Inputs;
use super::plan::FeedKind;
use crate::error::Result;
use crate::site::Edition;

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    plain_title: &'a str,
    url: String,
    date: Option<String>,
    updated: Option<String>,
    description: Option<&'a str>,
    /// HTML as plain strings: the XML templates escape them once.
    summary: String,
    content: String,
    authors: &'a [String],
    tags: &'a [String],
    image: Option<String>,
}

#[derive(Serialize)]
struct Feed<'a> {
    lang: &'a str,
    title: String,
    description: String,
    url: String,
    atom_url: String,
    rss_url: String,
    json_url: String,
    updated: Option<String>,
    entries: Vec<Entry<'a>>,
}

fn feed<'a>(inputs: &'a Inputs, edition: &'a Edition) -> Feed<'a> {
    let (config, site) = (&*inputs.config, &*inputs.site);
    let lang = edition.lang.as_str();
    let language = config.language(lang);
    let typeset = |s: &str| config.typeset(lang, s);
    let in_feeds = |id: &&usize| {
        let page = &site.pages[**id];
        !page.front.draft && page.section().is_none_or(|s| config.section(s).feeds)
    };
    let entries: Vec<Entry> = edition
        .articles
        .iter()
        .filter(in_feeds)
        .take(config.feed_limit)
        .map(|&id| {
            let page = &site.pages[id];
            let url = config.absolute(&page.path);
            let body = inputs.bodies.body(id);
            let summary = body.summary.clone().unwrap_or_else(|| {
                page.description
                    .as_deref()
                    .map(|d| format!("<p>{}</p>", crate::markdown::escape_html(d)))
                    .unwrap_or_default()
            });
            Entry {
                title: &page.title,
                plain_title: &page.front.title,
                date: page.front.date.map(|d| d.to_rfc3339()),
                updated: page
                    .front
                    .updated
                    .or(page.front.date)
                    .map(|d| d.to_rfc3339()),
                description: page.description.as_deref(),
                summary: absolute_fragments(&summary, &url),
                content: absolute_fragments(&body.html, &url),
                authors: &page.front.authors,
                tags: &page.front.tags,
                image: page
                    .front
                    .image
                    .as_deref()
                    .map(|i| crate::markdown::urls::absolutize(i, &url, &config.base_url)),
                url,
            }
        })
        .collect();
    let updated = edition
        .articles
        .iter()
        .filter(in_feeds)
        .filter_map(|&i| site.pages[i].front.updated.or(site.pages[i].front.date))
        .max();
    Feed {
        lang,
        title: typeset(language.map_or("", |l| l.title.as_str())),
        description: typeset(language.map_or("", |l| l.description.as_str())),
        url: config.absolute(&config.home_path(lang)),
        atom_url: config.absolute(&config.lang_path(lang, "atom.xml")),
        rss_url: config.absolute(&config.lang_path(lang, "rss.xml")),
        json_url: config.absolute(&config.lang_path(lang, "feed.json")),
        updated: updated.map(|d| d.to_rfc3339()),
        entries,
    }
}

/// What a feed shows: the same for its three formats.
pub(crate) fn values(inputs: &Inputs, edition: &Edition) -> Values {
    vec![
        ("lang", Value::from(edition.lang.as_str())),
        ("feed", Value::from_serializable(&feed(inputs, edition))),
    ]
}

/// One of the three feeds of one language.
pub(crate) fn render_feed(inputs: &Inputs, edition: &Edition, kind: FeedKind) -> Result<Vec<u8>> {
    let name = match kind {
        FeedKind::Atom => "atom.xml",
        FeedKind::Rss => "rss.xml",
        FeedKind::Json => return Ok(json_feed(&feed(inputs, edition)).into_bytes()),
    };
    let context = super::context(values(inputs, edition));
    let xml = inputs.theme.render(
        name,
        &context,
        &inputs.config.lang_path(&edition.lang, name),
    )?;
    Ok(strip_invalid_xml(xml).into_bytes())
}

fn json_feed(feed: &Feed) -> String {
    use serde_json::{Value, json};
    let items: Vec<Value> = feed
        .entries
        .iter()
        .map(|e| {
            let mut item = json!({
                "id": e.url,
                "url": e.url,
                "title": e.title,
                "content_html": e.content,

                "tags": e.tags,
                "authors": e.authors.iter().map(|a| json!({ "name": a })).collect::<Vec<_>>(),
                "language": feed.lang,
            });
            // A JSON Feed summary is plain text, and optional: none rather than an empty one.
            if let Some(description) = e.description {
                item["summary"] = json!(description);
            }
            if let Some(date) = &e.date {
                item["date_published"] = json!(date);
            }
            if let Some(updated) = &e.updated {
                item["date_modified"] = json!(updated);
            }
            if let Some(image) = &e.image {
                item["image"] = json!(image);
            }
            item
        })
        .collect();
    let document = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.url,
        "feed_url": feed.json_url,
        "description": feed.description,
        "language": feed.lang,
        "items": items,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
